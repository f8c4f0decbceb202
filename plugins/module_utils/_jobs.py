# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for the device's asynchronous jobs: disks/job.cgi and disks/networkshare/job.cgi."""

import time

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    ConnectionFailed,
    DeviceRestarted,
    JobError,
    JobTimeout,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

FIRST_POLL = 0.05  # a simulated or fast job is often done within tens of milliseconds
MAX_POLL = 2.0  # a format of a large disk takes minutes: no need to ask more often
POLL_GROWTH = 1.6


class JobWaiter:
    """Polls jobs until done with a growing interval and an overall deadline per job.

    A device that stops answering mid-job (a reboot) is waited for until the deadline,
    not failed at once. When it answers again but no longer knows the job, the job was lost
    with the restart: that is an error of kind "restarted", which the caller resolves by
    reading the disk (see start_disk_job). `clock` and `sleep` are injectable for tests.
    """

    def __init__(self, client, timeout, clock=time.monotonic, sleep=time.sleep):
        self.client = client
        self.timeout = timeout
        self.clock = clock
        self.sleep = sleep
        self.was_unreachable = False  # during the current wait

    def _wait(self, describe, poll):
        started = self.clock()
        deadline = started + self.timeout
        interval = FIRST_POLL
        unreachable_since = None
        self.was_unreachable = False
        while True:
            try:
                done, progress = poll()
                unreachable_since = None
            except ConnectionFailed:
                # Rebooting or overloaded: keep waiting until the deadline.
                unreachable_since = unreachable_since or self.clock()
                self.was_unreachable = True
                done, progress = False, None
            now = self.clock()
            if done:
                return round(now - started, 3)
            if now >= deadline:
                detail = "last progress %s%%" % progress if progress is not None else "no progress seen"
                if unreachable_since is not None:
                    detail = "device unreachable for the last %.1f s" % (now - unreachable_since)
                raise JobTimeout(describe, "job did not finish within job_timeout=%s s (%s)" % (self.timeout, detail))
            self.sleep(min(interval, max(0.0, deadline - now)))
            interval = min(interval * POLL_GROWTH, MAX_POLL)

    def disk_job(self, job_id, disk_id, action):
        """Wait for a disks/*.cgi job; return a result entry for the module output."""
        describe = "disks/job.cgi (%s of %s, job %s)" % (action, disk_id, job_id)

        def poll():
            sent = self.client.request_count
            try:
                doc = self.client.xml("disks/job.cgi", {"jobid": job_id, "diskid": disk_id})
            except VapixError as exc:
                # More than one request for one poll: the client retried it through connection
                # failures (a short outage it rode out itself), which counts as unreachable too.
                self.was_unreachable = self.was_unreachable or self.client.request_count - sent > 1
                forgotten = "no such job" in str(exc.description).lower()
                if isinstance(exc, ApiError) and (self.was_unreachable or forgotten):
                    # Unreachable, then answering without the job; or a job the device itself
                    # started and no longer knows, which a reboot shorter than the poll interval
                    # also leaves: the device restarted and dropped its jobs (Disk management API
                    # jobs do not survive a reboot). The caller resolves it from the disk.
                    raise DeviceRestarted(
                        describe,
                        "the device restarted during the job: %sit no longer knew job %s "
                        "(%s)"
                        % (
                            "it did not answer for a while, then " if self.was_unreachable else "",
                            job_id,
                            exc.description,
                        ),
                    ) from exc
                if isinstance(exc, ApiError):
                    raise JobError(describe, "job failed: %s" % exc.description) from exc
                raise
            job = element_list(unwrap(doc), "job")
            progress = int(job[0].get("@progress", 0)) if job else 0
            return progress >= 100, progress

        elapsed = self._wait(describe, poll)
        return {"job_id": int(job_id), "action": action, "disk_id": disk_id, "result": "ok", "seconds": elapsed}

    def share_job(self, job_id, share):
        """Wait for a network share test job (disks/networkshare/job.cgi)."""
        describe = "disks/networkshare/job.cgi (test of share %s, job %s)" % (share, job_id)

        def poll():
            try:
                doc = self.client.xml("disks/networkshare/job.cgi", {"schemaversion": 1, "jobid": job_id})
            except ApiError as exc:
                raise JobError(describe, "share test failed: %s" % share_error_meaning(exc), code=exc.code) from exc
            success = unwrap(doc).get("JobSuccess") or {}
            progress = success.get("Progress") if isinstance(success, dict) else None
            return progress is None, progress

        elapsed = self._wait(describe, poll)
        return {"job_id": int(job_id), "action": "test", "share": share, "result": "ok", "seconds": elapsed}


SHARE_ERRORS = {
    700: "no such host (check the address and DNS)",
    710: "the share could not be mounted (check the share name and the credentials)",
    720: "the device had an internal error while mounting the share",
    730: "too many share tests or jobs are running on the device; try again later",
    740: "the share cannot be written (check the user's write permission and free space)",
    750: "data written to the share could not be read back",
    760: "cannot connect to the share (check the address, firewall and SMB version)",
}


def share_error_meaning(exc):
    meaning = SHARE_ERRORS.get(exc.code)
    if meaning:
        return "%s (error %s: %s)" % (meaning, exc.code, exc.description)
    return "error %s: %s" % (exc.code, exc.description)


def failed_job(exc, **entry):
    """The jobs entry of a job that failed, timed out or was lost in a restart."""
    entry = dict(entry)
    if entry.get("job_id") is not None:
        try:
            entry["job_id"] = int(entry["job_id"])
        except (TypeError, ValueError):
            pass
    entry.update(result={"timeout": "timeout", "restarted": "lost"}.get(exc.kind, "failed"), error=exc.description)
    return entry
