# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host that is no Axis device (404 to everything, no login ever asked), or an Axis device
without any storage API, is an error of kind `device`, never "unsupported" per resource.

`unsupported` stays for an Axis device that lacks one API (firmware 5.51: see
test_firmware_generations.py). The simulator's `not_axis` fault makes a device's address answer
another web server's 404 page to every path.
"""

import responses
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute, module_argument_spec

CAMERA = 0
DECLARATION = dict(
    disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 7, "storage_limit": {"size": "1 GB"}}],
    network_shares=[{"name": "nas", "address": "nas.example.com", "share": "rec"}],
)


def not_axis(sim, index=CAMERA):
    sim.faults(index, {"not_axis": True})
    sim.clear_log(index)


def assert_not_an_axis_device(result):
    assert result["failed"] is True and result["error_kind"] == "device", result
    assert "is not an Axis device this collection can log in to" in result["msg"]
    assert (
        "never asked for the credentials of user 'root' and answered 404 Not Found to every request (disks/list.cgi, "
        in result["msg"]
    )
    assert result["changed"] is False


def test_the_drift_check_of_a_host_answering_404_to_everything_is_an_error_not_unsupported(sim):
    not_axis(sim)
    result = sim.run(DeviceStorage, CAMERA, check_mode=True, **DECLARATION)
    assert_not_an_axis_device(result)
    device, *others = result["resources"]
    assert device["resource"] == "device" and device["failed"] is True and device["error_kind"] == "device"
    # every declared resource is there, not compared; none of them "unsupported"
    assert [e["resource"] for e in others] == ["network_share nas", "disk SD_DISK", "storage_limit SD_DISK"]
    assert all(e["skipped"] and e["error_kind"] == "device" and e["msg"].startswith("not compared: ") for e in others)
    assert "unsupported" not in str(result)
    assert all(entry["status"] == 404 and entry["user"] is None for entry in sim.log(CAMERA))


def test_a_real_run_on_such_a_host_fails_the_same_and_writes_nothing(sim):
    not_axis(sim)
    result = sim.run(DeviceStorage, CAMERA, **DECLARATION)
    assert_not_an_axis_device(result)
    assert result["resources"][1]["msg"].startswith("not applied: ")
    assert sim.writes(CAMERA) == []


def test_storage_information_of_such_a_host_fails_instead_of_listing_no_disks(sim):
    not_axis(sim)
    result = sim.run(StorageInfo, CAMERA, gather_subset=["all", "recordings"])
    assert_not_an_axis_device(result)
    assert "storage_info" not in result


def test_a_single_module_on_such_a_host_says_what_the_host_is(sim):
    not_axis(sim)
    assert_not_an_axis_device(sim.run(Disk, CAMERA, disk_id="SD_DISK", cleanup_max_age=7))


def test_the_same_device_answering_again_is_checked_as_usual(sim):
    not_axis(sim)
    sim.faults(CAMERA, {"not_axis": None})
    result = sim.run(DeviceStorage, CAMERA, check_mode=True, disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 7}])
    assert not result.get("failed") and result["changed"] is False
    assert [e["resource"] for e in result["resources"]] == ["disk SD_DISK"]


BASE = "http://192.0.2.10:80/axis-cgi/"
CHALLENGE = {"WWW-Authenticate": 'Digest realm="AXIS_B8A44F000001", nonce="abc", algorithm=MD5, qop="auth"'}


def params(resource_cls, **options):
    spec = module_argument_spec(resource_cls)
    values = dict((name, spec[name].get("default")) for name in spec)
    values.update(host="192.0.2.10", port=80, username="root", password="Door-Station-9", timeout=5, **options)
    return values


def door_station():
    """An Axis device without edge storage: it asks for the login and names itself, and has no
    Disk management API at all."""
    responses.reset()
    responses.add(responses.GET, BASE + "disks/list.cgi", status=404)
    responses.add(responses.POST, BASE + "basicdeviceinfo.cgi", status=401, headers=CHALLENGE)
    responses.add(
        responses.POST,
        BASE + "basicdeviceinfo.cgi",
        json={
            "apiVersion": "1.0",
            "data": {
                "propertyList": {
                    "ProdNbr": "A8207-VE",
                    "ProdFullName": "AXIS A8207-VE Network Video Door Station",
                    "Version": "11.11.70",
                }
            },
        },
    )


@responses.activate
def test_an_axis_device_we_are_logged_in_to_without_a_disk_list_has_no_storage():
    door_station()
    result = execute(
        DeviceStorage,
        params(DeviceStorage, disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 7}]),
        check_mode=True,
        diff=True,
    )
    assert result["failed"] is True and result["error_kind"] == "device", result
    assert result["resources"][0]["msg"] == (
        "disks/list.cgi: AXIS A8207-VE Network Video Door Station (firmware 11.11.70) has no Disk management API "
        "(404 Not Found), so it has no edge storage (SD card, disk or network share) to manage or report"
    )
    assert "Door-Station-9" not in str(result)
    door_station()
    info = execute(StorageInfo, params(StorageInfo, gather_subset=["disks"]))
    assert info["error_kind"] == "device" and "has no Disk management API" in info["msg"]


def test_a_device_that_refuses_the_credentials_stays_an_authentication_failure(sim):
    # It asked for the login: an Axis device, whatever else it answered. Unreachable, not `device`.
    result = sim.run(DeviceStorage, CAMERA, check_mode=True, password="Not-The-Password-1", **DECLARATION)
    assert result["failed"] is True and result["error_kind"] == "auth", result
    assert "not an Axis device" not in str(result)
    info = sim.run(StorageInfo, CAMERA, password="Not-The-Password-1", gather_subset=["capabilities"])
    assert "not an Axis device" not in str(info)
