# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording rules and schedules in the whole-device task (axis_storage), the storage
information, the brownfield import and the health report, on the simulator."""

import datetime

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import list_action_rules
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import build_report as drift_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._health import build_report as health_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import to_declaration

CAMERA, RECORDER = 0, 3
DECLARATION = {
    "recording_schedules": [
        {"name": "Closed", "weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "07:00"}]}
    ],
    "recording_rules": [
        {
            "name": "Motion to SD",
            "trigger": {"motion": {"camera": 1, "profile": 1}},
            "disk_id": "SD_DISK",
            "stream_options": {"videocodec": "h264", "fps": 15},
            "pre_seconds": 5,
            "post_seconds": 30,
        },
        {"name": "Closed", "trigger": {"schedule": {"name": "Closed"}}, "disk_id": "SD_DISK"},
        {
            "name": "Door",
            "trigger": {"input": {"port": 1}},
            "disk_id": "NetworkShare",
            "while_active": False,
            "post_seconds": 60,
        },
    ],
}


def merged(base, **changes):
    """base with some options changed (a copy)."""
    options = dict(base)
    options.update(changes)
    return options


def converge(sim, index=CAMERA, check_mode=False, **declaration):
    return sim.run(DeviceStorage, index, check_mode=check_mode, diff=True, **declaration)


def rule_names(sim, index=CAMERA):
    rules = list_action_rules(DeviceSession.from_params(sim.params(index)))
    return sorted(rule["name"] for rule in rules.values())


def test_whole_device_converges_schedules_before_rules_and_is_idempotent(sim):
    predicted = converge(sim, check_mode=True, **DECLARATION)
    assert not predicted.get("failed"), predicted.get("msg")  # the rule on the schedule to come is not an error
    assert sim.writes(CAMERA) == []
    first = converge(sim, **DECLARATION)
    assert not first.get("failed"), first.get("msg")
    labels = [r["resource"] for r in first["resources"]]
    assert labels == [
        "recording_schedule Closed",
        "recording_rule Motion to SD",
        "recording_rule Closed",
        "recording_rule Door",
    ]
    assert [r["changed"] for r in predicted["resources"]] == [r["changed"] for r in first["resources"]]
    sim.clear_log(CAMERA)
    second = converge(sim, **DECLARATION)
    assert second["changed"] is False and sim.writes(CAMERA) == []


def test_an_invalid_trigger_anywhere_stops_the_task_before_its_first_write(sim):
    declaration = merged(
        DECLARATION,
        recording_rules=DECLARATION["recording_rules"]
        + [{"name": "Sensor 9", "trigger": {"motion": {"camera": 9}}, "disk_id": "SD_DISK"}],
    )
    result = converge(sim, **declaration)
    assert result["failed"] is True
    assert "trigger.motion camera 9 profile 1" in result["msg"] and "camera 1 profile 1" in result["msg"]
    assert sim.writes(CAMERA) == []


def test_unset_trigger_kinds_as_the_argument_spec_leaves_them_are_not_given(sim):
    # the module's nested argument spec hands every unset sub-option over as None
    rules = [
        {
            "name": "Motion",
            "trigger": {
                "motion": {"camera": 1, "profile": None, "device": None},
                "input": None,
                "virtual_input": None,
                "schedule": None,
            },
            "disk_id": "SD_DISK",
        }
    ]
    result = converge(sim, recording_rules=rules)
    assert not result.get("failed"), result.get("msg")
    assert result["resources"][0]["state"]["trigger"] == {"motion": {"camera": 1, "profile": 1}}


def test_duplicate_names_in_the_declaration_are_refused(sim):
    rules = DECLARATION["recording_rules"] + [dict(DECLARATION["recording_rules"][0])]
    result = converge(sim, recording_rules=rules, recording_schedules=DECLARATION["recording_schedules"])
    assert result["failed"] and "recording_rules[3]: the name 'Motion to SD' is declared already" in result["msg"]


def test_a_vms_rule_survives_everything_but_a_purge_of_recording_rules(sim):
    sim.control(CAMERA, "preset", "POST", {"preset": "vms"})
    converge(sim, **DECLARATION)
    assert converge(sim, purge=True, recording_profiles=[])["changed"] is False  # rules not declared: not managed
    assert "VMS motion recording" in rule_names(sim)
    drift = converge(sim, check_mode=True, purge=True, **DECLARATION)
    assert [r["resource"] for r in drift["resources"] if r.get("changed")] == [
        "purge recording_rule VMS motion recording"
    ]
    purged = converge(sim, purge=True, **DECLARATION)
    assert not purged.get("failed"), purged.get("msg")
    assert rule_names(sim) == ["Closed", "Door", "Motion to SD", "VMS status LED"]  # the LED rule never
    everything = converge(sim, purge=True, recording_rules=[], recording_schedules=[])
    assert rule_names(sim) == ["VMS status LED"]
    assert "purge recording_schedule Closed" in [r["resource"] for r in everything["resources"]]
    info = sim.run(StorageInfo, CAMERA, gather_subset=["recording_schedules"])["storage_info"]
    names = [s["name"] for s in info["recording_schedules"]]
    assert names == ["Office hours", "After hours", "Weekdays", "Weekends"]


def test_drift_behind_ansibles_back_is_found_and_repaired(sim):
    converge(sim, **DECLARATION)
    state = sim.state(CAMERA)
    rule_id = [k for k, v in state["action_rules"].items() if v["name"] == "Motion to SD"][0]
    sim.patch(CAMERA, {"action_rules": {rule_id: {"enabled": False}}})
    check = converge(sim, check_mode=True, **DECLARATION)
    report = drift_report({"cam": check}, "now")
    classes = dict((e["resource"], e["class"]) for e in report["devices"]["cam"]["resources"])
    assert classes["recording_rule Motion to SD"] == "drift"
    assert classes["recording_rule Door"] == "compliant"
    repaired = converge(sim, **DECLARATION)
    assert [r["resource"] for r in repaired["resources"] if r["changed"]] == ["recording_rule Motion to SD"]
    assert converge(sim, check_mode=True, **DECLARATION)["changed"] is False


def test_an_imported_device_converges_with_no_change(sim):
    sim.control(CAMERA, "preset", "POST", {"preset": "vms"})
    converge(sim, **DECLARATION)
    info = sim.run(StorageInfo, CAMERA)
    declaration = to_declaration(info)
    names = [r["name"] for r in declaration["recording_rules"]]
    assert names == ["VMS motion recording", "Motion to SD", "Closed", "Door"]
    assert declaration["recording_schedules"] == DECLARATION["recording_schedules"]
    sim.clear_log(CAMERA)
    for check_mode in (True, False):
        result = converge(sim, check_mode=check_mode, **declaration)
        assert result["changed"] is False and not result.get("failed"), result
    assert sim.writes(CAMERA) == []


def test_a_device_without_rules_imports_no_rules_key(sim):
    declaration = to_declaration(sim.run(StorageInfo, CAMERA))
    assert "recording_rules" not in declaration and "recording_schedules" not in declaration


def test_health_flags_a_rule_recording_to_an_unusable_disk(sim):
    converge(sim, **DECLARATION)
    info = sim.run(StorageInfo, CAMERA)
    report = health_report({"cam": info}, now=datetime.datetime.now(datetime.UTC))
    problems = [p for row in report["rows"] for p in row["problems"]]
    assert problems == ["recording rule 'Door' records to NetworkShare, which has no disk (status disconnected)"]
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"locked": True}}})
    info = sim.run(StorageInfo, CAMERA)
    report = health_report({"cam": info}, now=datetime.datetime.now(datetime.UTC))
    sd = [row for row in report["rows"] if row["disk_id"] == "SD_DISK"][0]
    assert "recording rule 'Motion to SD' records to SD_DISK, which is locked" in sd["problems"]
    assert sd["ok"] is False
