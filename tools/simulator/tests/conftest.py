"""Shared fixtures: devices on a fake clock, and a direct handler caller (no HTTP).

HTTP-level fixtures (a running fleet on loopback ports) live in tests/fleet_fixtures.py.
"""

from __future__ import annotations

import urllib.parse

import pytest
import xmltodict

from vapix_sim import handlers  # noqa: F401  (registers the CGIs)
from vapix_sim.http import REGISTRY, CgiRequest
from vapix_sim.model import make_camera, make_recorder

# The HTTP-level fixtures (fleet_factory, sim_fleet, simtest_cgis) for every test module.
pytest_plugins = ["fleet_fixtures"]


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def camera(clock):
    dev = make_camera(1, 8001)
    dev.clock = clock
    return dev


@pytest.fixture
def camera2(clock):
    """A dual-slot camera (SD_DISK and SD_DISK2)."""
    dev = make_camera(2, 8002, second_sd=True)
    dev.clock = clock
    return dev


@pytest.fixture
def camera980(clock):
    """A camera on AXIS OS 9.80 (the firmware preset of the 9.80.2.2 capture)."""
    dev = make_camera(4, 8004, firmware_key="9.80")
    dev.clock = clock
    return dev


@pytest.fixture
def camera551(clock):
    """A camera on firmware 5.51 (no API discovery, Basic device information, Disk properties)."""
    dev = make_camera(5, 8005, firmware_key="5.51")
    dev.clock = clock
    return dev


@pytest.fixture
def multisensor(clock):
    """A 4-sensor camera on the default firmware."""
    dev = make_camera(6, 8006, sensors=4)
    dev.clock = clock
    return dev


@pytest.fixture
def recorder(clock):
    dev = make_recorder(3, 8003)
    dev.clock = clock
    return dev


class Called:
    def __init__(self, reply):
        self.reply = reply
        self.status = reply.status
        self.text = reply.body.decode() if isinstance(reply.body, bytes) else reply.body
        self._doc = None

    @property
    def doc(self):
        """The body parsed with xmltodict (attributes as '@name')."""
        if self._doc is None:
            self._doc = xmltodict.parse(self.text)
        return self._doc


def call_cgi(device, path, method="GET", user="root", body=b"", content_type="", faults=None, **args):
    """Call a handler as the server would (tick first), bypassing HTTP and auth."""
    full = "/axis-cgi/" + path.lstrip("/")
    spec = REGISTRY[full]
    if not spec.available(device):
        from vapix_sim.http import not_found

        return Called(not_found(full))
    device.tick()
    request = CgiRequest(
        method=method,
        path=full,
        args={k: str(v) for k, v in args.items()},
        body=body,
        content_type=content_type,
        user=device.users.get(user),
        faults=faults,
    )
    return Called(spec.handler(device, request))


@pytest.fixture
def call():
    return call_cgi


def encode_options(options: dict) -> str:
    """How a client encodes a nested option string: k=v&k=v, then percent-encoded as one value."""
    return urllib.parse.urlencode(options)
