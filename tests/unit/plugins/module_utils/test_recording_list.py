# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info gather_subset=recordings: the oldest recording of each mounted disk
(Recording API, record/list.cgi), opt-in, one request per mounted disk."""

import datetime

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import SUBSETS, StorageInfo, select_subsets
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording

CAMERA, RECORDER = 0, 3


def ago(days):
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "given,expected",
    [
        (["all"], list(SUBSETS)),
        ([], list(SUBSETS)),
        (["recordings"], ["recordings"]),
        (["all", "recordings"], list(SUBSETS) + ["recordings"]),
        (["!disks", "recordings"], [s for s in SUBSETS if s != "disks"] + ["recordings"]),
        (["health", "recordings"], ["health", "recordings"]),
    ],
)
def test_recordings_is_opt_in(given, expected):
    assert select_subsets(given) == expected


def test_oldest_recording_of_each_mounted_disk(sim):
    result = sim.run(
        ContinuousRecording,
        CAMERA,
        disk_id="SD_DISK",
        stream_options={"videocodec": "h264", "resolution": "1280x720", "fps": 15},
    )
    assert not result.get("failed"), result.get("msg")
    sim.patch(
        CAMERA,
        {
            "disks": {"SD_DISK": {"cleanup_max_age": 0}},
            "recordings": {"old-1": {"disk_id": "SD_DISK", "start_time": ago(12), "stop_time": ago(11)}},
        },
    )
    sim.clear_log(CAMERA)
    result = sim.run(StorageInfo, CAMERA, diff=False, gather_subset=["recordings"])
    assert not result.get("failed"), result.get("msg")
    info = result["storage_info"]
    assert info["gathered"] == ["recordings"]
    assert info["recordings"]["SD_DISK"]["count"] == 2
    oldest = datetime.datetime.strptime(info["recordings"]["SD_DISK"]["oldest_start"], "%Y-%m-%dT%H:%M:%SZ")
    expected = datetime.datetime.strptime(ago(12), "%Y-%m-%dT%H:%M:%SZ")
    assert abs((oldest - expected).total_seconds()) < 60
    assert info["recordings"]["SD_DISK"]["oldest_recording_id"] == "old-1"
    # the unbound share disk is not asked: the device lists recordings of mounted disks only
    assert info["recordings"]["NetworkShare"] is None
    assert "not mounted" in info["unavailable"]["recordings.NetworkShare"]
    cgis = [e["cgi"] for e in sim.log(CAMERA) if e["status"] != 401]
    assert cgis == ["disks/list.cgi", "record/list.cgi"]
    assert [e for e in sim.log(CAMERA) if e["write"]] == []


def test_a_disk_without_recordings(sim):
    info = sim.run(StorageInfo, RECORDER, diff=False, gather_subset=["recordings"])["storage_info"]
    assert info["recordings"] == {"HDD_DISK": {"count": 0, "oldest_start": None, "oldest_recording_id": None}}
