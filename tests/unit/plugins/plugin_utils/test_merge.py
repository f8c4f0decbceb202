# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merging the slices' reports (job slicing): equal to one run over the fleet, duplicates refused."""

import datetime
import json
import os

import pytest
from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.action.axis_drift_report import ActionModule as DriftAction
from ansible_collections.vapix.edge_storage.plugins.action.axis_health_report import ActionModule as HealthAction
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _drift, _health
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._merge import MergeError, merge_drift, merge_health
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils import helpers
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (
    GB,
    NOW,
    disk,
    fleet,
    fleet_results,
    info,
)


def slices(results, count):
    """AWX's split: hosts sorted by name, host i in slice i mod count."""
    hosts = sorted(results)
    return [dict((host, results[host]) for host in hosts[k::count]) for k in range(count)]


def drift_files(folder, results, generated):
    report = _drift.build_report(results, generated)
    os.makedirs(str(folder))
    for name, text in (
        ("drift.json", json.dumps(report, indent=2, sort_keys=True) + "\n"),
        ("drift.xml", _drift.junit_xml(report)),
        ("drift.txt", _drift.summary_text(report)),
    ):
        (folder / name).write_text(text)
    return str(folder)


def health_dir(folder, results, thresholds=None):
    os.makedirs(str(folder))
    (folder / "health.json").write_text(_health.to_json(_health.build_report(results, thresholds=thresholds, now=NOW)))
    return str(folder)


def merge_drift_action(tmp_path, inputs):
    out = tmp_path / "merged"
    return helpers.run_action(
        DriftAction,
        dict(
            inputs=inputs,
            json_path=str(out / "drift.json"),
            junit_path=str(out / "drift.xml"),
            summary_path=str(out / "drift.txt"),
        ),
    ), out


def big_drift_fleet():
    """fleet_results() twice over, under other names: every class, more hosts than slices."""
    results = dict(fleet_results())
    results.update(("%s-b" % host, value) for host, value in fleet_results().items())
    return results


# --- drift ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_merged_drift_slices_equal_the_single_run(tmp_path, count):
    results = big_drift_fleet()
    single = _drift.build_report(results, "2026-01-02T03:04:00Z")
    inputs = [
        drift_files(tmp_path / ("slice-%d" % k), share, "2026-01-02T03:04:%02dZ" % k)
        for k, share in enumerate(slices(results, count))
    ]
    result, out = merge_drift_action(tmp_path, inputs)
    merged = json.loads((out / "drift.json").read_text())
    assert merged.pop("generated_at") == "2026-01-02T03:04:%02dZ" % (count - 1)  # the latest slice's
    single.pop("generated_at")
    assert merged == single
    assert (out / "drift.xml").read_text() == _drift.junit_xml(single)
    assert (out / "drift.txt").read_text() == _drift.summary_text(single) == result["summary"]
    assert result["drifted"] is True and result["device_counts"] == single["device_counts"]


def test_merged_classes_and_counts_are_the_slices_added_up(tmp_path):
    results = big_drift_fleet()
    shares = slices(results, 3)
    reports = [_drift.build_report(share, "2026-01-02T03:04:05Z") for share in shares]
    inputs = [drift_files(tmp_path / ("s%d" % k), share, "2026-01-02T03:04:05Z") for k, share in enumerate(shares)]
    merged = merge_drift(inputs)
    for key in ("device_counts", "resource_counts"):
        assert merged[key] == dict((name, sum(r[key][name] for r in reports)) for name in _drift.CLASSES)
    assert dict((h, d["class"]) for h, d in merged["devices"].items()) == dict(
        (h, d["class"]) for r in reports for h, d in r["devices"].items()
    )
    assert list(merged["devices"]) == sorted(results)


def test_a_compliant_fleet_in_slices_merges_to_a_passing_report(tmp_path):
    results = dict((host, value) for host, value in fleet_results().items() if host in ("rec-0004", "cam-0001"))
    inputs = [
        drift_files(tmp_path / ("s%d" % k), share, "2026-01-02T03:04:05Z") for k, share in enumerate(slices(results, 3))
    ]  # the third slice has no device
    result, _out = merge_drift_action(tmp_path, inputs)
    assert result["drifted"] is False and result["report"]["failed"] is False
    assert result["device_counts"]["unverifiable"] == 1 and result["device_counts"]["compliant"] == 1


def test_a_host_in_two_slices_is_an_error_naming_it_and_both_inputs(tmp_path):
    results = fleet_results()
    first = drift_files(tmp_path / "a", dict((h, results[h]) for h in ("cam-0001", "cam-0002")), "2026-01-02T03:04:05Z")
    second = drift_files(
        tmp_path / "b", dict((h, results[h]) for h in ("cam-0002", "rec-0004")), "2026-01-02T03:04:05Z"
    )
    with pytest.raises(AnsibleActionFail) as caught:
        merge_drift_action(tmp_path, [first, second])
    message = str(caught.value)
    assert "cam-0002 in %s/drift.json and %s/drift.json" % (first, second) in message
    assert "cam-0001" not in message and "rec-0004" not in message
    assert not (tmp_path / "merged").exists()  # nothing written


def test_the_same_input_twice_names_every_host_up_to_a_limit(tmp_path):
    results = dict(("cam-%04d" % n, None) for n in range(12))
    folder = drift_files(tmp_path / "a", results, "2026-01-02T03:04:05Z")
    with pytest.raises(
        MergeError, match=r"^12 device\(s\) are in more than one input.*cam-0009 in .*\.\.\. \(2 more\)$"
    ):
        merge_drift([folder, folder + "/drift.json"])


def test_an_input_may_name_the_file_itself(tmp_path):
    results = fleet_results()
    shares = slices(results, 2)
    one = drift_files(tmp_path / "a", shares[0], "2026-01-02T03:04:05Z")
    two = drift_files(tmp_path / "b", shares[1], "2026-01-02T03:04:05Z")
    assert merge_drift([one, two + "/drift.json"]) == _drift.build_report(results, "2026-01-02T03:04:05Z")


@pytest.mark.parametrize(
    "content,expected",
    [
        (None, r"/missing does not exist \(an input is a directory holding drift.json, or the file itself\)$"),
        ("", r"/empty/drift.json does not exist"),
        ("{not json", r"/bad/drift.json is not valid JSON: "),
        ("[1, 2]", r"/bad/drift.json is not a report: a JSON object was expected, found list"),
        ('{"generated_at": "x"}', r"/bad/drift.json is not a drift report: no `devices` object"),
        (
            '{"generated_at": "x", "devices": {"cam-0001": {"class": "fine", "resources": []}}}',
            r"device cam-0001 has no valid `class` and `resources`",
        ),
        (
            '{"generated_at": "x", "devices": {"cam-0001": {"class": "drift", "resources": [{"class": "drift"}]}},'
            ' "device_counts": {}, "resource_counts": {}, "failed": true}',
            r"its `device_counts` does not match its devices",
        ),
    ],
)
def test_missing_and_invalid_inputs_are_clear_errors(tmp_path, content, expected):
    good = drift_files(tmp_path / "good", {"rec-0004": fleet_results()["rec-0004"]}, "2026-01-02T03:04:05Z")
    name = {None: "missing", "": "empty"}.get(content, "bad")
    if content is not None:
        (tmp_path / name).mkdir()
    if content:
        (tmp_path / name / "drift.json").write_text(content)
    with pytest.raises(AnsibleActionFail, match="^inputs: .*" + expected):
        merge_drift_action(tmp_path, [good, str(tmp_path / name)])


def test_an_unreadable_input_is_a_clear_error(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "drift.json").mkdir()  # a directory where the file should be: open() fails
    with pytest.raises(MergeError, match=r"^cannot read .*/a/drift.json: Is a directory$"):
        merge_drift([str(folder)])


@pytest.mark.parametrize(
    "args,expected",
    [
        (dict(inputs=[]), "inputs: inputs is empty"),
        (dict(), "exactly one of results"),
        (dict(results={}, inputs=["x"]), "exactly one of results"),
    ],
)
def test_the_drift_action_wants_results_or_inputs(tmp_path, args, expected):
    with pytest.raises(AnsibleActionFail, match=expected):
        helpers.run_action(DriftAction, args)


# --- health ---------------------------------------------------------------------------------


def big_health_fleet():
    results = dict(fleet())
    results.update(
        {
            "cam-0003": info(disk(free=0, wear=20), oldest=2),
            "cam-0005": info(oldest=40),
            "rec-0008": info(
                disk("HDD_DISK", total=1900 * GB, free=900 * GB, wear=3, max_age=90),
                disk("HDD_DISK2", total=1900 * GB, free=100 * GB, wear=91, max_age=90),
                oldest=95,
                model="S3008",
            ),
        }
    )
    return results


@pytest.mark.parametrize("count", [1, 3, 4])
def test_merged_health_slices_equal_the_single_run(tmp_path, count):
    results = big_health_fleet()
    thresholds = _health.Thresholds(max_wear=90, min_free_percent=5)
    single = _health.build_report(results, thresholds=thresholds, now=NOW)
    inputs = [health_dir(tmp_path / ("s%d" % k), share, thresholds) for k, share in enumerate(slices(results, count))]
    out = tmp_path / "merged"
    result = helpers.run_action(HealthAction, dict(inputs=inputs, dest=str(out)))
    single = json.loads(_health.to_json(single))
    assert json.loads((out / "health.json").read_text()) == single
    assert (out / "health.csv").read_text() == _health.to_csv(single)
    assert (out / "health.html").read_text() == _health.to_html(single)
    assert result["summary"] == _health.summary_text(single)
    assert [line.split(":")[0] for line in result["failed_checks"]] == [
        "cam-0001 SD_DISK",
        "cam-0003 SD_DISK",
        "cam-0009 -",
        "rec-0008 HDD_DISK2",
    ]
    # two disks of one device stay together, in the device's order
    assert [(r["device"], r["disk_id"]) for r in single["rows"]][-2:] == [
        ("rec-0008", "HDD_DISK"),
        ("rec-0008", "HDD_DISK2"),
    ]


def test_a_device_in_two_health_slices_is_an_error(tmp_path):
    results = big_health_fleet()
    first = health_dir(tmp_path / "a", dict((h, results[h]) for h in ("cam-0001", "rec-0008")))
    second = health_dir(tmp_path / "b", dict((h, results[h]) for h in ("cam-0002", "rec-0008")))
    with pytest.raises(
        AnsibleActionFail,
        match=r"^inputs: 1 device\(s\) are in more than one input.*: rec-0008 in "
        r".*/a/health.json and .*/b/health.json$",
    ):
        helpers.run_action(HealthAction, dict(inputs=[first, second], dest=str(tmp_path / "out")))


def test_health_slices_with_other_thresholds_do_not_merge(tmp_path):
    results = big_health_fleet()
    first = health_dir(tmp_path / "a", {"cam-0001": results["cam-0001"]}, _health.Thresholds(max_wear=80))
    second = health_dir(tmp_path / "b", {"cam-0002": results["cam-0002"]}, _health.Thresholds(max_wear=70))
    with pytest.raises(
        MergeError,
        match=r'a/health.json was made with thresholds .*"max_wear_percent": 80.* and '
        r'.*b/health.json with .*"max_wear_percent": 70',
    ):
        merge_health([first, second])


def test_health_inputs_refuse_the_options_that_build_a_report(tmp_path):
    folder = health_dir(tmp_path / "a", {"cam-0002": fleet()["cam-0002"]})
    with pytest.raises(AnsibleActionFail, match="^max_wear cannot be used with inputs"):
        helpers.run_action(HealthAction, dict(inputs=[folder], max_wear=70))


def test_a_drift_report_is_not_a_health_report(tmp_path):
    folder = drift_files(tmp_path / "a", {"rec-0004": fleet_results()["rec-0004"]}, "2026-01-02T03:04:05Z")
    os.rename(folder + "/drift.json", folder + "/health.json")
    with pytest.raises(MergeError, match="health.json is not a health report: no `rows` list"):
        merge_health([folder])


def test_the_merged_health_time_is_the_latest_slice(tmp_path):
    results = fleet()
    early = _health.build_report({"cam-0001": results["cam-0001"]}, now=NOW)
    late = _health.build_report({"cam-0002": results["cam-0002"]}, now=NOW + datetime.timedelta(minutes=3))
    paths = []
    for name, report in (("late.json", late), ("early.json", early)):
        (tmp_path / name).write_text(_health.to_json(report))
        paths.append(str(tmp_path / name))
    assert merge_health(paths)["generated_at"] == "2026-12-01T12:03:00Z"
