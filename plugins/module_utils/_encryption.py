# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk encryption of one disk: disks/properties/{enable,disable}diskencryption.cgi and
changediskpassphrase.cgi, with the unmount / mount / format jobs the device's rules need.

The device never returns a passphrase and has no encryption getter: what a disk's encryption
is comes from disks/list.cgi (encryptionenabled, diskencrypted, status), and whether the disk
has a given passphrase can only be learnt by asking changediskpassphrase.cgi to change it into
itself. See docs/encryption.md for the design.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import (
    get_disk,
    list_disks,
    read_disk_capabilities,
    start_disk_job,
    unmounted_note,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    InputError,
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
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import used_kb

ENABLED = "enabled"
DISABLED = "disabled"
MAX_PASSPHRASE_BYTES = 512  # enablediskencryption / changediskpassphrase limit
PASSPHRASE_MISMATCH = 130  # changediskpassphrase.cgi: oldpassphrase does not match

# What is known about the disk's passphrase (`passphrase_check` in the result).
MATCHES = "matches"  # the disk has `passphrase`: set by this task or proven by the device
DIFFERS = "differs"  # the device refused `passphrase` as the current one (error 130)
UNKNOWN = "unknown"  # not checked: nothing to rotate from, check mode, or the disk unmounted

# disks/list.cgi statuses of an encrypted disk that the device cannot open.
LOCKED_STATUSES = ("wrong passphrase", "no passphrase")

# The plans (see docs/encryption.md, "Plans").
ENABLE = "enable"  # encryption off, content plain -> unmount, enable, mount, format
REKEY = "rekey"  # encryption on but never formatted -> disable, enable, mount, format
UNLOCK = "unlock"  # encrypted content the device cannot open -> try `passphrase` first
ROTATE = "rotate"  # encrypted and usable, passphrase differs -> changediskpassphrase
DISABLE = "disable"  # encrypted -> unmount, disable, mount, format
DISABLE_ONLY = "disable_only"  # encryption on but never formatted -> disable, mount (content intact)
WIPE = "wipe"  # encryption off, content still encrypted -> mount, format

FORMATTING_PLANS = (ENABLE, REKEY, DISABLE, WIPE)


def _props(name):
    return "disks/properties/%s" % name


class Encryption(Resource):
    result_key = "encryption"
    argument_spec = dict(
        disk_id=dict(type="str", required=True),
        state=dict(type="str", choices=[ENABLED, DISABLED], default=ENABLED),
        passphrase=dict(type="str", no_log=True),
        old_passphrase=dict(type="str", no_log=True),
        allow_format=dict(type="bool", default=False),
        **JOB_TIMEOUT_ARGSPEC,
    )
    # state=enabled without passphrase keeps the passphrase an encrypted disk has (an imported
    # declaration cannot know it); plan() refuses it where the passphrase would be written.
    module_kwargs = {}

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.disk_id = params["disk_id"]
        self.disk = None  # the disk as first read (normalized by _disks)
        self.check = None  # MATCHES / DIFFERS / UNKNOWN once the disk has been read
        self.probe_pending = False  # the passphrase can be checked by the probe step
        self.plan_name = None
        self.keep_mounted = True
        self.unmounted_by_us = False

    # --- input ----------------------------------------------------------------------------

    def validate(self):
        params = self.params
        if params["state"] == ENABLED:
            if params.get("passphrase") is None:
                if params.get("old_passphrase") is not None:
                    raise InputError(None, "old_passphrase needs passphrase: give the passphrase to rotate to")
                return
            self._check_passphrase("passphrase", params["passphrase"])
            if params.get("old_passphrase") is not None:
                self._check_passphrase("old_passphrase", params["old_passphrase"])
        else:
            given = [name for name in ("passphrase", "old_passphrase") if params.get(name) is not None]
            if given:
                raise InputError(
                    None,
                    "%s only appl%s to state=enabled; remove %s for state=disabled"
                    % (" and ".join(given), "ies" if len(given) == 1 else "y", "it" if len(given) == 1 else "them"),
                )
        check_job_timeout(params)

    @staticmethod
    def _check_passphrase(option, value):
        size = len(value.encode("utf-8"))
        if size == 0:
            raise InputError(None, "%s is empty; the device needs 1 to %d bytes" % (option, MAX_PASSPHRASE_BYTES))
        if size > MAX_PASSPHRASE_BYTES:
            raise InputError(
                None,
                "%s is %d bytes long (UTF-8); the device accepts at most %d bytes"
                % (option, size, MAX_PASSPHRASE_BYTES),
            )

    # --- state ----------------------------------------------------------------------------

    @property
    def wants_enabled(self):
        return self.params["state"] == ENABLED

    def state_left(self, before, now):
        return unmounted_note(before, now)

    def read(self):
        disk = get_disk(self.device, self.disk_id)
        if self.disk is None:
            self.disk = disk
            self.check = self._passphrase_check_before_probe(disk)
        return self._state(disk)

    def _state(self, disk):
        encrypted_and_on = disk["encryption_enabled"] and disk["encrypted"]
        return {
            "disk_id": disk["disk_id"],
            "status": disk["status"],
            "mounted": disk["mounted"],
            "encryption_enabled": disk["encryption_enabled"],
            "encrypted": disk["encrypted"],
            "passphrase_check": self.check if encrypted_and_on else None,
        }

    def _passphrase_check_before_probe(self, disk):
        """What is known of `passphrase` before any request but the disk list: None where it does
        not matter, else UNKNOWN; probe_pending where the probe step (_probe_step) can tell.

        Only the device can tell, through changediskpassphrase.cgi (a write), so the question is
        asked only when there is something to rotate from (a mismatch without old_passphrase
        could not be repaired), and only of a mounted disk (the device answers 150 otherwise).
        """
        if not (disk["encryption_enabled"] and disk["encrypted"]) or not self.wants_enabled:
            return None
        if self.params.get("old_passphrase") is None or disk["status"] in LOCKED_STATUSES:
            return UNKNOWN
        if disk["status"] != "OK":
            self.warnings.append(
                "the passphrase of %s was not checked or rotated: the device only checks or "
                "changes a passphrase on a mounted disk, and %s is in state %r; mount it "
                "(axis_disk) and run again to rotate" % (self.disk_id, self.disk_id, disk["status"])
            )
            return UNKNOWN
        if self.check_mode:
            self.warnings.append(
                "check mode: the passphrase of %s was not checked, because the only way to check "
                "it is a changediskpassphrase.cgi request; a real run keeps it if it already is "
                "passphrase, else rotates it from old_passphrase" % self.disk_id
            )
        self.probe_pending = True
        return UNKNOWN

    def _probe_step(self):
        return Step(
            "check passphrase",
            "ask the device whether %s has passphrase (changediskpassphrase.cgi from passphrase to "
            "itself, which changes nothing); rotate from old_passphrase if it does not" % self.disk_id,
            self._probe_passphrase,
            probe=True,
        )

    def _probe_passphrase(self):
        """Changing the passphrase into itself: success proves it (and changes nothing), error 130
        disproves it."""
        self.probe_pending = False
        try:
            self._change_passphrase(self.params["passphrase"], self.params["passphrase"], retry=True)
        except VapixError as exc:
            if exc.code != PASSPHRASE_MISMATCH:
                raise
            self.check = DIFFERS
            return "%s does not have passphrase (error %d)" % (self.disk_id, PASSPHRASE_MISMATCH)
        self.check = MATCHES
        return "%s has passphrase" % self.disk_id

    def probed(self, before):
        if before is None or before.get("passphrase_check") is None:
            return before
        return dict(before, passphrase_check=self.check)

    def desired(self, current):
        disk = self.disk
        self.plan_name = self._choose_plan(disk)
        wanted = dict(current)
        if self.wants_enabled:
            wanted.update(encryption_enabled=True, encrypted=True)
            if self.plan_name in (ENABLE, REKEY, UNLOCK, ROTATE):
                wanted["passphrase_check"] = MATCHES
            else:
                wanted["passphrase_check"] = self.check
        else:
            wanted.update(encryption_enabled=False, encrypted=False, passphrase_check=None)
        if self.plan_name not in (None, ROTATE):
            # A disk in use stays in use; one that could not mount because of its encryption is
            # mounted once it can; one deliberately unmounted ("connected") is left unmounted.
            self.keep_mounted = disk["status"] != "connected"
            wanted["mounted"] = self.keep_mounted
            wanted["status"] = "OK" if self.keep_mounted else "connected"
        return wanted

    def _choose_plan(self, disk):
        on, encrypted, status = disk["encryption_enabled"], disk["encrypted"], disk["status"]
        if self.wants_enabled:
            if encrypted and (status in LOCKED_STATUSES or not on):
                return UNLOCK
            if on and encrypted:
                return ROTATE if self.check == DIFFERS else None
            return REKEY if on else ENABLE
        if on and encrypted:
            return DISABLE
        if on:
            return DISABLE_ONLY
        return WIPE if encrypted else None

    # --- plan -----------------------------------------------------------------------------

    def plan(self, current, desired):
        if self.probe_pending:
            return [self._probe_step()]
        name = self.plan_name
        if name is None:
            return []
        if name != DISABLE and name != DISABLE_ONLY and name != WIPE and self.params.get("passphrase") is None:
            raise InputError(
                None,
                "disk %s needs passphrase with state=enabled: it is in state %r (encryption %s), and "
                "encrypting or unlocking it writes a passphrase. Without passphrase, state=enabled only "
                "keeps the encryption of a disk that is encrypted and usable. Nothing was changed."
                % (self.disk_id, self.disk["status"], "enabled" if self.disk["encryption_enabled"] else "disabled"),
            )
        if name == ROTATE:
            return [self._rotate_step()]
        disk = self.disk
        self._require_encryption_support()
        self._require_usable(disk)
        formats = name in FORMATTING_PLANS or (name == DISABLE_ONLY and self._formats_on_mount(disk))
        if formats:
            self._require_formattable(disk)
            if not self.params["allow_format"]:
                raise RefusedError(
                    None,
                    "%s; %s. Set allow_format=true to allow it. Nothing was changed."
                    % (self._why_format(name, disk), self._loss(disk)),
                )
        if name == UNLOCK:
            self._warn_unlock(disk)
        return self._job_steps(name, disk)

    def _job_steps(self, name, disk):
        steps = []
        if disk["mounted"]:
            steps.append(
                Step(
                    "unmount",
                    "unmount %s: encryption can only be changed on an unmounted disk" % self.disk_id,
                    self._unmount_first,
                )
            )
        if disk["encryption_enabled"] and name != ENABLE:
            why = {
                REKEY: "to set passphrase (the disk is formatted next, so nothing readable is lost)",
                UNLOCK: "to set passphrase in place of the device's current one",
            }.get(name, "")
            steps.append(
                Step(
                    "disable",
                    ("disable encryption of %s %s" % (self.disk_id, why)).strip(),
                    lambda: self._set_encryption(False),
                )
            )
        if name in (ENABLE, REKEY, UNLOCK):
            steps.append(
                Step(
                    "enable",
                    "enable encryption of %s with passphrase" % self.disk_id,
                    lambda: self._set_encryption(True),
                )
            )
        if name != DISABLE_ONLY or self.keep_mounted:
            steps.append(
                Step(
                    "mount",
                    "mount %s" % self.disk_id,
                    self._mount,
                    destructive=name == DISABLE_ONLY and self._formats_on_mount(disk),
                )
            )
        if name in FORMATTING_PLANS or name == UNLOCK:
            steps.append(self._format_step(name, disk))
        if not self.keep_mounted and name != DISABLE_ONLY:
            steps.append(
                Step("unmount", "unmount %s again: it was unmounted before" % self.disk_id, self._unmount_last)
            )
        return steps

    def _format_step(self, name, disk):
        filesystem = self._format_filesystem(disk)
        if name == UNLOCK:
            detail = "format %s (%s) if passphrase does not open it%s" % (
                self.disk_id,
                filesystem or "its file system",
                "" if self.params["allow_format"] else "; without allow_format=true the task fails instead",
            )
        elif disk["required_filesystem"] not in (None, "", "none"):
            detail = "format %s (%s) unless mounting already did: its required file system formats it on mount" % (
                self.disk_id,
                filesystem,
            )
        else:
            detail = "format %s (%s)" % (self.disk_id, filesystem or "its file system")
        return Step("format", detail, lambda: self._format_unless_done(name, filesystem), destructive=True)

    def _rotate_step(self):
        if self.params["old_passphrase"] == self.params["passphrase"]:
            raise InputError(
                None,
                "disk %s does not have passphrase (the device refused it with error %d), and "
                "old_passphrase is the same value: give the disk's current passphrase as "
                "old_passphrase. Nothing was changed." % (self.disk_id, PASSPHRASE_MISMATCH),
            )
        return Step(
            "rotate", "change the passphrase of %s from old_passphrase to passphrase" % self.disk_id, self._rotate
        )

    # --- preconditions, checked before any write --------------------------------------------

    def _require_encryption_support(self):
        # Firmware without disk encryption (no Disk properties API, or no
        # Properties.LocalStorage.DiskEncryption) fails here, before the disk is unmounted.
        self.device.caps.require_feature(
            "disk-encryption", "change the encryption of disk %s" % self.disk_id, cgi=_props("enablediskencryption.cgi")
        )

        try:
            supported = read_disk_capabilities(self.device, self.disk_id)["encryption_supported"] is not False
        except UnsupportedError:
            supported = True  # firmware without the CGI: let the encryption CGI itself answer
        if not supported:
            raise UnsupportedError(
                "disks/getcapabilities.cgi",
                "disk %s does not support encryption (encryptionsupported=false)" % self.disk_id,
            )

    def _require_usable(self, disk):
        status = disk["status"]
        if status == "disconnected":
            raise StateError(
                "disks/list.cgi",
                "disk %s is disconnected (no card inserted, or no network share "
                "bound): its encryption cannot be changed" % self.disk_id,
            )
        if status == "failed":
            raise StateError(
                "disks/list.cgi",
                "disk %s is in state 'failed': check and repair it first "
                "(axis_disk), then change its encryption" % self.disk_id,
            )

    def _require_formattable(self, disk):
        for flag, fix in (
            ("locked", "unlock it (disks/lock.cgi or axis_disk)"),
            ("readonly", "remove its write protection"),
        ):
            if disk.get(flag):
                raise StateError(
                    "disks/list.cgi",
                    "disk %s is %s, so it cannot be formatted, which changing its "
                    "encryption needs: %s first. Nothing was changed."
                    % (self.disk_id, "read-only" if flag == "readonly" else flag, fix),
                )

    @staticmethod
    def _formats_on_mount(disk):
        """After disabling encryption, does mounting reformat the disk (required file system)?"""
        required = disk["required_filesystem"]
        return required not in (None, "", "none") and disk["filesystem"] != required

    def _why_format(self, name, disk):
        disk_id = self.disk_id
        if name == ENABLE:
            return "enabling encryption of %s formats it: the device encrypts a disk only when it formats it" % disk_id
        if name == REKEY:
            return (
                "disk %s is in state %r: encryption is enabled but the disk has not been formatted since, so "
                "the fix is to format it (this task then sets passphrase and formats it)" % (disk_id, disk["status"])
            )
        if name == DISABLE:
            return (
                "disabling encryption of %s formats it: its content stays encrypted and unreadable until "
                "formatted" % disk_id
            )
        if name == WIPE:
            return (
                "disk %s is in state %r: its content is encrypted but encryption is disabled; the fix is to "
                "format it (or state=enabled with the passphrase it was encrypted with, which keeps the data)"
                % (disk_id, disk["status"])
            )
        return "disk %s has required file system %s, so mounting it after disabling encryption reformats it" % (
            disk_id,
            disk["required_filesystem"],
        )

    @staticmethod
    def _loss(disk):
        if disk["mounted"] and disk["total_kb"]:
            used = used_kb(disk)
            return "its recordings and other data would be lost (%d kB used of %d kB)" % (used, disk["total_kb"])
        return (
            "everything on it would be lost (the disk is not mounted, so the space its recordings use cannot be read)"
        )

    def _warn_unlock(self, disk):
        then = (
            "formats it (allow_format=true)"
            if self.params["allow_format"]
            else "fails and leaves it unmounted, naming the fix (allow_format=true would format it)"
        )
        if self.check_mode:
            self.warnings.append(
                "check mode: disk %s is in state %r; whether passphrase opens its encrypted "
                "content is only known by trying it. If it does not, a real run %s"
                % (self.disk_id, disk["status"], then)
            )

    def _format_filesystem(self, disk):
        # A whole-device declaration passes the disk's declared file system, so that the
        # encryption format is the only format (axis_disk then finds nothing to reformat).
        if self.params.get("format_filesystem"):
            return self.params["format_filesystem"]
        required = disk["required_filesystem"]
        if required not in (None, "", "none"):
            return required
        if disk["filesystem"] in ("ext4", "vfat"):
            return disk["filesystem"]
        return None  # the device's default: the file system present on the disk

    # --- writes ---------------------------------------------------------------------------

    def _disk_now(self):
        # Every job and encryption change invalidates the cached list, so this is current.
        return list_disks(self.device)[self.disk_id]

    def _job(self, cgi, args, action):
        return start_disk_job(self, cgi, args, self.disk_id, action)

    def _unmount_first(self):
        self._job("mount.cgi", {"action": "unmount", "diskid": self.disk_id}, "unmount")
        self.unmounted_by_us = True
        return "unmounted"

    def _mount(self):
        self._job("mount.cgi", {"action": "mount", "diskid": self.disk_id}, "mount")
        disk = self._disk_now()
        return "mounted" if disk["mounted"] else "mount job done; the disk is in state %r" % disk["status"]

    def _unmount_last(self):
        disk = self._disk_now()
        if not disk["mounted"]:
            return "already unmounted"
        self._job("mount.cgi", {"action": "unmount", "diskid": self.disk_id}, "unmount")
        return "unmounted"

    def _set_encryption(self, enable):
        if enable:
            cgi, args = (
                "enablediskencryption.cgi",
                {"schemaversion": 1, "diskid": self.disk_id, "passphrase": self.params["passphrase"]},
            )
        else:
            cgi, args = "disablediskencryption.cgi", {"schemaversion": 1, "diskid": self.disk_id}
        try:
            self.client.xml(_props(cgi), args, write=True)
        except VapixError as exc:
            raise self._after_failed_change(exc) from exc
        finally:
            self.device.invalidate("disks")
        if enable:
            self.check = MATCHES
        return "encryption %s" % ("enabled" if enable else "disabled")

    def _after_failed_change(self, exc):
        """Put a disk this task unmounted back in use before reporting the device's error."""
        if not (self.unmounted_by_us and self.keep_mounted):
            return exc
        try:
            self._job("mount.cgi", {"action": "mount", "diskid": self.disk_id}, "mount")
            note = "%s was mounted again" % self.disk_id
        except VapixError as mount_exc:
            note = "%s could not be mounted again (%s)" % (self.disk_id, mount_exc)
        return exc.with_description("%s (%s)" % (exc.description, note))

    def _converged(self, disk):
        want = self.wants_enabled
        return (
            disk["encryption_enabled"] == want and disk["encrypted"] == want and disk["status"] in ("OK", "connected")
        )

    def _format_unless_done(self, name, filesystem):
        disk = self._disk_now()
        if self._converged(disk) and disk["mounted"]:
            return (
                "not needed: passphrase opened the disk"
                if name == UNLOCK
                else "not needed: mounting formatted the disk (required file system)"
            )
        if name == UNLOCK and not self.params["allow_format"]:
            raise StateError(
                None,
                "disk %s stays in state %r: passphrase does not open its encrypted content. "
                "Encryption is now enabled with passphrase and the disk is not mounted. To fix "
                "it, give the passphrase the disk was encrypted with, or set allow_format=true "
                "to format it (everything on it is lost)" % (self.disk_id, disk["status"]),
            )
        args = {"diskid": self.disk_id}
        if filesystem:
            args["filesystem"] = filesystem
        self._job("format.cgi", args, "format")
        disk = self._disk_now()
        if self.keep_mounted and not disk["mounted"]:
            self._job("mount.cgi", {"action": "mount", "diskid": self.disk_id}, "mount")
        return "formatted"

    def _change_passphrase(self, old, new, retry=False):
        self.client.xml(
            _props("changediskpassphrase.cgi"),
            {"schemaversion": 1, "diskid": self.disk_id, "oldpassphrase": old, "newpassphrase": new},
            write=True,
            retry_write=retry,
        )

    def _rotate(self):
        try:
            self._change_passphrase(self.params["old_passphrase"], self.params["passphrase"])
        except VapixError as exc:
            if exc.code != PASSPHRASE_MISMATCH:
                raise
            raise exc.with_description(
                "neither passphrase nor old_passphrase is the passphrase of disk %s (the device "
                "refused both: %s). Nothing was changed; give the disk's current passphrase "
                "as old_passphrase" % (self.disk_id, exc.description)
            ) from exc
        self.check = MATCHES
        return "passphrase rotated"

    # --- result ---------------------------------------------------------------------------

    def result_extras(self, final):
        # Only what this run proved counts: a prediction in check mode is not a verification.
        return {
            "passphrase_verified": bool(
                self.wants_enabled
                and not self.check_mode
                and self.check == MATCHES
                and (final or {}).get("passphrase_check") == MATCHES
            )
        }

    def unverified_secrets(self, result):
        if not self.wants_enabled:
            return []
        # any encryption step writes the passphrase; otherwise only a proven match counts
        return [] if result.get("changed") or result.get("passphrase_verified") else ["passphrase"]
