# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the check-mode results of a fleet into a drift report: JSON, JUnit XML and a summary.

Every device and resource gets one class:
  compliant     the device matches the declaration
  drift         something differs (the diff says what)
  unverifiable  matches as far as it can be read, but a write-only secret cannot be checked
  unsupported   an Axis device (it accepted the login) lacks the API or firmware for one
                declared resource
  unreachable   the device did not answer (or refused the credentials)
  error         anything else that stopped the check (the message says what), among them a host
                that is no Axis device with edge storage: it never asked for and accepted the
                login (404 to everything: another web server at the address) or has no disk list
                at all; its resources are "not compared", behind one `device` entry
"""

import json
import re
from xml.etree import ElementTree

CLASSES = ("compliant", "drift", "unverifiable", "unsupported", "unreachable", "error")
FAILING = ("drift", "unreachable", "error")
# A job timeout ("timeout") is not here: the device answered, its job did not finish.
UNREACHABLE_KINDS = ("connection", "auth")
# The error kind of a host that is no Axis device with edge storage (NotAStorageDevice).
NOT_A_STORAGE_DEVICE = "device"

# Characters XML 1.0 does not allow, not even escaped (a device text or an ANSI colour code
# in a message would otherwise make the whole JUnit file unparsable).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value):
    return _NOT_XML.sub("\ufffd", "%s" % (value,))


def classify(resource):
    """The class of one resource entry of the whole-device task's `resources` list."""
    if resource.get("skipped"):
        # not compared (the device stopped answering, an earlier failure stopped the run, or
        # the task was skipped): its state is unknown, never compliant
        return "unreachable" if resource.get("error_kind") in UNREACHABLE_KINDS else "error"
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
    if not result or not isinstance(result, dict):
        return [{"resource": "device", "class": "unreachable", "msg": "no result: the host did not run the check"}]
    if result.get("unreachable"):
        return [{"resource": "device", "class": "unreachable", "msg": result.get("msg") or "unreachable"}]
    resources = result.get("resources")
    if resources is None:
        entry = {"resource": "device"}
        entry.update(result)
        entry["msg"] = result.get("msg") or ("the check was skipped" if result.get("skipped") else "")
        entry["class"] = classify(result)
        return [_trim(entry)]
    if not resources and not result.get("failed"):
        # nothing declared: still one test case, so that the device shows up as checked
        return [{"resource": "device", "class": "compliant", "msg": "nothing declared"}]
    entries = []
    for resource in resources:
        entry = _trim(_expanded(resource))
        entry["class"] = classify(resource)
        entries.append(entry)
    if result.get("failed") and not any(e.get("failed") for e in resources):
        entries.append({"resource": "device", "class": classify(result), "msg": result.get("msg") or ""})
    return entries


# The key of a compact compliant resource (compact_result): the state it was compared in, which
# is its diff's `before` and `after` alike.
COMPARED = "compared"
# Keys of a compliant resource entry that the report does not show and a compact result leaves out.
_COMPACTED = frozenset(("resource", "changed", "diff", "state", "steps", "jobs"))
# Top-level keys of a whole-device result that a compact result leaves out: every resource's
# before/after again (`diff`) and the counts `counts` replaces (`summary`).
_COMPACT_DROPS = ("diff", "summary")


def _expanded(resource):
    """A resource entry as the full result has it (a compact one's `compared` state made its diff)."""
    if COMPARED not in resource:
        return dict(resource)
    entry = dict((k, v) for k, v in resource.items() if k != COMPARED)
    entry["diff"] = {"before": resource[COMPARED], "after": resource[COMPARED]}
    return entry


def _compactable(resource):
    """A compliant entry whose report entry is its label and a diff with equal before and after."""
    if classify(resource) != "compliant" or not set(resource) <= _COMPACTED:
        return False
    if _planned_writes(resource.get("steps")) or resource.get("jobs"):
        return False
    diff = resource.get("diff")
    return isinstance(diff, dict) and list(diff) == ["before", "after"] and _same(diff["before"], diff["after"])


def _same(one, other):
    """Equal and written alike: same types and key order (1 == True == 1.0, but not in JSON)."""
    if type(one) is not type(other):
        return False
    if isinstance(one, dict):
        return list(one) == list(other) and all(_same(one[k], other[k]) for k in one)
    if isinstance(one, list):
        return len(one) == len(other) and all(_same(a, b) for a, b in zip(one, other, strict=False))
    return one == other


def compact_result(host, result):
    """One host's drift check result without the detail of its compliant resources.

    Handing every resource's before/after (five copies of each state) back through Ansible is
    most of what a large fleet's drift check costs after its requests (docs/performance.md).
    Compliant resources keep their label and the one state they were compared in (`compared`);
    drifted, failed, unverifiable and every other resource keep their entry as it is. The host
    gets `class` and `counts` (per class) as the drift report counts them, and build_report gives
    the same report from the compact result as from the full one. A result without resources (a
    failure before the check, an unreachable host) is returned as it is.
    """
    if (
        not isinstance(result, dict)
        or not isinstance(result.get("resources"), list)
        or not all(isinstance(r, dict) for r in result["resources"])
    ):
        return result
    classes = [entry["class"] for entry in device_entries(host, result)]
    compact = dict((k, v) for k, v in result.items() if k not in _COMPACT_DROPS)
    compact["class"] = _worst(classes)
    compact["counts"] = dict((name, classes.count(name)) for name in CLASSES if name in classes)
    compact["resources"] = [
        {"resource": r["resource"], COMPARED: r["diff"]["before"]} if _compactable(r) else r
        for r in result["resources"]
    ]
    return compact


def _planned_writes(steps):
    """The steps that change the device: a probe's question (a check mode run skips it) is no drift."""
    return [step for step in steps or [] if not (isinstance(step, dict) and step.get("probe"))]


def _trim(entry):
    keep = ("resource", "class", "msg", "diff", "steps", "unverified", "error_code", "error_kind", "cgi")
    trimmed = dict((k, entry[k]) for k in keep if k in entry)
    if "steps" in trimmed:
        trimmed["steps"] = _planned_writes(trimmed["steps"])
        if not trimmed["steps"]:
            del trimmed["steps"]
    return trimmed


def build_report(results, generated_at):
    """results: {host: registered result}. Returns the JSON-able report."""
    devices = {}
    for host in sorted(results):
        entries = device_entries(host, results[host])
        worst = _worst([e["class"] for e in entries])
        devices[host] = {"class": worst, "resources": entries}
    return assemble_report(devices, generated_at)


def assemble_report(devices, generated_at):
    """The report of classified devices ({host: {"class", "resources"}}): counts and verdict added.

    Shared by build_report and the merge of slice reports (_merge.py), so both count alike.
    """
    counts = dict((name, 0) for name in CLASSES)
    device_counts = dict((name, 0) for name in CLASSES)
    for device in devices.values():
        device_counts[device["class"]] += 1
        for entry in device["resources"]:
            counts[entry["class"]] += 1
    return {
        "generated_at": generated_at,
        "devices": dict((host, devices[host]) for host in sorted(devices)),
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
    diff = entry.get("diff") if isinstance(entry.get("diff"), dict) else {}
    before, after = diff.get("before") or {}, diff.get("after") or {}
    if not (isinstance(before, dict) and isinstance(after, dict)):
        before, after = {"value": before}, {"value": after}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            lines.append(
                "%s: %s -> %s"
                % (
                    key,
                    json.dumps(before.get(key), sort_keys=True, default=str),
                    json.dumps(after.get(key), sort_keys=True, default=str),
                )
            )
    for step in entry.get("steps") or []:
        lines.append("would %s: %s" % (step.get("action"), step.get("detail")))
    if entry.get("unverified"):
        lines.append("cannot verify write-only: %s" % ", ".join(entry["unverified"]))
    return "\n".join(lines)


def junit_xml(report):
    """One <testsuite> per device, one <testcase> per device and resource."""
    root = ElementTree.Element("testsuites", name="vapix.edge_storage drift check")
    total = dict(tests=0, failures=0, errors=0, skipped=0)
    for host, device in sorted(report["devices"].items()):
        suite = ElementTree.SubElement(root, "testsuite", name=_xml_text(host))
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        for entry in device["resources"]:
            counts["tests"] += 1
            case = ElementTree.SubElement(
                suite, "testcase", classname=_xml_text(host), name=_xml_text(entry["resource"])
            )
            cls = entry["class"]
            if cls == "drift":
                counts["failures"] += 1
                outcome = ElementTree.SubElement(case, "failure", type="drift", message="drift")
                outcome.text = _xml_text(_describe(entry))
            elif cls in ("unreachable", "error"):
                counts["errors"] += 1
                outcome = ElementTree.SubElement(
                    case, "error", type=cls, message=_xml_text(entry.get("msg") or cls)[:200]
                )
                outcome.text = _xml_text(_describe(entry))
            elif cls in ("unsupported", "unverifiable"):
                counts["skipped"] += 1
                ElementTree.SubElement(case, "skipped", message=_xml_text("%s: %s" % (cls, _describe(entry)[:200])))
        for key in total:
            total[key] += counts[key]
            suite.set(key, str(counts[key]))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(total[key]))
    if hasattr(ElementTree, "indent"):
        ElementTree.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


# How many host names a summarised group (unverifiable, unsupported) names before "...".
EXAMPLE_HOSTS = 5
# Longest line of the summary; the JSON report has every message in full.
LINE_LIMIT = 300


def _line(text):
    text = text.replace("\n", "; ")
    return text if len(text) <= LINE_LIMIT else text[: LINE_LIMIT - 3] + "..."


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def _hosts(hosts):
    shown = ", ".join(hosts[:EXAMPLE_HOSTS])
    return shown + (", ... (%d more)" % (len(hosts) - EXAMPLE_HOSTS) if len(hosts) > EXAMPLE_HOSTS else "")


def summary_text(report):
    """Counts per class first; every drift, error and unreachable device in full; the rest grouped.

    Stays readable for thousands of devices: a device that cannot be checked for a write-only
    secret, or lacks a capability, is counted in a group with a few example hosts, not listed.
    """
    devices = report["devices"]
    lines = [
        "Drift check of %d device(s): %s"
        % (
            len(devices),
            ", ".join("%d %s" % (n, c) for c, n in report["device_counts"].items() if n) or "nothing to check",
        )
    ]
    if any(n for c, n in report["resource_counts"].items() if c != "compliant"):
        lines.append("Resources: %s" % ", ".join("%d %s" % (n, c) for c, n in report["resource_counts"].items() if n))
    for cls, title in (("drift", "Drift"), ("error", "Errors"), ("unreachable", "Unreachable")):
        hosts = [
            host
            for host, device in sorted(devices.items())
            if any(entry["class"] == cls for entry in device["resources"])
        ]
        if not hosts:
            continue
        lines.append("%s (%s):" % (title, _plural(len(hosts), "device")))
        for host in hosts:
            entries = [entry for entry in devices[host]["resources"] if entry["class"] == cls]
            if cls == "unreachable":
                # one line: every resource would only repeat that the device did not answer
                lines.append(_line("  %s  %s" % (host, entries[0].get("msg", ""))))
                continue
            whole = [e for e in entries if e["resource"] == "device" and e.get("error_kind") == NOT_A_STORAGE_DEVICE]
            if whole:
                # the host is no storage device: its resources would only repeat "not compared"
                lines.append(_line("  %s  device: %s" % (host, whole[0].get("msg", ""))))
                if len(entries) > 1:
                    lines.append("      (%s not compared)" % _plural(len(entries) - 1, "declared resource"))
                continue
            for entry in entries:
                described = _describe(entry).split("\n")
                lines.append(_line("  %s  %s: %s" % (host, entry["resource"], described[0])))
                lines.extend(_line("      %s" % more) for more in described[1:])
    groups = {}
    for host, device in sorted(devices.items()):
        for entry in device["resources"]:
            if entry["class"] == "unverifiable":
                key = ("unverifiable", "%s: %s" % (_kind(entry["resource"]), ", ".join(entry.get("unverified") or [])))
            elif entry["class"] == "unsupported":
                key = ("unsupported", "%s: %s" % (_kind(entry["resource"]), entry.get("msg") or "unsupported"))
            else:
                continue
            hosts = groups.setdefault(key, [])
            if not hosts or hosts[-1] != host:
                hosts.append(host)
    for cls, title in (
        ("unsupported", "Unsupported (not checked)"),
        ("unverifiable", "Unverifiable (write-only, cannot be read back)"),
    ):
        found = sorted((what, hosts) for (kind, what), hosts in groups.items() if kind == cls)
        if not found:
            continue
        lines.append("%s:" % title)
        for what, hosts in found:
            lines.append(_line("  %s on %s: %s" % (what, _plural(len(hosts), "device"), _hosts(hosts))))
    return "\n".join(lines) + "\n"


def _kind(label):
    """`network_share nas` -> `network_share`: groups the same kind of resource across devices."""
    return label.split(" ", 1)[0]
