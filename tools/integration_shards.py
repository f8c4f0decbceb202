#!/usr/bin/env python3
"""Check that the integration shards of `make test` hold every target exactly once.

    integration_shards.py --shard "TARGET TARGET ..." --shard "..."

A target missing from every shard would never run (a gate that checks less than it says), one
in two shards would run twice. Targets are the folders of tests/integration/targets, except
the ones ansible-test runs only as another target's dependency (setup_* and prepare_*, and
those whose aliases say `hidden`). Exit status 1 with the differences named.
"""

import argparse
import sys
from pathlib import Path

TARGETS = Path(__file__).resolve().parent.parent / "tests" / "integration" / "targets"


def runnable_targets(root=TARGETS):
    names = set()
    for target in sorted(path for path in root.iterdir() if path.is_dir()):
        if target.name.startswith(("setup_", "prepare_")):
            continue
        aliases = target / "aliases"
        if aliases.is_file() and "hidden" in aliases.read_text().split():
            continue
        names.add(target.name)
    return names


def problems(shards, targets):
    found = []
    seen = {}
    for number, shard in enumerate(shards, 1):
        for name in shard:
            if name in seen:
                found.append(f"{name} is in shard {seen[name]} and shard {number}")
            seen[name] = number
    for name in sorted(targets - set(seen)):
        found.append(f"{name} is in no shard: add it to an INTEGRATION_SHARD_<n> of the Makefile")
    for name in sorted(set(seen) - targets):
        found.append(f"{name} is in shard {seen[name]} but is no target of {TARGETS}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shard", action="append", default=[], help="the targets of one shard, space separated")
    args = parser.parse_args(argv)
    found = problems([shard.split() for shard in args.shard], runnable_targets())
    for line in found:
        print(f"integration_shards: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
