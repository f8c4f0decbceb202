#!/usr/bin/env python3
"""Open the health report's health.html in headless Debian chromium and check what a person sees.

    check_health_html.py REPORT_DIR [--screenshot PNG]

Checks, against REPORT_DIR/health.json:
- the page asks for nothing outside itself (no src/href/url()/@import; its CSP forbids it anyway);
- chromium renders it with no console message at all (script errors and CSP refusals land there);
- its script ran (body data-ready), sorted the table from the URL (#sort=-wear_percent) so the most
  worn disk is first, and the table has one row per report row, every device named;
- the three charts are there with their bars: wear distribution, fill level and retention, the
  last two with one labelled bar per device and disk.
--screenshot also writes a PNG of the page (docs/images/health-report.png is made this way).
Exit status 0 when everything holds, 1 with the failed checks listed otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
TIMEOUT = 90


class Dom(HTMLParser):
    """The bits of the dumped DOM the checks need."""

    def __init__(self):
        super().__init__()
        self.body = {}
        self.table = {}
        self.rows = []  # [(data-device, [cell data-sort...])]
        self.headers = []
        self.charts = {}  # svg id -> {"rects": n, "texts": [..]}
        self._svg = None
        self._in_text = False
        self._row = None
        self._in_tbody = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        elif tag == "table" and a.get("id") == "health-table":
            self.table = a
        elif tag == "th":
            self.headers.append(a.get("data-key"))
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self._row = (a.get("data-device"), [])
            self.rows.append(self._row)
        elif tag == "td" and self._row is not None:
            self._row[1].append(a.get("data-sort"))
        elif tag == "svg":
            self._svg = a.get("id")
            self.charts[self._svg] = {"rects": 0, "texts": []}
        elif tag == "rect" and self._svg and "bar" in (a.get("class") or ""):
            self.charts[self._svg]["rects"] += 1
        elif tag == "text" and self._svg:
            self._in_text = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = None
        elif tag == "text":
            self._in_text = False
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._in_text and self._svg:
            self.charts[self._svg]["texts"].append(data)


def chromium(args, profile):
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--user-data-dir=%s" % profile,
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def static_problems(text):
    problems = []
    for pattern, what in (
        (r"\s(?:src|href)\s*=", "a src/href attribute"),
        (r"url\(", "a CSS url()"),
        (r"@import", "a CSS @import"),
        (r"<link\b", "a <link> element"),
        (r"<iframe\b|<img\b|<object\b|<embed\b", "an embedded resource"),
    ):
        if re.search(pattern, text, re.IGNORECASE):
            problems.append("the page holds %s: it must not load anything" % what)
    if "Content-Security-Policy" not in text or "default-src 'none'" not in text:
        problems.append("the page has no Content-Security-Policy default-src 'none'")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dir", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    html_path = (args.report_dir / "health.html").resolve()
    report = json.loads((args.report_dir / "health.json").read_text(encoding="utf-8"))
    if shutil.which(CHROMIUM) is None:
        print("check_health_html: %s not found (tools/ensure_debian_packages.sh chromium)" % CHROMIUM, file=sys.stderr)
        return 1
    problems = static_problems(html_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="health-chromium-") as profile:
        run = chromium(
            ["--virtual-time-budget=3000", "--dump-dom", html_path.as_uri() + "#sort=-wear_percent"], profile
        )
        if run.returncode != 0 or "<table" not in run.stdout:
            problems.append("chromium --dump-dom failed (exit %s): %s" % (run.returncode, run.stderr[-2000:]))
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        problems.extend("console: %s" % line for line in console)
        dom = Dom()
        dom.feed(run.stdout)
        if dom.body.get("data-ready") != "true":
            problems.append(
                "the page's script did not run to its end (body data-ready=%r)" % dom.body.get("data-ready")
            )
        if dom.table.get("data-sorted") != "wear_percent:descending":
            problems.append(
                "the table was not sorted from #sort=-wear_percent (data-sorted=%r)" % dom.table.get("data-sorted")
            )
        rows = report["rows"]
        if len(dom.rows) != len(rows):
            problems.append("the table has %d rows, the report %d" % (len(dom.rows), len(rows)))
        missing = sorted(set(r["device"] for r in rows) - set(device for device, _cells in dom.rows))
        if missing:
            problems.append("devices missing from the table: %s" % ", ".join(missing))
        if "wear_percent" in dom.headers and dom.rows:
            column = dom.headers.index("wear_percent")
            wear = [float(cells[column]) for _d, cells in dom.rows if cells[column] not in (None, "")]
            if wear and wear != sorted(wear, reverse=True):
                problems.append("wear column not in descending order after sorting: %s" % wear)
        disks = [r for r in rows if r.get("disk_id")]
        for chart, per_disk in (("chart-wear", False), ("chart-fill", True), ("chart-retention", True)):
            found = dom.charts.get(chart)
            if found is None:
                problems.append("chart %s is missing" % chart)
                continue
            if found["rects"] == 0 and any(r.get("wear_percent") is not None for r in disks):
                problems.append("chart %s has no bars" % chart)
            if per_disk:
                labels = " ".join(found["texts"])
                unnamed = [
                    "%s %s" % (r["device"], r["disk_id"])
                    for r in disks
                    if ("%s %s" % (r["device"], r["disk_id"]))[:28] not in labels
                ]
                if unnamed:
                    problems.append("chart %s does not name %s" % (chart, ", ".join(unnamed)))
        if args.screenshot:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            shot = chromium(
                [
                    "--hide-scrollbars",
                    "--window-size=1400,820",
                    "--virtual-time-budget=3000",
                    "--screenshot=%s" % args.screenshot.resolve(),
                    html_path.as_uri(),
                ],
                profile,
            )
            if shot.returncode != 0 or not args.screenshot.exists():
                problems.append("screenshot failed: %s" % shot.stderr[-1000:])
    if problems:
        print("check_health_html: %s:\n  %s" % (html_path, "\n  ".join(problems)), file=sys.stderr)
        return 1
    print(
        "check_health_html: %s renders in chromium: %d rows, 3 charts, no console messages%s"
        % (html_path, len(dom.rows), ", screenshot %s" % args.screenshot if args.screenshot else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
