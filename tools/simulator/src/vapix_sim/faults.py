"""Fault injection for one simulated device: latency, 503 bursts, dropped connections,
failing or hanging jobs, reboots, and an address that is no Axis device at all (`not_axis`).

The server consults a device's `Faults` before every CGI request; handlers pass it on to
`Device.start_job(..., faults=request.faults)`, which calls `shape_job`. Counters ("next N
requests") are consumed by CGI requests only, never by the /sim/ control endpoint, so a test
can always inspect a device it is tormenting.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from .handlers.disks import lose_jobs
from .model import Device, Job

DEFAULT_JOB_FAILURE = "Simulated job failure"
# Share tests report a network-share error code; 760 is "connect problem" (Network share API).
DEFAULT_SHARE_FAIL_CODE = 760


class FaultError(ValueError):
    """A fault specification that cannot be applied (answered as HTTP 400 by the control API)."""


@dataclass
class JobFault:
    """What to do to the next (or every, when persistent) matching job."""

    hang: bool  # never finish (progress stops at 99)
    fail_at: int | None = None  # progress at which the job fails (when not hanging)
    description: str = DEFAULT_JOB_FAILURE
    code: int | None = None  # share-test error code; default 760 for share tests
    persistent: bool = False
    actions: tuple | None = None  # limit to these job actions (format, sharetest, ...)

    def matches(self, job: Job) -> bool:
        return self.actions is None or job.action in self.actions

    def to_dict(self) -> dict:
        data = {"persistent": self.persistent, "actions": list(self.actions) if self.actions is not None else None}
        if not self.hang:
            data.update(at=self.fail_at, description=self.description, code=self.code)
        return data


def _int(value, name: str, lo: int = 0, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FaultError("%s must be an integer" % name)
    if value < lo or (hi is not None and value > hi):
        raise FaultError("%s must be in %s..%s" % (name, lo, hi if hi is not None else "inf"))
    return value


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise FaultError("%s must be a non-negative number" % name)
    return float(value)


def _job_fault(spec, hang: bool) -> JobFault | None:
    if spec is None or spec is False:
        return None
    if spec is True:
        spec = {}
    if not isinstance(spec, dict):
        raise FaultError("job fault must be an object, true or null")
    allowed = {"persistent", "actions"} | (set() if hang else {"at", "description", "code"})
    unknown = set(spec) - allowed
    if unknown:
        raise FaultError("unknown job fault keys: %s" % ", ".join(sorted(unknown)))
    actions = spec.get("actions")
    if actions is not None:
        if isinstance(actions, str):
            actions = [actions]
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise FaultError("actions must be a list of job actions")
        actions = tuple(actions)
    persistent = spec.get("persistent", False)
    if not isinstance(persistent, bool):
        raise FaultError("persistent must be a boolean")
    if hang:
        return JobFault(hang=True, persistent=persistent, actions=actions)
    if "at" not in spec:
        raise FaultError("job_fail needs 'at' (progress 0..100 at which the job fails)")
    description = spec.get("description", DEFAULT_JOB_FAILURE)
    if not isinstance(description, str):
        raise FaultError("description must be a string")
    code = spec.get("code")
    if code is not None:
        code = _int(code, "code")
    return JobFault(
        hang=False,
        fail_at=_int(spec["at"], "at", 0, 100),
        description=description,
        code=code,
        persistent=persistent,
        actions=actions,
    )


class Faults:
    """The faults currently armed on one device."""

    KEYS = ("latency_ms", "http_503", "retry_after", "drop", "job_fail", "job_hang", "reboot_seconds", "not_axis")

    def __init__(self) -> None:
        self.latency_ms: int = 0
        self.http_503: int = 0  # the next N CGI requests answer 503
        self.retry_after: int = 5  # Retry-After (seconds) sent with those 503s
        self.drop: int = 0  # the next N CGI requests get their connection closed
        self.job_fail: JobFault | None = None
        self.job_hang: JobFault | None = None
        self.reboot_until: float | None = None  # device clock time the reboot ends
        # The device's address is served by some other web server (a replaced device, another
        # product): every path outside /sim/ answers that server's 404, nothing asks for a login.
        self.not_axis: bool = False

    @classmethod
    def from_spec(cls, spec: dict | None) -> Faults:
        faults = cls()
        if spec:
            faults.update(spec)
        return faults

    def copy(self) -> Faults:
        return copy.deepcopy(self)

    # --- control API ----------------------------------------------------------------------

    def update(self, spec: dict, device: Device | None = None, now: float | None = None) -> None:
        """Apply a JSON fault specification; keys not given keep their value, null clears.

        Everything is validated before anything changes, so a bad spec changes nothing.
        """
        if not isinstance(spec, dict):
            raise FaultError("faults must be a JSON object")
        unknown = set(spec) - set(self.KEYS)
        if unknown:
            raise FaultError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        staged = {}
        for key in ("latency_ms", "http_503", "drop"):
            if key in spec:
                staged[key] = 0 if spec[key] is None else _int(spec[key], key)
        if "retry_after" in spec:
            staged["retry_after"] = 5 if spec["retry_after"] is None else _int(spec["retry_after"], "retry_after")
        if "job_fail" in spec:
            staged["job_fail"] = _job_fault(spec["job_fail"], hang=False)
        if "job_hang" in spec:
            staged["job_hang"] = _job_fault(spec["job_hang"], hang=True)
        if "not_axis" in spec:
            if spec["not_axis"] is not None and not isinstance(spec["not_axis"], bool):
                raise FaultError("not_axis must be true, false or null")
            staged["not_axis"] = bool(spec["not_axis"])
        reboot = None
        if spec.get("reboot_seconds") is not None:
            reboot = _number(spec["reboot_seconds"], "reboot_seconds")
            if device is None or now is None:
                raise FaultError("reboot_seconds needs a device")
        for key, value in staged.items():
            setattr(self, key, value)
        if reboot is not None:
            self.start_reboot(device, now, reboot)

    def to_dict(self, now: float | None = None) -> dict:
        remaining = 0.0
        if self.reboot_until is not None and now is not None:
            remaining = max(0.0, self.reboot_until - now)
        return {
            "latency_ms": self.latency_ms,
            "http_503": self.http_503,
            "retry_after": self.retry_after,
            "drop": self.drop,
            "job_fail": self.job_fail.to_dict() if self.job_fail else None,
            "job_hang": self.job_hang.to_dict() if self.job_hang else None,
            "not_axis": self.not_axis,
            "rebooting": self.reboot_until is not None,
            "reboot_remaining": round(remaining, 3),
        }

    # --- request-time faults --------------------------------------------------------------

    def take_drop(self) -> bool:
        if self.drop > 0:
            self.drop -= 1
            return True
        return False

    def take_503(self) -> bool:
        if self.http_503 > 0:
            self.http_503 -= 1
            return True
        return False

    # --- jobs -----------------------------------------------------------------------------

    def shape_job(self, job: Job) -> None:
        """Called by Device.start_job: make the job hang or fail as armed."""
        hang = self.job_hang
        if hang is not None and hang.matches(job):
            job.never_finish = True
            if not hang.persistent:
                self.job_hang = None
            return
        fail = self.job_fail
        if fail is not None and fail.matches(job):
            job.fail_at = fail.fail_at
            job.fail_description = fail.description
            if fail.code is not None:
                job.fail_code = fail.code
            elif job.action == "sharetest":
                job.fail_code = DEFAULT_SHARE_FAIL_CODE
            if not fail.persistent:
                self.job_fail = None

    # --- reboot ---------------------------------------------------------------------------

    def rebooting(self, now: float) -> bool:
        return self.reboot_until is not None and now < self.reboot_until

    def start_reboot(self, device: Device, now: float, seconds: float) -> None:
        """Power-cycle: jobs in flight are lost (a format under way leaves its disk unformatted)
        and every disk is unmounted until boot ends."""
        device.tick()  # jobs that already ended keep their effect
        lose_jobs(device)
        for disk in device.disks.values():
            disk.mounted = False
        self.reboot_until = now + seconds

    def settle(self, device: Device, now: float) -> bool:
        """Finish a reboot whose time is up: remount what mounts on boot. True if it ended."""
        if self.reboot_until is None or now < self.reboot_until:
            return False
        self.reboot_until = None
        for disk in device.disks.values():
            if disk.mount_on_boot and disk.present and not disk.failed and disk.filesystem != "none":
                disk.mounted = True
        return True
