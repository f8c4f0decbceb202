# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage API options added for maintenance, on the simulator: file system check and repair
of a disk (disks/checkdisk.cgi, disks/repair.cgi) and the SMB mount options of a network share
(Storage.S#.ExtraMountOptions). Idempotent, check-mode safe, refused before any write where the
device could not do it."""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare

CAMERA, RECORDER = 0, 3
SHARE = dict(name="nas", address="nas.example.com", share="rec", share_user="cam", share_password="Nas-Pw-123")


@pytest.fixture
def device(sim, fake_clock):
    return sim


def writes(sim, index=CAMERA):
    return [e["cgi"] for e in sim.writes(index)]


def run_disk(sim, index=CAMERA, check_mode=False, **options):
    sim.clear_log(index)
    return sim.run(Disk, index, check_mode=check_mode, **options)


def failed_ext4_card(sim, mounted=True):
    sim.patch(
        CAMERA, {"disks": {"SD_DISK": {"filesystem": "ext4", "failed": True, "mounted": mounted, "auto_repair": False}}}
    )


# --- check and repair -------------------------------------------------------------------------


def test_if_failed_repairs_a_failed_card_then_does_nothing(device):
    failed_ext4_card(device)
    predicted = run_disk(device, disk_id="SD_DISK", check_filesystem="if_failed", allow_repair=True, check_mode=True)
    assert predicted["changed"] is True and writes(device) == []
    assert [s["action"] for s in predicted["steps"]] == ["unmount", "checkdisk", "mount"]
    result = run_disk(device, disk_id="SD_DISK", check_filesystem="if_failed", allow_repair=True)
    assert not result.get("failed"), result.get("msg")
    assert writes(device) == ["disks/mount.cgi", "disks/checkdisk.cgi", "disks/repair.cgi", "disks/mount.cgi"]
    assert "repaired" in result["steps"][1]["outcome"]
    assert result["disk"]["status"] == "OK" and result["disk"]["mounted"] is True
    again = run_disk(device, disk_id="SD_DISK", check_filesystem="if_failed", allow_repair=True)
    assert again["changed"] is False and writes(device) == []


def test_without_allow_repair_the_errors_are_reported_and_nothing_is_repaired(device):
    failed_ext4_card(device)
    result = run_disk(device, disk_id="SD_DISK", check_filesystem="if_failed")
    assert result["failed"] and "found errors" in result["msg"] and "allow_repair=true" in result["msg"]
    # the device does not say whether a failed disk is mounted: unmounted for the check, it stays so
    assert "left unmounted" in result["msg"]
    assert "disks/repair.cgi" not in writes(device)
    assert device.state(CAMERA)["disks"]["SD_DISK"]["failed"] is True


def test_a_healthy_card_is_checked_only_with_always(device):
    device.patch(CAMERA, {"disks": {"SD_DISK": {"filesystem": "ext4"}}})
    assert run_disk(device, disk_id="SD_DISK", check_filesystem="if_failed")["changed"] is False
    assert writes(device) == []
    result = run_disk(device, disk_id="SD_DISK", check_filesystem="always")
    assert result["changed"] is True and result["steps"][1]["outcome"] == "no file system errors found"
    assert writes(device) == ["disks/mount.cgi", "disks/checkdisk.cgi", "disks/mount.cgi"]


@pytest.mark.parametrize(
    "state,options,fragment",
    [
        ({"filesystem": "vfat", "failed": True}, {}, "checks and repairs ext4 only"),
        ({"filesystem": "ext4", "failed": True, "locked": True}, {"allow_repair": True}, "locked"),
        ({"filesystem": "ext4", "present": False}, {"check_filesystem": "always"}, "disconnected"),
    ],
)
def test_what_the_device_cannot_check_is_refused_before_any_write(device, state, options, fragment):
    device.patch(CAMERA, {"disks": {"SD_DISK": state}})
    options = dict({"check_filesystem": "if_failed"}, **options)
    result = run_disk(device, disk_id="SD_DISK", **options)
    assert result["failed"] and fragment in result["msg"]
    assert writes(device) == []


def test_allow_repair_without_a_check_is_bad_input(device):
    result = run_disk(device, disk_id="SD_DISK", allow_repair=True)
    assert result["failed"] and result["error_kind"] == "input" and "check_filesystem" in result["msg"]


# --- SMB mount options ----------------------------------------------------------------------


def run_share(sim, index=CAMERA, check_mode=False, **options):
    sim.clear_log(index)
    return sim.run(NetworkShare, index, check_mode=check_mode, **dict(SHARE, **options))


def test_mount_options_are_set_before_the_bind_and_then_left_alone(device):
    # the simulated NAS mounts only SMB 3
    predicted = run_share(device, mount_options="vers=3.0", check_mode=True)
    assert [s["action"] for s in predicted["steps"]] == ["test", "add", "param", "bind"]
    assert writes(device) == []
    result = run_share(device, mount_options="vers=3.0")
    assert not result.get("failed"), result.get("msg")
    assert device.state(CAMERA)["disks"]["NetworkShare"]["extra_mount_options"] == "vers=3.0"
    assert result["share"]["mount_options"] == "vers=3.0"
    assert run_share(device, mount_options="vers=3.0")["changed"] is False and writes(device) == []


def test_a_changed_option_mounts_a_mounted_share_again(device):
    first = run_share(device)
    assert not first.get("failed"), first.get("msg")
    device.patch(
        CAMERA, {"shares": {sid: {"required_mount_options": "vers=3.0"} for sid in device.state(CAMERA)["shares"]}}
    )
    result = run_share(device, mount_options="vers=3.0")
    assert not result.get("failed"), result.get("msg")
    assert [s["action"] for s in result["steps"]] == ["unmount", "param", "mount"]
    assert writes(device) == ["disks/mount.cgi", "param.cgi", "disks/mount.cgi"]
    assert result["diff"]["before"]["mount_options"] == "" and result["diff"]["after"]["mount_options"] == "vers=3.0"
    assert device.state(CAMERA)["disks"]["NetworkShare"]["mounted"] is True


@pytest.mark.parametrize(
    "options,fragment",
    [
        ({"mount_options": "vers=3.0, sec=ntlmssp"}, "without spaces"),
        ({"mount_options": "vers=3.0,credentials=/etc/x"}, "credentials= is a credential"),
        ({"mount_options": "vers=3.0", "bound": False}, "needs bound=true"),
    ],
)
def test_bad_mount_options_are_refused_before_any_request(device, options, fragment):
    result = run_share(device, **options)
    assert result["failed"] and result["error_kind"] == "input" and fragment in result["msg"]
    assert device.log(CAMERA) == []


def test_a_recorder_without_param_cgi_says_so_before_any_write(device):
    result = run_share(device, RECORDER, mount_options="vers=3.0")
    assert result["failed"] and "param.cgi" in result["msg"] and "mount_options" in result["msg"]
    assert writes(device, RECORDER) == []


def test_a_declared_mount_is_done_once_after_the_repair(device):
    failed_ext4_card(device)
    result = run_disk(device, disk_id="SD_DISK", mounted=True, check_filesystem="if_failed", allow_repair=True)
    assert not result.get("failed"), result.get("msg")
    assert [s["action"] for s in result["steps"]] == ["unmount", "checkdisk", "mount"]
    assert writes(device).count("disks/mount.cgi") == 2 and result["disk"]["mounted"] is True


def test_the_whole_device_declaration_takes_both_options(device):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage

    failed_ext4_card(device)
    declaration = {
        "disks": [{"disk_id": "SD_DISK", "check_filesystem": "if_failed", "allow_repair": True}],
        "network_shares": [dict(SHARE, mount_options="vers=3.0")],
    }
    result = device.run(DeviceStorage, CAMERA, **declaration)
    assert not result.get("failed"), result.get("msg")
    state = device.state(CAMERA)
    assert state["disks"]["SD_DISK"]["failed"] is False
    assert state["disks"]["NetworkShare"]["extra_mount_options"] == "vers=3.0"
    again = device.run(DeviceStorage, CAMERA, check_mode=True, **declaration)
    assert again["changed"] is False
