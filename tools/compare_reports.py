#!/usr/bin/env python3
"""Compare the reports of one run over a fleet with the merged reports of its slices.

    compare_reports.py drift SINGLE_DIR MERGED_DIR    # drift.json, drift.xml, drift.txt
    compare_reports.py health SINGLE_DIR MERGED_DIR   # health.json, health.csv, health.html

Equal means equal apart from timestamps and durations: `generated_at` (and the time shown in
health.html), and each disk's `oldest_recording_age_days`, the age of its oldest recording at
the moment the report was made, which may differ by a rounding step (0.01 day) between runs made
seconds apart; it must agree within 0.02 day. Everything else must be identical. Prints one line
per file; exits 1 with a diff on the first difference.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sys
from pathlib import Path

AGE = "oldest_recording_age_days"
AGE_TOLERANCE = 0.02
# health.html shows generated_at in its title and its first line.
HTML_TIME = re.compile(r"(Edge storage health |Generated )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def fail(name: str, single: str, merged: str) -> None:
    diff = difflib.unified_diff(
        single.splitlines(), merged.splitlines(), "single/" + name, "merged/" + name, lineterm="", n=2
    )
    print("compare_reports: %s differs:\n%s" % (name, "\n".join(list(diff)[:60])), file=sys.stderr)
    sys.exit(1)


def same(name: str, single, merged) -> None:
    if single != merged:
        fail(name, json.dumps(single, indent=1, sort_keys=True), json.dumps(merged, indent=1, sort_keys=True))
    print("compare_reports: %s equal" % name)


def ages_agree(name: str, single: list, merged: list) -> bool:
    """Checks the ages within the tolerance; True when they are identical."""
    if len(single) != len(merged) or any(
        (a is None) != (b is None) or (a is not None and abs(a - b) > AGE_TOLERANCE)
        for a, b in zip(single, merged, strict=True)
    ):
        fail(name + " (" + AGE + ")", json.dumps(single), json.dumps(merged))
    return single == merged


def compare_drift(single: Path, merged: Path) -> None:
    reports = [json.loads((folder / "drift.json").read_text()) for folder in (single, merged)]
    for report in reports:
        report.pop("generated_at")
    same("drift.json (generated_at aside)", *reports)
    for name in ("drift.xml", "drift.txt"):
        texts = [(folder / name).read_text() for folder in (single, merged)]
        if texts[0] != texts[1]:
            fail(name, *texts)
        print("compare_reports: %s equal" % name)


def compare_health(single: Path, merged: Path) -> None:
    reports = [json.loads((folder / "health.json").read_text()) for folder in (single, merged)]
    ages = [[row.pop(AGE, None) for row in report["rows"]] for report in reports]
    identical_ages = ages_agree("health.json", *ages)
    for report in reports:
        report.pop("generated_at")
    same("health.json (generated_at and %s aside)" % AGE, *reports)

    tables = [list(csv.DictReader(io.StringIO((folder / "health.csv").read_text()))) for folder in (single, merged)]
    ages_agree("health.csv", *[[float(row.pop(AGE)) if row[AGE] else None for row in table] for table in tables])
    same("health.csv (%s aside)" % AGE, *tables)

    pages = [HTML_TIME.sub(r"\1<time>", (folder / "health.html").read_text()) for folder in (single, merged)]
    if identical_ages:
        if pages[0] != pages[1]:
            fail("health.html", *pages)
        print("compare_reports: health.html equal (generated time aside)")
    else:
        # The ages drew the charts and the table: check the merged page is the collection's own
        # rendering of the merged report instead.
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "build"))
        from ansible_collections.vapix.edge_storage.plugins.plugin_utils._health import to_html

        rendered = to_html(json.loads((merged / "health.json").read_text()))
        if rendered != (merged / "health.html").read_text():
            fail("health.html", rendered, (merged / "health.html").read_text())
        print("compare_reports: health.html is the rendering of the merged health.json (ages moved on between runs)")


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[1] not in ("drift", "health"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, single, merged = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    (compare_drift if kind == "drift" else compare_health)(single, merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
