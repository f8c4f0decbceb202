"""The vapix-sim command: start time, ready line, inventory, signals, state file."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
import xmltodict
import yaml
from fleet_fixtures import free_port_range
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from vapix_sim.inventory import inventory_hosts
from vapix_sim.model import DEFAULT_PASSWORDS

ANSIBLE_INVENTORY = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")


class Cli:
    def __init__(self, *args, env=None):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vapix_sim.cli", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.ready_line = None
        self.ready_after = None

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.05)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("vapix-sim ready:"):
                    self.ready_after = time.monotonic() - self.started
                    self.ready_line = line.strip()
                    return self
                if not line and self.proc.poll() is not None:
                    break
        self.stop()
        raise AssertionError("no ready line; stderr: %s" % self.proc.stderr.read())

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.proc.stderr.close()


@pytest.fixture
def cli_runner():
    started = []

    def run(*args, **kwargs):
        cli = Cli(*args, **kwargs)
        started.append(cli)
        return cli

    yield run
    for cli in started:
        if cli.proc.poll() is None:
            cli.stop(signal.SIGKILL)


def test_500_devices_start_fast_and_stop_cleanly(cli_runner, tmp_path):
    base = free_port_range(500)
    inventory = tmp_path / "inventory.yml"
    cli = cli_runner(
        "--devices", 500, "--base-port", base, "--profile", "mixed", "--inventory", inventory, "--control"
    ).wait_ready()
    # Target < 2 s (measured 0.34-0.44 s on a quiet machine, see bench/README.md); the bound
    # leaves room for a heavily loaded CI machine.
    assert cli.ready_after < 10.0, cli.ready_after
    assert cli.ready_line == "vapix-sim ready: 500 devices on 127.0.0.1:%d-%d (http)" % (base, base + 499)
    session = requests.Session()
    session.auth = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])
    for index in (1, 250, 500):
        response = session.get("http://127.0.0.1:%d/axis-cgi/disks/list.cgi?diskid=all" % (base + index - 1), timeout=5)
        assert response.status_code == 200
        expected_disk = "HDD_DISK" if index % 4 == 0 else "SD_DISK"
        assert 'diskid="%s"' % expected_disk in response.text
    session.close()
    stopped = time.monotonic()
    assert cli.stop(signal.SIGINT) == 0
    assert time.monotonic() - stopped < 5
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", base + 499))  # the ports are free again


def test_inventory_content(cli_runner, tmp_path):
    base = free_port_range(8)
    inventory = tmp_path / "inv" / "hosts.yml"
    cli = cli_runner("--devices", 8, "--base-port", base, "--profile", "mixed", "--inventory", inventory).wait_ready()
    data = yaml.safe_load(inventory.read_text())
    children = data["all"]["children"]
    cameras, recorders = children["cameras"]["hosts"], children["recorders"]["hosts"]
    assert sorted(cameras) == ["cam-0001", "cam-0002", "cam-0003", "cam-0005", "cam-0006", "cam-0007"]
    assert sorted(recorders) == ["rec-0004", "rec-0008"]
    # What every device shares is written once, as the inventory's group variables.
    assert data["all"]["vars"] == {
        "axis_host": "127.0.0.1",
        "axis_username": "root",
        "axis_password": DEFAULT_PASSWORDS["root"],
        "axis_use_https": False,
        "axis_validate_certs": False,
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    }
    assert cameras["cam-0001"] == {
        "axis_port": base,
        "axis_device_type": "camera",
        "axis_serial": "B8A44F000001",
        "vapix_sim_firmware": "12.11",
        "vapix_sim_firmware_version": "12.11.77",
        "vapix_sim_sensors": 1,
    }
    assert inventory_hosts(data)["cam-0001"] == dict(data["all"]["vars"], **cameras["cam-0001"])
    assert recorders["rec-0004"]["axis_port"] == base + 3
    assert recorders["rec-0004"]["axis_device_type"] == "recorder"
    # The serial in the inventory is the one the device reports.
    info = requests.post(
        "http://127.0.0.1:%d/axis-cgi/basicdeviceinfo.cgi" % (base + 3),
        json={"apiVersion": "1.0", "method": "getAllUnrestrictedProperties"},
        timeout=5,
    ).json()
    assert info["data"]["propertyList"]["SerialNumber"] == recorders["rec-0004"]["axis_serial"]
    if os.path.exists(ANSIBLE_INVENTORY):
        listed = subprocess.run(
            [ANSIBLE_INVENTORY, "-i", str(inventory), "--list"], capture_output=True, text=True, timeout=60, check=True
        )
        hostvars = json.loads(listed.stdout)["_meta"]["hostvars"]
        assert hostvars["rec-0008"]["axis_port"] == base + 7
        assert hostvars["rec-0008"]["axis_password"] == DEFAULT_PASSWORDS["root"]
    assert cli.stop() == 0


def test_https_inventory_and_ca_file(cli_runner, tmp_path):
    base = free_port_range(2)
    inventory = tmp_path / "hosts.yml"
    cli = cli_runner(
        "--devices", 2, "--base-port", base, "--https", "--state-dir", tmp_path / "state", "--inventory", inventory
    ).wait_ready()
    assert cli.ready_line.endswith("(https)")
    ca_file = tmp_path / "state" / "ca.pem"
    host = inventory_hosts(yaml.safe_load(inventory.read_text()))["cam-0002"]
    assert host["axis_use_https"] is True
    assert host["axis_validate_certs"] is True
    assert host["axis_ca_path"] == str(ca_file)
    response = requests.get(
        "https://127.0.0.1:%d/axis-cgi/disks/list.cgi" % host["axis_port"],
        auth=HTTPBasicAuth("root", DEFAULT_PASSWORDS["root"]),
        verify=host["axis_ca_path"],
        timeout=5,
    )
    assert response.status_code == 200
    assert cli.stop() == 0


def test_state_file_round_trip(cli_runner, tmp_path):
    base = free_port_range(2)
    state_file = tmp_path / "fleet.json"
    args = ("--devices", 2, "--base-port", base, "--control", "--state-file", state_file, "--job-time-scale", 0.02)
    cli = cli_runner(*args).wait_ready()
    session = requests.Session()
    session.auth = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])
    url = "http://127.0.0.1:%d/axis-cgi/" % (base + 1)
    added = session.get(
        url + "disks/networkshare/add.cgi?schemaversion=1&nicename=nas&address=10.0.0.9&share=rec&pass=s3cret",
        timeout=5,
    )
    assert added.status_code == 200
    requests.post(
        "http://127.0.0.1:%d/sim/state" % (base + 1), json={"disks": {"SD_DISK": {"cleanup_max_age": 2}}}, timeout=5
    )
    session.close()
    assert cli.stop() == 0
    saved = json.loads(state_file.read_text())
    assert saved["devices"]["2"]["disks"]["SD_DISK"]["cleanup_max_age"] == 2
    # The state file keeps secrets: it must be able to restore them.
    assert any(s["password"] == "s3cret" for s in saved["devices"]["2"]["shares"].values())

    # Restart on other ports: the state follows the device index, not the port.
    new_base = free_port_range(2)
    cli = cli_runner("--devices", 2, "--base-port", new_base, "--control", "--state-file", state_file).wait_ready()
    state = requests.get("http://127.0.0.1:%d/sim/state" % (new_base + 1), timeout=5).json()
    assert state["port"] == new_base + 1
    assert state["disks"]["SD_DISK"]["cleanup_max_age"] == 2
    assert [s["nice_name"] for s in state["shares"].values()] == ["nas"]
    assert state["job_time_scale"] == 1.0  # the command line wins over the file
    first = requests.get("http://127.0.0.1:%d/sim/state" % new_base, timeout=5).json()
    assert first["disks"]["SD_DISK"]["cleanup_max_age"] == 7
    assert cli.stop() == 0


def _format(session, url, disk_id="SD_DISK", filesystem="ext4"):
    job = xmltodict.parse(
        session.get(url + "disks/format.cgi?diskid=%s&filesystem=%s" % (disk_id, filesystem), timeout=5).text
    )["root"]["job"]
    return job


def _disk(session, url, disk_id="SD_DISK"):
    disks = xmltodict.parse(session.get(url + "disks/list.cgi?diskid=all", timeout=5).text)["root"]["disks"]["disk"]
    return next(d for d in (disks if isinstance(disks, list) else [disks]) if d["@diskid"] == disk_id)


def test_a_format_cut_off_by_a_stop_is_lost_and_leaves_the_disk_unformatted(cli_runner, tmp_path):
    """Stopped mid-format and started again, the device is as after a power cut: no job survived,
    the disk is free for a new job, and holds no file system (docs/simulator.md, Persistence)."""
    base = free_port_range(1)
    state_file = tmp_path / "fleet.json"
    cli = cli_runner("--devices", 1, "--base-port", base, "--control", "--state-file", state_file).wait_ready()
    url = "http://127.0.0.1:%d/axis-cgi/" % base
    session = requests.Session()
    session.auth = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])
    requests.post("http://127.0.0.1:%d/sim/faults" % base, json={"job_hang": {"actions": ["format"]}}, timeout=5)
    assert _format(session, url)["@result"] == "OK"
    assert _format(session, url)["@result"] == "ERROR"  # busy while it runs
    session.close()
    assert cli.stop() == 0
    saved = json.loads(state_file.read_text())["devices"]["1"]["disks"]["SD_DISK"]
    assert saved["busy_job"] is None and saved["filesystem"] == "none" and saved["used_kb"] == 0

    cli = cli_runner(
        "--devices", 1, "--base-port", base, "--control", "--state-file", state_file, "--job-time-scale", 0.01
    ).wait_ready()
    session = requests.Session()
    session.auth = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])
    disk = _disk(session, url)
    assert (disk["@filesystem"], disk["@status"]) == ("none", "connected")
    job = _format(session, url)  # accepted: the disk is free
    assert job["@result"] == "OK", job
    deadline = time.monotonic() + 10
    while _disk(session, url)["@status"] != "OK" and time.monotonic() < deadline:
        time.sleep(0.05)
    disk = _disk(session, url)
    assert (disk["@filesystem"], disk["@status"]) == ("ext4", "OK")
    session.close()
    assert cli.stop() == 0


def test_a_state_file_that_marks_a_disk_busy_loads_it_free(cli_runner, tmp_path):
    """A file saved by an older simulator kept busy_job for a job that was not saved."""
    base = free_port_range(1)
    state_file = tmp_path / "fleet.json"
    cli = cli_runner("--devices", 1, "--base-port", base, "--state-file", state_file).wait_ready()
    assert cli.stop() == 0
    data = json.loads(state_file.read_text())
    data["devices"]["1"]["disks"]["SD_DISK"]["busy_job"] = 7
    state_file.write_text(json.dumps(data))
    cli = cli_runner("--devices", 1, "--base-port", base, "--control", "--state-file", state_file).wait_ready()
    state = requests.get("http://127.0.0.1:%d/sim/state" % base, timeout=5).json()
    assert state["disks"]["SD_DISK"]["busy_job"] is None
    session = requests.Session()
    session.auth = HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"])
    assert _format(session, "http://127.0.0.1:%d/axis-cgi/" % base)["@result"] == "OK"
    session.close()
    assert cli.stop() == 0


def test_unusable_state_file_is_refused(cli_runner, tmp_path):
    state_file = tmp_path / "broken.json"
    state_file.write_text('{"version": 1, "devices": {"1": {"no_such_field": 1}}}')
    cli = cli_runner("--devices", 1, "--base-port", free_port_range(1), "--state-file", state_file)
    assert cli.proc.wait(30) == 2
    stderr = cli.proc.stderr.read()
    assert "state file" in stderr and "Traceback" not in stderr
    cli.stop()


def test_port_in_use_is_reported(cli_runner):
    base = free_port_range(3)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", base + 1))
        blocker.listen(1)
        cli = cli_runner("--devices", 3, "--base-port", base)
        assert cli.proc.wait(30) == 1
        assert "cannot listen on 127.0.0.1:%d" % (base + 1) in cli.proc.stderr.read()
        cli.stop()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--devices", 0), "at least 1"),
        (("--job-time-scale", 0), "positive"),
        (("--base-port", 65535, "--devices", 2), "ports out of range"),
        (("--firmware", "11.11"), "firmware must be one of 12.11, 9.80, 5.51"),
        (("--firmware", "12.11,,9.80"), "firmware must be one of"),
        (("--sensors", 0), "sensors must be between 1 and 16"),
    ],
)
def test_bad_arguments(cli_runner, args, message):
    cli = cli_runner(*args)
    assert cli.proc.wait(30) == 2
    assert message in cli.proc.stderr.read()
    cli.stop()


def test_firmware_list_is_cycled_and_sensors_reach_the_inventory(cli_runner, tmp_path):
    base = free_port_range(4)
    inventory = tmp_path / "inv.yml"
    cli = cli_runner(
        "--devices", 4, "--base-port", base, "--firmware", "12.11,9.80,5.51", "--sensors", 4, "--inventory", inventory
    ).wait_ready()
    hosts = yaml.safe_load(inventory.read_text())["all"]["children"]["cameras"]["hosts"]
    assert [
        (h["vapix_sim_firmware"], h["vapix_sim_firmware_version"], h["vapix_sim_sensors"])
        for _, h in sorted(hosts.items())
    ] == [("12.11", "12.11.77", 4), ("9.80", "9.80.2.2", 4), ("5.51", "5.51.7", 4), ("12.11", "12.11.77", 4)]
    discovery = {"apiVersion": "1.0", "method": "getApiList"}
    statuses = [
        requests.post(
            "http://127.0.0.1:%d/axis-cgi/apidiscovery.cgi" % (base + k), json=discovery, timeout=5
        ).status_code
        for k in range(4)
    ]
    assert statuses == [200, 200, 404, 200]
    sources = requests.get(
        "http://127.0.0.1:%d/axis-cgi/param.cgi" % (base + 1),
        params={"action": "list", "group": "ImageSource.NbrOfSources"},
        auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]),
        timeout=5,
    ).text
    assert sources == "root.ImageSource.NbrOfSources=4\n"
    assert cli.stop() == 0


def test_multisensor_profile_is_a_four_channel_camera(cli_runner, tmp_path):
    base = free_port_range(1)
    inventory = tmp_path / "inv.yml"
    cli = cli_runner("--base-port", base, "--profile", "multisensor", "--inventory", inventory).wait_ready()
    host = yaml.safe_load(inventory.read_text())["all"]["children"]["cameras"]["hosts"]["cam-0001"]
    assert (host["axis_device_type"], host["vapix_sim_sensors"]) == ("camera", 4)
    assert cli.stop() == 0


def test_fault_options_apply_to_every_device(cli_runner):
    base = free_port_range(2)
    cli = cli_runner("--devices", 2, "--base-port", base, "--fail-503", 1, "--retry-after", 9, "--control").wait_ready()
    for port in (base, base + 1):
        url = "http://127.0.0.1:%d/axis-cgi/apidiscovery.cgi" % port
        first = requests.post(url, json={"apiVersion": "1.0", "method": "getApiList"}, timeout=5)
        assert first.status_code == 503 and first.headers["Retry-After"] == "9"
        assert requests.post(url, json={"apiVersion": "1.0", "method": "getApiList"}, timeout=5).status_code == 200
    assert cli.stop() == 0


@pytest.mark.skipif(
    shutil.which("vapix-sim") is None
    and not os.path.exists(os.path.join(os.path.dirname(sys.executable), "vapix-sim")),
    reason="script not installed",
)
def test_console_script_help():
    script = shutil.which("vapix-sim") or os.path.join(os.path.dirname(sys.executable), "vapix-sim")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for option in (
        "--devices",
        "--base-port",
        "--profile",
        "--second-sd",
        "--inventory",
        "--https",
        "--ca-file",
        "--control",
        "--state-file",
        "--job-time-scale",
        "--seed",
    ):
        assert option in result.stdout


def test_root_password_applies_to_every_device_survives_reset_and_reaches_the_inventory(tmp_path):
    import requests
    import yaml
    from requests.auth import HTTPDigestAuth

    from vapix_sim.background import BackgroundFleet
    from vapix_sim.fleet import FleetConfig
    from vapix_sim.inventory import write_inventory

    fleet = BackgroundFleet(FleetConfig(devices=2, base_port=0, control=True, root_password="Longer-Secret-1")).start()
    try:
        for i in range(2):
            url = fleet.cgi_url("disks/list.cgi?diskid=all", i)
            assert requests.get(url, auth=HTTPDigestAuth("root", "Longer-Secret-1"), timeout=5).status_code == 200
            assert (
                requests.get(url, auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]), timeout=5).status_code == 401
            )
        requests.post("http://127.0.0.1:%d/sim/reset" % fleet.port(0), timeout=5).raise_for_status()
        url = fleet.cgi_url("disks/list.cgi?diskid=all", 0)
        assert requests.get(url, auth=HTTPDigestAuth("root", "Longer-Secret-1"), timeout=5).status_code == 200
        path = tmp_path / "inventory.yml"
        write_inventory(str(path), fleet.fleet)
        hosts = inventory_hosts(yaml.safe_load(path.read_text()))
        assert {h["axis_password"] for h in hosts.values()} == {"Longer-Secret-1"}
    finally:
        fleet.stop()


def test_not_axis_option_makes_every_device_a_foreign_web_server(cli_runner):
    base = free_port_range(2)
    cli = cli_runner("--devices", 2, "--base-port", base, "--not-axis").wait_ready()
    for port in (base, base + 1):
        response = requests.get(
            "http://127.0.0.1:%d/axis-cgi/disks/list.cgi" % port,
            auth=HTTPDigestAuth("root", DEFAULT_PASSWORDS["root"]),
            timeout=5,
        )
        assert response.status_code == 404 and "nginx" in response.text
        assert "WWW-Authenticate" not in response.headers
    assert cli.stop() == 0
