# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Proxies and CA bundles read from a given environment are what requests reads from os.environ."""

import os

import pytest
import requests
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._environment import ca_bundle, proxies_for

PROXY_NAMES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "REQUEST_METHOD",
)

CASES = [
    {},
    {"HTTP_PROXY": "http://upper:3128"},
    {"http_proxy": "http://lower:3128"},
    {"HTTP_PROXY": "http://upper:3128", "http_proxy": "http://lower:3128"},
    {"HTTP_PROXY": "http://upper:3128", "http_proxy": ""},
    {"HTTPS_PROXY": "http://tls:3128", "ALL_PROXY": "http://all:3128"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.1"},
    {"HTTP_PROXY": "http://p:1", "no_proxy": "127.0.0.0/8"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8,192.0.2.7"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "example.com"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": ".example.com"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "cam.example.com:8080"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "*"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "ample.com"},
    {"HTTP_PROXY": "http://p:1", "no_proxy": "", "NO_PROXY": "127.0.0.1"},
    {"HTTP_PROXY": "http://p:1", "http_proxy": "http://q:2", "REQUEST_METHOD": "GET"},
    {"HTTP_PROXY": "http://p:1", "REQUEST_METHOD": "GET"},
]
URLS = [
    "http://127.0.0.1:8080",
    "https://127.0.0.1",
    "http://cam.example.com:8080",
    "https://cam.example.com",
    "http://badexample.com",
    "http://192.0.2.7:80",
    "http://[2001:db8::1]:80",
]


@pytest.fixture
def clean_environment(monkeypatch):
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("environment", CASES, ids=[",".join(sorted(case)) or "none" for case in CASES])
def test_proxies_are_what_requests_reads_from_the_process_environment(clean_environment, environment):
    for name, value in environment.items():
        clean_environment.setenv(name, value)
    for url in URLS:
        assert proxies_for(url, dict(os.environ)) == requests.utils.get_environ_proxies(url), (url, environment)


def test_ca_bundle_order():
    assert ca_bundle({}) == (None, None)
    assert ca_bundle({"CURL_CA_BUNDLE": "/c.pem"}) == ("/c.pem", "CURL_CA_BUNDLE")
    assert ca_bundle({"CURL_CA_BUNDLE": "/c.pem", "REQUESTS_CA_BUNDLE": "/r.pem"}) == ("/r.pem", "REQUESTS_CA_BUNDLE")
    assert ca_bundle({"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "/c.pem"}) == ("/c.pem", "CURL_CA_BUNDLE")


def test_the_client_reads_the_environment_it_is_given_not_os_environ(clean_environment):
    clean_environment.setenv("HTTP_PROXY", "http://controller-proxy:3128")
    clean_environment.setenv("REQUESTS_CA_BUNDLE", "/controller/bundle.pem")
    given = {
        "HTTP_PROXY": "http://task-proxy:3128",
        "HTTPS_PROXY": "http://task-proxy:3129",
        "CURL_CA_BUNDLE": "/task/bundle.pem",
    }
    client = VapixClient("127.0.0.1", 8080, environ=given)
    assert client.proxies == {"http": "http://task-proxy:3128", "https": "http://task-proxy:3129"}
    tls = VapixClient("127.0.0.1", 443, use_https=True, environ=given)
    assert tls.verify == "/task/bundle.pem" and "CURL_CA_BUNDLE" in tls.ca_source
    # ca_path and validate_certs still win over any bundle variable
    assert VapixClient("127.0.0.1", 443, use_https=True, ca_path="/pinned.pem", environ=given).verify == "/pinned.pem"
    assert VapixClient("127.0.0.1", 443, use_https=True, validate_certs=False, environ=given).verify is False
    # without one, the process environment, as before
    default = VapixClient("127.0.0.1", 443, use_https=True)
    assert default.proxies == {"http": "http://controller-proxy:3128"} and default.verify == "/controller/bundle.pem"
