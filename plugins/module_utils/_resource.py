# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource contract: Runnable, the Resource base class, and the plan's Step.

A resource class knows one kind of thing on a device (a disk, a share, a profile ...): how to
read it, what the user's options make of it, and the ordered steps that get it there. The base
class does the rest once for every module: input validation before any request, check mode
(plan, never write), diff (before/after, secrets masked), step and job reporting, and error
mapping. Resource classes take a DeviceSession, not an AnsibleModule, so a whole-device task
can compose several of them over one session and one set of cached reads (_session.py).
Option checks live in _validation.py, the AnsibleModule glue in _module.py.
"""

import time

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    ConnectionFailed,
    DeviceRestarted,
    HttpError,
    JobError,
    JobTimeout,
    StateError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import JobWaiter
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import MASK
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import plain_copy
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import no_log_values


class Step:
    """One write (or group of writes) in the plan; `run` returns a detail for the output.

    A probe (probe=True) asks the device a question it answers only through a write that changes
    nothing or a job (a passphrase changed into itself, a share test): it is never counted as a
    change, it runs before the plan's writes, and once it has run the resource plans again with
    its answer (Resource.probed). Like every step it is skipped in check mode.
    """

    def __init__(self, action, detail, run, destructive=False, probe=False):
        self.action = action
        self.detail = detail
        self.run = run
        self.destructive = destructive
        self.probe = probe
        self.outcome = None
        self.failed = False
        # False once the device refused it and showed its change already made (by another client),
        # and for a probe, which changes nothing
        self.wrote = not probe

    def report(self, executed):
        entry = {"action": self.action, "detail": self.detail, "executed": executed}
        if self.probe:
            entry["probe"] = True
        if self.outcome is not None:
            entry["outcome"] = self.outcome
        if self.failed:
            entry["failed"] = True
        return entry


def write_steps(steps):
    """The steps of a plan that change the device (every step but the probes)."""
    return [step for step in steps if not step.probe]


# Fields that change by themselves (recordings fill a disk): not a sign that this task wrote.
VOLATILE_FIELDS = ("free_kb", "total_kb", "used_kb", "full")

# Errors after which the failed step may have written (its answer lost, or its job started).
MAY_HAVE_WRITTEN = (ConnectionFailed, JobTimeout, JobError, DeviceRestarted, StateError, HttpError)


def _shown(value):
    return "unset" if value is None else value


class PartialFailure:
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


class Runnable:
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
        """Check input that the argument spec cannot; raise InputError(None, ...) before any request."""

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
            # a resource that plans again after a probe may repeat a warning of its first plan
            result["warnings"] = list(dict.fromkeys(self.warnings))
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
        super().__init__(device, params, check_mode=check_mode)
        self.jobs = []

    @property
    def secret_options(self):
        """The no_log options: masked in the state shown, left out of diffs' changed fields.

        Asked for every field of every diff: worked out once per class (its argument_spec is the
        class's own), not once per field (2 % of a fleet drift check's CPU).
        """
        cls = type(self)
        found = cls.__dict__.get("_secret_options")
        if found is None or found[0] is not self.argument_spec:
            found = (
                self.argument_spec,
                tuple(name for name, option in self.argument_spec.items() if option.get("no_log")),
            )
            cls._secret_options = found
        return found[1]

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
        return None

    def probed(self, before):
        """The state read before the run, with what a probe step has since learnt of it.

        Called after each probe; desired() and plan() are then asked again, from this state.
        """
        return before

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

    def job_waiter(self):
        """The waiter for the device jobs this resource starts (disk jobs, share tests): job_timeout."""
        return JobWaiter(self.client, self.params.get("job_timeout") or 600)

    # --- the run -------------------------------------------------------------------------

    def apply(self, diff):
        before = self.read()
        after = self.desired(before)
        steps = self.plan(before, after)
        executed = not self.check_mode
        if executed:
            before, after, steps = self._execute(steps, before, after, diff)
        final = after
        if write_steps(steps) and executed:
            final = self.read()
        result = {
            # a step the device showed already done (by another client) wrote nothing
            "changed": any(step.wrote for step in steps) if executed else bool(write_steps(steps)),
            self.result_key: self.view(final),
            "steps": [step.report(executed and (step.wrote or step.probe)) for step in steps],
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

    def _execute(self, steps, before, after, diff):
        """Run the steps; returns (before, after, steps) as the probes among them have refined them."""
        done = []
        index = 0
        while index < len(steps):
            step = steps[index]
            index += 1
            if step.probe and write_steps(done):
                raise ValueError("%s: a probe step must come before the plan's writes" % step.action)
            jobs = len(self.jobs)
            writes = getattr(self.client, "accepted_writes", 0)
            try:
                step.outcome = step.run()
            except VapixError as exc:
                lost = isinstance(exc, ConnectionFailed)  # the client found no answer, even after its retries
                # the device answered with an error, and accepted nothing of this step nor started a job
                # (also when the resource explains the device's answer as another error: a
                # StateError raised from addconfiguration's over-capacity ApiError)
                answered = not isinstance(exc, MAY_HAVE_WRITTEN) or isinstance(exc.__cause__, ApiError)
                refused = answered and len(self.jobs) == jobs and getattr(self.client, "accepted_writes", 0) == writes
                recheck = refused and self.may_be_done(step, exc)
                now, known = self._read_back(done, refused, recheck)
                outcome = self.already_done(step, exc, now) if ((lost or recheck) and known) else None
                if outcome is None:
                    # a destructive job the device started (a format) has written, whatever it left
                    started = step.destructive and len(self.jobs) > jobs
                    raise self._failure(
                        exc, steps, step, done, before, now, known, lost, diff, started, refused
                    ) from exc
                step.outcome = outcome
                step.wrote = not refused and not step.probe
            done.append(step)
            if step.probe:
                # plan again with the answer: the steps after a probe depend on it
                before = self.probed(before)
                after = self.desired(before)
                asked = set(s.action for s in done if s.probe)
                steps = steps[:index] + [s for s in self.plan(before, after) if not (s.probe and s.action in asked)]
        return before, after, steps

    def _read_back(self, done, refused, recheck=False):
        """The state after a failure, read again: (state, True), or (None, False) if unreadable."""
        if not write_steps(done) and refused and not recheck:
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
                notes.append(
                    "%s got no answer and the device could not be read back, so whether it took effect "
                    "is unknown" % (exc.cgi or failing.action)
                )
            elif changes or appeared:
                notes.append(
                    "%s got no answer, but reading the device back shows it took effect" % (exc.cgi or failing.action)
                )
            else:
                notes.append("%s got no answer; reading the device back shows no change" % (exc.cgi or failing.action))
        if wrote:
            notes.append("already done: %s" % ", ".join(step.action for step in wrote))
        if len(wrote) < len(write_steps(done)):
            notes.append(
                "found already on the device: %s"
                % ", ".join(step.action for step in write_steps(done) if not step.wrote)
            )
        if appeared:
            notes.append("it now exists on the device" if now is not None else "it is gone from the device")
        if changes:
            shown = ", ".join("%s=%s (was %s)" % (k, _shown(n), _shown(b)) for k, b, n in changes)
            notes.append("the device now shows %s" % shown)
        left = self.state_left(before, now) if known and now is not None else None
        if left and changed:
            notes.append(left)
        pending = [step.action for step in steps[steps.index(failing) + 1 :]]
        if changed and pending:
            notes.append("not done: %s" % ", ".join(pending))
        description = exc.description
        if notes and (changed or lost or not ours) and not isinstance(exc, StateError):  # a state error explains itself
            description = "%s (%s; run the task again to finish)" % (exc.description, "; ".join(notes))
        # the same class of error, with the fuller message
        error = exc.with_description(description)
        result = {
            "changed": changed,
            "steps": [
                step.report(step in wrote or (step.probe and step in done) or (step is failing and not refused))
                for step in steps
            ],
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
