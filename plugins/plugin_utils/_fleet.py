# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One controller-side task for a whole fleet: every host's arguments, then a bounded thread pool.

Ansible's own per-host task dispatch costs more than the HTTP reads of a drift check, so the
fleet task resolves each host's variables the way the role's task would see them (the host's
variables in the play's context, templated, vault decrypted), builds the exact module arguments
of the role's `axis_storage` task (or of `axis_storage_info`), and runs the same resource classes
through `run_in_process` for every device at once. Nothing here knows a resource: validation,
the HTTP work, check mode, diff and masking are the module's own code.
"""

import copy
import json
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from collections.abc import Mapping

import yaml
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process

# The role's variable for each connection option of the modules (roles/storage/tasks/main.yml);
# an undefined variable is omitted there (`default(omit)`), so the module's default and its
# AXIS_* environment fallback apply. axis_host and axis_username have no default in the role.
CONNECTION_VARS = (
    ("host", "axis_host", True),
    ("port", "axis_port", False),
    ("username", "axis_username", True),
    ("password", "axis_password", False),
    ("use_https", "axis_use_https", False),
    ("validate_certs", "axis_validate_certs", False),
    ("ca_path", "axis_ca_path", False),
    ("timeout", "axis_timeout", False),
)
JOB_TIMEOUT_VAR = "axis_job_timeout"
# The role's defaults (roles/storage/defaults/main.yml) for the declaration and its switches.
ROLE_DEFAULTS = {"axis_storage": {}, "axis_storage_allow_data_loss": False, "axis_storage_purge": False}
# The keys of a declaration: the list options of the whole-device module, passed by the role as
# `axis_storage.<key> | default([], true)`.
DECLARATION_KEYS = ("disks", "network_shares", "external_devices", "recording_profiles")

MODES = {"drift": DeviceStorage, "info": StorageInfo}
MODULE_NAMES = {"drift": "vapix.edge_storage.axis_storage", "info": "vapix.edge_storage.axis_storage_info"}


def declaration_spec():
    """The module's own argument spec for the four lists of a declaration."""
    return dict((key, copy.deepcopy(DeviceStorage.argument_spec[key])) for key in DECLARATION_KEYS)


_DECLARATION_VALIDATOR = []


def _declaration_validator():
    if not _DECLARATION_VALIDATOR:
        _DECLARATION_VALIDATOR.append(ArgumentSpecValidator(declaration_spec()))
    return _DECLARATION_VALIDATOR[0]


def plain(value):
    """Templated data as the module path would see it after JSON: dicts, lists, str, numbers.

    A vaulted value (an encrypted YAML scalar) becomes its plain text, as it does when Ansible
    serialises module arguments.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Mapping):
        return dict((str(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return str(value)


class HostResolver(object):
    """Each host's variables in the play's context, as its own task would get them."""

    def __init__(self, task, task_vars, templar):
        self._task = task
        self._templar = templar
        self._hostvars = task_vars.get("hostvars")
        self._play_hosts = task_vars.get("ansible_play_hosts")
        self._play_hosts_all = task_vars.get("ansible_play_hosts_all")
        self._manager = getattr(self._hostvars, "_variable_manager", None)
        self._inventory = getattr(self._hostvars, "_inventory", None)
        play = None
        try:
            play = task.get_play()
        except Exception:  # pylint: disable=broad-except
            parent = getattr(task, "_parent", None)
            play = getattr(parent, "_play", None)
        self._play = play

    def variables(self, host_name):
        """Raw (untemplated) variables of one host; None when the inventory has no such host."""
        if self._manager is not None and self._inventory is not None and self._play is not None:
            host = self._inventory.get_host(host_name)
            if host is None:
                return None
            # The play and this task give play vars, role defaults and magic variables
            # (inventory_hostname, group_names) for that host, as the host's own task sees them.
            return self._manager.get_vars(play=self._play, host=host, task=self._task,
                                          _hosts=self._play_hosts, _hosts_all=self._play_hosts_all)
        if self._hostvars is None or host_name not in self._hostvars:
            return None
        return self._hostvars.raw_get(host_name)

    def templar(self, variables):
        return self._templar.copy_with_new_env(available_variables=variables)


def _role_spec_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "roles", "storage", "meta", "argument_specs.yml")


_ROLE_SPEC = {}


def role_argument_spec():
    """The options of the role's main entry point, as its argument validation uses them (or None)."""
    if "main" not in _ROLE_SPEC:
        spec = None
        try:
            with open(_role_spec_path()) as handle:
                spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
        except (OSError, KeyError, TypeError, yaml.YAMLError):
            spec = None
        _ROLE_SPEC["main"] = spec
    return _ROLE_SPEC["main"]


class RoleValidation(object):
    """The role's own argument validation (what its first task does), once per fleet run.

    Most hosts of a fleet share their declaration (group variables): the declaration part is
    validated once per distinct value, the connection part per host, and a host that fails either
    is validated whole again, so that its message is exactly the role's.
    """

    SHARED = ("axis_storage", "axis_storage_allow_data_loss", "axis_storage_purge")

    def __init__(self):
        spec = role_argument_spec()
        self.names = tuple(spec) if spec else ()
        self._validator = ArgumentSpecValidator(spec) if spec else None
        self._parts = None
        if spec:
            shared = dict((k, v) for k, v in spec.items() if k in self.SHARED)
            own = dict((k, v) for k, v in spec.items() if k not in self.SHARED)
            self._parts = (ArgumentSpecValidator(shared), ArgumentSpecValidator(own))
        self._shared_ok = {}

    @staticmethod
    def _validate(validator, values):
        try:
            return validator.validate(values, validate_role_argument_spec=True)
        except TypeError:  # ansible-core before 2.17 has no such keyword
            return validator.validate(values)

    def _passes(self, values):
        shared_values = dict((k, v) for k, v in values.items() if k in self.SHARED)
        key = json.dumps(shared_values, sort_keys=True, default=str)
        if key not in self._shared_ok:
            self._shared_ok[key] = not self._validate(self._parts[0], shared_values).error_messages
        if not self._shared_ok[key]:
            return False
        own_values = dict((k, v) for k, v in values.items() if k not in self.SHARED)
        return not self._validate(self._parts[1], own_values).error_messages

    def errors(self, values):
        """The message the role's validation task fails with, or None."""
        if self._validator is None or self._passes(values):
            return None
        result = self._validate(self._validator, values)
        if result.error_messages:
            return "Validation of arguments failed:\n%s" % "\n".join(result.error_messages)
        return None


def host_arguments(resolver, host_name, mode, declaration_var="axis_storage", role_validation=None):
    """(module arguments, None) or (None, failed result) for one host, as its role task would get."""
    variables = resolver.variables(host_name)
    if variables is None:
        return None, {"failed": True, "changed": False, "msg": "%s is not a host of the inventory" % host_name}
    templar = resolver.templar(variables)

    def value(name, default=None):
        if name not in variables:
            return default
        return templar.template(variables[name])

    names = [var for _option, var, _required in CONNECTION_VARS]
    if mode == "drift":
        names += [JOB_TIMEOUT_VAR, "axis_storage_allow_data_loss", "axis_storage_purge"]
        if role_validation is not None:
            names += [name for name in role_validation.names if name not in names and name != "axis_storage"]
    try:
        # As templated (the role's validation sees these, type names included), and as plain data
        # for the module (what its arguments are after Ansible serialises them).
        templated = dict((name, value(name)) for name in names if name in variables)
        if mode == "drift":
            templated["axis_storage"] = value(declaration_var, copy.deepcopy(ROLE_DEFAULTS["axis_storage"]))
        found = dict((name, plain(item)) for name, item in templated.items())
    except AnsibleError as exc:
        return None, {"failed": True, "changed": False, "msg": "%s: %s" % (host_name, exc.message)}
    for option, var, required in CONNECTION_VARS:
        if required and found.get(var) is None and (mode == "info" or role_validation is None):
            return None, {"failed": True, "changed": False, "error_kind": "input",
                          "msg": "%s is not set for %s" % (var, host_name)}
    if mode == "info":
        return dict((option, found[var]) for option, var, _r in CONNECTION_VARS if found.get(var) is not None), None

    for name, default in ROLE_DEFAULTS.items():
        found.setdefault(name, default)
        templated.setdefault(name, default)
    if role_validation is not None:
        # The role validates its variables before its task runs: same spec, same message.
        message = role_validation.errors(dict((k, v) for k, v in templated.items() if k in role_validation.names))
        if message:
            return None, {"failed": True, "changed": False, "error_kind": "input", "msg": message}
    args = dict((option, found[var]) for option, var, _r in CONNECTION_VARS if found.get(var) is not None)
    if found.get(JOB_TIMEOUT_VAR) is not None:
        args["job_timeout"] = found[JOB_TIMEOUT_VAR]
    declaration = found["axis_storage"]
    if declaration is None:
        declaration = {}
    if not isinstance(declaration, dict):
        return None, {"failed": True, "changed": False, "error_kind": "input",
                      "msg": "%s must be a dictionary with the keys %s, not %s"
                             % (declaration_var, ", ".join(DECLARATION_KEYS), type(declaration).__name__)}
    # The role passes each list as `default([], true)`: missing, null or empty is an empty list.
    lists = dict((key, declaration.get(key) or []) for key in DECLARATION_KEYS)
    lists.update((key, item) for key, item in declaration.items() if key not in DECLARATION_KEYS)
    validation = _declaration_validator().validate(lists)
    if validation.error_messages:
        msg = validation.errors.msg
        if isinstance(validation.errors[0], UnsupportedError):
            msg = "unsupported key %s" % msg
        return None, {"failed": True, "changed": False, "error_kind": "input",
                      "msg": "%s: %s" % (declaration_var, msg)}
    args.update((key, lists[key]) for key in DECLARATION_KEYS)
    args["allow_data_loss"] = found["axis_storage_allow_data_loss"]
    args["purge"] = found["axis_storage_purge"]
    return args, None


def run_host(mode, args):
    """The per-host result of the role's task (drift: check mode with diff) or of axis_storage_info."""
    resource_cls = MODES[mode]
    try:
        return run_in_process(resource_cls, args, MODULE_NAMES[mode], check_mode=(mode == "drift"),
                              diff=(mode == "drift"))
    except Exception as exc:  # pylint: disable=broad-except
        # One device must never take the others down; no traceback, only what went wrong.
        return {"failed": True, "changed": False, "msg": "unexpected %s: %s" % (type(exc).__name__, exc)}


def secrets_of(args):
    """Every no_log value a host's arguments hold (connection password, nested secrets).

    The module's argument spec marks them, nested ones included, as AnsibleModule would see them.
    """
    values = set()
    if args.get("password"):
        values.add(str(args["password"]))
    resource_cls = DeviceStorage if "disks" in args else None
    if resource_cls is not None:
        try:
            validation = ArgumentSpecValidator(module_argument_spec(resource_cls)).validate(args)
            values.update(str(v) for v in validation._no_log_values if v)
        except Exception:  # pylint: disable=broad-except
            pass  # arguments the validation refuses fail that host before any request
    return values


class Progress(object):
    """Shows done/total and failures so far every `every` devices or `seconds` seconds, and at the end."""

    def __init__(self, total, show, every=None, seconds=10.0, clock=time.monotonic):
        self.total = total
        self.show = show
        self.every = every or max(1, total // 10)
        self.seconds = seconds
        self.clock = clock
        self.started = clock()
        self._shown_count = 0
        self._shown_time = self.started
        self._shown_final = False

    def update(self, done, failed, final=False):
        now = self.clock()
        if self._shown_final or (done == self._shown_count and (not final or done > 0)):
            return
        if final or done - self._shown_count >= self.every or now - self._shown_time >= self.seconds:
            self._shown_count, self._shown_time, self._shown_final = done, now, final or done == self.total
            self.show("axis_storage_fleet: %d/%d devices done, %d failed so far (%.1f s)"
                      % (done, self.total, failed, now - self.started))


def run_fleet(jobs, mode, concurrency, progress=None):
    """jobs: [(host, args or None, failed result or None)]. Returns {host: result}.

    At most `concurrency` devices are talked to at once; each device's own timeout bounds its
    own work only.
    """
    results = {}
    failed = [0]
    lock = threading.Lock()
    pending = set()
    futures = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="axis-fleet") as pool:
        for host, args, early in jobs:
            if early is not None:
                results[host] = early
                failed[0] += 1
                continue
            future = pool.submit(run_host, mode, args)
            futures[future] = host
            pending.add(future)
            if progress and len(pending) >= 4 * concurrency:
                pending = _collect(pending, futures, results, failed, lock, progress, timeout=0)
        while pending:
            pending = _collect(pending, futures, results, failed, lock, progress, timeout=1.0)
    if progress:
        progress.update(len(results), failed[0], final=True)
    return results


def _collect(pending, futures, results, failed, lock, progress, timeout):
    done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
    with lock:
        for future in done:
            result = future.result()
            results[futures.pop(future)] = result
            if result.get("failed"):
                failed[0] += 1
    if progress:
        progress.update(len(results), failed[0])
    return pending


def mask_all(results, secrets):
    """Every host's result masked with every host's secrets.

    secrets: {host: set of that host's no_log values}. run_in_process has masked each result
    with its own host's values already; only the values of other hosts are left to mask, and in
    the usual fleet (one password everywhere) there are none.
    """
    union = set()
    for values in secrets.values():
        union.update(v for v in values if v)
    masked = {}
    for host, result in results.items():
        extra = union - set(secrets.get(host) or ())
        if extra:
            # A deep walk per host is costly at fleet scale: mask only with the values that occur.
            text = json.dumps(result, default=str)
            extra = [value for value in extra if value in text]
        if not extra:
            masked[host] = result
            continue
        preserved = dict((k, v) for k, v in result.items() if v is None or isinstance(v, bool))
        clean = remove_values(result, extra)
        clean.update(preserved)
        masked[host] = clean
    return masked


def counts(results):
    total = len(results)
    failed = sum(1 for r in results.values() if r.get("failed"))
    changed = sum(1 for r in results.values() if r.get("changed"))
    return {"hosts": total, "ok": total - failed, "failed": failed, "changed": changed}
