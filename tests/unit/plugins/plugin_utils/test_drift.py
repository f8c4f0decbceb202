# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report: classification of check-mode results, the JUnit XML and the summary."""

import json
from xml.etree import ElementTree

import pytest
from ansible_collections.vapix.edge_storage.plugins.action.axis_drift_report import ActionModule
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import (
    CLASSES,
    build_report,
    classify,
    device_entries,
    junit_xml,
    summary_text,
)
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils import helpers
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (
    DRIFTED,
    failed,
    fleet_results,
    host_result,
    resource,
)

GENERATED = "2026-01-02T03:04:05Z"


@pytest.mark.parametrize(
    "entry,expected",
    [
        (resource(), "compliant"),
        (resource(diff={"before": {"a": 1}, "after": {"a": 1}}), "compliant"),
        (DRIFTED, "drift"),
        (resource(unverified=["share_password"]), "unverifiable"),
        # a change wins over a secret that cannot be read back
        (resource(changed=True, unverified=["share_password"]), "drift"),
        (failed("connection"), "unreachable"),
        (failed("auth"), "unreachable"),
        (failed("unsupported"), "unsupported"),
        # a difference that only an opt-in could fix (a format, a removal) is drift
        (failed("refused"), "drift"),
        (failed("state"), "drift"),
        (failed("api"), "error"),
        (failed("http"), "error"),
        (failed("input"), "error"),
        (failed("job"), "error"),
        # the device answered; its job did not finish
        (failed("timeout"), "error"),
        (failed(None), "error"),
        # not compared because an earlier resource failed: its state is unknown, never compliant
        (resource(skipped=True, msg="not applied: an earlier resource failed"), "error"),
        # not compared because the device stopped answering
        (
            resource(skipped=True, error_kind="connection", msg="not compared: disk SD_DISK failed with ..."),
            "unreachable",
        ),
    ],
)
def test_classify(entry, expected):
    assert classify(entry) == expected


def test_a_host_without_result_is_unreachable():
    for result in (None, {}, "undefined"):
        entries = device_entries("cam-0001", result)
        assert [(e["resource"], e["class"]) for e in entries] == [("device", "unreachable")]


def test_an_unreachable_host_keeps_its_message():
    entries = device_entries("cam-0001", {"unreachable": True, "msg": "Failed to connect"})
    assert entries == [{"resource": "device", "class": "unreachable", "msg": "Failed to connect"}]


def test_a_failure_before_any_resource_is_one_device_entry():
    entries = device_entries(
        "cam-0001",
        {
            "failed": True,
            "msg": "disks[0]: value of filesystem must be one of",
            "error_kind": "input",
            "changed": False,
            "requests": 0,
        },
    )
    assert entries == [
        {
            "resource": "device",
            "class": "error",
            "error_kind": "input",
            "msg": "disks[0]: value of filesystem must be one of",
        }
    ]


def test_a_device_that_cannot_be_reached_before_any_resource():
    entries = device_entries(
        "cam-0001",
        {"failed": True, "msg": "cannot reach http://127.0.0.1:9", "error_kind": "connection", "cgi": "disks/list.cgi"},
    )
    assert entries[0]["class"] == "unreachable" and entries[0]["cgi"] == "disks/list.cgi"


def test_a_skipped_check_is_not_compliant():
    entries = device_entries(
        "cam-0001", {"skipped": True, "changed": False, "skip_reason": "Conditional result was False"}
    )
    assert entries == [{"resource": "device", "class": "error", "msg": "the check was skipped"}]


def test_a_device_with_nothing_declared_is_still_one_checked_entry():
    entries = device_entries("cam-0001", host_result())
    assert entries == [{"resource": "device", "class": "compliant", "msg": "nothing declared"}]


def test_resource_entries_keep_only_what_the_report_needs():
    entries = device_entries(
        "cam-0001",
        host_result(
            resource(state={"disk_id": "SD_DISK"}, jobs=[{"action": "format"}], unverified=["passphrase"]),
            failed("api", cgi="disks/format.cgi", error_code=10),
        ),
    )
    assert entries == [
        {"resource": "disk SD_DISK", "class": "unverifiable", "unverified": ["passphrase"]},
        {
            "resource": "disk SD_DISK",
            "class": "error",
            "msg": "disks/list.cgi: error 10: boom",
            "error_kind": "api",
            "cgi": "disks/format.cgi",
            "error_code": 10,
        },
    ]


def test_a_task_failure_that_no_resource_explains_gets_a_device_entry():
    result = host_result(resource(), failed=True, msg="purge: cannot list shares", error_kind="api")
    entries = device_entries("cam-0001", result)
    assert [(e["resource"], e["class"]) for e in entries] == [("disk SD_DISK", "compliant"), ("device", "error")]
    assert entries[-1]["msg"] == "purge: cannot list shares"


# --- the report ---------------------------------------------------------------------------------


def test_each_device_gets_its_worst_class_and_counts_add_up():
    report = build_report(fleet_results(), GENERATED)
    assert report["generated_at"] == GENERATED
    assert dict((host, d["class"]) for host, d in report["devices"].items()) == {
        "cam-0001": "unverifiable",
        "cam-0002": "drift",
        "cam-0003": "unreachable",
        "rec-0004": "compliant",
        "rec-0008": "unsupported",
        "cam-0005": "unreachable",
    }
    assert report["device_counts"] == {
        "compliant": 1,
        "drift": 1,
        "unverifiable": 1,
        "unsupported": 1,
        "unreachable": 2,
        "error": 0,
    }
    assert report["resource_counts"] == {
        "compliant": 4,
        "drift": 1,
        "unverifiable": 1,
        "unsupported": 1,
        "unreachable": 2,
        "error": 0,
    }
    assert sum(report["resource_counts"].values()) == sum(len(d["resources"]) for d in report["devices"].values())
    assert report["failed"] is True
    # the report is plain JSON
    assert json.loads(json.dumps(report)) == report


@pytest.mark.parametrize(
    "classes,failing",
    [
        (["compliant"], False),
        (["compliant", "unverifiable"], False),
        (["unsupported", "unverifiable"], False),
        (["compliant", "drift"], True),
        (["compliant", "error"], True),
        (["unreachable"], True),
    ],
)
def test_only_drift_unreachable_and_error_fail_the_check(classes, failing):
    by_class = {
        "compliant": resource(),
        "drift": DRIFTED,
        "unverifiable": resource(unverified=["device_password"]),
        "unsupported": failed("unsupported"),
        "error": failed("api"),
        "unreachable": failed("connection"),
    }
    results = dict(("dev-%d" % i, host_result(by_class[name])) for i, name in enumerate(classes))
    assert build_report(results, GENERATED)["failed"] is failing


def test_worst_class_order():
    order = ["error", "unreachable", "drift", "unsupported", "unverifiable", "compliant"]
    assert sorted(order) == sorted(CLASSES)
    by_class = {
        "compliant": resource(),
        "drift": DRIFTED,
        "unverifiable": resource(unverified=["device_password"]),
        "unsupported": failed("unsupported"),
        "error": failed("api"),
        "unreachable": failed("connection"),
    }
    for i, worst in enumerate(order):
        entries = [by_class[name] for name in order[i:]]
        report = build_report({"dev": host_result(*entries)}, GENERATED)
        assert report["devices"]["dev"]["class"] == worst


# --- JUnit XML ------------------------------------------------------------------------------------


def parse(report):
    return ElementTree.fromstring(junit_xml(report).encode("utf-8"))


def test_junit_has_one_suite_per_device_and_one_case_per_resource():
    report = build_report(fleet_results(), GENERATED)
    root = parse(report)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(report["devices"])
    for suite in suites:
        device = report["devices"][suite.get("name")]
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [e["resource"] for e in device["resources"]]
        assert all(c.get("classname") == suite.get("name") for c in cases)
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == len(suite.findall("testcase/error"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in suites)
    assert root.get("tests") == "9" and root.get("failures") == "1" and root.get("errors") == "2"
    assert root.get("skipped") == "2"


def test_junit_outcome_elements_per_class():
    root = parse(build_report(fleet_results(), GENERATED))

    def case(host, name):
        found = [c for c in root.iter("testcase") if c.get("classname") == host and c.get("name") == name]
        assert len(found) == 1
        return found[0]

    drift = case("cam-0002", "disk SD_DISK")
    assert drift.find("failure").get("type") == "drift"
    assert "cleanup_max_age: 3 -> 30" in drift.find("failure").text
    assert "would setcleanupmaxage" in drift.find("failure").text
    unreachable = case("cam-0003", "disk SD_DISK").find("error")
    assert unreachable.get("type") == "unreachable" and "cannot reach" in unreachable.get("message")
    assert case("cam-0005", "device").find("error").get("type") == "unreachable"
    assert case("cam-0001", "network_share nas").find("skipped").get("message").startswith("unverifiable:")
    assert case("rec-0008", "disk SD_DISK").find("skipped").get("message").startswith("unsupported:")
    assert list(case("rec-0004", "disk HDD_DISK")) == []


def test_junit_stays_well_formed_with_any_text():
    nasty = "a & b < c > d \"quoted\" 'single' \x1b[31mred\x1b[0m \x00 nul \x07 bell \ud83d\ude00 ]]> end"
    results = {
        'cam<&>"1': host_result(
            failed("api", msg=nasty, cgi="disks/x.cgi"),
            resource('disk "A&B"', changed=True, diff={"before": {"name": nasty}, "after": {"name": "ok"}}),
        ),
        "cam-2": host_result(resource(unverified=[nasty])),
    }
    root = parse(build_report(results, GENERATED))
    cases = list(root.iter("testcase"))
    assert [c.get("classname") for c in cases] == ["cam-2", 'cam<&>"1', 'cam<&>"1']
    assert cases[2].get("name") == 'disk "A&B"'
    error = cases[1].find("error")
    assert 'a & b < c > d "quoted"' in error.get("message")
    assert "\x1b" not in error.get("message") and "\x00" not in error.text
    assert "]]> end" in error.text


def test_junit_is_built_as_an_element_tree_and_reads_back_the_same_text():
    nasty = 'a & b < c > d "q" line\nnext'
    report = build_report({"cam": host_result(failed("api", msg=nasty))}, GENERATED)
    text = junit_xml(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    error = ElementTree.fromstring(text.encode("utf-8")).find("testsuite/testcase/error")
    # attribute and text survive the round trip, newline included
    assert error.get("message") == nasty
    assert error.text == nasty


def test_junit_of_an_empty_fleet_parses():
    root = parse(build_report({}, GENERATED))
    assert root.get("tests") == "0" and root.findall("testsuite") == []


# --- the human summary ------------------------------------------------------------------------------


def test_summary_lists_counts_then_what_is_not_compliant():
    text = summary_text(build_report(fleet_results(), GENERATED))
    assert text.endswith("\n")
    assert text.splitlines() == [
        "Drift check of 6 device(s): 1 compliant, 1 drift, 1 unverifiable, 1 unsupported, 2 unreachable",
        "Resources: 4 compliant, 1 drift, 1 unverifiable, 1 unsupported, 2 unreachable",
        "Drift (1 device):",
        "  cam-0002  disk SD_DISK: cleanup_max_age: 3 -> 30",
        "      would setcleanupmaxage: set cleanup_max_age of SD_DISK to 30 (was 3)",
        "Unreachable (2 devices):",
        "  cam-0003  disks/list.cgi: cannot reach http://127.0.0.1:1",
        "  cam-0005  no result: the host did not run the check",
        "Unsupported (not checked):",
        "  disk: param.cgi: the device has no such CGI (404 Not Found) on 1 device: rec-0008",
        "Unverifiable (write-only, cannot be read back):",
        "  network_share: share_password on 1 device: cam-0001",
    ]


def test_an_unreachable_device_is_one_summary_line():
    result = host_result(
        failed("connection", msg="disks/list.cgi: cannot reach http://127.0.0.1:1"),
        resource(
            "disk HDD_DISK", skipped=True, error_kind="connection", msg="not compared: disk SD_DISK failed with ..."
        ),
    )
    report = build_report({"cam": result}, GENERATED)
    assert report["devices"]["cam"]["class"] == "unreachable"
    assert summary_text(report).splitlines()[2:] == [
        "Unreachable (1 device):",
        "  cam  disks/list.cgi: cannot reach http://127.0.0.1:1",
    ]
    # the JUnit file still has one case per resource
    assert len(list(parse(report).iter("testcase"))) == 2


def test_summary_of_thousands_of_devices_groups_what_cannot_be_verified():
    results = {}
    for i in range(3000):
        results["cam-%04d" % i] = host_result(resource(), resource("network_share nas", unverified=["share_password"]))
    results["cam-0100"] = host_result(DRIFTED, resource("network_share nas", unverified=["share_password"]))
    results["cam-0200"] = host_result(failed("api", msg="disks/list.cgi: error 10: boom"))
    results["cam-0300"] = host_result(failed("api", msg="disks/list.cgi: error 11: bang"))
    lines = summary_text(build_report(results, GENERATED)).splitlines()
    assert lines[0] == "Drift check of 3000 device(s): 1 drift, 2997 unverifiable, 2 error"
    # every drift and every error, in full, with the host name
    assert "  cam-0100  disk SD_DISK: cleanup_max_age: 3 -> 30" in lines
    assert "Errors (2 devices):" in lines
    assert "  cam-0200  disk SD_DISK: disks/list.cgi: error 10: boom" in lines
    assert "  cam-0300  disk SD_DISK: disks/list.cgi: error 11: bang" in lines
    # 2,998 write-only shares: one line naming a few of them, not a line per device
    unverifiable = [line for line in lines if "share_password" in line]
    assert unverifiable == [
        "  network_share: share_password on 2998 devices: cam-0000, cam-0001, cam-0002, "
        "cam-0003, cam-0004, ... (2993 more)"
    ]
    assert len(lines) < 15


def test_summary_of_a_compliant_fleet_is_one_line():
    report = build_report(
        {"cam-0001": host_result(resource()), "rec-0004": host_result(resource("disk HDD_DISK"))}, GENERATED
    )
    assert summary_text(report) == "Drift check of 2 device(s): 2 compliant\n"
    assert report["failed"] is False


def test_summary_of_nothing():
    assert summary_text(build_report({}, GENERATED)) == "Drift check of 0 device(s): nothing to check\n"


def test_summary_lines_are_bounded():
    long_msg = "x" * 5000
    text = summary_text(build_report({"cam": host_result(failed("api", msg=long_msg))}, GENERATED))
    assert max(len(line) for line in text.splitlines()) < 400


def test_a_diff_that_is_not_a_dict_is_described_not_crashed_on():
    report = build_report(
        {"cam": host_result(resource(changed=True, diff={"before": "a\n", "after": "b\n"}))}, GENERATED
    )
    assert 'value: "a\\n" -> "b\\n"' in summary_text(report)
    parse(report)


# --- the action plugin ------------------------------------------------------------------------------


def run_action(args, check_mode=True):
    return helpers.run_action(ActionModule, args, check_mode)


def test_the_action_writes_all_three_files_even_in_check_mode(tmp_path):
    paths = dict(
        json_path=str(tmp_path / "out" / "drift.json"),
        junit_path=str(tmp_path / "out" / "drift.xml"),
        summary_path=str(tmp_path / "drift.txt"),
    )
    result = run_action(dict(results=fleet_results(), **paths))
    assert result["changed"] is False
    assert result["drifted"] is True
    assert result["files"] == [paths["json_path"], paths["junit_path"], paths["summary_path"]]
    written = json.loads((tmp_path / "out" / "drift.json").read_text())
    assert written["devices"]["cam-0002"]["class"] == "drift"
    assert written == json.loads(json.dumps(result["report"]))
    assert ElementTree.parse(str(tmp_path / "out" / "drift.xml")).getroot().get("tests") == "9"
    assert (tmp_path / "drift.txt").read_text() == result["summary"]
    assert result["device_counts"]["unreachable"] == 2


def test_the_action_of_a_compliant_fleet_is_not_drifted(tmp_path):
    result = run_action(dict(results={"cam-0001": host_result(resource())}))
    assert result["drifted"] is False and result["files"] == []
    assert result["summary"] == "Drift check of 1 device(s): 1 compliant\n"


def test_the_action_refuses_bad_arguments():
    from ansible.errors import AnsibleActionFail

    with pytest.raises(AnsibleActionFail, match="results"):
        run_action(dict(json_path="x.json"))
    with pytest.raises(AnsibleActionFail, match="junit"):
        run_action(dict(results={}, junit="x.xml"))


# What DeviceStorage returns for a host that is no Axis device (tests/unit/plugins/module_utils/
# test_not_a_device.py runs it against the simulator's not_axis fault).
NOT_AXIS_MSG = (
    "http://192.0.2.7:80 is not an Axis device this collection can log in to: it never asked for "
    "the credentials of user 'root' and answered 404 Not Found to every request (disks/list.cgi, "
    "basicdeviceinfo.cgi, param.cgi); check that the host and port name the device"
)
NOT_AXIS = {
    "failed": True,
    "changed": False,
    "error_kind": "device",
    "msg": "device: " + NOT_AXIS_MSG,
    "resources": [
        {
            "resource": "device",
            "failed": True,
            "changed": False,
            "msg": NOT_AXIS_MSG,
            "error_kind": "device",
            "cgi": None,
        },
        {
            "resource": "disk SD_DISK",
            "changed": False,
            "skipped": True,
            "error_kind": "device",
            "msg": "not compared: the host is not an Axis device with edge storage (see resource device)",
        },
        {
            "resource": "storage_limit SD_DISK",
            "changed": False,
            "skipped": True,
            "error_kind": "device",
            "msg": "not compared: the host is not an Axis device with edge storage (see resource device)",
        },
    ],
}
# and for firmware 5.51, an Axis device that lacks the Recording storage limit API
FW551 = {
    "failed": True,
    "changed": False,
    "error_kind": "unsupported",
    "resources": [
        {"resource": "disk SD_DISK", "changed": False},
        {
            "resource": "storage_limit SD_DISK",
            "failed": True,
            "changed": False,
            "error_kind": "unsupported",
            "msg": "AXIS P5512 (firmware 5.51.7) has no Recording storage limit API",
        },
    ],
}


def test_a_host_that_is_no_axis_device_fails_the_check_as_an_error_not_as_skipped_tests():
    report = build_report({"web-1": NOT_AXIS, "cam-551": FW551}, "2026-12-07T12:00:00Z")
    assert report["devices"]["web-1"]["class"] == "error"
    assert [e["class"] for e in report["devices"]["web-1"]["resources"]] == ["error", "error", "error"]
    assert report["devices"]["cam-551"]["class"] == "unsupported"
    assert report["failed"] is True
    suites = dict((s.get("name"), s) for s in ElementTree.fromstring(junit_xml(report)).iter("testsuite"))
    assert (suites["web-1"].get("errors"), suites["web-1"].get("skipped")) == ("3", "0")
    assert (suites["cam-551"].get("errors"), suites["cam-551"].get("skipped")) == ("0", "1")
    # one summary line for the host, not a repetition of "not compared" per resource
    text = summary_text(report)
    assert (
        "Errors (1 device):\n  web-1  device: " + NOT_AXIS_MSG + "\n      (2 declared resources not compared)\n" in text
    )
    assert "not compared: the host" not in text
    # 5.51 alone passes: unsupported is not a failure
    assert build_report({"cam-551": FW551}, "2026-12-07T12:00:00Z")["failed"] is False
