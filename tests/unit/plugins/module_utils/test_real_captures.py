# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client's parsing fed with answers real Axis devices sent, byte for byte.

The captures live beside the checkout, in `../shared/real-captures/` (never copied here; the
simulator's tests/real_captures.py finds them, and skips this module without them, or fails it
with CI=true); its README names where each folder comes from:

- `p3265-v_12.11.77`: AXIS P3265-V, AXIS OS 12.11.77, from github.com/Cacsjep/oadm (test fixtures
  under `tests/`)
- `companion-bullet-le_9.80.2.2`: AXIS Companion Bullet LE, AXIS OS 9.80.2.2, from
  github.com/trunnion/vapix (`fixtures/recordings/ACCC8EF7DE6B v9.80.2.2.json`)
- `p5512_5.51.7`: AXIS P5512, firmware 5.51.7, from github.com/trunnion/vapix
  (`fixtures/recordings/00408CFB6888 v5.51.7.json`)

Each file is served over HTTP (the `responses` fake) with the status and content type the
device used, and read through VapixClient, Capabilities and the list helpers: the parsing
under test is the collection's own. Every file of the folder must have a check here.
"""

import json
import os
import sys

import pytest
import responses

# The one helper that locates the captures: the simulator's test helpers sit next to the
# collection, in a checkout and in the tree ansible-test builds for the units.
SIM_TESTS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "tools", "simulator", "tests")
if os.path.isdir(SIM_TESTS) and os.path.abspath(SIM_TESTS) not in sys.path:
    sys.path.append(os.path.abspath(SIM_TESTS))

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import list_disks  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession  # noqa: E402
from real_captures import captures_dir  # noqa: E402

CAPTURES = captures_dir()

HOST = "192.0.2.10"
HTTP = "http://%s:80/axis-cgi/" % HOST
HTTPS = "https://%s:443/axis-cgi/" % HOST
P3265 = "p3265-v_12.11.77"
COMPANION = "companion-bullet-le_9.80.2.2"
P5512 = "p5512_5.51.7"


def raw(folder, name):
    with open(os.path.join(CAPTURES, folder, name), "rb") as handle:
        return handle.read()


def capture_files():
    root = CAPTURES
    return sorted(
        "%s/%s" % (folder, name)
        for folder in os.listdir(root)
        if os.path.isdir(os.path.join(root, folder))
        for name in os.listdir(os.path.join(root, folder))
    )


def session(use_https=False):
    client = VapixClient(HOST, None, "root", "pass", use_https=use_https, sleep=lambda seconds: None)
    return DeviceSession(client)


def called():
    return [call.request.url.split("/axis-cgi/")[1].split("?")[0] for call in responses.calls]


def serve_params(folder, name):
    """param.cgi as a device answers `action=list&group=...`: the requested groups' lines in stored
    order, an error line for a group it does not have."""
    lines = raw(folder, name).decode("utf-8").splitlines()

    def reply(request):
        groups = request.params.get("group", "").split(",")
        out = []
        for group in groups:
            wanted = group.removeprefix("root.")
            found = [
                line
                for line in lines
                if "=" in line and (line.split("=", 1)[0] == "root." + wanted or line.startswith("root.%s." % wanted))
            ]
            out.extend(found or ["# Error: Error -1 getting param in group '%s'" % group])
        return 200, {"Content-Type": "text/plain"}, "\n".join(out) + "\n"

    responses.add_callback(responses.GET, HTTP + "param.cgi", callback=reply)


def serve_404(cgi, method=responses.POST):
    """A CGI the firmware lacks: the 404 HTML page firmware 5.51 sends (its URL names apidiscovery)."""
    responses.add(method, HTTP + cgi, body=raw(P5512, "apidiscovery_404.html"), status=404, content_type="text/html")


# --- disks/list.cgi ---------------------------------------------------------------------------


@responses.activate
def check_p3265_disks():
    # irregular whitespace (`numberofdisks="2" >`, text between elements) as the device sends it
    responses.add(responses.GET, HTTP + "disks/list.cgi", body=raw(P3265, "disks_list.xml"), content_type="text/xml")
    disks = list_disks(session())
    assert list(disks) == ["SD_DISK", "NetworkShare"]
    sd, share = disks["SD_DISK"], disks["NetworkShare"]
    assert (sd["total_kb"], sd["free_kb"], sd["filesystem"], sd["group"], sd["status"], sd["mounted"]) == (
        116109324,
        115702476,
        "ext4",
        "S0",
        "OK",
        True,
    )
    assert (sd["cleanup_max_age"], sd["cleanup_policy"], sd["required_filesystem"]) == (7, "fifo", "none")
    assert (sd["encryption_enabled"], sd["encrypted"], sd["locked"], sd["full"], sd["readonly"]) == (
        False,
        False,
        False,
        False,
        False,
    )
    # an unbound share: disconnected, sizes 0 (and cleanuplevel 90 where the card has 99)
    assert (
        share["total_kb"],
        share["free_kb"],
        share["status"],
        share["mounted"],
        share["filesystem"],
        share["group"],
    ) == (0, 0, "disconnected", False, "cifs", "S1")
    assert (share["cleanup_max_age"], share["cleanup_policy"]) == (7, "fifo")


@responses.activate
def check_companion_disks():
    responses.add(
        responses.GET, HTTP + "disks/list.cgi", body=raw(COMPANION, "disks_list.xml"), content_type="text/xml"
    )
    disks = list_disks(session())
    assert list(disks) == ["SD_DISK", "NetworkShare"]
    sd, share = disks["SD_DISK"], disks["NetworkShare"]
    assert (sd["total_kb"], sd["free_kb"], sd["cleanup_max_age"], sd["cleanup_policy"], sd["filesystem"]) == (
        116109036,
        63126240,
        7000,
        "fifo",
        "ext4",
    )
    assert (
        share["total_kb"],
        share["free_kb"],
        share["status"],
        share["mounted"],
        share["filesystem"],
        share["group"],
    ) == (1073741824, 920987392, "OK", True, "cifs", "S1")
    # Storage.S2 (NetworkShareN0) is in param.cgi only, never a disk of the list
    assert "NetworkShareN0" not in disks


# --- API discovery ------------------------------------------------------------------------------


@responses.activate
def check_p3265_apidiscovery():
    responses.add(
        responses.POST, HTTP + "apidiscovery.cgi", body=raw(P3265, "apidiscovery.json"), content_type="application/json"
    )
    apis = session().caps.apis
    # 72 entries, two ids listed twice (audio-device-control 1.0/2.0, privacy-mask 2.4/3.0)
    assert len(apis) == 70
    assert apis["privacy-mask"] == "3.0" and apis["audio-device-control"] == "2.0"
    assert "straightenimage" in apis  # an entry without status counts as listed
    assert dict(
        (k, apis[k])
        for k in (
            "disk-management",
            "disk-properties",
            "disk-network-share",
            "recording",
            "recording-storage-limit",
            "param-cgi",
            "basic-device-info",
            "api-discovery",
        )
    ) == {
        "disk-management": "1.0",
        "disk-properties": "1.1",
        "disk-network-share": "1.0",
        "recording": "1.0",
        "recording-storage-limit": "1.0",
        "param-cgi": "1.0",
        "basic-device-info": "1.3",
        "api-discovery": "1.1",
    }


@responses.activate
def check_companion_apidiscovery():
    responses.add(
        responses.POST,
        HTTP + "apidiscovery.cgi",
        body=raw(COMPANION, "apidiscovery.json"),
        content_type="application/json",
    )
    caps = session().caps
    assert len(caps.apis) == 33
    assert (caps.apis["disk-properties"], caps.apis["recording-storage-limit"], caps.apis["basic-device-info"]) == (
        "1.1",
        "1.0",
        "1.1",
    )
    assert caps.has("disk-network-share") and not caps.has("ext-ip-dev-info")


@responses.activate
def check_p5512_no_apidiscovery():
    serve_404("apidiscovery.cgi")
    serve_404("basicdeviceinfo.cgi")
    serve_params(P5512, "param_list.txt")
    caps = session().caps
    assert caps.apis == {}
    # without API discovery the Properties.LocalStorage flags tell what firmware 5.51 lacks
    assert caps.supports("recording-storage-limit") is False
    assert caps.supports("disk-encryption") is False
    assert caps.supports("disk-health") is False
    assert caps.supports("recording") is None  # nothing tells: the device decides
    error = caps.missing_feature("disk-encryption", "change the encryption of disk SD_DISK")
    assert error.kind == "unsupported"
    assert "AXIS P5512" in str(error) and "5.51.7" in str(error) and "DiskEncryption" in str(error)


# --- identity -------------------------------------------------------------------------------------


@responses.activate
def check_p3265_basicdeviceinfo():
    # apiVersion 1.3, no method and no context in the answer
    responses.add(
        responses.POST,
        HTTP + "basicdeviceinfo.cgi",
        body=raw(P3265, "basicdeviceinfo.json"),
        content_type="application/json",
    )
    assert session().caps.identity == {
        "model": "P3265-V",
        "firmware": "12.11.77",
        "serial": "B8A44F631339",
        "full_name": "AXIS P3265-V Dome Camera",
        "source": "basicdeviceinfo.cgi",
    }
    assert called() == ["basicdeviceinfo.cgi"]


def device_info(folder):
    """The recording repository's own summary of the device: what param.cgi must give too."""
    return json.loads(raw(folder, "device_info.json").decode("utf-8"))


@responses.activate
def check_companion_identity_from_params():
    # AXIS OS 9.80 has basicdeviceinfo.cgi; the param.cgi fallback must name the same device
    serve_404("basicdeviceinfo.cgi")
    serve_params(COMPANION, "param_list.txt")
    info = device_info(COMPANION)
    identity = session().caps.identity
    assert identity == {
        "model": "C Bullet LE",
        "firmware": info["firmware_version"],
        "serial": info["serial_number"],
        "full_name": "AXIS Companion Bullet LE Network Camera",
        "source": "param.cgi",
    }
    assert (info["model"], info["firmware_version"], info["serial_number"]) == (
        "AXIS Companion Bullet LE",
        "9.80.2.2",
        "ACCC8EF7DE6B",
    )


@responses.activate
def check_p5512_identity_from_params():
    # firmware before AXIS OS 8.40: no basicdeviceinfo.cgi
    serve_404("basicdeviceinfo.cgi")
    serve_params(P5512, "param_list.txt")
    caps = session().caps
    info = device_info(P5512)
    assert caps.identity == {
        "model": "P5512",
        "firmware": info["firmware_version"],
        "serial": info["serial_number"],
        "full_name": "AXIS P5512 PTZ Dome Network Camera",
        "source": "param.cgi",
    }
    assert info["model"] == "AXIS P5512" and info["firmware_version"] == "5.51.7"
    assert caps.describe() == "AXIS P5512 PTZ Dome Network Camera (firmware 5.51.7)"


# --- param.cgi --------------------------------------------------------------------------------


@responses.activate
def check_companion_params():
    serve_params(COMPANION, "param_list.txt")
    device = session()
    caps = device.caps
    assert caps.local_storage == {
        "AutoRepair": "yes",
        "ContinuousRecording": "yes",
        "DiskEncryption": "yes",
        "DiskHealth": "yes",
        "ExportRecording": "yes",
        "FailOverRecording": "yes",
        "LocalStorage": "yes",
        "NbrOfContinuousRecordingProfiles": "1",
        "RequiredFileSystem": "yes",
        "SDCard": "yes",
        "StorageLimit": "yes",
        "Version": "1.00",
    }
    # one sensor, eight views (view areas): camera 1..8 selectable, the profile limit is one sensor's
    assert (caps.image_sources, caps.video_channels) == (1, 8)
    assert len(responses.calls) == 1  # the channel counts come with Properties.LocalStorage
    values = device.client.param_list(["NetworkShare", "Storage"])
    assert (values["NetworkShare.N0.ShareId"], values["NetworkShare.N0.Address"], values["NetworkShare.N0.Share"]) == (
        "76365",
        "172.16.6.50",
        "usirlolum-cameras",
    )
    assert values["NetworkShare.N0.Password"] == "******"
    # the extra group S2 for NetworkShareN0 that disks/list.cgi does not list
    assert (values["Storage.S1.DiskID"], values["Storage.S2.DiskID"], values["Storage.S2.CleanupPolicyActive"]) == (
        "NetworkShare",
        "NetworkShareN0",
        "none",
    )
    assert (values["Storage.S0.CleanupLevel"], values["Storage.S0.CleanupMaxAge"]) == ("90", "7000")
    assert not any(name.startswith("root.") for name in values)


@responses.activate
def check_p5512_params():
    serve_params(P5512, "param_list.txt")
    caps = session().caps
    assert caps.local_storage == {
        "LocalStorage": "yes",
        "Version": "1.00",
        "ContinuousRecording": "yes",
        "NbrOfContinuousRecordingProfiles": "1",
        "FailOverRecording": "yes",
        "SDCard": "yes",
    }
    assert (caps.image_sources, caps.video_channels) == (1, 1)
    values = caps.client.param_list(["Storage"])
    assert (values["Storage.S0.DiskID"], values["Storage.S0.FileSystem"], values["Storage.S0.CleanupMaxAge"]) == (
        "SD_DISK",
        "vfat",
        "7",
    )
    assert (values["Storage.S1.DiskID"], values["Storage.S1.DeviceNode"]) == ("NetworkShare", "NetworkShare:")


@responses.activate
def check_p3265_param_hardening():
    serve_params(P3265, "param_hardening.txt")
    caps = session().caps
    values = caps.client.param_list(["Properties", "Storage", "Network"])
    assert values["Properties.Firmware.Version"] == "12.11.77"
    assert (values["Storage.S0.Enabled"], values["Storage.S1.Enabled"]) == ("yes", "yes")
    assert values["Network.HTTP.AuthenticationPolicy"] == "recommended"
    assert caps.local_storage == {"DiskEncryption": "yes", "SDCard": "yes"}
    assert (caps.image_sources, caps.video_channels) == (None, None)  # not in this extract: unknown


@responses.activate
def check_p3265_param_mixed_error():
    body = raw(P3265, "param_list_mixed_error.txt")
    responses.add(responses.GET, HTTP + "param.cgi", body=body, content_type="text/plain")
    values = session().client.param_list(["Network.BootProto", "Does.Not.Exist", "HTTPS.Enabled"])
    # after an error line the device drops the root. prefix; the names are the same either way
    assert values == {"Network.BootProto": "dhcp", "HTTPS.Enabled": "yes"}


@responses.activate
def check_p3265_param_storage_s0():
    serve_params(P3265, "param_storage_s0.txt")
    device = session()
    reader = Disk(device, {}, check_mode=True)
    values = reader.read_storage_params({"disk_id": "SD_DISK", "group": "S0"}, ["cleanup_level"])
    assert (
        values["Storage.S0.DiskID"],
        values["Storage.S0.CleanupLevel"],
        values["Storage.S0.CleanupMaxAge"],
        values["Storage.S0.CleanupPolicyActive"],
        values["Storage.S0.FileSystem"],
        values["Storage.S0.DeviceNode"],
        values["Storage.S0.MountPointPermissions"],
    ) == ("SD_DISK", "90", "7", "fifo", "ext4", "/dev/sd_disk2", "0770")
    assert len(values) == 14


# --- authentication -----------------------------------------------------------------------------

# Hop-by-hop headers of the capture that describe the capture's own connection (HTTP/2 upgrade,
# chunked framing), not the challenge; the fake cannot replay them.
HOP_BY_HOP = ("connection", "upgrade", "transfer-encoding")


def challenge(folder, name):
    """(status, headers) of a captured 401 answer."""
    lines = raw(folder, name).decode("utf-8").splitlines()
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            if key.strip().lower() not in HOP_BY_HOP and key.strip().lower() != "content-type":
                headers[key.strip()] = value.strip()
    return status, headers


def auth_round(base, folder, name, use_https):
    status, headers = challenge(folder, name)
    answers = iter([(status, headers, "{}"), (200, {}, "root.Properties.Firmware.Version=12.11.77\n")])
    seen = []

    def reply(request):
        seen.append(request.headers.get("Authorization"))
        code, extra, body = next(answers)
        return code, dict(extra, **{"Content-Type": "application/json" if code == 401 else "text/plain"}), body

    responses.add_callback(responses.GET, base + "param.cgi", callback=reply)
    device = session(use_https=use_https)
    assert device.client.param_list(["Properties.Firmware.Version"]) == {"Properties.Firmware.Version": "12.11.77"}
    return device.client, seen


@responses.activate
def check_p3265_401_http():
    client, seen = auth_round(HTTP, P3265, "401_http_headers.txt", use_https=False)
    assert client.auth_scheme == "digest"
    assert seen[0] is None and seen[1].startswith("Digest ")
    assert 'realm="AXIS_B8A44F631339"' in seen[1] and 'qop="auth"' in seen[1]


@responses.activate
def check_p3265_401_https():
    # over HTTPS AXIS OS 12 offers Basic only (a lower-case www-authenticate header, HTTP/2)
    client, seen = auth_round(HTTPS, P3265, "401_https_headers.txt", use_https=True)
    assert client.auth_scheme == "basic"
    assert seen[0] is None and seen[1].startswith("Basic ")


CHECKS = {
    "%s/disks_list.xml" % P3265: check_p3265_disks,
    "%s/apidiscovery.json" % P3265: check_p3265_apidiscovery,
    "%s/basicdeviceinfo.json" % P3265: check_p3265_basicdeviceinfo,
    "%s/param_hardening.txt" % P3265: check_p3265_param_hardening,
    "%s/param_list_mixed_error.txt" % P3265: check_p3265_param_mixed_error,
    "%s/param_storage_s0.txt" % P3265: check_p3265_param_storage_s0,
    "%s/401_http_headers.txt" % P3265: check_p3265_401_http,
    "%s/401_https_headers.txt" % P3265: check_p3265_401_https,
    "%s/disks_list.xml" % COMPANION: check_companion_disks,
    "%s/apidiscovery.json" % COMPANION: check_companion_apidiscovery,
    "%s/param_list.txt" % COMPANION: check_companion_params,
    "%s/device_info.json" % COMPANION: check_companion_identity_from_params,
    "%s/apidiscovery_404.html" % P5512: check_p5512_no_apidiscovery,
    "%s/param_list.txt" % P5512: check_p5512_params,
    "%s/device_info.json" % P5512: check_p5512_identity_from_params,
}


def test_every_capture_has_a_check():
    assert capture_files() == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_capture(name):
    CHECKS[name]()


@responses.activate
def test_a_listed_twice_api_keeps_its_newest_version_in_any_order():
    # the P3265-V list with its entries reversed: the newer major version must still win
    doc = json.loads(raw(P3265, "apidiscovery.json").decode("utf-8"))
    doc["data"]["apiList"].reverse()
    responses.add(responses.POST, HTTP + "apidiscovery.cgi", json=doc)
    apis = session().caps.apis
    assert apis["privacy-mask"] == "3.0" and apis["audio-device-control"] == "2.0"
