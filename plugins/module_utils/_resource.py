# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module scaffolding: connection options, the device session, and the resource base class.

A resource class knows one kind of thing on a device (a disk, a share, a profile ...): how to
read it, what the user's options make of it, and the ordered steps that get it there. The base
class does the rest once for every module: input validation before any request, check mode
(plan, never write), diff (before/after, secrets masked), step and job reporting, and error
mapping. Resource classes take a DeviceSession, not an AnsibleModule, so a whole-device task
can compose several of them over one session and one set of cached reads.
"""

import copy
import time

from ansible.module_utils.basic import env_fallback
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import (
    MASK,
    REQUESTS_IMPORT_ERROR,
    XMLTODICT_IMPORT_ERROR,
    ConnectionFailed,
    DeviceRestarted,
    HttpError,
    InputError,
    JobError,
    JobTimeout,
    RefusedError,
    StateError,
    VapixClient,
    VapixError,
    connection_settings,
    element_list,
    unwrap,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._compat import raw_module_params
from ansible_collections.vapix.edge_storage.plugins.module_utils._capabilities import Capabilities
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import JobWaiter

CONNECTION_ARGSPEC = dict(
    host=dict(type="str", required=True, fallback=(env_fallback, ["AXIS_HOST"])),
    port=dict(type="int", fallback=(env_fallback, ["AXIS_PORT"])),
    username=dict(type="str", required=True, fallback=(env_fallback, ["AXIS_USERNAME"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["AXIS_PASSWORD"])),
    use_https=dict(type="bool", default=False, fallback=(env_fallback, ["AXIS_USE_HTTPS"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["AXIS_VALIDATE_CERTS"])),
    ca_path=dict(type="path", fallback=(env_fallback, ["AXIS_CA_PATH"])),
    timeout=dict(type="int", default=10, fallback=(env_fallback, ["AXIS_TIMEOUT"])),
)

JOB_TIMEOUT_ARGSPEC = dict(job_timeout=dict(type="int", default=600))


def check_job_timeout(params):
    """The one range check of job_timeout, for every resource that waits for device jobs."""
    timeout = params.get("job_timeout")
    if timeout is not None and timeout <= 0:
        raise input_error("job_timeout=%s must be a positive number of seconds" % timeout)


def input_error(message):
    """Bad user input, found before anything is sent to the device."""
    return InputError(None, message)


def destructive_error(message):
    """A needed step would destroy data and its opt-in option is false: raised before any write."""
    return RefusedError(None, message)


def connection_error(params):
    """The message for invalid connection options (port, timeout, host, ca_path), or None.

    Both execution paths call this before anything else runs; ranges are in the doc fragment.
    """
    try:
        connection_settings(params)
    except InputError as exc:
        return str(exc)
    return None


def strict_type_errors(spec, params, prefix=""):
    """Values the argument spec would silently turn into garbage, as messages naming the option.

    Ansible converts anything to a string for a `type: str` option, so `share_password: [a, b]`
    would be stored as the text "['a', 'b']". A list or a dictionary is refused for every
    string option, and a boolean for a secret (an unquoted `yes` is not a password). An option
    with nested options must be a dictionary (or a list of them): Ansible would otherwise parse
    a string as key=value pairs, or fail with a message that names no option. Runs on the
    arguments as given, before the argument spec converts them; messages never show values.
    """
    errors = []
    if not isinstance(params, dict):
        return errors
    for name, option in spec.items():
        value = params.get(name)
        if value is None:
            continue
        path = prefix + name
        kind = option.get("type", "str")
        nested = option.get("options")
        if kind == "str":
            if isinstance(value, (list, dict)) or (isinstance(value, bool) and option.get("no_log")):
                errors.append("%s must be a string, not a %s%s" % (
                    path, _type_word(value), " (quote it)" if isinstance(value, bool) else ""))
        elif nested and kind == "dict":
            if not isinstance(value, dict):
                errors.append("%s must be a dictionary of %s, not a %s" % (path, _names(nested), _type_word(value)))
            else:
                errors.extend(strict_type_errors(nested, value, path + "."))
        elif nested and kind == "list":
            if not isinstance(value, list):
                errors.append("%s must be a list of dictionaries of %s, not a %s"
                              % (path, _names(nested), _type_word(value)))
                continue
            for index, item in enumerate(value):
                where = "%s[%d]" % (path, index)
                if not isinstance(item, dict):
                    errors.append("%s must be a dictionary of %s, not a %s" % (where, _names(nested), _type_word(item)))
                else:
                    errors.extend(strict_type_errors(nested, item, where + "."))
    return errors


RULES = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


def located_errors(spec, params):
    """Argument spec errors of list items, each with the item's index in front.

    Ansible reports a bad nested option as "... found in disks" without saying which item;
    validating every item on its own with the same nested spec tells `disks[1]: ...`.
    """
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible.module_utils.errors import UnsupportedError

    def messages(result, prefix):
        return ["%s%s%s" % (prefix, "unsupported parameter " if isinstance(error, UnsupportedError) else "",
                            error.msg) for error in result.errors]

    if not isinstance(params, dict):
        return []
    items, shallow = [], {}
    for name, option in spec.items():
        value = params.get(name)
        shallow[name] = dict((k, v) for k, v in option.items() if k not in ("options",) + RULES)
        if not (option.get("options") and option.get("type") == "list" and isinstance(value, list)):
            continue
        rules = dict((rule, option[rule]) for rule in RULES if option.get(rule))
        for index, item in enumerate(value):
            if isinstance(item, dict):
                result = ArgumentSpecValidator(option["options"], **rules).validate(item)
                items.extend(messages(result, "%s[%d]: " % (name, index)))
    if not items:
        return []
    # the errors outside the items too, so that none is lost
    return messages(ArgumentSpecValidator(shallow).validate(params), "") + items


def _type_word(value):
    if isinstance(value, bool):
        return "boolean"
    return {"str": "string", "dict": "dictionary", "int": "number", "float": "number"}.get(
        type(value).__name__, type(value).__name__)


def _names(options):
    names = sorted(options)
    return "options (%s)" % ", ".join(names) if len(names) <= 4 else "options such as %s" % ", ".join(names[:4])


def update_password_decision(params, option, exists, what):
    """(write, reason) for a write-only password under update_password, or None where the mode
    leaves it to the resource (verify).

    The share password (Network share API) and the camera password (External IP Device
    Information API) are never returned by the device, so neither can be compared: on_create
    sends it only with a new item, always on every run.
    """
    if params.get(option) is None:
        return False, "no %s given" % option
    if not exists:
        return True, "the %s is created with it" % what
    if params.get("update_password") == "on_create":
        return False, "update_password=on_create: the password of an existing %s is left as it is" % what
    if params.get("update_password") == "always":
        return True, ("update_password=always: the device never returns the password, so it is written on every "
                      "run without being compared (unverifiable write)")
    return None


class DeviceSession(object):
    """One device for one task: the client, lazily read capabilities, and cached reads.

    A read is made at most once per session; a write invalidates the reads it affects, so a
    resource that runs after another sees the device as it is now.
    """

    def __init__(self, client):
        self.client = client
        self.caps = Capabilities(client)
        self._cache = {}

    @classmethod
    def from_params(cls, params, environ=None):
        """A session from the connection options; invalid ones are raised by its first request.

        environ: the process environment for proxies and CA bundles (default os.environ).
        """
        return cls(VapixClient.from_params(params, environ=environ))

    def cached(self, key, read):
        if key not in self._cache:
            self._cache[key] = read()
        return self._cache[key]

    def invalidate(self, *keys):
        for key in keys:
            self._cache.pop(key, None)

    def forget(self):
        """Drop every cached read: after a failure or a restart nothing read before is trusted."""
        self._cache.clear()

    def view(self):
        """This session for a look-ahead pass: same client and reads, handed out as copies."""
        return SessionView(self)


def plain_copy(value):
    """A deep copy of data read from a device (dicts, lists and scalars), several times faster than
    copy.deepcopy, which a drift check calls a few dozen times per device. Anything else is
    shared, as deepcopy shares immutable values."""
    if isinstance(value, dict):
        return dict((key, plain_copy(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain_copy(item) for item in value]
    if isinstance(value, (set, tuple)) or not isinstance(value, (str, bytes, int, float, type(None))):
        return copy.deepcopy(value)
    return value


class SessionView(object):
    """A copy-on-read view of a DeviceSession, for check-mode passes inside a real run.

    What the pass reads is cached in the session (the real run reuses it), but every read is
    handed out as a deep copy, so a plan that edits what it read (e.g. assumes a camera created)
    leaves the session's reads as the device has them.
    """

    def __init__(self, session):
        self.session = session
        self.client = session.client
        self.caps = session.caps

    def cached(self, key, read):
        return plain_copy(self.session.cached(key, read))

    def invalidate(self, *keys):
        self.session.invalidate(*keys)

    def forget(self):
        self.session.forget()

    def view(self):
        return self


class Step(object):
    """One write (or group of writes) in the plan; `run` returns a detail for the output."""

    def __init__(self, action, detail, run, destructive=False):
        self.action = action
        self.detail = detail
        self.run = run
        self.destructive = destructive
        self.outcome = None
        self.failed = False
        # False once the device refused it and showed its change already made (by another client)
        self.wrote = True

    def report(self, executed):
        entry = {"action": self.action, "detail": self.detail, "executed": executed}
        if self.outcome is not None:
            entry["outcome"] = self.outcome
        if self.failed:
            entry["failed"] = True
        return entry


# Fields that change by themselves (recordings fill a disk): not a sign that this task wrote.
VOLATILE_FIELDS = ("free_kb", "total_kb", "used_kb", "full")

# Errors after which the failed step may have written (its answer lost, or its job started).
MAY_HAVE_WRITTEN = (ConnectionFailed, JobTimeout, JobError, DeviceRestarted, StateError, HttpError)


def _shown(value):
    return "unset" if value is None else value


class PartialFailure(object):
    """What a failed run had done: attached to the VapixError it raises as `exc.partial`.

    `result` holds changed, steps, jobs and the state read back, for the module result; the
    exception's message already says what was done and what is left.
    """

    def __init__(self, result):
        self.result = result


def partial_result(exc):
    """The part of a failed run's result that says what it had done (empty if nothing)."""
    partial = getattr(exc, "partial", None)
    return dict(partial.result) if partial is not None else {}


def no_log_values(spec, params):
    """The values of every no_log option of a (nested) argument spec that params sets."""
    found = []
    if not isinstance(params, dict):
        return found
    for name, option in spec.items():
        value = params.get(name)
        if value is None or value == "":
            continue
        if option.get("no_log"):
            found.append(value)
        elif option.get("options"):
            for item in value if isinstance(value, list) else [value]:
                found.extend(no_log_values(option["options"], item))
    return found


class Runnable(object):
    """What a module runs on one device: a Resource, the whole-device DeviceStorage, StorageInfo.

    The module's main() (run_module), the action plugin's in-process path (run_in_process) and
    the fleet task accept only subclasses. A subclass declares its options (argument_spec,
    module_kwargs) and the result key of its state, and implements validate() and apply();
    run() checks the input before any request and adds what every result reports.
    """

    #: name of the key that holds the state in the result (e.g. "disk")
    result_key = "resource"
    #: the options (merged with the connection options by the module)
    argument_spec = {}
    module_kwargs = {}

    def __init__(self, device, params, check_mode=False):
        self.device = device
        self.client = device.client
        self.params = params
        self.check_mode = check_mode
        self.warnings = []
        # Ansible masks the no_log options (nested ones too) in the task's output; the client
        # masks them in the messages the collection builds, and in the URLs it logs.
        for value in no_log_values(self.argument_spec, params):
            self.client.secrets.add(value)

    def validate(self):
        """Check input that the argument spec cannot; raise input_error(...) before any request."""

    def apply(self, diff):
        """The work of run(): return the result without requests, seconds and warnings."""
        raise NotImplementedError

    def run(self, diff=False):
        """The module result; a VapixError raised here carries what was done (see partial_result)."""
        started = time.time()
        self.validate()
        result = self.apply(diff)
        result["requests"] = self.client.request_count
        result["seconds"] = round(time.time() - started, 3)
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result


def runnable(cls):
    """cls itself, if it is a Runnable subclass: the one type the module and action paths run."""
    if not (isinstance(cls, type) and issubclass(cls, Runnable)):
        raise TypeError("%r is not a Runnable (Resource, DeviceStorage or StorageInfo) class" % (cls,))
    return cls


class Resource(Runnable):
    """Base of every resource: subclasses fill in the four methods below, and the hooks they need."""

    #: the diff's "after" is the state read back after a real run, not the prediction
    diff_after_read_back = False

    def __init__(self, device, params, check_mode=False):
        super(Resource, self).__init__(device, params, check_mode=check_mode)
        self.jobs = []

    @property
    def secret_options(self):
        """The no_log options: masked in the state shown, left out of diffs' changed fields."""
        return tuple(name for name, option in self.argument_spec.items() if option.get("no_log"))

    # --- to implement (and validate()) -----------------------------------------------------

    def read(self):
        """Return the current state (a dict of the managed fields) or None if absent."""
        raise NotImplementedError

    def desired(self, current):
        """Return the state the options ask for (same keys as read()), or None for absent."""
        raise NotImplementedError

    def plan(self, current, desired):
        """Return the ordered list of Steps that turn current into desired (empty = no change)."""
        raise NotImplementedError

    # --- hooks: override where the resource knows better ------------------------------------

    def diff_fields(self):
        """The fields the diff shows (None: all of them)."""
        return None

    def diff_headers(self):
        """Extra diff keys (before_header, after_header) when the fields alone would mislead."""
        return {}

    def result_extras(self, final):
        """Resource-specific result keys, given the state read after the run (also on failure)."""
        return {}

    def unverified_secrets(self, result):
        """Declared write-only secrets that this run neither wrote (or would write) nor proved.

        The device never returns them, so a resource that matches in everything else may still
        hold another value: the drift report calls it unverifiable, not compliant.
        """
        return []

    def unverified_password(self, option, written):
        """unverified_secrets() of a write-only password: [option] where it is declared and this
        run neither wrote nor proved it."""
        if self.params.get("state") == "absent" or self.params.get(option) is None or written:
            return []
        return [option]

    def already_done(self, step, exc, now):
        """After `step` failed with `exc`, does `now` (read back) show it done?

        Called when the answer was lost (ConnectionFailed), and when the device refused the step
        (it answered with an error and nothing of the step was written) and may_be_done() said
        the refusal can mean "already there": a concurrent run made the same change first.
        Return the step's outcome to go on with the next step, or None to fail.
        """
        return None

    def may_be_done(self, step, exc):
        """Can the device's refusal `exc` of `step` mean that the change is already there (as
        "not unique" or "already bound" do)? Then the state is read back for already_done()."""
        return False

    def state_left(self, before, now):
        """A sentence on the state a failed run leaves that the changed fields alone do not say."""
        if before and now and before.get("mounted") and now.get("mounted") is False and now.get("disk_id"):
            return "disk %s is unmounted" % now["disk_id"]
        return None

    # --- shared helpers ------------------------------------------------------------------

    def view(self, state):
        """The state as shown in diff and result: secrets masked."""
        if state is None:
            return {}
        shown = plain_copy(state)
        for key in list(shown):
            if key in self.secret_options and shown[key] is not None:
                shown[key] = MASK
        return shown

    def wait_disk_job(self, start_doc, disk_id, action):
        """Record and wait for a job started by disks/{format,mount,...}.cgi."""
        jobs = element_list(unwrap(start_doc), "job")
        job_id = jobs[0].get("@jobid") if jobs else None
        if job_id is None:
            raise VapixError("disks/%s.cgi" % action, "the device did not return a job id")
        waiter = JobWaiter(self.client, self.params.get("job_timeout") or 600)
        try:
            outcome = waiter.disk_job(job_id, disk_id, action)
        except VapixError as exc:
            self.jobs.append(failed_job(exc, job_id=job_id, action=action, disk_id=disk_id))
            raise
        self.jobs.append(outcome)
        return outcome

    def wait_share_job(self, job_id, share):
        waiter = JobWaiter(self.client, self.params.get("job_timeout") or 600)
        outcome = waiter.share_job(job_id, share)
        self.jobs.append(outcome)
        return outcome

    # --- the run -------------------------------------------------------------------------

    def apply(self, diff):
        before = self.read()
        after = self.desired(before)
        steps = self.plan(before, after)
        executed = not self.check_mode
        if executed:
            self._execute(steps, before, diff)
        final = after
        if steps and executed:
            final = self.read()
        result = {
            # a step the device showed already done (by another client) wrote nothing
            "changed": any(step.wrote for step in steps) if executed else bool(steps),
            self.result_key: self.view(final),
            "steps": [step.report(executed and step.wrote) for step in steps],
            "jobs": self.jobs,
        }
        result.update(self.result_extras(final))
        if diff:
            shown_after = final if (self.diff_after_read_back and executed and steps) else after
            result["diff"] = {"before": self._diff_view(before), "after": self._diff_view(shown_after)}
            result["diff"].update(self.diff_headers())
        return result

    def _diff_view(self, state):
        shown = self.view(state)
        fields = self.diff_fields()
        if fields is None:
            return shown
        return dict((k, v) for k, v in shown.items() if k in fields)

    def _execute(self, steps, before, diff):
        done = []
        for step in steps:
            jobs = len(self.jobs)
            writes = getattr(self.client, "accepted_writes", 0)
            try:
                step.outcome = step.run()
            except VapixError as exc:
                lost = isinstance(exc, ConnectionFailed)  # the client found no answer, even after its retries
                # the device answered with an error, and accepted nothing of this step nor started a job
                refused = not isinstance(exc, MAY_HAVE_WRITTEN) and len(self.jobs) == jobs \
                    and getattr(self.client, "accepted_writes", 0) == writes
                recheck = refused and self.may_be_done(step, exc)
                now, known = self._read_back(exc, done, recheck)
                outcome = self.already_done(step, exc, now) if ((lost or recheck) and known) else None
                if outcome is None:
                    # a destructive job the device started (a format) has written, whatever it left
                    started = step.destructive and len(self.jobs) > jobs
                    raise self._failure(exc, steps, step, done, before, now, known, lost, diff, started, refused)
                step.outcome = outcome
                step.wrote = not refused
            done.append(step)

    def _read_back(self, exc, done, recheck=False):
        """The state after a failure, read again: (state, True), or (None, False) if unreadable."""
        if not done and not isinstance(exc, MAY_HAVE_WRITTEN) and not recheck:
            return None, False  # the device refused the first write: nothing changed, nothing to read
        self.device.forget()
        try:
            return self.read(), True
        except VapixError:
            return None, False

    def changed_fields(self, before, now):
        """[(field, was, now)] of what differs between two reads, volatile sizes aside."""
        before, now = self.view(before), self.view(now)
        changes = []
        for key in sorted(set(before) | set(now)):
            if key in VOLATILE_FIELDS or key.startswith("_") or key in self.secret_options:
                continue
            if before.get(key) != now.get(key):
                changes.append((key, before.get(key), now.get(key)))
        return changes

    def _failure(self, exc, steps, failing, done, before, now, known, lost, diff, started=False, refused=False):
        """The error of a failed run, with what it did attached (see PartialFailure).

        refused: the device answered the failing step with an error and took none of it, so the
        step is reported as not executed; with nothing written before it either, what the device
        shows now was changed by someone else, not by this task.
        """
        failing.failed = True
        failing.outcome = "%s: %s" % ("refused" if refused else "failed", self.client.secrets.mask(exc.description))
        wrote = [step for step in done if step.wrote]
        ours = bool(wrote) or not refused
        seen = self.changed_fields(before, now) if known and before is not None and now is not None else []
        changes = seen if ours else []
        appeared = ours and known and (before is None) != (now is None)
        changed = bool(wrote) or bool(changes) or appeared or started
        notes = []
        if not ours and (seen or (known and (before is None) != (now is None))):
            notes.append("the device was changed meanwhile by another client, not by this task")
        if started and not changes:
            notes.append("%s was started on the device" % failing.action)
        if lost:
            if not known:
                notes.append("%s got no answer and the device could not be read back, so whether it took effect "
                             "is unknown" % (exc.cgi or failing.action))
            elif changes or appeared:
                notes.append("%s got no answer, but reading the device back shows it took effect"
                             % (exc.cgi or failing.action))
            else:
                notes.append("%s got no answer; reading the device back shows no change" % (exc.cgi or failing.action))
        if wrote:
            notes.append("already done: %s" % ", ".join(step.action for step in wrote))
        if len(wrote) < len(done):
            notes.append("found already on the device: %s" % ", ".join(step.action for step in done if not step.wrote))
        if appeared:
            notes.append("it now exists on the device" if now is not None else "it is gone from the device")
        if changes:
            shown = ", ".join("%s=%s (was %s)" % (k, _shown(n), _shown(b)) for k, b, n in changes)
            notes.append("the device now shows %s" % shown)
        left = self.state_left(before, now) if known and now is not None else None
        if left and changed:
            notes.append(left)
        pending = [step.action for step in steps[steps.index(failing) + 1:]]
        if changed and pending:
            notes.append("not done: %s" % ", ".join(pending))
        description = exc.description
        if notes and (changed or lost or not ours) and not isinstance(exc, StateError):  # a state error explains itself
            description = "%s (%s; run the task again to finish)" % (exc.description, "; ".join(notes))
        # the same class and kind of error, with the fuller message
        error = exc.__class__.__new__(exc.__class__)
        error.__dict__.update(exc.__dict__)
        error.description = description
        error.args = (error.message(),)
        result = {
            "changed": changed,
            "steps": [step.report(step in wrote or (step is failing and not refused)) for step in steps],
            "jobs": self.jobs,
        }
        if known:
            result[self.result_key] = self.view(now)
        result.update(self.result_extras(now if known else None))
        if diff and known:
            result["diff"] = {"before": self._diff_view(before), "after": self._diff_view(now)}
        if self.warnings:
            result["warnings"] = list(self.warnings)
        error.partial = PartialFailure(result)
        return error


def failed_job(exc, **entry):
    """The jobs entry of a job that failed, timed out or was lost in a restart."""
    entry = dict(entry)
    if entry.get("job_id") is not None:
        try:
            entry["job_id"] = int(entry["job_id"])
        except (TypeError, ValueError):
            pass
    entry.update(result={"timeout": "timeout", "restarted": "lost"}.get(exc.kind, "failed"),
                 error=exc.description)
    return entry


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
    error = input_error("; ".join(strict)) if strict else None

    class Module(AnsibleModule):
        def fail_json(self, msg, **kwargs):
            located = error
            if located is None and getattr(self, "validation_result", None) is not None \
                    and self.validation_result.error_messages:
                # a failed argument spec: say which item of a list it is about
                where = located_errors(spec, raw_module_params())
                located = input_error("; ".join(where)) if where else None
            if located is not None:
                msg = str(located)
                kwargs.update(changed=False, **located.to_result())
            super(Module, self).fail_json(msg=msg, **kwargs)

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
