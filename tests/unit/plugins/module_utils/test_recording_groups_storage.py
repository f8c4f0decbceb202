# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording groups in the whole-device task (axis_storage), the storage information, the
brownfield import and the drift report, on the simulator (default firmware: AXIS OS 12)."""

import datetime

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import list_recording_groups
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import build_report as drift_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._health import build_report as health_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import to_declaration

CAMERA = 0
DECLARATION = {
    "recording_groups": [
        {
            "id": "motion_sd",
            "nice_name": "Motion",
            "disk_id": "SD_DISK",
            "retention_hours": 72,
            "stream_options": {"fps": 15},
            "pre_seconds": 5,
            "post_seconds": 30,
        }
    ],
    "recording_rules": [
        {
            "name": "Motion into group",
            "trigger": {"motion": {"camera": 1, "profile": 1}},
            "recording_group": "motion_sd",
        }
    ],
}


def converge(sim, check_mode=False, **declaration):
    return sim.run(DeviceStorage, CAMERA, check_mode=check_mode, diff=True, **declaration)


def groups(sim):
    return list_recording_groups(DeviceSession.from_params(sim.params(CAMERA)))


def test_groups_come_before_the_rules_that_record_into_them_and_converge(sim):
    predicted = converge(sim, check_mode=True, **DECLARATION)
    assert not predicted.get("failed"), predicted["msg"]  # the rule's group is declared: not an error
    assert sim.writes(CAMERA) == []
    first = converge(sim, **DECLARATION)
    assert not first.get("failed"), first["msg"]
    assert [r["resource"] for r in first["resources"]] == [
        "recording_group motion_sd",
        "recording_rule Motion into group",
    ]
    assert [r["resource"] for r in predicted["resources"] if r["changed"]] == [
        r["resource"] for r in first["resources"] if r["changed"]
    ]
    assert groups(sim)["motion_sd"]["pre_seconds"] == 5
    sim.clear_log(CAMERA)
    second = converge(sim, **DECLARATION)
    assert second["changed"] is False and sim.writes(CAMERA) == []


def test_a_rule_into_an_undeclared_missing_group_stops_the_task_before_its_first_write(sim):
    declaration = dict(DECLARATION)
    declaration.update(recording_groups=[], disks=[{"disk_id": "SD_DISK", "cleanup_max_age": 9}])
    result = converge(sim, **declaration)
    assert result["failed"] is True and "recording_group=motion_sd" in result["msg"], result
    assert sim.writes(CAMERA) == []


def test_deleting_a_group_in_the_run_that_removes_its_rule_needs_only_the_opt_in(sim):
    converge(sim, **DECLARATION)
    sim.clear_log(CAMERA)
    removal = {
        "recording_groups": [{"id": "motion_sd", "state": "absent"}],
        "recording_rules": [{"name": "Motion into group", "state": "absent"}],
    }
    refused = converge(sim, **removal)
    assert refused["failed"] is True and "allow_data_loss" in refused["msg"], refused
    assert sim.writes(CAMERA) == []
    done = converge(sim, allow_data_loss=True, **removal)
    assert not done.get("failed"), done["msg"]
    assert [r["resource"] for r in done["resources"]] == [
        "recording_rule Motion into group",
        "recording_group motion_sd",
    ]
    assert groups(sim) == {}


def test_deleting_a_group_a_kept_rule_records_into_is_refused_before_any_write(sim):
    converge(sim, **DECLARATION)
    sim.clear_log(CAMERA)
    result = converge(sim, allow_data_loss=True, recording_groups=[{"id": "motion_sd", "state": "absent"}])
    assert result["failed"] is True and "'Motion into group'" in result["msg"], result
    assert sim.writes(CAMERA) == []


def test_purge_deletes_undeclared_groups_only_with_the_data_loss_opt_in(sim):
    converge(sim, **DECLARATION)
    converge(sim, recording_groups=[{"id": "spare", "disk_id": "SD_DISK"}])
    kept = converge(sim, purge=True, **DECLARATION)
    assert "spare" in groups(sim) and not kept.get("failed"), kept
    assert any("allow_data_loss is false" in w for w in kept.get("warnings", [])), kept
    purged = converge(sim, purge=True, allow_data_loss=True, **DECLARATION)
    assert [r["resource"] for r in purged["resources"] if r["changed"]] == ["purge recording_group spare"], purged
    assert sorted(groups(sim)) == ["motion_sd"]
    # the group a rule records into is never purged, declared or not
    left = converge(sim, purge=True, allow_data_loss=True, recording_groups=[])
    assert "motion_sd" in groups(sim) and any("Motion into group" in w for w in left.get("warnings", [])), left


def test_info_import_and_drift(sim):
    converge(sim, **DECLARATION)
    info = sim.run(StorageInfo, CAMERA)
    assert info["storage_info"]["recording_groups"] == [
        {
            "id": "motion_sd",
            "nice_name": "Motion",
            "description": "",
            "disk_id": "SD_DISK",
            "retention_hours": 72,
            "stream_options": {"fps": "15"},
            "pre_seconds": 5,
            "post_seconds": 30,
        }
    ]
    declaration = to_declaration(info)
    assert declaration["recording_groups"][0]["id"] == "motion_sd"
    assert declaration["recording_rules"] == [
        {
            "name": "Motion into group",
            "enabled": True,
            "trigger": {"motion": {"camera": 1, "profile": 1}},
            "recording_group": "motion_sd",
        }
    ]
    sim.clear_log(CAMERA)
    for check_mode in (True, False):
        result = converge(sim, check_mode=check_mode, **declaration)
        assert result["changed"] is False and not result.get("failed"), result
    assert sim.writes(CAMERA) == []
    # a group changed behind Ansible's back is drift, and repaired in place
    sim.patch(CAMERA, {"recording_groups": {"motion_sd": {"post_duration": 1000}}})
    check = converge(sim, check_mode=True, **DECLARATION)
    classes = dict(
        (e["resource"], e["class"]) for e in drift_report({"cam": check}, "now")["devices"]["cam"]["resources"]
    )
    assert classes == {"recording_group motion_sd": "drift", "recording_rule Motion into group": "compliant"}
    repaired = converge(sim, **DECLARATION)
    assert [s["action"] for r in repaired["resources"] for s in r.get("steps", [])] == ["update"]


def test_a_group_id_declared_twice_is_refused(sim):
    twice = [{"id": "a", "disk_id": "SD_DISK"}, {"id": "a", "disk_id": "NetworkShare"}]
    result = converge(sim, recording_groups=twice)
    assert (
        result["failed"]
        and "recording_groups[1]: the id 'a' is declared already in recording_groups[0]" in result["msg"]
    ), result
    assert sim.writes(CAMERA) == []


def test_health_flags_a_rule_whose_group_records_to_an_unusable_disk(sim):
    converge(sim, **DECLARATION)
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"locked": True}}})
    info = sim.run(StorageInfo, CAMERA)
    report = health_report({"cam": info}, now=datetime.datetime.now(datetime.UTC))
    sd = [row for row in report["rows"] if row["disk_id"] == "SD_DISK"][0]
    assert (
        "recording rule 'Motion into group' records to SD_DISK (recording group motion_sd), which is locked"
        in sd["problems"]
    ), sd
