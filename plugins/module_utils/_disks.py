# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads shared by every disk-side resource: the disk list, normalized, once per session."""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    DeviceRestarted,
    InputError,
    StateError,
    UnsupportedError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import failed_job
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import to_flag, to_int
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, find_element, unwrap

# disks/list.cgi statuses that mean "mounted and in use" (see docs/spec-choices/disks.md).
MOUNTED_STATUSES = ("OK",)
ENCRYPTION_PROBLEMS = {
    "no passphrase": "the disk is encrypted but the device has no passphrase for it: set the passphrase "
    "with axis_encryption (state=enabled, passphrase=...) or format the disk (allow_format=true)",
    "wrong passphrase": "the device's passphrase does not open the encrypted disk: give the right passphrase "
    "to axis_encryption, or format the disk (allow_format=true) to start over",
    "not encrypted": "encryption is enabled but the disk has not been formatted since: format it "
    "(axis_disk or axis_encryption with allow_format=true) to encrypt it",
}


def normalize_disk(raw):
    """One `<disk>` element as plain typed values: sizes in kB, booleans as booleans.

    Accepts both `encryptionenabled` (real devices) and `diskencryptionenabled` (the docs).
    """
    status = raw.get("@status", "")
    enabled = raw.get("@encryptionenabled", raw.get("@diskencryptionenabled", "false"))
    return {
        "disk_id": raw.get("@diskid"),
        "friendly_name": raw.get("@name", "") or "",
        "total_kb": to_int(raw.get("@totalsize"), 0),
        "free_kb": to_int(raw.get("@freesize"), 0),
        "cleanup_max_age": to_int(raw.get("@cleanupmaxage"), 0),
        "cleanup_policy": raw.get("@cleanuppolicy"),
        "locked": to_flag(raw.get("@locked")),
        "full": to_flag(raw.get("@full")),
        "readonly": to_flag(raw.get("@readonly")),
        "status": status,
        "mounted": status in MOUNTED_STATUSES,
        "filesystem": raw.get("@filesystem"),
        "group": raw.get("@group"),
        "required_filesystem": raw.get("@requiredfilesystem", "none"),
        "encryption_enabled": to_flag(enabled),
        "encrypted": to_flag(raw.get("@diskencrypted")),
    }


def list_disks(device):
    """{disk_id: disk} from one `disks/list.cgi?diskid=all`, shared by all resources of a session."""

    def read():
        doc = device.client.xml("disks/list.cgi", {"diskid": "all"})
        disks = {}
        for raw in element_list(unwrap(doc), "disks", "disk"):
            disk = normalize_disk(raw)
            disks[disk["disk_id"]] = disk
        return disks

    return device.cached("disks", read)


def get_disk(device, disk_id):
    """The named disk, or an error that lists the disks the device has."""
    disks = list_disks(device)
    if disk_id not in disks:
        raise InputError(
            None,
            "disk_id=%s: %s has no such disk; it has: %s"
            % (disk_id, device.caps.describe(), ", ".join(sorted(disks)) or "no disks"),
        )
    return disks[disk_id]


def refresh_disks(device):
    device.invalidate("disks")
    return list_disks(device)


def start_disk_job(resource, cgi, args, disk_id, action):
    """Start a disks/*.cgi job and wait for it; invalidates the cached disk list.

    A job lost because the device restarted is resolved from the disk as the device lists it
    once it is back: done when a mount or unmount already shows, else the same job is started
    once more. A format is always repeated: a half-formatted disk lists like a formatted one,
    and the step is only in the plan because the task's format opt-in allows it.
    """
    for attempt in (1, 2):
        doc = resource.client.xml("disks/%s" % cgi, args, write=True)
        resource.device.invalidate("disks")
        try:
            return wait_disk_job(resource, doc, disk_id, action)
        except DeviceRestarted as exc:
            resource.device.forget()  # nothing read before the restart still holds
            disk = list_disks(resource.device).get(disk_id)
            if disk is not None and action in ("mount", "unmount") and disk["mounted"] == (action == "mount"):
                entry = {
                    "action": action,
                    "disk_id": disk_id,
                    "result": "ok",
                    "note": "the device restarted during the job; the disk is %sed" % action,
                }
                resource.jobs.append(entry)
                return entry
            if disk is None or attempt == 2:
                raise DeviceRestarted(
                    exc.cgi,
                    "%s%s. %s"
                    % (
                        exc.description,
                        "" if attempt == 1 else ", also when the job was started again",
                        describe_disk(disk, disk_id),
                    ),
                ) from exc
            resource.warnings.append(
                "the device restarted during the %s job of %s; the job was started again" % (action, disk_id)
            )
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def describe_disk(disk, disk_id):
    """The disk as the device lists it, in one sentence (for errors that must say where it stands)."""
    if disk is None:
        return "The device now lists no disk %s" % disk_id
    return "Disk %s is now in state %r, %s, file system %s" % (
        disk_id,
        disk["status"],
        "mounted" if disk["mounted"] else "not mounted",
        disk["filesystem"] or "none",
    )


def raise_for_encryption_state(disk):
    problem = ENCRYPTION_PROBLEMS.get(disk["status"])
    if problem:
        raise StateError("disks/list.cgi", "disk %s is in state %r: %s" % (disk["disk_id"], disk["status"], problem))


def wait_disk_job(resource, start_doc, disk_id, action):
    """Record in resource.jobs and wait for a job started by disks/{format,mount,...}.cgi."""
    jobs = element_list(unwrap(start_doc), "job")
    job_id = jobs[0].get("@jobid") if jobs else None
    if job_id is None:
        raise VapixError("disks/%s.cgi" % action, "the device did not return a job id")
    waiter = resource.job_waiter()
    try:
        outcome = waiter.disk_job(job_id, disk_id, action)
    except VapixError as exc:
        resource.jobs.append(failed_job(exc, job_id=job_id, action=action, disk_id=disk_id))
        raise
    resource.jobs.append(outcome)
    return outcome


def unmounted_note(before, now):
    """state_left() of a resource on a disk: a failed run that left the disk unmounted says so."""
    if before and now and before.get("mounted") and now.get("mounted") is False and now.get("disk_id"):
        return "disk %s is unmounted" % now["disk_id"]
    return None


def read_disk_capabilities(device, disk_id):
    """disks/getcapabilities.cgi of one disk, parsed once per session for every reader (file
    systems for a format, encryption support, the info module): a copy, or the error it gave."""

    def read():
        try:
            doc = device.client.xml("disks/getcapabilities.cgi", {"diskid": disk_id})
        except (UnsupportedError, ApiError) as exc:
            return exc  # the device's answer, kept: a second reader gets it without a second request
        node = find_element(unwrap(doc), "disk") or {}
        found = element_list(node, "filesystems", "filesystem") or element_list(node, "filesystem")
        filesystems = [fs for fs in found if isinstance(fs, dict) and fs.get("@name")]
        return {
            "filesystems": [fs["@name"] for fs in filesystems],
            "required_filesystems": [fs["@name"] for fs in filesystems if to_flag(fs.get("@requiredfssupported"))],
            "required_fs_supported": to_flag(node.get("@requiredfssupported"), None),
            "encryption_supported": to_flag(node.get("@encryptionsupported"), None),
        }

    found = device.cached("disk_capabilities:%s" % disk_id, read)
    if isinstance(found, (UnsupportedError, ApiError)):
        raise found
    return copy.deepcopy(found)
