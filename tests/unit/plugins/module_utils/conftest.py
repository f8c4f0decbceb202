# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One simulated fleet for the unit tests that talk HTTP: 3 cameras and a recorder, in-process.

The simulator's source sits next to the collection (tools/simulator/src), in a checkout and in the
tree ansible-test builds. It is a hard requirement: a missing simulator fails the tests, it
never skips them.

Every test that uses `sim` starts with all devices in factory state (factory_fresh_devices),
so tests do not depend on their order. `fake_clock` freezes the devices' clock and makes job
waits sleep on it. Decision tests on canned reads use `offline_session` instead of a fleet.
ansible-test runs each test in a fork of its own: there the "session" fleet lives for one test.
"""

import json
import os
import sys
import time

import pytest

SIM_SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "tools", "simulator", "src")
if os.path.isdir(SIM_SRC) and os.path.abspath(SIM_SRC) not in sys.path:
    sys.path.append(os.path.abspath(SIM_SRC))

from ansible_collections.vapix.edge_storage.plugins.module_utils import _resource  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import JobWaiter  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession  # noqa: E402
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import sim_control  # noqa: E402

from vapix_sim.background import BackgroundFleet  # noqa: E402
from vapix_sim.fleet import FleetConfig  # noqa: E402
from vapix_sim.model import DEFAULT_PASSWORDS  # noqa: E402

try:  # ansible-core 2.19+; conftest imports it for the tests
    from ansible.module_utils.testing import patch_module_args  # noqa: F401  pylint: disable=unused-import
except ImportError:  # ansible-core before 2.19: AnsibleModule reads the private basic._ANSIBLE_ARGS
    import contextlib

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """The module arguments AnsibleModule (and _compat.raw_module_params) will read."""
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


CAMERAS = (0, 1, 2)
RECORDER = 3
DEVICES = CAMERAS + (RECORDER,)
FACTORY_PASSWORD = DEFAULT_PASSWORDS["root"]


class SimClock:
    """The devices' clock: real monotonic time, or frozen and moved on only by `advance`.

    It never goes back (freezing and releasing keep the time it shows), so jobs and Digest
    nonces of the one session fleet stay consistent from test to test.
    """

    def __init__(self):
        self._offset = 0.0
        self._frozen_at = None

    def __call__(self):
        frozen_at = self._frozen_at
        return frozen_at if frozen_at is not None else time.monotonic() + self._offset

    def freeze(self):
        self._frozen_at = self()

    def advance(self, seconds):
        if self._frozen_at is None:
            raise RuntimeError("only a frozen clock can be advanced")
        self._frozen_at += seconds

    def release(self):
        now = self()
        self._offset = now - time.monotonic()
        self._frozen_at = None


class Sim:
    """The running fleet plus the control calls tests need (reset, log, drift, faults)."""

    def __init__(self, background, clock):
        self.background = background
        self.clock = clock
        self.passwords = {}

    def port(self, index):
        return self.background.port(index)

    def control(self, index, path, method="GET", payload=None):
        return sim_control(self.port(index), path, method, payload)

    def reset(self, index):
        """Factory state: device state, faults, request log, and root's password."""
        self.control(index, "reset", "POST")
        self.passwords.pop(index, None)

    def set_password(self, index, password):
        """Give root another password (until the next reset); params() and run() use it."""
        self.patch(index, {"users": {"root": {"password": password}}})
        self.passwords[index] = password

    def state(self, index):
        return self.control(index, "state")

    def log(self, index):
        return self.control(index, "log")

    def clear_log(self, index):
        self.control(index, "log", "DELETE")

    def writes(self, index):
        return [entry for entry in self.log(index) if entry["write"]]

    def written_cgis(self, index):
        return [entry["cgi"] for entry in self.writes(index)]

    def patch(self, index, state):
        self.control(index, "state", "POST", state)

    def faults(self, index, spec):
        self.control(index, "faults", "POST", spec)

    def device(self, index):
        return self.background.device(index)

    def params(self, index, **options):
        params = dict(
            host="127.0.0.1",
            port=self.port(index),
            username="root",
            password=self.passwords.get(index, FACTORY_PASSWORD),
            use_https=False,
            validate_certs=True,
            ca_path=None,
            timeout=5,
            job_timeout=30,
        )
        params.update(options)
        return params

    def resource_params(self, resource_cls, index, **options):
        """A resource's module parameters for one device: unset options as their argspec defaults."""
        params = dict((name, spec.get("default")) for name, spec in resource_cls.argument_spec.items())
        params.update(self.params(index))
        params.update(options)
        return params

    def run(self, resource_cls, index, check_mode=False, diff=True, **options):
        """Run a resource as its module would (see resource_params)."""
        return execute(
            resource_cls, self.resource_params(resource_cls, index, **options), check_mode=check_mode, diff=diff
        )


@pytest.fixture(scope="session")
def sim():
    clock = SimClock()
    background = BackgroundFleet(
        FleetConfig(devices=len(DEVICES), base_port=0, profile="mixed", control=True, job_time_scale=0.01), clock=clock
    ).start()
    yield Sim(background, clock)
    background.stop()


@pytest.fixture(autouse=True)
def factory_fresh_devices(request):
    """A test that uses the fleet starts with every device in factory state, whatever ran before."""
    if "sim" in request.fixturenames:
        sim = request.getfixturevalue("sim")
        for index in DEVICES:
            sim.reset(index)


@pytest.fixture
def fake_clock(sim, monkeypatch):
    """Freeze the devices' clock and let the resources' job waits sleep on it: a job ends, or
    reaches its job_timeout, after a few polls and no real waiting."""
    sim.clock.freeze()
    monkeypatch.setattr(
        _resource,
        "JobWaiter",
        lambda client, timeout: JobWaiter(client, timeout, clock=sim.clock, sleep=sim.clock.advance),
    )
    yield sim.clock
    sim.clock.release()


class NoNetworkClient:
    """The client of a session on canned reads: any request is recorded and fails the test."""

    # the canned reads stand for a device that has accepted the login
    authenticated = True

    def __init__(self):
        self.secrets = Secrets()
        self.request_count = 0
        self.calls = []

    def xml(self, cgi, args=None, write=False, retry_write=False, method="GET"):
        self.calls.append((cgi, args, write))
        raise AssertionError("unexpected request to %s" % cgi)

    def statuses(self):
        return {}


@pytest.fixture
def offline_session():
    """Makes device sessions for decision tests: fill their cache; a request fails the test."""
    return lambda: DeviceSession(NoNetworkClient())
