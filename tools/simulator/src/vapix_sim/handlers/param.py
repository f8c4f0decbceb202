"""Legacy parameter handling: /axis-cgi/param.cgi (cameras only; a recorder answers 404).

Parameters are not stored twice: Storage.S# is a view of model.Disk and NetworkShare.N# a view
of model.Share, so param.cgi and disks/list.cgi always agree. Parameters without a model field
(Recording.*, anything the control endpoint adds) live in Device.params.

Access follows the parameter tables of the Edge storage API: Brand, Properties and Recording
are readable by viewers; Storage needs an operator; NetworkShare (credentials) an admin.
Parameters the user may not read are invisible; see docs/spec-choices/disks.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..firmware import WEB_SERVICE
from ..http import CgiRequest, Reply, cgi
from ..model import ROLE_RANK, Device, Disk

VIEWER, OPERATOR, ADMIN = "viewer", "operator", "admin"
TEXT = "text/plain"


@dataclass
class Param:
    name: str  # without "root."
    read: Callable[[], str]
    read_role: str = VIEWER
    write_role: str | None = None  # None: read-only
    check: Callable[[str], bool] = lambda value: True  # is the value acceptable
    store: Callable[[str], None] | None = None

    def writable_by(self, rank: int) -> bool:
        return self.store is not None and self.write_role is not None and rank >= ROLE_RANK[self.write_role]


def constant(value) -> Callable[[], str]:
    return lambda: str(value)


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


# --- Storage.S#: a view of one Disk ---------------------------------------------------------


def _is_int_in(lo: int, hi: int) -> Callable[[str], bool]:
    return lambda value: re.fullmatch(r"\d+", value) is not None and lo <= int(value) <= hi


def _is_one_of(*choices: str) -> Callable[[str], bool]:
    return lambda value: value in choices


def _is_text(value: str) -> bool:
    """Free text, but one line: a line break would forge extra lines in list answers."""
    return not any(ord(ch) < 32 for ch in value)


def _set(target, field: str, convert=str) -> Callable[[str], None]:
    return lambda value: setattr(target, field, convert(value))


def _yes(value: str) -> bool:
    return value == "yes"


def storage_params(disk: Disk, fw) -> list:
    prefix = "Storage.%s." % disk.group

    def rw(name, read, field, check, convert=str, write_role=ADMIN):
        return Param(prefix + name, read, OPERATOR, write_role, check, _set(disk, field, convert))

    def ro(name, read):
        return Param(prefix + name, read, OPERATOR)

    yes_no = _is_one_of("yes", "no")
    params = [
        rw("AutoRepair", lambda: _yn(disk.auto_repair), "auto_repair", yes_no, _yes),
        rw("CleanupLevel", lambda: str(disk.cleanup_level), "cleanup_level", _is_int_in(0, 99), int),
        rw("CleanupMaxAge", lambda: str(disk.cleanup_max_age), "cleanup_max_age", _is_int_in(0, 7000), int),
        rw("CleanupPolicyActive", lambda: disk.cleanup_policy, "cleanup_policy", _is_one_of("fifo", "none")),
        ro("DeviceNode", lambda: disk.device_node),
        ro("DiskID", lambda: disk.disk_id),
        rw("Enabled", lambda: _yn(disk.enabled), "enabled", yes_no, _yes),
        rw("ExtraMountOptions", lambda: disk.extra_mount_options, "extra_mount_options", _is_text),
        ro("FileSystem", lambda: disk.filesystem),
        rw("FriendlyName", lambda: disk.friendly_name, "friendly_name", _is_text, write_role=OPERATOR),
        rw("Locked", lambda: _yn(disk.locked), "locked", yes_no, _yes),
        rw("MountOnBoot", lambda: _yn(disk.mount_on_boot), "mount_on_boot", yes_no, _yes),
        rw(
            "MountPointPermissions",
            lambda: disk.mount_point_permissions,
            "mount_point_permissions",
            lambda value: re.fullmatch(r"0?[0-7]{3}", value) is not None,
            write_role=OPERATOR,
        ),
        rw(
            "RequiredFileSystem",
            lambda: disk.required_fs,
            "required_fs",
            lambda value: value == "none" or (value == "ext4" and disk.required_fs_supported),
        ),
    ]
    # Older firmware has fewer Storage.S# parameters (firmware 5.51: no AutoRepair, Enabled,
    # ExtraMountOptions, MountPointPermissions, RequiredFileSystem).
    keys = set(fw.storage_keys)
    return [param for param in params if param.name[len(prefix) :] in keys]


def share_n0_params(group: str, share_disk: Disk) -> list:
    """AXIS OS 9.80: a bound network share also has a Storage.S# group of its own, disk id
    NetworkShareN0 (the 9.80 capture's Storage.S2), read-only here."""
    prefix = "Storage.%s." % group
    values = {
        "AutoRepair": "yes",
        "CleanupLevel": "99",
        "CleanupMaxAge": "1",
        "CleanupPolicyActive": "none",
        "DeviceNode": share_disk.device_node,
        "DiskID": "NetworkShareN0",
        "Enabled": "yes",
        "ExtraMountOptions": "",
        "FileSystem": "cifs",
        "FriendlyName": "NetworkShareN0",
        "Locked": "no",
        "MountOnBoot": "yes",
        "MountPointPermissions": "0770",
        "RequiredFileSystem": "none",
    }
    return [Param(prefix + name, constant(value), OPERATOR) for name, value in values.items()]


# --- NetworkShare.N#: a read-only view of one Share (the Network share API changes shares) --


def share_params(index: int, share) -> list:
    prefix = "NetworkShare.N%d." % index

    def ro(name, read):
        return Param(prefix + name, read, ADMIN)

    return [
        ro("Address", lambda: share.address),
        ro("Name", lambda: share.nice_name),
        ro("Password", constant("******")),
        ro("Port", constant("")),
        ro("Share", lambda: share.share),
        ro("ShareId", lambda: share.share_id),
        ro("Username", lambda: share.user),
    ]


# --- parameters kept in Device.params --------------------------------------------------------


def default_disk_id(device: Device) -> str:
    if "SD_DISK" in device.disks:
        return "SD_DISK"
    return next(iter(device.disks), "")


def stored_param(
    device: Device, name: str, default: str, write_role: str | None, check: Callable[[str], bool] = _is_text
) -> Param:
    def store(value: str) -> None:
        device.params[name] = value

    return Param(
        name, lambda: str(device.params.get(name, default)), VIEWER, write_role, check, store if write_role else None
    )


def product_type(device: Device) -> str:
    prefix = "AXIS %s " % device.model
    return device.full_name[len(prefix) :] if device.full_name.startswith(prefix) else ""


def all_params(device: Device) -> dict:
    """Every parameter of the device, name (without root.) -> Param."""
    yes = constant("yes")
    fw = device.fw
    params = [
        Param("Brand.Brand", constant("AXIS")),
        Param("Brand.ProdFullName", constant(device.full_name)),
        Param("Brand.ProdNbr", constant(device.model)),
        Param("Brand.ProdShortName", constant("AXIS " + device.model)),
        Param("Brand.ProdType", constant(product_type(device))),
        Param("Brand.ProdVariant", constant("")),
        Param("Brand.WebURL", constant("http://www.axis.com")),
        Param("Properties.API.HTTP.Version", constant(3)),
        Param("Properties.Firmware.BuildDate", constant(fw.build_date)),
        Param("Properties.Firmware.Version", constant(device.firmware)),
        Param("Properties.System.SerialNumber", constant(device.serial)),
        Param("Properties.LocalStorage.NbrOfContinuousRecordingProfiles", constant(device.max_profiles)),
        Param("Properties.LocalStorage.Version", constant("1.00")),
        Param("Storage.MountDir", constant("/var/spool/storage"), OPERATOR),
        # The number of video channels (sensors), which the stream option camera=1..N selects.
        Param("ImageSource.NbrOfSources", constant(device.sensors)),
        # The Event and action services (/vapix/services): yes on 5.51 and 12.11, no on the
        # 9.80 Companion (both as their captures list it); the inputs their topics offer.
        Param("Properties.API.WebService.WebService", constant(_yn(fw.has(WEB_SERVICE)))),
        Param("Input.NbrOfInputs", constant(device.digital_inputs)),
    ]
    for number in range(device.sensors):
        params.append(
            Param(
                "ImageSource.I%d.Name" % number,
                constant("Camera" if device.sensors == 1 else "Camera %d" % (number + 1)),
            )
        )
    for flag in fw.local_storage:
        params.append(Param("Properties.LocalStorage." + flag, yes))
    for flag in ("CIFS", "IPV6", "NameLookup", "NetworkShare"):
        params.append(Param("Properties.NetworkShare." + flag, yes))
    params = [param for param in params if param.name not in fw.absent_params]
    for disk in device.disks.values():
        params.extend(storage_params(disk, fw))
    share_disk = device.disks.get("NetworkShare")
    if fw.share_n0_group and share_disk is not None and share_disk.present:
        used = {disk.group for disk in device.disks.values()}
        number = 0
        while "S%d" % number in used:
            number += 1
        params.extend(share_n0_params("S%d" % number, share_disk))
    for index, share in enumerate(device.shares.values()):
        params.extend(share_params(index, share))
    params.append(stored_param(device, "Recording.DefaultDiskId", default_disk_id(device), OPERATOR))
    params.append(stored_param(device, "Recording.DefaultSplitDuration", "300", OPERATOR, _is_int_in(1, 86400)))
    table = {param.name: param for param in params}
    # Values added through the control endpoint: readable by viewers, writable by admins,
    # except under the read-only product groups.
    for name in device.params:
        if name not in table:
            read_only = name.startswith(("Brand.", "Properties."))
            table[name] = stored_param(device, name, "", None if read_only else ADMIN)
    return table


# --- output order: leaves of a group first, then its subgroups, case-insensitively ---------


def _natural(text: str) -> list:
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", text) if part
    ]


def ordered(names, fw=None) -> list:
    """`fw`: a firmware preset whose own order of some groups' leaves wins (firmware 5.51)."""
    tree: dict = {}
    for name in names:
        node = tree
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):  # a leaf with the same name as a group: skip
                break
        else:
            node.setdefault(parts[-1], name)
    out: list = []

    def walk(node: dict) -> None:
        leaves = sorted((k for k, v in node.items() if isinstance(v, str)), key=_natural)
        native = fw.native_order(node[leaves[0]].rpartition(".")[0]) if fw is not None and leaves else None
        if native:
            rank = {key: number for number, key in enumerate(native)}
            leaves.sort(key=lambda k: rank.get(k, len(rank)))
        groups = sorted((k for k, v in node.items() if isinstance(v, dict)), key=_natural)
        out.extend(node[k] for k in leaves)
        for k in groups:
            walk(node[k])

    walk(tree)
    return out


def strip_root(name: str) -> str:
    if name == "root":
        return ""
    return name[5:] if name.startswith("root.") else name


def user_rank(request: CgiRequest) -> int:
    role = request.user.role if request.user is not None else "anonymous"
    return ROLE_RANK.get(role, 0)


def text_reply(lines: list) -> Reply:
    return Reply(content_type=TEXT, body="".join(line + "\n" for line in lines))


def list_params(device: Device, request: CgiRequest) -> Reply:
    rank = user_rank(request)
    table = {name: param for name, param in all_params(device).items() if rank >= ROLE_RANK[param.read_role]}
    names = ordered(table, device.fw)
    requested = request.args.get("group")
    groups = [g.strip() for g in requested.split(",")] if requested else ["root"]
    lines = []
    for group in groups:
        wanted = strip_root(group)
        if wanted == "":
            matches = names
        else:
            matches = [n for n in names if n == wanted or n.startswith(wanted + ".")]
        if not matches:
            lines.append("# Error: Error -1 getting param in group '%s'" % group)
            continue
        if device.fw.param_leaf_as_asked and matches == [wanted] and group == wanted:
            # AXIS OS 12 answers one parameter asked for without `root.` under that name
            # (param_list_mixed_error.txt of the 12.11 capture, and its image-source list).
            lines.append("%s=%s" % (wanted, table[wanted].read()))
            continue
        lines.extend("root.%s=%s" % (n, table[n].read()) for n in matches)
    return text_reply(lines)


def update_params(device: Device, request: CgiRequest) -> Reply:
    """All or nothing: every value is checked before any is stored."""
    rank = user_rank(request)
    table = all_params(device)
    changes = [(strip_root(k), v) for k, v in request.args.items() if k != "action"]
    failures = []
    for name, value in changes:
        param = table.get(name)
        if param is None or not param.writable_by(rank) or not param.check(value):
            failures.append("# Error: Error setting 'root.%s' to '%s'!" % (name, value))
    if failures:
        return text_reply(failures)
    for name, value in changes:
        table[name].store(value)
    return text_reply(["OK"])


@cgi(
    "param.cgi",
    role="viewer",
    profiles=("camera",),
    write=lambda args: (args.get("action") or "").strip().lower() == "update",
)
def param_cgi(device: Device, request: CgiRequest) -> Reply:
    action = (request.args.get("action") or "").strip().lower()
    if action == "list":
        return list_params(device, request)
    if action == "update":
        return update_params(device, request)
    return text_reply(["# Error: Invalid action '%s'" % request.args.get("action", "")])
