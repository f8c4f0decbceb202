# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet task: the role's drift check (or axis_storage_info) for every host, in one task."""

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import (
    REQUESTS_IMPORT_ERROR,
    XMLTODICT_IMPORT_ERROR,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._args import ControllerAction
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import (
    MODES,
    HostResolver,
    Progress,
    RoleValidation,
    counts,
    default_processes,
    host_arguments,
    run_fleet_forked,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._role_source import storage_role
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._shared_values import SharedValues

display = Display()


class ActionModule(ControllerAction):
    """Runs on the controller for all hosts at once; never ships a module."""

    _supports_async = False
    argument_spec = dict(
        hosts=dict(type="list", elements="str"),
        mode=dict(type="str", default="drift", choices=sorted(MODES)),
        concurrency=dict(type="int", default=16),
        processes=dict(type="int"),
        declaration_var=dict(type="str", default="axis_storage"),
        progress_seconds=dict(type="float", default=10.0),
        results=dict(type="str", default="compact", choices=["compact", "full"]),
    )

    def act(self, args, task_vars):
        for option in ("concurrency", "processes"):
            if args[option] is not None and args[option] < 1:
                raise AnsibleActionFail("%s must be 1 or more, not %d" % (option, args[option]))
        for missing, name in ((REQUESTS_IMPORT_ERROR, "requests"), (XMLTODICT_IMPORT_ERROR, "xmltodict")):
            if missing:
                raise AnsibleActionFail("the fleet task needs the Python library %s on the controller" % name)
        hosts = args["hosts"]
        if hosts is None:
            hosts = task_vars.get("ansible_play_hosts") or []
        hosts = list(dict.fromkeys(str(h) for h in hosts))
        mode = args["mode"]

        # The role's defaults, argument spec and task, as Ansible loads the role (once per process).
        role = storage_role(self._loader)
        resolver = HostResolver(self._task, task_vars, self._templar)
        # The role's task is preceded by the role's argument validation: the fleet does the same.
        role_validation = RoleValidation(role) if mode == "drift" else None
        # Values, validation and declaration lists worked out once per distinct raw value (in each
        # worker process), per host only where a value depends on the host.
        shared = SharedValues()

        def job_of(host):
            host_args, early = host_arguments(
                resolver, host, mode, role, args["declaration_var"], role_validation, shared
            )
            if early is not None:
                return host, host_args, early
            # the play's (and task's) environment: proxies and CA bundles as the host's own task has them
            return host, host_args, early, resolver.environment(host)

        processes = max(1, min(args["processes"] or default_processes(len(hosts)), len(hosts)))
        display.display(
            "axis_storage_fleet: %s of %d devices, %d at a time in %d process%s"
            % (
                "drift check" if mode == "drift" else "storage information",
                len(hosts),
                args["concurrency"],
                processes,
                "" if processes == 1 else "es",
            )
        )
        progress = Progress(len(hosts), display.display, seconds=args["progress_seconds"])
        results = run_fleet_forked(
            hosts, job_of, mode, args["concurrency"], processes, progress, compact=(args["results"] == "compact")
        )
        ordered = dict((host, results[host]) for host in hosts if host in results)
        return dict(changed=False, results=ordered, counts=counts(ordered), mode=mode)
