"""Request handling: argument sources, bodies, 404s, crashes, tick, and socket behaviour."""

from __future__ import annotations

import socket
import statistics
import time

import pytest
import requests
from requests.auth import HTTPDigestAuth

from vapix_sim.model import DEFAULT_PASSWORDS
from vapix_sim.server import parse_args


def test_query_args_on_get(sim_fleet):
    body = sim_fleet.session().get(sim_fleet.cgi_url("simtest/echo.cgi?a=1&b=two+words&c="), timeout=5).json()
    assert body["method"] == "GET"
    assert body["args"] == {"a": "1", "b": "two words", "c": ""}
    assert body["user"] == "root"
    assert body["scheme"] == "http"
    assert body["has_faults"] is True


def test_form_args_override_query_args(sim_fleet):
    response = sim_fleet.session().post(
        sim_fleet.cgi_url("simtest/echo.cgi?a=query&only_query=1"), data={"a": "form", "only_form": "x&y=z"}, timeout=5
    )
    body = response.json()
    assert body["method"] == "POST"
    assert body["args"] == {"a": "form", "only_query": "1", "only_form": "x&y=z"}
    assert body["content_type"] == "application/x-www-form-urlencoded"


def test_json_body_is_passed_through_not_parsed_as_args(sim_fleet):
    response = sim_fleet.session().post(
        sim_fleet.cgi_url("simtest/echo.cgi?x=1"), json={"method": "getAllProperties", "a": 1}, timeout=5
    )
    body = response.json()
    assert body["args"] == {"x": "1"}
    assert body["content_type"] == "application/json"
    assert '"method": "getAllProperties"' in body["body"]


def test_percent_encoding_utf8_and_latin1():
    assert parse_args("name=%C3%A5%C3%A4%C3%B6&sp=a%20b&plus=a%2Bb", None) == {
        "name": "åäö",
        "sp": "a b",
        "plus": "a+b",
    }
    # Bytes that are not UTF-8 are read as ISO-8859-1, as VAPIX documents.
    assert parse_args("name=%E5", None) == {"name": "å"}
    assert parse_args("a=1&a=2", b"a=3") == {"a": "3"}


def test_real_cgi_over_post_form(sim_fleet):
    response = sim_fleet.session().post(sim_fleet.cgi_url("disks/list.cgi"), data={"diskid": "all"}, timeout=5)
    assert response.status_code == 200
    assert 'diskid="SD_DISK"' in response.text


def test_unknown_cgi_is_a_404_page_without_auth(sim_fleet):
    for path in ("axis-cgi/nosuch.cgi", "index.html", "", "axis-cgi/disks/"):
        response = requests.get(sim_fleet.url(path), timeout=5)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"].startswith("text/html")
        assert "404 Not Found" in response.text


def test_param_cgi_is_404_on_recorder_and_present_on_camera(sim_fleet):
    session = sim_fleet.session()
    camera = session.get(sim_fleet.cgi_url("param.cgi?action=list&group=Brand", i=0), timeout=5)
    assert camera.status_code == 200
    assert "root.Brand" in camera.text
    assert sim_fleet.device(3).profile == "recorder"
    recorder = session.get(sim_fleet.cgi_url("param.cgi?action=list&group=Brand", i=3), timeout=5)
    assert recorder.status_code == 404
    assert "404 Not Found" in recorder.text
    assert session.get(sim_fleet.cgi_url("simtest/camera_only.cgi", i=3), timeout=5).status_code == 404


def test_external_device_api_only_on_recorder(sim_fleet):
    session = sim_fleet.session()
    path = "externalipdeviceinfo/list.cgi?schemaversion=1"
    assert session.get(sim_fleet.cgi_url(path, i=0), timeout=5).status_code == 404
    assert session.get(sim_fleet.cgi_url(path, i=3), timeout=5).status_code == 200


def test_devices_are_independent(sim_fleet):
    session = sim_fleet.session()
    serials = {session.get(sim_fleet.cgi_url("simtest/echo.cgi", i=i), timeout=5).json()["serial"] for i in range(4)}
    assert len(serials) == 4
    sim_fleet.control("POST", "state", i=1, payload={"users": {"root": {"password": "other"}}})
    assert session.get(sim_fleet.cgi_url("simtest/echo.cgi", i=1), timeout=5).status_code == 401
    assert session.get(sim_fleet.cgi_url("simtest/echo.cgi", i=2), timeout=5).status_code == 200


def test_handler_crash_answers_500_without_traceback(sim_fleet, caplog):
    response = sim_fleet.session().get(sim_fleet.cgi_url("simtest/crash.cgi?x=1"), timeout=5)
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert "crash marker" not in response.text
    assert "Traceback" not in response.text
    assert any("simtest crash marker" in (r.exc_text or "") for r in caplog.records)
    # The fleet keeps serving.
    assert sim_fleet.session().get(sim_fleet.cgi_url("simtest/echo.cgi"), timeout=5).status_code == 200
    summary = sim_fleet.control("GET", "fleet/log-summary")[1]
    assert summary["devices"]["cam-0001"]["errors"] == 1


def test_json_handler_crash_answers_json_internal_error(sim_fleet):
    response = sim_fleet.session().post(
        sim_fleet.cgi_url("simtest/crash.cgi"), json={"apiVersion": "1.2", "context": "c1"}, timeout=5
    )
    assert response.status_code == 200
    assert response.json() == {
        "apiVersion": "1.2",
        "context": "c1",
        "error": {"code": 8000, "message": "Internal error"},
    }
    summary = sim_fleet.control("GET", "fleet/log-summary")[1]
    assert summary["devices"]["cam-0001"]["errors"] == 1


def test_other_methods_are_405(sim_fleet):
    response = sim_fleet.session().put(sim_fleet.cgi_url("simtest/echo.cgi"), timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"


def test_device_is_ticked_before_the_handler(fleet_factory, clock):
    fleet = fleet_factory(clock=clock, job_time_scale=0.5)
    session = fleet.session()
    job_id = session.get(fleet.cgi_url("simtest/startjob.cgi?action=mount"), timeout=5).text
    assert session.get(fleet.cgi_url("simtest/jobs.cgi"), timeout=5).json()[job_id]["finished"] is False
    clock.advance(1.0)  # mount takes 2 s x 0.5
    assert session.get(fleet.cgi_url("simtest/jobs.cgi"), timeout=5).json()[job_id]["finished"] is True


def test_job_time_scale_is_applied(fleet_factory, clock):
    fleet = fleet_factory(clock=clock, job_time_scale=0.02)
    session = fleet.session()
    session.get(fleet.cgi_url("simtest/startjob.cgi?action=format"), timeout=5)
    job = next(iter(fleet.device(0).jobs.values()))
    assert abs(job.duration - 8.0 * 0.02) < 1e-9


def _raw_keepalive_latencies(port, header_lines, count):
    sock = socket.create_connection(("127.0.0.1", port))
    latencies = []
    try:
        request = ("GET /axis-cgi/simtest/anonymous.cgi HTTP/1.1\r\nHost: x\r\n%s\r\n" % header_lines).encode()
        for _ in range(count):
            start = time.perf_counter()
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(
                [line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0]
            )
            while len(body) < length:
                body += sock.recv(65536)
            latencies.append(time.perf_counter() - start)
    finally:
        sock.close()
    return latencies


def test_no_nagle_stall_on_keep_alive(sim_fleet):
    """With a Nagle / delayed-ACK stall every answer would take about 40 ms."""
    latencies = _raw_keepalive_latencies(sim_fleet.port(0), "", 100)
    assert statistics.median(latencies) < 0.01
    assert max(sorted(latencies)[:95]) < 0.03


def test_authenticated_session_is_fast(sim_fleet):
    session = sim_fleet.session()
    url = sim_fleet.cgi_url("disks/list.cgi?diskid=all")
    session.get(url, timeout=5)
    start = time.perf_counter()
    for _ in range(100):
        assert session.get(url, timeout=5).status_code == 200
    assert (time.perf_counter() - start) / 100 < 0.02


def test_background_fleet_as_context_manager():
    """The in-process runner the collection's unit tests can use without these fixtures."""
    from vapix_sim.background import BackgroundFleet
    from vapix_sim.fleet import FleetConfig

    with BackgroundFleet(FleetConfig(devices=2, base_port=0, profile="recorder")) as fleet:
        response = requests.get(
            fleet.cgi_url("disks/list.cgi?diskid=all", i=1),
            auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]),
            timeout=5,
        )
        assert response.status_code == 200 and 'diskid="HDD_DISK"' in response.text
        assert fleet.call(lambda: fleet.device(1).serial) == "ACCC8E000002"
        port = fleet.port(0)
    with pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:%d/" % port, timeout=2)


def test_digest_auth_through_requests_helper(sim_fleet):
    response = requests.get(
        sim_fleet.cgi_url("simtest/echo.cgi", i=2),
        auth=HTTPDigestAuth("viewer", DEFAULT_PASSWORDS["viewer"]),
        timeout=5,
    )
    assert response.json()["user"] == "viewer"
