# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brownfield import on the simulator: configure a device, read it (axis_storage_info), turn it
into a declaration (to_declaration) and converge that declaration, as written, with nothing
else: no change, no failure, no write, in check mode and for real."""

import json

import pytest
import yaml
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import to_declaration, to_declaration_yaml

CAMERA, RECORDER = 0, 3
NAS_PASSWORD = "Nas-Import-Secret-1"
CAM_PASSWORD = "Cam-Import-Secret-1"
PASSPHRASE = "Sd-Import-Passphrase-1"


def converge(sim, index, declaration, check_mode=False, **extra):
    options = dict(declaration)
    options.update(extra)
    return sim.run(DeviceStorage, index, check_mode=check_mode, diff=True, **options)


def read(sim, index):
    result = sim.run(StorageInfo, index, diff=False)
    assert not result.get("failed"), result.get("msg")
    return result


def assert_no_op(sim, index, declaration):
    for check_mode in (True, False):
        sim.clear_log(index)
        result = converge(sim, index, declaration, check_mode=check_mode)
        assert not result.get("failed"), result.get("msg")
        assert result["changed"] is False, [r for r in result["resources"] if r.get("changed")]
        assert sim.writes(index) == []


def test_a_configured_camera_imports_to_a_declaration_that_changes_nothing(sim, fake_clock):
    # A second card and a two-sensor setup: per-sensor profiles differ by their `camera` option.
    sim.patch(
        CAMERA,
        {
            "max_profiles": 2,
            "sensors": 2,
            "disks": {
                "SD_DISK2": {
                    "group": "S2",
                    "kind": "sd",
                    "device_node": "/dev/sd_disk2",
                    "total_kb": 31 * 1024 * 1024,
                    "filesystem": "ext4",
                }
            },
        },
    )
    by_hand = {
        "disks": [
            {
                "disk_id": "SD_DISK",
                "filesystem": "ext4",
                "cleanup_max_age": 14,
                "friendly_name": "card",
                "alert_levels": {"wear": 70, "temperature": 340},
                "encryption": {"passphrase": PASSPHRASE},
                "storage_limit": {"size": "20 GB"},
            },
            {"disk_id": "SD_DISK2", "cleanup_policy": "none", "locked": True},
        ],
        "network_shares": [
            {
                "name": "nas",
                "address": "nas.example.com",
                "share": "rec",
                "share_user": "cam",
                "share_password": NAS_PASSWORD,
                "mount_options": "vers=3.0",
                "storage_limit": {"size": "100 GB"},
            }
        ],
        "recording_profiles": [
            {"disk_id": "SD_DISK", "stream_options": {"camera": 1, "videocodec": "h264", "fps": 15}},
            {"disk_id": "SD_DISK2", "event_id": "sensor2", "stream_options": {"camera": 2, "resolution": "1280x720"}},
        ],
    }
    result = converge(sim, CAMERA, by_hand, allow_data_loss=True)
    assert not result.get("failed"), result.get("msg")

    info = read(sim, CAMERA)
    declaration = to_declaration(info)
    disks = dict((d["disk_id"], d) for d in declaration["disks"])
    assert list(disks) == ["SD_DISK", "SD_DISK2", "NetworkShare"]
    assert disks["SD_DISK"]["encryption"] == {"state": "enabled"}
    assert disks["SD_DISK"]["storage_limit"] == {"size": "20 GB"}
    assert disks["SD_DISK"]["alert_levels"] == {"wear": 70, "temperature": 340}
    assert disks["SD_DISK"]["friendly_name"] == "card"
    assert disks["SD_DISK2"]["locked"] is True and disks["SD_DISK2"]["cleanup_policy"] == "none"
    assert disks["SD_DISK2"]["encryption"] == {"state": "disabled"}
    assert declaration["network_shares"] == [
        {
            "name": "nas",
            "address": "nas.example.com",
            "share": "rec",
            "share_user": "cam",
            "update_password": "on_create",
            "bound": True,
            "mount_options": "vers=3.0",
            "storage_limit": {"size": "100 GB"},
        }
    ]
    cameras = sorted(p["stream_options"]["camera"] for p in declaration["recording_profiles"])
    assert cameras == ["1", "2"]
    assert "external_devices" not in declaration
    text = json.dumps(declaration)
    assert NAS_PASSWORD not in text and PASSPHRASE not in text

    assert_no_op(sim, CAMERA, declaration)

    # The file: the declaration under axis_storage, the secrets named in comments, not present.
    document = to_declaration_yaml(info, host="cam-0001", generated_at="2026-12-01T00:00:00Z")
    assert yaml.safe_load(document) == {"axis_storage": declaration}
    comments = [line for line in document.splitlines() if line.startswith("#")]
    assert any("share_password (share 'nas')" in line for line in comments)
    assert any("disks[SD_DISK].encryption.passphrase" in line for line in comments)
    assert NAS_PASSWORD not in document and PASSPHRASE not in document


def test_a_recorder_imports_its_cameras_without_their_password(sim, fake_clock):
    by_hand = {
        "disks": [{"disk_id": "HDD_DISK", "cleanup_max_age": 60}],
        "external_devices": [
            {
                "id": "door",
                "address": "192.0.2.31",
                "device_username": "rec",
                "device_password": CAM_PASSWORD,
                "description": "Front door",
                "protocol": "rtsph",
                "device_port": 8080,
                "events_enabled": True,
            },
            {
                "id": "yard",
                "address": "yard.example.com",
                "device_username": "rec",
                "device_password": CAM_PASSWORD,
                "serial_number": "ACCC8E012345",
            },
        ],
        "recording_profiles": [
            {"disk_id": "HDD_DISK", "device": "door", "stream_options": {"resolution": "1920x1080", "fps": 30}},
            {
                "disk_id": "HDD_DISK",
                "device": "yard",
                "stream_options": {"resolution": "1280x720", "fps": 10, "videocodec": "h265"},
            },
        ],
    }
    result = converge(sim, RECORDER, by_hand)
    assert not result.get("failed"), result.get("msg")
    info = read(sim, RECORDER)
    declaration = to_declaration(info)
    externals = dict((d["id"], d) for d in declaration["external_devices"])
    assert externals["door"]["events_enabled"] is True and externals["door"]["device_port"] == 8080
    assert "device_password" not in externals["door"] and externals["door"]["update_password"] == "on_create"
    assert externals["yard"]["serial_number"] == "ACCC8E012345"
    assert sorted(p["device"] for p in declaration["recording_profiles"]) == ["door", "yard"]
    assert CAM_PASSWORD not in json.dumps(declaration)
    assert_no_op(sim, RECORDER, declaration)
    # purge on top: the declaration is complete, so nothing is removed either
    sim.clear_log(RECORDER)
    result = converge(sim, RECORDER, declaration, check_mode=True, purge=True)
    assert result["changed"] is False and not result.get("failed")


@pytest.mark.parametrize(
    "state,status",
    [
        (
            {
                "encryption_enabled": False,
                "encrypted": True,
                "content_passphrase": "x",
                "passphrase_state": "missing",
                "mounted": False,
            },
            "no passphrase",
        ),
        ({"encryption_enabled": True, "encrypted": False, "passphrase": "x", "mounted": False}, "not encrypted"),
    ],
)
def test_an_encryption_state_only_a_secret_or_a_format_fixes_is_left_out_and_said(sim, fake_clock, state, status):
    sim.patch(CAMERA, {"disks": {"SD_DISK": dict(state, filesystem="ext4")}})
    info = read(sim, CAMERA)
    assert info["storage_info"]["disks"]["SD_DISK"]["status"] == status
    declaration, notes = to_declaration(info, with_notes=True)
    sd = [d for d in declaration["disks"] if d["disk_id"] == "SD_DISK"][0]
    assert "encryption" not in sd and sd["mounted"] is False
    assert any("disks[SD_DISK].encryption: not declared" in note and status in note for note in notes)
    assert_no_op(sim, CAMERA, declaration)


def test_a_factory_camera_declares_no_share_disk_and_converges_to_nothing(sim):
    declaration = to_declaration(read(sim, CAMERA))
    assert [d["disk_id"] for d in declaration["disks"]] == ["SD_DISK"]
    assert declaration["network_shares"] == [] and declaration["recording_profiles"] == []
    assert_no_op(sim, CAMERA, declaration)


def test_input_that_is_not_a_storage_info_result_is_refused():
    from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import ImportError_

    with pytest.raises(ImportError_, match="axis_storage_info"):
        to_declaration({"changed": False})
