"""HTTPS with the fleet's own CA: validation against the CA file works, without it fails."""

from __future__ import annotations

import socket
import ssl

import pytest
import requests
from requests.auth import HTTPBasicAuth

from vapix_sim.model import DEFAULT_PASSWORDS


@pytest.fixture
def tls_fleet(fleet_factory):
    return fleet_factory(devices=2, https=True, profile="mixed")


def test_ca_file_is_a_pem_certificate(tls_fleet):
    with open(tls_fleet.config.ca_file) as handle:
        text = handle.read()
    assert text.startswith("-----BEGIN CERTIFICATE-----")
    assert text.rstrip().endswith("-----END CERTIFICATE-----")


def test_verified_against_the_ca_file(tls_fleet):
    response = requests.get(
        tls_fleet.cgi_url("disks/list.cgi?diskid=all"),
        auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]),
        verify=tls_fleet.config.ca_file,
        timeout=5,
    )
    assert response.status_code == 200
    assert "<disks" in response.text


def test_localhost_name_is_valid_too(tls_fleet):
    url = "https://localhost:%d/axis-cgi/simtest/echo.cgi" % tls_fleet.port(1)
    response = requests.get(
        url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), verify=tls_fleet.config.ca_file, timeout=5
    )
    assert response.status_code == 200
    assert response.json()["scheme"] == "https"


def test_system_trust_store_rejects_the_certificate(tls_fleet):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_fleet.cgi_url("disks/list.cgi"), verify=True, timeout=5)


def test_plain_http_to_tls_port_fails(tls_fleet):
    with pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:%d/axis-cgi/disks/list.cgi" % tls_fleet.port(0), timeout=5)


def test_certificate_chain_is_checked_by_python_ssl(tls_fleet):
    context = ssl.create_default_context(cafile=tls_fleet.config.ca_file)
    with socket.create_connection(("127.0.0.1", tls_fleet.port(0))) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
            names = [value for kind, value in tls.getpeercert()["subjectAltName"]]
    assert "127.0.0.1" in names and "localhost" in names


def test_control_endpoint_over_https(tls_fleet):
    status, state = tls_fleet.control("GET", "state", i=1)
    assert status == 200
    assert state["profile"] == "camera"
