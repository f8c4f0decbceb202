#!/usr/bin/env python3
"""Mirror the checkout into build/ansible_collections/vapix/edge_storage for ansible-test.

ansible-test only works on a collection that sits at .../ansible_collections/<ns>/<name>/, and
a symlinked root does not do (it resolves the working directory). So the tree is a copy,
synchronised on every run: changed files are copied, removed files are deleted, and the
ansible-test output directory (tests/output) survives.

What goes in: exactly what `ansible-galaxy collection build` would ship (galaxy.yml's
build_ignore plus ansible-galaxy's built-in ignores), plus galaxy.yml itself. With
--with-integration-config the generated tests/integration/integration_config.yml (written by
tools/sim_fleet.py for running fleets) is added. With --with-simulator the simulator's
source (tools/simulator/src/vapix_sim) and test helpers (tools/simulator/tests/*.py except tests and
conftest) are added too, so unit tests can start devices in-process; the sanity gate runs on
a tree without them (see docs/development.md).

Usage: build_collection_tree.py [--with-simulator] [--with-integration-config] [--dest DIR]
(prints the tree's path)

Kept instead of antsibull-nox's tree preparation, which copies every git-tracked file: this
repository also holds the simulator, the benchmark and the tooling, which must stay out of the
sanity tree (see docs/development.md, "Why not antsibull-nox for every session").
"""

from __future__ import annotations

import argparse
import filecmp
import fnmatch
import os
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO / "build"

# ansible-galaxy always leaves these out (ansible/galaxy/collection/__init__.py).
GALAXY_IGNORED_DIR_NAMES = {"CVS", ".bzr", ".hg", ".git", ".svn", "__pycache__", ".tox"}
GALAXY_IGNORED_PATTERNS = ["MANIFEST.json", "FILES.json", ".git", "*.pyc", "*.retry", "tests/output"]

# Files the tree needs although the tarball does not carry them.
ALWAYS_KEEP = {"galaxy.yml"}
INTEGRATION_CONFIG = "tests/integration/integration_config.yml"
SIMULATOR_SOURCE = "tools/simulator/src/vapix_sim"
SIMULATOR_TEST_HELPERS = "tools/simulator/tests"
# Never touched by the sync: ansible-test's own output inside the tree.
PRESERVED_IN_DEST = ("tests/output",)


def galaxy_metadata() -> dict:
    with open(REPO / "galaxy.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def ignore_patterns(meta: dict) -> list[str]:
    patterns = list(GALAXY_IGNORED_PATTERNS)
    patterns.append(f"{meta['namespace']}-{meta['name']}-*.tar.gz")
    patterns.extend(meta.get("build_ignore") or [])
    return patterns


def is_ignored(rel_path: str, patterns: list[str]) -> bool:
    if rel_path in ALWAYS_KEEP:
        return False
    return any(fnmatch.fnmatch(rel_path, pattern) for pattern in patterns)


def wanted_files(patterns: list[str], with_simulator: bool, with_integration_config: bool) -> set[str]:
    """Relative paths of the files the tree must hold, walked like ansible-galaxy walks."""
    wanted: set[str] = set()
    for root, dir_names, file_names in os.walk(REPO):
        rel_root = os.path.relpath(root, REPO)
        rel_root = "" if rel_root == "." else rel_root
        dir_names[:] = sorted(
            name
            for name in dir_names
            if name not in GALAXY_IGNORED_DIR_NAMES and not is_ignored(os.path.join(rel_root, name), patterns)
        )
        for name in file_names:
            rel_path = os.path.join(rel_root, name)
            if not is_ignored(rel_path, patterns):
                wanted.add(rel_path)
    if with_integration_config:
        if not (REPO / INTEGRATION_CONFIG).is_file():
            sys.exit(f"build_collection_tree: {INTEGRATION_CONFIG} is missing (tools/sim_fleet.py writes it)")
        wanted.add(INTEGRATION_CONFIG)
    if with_simulator:
        source = REPO / SIMULATOR_SOURCE
        if not source.is_dir():
            sys.exit(f"build_collection_tree: {source} is missing")
        for path in source.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                wanted.add(str(path.relative_to(REPO)))
        # The simulator's test helpers (fleet_fixtures.py: a fleet in a background thread),
        # not its tests or conftest: unit tests of the client reuse them.
        for path in (REPO / SIMULATOR_TEST_HELPERS).glob("*.py"):
            if not path.name.startswith("test_") and path.name != "conftest.py":
                wanted.add(str(path.relative_to(REPO)))
    return wanted


def preserved(rel_path: str) -> bool:
    return any(rel_path == keep or rel_path.startswith(keep + os.sep) for keep in PRESERVED_IN_DEST)


def sync(wanted: set[str], tree: Path, sources: dict[str, Path] | None = None) -> tuple[int, int]:
    """Make the tree hold exactly `wanted`, each from the checkout (or from sources[rel_path])."""
    copied = removed = 0
    sources = sources or {}
    for rel_path in sorted(wanted):
        source, target = sources.get(rel_path, REPO / rel_path), tree / rel_path
        if target.is_file() and not target.is_symlink() and filecmp.cmp(source, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        shutil.copy2(source, target)
        copied += 1
    # Remove what the checkout no longer has (deleted files, a simulator from an earlier run).
    for root, dir_names, file_names in os.walk(tree, topdown=False):
        rel_root = os.path.relpath(root, tree)
        rel_root = "" if rel_root == "." else rel_root
        if preserved(rel_root):
            continue
        for name in file_names:
            rel_path = os.path.join(rel_root, name)
            if rel_path not in wanted and not preserved(rel_path):
                os.unlink(os.path.join(root, name))
                removed += 1
        for name in dir_names:
            path = os.path.join(root, name)
            if not preserved(os.path.join(rel_root, name)) and not os.path.islink(path) and not os.listdir(path):
                os.rmdir(path)
    return copied, removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help="directory that will hold ansible_collections/ (default: build/)",
    )
    parser.add_argument(
        "--with-simulator",
        action="store_true",
        help=f"also copy {SIMULATOR_SOURCE} and the helpers in {SIMULATOR_TEST_HELPERS} (unit tests import them)",
    )
    parser.add_argument(
        "--with-integration-config", action="store_true", help=f"also copy the generated {INTEGRATION_CONFIG}"
    )
    parser.add_argument(
        "--integration-config",
        type=Path,
        help=f"copy this file as {INTEGRATION_CONFIG} (one integration shard's fleets; sim_fleet.py --config)",
    )
    args = parser.parse_args()
    sources = {}
    if args.integration_config:
        if not args.integration_config.is_file():
            sys.exit(f"build_collection_tree: {args.integration_config} is missing (tools/sim_fleet.py writes it)")
        sources[INTEGRATION_CONFIG] = args.integration_config.resolve()

    meta = galaxy_metadata()
    patterns = ignore_patterns(meta)
    tree = args.dest.resolve() / "ansible_collections" / meta["namespace"] / meta["name"]
    if REPO in tree.parents and not is_ignored(tree.relative_to(REPO).parts[0], patterns):
        # A tree inside collection content would be copied into itself on the next run.
        sys.exit(f"build_collection_tree: refusing to build into {tree} (not in build_ignore)")
    tree.mkdir(parents=True, exist_ok=True)
    wanted = wanted_files(patterns, args.with_simulator, args.with_integration_config and not sources)
    wanted.update(sources)
    copied, removed = sync(wanted, tree, sources)
    print(f"build_collection_tree: {tree} ({copied} copied, {removed} removed)", file=sys.stderr)
    print(tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
