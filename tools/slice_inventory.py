#!/usr/bin/env python3
"""Split a YAML inventory the way AWX / Automation Platform job slicing does.

    slice_inventory.py INVENTORY.yml COUNT OUT_PREFIX

AWX sorts the job's hosts by name and deals them out round-robin: host i (from 0) goes to slice
i mod COUNT. Each slice gets a pared-down copy of the inventory, with every group and variable
kept but only its own hosts; written to OUT_PREFIX<k>.yml for k = 1..COUNT. Prints one line per
slice: the file and its hosts.
"""

from __future__ import annotations

import sys

import yaml


def inventory_hosts(node, found: set) -> set:
    """Every host name in a YAML inventory tree (hosts: mappings at any depth of children:)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "hosts" and isinstance(value, dict):
                found.update(value)
            elif key != "vars":
                inventory_hosts(value, found)
    return found


def pared(node, keep: set):
    """A copy of the tree with only the hosts in `keep`."""
    if not isinstance(node, dict):
        return node
    copy = {}
    for key, value in node.items():
        if key == "hosts" and isinstance(value, dict):
            copy[key] = dict((name, hostvars) for name, hostvars in value.items() if name in keep)
        elif key == "vars":
            copy[key] = value
        else:
            copy[key] = pared(value, keep)
    return copy


def main() -> int:
    if len(sys.argv) != 4 or not sys.argv[2].isdigit() or int(sys.argv[2]) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    source, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(source, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    hosts = sorted(inventory_hosts(inventory, set()))
    for k in range(count):
        share = set(hosts[k::count])
        path = "%s%d.yml" % (prefix, k + 1)
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(pared(inventory, share), handle, default_flow_style=False, sort_keys=False)
        print("%s %s" % (path, " ".join(sorted(share))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
