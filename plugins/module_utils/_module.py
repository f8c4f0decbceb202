# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue between a Runnable and Ansible: the module's argument spec, its main() and the one
call (execute) that turns a run into a module result.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import (
    REQUESTS_IMPORT_ERROR,
    XMLTODICT_IMPORT_ERROR,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._compat import raw_module_params
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import partial_result, runnable
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import (
    CONNECTION_ARGSPEC,
    connection_error,
    located_errors,
    strict_type_errors,
)


def execute(resource_cls, params, check_mode=False, diff=False, device=None, environ=None):
    """Run one Runnable on one device; return the module result (never raises VapixError).

    environ: the process environment the client reads proxies and CA bundles from (default
    os.environ, the module's own); the in-controller path gives the task's.
    """
    runnable(resource_cls)
    device = device or DeviceSession.from_params(params, environ=environ)
    try:
        return resource_cls(device, params, check_mode=check_mode).run(diff=diff)
    except VapixError as error:
        exc = error
        if exc.kind == "unsupported" and not device.client.authenticated:
            # a 404 from a host that never accepted a login: an Axis device lacking this API
            # answers as much, a host that is no Axis device (storage) at all does not
            exc = device.caps.storage_device_error() or exc
            exc.partial = getattr(error, "partial", None)
        result = {"failed": True, "msg": device.client.secrets.mask(str(exc)), "changed": False}
        result.update(partial_result(exc))
        result.update(exc.to_result())
        result["requests"] = device.client.request_count
        return result


_MODULE_SPECS = {}


def module_argument_spec(resource_cls, with_connection=True):
    """The module's whole argument spec. Built once per class and shared: read it, never change it.

    A fleet task validates one spec per host; copying the nested spec every time was a sixth of
    the controller's work per device.
    """
    key = (runnable(resource_cls), with_connection)
    if key not in _MODULE_SPECS:
        spec = copy.deepcopy(CONNECTION_ARGSPEC) if with_connection else {}
        spec.update(copy.deepcopy(resource_cls.argument_spec))
        _MODULE_SPECS[key] = spec
    return _MODULE_SPECS[key]


def run_module(resource_cls):
    """The whole body of a resource module's main()."""
    from ansible.module_utils.basic import AnsibleModule, missing_required_lib

    spec = module_argument_spec(resource_cls)
    # The arguments as sent, before the argument spec converts them (or fails on them with a
    # message naming no option, as it does for a string where nested options are expected).
    strict = strict_type_errors(spec, raw_module_params())
    error = InputError(None, "; ".join(strict)) if strict else None

    class Module(AnsibleModule):
        def fail_json(self, msg, **kwargs):
            located = error
            if (
                located is None
                and getattr(self, "validation_result", None) is not None
                and self.validation_result.error_messages
            ):
                # a failed argument spec: say which item of a list it is about
                where = located_errors(spec, raw_module_params())
                located = InputError(None, "; ".join(where)) if where else None
            if located is not None:
                msg = str(located)
                kwargs.update(changed=False, **located.to_result())
            super().fail_json(msg=msg, **kwargs)

    module = Module(argument_spec=spec, supports_check_mode=True, **resource_cls.module_kwargs)
    if error is not None:
        module.fail_json(msg=str(error))
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    if XMLTODICT_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("xmltodict"), exception=XMLTODICT_IMPORT_ERROR)
    problem = connection_error(module.params)
    if problem:
        module.fail_json(msg=problem, changed=False, error_kind="input")
    result = execute(resource_cls, module.params, check_mode=module.check_mode, diff=module._diff)
    warnings = result.pop("warnings", [])
    for warning in warnings:
        module.warn(warning)
    if result.get("failed"):
        result.pop("failed")
        module.fail_json(**result)
    module.exit_json(**result)
