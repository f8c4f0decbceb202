# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused before the first write, on both execution paths, with the option's path.

The table test runs malformed declarations (axis_storage) and module options (the single-purpose
modules) against simulated devices and asserts from each device's request log that none of them
caused a write. A valid network share comes first in most declarations: before the one
validation pass it was added and bound, and only then was the bad item refused.
"""

import json
import os

import pytest
import yaml
from ansible.release import __version__ as ansible_version
from ansible_collections.vapix.edge_storage.plugins.module_utils import _module
from ansible_collections.vapix.edge_storage.plugins.module_utils._declaration import ARGUMENT_SPEC
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import strict_type_errors
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import patch_module_args

CORE_VERSION = tuple(int(part) for part in ansible_version.split(".")[:2])
CAMERA = 0
RECORDER = 3
SHARE_PASSWORD = "Nas-Secret-4711"
PASSPHRASE = "Disk-Secret-0815"
SHARE = dict(name="nas", address="10.0.0.5", share="recordings", share_user="camera", share_password=SHARE_PASSWORD)
PROFILE = dict(disk_id="SD_DISK", stream_options=dict(resolution="1920x1080", fps=15))

# (id, module, device, options, fragments the message must contain)
STORAGE = DeviceStorage
BAD_INPUT = [
    # --- the cases: a valid share first, then one bad value ---------------------------
    (
        "cleanup_max_age",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", cleanup_max_age=9999)]),
        ["disks[0].cleanup_max_age=9999", "from 0 to 7000", "(disk SD_DISK)"],
    ),
    (
        "limit below minimum",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", storage_limit=dict(size="10 MB"))]),
        ["disks[0].storage_limit.size=10 MB", "minimum storage limit of 1048576 kB"],
    ),
    (
        "alert temperature in Celsius",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", alert_levels=dict(temperature=60))]),
        ["disks[0].alert_levels.temperature=60", "from 273 to 423"],
    ),
    (
        "stream option typo",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], recording_profiles=[dict(disk_id="SD_DISK", stream_options=dict(fsp=15))]),
        ["recording_profiles[0].stream_options: unknown option 'fsp'", "did you mean 'fps'?", "Valid options:"],
    ),
    # --- wrong types that a conversion would have stored as garbage ---------------------------
    (
        "share password list",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, share_password=["alpha-1", "beta-2"])]),
        ["network_shares[0].share_password must be a string, not a list"],
    ),
    (
        "share password bool",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, share_password=True)]),
        ["network_shares[0].share_password must be a string, not a boolean"],
    ),
    (
        "share name dict",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, name={"a": 1})]),
        ["network_shares[0].name must be a string, not a dict"],
    ),
    (
        "encryption yes",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", encryption="yes")]),
        ["encryption", "dict"],
    ),
    (
        "passphrase list",
        STORAGE,
        CAMERA,
        dict(disks=[dict(disk_id="SD_DISK", encryption=dict(passphrase=["first-phrase"]))]),
        ["disks[0].encryption.passphrase must be a string, not a list"],
    ),
    ("disks not a list of dicts", STORAGE, CAMERA, dict(network_shares=[SHARE], disks=["SD_DISK"]), ["disks"]),
    (
        "storage_limit not a dict",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", storage_limit="2 GB")]),
        ["storage_limit"],
    ),
    # --- every nested option checked by the argument spec -------------------------------------
    (
        "item key typo",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", cleanup_maxage=3)]),
        ["disks[0]: unsupported parameter cleanup_maxage", "Supported parameters include: alert_levels"],
    ),
    (
        "filesystem choice",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", filesystem="ntfs")]),
        ["disks[0]: value of filesystem must be one of: ext4, vfat, cifs, got: ntfs"],
    ),
    (
        "alert levels key typo",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", alert_levels=dict(temp=330))]),
        ["disks[0]: unsupported parameter alert_levels.temp", "temperature, wear"],
    ),
    (
        "encryption key typo",
        STORAGE,
        CAMERA,
        dict(
            network_shares=[SHARE],
            disks=[dict(disk_id="SD_DISK", encryption=dict(passphrase=PASSPHRASE, pasphrase="x"))],
        ),
        ["disks[0]: unsupported parameter encryption.pasphrase", "old_passphrase, passphrase, state"],
    ),
    (
        "encryption without passphrase",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", encryption=dict(state="enabled"))]),
        # an unencrypted disk needs one (an encrypted disk keeps its own): found before any write
        ["disk SD_DISK needs passphrase with state=enabled", "Nothing was changed"],
    ),
    (
        "limit size and percent",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", storage_limit=dict(size="2 GB", percent=50))]),
        ["disks[0]: parameters are mutually exclusive: size|percent"],
    ),
    (
        "share without address",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(name="nas", share="recordings")]),
        ["network_shares[0]: state is present but all of the following are missing: address"],
    ),
    (
        "profile without disk",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], recording_profiles=[dict(stream_options=dict(fps=15))]),
        ["recording_profiles[0]: missing required arguments: disk_id"],
    ),
    # --- every range and rule the single modules check, for every item ------------------------
    (
        "alert wear",
        STORAGE,
        CAMERA,
        dict(
            network_shares=[SHARE],
            disks=[dict(disk_id="SD_DISK"), dict(disk_id="NetworkShare", alert_levels=dict(wear=101))],
        ),
        ["disks[1].alert_levels.wear=101", "from 0 to 100", "(disk NetworkShare)"],
    ),
    (
        "limit unit",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, storage_limit=dict(size="5 XB"))]),
        ["network_shares[0].storage_limit.size='5 XB'", "unknown unit", "kB, MB, GB, TB"],
    ),
    (
        "limit percent",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", storage_limit=dict(percent=120))]),
        ["disks[0].storage_limit.percent=120", "at most 100"],
    ),
    (
        "limit absurd",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, storage_limit=dict(size="99999999 TB"))]),
        ["network_shares[0].storage_limit.size=99999999 TB", "more than any disk or share holds"],
    ),
    (
        "passphrase too long",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", encryption=dict(passphrase="x" * 513))]),
        ["disks[0].encryption.passphrase is 513 bytes long", "at most 512"],
    ),
    (
        "passphrase with disabled",
        STORAGE,
        CAMERA,
        dict(
            network_shares=[SHARE],
            disks=[dict(disk_id="SD_DISK", encryption=dict(state="disabled", passphrase=PASSPHRASE))],
        ),
        ["disks[0].encryption.passphrase only applies to state=enabled"],
    ),
    (
        "share id",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE, dict(share_id="all", state="absent")]),
        ["network_shares[1].share_id='all'", "[A-Za-z0-9-]+"],
    ),
    (
        "update_password verify without password",
        STORAGE,
        CAMERA,
        dict(network_shares=[dict(SHARE, share_password=None, update_password="verify")]),
        ["network_shares[0].update_password=verify needs share_password", "on_create, always, verify"],
    ),
    (
        "friendly name control characters",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", friendly_name="a\x07b")]),
        ["disks[0].friendly_name=", "control characters"],
    ),
    (
        "filesystem contradicts required",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", filesystem="vfat", required_filesystem="ext4")]),
        ["disks[0].filesystem=vfat contradicts required_filesystem=ext4"],
    ),
    (
        "stream option value",
        STORAGE,
        CAMERA,
        dict(
            network_shares=[SHARE], recording_profiles=[dict(disk_id="SD_DISK", stream_options=dict(videocodec="h246"))]
        ),
        ["recording_profiles[0].stream_options.videocodec='h246'", "one of h264, h265", "did you mean 'h264'?"],
    ),
    (
        "stream option device",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], recording_profiles=[dict(disk_id="SD_DISK", stream_options=dict(device="cam"))]),
        ["recording_profiles[0].stream_options.device"],
    ),
    (
        "empty profile",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], recording_profiles=[dict(disk_id="SD_DISK", stream_options={})]),
        ["recording_profiles[0].stream_options is empty"],
    ),
    (
        "job_timeout",
        STORAGE,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK")], job_timeout=0),
        ["job_timeout=0 must be a positive number"],
    ),
    (
        "external device port",
        STORAGE,
        RECORDER,
        dict(
            external_devices=[
                dict(id="door", address="192.0.2.31", device_username="rec", device_password="pw", device_port=70000)
            ]
        ),
        ["external_devices[0].device_port=70000", "from 0 to 65535"],
    ),
    (
        "external device address",
        STORAGE,
        RECORDER,
        dict(external_devices=[dict(id="door", address="not an address", device_username="rec", device_password="pw")]),
        ["external_devices[0].address='not an address'", "host name"],
    ),
    (
        "external device later item",
        STORAGE,
        RECORDER,
        dict(
            external_devices=[dict(id="door", address="192.0.2.31", device_username="rec", device_password="pw")],
            recording_profiles=[dict(disk_id="HDD_DISK", device="door", stream_options=dict(fps="fast"))],
        ),
        ["recording_profiles[0].stream_options.fps='fast'", "an integer"],
    ),
    # --- the single-purpose modules ----------------------------------------------------------
    ("axis_disk cleanup_max_age", Disk, CAMERA, dict(disk_id="SD_DISK", cleanup_max_age=9999), ["from 0 to 7000"]),
    (
        "axis_disk temperature",
        Disk,
        CAMERA,
        dict(disk_id="SD_DISK", alert_levels=dict(temperature=60)),
        ["from 273 to 423"],
    ),
    ("axis_storage_limit minimum", StorageLimit, CAMERA, dict(disk_id="SD_DISK", size="10 MB"), ["minimum"]),
    (
        "axis_storage_limit absurd",
        StorageLimit,
        CAMERA,
        dict(disk_id="SD_DISK", size="99999999 TB"),
        ["more than any disk or share holds"],
    ),
    (
        "axis_networkshare password list",
        NetworkShare,
        CAMERA,
        dict(SHARE, share_password=["alpha-1", "beta-2"]),
        ["share_password must be a string, not a list"],
    ),
    (
        "axis_continuous_recording typo",
        ContinuousRecording,
        CAMERA,
        dict(disk_id="SD_DISK", stream_options=dict(fsp=15)),
        ["unknown option 'fsp'"],
    ),
    (
        "axis_encryption passphrase bool",
        Encryption,
        CAMERA,
        dict(disk_id="SD_DISK", passphrase=True),
        ["passphrase must be a string, not a boolean"],
    ),
    (
        "axis_external_device port",
        ExternalDevice,
        RECORDER,
        dict(id="door", address="192.0.2.31", device_username="rec", device_password="pw", device_port=70000),
        ["from 0 to 65535"],
    ),
]

NAMES = {DeviceStorage: "vapix.edge_storage.axis_storage"}
# Not the factory "pass": Ansible masks no_log values wherever they appear, also inside words.
ROOT_PASSWORD = "Root-Pw-9931"


@pytest.fixture(autouse=True)
def root_password(request, factory_fresh_devices):
    if "sim" in request.fixturenames:
        sim = request.getfixturevalue("sim")
        for index in (CAMERA, RECORDER):
            sim.set_password(index, ROOT_PASSWORD)


def connection(sim, index):
    return dict(host="127.0.0.1", port=sim.port(index), username="root", password=ROOT_PASSWORD, timeout=5)


def run_controller(sim, resource_cls, index, options, check_mode=False, diff=True):
    """The in-controller path (the action plugin's run_in_process)."""
    args = dict(connection(sim, index), **options)
    return run_in_process(
        resource_cls, args, NAMES.get(resource_cls, resource_cls.__name__), check_mode=check_mode, diff=diff
    )


def run_module_path(sim, resource_cls, index, options, capsys, check_mode=False):
    """The shipped-module path: AnsibleModule and run_module, with the module's output."""
    args = dict(connection(sim, index), **options)
    if check_mode:
        args["_ansible_check_mode"] = True
    if CORE_VERSION >= (2, 21):
        # ansible-core 2.21 leaves `invocation` out of module results unless asked (INJECT_INVOCATION)
        args["_ansible_inject_invocation"] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            _module.run_module(resource_cls)
    out = capsys.readouterr().out
    return out, json.loads(out)


@pytest.mark.parametrize("name,resource_cls,index,options,fragments", BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_refused_before_any_write(sim, name, resource_cls, index, options, fragments):
    sim.clear_log(index)
    result = run_controller(sim, resource_cls, index, options)
    assert result["failed"] is True, result
    assert result.get("changed") is not True
    for fragment in fragments:
        assert fragment in result["msg"], result["msg"]
    assert sim.writes(index) == [], "%s caused writes" % name
    assert "Traceback" not in json.dumps(result)


@pytest.mark.parametrize(
    "case",
    ["cleanup_max_age", "share password list", "encryption yes", "limit absurd", "axis_networkshare password list"],
)
def test_bad_input_on_the_module_path_too(sim, capsys, case):
    _name, resource_cls, index, options, fragments = [c for c in BAD_INPUT if c[0] == case][0]
    sim.clear_log(index)
    _out, result = run_module_path(sim, resource_cls, index, options, capsys)
    assert result["failed"] is True
    for fragment in fragments:
        assert fragment in result["msg"], result["msg"]
    assert sim.writes(index) == []


def test_an_error_in_the_last_item_sends_no_request_at_all(sim):
    """Checks that need no device data are made before the first request, not only the first write."""
    sim.clear_log(CAMERA)
    result = run_controller(
        sim,
        DeviceStorage,
        CAMERA,
        dict(
            network_shares=[SHARE],
            disks=[dict(disk_id="SD_DISK", cleanup_max_age=30)],
            recording_profiles=[PROFILE, dict(PROFILE, event_id="second", stream_options=dict(fps=-1))],
        ),
    )
    assert result["failed"] is True
    assert "recording_profiles[1].stream_options.fps='-1'" in result["msg"]
    assert "(recording_profile SD_DISK/second)" in result["msg"]
    assert sim.log(CAMERA) == []


def test_check_mode_refuses_the_same_input(sim):
    sim.clear_log(CAMERA)
    result = run_controller(
        sim,
        DeviceStorage,
        CAMERA,
        dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", alert_levels=dict(temperature=60))]),
        check_mode=True,
    )
    assert result["failed"] is True
    assert "disks[0].alert_levels.temperature=60" in result["msg"]
    assert sim.log(CAMERA) == []


def test_a_valid_declaration_still_applies(sim):
    result = run_controller(
        sim,
        DeviceStorage,
        CAMERA,
        dict(
            network_shares=[dict(SHARE, storage_limit=dict(size="100 GB"))],
            disks=[
                dict(
                    disk_id="SD_DISK",
                    cleanup_max_age=30,
                    alert_levels=dict(temperature=343),
                    storage_limit=dict(size="2 GB"),
                )
            ],
            recording_profiles=[PROFILE],
        ),
    )
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    state = sim.state(CAMERA)
    assert state["disks"]["SD_DISK"]["cleanup_max_age"] == 30
    assert state["disks"]["SD_DISK"]["storage_limit_kb"] == 2 * 1024 * 1024
    assert state["disks"]["NetworkShare"]["storage_limit_kb"] == 100 * 1024 * 1024


# --- a limit larger than its disk ------------------------------------------------------------


def sd_total_kb(sim):
    return sim.state(CAMERA)["disks"]["SD_DISK"]["total_kb"]


def test_axis_storage_refuses_a_limit_larger_than_the_disk_before_any_write(sim):
    total = sd_total_kb(sim)
    sim.clear_log(CAMERA)
    result = run_controller(
        sim,
        DeviceStorage,
        CAMERA,
        dict(
            network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", cleanup_max_age=30, storage_limit=dict(size="1 TB"))]
        ),
    )
    assert result["failed"] is True
    msg = result["msg"]
    assert "disks[0].storage_limit.size=1 TB is 1073741824 kB (1.0 TB)" in msg
    assert "larger than disk SD_DISK, which holds %d kB" % total in msg
    assert sim.writes(CAMERA) == []
    assert [entry["cgi"] for entry in sim.log(CAMERA) if entry["status"] == 200] == ["disks/list.cgi"]


def test_axis_storage_limit_refuses_a_limit_larger_than_the_disk(sim):
    total = sd_total_kb(sim)
    sim.clear_log(CAMERA)
    result = run_controller(sim, StorageLimit, CAMERA, dict(disk_id="SD_DISK", size="%d" % (total + 1)))
    assert result["failed"] is True
    assert "is %d kB" % (total + 1) in result["msg"]
    assert "which holds %d kB" % total in result["msg"]
    assert sim.writes(CAMERA) == []
    # a limit that fits is set
    assert run_controller(sim, StorageLimit, CAMERA, dict(disk_id="SD_DISK", size="%d" % total))["changed"] is True


def test_a_limit_on_an_unbound_share_is_set_with_a_warning(sim):
    """The device reports no size for a NetworkShare disk without a bound share: documented choice."""
    result = run_controller(sim, StorageLimit, CAMERA, dict(disk_id="NetworkShare", size="500 GB"))
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    assert any("could not be compared with the size of disk NetworkShare" in w for w in result["warnings"])
    assert sim.state(CAMERA)["disks"]["NetworkShare"]["storage_limit_kb"] == 500 * 1024 * 1024


def test_a_share_limit_is_compared_once_the_share_is_bound(sim):
    """Before the share is bound the device reports no size (or another share's): the limit itself
    compares it after the bind, and the task says what was already done."""
    result = run_controller(
        sim, DeviceStorage, CAMERA, dict(network_shares=[dict(SHARE, storage_limit=dict(size="900 TB"))])
    )
    assert result["failed"] is True
    share_total = sim.state(CAMERA)["disks"]["NetworkShare"]["total_kb"]
    assert "network_share nas" in [e["resource"] for e in result["resources"] if e.get("changed")]
    assert "larger than disk NetworkShare, which holds %d kB" % share_total in result["msg"]
    assert "record/storage/setlimit.cgi" not in sim.written_cgis(CAMERA)


# --- secrets: masked by Ansible from the nested no_log options, on both paths -------------------


def secret_declaration():
    return dict(
        network_shares=[dict(SHARE, update_password="always")],
        disks=[dict(disk_id="SD_DISK", encryption=dict(passphrase=PASSPHRASE), filesystem="ext4")],
        allow_data_loss=True,
    )


def test_nested_secrets_are_marked_no_log_in_the_argument_spec():
    assert ARGUMENT_SPEC["network_shares"]["options"]["share_password"]["no_log"] is True
    assert ARGUMENT_SPEC["disks"]["options"]["encryption"]["options"]["passphrase"]["no_log"] is True
    assert ARGUMENT_SPEC["disks"]["options"]["encryption"]["options"]["old_passphrase"]["no_log"] is True
    assert ARGUMENT_SPEC["external_devices"]["options"]["device_password"]["no_log"] is True
    assert not hasattr(DeviceStorage, "secret_values")  # nothing collected by hand


def test_secrets_are_masked_on_the_controller_path(sim):
    result = run_controller(sim, DeviceStorage, CAMERA, secret_declaration(), check_mode=True)
    text = json.dumps(result)
    assert SHARE_PASSWORD not in text and PASSPHRASE not in text
    assert (
        result["invocation"]["module_args"]["network_shares"][0]["share_password"]
        == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    )


def test_secrets_are_masked_on_the_module_path(sim, capsys):
    out, result = run_module_path(sim, DeviceStorage, CAMERA, secret_declaration(), capsys, check_mode=True)
    assert result.get("failed") is not True, result.get("msg")
    assert SHARE_PASSWORD not in out and PASSPHRASE not in out
    assert (
        result["invocation"]["module_args"]["disks"][0]["encryption"]["passphrase"]
        == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    )


def test_the_collections_own_messages_mask_nested_secrets_too():
    device = DeviceSession.from_params(
        dict(
            host="127.0.0.1",
            port=1,
            username="root",
            password="pass",
            use_https=False,
            validate_certs=True,
            ca_path=None,
            timeout=1,
        )
    )
    DeviceStorage(
        device, dict(network_shares=[SHARE], disks=[dict(disk_id="SD_DISK", encryption=dict(passphrase=PASSPHRASE))])
    )
    masked = device.client.secrets.mask("share %s, disk %s" % (SHARE_PASSWORD, PASSPHRASE))
    assert SHARE_PASSWORD not in masked and PASSPHRASE not in masked


# --- the strict string check itself -----------------------------------------------------------


def test_strict_types_accept_numbers_and_refuse_containers():
    spec = dict(
        name=dict(type="str"),
        secret=dict(type="str", no_log=True),
        flag=dict(type="bool"),
        items=dict(type="list", elements="dict", options=dict(pw=dict(type="str", no_log=True))),
    )
    assert strict_type_errors(spec, dict(name=1234, secret=5678, flag=True, items=[dict(pw=1)])) == []
    assert strict_type_errors(spec, dict(name=True)) == []  # "True" is a name, if an odd one
    assert strict_type_errors(spec, dict(name=["a"], secret=False, items=[dict(pw="ok"), dict(pw={"a": 1})])) == [
        "name must be a string, not a list",
        "secret must be a string, not a boolean (quote it)",
        "items[1].pw must be a string, not a dictionary",
    ]


# --- the role's argument spec describes the same nested options ---------------------------------

ROLE_SPEC = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "..", "roles", "storage", "meta", "argument_specs.yml"
)
COMPARED = ("type", "elements", "default", "choices", "required", "no_log")


def _shape(spec, nested_key):
    shape = {}
    for name, option in spec.items():
        entry = dict((key, option[key]) for key in COMPARED if option.get(key) not in (None, False))
        for rule in ("required_if", "mutually_exclusive", "required_one_of"):
            if option.get(rule):
                entry[rule] = json.loads(json.dumps(option[rule]))  # tuples and lists alike
        if option.get(nested_key):
            entry["options"] = _shape(option[nested_key], nested_key)
        shape[name] = entry
    return shape


def test_the_roles_argument_spec_matches_the_modules_nested_spec():
    with open(ROLE_SPEC) as handle:
        role = yaml.safe_load(handle)["argument_specs"]["main"]["options"]["axis_storage"]["options"]
    module = dict((name, ARGUMENT_SPEC[name]) for name in role)
    assert _shape(role, "options") == _shape(module, "options")


@pytest.mark.parametrize("path", ["controller", "module"])
def test_argument_spec_errors_name_the_item(sim, capsys, path):
    options = dict(
        network_shares=[SHARE],
        purge="sometimes",
        disks=[dict(disk_id="SD_DISK"), dict(disk_id="SD_DISK2", filesystem="ntfs", cleanup_maxage=3)],
    )
    if path == "controller":
        result = run_controller(sim, DeviceStorage, CAMERA, options)
    else:
        result = run_module_path(sim, DeviceStorage, CAMERA, options, capsys)[1]
    assert result["failed"] is True
    assert "disks[1]: value of filesystem must be one of: ext4, vfat, cifs, got: ntfs" in result["msg"]
    assert "disks[1]: unsupported parameter cleanup_maxage" in result["msg"]
    assert "'purge'" in result["msg"]  # an error outside the items is not lost
    assert "disks[0]" not in result["msg"]
    assert result["error_kind"] == "input"
    assert sim.log(CAMERA) == []
