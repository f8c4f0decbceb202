"""Where the tests find real device captures, and what happens when they are not there.

The captures are answers real Axis devices sent, copied byte for byte from public repositories
(their README names each source). They live in the project's shared folder beside the
checkout, `../shared/real-captures/`, and are never copied into the repository. Every test that
reads them, in tools/simulator/tests and in tests/unit (which imports this file from the copy of
tools/simulator/tests in ansible-test's tree), calls `captures_dir()` at module level:

- found: their path;
- missing outside CI: the whole test module is skipped, with a reason saying where captures come
  from, so a plain clone passes `make test`;
- missing with CI=true (or 1/yes): the module fails, because captures that are not read check
  nothing.

Location: $VAPIX_REAL_CAPTURES, else `shared/real-captures` beside the checkout or beside one of
its parent folders (the first found: a git worktree one level deeper still finds the project's
shared folder; ansible-test's tree lies inside the checkout, under build/). ansible-test passes
no environment to the unit tests, so tools/ansible_test.sh writes CI, VAPIX_REAL_CAPTURES and
the checkout's path into the tree it builds, next to this file (SETTINGS), and that file wins.
"""

from __future__ import annotations

import json
import os

import pytest

SETTINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "real_captures.json")
# tools/simulator/tests/real_captures.py -> the checkout (or the collection root in ansible-test's tree)
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ORIGIN = (
    "real device captures come from the project's shared folder, ../shared/real-captures "
    "beside the checkout (answers copied from public repositories, see its README); "
    "set VAPIX_REAL_CAPTURES to point elsewhere"
)


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def beside_the_checkout(checkout: str) -> str:
    """The first `shared/real-captures` in a parent folder of the checkout, nearest first; if none,
    the one the README names (`../shared/real-captures`), for the skip reason."""
    folder = checkout
    while os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
        candidate = os.path.join(folder, "shared", "real-captures")
        if os.path.isdir(candidate):
            return candidate
    return os.path.join(os.path.dirname(checkout), "shared", "real-captures")


def location() -> tuple[str, bool]:
    """(captures path, whether a missing folder fails) for this run."""
    configured, required = os.environ.get("VAPIX_REAL_CAPTURES"), is_true(os.environ.get("CI"))
    checkout = CHECKOUT
    if os.path.isfile(SETTINGS):
        # ansible-test's tree: the checkout it was built from, and that run's CI and captures
        with open(SETTINGS, encoding="utf-8") as handle:
            settings = json.load(handle)
        configured, required, checkout = settings["captures"], bool(settings["required"]), settings["checkout"]
    return os.path.abspath(configured or beside_the_checkout(checkout)), required


def captures_dir() -> str:
    """The captures folder; skips (or, in CI, fails) the calling test module when it is missing."""
    path, required = location()
    if os.path.isdir(path):
        return path
    if required:
        pytest.fail("CI=true requires the real captures, not found at %s: %s" % (path, ORIGIN), pytrace=False)
    pytest.skip("real captures not found at %s: %s" % (path, ORIGIN), allow_module_level=True)
    raise AssertionError("unreachable")  # pytest.skip raises
