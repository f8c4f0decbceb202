"""Recording API recordings: record/list.cgi, started by profiles, aged by clean-up."""

from __future__ import annotations

import datetime

from vapix_sim.control import apply_state_patch
from vapix_sim.handlers.recording_list import format_time, utc_now
from vapix_sim.http import REGISTRY

RC = "record/continuous/"
LIST = "record/list.cgi"


def recordings(result) -> list:
    listed = result.doc["root"]["recordings"]
    items = (listed or {}).get("recording") if isinstance(listed, dict) else None
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def ago(days: float) -> str:
    return format_time(utc_now() - datetime.timedelta(days=days))


def add_profile(call, device, disk="SD_DISK", options="videocodec=h264&resolution=1920x1080&fps=15", **args):
    return call(device, RC + "addconfiguration.cgi", diskid=disk, options=options, **args).doc["root"]["configure"]


def test_role_and_not_a_write():
    spec = REGISTRY["/axis-cgi/record/list.cgi"]
    assert (spec.role, spec.is_write({})) == ("viewer", False)


def test_a_profile_starts_a_recording_and_removing_it_stops_it(call, camera):
    assert recordings(call(camera, LIST, recordingid="all")) == []
    profile = add_profile(call, camera)["@profile"]
    listed = recordings(call(camera, LIST, recordingid="all", user="viewer"))
    assert len(listed) == 1
    rec = listed[0]
    assert rec["@diskid"] == "SD_DISK" and rec["@recordingstatus"] == "recording" and rec["@stoptime"] == ""
    assert rec["@recordingid"].endswith(camera.serial)
    assert (
        abs((utc_now() - datetime.datetime.fromisoformat(rec["@starttime"].replace("Z", "+00:00"))).total_seconds()) < 5
    )
    assert rec["video"]["@resolution"] == "1920x1080" and rec["video"]["@mimetype"] == "video/x-h264"
    call(camera, RC + "removeconfiguration.cgi", profile=profile)
    rec = recordings(call(camera, LIST, recordingid="all"))[0]
    assert rec["@recordingstatus"] == "completed" and rec["@stoptime"] != ""


def test_oldest_first_one_result_per_disk_and_counts(call, camera):
    camera.disks["SD_DISK"].cleanup_max_age = 0
    apply_state_patch(
        camera,
        {
            "recordings": {
                "a": {"disk_id": "SD_DISK", "start_time": ago(3), "stop_time": ago(2)},
                "b": {"disk_id": "SD_DISK", "start_time": ago(10), "stop_time": ago(9)},
                "c": {"disk_id": "SD_DISK", "start_time": ago(1)},
            }
        },
    )
    answer = call(camera, LIST, recordingid="all", diskid="SD_DISK", sortorder="ascending", maxnumberofresults=1)
    body = answer.doc["root"]["recordings"]
    assert (body["@totalnumberofrecordings"], body["@numberofrecordings"]) == ("3", "3")
    assert [r["@recordingid"] for r in recordings(answer)] == ["b"]
    # descending is the default; startatresultnumber counts from 1
    assert [r["@recordingid"] for r in recordings(call(camera, LIST, recordingid="all"))] == ["c", "a", "b"]
    assert [
        r["@recordingid"]
        for r in recordings(call(camera, LIST, recordingid="all", startatresultnumber=2, maxnumberofresults=1))
    ] == ["a"]
    assert [r["@recordingid"] for r in recordings(call(camera, LIST, starttime=ago(2.5)))] == ["c", "a"]
    assert [r["@recordingid"] for r in recordings(call(camera, LIST, recordingid="a"))] == ["a"]
    events = call(camera, LIST, listentity="eventid").doc["root"]["eventids"]["eventid"]
    assert events == "continuous"


def test_fifo_cleanup_keeps_only_max_age_days(call, camera):
    camera.disks["SD_DISK"].cleanup_policy = "fifo"
    camera.disks["SD_DISK"].cleanup_max_age = 7
    apply_state_patch(
        camera,
        {
            "recordings": {
                "gone": {"disk_id": "SD_DISK", "start_time": ago(20), "stop_time": ago(10)},
                "cut": {"disk_id": "SD_DISK", "start_time": ago(30)},
            }
        },
    )
    listed = recordings(call(camera, LIST, recordingid="all"))
    assert [r["@recordingid"] for r in listed] == ["cut"]
    start = datetime.datetime.fromisoformat(listed[0]["@starttime"].replace("Z", "+00:00"))
    assert abs((utc_now() - start).total_seconds() - 7 * 86400) < 5
    camera.disks["SD_DISK"].cleanup_policy = "none"
    assert len(recordings(call(camera, LIST, recordingid="all"))) == 2


def test_unmounted_disks_list_nothing_and_a_format_removes_recordings(call, camera, clock):
    add_profile(call, camera)
    apply_state_patch(
        camera, {"recordings": {"old": {"disk_id": "SD_DISK", "start_time": ago(3), "stop_time": ago(2)}}}
    )
    camera.disks["SD_DISK"].mounted = False
    assert recordings(call(camera, LIST, recordingid="all")) == []
    camera.disks["SD_DISK"].mounted = True
    call(camera, "disks/format.cgi", diskid="SD_DISK", filesystem="ext4")
    clock.advance(60)
    listed = recordings(call(camera, LIST, recordingid="all"))
    # the finished recording is gone; the running one goes on from the format
    assert [r["@recordingstatus"] for r in listed] == ["recording"]


def test_errors_name_the_problem(call, camera):
    missing = call(camera, LIST).doc["root"]["recordings"]
    assert missing["@result"] == "ERROR" and "recordingid" in missing["@errormsg"]
    bad = call(camera, LIST, starttime="yesterday").doc["root"]["recordings"]
    assert bad["@result"] == "ERROR" and "ISO 8601" in bad["@errormsg"]


def test_recorder_profiles_record_per_camera(call, recorder):
    from vapix_sim.model import ExternalDevice

    recorder.external_devices["entrance"] = ExternalDevice("entrance", address="192.0.2.31")
    add_profile(call, recorder, disk="HDD_DISK", options="device=entrance&resolution=1280x720")
    listed = recordings(call(recorder, LIST, recordingid="all", diskid="HDD_DISK"))
    assert len(listed) == 1 and listed[0]["@diskid"] == "HDD_DISK"
