# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording groups (Recording group API, AXIS OS 12) and rules that record into them, end to
end on the simulator (conftest.py's fleet: cameras 0-2 on the default firmware, recorder 3),
plus the 9.80 and 5.51 generations, which have no Recording group API.
"""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import list_action_configurations
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import (
    RecordingGroup,
    list_recording_groups,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession

from vapix_sim.background import BackgroundFleet  # noqa: E402  (conftest.py puts the simulator on the path)
from vapix_sim.fleet import FleetConfig  # noqa: E402
from vapix_sim.model import DEFAULT_PASSWORDS  # noqa: E402

CAMERA = 0
GROUP = dict(
    id="motion_sd",
    nice_name="Motion",
    disk_id="SD_DISK",
    retention_hours=168,
    stream_options={"videocodec": "h264", "fps": 15},
    pre_seconds=5,
    post_seconds=30,
)
GROUP_RULE = dict(
    name="Motion into group", trigger={"motion": {"camera": 1, "profile": 1}}, recording_group="motion_sd"
)
GROUP_CGIS = ("create", "update", "delete")


def edited(base, **changes):
    """base with some options changed (a new dictionary)."""
    options = dict(base)
    options.update(changes)
    return options


def group(sim, index=CAMERA, check_mode=False, **options):
    return sim.run(RecordingGroup, index, check_mode=check_mode, **options)


def rule(sim, index=CAMERA, check_mode=False, **options):
    return sim.run(RecordingRule, index, check_mode=check_mode, **options)


def groups_on(sim, index=CAMERA):
    return list_recording_groups(DeviceSession.from_params(sim.params(index)))


def group_writes(sim, index=CAMERA):
    return [entry["cgi"].rsplit("/", 1)[-1] for entry in sim.writes(index) if "recording_group" in entry["cgi"]]


def test_a_group_is_created_with_milliseconds_and_a_second_run_changes_nothing(sim):
    first = group(sim, **GROUP)
    assert first["changed"] is True, first
    assert [s["action"] for s in first["steps"]] == ["create"]
    stored = sim.state(CAMERA)["recording_groups"]["motion_sd"]
    assert stored["pre_duration"] == 5000 and stored["post_duration"] == 30000, stored
    assert stored["disk_id"] == "SD_DISK" and stored["retention_hours"] == 168 and stored["nice_name"] == "Motion"
    assert stored["stream_options"] == "videocodec=h264&fps=15"
    assert first["recording_group"]["pre_seconds"] == 5 and first["recording_group"]["post_seconds"] == 30
    sim.clear_log(CAMERA)
    second = group(sim, **GROUP)
    assert second["changed"] is False and second["steps"] == [], second
    assert sim.writes(CAMERA) == []


def test_check_mode_sends_no_write_and_predicts_the_run(sim):
    predicted = group(sim, check_mode=True, **GROUP)
    assert sim.writes(CAMERA) == []
    assert predicted["changed"] is True
    real = group(sim, **GROUP)
    assert [s["action"] for s in predicted["steps"]] == [s["action"] for s in real["steps"]]
    assert predicted["diff"]["after"] == real["diff"]["after"]
    assert predicted["recording_group"] == real["recording_group"]


def test_settings_are_updated_in_place_and_unset_ones_are_kept(sim):
    group(sim, **GROUP)
    changed = group(
        sim, id="motion_sd", disk_id="SD_DISK", post_seconds=60, stream_options={"fps": "015", "videocodec": "h264"}
    )
    assert [s["action"] for s in changed["steps"]] == ["update"], changed
    assert "post_seconds 30 -> 60" in changed["steps"][0]["detail"]
    assert "stream_options" not in changed["steps"][0]["detail"]  # 015 is 15
    stored = sim.state(CAMERA)["recording_groups"]["motion_sd"]
    assert stored["post_duration"] == 60000 and stored["pre_duration"] == 5000 and stored["retention_hours"] == 168
    assert group(sim, id="motion_sd", disk_id="SD_DISK", post_seconds=60)["changed"] is False


def test_another_disk_is_refused_without_the_data_loss_opt_in(sim):
    group(sim, **GROUP)
    sim.clear_log(CAMERA)
    refused = group(sim, **edited(GROUP, disk_id="NetworkShare"))
    assert refused["failed"] is True and refused["error_kind"] == "refused", refused
    assert "deleting a group deletes all of its recordings" in refused["msg"]
    assert "allow_data_loss=true" in refused["msg"] and refused["changed"] is False
    assert sim.writes(CAMERA) == []
    moved = group(sim, allow_data_loss=True, **edited(GROUP, disk_id="NetworkShare"))
    assert [s["action"] for s in moved["steps"]] == ["delete", "create"], moved
    assert moved["recreated_from_disk"] == "SD_DISK"
    assert groups_on(sim)["motion_sd"]["disk_id"] == "NetworkShare"
    assert groups_on(sim)["motion_sd"]["post_seconds"] == 30  # the declared settings go with it
    assert group(sim, **edited(GROUP, disk_id="NetworkShare"))["changed"] is False


def test_absent_needs_the_opt_in_and_deletes(sim):
    group(sim, **GROUP)
    refused = group(sim, id="motion_sd", state="absent")
    assert refused["error_kind"] == "refused" and "motion_sd" in refused["msg"], refused
    deleted = group(sim, id="motion_sd", state="absent", allow_data_loss=True)
    assert [s["action"] for s in deleted["steps"]] == ["delete"]
    assert deleted["recording_group"] == {"id": "motion_sd", "state": "absent"}
    assert groups_on(sim) == {}
    assert group(sim, id="motion_sd", state="absent")["changed"] is False


def test_a_rule_records_into_the_group_and_the_group_is_not_deleted_under_it(sim):
    group(sim, **GROUP)
    first = rule(sim, **GROUP_RULE)
    assert first["changed"] is True, first
    assert first["rule"]["recording_group"] == "motion_sd" and first["rule"]["disk_id"] is None
    configuration = list_action_configurations(DeviceSession.from_params(sim.params(CAMERA)))[
        first["rule"]["configuration_id"]
    ]
    assert configuration["template"] == "com.axis.action.unlimited.recording_group.storage"
    assert configuration["parameters"] == {"recording_group": "motion_sd"}
    assert rule(sim, **GROUP_RULE)["changed"] is False
    sim.clear_log(CAMERA)
    for options in (
        dict(state="absent", allow_data_loss=True),
        edited(GROUP, disk_id="NetworkShare", allow_data_loss=True),
    ):
        refused = group(sim, **edited(dict(id="motion_sd"), **options))
        assert refused["failed"] is True and refused["error_kind"] == "input", refused
        assert "'Motion into group' (rule %s)" % first["rule"]["rule_id"] in refused["msg"]
        assert sim.writes(CAMERA) == []
    # a rule that moves from the group to a disk is replaced
    moved = rule(sim, **edited(GROUP_RULE, recording_group=None, disk_id="SD_DISK"))
    assert "recording_group motion_sd -> None" in moved["steps"][0]["detail"], moved
    assert group(sim, id="motion_sd", state="absent", allow_data_loss=True)["changed"] is True


@pytest.mark.parametrize(
    "options, words",
    [
        (dict(recording_group="nowhere"), "recording_group=nowhere: AXIS"),
        (dict(recording_group="motion_sd", disk_id="SD_DISK"), "mutually exclusive"),
        (dict(recording_group="motion_sd", pre_seconds=5), "pre_seconds cannot be set on the rule"),
        (dict(recording_group="motion_sd", stream_options={"fps": 5}), "stream_options cannot be set"),
    ],
)
def test_a_rule_into_a_group_is_checked_before_any_write(sim, options, words):
    group(sim, **GROUP)
    sim.clear_log(CAMERA)
    base = dict(name="Motion into group", trigger={"motion": {"camera": 1, "profile": 1}})
    result = rule(sim, **edited(base, **options))
    assert result["failed"] is True and result["error_kind"] == "input", result
    assert words in result["msg"], result["msg"]
    assert sim.writes(CAMERA) == []


@pytest.mark.parametrize(
    "options, words",
    [
        (dict(id="has space"), "id='has space' must be 1 to 50"),
        (dict(id="x" * 51), "must be 1 to 50"),
        (dict(pre_seconds=-1), "pre_seconds=-1 must be from 0"),
        (dict(retention_hours=10**6), "retention_hours=1000000"),
        (dict(stream_options={"fsp": 15}), "did you mean 'fps'"),
        (dict(stream_options={"camera": 3}), "stream_options.camera=3"),
        (dict(disk_id="SD_DISK7"), "disk_id=SD_DISK7"),
    ],
)
def test_invalid_input_is_refused_before_any_write(sim, options, words):
    result = group(sim, **edited(GROUP, **options))
    assert result["failed"] is True and result["error_kind"] == "input", result
    assert words in result["msg"], result["msg"]
    assert result.get("changed") is False and sim.writes(CAMERA) == []


def test_a_device_error_names_the_cgi_code_and_description(sim, monkeypatch):
    # a group the device already has under another disk, created behind the module's back
    # between its read and its write: the device's answer is reported as it is
    resource = RecordingGroup(
        DeviceSession.from_params(sim.params(CAMERA)), sim.resource_params(RecordingGroup, CAMERA, **GROUP)
    )
    resource.validate()
    steps = resource.plan(resource.read(), resource.desired(None))
    group(sim, **GROUP)
    from ansible_collections.vapix.edge_storage.plugins.module_utils._api import ApiError

    with pytest.raises(ApiError) as raised:
        steps[0].run()
    assert raised.value.cgi == "record/recording_group/create.cgi" and raised.value.code == 210
    assert "not unique" in raised.value.description


# --- firmware without the Recording group API -------------------------------------------------


@pytest.fixture(scope="module")
def old_firmware():
    fleet = BackgroundFleet(
        FleetConfig(devices=2, base_port=0, profile="camera", firmware="9.80,5.51", control=True)
    ).start()
    yield fleet
    fleet.stop()


@pytest.mark.parametrize("index, firmware", [(0, "9.80"), (1, "5.51")])
def test_firmware_without_the_api_is_unsupported_before_any_write(old_firmware, index, firmware):
    params = dict((name, spec.get("default")) for name, spec in RecordingGroup.argument_spec.items())
    params.update(
        host="127.0.0.1",
        port=old_firmware.port(index),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        use_https=False,
        validate_certs=True,
        ca_path=None,
        timeout=5,
    )
    params.update(GROUP)
    result = execute(RecordingGroup, params, diff=True)
    assert result["failed"] is True and result["error_kind"] == "unsupported", result
    assert "has no Recording group API" in result["msg"] and firmware in result["msg"], result["msg"]
    assert result["cgi"] == "record/recording_group/list.cgi" and result["changed"] is False
