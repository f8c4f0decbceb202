# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a resource module inside the controller when the task runs there.

A module task costs ~0.2 s per host (AnsiballZ packaging and a Python start) on top of its HTTP
work; in the controller only the HTTP work and the validation are left (each module's action
plugin is loaded in Ansible's main process, so a task's worker does not import the collection
again: docs/performance.md, "Per task"). When the task's connection is local, the action plugin
validates the arguments exactly as AnsibleModule would and runs the same resource class from
module_utils in-process. Otherwise (delegate_to a jump host next to the cameras) it ships the
module as usual. The variable `vapix_edge_storage_execution` (or the environment variable
VAPIX_EDGE_STORAGE_EXECUTION) forces `controller` or `module`; the default is `auto`.

A shipped module sees the task's `environment:` (play, block and task levels), so its options'
environment fallbacks (AXIS_HOST, AXIS_CA_PATH ...) and requests' proxy and CA bundle variables
(HTTP_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE ...) read it. In the controller the process environment
is shared by every host and thread, so it is not changed: the task's environment is looked up
first for each option left unset, then the controller's own environment, as the module would;
and the client gets the environment the module would have had (the controller's, the task's
on top) to read proxies and CA bundles from.
"""

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import (
    REQUESTS_IMPORT_ERROR,
    XMLTODICT_IMPORT_ERROR,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute, module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import (
    connection_error,
    located_errors,
    strict_type_errors,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import (
    inject_invocation,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import (
    no_log_values as no_log_values_of,
)

EXECUTION_VAR = "vapix_edge_storage_execution"
EXECUTION_ENV = "VAPIX_EDGE_STORAGE_EXECUTION"
EXECUTION_MODES = ("auto", "controller", "module")


class ResourceAction(ActionBase):
    """Subclasses set `resource_cls`; the module of the same name is shipped when not on the controller."""

    resource_cls = None
    _supports_check_mode = True
    _supports_async = False

    def task_environment(self):
        return task_environment(self._task, self._templar)

    def execution_mode(self, task_vars, environment=None):
        mode = (
            (task_vars or {}).get(EXECUTION_VAR)
            or (environment or {}).get(EXECUTION_ENV)
            or os.environ.get(EXECUTION_ENV)
            or "auto"
        )
        mode = str(self._templar.template(mode)).strip().lower()
        if mode not in EXECUTION_MODES:
            raise AnsibleActionFail("%s=%s: use one of %s" % (EXECUTION_VAR, mode, ", ".join(EXECUTION_MODES)))
        if mode == "auto":
            on_controller = getattr(self._connection, "transport", None) == "local"
            mode = "controller" if on_controller else "module"
        return mode

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        environment = self.task_environment()
        if self.execution_mode(task_vars, environment) == "module" or REQUESTS_IMPORT_ERROR or XMLTODICT_IMPORT_ERROR:
            # Without the libraries on the controller, the module reports the missing one itself.
            result.update(self._execute_module(module_args=self._task.args, task_vars=task_vars))
            return result
        result.update(
            run_in_process(
                self.resource_cls,
                dict(self._task.args),
                self._task.action,
                check_mode=bool(self._task.check_mode),
                diff=bool(self._task.diff),
                environment=environment,
                invocation=inject_invocation(task_vars),
            )
        )
        return result


def task_environment(task, templar):
    """The task's `environment:` (play, block and task levels merged, the task's last), templated
    with `templar` (whose variables are the host's); {} if none."""
    environments = task.environment
    if not environments:
        return {}
    if not isinstance(environments, list):
        environments = [environments]
    merged = {}
    for environment in environments:
        if not environment:
            continue
        value = templar.template(environment)
        if not isinstance(value, dict):
            raise AnsibleActionFail("environment must be a dictionary, got %r" % (value,))
        merged.update(value)
    return merged


def process_environment(environment):
    """The environment a shipped module would run with: the controller's, the task's on top.

    Ansible writes each variable of the task's environment in front of the module's command
    (`NAME=value`), so every value is text there. None when the task sets none: the client then
    reads the controller's own environment.
    """
    if not environment:
        return None
    merged = dict(os.environ)
    merged.update((str(name), str(value)) for name, value in environment.items())
    return merged


def apply_environment(spec, args, environment):
    """Fill options left unset from `environment` through their env_fallback names.

    Returns a new dict; options the environment does not name are left to the validator,
    which then reads the controller's own environment.
    """
    args = dict(args)
    for option, settings in spec.items():
        fallback = settings.get("fallback")
        if args.get(option) is not None or not fallback or fallback[0] is not env_fallback:
            continue
        for env_name in fallback[1] if len(fallback) > 1 else ():
            if env_name in environment:
                args[option] = environment[env_name]
                break
    return args


# One validator per class, shared like the spec it reads: validate() keeps nothing in the
# validator (a new ValidationResult each call), and a fleet task validates one module per host.
_VALIDATORS = {}


def module_validator(resource_cls):
    """The ArgumentSpecValidator of resource_cls's module, built once."""
    validator = _VALIDATORS.get(resource_cls)
    if validator is None:
        validator = ArgumentSpecValidator(module_argument_spec(resource_cls), **resource_cls.module_kwargs)
        _VALIDATORS[resource_cls] = validator
    return validator


def run_in_process(resource_cls, args, name, check_mode=False, diff=False, environment=None, invocation=True):
    """What AnsibleModule + run_module would return, computed in this process.

    resource_cls is a Runnable subclass (module_argument_spec raises TypeError otherwise).
    invocation=False leaves out `invocation`, as Ansible does when it registers a result, and as
    AnsibleModule does from ansible-core 2.21 unless INJECT_INVOCATION is set (_compat.inject_invocation).
    """
    spec = module_argument_spec(resource_cls)
    if environment:
        args = apply_environment(spec, args, environment)
    validation = module_validator(resource_cls).validate(args)
    no_log_values = no_log_values_of(validation)

    def finish(result, params):
        return _finish(result, params if invocation else None, no_log_values)

    errors = validation.errors
    # what the conversions above hid, or what they failed on without naming the option
    strict = strict_type_errors(spec, args)
    if strict:
        error = InputError(None, "; ".join(strict))
        result = dict(error.to_result(), failed=True, changed=False, msg=str(error))
        return finish(result, validation.validated_parameters)
    if validation.error_messages:
        located = located_errors(spec, args)  # which item of a list, where Ansible does not say
        if located:
            error = InputError(None, "; ".join(located))
            result = dict(error.to_result(), failed=True, changed=False, msg=str(error))
            return finish(result, validation.validated_parameters)
        msg = errors.msg
        if isinstance(errors[0], UnsupportedError):
            msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
        return finish({"failed": True, "msg": msg}, validation.validated_parameters)
    params = validation.validated_parameters
    problem = connection_error(params)
    if problem:
        return finish({"failed": True, "changed": False, "msg": problem, "error_kind": "input"}, params)
    outcome = execute(resource_cls, params, check_mode=check_mode, diff=diff, environ=process_environment(environment))
    warnings = outcome.pop("warnings", None)
    if warnings:
        outcome["warnings"] = warnings
    outcome.setdefault("changed", False)
    return finish(outcome, params)


def _finish(result, params, no_log_values):
    """Mask no_log values and add `invocation` (unless params is None), as AnsibleModule does on exit."""
    result = masked(dict(result), no_log_values)
    if params is not None:
        # The arguments hold the secrets themselves: always masked.
        result["invocation"] = {"module_args": remove_values(params, no_log_values) if no_log_values else params}
    return result


# remove_values turns booleans and None into text before it compares them with the secrets.
_SCALAR_TEXTS = ("True", "False", "None")


def mentions(data, values):
    """Could remove_values(data, values) change anything? False only when it certainly cannot.

    Every string, key and number of JSON-able data stands in its JSON text, a string with the
    escapes JSON gives it; so a secret that is in none of them is neither.
    """
    values = [value for value in values if value]
    if not values:
        return False
    text = json.dumps(data, ensure_ascii=False, default=str)
    for value in values:
        if value in text or json.dumps(value, ensure_ascii=False)[1:-1] in text:
            return True
        if any(value in scalar for scalar in _SCALAR_TEXTS):
            return True
    return False


def masked(result, no_log_values):
    """The result with every no_log value masked, as AnsibleModule masks it (top-level flags kept).

    Walking a large result costs more than the task's own work at fleet scale: the walk runs only
    when a secret can occur in it.
    """
    if not mentions(result, no_log_values):
        return result
    preserved = dict((k, v) for k, v in result.items() if v is None or isinstance(v, bool))
    result = remove_values(result, no_log_values)
    result.update(preserved)
    return result
