"""The simulator's answers have the shapes real devices sent (issue: real captures as the
simulator's reference).

The captures live in `../shared/real-captures/` beside the repository (real_captures.py finds
them, and skips or, with CI=true, fails this module without them; see the folder's README):
  p3265-v_12.11.77            AXIS P3265-V, AXIS OS 12.11.77 (github.com/Cacsjep/oadm, tests/)
  companion-bullet-le_9.80.2.2 AXIS Companion Bullet LE, AXIS OS 9.80.2.2
                              (github.com/trunnion/vapix, fixtures/recordings/ACCC8EF7DE6B)
  p5512_5.51.7                AXIS P5512, firmware 5.51.7
                              (github.com/trunnion/vapix, fixtures/recordings/00408CFB6888)

Each test asks a simulated device of the same generation the same question over HTTP and
compares STRUCTURE: element and attribute names and their order, whitespace between elements,
JSON keys and their order, parameter names and their order, status codes, content types and
authentication headers. Values (sizes, serials, ids) may differ, except where the value is
the quirk itself (apiVersion 1.3, "status": "official", cleanuplevel 90 on an unbound share).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests
from real_captures import captures_dir
from requests.auth import HTTPBasicAuth

from vapix_sim.model import DEFAULT_PASSWORDS

CAPTURES = Path(captures_dir())
V12 = CAPTURES / "p3265-v_12.11.77"
V980 = CAPTURES / "companion-bullet-le_9.80.2.2"
V551 = CAPTURES / "p5512_5.51.7"

GENERATIONS = {"12.11": 0, "9.80": 1, "5.51": 2}


def capture(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


@pytest.fixture
def fleet(fleet_factory):  # noqa: F811
    """One camera per generation, in GENERATIONS order."""
    return fleet_factory(devices=3, firmware="12.11,9.80,5.51")


def get(fleet, generation, path, **params):
    return fleet.session().get(fleet.cgi_url(path, GENERATIONS[generation]), params=params, timeout=10)


def post_json(fleet, generation, path, payload, auth=True):
    url = fleet.cgi_url(path, GENERATIONS[generation])
    if auth:
        return fleet.session().post(url, json=payload, timeout=10)
    return requests.post(url, json=payload, timeout=10)


# --- disks/list.cgi ------------------------------------------------------------------------


def skeleton(xml_text: str) -> str:
    """The document with every attribute value emptied: names, order and whitespace remain."""
    return re.sub(r'="[^"]*"', '=""', xml_text)


def disk_attribute_names(xml_text: str) -> list:
    root = ET.fromstring(xml_text)
    return [list(disk.attrib) for disk in root.iter("disk")]


@pytest.mark.parametrize("generation, folder", [("12.11", V12), ("9.80", V980)])
def test_disk_list_has_the_real_shape(fleet, generation, folder):
    real = capture(folder, "disks_list.xml")
    if generation == "9.80":
        # The 9.80 capture's share is bound: bind the simulated one too (same status shape).
        device = fleet.device(GENERATIONS[generation])
        share = device.disks["NetworkShare"]
        share.present, share.mounted, share.total_kb = True, True, 1024 * 1024
    answer = get(fleet, generation, "disks/list.cgi", diskid="all")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/xml"
    assert skeleton(answer.text) == skeleton(real)
    assert disk_attribute_names(answer.text) == disk_attribute_names(real)


def test_unbound_share_on_axis_os_12_is_listed_like_the_capture(fleet):
    def share(text):
        return next(d.attrib for d in ET.fromstring(text).iter("disk") if d.attrib["diskid"] == "NetworkShare")

    real = share(capture(V12, "disks_list.xml"))
    simulated = share(get(fleet, "12.11", "disks/list.cgi", diskid="all").text)
    for name in ("totalsize", "freesize", "cleanuplevel", "status", "filesystem"):
        assert simulated[name] == real[name], name


def test_disk_list_on_551_has_the_older_attribute_set(fleet):
    """No 5.51 capture of list.cgi: the 9.80 shape without the attributes of features 5.51
    lacks (encryption, required file system); same whitespace."""
    real = disk_attribute_names(capture(V980, "disks_list.xml"))[0]
    answer = get(fleet, "5.51", "disks/list.cgi", diskid="all")
    names = disk_attribute_names(answer.text)[0]
    assert names == [n for n in real if n not in ("requiredfilesystem", "encryptionenabled", "diskencrypted")]
    assert '<disks numberofdisks="2" >  <disk ' in answer.text


# --- API discovery ---------------------------------------------------------------------------


def entry_shapes(document: dict) -> set:
    return {tuple(entry) for entry in document["data"]["apiList"]}


@pytest.mark.parametrize("generation, folder", [("12.11", V12), ("9.80", V980)])
def test_api_discovery_has_the_real_shape(fleet, generation, folder):
    real = json.loads(capture(folder, "apidiscovery.json"))
    answer = post_json(
        fleet, generation, "apidiscovery.cgi", {"apiVersion": real["apiVersion"], "method": "getApiList"}, auth=False
    )
    assert answer.status_code == 200
    simulated = answer.json()
    assert list(simulated) == list(real)
    assert list(simulated["data"]) == list(real["data"])
    assert entry_shapes(simulated) == entry_shapes(real)
    real_statuses = {e.get("status") for e in real["data"]["apiList"]}
    assert {e.get("status") for e in simulated["data"]["apiList"]} <= real_statuses
    # Versions and names of the APIs the simulator has are the generation's.
    real_entries = {(e["id"], e["version"], e["name"]) for e in real["data"]["apiList"]}
    for entry in simulated["data"]["apiList"]:
        assert (entry["id"], entry["version"], entry["name"]) in real_entries, entry
    ids = [e["id"] for e in simulated["data"]["apiList"]]
    real_ids = [e["id"] for e in real["data"]["apiList"]]
    assert (len(ids) > len(set(ids))) == (len(real_ids) > len(set(real_ids)))


def test_no_api_discovery_on_551_is_the_real_404_page(fleet):
    answer = post_json(fleet, "5.51", "apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"}, auth=False)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].lower().startswith("text/html")
    assert answer.text == capture(V551, "apidiscovery_404.html")


# --- Basic device information ----------------------------------------------------------------


def test_basic_device_info_on_axis_os_12_has_the_real_shape(fleet):
    real = json.loads(capture(V12, "basicdeviceinfo.json"))
    answer = post_json(
        fleet, "12.11", "basicdeviceinfo.cgi", {"apiVersion": "1.0", "context": "c", "method": "getAllProperties"}
    )
    assert answer.status_code == 200
    simulated = answer.json()
    assert list(simulated) == list(real)
    assert simulated["apiVersion"] == real["apiVersion"]
    assert list(simulated["data"]) == list(real["data"])
    assert list(simulated["data"]["propertyList"]) == list(real["data"]["propertyList"])


def test_no_basic_device_info_on_551(fleet):
    answer = post_json(fleet, "5.51", "basicdeviceinfo.cgi", {"apiVersion": "1.0", "method": "getAllProperties"})
    assert answer.status_code == 404


# --- 401 -------------------------------------------------------------------------------------


def parse_head(text: str) -> tuple:
    lines = text.splitlines()
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    return status, headers


AUTH_HEADERS = ("content-type", "x-content-type-options", "x-frame-options", "x-xss-protection", "referrer-policy")


def challenge_shape(value: str) -> tuple:
    """('Digest', [param names in order]) of one WWW-Authenticate value."""
    scheme, _, rest = value.partition(" ")
    return scheme, re.findall(r"([A-Za-z-]+)=", re.sub(r'"[^"]*"', '""', rest))


def compare_401(answer, real_text: str) -> None:
    status, headers = parse_head(real_text)
    assert answer.status_code == status == 401
    simulated = answer.raw.headers
    assert [challenge_shape(v) for v in simulated.getlist("WWW-Authenticate")] == [
        challenge_shape(v) for v in headers["www-authenticate"]
    ]
    for name in AUTH_HEADERS:
        assert simulated.get(name) == headers[name][0], name


def test_401_over_http_on_axis_os_12(fleet):
    answer = requests.get(fleet.cgi_url("disks/list.cgi", 0), timeout=10)
    compare_401(answer, capture(V12, "401_http_headers.txt"))
    assert answer.json()["error"]["code"] == 401


def test_401_over_https_on_axis_os_12_offers_basic_only(fleet_factory):  # noqa: F811
    secure = fleet_factory(https=True, firmware="12.11")
    url = secure.cgi_url("disks/list.cgi")
    answer = requests.get(url, verify=secure.config.ca_file, timeout=10)
    compare_401(answer, capture(V12, "401_https_headers.txt"))
    assert (
        requests.get(
            url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), verify=secure.config.ca_file, timeout=10
        ).status_code
        == 200
    )


# --- param.cgi -------------------------------------------------------------------------------


def param_names(text: str, group: str) -> list:
    """Names (without root.) of the lines of `group`, in order."""
    names = []
    for line in text.splitlines():
        name = line.partition("=")[0]
        name = name[5:] if name.startswith("root.") else name
        if name.startswith(group + ".") and "." not in name[len(group) + 1 :]:
            names.append(name)
    return names


def listed_params(fleet, generation) -> str:
    answer = get(fleet, generation, "param.cgi", action="list")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    return answer.text


# Groups whose every parameter the simulator has: names and order must match exactly.
EXACT_GROUPS = ("Brand", "Properties.LocalStorage", "Properties.NetworkShare", "Storage.S0", "Storage.S1")


@pytest.mark.parametrize("generation, folder", [("9.80", V980), ("5.51", V551)])
def test_parameter_list_has_the_real_names_and_order(fleet, generation, folder):
    real = capture(folder, "param_list.txt")
    if generation == "9.80":
        share = fleet.device(GENERATIONS[generation]).disks["NetworkShare"]
        share.present, share.mounted = True, True
    simulated = listed_params(fleet, generation)
    groups = EXACT_GROUPS + (("Storage.S2",) if generation == "9.80" else ())
    for group in groups:
        assert param_names(simulated, group) == param_names(real, group), group
    # Firmware identity: what the simulator has, in the real order.
    real_firmware = param_names(real, "Properties.Firmware")
    assert param_names(simulated, "Properties.Firmware") == [
        n for n in real_firmware if n in param_names(simulated, "Properties.Firmware")
    ]
    assert "Properties.Firmware.Version" in param_names(simulated, "Properties.Firmware")
    # The number of video channels is where real devices have it.
    assert "ImageSource.NbrOfSources" in param_names(real, "ImageSource")
    assert "ImageSource.NbrOfSources" in param_names(simulated, "ImageSource")
    assert all(line.startswith("root.") for line in simulated.splitlines())


def test_storage_group_on_axis_os_12_has_the_real_names(fleet):
    real = capture(V12, "param_storage_s0.txt")
    answer = get(fleet, "12.11", "param.cgi", action="list", group="root.Storage.S0")
    assert param_names(answer.text, "Storage.S0") == param_names(real, "Storage.S0")
    hardening = capture(V12, "param_hardening.txt")
    simulated = listed_params(fleet, "12.11")
    for group in ("Properties.LocalStorage", "Properties.Firmware"):
        assert set(param_names(hardening, group)) <= set(param_names(simulated, group)), group


def test_mixed_error_list_on_axis_os_12_has_the_real_lines(fleet):
    """param_list_mixed_error.txt: parameters asked for without `root.` come back without it,
    around the error line of the missing group."""
    real = capture(V12, "param_list_mixed_error.txt").splitlines()
    answer = get(
        fleet, "12.11", "param.cgi", action="list", group="Brand.ProdNbr,Does.Not.Exist,Properties.Firmware.Version"
    )
    lines = answer.text.splitlines()
    assert len(lines) == len(real)
    assert lines[1] == real[1]
    for simulated, recorded in ((lines[0], real[0]), (lines[2], real[2])):
        assert not simulated.startswith("root.") and not recorded.startswith("root.")
        assert re.fullmatch(r"[A-Za-z0-9.]+=.*", simulated)
