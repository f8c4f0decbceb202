# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One disk of an Axis device: its file system, mount and lock state, and its settings.

The disk is read once (`disks/list.cgi?diskid=all`, shared through the session); alert levels
and the `Storage.S#` parameters only when an option needs them. The plan writes only what
differs, in an order that cannot trip over itself: unlock, required file system, format (which
also leaves the disk mounted or not as asked), mount, settings, unmount, lock.
"""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import (
    ENCRYPTION_PROBLEMS,
    get_disk,
    raise_for_encryption_state,
    read_disk_capabilities,
    refresh_disks,
    start_disk_job,
    unmounted_note,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    InputError,
    JobError,
    RefusedError,
    StateError,
    UnsupportedError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import (
    JOB_TIMEOUT_ARGSPEC,
    check_job_timeout,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import human_kb, to_int, used_kb
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import find_element, unwrap

SHARE_FILESYSTEM = "cifs"
MAX_CLEANUP_AGE = 7000
MAX_WEAR = 100
# Alert temperatures are Kelvin. 273-423 K (0-150 degrees C) covers every disk; a value below
# it is almost always a Celsius number given by mistake (60 would mean -213 degrees C).
MIN_ALERT_KELVIN = 273
MAX_ALERT_KELVIN = 423
# Encryption states a format cures (disks/list.cgi status: "Format the disk before use").
# "wrong passphrase" is cured by the right passphrase, never silently by a format.
CURED_BY_FORMAT = ("no passphrase", "not encrypted")
# Settings that only param.cgi holds: option -> Storage.S# parameter.
PARAM_ONLY = (("friendly_name", "FriendlyName"), ("mount_on_boot", "MountOnBoot"), ("auto_repair", "AutoRepair"))
# Storage.S# parameters that older firmware does not have (5.51 lists no AutoRepair).
NOT_ON_EVERY_FIRMWARE = ("AutoRepair",)
# Options compared with a field of the same name in the disk's state (shown in the diff when set).
MANAGED = (
    "friendly_name",
    "filesystem",
    "mounted",
    "locked",
    "required_filesystem",
    "cleanup_policy",
    "cleanup_max_age",
    "alert_levels",
    "mount_on_boot",
    "auto_repair",
)
# What a format changes besides the file system: shown in the diff whenever one is planned.
FORMAT_CHANGES = ("filesystem", "free_kb", "encrypted", "status", "mounted")
# check_filesystem: never; if_failed when disks/list.cgi says "failed" (idempotent); always.
CHECK_MODES = ("never", "if_failed", "always")
# disks/checkdisk.cgi and repair.cgi check and repair ext4 only (Disk management API).
CHECKABLE_FILESYSTEMS = ("ext4",)


def _yes_no(flag):
    return "yes" if flag else "no"


class Disk(Resource):
    result_key = "disk"
    diff_after_read_back = True  # what the device now says, not the prediction
    argument_spec = dict(
        disk_id=dict(type="str", required=True),
        friendly_name=dict(type="str"),
        filesystem=dict(type="str", choices=["ext4", "vfat", "cifs"]),
        mounted=dict(type="bool"),
        locked=dict(type="bool"),
        required_filesystem=dict(type="str", choices=["none", "ext4"]),
        cleanup_policy=dict(type="str", choices=["fifo", "none"]),
        cleanup_max_age=dict(type="int"),
        alert_levels=dict(type="dict", options=dict(wear=dict(type="int"), temperature=dict(type="int"))),
        mount_on_boot=dict(type="bool"),
        auto_repair=dict(type="bool"),
        allow_format=dict(type="bool", default=False),
        check_filesystem=dict(type="str", choices=list(CHECK_MODES), default="never"),
        allow_repair=dict(type="bool", default=False),
        **copy.deepcopy(JOB_TIMEOUT_ARGSPEC),
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.format_target = None  # file system of the planned format, if any
        self.format_reason = None

    def option(self, name):
        return self.params.get(name)

    # --- input -------------------------------------------------------------------------

    def validate(self):
        p = self.params
        if not (p.get("disk_id") or "").strip():
            raise InputError(None, "disk_id must name a disk, for example SD_DISK, NetworkShare or HDD_DISK")
        age = p.get("cleanup_max_age")
        if age is not None and not 0 <= age <= MAX_CLEANUP_AGE:
            raise InputError(
                None, "cleanup_max_age=%s is out of range: give a number of days from 0 to %s" % (age, MAX_CLEANUP_AGE)
            )
        levels = p.get("alert_levels")
        if levels is not None:
            wear, temperature = levels.get("wear"), levels.get("temperature")
            if wear is None and temperature is None:
                raise InputError(None, "alert_levels needs wear (percent) and/or temperature (Kelvin)")
            if wear is not None and not 0 <= wear <= MAX_WEAR:
                raise InputError(
                    None, "alert_levels.wear=%s is out of range: give a percentage from 0 to %s" % (wear, MAX_WEAR)
                )
            if temperature is not None and not MIN_ALERT_KELVIN <= temperature <= MAX_ALERT_KELVIN:
                raise InputError(
                    None,
                    "alert_levels.temperature=%s is out of range: give Kelvin from %s to %s "
                    "(333 is 60 degrees C)" % (temperature, MIN_ALERT_KELVIN, MAX_ALERT_KELVIN),
                )
        name = p.get("friendly_name")
        if name is not None and any(ord(char) < 32 or ord(char) == 127 for char in name):
            raise InputError(
                None,
                "friendly_name=%r contains control characters, which the device refuses; use printable text" % name,
            )
        check_job_timeout(p)
        self.validate_filesystem_check()
        filesystem, required = p.get("filesystem"), p.get("required_filesystem")
        if required == "ext4" and filesystem not in (None, "ext4"):
            raise InputError(
                None,
                "filesystem=%s contradicts required_filesystem=ext4: the device would format the "
                "disk to ext4 at its next mount; give filesystem=ext4 or required_filesystem=none" % filesystem,
            )

    # --- reads -------------------------------------------------------------------------

    def state_left(self, before, now):
        return unmounted_note(before, now)

    def read(self):
        disk = copy.deepcopy(get_disk(self.device, self.option("disk_id")))
        if self.option("alert_levels") is not None:
            disk["alert_levels"] = self.read_alert_levels(disk)
        if self.option("mount_on_boot") is not None or self.option("auto_repair") is not None:
            values = self.read_storage_params(disk, self.param_options_given())
            prefix = "Storage.%s." % disk["group"]
            for name, param in PARAM_ONLY:
                if name != "friendly_name" and prefix + param in values:
                    disk[name] = values[prefix + param].strip().lower() == "yes"
        return disk

    def read_alert_levels(self, disk):
        disk_id = disk["disk_id"]

        def read():
            try:
                doc = self.client.xml(
                    "disks/properties/getdiskalertlevels.cgi", {"schemaversion": 1, "diskid": disk_id}
                )
            except UnsupportedError:
                raise self.device.caps.missing(
                    "disk-properties",
                    "manage alert_levels of %s" % disk_id,
                    cgi="disks/properties/getdiskalertlevels.cgi",
                ) from None
            levels = find_element(unwrap(doc), "AlertLevels") or {}
            return {"wear": to_int(levels.get("@Wear")), "temperature": to_int(levels.get("@Temperature"))}

        return copy.deepcopy(self.device.cached("alertlevels:%s" % disk_id, read))

    def param_options_given(self):
        return [name for name, _param in PARAM_ONLY if self.option(name) is not None]

    def read_storage_params(self, disk, settings):
        """Storage.S# from param.cgi; a device without param.cgi fails naming `settings`."""
        group = disk.get("group")
        if not group:
            raise UnsupportedError(
                "disks/list.cgi",
                "%s lists no parameter group for disk %s, so %s cannot be managed"
                % (self.device.caps.describe(), disk["disk_id"], ", ".join(settings)),
            )
        key = "param:Storage.%s" % group

        def read():
            try:
                return self.client.param_list(["Storage.%s" % group])
            except UnsupportedError:
                raise UnsupportedError(
                    "param.cgi",
                    "%s has no param.cgi, the only API that holds %s of disk %s; "
                    "leave %s out for this device"
                    % (self.device.caps.describe(), " and ".join(settings), disk["disk_id"], " and ".join(settings)),
                ) from None

        return self.device.cached(key, read)

    def filesystems_supported(self, disk_id):
        """File systems the disk can be formatted with (getcapabilities.cgi), or None if unknown."""
        try:
            return read_disk_capabilities(self.device, disk_id)["filesystems"] or None
        except (UnsupportedError, ApiError):
            return None  # old firmware: the format itself will tell

    # --- decisions ---------------------------------------------------------------------

    def desired(self, current):
        wanted = copy.deepcopy(current)
        for name in (
            "friendly_name",
            "locked",
            "required_filesystem",
            "cleanup_policy",
            "cleanup_max_age",
            "mount_on_boot",
            "auto_repair",
            "mounted",
        ):
            if self.option(name) is not None:
                wanted[name] = self.option(name)
        levels = self.option("alert_levels")
        if levels is not None:
            merged = dict(current.get("alert_levels") or {})
            merged.update((k, v) for k, v in levels.items() if v is not None)
            wanted["alert_levels"] = merged
        self.check_disk_options(current)
        self.decide_format(current, wanted)
        if self.format_target is not None:
            wanted.update(
                filesystem=self.format_target, encrypted=current["encryption_enabled"], free_kb=current["total_kb"]
            )
            if self.option("mounted") is None:
                # The device remounts a disk after formatting it (docs/spec-choices/disks.md).
                wanted["mounted"] = True
        self.check_mount(current, wanted)
        if wanted["mounted"] != current["mounted"] or self.format_target is not None:
            wanted["status"] = "OK" if wanted["mounted"] else "connected"
        return wanted

    def check_disk_options(self, disk):
        """Options that do not fit this disk: refused before any write."""
        disk_id, filesystem = disk["disk_id"], self.option("filesystem")
        is_share = disk["filesystem"] == SHARE_FILESYSTEM
        if is_share and filesystem not in (None, SHARE_FILESYSTEM):
            raise InputError(
                None,
                "filesystem=%s: %s is a network share (cifs); a share cannot be formatted with "
                "another file system" % (filesystem, disk_id),
            )
        if not is_share and filesystem == SHARE_FILESYSTEM:
            raise InputError(
                None,
                "filesystem=cifs: cifs is the file system of network shares, and %s is not one; "
                "format it with ext4 or vfat" % disk_id,
            )
        if is_share and self.option("required_filesystem") == "ext4":
            raise InputError(
                None,
                "required_filesystem=ext4: %s is a network share (cifs), which has no required "
                "file system; use required_filesystem=none or leave it out" % disk_id,
            )

    def decide_format(self, current, wanted):
        """Set format_target/format_reason when the options need a format; refuse it when not allowed."""
        disk_id, have = current["disk_id"], current["filesystem"]
        target = self.option("filesystem")
        reason = None
        mounting = wanted["mounted"] and not current["mounted"]
        if target is None and have not in ("ext4", SHARE_FILESYSTEM):
            # With ext4 required the device formats any other file system when it mounts the disk
            # (not a locked or write-protected one, nor one with a wrong passphrase): that format
            # is done here, openly and only with allow_format, never left to a mount.
            if self.option("required_filesystem") == "ext4":
                target, reason = "ext4", "required_filesystem=ext4 makes the device format it at its next mount"
            elif (
                mounting
                and current["required_filesystem"] == "ext4"
                and not current["locked"]
                and not current["readonly"]
                and current["status"] != "wrong passphrase"
            ):
                target, reason = "ext4", "its required file system is ext4, so mounting it formats it"
        if target is not None and target != have:
            reason = reason or (
                "it has no file system"
                if have in (None, "", "none")
                else "filesystem=%s differs from its file system" % target
            )
        elif wanted["mounted"] and current["status"] in CURED_BY_FORMAT and self.option("allow_format"):
            target = target or have
            reason = "it is in state %r and cannot be mounted until it is formatted" % current["status"]
        else:
            return
        if current["status"] == "disconnected":
            raise self.not_available(current, "formatted")
        if current["readonly"]:
            raise StateError(
                None,
                "disk %s would be formatted (%s) but it is read-only (write-protected); "
                "remove the write protection first" % (disk_id, reason),
            )
        if current["locked"] and self.option("locked") is None:
            raise StateError(
                None,
                "disk %s would be formatted (%s) but it is locked, and a locked disk cannot be "
                "formatted; give locked=false, or locked=true to lock it again afterwards" % (disk_id, reason),
            )
        supported = self.filesystems_supported(disk_id)
        if supported is not None and target not in supported:
            raise InputError(
                None, "filesystem=%s: disk %s can be formatted with %s only" % (target, disk_id, ", ".join(supported))
            )
        if not self.option("allow_format"):
            raise RefusedError(None, self.format_warning(current, target, reason))
        self.format_target, self.format_reason = target, reason

    @staticmethod
    def format_warning(disk, target, reason):
        used = used_kb(disk)
        lost = "all recordings on it would be lost"
        if used is not None:
            lost += " (%s in use of %s)" % (human_kb(used), human_kb(disk["total_kb"]))
        have = disk["filesystem"] if disk["filesystem"] not in (None, "", "none") else "no file system"
        return (
            "disk %s would be formatted from %s to %s (%s): %s. Nothing was changed; set allow_format=true "
            "to format it" % (disk["disk_id"], have, target, reason, lost)
        )

    def not_available(self, disk, what):
        if disk["filesystem"] == SHARE_FILESYSTEM:
            return StateError(
                None,
                "disk %s cannot be %s: no network share is bound to it; add and bind one with "
                "vapix.edge_storage.axis_networkshare first" % (disk["disk_id"], what),
            )
        return StateError(
            None, "disk %s cannot be %s: it is disconnected (no card inserted?)" % (disk["disk_id"], what)
        )

    def check_mount(self, current, wanted):
        """A mount the device could not do is refused here, with the step that fixes it."""
        if self.format_target is None and wanted["mounted"] and not current["mounted"]:
            if current["status"] == "disconnected":
                raise self.not_available(current, "mounted")
            raise_for_encryption_state(current)
            if current["filesystem"] in (None, "", "none"):
                raise StateError(
                    None,
                    "disk %s has no file system to mount: give filesystem (ext4) and "
                    "allow_format=true" % current["disk_id"],
                )
        elif self.format_target is None and current["status"] in ENCRYPTION_PROBLEMS:
            self.warnings.append(
                "disk %s is in state %r: %s"
                % (current["disk_id"], current["status"], ENCRYPTION_PROBLEMS[current["status"]])
            )

    # --- the plan ------------------------------------------------------------------------

    def plan(self, current, desired):
        disk_id = current["disk_id"]
        steps = []
        relock = desired["locked"] and current["locked"] and self.format_target is not None
        if current["locked"] and (not desired["locked"] or relock):
            steps.append(self.lock_step(disk_id, False, "so that it can be formatted" if relock else ""))
        steps.extend(self.filesystem_check_steps(current, desired))
        if desired["required_filesystem"] != current["required_filesystem"]:
            # firmware 5.51 has neither the CGI nor Storage.S#.RequiredFileSystem: say so before any write
            self.device.caps.require_feature(
                "required-filesystem",
                "set required_filesystem of %s" % disk_id,
                cgi="disks/properties/setrequiredfs.cgi",
            )
            steps.append(self.required_fs_step(current, desired["required_filesystem"]))
        if self.format_target is not None:
            steps.append(self.format_step(current, desired))
        elif desired["mounted"] != current["mounted"] and desired["mounted"]:
            steps.append(self.mount_step(disk_id, "mount"))
        if desired["cleanup_policy"] != current["cleanup_policy"]:
            steps.append(
                self.property_step(
                    current,
                    "setcleanuppolicy.cgi",
                    {"cleanuppolicy": desired["cleanup_policy"]},
                    "CleanupPolicyActive",
                    desired["cleanup_policy"],
                    "cleanup_policy",
                    current["cleanup_policy"],
                )
            )
        if desired["cleanup_max_age"] != current["cleanup_max_age"]:
            steps.append(
                self.property_step(
                    current,
                    "setcleanupmaxage.cgi",
                    {"maxage": desired["cleanup_max_age"]},
                    "CleanupMaxAge",
                    desired["cleanup_max_age"],
                    "cleanup_max_age",
                    current["cleanup_max_age"],
                )
            )
        if desired.get("alert_levels") != current.get("alert_levels"):
            steps.append(self.alert_levels_step(current, desired["alert_levels"]))
        param_step = self.param_step(current, desired)
        if param_step is not None:
            steps.append(param_step)
        if self.format_target is None and desired["mounted"] != current["mounted"] and not desired["mounted"]:
            steps.append(self.mount_step(disk_id, "unmount"))
        if desired["locked"] and (not current["locked"] or relock):
            steps.append(self.lock_step(disk_id, True, "again" if relock else ""))
        return steps

    def lock_step(self, disk_id, lock, why):
        action = "lock" if lock else "unlock"

        def run():
            self.client.xml("disks/lock.cgi", {"action": action, "diskid": disk_id}, write=True, retry_write=True)
            self.device.invalidate("disks")

        return Step(action, " ".join(part for part in ("%s %s" % (action, disk_id), why) if part), run)

    def required_fs_step(self, disk, filesystem):
        def run():
            self.set_property(
                disk,
                "setrequiredfs.cgi",
                {"filesystem": filesystem},
                "RequiredFileSystem",
                filesystem,
                "required_filesystem",
            )

        return Step(
            "setrequiredfs",
            "set the required file system of %s to %s (was %s)"
            % (disk["disk_id"], filesystem, disk["required_filesystem"]),
            run,
        )

    def format_step(self, disk, desired):
        disk_id, target = disk["disk_id"], self.format_target
        keep_mounted = desired["mounted"]

        def run():
            start_disk_job(self, "format.cgi", {"diskid": disk_id, "filesystem": target}, disk_id, "format")
            # Devices differ in whether a format leaves the disk mounted: look, then fix it.
            after = refresh_disks(self.device).get(disk_id) or {}
            if after.get("mounted") != keep_mounted:
                action = "mount" if keep_mounted else "unmount"
                self.mount_job(disk_id, action)
                return "formatted, then %sed" % action
            return "formatted"

        used = used_kb(disk)
        detail = "format %s from %s to %s (%s)%s; %s" % (
            disk_id,
            disk["filesystem"],
            target,
            self.format_reason,
            ", losing %s of recordings" % human_kb(used) if used else "",
            "mounted afterwards" if keep_mounted else "unmounted afterwards",
        )
        return Step("format", detail, run, destructive=True)

    def mount_step(self, disk_id, action, why=""):
        def run():
            self.mount_job(disk_id, action)

        return Step(action, " ".join(part for part in ("%s %s" % (action, disk_id), why) if part), run)

    def mount_job(self, disk_id, action):
        """Mount or unmount, then check: a device ends a mount job OK on a disk it cannot open."""
        start_disk_job(self, "mount.cgi", {"action": action, "diskid": disk_id}, disk_id, action)
        after = refresh_disks(self.device).get(disk_id) or {}
        if after.get("mounted") != (action == "mount"):
            problem = ENCRYPTION_PROBLEMS.get(after.get("status"))
            raise StateError(
                "disks/mount.cgi",
                "the %s job of %s ended, but the device lists the disk as %r%s"
                % (action, disk_id, after.get("status"), ": %s" % problem if problem else ""),
            )

    def set_property(self, disk, cgi, args, param, value, option):
        """A Disk properties CGI; param.cgi (Storage.S#) on firmware that lacks the CGI."""
        query = {"schemaversion": 1, "diskid": disk["disk_id"]}
        query.update(args)
        try:
            self.client.xml("disks/properties/%s" % cgi, query, write=True, retry_write=True)
        except UnsupportedError:
            if not disk.get("group"):
                raise
            try:
                self.client.param_update({"Storage.%s.%s" % (disk["group"], param): value})
            except UnsupportedError:
                raise UnsupportedError(
                    "disks/properties/%s" % cgi,
                    "%s has neither the Disk properties API nor param.cgi, "
                    "so %s cannot be set" % (self.device.caps.describe(), option),
                ) from None
            self.device.invalidate("param:Storage.%s" % disk["group"])
        self.device.invalidate("disks")

    def property_step(self, disk, cgi, args, param, value, option, was):
        def run():
            self.set_property(disk, cgi, args, param, value if not isinstance(value, bool) else _yes_no(value), option)

        return Step(cgi[:-4], "set %s of %s to %s (was %s)" % (option, disk["disk_id"], value, was), run)

    def alert_levels_step(self, disk, levels):
        disk_id = disk["disk_id"]
        args = dict((k, v) for k, v in levels.items() if v is not None)

        def run():
            query = {"schemaversion": 1, "diskid": disk_id}
            query.update(args)
            self.client.xml("disks/properties/setdiskalertlevels.cgi", query, write=True, retry_write=True)
            self.device.invalidate("alertlevels:%s" % disk_id)

        was = disk.get("alert_levels") or {}
        detail = "set the alert levels of %s to wear %s%%, temperature %s K (was wear %s%%, temperature %s K)" % (
            disk_id,
            levels.get("wear"),
            levels.get("temperature"),
            was.get("wear"),
            was.get("temperature"),
        )
        return Step("setdiskalertlevels", detail, run)

    def param_step(self, disk, desired):
        changed = [
            (name, param)
            for name, param in PARAM_ONLY
            if self.option(name) is not None and desired.get(name) != disk.get(name)
        ]
        if not changed:
            return None
        # Only param.cgi holds these: make sure the device has it before anything is written.
        stored = self.read_storage_params(disk, [name for name, _param in changed])
        prefix = "Storage.%s." % disk["group"]
        lacking = [
            (name, param) for name, param in changed if param in NOT_ON_EVERY_FIRMWARE and prefix + param not in stored
        ]
        if lacking:
            # older firmware lists fewer Storage.S# parameters (5.51: no AutoRepair)
            raise UnsupportedError(
                "param.cgi",
                "%s has no %s, so %s of %s cannot be set on this firmware; leave %s out"
                % (
                    self.device.caps.describe(),
                    " or ".join(prefix + p for _n, p in lacking),
                    " and ".join(n for n, _p in lacking),
                    disk["disk_id"],
                    " and ".join(n for n, _p in lacking),
                ),
            )
        values = {}
        for name, param in changed:
            value = desired[name]
            values[prefix + param] = _yes_no(value) if isinstance(value, bool) else value

        def run():
            self.client.param_update(values)
            self.device.invalidate("disks", "param:Storage.%s" % disk["group"])

        detail = "set %s of %s (param.cgi)" % (
            ", ".join("%s to %r (was %r)" % (name, desired[name], disk.get(name)) for name, _param in changed),
            disk["disk_id"],
        )
        return Step("param", detail, run)

    # --- file system check and repair (disks/checkdisk.cgi, disks/repair.cgi) -----------------

    def validate_filesystem_check(self):
        mode = self.params.get("check_filesystem") or "never"
        if self.params.get("allow_repair") and mode == "never":
            raise InputError(
                None,
                "allow_repair=true only applies when a check runs: give check_filesystem=if_failed "
                "(repair a disk the device lists as failed) or check_filesystem=always",
            )

    def filesystem_check_steps(self, current, desired):
        """The check (and, with allow_repair, the repair) the options ask for, or nothing.

        Refused before any write when the device could not run it. A planned format replaces the
        file system, so there is nothing to check then.
        """
        mode = self.params.get("check_filesystem") or "never"
        if mode == "never" or (mode == "if_failed" and current["status"] != "failed") or self.format_target is not None:
            return []
        disk_id = current["disk_id"]
        if current["status"] == "disconnected":
            raise self.not_available(current, "checked")
        if current["filesystem"] not in CHECKABLE_FILESYSTEMS:
            raise InputError(
                None,
                "check_filesystem=%s: disk %s has file system %s, and the device checks and repairs "
                "ext4 only (disks/checkdisk.cgi)" % (mode, disk_id, current["filesystem"]),
            )
        problem = ENCRYPTION_PROBLEMS.get(current["status"])
        if problem:
            raise StateError(None, "disk %s cannot be checked in state %r: %s" % (disk_id, current["status"], problem))
        if self.params.get("allow_repair") and desired["locked"] and current["locked"]:
            raise StateError(
                None,
                "disk %s is locked, and the device repairs no locked disk: give locked=false to "
                "check and repair it" % disk_id,
            )
        # disks/list.cgi does not tell whether a failed disk is mounted, and checkdisk.cgi refuses
        # a mounted one: unmount it either way. Afterwards the disk is mounted again unless the
        # declaration leaves it unmounted, or the plan's own mount step does it.
        unmount = current["mounted"] or current["status"] == "failed"
        planned_mount = desired["mounted"] and not current["mounted"]
        remount = unmount and not planned_mount and self.option("mounted") is not False
        steps = []
        if unmount:
            steps.append(
                self.mount_step(disk_id, "unmount", "to check its file system (checkdisk.cgi needs an unmounted disk)")
            )
        repair = self.params.get("allow_repair")
        detail = "check the file system of %s (%s)%s" % (
            disk_id,
            "the device lists it as failed" if current["status"] == "failed" else "check_filesystem=always",
            "; repair it if the check finds errors (allow_repair=true: a repair may lose data)"
            if repair
            else "; if the check finds errors the task fails (allow_repair=true would repair them)",
        )
        steps.append(
            Step(
                "checkdisk",
                detail,
                lambda: self.check_and_repair(disk_id, current["mounted"]),
                destructive=bool(repair),
            )
        )
        if remount:
            steps.append(self.mount_step(disk_id, "mount", "again"))
        return steps

    def check_and_repair(self, disk_id, was_mounted):
        try:
            start_disk_job(self, "checkdisk.cgi", {"diskid": disk_id}, disk_id, "checkdisk")
            return "no file system errors found"
        except JobError as exc:
            found = exc.description
        if not self.params.get("allow_repair"):
            left = "the disk is left unmounted"
            if was_mounted:
                try:
                    self.mount_job(disk_id, "mount")
                    left = "it was unmounted for the check and is mounted again"
                except VapixError as exc:
                    left = "it was unmounted for the check and could not be mounted again (%s)" % exc.description
            # kind state: the check ran (a write), so this is not a refusal before any write
            raise StateError(
                "disks/checkdisk.cgi",
                "the file system check of %s found errors (%s). A repair may lose "
                "data, so nothing was repaired; set allow_repair=true to repair it. Already done: the "
                "check; %s" % (disk_id, found, left),
            )
        start_disk_job(self, "repair.cgi", {"diskid": disk_id}, disk_id, "repair")
        return "the check found errors (%s); repaired" % found

    # --- the run -------------------------------------------------------------------------

    def diff_fields(self):
        fields = [name for name in MANAGED if self.option(name) is not None]
        if self.format_target is not None:
            fields.extend(name for name in FORMAT_CHANGES if name not in fields)
        return ["disk_id"] + fields
