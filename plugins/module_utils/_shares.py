# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads of the network shares (Network share API list.cgi) and of their mount options
(Parameter management, Storage.S#.ExtraMountOptions), once per session.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError, UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

SHARE_CGI = "disks/networkshare/%s.cgi"
# Share test outcome that means "the device could not mount the share": for CIFS a rejected
# login ends here too, so it is the one failure a new password can fix.
MOUNT_ERROR = 710
SHARE_TEST_CODES = range(700, 761)
MOUNT_OPTIONS_PARAM = "ExtraMountOptions"


def share_cgi(name):
    return SHARE_CGI % name


def share_text(value):
    """An attribute of list.cgi (or an option) as text: missing is empty."""
    return "" if value is None else str(value)


def normalize_share(raw):
    """One `<NetworkShare>` element of list.cgi as the module's share fields."""
    disk_id = raw.get("@DiskId") or raw.get("@DiskID") or None
    return {
        "share_id": share_text(raw.get("@ShareId")),
        "name": share_text(raw.get("@NiceName")),
        "address": share_text(raw.get("@Address")),
        "share": share_text(raw.get("@Share")),
        "user": share_text(raw.get("@User")),
        "disk_id": disk_id,
    }


def list_shares(device):
    """Every share of the device ({share_id: share}) from one list.cgi call per session."""

    def read():
        doc = device.client.xml(share_cgi("list"), {"schemaversion": 1, "shareid": "all"})
        body = unwrap(doc)
        # The scraped example lists NetworkShares straight under the root; the schema wraps
        # them in ListSuccess. Accept both.
        raws = element_list(body, "ListSuccess", "NetworkShares", "NetworkShare") or element_list(
            body, "NetworkShares", "NetworkShare"
        )
        shares = {}
        for raw in raws:
            share = normalize_share(raw)
            shares[share["share_id"]] = share
        return shares

    return device.cached("networkshares", read)


def param_group(device, name):
    """{Group.Name: value} of one Parameter management group (param.cgi), read once per session;
    {} where the device has no param.cgi (recorders) or no such group."""

    def read():
        try:
            return device.client.param_list([name])
        except (UnsupportedError, ApiError):
            return {}

    return device.cached("param:%s" % name, read)


def share_mount_options(device, disk):
    """Storage.S#.ExtraMountOptions of a share disk (param.cgi), stripped; None where the device
    has no such parameter (no param.cgi: recorders) or the disk has no parameter group."""
    if not disk or not disk.get("group"):
        return None
    name = "Storage.%s" % disk["group"]
    value = param_group(device, name).get("%s.%s" % (name, MOUNT_OPTIONS_PARAM))
    return value.strip() if value is not None else None


def disk_mount_options(device, disk_id):
    """ExtraMountOptions of the Storage.S# group whose DiskID is disk_id, from one read of the
    whole Storage group (no disk list needed); None without param.cgi or such a group."""
    values = param_group(device, "Storage")
    for key, value in values.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[2] == "DiskID" and value.strip() == disk_id:
            found = values.get("Storage.%s.%s" % (parts[1], MOUNT_OPTIONS_PARAM))
            return found.strip() if found is not None else None
    return None


def same_address(left, right):
    """Host names are case-insensitive; the device strips blanks around the address."""
    return share_text(left).strip().lower() == share_text(right).strip().lower()
