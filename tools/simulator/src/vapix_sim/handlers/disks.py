"""Disk management API: /axis-cgi/disks/*.cgi (list, format, checkdisk, repair, mount, job,
lock, getcapabilities, gethealth).

Long operations are jobs (model.Job) whose effects land through `on_done` when Device.tick
passes their end; a job that fails (fault injection) never runs its effect. Choices where the
spec is silent are recorded in docs/spec-choices/disks.md.
"""

from __future__ import annotations

import functools

from ..firmware import DISK_HEALTH
from ..http import SCHEMA_BASE, XSI, CgiRequest, Reply, attrs, cgi, element, parse_int, xml_root
from ..model import Device, Disk
from .networkshare import bound_share, mount_options_satisfied
from .recording_list import drop_recordings

# File systems a disk of each kind can be formatted with, in the order getcapabilities lists them.
FILESYSTEMS = {
    "sd": ("vfat", "ext4"),
    "hdd": ("ext4",),
    "share": ("cifs",),
}
REQUIRED_FS_CAPABLE = frozenset({"ext4"})

# CleanupLevel is obsolete (firmware >= 5.50): list.cgi reports this internal fixed value.
LISTED_CLEANUP_LEVEL = 99


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def true_false(flag: bool) -> str:
    return "true" if flag else "false"


# --- state derived from a Disk ------------------------------------------------------------


def passphrase_problem(disk: Disk) -> str | None:
    """The status of an encrypted disk that cannot be opened, or None when it can."""
    if not disk.encrypted:
        return None
    if not disk.encryption_enabled or disk.passphrase_state == "missing":
        return "no passphrase"
    if disk.passphrase_state == "wrong":
        return "wrong passphrase"
    return None


def disk_status(disk: Disk) -> str:
    """The `status` attribute of disks/list.cgi, derived from the disk's state."""
    if not disk.present:
        return "disconnected"
    if disk.failed:
        return "failed"
    problem = passphrase_problem(disk)
    if problem:
        return problem
    if disk.encryption_enabled and not disk.encrypted and not disk.mounted:
        return "not encrypted"
    return "OK" if disk.mounted else "connected"


def free_kb(disk: Disk) -> int:
    return max(disk.total_kb - disk.used_kb, 0)


def listed_sizes(disk: Disk) -> tuple:
    """(totalsize, freesize): sizes come from the mounted file system, so 0 while unmounted."""
    if disk.present and disk.mounted:
        return disk.total_kb, free_kb(disk)
    return 0, 0


def is_full(disk: Disk) -> bool:
    total, free = listed_sizes(disk)
    return total > 0 and free == 0


def disk_attributes(disk: Disk, fw=None) -> dict:
    """list.cgi attributes in the order of the real 9.80 and 12.11 captures; `fw` (the
    device's firmware preset) leaves out what its generation lacks."""
    total, free = listed_sizes(disk)
    cleanup_level = LISTED_CLEANUP_LEVEL
    if fw is not None and fw.disconnected_lists_cleanup_param and not disk.present:
        # AXIS OS 12 capture: the unbound share lists its parameter's value (90).
        cleanup_level = disk.cleanup_level
    values = {
        "diskid": disk.disk_id,
        "name": disk.friendly_name,
        "totalsize": total,
        "freesize": free,
        "cleanuplevel": cleanup_level,
        "cleanupmaxage": disk.cleanup_max_age,
        "cleanuppolicy": disk.cleanup_policy,
        "locked": yes_no(disk.locked),
        "full": yes_no(is_full(disk)),
        "readonly": yes_no(disk.readonly),
        "status": disk_status(disk),
        "filesystem": disk.filesystem,
        "group": disk.group,
        "requiredfilesystem": disk.required_fs,
        "encryptionenabled": true_false(disk.encryption_enabled),
        "diskencrypted": true_false(disk.encrypted),
    }
    if fw is None:
        return values
    return {name: values[name] for name in fw.disk_attrs}


# --- job effects (run from Device.tick when the job ends successfully) ---------------------


def apply_format(disk: Disk, filesystem: str) -> None:
    """A finished format: fresh file system, no recordings, encrypted iff encryption is on,
    remounted (the device unmounts, formats and mounts again as one job)."""
    disk.filesystem = filesystem
    disk.used_kb = 0
    disk.failed = False
    disk.encrypted = disk.encryption_enabled and disk.encryption_supported
    disk.content_passphrase = disk.passphrase if disk.encrypted else None
    disk.passphrase_state = "ok"
    disk.mounted = disk.present


def needs_format_on_mount(disk: Disk) -> bool:
    """Required file system: a card whose file system differs or cannot be read is formatted
    when mounted, unless it is locked (or write-protected). A wrong passphrase is not
    reformatted: the owner is expected to set the right one."""
    if disk.required_fs not in REQUIRED_FS_CAPABLE or not disk.required_fs_supported:
        return False
    if disk.locked or disk.readonly:
        return False
    if disk.passphrase_state == "wrong" and disk.encrypted and disk.encryption_enabled:
        return False
    unreadable = (disk.encrypted and not disk.encryption_enabled) or (disk.encryption_enabled and not disk.encrypted)
    return disk.filesystem != disk.required_fs or unreadable


def apply_mount(disk: Disk) -> None:
    if not disk.present:
        return
    if disk.failed:
        # AutoRepair checks and repairs the file system before mounting, but never on a locked disk.
        if not disk.auto_repair or disk.locked:
            return
        disk.failed = False
    if needs_format_on_mount(disk):
        apply_format(disk, disk.required_fs)
        return
    if passphrase_problem(disk):
        return  # stays unmounted: "no passphrase" / "wrong passphrase"
    if disk.encryption_enabled and not disk.encrypted:
        return  # stays unmounted: "not encrypted" until formatted
    if disk.filesystem == "none":
        return  # nothing to mount: stays "connected"
    disk.mounted = True


def apply_unmount(disk: Disk) -> None:
    disk.mounted = False


def apply_repair(disk: Disk) -> None:
    disk.failed = False


# --- a restart (reboot, or the simulator stopped and started with its state file) ---------


def apply_interrupted_format(device: Device, disk: Disk) -> None:
    """A format cut off by a restart. The device had unmounted the disk and was writing a new
    file system: what is left is no usable file system (a real card lists as needing a format),
    the old recordings are gone, and an encrypted disk's old content with them."""
    disk.filesystem = "none"
    disk.used_kb = 0
    disk.mounted = False
    disk.encrypted = False
    disk.content_passphrase = None
    disk.passphrase_state = "ok"
    drop_recordings(device, disk.disk_id)


def lose_jobs(device: Device) -> None:
    """A restart: every job that has not ended is lost and frees its disk; an unfinished format
    leaves its disk unformatted. Call Device.tick() first, so that jobs that did end keep their
    effect. Mounts are not decided here: the boot does that (Faults.settle)."""
    for job in device.jobs.values():
        disk = device.disks.get(job.disk_id)
        if not job.finished and job.action == "format" and disk is not None:
            apply_interrupted_format(device, disk)
    for disk in device.disks.values():
        disk.busy_job = None
    device.jobs.clear()
    device.share_jobs.clear()


# --- job start ------------------------------------------------------------------------------


def job_started(action: str, disk_id: str, job_id: int) -> Reply:
    inner = element("job", {"action": action, "diskid": disk_id, "result": "OK", "jobid": job_id})
    return xml_root(inner, "disk/startjob1.xsd")


def job_refused(action: str | None, disk_id: str | None, description: str) -> Reply:
    inner = element("job", {"action": action, "diskid": disk_id, "result": "ERROR", "description": description})
    return xml_root(inner, "disk/startjob1.xsd")


def common_job_refusal(device: Device, disk_id: str | None) -> str | None:
    """Why no job at all can start on this disk, or None."""
    if not disk_id:
        return "Missing argument diskid"
    disk = device.disks.get(disk_id)
    if disk is None:
        return "No such disk: %s" % disk_id
    if not disk.present:
        return "The disk is not available"
    if disk.busy_job is not None:
        return "Another job (%d) is running on the disk" % disk.busy_job
    return None


def start_disk_job(device: Device, request: CgiRequest, action: str, disk: Disk, effect, prepare=None):
    """Start a job; `prepare(job)` may shape it (e.g. a check that will find errors)."""
    job = device.start_job(device.jobs, action, disk.disk_id, on_done=effect, faults=request.faults)
    if prepare is not None:
        prepare(job)
    disk.busy_job = job.job_id
    return job


def fail_at_end(description: str):
    """A job that runs its whole course and then reports an error (unless a fault shaped it)."""

    def prepare(job):
        if job.fail_at is None and not job.never_finish:
            job.fail_at = 100
            job.fail_description = description

    return prepare


def disk_job(action: str, refusal=common_job_refusal):
    """A CGI that starts the job `action` on the disk `diskid`: refused with the reason
    `refusal(device, disk_id)` gives, else the handler gets the disk."""

    def wrap(handler):
        @functools.wraps(handler)
        def run(device: Device, request: CgiRequest) -> Reply:
            disk_id = request.args.get("diskid")
            reason = refusal(device, disk_id)
            if reason:
                return job_refused(action, disk_id, reason)
            return handler(device, request, device.disks[disk_id])

        return run

    return wrap


# --- CGIs -----------------------------------------------------------------------------------


@cgi("disks/list.cgi", role="operator")
def list_disks(device: Device, request: CgiRequest) -> Reply:
    wanted = (request.args.get("diskid") or "all").strip()
    if wanted.lower() == "all":
        disks = list(device.disks.values())
    else:
        ids = [part.strip() for part in wanted.split(",") if part.strip()]
        disks = [device.disks[i] for i in ids if i in device.disks]
    # The whitespace of the real answers (9.80 and 12.11 captures alike): two spaces before the
    # first disk, a line break and two spaces before each further one, and a space between
    # </disks> and </root>.
    rows = "\n  ".join(element("disk", disk_attributes(disk, device.fw)) for disk in disks)
    body = (
        '<?xml version="1.0"?>\n<root xmlns:xsi="%s" xsi:noNamespaceSchemaLocation="%s%s">\n'
        '<disks numberofdisks="%d" >  %s\n</disks> </root>\n' % (XSI, SCHEMA_BASE, "disk/list1.xsd", len(disks), rows)
    )
    return Reply(body=body)


@cgi("disks/format.cgi", role="admin", write=True)
@disk_job("format")
def format_disk(device: Device, request: CgiRequest, disk: Disk) -> Reply:
    disk_id = disk.disk_id
    allowed = FILESYSTEMS.get(disk.kind, ())
    requested = request.args.get("filesystem")
    if requested is None or requested == "":
        # Default: the file system present on the disk.
        if disk.filesystem in allowed:
            filesystem = disk.filesystem
        elif disk.required_fs in allowed:
            filesystem = disk.required_fs
        else:
            filesystem = allowed[-1]
    else:
        filesystem = requested.strip().lower()
        if filesystem not in allowed:
            return job_refused("format", disk_id, "File system %s is not supported by the disk" % requested)
    if disk.locked:
        return job_refused("format", disk_id, "The disk is locked")
    if disk.readonly:
        return job_refused("format", disk_id, "The disk is read-only")
    # The device unmounts the disk for the duration of the format.
    disk.mounted = False
    job = start_disk_job(
        device, request, "format", disk, lambda: (apply_format(disk, filesystem), drop_recordings(device, disk_id))
    )
    return job_started("format", disk_id, job.job_id)


def _check_or_repair_refusal(device: Device, disk_id: str | None) -> str | None:
    refusal = common_job_refusal(device, disk_id)
    if refusal:
        return refusal
    disk = device.disks[disk_id]
    if disk.kind == "share":
        return "Only disks formatted with ext4 can be checked or repaired"
    if disk.filesystem != "ext4":
        return "Only disks formatted with ext4 can be checked or repaired"
    if disk.mounted:
        return "The disk is mounted; unmount it first"
    if passphrase_problem(disk):
        return "Disk encryption is enabled without a valid passphrase"
    return None


@cgi("disks/checkdisk.cgi", role="operator", write=True)
@disk_job("checkdisk", _check_or_repair_refusal)
def check_disk(device: Device, request: CgiRequest, disk: Disk) -> Reply:
    prepare = fail_at_end("File system errors found; repair the disk") if disk.failed else None
    job = start_disk_job(device, request, "checkdisk", disk, None, prepare)
    return job_started("checkdisk", disk.disk_id, job.job_id)


@cgi("disks/repair.cgi", role="admin", write=True)
@disk_job("repair", _check_or_repair_refusal)
def repair_disk(device: Device, request: CgiRequest, disk: Disk) -> Reply:
    if disk.locked:
        return job_refused("repair", disk.disk_id, "The disk is locked")
    job = start_disk_job(device, request, "repair", disk, lambda: apply_repair(disk))
    return job_started("repair", disk.disk_id, job.job_id)


@cgi("disks/mount.cgi", role="admin", write=True)
def mount_disk(device: Device, request: CgiRequest) -> Reply:
    raw_action = request.args.get("action")
    disk_id = request.args.get("diskid")
    action = (raw_action or "").strip().lower()
    if action not in ("mount", "unmount"):
        description = "Missing argument action" if not raw_action else "Invalid action: %s" % raw_action
        return job_refused(raw_action or None, disk_id, description)
    refusal = common_job_refusal(device, disk_id)
    if refusal:
        return job_refused(action, disk_id, refusal)
    disk = device.disks[disk_id]
    if action == "unmount":
        job = start_disk_job(device, request, "unmount", disk, lambda: apply_unmount(disk))
        return job_started("unmount", disk_id, job.job_id)
    prepare = None
    if disk.kind == "share":
        share = bound_share(device)
        if share is not None and share.fault_code is not None:
            prepare = fail_at_end("Error while mounting network share")
        elif share is not None and not mount_options_satisfied(share, disk):
            prepare = fail_at_end("Error while mounting network share (check the mount options)")
    job = start_disk_job(device, request, "mount", disk, lambda: apply_mount(disk), prepare)
    return job_started("mount", disk_id, job.job_id)


@cgi("disks/job.cgi", role="operator")
def job_progress(device: Device, request: CgiRequest) -> Reply:
    raw_job_id = request.args.get("jobid")
    disk_id = request.args.get("diskid")
    if not raw_job_id or not disk_id:
        missing = "jobid" if not raw_job_id else "diskid"
        inner = element(
            "job",
            {
                "jobid": raw_job_id,
                "diskid": disk_id,
                "action": "N/A",
                "result": "ERROR",
                "description": "Missing argument %s" % missing,
            },
        )
        return xml_root(inner, "disk/checkjob1.xsd")
    job_id = parse_int(raw_job_id, lo=0)
    job = device.jobs.get(job_id) if job_id is not None else None
    if job is None or job.disk_id != disk_id:
        inner = element(
            "job",
            {"jobid": raw_job_id, "diskid": disk_id, "action": "N/A", "result": "ERROR", "description": "No such job"},
        )
        return xml_root(inner, "disk/checkjob1.xsd")
    if job.finished and job.failed:
        result, progress = "ERROR", 100
        description = job.fail_description or "The %s job failed" % job.action
    elif job.finished:
        result, progress, description = "OK", 100, "Done"
    else:
        result, progress, description = "OK", min(job.progress(device.now()), 99), "Running"
    inner = element(
        "job",
        {
            "jobid": job.job_id,
            "diskid": job.disk_id,
            "action": job.action,
            "result": result,
            "progress": progress,
            "description": description,
        },
    )
    return xml_root(inner, "disk/checkjob1.xsd")


@cgi("disks/lock.cgi", role="admin", write=True)
def lock_disk(device: Device, request: CgiRequest) -> Reply:
    raw_action = request.args.get("action")
    disk_id = request.args.get("diskid")
    action = (raw_action or "").strip().lower()
    tag = action if action in ("lock", "unlock") else "lock"
    description = None
    if action not in ("lock", "unlock"):
        description = "Missing argument action" if not raw_action else "Invalid action: %s" % raw_action
    elif not disk_id:
        description = "Missing argument diskid"
    elif disk_id not in device.disks:
        description = "No such disk: %s" % disk_id
    elif not device.disks[disk_id].present:
        description = "The disk is not available"
    if description:
        inner = element(tag, {"diskid": disk_id, "result": "ERROR", "description": description})
        return xml_root(inner, "disk/lock1.xsd")
    device.disks[disk_id].locked = action == "lock"
    return xml_root(element(tag, {"diskid": disk_id, "result": "OK"}), "disk/lock1.xsd")


@cgi("disks/getcapabilities.cgi", role="operator")
def get_capabilities(device: Device, request: CgiRequest) -> Reply:
    disk_id = request.args.get("diskid")
    disk = device.disks.get(disk_id) if disk_id else None
    if disk is None:
        description = "Missing argument diskid" if not disk_id else "No such disk: %s" % disk_id
        inner = element("disk", {"diskid": disk_id, "result": "ERROR", "description": description})
        return xml_root(inner, "disk/capabilities1.xsd")
    filesystems = "".join(
        "\n"
        + element(
            "filesystem",
            {
                "name": name,
                "nicename": " ",
                "requiredfssupported": true_false(disk.required_fs_supported and name in REQUIRED_FS_CAPABLE),
            },
        )
        for name in FILESYSTEMS.get(disk.kind, ())
    )
    inner = element(
        "disk",
        {
            "diskid": disk.disk_id,
            "requiredfssupported": true_false(disk.required_fs_supported),
            "encryptionsupported": true_false(disk.encryption_supported),
        },
        "\n<filesystems>%s\n</filesystems>\n" % filesystems,
    )
    return xml_root(inner, "disk/capabilities1.xsd")


NOT_PRESENT = -3


def health_attributes(disk: Disk) -> dict:
    """-1 unsupported, -2 read error, -3 not present. SD cards report wear only; hard disks add
    temperature (Kelvin) and overall health; a network share has no health data."""
    if not disk.present:
        return {"diskid": disk.disk_id, "wear": NOT_PRESENT}
    if disk.kind == "share":
        return {"diskid": disk.disk_id, "wear": -1}
    values = {"diskid": disk.disk_id, "wear": disk.wear}
    if disk.kind == "hdd":
        values["temperature"] = disk.temperature
        values["overallhealth"] = 0 if disk.failed else 1
    return values


@cgi("disks/gethealth.cgi", role="operator", api=DISK_HEALTH)
def get_health(device: Device, request: CgiRequest) -> Reply:
    rows = "".join("\n" + element("HealthStatus", health_attributes(disk)) for disk in device.disks.values())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<HealthStatusResponse%s>\n'
        "<HealthStatusSuccess>%s\n</HealthStatusSuccess>\n</HealthStatusResponse>\n"
        % (attrs({"xmlns:xsi": XSI, "xsi:noNamespaceSchemaLocation": SCHEMA_BASE + "disk/gethealth1.xsd"}), rows)
    )
    return Reply(body=body)
