"""Fixtures that run a fleet in-process on free loopback ports, in a background thread.

conftest.py registers this module as a pytest plugin, so every test module has its fixtures
without importing them (an imported fixture shadowed by the test's parameter of the same name
is what linters report as a redefinition).

`fleet_factory(devices=4, profile="mixed", clock=clock, ...)` returns a started
RunningFleet (stopped at teardown); keyword arguments are FleetConfig fields, plus `clock`
(e.g. conftest's FakeClock; default time.monotonic). The fleet serves the control endpoint
unless told `control=False`.

The `simtest/*.cgi` CGIs below exist only while a test using these fixtures runs; they let
server tests exercise roles, profiles, crashes and jobs independently of the real handlers.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests
from requests.auth import HTTPDigestAuth

from vapix_sim.background import BackgroundFleet
from vapix_sim.fleet import HOST, FleetConfig
from vapix_sim.http import REGISTRY, Reply, cgi
from vapix_sim.model import DEFAULT_PASSWORDS


class RunningFleet(BackgroundFleet):
    """A BackgroundFleet with request helpers for tests."""

    def session(self, user: str = "root", password=None) -> requests.Session:
        session = requests.Session()
        session.auth = HTTPDigestAuth(user, DEFAULT_PASSWORDS.get(user, "") if password is None else password)
        if self.config.https:
            session.verify = self.config.ca_file
        return session

    def control(self, method: str, path: str, i: int = 0, payload=None):
        """Call /sim/<path> and return (status, decoded JSON)."""
        data = json.dumps(payload) if payload is not None else None
        verify = self.config.ca_file if self.config.https else True
        response = requests.request(
            method,
            self.url("sim/" + path, i),
            data=data,
            headers={"Content-Type": "application/json"},
            verify=verify,
            timeout=10,
        )
        return response.status_code, response.json()


# --- test-only CGIs -----------------------------------------------------------------------


def _echo(device, request):
    return Reply(
        content_type="application/json",
        body=json.dumps(
            {
                "method": request.method,
                "path": request.path,
                "args": request.args,
                "body": request.body.decode("utf-8", "replace"),
                "content_type": request.content_type,
                "user": request.user.name if request.user else None,
                "scheme": request.scheme,
                "serial": device.serial,
                "has_faults": request.faults is not None,
            }
        ),
    )


def _who(device, request):
    return Reply(content_type="text/plain", body=request.user.name if request.user else "-")


def _needs_user(device, request):
    if request.user is None:
        return Reply(status=401)
    return _who(device, request)


def _crash(device, request):
    raise RuntimeError("simtest crash marker")


def _start_job(device, request):
    disk_id = request.args.get("diskid") or next(iter(device.disks))
    action = request.args.get("action", "format")
    jobs = device.share_jobs if action == "sharetest" else device.jobs
    job = device.start_job(jobs, action, disk_id, faults=request.faults)
    if action != "sharetest":
        device.disks[disk_id].busy_job = job.job_id
    return Reply(content_type="text/plain", body=str(job.job_id))


def _jobs(device, request):
    now = device.now()
    return Reply(
        content_type="application/json",
        body=json.dumps(
            {
                str(job.job_id): {
                    "action": job.action,
                    "finished": job.finished,
                    "failed": job.failed,
                    "progress": job.progress(now),
                    "fail_at": job.fail_at,
                    "fail_code": job.fail_code,
                    "fail_description": job.fail_description,
                    "never_finish": job.never_finish,
                }
                for jobs in (device.jobs, device.share_jobs)
                for job in jobs.values()
            }
        ),
    )


TEST_CGIS = {
    "simtest/echo.cgi": dict(handler=_echo, role="viewer", write=lambda args: args.get("action") == "set"),
    "simtest/anonymous.cgi": dict(handler=_who, role="anonymous"),
    "simtest/needs_user.cgi": dict(handler=_needs_user, role="anonymous"),
    "simtest/operator.cgi": dict(handler=_who, role="operator"),
    "simtest/admin.cgi": dict(handler=_who, role="admin", write=True),
    "simtest/camera_only.cgi": dict(handler=_who, role="viewer", profiles=("camera",)),
    "simtest/crash.cgi": dict(handler=_crash, role="viewer"),
    "simtest/startjob.cgi": dict(handler=_start_job, role="operator", write=True),
    "simtest/jobs.cgi": dict(handler=_jobs, role="operator"),
}


@pytest.fixture
def simtest_cgis():
    added = []
    for path, spec in TEST_CGIS.items():
        full = "/axis-cgi/" + path
        if full not in REGISTRY:
            cgi(path, role=spec["role"], profiles=spec.get("profiles"), write=spec.get("write", False))(spec["handler"])
            added.append(full)
    yield
    for full in added:
        REGISTRY.pop(full, None)


@pytest.fixture
def fleet_factory(simtest_cgis, tmp_path):
    running = []

    def make(clock=time.monotonic, **options) -> RunningFleet:
        options.setdefault("devices", 1)
        options.setdefault("base_port", 0)
        options.setdefault("control", True)
        if options.get("https"):
            options.setdefault("ca_file", str(tmp_path / ("ca-%d.pem" % len(running))))
        fleet = RunningFleet(FleetConfig(**options), clock=clock)
        running.append(fleet)
        return fleet.start()

    yield make
    for fleet in running:
        fleet.stop()


@pytest.fixture
def sim_fleet(fleet_factory, clock):
    """Four devices (cam-0001..0003, rec-0004) on a fake clock, control endpoint on."""
    return fleet_factory(devices=4, profile="mixed", clock=clock)


def free_port_range(count: int, low: int = 20000, high: int = 32000) -> int:
    """A base port with `count` free consecutive ports below the ephemeral range."""
    import random

    for _ in range(50):
        base = random.randrange(low, high - count)
        taken = []
        try:
            for port in range(base, base + count):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                taken.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((HOST, port))
        except OSError:
            continue
        finally:
            for sock in taken:
                sock.close()
        return base
    raise RuntimeError("no %d free consecutive ports" % count)
