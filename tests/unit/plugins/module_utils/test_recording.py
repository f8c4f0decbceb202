# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Continuous recording profiles: plan decisions on canned state, then end to end on the simulator."""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import parse_profile
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording

# --- sessions on canned reads (conftest.py offline_session): any request is a test failure ------


class CannedCaps:
    def __init__(self, name, apis, local_storage, image_sources=None, video_channels=None):
        self.name = name
        self.apis = apis
        self.local_storage = local_storage
        self.image_sources = image_sources
        self.video_channels = video_channels

    def describe(self):
        return self.name

    def has(self, api_id):
        return api_id in self.apis

    def missing(self, api_id, purpose, cgi=None):
        return UnsupportedError(cgi or api_id, "%s has no %s, which is needed to %s" % (self.name, api_id, purpose))


def disk(disk_id, status="OK"):
    return {"disk_id": disk_id, "status": status, "mounted": status == "OK"}


def profile(number, disk_id="SD_DISK", event_id="continuous", options="videocodec=h264&fps=25"):
    return parse_profile({"@profile": str(number), "@diskid": disk_id, "@options": options, "@eventid": event_id})


@pytest.fixture
def camera_session(offline_session):
    def make(profiles, limit="1", disks=("SD_DISK", "NetworkShare")):
        session = offline_session()
        session.caps = CannedCaps(
            "AXIS P3268-LVE Dome Camera (firmware 11.11.73)",
            {"param-cgi": "1.0"},
            {"ContinuousRecording": "yes", "NbrOfContinuousRecordingProfiles": limit},
        )
        session._cache.update(profiles=profiles, disks=dict((d, disk(d)) for d in disks))
        return session

    return make


@pytest.fixture
def recorder_session(offline_session):
    def make(profiles, external=("cam1", "cam2")):
        session = offline_session()
        session.caps = CannedCaps("AXIS S3008 Recorder (firmware 11.11.73)", {"ext-ip-dev-info": "2.1"}, {})
        session._cache.update(
            profiles=profiles,
            disks={"HDD_DISK": disk("HDD_DISK")},
            external_devices=dict((e, {"id": e}) for e in external),
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
    """Run in check mode (no writes possible) and return the result."""
    return ContinuousRecording(session, params(**options), check_mode=True).run(diff=True)


def failure(session, **options):
    with pytest.raises(VapixError) as caught:
        ContinuousRecording(session, params(**options), check_mode=True).run()
    assert session.client.calls == []
    return caught.value


H264 = {"videocodec": "h264", "fps": 25}


# --- decisions -------------------------------------------------------------------------------


def test_missing_profile_is_added_and_capacity_is_said(camera_session):
    result = plan_for(camera_session([]), disk_id="SD_DISK", stream_options=H264)
    assert result["changed"]
    assert [s["action"] for s in result["steps"]] == ["addconfiguration"]
    assert "options videocodec=h264&fps=25 (profile 1 of at most 1 on the device)" in result["steps"][0]["detail"]
    assert result["steps"][0]["executed"] is False
    assert result["diff"]["before"]["state"] == "absent"
    assert result["diff"]["after"]["stream_options"] == {"videocodec": "h264", "fps": "25"}


def test_same_pairs_in_another_order_and_format_are_no_change(camera_session):
    session = camera_session([profile(4, options="fps=025&videocodec=h264")])
    result = plan_for(session, disk_id="SD_DISK", stream_options={"videocodec": "h264", "fps": "25"})
    assert not result["changed"] and result["steps"] == []
    assert result["profile"]["profile_id"] == 4


def test_changed_options_replace_the_profile_and_the_diff_says_so(camera_session):
    session = camera_session([profile(4)])
    result = plan_for(session, disk_id="SD_DISK", stream_options={"videocodec": "h264", "fps": 30})
    assert [s["action"] for s in result["steps"]] == ["removeconfiguration", "addconfiguration"]
    assert "profiles cannot be changed and its options differ (fps 25 -> 30)" in result["steps"][0]["detail"]
    assert "recordings stay on the disk" in result["steps"][0]["detail"]
    assert "profile 1 of at most 1" in result["steps"][1]["detail"]  # the removal frees the only slot
    assert result["replaced_profile_id"] == 4
    assert result["diff"]["before"]["profile_id"] == 4 and result["diff"]["after"]["profile_id"] is None
    assert "replacing profile 4" in result["diff"]["after_header"]


def test_capacity_exceeded_is_refused_before_writing_naming_the_profiles(camera_session):
    session = camera_session([profile(4, disk_id="NetworkShare", event_id="nas")])
    error = failure(session, disk_id="SD_DISK", stream_options=H264)
    assert error.kind == "state"
    assert "allows 1 continuous recording profile(s)" in str(error)
    assert "4 (disk NetworkShare, event nas)" in str(error)
    assert "exclusive=true" in str(error)


def test_exclusive_removes_the_others_and_makes_room(camera_session):
    session = camera_session([profile(4, disk_id="NetworkShare", event_id="nas")])
    result = plan_for(session, disk_id="SD_DISK", stream_options=H264, exclusive=True)
    assert [s["action"] for s in result["steps"]] == ["removeconfiguration", "addconfiguration"]
    assert "not declared, and exclusive=true" in result["steps"][0]["detail"]
    assert result["diff"]["before"]["other_profiles"][0]["profile_id"] == 4
    assert result["diff"]["after"]["other_profiles"] == []


def test_duplicates_are_removed_keeping_the_matching_one(camera_session):
    session = camera_session([profile(2, options="fps=15"), profile(3)], limit="2")
    result = plan_for(session, disk_id="SD_DISK", stream_options=H264)
    assert [(s["action"], s["detail"].split(":")[0]) for s in result["steps"]] == [
        ("removeconfiguration", "remove profile 2 (disk SD_DISK, event continuous)")
    ]
    assert result["diff"]["before"]["profile_id"] == 3
    assert result["diff"]["before"]["duplicate_profile_ids"] == [2]


def test_absent_removes_only_the_declared_profile(camera_session):
    session = camera_session([profile(2), profile(3, disk_id="NetworkShare")], limit="2")
    result = plan_for(session, disk_id="SD_DISK", state="absent")
    assert [s["detail"].split(":")[0] for s in result["steps"]] == ["remove profile 2 (disk SD_DISK, event continuous)"]
    assert plan_for(camera_session([]), disk_id="SD_DISK", state="absent")["changed"] is False


def test_unknown_disk_is_refused_listing_the_disks(camera_session):
    error = failure(camera_session([]), disk_id="SD_DISK9", stream_options=H264)
    assert "SD_DISK9" in str(error) and "NetworkShare, SD_DISK" in str(error)


def test_unmounted_disk_is_accepted_with_a_warning(camera_session):
    session = camera_session([])
    session._cache["disks"]["NetworkShare"] = disk("NetworkShare", status="disconnected")
    result = plan_for(session, disk_id="NetworkShare", stream_options=H264)
    assert result["changed"]
    assert "not mounted (status 'disconnected')" in result["warnings"][0]


def test_camera_without_continuous_recording_is_refused(camera_session):
    session = camera_session([])
    session.caps.local_storage["ContinuousRecording"] = "no"
    assert "does not support continuous recording profiles" in str(
        failure(session, disk_id="SD_DISK", stream_options=H264)
    )


def test_recorder_identity_includes_the_device_and_its_limit_is_left_to_it(recorder_session):
    session = recorder_session([profile(7, disk_id="HDD_DISK", options="device=cam1&fps=30")])
    result = plan_for(session, disk_id="HDD_DISK", device="cam2", stream_options={"fps": 30})
    assert [s["action"] for s in result["steps"]] == ["addconfiguration"]  # cam1's profile stays
    assert "device=cam2&fps=30" in result["steps"][0]["detail"]
    assert "profile limit cannot be read" in result["steps"][0]["detail"]
    assert "resolution (recorder default 1920x1080)" in result["warnings"][0]
    same = plan_for(session, disk_id="HDD_DISK", device="cam1", stream_options={"fps": "30"})
    assert same["changed"] is False and same["profile"]["device"] == "cam1"


def test_recorder_absent_without_device_removes_every_camera_of_that_event(recorder_session):
    session = recorder_session(
        [profile(7, disk_id="HDD_DISK", options="device=cam1"), profile(8, disk_id="HDD_DISK", options="device=cam2")]
    )
    result = plan_for(session, disk_id="HDD_DISK", state="absent")
    assert [s["detail"].split(":")[0] for s in result["steps"]] == [
        "remove profile 7 (disk HDD_DISK, event continuous, device cam1)",
        "remove profile 8 (disk HDD_DISK, event continuous, device cam2)",
    ]
    only_cam2 = plan_for(session, disk_id="HDD_DISK", device="cam2", state="absent")
    assert len(only_cam2["steps"]) == 1 and "device cam2" in only_cam2["steps"][0]["detail"]


def test_recorder_profile_needs_an_existing_external_device(recorder_session):
    error = failure(recorder_session([]), disk_id="HDD_DISK", device="cam9", stream_options=H264)
    assert "device=cam9: AXIS S3008 Recorder" in str(error) and "it has: cam1, cam2" in str(error)
    error = failure(recorder_session([]), disk_id="HDD_DISK", stream_options=H264)
    assert "device is required on AXIS S3008 Recorder" in str(error) and "cam1, cam2" in str(error)


def test_device_on_a_camera_is_refused_naming_the_model(camera_session):
    session = camera_session([])
    assert "external_devices" not in session._cache

    def no_api(cgi, args=None, write=False, retry_write=False, method="GET"):
        session.client.calls.append((cgi, args, write))
        raise UnsupportedError(cgi, "the device has no such CGI (404 Not Found)", status=404)

    session.client.xml = no_api
    with pytest.raises(VapixError) as caught:
        ContinuousRecording(
            session, params(disk_id="SD_DISK", device="cam1", stream_options=H264), check_mode=True
        ).run()
    assert "AXIS P3268-LVE Dome Camera (firmware 11.11.73) has no ext-ip-dev-info" in str(caught.value)
    assert [write for _cgi, _args, write in session.client.calls] == [False]


@pytest.mark.parametrize(
    "options,expected",
    [
        (dict(stream_options={"resolutoin": "1920x1080"}), "did you mean 'resolution'?"),
        (dict(stream_options={}), "stream_options is empty"),
        (dict(stream_options=H264, state="absent", exclusive=True), "exclusive=true only works with state=present"),
        (dict(stream_options=H264, event_id=" x"), "event_id=' x'"),
        (dict(stream_options=H264, device="a b"), "device='a b'"),
        (dict(stream_options=H264, disk_id=""), "disk_id is empty"),
        (dict(stream_options={"fps": "x"}, state="absent"), "fps='x' is not valid"),
    ],
)
def test_bad_input_is_refused_before_any_request(camera_session, options, expected):
    session = camera_session([])
    session._cache.clear()  # a read would now go to the network and fail the test
    options.setdefault("disk_id", "SD_DISK")
    error = failure(session, **options)
    assert error.kind == "input" and expected in str(error)


# --- end to end on the simulator -------------------------------------------------------------

CAMERA, RECORDER = 0, 3


def run(sim, index, check_mode=False, **options):
    sim.clear_log(index)
    return sim.run(ContinuousRecording, index, check_mode=check_mode, **options)


def test_camera_converge_rerun_replace_and_check_mode(sim):
    first = run(
        sim, CAMERA, disk_id="SD_DISK", stream_options={"videocodec": "h264", "resolution": "1920x1080", "fps": 25}
    )
    assert first["changed"] and first["profile"]["profile_id"] == 1
    assert first["requests"] == 6  # list (+ auth challenge), disks, param.cgi, add, list
    assert sim.written_cgis(CAMERA) == ["record/continuous/addconfiguration.cgi"]
    again = run(
        sim, CAMERA, disk_id="SD_DISK", stream_options={"fps": "25", "resolution": "1920x1080", "videocodec": "h264"}
    )
    assert not again["changed"] and again["requests"] == 2
    checked = run(sim, CAMERA, check_mode=True, disk_id="SD_DISK", stream_options={"videocodec": "h264", "fps": 30})
    assert checked["changed"] and sim.written_cgis(CAMERA) == []
    replaced = run(sim, CAMERA, disk_id="SD_DISK", stream_options={"videocodec": "h264", "fps": 30})
    assert replaced["replaced_profile_id"] == 1 and replaced["profile"]["profile_id"] == 2
    # check mode planned exactly these steps
    assert [s["detail"] for s in replaced["steps"]] == [s["detail"] for s in checked["steps"]]
    assert [s.get("outcome") for s in replaced["steps"]] == [None, "profile 2"]
    assert sim.written_cgis(CAMERA) == [
        "record/continuous/removeconfiguration.cgi",
        "record/continuous/addconfiguration.cgi",
    ]
    state = sim.state(CAMERA)
    assert [p["options"] for p in state["profiles"].values()] == ["videocodec=h264&fps=30"]


def test_camera_capacity_and_typo_are_refused_without_writing(sim):
    run(sim, CAMERA, disk_id="SD_DISK", stream_options={"fps": 25})
    full = run(sim, CAMERA, disk_id="NetworkShare", event_id="nas", stream_options={"fps": 25})
    assert full["failed"] and full["error_kind"] == "state" and sim.written_cgis(CAMERA) == []
    typo = run(sim, CAMERA, disk_id="SD_DISK", stream_options={"resolutoin": "1920x1080"})
    assert typo["failed"] and "did you mean 'resolution'?" in typo["msg"]
    assert typo["requests"] == 0 and sim.log(CAMERA) == []


def test_camera_drift_converges_back(sim):
    run(sim, CAMERA, disk_id="SD_DISK", stream_options={"fps": 25})
    sim.patch(CAMERA, {"profiles": {"1": {"options": "fps=10"}}})
    back = run(sim, CAMERA, disk_id="SD_DISK", stream_options={"fps": 25})
    assert back["changed"] and back["replaced_profile_id"] == 1
    assert run(sim, CAMERA, disk_id="SD_DISK", stream_options={"fps": 25})["changed"] is False


def test_recorder_profile_with_external_device(sim):
    missing = run(sim, RECORDER, disk_id="HDD_DISK", device="cam1", stream_options={"fps": 30})
    assert missing["failed"] and "no external IP device with this id" in missing["msg"]
    assert sim.written_cgis(RECORDER) == []
    sim.patch(RECORDER, {"external_devices": {"cam1": {"address": "192.0.2.31", "username": "rec", "password": "x"}}})
    added = run(
        sim,
        RECORDER,
        disk_id="HDD_DISK",
        device="cam1",
        stream_options={"resolution": "1920x1080", "fps": 30, "videokeyframeinterval": 64, "audio": 0, "video": 1},
    )
    assert added["changed"] and added["profile"]["device"] == "cam1" and "warnings" not in added
    assert added["requests"] == 6  # list (+ auth challenge), disks, external devices, add, list
    state = sim.state(RECORDER)
    assert list(state["profiles"].values())[0]["options"].startswith("device=cam1&")
    again = run(
        sim,
        RECORDER,
        disk_id="HDD_DISK",
        device="cam1",
        stream_options={
            "video": True,
            "audio": False,
            "videokeyframeinterval": "64",
            "fps": 30,
            "resolution": "1920x1080",
        },
    )
    assert again["changed"] is False and again["requests"] == 2
