#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_storage_fleet
short_description: Drift-check or read the edge storage of every device of the play in one task
version_added: 0.1.0
description:
  - One task, run once for the play on the controller, that does for every host what the task of
    the role C(vapix.edge_storage.storage) would do in check mode with diff (O(mode=drift)), or what M(vapix.edge_storage.axis_storage_info)
    would return (O(mode=info)), for all devices at once in a bounded pool of threads, spread over
    a few forked worker processes on a controller with several cores (O(processes)).
  - Each host's connection variables (C(axis_host), C(axis_port), C(axis_username),
    C(axis_password), C(axis_use_https), C(axis_validate_certs), C(axis_ca_path), C(axis_timeout),
    C(axis_job_timeout)), its declaration (O(declaration_var)) and the switches
    C(axis_storage_allow_data_loss) and C(axis_storage_purge) are read from that host's variables
    in the play's context and templated for that host, vaulted values included, as the role's task
    would see them. A variable that is not set is left to the module's default and its C(AXIS_*)
    environment fallback, as the role leaves it.
  - Every declaration is validated with the argument spec of M(vapix.edge_storage.axis_storage)
    before that device is contacted; an invalid one makes that host's result failed with the
    validation message, and the device is not contacted.
  - The same code as M(vapix.edge_storage.axis_storage) and M(vapix.edge_storage.axis_storage_info)
    does the work, so every host's entry in RV(results) is the result its own task would have
    registered. A device that is slow, fails or does not answer costs its own timeout only.
  - Nothing is ever written, O(mode=drift) always runs in check mode. Converging stays a task per
    host (the role, C(playbooks/rollout.yml)).
  - Progress (devices done of the total, failures so far) is shown while the task runs.
  - This is an action plugin that runs on the controller only, whatever the hosts' connection;
    devices reached only through a jump host need the role's task per host instead.
author:
  - Edge Storage Team (@vapix-edge-storage)
extends_documentation_fragment:
  - vapix.edge_storage.attributes
attributes:
  check_mode:
    support: full
    details: O(mode=drift) runs in check mode whether or not the task does; O(mode=info) only reads.
  diff_mode:
    support: full
    details: O(mode=drift) always returns each host's diff.
  idempotent:
    support: full
  action:
    support: full
    description: Indicates this has a corresponding action plugin.
options:
  hosts:
    description:
      - Inventory host names to check. Defaults to the hosts of the play (C(ansible_play_hosts)).
    type: list
    elements: str
  mode:
    description:
      - V(drift) compares each device with its declaration (the role's task in check mode with diff).
      - V(info) reads each device's storage information (M(vapix.edge_storage.axis_storage_info)
        with its defaults).
    type: str
    choices: [drift, info]
    default: drift
  concurrency:
    description:
      - Devices talked to at the same time. The work is waiting for HTTP answers, so a few threads
        per core keep a small controller busy; each device keeps one connection open.
    type: int
    default: 16
  processes:
    description:
      - Worker processes the hosts are dealt out to, each a fork of the task's own process with its
        share of O(concurrency). The work per device (templating its variables, the module code,
        the HTTP client) needs CPU, and one Python process uses one core.
      - Default is one per CPU core, at most 4, and at most one per 50 hosts (a small fleet runs in
        the task's own process).
      - A worker that ends unexpectedly fails the hosts it had not reported, and only those.
    type: int
  declaration_var:
    description: Name of the host variable that holds the declaration.
    type: str
    default: axis_storage
  progress_seconds:
    description:
      - Show progress at least this often (and every tenth of the fleet) while the task runs.
    type: float
    default: 10.0
  results:
    description:
      - For O(mode=drift), how much of each host's result to return.
      - V(compact) leaves out the detail of the resources that are compliant; most of a converged
        fleet's results are that detail, and handing it back through Ansible costs more than the
        check itself for thousands of devices. A compliant resource's entry in C(resources) is its
        label (C(resource)) and the state it was compared in (C(compared), its diff's C(before) and
        C(after) alike); drifted, failed, unverifiable and unsupported resources keep their whole
        entry. Each host's result also has C(class), the drift report's class of the device, and
        C(counts), its resources per class, and no C(diff) or C(summary) (the entries have them).
        M(vapix.edge_storage.axis_drift_report) writes the same report from either.
      - V(full) returns every host's result as its own task would have registered it.
      - O(mode=info) always returns the whole results.
    type: str
    choices: [compact, full]
    default: compact
notes:
  - Use it with C(run_once=true). Each host's result can be made that host's variable with a play
    variable such as C(axis_storage_result) (see C(playbooks/drift_check.yml)), which costs no task
    per host.
seealso:
  - module: vapix.edge_storage.axis_storage
  - module: vapix.edge_storage.axis_storage_info
  - module: vapix.edge_storage.axis_drift_report
"""

EXAMPLES = r"""
- name: Drift check of every device of the play
  vapix.edge_storage.axis_storage_fleet:
    mode: drift
  register: fleet
  run_once: true

- name: Write the drift report from the fleet's results
  vapix.edge_storage.axis_drift_report:
    results: "{{ fleet.results }}"
    json_path: reports/drift.json
  run_once: true

- name: Storage information of every camera, eight at a time
  vapix.edge_storage.axis_storage_fleet:
    mode: info
    hosts: "{{ groups['cameras'] }}"
    concurrency: 8
  register: fleet_info
  run_once: true
"""

RETURN = r"""
results:
  description:
    - Per inventory host name, the result that host's own task would have registered (with
      O(results=compact), the default, without the detail of compliant resources).
    - For O(mode=drift) the result of M(vapix.edge_storage.axis_storage) in check mode with diff
      (C(changed), C(diff), C(steps), C(resources), C(summary) ...), for O(mode=info) that of
      M(vapix.edge_storage.axis_storage_info). A host that failed has C(failed=true) and C(msg).
    - As Ansible registers a task's result, there is no C(invocation). Each host's secrets are
      masked in its result as in the module's own result.
  returned: always
  type: dict
counts:
  description: Numbers of hosts, in all and by outcome.
  returned: always
  type: dict
  contains:
    hosts:
      description: Hosts checked.
      type: int
    ok:
      description: Hosts whose task did not fail.
      type: int
    failed:
      description: Hosts whose task failed (invalid declaration, unreachable, device error).
      type: int
    changed:
      description: Hosts whose task reported a change (in O(mode=drift), the devices that drifted).
      type: int
mode:
  description: The mode the task ran in.
  returned: always
  type: str
"""
