# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health report: rows and checks from axis_storage_info results, CSV, HTML, the action."""

import csv
import io
import json
import re
from unittest.mock import MagicMock

import pytest
from ansible_collections.vapix.edge_storage.plugins.action.axis_health_report import ActionModule
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._health import (
    CSV_COLUMNS,
    Thresholds,
    build_report,
    summary_text,
    to_csv,
    to_html,
)
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils import helpers
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (
    GB,
    NOW,
    disk,
    fleet,
    info,
)


def rows_of(results, **thresholds):
    return build_report(results, thresholds=Thresholds(**thresholds), now=NOW)["rows"]


def test_a_healthy_disk_passes_with_every_column():
    (row,) = rows_of({"cam-1": info(oldest=31)})
    assert row["ok"] is True and row["problems"] == []
    assert (row["device"], row["model"], row["disk_id"], row["status"], row["wear_percent"]) == (
        "cam-1",
        "P3268-LVE",
        "SD_DISK",
        "OK",
        10,
    )
    assert (row["total_kb"], row["used_kb"], row["free_kb"], row["free_percent"]) == (64 * GB, 32 * GB, 32 * GB, 50.0)
    assert (row["retention"], row["retention_days"], row["oldest_recording_age_days"]) == ("ok", 30, 31.0)
    assert row["encryption"] == "off" and row["filesystem"] == "ext4"


@pytest.mark.parametrize("wear,ok", [(79, True), (80, False), (130, False)])
def test_wear_at_or_over_the_threshold_fails(wear, ok):
    (row,) = rows_of({"cam-1": info(disk(wear=wear), oldest=40)}, max_wear=80)
    assert row["ok"] is ok
    if not ok:
        assert row["problems"] == ["wear %d%% >= 80%%" % wear]


def test_low_free_space_fails_and_a_young_oldest_recording_is_then_short():
    (row,) = rows_of({"cam-1": info(disk(free=2 * GB), oldest=4)}, min_free_percent=10)
    assert row["retention"] == "short"
    assert row["problems"] == ["free 3.1% < 10.0%", "keeps 4.0 of 30 days (free space low)"]


def test_a_young_oldest_recording_with_room_is_filling_and_fails_only_when_strict():
    (row,) = rows_of({"cam-1": info(oldest=4)})
    assert (row["retention"], row["ok"]) == ("filling", True)
    (row,) = rows_of({"cam-1": info(oldest=4)}, retention_strict=True)
    assert row["ok"] is False and "recording since then" in row["problems"][0]


def test_a_disk_at_its_storage_limit_is_under_pressure():
    (row,) = rows_of({"cam-1": info(oldest=2, limit=10 * GB, used=10 * GB)})
    assert row["retention"] == "short" and "at its storage limit" in row["problems"][0]


def test_the_declared_retention_wins_over_the_devices():
    report = build_report(
        {"cam-1": info(disk(free=0), oldest=20)},
        declarations={"cam-1": {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 14}]}},
        now=NOW,
    )
    (row,) = report["rows"]
    assert (row["retention_days"], row["retention_source"], row["retention"]) == (14, "declared", "ok")


@pytest.mark.parametrize("status", ["failed", "wrong passphrase"])
def test_a_disk_that_needs_a_person_fails(status):
    (row,) = rows_of({"cam-1": info(disk(status=status, total=0, free=0))})
    assert "status %s" % status in row["problems"]


def test_no_policy_or_no_recordings_is_not_a_shortfall():
    (row,) = rows_of({"cam-1": info(disk(policy="none", free=0))})
    assert row["retention"] == "no maximum age"
    (row,) = rows_of({"cam-1": info()})
    assert row["retention"] == "no recordings" and row["ok"] is True


def test_unreachable_and_missing_hosts_are_failing_rows():
    report = build_report(
        {
            "cam-1": {"failed": True, "msg": "connection refused", "error_kind": "connection"},
            "cam-2": None,
            "cam-3": info(oldest=40),
        },
        now=NOW,
    )
    rows = dict((r["device"], r) for r in report["rows"])
    assert rows["cam-1"]["status"] == "unreachable" and "connection refused" in rows["cam-1"]["problems"][0]
    assert rows["cam-2"]["ok"] is False and rows["cam-3"]["ok"] is True
    assert report["failed"] is True and report["summary"]["failing_devices"] == ["cam-1", "cam-2"]
    assert (
        summary_text(report).splitlines()[0] == "Storage health of 3 device(s), 1 disk(s): 2 problem(s) on cam-1, cam-2"
    )


def test_an_unbound_share_slot_is_left_out_and_a_bound_one_kept():
    slot = disk("NetworkShare", total=0, free=0, status="disconnected", filesystem="cifs")
    rows = rows_of({"cam-1": info(disk(), slot)})
    assert [r["disk_id"] for r in rows] == ["SD_DISK"]
    share = disk("NetworkShare", total=1024 * GB, free=1000 * GB, filesystem="cifs")
    rows = rows_of({"cam-1": info(disk(), share)})
    assert [r["disk_id"] for r in rows] == ["SD_DISK", "NetworkShare"]


def test_csv_has_one_row_per_device_and_disk_with_the_device_named():
    report = build_report(fleet(), now=NOW)
    parsed = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert tuple(parsed[0]) == CSV_COLUMNS
    assert [r["device"] for r in parsed] == ["cam-0001", "cam-0002", "cam-0009", "rec-0004"]
    assert parsed[0]["wear_percent"] == "85" and parsed[0]["full"] == "no"
    assert "wear 85% >= 80%" in parsed[0]["problems"]


def test_the_html_page_is_self_contained_and_names_every_device():
    html = to_html(build_report(fleet(), now=NOW))
    assert "default-src 'none'" in html
    assert not re.search(r"\s(?:src|href)\s*=|url\(|@import|<link", html)
    for host in ("cam-0001", "cam-0002", "cam-0009", "rec-0004"):
        assert 'data-device="%s"' % host in html
    for chart in ("chart-wear", "chart-fill", "chart-retention"):
        assert 'id="%s"' % chart in html
    # every disk is named on the per-disk charts
    fill = html[html.index('id="chart-fill"') : html.index("</svg>", html.index('id="chart-fill"'))]
    assert all(name in fill for name in ("cam-0001 SD_DISK", "cam-0002 SD_DISK", "rec-0004 HDD_DISK"))
    assert html.count('<tr class="problem"') == 2


def run_action(args):
    return helpers.run_action(ActionModule, args)


def test_the_action_writes_the_three_files_and_lists_the_failed_checks(tmp_path):
    result = run_action(dict(results=fleet(), max_wear=80, min_free_percent=5, dest=str(tmp_path / "out")))
    assert result["changed"] is False
    assert sorted(p.rsplit("/", 1)[-1] for p in result["files"]) == ["health.csv", "health.html", "health.json"]
    assert json.loads((tmp_path / "out" / "health.json").read_text())["rows"] == json.loads(
        json.dumps(result["report"]["rows"])
    )
    assert result["failed_checks"][0].startswith("cam-0001 SD_DISK: wear 85% >= 80%; free 1.6% < 5.0%")
    assert result["failed_checks"][1].startswith("cam-0009 -: no data")


def test_the_action_refuses_a_bad_threshold():
    from ansible.errors import AnsibleActionFail

    with pytest.raises(AnsibleActionFail, match="min_free_percent"):
        run_action(dict(results={}, min_free_percent=120))


# --- hosts that are no storage device, invalid declarations, disks that cannot record ----------

NOT_AXIS = {
    "failed": True,
    "changed": False,
    "error_kind": "device",
    "cgi": None,
    "msg": "http://192.0.2.7:80 is not an Axis device this collection can log in to: it never asked for "
    "the credentials of user 'root' and answered 404 Not Found to every request (disks/list.cgi, "
    "basicdeviceinfo.cgi, param.cgi); check that the host and port name the device",
}


def test_a_host_that_is_no_axis_device_is_an_error_row_that_fails_the_run():
    report = build_report({"web-1": NOT_AXIS, "cam-1": info(oldest=40)}, now=NOW)
    rows = dict((r["device"], r) for r in report["rows"])
    assert rows["web-1"]["status"] == "error" and rows["web-1"]["ok"] is False
    assert rows["web-1"]["problems"] == ["no data: " + NOT_AXIS["msg"]]
    assert rows["cam-1"]["ok"] is True
    assert report["failed"] is True and report["summary"]["failing_devices"] == ["web-1"]


def test_a_result_without_a_disk_list_is_never_a_device_without_disks():
    result = info()
    result["storage_info"]["disks"] = None
    result["storage_info"]["unavailable"] = {"disks": "disks/list.cgi: the device has no such CGI (404 Not Found)"}
    (row,) = rows_of({"cam-1": result})
    assert (row["status"], row["ok"]) == ("error", False)
    assert row["problems"] == ["no disk list: disks/list.cgi: the device has no such CGI (404 Not Found)"]


def declared(*disks):
    return {
        "cam-1": {
            "disks": [dict({"disk_id": "SD_DISK"}, **d) if isinstance(d, dict) else {"disk_id": d} for d in disks]
        }
    }


@pytest.mark.parametrize(
    "state,declaration,problem",
    [
        (
            {"status": "disconnected", "total": 0, "free": 0},
            {},
            "status disconnected: the declared disk is not there (no card in the slot, or the share cannot be reached)",
        ),
        ({"status": "connected", "total": 0, "free": 0}, {}, "status connected: the declared disk is not mounted"),
        ({"readonly": True}, {}, "read-only: the device cannot record on it"),
        ({"locked": True}, {}, "locked: the device does not record on it"),
        ({"free": 0}, {}, "free 0.0% < 10.0%"),
    ],
)
def test_a_declared_disk_that_cannot_record_fails_naming_disk_and_status(state, declaration, problem):
    state = dict(state)
    the_disk = disk(
        status=state.pop("status", "OK"), total=state.pop("total", 64 * GB), free=state.pop("free", 32 * GB), **state
    )
    report = build_report(
        {"cam-1": info(the_disk, oldest=40)}, declarations=declared(declaration), thresholds=Thresholds(), now=NOW
    )
    (row,) = report["rows"]
    assert row["ok"] is False and problem in row["problems"], row["problems"]
    assert report["failed"] is True
    assert "  cam-1 SD_DISK: " in summary_text(report)


def test_a_full_disk_fails_even_without_a_free_space_threshold():
    (row,) = rows_of({"cam-1": info(disk(free=0), oldest=40)}, min_free_percent=0)
    assert row["problems"] == ["full"]


def test_what_the_declaration_asks_for_is_no_problem_and_an_undeclared_empty_slot_neither():
    unmounted = disk(status="connected", total=0, free=0)
    locked = disk(locked=True)
    for the_disk, declaration in ((unmounted, {"mounted": False}), (locked, {"locked": True})):
        (row,) = build_report({"cam-1": info(the_disk, oldest=40)}, declarations=declared(declaration), now=NOW)["rows"]
        assert row["ok"] is True, row["problems"]
    # nothing declared: a camera without a card is not a fault of the report's to find
    (row,) = rows_of({"cam-1": info(disk(status="disconnected", total=0, free=0))})
    assert row["ok"] is True and row["status"] == "disconnected"


def test_a_declared_disk_the_device_does_not_list_is_a_missing_row():
    report = build_report({"cam-1": info(oldest=40)}, declarations=declared({}, "SD_DISK2"), now=NOW)
    rows = dict((r["disk_id"], r) for r in report["rows"])
    assert rows["SD_DISK"]["ok"] is True
    assert rows["SD_DISK2"]["status"] == "missing" and rows["SD_DISK2"]["ok"] is False
    assert rows["SD_DISK2"]["problems"] == ["missing: declared, but the device lists no disk SD_DISK2"]
    # a declared share that is gone is reported, not left out as an unbound slot
    slot = disk("NetworkShare", total=0, free=0, status="disconnected", filesystem="cifs")
    rows = build_report({"cam-1": info(disk(), slot)}, declarations=declared({}, "NetworkShare"), now=NOW)["rows"]
    assert [(r["disk_id"], r["ok"]) for r in rows] == [("SD_DISK", True), ("NetworkShare", False)]
    # every file renders the new rows
    assert "SD_DISK2" in to_csv(report) and "SD_DISK2" in to_html(report)


def test_an_invalid_declaration_is_that_hosts_failing_row_and_its_disks_are_still_reported():
    results = {"cam-1": info(oldest=40), "cam-2": info(oldest=40), "cam-3": info(oldest=40)}
    report = build_report(
        results,
        declarations={"cam-1": "just a string", "cam-2": {"disks": []}},
        declaration_errors={"cam-3": "axis_storage: 'nope' is undefined"},
        now=NOW,
    )
    rows = [(r["device"], r["disk_id"], r["status"], r["ok"]) for r in report["rows"]]
    assert rows == [
        ("cam-1", None, "invalid declaration", False),
        ("cam-1", "SD_DISK", "OK", True),
        ("cam-2", "SD_DISK", "OK", True),
        ("cam-3", None, "invalid declaration", False),
        ("cam-3", "SD_DISK", "OK", True),
    ]
    assert report["rows"][0]["problems"][0].startswith("invalid declaration: the declaration must be a dictionary")
    assert report["rows"][3]["problems"] == ["invalid declaration: axis_storage: 'nope' is undefined"]
    assert report["failed"] is True and report["summary"]["failing_devices"] == ["cam-1", "cam-3"]


class HostVars(dict):
    """hostvars as the action reads them outside a play: each host's raw variables."""

    def raw_get(self, host):
        return self[host]


def test_the_action_reads_each_hosts_declaration_itself_and_isolates_the_bad_ones(tmp_path):
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    try:
        from ansible.template import trust_as_template
    except ImportError:  # ansible-core before 2.19 templates every string

        def trust_as_template(value):
            return value

    hostvars = HostVars(
        {
            "cam-ok": {"axis_storage": {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 14}]}},
            "cam-string": {"axis_storage": "just a string"},
            "cam-undefined": {"axis_storage": trust_as_template("{{ nope_not_defined }}")},
            "cam-typo": {"axis_storage": {"disk": []}},
            "cam-none": {},
        }
    )
    results = dict((host, info(disk(free=0), oldest=20)) for host in hostvars)
    task = MagicMock()
    task.args = dict(results=results, min_free_percent=0, dest=str(tmp_path / "out"))
    task.async_val = 0
    task.check_mode = False
    task.get_play.side_effect = AttributeError  # no play: the variables come from hostvars
    task._parent = None
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(
        task,
        connection,
        MagicMock(),
        loader=DataLoader(),
        templar=Templar(loader=DataLoader(), variables={}),
        shared_loader_obj=None,
    )
    result = action.run(task_vars={"hostvars": hostvars})
    rows = dict(((r["device"], r["disk_id"]), r) for r in result["report"]["rows"])
    # the good host's declared retention (14 days) is what its oldest recording is held against
    assert rows[("cam-ok", "SD_DISK")]["retention_source"] == "declared"
    assert rows[("cam-ok", "SD_DISK")]["retention"] == "ok" and rows[("cam-none", "SD_DISK")]["retention"] == "short"
    for host, text in (("cam-string", "axis_storage"), ("cam-undefined", "nope_not_defined"), ("cam-typo", "disk")):
        assert rows[(host, None)]["status"] == "invalid declaration", host
        assert text in rows[(host, None)]["problems"][0], rows[(host, None)]["problems"]
        assert rows[(host, "SD_DISK")]["retention_source"] == "device"  # reported without it
    assert sorted(line.split(" ")[0] for line in result["failed_checks"] if "invalid declaration" in line) == [
        "cam-string",
        "cam-typo",
        "cam-undefined",
    ]
    written = json.loads((tmp_path / "out" / "health.json").read_text())
    assert sorted(set(r["device"] for r in written["rows"])) == sorted(hostvars)
