# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info: gather_subset, response parsing and error policy (HTTP mocks), and whole
reads of simulated cameras and recorders set up with the other resources."""

import json

import pytest
import responses
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import (
    SUBSETS,
    StorageInfo,
    normalize_health,
    select_subsets,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute, module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession

BASE = "http://192.0.2.10:80/axis-cgi/"
CONN = dict(
    host="192.0.2.10",
    port=80,
    username="root",
    password="pass",
    use_https=False,
    validate_certs=True,
    ca_path=None,
    timeout=5,
)

DISKS = (
    '<?xml version="1.0"?><root><disks numberofdisks="2">'
    '<disk diskid="SD_DISK" name="Door" totalsize="62914560" freesize="62000000" cleanupmaxage="7" '
    'cleanuppolicy="fifo" locked="no" full="no" readonly="no" status="OK" filesystem="ext4" group="S0" '
    'requiredfilesystem="ext4" encryptionenabled="true" diskencrypted="true"/>'
    '<disk diskid="NetworkShare" name="" totalsize="0" freesize="0" cleanupmaxage="7" cleanuppolicy="fifo" '
    'locked="no" full="no" readonly="no" status="disconnected" filesystem="cifs" group="S1" '
    'requiredfilesystem="none" encryptionenabled="false" diskencrypted="false"/></disks></root>'
)
# getcapabilities.cgi as the spec's template shows it (Disk management API, "Get disk capabilities").
CAPABILITIES = (
    '<?xml version="1.0"?><root><disk diskid="%s" requiredfssupported="true" encryptionsupported="false">'
    '<filesystems><filesystem name="vfat" nicename=" " requiredfssupported="false"/>'
    '<filesystem name="ext4" nicename=" " requiredfssupported="true"/></filesystems></disk></root>'
)
ALERT_LEVELS = (
    '<DiskPropertiesResponse SchemaVersion="1.1"><Success><GetAlertLevelsSuccess>'
    '<AlertLevels Wear="%s" Temperature="%s"/></GetAlertLevelsSuccess></Success></DiskPropertiesResponse>'
)
PROPERTIES_ERROR = (
    '<DiskPropertiesResponse SchemaVersion="1.0"><Error><GeneralError><ErrorCode>50</ErrorCode>'
    "<ErrorDescription>Invalid disk ID</ErrorDescription></GeneralError></Error>"
    "</DiskPropertiesResponse>"
)
# gethealth.cgi as the seed's example shows it: rows straight under the root.
HEALTH_FLAT = (
    '<?xml version="1.0" encoding="UTF-8"?><HealthStatusResponse>'
    '<HealthStatus diskid="SD_DISK" wear="25"/><HealthStatus diskid="NetworkShare" wear="-1"/>'
    '<HealthStatus diskid="HDD_DISK" wear="13" temperature="315" overallhealth="1"/>'
    "</HealthStatusResponse>"
)
LIST_ERROR = '<?xml version="1.0"?><root><disks result="ERROR" description="Internal error"/></root>'


def disk_list_after_login(body=DISKS):
    """disks/list.cgi as a device answers it: a challenge first, the list once the credentials
    come (a disk list read without any login is not an Axis device's)."""
    responses.add(
        responses.GET,
        BASE + "disks/list.cgi",
        status=401,
        headers={"WWW-Authenticate": 'Basic realm="AXIS_ACCC8E000001"'},
    )
    responses.add(responses.GET, BASE + "disks/list.cgi", body=body)


def params(**options):
    spec = module_argument_spec(StorageInfo)
    values = dict((name, spec[name].get("default")) for name in spec)
    values.update(CONN)
    values.update(options)
    return values


def run(check_mode=False, **options):
    return execute(StorageInfo, params(**options), check_mode=check_mode)


def called():
    return [call.request.url.split("?")[0].removeprefix(BASE) for call in responses.calls]


# --- gather_subset ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given,expected",
    [
        (["all"], list(SUBSETS)),
        ([], list(SUBSETS)),
        (["health"], ["health"]),
        (["storage_limits", "identity"], ["identity", "storage_limits"]),
        (["!health"], [s for s in SUBSETS if s != "health"]),
        (["all", "!disks", "!external_devices"], [s for s in SUBSETS if s not in ("disks", "external_devices")]),
        (["disks", "health", "!health"], ["disks"]),
        ([" identity "], ["identity"]),
    ],
)
def test_gather_subset_resolves_like_ansibles(given, expected):
    assert select_subsets(given) == expected


@pytest.mark.parametrize(
    "given,fragment",
    [
        (["disk"], "unknown subset 'disk'"),
        (["all", "!helth"], "unknown subset '!helth'"),
        (["!all"], "leaves nothing to read"),
        (["health", "!health"], "leaves nothing to read"),
    ],
)
@responses.activate
def test_bad_gather_subset_is_refused_before_any_request(given, fragment):
    result = run(gather_subset=given)
    assert result["failed"] is True
    assert result["error_kind"] == "input"
    assert fragment in result["msg"]
    assert "gather_subset" in result["msg"]
    assert "identity, capabilities, disks, health" in result["msg"]  # names the allowed values
    assert len(responses.calls) == 0


# --- parsing ---------------------------------------------------------------------------------


def test_health_codes_become_null_with_their_meaning():
    assert normalize_health({"@diskid": "HDD_DISK", "@wear": "13", "@temperature": "315", "@overallhealth": "1"}) == {
        "wear": 13,
        "temperature": 315,
        "overall_health_passed": True,
        "unavailable": {},
    }
    assert normalize_health({"@diskid": "X", "@wear": "-3", "@temperature": "-2", "@overallhealth": "0"}) == {
        "wear": None,
        "temperature": None,
        "overall_health_passed": False,
        "unavailable": {"wear": "disk not present", "temperature": "read error"},
    }
    assert normalize_health({"@diskid": "NetworkShare", "@wear": "-1"})["unavailable"] == {"wear": "not supported"}
    assert normalize_health({"@diskid": "X", "@wear": "-7"})["unavailable"] == {"wear": "code -7"}
    assert normalize_health({"@diskid": "X", "@overallhealth": "5"})["unavailable"] == {
        "overall_health_passed": "code 5"
    }


@responses.activate
def test_disks_with_capabilities_alert_levels_and_health():
    disk_list_after_login()
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", body=CAPABILITIES % "SD_DISK")
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=ALERT_LEVELS % (80, 343))
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", body=CAPABILITIES % "NetworkShare")
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=ALERT_LEVELS % (90, 358))
    responses.add(responses.GET, BASE + "disks/gethealth.cgi", body=HEALTH_FLAT)
    result = run(gather_subset=["disks", "health"])
    disks = result["storage_info"]["disks"]
    assert list(disks) == ["SD_DISK", "NetworkShare", "HDD_DISK"]
    sd = disks["SD_DISK"]
    assert (sd["friendly_name"], sd["filesystem"], sd["required_filesystem"], sd["encrypted"]) == (
        "Door",
        "ext4",
        "ext4",
        True,
    )
    assert sd["capabilities"] == {
        "filesystems": ["vfat", "ext4"],
        "required_filesystems": ["ext4"],
        "required_fs_supported": True,
        "encryption_supported": False,
    }
    assert sd["alert_levels"] == {"wear": 80, "temperature": 343}
    assert sd["health"] == {"wear": 25, "temperature": None, "overall_health_passed": None, "unavailable": {}}
    assert disks["NetworkShare"]["health"]["unavailable"] == {"wear": "not supported"}
    # gethealth lists a disk that list.cgi does not: kept, with its health only
    assert disks["HDD_DISK"] == {
        "disk_id": "HDD_DISK",
        "health": {"wear": 13, "temperature": 315, "overall_health_passed": True, "unavailable": {}},
    }
    assert result["storage_info"]["unavailable"] == {}
    assert result["changed"] is False
    assert [c.request.method for c in responses.calls] == ["GET"] * 7  # the first one challenged


@responses.activate
def test_health_alone_needs_no_disk_list():
    responses.add(responses.GET, BASE + "disks/gethealth.cgi", body=HEALTH_FLAT)
    result = run(gather_subset=["health"])
    assert called() == ["disks/gethealth.cgi"]
    assert result["storage_info"]["gathered"] == ["health"]
    assert set(result["storage_info"]) == {"gathered", "disks", "unavailable"}
    assert result["storage_info"]["disks"]["SD_DISK"] == {
        "disk_id": "SD_DISK",
        "health": {"wear": 25, "temperature": None, "overall_health_passed": None, "unavailable": {}},
    }


@responses.activate
def test_local_storage_values_are_typed():
    responses.add(
        responses.POST,
        BASE + "apidiscovery.cgi",
        json={"apiVersion": "1.0", "data": {"apiList": [{"id": "param-cgi", "version": "1.0"}]}},
    )
    responses.add(
        responses.GET,
        BASE + "param.cgi",
        body="root.Properties.LocalStorage.DiskHealth=yes\nroot.Properties.LocalStorage.SDCard=no\n"
        "root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=2\n"
        "root.Properties.LocalStorage.Version=1.00\n",
    )
    result = run(gather_subset=["capabilities"])
    capabilities = result["storage_info"]["capabilities"]
    assert {k: capabilities[k] for k in ("apis", "local_storage")} == {
        "apis": {"param-cgi": "1.0"},
        "local_storage": {
            "DiskHealth": True,
            "NbrOfContinuousRecordingProfiles": 2,
            "SDCard": False,
            "Version": "1.00",
        },
    }


# --- what a device lacks, and what fails ----------------------------------------------------


@responses.activate
def test_a_disk_that_cannot_answer_is_reported_and_the_others_still_read():
    disk_list_after_login()
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", body=CAPABILITIES % "SD_DISK")
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=ALERT_LEVELS % (80, 343))
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", body=CAPABILITIES % "NetworkShare")
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=PROPERTIES_ERROR)
    result = run(gather_subset=["disks"])
    disks = result["storage_info"]["disks"]
    assert disks["SD_DISK"]["alert_levels"] == {"wear": 80, "temperature": 343}
    assert disks["NetworkShare"]["alert_levels"] is None
    assert disks["NetworkShare"]["capabilities"]["filesystems"] == ["vfat", "ext4"]
    assert result["storage_info"]["unavailable"] == {
        "disks.NetworkShare.alert_levels": "disks/properties/getdiskalertlevels.cgi: error 50: Invalid disk ID"
    }


@responses.activate
def test_a_missing_per_disk_api_is_asked_once_not_per_disk():
    disk_list_after_login()
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", status=404)
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=ALERT_LEVELS % (80, 343))
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", body=ALERT_LEVELS % (90, 358))
    result = run(gather_subset=["disks"])
    assert called().count("disks/getcapabilities.cgi") == 1
    unavailable = result["storage_info"]["unavailable"]
    assert "404" in unavailable["disks.SD_DISK.capabilities"]
    assert unavailable["disks.NetworkShare.capabilities"] == (
        "disks/getcapabilities.cgi is missing on this device, so it was not asked again "
        "(see disks.SD_DISK.capabilities)"
    )
    assert all(d["capabilities"] is None for d in result["storage_info"]["disks"].values())


@responses.activate
def test_a_missing_alert_levels_api_is_reported_for_each_disk_under_its_own_name():
    disk_list_after_login()
    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", status=404)
    responses.add(responses.GET, BASE + "disks/properties/getdiskalertlevels.cgi", status=404)
    responses.add(responses.POST, BASE + "basicdeviceinfo.cgi", status=404)  # the message names the device
    responses.add(responses.POST, BASE + "apidiscovery.cgi", status=404)
    responses.add(responses.GET, BASE + "param.cgi", status=404)  # nor its identity parameters
    result = run(gather_subset=["disks"])
    assert called().count("disks/properties/getdiskalertlevels.cgi") == 1
    unavailable = result["storage_info"]["unavailable"]
    assert "alert_levels of SD_DISK" in unavailable["disks.SD_DISK.alert_levels"]
    # the share's entry used to repeat SD_DISK's message, naming SD_DISK as the disk in question
    assert "SD_DISK" not in unavailable["disks.NetworkShare.alert_levels"].replace("disks.SD_DISK.alert_levels", "")
    assert "getdiskalertlevels.cgi is missing" in unavailable["disks.NetworkShare.alert_levels"]


@responses.activate
def test_apis_the_device_lacks_are_not_asked_when_discovery_tells():
    responses.add(
        responses.POST,
        BASE + "apidiscovery.cgi",
        json={"apiVersion": "1.0", "data": {"apiList": [{"id": "ext-ip-dev-info", "version": "2.1"}]}},
    )
    result = run(gather_subset=["capabilities"])
    assert called() == ["apidiscovery.cgi"]  # no param.cgi on a device without it
    assert result["storage_info"]["capabilities"]["local_storage"] is None
    assert "param.cgi" in result["storage_info"]["unavailable"]["capabilities.local_storage"]

    responses.calls.reset()
    responses.replace(
        responses.POST,
        BASE + "apidiscovery.cgi",
        json={"apiVersion": "1.0", "data": {"apiList": [{"id": "param-cgi", "version": "1.0"}]}},
    )
    result = run(gather_subset=["external_devices"])
    assert called() == ["apidiscovery.cgi"]  # a camera: no externalipdeviceinfo request
    assert result["storage_info"]["external_devices"] is None
    assert "only recorders" in result["storage_info"]["unavailable"]["external_devices"]


@responses.activate
def test_old_firmware_without_discovery_or_health_api():
    responses.add(responses.POST, BASE + "apidiscovery.cgi", status=404)
    responses.add(responses.GET, BASE + "disks/gethealth.cgi", status=404)
    responses.add(responses.GET, BASE + "record/storage/getlimit.cgi", status=404)
    responses.add(responses.GET, BASE + "externalipdeviceinfo/list.cgi", status=404)
    responses.add(
        responses.POST,
        BASE + "basicdeviceinfo.cgi",
        json={"apiVersion": "1.0", "data": {"propertyList": {"ProdNbr": "M3045-V", "Version": "8.30.1"}}},
    )
    result = run(gather_subset=["health", "storage_limits", "external_devices"])
    info = result["storage_info"]
    assert "failed" not in result
    # without discovery the external device API is asked, and its absence named with the model
    assert (
        "AXIS M3045-V (firmware 8.30.1) has no External IP Device Information API"
        in info["unavailable"]["external_devices"]
    )
    assert info["disks"] == {} and info["storage_limits"] is None
    assert set(info["unavailable"]) == {"health", "storage_limits", "external_devices"}
    assert info["unavailable"]["health"] == "disks/gethealth.cgi: the device has no such CGI (404 Not Found)"


@responses.activate
def test_an_error_of_a_whole_list_fails_naming_the_cgi():
    responses.add(responses.GET, BASE + "disks/list.cgi", body=LIST_ERROR)
    result = run(gather_subset=["disks"])
    assert result["failed"] is True
    assert result["msg"] == "disks/list.cgi: Internal error"
    assert result["cgi"] == "disks/list.cgi" and result["error_kind"] == "api"


@responses.activate
def test_refused_credentials_fail_without_leaking_the_password():
    responses.add(
        responses.GET,
        BASE + "record/storage/getlimit.cgi",
        status=401,
        headers={"WWW-Authenticate": 'Digest realm="AXIS_B8A44F000001", nonce="abc", qop="auth"'},
    )
    responses.add(
        responses.GET,
        BASE + "record/storage/getlimit.cgi",
        status=401,
        headers={"WWW-Authenticate": 'Digest realm="AXIS_B8A44F000001", nonce="abd", qop="auth"'},
    )
    result = run(gather_subset=["storage_limits"], password="Very-Secret-1")
    assert result["failed"] is True and result["error_kind"] == "auth"
    assert "record/storage/getlimit.cgi" in result["msg"]
    assert "Very-Secret-1" not in json.dumps(result)


# --- whole reads on the simulator ---------------------------------------------------------------

CAMERA, RECORDER = 0, 3
NAS_PASSWORD = "Nas-S3cret-pw"
CAMERA_PASSWORD = "Cam-S3cret-pw"


def sim_info(sim, index, check_mode=False, **options):
    sim.clear_log(index)
    result = sim.run(StorageInfo, index, check_mode=check_mode, diff=False, **options)
    return result, sim.log(index)


def apply(sim, index, resource_cls, **options):
    result = sim.run(resource_cls, index, **options)
    assert not result.get("failed"), result.get("msg")
    return result


def test_camera_from_factory_state_in_17_requests_without_a_write(sim):
    result, log = sim_info(sim, CAMERA)
    # 13 + three SOAP reads of the rules and schedules + the recording groups
    assert result["requests"] == len(log) == 17
    assert [e for e in log if e["write"]] == []
    assert sum(1 for e in log if e["status"] == 401) == 1  # one authentication for the whole run
    info = result["storage_info"]
    assert info["gathered"] == list(SUBSETS)
    assert info["identity"] == {
        "model": "P3268-LVE",
        "firmware": "12.11.77",
        "serial": "B8A44F000001",
        "full_name": "AXIS P3268-LVE Dome Camera",
        "source": "basicdeviceinfo.cgi",
    }
    assert info["capabilities"]["apis"]["disk-properties"] == "1.1"
    assert info["capabilities"]["local_storage"]["NbrOfContinuousRecordingProfiles"] == 1
    assert list(info["disks"]) == ["SD_DISK", "NetworkShare"]
    assert info["disks"]["SD_DISK"]["filesystem"] == "vfat" and info["disks"]["SD_DISK"]["mounted"] is True
    assert info["disks"]["SD_DISK"]["capabilities"]["filesystems"] == ["vfat", "ext4"]
    assert info["disks"]["SD_DISK"]["alert_levels"] == {"wear": 90, "temperature": 358}
    assert info["disks"]["SD_DISK"]["health"]["wear"] == 3
    assert info["disks"]["NetworkShare"]["health"]["unavailable"] == {"wear": "disk not present"}
    assert info["network_shares"] == {} and info["recording_profiles"] == []
    assert info["storage_limits"]["SD_DISK"] == {"limit_kb": 0, "used_kb": 120 * 1024}
    assert info["external_devices"] is None
    assert list(info["unavailable"]) == ["external_devices"]
    assert info["recording_rules"] == []
    assert [s["name"] for s in info["recording_schedules"] if s["predefined"]] == [
        "Office hours",
        "After hours",
        "Weekdays",
        "Weekends",
    ]
    # every request is a read, each list read once (SOAP calls by their operation)
    cgis = [e["args"]["operation"] if e["cgi"] == "/vapix/services" else e["cgi"] for e in log if e["status"] == 200]
    assert len(cgis) == len(set(cgis)) + 2  # getcapabilities and alert levels: once per disk


def test_camera_after_setting_things_up_with_the_other_modules(sim):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
    from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
    from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit

    apply(sim, CAMERA, StorageLimit, disk_id="SD_DISK", size="2 GB")
    apply(sim, CAMERA, Disk, disk_id="SD_DISK", alert_levels={"wear": 75, "temperature": 343}, cleanup_max_age=30)
    apply(
        sim,
        CAMERA,
        NetworkShare,
        name="nas",
        address="nas.example.com",
        share="recordings",
        share_user="cam01",
        share_password=NAS_PASSWORD,
    )
    sim.patch(
        CAMERA,
        {
            "profiles": {
                "1": {
                    "profile_id": 1,
                    "disk_id": "SD_DISK",
                    "options": "videocodec=h264&fps=25",
                    "event_id": "continuous",
                }
            }
        },
    )
    result, log = sim_info(sim, CAMERA, check_mode=True)
    info = result["storage_info"]
    assert [e for e in log if e["write"]] == []
    assert info["storage_limits"]["SD_DISK"]["limit_kb"] == 2 * 1024 * 1024
    assert info["disks"]["SD_DISK"]["alert_levels"] == {"wear": 75, "temperature": 343}
    assert info["disks"]["SD_DISK"]["cleanup_max_age"] == 30
    (share,) = info["network_shares"].values()
    assert (share["name"], share["address"], share["share"], share["user"], share["bound"], share["disk_id"]) == (
        "nas",
        "nas.example.com",
        "recordings",
        "cam01",
        True,
        "NetworkShare",
    )
    assert info["disks"]["NetworkShare"]["mounted"] is True
    assert info["recording_profiles"] == [
        {
            "profile_id": 1,
            "disk_id": "SD_DISK",
            "event_id": "continuous",
            "device": None,
            "camera": 1,
            "stream_options": {"videocodec": "h264", "fps": "25"},
        }
    ]
    assert NAS_PASSWORD not in json.dumps(result)


def test_recorder_with_cameras(sim):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
    from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording

    apply(
        sim,
        RECORDER,
        ExternalDevice,
        id="door",
        address="192.0.2.31",
        description="Front door",
        device_username="recorder",
        device_password=CAMERA_PASSWORD,
        events_enabled=True,
    )
    apply(
        sim,
        RECORDER,
        ExternalDevice,
        id="yard",
        address="192.0.2.32",
        device_username="recorder",
        device_password=CAMERA_PASSWORD,
    )
    apply(
        sim,
        RECORDER,
        ContinuousRecording,
        disk_id="HDD_DISK",
        device="door",
        stream_options={"resolution": "1920x1080", "fps": 30},
    )
    result, log = sim_info(sim, RECORDER)
    assert result["requests"] == len(log) == 17  # 11 + events of two cameras + 3 SOAP reads + groups
    assert [e for e in log if e["write"]] == []
    info = result["storage_info"]
    assert info["identity"]["model"] == "S3008"
    assert info["capabilities"]["local_storage"] is None
    assert "param.cgi" in info["unavailable"]["capabilities.local_storage"]
    assert "param.cgi" not in [e["cgi"] for e in log]
    assert list(info["disks"]) == ["HDD_DISK"]
    assert info["disks"]["HDD_DISK"]["health"]["overall_health_passed"] is True
    assert info["disks"]["HDD_DISK"]["health"]["temperature"] == 313
    assert sorted(info["external_devices"]) == ["door", "yard"]
    door = info["external_devices"]["door"]
    assert (door["address"], door["description"], door["device_username"], door["events_enabled"]) == (
        "192.0.2.31",
        "Front door",
        "recorder",
        True,
    )
    assert info["external_devices"]["yard"]["events_enabled"] is False
    (profile,) = info["recording_profiles"]
    assert profile["device"] == "door" and profile["disk_id"] == "HDD_DISK"
    assert CAMERA_PASSWORD not in json.dumps(result)


@pytest.mark.parametrize(
    "index,subset,cgis",
    [
        (CAMERA, "identity", ["basicdeviceinfo.cgi"]),
        (CAMERA, "capabilities", ["apidiscovery.cgi", "param.cgi"]),
        (RECORDER, "capabilities", ["apidiscovery.cgi"]),
        (
            CAMERA,
            "disks",
            [
                "disks/list.cgi",
                "disks/getcapabilities.cgi",
                "disks/properties/getdiskalertlevels.cgi",
                "disks/getcapabilities.cgi",
                "disks/properties/getdiskalertlevels.cgi",
            ],
        ),
        (CAMERA, "health", ["disks/gethealth.cgi"]),
        (CAMERA, "network_shares", ["disks/networkshare/list.cgi"]),
        (CAMERA, "storage_limits", ["record/storage/getlimit.cgi"]),
        (CAMERA, "recording_profiles", ["record/continuous/listconfiguration.cgi"]),
        (CAMERA, "external_devices", ["apidiscovery.cgi"]),
        (RECORDER, "external_devices", ["apidiscovery.cgi", "externalipdeviceinfo/list.cgi"]),
        (CAMERA, "recording_groups", ["record/recording_group/list.cgi"]),
        (CAMERA, "recording_schedules", ["/vapix/services"]),
        (CAMERA, "recording_rules", ["/vapix/services"] * 3),
    ],
)
def test_each_subset_reads_only_what_it_needs(sim, index, subset, cgis):
    result, log = sim_info(sim, index, gather_subset=[subset])
    assert [e["cgi"] for e in log if e["status"] != 401] == cgis
    assert result["requests"] == len(log)
    assert result["storage_info"]["gathered"] == [subset]
    expected_keys = {"gathered", "unavailable", "disks" if subset == "health" else subset}
    assert set(result["storage_info"]) == expected_keys


def test_exclusions_leave_their_reads_out(sim):
    result, log = sim_info(sim, CAMERA, gather_subset=["!disks", "!health"])
    assert not any(e["cgi"].startswith("disks/") and "networkshare" not in e["cgi"] for e in log)
    assert "disks" not in result["storage_info"]
    assert result["requests"] == 11


def test_check_mode_reads_the_same_and_writes_nothing(sim):
    normal, normal_log = sim_info(sim, RECORDER)
    checked, checked_log = sim_info(sim, RECORDER, check_mode=True)
    assert checked["storage_info"] == normal["storage_info"]
    assert [e["cgi"] for e in checked_log] == [e["cgi"] for e in normal_log]
    assert [e for e in checked_log if e["write"]] == [] and checked["changed"] is False


def test_reads_are_shared_with_other_resources_of_the_session(sim):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
    from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit

    device = DeviceSession.from_params(sim.resource_params(StorageInfo, CAMERA))
    StorageInfo(device, sim.resource_params(StorageInfo, CAMERA)).run()
    before = device.client.request_count
    limit = StorageLimit(device, sim.resource_params(StorageLimit, CAMERA, disk_id="SD_DISK", state="absent")).run()
    disk = Disk(
        device,
        sim.resource_params(
            Disk, CAMERA, disk_id="SD_DISK", mounted=True, alert_levels={"wear": 90, "temperature": 358}
        ),
    ).run()
    assert limit["changed"] is False and disk["changed"] is False
    # the limits, the disk list and the alert levels came from the session's cache
    assert device.client.request_count == before


def test_a_device_error_fails_naming_the_cgi(sim):
    sim.faults(CAMERA, {"http_503": 4, "retry_after": 0})
    device = DeviceSession.from_params(sim.resource_params(StorageInfo, CAMERA))
    device.client._sleep = lambda seconds: None  # no real back-off in a unit test
    result = execute(
        StorageInfo, sim.resource_params(StorageInfo, CAMERA, gather_subset=["storage_limits"]), device=device
    )
    assert result["failed"] is True
    assert result["msg"] == "record/storage/getlimit.cgi: HTTP 503: unexpected HTTP status 503 from the device"
    assert result["http_status"] == 503 and result["requests"] == 4


def test_a_user_below_operator_is_refused_by_the_device(sim):
    result, log = sim_info(sim, CAMERA, username="viewer")
    assert result["failed"] is True and result["error_kind"] == "auth"
    assert result["cgi"] == "disks/list.cgi" and "'viewer'" in result["msg"]
    assert [e for e in log if e["write"]] == []


@responses.activate
def test_every_reader_of_a_disk_s_capabilities_shares_one_request():
    # the disk's formats (axis_disk), its encryption support (axis_encryption) and the info
    # module read the same getcapabilities.cgi answer: one request per disk and task
    from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import read_disk_capabilities

    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", body=CAPABILITIES % "SD_DISK")
    device = DeviceSession(VapixClient.from_params(CONN))
    disk = Disk(device, dict(disk_id="SD_DISK"))
    assert disk.filesystems_supported("SD_DISK") == ["vfat", "ext4"]
    caps = read_disk_capabilities(device, "SD_DISK")
    assert caps["encryption_supported"] is False and caps["required_filesystems"] == ["ext4"]
    assert called().count("disks/getcapabilities.cgi") == 1


@responses.activate
def test_a_missing_capabilities_cgi_is_asked_once_for_every_reader():
    from ansible_collections.vapix.edge_storage.plugins.module_utils._api import UnsupportedError, VapixClient
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
    from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import read_disk_capabilities

    responses.add(responses.GET, BASE + "disks/getcapabilities.cgi", status=404)
    device = DeviceSession(VapixClient.from_params(CONN))
    assert Disk(device, dict(disk_id="SD_DISK")).filesystems_supported("SD_DISK") is None
    with pytest.raises(UnsupportedError):
        read_disk_capabilities(device, "SD_DISK")
    assert called().count("disks/getcapabilities.cgi") == 1
