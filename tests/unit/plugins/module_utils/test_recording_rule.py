# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording rules and schedules end to end on the simulator (conftest.py's fleet: cameras 0-2,
recorder 3), plus a fleet of a 4-sensor camera and the 5.51 and 9.80 firmware generations.

Each test starts from factory state: the predefined schedules, no rules.
"""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import (
    add_action_configuration,
    add_action_rule,
    list_action_configurations,
    list_action_rules,
    list_scheduled_events,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_schedule import RecordingSchedule
from ansible_collections.vapix.edge_storage.plugins.module_utils._schedules import OWN_ID_PREFIX
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession

from vapix_sim.background import BackgroundFleet  # noqa: E402  (conftest.py puts the simulator on the path)
from vapix_sim.fleet import FleetConfig  # noqa: E402
from vapix_sim.model import DEFAULT_PASSWORDS  # noqa: E402

CAMERA, RECORDER = 0, 3
MOTION = dict(
    name="Motion to SD",
    trigger={"motion": {"camera": 1, "profile": 1}},
    disk_id="SD_DISK",
    stream_options={"videocodec": "h264", "fps": 15},
    pre_seconds=5,
    post_seconds=30,
)


def merged(base, **changes):
    """base with some options changed (a copy)."""
    options = dict(base)
    options.update(changes)
    return options


def rule(sim, index=CAMERA, check_mode=False, **options):
    return sim.run(RecordingRule, index, check_mode=check_mode, **options)


def schedule(sim, index=CAMERA, check_mode=False, **options):
    return sim.run(RecordingSchedule, index, check_mode=check_mode, **options)


def session(sim, index=CAMERA):
    return DeviceSession.from_params(sim.params(index))


def soap_writes(sim, index=CAMERA):
    return [entry["args"]["operation"] for entry in sim.writes(index) if entry["cgi"] == "/vapix/services"]


# --- rules on a camera ----------------------------------------------------------------------


def test_motion_rule_converges_from_factory_state_and_is_idempotent(sim):
    first = rule(sim, **MOTION)
    assert first["changed"] is True, first
    assert [s["action"] for s in first["steps"]] == ["AddActionConfiguration", "AddActionRule"]
    assert first["rule"]["trigger"] == {"motion": {"camera": 1, "profile": 1}}
    assert first["rule"]["pre_seconds"] == 5 and first["rule"]["post_seconds"] == 30
    assert first["rule"]["while_active"] is True and first["rule"]["disk_id"] == "SD_DISK"
    device = session(sim)
    configuration = list_action_configurations(device)[first["rule"]["configuration_id"]]
    assert configuration["template"] == "com.axis.action.unlimited.recording.storage"
    assert configuration["name"] == "vapix.edge_storage: Motion to SD"
    assert configuration["parameters"] == {
        "storage_id": "SD_DISK",
        "stream_options": "videocodec=h264&fps=15",
        "pre_duration": "5000",
        "post_duration": "30000",
    }
    sim.clear_log(CAMERA)
    second = rule(sim, **MOTION)
    assert second["changed"] is False and second["steps"] == []
    assert soap_writes(sim) == []


def test_check_mode_sends_no_write_and_predicts_the_run(sim):
    predicted = rule(sim, check_mode=True, **MOTION)
    assert sim.writes(CAMERA) == []
    assert predicted["changed"] is True and predicted["rule"]["rule_id"] is None
    real = rule(sim, **MOTION)
    assert [s["action"] for s in predicted["steps"]] == [s["action"] for s in real["steps"]]
    assert predicted["diff"]["after"]["trigger"] == real["diff"]["after"]["trigger"]


def test_a_changed_rule_is_removed_and_added_again_with_its_configuration(sim):
    before = rule(sim, **MOTION)["rule"]
    changed = rule(sim, **merged(MOTION, post_seconds=60, while_active=False))
    assert changed["changed"] is True
    assert [s["action"] for s in changed["steps"]] == [
        "RemoveActionRule",
        "RemoveActionConfiguration",
        "AddActionConfiguration",
        "AddActionRule",
    ]
    assert "post_seconds 30 -> 60" in changed["steps"][0]["detail"]
    assert changed["replaced_rule_id"] == before["rule_id"]
    assert changed["diff"]["before"]["post_seconds"] == 30 and changed["diff"]["after"]["post_seconds"] == 60
    assert "removed and added again" in changed["diff"]["after_header"]
    device = session(sim)
    assert before["configuration_id"] not in list_action_configurations(device)  # not left behind
    assert [r["name"] for r in list_action_rules(device).values()] == ["Motion to SD"]
    template = list_action_configurations(device)[changed["rule"]["configuration_id"]]["template"]
    assert template == "com.axis.action.fixed.recording.storage"
    assert rule(sim, **merged(MOTION, post_seconds=60, while_active=False))["changed"] is False


def test_absent_removes_the_rule_and_its_configuration(sim):
    rule(sim, **MOTION)
    removed = rule(sim, name="Motion to SD", state="absent")
    assert [s["action"] for s in removed["steps"]] == ["RemoveActionRule", "RemoveActionConfiguration"]
    device = session(sim)
    assert list_action_rules(device) == {} and list_action_configurations(device) == {}
    assert rule(sim, name="Motion to SD", state="absent")["changed"] is False


def test_a_configuration_left_by_a_failed_run_is_removed_and_no_other(sim):
    device = session(sim)
    parameters = [("storage_id", "SD_DISK"), ("stream_options", ""), ("pre_duration", "0"), ("post_duration", "0")]
    left = add_action_configuration(
        device, "vapix.edge_storage: Motion to SD", "com.axis.action.unlimited.recording.storage", parameters
    )
    foreign = add_action_configuration(
        device, "Motion to SD", "com.axis.action.unlimited.recording.storage", parameters
    )
    result = rule(sim, **MOTION)
    assert [s["action"] for s in result["steps"]] == [
        "RemoveActionConfiguration",
        "AddActionConfiguration",
        "AddActionRule",
    ]
    assert "no rule uses it" in result["steps"][0]["detail"]
    configs = list_action_configurations(session(sim))
    assert left not in configs and foreign in configs
    assert rule(sim, **MOTION)["changed"] is False


@pytest.mark.parametrize(
    "options, words",
    [
        (dict(trigger={"motion": {"camera": 9, "profile": 1}}), "trigger.motion camera 9 profile 1: AXIS"),
        (dict(disk_id="SD_DISK7"), "disk_id=SD_DISK7"),
        (dict(trigger={"input": {"port": 5}}), "trigger.input.port=5"),
        (dict(trigger={"schedule": {"name": "Lunch"}}), "trigger.schedule.name=Lunch"),
        (dict(stream_options={"camera": 3}), "stream_options.camera=3"),
        (dict(stream_options={"resolutoin": "1280x720"}), "did you mean 'resolution'"),
    ],
)
def test_invalid_input_is_refused_before_any_write(sim, options, words):
    result = rule(sim, **merged(MOTION, **options))
    assert result["failed"] is True and result["error_kind"] == "input", result
    assert words in result["msg"], result["msg"]
    assert result.get("changed") is False and sim.writes(CAMERA) == []


def test_a_motion_trigger_the_camera_lacks_names_what_exists(sim):
    result = rule(sim, **merged(MOTION, trigger={"motion": {"camera": 9}}))
    assert "it offers motion for: camera 1 profile 1" in result["msg"]


def test_schedule_and_input_and_virtual_input_triggers(sim):
    for name, trigger in (
        ("Nights", {"schedule": {"name": "After hours"}}),
        ("Door", {"input": {"port": 1, "state": "inactive"}}),
        ("VMS says so", {"virtual_input": {"port": 3}}),
    ):
        result = rule(sim, name=name, trigger=trigger, disk_id="SD_DISK")
        assert result["changed"] is True and result["rule"]["trigger"] == trigger, result
        assert rule(sim, name=name, trigger=trigger, disk_id="SD_DISK")["changed"] is False
    conditions = dict((r["name"], r["conditions"][0]) for r in list_action_rules(session(sim)).values())
    assert conditions["Nights"] == {
        "topic": "UserAlarm/Recurring/Interval",
        "items": [("active", "1"), ("id", "com.axis.schedules.after_hours")],
    }
    assert conditions["Door"]["items"] == [("port", "1"), ("state", "0")]


# --- what other software made -----------------------------------------------------------------


def test_a_non_recording_rule_of_the_same_name_is_refused(sim):
    sim.control(CAMERA, "preset", "POST", {"preset": "vms"})
    sim.clear_log(CAMERA)
    result = rule(sim, **merged(MOTION, name="VMS status LED"))
    assert result["failed"] is True and "is not a recording rule" in result["msg"], result
    assert "ledcontrol" in result["msg"]
    assert sim.writes(CAMERA) == []


def test_a_vms_recording_rule_declared_by_name_is_replaced_but_its_configuration_stays(sim):
    sim.control(CAMERA, "preset", "POST", {"preset": "vms"})
    sim.clear_log(CAMERA)
    vms_configs = dict((c["configuration_id"], c["name"]) for c in list_action_configurations(session(sim)).values())
    result = rule(sim, **merged(MOTION, name="VMS motion recording"))
    assert [s["action"] for s in result["steps"]] == ["RemoveActionRule", "AddActionConfiguration", "AddActionRule"]
    configs = list_action_configurations(session(sim))
    for config_id, name in vms_configs.items():
        assert configs[config_id]["name"] == name  # never touched, even when unused
    names = sorted(r["name"] for r in list_action_rules(session(sim)).values())
    assert names == ["VMS motion recording", "VMS status LED"]


def test_soap_faults_name_the_operation_code_and_text(sim):
    with pytest.raises(ApiError) as caught:
        condition = {"expression": "tns1:Device/tnsaxis:IO/VirtualInput", "items": [("active", "1"), ("port", "1")]}
        add_action_rule(session(sim), "Broken", True, [condition], 999)
    error = caught.value
    assert error.cgi == "action1 AddActionRule"
    assert "aa:NoSuchConfiguration" in error.code and error.status == 400
    assert "999" in error.description


# --- recorder -------------------------------------------------------------------------------


def test_recorder_records_an_external_device_on_its_motion(sim):
    sim.control(RECORDER, "preset", "POST", {"preset": "vms"})  # adds the external device vms_camera_1
    options = dict(
        name="Door camera motion",
        device="vms_camera_1",
        trigger={"motion": {}},
        disk_id="HDD_DISK",
        stream_options={"resolution": "1280x720", "fps": 15},
        post_seconds=10,
    )
    result = rule(sim, RECORDER, **options)
    assert result["changed"] is True, result
    assert result["rule"]["trigger"] == {"motion": {"device": "vms_camera_1"}}
    assert result["rule"]["device"] == "vms_camera_1"
    assert rule(sim, RECORDER, **options)["changed"] is False
    missing = rule(sim, RECORDER, **merged(options, name="Other", device="nope"))
    assert missing["failed"] and "device=nope" in missing["msg"]
    camera_motion = rule(sim, RECORDER, **merged(options, name="Other", trigger={"motion": {"camera": 1}}))
    assert camera_motion["failed"] and "trigger.motion.device" in camera_motion["msg"]


# --- schedules ------------------------------------------------------------------------------

CLOSED = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "07:00"}]


def test_custom_schedule_converges_and_a_rule_uses_it(sim):
    added = schedule(sim, name="Closed", weekly=CLOSED)
    assert added["changed"] is True and added["schedule"]["event_id"] == OWN_ID_PREFIX + "closed"
    assert schedule(sim, name="Closed", weekly=CLOSED)["changed"] is False
    # a change keeps the event id
    later = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "19:00", "end": "07:00"}]
    changed = schedule(sim, name="Closed", weekly=later)
    assert not changed.get("failed"), changed.get("msg")
    assert [s["action"] for s in changed["steps"]] == ["RemoveScheduledEvent", "AddScheduledEvent"]
    assert changed["schedule"]["event_id"] == OWN_ID_PREFIX + "closed" and changed["schedule"]["weekly"] == later
    result = rule(sim, name="Closed", trigger={"schedule": {"name": "Closed"}}, disk_id="SD_DISK")
    assert result["changed"] and not result.get("failed")
    # a device refuses to remove a schedule a rule uses: the change is refused before any write
    sim.clear_log(CAMERA)
    refused = schedule(sim, name="Closed", weekly=CLOSED)
    assert refused["failed"] and "used by the rule Closed" in refused["msg"] and soap_writes(sim) == []


def test_a_schedule_a_rule_uses_is_not_removed(sim):
    schedule(sim, name="Closed", weekly=CLOSED)
    rule(sim, name="Closed", trigger={"schedule": {"name": "Closed"}}, disk_id="SD_DISK")
    sim.clear_log(CAMERA)
    refused = schedule(sim, name="Closed", state="absent")
    assert refused["failed"] and "used by the rule Closed" in refused["msg"] and soap_writes(sim) == []


def test_predefined_schedules_are_read_only_references(sim):
    assert schedule(sim, name="After hours")["changed"] is False
    same = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "17:00", "end": "08:00"}]
    assert schedule(sim, name="After hours", weekly=same)["changed"] is False
    other = schedule(sim, name="After hours", weekly=CLOSED)
    assert other["failed"] and "predefined" in other["msg"] and "never changed" in other["msg"]
    gone = schedule(sim, name="Weekends", state="absent")
    assert gone["failed"] and "never removed" in gone["msg"]
    assert sim.writes(CAMERA) == []
    assert "com.axis.schedules.weekends" in list_scheduled_events(session(sim))


def test_intervals_with_different_times_are_refused(sim):
    result = schedule(sim, name="Split", weekly=CLOSED + [{"days": ["sat"], "start": "00:00", "end": "24:00"}])
    assert result["failed"] and "one schedule per start and end time" in result["msg"]


# --- other generations: a 4-sensor camera, firmware 5.51 and 9.80 ----------------------------


@pytest.fixture(scope="module")
def generations():
    fleet = BackgroundFleet(
        FleetConfig(devices=3, base_port=0, profile="camera", firmware="12.11,5.51,9.80", sensors=4, control=True)
    ).start()
    yield fleet
    fleet.stop()


def run_on(fleet, index, **options):
    params = dict((name, spec.get("default")) for name, spec in RecordingRule.argument_spec.items())
    params.update(
        host="127.0.0.1",
        port=fleet.port(index),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        use_https=False,
        validate_certs=True,
        ca_path=None,
        timeout=5,
    )
    params.update(options)
    return execute(RecordingRule, params, diff=True)


def test_multisensor_camera_has_a_rule_per_sensor(generations):
    for sensor in (1, 2, 3, 4):
        options = dict(
            name="Motion sensor %d" % sensor,
            trigger={"motion": {"camera": sensor}},
            disk_id="SD_DISK",
            stream_options={"camera": sensor, "fps": 10},
            post_seconds=20,
        )
        assert run_on(generations, 0, **options)["changed"] is True
        assert run_on(generations, 0, **options)["changed"] is False
    refused = run_on(generations, 0, name="Five", trigger={"motion": {"camera": 5}}, disk_id="SD_DISK")
    assert "camera 4 profile 1" in refused["msg"]


def test_firmware_551_motion_is_the_video_sources_motion_alarm(generations):
    result = run_on(generations, 1, **MOTION)
    assert result["changed"] is True, result
    assert "tns1:VideoSource/MotionAlarm" in result["steps"][1]["detail"]
    assert run_on(generations, 1, **MOTION)["changed"] is False


def test_firmware_980_without_the_web_service_says_so(generations):
    result = run_on(generations, 2, **MOTION)
    assert result["failed"] and result["error_kind"] == "unsupported", result
    assert "no Event and action services" in result["msg"]
