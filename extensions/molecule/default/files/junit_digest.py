#!/usr/bin/env python3
"""Check that a JUnit XML file is well formed and consistent; print a JSON digest of it.

    junit_digest.py FILE

Exits 1 with a message on stderr when the file does not parse, has no <testsuites> root, a
test case lacks its classname or name, or a count attribute (tests, failures, errors, skipped)
of a suite or of the root disagrees with the test cases it holds. Otherwise prints
{"totals": {...}, "suites": {name: {...}}, "cases": [{"suite", "classname", "name", "outcome",
"text"}]}, outcome being passed, failure, error or skipped and text the outcome element's text.
"""

import json
import sys
import xml.etree.ElementTree as ElementTree

COUNTS = ("tests", "failures", "errors", "skipped")
OUTCOMES = {"failure": "failures", "error": "errors", "skipped": "skipped"}


class Malformed(Exception):
    pass


def outcome(case):
    """(outcome, text) of a test case."""
    found = [child for child in case if child.tag in OUTCOMES]
    if len(found) > 1:
        raise Malformed(
            "test case %s/%s has several outcomes: %s"
            % (case.get("classname"), case.get("name"), ", ".join(c.tag for c in found))
        )
    if not found:
        return "passed", ""
    return found[0].tag, found[0].text or found[0].get("message") or ""


def declared_counts(element, where):
    try:
        return {key: int(element.get(key, "")) for key in COUNTS}
    except ValueError:
        raise Malformed("%s lacks a numeric tests/failures/errors/skipped attribute" % where) from None


def digest(root):
    if root.tag != "testsuites":
        raise Malformed("the root element is <%s>, not <testsuites>" % root.tag)
    suites, cases = {}, []
    totals = dict.fromkeys(COUNTS, 0)
    for suite in root.findall("testsuite"):
        name = suite.get("name")
        if not name or name in suites:
            raise Malformed("a test suite has no name or a duplicate one: %r" % name)
        counted = dict.fromkeys(COUNTS, 0)
        for case in suite.findall("testcase"):
            if not case.get("classname") or not case.get("name"):
                raise Malformed("a test case in suite %s lacks its classname or name" % name)
            result, text = outcome(case)
            counted["tests"] += 1
            if result in OUTCOMES:
                counted[OUTCOMES[result]] += 1
            cases.append(
                {
                    "suite": name,
                    "classname": case.get("classname"),
                    "name": case.get("name"),
                    "outcome": result,
                    "text": text,
                }
            )
        if declared_counts(suite, "suite %s" % name) != counted:
            raise Malformed("suite %s declares %s but holds %s" % (name, declared_counts(suite, name), counted))
        suites[name] = counted
        for key in COUNTS:
            totals[key] += counted[key]
    if declared_counts(root, "<testsuites>") != totals:
        raise Malformed("<testsuites> declares %s but holds %s" % (declared_counts(root, "root"), totals))
    return {"totals": totals, "suites": suites, "cases": cases}


def main(argv):
    if len(argv) != 2:
        print("usage: junit_digest.py FILE", file=sys.stderr)
        return 2
    try:
        root = ElementTree.parse(argv[1]).getroot()
        print(json.dumps(digest(root), sort_keys=True))
    except (OSError, ElementTree.ParseError, Malformed) as exc:
        print("junit_digest: %s: %s" % (argv[1], exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
