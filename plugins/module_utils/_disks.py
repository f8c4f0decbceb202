# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads shared by every disk-side resource: the disk list, normalized, once per session."""

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import (
    DeviceRestarted,
    VapixError,
    element_list,
    unwrap,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import input_error


def human_kb(kb, exact=False):
    """1048576 -> '1.0 GB' (binary units, as the device counts); exact: '1048576 kB (1.0 GB)'."""
    size = float(kb)
    for unit in ("kB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            if unit == "kB":
                return "%d kB" % kb
            return ("%d kB (%.1f %s)" % (kb, size, unit)) if exact else ("%.1f %s" % (size, unit))
        size /= 1024
    return "%d kB" % kb  # pragma: no cover - the loop always returns


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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


def _bool(value):
    return str(value).strip().lower() in ("yes", "true", "1")


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def normalize_disk(raw):
    """One `<disk>` element as plain typed values: sizes in kB, booleans as booleans.

    Accepts both `encryptionenabled` (real devices) and `diskencryptionenabled` (the docs).
    """
    status = raw.get("@status", "")
    enabled = raw.get("@encryptionenabled", raw.get("@diskencryptionenabled", "false"))
    return {
        "disk_id": raw.get("@diskid"),
        "friendly_name": raw.get("@name", "") or "",
        "total_kb": _int(raw.get("@totalsize")),
        "free_kb": _int(raw.get("@freesize")),
        "cleanup_max_age": _int(raw.get("@cleanupmaxage")),
        "cleanup_policy": raw.get("@cleanuppolicy"),
        "locked": _bool(raw.get("@locked")),
        "full": _bool(raw.get("@full")),
        "readonly": _bool(raw.get("@readonly")),
        "status": status,
        "mounted": status in MOUNTED_STATUSES,
        "filesystem": raw.get("@filesystem"),
        "group": raw.get("@group"),
        "required_filesystem": raw.get("@requiredfilesystem", "none"),
        "encryption_enabled": _bool(enabled),
        "encrypted": _bool(raw.get("@diskencrypted")),
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
        raise input_error("disk_id=%s: %s has no such disk; it has: %s"
                          % (disk_id, device.caps.describe(), ", ".join(sorted(disks)) or "no disks"))
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
            return resource.wait_disk_job(doc, disk_id, action)
        except DeviceRestarted as exc:
            resource.device.forget()  # nothing read before the restart still holds
            disk = list_disks(resource.device).get(disk_id)
            if disk is not None and action in ("mount", "unmount") and disk["mounted"] == (action == "mount"):
                entry = {"action": action, "disk_id": disk_id, "result": "ok",
                         "note": "the device restarted during the job; the disk is %sed" % action}
                resource.jobs.append(entry)
                return entry
            if disk is None or attempt == 2:
                raise VapixError(exc.cgi, "%s%s. %s" % (
                    exc.description, "" if attempt == 1 else ", also when the job was started again",
                    describe_disk(disk, disk_id)), kind="restarted")
            resource.warnings.append("the device restarted during the %s job of %s; the job was started again"
                                     % (action, disk_id))
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def describe_disk(disk, disk_id):
    """The disk as the device lists it, in one sentence (for errors that must say where it stands)."""
    if disk is None:
        return "The device now lists no disk %s" % disk_id
    return "Disk %s is now in state %r, %s, file system %s" % (
        disk_id, disk["status"], "mounted" if disk["mounted"] else "not mounted", disk["filesystem"] or "none")


def raise_for_encryption_state(disk):
    problem = ENCRYPTION_PROBLEMS.get(disk["status"])
    if problem:
        raise VapixError("disks/list.cgi", "disk %s is in state %r: %s" % (disk["disk_id"], disk["status"], problem),
                         kind="state")
