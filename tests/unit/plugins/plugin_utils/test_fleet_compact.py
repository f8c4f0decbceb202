# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compact fleet results: compliant resources without their detail, the same drift report."""

import json

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _drift
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import host_arguments, run_fleet
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (
    PASSWORD,
    ROLE,
    SHARE_PASSWORD,
    Resolver,
    camera_vars,
    closed_port,
    control,
)

STAMP = "2026-12-07T12:00:00Z"


def written(report):
    """The three files axis_drift_report writes."""
    return (json.dumps(report, indent=2, sort_keys=True) + "\n", _drift.junit_xml(report), _drift.summary_text(report))


def test_compact_results_give_the_same_report_files_as_full_ones(fleet):
    for index in range(4):
        control(fleet, index, "reset", "POST")
        control(fleet, index, "state", "POST", {"users": {"root": {"password": PASSWORD}}})
    control(fleet, 1, "state", "POST", {"disks": {"SD_DISK": {"cleanup_max_age": 5}}})
    share = {
        "name": "nas",
        "address": "nas.example.com",
        "share": "rec",
        "share_user": "cam",
        "share_password": SHARE_PASSWORD,
    }
    hosts = {
        "cam-ok": camera_vars(fleet.port(0)),
        "cam-drift": camera_vars(fleet.port(1)),
        # a share with a write-only password: unverifiable once it exists, the disk compliant
        "cam-share": camera_vars(
            fleet.port(2),
            axis_storage={"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 7}], "network_shares": [share]},
        ),
        "cam-bad": camera_vars(fleet.port(2), axis_storage={"disks": "bad"}),
        "rec-empty": camera_vars(fleet.port(3), axis_storage={}),
        "gone": camera_vars(closed_port(), axis_timeout=1),
    }
    resolver = Resolver(hosts)
    share_args, _failed = host_arguments(resolver, "cam-share", "drift", ROLE)
    assert not run_in_process(DeviceStorage, share_args, "vapix.edge_storage.axis_storage").get("failed")
    jobs = [(host,) + host_arguments(resolver, host, "drift", ROLE) for host in hosts]
    full = run_fleet(jobs, "drift", concurrency=3)
    compact = run_fleet(jobs, "drift", concurrency=3, compact=True)

    assert written(_drift.build_report(compact, STAMP)) == written(_drift.build_report(full, STAMP))
    # the compliant camera: its class and counts, one state per resource instead of five
    ok = compact["cam-ok"]
    assert ok["class"] == "compliant" and ok["counts"] == {"compliant": len(full["cam-ok"]["resources"])}
    assert "diff" not in ok and "summary" not in ok
    assert all(set(entry) == {"resource", "compared"} for entry in ok["resources"])
    assert len(json.dumps(ok)) * 2 < len(json.dumps(full["cam-ok"]))
    # drifted, failed and unverifiable resources keep every detail
    drifted = [e for e in compact["cam-drift"]["resources"] if e.get("changed")]
    assert drifted and all(e in full["cam-drift"]["resources"] for e in drifted)
    assert compact["cam-drift"]["class"] == "drift" and compact["cam-drift"]["changed"] is True
    assert compact["cam-share"]["class"] == "unverifiable"
    assert [e for e in compact["cam-share"]["resources"] if e.get("unverified")] == [
        e for e in full["cam-share"]["resources"] if e.get("unverified")
    ]
    # a declaration that failed validation has no resources: its result is whole
    assert compact["cam-bad"] == full["cam-bad"]
    assert compact["gone"]["failed"] is True and compact["gone"]["class"] == "unreachable"
    assert SHARE_PASSWORD not in json.dumps(compact) and PASSWORD not in json.dumps(compact)


def test_a_compact_result_keeps_what_the_report_shows():
    same = {"cleanup_max_age": 7, "mounted": True}
    result = {
        "changed": True,
        "requests": 6,
        "seconds": 0.2,
        "resources": [
            {
                "resource": "disk SD_DISK",
                "changed": False,
                "diff": {"before": same, "after": dict(same)},
                "state": {"disk_id": "SD_DISK"},
            },
            # equal in Python, not in JSON: kept as it is
            {
                "resource": "storage_limit SD_DISK",
                "changed": False,
                "diff": {"before": {"size": 1}, "after": {"size": True}},
            },
            {
                "resource": "network_share nas",
                "changed": False,
                "unverified": ["share_password"],
                "diff": {"before": {"a": 1}, "after": {"a": 1}},
            },
            {
                "resource": "recording_profile 1",
                "changed": True,
                "steps": [{"action": "add", "detail": "x"}],
                "diff": {"before": None, "after": {"fps": 15}},
            },
        ],
        "summary": {"resources": 4},
        "diff": {"before": {}, "after": {}},
    }
    compact = _drift.compact_result("cam", result)
    assert compact["resources"][0] == {"resource": "disk SD_DISK", "compared": same}
    assert compact["resources"][1:] == result["resources"][1:]
    assert compact["class"] == "drift"
    assert compact["counts"] == {"compliant": 2, "drift": 1, "unverifiable": 1}
    assert (compact["changed"], compact["requests"], compact["seconds"]) == (True, 6, 0.2)
    assert _drift.build_report({"cam": compact}, STAMP) == _drift.build_report({"cam": result}, STAMP)
    # results without resources are left as they are
    failed = {"failed": True, "msg": "no", "changed": False}
    assert _drift.compact_result("cam", failed) is failed
