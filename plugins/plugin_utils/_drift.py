# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the check-mode results of a fleet into a drift report: JSON, JUnit XML and a summary.

Every device and resource gets one class:
  compliant     the device matches the declaration
  drift         something differs (the diff says what)
  unverifiable  matches as far as it can be read, but a write-only secret cannot be checked
  unsupported   the device lacks the capability or firmware for the declaration
  unreachable   the device did not answer (or refused the credentials)
  error         anything else that stopped the check (the message says what)
"""

import json
from xml.sax.saxutils import escape, quoteattr

CLASSES = ("compliant", "drift", "unverifiable", "unsupported", "unreachable", "error")
FAILING = ("drift", "unreachable", "error")
UNREACHABLE_KINDS = ("connection", "timeout", "auth")


def classify(resource):
    """The class of one resource entry of the whole-device task's `resources` list."""
    if resource.get("failed"):
        kind = resource.get("error_kind")
        if kind in UNREACHABLE_KINDS:
            return "unreachable"
        if kind == "unsupported":
            return "unsupported"
        if kind in ("refused", "state"):
            # the check found a difference it may only fix with an opt-in (a format, a removal)
            return "drift"
        return "error"
    if resource.get("changed"):
        return "drift"
    if resource.get("unverified"):
        return "unverifiable"
    return "compliant"


def device_entries(host, result):
    """Resource entries for one host, from its registered task result (or None when absent)."""
    if not result:
        return [{"resource": "device", "class": "unreachable", "msg": "no result: the host did not run the check"}]
    if result.get("unreachable"):
        return [{"resource": "device", "class": "unreachable", "msg": result.get("msg", "unreachable")}]
    resources = result.get("resources")
    if resources is None:
        entry = {"resource": "device", "msg": result.get("msg", "")}
        entry.update(result)
        entry["class"] = classify(result)
        return [_trim(entry)]
    entries = []
    for resource in resources:
        entry = _trim(dict(resource))
        entry["class"] = classify(resource)
        entries.append(entry)
    if result.get("failed") and not any(e.get("failed") for e in resources):
        entries.append({"resource": "device", "class": classify(result), "msg": result.get("msg", "")})
    return entries


def _trim(entry):
    keep = ("resource", "class", "msg", "diff", "steps", "unverified", "error_code", "error_kind", "cgi")
    return dict((k, entry[k]) for k in keep if k in entry)


def build_report(results, generated_at):
    """results: {host: registered result}. Returns the JSON-able report."""
    devices = {}
    counts = dict((name, 0) for name in CLASSES)
    for host in sorted(results):
        entries = device_entries(host, results[host])
        for entry in entries:
            counts[entry["class"]] += 1
        worst = _worst([e["class"] for e in entries])
        devices[host] = {"class": worst, "resources": entries}
    device_counts = dict((name, 0) for name in CLASSES)
    for device in devices.values():
        device_counts[device["class"]] += 1
    return {
        "generated_at": generated_at,
        "devices": devices,
        "resource_counts": counts,
        "device_counts": device_counts,
        "failed": any(device["class"] in FAILING for device in devices.values()),
    }


def _worst(classes):
    order = ("error", "unreachable", "drift", "unsupported", "unverifiable", "compliant")
    for name in order:
        if name in classes:
            return name
    return "compliant"


def _describe(entry):
    lines = []
    if entry.get("msg"):
        lines.append(entry["msg"])
    diff = entry.get("diff") or {}
    before, after = diff.get("before") or {}, diff.get("after") or {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            lines.append("%s: %s -> %s" % (key, json.dumps(before.get(key)), json.dumps(after.get(key))))
    for step in entry.get("steps") or []:
        lines.append("would %s: %s" % (step.get("action"), step.get("detail")))
    if entry.get("unverified"):
        lines.append("cannot verify write-only: %s" % ", ".join(entry["unverified"]))
    return "\n".join(lines)


def junit_xml(report):
    """One <testsuite> per device, one <testcase> per device and resource."""
    suites = []
    total = dict(tests=0, failures=0, errors=0, skipped=0)
    for host, device in sorted(report["devices"].items()):
        cases = []
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        for entry in device["resources"]:
            counts["tests"] += 1
            text = escape(_describe(entry))
            cls = entry["class"]
            body = ""
            if cls == "drift":
                counts["failures"] += 1
                body = "<failure type=\"drift\" message=%s>%s</failure>" % (quoteattr("drift"), text)
            elif cls in ("unreachable", "error"):
                counts["errors"] += 1
                body = "<error type=%s message=%s>%s</error>" % (quoteattr(cls), quoteattr(entry.get("msg", cls)[:200]), text)
            elif cls in ("unsupported", "unverifiable"):
                counts["skipped"] += 1
                body = "<skipped message=%s/>" % quoteattr("%s: %s" % (cls, _describe(entry)[:200]))
            cases.append("    <testcase classname=%s name=%s>%s</testcase>"
                         % (quoteattr(host), quoteattr(entry["resource"]), body))
        for key in total:
            total[key] += counts[key]
        suites.append("  <testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n%s\n  </testsuite>"
                      % (quoteattr(host), counts["tests"], counts["failures"], counts["errors"], counts["skipped"],
                         "\n".join(cases)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vapix.edge_storage drift check" tests="%d" '
            'failures="%d" errors="%d" skipped="%d">\n%s\n</testsuites>\n'
            % (total["tests"], total["failures"], total["errors"], total["skipped"], "\n".join(suites)))


def summary_text(report):
    devices = report["devices"]
    lines = ["Drift check of %d device(s): %s" % (
        len(devices), ", ".join("%d %s" % (n, c) for c, n in report["device_counts"].items() if n))]
    for host, device in sorted(devices.items()):
        if device["class"] == "compliant":
            continue
        for entry in device["resources"]:
            if entry["class"] == "compliant":
                continue
            first = _describe(entry).split("\n")
            lines.append("  %s  %-12s %s: %s" % (host, entry["class"], entry["resource"], "; ".join(first)[:300]))
    return "\n".join(lines) + "\n"
