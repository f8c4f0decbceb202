#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_health_report
short_description: Write a fleet's storage health report (JSON, CSV, HTML) from axis_storage_info results
version_added: 0.1.0
description:
  - One row per device and disk - status, wear, temperature, total, used and free space, full,
    file system, encryption, cleanup policy and maximum age, storage limit, and the age of the
    oldest recording against the declared retention.
  - Writes C(health.json), C(health.csv) (one row per device and disk, the device in a column) and
    C(health.html), one self-contained page (inline CSS and SVG charts, a small inline script for
    sorting, a Content-Security-Policy that blocks every request outside the file). Used by
    C(playbooks/health_report.yml).
  - A row fails when the disk's wear is at or over O(max_wear), its free space is under
    O(min_free_percent), its retention is short, its status needs a person (V(failed),
    V(no passphrase), V(wrong passphrase), V(not encrypted)), or it cannot record - a declared
    disk that the device does not list (status V(missing)), that is V(disconnected) or not mounted
    (unless declared C(mounted=false)), or any disk that is read-only, locked (unless declared
    C(locked=true)) or full.
  - A device fails with a row of its own when it gave no result - status V(unreachable) (no answer,
    refused credentials, no result at all) or V(error) (it answered and failed; for example a host
    that is no Axis device with edge storage) - and a host whose declaration is invalid gets a row
    with status V(invalid declaration) while its disks are reported without the declaration.
    RV(failed_checks) lists them; the playbook fails the run on them.
  - With O(inputs) instead of O(results) it merges the C(health.json) reports of the slices of one
    run (AWX or Automation Platform job slicing, each slice reporting its own devices) into the
    report of the whole fleet, equal to what one run over every device writes (the C(generated_at)
    time is the latest slice's). Used by C(playbooks/merge_reports.yml).
  - This is an action plugin that runs on the controller only; it sends nothing to any device.
attributes:
  diff_mode:
    support: none
  check_mode:
    details: The report is written in check mode too; it only reads results.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  results:
    description:
      - Results of M(vapix.edge_storage.axis_storage_info) (or their C(storage_info)), keyed by
        inventory host name. Gather V(recordings) too for the retention (C(gather_subset=[all, recordings])).
      - A host whose value is missing, failed or unreachable is reported as a failing row.
      - Exactly one of O(results) and O(inputs) is required.
    type: dict
  inputs:
    description:
      - The health reports of the slices to merge, each a directory holding C(health.json) (the
        slice's C(axis_health_report_dir)) or the JSON report file itself.
      - Each device must be in exactly one input; a device found in two fails the task naming the
        device and both files. A missing, unreadable or invalid file fails it too, and so do inputs
        made with different thresholds.
      - The merged report keeps the thresholds and verdicts of its inputs, so O(declarations),
        O(max_wear), O(min_free_percent) and O(retention_strict) cannot be given with it.
      - Exactly one of O(results) and O(inputs) is required.
    type: list
    elements: path
  declarations:
    description:
      - The C(axis_storage) declaration of each host, keyed by inventory host name. A disk's declared
        C(cleanup_max_age) is the retention its oldest recording is compared with; without one the
        device's own maximum age is used. Declared disks are expected to be there and mounted.
      - When not given, each host of O(results) has its O(declaration_var) read from the inventory,
        templated in the play's context as its own task would see it and validated as the role
        validates it. A host whose declaration cannot be templated (an undefined variable) or is
        invalid gets a failing row; every other host is reported. A host the inventory does not
        have is reported without a declaration.
    type: dict
  declaration_var:
    description: The host variable that holds the declaration, when O(declarations) is not given.
    type: str
    default: axis_storage
  max_wear:
    description: Wear, in percent, at or over which a disk fails the report.
    type: int
    default: 80
  min_free_percent:
    description: Free space, in percent of the disk, under which a disk fails the report.
    type: float
    default: 10
  retention_strict:
    description:
      - Also fail a disk whose oldest recording is younger than the retention while it still has room
        (reported as V(filling), usually a camera that started recording recently).
      - Without it only a shortfall under space pressure (full, at its storage limit, low free space)
        fails; that is when fifo deletes video before the policy says.
    type: bool
    default: false
  dest:
    description:
      - Directory for C(health.json), C(health.csv) and C(health.html); created when missing. Nothing
        is written without it.
    type: path
extends_documentation_fragment:
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.ACTION
"""

EXAMPLES = r"""
- name: Read every device
  vapix.edge_storage.axis_storage_info:
    host: "{{ axis_host }}"
    username: "{{ axis_username }}"
    password: "{{ axis_password }}"
    gather_subset: [all, recordings]
  register: axis_health_info

- name: Write the health report of the whole inventory
  vapix.edge_storage.axis_health_report:
    results: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'axis_health_info'))) }}"
    max_wear: 80
    min_free_percent: 10
    dest: reports/health
  run_once: true
  delegate_to: localhost

- name: Merge the health reports of three slices into the fleet's report
  vapix.edge_storage.axis_health_report:
    inputs: [reports/slice-1, reports/slice-2, reports/slice-3]
    dest: reports/fleet
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
failed_checks:
  description: One line per failing device and disk, saying what failed.
  returned: always
  type: list
  elements: str
  sample: ["cam-0002 SD_DISK: wear 93% >= 80%"]
summary:
  description: The human summary (first line, then the failing rows).
  returned: always
  type: str
report:
  description: The whole report, as written to C(health.json) (C(rows), C(summary), C(thresholds), C(generated_at)).
  returned: always
  type: dict
files:
  description: The files written.
  returned: always
  type: list
  elements: str
"""
