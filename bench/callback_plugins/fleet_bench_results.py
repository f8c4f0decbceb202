# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-host outcome of a benchmark run, written as JSON for bench/fleet_bench.py.

Keeps only a few numbers per host-task (for the fleet task, per host of its results) (changed/failed, the module's own `seconds` and
`requests`, and its device jobs), so it adds next to nothing to the controller's time and
memory. The output path comes from FLEET_BENCH_RESULTS.
"""

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: fleet_bench_results
type: aggregate
short_description: per-host numbers for bench/fleet_bench.py
description:
  - Writes per-host task counts, module work seconds, requests and device jobs as JSON to the
    file named by the environment variable FLEET_BENCH_RESULTS.
requirements:
  - enabled with ANSIBLE_CALLBACKS_ENABLED
"""

MAX_MESSAGES = 5


def _jobs(result):
    """Device jobs of a per-resource module result or of every entry of an axis_storage result."""
    found = [(j.get("action"), j.get("seconds")) for j in result.get("jobs") or [] if isinstance(j, dict)]
    for entry in result.get("resources") or []:
        if isinstance(entry, dict):
            found.extend((j.get("action"), j.get("seconds")) for j in entry.get("jobs") or [] if isinstance(j, dict))
    return found


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "fleet_bench_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hosts = {}
        self.messages = []

    def _host(self, name):
        if name not in self.hosts:
            self.hosts[name] = {
                "ok": 0,
                "changed": 0,
                "failed": 0,
                "skipped": 0,
                "unreachable": 0,
                "work_seconds": 0.0,
                "requests": 0,
                "jobs": [],
            }
        return self.hosts[name]

    def _record(self, result, status):
        data = result._result
        # A loop's summary result repeats its items' numbers: count the items only.
        if "results" in data and isinstance(data.get("results"), list):
            return
        # The fleet task (axis_storage_fleet) returns every host's own result: count those.
        if isinstance(data.get("results"), dict) and isinstance(data.get("counts"), dict):
            for name, item in data["results"].items():
                if isinstance(item, dict):
                    self._record_data(name, item, "failed" if item.get("failed") else "ok")
            return
        self._record_data(result._host.get_name(), data, status)

    def _record_data(self, name, data, status):
        host = self._host(name)
        host[status] += 1
        if data.get("changed"):
            host["changed"] += 1
        if isinstance(data.get("seconds"), (int, float)):
            host["work_seconds"] += data["seconds"]
        if isinstance(data.get("requests"), int):
            host["requests"] += data["requests"]
        host["jobs"].extend(_jobs(data))
        if status in ("failed", "unreachable") and len(self.messages) < MAX_MESSAGES:
            self.messages.append("%s: %s" % (name, str(data.get("msg"))[:500]))

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("FLEET_BENCH_RESULTS")
        if not path:
            return
        with open(path, "w") as handle:
            json.dump({"hosts": self.hosts, "messages": self.messages}, handle)
