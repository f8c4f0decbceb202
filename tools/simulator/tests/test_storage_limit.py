"""Recording storage limit API handlers."""

from __future__ import annotations

import pytest

from vapix_sim.http import REGISTRY

ST = "record/storage/"


def limits(result) -> list:
    body = result.doc["StorageLimitsResponse"]["GetStorageLimitsResponse"]
    items = body["StorageLimit"]
    return items if isinstance(items, list) else [items]


def error_code(result) -> int:
    error = result.doc["StorageLimitsResponse"]["GeneralError"]
    assert error["ErrorDescription"]
    return int(error["ErrorCode"])


def test_roles_and_write_flags():
    for name, write in (("getlimit", False), ("setlimit", True), ("schemaversions", False)):
        spec = REGISTRY["/axis-cgi/record/storage/%s.cgi" % name]
        assert spec.role == "operator" and spec.is_write({}) == write


def test_getlimit_lists_every_disk_with_limit_and_used_space(call, camera):
    camera.disks["SD_DISK"].storage_limit_kb = 2 * 1048576
    result = call(camera, ST + "getlimit.cgi", schemaversion="1")
    assert result.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<StorageLimitsResponse SchemaVersion="1.0"')
    items = limits(result)
    assert [i["@diskid"] for i in items] == ["SD_DISK", "NetworkShare"]
    assert list(items[0].keys()) == ["@diskid", "@size", "@usedspace"]
    assert items[0]["@size"] == str(2 * 1048576)
    assert items[0]["@usedspace"] == str(camera.disks["SD_DISK"].used_kb)
    assert items[1]["@size"] == "0"


def test_getlimit_one_disk_and_errors(call, camera):
    one = limits(call(camera, ST + "getlimit.cgi", schemaversion="1", diskid="SD_DISK"))
    assert len(one) == 1 and one[0]["@diskid"] == "SD_DISK"
    assert error_code(call(camera, ST + "getlimit.cgi", schemaversion="1", diskid="NOPE")) == 110
    assert error_code(call(camera, ST + "getlimit.cgi")) == 20
    assert error_code(call(camera, ST + "getlimit.cgi", schemaversion="2")) == 40
    assert error_code(call(camera, ST + "getlimit.cgi", schemaversion="one")) == 40
    assert limits(call(camera, ST + "getlimit.cgi", schemaversion="1.0"))


def test_setlimit_stores_the_limit_and_zero_disables(call, camera):
    ok = call(camera, ST + "setlimit.cgi", schemaversion="1", diskid="SD_DISK", size="1048576")
    assert "GeneralSuccess" in ok.doc["StorageLimitsResponse"]
    assert camera.disks["SD_DISK"].storage_limit_kb == 1048576
    shown = limits(call(camera, ST + "getlimit.cgi", schemaversion="1", diskid="SD_DISK"))
    assert shown[0]["@size"] == "1048576"
    call(camera, ST + "setlimit.cgi", schemaversion="1", diskid="SD_DISK", size="0")
    assert camera.disks["SD_DISK"].storage_limit_kb == 0


def test_setlimit_accepts_the_unbound_share_disk(call, camera):
    # The limit belongs to the disk id, so it can be set before a share is bound.
    call(camera, ST + "setlimit.cgi", schemaversion="1", diskid="NetworkShare", size="2796202667")
    assert camera.disks["NetworkShare"].storage_limit_kb == 2796202667


@pytest.mark.parametrize(
    "args, code",
    [
        ({"diskid": "SD_DISK", "size": "1048575"}, 130),
        ({"diskid": "SD_DISK", "size": "1"}, 130),
        ({"diskid": "SD_DISK", "size": "1.5"}, 120),
        ({"diskid": "SD_DISK", "size": "-5"}, 120),
        ({"diskid": "SD_DISK", "size": "10GB"}, 120),
        ({"diskid": "SD_DISK", "size": ""}, 120),
        ({"diskid": "SD_DISK", "size": str(2**63)}, 120),
        ({"diskid": "NOPE", "size": "1048576"}, 110),
        ({"diskid": "NOPE", "size": "abc"}, 110),  # the disk is checked before the size
        ({"size": "1048576"}, 20),
        ({"diskid": "SD_DISK"}, 20),
    ],
)
def test_setlimit_errors_leave_the_limit_alone(call, camera, args, code):
    camera.disks["SD_DISK"].storage_limit_kb = 5 * 1048576
    assert error_code(call(camera, ST + "setlimit.cgi", schemaversion="1", **args)) == code
    assert camera.disks["SD_DISK"].storage_limit_kb == 5 * 1048576


def test_setlimit_schema_version(call, camera):
    assert error_code(call(camera, ST + "setlimit.cgi", diskid="SD_DISK", size="0")) == 20
    assert error_code(call(camera, ST + "setlimit.cgi", schemaversion="3", diskid="SD_DISK", size="0")) == 40


def test_recorder_disk(call, recorder):
    call(recorder, ST + "setlimit.cgi", schemaversion="1", diskid="HDD_DISK", size="1048576")
    items = limits(call(recorder, ST + "getlimit.cgi", schemaversion="1"))
    assert [(i["@diskid"], i["@size"]) for i in items] == [("HDD_DISK", "1048576")]
    assert error_code(call(recorder, ST + "getlimit.cgi", schemaversion="1", diskid="SD_DISK")) == 110


def test_schemaversions(call, camera):
    body = call(camera, ST + "schemaversions.cgi").doc["StorageLimitsResponse"]
    assert body["SchemaVersionsSuccess"]["SchemaVersion"] == {"VersionNumber": "1.0", "Deprecated": "false"}
