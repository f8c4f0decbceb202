#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_drift_report
short_description: Write a fleet's drift report (JSON, JUnit XML, summary) from check-mode results
version_added: 0.1.0
description:
  - Classifies, for every device and every declared resource, the check-mode result of
    M(vapix.edge_storage.axis_storage) as V(compliant), V(drift), V(unverifiable) (a write-only
    secret such as a share password cannot be read back), V(unsupported) (missing capability or
    firmware), V(unreachable) or V(error).
  - Writes a JSON report, a JUnit XML report (one test suite per device, one test case per
    device and resource) and a short human summary. Used by C(playbooks/drift_check.yml).
  - With O(inputs) instead of O(results) it merges the JSON reports of the slices of one run (AWX
    or Automation Platform job slicing, each slice reporting its own devices) into the report of
    the whole fleet, equal to what one run over every device writes (the C(generated_at) time is
    the latest slice's). Used by C(playbooks/merge_reports.yml).
  - This is an action plugin that runs on the controller only; it sends nothing to any device.
attributes:
  diff_mode:
    support: none
  check_mode:
    details: The reports are written in check mode too, since a drift check runs in check mode.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  results:
    description:
      - Registered results of the drift task, keyed by inventory host name.
      - Exactly one of O(results) and O(inputs) is required.
    type: dict
  inputs:
    description:
      - The drift reports of the slices to merge, each a directory holding C(drift.json) (the slice's
        C(axis_drift_report_dir)) or the JSON report file itself.
      - Each device must be in exactly one input; a device found in two fails the task naming the
        device and both files. A missing, unreadable or invalid file fails it too.
      - Exactly one of O(results) and O(inputs) is required.
    type: list
    elements: path
  json_path:
    description: Where to write the JSON report.
    type: path
  junit_path:
    description: Where to write the JUnit XML report.
    type: path
  summary_path:
    description: Where to write the human summary.
    type: path
extends_documentation_fragment:
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.ACTION
"""

EXAMPLES = r"""
- name: Write the drift report of the whole inventory
  vapix.edge_storage.axis_drift_report:
    results: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'axis_storage_result'))) }}"
    json_path: reports/drift.json
    junit_path: reports/drift.xml
    summary_path: reports/drift.txt
  run_once: true

- name: Merge the drift reports of three slices into the fleet's report
  vapix.edge_storage.axis_drift_report:
    inputs: [reports/slice-1, reports/slice-2, reports/slice-3]
    json_path: reports/fleet/drift.json
    junit_path: reports/fleet/drift.xml
    summary_path: reports/fleet/drift.txt
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
drifted:
  description: Whether any device drifted, was unreachable or failed the check.
  returned: always
  type: bool
summary:
  description: The human summary.
  returned: always
  type: str
device_counts:
  description: Number of devices per class.
  returned: always
  type: dict
resource_counts:
  description: Number of resources per class.
  returned: always
  type: dict
report:
  description: The whole report, as written to O(json_path).
  returned: always
  type: dict
files:
  description: The files written.
  returned: always
  type: list
  elements: str
"""
