# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one parser of device integers and flags, the one size formatter, and facts every reader
shares (the network share's disk id, the used space of a disk).

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

# The disk id the Disk management API gives the network share (disks/list.cgi, Network share API).
SHARE_DISK_ID = "NetworkShare"


def to_int(value, default=None):
    """A device's integer text as int; `default` where it is missing or not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def to_flag(value, missing=False):
    """A device's flag ('yes'/'true'/'1', any case) as bool; `missing` where there is none."""
    if value is None:
        return missing
    return str(value).strip().lower() in ("yes", "true", "1")


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


def used_kb(disk):
    """Space in use on a listed disk (total less free), or None when the device lists no sizes (an
    unmounted disk shows 0)."""
    if disk.get("total_kb"):
        return max(disk["total_kb"] - (disk.get("free_kb") or 0), 0)
    return None
