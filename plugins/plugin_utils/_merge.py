# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merge the JSON reports of the slices of one run into the report of the whole fleet.

AWX / Automation Platform job slicing runs a playbook as several jobs, each on a share of the
inventory; each slice writes the drift or health report of its own devices. Every device of the
fleet is in exactly one slice, so the fleet's report is the union of the slices' devices with
the counts and the verdict worked out again by the same code as a single run (`assemble_report`
in _drift.py and _health.py). A device found in two inputs is an error: the two could disagree,
and picking one would hide it.

An input is a directory holding the report (drift.json, health.json) or the JSON file itself.
The merged report's `generated_at` is the latest of the inputs': when the last slice read its
devices.
"""

import json
import os

from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _drift, _health

# Duplicate devices named in one error before "... (N more)".
SHOWN_DUPLICATES = 10


class MergeError(ValueError):
    """An input that cannot be merged: missing, unreadable, not a report, or overlapping another."""


def input_file(source, file_name):
    """The report file of one input: `source/file_name` for a directory, else `source` itself."""
    return os.path.join(source, file_name) if os.path.isdir(source) else source


def read_report(source, file_name):
    """The parsed JSON report of one input, or MergeError saying what is wrong with it."""
    path = input_file(source, file_name)
    if not os.path.exists(path):
        raise MergeError(
            "%s does not exist (an input is a directory holding %s, or the file itself)" % (path, file_name)
        )
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise MergeError("cannot read %s: %s" % (path, getattr(exc, "strerror", None) or exc)) from exc
    try:
        report = json.loads(text)
    except ValueError as exc:
        raise MergeError("%s is not valid JSON: %s" % (path, exc)) from exc
    if not isinstance(report, dict):
        raise MergeError("%s is not a report: a JSON object was expected, found %s" % (path, type(report).__name__))
    return path, report


def _not_a(kind, path, what):
    return MergeError("%s is not a %s report: %s" % (path, kind, what))


def _check_drift(path, report):
    devices = report.get("devices")
    if not isinstance(devices, dict):
        raise _not_a("drift", path, "no `devices` object")
    if not isinstance(report.get("generated_at"), str):
        raise _not_a("drift", path, "no `generated_at` time")
    for host, device in devices.items():
        resources = device.get("resources") if isinstance(device, dict) else None
        if (
            not isinstance(resources, list)
            or device.get("class") not in _drift.CLASSES
            or not all(isinstance(e, dict) and e.get("class") in _drift.CLASSES for e in resources)
        ):
            raise _not_a(
                "drift",
                path,
                "device %s has no valid `class` and `resources` (classes: %s)" % (host, ", ".join(_drift.CLASSES)),
            )
    recounted = _drift.assemble_report(devices, report["generated_at"])
    for key in ("device_counts", "resource_counts", "failed"):
        if report.get(key) != recounted[key]:
            raise _not_a(
                "drift",
                path,
                "its `%s` does not match its devices (%r, counted %r)" % (key, report.get(key), recounted[key]),
            )


def _check_health(path, report):
    rows = report.get("rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise _not_a("health", path, "no `rows` list")
    if not isinstance(report.get("generated_at"), str):
        raise _not_a("health", path, "no `generated_at` time")
    thresholds = report.get("thresholds")
    if not isinstance(thresholds, dict) or sorted(thresholds) != sorted(_health.Thresholds().as_dict()):
        raise _not_a("health", path, "no `thresholds` (%s)" % ", ".join(sorted(_health.Thresholds().as_dict())))
    for index, row in enumerate(rows):
        if (
            not isinstance(row.get("device"), str)
            or not isinstance(row.get("ok"), bool)
            or not isinstance(row.get("problems"), list)
        ):
            raise _not_a("health", path, "row %d has no `device`, `ok` and `problems`" % index)


def _owners(sources, hosts_of):
    """{host: [path, ...]} over every input; MergeError naming each host found in more than one."""
    owners = {}
    for path, report in sources:
        for host in hosts_of(report):
            owners.setdefault(host, []).append(path)
    duplicates = sorted((host, paths) for host, paths in owners.items() if len(paths) > 1)
    if duplicates:
        named = ["%s in %s" % (host, " and ".join(paths)) for host, paths in duplicates[:SHOWN_DUPLICATES]]
        more = len(duplicates) - SHOWN_DUPLICATES
        raise MergeError(
            "%d device(s) are in more than one input, each must be in exactly one slice: %s%s"
            % (len(duplicates), "; ".join(named), " ... (%d more)" % more if more > 0 else "")
        )
    return owners


def _read_all(inputs, file_name, check):
    if not inputs:
        raise MergeError("inputs is empty: name the report directory (or %s) of every slice" % file_name)
    sources = []
    for source in inputs:
        path, report = read_report(source, file_name)
        check(path, report)
        sources.append((path, report))
    return sources


def merge_drift(inputs):
    """The drift report of the fleet from the drift.json of every slice (directories or files)."""
    sources = _read_all(inputs, "drift.json", _check_drift)
    _owners(sources, lambda report: report["devices"])
    devices = {}
    for _path, report in sources:
        devices.update(report["devices"])
    return _drift.assemble_report(devices, max(report["generated_at"] for _path, report in sources))


def merge_health(inputs):
    """The health report of the fleet from the health.json of every slice (directories or files)."""
    sources = _read_all(inputs, "health.json", _check_health)
    first_path, first = sources[0]
    for path, report in sources[1:]:
        if report["thresholds"] != first["thresholds"]:
            raise MergeError(
                "%s was made with thresholds %s and %s with %s: merge only the slices of one run"
                % (
                    first_path,
                    json.dumps(first["thresholds"], sort_keys=True),
                    path,
                    json.dumps(report["thresholds"], sort_keys=True),
                )
            )
    _owners(sources, lambda report: set(row["device"] for row in report["rows"]))
    rows_of = {}
    for _path, report in sources:
        for row in report["rows"]:
            rows_of.setdefault(row["device"], []).append(row)
    # A single run lists the devices sorted by name, each device's disks in the order it gave them.
    rows = [row for host in sorted(rows_of) for row in rows_of[host]]
    return _health.assemble_report(rows, first["thresholds"], max(report["generated_at"] for _path, report in sources))
