# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import os

from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._args import ControllerAction
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import (
    HostResolver,
    RoleValidation,
    declaration_lists,
    host_declaration,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._health import (
    Thresholds,
    build_report,
    summary_text,
    to_csv,
    to_html,
    to_json,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._merge import MergeError, merge_health
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._role_source import storage_role

# Options that shape a report built from results; merged slice reports already carry theirs.
BUILD_OPTIONS = ("declarations", "declaration_var", "max_wear", "min_free_percent", "retention_strict")


class ActionModule(ControllerAction):
    """Writes the health report on the controller; never touches a device."""

    argument_spec = dict(
        results=dict(type="dict"),
        inputs=dict(type="list", elements="path"),
        declarations=dict(type="dict"),
        declaration_var=dict(type="str", default="axis_storage"),
        max_wear=dict(type="int", default=80),
        min_free_percent=dict(type="float", default=10.0),
        retention_strict=dict(type="bool", default=False),
        dest=dict(type="path"),
    )

    def declarations(self, args, task_vars):
        """({host: its disks as declared}, {host: why its declaration is invalid}).

        Each host on its own, as the drift check does it: one host's undefined variable or
        malformed declaration is that host's failing row, the others are reported as usual.
        """
        found, errors = {}, {}
        given = args["declarations"]
        role = storage_role(self._loader)
        if given is None:
            resolver = HostResolver(self._task, task_vars, self._templar)
            validation = RoleValidation(role, only=(role.declaration_var,))
        for host in args["results"]:
            if given is None:
                declaration, error = host_declaration(resolver, host, role, args["declaration_var"], validation)
            else:
                declaration, error = given.get(host), None
                if declaration is not None:
                    _lists, error = declaration_lists(declaration, role, "declarations[%s]" % host)
            if error:
                errors[host] = error
            elif declaration:
                # only the disks matter here; the rest (share passwords ...) stays out of the report's way
                found[host] = {"disks": declaration.get("disks") or []}
        return found, errors

    def act(self, args, task_vars):
        if (args.get("results") is None) == (args.get("inputs") is None):
            raise AnsibleActionFail(
                "give exactly one of results (axis_storage_info results) and inputs (slice reports to merge)"
            )
        if args.get("inputs") is not None:
            given = [name for name in BUILD_OPTIONS if self._task.args.get(name) is not None]
            if given:
                raise AnsibleActionFail(
                    "%s cannot be used with inputs: merged reports keep the thresholds their "
                    "slices were made with" % ", ".join(given)
                )
            try:
                report = merge_health(args["inputs"])
            except MergeError as exc:
                raise AnsibleActionFail("inputs: %s" % exc) from exc
            return self._written_result(report, args.get("dest"))
        if not 0 <= args["max_wear"]:
            raise AnsibleActionFail("max_wear=%s must be a percentage, 0 or more" % args["max_wear"])
        if not 0 <= args["min_free_percent"] <= 100:
            raise AnsibleActionFail("min_free_percent=%s must be from 0 to 100" % args["min_free_percent"])
        thresholds = Thresholds(args["max_wear"], args["min_free_percent"], args["retention_strict"])
        declarations, invalid = self.declarations(args, task_vars)
        report = build_report(args["results"], declarations, thresholds, declaration_errors=invalid)
        return self._written_result(report, args.get("dest"))

    @staticmethod
    def _written_result(report, folder):
        written = []
        if folder:
            if not os.path.isdir(folder):
                os.makedirs(folder)
            for name, render in (("health.json", to_json), ("health.csv", to_csv), ("health.html", to_html)):
                path = os.path.join(folder, name)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(render(report))
                written.append(path)
        failed_checks = [
            "%s %s: %s" % (row["device"], row.get("disk_id") or "-", "; ".join(row["problems"]))
            for row in report["rows"]
            if row["problems"]
        ]
        return dict(
            changed=False, report=report, summary=summary_text(report), failed_checks=failed_checks, files=written
        )
