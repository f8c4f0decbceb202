# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options and transport: bad options are refused before any request on both
execution paths, every transport failure is an error (never a traceback), TLS options win
over the environment's CA bundles, and a task's environment reaches the option fallbacks in
the controller as it does in a shipped module."""

import os
import time
import warnings

import pytest
import requests
import responses
import trustme
import urllib3
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient, connection_settings
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConnectionFailed,
    HttpError,
    InputError,
    JobError,
    JobTimeout,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import connection_error
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import SilentDevice

from vapix_sim.background import BackgroundFleet  # importable: conftest puts the simulator on sys.path
from vapix_sim.fleet import FleetConfig
from vapix_sim.model import DEFAULT_PASSWORDS

CAMERA = 2  # this file's device on the shared fleet (others reset theirs)
ENV_NAMES = (
    "AXIS_HOST",
    "AXIS_PORT",
    "AXIS_USERNAME",
    "AXIS_PASSWORD",
    "AXIS_USE_HTTPS",
    "AXIS_VALIDATE_CERTS",
    "AXIS_CA_PATH",
    "AXIS_TIMEOUT",
)


@pytest.fixture(autouse=True)
def no_axis_environment(monkeypatch):
    """The controller's own AXIS_* variables must not leak into these tests."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def info_args(sim, **options):
    args = dict(
        host="127.0.0.1",
        port=sim.port(CAMERA),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        timeout=5,
        gather_subset=["disks"],
    )
    args.update(options)
    return dict((k, v) for k, v in args.items() if v is not None)


# --- bad options: refused before any request ------------------------------------------------

BAD_OPTIONS = [
    ("port 70000", dict(port=70000), "port=70000", "1 to 65535"),
    ("port 0", dict(port=0), "port=0", "1 to 65535"),
    ("negative port", dict(port=-1), "port=-1", "1 to 65535"),
    ("negative timeout", dict(timeout=-1), "timeout=-1", "positive"),
    ("zero timeout", dict(timeout=0), "timeout=0", "positive"),
    ("huge timeout", dict(timeout=10**9), "timeout=1000000000", "at most"),
    ("empty host", dict(host=""), "host", "empty"),
    ("blank host", dict(host="  "), "host", "empty"),
    ("host with a path and query", dict(host="127.0.0.1/x?y="), "host='127.0.0.1/x?y='", "no path, query"),
    ("host with a scheme", dict(host="https://127.0.0.1"), "host='https://127.0.0.1'", "use_https"),
    ("host with a port", dict(host="127.0.0.1:8080"), "host='127.0.0.1:8080'", "port"),
    ("host with a user", dict(host="root@127.0.0.1"), "host='root@127.0.0.1'", "not a host name"),
    ("bad IPv6", dict(host="fe80::zz::1"), "host='fe80::zz::1'", "IPv6"),
    ("bad label", dict(host="cam-.example"), "host='cam-.example'", "host name"),
    (
        "missing CA file with HTTPS",
        dict(use_https=True, ca_path="/nonexistent/ca.pem"),
        "ca_path=/nonexistent/ca.pem",
        "no such file",
    ),
]


@pytest.mark.parametrize("options,name,allowed", [c[1:] for c in BAD_OPTIONS], ids=[c[0] for c in BAD_OPTIONS])
def test_bad_connection_options_fail_before_any_request(sim, options, name, allowed):
    sim.clear_log(CAMERA)
    params = dict(dict.fromkeys(("port", "ca_path", "use_https", "validate_certs")), **info_args(sim, **options))
    # The check both execution paths run first (run_module, and run_in_process in the controller:
    # tests/unit/plugins/plugin_utils/test_action_connection.py) ...
    message = connection_error(params)
    assert name in message and allowed in message
    # ... and a caller that builds the session first still gets the error, not a traceback.
    direct = execute(StorageInfo, params)
    assert direct["failed"] is True and direct["changed"] is False and direct["error_kind"] == "input"
    assert direct["msg"] == message and direct["requests"] == 0
    assert sim.log(CAMERA) == []


def test_an_unreadable_ca_file_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    ca.chmod(0)
    with pytest.raises(InputError) as failure:
        connection_settings(dict(host="cam", use_https=True, ca_path=str(ca)))
    assert "cannot be read" in str(failure.value)


def test_ca_path_is_only_checked_where_it_is_used(tmp_path):
    missing = str(tmp_path / "none.pem")
    assert connection_settings(dict(host="cam", ca_path=missing))["ca_path"] == missing  # plain HTTP
    assert connection_settings(dict(host="cam", use_https=True, validate_certs=False, ca_path=missing))
    assert connection_settings(dict(host="cam", use_https=True, ca_path=str(tmp_path)))["ca_path"] == str(tmp_path)


@pytest.mark.parametrize(
    "host",
    [
        "cam1",
        "cam1.example.com",
        "cam1.example.com.",
        "192.0.2.10",
        "2001:db8::10",
        "[2001:db8::10]",
        "fe80::1%eth0",
        "kamera-ø.example",
    ],
)
def test_good_hosts_are_accepted(host):
    assert connection_settings(dict(host=host, port=8080, timeout=3))["host"] == host


# --- transport failures: VapixError subclasses naming the CGI ---------------------------------

TRANSPORT_FAILURES = [
    (requests.exceptions.InvalidURL("Invalid URL"), InputError, "not a usable device address"),
    (urllib3.exceptions.LocationParseError("127.0.0.1:70000"), InputError, "not a usable device address"),
    (
        requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"),
        ConnectionFailed,
        "no complete answer",
    ),
    (
        requests.exceptions.ContentDecodingError("Received response with content-encoding: gzip"),
        HttpError,
        "could not be decoded",
    ),
    (requests.exceptions.TooManyRedirects("Exceeded 30 redirects."), HttpError, "redirected too often"),
    (requests.exceptions.RequestException("something odd"), ConnectionFailed, "failed"),
    (requests.exceptions.ReadTimeout("Read timed out."), ConnectionFailed, "may have reached the device"),
    (requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"), ConnectionFailed, "TLS error"),
    (OSError("Could not find a suitable TLS CA certificate bundle"), ConnectionFailed, "failed"),
    (ValueError("Invalid header value"), HttpError, "ValueError"),
]


@pytest.mark.parametrize("exc,cls,words", TRANSPORT_FAILURES, ids=[type(c[0]).__name__ for c in TRANSPORT_FAILURES])
def test_every_transport_failure_is_a_vapix_error_naming_the_cgi(exc, cls, words):
    naps = []
    client = VapixClient("192.0.2.10", username="root", password="Secret-Pw-1", sleep=naps.append)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, "http://192.0.2.10:80/axis-cgi/disks/list.cgi", body=exc)
        with pytest.raises(VapixError) as failure:
            client.xml("disks/list.cgi", {"diskid": "all"})
        calls = len(mock.calls)
    error = failure.value
    # A read is repeated only where a new attempt can succeed at once (the connection broke); a
    # timed-out read is not: asking again would only wait as long once more.
    retried = isinstance(exc, requests.exceptions.ChunkedEncodingError)
    assert (calls, len(naps)) == ((4, 3) if retried else (1, 0))
    assert isinstance(error, cls) and error.cgi == "disks/list.cgi"
    assert words in str(error) and str(error).startswith("disks/list.cgi: ")
    assert error.answer_lost is isinstance(
        exc, (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError)
    )


# --- timeouts and retries: one request costs at most its timeout ------------------------------


class FakeClock:
    """time.monotonic for the client, moved on only by its sleeps and by the fake transport."""

    def __init__(self):
        self.now = 0.0
        self.naps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.naps.append(seconds)
        self.now += seconds


def failing_transport(monkeypatch, client, clock, outcome, cost=0.0):
    """Every request takes `cost` seconds (at most its timeout) of the fake clock, then ends in
    `outcome`: an exception raised, or an HTTP status answered. Returns the timeouts given."""
    timeouts = []

    def request(method, url, **kwargs):
        timeouts.append(kwargs["timeout"])
        clock.now += min(cost, kwargs["timeout"])
        if isinstance(outcome, Exception):
            raise outcome
        response = requests.Response()
        response.status_code = outcome
        return response

    monkeypatch.setattr(client.session, "request", request)
    return timeouts


REFUSED = requests.exceptions.ConnectionError("[Errno 111] Connection refused")
RETRY_BUDGETS = [
    # refused at once: every backoff fits in 10 s, each retry gets the time left
    ("refused, timeout 10", REFUSED, 10, 0.0, [0.2, 0.6, 1.5], [10, 9.8, 9.2, 7.7]),
    # with 1 s the third backoff (1.5 s) would end after the deadline
    ("refused, timeout 1", REFUSED, 1, 0.0, [0.2, 0.6], [1, 0.8, 0.2]),
    # a slow refusal: the retries stop when the next backoff no longer fits
    ("slow refusal, timeout 2", REFUSED, 2, 0.5, [0.2, 0.6], [2, 1.3, 0.2]),
    ("503, timeout 1", 503, 1, 0.0, [0.2, 0.6], [1, 0.8, 0.2]),
    # a device that took the request and did not answer (or did not accept): never asked again
    ("read timeout", requests.exceptions.ReadTimeout("Read timed out. (read timeout=5)"), 5, 5.0, [], [5]),
    ("connect timeout", requests.exceptions.ConnectTimeout("Connection to 192.0.2.10 timed out"), 5, 5.0, [], [5]),
]


@pytest.mark.parametrize(
    "outcome,timeout,cost,naps,timeouts", [c[1:] for c in RETRY_BUDGETS], ids=[c[0] for c in RETRY_BUDGETS]
)
def test_a_request_with_its_retries_stays_within_its_timeout(monkeypatch, outcome, timeout, cost, naps, timeouts):
    clock = FakeClock()
    client = VapixClient(
        "192.0.2.10", username="root", password="Secret-Pw-1", timeout=timeout, sleep=clock.sleep, clock=clock
    )
    given = failing_transport(monkeypatch, client, clock, outcome, cost)
    with pytest.raises(VapixError) as failure:
        client.xml("disks/list.cgi", {"diskid": "all"})
    assert clock.naps == naps
    assert given == pytest.approx(timeouts)
    assert clock.now <= timeout
    assert failure.value.kind == ("http" if outcome == 503 else "connection")
    assert client.request_count == len(timeouts)


def test_a_write_is_not_retried_however_much_time_is_left(monkeypatch):
    clock = FakeClock()
    client = VapixClient(
        "192.0.2.10", username="root", password="Secret-Pw-1", timeout=30, sleep=clock.sleep, clock=clock
    )
    given = failing_transport(monkeypatch, client, clock, REFUSED)
    with pytest.raises(ConnectionFailed):
        client.xml("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, write=True)
    assert given == [30] and clock.naps == []


@pytest.fixture
def silent_device():
    device = SilentDevice()
    yield device
    device.stop()


def test_a_device_that_never_answers_costs_its_timeout_once(silent_device):
    """Measured on a real socket: the module's whole task, not only one request, waits once."""
    started = time.monotonic()
    result = execute(
        StorageInfo,
        dict(
            host="127.0.0.1",
            port=silent_device.port,
            username="root",
            password="Secret-Pw-1",
            timeout=1,
            gather_subset=["disks"],
        ),
    )
    elapsed = time.monotonic() - started
    assert result["failed"] is True and result["error_kind"] == "connection"
    assert "within timeout=1s" in result["msg"] and "may have reached the device" in result["msg"]
    assert result["requests"] == 1 and len(silent_device.accepted) == 1
    assert 1.0 <= elapsed < 1.8, elapsed


def test_a_transport_failure_in_a_task_is_a_failed_result(monkeypatch):
    def broken(*_args, **_kwargs):
        raise requests.exceptions.ChunkedEncodingError("Connection broken: InvalidChunkLength")

    device = DeviceSession(VapixClient("192.0.2.10", username="root", password="Secret-Pw-1", sleep=lambda s: None))
    monkeypatch.setattr(device.client.session, "request", broken)
    result = execute(StorageInfo, dict(host="192.0.2.10", gather_subset=["disks"]), device=device)
    assert result["failed"] is True and result["error_kind"] == "connection"
    assert "no complete answer" in result["msg"]


def test_each_error_kind_is_its_class():
    assert JobError("disks/format.cgi", "job failed: Bad block").kind == "job"
    assert VapixError("x.cgi", "text").kind == "api"
    assert InputError(None, "port=0: ...").kind == "input"
    with pytest.raises(TypeError):
        raise VapixError(None, "bad", kind="input")  # pylint: disable=unexpected-keyword-arg
    with pytest.raises(VapixError):
        raise ConnectionFailed("disks/list.cgi", "cannot reach")


def test_an_error_with_another_description_keeps_its_class_and_fields():
    error = JobTimeout("disks/format.cgi", "job 3 did not end", code=7, status=200, answer_lost=True)
    fuller = error.with_description("job 3 did not end (already done: format)")
    assert isinstance(fuller, JobTimeout) and fuller.kind == "timeout"
    assert (fuller.cgi, fuller.code, fuller.status, fuller.answer_lost) == ("disks/format.cgi", 7, 200, True)
    assert str(fuller) == "disks/format.cgi: error 7: job 3 did not end (already done: format)"
    assert str(error) == "disks/format.cgi: error 7: job 3 did not end"


def test_the_client_has_no_unused_write_counter():
    assert not hasattr(VapixClient("cam"), "write_count")


# --- TLS: ca_path and validate_certs win over REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE -------------


@pytest.fixture(scope="module")
def tls_device(tmp_path_factory):
    """One HTTPS device with its own CA, and a bundle of another CA (which does not sign it)."""
    folder = tmp_path_factory.mktemp("tls")
    ca_file = str(folder / "sim-ca.pem")
    other = folder / "other-bundle.pem"
    other.write_bytes(trustme.CA(organization_name="not the simulator").cert_pem.bytes())
    fleet = BackgroundFleet(
        FleetConfig(devices=1, base_port=0, profile="camera", https=True, ca_file=ca_file, control=False)
    ).start()
    yield fleet, ca_file, str(other)
    fleet.stop()


@pytest.fixture
def foreign_bundles(monkeypatch, tls_device):
    """Both variables requests reads, set to a bundle that does not contain the device's CA."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_device[2])
    monkeypatch.setenv("CURL_CA_BUNDLE", tls_device[2])
    return tls_device


def tls_client(fleet, **options):
    params = dict(
        host="127.0.0.1",
        port=fleet.port(0),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        use_https=True,
        timeout=5,
    )
    params.update(options)
    return VapixClient.from_params(params)


def test_ca_path_wins_over_the_environment_bundles(foreign_bundles):
    fleet, ca_file, _other = foreign_bundles
    client = tls_client(fleet, ca_path=ca_file)
    assert client.xml("disks/list.cgi", {"diskid": "all"})
    assert client.request_count == 2  # Digest challenge, then the answer


def test_validate_certs_false_wins_over_the_environment_bundles(foreign_bundles):
    fleet, _ca_file, _other = foreign_bundles
    client = tls_client(fleet, validate_certs=False, ca_path="/nonexistent/ca.pem")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        assert client.xml("disks/list.cgi", {"diskid": "all"})


def test_without_ca_path_the_environment_bundle_is_trusted_and_nothing_else(foreign_bundles, monkeypatch):
    fleet, ca_file, _other = foreign_bundles
    with pytest.raises(ConnectionFailed) as failure:
        tls_client(fleet).xml("disks/list.cgi", {"diskid": "all"})
    assert "TLS error" in str(failure.value) and "set ca_path" in str(failure.value)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file)
    assert tls_client(fleet).xml("disks/list.cgi", {"diskid": "all"})


def test_the_environment_is_read_once_per_device_not_per_request(foreign_bundles, monkeypatch):
    # requests with trust_env re-reads proxies and CA variables on every request; the client
    # resolves them once, with the same precedence, and sends them with every request.
    fleet, ca_file, _other = foreign_bundles
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file)
    client = tls_client(fleet)
    assert client.session.trust_env is False and client.verify == ca_file
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/other.pem")  # later changes do not apply
    assert client.xml("disks/list.cgi", {"diskid": "all"})
    assert client.xml("disks/list.cgi", {"diskid": "all"})
