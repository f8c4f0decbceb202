# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brownfield import of device data that looks like a template: it is never run, it comes back
exactly, and the imported file converges with no change on both paths (the role's task
arguments and the fleet task's). Also: what the module cannot declare is left out, said, and
the rest still converges."""

import json

import pytest
import requests
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.vapix.edge_storage.plugins.filter import to_declaration as filters
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import host_arguments
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import to_declaration, to_declaration_yaml
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import FACTORY_PASSWORD
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import Resolver, role
from requests.auth import HTTPDigestAuth

CAMERA, RECORDER = 0, 3
ROLE = role()


def hostile(marker):
    """Names a camera admin could give, each with a command for the controller in it."""
    command = "lookup('pipe', 'touch %s')" % marker
    return {
        "card": "{{ %s }}Lobby" % command,
        "share": "{%% if %s %%}nas{%% endif %%}" % command,
        "overlay": "Lobby {{TODO}} {#2}",
        "description": "{# %s #}{{ query('pipe', 'touch %s') }}" % (command, marker),
    }


def device_api(sim, index, cgi, **args):
    """A call of the device's own API, as a camera's admin would make it."""
    response = requests.get(
        "http://127.0.0.1:%d/axis-cgi/%s" % (sim.port(index), cgi),
        params=args,
        auth=HTTPDigestAuth("root", FACTORY_PASSWORD),
        timeout=10,
    )
    response.raise_for_status()
    assert "Error" not in response.text and 'result="ERROR"' not in response.text, response.text
    return response.text


def name_things(sim, names):
    device_api(sim, CAMERA, "param.cgi", action="update", **{"Storage.S0.FriendlyName": names["card"]})
    device_api(
        sim,
        CAMERA,
        "disks/networkshare/add.cgi",
        schemaversion=1,
        nicename=names["share"],
        address="nas.example.com",
        share="rec",
        user="cam",
        **{"pass": "x"},
    )
    device_api(
        sim,
        CAMERA,
        "record/continuous/addconfiguration.cgi",
        diskid="SD_DISK",
        options="text=1&textstring=%s&textcolor=white&textbackgroundcolor=semitransparent&textpos=bottom"
        "&clock=1&date=1&fps=15" % names["overlay"],
    )
    device_api(
        sim, RECORDER, "externalipdeviceinfo/create.cgi", schemaversion=2, id="door", description=names["description"]
    )
    device_api(
        sim,
        RECORDER,
        "record/continuous/addconfiguration.cgi",
        diskid="HDD_DISK",
        options="device=door&textstring=%s&text=1" % names["card"],
    )


def read(sim, index):
    result = sim.run(StorageInfo, index, diff=False)
    assert not result.get("failed"), result.get("msg")
    return result


def host_vars_file(tmp_path, host, document):
    path = tmp_path / ("%s.yml" % host)
    path.write_text(document)
    # as Ansible loads host_vars: trusted text, except what the file tags !unsafe
    return DataLoader().load_from_file(str(path))


def as_json(value):
    return json.loads(json.dumps(value))


def strings_of(value):
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_of(k) + strings_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("index", [CAMERA, RECORDER])
def test_device_names_that_look_like_templates_are_never_run_and_converge_unchanged(sim, tmp_path, index):
    marker = tmp_path / "ran-on-the-controller"
    names = hostile(marker)
    name_things(sim, names)
    info = read(sim, index)
    # a registered result reaches the filter as Ansible's own types (unsafe text before 2.19)
    document = to_declaration_yaml(wrap_var(info), host="dev")
    assert document == to_declaration_yaml(info, host="dev", generated_at=document.split(" on ")[1].split(" ")[0])
    loaded = host_vars_file(tmp_path, "dev", document)
    declaration = loaded["axis_storage"]

    # exactly the device's strings
    assert as_json(declaration) == as_json(to_declaration(info))
    found = strings_of(as_json(declaration))
    if index == CAMERA:
        assert names["card"] in found and names["share"] in found and names["overlay"] in found
        assert document.count(": !unsafe ") == 3
    else:
        assert names["description"] in found and names["card"] in found
        assert document.count(": !unsafe ") == 2

    # the role's task: its arguments templated from the file's variables
    templar = Templar(loader=DataLoader(), variables=loaded)
    role_args = dict((key, templar.template(ROLE.task_args[key])) for key in ROLE.declaration_lists)
    assert as_json(role_args) == as_json(dict((key, declaration.get(key) or []) for key in ROLE.declaration_lists))
    for check_mode in (True, False):
        sim.clear_log(index)
        result = run_in_process(
            DeviceStorage,
            dict(sim.params(index), **as_json(role_args)),
            "vapix.edge_storage.axis_storage",
            check_mode=check_mode,
            diff=True,
        )
        assert not result.get("failed"), result.get("msg")
        assert result["changed"] is False and sim.writes(index) == []

    # the fleet task's drift check of the same file
    host = dict(
        sim.params(index),
        axis_host="127.0.0.1",
        axis_port=sim.port(index),
        axis_username="root",
        axis_password=FACTORY_PASSWORD,
        axis_storage=declaration,
    )
    args, early = host_arguments(Resolver({"dev": host}), "dev", "drift", ROLE)
    assert early is None
    assert as_json(dict((key, args[key]) for key in ROLE.declaration_lists)) == as_json(role_args)
    drift = run_in_process(DeviceStorage, args, "vapix.edge_storage.axis_storage", check_mode=True, diff=True)
    assert not drift.get("failed") and drift["changed"] is False
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    ["yes", "15", "", "null", "0x1F", "~", "{a: 1}", "{", " {{x}} ", "a\u2028b", "line\nbreak", "'quoted' \"both\""],
)
def test_every_string_round_trips_exactly_through_the_file(tmp_path, text):
    # ansible-core 2.19 resolves a !unsafe scalar's type again: only strings with '{' carry the tag
    info = {
        "storage_info": {
            "disks": {
                "SD_DISK": {"disk_id": "SD_DISK", "status": "OK", "friendly_name": text or "x", "filesystem": "ext4"}
            },
            "recording_profiles": [
                {
                    "profile_id": 1,
                    "disk_id": "SD_DISK",
                    "event_id": "continuous",
                    "device": None,
                    "stream_options": {"streamprofile": text},
                }
            ],
        }
    }
    loaded = host_vars_file(tmp_path, "dev", to_declaration_yaml(info))["axis_storage"]
    assert loaded["disks"][0]["friendly_name"] == (text or "x")
    assert isinstance(as_json(loaded)["disks"][0]["friendly_name"], str)


def test_device_text_in_a_comment_cannot_end_it(tmp_path):
    injected = "x\naxis_storage_purge: true\r\nansible_connection: {{ lookup('pipe', 'id') }}\u2028y: 1\x85z: 2"
    info = {
        "storage_info": {
            "identity": {"model": injected, "firmware": "12.11", "serial": injected},
            "disks": {},
            "unavailable": {"recording_profiles": injected},
        }
    }
    document = to_declaration_yaml(info, host=injected)
    loaded = host_vars_file(tmp_path, "dev", document)
    assert list(loaded) == ["axis_storage"]
    assert all(line.startswith(("#", "axis_storage:", "---", "  ")) for line in document.splitlines()), document
    assert "axis_storage_purge: true\\r\\nansible_connection" in document


def test_a_profile_with_overlay_text_imports_and_converges(sim, tmp_path):
    device_api(
        sim,
        CAMERA,
        "record/continuous/addconfiguration.cgi",
        diskid="SD_DISK",
        options="text=1&textstring=Lobby&textcolor=black&textpos=top&date=1&fps=15",
    )
    declaration, notes = to_declaration(read(sim, CAMERA), with_notes=True)
    assert declaration["recording_profiles"] == [
        {
            "disk_id": "SD_DISK",
            "event_id": "continuous",
            "stream_options": {
                "date": "1",
                "fps": "15",
                "text": "1",
                "textcolor": "black",
                "textpos": "top",
                "textstring": "Lobby",
            },
        }
    ]
    assert notes.left_out == []
    sim.clear_log(CAMERA)
    result = sim.run(DeviceStorage, CAMERA, **declaration)
    assert not result.get("failed") and result["changed"] is False and sim.writes(CAMERA) == []


def test_a_profile_the_module_cannot_declare_is_left_out_with_a_warning_and_the_rest_converges(sim, monkeypatch):
    device_api(
        sim, CAMERA, "record/continuous/addconfiguration.cgi", diskid="SD_DISK", options="fps=15&overlayimage=1&text=1"
    )
    device_api(sim, CAMERA, "param.cgi", action="update", **{"Storage.S0.CleanupMaxAge": "21"})
    warnings = []
    monkeypatch.setattr(filters.display, "warning", warnings.append)
    info = read(sim, CAMERA)
    declaration = filters._declaration(info)
    assert declaration["recording_profiles"] == []
    assert declaration["disks"][0]["cleanup_max_age"] == 21
    assert len(warnings) == 1 and "overlayimage" in warnings[0] and "not declared" in warnings[0]
    document = filters._declaration_yaml(info, host="cam-0001")
    assert len(warnings) == 2 and warnings[1].startswith("cam-0001: import left out recording profile")
    assert "#   - recording profile" in document and "overlayimage: not one the module can declare" in document
    for check_mode in (True, False):
        sim.clear_log(CAMERA)
        result = sim.run(DeviceStorage, CAMERA, check_mode=check_mode, **declaration)
        assert not result.get("failed") and result["changed"] is False and sim.writes(CAMERA) == []
    # the device keeps its profile as it was
    assert "overlayimage=1" in device_api(sim, CAMERA, "record/continuous/listconfiguration.cgi")
