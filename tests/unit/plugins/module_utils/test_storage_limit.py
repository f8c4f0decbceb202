# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decision logic of the storage limit resource, against declarative HTTP mocks."""

import pytest
import responses
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit, parse_size_kb
from responses import matchers

BASE = "http://192.0.2.10:80/axis-cgi/"
CONN = dict(
    host="192.0.2.10",
    port=80,
    username="root",
    password="pass",
    use_https=False,
    validate_certs=True,
    ca_path=None,
    timeout=5,
)

LIMITS = (
    '<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0"><GetStorageLimitsResponse>'
    '<StorageLimit diskid="SD_DISK" size="%s" usedspace="553324"/>'
    '<StorageLimit diskid="NetworkShare" size="0" usedspace="0"/>'
    "</GetStorageLimitsResponse></StorageLimitsResponse>"
)
DISKS = (
    '<?xml version="1.0"?><root><disks numberofdisks="1"><disk diskid="SD_DISK" name="" totalsize="62914560" '
    'freesize="62000000" cleanuplevel="99" cleanupmaxage="7" cleanuppolicy="fifo" locked="no" full="no" '
    'readonly="no" status="OK" filesystem="ext4" group="S0" requiredfilesystem="none" '
    'encryptionenabled="false" diskencrypted="false"/></disks></root>'
)
SUCCESS = '<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0"><GeneralSuccess/></StorageLimitsResponse>'
ERROR = (
    '<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0"><GeneralError><ErrorCode>130</ErrorCode>'
    "<ErrorDescription>Supplied size is less than the minimum allowed limit.</ErrorDescription></GeneralError>"
    "</StorageLimitsResponse>"
)


def run(check_mode=False, diff=True, **options):
    params = dict(CONN, disk_id="SD_DISK", size=None, percent=None, state="present")
    params.update(options)
    return execute(StorageLimit, params, check_mode=check_mode, diff=diff)


LIMITS_FLAT = (
    '<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0">'
    '<StorageLimit diskid="SD_DISK" size="%s" usedspace="553324"/></StorageLimitsResponse>'
)


def getlimit(size, body=LIMITS):
    responses.add(
        responses.GET,
        BASE + "record/storage/getlimit.cgi",
        body=body % size,
        match=[matchers.query_param_matcher({"schemaversion": "1"})],
    )


def setlimit(size, body=SUCCESS):
    responses.add(
        responses.GET,
        BASE + "record/storage/setlimit.cgi",
        body=body,
        match=[matchers.query_param_matcher({"schemaversion": "1", "diskid": "SD_DISK", "size": str(size)})],
    )


@pytest.mark.parametrize(
    "text,kb",
    [
        ("1048576", 1048576),
        ("500 GB", 524288000),
        ("500GiB", 524288000),
        ("1.5 TiB", 1610612736),
        ("2g", 2097152),
        ("1024 MB", 1048576),
    ],
)
def test_parse_size(text, kb):
    assert parse_size_kb(text) == kb


@responses.activate
def test_sets_a_new_limit_then_reads_back():
    getlimit(0)
    responses.add(responses.GET, BASE + "disks/list.cgi", body=DISKS)  # a new limit is compared with the disk
    setlimit(52428800)
    getlimit(52428800)
    result = run(size="50 GB")
    assert result["changed"] is True
    assert result["storage_limit"] == {"disk_id": "SD_DISK", "limit_kb": 52428800, "used_kb": 553324}
    assert result["diff"]["before"]["limit_kb"] == 0
    assert result["diff"]["after"]["limit_kb"] == 52428800
    assert [s["action"] for s in result["steps"]] == ["setlimit"]


@responses.activate
def test_same_limit_is_a_read_only_no_op():
    getlimit(524288000)
    result = run(size="500 GB")
    assert result["changed"] is False
    assert result["steps"] == []
    assert len(responses.calls) == 1


@responses.activate
def test_check_mode_plans_but_sends_no_write():
    getlimit(0)
    responses.add(responses.GET, BASE + "disks/list.cgi", body=DISKS)
    result = run(check_mode=True, size="2 GB")
    assert result["changed"] is True
    assert result["steps"][0]["executed"] is False
    assert [c.request.url.split("?")[0].rsplit("/", 1)[1] for c in responses.calls] == ["getlimit.cgi", "list.cgi"]


@responses.activate
def test_percent_of_total_size_is_idempotent():
    getlimit(int(62914560 * 0.8))
    responses.add(responses.GET, BASE + "disks/list.cgi", body=DISKS)
    result = run(size=None, percent=80.0)
    assert result["changed"] is False


@responses.activate
def test_absent_removes_the_limit():
    getlimit(2097152)
    setlimit(0)
    getlimit(0)
    result = run(size=None, state="absent")
    assert result["changed"] is True
    assert result["storage_limit"]["limit_kb"] == 0


@pytest.mark.parametrize(
    "options,fragment",
    [
        (dict(size="512 MB"), "below the device's minimum"),
        (dict(size="lots"), "is not a size"),
        (dict(size="5 XB"), "unknown unit"),
        (dict(size=None, percent=120.0), "at most 100"),
    ],
)
@responses.activate
def test_bad_input_is_rejected_before_any_request(options, fragment):
    result = run(**options)
    assert result["failed"] is True
    assert fragment in result["msg"]
    assert len(responses.calls) == 0


@responses.activate
def test_device_error_names_cgi_code_and_description():
    getlimit(0)
    responses.add(responses.GET, BASE + "disks/list.cgi", body=DISKS)
    setlimit(1048576, body=ERROR)
    result = run(size="1 GB")
    assert result["failed"] is True
    assert result["msg"] == (
        "record/storage/setlimit.cgi: error 130: Supplied size is less than the minimum allowed limit."
    )
    assert result["error_code"] == 130


@responses.activate
def test_unknown_disk_lists_the_disks_the_device_has():
    getlimit(0)
    responses.add(responses.GET, BASE + "disks/list.cgi", body=DISKS)
    identity = {"ProdFullName": "AXIS P3268-LVE Dome Camera", "Version": "11.11.73"}
    responses.add(
        responses.POST, BASE + "basicdeviceinfo.cgi", json={"apiVersion": "1.0", "data": {"propertyList": identity}}
    )
    result = run(disk_id="SD_DISK9", size="2 GB")
    assert result["failed"] is True
    assert "disk_id=SD_DISK9" in result["msg"]
    assert "AXIS P3268-LVE Dome Camera (firmware 11.11.73)" in result["msg"]
    assert "SD_DISK" in result["msg"]


@responses.activate
def test_limits_listed_straight_under_the_root_are_read_too():
    getlimit(524288000, body=LIMITS_FLAT)
    assert run(size="500 GB")["changed"] is False
