"""The counting test proxy: forwards HTTP and tunnels HTTPS to the simulated devices, counts both."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests
from fleet_fixtures import free_port_range
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from vapix_sim.model import DEFAULT_PASSWORDS
from vapix_sim.proxy import READY_PREFIX, BackgroundProxy

AUTH = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])


@pytest.fixture
def proxy():
    running = BackgroundProxy().start()
    yield running
    running.stop()


def counted(proxy):
    return requests.get(proxy.url + "/proxy/count", timeout=5).json()


def test_http_through_the_proxy_with_digest_auth_and_a_body(fleet_factory, proxy):
    fleet = fleet_factory(devices=1, profile="camera")
    proxies = {"http": proxy.url}
    with requests.Session() as session:
        session.auth = AUTH
        listing = session.get(fleet.cgi_url("disks/list.cgi?diskid=all"), proxies=proxies, timeout=5)
        posted = session.post(fleet.cgi_url("simtest/echo.cgi"), data={"a": "b c"}, proxies=proxies, timeout=5)
    assert listing.status_code == 200 and "<disks" in listing.text
    assert posted.status_code == 200 and posted.json()["args"]["a"] == "b c"
    seen = counted(proxy)
    # the 401 challenge, the listing again with credentials, the post
    assert seen["requests"] == 3
    assert all(
        entry["target"].startswith("http://127.0.0.1:%d/axis-cgi/" % fleet.port(0)) for entry in seen["forwarded"]
    )
    assert fleet.node(0).requests == 3


def test_https_is_tunnelled_and_counted(fleet_factory, proxy):
    fleet = fleet_factory(devices=1, profile="camera", https=True)
    # over HTTPS the default ("recommended") policy offers Basic
    response = requests.get(
        fleet.cgi_url("disks/list.cgi?diskid=all"),
        auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]),
        verify=fleet.config.ca_file,
        proxies={"https": proxy.url},
        timeout=5,
    )
    assert response.status_code == 200 and "<disks" in response.text
    seen = counted(proxy)
    assert seen["requests"] >= 1
    assert {entry["method"] for entry in seen["forwarded"]} == {"CONNECT"}
    assert seen["forwarded"][0]["target"] == "127.0.0.1:%d" % fleet.port(0)


def test_reset_and_no_other_destination(proxy):
    dead = requests.get("http://127.0.0.1:9/nothing", proxies={"http": proxy.url}, timeout=5)
    assert dead.status_code == 502 and "cannot reach 127.0.0.1:9" in dead.text
    assert counted(proxy)["requests"] == 1  # it was forwarded, to nothing
    refused = requests.get("http://192.0.2.1/", proxies={"http": proxy.url}, timeout=5)
    assert refused.status_code == 403
    assert requests.post(proxy.url + "/proxy/reset", timeout=5).status_code == 200
    assert counted(proxy) == {"requests": 0, "forwarded": []}


def test_the_command_line_proxy_is_ready_and_ends_after_its_lifetime():
    port = free_port_range(1)
    process = subprocess.Popen(
        [sys.executable, "-m", "vapix_sim.proxy", "--port", str(port), "--lifetime", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith(READY_PREFIX)
        assert requests.get("http://127.0.0.1:%d/proxy/count" % port, timeout=5).json()["requests"] == 0
        started = time.monotonic()
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
