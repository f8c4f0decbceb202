# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import datetime
import json
import os

from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._args import ControllerAction
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import build_report, junit_xml, summary_text
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._merge import MergeError, merge_drift


class ActionModule(ControllerAction):
    """Writes the drift report on the controller; never touches a device."""

    argument_spec = dict(
        results=dict(type="dict"),
        inputs=dict(type="list", elements="path"),
        json_path=dict(type="path"),
        junit_path=dict(type="path"),
        summary_path=dict(type="path"),
    )

    def act(self, args, task_vars):
        if (args.get("results") is None) == (args.get("inputs") is None):
            raise AnsibleActionFail(
                "give exactly one of results (the check's results) and inputs (slice reports to merge)"
            )
        if args.get("inputs") is not None:
            try:
                report = merge_drift(args["inputs"])
            except MergeError as exc:
                raise AnsibleActionFail("inputs: %s" % exc) from exc
        else:
            generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            report = build_report(args["results"], generated)
        summary = summary_text(report)
        written = []
        # Reports are written in check mode too: the drift check runs in check mode.
        for path, content in (
            (args.get("json_path"), json.dumps(report, indent=2, sort_keys=True) + "\n"),
            (args.get("junit_path"), junit_xml(report)),
            (args.get("summary_path"), summary),
        ):
            if path:
                folder = os.path.dirname(path)
                if folder and not os.path.isdir(folder):
                    os.makedirs(folder)
                with open(path, "w") as handle:
                    handle.write(content)
                written.append(path)
        return dict(
            changed=False,
            report=report,
            summary=summary,
            drifted=report["failed"],
            files=written,
            device_counts=report["device_counts"],
            resource_counts=report["resource_counts"],
        )
