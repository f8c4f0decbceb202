# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The disk a network share is bound to, for axis_networkshare: its SMB mount options
(Storage.S#.ExtraMountOptions, param.cgi) and the guard that keeps a bound share's recordings.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import list_disks
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    InputError,
    RefusedError,
    UnsupportedError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._shares import MOUNT_OPTIONS_PARAM, share_mount_options
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import read_limits
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import SHARE_DISK_ID, human_kb, used_kb

# SMB mount options (Storage.S#.ExtraMountOptions of the share's disk, param.cgi): credentials
# belong in share_user/share_password, where they are masked; not in a listed parameter.
CREDENTIAL_MOUNT_OPTIONS = ("user", "username", "pass", "password", "credentials", "cred")


class ShareDisk:
    """Part of NetworkShare (a Resource): what concerns the disk the share is bound to."""

    # --- SMB mount options (Storage.S#.ExtraMountOptions) ----------------------------------

    def validate_mount_options(self):
        value = self.params.get("mount_options")
        if value is None:
            return
        if not self.params["bound"]:
            raise InputError(
                None,
                "mount_options=%r needs bound=true: the options belong to the NetworkShare disk a "
                "bound share is mounted on" % value,
            )
        if any(ord(char) < 33 or ord(char) == 127 for char in value.strip()):
            raise InputError(
                None,
                "mount_options=%r: give comma-separated SMB mount options without spaces or control "
                "characters, for example vers=3.0 or vers=3.0,noserverino" % value,
            )
        for option in value.split(","):
            name = option.split("=", 1)[0].strip().lower()
            if name in CREDENTIAL_MOUNT_OPTIONS:
                raise InputError(
                    None,
                    "mount_options: %s= is a credential; give it as share_user/share_password, which "
                    "are never shown (the mount options are a readable parameter)" % name,
                )

    def _share_disk(self, disk_id):
        disks = list_disks(self.device)
        return disks.get(disk_id or SHARE_DISK_ID)

    def read_mount_options(self, disk_id):
        """The share disk's Storage.S#.ExtraMountOptions; fails naming param.cgi where it is missing."""
        value = share_mount_options(self.device, self._share_disk(disk_id))
        if value is None:
            raise UnsupportedError(
                "param.cgi",
                "mount_options cannot be managed on %s: only param.cgi holds the share "
                "disk's mount options (Storage.S#.%s), and this device has no such parameter; leave "
                "mount_options out" % (self.device.caps.describe(), MOUNT_OPTIONS_PARAM),
            )
        return value

    def mount_options_steps(self, current, desired):
        if "mount_options" not in desired:
            return []
        disk = self._share_disk(current["disk_id"] if current and current["bound"] else None)
        have = (current or {}).get("mount_options")
        if have is None:
            have = self.read_mount_options(disk["disk_id"] if disk else None)
        if have == desired["mount_options"]:
            return []
        group = disk["group"]

        def write():
            self.client.param_update({"Storage.%s.%s" % (group, MOUNT_OPTIONS_PARAM): desired["mount_options"]})
            self.device.invalidate("param:Storage.%s" % group, "param:Storage")
            return "ok"

        return [
            Step(
                "param",
                "set the mount options of disk %s to %r (was %r)" % (disk["disk_id"], desired["mount_options"], have),
                write,
            )
        ]

    # --- the destructive guard ---------------------------------------------------------

    def recordings_kb(self, disk_id):
        """(kB of recordings on the disk or None if unknown, where the figure comes from)."""
        try:
            limits = read_limits(self.device)
            if disk_id in limits:
                return limits[disk_id]["used_kb"], "record/storage/getlimit.cgi usedspace"
        except (UnsupportedError, ApiError):
            pass  # no Recording storage limit API: the disk list may tell
        disk = list_disks(self.device).get(disk_id)
        if disk and disk["mounted"]:
            return used_kb(disk) or 0, "disks/list.cgi totalsize - freesize"
        return None, None

    def _guard_recordings(self, current, change=None):
        """Fail before any write when removal (or `change`) would cut the device off its recordings."""
        disk_id = current["disk_id"]
        used, source = self.recordings_kb(disk_id)
        if used == 0:
            return False
        doing, undo = (
            ("removing share %s" % current["share_id"], "remove it")
            if change is None
            else ("changing %s of share %s" % (change, current["share_id"]), "change it")
        )
        if self.params["allow_data_loss"]:
            if used is not None:
                self.warnings.append(
                    "%s: the device loses access to %s of recordings on disk %s "
                    "(allow_data_loss=true)" % (doing, human_kb(used, exact=True), disk_id)
                )
            return True
        if used is None:
            what = (
                "whether disk %s holds recordings: the device has no storage limit API and the disk is not "
                "mounted" % disk_id
            )
            raise RefusedError(
                None,
                "share %r (id %s) is bound, and the module cannot tell %s. Nothing was "
                "changed; set allow_data_loss=true to %s anyway." % (current["name"], current["share_id"], what, undo),
            )
        effect = (
            "removing the share makes the device lose them"
            if change is None
            else "with another %s the disk is another folder, and the device loses the recordings in this one" % change
        )
        raise RefusedError(
            None,
            "share %r (id %s) is bound to disk %s, which holds %s of this device's "
            "recordings (%s); %s (it can no longer list, play or export them). Nothing was "
            "changed; set allow_data_loss=true to %s anyway."
            % (current["name"], current["share_id"], disk_id, human_kb(used, exact=True), source, effect, undo),
        )
