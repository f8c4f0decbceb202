"""Authentication over real HTTP: Digest and Basic per policy, roles, nonces, keep-alive."""

from __future__ import annotations

import hashlib
import json
import random

import pytest
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from vapix_sim.auth import NonceIssuer, parse_auth_params
from vapix_sim.model import DEFAULT_PASSWORDS


def _md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest_header(user, password, realm, nonce, method, uri, nc="00000001", cnonce="0a4f113b", qop="auth"):
    ha1 = _md5("%s:%s:%s" % (user, realm, password))
    ha2 = _md5("%s:%s" % (method, uri))
    response = _md5("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
    return (
        'Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5, '
        'response="%s", qop=%s, nc=%s, cnonce="%s"' % (user, realm, nonce, uri, response, qop, nc, cnonce)
    )


def challenge(response):
    scheme, _, rest = response.headers["WWW-Authenticate"].partition(" ")
    return scheme, parse_auth_params(rest)


def test_digest_accepted_over_http_by_default(sim_fleet):
    response = requests.get(
        sim_fleet.cgi_url("disks/list.cgi?diskid=all"),
        auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]),
        timeout=5,
    )
    assert response.status_code == 200
    assert "<disks" in response.text
    assert response.headers["Content-Type"] == "text/xml"


def test_first_request_gets_axis_style_digest_challenge(fleet_factory):
    """Firmware before AXIS OS 12: an empty text/html 401 (field observation)."""
    sim_fleet = fleet_factory(firmware="9.80")
    response = requests.get(sim_fleet.cgi_url("disks/list.cgi"), timeout=5)
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert response.headers["Content-Length"] == "0"
    assert "X-Frame-Options" not in response.headers
    scheme, params = challenge(response)
    assert scheme == "Digest"
    assert params["realm"] == "AXIS_" + sim_fleet.device(0).serial
    assert params["algorithm"] == "MD5"
    assert params["qop"] == "auth"
    assert "stale" not in params
    assert len(response.raw.headers.getlist("WWW-Authenticate")) == 1


def test_axis_os_12_challenge_has_a_json_body(sim_fleet):
    """401_http_headers.txt of the 12.11 capture: Digest only, a JSON body, hardening headers."""
    response = requests.get(sim_fleet.cgi_url("disks/list.cgi"), timeout=5)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content)["error"]["code"] == 401
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.raw.headers.getlist("WWW-Authenticate")) == 1
    assert challenge(response)[0] == "Digest"


def test_basic_refused_over_http_under_recommended_policy(sim_fleet):
    response = requests.get(
        sim_fleet.cgi_url("disks/list.cgi"), auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5
    )
    assert response.status_code == 401
    assert challenge(response)[0] == "Digest"


@pytest.mark.parametrize(
    "policy, basic_ok, digest_ok",
    [
        ("basic", True, False),
        ("digest", False, True),
        # Per the documented policy, Basic_Digest still means Digest for HTTP(S).
        ("basic_digest", False, True),
        ("recommended", False, True),
    ],
)
def test_policies_over_http(fleet_factory, policy, basic_ok, digest_ok):
    fleet = fleet_factory(auth_policy=policy)
    url = fleet.cgi_url("disks/list.cgi")
    basic = requests.get(url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5)
    digest = requests.get(url, auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5)
    assert (basic.status_code == 200) is basic_ok
    assert (digest.status_code == 200) is digest_ok
    expected_scheme = "Basic" if policy == "basic" else "Digest"
    assert challenge(requests.get(url, timeout=5))[0] == expected_scheme


def test_policy_set_through_state_takes_effect(sim_fleet):
    status, _ = sim_fleet.control("POST", "state", payload={"auth_policy": "basic"})
    assert status == 200
    url = sim_fleet.cgi_url("disks/list.cgi")
    assert requests.get(url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5).status_code == 200
    assert requests.get(url, auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5).status_code == 401


def test_recommended_over_https_is_basic_only(fleet_factory):
    fleet = fleet_factory(https=True)
    url = fleet.cgi_url("disks/list.cgi")
    ca = fleet.config.ca_file
    anonymous = requests.get(url, verify=ca, timeout=5)
    assert anonymous.status_code == 401
    scheme, params = challenge(anonymous)
    assert scheme == "Basic"
    assert params["realm"] == "AXIS_" + fleet.device(0).serial
    assert (
        requests.get(url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), verify=ca, timeout=5).status_code
        == 200
    )
    assert (
        requests.get(url, auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]), verify=ca, timeout=5).status_code
        == 401
    )


def test_digest_policy_over_https(fleet_factory):
    fleet = fleet_factory(https=True, auth_policy="digest")
    url = fleet.cgi_url("disks/list.cgi")
    ca = fleet.config.ca_file
    assert (
        requests.get(url, auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]), verify=ca, timeout=5).status_code
        == 200
    )
    assert (
        requests.get(url, auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]), verify=ca, timeout=5).status_code
        == 401
    )


def test_wrong_password_gets_a_fresh_challenge(sim_fleet):
    url = sim_fleet.cgi_url("disks/list.cgi")
    first = requests.get(url, timeout=5)
    nonce = challenge(first)[1]["nonce"]
    realm = challenge(first)[1]["realm"]
    header = digest_header("root", "wrong", realm, nonce, "GET", "/axis-cgi/disks/list.cgi")
    second = requests.get(url, headers={"Authorization": header}, timeout=5)
    assert second.status_code == 401
    assert json.loads(second.content)["error"]["code"] == 401
    scheme, params = challenge(second)
    assert scheme == "Digest"
    assert params["nonce"] != nonce
    assert "stale" not in params
    assert requests.get(url, auth=HTTPDigestAuth("root", "nope"), timeout=5).status_code == 401
    assert requests.get(url, auth=HTTPDigestAuth("nobody", "pass"), timeout=5).status_code == 401


def test_every_challenge_has_a_new_nonce(sim_fleet):
    url = sim_fleet.cgi_url("disks/list.cgi")
    nonces = {challenge(requests.get(url, timeout=5))[1]["nonce"] for _ in range(5)}
    assert len(nonces) == 5


def test_digest_response_is_verified_field_by_field(sim_fleet):
    url = sim_fleet.cgi_url("disks/list.cgi?diskid=all")
    params = challenge(requests.get(url, timeout=5))[1]
    realm, nonce = params["realm"], params["nonce"]
    uri = "/axis-cgi/disks/list.cgi?diskid=all"
    good = digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "GET", uri)
    assert requests.get(url, headers={"Authorization": good}, timeout=5).status_code == 200
    # The same nonce works with another nc and cnonce (keep-alive reuse)...
    again = digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "GET", uri, nc="00000002", cnonce="ffee")
    assert requests.get(url, headers={"Authorization": again}, timeout=5).status_code == 200
    # ...and nc need not increase: parallel requests may arrive out of order.
    assert requests.get(url, headers={"Authorization": good}, timeout=5).status_code == 200
    rfc2069 = 'Digest username="root", realm="%s", nonce="%s", uri="%s", response="%s"' % (
        realm,
        nonce,
        uri,
        _md5("%s:%s:%s" % (_md5("root:%s:pass" % realm), nonce, _md5("GET:" + uri))),
    )
    bad_cases = [
        # uri must be the request target, query included
        digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "GET", "/axis-cgi/disks/list.cgi"),
        # signed for another method
        digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "POST", uri),
        # nc changed without recomputing the response
        good.replace("nc=00000001", "nc=00000009"),
        # cnonce changed without recomputing the response
        good.replace('cnonce="0a4f113b"', 'cnonce="0a4f113c"'),
        # qop other than auth
        digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "GET", uri, qop="auth-int"),
        # another device's realm
        digest_header("root", DEFAULT_PASSWORDS["root"], "AXIS_000000000000", nonce, "GET", uri),
        # malformed nc
        digest_header("root", DEFAULT_PASSWORDS["root"], realm, nonce, "GET", uri, nc="1"),
        # no qop at all (RFC 2069 style), though the challenge offered qop=auth
        rfc2069,
    ]
    for header in bad_cases:
        response = requests.get(url, headers={"Authorization": header}, timeout=5)
        assert response.status_code == 401, header


def test_forged_nonce_with_right_digest_is_stale(sim_fleet):
    url = sim_fleet.cgi_url("disks/list.cgi")
    realm = "AXIS_" + sim_fleet.device(0).serial
    forged = "AAAD6AAAAAA=" + "0" * 32
    header = digest_header("root", DEFAULT_PASSWORDS["root"], realm, forged, "GET", "/axis-cgi/disks/list.cgi")
    response = requests.get(url, headers={"Authorization": header}, timeout=5)
    assert response.status_code == 401
    assert challenge(response)[1].get("stale") == "true"


def test_nonce_expires_with_stale_true_and_client_recovers(fleet_factory, clock):
    fleet = fleet_factory(clock=clock, nonce_lifetime=60)
    session = fleet.session()
    url = fleet.cgi_url("disks/list.cgi")
    assert session.get(url, timeout=5).status_code == 200
    clock.advance(61)
    # Sent with the cached, now expired, nonce: the device says stale=true...
    auth = session.auth
    params = dict(auth._thread_local.chal)
    header = digest_header(
        "root", DEFAULT_PASSWORDS["root"], params["realm"], params["nonce"], "GET", "/axis-cgi/disks/list.cgi"
    )
    stale = requests.get(url, headers={"Authorization": header}, timeout=5)
    assert stale.status_code == 401
    assert challenge(stale)[1]["stale"] == "true"
    # ...and a standard client re-authenticates without user interaction.
    assert session.get(url, timeout=5).status_code == 200


def test_keep_alive_session_authenticates_once(sim_fleet):
    session = sim_fleet.session()
    for _ in range(25):
        assert session.get(sim_fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5).status_code == 200
    status, log = sim_fleet.control("GET", "log")
    assert status == 200
    statuses = [entry["status"] for entry in log]
    assert statuses.count(401) == 1
    assert statuses.count(200) == 25


def test_under_privileged_user_gets_401_with_fresh_challenge(sim_fleet):
    viewer = requests.get(
        sim_fleet.cgi_url("simtest/operator.cgi"), auth=HTTPDigestAuth("viewer", DEFAULT_PASSWORDS["viewer"]), timeout=5
    )
    assert viewer.status_code == 401
    assert challenge(viewer)[0] == "Digest"
    operator = requests.get(
        sim_fleet.cgi_url("simtest/admin.cgi"),
        auth=HTTPDigestAuth("operator", DEFAULT_PASSWORDS["operator"]),
        timeout=5,
    )
    assert operator.status_code == 401
    real_admin_cgi = requests.get(
        sim_fleet.cgi_url("disks/format.cgi?diskid=SD_DISK&filesystem=ext4"),
        auth=HTTPDigestAuth("operator", DEFAULT_PASSWORDS["operator"]),
        timeout=5,
    )
    assert real_admin_cgi.status_code == 401
    assert sim_fleet.device(0).disks["SD_DISK"].filesystem == "vfat"
    log = sim_fleet.control("GET", "log")[1]
    refused = [e for e in log if e["status"] == 401 and e["user"] is not None]
    assert {e["user"] for e in refused} == {"viewer", "operator"}
    assert not any(e["write"] for e in log)


@pytest.mark.parametrize(
    "user, path, expected",
    [
        ("viewer", "simtest/echo.cgi", 200),
        ("operator", "simtest/operator.cgi", 200),
        ("root", "simtest/admin.cgi", 200),
        ("root", "simtest/operator.cgi", 200),
    ],
)
def test_sufficient_roles_pass(sim_fleet, user, path, expected):
    response = requests.get(sim_fleet.cgi_url(path), auth=HTTPDigestAuth(user, DEFAULT_PASSWORDS[user]), timeout=5)
    assert response.status_code == expected


def test_anonymous_cgi_needs_no_credentials(sim_fleet):
    response = requests.get(sim_fleet.cgi_url("simtest/anonymous.cgi"), timeout=5)
    assert response.status_code == 200
    assert response.text == "-"
    # Valid credentials sent anyway identify the user; wrong ones are ignored, not refused.
    basic_anyway = requests.get(
        sim_fleet.cgi_url("simtest/anonymous.cgi"), auth=HTTPBasicAuth("root", "wrong"), timeout=5
    )
    assert basic_anyway.status_code == 200
    assert basic_anyway.text == "-"


def test_handler_answering_401_becomes_a_challenge(sim_fleet):
    """An anonymous CGI may still need a user for some calls: its 401 reply is turned into
    a standard challenge, so a client that only authenticates when asked gets through."""
    bare = requests.get(sim_fleet.cgi_url("simtest/needs_user.cgi"), timeout=5)
    assert bare.status_code == 401
    assert challenge(bare)[0] == "Digest"
    assert bare.headers["Content-Type"].startswith("application/json")
    authed = requests.get(
        sim_fleet.cgi_url("simtest/needs_user.cgi"),
        auth=HTTPDigestAuth("viewer", DEFAULT_PASSWORDS["viewer"]),
        timeout=5,
    )
    assert authed.status_code == 200
    assert authed.text == "viewer"


def test_real_anonymous_api_discovery(sim_fleet):
    response = requests.post(
        sim_fleet.cgi_url("apidiscovery.cgi"), json={"apiVersion": "1.0", "method": "getApiList"}, timeout=5
    )
    assert response.status_code == 200
    assert "apiList" in response.json()["data"]


def test_reboot_rotates_nonces(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    url = fleet.cgi_url("disks/list.cgi")
    assert session.get(url, timeout=5).status_code == 200
    params = dict(session.auth._thread_local.chal)
    assert fleet.control("POST", "faults", payload={"reboot_seconds": 5})[0] == 200
    clock.advance(6)
    header = digest_header(
        "root",
        DEFAULT_PASSWORDS["root"],
        params["realm"],
        params["nonce"],
        "GET",
        "/axis-cgi/disks/list.cgi",
        nc="00000005",
    )
    response = requests.get(url, headers={"Authorization": header}, timeout=5)
    assert response.status_code == 401
    assert challenge(response)[1]["stale"] == "true"


def test_seed_makes_nonces_reproducible(fleet_factory, clock):
    def first_nonces(**options):
        fleet = fleet_factory(clock=clock, devices=2, **options)
        return [challenge(requests.get(fleet.cgi_url("disks/list.cgi", i=i), timeout=5))[1]["nonce"] for i in range(2)]

    seeded = first_nonces(seed=7)
    assert first_nonces(seed=7) == seeded
    assert first_nonces(seed=8) != seeded
    assert seeded[0] != seeded[1]


def test_nonce_issuer_unit():
    issuer = NonceIssuer(b"k" * 16, random.Random(1), lifetime=10)
    nonce = issuer.issue(100.0)
    assert issuer.is_fresh(nonce, 100.0)
    assert issuer.is_fresh(nonce, 110.0)
    assert not issuer.is_fresh(nonce, 111.0)
    assert not issuer.is_fresh(nonce[:-1] + ("0" if nonce[-1] != "0" else "1"), 100.0)
    assert not issuer.is_fresh("garbage", 100.0)
    issuer.rotate(b"x" * 16)
    assert not issuer.is_fresh(nonce, 100.0)


def test_parse_auth_params_handles_quotes_and_commas():
    params = parse_auth_params('username="a\\"b", realm="x, y", nc=00000001, qop=auth')
    assert params == {"username": 'a"b', "realm": "x, y", "nc": "00000001", "qop": "auth"}
