# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed task reports, against simulated devices with injected faults: what it wrote,
the steps and jobs up to the failure, and the state it leaves; writes whose answer was lost;
jobs lost in a reboot; and check mode agreeing with the real run on a purge."""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ConnectionFailed, UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession

CAMERA, RECORDER = 0, 3
SHARE = dict(
    name="Recordings",
    address="nas.example.com",
    share="recordings",
    share_user="camera01",
    share_password="Nas-s3cret-42",
    test=False,
)


def session(sim, index):
    return DeviceSession.from_params(sim.params(index))


def run(sim, resource_cls, index, device=None, check_mode=False, **options):
    params = sim.resource_params(resource_cls, index, **options)
    return execute(resource_cls, params, check_mode=check_mode, diff=True, device=device)


def on_request(device, cgi, before=None, after=None):
    """Call `before()` ahead of the first request to `cgi`, `after()` once it has answered."""
    client = device.client
    send = client.request
    seen = []

    def request(name, *args, **kwargs):
        first = name == cgi and not seen
        if first:
            seen.append(name)
            if before:
                before()
        response = send(name, *args, **kwargs)
        if first and after:
            after()
        return response

    client.request = request


def lose_answer(device, cgi):
    """The device acts on the first request to `cgi`, but its answer never arrives."""

    def lost():
        raise ConnectionFailed(cgi, "cannot reach 127.0.0.1: Read timed out")

    on_request(device, cgi, after=lost)


def actions(result):
    return [(step["action"], step["executed"], bool(step.get("failed"))) for step in result["steps"]]


# --- a failure part-way says what was done ---------------------------------------------------


def test_a_failed_format_job_reports_the_write_and_the_unmounted_disk(sim):
    sim.faults(CAMERA, {"job_fail": {"at": 40, "description": "Card write error"}})
    result = run(sim, Disk, CAMERA, disk_id="SD_DISK", filesystem="ext4", allow_format=True, cleanup_max_age=30)
    assert result["failed"] and result["error_kind"] == "job"
    assert result["changed"] is True  # format.cgi was accepted: the disk was unmounted for it
    assert actions(result) == [("format", True, True), ("setcleanupmaxage", False, False)]
    assert "Card write error" in result["steps"][0]["outcome"]
    assert [(job["action"], job["result"]) for job in result["jobs"]] == [("format", "failed")]
    assert "disk SD_DISK is unmounted" in result["msg"] and "not done: setcleanupmaxage" in result["msg"]
    assert result["disk"]["mounted"] is False and result["disk"]["filesystem"] == "vfat"
    assert not sim.device(CAMERA).disks["SD_DISK"].mounted


def test_a_format_job_that_times_out_reports_the_write(sim, fake_clock):
    sim.faults(CAMERA, {"job_hang": True})
    result = run(sim, Disk, CAMERA, disk_id="SD_DISK", filesystem="ext4", allow_format=True, job_timeout=5)
    assert result["failed"] and result["error_kind"] == "timeout"
    assert result["changed"] is True
    assert [(job["action"], job["result"]) for job in result["jobs"]] == [("format", "timeout")]
    assert "disk SD_DISK is unmounted" in result["msg"]


def test_a_503_on_bind_after_add_reports_the_added_share(sim):
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/bind.cgi", before=lambda: sim.faults(CAMERA, {"http_503": 1}))
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert result["failed"] and result["http_status"] == 503
    assert result["changed"] is True
    assert actions(result) == [("add", True, False), ("bind", True, True)]
    assert "already done: add" in result["msg"] and "run the task again to finish" in result["msg"]
    assert "it now exists on the device" in result["msg"] and "is not bound to a disk" in result["msg"]
    assert result["share"]["name"] == "Recordings" and result["share"]["bound"] is False
    assert [s["nice_name"] for s in sim.state(CAMERA)["shares"].values()] == ["Recordings"]
    # the second run picks up from there: bind only
    again = run(sim, NetworkShare, CAMERA, **SHARE)
    assert not again.get("failed") and [s["action"] for s in again["steps"]] == ["bind"]


def test_the_same_failure_in_axis_storage_reports_the_resource_and_the_device_as_changed(sim):
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/bind.cgi", before=lambda: sim.faults(CAMERA, {"http_503": 1}))
    result = run(sim, DeviceStorage, CAMERA, device=device, network_shares=[SHARE])
    assert result["failed"] and result["changed"] is True
    entry = result["resources"][0]
    assert entry["resource"] == "network_share Recordings" and entry["failed"] and entry["changed"] is True
    assert [(s["action"], s["executed"]) for s in entry["steps"]] == [("add", True), ("bind", True)]
    assert entry["state"]["name"] == "Recordings" and "already done: add" in entry["msg"]
    assert result["summary"]["changed"] == 1 and result["summary"]["failed"] == 1


def test_a_missing_api_found_after_an_unmount_says_so(sim):
    # Firmware without the Disk properties encryption CGI: found only when enabling it.
    from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption

    device = session(sim, CAMERA)
    device.cached(
        "disk_capabilities:SD_DISK",
        lambda: {
            "filesystems": ["vfat", "ext4"],
            "required_filesystems": [],
            "required_fs_supported": None,
            "encryption_supported": True,
        },
    )

    def missing():
        raise UnsupportedError(
            "disks/properties/enablediskencryption.cgi", "the device has no such CGI (404 Not Found)", status=404
        )

    on_request(device, "disks/properties/enablediskencryption.cgi", before=missing)
    result = run(
        sim, Encryption, CAMERA, device=device, disk_id="SD_DISK", passphrase="Correct-Horse-9", allow_format=True
    )
    assert result["failed"] and result["error_kind"] == "unsupported"
    assert result["changed"] is True
    # the device refused enable (404), but the step then mounted the disk again: it did write
    assert actions(result)[:2] == [("unmount", True, False), ("enable", True, True)]
    assert "already done: unmount" in result["msg"] and "SD_DISK was mounted again" in result["msg"]
    assert [job["action"] for job in result["jobs"]] == ["unmount", "mount"]


def test_a_refused_first_write_changes_nothing_and_reads_nothing_back(sim):
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"filesystem": "ext4", "required_fs_supported": False}}})
    sim.clear_log(CAMERA)
    result = run(sim, Disk, CAMERA, disk_id="SD_DISK", required_filesystem="ext4")
    assert result["error_code"] == 30
    assert result["failed"] and result["changed"] is False
    assert "already done" not in result["msg"]
    assert [entry["cgi"] for entry in sim.log(CAMERA)][-1] == "disks/properties/setrequiredfs.cgi"  # no read-back


# --- concurrent runs: the device's truth -----------------------------------------------------


def another_client_converges(sim, **options):
    """What a concurrent run of the same declaration does, from its own session."""
    return lambda: run(sim, NetworkShare, CAMERA, **dict(SHARE, **options))


def test_two_converges_at_once_the_loser_finds_the_share_and_its_binding_made(sim):
    # the other run adds and binds the share between this run's read and its add
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/add.cgi", before=another_client_converges(sim))
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert not result.get("failed"), result
    # the device refused both writes of this run (220 NiceName not unique, 310 already bound)
    assert result["changed"] is False
    assert actions(result) == [("add", False, False), ("bind", False, False)]
    add, bind = result["steps"]
    assert (
        "error 220: The NiceName is not unique" in add["outcome"]["note"] and "another client" in add["outcome"]["note"]
    )
    assert "error 310" in bind["outcome"]["note"] and "is bound to disk NetworkShare" in bind["outcome"]["note"]
    assert result["share"]["bound"] is True and result["share"]["name"] == "Recordings"
    assert result["password_update"]["write"] is False and "another client" in result["password_update"]["reason"]
    assert [s["nice_name"] for s in sim.state(CAMERA)["shares"].values()] == ["Recordings"]


def test_the_loser_binds_the_share_the_winner_only_added(sim):
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/add.cgi", before=another_client_converges(sim, bound=False))
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert not result.get("failed"), result
    assert result["changed"] is True and actions(result) == [("add", False, False), ("bind", True, False)]
    assert result["share"]["bound"] is True


def test_the_same_race_in_axis_storage_counts_the_device_unchanged(sim):
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/add.cgi", before=another_client_converges(sim))
    result = run(sim, DeviceStorage, CAMERA, device=device, network_shares=[SHARE])
    assert not result.get("failed"), result
    entry = result["resources"][0]
    assert entry["changed"] is False and [(s["action"], s["executed"]) for s in entry["steps"]] == [
        ("add", False),
        ("bind", False),
    ]
    assert result["changed"] is False and result["summary"]["changed"] == 0


def test_another_share_under_the_same_name_fails_with_the_devices_refusal(sim):
    device = session(sim, CAMERA)
    on_request(
        device, "disks/networkshare/add.cgi", before=another_client_converges(sim, address="192.0.2.99", bound=False)
    )
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert result["failed"] and result["changed"] is False
    assert (result["cgi"], result["error_code"]) == ("disks/networkshare/add.cgi", 220)
    assert result["msg"].startswith("disks/networkshare/add.cgi: error 220: The NiceName is not unique")
    assert "changed meanwhile by another client, not by this task" in result["msg"]
    # refused: not executed, and nothing after it ran
    assert actions(result) == [("add", False, True), ("bind", False, False)]
    assert result["steps"][0]["outcome"].startswith("refused: ")


def test_a_share_added_meanwhile_is_not_taken_when_its_password_should_be_written(sim):
    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/add.cgi", before=another_client_converges(sim))
    result = run(sim, NetworkShare, CAMERA, device=device, update_password="always", **SHARE)
    assert result["failed"] and result["changed"] is False and result["error_code"] == 220
    assert actions(result) == [("add", False, True), ("bind", False, False)]


def test_a_rerun_racing_the_last_bind_of_a_killed_run_finds_it_bound(sim):
    run(sim, NetworkShare, CAMERA, **dict(SHARE, bound=False))  # the killed run had added the share
    other = session(sim, CAMERA)
    share_id = next(iter(sim.state(CAMERA)["shares"]))

    def killed_runs_bind():
        args = {"schemaversion": 1, "shareid": share_id, "automaticmount": "yes"}
        other.client.xml("disks/networkshare/bind.cgi", args, write=True)

    device = session(sim, CAMERA)
    on_request(device, "disks/networkshare/bind.cgi", before=killed_runs_bind)
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert not result.get("failed"), result
    assert result["changed"] is False and actions(result) == [("bind", False, False)]
    assert "error 310" in result["steps"][0]["outcome"]["note"]
    assert result["share"]["bound"] is True and result["share"]["mounted"] is True


def test_a_bind_refused_because_another_share_took_the_disk_fails_unexecuted(sim):
    run(sim, NetworkShare, CAMERA, **dict(SHARE, bound=False))
    device = session(sim, CAMERA)
    other_share = dict(SHARE)
    other_share.update(name="Other", address="192.0.2.7")
    on_request(device, "disks/networkshare/bind.cgi", before=lambda: run(sim, NetworkShare, CAMERA, **other_share))
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert result["failed"] and result["changed"] is False
    assert (result["cgi"], result["error_code"]) == ("disks/networkshare/bind.cgi", 300)
    assert "error 300" in result["msg"] and "No available disk" in result["msg"]
    assert actions(result) == [("bind", False, True)]


# --- a write whose answer is lost is read back ----------------------------------------------


def test_a_lost_answer_to_format_is_read_back_and_reported_as_done(sim):
    device = session(sim, CAMERA)
    lose_answer(device, "disks/format.cgi")
    result = run(sim, Disk, CAMERA, device=device, disk_id="SD_DISK", filesystem="ext4", allow_format=True)
    assert result["failed"] and result["error_kind"] == "connection"
    assert result["changed"] is True
    assert "got no answer, but reading the device back shows it took effect" in result["msg"]
    assert "mounted=False (was True)" in result["msg"]
    assert [e["cgi"] for e in sim.writes(CAMERA)] == ["disks/format.cgi"]


def test_a_lost_answer_to_add_finds_the_share_and_binds_it(sim):
    device = session(sim, CAMERA)
    lose_answer(device, "disks/networkshare/add.cgi")
    result = run(sim, NetworkShare, CAMERA, device=device, **SHARE)
    assert not result.get("failed"), result
    assert result["changed"] is True and result["share"]["bound"] is True
    assert "no answer" in result["steps"][0]["outcome"]["note"]
    # add.cgi was not repeated: one share
    assert sim.written_cgis(CAMERA) == ["disks/networkshare/add.cgi", "disks/networkshare/bind.cgi"]
    assert len(sim.state(CAMERA)["shares"]) == 1


# --- a reboot mid-job ------------------------------------------------------------------------


def reboot_during_first_job(sim, device, index, cgi, times=1):
    """The first job `cgi` starts hangs, and the device reboots while it runs (`times` jobs in a row)."""
    sim.faults(index, {"job_hang": {"persistent": times > 1}})
    client = device.client
    send = client.request
    started = []

    def request(name, *args, **kwargs):
        response = send(name, *args, **kwargs)
        if name == cgi and len(started) < times:
            started.append(name)
            if len(started) == times:
                sim.faults(index, {"job_hang": None})
            sim.faults(index, {"reboot_seconds": 0.5})
        return response

    client.request = request


def test_a_format_lost_in_a_reboot_is_started_again_and_finishes(sim):
    device = session(sim, CAMERA)
    reboot_during_first_job(sim, device, CAMERA, "disks/format.cgi")
    result = run(sim, Disk, CAMERA, device=device, disk_id="SD_DISK", filesystem="ext4", allow_format=True)
    assert not result.get("failed"), result
    assert result["changed"] and result["disk"]["filesystem"] == "ext4" and result["disk"]["mounted"] is True
    assert [job["result"] for job in result["jobs"] if job["action"] == "format"] == ["lost", "ok"]
    assert any("restarted during the format job of SD_DISK" in w for w in result["warnings"])


def test_an_unmount_lost_in_a_reboot_is_done_when_the_disk_shows_unmounted(sim):
    device = session(sim, CAMERA)
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"mount_on_boot": False}}})
    reboot_during_first_job(sim, device, CAMERA, "disks/mount.cgi")
    result = run(sim, Disk, CAMERA, device=device, disk_id="SD_DISK", mounted=False)
    assert not result.get("failed"), result
    assert result["disk"]["mounted"] is False
    assert [job["result"] for job in result["jobs"]] == ["lost", "ok"]
    assert "the disk is unmounted" in result["jobs"][1]["note"]
    assert sim.written_cgis(CAMERA) == ["disks/mount.cgi"]  # not repeated


def test_a_format_lost_in_two_reboots_fails_with_the_exact_state(sim):
    device = session(sim, CAMERA)
    reboot_during_first_job(sim, device, CAMERA, "disks/format.cgi", times=2)
    result = run(sim, Disk, CAMERA, device=device, disk_id="SD_DISK", filesystem="ext4", allow_format=True)
    assert result["failed"] and result["error_kind"] == "restarted" and result["changed"] is True
    assert "also when the job was started again" in result["msg"]
    # a format cut off by a reboot leaves no file system (docs/simulator.md): the message says so
    assert "Disk SD_DISK is now in state 'connected'" in result["msg"] and "file system none" in result["msg"]
    assert [job["result"] for job in result["jobs"]] == ["lost", "lost"]


# --- check mode predicts the real run: purge --------------------------------------------------

UNDECLARED_CAMERA = {
    "external_devices": {
        "old-cam": {"address": "old-cam.example.com", "username": "recorder", "password": "Old-s3cret-1"}
    },
    "profiles": {"40": {"disk_id": "HDD_DISK", "options": "device=old-cam&resolution=640x480"}},
}


@pytest.mark.parametrize("check_mode", [True, False])
def test_purging_a_camera_a_profile_records_from_needs_allow_data_loss(sim, check_mode):
    sim.patch(RECORDER, UNDECLARED_CAMERA)
    sim.clear_log(RECORDER)
    result = run(sim, DeviceStorage, RECORDER, check_mode=check_mode, purge=True)
    refused = [e for e in result["resources"] if e.get("error_kind") == "refused"]
    assert result["failed"] and [e["resource"] for e in refused] == ["purge external_device old-cam"]
    assert "profile(s) 40" in refused[0]["msg"] and "allow_data_loss=true" in refused[0]["msg"]
    assert sim.writes(RECORDER) == []
    assert "old-cam" in sim.state(RECORDER)["external_devices"]


def test_check_and_real_purge_say_the_same_and_with_the_opt_in_both_remove_it(sim):
    sim.patch(RECORDER, UNDECLARED_CAMERA)
    checked = run(sim, DeviceStorage, RECORDER, check_mode=True, purge=True)
    real = run(sim, DeviceStorage, RECORDER, purge=True)

    def refusal(result):
        return [(e["resource"], e["msg"]) for e in result["resources"] if e.get("error_kind") == "refused"]

    assert refusal(checked) == refusal(real)
    checked = run(sim, DeviceStorage, RECORDER, check_mode=True, purge=True, allow_data_loss=True)
    real = run(sim, DeviceStorage, RECORDER, purge=True, allow_data_loss=True)
    assert not checked.get("failed") and not real.get("failed"), (checked, real)
    changed = [e["resource"] for e in real["resources"] if e["changed"]]
    assert [e["resource"] for e in checked["resources"] if e["changed"]] == changed
    assert "purge external_device old-cam" in changed
    assert "old-cam" not in sim.state(RECORDER)["external_devices"]


def test_the_refusal_pass_leaves_the_session_reads_as_read(sim):
    sim.patch(RECORDER, UNDECLARED_CAMERA)
    device = session(sim, RECORDER)
    storage = DeviceStorage(device, sim.resource_params(DeviceStorage, RECORDER, purge=True))
    refused = storage.refusals(storage.declared())
    assert [e["resource"] for e in refused] == ["purge external_device old-cam"]
    assert "cached" not in vars(device)  # no method patched onto the session
    view = device.view()
    devices = view.cached("external_devices", lambda: None)
    devices.pop("old-cam")
    assert "old-cam" in device.cached("external_devices", lambda: None)
