# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Older firmware (vapix-sim --firmware 9.80 and 5.51, in-process): the documented fallbacks
work, and what the firmware lacks fails as unsupported before any write, naming model,
firmware and the missing API. The simulator's request log is the proof of "no write"."""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit

from vapix_sim.background import BackgroundFleet
from vapix_sim.fleet import FleetConfig

from .conftest import Sim, SimClock

FW980, FW551 = 0, 1


@pytest.fixture(scope="module")
def old():
    clock = SimClock()
    background = BackgroundFleet(
        FleetConfig(devices=2, base_port=0, firmware="9.80,5.51", control=True, job_time_scale=0.01), clock=clock
    ).start()
    yield Sim(background, clock)
    background.stop()


@pytest.fixture(autouse=True)
def fresh(request):
    if "old" in request.fixturenames:
        sim = request.getfixturevalue("old")
        for index in (FW980, FW551):
            sim.reset(index)
            sim.clear_log(index)


def unsupported(sim, index, resource_cls, missing, **options):
    result = sim.run(resource_cls, index, **options)
    assert result.get("failed") and result["error_kind"] == "unsupported", result
    assert "AXIS P5512" in result["msg"] and "firmware 5.51.7" in result["msg"] and missing in result["msg"]
    assert result["changed"] is False
    assert sim.writes(index) == []
    return result


def test_identity_and_features_per_generation(old):
    new = old.run(StorageInfo, FW980, gather_subset=["identity", "capabilities"])["storage_info"]
    legacy = old.run(StorageInfo, FW551, gather_subset=["identity", "capabilities"])["storage_info"]
    assert (new["identity"]["firmware"], new["identity"]["source"]) == ("9.80.2.2", "basicdeviceinfo.cgi")
    assert (legacy["identity"]["firmware"], legacy["identity"]["source"]) == ("5.51.7", "param.cgi")
    assert legacy["identity"]["model"] and legacy["identity"]["full_name"].startswith("AXIS P5512")
    assert legacy["capabilities"]["apis"] is None
    for name in ("storage_limit", "disk_encryption", "disk_health"):
        assert new["capabilities"]["features"][name] is True
        assert legacy["capabilities"]["features"][name] is False
    assert old.writes(FW980) == [] and old.writes(FW551) == []


def test_encryption_fails_before_unmounting_on_551(old):
    unsupported(
        old,
        FW551,
        Encryption,
        "DiskEncryption",
        disk_id="SD_DISK",
        state="enabled",
        passphrase="generations-passphrase",
        allow_format=True,
    )
    assert old.state(FW551)["disks"]["SD_DISK"]["mounted"] is True


def test_encryption_works_on_980(old):
    result = old.run(
        Encryption, FW980, disk_id="SD_DISK", state="enabled", passphrase="generations-passphrase", allow_format=True
    )
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] and result["encryption"]["encrypted"] is True


def test_storage_limit_names_the_missing_api_on_551(old):
    unsupported(old, FW551, StorageLimit, "Recording storage limit API", disk_id="SD_DISK", size="2 GB")


@pytest.mark.parametrize(
    "options, missing",
    [
        ({"alert_levels": {"wear": 80}}, "Disk properties API"),
        ({"auto_repair": False}, "Storage.S0.AutoRepair"),
        ({"required_filesystem": "ext4", "allow_format": True}, "RequiredFileSystem"),
    ],
)
def test_disk_settings_551_lacks_are_unsupported_before_any_write(old, options, missing):
    unsupported(old, FW551, Disk, missing, disk_id="SD_DISK", **options)


def test_disk_retention_works_through_param_cgi_on_551(old):
    result = old.run(Disk, FW551, disk_id="SD_DISK", cleanup_max_age=30)
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] and old.written_cgis(FW551) == ["param.cgi"]
    again = old.run(Disk, FW551, disk_id="SD_DISK", cleanup_max_age=30)
    assert again["changed"] is False


def test_whole_device_fails_before_its_first_write_when_a_later_resource_is_unsupported(old):
    # The disk setting alone would be written; the storage limit after it needs the Recording
    # storage limit API, which firmware 5.51 lacks: nothing may be written at all.
    from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage

    result = old.run(
        DeviceStorage, FW551, disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 3, "storage_limit": {"size": "1 GB"}}]
    )
    assert result.get("failed") and result["error_kind"] == "unsupported", result
    assert "firmware 5.51.7" in result["msg"]
    assert result["changed"] is False
    assert old.writes(FW551) == []


def test_the_drift_check_and_the_health_read_of_551_stay_an_axis_device_lacking_one_api(old):
    # 5.51 answers 404 to API discovery before any login, then logs in through param.cgi: it is
    # an Axis device with storage, so what it lacks is "unsupported", never a `device` error.
    from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage

    result = old.run(
        DeviceStorage,
        FW551,
        check_mode=True,
        disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 7, "storage_limit": {"size": "1 GB"}}],
    )
    outcome = dict(
        (e["resource"], e.get("error_kind") or ("changed" if e["changed"] else "ok")) for e in result["resources"]
    )
    assert outcome == {"disk SD_DISK": "ok", "storage_limit SD_DISK": "unsupported"}, result
    assert result["error_kind"] == "unsupported"
    assert [e["status"] for e in old.log(FW551) if e["cgi"] == "record/storage/getlimit.cgi"] == [404]
    old.clear_log(FW551)
    info = old.run(StorageInfo, FW551, gather_subset=["all", "recordings"])
    assert not info.get("failed"), info.get("msg")
    assert [e["status"] for e in old.log(FW551) if e["cgi"] == "apidiscovery.cgi"] == [404]
    assert info["storage_info"]["disks"]["SD_DISK"]["status"] == "OK"
