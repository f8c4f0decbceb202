"""Recording storage limit API: /axis-cgi/record/storage/*.cgi, part of the Edge storage API.

The limit lives in Disk.storage_limit_kb (kB, 0 = no limit); usedspace is Disk.used_kb.
"""

from __future__ import annotations

from ..firmware import STORAGE_LIMIT
from ..http import Reply, cgi, element, parse_int
from ._xml_api import StorageApi

ROOT = "StorageLimitsResponse"
SCHEMA = "recordingstoragelimit1.xsd"
SCHEMA_VERSION = "1.0"

MIN_LIMIT_KB = 1048576  # 1 GB, the documented minimum
MAX_LIMIT_KB = 2**63 - 1  # larger values do not fit the device's integer

ERROR_DESCRIPTIONS = {
    10: "Error while processing the request.",
    20: "Invalid request.",
    40: "Specified version is not supported.",
    110: "Disk not found",
    120: "Invalid size value",
    130: "Supplied size is less than the minimum allowed limit.",
}


API = StorageApi(ROOT, SCHEMA, SCHEMA_VERSION, ERROR_DESCRIPTIONS)
_reply = API.reply
_error = API.error


def _limit_element(disk) -> str:
    return element("StorageLimit", {"diskid": disk.disk_id, "size": disk.storage_limit_kb, "usedspace": disk.used_kb})


# schemaversion is required on getlimit/setlimit.
@cgi("record/storage/getlimit.cgi", role="operator", api=STORAGE_LIMIT)
@API.checked(schema_required=True)
def get_limit(device, request) -> Reply:
    args = request.args
    disk_id = args.get("diskid", "").strip()
    if disk_id:
        disk = device.disks.get(disk_id)
        if disk is None:
            return _error(110)
        disks = [disk]
    else:
        disks = list(device.disks.values())
    items = "".join(_limit_element(d) for d in disks)
    return _reply(element("GetStorageLimitsResponse", None, items or None))


@cgi("record/storage/setlimit.cgi", role="operator", api=STORAGE_LIMIT, write=True)
@API.checked(schema_required=True, required=("diskid",))
def set_limit(device, request) -> Reply:
    args = request.args
    disk_id = args["diskid"].strip()
    if "size" not in args:
        return _error(20, "Missing argument: size")
    disk = device.disks.get(disk_id)
    if disk is None:
        return _error(110)
    size = parse_int(args["size"], lo=0, hi=MAX_LIMIT_KB)
    if size is None:
        return _error(120)
    if 0 < size < MIN_LIMIT_KB:
        return _error(130)
    disk.storage_limit_kb = size
    return _reply(element("GeneralSuccess"))


@cgi("record/storage/schemaversions.cgi", role="operator", api=STORAGE_LIMIT)
def storage_schema_versions(device, request) -> Reply:
    return API.schema_versions()
