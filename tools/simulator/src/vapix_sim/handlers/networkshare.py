"""Network share API: /axis-cgi/disks/networkshare/*.cgi, part of the Edge storage API.

Shares are stored in Device.shares; binding one fills the `NetworkShare` disk that
disks/list.cgi shows. Share tests are clock-driven jobs whose outcome comes from a
deterministic "simulated NAS" (see nas_outcome and docs/spec-choices/shares-recording.md).
"""

from __future__ import annotations

import functools
import ipaddress
import re

from ..http import Reply, cgi, element, text_element
from ..model import GIB_KB, Disk, Share
from ._xml_api import HOSTNAME_PATTERN, StorageApi

ROOT = "NetworkShareResponse"
SCHEMA = "networkshare1.xsd"
SCHEMA_VERSION = "1.0"

SHARE_DISK_ID = "NetworkShare"
SHARE_DEVICE_NODE = "NetworkShare:/com/axis/NetworkShare/Device/0"
NAS_TOTAL_KB = 1024 * GIB_KB  # a 1 TiB NAS volume, as in the real 9.80 capture

SHARE_ID_PATTERN = re.compile(r"[A-Za-z0-9-]+\Z")
# Documentation address blocks (RFC 5737): never routable, so the NAS cannot be reached.
UNREACHABLE_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))

MAX_RUNNING_TESTS = 3  # more concurrent share tests -> 730
ERROR_DESCRIPTIONS = {
    10: "Error while processing the request.",
    20: "Invalid request.",
    40: "Specified version is not supported.",
    200: "Invalid ShareId",
    210: "The ShareId is not unique",
    220: "The NiceName is not unique",
    230: "Maximum number of network shares is already reached. No more shares can be added.",
    300: "No available disk. Check if another network share is already bound.",
    310: "The network share is already bound to a disk.",
    400: "The network share is mounted and cannot be unbound. Unmount the share using Disk Management API.",
    500: "The network share is bound and cannot be removed. Use unbind.cgi to unbind the share.",
    600: "The network share is bound and cannot be modified. Use unbind.cgi to unbind the share.",
    610: "The new ShareID parameter is not unique.",
    620: "The NiceName parameter is not unique.",
    700: "No such hostname.",
    710: "Error while mounting network share.",
    720: "Internal error while mounting network share.",
    730: "Too many tests or jobs started, wait for some to finish.",
    740: "Problem writing to the share.",
    750: "Problem reading data written to the share.",
    760: "Problem connecting to the share.",
}
# How far a failing test gets before it fails: name lookup first, the write/read-back last.
FAIL_PROGRESS = {700: 10, 760: 20, 710: 40, 720: 40, 730: 5, 740: 60, 750: 80}


# --- envelopes ----------------------------------------------------------------------------

API = StorageApi(ROOT, SCHEMA, SCHEMA_VERSION, ERROR_DESCRIPTIONS)
_reply = API.reply
_general_error = API.general_error
_error = API.error
_success = API.success


def _id_list(value: str) -> list:
    seen = []
    for part in value.split(","):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


# --- the NetworkShare disk ------------------------------------------------------------------


def share_disk(device, create: bool = False) -> Disk | None:
    """The disk a share binds to; a device without the slot (the recorder) gets one on demand."""
    disk = device.disks.get(SHARE_DISK_ID)
    if disk is None and create:
        used_groups = {d.group for d in device.disks.values()}
        number = 0
        while "S%d" % number in used_groups:
            number += 1
        disk = Disk(
            SHARE_DISK_ID,
            "S%d" % number,
            "share",
            SHARE_DEVICE_NODE,
            total_kb=0,
            used_kb=0,
            present=False,
            filesystem="cifs",
            mounted=False,
            encryption_supported=False,
            required_fs_supported=False,
            wear=-1,
            temperature=-1,
        )
        device.disks[SHARE_DISK_ID] = disk
    return disk


def mount_options_satisfied(share: Share, disk: Disk) -> bool:
    """Whether the share disk's ExtraMountOptions hold every option the NAS insists on."""
    given = {part.strip().lower() for part in disk.extra_mount_options.split(",") if part.strip()}
    needed = {part.strip().lower() for part in share.required_mount_options.split(",") if part.strip()}
    return needed <= given


def bound_share(device) -> Share | None:
    for share in device.shares.values():
        if share.bound:
            return share
    return None


# --- the simulated NAS ----------------------------------------------------------------------


def _host_resolves(address: str) -> bool:
    host = address.strip()
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if not HOSTNAME_PATTERN.match(host):
        return False
    # RFC 2606 reserves .invalid: such a name never resolves.
    return host.rstrip(".").lower().split(".")[-1] != "invalid"


def _host_unreachable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in UNREACHABLE_NETWORKS if ip.version == net.version)


def nas_outcome(
    device, address: str, share_name: str, user: str, password: str, stored: Share | None = None
) -> int | None:
    """The error code (700..760) a test of this share ends with, or None when it works.

    A fault set on the stored share (or on any stored share with the same address and share
    name) wins; otherwise the NAS rules below decide, deterministically.
    """
    candidates = [stored] if stored is not None else []
    candidates += [
        s
        for s in device.shares.values()
        if s.address.strip().lower() == address.strip().lower()
        and s.share.strip().lower() == share_name.strip().lower()
    ]
    for share in candidates:
        if share.fault_code:
            return int(share.fault_code)
    if not _host_resolves(address):
        return 700
    if _host_unreachable(address):
        return 760
    if user and (not password or password.startswith("wrong")):
        return 710  # CIFS reports a rejected login as a mount error
    name = share_name.strip().strip("/\\").lower()
    if name == "readonly":
        return 740
    if name == "noreadback":
        return 750
    return None


# --- CGIs -----------------------------------------------------------------------------------


def _share_element(share: Share) -> str:
    return element(
        "NetworkShare",
        {
            "NiceName": share.nice_name,
            "ShareId": share.share_id,
            "Address": share.address,
            "Share": share.share,
            "User": share.user,
            "DiskId": SHARE_DISK_ID if share.bound else None,
        },
    )


@cgi("disks/networkshare/list.cgi", role="operator")
@API.checked(required=("shareid",))
def list_shares(device, request) -> Reply:
    wanted = request.args["shareid"].strip()
    if wanted.lower() == "all":
        shares = list(device.shares.values())
    else:
        # Unknown ids are simply not listed (a filter, not a lookup).
        shares = [device.shares[i] for i in _id_list(wanted) if i in device.shares]
    items = "".join(_share_element(s) for s in shares)
    inner = element("NetworkShares", {"NumberOfShares": len(shares)}, items or None)
    return _reply(element("ListSuccess", None, inner))


def _next_share_id(device) -> str:
    """Device-assigned ShareIds are 5-digit numbers, as on real devices."""
    while True:
        candidate = device.next_share_id
        if not 10000 <= candidate <= 99999:
            candidate = 10000
        device.next_share_id = candidate + 1 if candidate < 99999 else 10000
        if str(candidate) not in device.shares:
            return str(candidate)


@cgi("disks/networkshare/add.cgi", role="admin", write=True)
@API.checked(required=("nicename", "address", "share"))
def add_share(device, request) -> Reply:
    args = request.args
    share_id = args.get("shareid")
    if share_id is not None:
        # "all" is the list.cgi wildcard, so it cannot name a share.
        if not SHARE_ID_PATTERN.match(share_id) or share_id.lower() == "all":
            return _error(200)
        if share_id in device.shares:
            return _error(210)
    nice_name = args["nicename"]
    if any(s.nice_name == nice_name for s in device.shares.values()):
        return _error(220)
    if len(device.shares) >= device.max_shares:
        return _error(230)
    if share_id is None:
        share_id = _next_share_id(device)
    device.shares[share_id] = Share(
        share_id=share_id,
        nice_name=nice_name,
        address=args["address"].strip(),
        share=args["share"],
        user=args.get("user", ""),
        password=args.get("pass", ""),
    )
    return _reply(element("AddSuccess", {"ShareId": share_id}))


def _on_share(handler):
    """A CGI on one share: the schema version checked, then the required `shareid` looked up;
    the handler gets the share."""

    @API.checked(required=("shareid",))
    @functools.wraps(handler)
    def run(device, request) -> Reply:
        share_id = request.args["shareid"].strip()
        share = device.shares.get(share_id)
        if share is None:
            return _error(20, "No such network share: %s" % share_id)
        return handler(device, request, share)

    return run


@cgi("disks/networkshare/modify.cgi", role="admin", write=True)
@_on_share
def modify_share(device, request, share: Share) -> Reply:
    args = request.args
    for name in ("nicename", "address", "share"):
        if name in args and not args[name].strip():
            return _error(20, "Empty argument: %s" % name)
    new_id = args.get("newshareid")
    if new_id is not None and (not SHARE_ID_PATTERN.match(new_id) or new_id.lower() == "all"):
        return _error(20, "Invalid argument: newshareid")
    # Only a real change of anything but NiceName is refused while bound.
    changes = {}
    for arg, attr in (("address", "address"), ("share", "share"), ("user", "user"), ("pass", "password")):
        if arg in args:
            value = args[arg].strip() if arg == "address" else args[arg]
            if value != getattr(share, attr):
                changes[attr] = value
    renaming = new_id is not None and new_id != share.share_id
    if share.bound and (changes or renaming):
        return _error(600)
    if renaming and new_id in device.shares:
        return _error(610)
    nice_name = args.get("nicename")
    if nice_name is not None and any(s.nice_name == nice_name for s in device.shares.values() if s is not share):
        return _error(620)
    for attr, value in changes.items():
        setattr(share, attr, value)
    if nice_name is not None:
        share.nice_name = nice_name
        if share.bound:
            disk = share_disk(device)
            if disk is not None:
                disk.friendly_name = nice_name
    if renaming:
        old_id = share.share_id
        share.share_id = new_id
        device.shares = {(new_id if k == old_id else k): v for k, v in device.shares.items()}
    return _success()


@cgi("disks/networkshare/remove.cgi", role="admin", write=True)
@API.checked()
def remove_shares(device, request) -> Reply:
    args = request.args
    ids = _id_list(args.get("shareid", ""))
    if not ids:
        return _error(20, "Missing argument: shareid")
    # All or nothing: any unknown or bound share leaves every share in place.
    for share_id in ids:
        if share_id not in device.shares:
            return _error(20, "No such network share: %s" % share_id)
    for share_id in ids:
        if device.shares[share_id].bound:
            return _error(500)
    for share_id in ids:
        del device.shares[share_id]
    return _success()


@cgi("disks/networkshare/bind.cgi", role="operator", write=True)
@_on_share
def bind_share(device, request, share: Share) -> Reply:
    automatic = request.args.get("automaticmount", "yes").strip().lower()
    if automatic not in ("yes", "no"):
        return _error(20, "Invalid argument: automaticmount")
    if share.bound:
        return _error(310)
    if bound_share(device) is not None:
        return _error(300)
    disk = share_disk(device, create=True)
    if disk.busy_job is not None:
        return _error(300)
    mount = automatic == "yes"
    share.bound = True
    share.automatic_mount = mount
    disk.present = True
    disk.failed = False
    disk.filesystem = "cifs"
    disk.total_kb = NAS_TOTAL_KB
    disk.used_kb = share.used_kb
    disk.mounted = mount and mount_options_satisfied(share, disk)
    disk.mount_on_boot = mount
    disk.friendly_name = share.nice_name  # the bound disk is listed under the share's NiceName
    return _reply(element("BindSuccess", {"DiskID": SHARE_DISK_ID}))


@cgi("disks/networkshare/unbind.cgi", role="operator", write=True)
@_on_share
def unbind_share(device, request, share: Share) -> Reply:
    if not share.bound:
        return _error(20, "The network share is not bound")
    disk = share_disk(device)
    if disk is not None:
        if disk.mounted:
            return _error(400)
        if disk.busy_job is not None:
            return _error(10, "A job is running on the disk")
    share.bound = False
    if disk is not None:
        share.used_kb = disk.used_kb
        disk.present = False
        disk.mounted = False
        disk.total_kb = 0
        disk.used_kb = 0
        disk.friendly_name = ""
    return _success()


def _running_tests(device) -> int:
    now = device.now()
    return sum(1 for job in device.share_jobs.values() if not job.finished and not job.due(now))


@cgi("disks/networkshare/test.cgi", role="operator")
@API.checked()
def test_share(device, request) -> Reply:
    args = request.args
    stored = None
    share_id = args.get("shareid", "").strip()
    if share_id:
        stored = device.shares.get(share_id)
        if stored is None:
            return _error(20, "No such network share: %s" % share_id)
    # Given arguments override the stored share's values; nothing is saved.
    address = args.get("address", stored.address if stored else "")
    share_name = args.get("share", stored.share if stored else "")
    user = args.get("user", stored.user if stored else "")
    password = args.get("pass", stored.password if stored else "")
    if not address.strip() or not share_name.strip():
        return _error(20, "Missing argument: address and share, or shareid")
    if _running_tests(device) >= MAX_RUNNING_TESTS:
        return _error(730)
    outcome = nas_outcome(device, address, share_name, user, password, stored)
    job = device.start_job(device.share_jobs, "sharetest", share_id, faults=request.faults)
    if job.fail_at is None and outcome is not None:
        job.fail_at = FAIL_PROGRESS.get(outcome, 50)
        job.fail_code = outcome
        job.fail_description = ERROR_DESCRIPTIONS.get(outcome, "")
    return _reply(element("TestSuccess", {"JobId": job.job_id}))


@cgi("disks/networkshare/job.cgi", role="operator")
@API.checked(schema_required=True, required=("jobid",))
def share_job(device, request) -> Reply:
    job_id_text = request.args["jobid"].strip()
    job = device.share_jobs.get(int(job_id_text)) if job_id_text.isdigit() else None
    if job is None:
        return _error(20, "No such job: %s" % job_id_text)
    now = device.now()
    if not (job.finished or job.due(now)):
        inner = text_element("Progress", job.progress(now))
    elif job.fail_at is not None and not job.never_finish:
        # A failure injected without a code is reported as an internal mount error.
        code = job.fail_code or 720
        inner = _general_error(code, job.fail_description or None)
    else:
        inner = element("GeneralSuccess")
    return _reply(element("JobSuccess", None, inner))


@cgi("disks/networkshare/schemaversions.cgi", role="operator")
def share_schema_versions(device, request) -> Reply:
    return API.schema_versions()
