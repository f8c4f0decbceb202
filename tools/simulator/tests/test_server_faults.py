"""Fault injection: latency, 503 bursts, dropped connections, job faults, reboots."""

from __future__ import annotations

import time

import pytest
import requests
import xmltodict

from vapix_sim.faults import FaultError, Faults
from vapix_sim.model import Job


def job_state(session, fleet, job_id, disk_id="SD_DISK"):
    text = session.get(fleet.cgi_url("disks/job.cgi?jobid=%s&diskid=%s" % (job_id, disk_id)), timeout=5).text
    return xmltodict.parse(text)["root"]["job"]


def start_format(session, fleet, disk_id="SD_DISK", filesystem="ext4"):
    text = session.get(
        fleet.cgi_url("disks/format.cgi?diskid=%s&filesystem=%s" % (disk_id, filesystem)), timeout=5
    ).text
    job = xmltodict.parse(text)["root"]["job"]
    assert job["@result"] == "OK", text
    return job["@jobid"]


def test_latency(fleet_factory):
    fleet = fleet_factory()
    url = fleet.cgi_url("simtest/anonymous.cgi")
    assert fleet.control("POST", "faults", payload={"latency_ms": 400})[1]["latency_ms"] == 400
    start = time.perf_counter()
    assert requests.get(url, timeout=5).status_code == 200
    delayed = time.perf_counter() - start
    assert delayed >= 0.4
    fleet.control("POST", "faults", payload={"latency_ms": None})
    start = time.perf_counter()
    requests.get(url, timeout=5)
    # Relative, so that a loaded machine (which slows both requests) does not fail the test.
    assert time.perf_counter() - start < delayed - 0.3


def test_burst_of_503_with_retry_after(sim_fleet):
    sim_fleet.control("POST", "faults", payload={"http_503": 2, "retry_after": 7})
    session = sim_fleet.session()
    url = sim_fleet.cgi_url("disks/list.cgi")
    for _ in range(2):
        response = session.get(url, timeout=5)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "7"
        assert "Traceback" not in response.text
    assert session.get(url, timeout=5).status_code == 200
    # Other devices are not affected; the control endpoint never is.
    assert session.get(sim_fleet.cgi_url("disks/list.cgi", i=1), timeout=5).status_code == 200
    assert [e["status"] for e in sim_fleet.control("GET", "log")[1]][:2] == [503, 503]


def test_dropped_connections(sim_fleet):
    sim_fleet.control("POST", "faults", payload={"drop": 2})
    url = sim_fleet.cgi_url("simtest/anonymous.cgi")
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=5)
    assert requests.get(url, timeout=5).status_code == 200
    log = sim_fleet.control("GET", "log")[1]
    assert [e["status"] for e in log] == [None, None, 200]
    assert sim_fleet.control("GET", "fleet/log-summary")[1]["devices"]["cam-0001"]["dropped"] == 2


def test_fleet_wide_faults_from_config(fleet_factory):
    fleet = fleet_factory(devices=2, faults={"http_503": 1})
    for i in range(2):
        url = fleet.cgi_url("simtest/anonymous.cgi", i=i)
        assert requests.get(url, timeout=5).status_code == 503
        assert requests.get(url, timeout=5).status_code == 200


def test_job_fails_at_progress_one_shot(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    status, faults = fleet.control(
        "POST", "faults", payload={"job_fail": {"at": 50, "description": "I/O error while formatting"}}
    )
    assert status == 200 and faults["job_fail"]["at"] == 50
    job_id = start_format(session, fleet)
    clock.advance(2.0)  # 25 % of 8 s
    assert job_state(session, fleet, job_id)["@progress"] == "25"
    clock.advance(2.0)  # 50 %: fails
    job = job_state(session, fleet, job_id)
    assert (job["@result"], job["@progress"]) == ("ERROR", "100")
    assert job["@description"] == "I/O error while formatting"
    assert fleet.device(0).disks["SD_DISK"].filesystem == "vfat"
    # One-shot: disarmed, the next format works.
    assert fleet.control("GET", "faults")[1]["job_fail"] is None
    job_id = start_format(session, fleet)
    clock.advance(9.0)
    assert job_state(session, fleet, job_id)["@result"] == "OK"
    assert fleet.device(0).disks["SD_DISK"].filesystem == "ext4"


def test_persistent_job_fault_with_action_filter(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    fleet.control("POST", "faults", payload={"job_fail": {"at": 0, "persistent": True, "actions": ["format"]}})
    for _ in range(2):
        job_id = start_format(session, fleet)
        clock.advance(0.1)
        assert job_state(session, fleet, job_id)["@result"] == "ERROR"
    # Unmount is another action: untouched.
    text = session.get(fleet.cgi_url("disks/mount.cgi?action=unmount&diskid=SD_DISK"), timeout=5).text
    job_id = xmltodict.parse(text)["root"]["job"]["@jobid"]
    clock.advance(5)
    assert job_state(session, fleet, job_id)["@result"] == "OK"
    assert fleet.control("GET", "faults")[1]["job_fail"]["persistent"] is True


def test_job_that_never_finishes(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    fleet.control("POST", "faults", payload={"job_hang": True})
    job_id = start_format(session, fleet)
    clock.advance(10_000)
    job = job_state(session, fleet, job_id)
    assert (job["@result"], job["@progress"]) == ("OK", "99")
    assert fleet.device(0).disks["SD_DISK"].busy_job == int(job_id)


def test_share_test_failure_code(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    fleet.control("POST", "faults", payload={"job_fail": {"at": 10, "persistent": True}})
    session.get(fleet.cgi_url("simtest/startjob.cgi?action=sharetest&diskid=x"), timeout=5)
    fleet.control("POST", "faults", payload={"job_fail": {"at": 10, "code": 710}})
    session.get(fleet.cgi_url("simtest/startjob.cgi?action=sharetest&diskid=x"), timeout=5)
    clock.advance(5)
    jobs = session.get(fleet.cgi_url("simtest/jobs.cgi"), timeout=5).json()
    assert [(j["failed"], j["fail_code"]) for j in jobs.values()] == [(True, 760), (True, 710)]


def test_reboot(fleet_factory, clock):
    fleet = fleet_factory(clock=clock, second_sd=True)
    session = fleet.session()
    fleet.control("POST", "state", payload={"disks": {"SD_DISK2": {"mount_on_boot": False}}})
    start_format(session, fleet)
    assert fleet.device(0).jobs
    status, faults = fleet.control("POST", "faults", payload={"reboot_seconds": 30})
    assert status == 200 and faults["rebooting"] is True
    assert faults["reboot_remaining"] == 30
    # In-flight jobs are gone, every disk is unmounted, CGI connections are dropped.
    assert fleet.call(lambda: dict(fleet.device(0).jobs)) == {}
    state = fleet.control("GET", "state")[1]
    assert not any(disk["mounted"] for disk in state["disks"].values())
    assert state["disks"]["SD_DISK"]["busy_job"] is None
    with pytest.raises(requests.ConnectionError):
        session.get(fleet.cgi_url("disks/list.cgi"), timeout=5)
    clock.advance(29)
    with pytest.raises(requests.ConnectionError):
        requests.get(fleet.cgi_url("simtest/anonymous.cgi"), timeout=5)
    clock.advance(2)
    listing = session.get(fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5)
    assert listing.status_code == 200
    disks = {d["@diskid"]: d for d in xmltodict.parse(listing.text)["root"]["disks"]["disk"]}
    # the format was cut off: no file system is left, so mount_on_boot has nothing to mount
    assert (disks["SD_DISK"]["@status"], disks["SD_DISK"]["@filesystem"]) == ("connected", "none")
    assert disks["SD_DISK2"]["@status"] == "connected"  # stays unmounted
    assert disks["SD_DISK2"]["@filesystem"] == "vfat"  # no job ran on it: as it was
    assert fleet.control("GET", "faults")[1]["rebooting"] is False


def test_a_reboot_remounts_a_disk_whose_job_was_not_a_format(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    unmount = session.get(fleet.cgi_url("disks/mount.cgi?action=unmount&diskid=SD_DISK"), timeout=5)
    assert 'result="OK"' in unmount.text
    fleet.control("POST", "faults", payload={"reboot_seconds": 1})
    clock.advance(2)
    listing = fleet.session().get(
        fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5
    )  # the reboot closed the old one
    disks = {d["@diskid"]: d for d in xmltodict.parse(listing.text)["root"]["disks"]["disk"]}
    assert (disks["SD_DISK"]["@status"], disks["SD_DISK"]["@filesystem"]) == ("OK", "vfat")
    assert fleet.control("GET", "state")[1]["disks"]["SD_DISK"]["busy_job"] is None


def test_reboot_closes_open_connections_and_can_be_cut_short(fleet_factory, clock):
    fleet = fleet_factory(clock=clock)
    session = fleet.session()
    assert session.get(fleet.cgi_url("disks/list.cgi"), timeout=5).status_code == 200
    fleet.control("POST", "faults", payload={"reboot_seconds": 100})
    with pytest.raises(requests.ConnectionError):
        session.get(fleet.cgi_url("disks/list.cgi"), timeout=5)
    faults = fleet.control("DELETE", "faults")[1]
    assert faults["rebooting"] is False
    assert session.get(fleet.cgi_url("disks/list.cgi"), timeout=5).status_code == 200
    assert fleet.device(0).disks["SD_DISK"].mounted is True


def test_invalid_fault_specs_change_nothing(sim_fleet):
    before = sim_fleet.control("GET", "faults")[1]
    for spec in (
        {"latency_ms": -1},
        {"http_503": "2"},
        {"job_fail": {"at": 101}},
        {"job_fail": {}},
        {"job_fail": {"at": 5, "bogus": 1}},
        {"nope": 1},
        {"latency_ms": 10, "drop": True},
        {"reboot_seconds": -2},
        [1],
    ):
        status, body = sim_fleet.control("POST", "faults", payload=spec)
        assert status == 400, spec
        assert body["error"]
    assert sim_fleet.control("GET", "faults")[1] == before


def test_shape_job_unit():
    faults = Faults.from_spec({"job_hang": {"actions": ["checkdisk"]}, "job_fail": {"at": 30, "description": "boom"}})
    fmt = Job(1, "format", "SD_DISK", 0.0, 8.0)
    faults.shape_job(fmt)
    assert (fmt.fail_at, fmt.fail_description, fmt.never_finish) == (30, "boom", False)
    assert faults.job_fail is None
    check = Job(2, "checkdisk", "SD_DISK", 0.0, 6.0)
    faults.shape_job(check)
    assert check.never_finish is True and check.fail_at is None
    assert faults.job_hang is None
    plain = Job(3, "format", "SD_DISK", 0.0, 8.0)
    faults.shape_job(plain)
    assert plain.fail_at is None and not plain.never_finish
    with pytest.raises(FaultError):
        Faults.from_spec({"job_hang": {"at": 3}})


NOT_AXIS_PATHS = (
    "/axis-cgi/disks/list.cgi?diskid=all",
    "/axis-cgi/param.cgi?action=list&group=Brand",
    "/axis-cgi/basicdeviceinfo.cgi",
    "/axis-cgi/apidiscovery.cgi",
    "/",
    "/index.html",
)


def test_not_axis_answers_another_servers_404_to_everything_and_never_asks_for_a_login(sim_fleet):
    camera_page = requests.get(sim_fleet.url("axis-cgi/nothing.cgi"), timeout=5).text
    assert sim_fleet.control("POST", "faults", payload={"not_axis": True})[1]["not_axis"] is True
    session = sim_fleet.session()  # with the device's own valid credentials
    for path in NOT_AXIS_PATHS:
        for method in ("GET", "POST"):
            response = session.request(
                method, sim_fleet.url(path.lstrip("/")), timeout=5, json={"apiVersion": "1.0", "method": "getApiList"}
            )
            assert response.status_code == 404, path
            assert "WWW-Authenticate" not in response.headers
            assert "nginx" in response.text and "AXIS" not in response.text.upper()
    assert "nginx" not in camera_page  # an Axis device's 404 is the capture's page
    log = sim_fleet.control("GET", "log")[1]
    assert len(log) == 2 * len(NOT_AXIS_PATHS) + 1 and {e["status"] for e in log[1:]} == {404}
    assert all(e["user"] is None for e in log)
    # only that device; the control endpoint stays; disarming or a reset makes it the camera again
    assert session.get(sim_fleet.cgi_url("disks/list.cgi", i=1), timeout=5).status_code == 200
    assert sim_fleet.control("DELETE", "faults")[1]["not_axis"] is False
    assert session.get(sim_fleet.cgi_url("disks/list.cgi"), timeout=5).status_code == 200
    sim_fleet.control("POST", "faults", payload={"not_axis": True})
    sim_fleet.control("POST", "reset")
    assert session.get(sim_fleet.cgi_url("disks/list.cgi"), timeout=5).status_code == 200


def test_not_axis_must_be_a_boolean():
    with pytest.raises(FaultError, match="not_axis"):
        Faults.from_spec({"not_axis": "yes"})
    assert Faults.from_spec({"not_axis": True}).not_axis is True
    assert Faults.from_spec({"not_axis": None}).not_axis is False
