"""Disk management API (disks/*.cgi) of the simulator, called directly (no HTTP)."""

from __future__ import annotations

import pytest

from vapix_sim.http import REGISTRY
from vapix_sim.model import JOB_SECONDS, Share

LIST_ATTRIBUTE_ORDER = [
    "diskid",
    "name",
    "totalsize",
    "freesize",
    "cleanuplevel",
    "cleanupmaxage",
    "cleanuppolicy",
    "locked",
    "full",
    "readonly",
    "status",
    "filesystem",
    "group",
    "requiredfilesystem",
    "encryptionenabled",
    "diskencrypted",
]


class FailJobs:
    """Stand-in for faults.Faults: every job fails at `fail_at` percent."""

    def __init__(self, fail_at=50, description="Simulated failure"):
        self.fail_at = fail_at
        self.description = description

    def shape_job(self, job):
        job.fail_at = self.fail_at
        job.fail_description = self.description


class HangJobs:
    def shape_job(self, job):
        job.never_finish = True


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def listed(call, device, diskid="all"):
    doc = call(device, "disks/list.cgi", diskid=diskid).doc
    return {d["@diskid"]: d for d in as_list(doc["root"]["disks"].get("disk"))}


def start(call, device, path, **args):
    """Start a job; return the job element's attributes."""
    reply = call(device, "disks/" + path, **args)
    assert reply.status == 200
    return reply.doc["root"]["job"]


def started_id(job):
    assert job["@result"] == "OK", job
    return job["@jobid"]


def poll(call, device, jobid, diskid):
    return call(device, "disks/job.cgi", jobid=jobid, diskid=diskid).doc["root"]["job"]


def run_job(call, device, clock, path, **args):
    """Start a job and let it finish; return the final job.cgi answer."""
    job = start(call, device, path, **args)
    jobid = started_id(job)
    clock.advance(max(JOB_SECONDS.values()) + 1)
    return poll(call, device, jobid, args["diskid"])


def bind_share(device):
    """What a bind through the Network share API leaves behind (that API is another module)."""
    share = Share("35419", "My Share", "nas", "rec", bound=True)
    device.shares[share.share_id] = share
    disk = device.disks["NetworkShare"]
    disk.present = True
    disk.mounted = True
    disk.total_kb = 1024 * 1024 * 1024
    disk.used_kb = 1000
    return share, disk


# --- roles and registration ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, role, writes",
    [
        ("disks/list.cgi", "operator", False),
        ("disks/format.cgi", "admin", True),
        ("disks/checkdisk.cgi", "operator", True),
        ("disks/repair.cgi", "admin", True),
        ("disks/mount.cgi", "admin", True),
        ("disks/job.cgi", "operator", False),
        ("disks/lock.cgi", "admin", True),
        ("disks/getcapabilities.cgi", "operator", False),
        ("disks/gethealth.cgi", "operator", False),
    ],
)
def test_security_level_and_write_flag(path, role, writes):
    spec = REGISTRY["/axis-cgi/" + path]
    assert spec.role == role
    assert spec.is_write({}) is writes
    assert spec.profiles is None  # cameras and recorders alike


# --- list.cgi ---------------------------------------------------------------------------------


def test_list_envelope_and_attribute_order(camera, call):
    reply = call(camera, "disks/list.cgi", diskid="all")
    assert reply.status == 200
    assert reply.text.startswith('<?xml version="1.0"?>\n<root ')
    assert 'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/disk/list1.xsd"' in reply.text
    disks = as_list(reply.doc["root"]["disks"]["disk"])
    assert reply.doc["root"]["disks"]["@numberofdisks"] == "2"
    for disk in disks:
        assert [k[1:] for k in disk] == LIST_ATTRIBUTE_ORDER
    assert "diskencryptionenabled" not in reply.text


def test_list_factory_camera(camera, call):
    disks = listed(call, camera)
    sd, share = disks["SD_DISK"], disks["NetworkShare"]
    assert sd["@status"] == "OK"
    assert sd["@filesystem"] == "vfat"
    assert sd["@group"] == "S0"
    assert int(sd["@totalsize"]) - int(sd["@freesize"]) == camera.disks["SD_DISK"].used_kb
    assert sd["@cleanuplevel"] == "99"
    assert (sd["@locked"], sd["@full"], sd["@readonly"]) == ("no", "no", "no")
    assert (sd["@encryptionenabled"], sd["@diskencrypted"]) == ("false", "false")
    # The NetworkShare slot is listed while unbound, disconnected and empty.
    assert share["@status"] == "disconnected"
    assert (share["@totalsize"], share["@freesize"]) == ("0", "0")
    assert (share["@filesystem"], share["@group"]) == ("cifs", "S1")


def test_list_dual_slot_camera(camera2, call):
    disks = listed(call, camera2)
    assert [(d, a["@group"]) for d, a in disks.items()] == [
        ("SD_DISK", "S0"),
        ("SD_DISK2", "S1"),
        ("NetworkShare", "S2"),
    ]


def test_list_recorder_hdd(recorder, call):
    disks = listed(call, recorder)
    assert list(disks) == ["HDD_DISK"]
    assert disks["HDD_DISK"]["@filesystem"] == "ext4"
    assert disks["HDD_DISK"]["@status"] == "OK"


def test_list_comma_list_skips_unknown_ids(camera, call):
    disks = listed(call, camera, diskid="NetworkShare, NOPE,SD_DISK")
    assert list(disks) == ["NetworkShare", "SD_DISK"]


def test_list_only_unknown_ids_is_empty(camera, call):
    doc = call(camera, "disks/list.cgi", diskid="NOPE").doc
    assert doc["root"]["disks"]["@numberofdisks"] == "0"
    assert doc["root"]["disks"].get("disk") is None


def test_list_without_diskid_lists_all(camera, call):
    doc = call(camera, "disks/list.cgi").doc
    assert doc["root"]["disks"]["@numberofdisks"] == "2"


def test_list_all_is_case_insensitive(camera, call):
    assert len(listed(call, camera, diskid="ALL")) == 2


@pytest.mark.parametrize(
    "state, status",
    [
        ({}, "OK"),
        ({"mounted": False}, "connected"),
        ({"present": False}, "disconnected"),
        ({"failed": True}, "failed"),
        ({"failed": True, "mounted": False}, "failed"),
        ({"encrypted": True, "encryption_enabled": False, "mounted": False}, "no passphrase"),
        (
            {"encrypted": True, "encryption_enabled": True, "passphrase_state": "missing", "mounted": False},
            "no passphrase",
        ),
        (
            {"encrypted": True, "encryption_enabled": True, "passphrase_state": "wrong", "mounted": False},
            "wrong passphrase",
        ),
        ({"encrypted": False, "encryption_enabled": True, "mounted": False}, "not encrypted"),
        ({"encrypted": True, "encryption_enabled": True, "mounted": True}, "OK"),
    ],
)
def test_status_is_derived_from_state(camera, call, state, status):
    disk = camera.disks["SD_DISK"]
    for key, value in state.items():
        setattr(disk, key, value)
    assert listed(call, camera)["SD_DISK"]["@status"] == status


def test_sizes_are_zero_while_unmounted(camera, call):
    camera.disks["SD_DISK"].mounted = False
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@totalsize"], sd["@freesize"]) == ("0", "0")


def test_full_disk(camera, call):
    disk = camera.disks["SD_DISK"]
    disk.used_kb = disk.total_kb
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@full"], sd["@freesize"]) == ("yes", "0")


def test_name_is_escaped(camera, call):
    camera.disks["SD_DISK"].friendly_name = 'Card <"A"> & B'
    assert listed(call, camera)["SD_DISK"]["@name"] == 'Card <"A"> & B'


# --- format.cgi -----------------------------------------------------------------------------


def test_format_job_progress_and_effect(camera, call, clock):
    job = start(call, camera, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    assert (job["@action"], job["@diskid"], job["@result"]) == ("format", "SD_DISK", "OK")
    jobid = job["@jobid"]
    assert list(job) == ["@action", "@diskid", "@result", "@jobid"]
    # The disk is unmounted while it is formatted.
    assert listed(call, camera)["SD_DISK"]["@status"] == "connected"
    seen = []
    for _ in range(4):
        clock.advance(JOB_SECONDS["format"] / 4 - 0.01)
        answer = poll(call, camera, jobid, "SD_DISK")
        seen.append(int(answer["@progress"]))
        assert answer["@result"] == "OK"
    assert seen == sorted(seen) and seen[-1] < 100
    clock.advance(1)
    done = poll(call, camera, jobid, "SD_DISK")
    assert (done["@result"], done["@progress"], done["@action"]) == ("OK", "100", "format")
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@filesystem"]) == ("OK", "ext4")
    assert sd["@totalsize"] == sd["@freesize"]  # recordings erased
    assert camera.disks["SD_DISK"].busy_job is None


def test_job_effect_lands_without_polling(camera, call, clock):
    started_id(start(call, camera, "format.cgi", diskid="SD_DISK", filesystem="ext4"))
    clock.advance(JOB_SECONDS["format"] + 1)
    assert listed(call, camera)["SD_DISK"]["@filesystem"] == "ext4"


def test_format_defaults_to_present_filesystem(camera, call, clock):
    camera.disks["SD_DISK"].filesystem = "ext4"
    assert run_job(call, camera, clock, "format.cgi", diskid="SD_DISK")["@result"] == "OK"
    assert camera.disks["SD_DISK"].filesystem == "ext4"
    assert camera.disks["SD_DISK"].used_kb == 0


def test_format_unformatted_card_defaults_to_ext4(camera, call, clock):
    camera.disks["SD_DISK"].filesystem = "none"
    camera.disks["SD_DISK"].mounted = False
    run_job(call, camera, clock, "format.cgi", diskid="SD_DISK")
    assert camera.disks["SD_DISK"].filesystem == "ext4"
    assert camera.disks["SD_DISK"].mounted


def test_format_unmounted_disk_mounts_it(camera, call, clock):
    camera.disks["SD_DISK"].mounted = False
    run_job(call, camera, clock, "format.cgi", diskid="SD_DISK", filesystem="vfat")
    assert listed(call, camera)["SD_DISK"]["@status"] == "OK"


def test_format_clears_failure(camera, call, clock):
    camera.disks["SD_DISK"].failed = True
    run_job(call, camera, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    assert listed(call, camera)["SD_DISK"]["@status"] == "OK"


def test_format_bound_share_erases_recordings(camera, call, clock):
    _, disk = bind_share(camera)
    done = run_job(call, camera, clock, "format.cgi", diskid="NetworkShare", filesystem="cifs")
    assert done["@result"] == "OK"
    assert disk.used_kb == 0 and disk.mounted


@pytest.mark.parametrize(
    "prepare, args, needle",
    [
        (None, {}, "diskid"),
        (None, {"diskid": "NOPE"}, "No such disk"),
        (None, {"diskid": "NetworkShare", "filesystem": "cifs"}, "not available"),
        (None, {"diskid": "SD_DISK", "filesystem": "cifs"}, "not supported"),
        (None, {"diskid": "SD_DISK", "filesystem": "ntfs"}, "not supported"),
        ({"locked": True}, {"diskid": "SD_DISK", "filesystem": "ext4"}, "locked"),
        ({"readonly": True}, {"diskid": "SD_DISK", "filesystem": "ext4"}, "read-only"),
    ],
)
def test_format_refused(camera, call, prepare, args, needle):
    for key, value in (prepare or {}).items():
        setattr(camera.disks["SD_DISK"], key, value)
    job = start(call, camera, "format.cgi", **args)
    assert job["@action"] == "format"
    assert job["@result"] == "ERROR"
    assert needle in job["@description"]
    assert "@jobid" not in job
    assert camera.jobs == {}
    assert camera.disks["SD_DISK"].mounted  # a refused format leaves the disk alone


def test_format_recorder_hdd_ext4_only(recorder, call, clock):
    job = start(call, recorder, "format.cgi", diskid="HDD_DISK", filesystem="vfat")
    assert job["@result"] == "ERROR"
    assert run_job(call, recorder, clock, "format.cgi", diskid="HDD_DISK", filesystem="ext4")["@result"] == "OK"


def test_second_job_on_busy_disk_is_refused(camera, call, clock):
    jobid = started_id(start(call, camera, "format.cgi", diskid="SD_DISK", filesystem="ext4"))
    again = start(call, camera, "mount.cgi", action="mount", diskid="SD_DISK")
    assert again["@result"] == "ERROR"
    assert "running" in again["@description"]
    # Another disk is not affected.
    bind_share(camera)
    assert start(call, camera, "mount.cgi", action="unmount", diskid="NetworkShare")["@result"] == "OK"
    clock.advance(JOB_SECONDS["format"] + 1)
    assert poll(call, camera, jobid, "SD_DISK")["@progress"] == "100"
    assert start(call, camera, "mount.cgi", action="unmount", diskid="SD_DISK")["@result"] == "OK"


def test_failed_format_leaves_disk_unmounted_and_unchanged(camera, call, clock):
    faults = FailJobs(fail_at=50, description="Format failed: I/O error")
    job = start(call, camera, "format.cgi", faults=faults, diskid="SD_DISK", filesystem="ext4")
    jobid = started_id(job)
    clock.advance(JOB_SECONDS["format"] * 0.25)
    running = poll(call, camera, jobid, "SD_DISK")
    assert running["@result"] == "OK" and int(running["@progress"]) < 50
    clock.advance(JOB_SECONDS["format"] * 0.3)
    failed = poll(call, camera, jobid, "SD_DISK")
    assert (failed["@result"], failed["@progress"]) == ("ERROR", "100")
    assert failed["@description"] == "Format failed: I/O error"
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@filesystem"]) == ("connected", "vfat")
    assert camera.disks["SD_DISK"].used_kb == 120 * 1024
    assert camera.disks["SD_DISK"].busy_job is None
    # The owner can simply try again.
    assert run_job(call, camera, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")["@result"] == "OK"
    assert camera.disks["SD_DISK"].filesystem == "ext4"


def test_failed_job_without_description_gets_one(camera, call, clock):
    jobid = started_id(
        start(call, camera, "mount.cgi", faults=FailJobs(description=""), action="unmount", diskid="SD_DISK")
    )
    clock.advance(10)
    answer = poll(call, camera, jobid, "SD_DISK")
    assert answer["@result"] == "ERROR"
    assert "unmount" in answer["@description"]
    assert camera.disks["SD_DISK"].mounted  # a failed unmount changes nothing


def test_never_finishing_job(camera, call, clock):
    jobid = started_id(start(call, camera, "format.cgi", faults=HangJobs(), diskid="SD_DISK", filesystem="ext4"))
    for _ in range(3):
        clock.advance(JOB_SECONDS["format"] * 10)
        answer = poll(call, camera, jobid, "SD_DISK")
        assert (answer["@result"], answer["@progress"]) == ("OK", "99")
    assert camera.disks["SD_DISK"].filesystem == "vfat"
    assert start(call, camera, "format.cgi", diskid="SD_DISK")["@result"] == "ERROR"


# --- checkdisk.cgi / repair.cgi -----------------------------------------------------------


@pytest.fixture
def ext4_unmounted(camera):
    disk = camera.disks["SD_DISK"]
    disk.filesystem = "ext4"
    disk.mounted = False
    return disk


@pytest.mark.parametrize("path, action", [("checkdisk.cgi", "checkdisk"), ("repair.cgi", "repair")])
def test_check_and_repair_succeed_on_unmounted_ext4(camera, call, clock, ext4_unmounted, path, action):
    job = start(call, camera, path, diskid="SD_DISK")
    assert job["@action"] == action
    jobid = started_id(job)
    clock.advance(JOB_SECONDS[action] + 1)
    done = poll(call, camera, jobid, "SD_DISK")
    assert (done["@action"], done["@result"], done["@progress"]) == (action, "OK", "100")
    assert not ext4_unmounted.mounted


@pytest.mark.parametrize("path", ["checkdisk.cgi", "repair.cgi"])
@pytest.mark.parametrize(
    "prepare, diskid, needle",
    [
        ({"filesystem": "ext4"}, "SD_DISK", "mounted"),  # mounted
        ({"mounted": False}, "SD_DISK", "ext4"),  # vfat
        ({}, "NetworkShare", "not available"),
        ({}, "NOPE", "No such disk"),
        (
            {"filesystem": "ext4", "mounted": False, "encrypted": True, "encryption_enabled": False},
            "SD_DISK",
            "passphrase",
        ),
        (
            {
                "filesystem": "ext4",
                "mounted": False,
                "encrypted": True,
                "encryption_enabled": True,
                "passphrase_state": "wrong",
            },
            "SD_DISK",
            "passphrase",
        ),
    ],
)
def test_check_and_repair_refused(camera, call, path, prepare, diskid, needle):
    for key, value in prepare.items():
        setattr(camera.disks["SD_DISK"], key, value)
    job = start(call, camera, path, diskid=diskid)
    assert job["@result"] == "ERROR"
    assert needle in job["@description"]


@pytest.mark.parametrize("path", ["checkdisk.cgi", "repair.cgi"])
def test_check_and_repair_refused_on_share(camera, call, path):
    bind_share(camera)
    camera.disks["NetworkShare"].mounted = False
    job = start(call, camera, path, diskid="NetworkShare")
    assert job["@result"] == "ERROR"


def test_checkdisk_on_failed_disk_reports_errors_and_repair_fixes(camera, call, clock, ext4_unmounted):
    ext4_unmounted.failed = True
    check = run_job(call, camera, clock, "checkdisk.cgi", diskid="SD_DISK")
    assert (check["@result"], check["@progress"]) == ("ERROR", "100")
    assert "repair" in check["@description"]
    repair = run_job(call, camera, clock, "repair.cgi", diskid="SD_DISK")
    assert repair["@result"] == "OK"
    assert listed(call, camera)["SD_DISK"]["@status"] == "connected"
    assert run_job(call, camera, clock, "checkdisk.cgi", diskid="SD_DISK")["@result"] == "OK"


def test_checkdisk_allowed_but_repair_refused_on_locked_disk(camera, call, ext4_unmounted):
    ext4_unmounted.locked = True
    assert start(call, camera, "checkdisk.cgi", diskid="SD_DISK")["@result"] == "OK"
    camera.jobs.clear()
    ext4_unmounted.busy_job = None
    repair = start(call, camera, "repair.cgi", diskid="SD_DISK")
    assert repair["@result"] == "ERROR" and "locked" in repair["@description"]


def test_failed_repair_keeps_failure(camera, call, clock, ext4_unmounted):
    ext4_unmounted.failed = True
    jobid = started_id(start(call, camera, "repair.cgi", faults=FailJobs(fail_at=80), diskid="SD_DISK"))
    clock.advance(JOB_SECONDS["repair"] + 1)
    assert poll(call, camera, jobid, "SD_DISK")["@result"] == "ERROR"
    assert listed(call, camera)["SD_DISK"]["@status"] == "failed"


def test_checkdisk_recorder_hdd(recorder, call, clock):
    recorder.disks["HDD_DISK"].mounted = False
    assert run_job(call, recorder, clock, "checkdisk.cgi", diskid="HDD_DISK")["@result"] == "OK"


# --- mount.cgi ------------------------------------------------------------------------------


def test_unmount_then_mount(camera, call, clock):
    done = run_job(call, camera, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    assert (done["@action"], done["@result"]) == ("unmount", "OK")
    assert listed(call, camera)["SD_DISK"]["@status"] == "connected"
    done = run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert (done["@action"], done["@result"]) == ("mount", "OK")
    assert listed(call, camera)["SD_DISK"]["@status"] == "OK"


def test_mount_action_is_case_insensitive(camera, call, clock):
    job = start(call, camera, "mount.cgi", action="UNMOUNT", diskid="SD_DISK")
    assert (job["@action"], job["@result"]) == ("unmount", "OK")
    clock.advance(5)
    assert listed(call, camera)["SD_DISK"]["@status"] == "connected"


def test_mount_of_mounted_disk_is_a_harmless_job(camera, call, clock):
    assert run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")["@result"] == "OK"
    assert camera.disks["SD_DISK"].mounted
    assert camera.disks["SD_DISK"].used_kb == 120 * 1024


@pytest.mark.parametrize(
    "args, action_attr, needle",
    [
        ({"diskid": "SD_DISK"}, None, "action"),
        ({"diskid": "SD_DISK", "action": "eject"}, "eject", "Invalid action"),
        ({"action": "mount"}, "mount", "diskid"),
        ({"action": "mount", "diskid": "NOPE"}, "mount", "No such disk"),
        ({"action": "mount", "diskid": "NetworkShare"}, "mount", "not available"),
    ],
)
def test_mount_refused(camera, call, args, action_attr, needle):
    job = start(call, camera, "mount.cgi", **args)
    assert job["@result"] == "ERROR"
    assert job.get("@action") == action_attr
    assert needle in job["@description"]


def test_required_fs_formats_on_mount(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.required_fs = "ext4"
    run_job(call, camera, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    assert disk.filesystem == "vfat" and disk.used_kb > 0
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@filesystem"], sd["@requiredfilesystem"]) == ("OK", "ext4", "ext4")
    assert disk.used_kb == 0


def test_required_fs_does_not_reformat_a_matching_disk(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.required_fs, disk.filesystem, disk.mounted = "ext4", "ext4", False
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert disk.mounted and disk.used_kb == 120 * 1024


def test_required_fs_skips_locked_disk(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.required_fs, disk.locked, disk.mounted = "ext4", True, False
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert (disk.filesystem, disk.mounted) == ("vfat", True)
    assert disk.used_kb == 120 * 1024


def test_mount_encryption_enabled_unencrypted_disk_stays_not_encrypted(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.mounted, disk.encryption_enabled, disk.passphrase = False, True, "secret"
    done = run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert done["@result"] == "OK"
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@encryptionenabled"], sd["@diskencrypted"]) == ("not encrypted", "true", "false")
    run_job(call, camera, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@diskencrypted"]) == ("OK", "true")


def test_mount_with_required_fs_formats_and_encrypts(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.mounted, disk.encryption_enabled, disk.passphrase = False, True, "secret"
    disk.required_fs = "ext4"
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@status"], sd["@filesystem"], sd["@diskencrypted"]) == ("OK", "ext4", "true")


@pytest.mark.parametrize(
    "state, status",
    [
        ({"encrypted": True, "encryption_enabled": False}, "no passphrase"),
        ({"encrypted": True, "encryption_enabled": True, "passphrase_state": "wrong"}, "wrong passphrase"),
    ],
)
def test_mount_of_unopenable_encrypted_disk(camera, call, clock, state, status):
    disk = camera.disks["SD_DISK"]
    disk.mounted = False
    for key, value in state.items():
        setattr(disk, key, value)
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert not disk.mounted
    assert listed(call, camera)["SD_DISK"]["@status"] == status


def test_wrong_passphrase_is_not_reformatted_by_required_fs(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.mounted, disk.filesystem, disk.required_fs = False, "ext4", "ext4"
    disk.encrypted, disk.encryption_enabled, disk.passphrase_state = True, True, "wrong"
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, camera)["SD_DISK"]["@status"] == "wrong passphrase"
    assert disk.used_kb == 120 * 1024


def test_mount_of_unformatted_card_stays_connected(camera, call, clock):
    disk = camera.disks["SD_DISK"]
    disk.mounted, disk.filesystem = False, "none"
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, camera)["SD_DISK"]["@status"] == "connected"


@pytest.mark.parametrize(
    "auto_repair, locked, status",
    [
        (True, False, "OK"),
        (False, False, "failed"),
        (True, True, "failed"),
    ],
)
def test_mount_of_failed_disk_uses_auto_repair(camera, call, clock, auto_repair, locked, status):
    disk = camera.disks["SD_DISK"]
    disk.mounted, disk.failed, disk.auto_repair, disk.locked = False, True, auto_repair, locked
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, camera)["SD_DISK"]["@status"] == status


def test_share_mount_fails_when_nas_unreachable(camera, call, clock):
    share, disk = bind_share(camera)
    run_job(call, camera, clock, "mount.cgi", action="unmount", diskid="NetworkShare")
    assert listed(call, camera)["NetworkShare"]["@status"] == "connected"
    share.fault_code = 760
    done = run_job(call, camera, clock, "mount.cgi", action="mount", diskid="NetworkShare")
    assert done["@result"] == "ERROR"
    assert not disk.mounted
    share.fault_code = None
    assert run_job(call, camera, clock, "mount.cgi", action="mount", diskid="NetworkShare")["@result"] == "OK"
    assert listed(call, camera)["NetworkShare"]["@status"] == "OK"


# --- job.cgi --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle",
    [
        ({"diskid": "SD_DISK"}, "jobid"),
        ({"jobid": "1"}, "diskid"),
    ],
)
def test_job_missing_arguments(camera, call, args, needle):
    job = call(camera, "disks/job.cgi", **args).doc["root"]["job"]
    assert job["@result"] == "ERROR"
    assert needle in job["@description"]


@pytest.mark.parametrize("jobid", ["999", "abc", "-1"])
def test_unknown_job(camera, call, jobid):
    reply = call(camera, "disks/job.cgi", jobid=jobid, diskid="SD_DISK")
    assert "disk/checkjob1.xsd" in reply.text
    job = reply.doc["root"]["job"]
    assert (job["@jobid"], job["@diskid"], job["@action"], job["@result"]) == (jobid, "SD_DISK", "N/A", "ERROR")
    assert job["@description"] == "No such job"


def test_job_on_other_disk_is_unknown(camera, call):
    jobid = started_id(start(call, camera, "mount.cgi", action="unmount", diskid="SD_DISK"))
    assert poll(call, camera, jobid, "NetworkShare")["@result"] == "ERROR"


def test_job_attribute_order(camera, call):
    jobid = started_id(start(call, camera, "mount.cgi", action="unmount", diskid="SD_DISK"))
    job = poll(call, camera, jobid, "SD_DISK")
    assert list(job) == ["@jobid", "@diskid", "@action", "@result", "@progress", "@description"]
    assert job["@progress"] == "0"


def test_job_ids_increase(camera, call, clock):
    first = int(started_id(start(call, camera, "mount.cgi", action="unmount", diskid="SD_DISK")))
    clock.advance(5)
    second = int(started_id(start(call, camera, "mount.cgi", action="mount", diskid="SD_DISK")))
    assert second == first + 1


# --- lock.cgi -------------------------------------------------------------------------------


def test_lock_and_unlock(camera, call, clock):
    reply = call(camera, "disks/lock.cgi", action="lock", diskid="SD_DISK")
    assert "disk/lock1.xsd" in reply.text
    assert reply.doc["root"]["lock"] == {"@diskid": "SD_DISK", "@result": "OK"}
    assert listed(call, camera)["SD_DISK"]["@locked"] == "yes"
    refused = start(call, camera, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    assert refused["@result"] == "ERROR"
    reply = call(camera, "disks/lock.cgi", action="UNLOCK", diskid="SD_DISK")
    assert reply.doc["root"]["unlock"] == {"@diskid": "SD_DISK", "@result": "OK"}
    assert listed(call, camera)["SD_DISK"]["@locked"] == "no"
    assert run_job(call, camera, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")["@result"] == "OK"


@pytest.mark.parametrize(
    "args, tag, needle",
    [
        ({"diskid": "SD_DISK"}, "lock", "action"),
        ({"diskid": "SD_DISK", "action": "toggle"}, "lock", "Invalid action"),
        ({"action": "unlock"}, "unlock", "diskid"),
        ({"action": "lock", "diskid": "NOPE"}, "lock", "No such disk"),
        ({"action": "lock", "diskid": "NetworkShare"}, "lock", "not available"),
    ],
)
def test_lock_refused(camera, call, args, tag, needle):
    answer = call(camera, "disks/lock.cgi", **args).doc["root"][tag]
    assert answer["@result"] == "ERROR"
    assert needle in answer["@description"]
    assert not camera.disks["SD_DISK"].locked


# --- getcapabilities.cgi ----------------------------------------------------------------------


def capabilities(call, device, diskid):
    reply = call(device, "disks/getcapabilities.cgi", diskid=diskid)
    assert "disk/capabilities1.xsd" in reply.text
    return reply.doc["root"]["disk"]


def test_capabilities_sd(camera, call):
    disk = capabilities(call, camera, "SD_DISK")
    assert (disk["@diskid"], disk["@requiredfssupported"], disk["@encryptionsupported"]) == ("SD_DISK", "true", "true")
    assert [(f["@name"], f["@nicename"], f["@requiredfssupported"]) for f in disk["filesystems"]["filesystem"]] == [
        ("vfat", " ", "false"),
        ("ext4", " ", "true"),
    ]


def test_capabilities_share(camera, call):
    disk = capabilities(call, camera, "NetworkShare")
    assert (disk["@requiredfssupported"], disk["@encryptionsupported"]) == ("false", "false")
    fs = disk["filesystems"]["filesystem"]
    assert (fs["@name"], fs["@requiredfssupported"]) == ("cifs", "false")


def test_capabilities_hdd(recorder, call):
    fs = capabilities(call, recorder, "HDD_DISK")["filesystems"]["filesystem"]
    assert (fs["@name"], fs["@requiredfssupported"]) == ("ext4", "true")


@pytest.mark.parametrize("diskid, needle", [(None, "diskid"), ("NOPE", "No such disk")])
def test_capabilities_errors(camera, call, diskid, needle):
    args = {"diskid": diskid} if diskid else {}
    disk = call(camera, "disks/getcapabilities.cgi", **args).doc["root"]["disk"]
    assert disk["@result"] == "ERROR"
    assert needle in disk["@description"]


# --- gethealth.cgi ----------------------------------------------------------------------------


def health(call, device):
    reply = call(device, "disks/gethealth.cgi")
    assert reply.status == 200
    assert "disk/gethealth1.xsd" in reply.text
    root = reply.doc["HealthStatusResponse"]
    assert "@SchemaVersion" not in root
    return {h["@diskid"]: h for h in as_list(root["HealthStatusSuccess"]["HealthStatus"])}


def test_health_camera(camera, call):
    statuses = health(call, camera)
    assert statuses["SD_DISK"] == {"@diskid": "SD_DISK", "@wear": "3"}
    assert statuses["NetworkShare"] == {"@diskid": "NetworkShare", "@wear": "-3"}
    bind_share(camera)
    assert health(call, camera)["NetworkShare"]["@wear"] == "-1"


def test_health_missing_card(camera, call):
    camera.disks["SD_DISK"].present = False
    assert health(call, camera)["SD_DISK"]["@wear"] == "-3"


def test_health_non_axis_card_reports_negative_wear(camera, call):
    camera.disks["SD_DISK"].wear = -1
    assert health(call, camera)["SD_DISK"]["@wear"] == "-1"


def test_health_recorder_hdd(recorder, call):
    hdd = health(call, recorder)["HDD_DISK"]
    assert list(hdd) == ["@diskid", "@wear", "@temperature", "@overallhealth"]
    assert (hdd["@wear"], hdd["@temperature"], hdd["@overallhealth"]) == ("3", "313", "1")
    recorder.disks["HDD_DISK"].failed = True
    assert health(call, recorder)["HDD_DISK"]["@overallhealth"] == "0"


def test_real_fault_object_fails_only_the_armed_action(camera, call, clock):
    faults_module = pytest.importorskip("vapix_sim.faults")
    faults = faults_module.Faults.from_spec(
        {"job_fail": {"at": 30, "actions": ["format"], "description": "Disk write error"}}
    )
    unmount = run_job(call, camera, clock, "mount.cgi", faults=faults, action="unmount", diskid="SD_DISK")
    assert unmount["@result"] == "OK"
    failed = run_job(call, camera, clock, "format.cgi", faults=faults, diskid="SD_DISK", filesystem="ext4")
    assert (failed["@result"], failed["@description"]) == ("ERROR", "Disk write error")
    assert camera.disks["SD_DISK"].filesystem == "vfat"
