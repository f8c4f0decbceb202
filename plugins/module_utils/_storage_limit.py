# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recording storage limit (quota) of one disk: record/storage/{getlimit,setlimit}.cgi."""

import re

from ansible.module_utils.common.text.formatters import human_to_bytes
from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import get_disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError, UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import human_kb
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

MIN_LIMIT_KB = 1048576  # the API's minimum: 1 GB, in the device's kB (1024 bytes)
# No disk or share an Axis device records to comes near 1 EiB (1024**5 kB): a larger limit is
# a typo in the unit or the number, refused even where the disk's size cannot be read.
MAX_LIMIT_KB = 1024**5
SIZE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def parse_size_kb(value, option="size"):
    """'500 GB', '1.5 TiB', '2G' or a bare integer of kB -> kB (1 kB = 1024 bytes).

    Units are binary, as on the device: GB and GiB both mean 1024**3 bytes.
    """
    text = str(value)
    match = SIZE_PATTERN.match(text)
    if not match:
        raise InputError(
            None,
            "%s=%r is not a size: give kilobytes as an integer (1048576) or a number with "
            "a unit (500 GB, 1.5 TiB)" % (option, value),
        )
    number, unit = match.groups()
    if not unit:
        if "." in number:
            raise InputError(None, "%s=%r: a size without a unit is a whole number of kilobytes" % (option, value))
        return int(number)
    unit = unit.upper().replace("IB", "B")
    if unit == "B":
        raise InputError(None, "%s=%r: bytes are below the device's precision; use kB, MB, GB or TB" % (option, value))
    try:
        return int(human_to_bytes("%s%s" % (number, unit)) // 1024)
    except ValueError:
        raise InputError(
            None,
            "%s=%r has an unknown unit %r; use one of kB, MB, GB, TB (or KiB, MiB, GiB, TiB)"
            % (option, value, match.group(2)),
        ) from None


def read_limits(device):
    """{disk_id: {limit_kb, used_kb}} for every disk, from one getlimit.cgi call."""

    def read():
        try:
            doc = device.client.xml("record/storage/getlimit.cgi", {"schemaversion": 1})
        except UnsupportedError:
            # firmware without the Recording storage limit API (5.51): say so with model and firmware
            raise device.caps.missing(
                "recording-storage-limit", "read or set recording storage limits", cgi="record/storage/getlimit.cgi"
            ) from None
        limits = {}
        payload = unwrap(doc)
        # The element table nests the limits in GetStorageLimitsResponse; the examples do not.
        items = element_list(payload, "GetStorageLimitsResponse", "StorageLimit") or element_list(
            payload, "StorageLimit"
        )
        for item in items:
            limits[item.get("@diskid")] = {
                "limit_kb": int(item.get("@size") or 0),
                # examples say usedspace, the element table says usedsize: accept both
                "used_kb": int(item.get("@usedspace") or item.get("@usedsize") or 0),
            }
        return limits

    return device.cached("limits", read)


class StorageLimit(Resource):
    result_key = "storage_limit"
    argument_spec = dict(
        disk_id=dict(type="str", required=True),
        size=dict(type="str"),
        percent=dict(type="float"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(
        mutually_exclusive=[("size", "percent")],
        required_if=[("state", "present", ("size", "percent"), True)],
    )

    def validate(self):
        self.size_kb = None
        if self.params["state"] == "absent":
            return
        if self.params.get("size") is not None:
            self.size_kb = parse_size_kb(self.params["size"])
            self._check_minimum(self.size_kb, "size=%s" % self.params["size"])
            if self.size_kb > MAX_LIMIT_KB:
                raise InputError(
                    None,
                    "size=%s is %s kB, more than any disk or share holds (the largest limit "
                    "accepted is %s kB, 1 EB); check the number and the unit"
                    % (self.params["size"], self.size_kb, MAX_LIMIT_KB),
                )
        else:
            percent = self.params["percent"]
            if not 0 < percent <= 100:
                raise InputError(None, "percent=%s must be greater than 0 and at most 100" % percent)

    @staticmethod
    def _check_minimum(size_kb, what):
        if size_kb < MIN_LIMIT_KB:
            raise InputError(
                None,
                "%s is %s kB, below the device's minimum storage limit of %s kB (1 GB)" % (what, size_kb, MIN_LIMIT_KB),
            )

    def check_fits(self, disk):
        """A size limit larger than the disk (Disk management API totalsize) is refused.

        Returns a warning instead when the device does not know the disk's size (totalsize 0:
        a NetworkShare disk without a bound, mounted share, or a slot without a card).
        """
        if self.size_kb is None or self.params["state"] == "absent":
            return None
        total = disk.get("total_kb") or 0
        if total <= 0:
            return (
                "size=%s could not be compared with the size of disk %s: the device reports no size for "
                "it (no share bound and mounted, or no card); the limit is set as given"
                % (self.params["size"], disk["disk_id"])
            )
        if self.size_kb > total:
            raise InputError(
                None,
                "size=%s is %s kB (%s), larger than disk %s, which holds %s kB (%s); give at most "
                "%s kB, or a percent of the disk"
                % (
                    self.params["size"],
                    self.size_kb,
                    human_kb(self.size_kb),
                    disk["disk_id"],
                    total,
                    human_kb(total),
                    total,
                ),
            )
        return None

    def read(self):
        disk_id = self.params["disk_id"]
        limits = read_limits(self.device)
        if disk_id not in limits:
            get_disk(self.device, disk_id)  # names the disks the device has, if the id is wrong
            raise UnsupportedError(
                "record/storage/getlimit.cgi",
                "disk %s has no storage limit setting on %s" % (disk_id, self.device.caps.describe()),
            )
        return dict(disk_id=disk_id, **limits[disk_id])

    def desired(self, current):
        wanted = dict(current)
        if self.params["state"] == "absent":
            wanted["limit_kb"] = 0
        elif self.size_kb is not None:
            wanted["limit_kb"] = self.size_kb
            if self.size_kb != current["limit_kb"]:
                # only a new limit is compared with the disk: a limit already set costs no read
                warning = self.check_fits(get_disk(self.device, current["disk_id"]))
                if warning:
                    self.warnings.append(warning)
        else:
            total = get_disk(self.device, current["disk_id"])["total_kb"]
            wanted["limit_kb"] = int(total * self.params["percent"] / 100)
            self._check_minimum(
                wanted["limit_kb"],
                "percent=%s of disk %s (%s kB)" % (self.params["percent"], current["disk_id"], total),
            )
        return wanted

    def plan(self, current, desired):
        if current["limit_kb"] == desired["limit_kb"]:
            return []
        disk_id = current["disk_id"]

        def set_limit():
            self.client.xml(
                "record/storage/setlimit.cgi",
                {"schemaversion": 1, "diskid": disk_id, "size": desired["limit_kb"]},
                write=True,
                retry_write=True,
            )
            self.device.invalidate("limits")

        what = "remove the limit" if desired["limit_kb"] == 0 else "set the limit to %s kB" % desired["limit_kb"]
        return [Step("setlimit", "%s on %s (was %s kB)" % (what, disk_id, current["limit_kb"]), set_limit)]
