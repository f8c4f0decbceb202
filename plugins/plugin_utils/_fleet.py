# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One controller-side task for a whole fleet: every host's arguments, then a bounded thread pool.

Ansible's own per-host task dispatch costs more than the HTTP reads of a drift check, so the
fleet task resolves each host's variables the way the role's task would see them (the host's
variables in the play's context, templated, vault decrypted), builds the exact module arguments
of the role's `axis_storage` task (or of `axis_storage_info`), and runs the same resource classes
through `run_in_process` for every device at once. What the role's task passes, its defaults and
its argument validation come from the role as Ansible loads it (`_role_source.py`). Nothing here knows a resource: validation,
the HTTP work, check mode, diff and masking are the module's own code.
"""

import copy
import hashlib
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from multiprocessing.connection import wait as connection_wait

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import CONNECTION_ARGSPEC
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process, task_environment
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import PlayVariables, task_play
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import compact_result
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._plain import plain_number
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._shared_values import SharedValues

MODES = {"drift": DeviceStorage, "info": StorageInfo}
# Forked worker processes of a fleet run: at most this many, and one per so many hosts at the most.
MAX_PROCESSES = 4
HOSTS_PER_PROCESS = 50
MODULE_NAMES = {"drift": "vapix.edge_storage.axis_storage", "info": "vapix.edge_storage.axis_storage_info"}


def declaration_keys(role):
    """The keys of a declaration the role's task passes the module (lists first)."""
    return role.declaration_lists + role.declaration_optional


def declaration_spec(role):
    """The module's own argument spec for the keys of a declaration the role passes."""
    return dict((key, copy.deepcopy(DeviceStorage.argument_spec[key])) for key in declaration_keys(role))


_DECLARATION_VALIDATORS = {}


def _declaration_validator(role):
    keys = declaration_keys(role)
    if keys not in _DECLARATION_VALIDATORS:
        _DECLARATION_VALIDATORS[keys] = ArgumentSpecValidator(declaration_spec(role))
    return _DECLARATION_VALIDATORS[keys]


def plain(value, lossy=None):
    """Templated data as the module path would see it after JSON: dicts, lists, str, numbers.

    A vaulted value (an encrypted YAML scalar) becomes its plain text, as it does when Ansible
    serialises module arguments. `lossy`, a list, gets an entry for every value whose type
    changes on the way (a tuple, a mapping that is no dict, a vaulted value): then the plain data
    may fare differently in a type check than the templated value did.
    """
    if value is None:
        return value
    if isinstance(value, (int, float)):  # tagged numbers made plain: 6 % of a worker's time at N = 500
        return plain_number(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        if lossy is not None and not isinstance(value, dict):
            lossy.append(type(value).__name__)
        return dict((str(k), plain(v, lossy)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v, lossy) for v in value]
    if lossy is not None:
        lossy.append(type(value).__name__)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (tuple, set)):
        return [plain(v, lossy) for v in value]
    return str(value)


class HostResolver:
    """Each host's variables in the play's context, as its own task would get them."""

    def __init__(self, task, task_vars, templar):
        self._templar = templar
        self._hostvars = task_vars.get("hostvars")
        self._task = task
        # the play's view of any host needs private ansible-core APIs: _compat.PlayVariables
        self._play_variables = PlayVariables(
            self._hostvars,
            task_play(task),
            task,
            task_vars.get("ansible_play_hosts"),
            task_vars.get("ansible_play_hosts_all"),
        )
        self._last = None

    def environment(self, host_name):
        """The fleet task's `environment:` (play, block, task) as that host's own task would get it,
        templated with the host's variables; {} if the task has none, None for an unknown host."""
        if not self._task.environment:
            return {}
        variables = self.variables(host_name)
        if variables is None:
            return None
        return task_environment(self._task, self.templar(variables))

    def variables(self, host_name):
        """Raw (untemplated) variables of one host; None when the inventory has no such host.

        The last host's are kept: its arguments and its environment are built one after the other.
        """
        if self._last is not None and self._last[0] == host_name:
            return self._last[1]
        variables = self._variables(host_name)
        self._last = (host_name, variables)
        return variables

    def _variables(self, host_name):
        if self._play_variables.available:
            # The play and this task give play vars, role defaults and magic variables
            # (inventory_hostname, group_names) for that host, as the host's own task sees them.
            return self._play_variables.get(host_name)
        if self._hostvars is None or host_name not in self._hostvars:
            return None
        return self._hostvars.raw_get(host_name)

    def templar(self, variables):
        return self._templar.copy_with_new_env(available_variables=variables)


class RoleValidation:
    """The role's own argument validation (what its first task does), for every host of a fleet.

    The role validates the templated values. Deep-copying templated data (which carries
    Ansible's tags) made that validation the largest cost of a fleet run, so the plain data is
    validated and the templated values only when that fails (for the role's exact message) or
    when the plain data is not the same types (see `plain`).
    """

    def __init__(self, role, only=None):
        """role: the StorageRole (_role_source); only: validate just these variables of the role
        (e.g. the declaration alone)."""
        spec = role.argument_spec
        if spec and only is not None:
            spec = dict((name, option) for name, option in spec.items() if name in only)
        self.names = tuple(spec) if spec else ()
        self._spec = spec
        self._validator = ArgumentSpecValidator(spec) if spec else None
        self._parts = {}
        # validations run (the tests count them)
        self.validations = 0

    @property
    def active(self):
        return self._validator is not None

    def _validate(self, values, validator=None):
        validator = validator or self._validator
        self.validations += 1
        try:
            return validator.validate(values, validate_role_argument_spec=True)
        except TypeError:  # ansible-core before 2.17 has no such keyword
            return validator.validate(values)

    def _part(self, names):
        """A validator of these options of the role alone (built once)."""
        if names not in self._parts:
            self._parts[names] = ArgumentSpecValidator(dict((n, o) for n, o in self._spec.items() if n in names))
        return self._parts[names]

    def shared_errors(self, values, plain_values, shared, name, key):
        """errors(), the option `name` (a shared value with this key) validated once per key.

        Each option of the role is validated on its own, so the verdict is the same in two parts:
        the shared value once for all hosts with its key, the host's own values per host. The
        message of a failure is the whole validation's, as errors() gives it.
        """
        if self._validator is None or plain_values is None or key is None or name not in self._spec:
            return self.errors(values, plain_values)
        alone = (name,)
        rest = tuple(n for n in self._spec if n != name)
        valid = shared.memo(
            "role-validation",
            (name, key),
            lambda: (
                not self._validate(
                    {name: plain_values[name]} if name in plain_values else {}, self._part(alone)
                ).error_messages
            ),
        )
        if (
            valid
            and not self._validate(
                dict((k, v) for k, v in plain_values.items() if k != name), self._part(rest)
            ).error_messages
        ):
            return None
        return self.errors(values, plain_values)

    def errors(self, values, plain_values=None):
        """The message the role's validation task fails with, or None.

        values: the templated values; plain_values: the same as plain data of the same types.
        """
        if self._validator is None:
            return None
        if plain_values is not None and not self._validate(plain_values).error_messages:
            return None
        result = self._validate(values)
        if result.error_messages:
            return "Validation of arguments failed:\n%s" % "\n".join(result.error_messages)
        return None


def host_arguments(resolver, host_name, mode, role, declaration_var=None, role_validation=None, shared=None):
    """(module arguments, None) or (None, failed result) for one host, as its role task would get.

    role: the StorageRole (_role_source): which variable each option reads, the role's defaults.
    declaration_var: the variable that holds the host's declaration (the role's own by default).
    shared: a SharedValues of the fleet: values, validation and the declaration's lists worked out
    once for all hosts whose raw values (and what their templates read) are the same.
    """
    variables = resolver.variables(host_name)
    if variables is None:
        return None, {"failed": True, "changed": False, "msg": "%s is not a host of the inventory" % host_name}
    role_var = role.declaration_var
    declaration_var = declaration_var or role_var
    shared = shared or SharedValues()
    templars = []
    walked = {}
    keys = {}

    def templar():
        if not templars:
            templars.append(resolver.templar(variables))
        return templars[0]

    def value(name):
        keys[name], templated_value = shared.template(templar, variables, name, walked)
        return templated_value

    def role_default(name):
        # a variable the host does not set has the role's default, templated with the host's variables
        if name in role.templated_defaults:
            return templar().template(role.defaults[name])
        return copy.deepcopy(role.defaults[name])

    # connection options: the ones axis_storage_info takes too; the rest only the drift check's module
    connection = [found for found in role.variables if found.option in CONNECTION_ARGSPEC]
    names = [found.var for found in connection]
    if mode == "drift":
        names += [found.var for found in role.variables if found.var not in names]
        if role_validation is not None:
            names += [name for name in role_validation.names if name not in names and name != role_var]
    try:
        # As templated (the role's validation sees these, type names included), and as plain data
        # for the module (what its arguments are after Ansible serialises them).
        templated = dict((name, value(name)) for name in names if name in variables)
        if mode == "drift" and role_var is not None:
            if declaration_var in variables:
                templated[role_var] = value(declaration_var)
            elif role_var in role.defaults:
                templated[role_var] = role_default(role_var)
            else:
                # a role without a default: its `<declaration>.<key> | default(...)` reads nothing
                templated[role_var] = {}
        lossy = []
        found = dict((name, plain(item, lossy)) for name, item in templated.items())
        if mode == "drift":
            for name in role.defaults:
                if name not in templated:
                    templated[name] = role_default(name)
                    found[name] = plain(templated[name])
    except AnsibleError as exc:
        return None, {"failed": True, "changed": False, "msg": "%s: %s" % (host_name, exc.message)}
    for option in connection:
        if not option.omit and found.get(option.var) is None and (mode == "info" or role_validation is None):
            return None, {
                "failed": True,
                "changed": False,
                "error_kind": "input",
                "msg": "%s is not set for %s" % (option.var, host_name),
            }
    if mode == "info":
        return dict(
            (option.option, found[option.var]) for option in connection if found.get(option.var) is not None
        ), None

    # a declaration that cannot be shared (its key is None: unsafe or vaulted text, a lookup, a
    # templated default) is that host's own: validated and made into lists for it alone
    if declaration_var in variables:
        declaration_key = keys.get(declaration_var)
    else:
        declaration_key = None if role_var in role.templated_defaults else ("default",)
    if role_validation is not None:
        # The role validates its variables before its task runs: same spec, same message.
        message = role_validation.shared_errors(
            dict((k, v) for k, v in templated.items() if k in role_validation.names),
            None if lossy else dict((k, v) for k, v in found.items() if k in role_validation.names),
            shared,
            role_var,
            declaration_key,
        )
        if message:
            return None, {"failed": True, "changed": False, "error_kind": "input", "msg": message}
    args = dict((option.option, found[option.var]) for option in connection if found.get(option.var) is not None)
    for option in role.variables:
        if option in connection or (option.omit and found.get(option.var) is None):
            continue
        if option.var not in found:
            # the role's task fails on the undefined variable
            return None, {
                "failed": True,
                "changed": False,
                "error_kind": "input",
                "msg": "%s is not set for %s" % (option.var, host_name),
            }
        args[option.option] = found[option.var]
    if role_var is None:
        return args, None
    # After the role's validation the module's own validation speaks, as on the per-host path;
    # without it, the declaration is checked here so that a bad one fails before any request.
    validate = not (role_validation is not None and role_validation.active)
    lists, invalid = shared.memo(
        "declaration-lists",
        None if lossy or declaration_key is None else (declaration_var, validate, declaration_key),
        lambda: declaration_lists(found[role_var], role, declaration_var, validate=validate),
    )
    if invalid:
        return None, {"failed": True, "changed": False, "error_kind": "input", "msg": invalid}
    args.update((key, lists[key]) for key in declaration_keys(role) if key in lists)
    return args, None


def declaration_lists(declaration, role, declaration_var=None, validate=True):
    """(the declaration's keys as the role's task passes them, None) or (None, why the declaration
    is invalid).

    A key the role passes as a list (`default([], true)`) is an empty list when missing, null or
    empty; one it leaves out when missing (`default(omit)`) is there only if declared. Other keys
    stay in (the validation names them). validate: also check them with the module's own
    argument spec.
    """
    declaration_var = declaration_var or role.declaration_var
    if declaration is None:
        declaration = {}
    if not isinstance(declaration, dict):
        return None, "%s must be a dictionary with the keys %s, not %s" % (
            declaration_var,
            ", ".join(declaration_keys(role)),
            type(declaration).__name__,
        )
    lists = dict((key, declaration.get(key) or []) for key in role.declaration_lists)
    lists.update((key, item) for key, item in declaration.items() if key not in role.declaration_lists)
    if validate:
        validation = _declaration_validator(role).validate(lists)
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = "unsupported key %s" % msg
            return None, "%s: %s" % (declaration_var, msg)
    return lists, None


def host_declaration(resolver, host_name, role, declaration_var=None, role_validation=None):
    """(declaration as plain data, None) or (None, why not): one host's declaration, templated in
    the play's context and validated as the drift check's role validation does it, so that an
    undefined variable or a declaration of the wrong shape is that host's error and no other's.
    (None, None) for a host the inventory does not have: nothing is declared for it here.

    role: the StorageRole; role_validation: a RoleValidation(role, only=(role.declaration_var,));
    without one, the module's own argument spec checks the declaration's keys.
    """
    declaration_var = declaration_var or role.declaration_var
    variables = resolver.variables(host_name)
    if variables is None:
        return None, None
    if declaration_var not in variables:
        return {}, None
    try:
        templated = resolver.templar(variables).template(variables[declaration_var])
    except AnsibleError as exc:
        return None, "%s: %s" % (declaration_var, exc.message)
    if templated is None:
        return {}, None
    lossy = []
    declaration = plain(templated, lossy)
    if role_validation is not None and role_validation.active:
        message = role_validation.errors(
            {role.declaration_var: templated}, None if lossy else {role.declaration_var: declaration}
        )
        return (None, message) if message else (declaration, None)
    _lists, invalid = declaration_lists(declaration, role, declaration_var)
    return (None, invalid) if invalid else (declaration, None)


def run_host(mode, args, environment=None):
    """The per-host result of the role's task (drift: check mode with diff) or of axis_storage_info.

    The result as Ansible registers it (no `invocation`), masked with the host's own no_log
    values as the module masks it. environment: the host's task environment (proxies, CA
    bundles, AXIS_* option fallbacks), as its own task would have it.
    """
    resource_cls = MODES[mode]
    try:
        return run_in_process(
            resource_cls,
            args,
            MODULE_NAMES[mode],
            check_mode=(mode == "drift"),
            diff=(mode == "drift"),
            environment=environment,
            invocation=False,
        )
    except Exception as exc:  # pylint: disable=broad-except
        # One device must never take the others down; no traceback, only what went wrong.
        return _unexpected(exc)


def _unexpected(exc):
    return {"failed": True, "changed": False, "msg": "unexpected %s: %s" % (type(exc).__name__, exc)}


def safe_job(job_of, host):
    """job_of(host) -> (host, args, early) or (host, args, early, environment); an unexpected
    error fails that host only."""
    try:
        return job_of(host)
    except Exception as exc:  # pylint: disable=broad-except
        return host, None, _unexpected(exc)


class Progress:
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
            self.show(
                "axis_storage_fleet: %d/%d devices done, %d failed so far (%.1f s)"
                % (done, self.total, failed, now - self.started)
            )


def run_fleet(jobs, mode, concurrency, progress=None, on_result=None, compact=False):
    """jobs: iterable of (host, args or None, failed result or None[, task environment]).
    Returns {host: result}.

    At most `concurrency` devices are talked to at once; each device's own timeout bounds its
    own work only. on_result(host, result) is called in this thread as each host is done.
    compact: drift results without the detail of their compliant resources (_drift.compact_result);
    info results are always whole (the health report reads all of them).
    """
    results = {}
    failed = [0]
    compact = compact and mode == "drift"

    def done(host, result):
        if compact:
            result = compact_result(host, result)
        results[host] = result
        if result.get("failed"):
            failed[0] += 1
        if on_result:
            on_result(host, result)

    def collect(pending, timeout):
        finished, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            done(futures.pop(future), future.result())
        if progress:
            progress.update(len(results), failed[0])
        return pending

    pending = set()
    futures = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="axis-fleet") as pool:
        for job in jobs:
            host, args, early = job[:3]
            if early is not None:
                done(host, early)
                continue
            future = pool.submit(run_host, mode, args, *job[3:])
            futures[future] = host
            pending.add(future)
            # The arguments of later hosts are built here while the pool works: collect now and
            # then, so that progress and results flow while the jobs are still being made.
            if len(pending) >= 4 * concurrency:
                pending = collect(pending, timeout=0)
        while pending:
            pending = collect(pending, timeout=1.0)
    if progress:
        progress.update(len(results), failed[0], final=True)
    return results


def default_processes(hosts, cpus=None):
    """Worker processes for a fleet: one per CPU (at most 4), none below 50 hosts per process."""
    cpus = cpus or os.cpu_count() or 1
    return max(1, min(cpus, MAX_PROCESSES, hosts // HOSTS_PER_PROCESS))


def run_fleet_forked(hosts, job_of, mode, concurrency, processes, progress=None, compact=False):
    """The fleet split over `processes` forked worker processes, each with its own thread pool.

    A fleet task is CPU-bound in one Python process (templating each host's variables, the module
    code, the HTTP client), so on a controller with several cores the hosts are dealt out to
    forks of this process; each builds its hosts' arguments and runs them exactly as run_fleet
    does, and sends every result back as soon as it has it. A worker that dies fails only the
    hosts it had not reported. concurrency is the total, shared out between the workers.
    """
    hosts = list(hosts)
    processes = max(1, min(processes, len(hosts)))
    if processes == 1:
        return run_fleet((safe_job(job_of, host) for host in hosts), mode, concurrency, progress, compact=compact)
    context = multiprocessing.get_context("fork")
    workers = []
    for index, share in enumerate(deal(hosts, processes)):
        threads = max(1, concurrency // processes + (1 if index < concurrency % processes else 0))
        reader, writer = context.Pipe(duplex=False)
        worker = context.Process(
            target=_fleet_worker, args=(share, job_of, mode, threads, writer, compact), name="axis-fleet-%d" % index
        )
        worker.start()
        writer.close()
        workers.append((worker, reader, share))
    results = {}
    failed = [0]
    open_readers = dict((reader, worker) for worker, reader, _share in workers)
    try:
        while open_readers:
            for reader in connection_wait(list(open_readers), timeout=1.0):
                try:
                    host, result = reader.recv()
                except (EOFError, OSError):
                    del open_readers[reader]
                    continue
                results[host] = result
                if result.get("failed"):
                    failed[0] += 1
            if progress:
                progress.update(len(results), failed[0])
    finally:
        for worker, reader, _share in workers:
            reader.close()
            worker.join(timeout=10)
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=5)
    for worker, _reader, share in workers:
        for host in share:
            if host not in results:
                failed[0] += 1
                results[host] = {
                    "failed": True,
                    "changed": False,
                    "msg": "the fleet task's worker process for this host ended before it was "
                    "checked (exit code %s)" % worker.exitcode,
                }
    if progress:
        progress.update(len(results), failed[0], final=True)
    return results


def deal(hosts, processes):
    """The hosts dealt out to `processes` workers in turn, in an order that does not follow the
    inventory's: inventories list devices in patterns (every fourth a recorder), and dealt in
    their own order one worker would get all the cameras. Each share keeps the hosts' order."""
    order = sorted(range(len(hosts)), key=lambda index: (hashlib.sha256(hosts[index].encode("utf-8")).digest(), index))
    shares = [sorted(order[start::processes]) for start in range(processes)]
    return [[hosts[index] for index in share] for share in shares]


def _fleet_worker(hosts, job_of, mode, threads, writer, compact=False):
    """Runs in a forked worker: the share of hosts, each result sent back as it is done."""
    # Ctrl-C and termination end this worker at once; Ansible's handlers belong to the parent.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def send(host, result):
        try:
            writer.send((host, result))
        except (TypeError, ValueError, AttributeError, pickle.PicklingError) as exc:
            writer.send((host, _unexpected(exc)))

    try:
        run_fleet((safe_job(job_of, host) for host in hosts), mode, threads, on_result=send, compact=compact)
    finally:
        writer.close()


def counts(results):
    total = len(results)
    failed = sum(1 for r in results.values() if r.get("failed"))
    changed = sum(1 for r in results.values() if r.get("changed"))
    return {"hosts": total, "ok": total - failed, "failed": failed, "changed": changed}
