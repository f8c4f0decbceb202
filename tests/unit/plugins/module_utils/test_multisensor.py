# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Multi-sensor cameras: one continuous recording profile per video channel (`camera=N`).

Field use (AxisPowershell's Get-AxisContinuousRecordingProfile example, named in the real
captures' README) shows a 4-sensor camera with four profiles, ids 22-25, on one disk and event
id, told apart only by the stream option camera. Decisions on canned reads: any request fails.
"""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import parse_profile
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Step

NAME = "AXIS Q3819-PVE Panoramic Camera (firmware 12.11.77)"


class Caps:
    """What a 4-sensor camera's param.cgi tells; no API discovery needed for these decisions."""

    def __init__(self, sources=4, channels=4, limit="1"):
        self.apis = {"param-cgi": "1.0"}
        self.local_storage = {"ContinuousRecording": "yes", "NbrOfContinuousRecordingProfiles": limit}
        self.image_sources = sources
        self.video_channels = channels

    def describe(self):
        return NAME

    def has(self, api_id):
        return api_id in self.apis


def profile(number, camera=None, disk_id="SD_DISK", options="videocodec=h264&fps=25"):
    text = ("camera=%s&" % camera if camera is not None else "") + options
    return parse_profile({"@profile": str(number), "@diskid": disk_id, "@options": text, "@eventid": "continuous"})


FOUR = [profile(22, 1), profile(23, 2), profile(24, 3), profile(25, 4)]


@pytest.fixture
def camera(offline_session):
    def make(profiles, **caps):
        session = offline_session()
        session.caps = Caps(**caps)
        session._cache.update(
            profiles=list(profiles),
            networkshares={},
            disks={"SD_DISK": {"disk_id": "SD_DISK", "status": "OK", "mounted": True}},
        )
        return session

    return make


def params(**options):
    spec = module_argument_spec(ContinuousRecording)
    values = dict((name, spec[name].get("default")) for name in spec)
    values.update(host="127.0.0.1", username="root", password="pass")
    values.update(options)
    return values


def plan_for(session, **options):
    return ContinuousRecording(session, params(**options), check_mode=True).run(diff=True)


def failure(session, **options):
    with pytest.raises(VapixError) as caught:
        ContinuousRecording(session, params(**options), check_mode=True).run()
    assert session.client.calls == []
    return caught.value


H264 = {"videocodec": "h264", "fps": 25}


def test_the_stored_channel_is_part_of_the_parsed_profile():
    assert profile(23, 2)["camera"] == 2
    assert profile(22)["camera"] == 1  # no camera option: the first channel
    assert profile(26, "quad")["camera"] == "quad"
    assert profile(23, 2)["stream_options"] == {"camera": "2", "videocodec": "h264", "fps": "25"}


@pytest.mark.parametrize("camera_number", [1, 2, 3, 4])
def test_each_sensor_profile_is_its_own_and_unchanged(camera, camera_number):
    result = plan_for(camera(FOUR), disk_id="SD_DISK", stream_options=dict(H264, camera=camera_number))
    assert not result["changed"], result["steps"]
    assert result["profile"]["profile_id"] == 21 + camera_number
    assert result["profile"]["camera"] == camera_number
    assert result["profile"]["duplicate_profile_ids"] == []


def test_dedicated_camera_option_is_the_same_as_the_stream_option(camera):
    result = plan_for(camera(FOUR), disk_id="SD_DISK", camera=3, stream_options=H264)
    assert not result["changed"] and result["profile"]["profile_id"] == 24
    agree = plan_for(camera(FOUR), disk_id="SD_DISK", camera="3", stream_options=dict(H264, camera=3))
    assert not agree["changed"] and agree["profile"]["profile_id"] == 24


def test_camera_and_stream_options_camera_must_agree(camera):
    error = failure(camera(FOUR), disk_id="SD_DISK", camera=2, stream_options=dict(H264, camera=3))
    assert error.kind == "input"
    assert "camera=2 and stream_options.camera=3" in str(error)


@pytest.mark.parametrize("bad", [0, "front", True, -1])
def test_a_bad_camera_is_refused_before_any_request(camera, bad):
    error = failure(camera(FOUR), disk_id="SD_DISK", camera=bad, stream_options=H264)
    assert error.kind == "input" and "camera=" in str(error) and "quad" in str(error)


def test_changing_one_sensor_replaces_only_that_sensor(camera):
    result = plan_for(camera(FOUR), disk_id="SD_DISK", stream_options={"videocodec": "h264", "fps": 30, "camera": 2})
    assert [s["action"] for s in result["steps"]] == ["removeconfiguration", "addconfiguration"]
    assert result["steps"][0]["detail"].startswith("remove profile 23 (disk SD_DISK, event continuous, camera 2)")
    assert "camera=2" in result["steps"][1]["detail"]
    assert result["replaced_profile_id"] == 23


def test_a_new_sensor_profile_is_added_beside_the_others_the_device_decides_capacity(camera):
    session = camera(FOUR[:3])
    result = plan_for(session, disk_id="SD_DISK", stream_options=dict(H264, camera=4))
    assert [s["action"] for s in result["steps"]] == ["addconfiguration"]
    # limit 1 counted for the whole device would refuse this; per channel is only suggested
    assert "the device enforces its limit" in result["steps"][0]["detail"]


def test_profile_without_camera_is_the_first_channel(camera):
    # docs/spec-choices/multisensor.md: no camera = the device's default video source, channel 1
    result = plan_for(camera(FOUR), disk_id="SD_DISK", stream_options=H264)
    assert not result["changed"] and result["profile"]["profile_id"] == 22
    stored_without = camera([profile(30), profile(23, 2)])
    again = plan_for(stored_without, disk_id="SD_DISK", stream_options=dict(H264, camera=1))
    assert not again["changed"] and again["profile"]["profile_id"] == 30


def test_a_channel_beyond_the_device_is_refused_before_writing(camera):
    error = failure(camera(FOUR), disk_id="SD_DISK", stream_options=dict(H264, camera=5))
    assert error.kind == "input"
    assert "camera=5" in str(error) and "has 4 video channels" in str(error) and NAME in str(error)


def test_channels_not_readable_let_the_device_decide(camera):
    result = plan_for(
        camera([], sources=None, channels=None, limit="8"), disk_id="SD_DISK", stream_options=dict(H264, camera=7)
    )
    assert [s["action"] for s in result["steps"]] == ["addconfiguration"]


def test_single_sensor_keeps_the_known_capacity_check(camera):
    error = failure(
        camera([profile(5, disk_id="SD_DISK", options="fps=15")], sources=1, channels=1),
        disk_id="SD_DISK",
        event_id="other",
        stream_options=H264,
    )
    assert error.kind == "state" and "allows 1 continuous recording profile(s)" in str(error)


def test_absent_with_camera_removes_only_that_sensor_and_without_every_sensor(camera):
    one = plan_for(camera(FOUR), disk_id="SD_DISK", camera=3, state="absent")
    assert [s["detail"].split(":")[0] for s in one["steps"]] == [
        "remove profile 24 (disk SD_DISK, event continuous, camera 3)"
    ]
    every = plan_for(camera(FOUR), disk_id="SD_DISK", state="absent")
    assert len(every["steps"]) == 4


def test_the_devices_over_capacity_answer_is_mapped_to_a_clear_error(camera):
    session = camera(FOUR[:1])
    recording = ContinuousRecording(session, params(disk_id="SD_DISK", stream_options=dict(H264, camera=2)))
    recording.validate()
    current = recording.read()
    steps = recording.plan(current, recording.desired(current))
    (add,) = [s for s in steps if isinstance(s, Step) and s.action == "addconfiguration"]

    def refuse(cgi, args=None, **kwargs):
        raise VapixError(cgi, "Max number of configurations already configured")

    session.client.xml = refuse
    with pytest.raises(VapixError) as caught:
        add.run()
    message = str(caught.value)
    assert caught.value.kind == "state"
    assert "refused the profile for disk SD_DISK, event continuous, camera 2" in message
    assert "NbrOfContinuousRecordingProfiles=1" in message and "Max number of configurations" in message
    assert "Nothing was changed" in message and NAME in message


def test_an_over_capacity_refusal_is_reported_as_refused_not_executed(camera):
    # the device answered addconfiguration.cgi with an error and took nothing: no change
    session = camera(FOUR[:1])
    send = session.client.xml

    def refuse_add(cgi, args=None, **kwargs):
        if cgi == "record/continuous/addconfiguration.cgi":
            raise ApiError(cgi, "Max number of configurations already configured")
        return send(cgi, args, **kwargs)

    session.client.xml = refuse_add
    recording = ContinuousRecording(session, params(disk_id="SD_DISK", stream_options=dict(H264, camera=2)))
    with pytest.raises(VapixError) as caught:
        recording.run(diff=True)
    partial = caught.value.partial.result
    assert partial["changed"] is False
    (add,) = [step for step in partial["steps"] if step["action"] == "addconfiguration"]
    assert add["executed"] is False and add["failed"] is True and add["outcome"].startswith("refused")


# --- a whole device: purge per sensor ----------------------------------------------------------


def storage(session, profiles, purge):
    return DeviceStorage(
        session,
        {
            "disks": [],
            "network_shares": [],
            "external_devices": [],
            "recording_profiles": profiles,
            "allow_data_loss": False,
            "purge": purge,
            "job_timeout": 600,
        },
    )


def test_purge_with_sensor_one_declared_removes_exactly_the_other_three(camera):
    session = camera(FOUR)
    device = storage(session, [{"disk_id": "SD_DISK", "stream_options": dict(H264, camera=1)}], purge=True)
    purged = device.undeclared_profiles(device.declared())
    assert [p.label for p in purged] == ["purge recording_profile SD_DISK/continuous/camera %d" % n for n in (2, 3, 4)]
    removed = []
    for planned in purged:
        result = ContinuousRecording(session, planned.params, check_mode=True).run()
        removed.extend(s["detail"].split(" (")[0] for s in result["steps"])
    assert removed == ["remove profile 23", "remove profile 24", "remove profile 25"]


def test_purge_keeps_every_declared_sensor_and_a_profile_without_camera_is_sensor_one(camera):
    session = camera(FOUR)
    declared = [{"disk_id": "SD_DISK", "stream_options": H264}] + [
        {"disk_id": "SD_DISK", "camera": n, "stream_options": H264} for n in (2, 3, 4)
    ]
    device = storage(session, declared, purge=True)
    assert device.undeclared_profiles(device.declared()) == []
    labels = [p.label for p in device.declared()]
    assert len(set(labels)) == 4  # each sensor's profile is its own resource in the result


def test_whole_device_check_mode_four_sensors_converged_is_no_change(camera):
    session = camera(FOUR)
    declared = [{"disk_id": "SD_DISK", "stream_options": dict(H264, camera=n)} for n in (1, 2, 3, 4)]
    device = storage(session, declared, purge=True)
    device.check_mode = True
    result = device.run()
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False and result["summary"]["resources"] == 4
