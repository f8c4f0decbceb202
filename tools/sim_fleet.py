#!/usr/bin/env python3
"""Start and stop the simulated device fleets that `make test` and `make demo` run against.

    sim_fleet.py start integration   # fleets for ansible-test integration, writes
                                     # tests/integration/integration_config.yml
    sim_fleet.py stop integration
    sim_fleet.py start demo          # one mixed fleet, writes build/demo/inventory.yml
    sim_fleet.py stop demo
    sim_fleet.py start molecule      # the molecule scenario's fleet (extensions/molecule/default),
                                     # inventory in build/vapix-sim/molecule/molecule-inventory.yml
    sim_fleet.py stop molecule

Each fleet is one `vapix-sim` process in its own session, with its output, pid and inventory
under build/vapix-sim/<preset>/. `start` stops whatever an interrupted earlier run of the same
preset left behind, returns once every fleet has printed its ready line (or fails with the
fleet's log), and never leaves a half-started preset running. `stop` is idempotent. Ports are
fixed (override the first with --base-port) so that a busy port fails loudly instead of
quietly testing against something else.

Run with the Python of the venv the simulator is installed in.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vapix_sim.inventory import inventory_hosts

REPO = Path(__file__).resolve().parent.parent
RUN_ROOT = REPO / "build" / "vapix-sim"
INTEGRATION_CONFIG = REPO / "tests" / "integration" / "integration_config.yml"
DEMO_INVENTORY = REPO / "build" / "demo" / "inventory.yml"
READY_PREFIX = "vapix-sim ready:"
READY_TIMEOUT = 30.0
# root's password on the simulated devices. Longer than the simulator's default "pass", which
# Ansible's no_log masking would also cut out of words such as "passphrase" in test output.
ROOT_PASSWORD = "Vapix-Sim-Root-2026"
STOP_TIMEOUT = 10.0


@dataclass
class FleetSpec:
    name: str
    port_offset: int  # from the preset's base port
    devices: int
    profile: str
    extra: list[str] = field(default_factory=list)
    https: bool = False


# integration: a mixed fleet (cameras cam-0001..3, 5..7; recorders rec-0004, rec-0008), one
# dual-slot camera (SD_DISK and SD_DISK2), a small HTTPS fleet whose CA the tests trust, one
# camera each on firmware 9.80 and 5.51, and one 4-sensor camera.
PRESETS = {
    "integration": {
        "base_port": 18400,
        "job_time_scale": "0.02",
        "fleets": [
            FleetSpec("mixed", 0, 8, "mixed"),
            FleetSpec("dual_sd", 10, 1, "camera", ["--second-sd"]),
            FleetSpec("https", 20, 2, "camera", https=True),
            # Older firmware generations and a 4-sensor camera (vapix-sim --firmware/--sensors).
            FleetSpec("fw_980", 30, 1, "camera", ["--firmware", "9.80"]),
            FleetSpec("fw_551", 40, 1, "camera", ["--firmware", "5.51"]),
            FleetSpec("multisensor", 50, 1, "camera", ["--sensors", "4"]),
        ],
        # a counting forward proxy (vapix_sim.proxy) for the tests of proxy settings
        "proxy_offset": 60,
    },
    "demo": {
        "base_port": 18500,
        "job_time_scale": "0.05",
        "fleets": [FleetSpec("demo", 0, 8, "mixed")],
    },
    # molecule: cameras cam-0001..0003 and recorder rec-0004. The scenario's create step copies
    # the inventory into molecule's inventory directory itself.
    "molecule": {
        "base_port": 18600,
        "job_time_scale": "0.02",
        "fleets": [FleetSpec("molecule", 0, 4, "mixed")],
    },
    # health: cameras cam-0001..0003 and recorder rec-0004 for the import and health report gate
    # (tools/health_import_check.sh); inventory in build/vapix-sim/health/health-inventory.yml.
    "health": {
        "base_port": 18700,
        "job_time_scale": "0.02",
        "fleets": [FleetSpec("health", 0, 4, "mixed")],
    },
    # slicing: 9 mixed devices (cameras and recorders) for the job slicing gate
    # (tools/slicing_check.sh): a drift check and a health report in one run and in 3 slices;
    # inventory in build/vapix-sim/slicing/slicing-inventory.yml.
    "slicing": {
        "base_port": 18800,
        "job_time_scale": "0.02",
        "fleets": [FleetSpec("slicing", 0, 9, "mixed")],
    },
}


# --instance: the folder of one run of a preset, when several run at once (integration shards)
INSTANCES: dict[str, str] = {}


def run_dir(preset: str) -> Path:
    return RUN_ROOT / INSTANCES.get(preset, preset)


def pid_file(preset: str, fleet: FleetSpec) -> Path:
    return run_dir(preset) / f"{fleet.name}.pid"


def log_file(preset: str, fleet: FleetSpec) -> Path:
    return run_dir(preset) / f"{fleet.name}.log"


def inventory_file(preset: str, fleet: FleetSpec) -> Path:
    return run_dir(preset) / f"{fleet.name}-inventory.yml"


def ca_file(preset: str, fleet: FleetSpec) -> Path:
    return run_dir(preset) / f"{fleet.name}-ca.pem"


def is_our_simulator(pid: int) -> bool:
    """True if pid is alive and is a vapix-sim process (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(b"vapix_sim" in part or b"vapix-sim" in part for part in cmdline)


def stop_process(path: Path, name: str) -> None:
    """Stop the simulator process whose pid `path` holds (a fleet or the proxy), if it still runs."""
    if not path.exists():
        return
    pid = int(path.read_text().strip() or 0)
    if pid and is_our_simulator(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while is_our_simulator(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if is_our_simulator(pid):
            print(f"sim_fleet: {name} (pid {pid}) ignored SIGTERM, killing it", file=sys.stderr)
            os.kill(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)


def stop_fleet(preset: str, fleet: FleetSpec) -> None:
    stop_process(pid_file(preset, fleet), fleet.name)


def reap(process: subprocess.Popen) -> None:
    """Collect a child that exited so it does not linger as a zombie while we wait."""
    try:
        process.wait(timeout=0)
    except subprocess.TimeoutExpired:
        pass


def start_fleet(preset: str, fleet: FleetSpec, base_port: int, job_time_scale: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "vapix_sim.cli",
        "--devices",
        str(fleet.devices),
        "--base-port",
        str(base_port + fleet.port_offset),
        "--profile",
        fleet.profile,
        "--control",
        "--job-time-scale",
        job_time_scale,
        "--root-password",
        ROOT_PASSWORD,
        "--state-dir",
        str(run_dir(preset)),
        "--inventory",
        str(inventory_file(preset, fleet)),
        *fleet.extra,
    ]
    if fleet.https:
        command += ["--https", "--ca-file", str(ca_file(preset, fleet))]
    inventory_file(preset, fleet).unlink(missing_ok=True)
    with open(log_file(preset, fleet), "wb") as log:
        # Own session: Ctrl-C in make does not reach the fleet; `stop` ends it by pid.
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO
        )
    pid_file(preset, fleet).write_text(f"{process.pid}\n")
    return process


def wait_ready(preset: str, started: dict[str, subprocess.Popen]) -> None:
    pending = dict(started)
    deadline = time.monotonic() + READY_TIMEOUT
    while pending:
        for name, process in list(pending.items()):
            fleet = next(f for f in PRESETS[preset]["fleets"] if f.name == name)
            log_text = log_file(preset, fleet).read_text(errors="replace")
            if READY_PREFIX in log_text and inventory_file(preset, fleet).exists():
                print(f"sim_fleet: {name}: {log_text[log_text.index(READY_PREFIX) :].splitlines()[0]}", file=sys.stderr)
                del pending[name]
            elif process.poll() is not None:
                raise RuntimeError(f"fleet {name} exited with status {process.returncode}:\n{log_text}")
        if pending and time.monotonic() > deadline:
            raise RuntimeError(f"fleets {', '.join(pending)} not ready after {READY_TIMEOUT:.0f}s")
        time.sleep(0.05)
    for process in started.values():
        reap(process)


PROXY_LIFETIME = 7200  # seconds: bounded even if nobody stops it


def proxy_pid_file(preset: str) -> Path:
    return run_dir(preset) / "proxy.pid"


def proxy_port(preset: str, base_port: int) -> int | None:
    offset = PRESETS[preset].get("proxy_offset")
    return None if offset is None else base_port + offset


def start_proxy(preset: str, port: int) -> None:
    """The preset's counting proxy; returns once it listens (or fails with its log)."""
    log_path = run_dir(preset) / "proxy.log"
    command = [sys.executable, "-m", "vapix_sim.proxy", "--port", str(port), "--lifetime", str(PROXY_LIFETIME)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO
        )
    proxy_pid_file(preset).write_text(f"{process.pid}\n")
    deadline = time.monotonic() + READY_TIMEOUT
    while "proxy ready:" not in log_path.read_text(errors="replace"):
        if process.poll() is not None:
            raise RuntimeError(
                f"proxy exited with status {process.returncode}:\n{log_path.read_text(errors='replace')}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"proxy not ready after {READY_TIMEOUT:.0f}s")
        time.sleep(0.05)
    reap(process)
    print(f"sim_fleet: proxy: http://127.0.0.1:{port}", file=sys.stderr)


def load_devices(preset: str, fleet: FleetSpec) -> list[dict]:
    """The fleet's devices, read back from the inventory the simulator wrote."""
    with open(inventory_file(preset, fleet), encoding="utf-8") as handle:
        hosts = inventory_hosts(yaml.safe_load(handle))
    devices = [{"name": name, "fleet": fleet.name, **host_vars} for name, host_vars in hosts.items()]
    return sorted(devices, key=lambda device: device["axis_port"])


def integration_config(preset: str, base_port: int) -> dict:
    fleets = {fleet.name: load_devices(preset, fleet) for fleet in PRESETS[preset]["fleets"]}
    mixed = fleets["mixed"]
    cameras = [d for d in mixed if d["axis_device_type"] == "camera"]
    recorders = [d for d in mixed if d["axis_device_type"] == "recorder"]
    https_cameras = fleets["https"]
    first = mixed[0]
    all_devices = [d for devices in fleets.values() for d in devices]
    return {
        "vapix_sim_host": first["axis_host"],
        "vapix_sim_username": first["axis_username"],
        "vapix_sim_password": first["axis_password"],
        # Single-slot cameras and recorders of the mixed fleet, by role, for targets that want
        # a device of their own; *_ports list them all.
        "vapix_sim_camera_port": cameras[0]["axis_port"],
        "vapix_sim_camera2_port": fleets["dual_sd"][0]["axis_port"],
        "vapix_sim_recorder_port": recorders[0]["axis_port"],
        "vapix_sim_camera_ports": [d["axis_port"] for d in cameras],
        "vapix_sim_recorder_ports": [d["axis_port"] for d in recorders],
        "vapix_sim_https_camera_port": https_cameras[0]["axis_port"],
        # Kept out of vapix_sim_camera_ports: targets iterating those expect the default firmware.
        "vapix_sim_fw980_camera_port": fleets["fw_980"][0]["axis_port"],
        "vapix_sim_fw551_camera_port": fleets["fw_551"][0]["axis_port"],
        "vapix_sim_multisensor_port": fleets["multisensor"][0]["axis_port"],
        "vapix_sim_ca_path": str(ca_file(preset, next(f for f in PRESETS[preset]["fleets"] if f.https))),
        # the counting forward proxy: GET /proxy/count, POST /proxy/reset (vapix_sim.proxy)
        "vapix_sim_proxy_port": proxy_port(preset, base_port),
        # Every device: name, port, scheme, profile and its /sim/ control endpoint
        # (unauthenticated: state, reset, faults, request log).
        "vapix_sim_devices": [
            {
                "name": d["name"],
                "fleet": d["fleet"],
                "port": d["axis_port"],
                "profile": d["axis_device_type"],
                "firmware": d.get("vapix_sim_firmware"),
                "sensors": d.get("vapix_sim_sensors"),
                "https": bool(d["axis_use_https"]),
                "control": "%s://%s:%d/sim"
                % ("https" if d["axis_use_https"] else "http", d["axis_host"], d["axis_port"]),
            }
            for d in all_devices
        ],
    }


def write_integration_config(config: dict, path: Path = INTEGRATION_CONFIG) -> None:
    """The fleets' description for ansible-test, as JSON (which is YAML too).

    ansible-test puts this file in its play's vars_files, and Ansible parses a play's vars_files
    again for every task (VariableManager.get_vars caches only vaulted files). Its DataLoader
    tries JSON before YAML: 1.7 ms a parse instead of 6 ms for the same YAML, about 8 % of an
    integration run's CPU (docs/development.md, "Measured times"). No comment: JSON has none.
    """
    text = json.dumps(config, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"sim_fleet: wrote {path}", file=sys.stderr)


def write_demo_inventory(preset: str) -> None:
    fleet = PRESETS[preset]["fleets"][0]
    DEMO_INVENTORY.parent.mkdir(parents=True, exist_ok=True)
    DEMO_INVENTORY.write_text(inventory_file(preset, fleet).read_text(encoding="utf-8"), encoding="utf-8")
    print(f"sim_fleet: wrote {DEMO_INVENTORY.relative_to(REPO)}", file=sys.stderr)


def start(preset: str, base_port: int, config: Path = INTEGRATION_CONFIG) -> None:
    spec = PRESETS[preset]
    run_dir(preset).mkdir(parents=True, exist_ok=True)
    stop(preset)  # leftovers of an interrupted run would hold the ports
    started = {}
    try:
        for fleet in spec["fleets"]:
            started[fleet.name] = start_fleet(preset, fleet, base_port, spec["job_time_scale"])
        wait_ready(preset, started)
        if proxy_port(preset, base_port) is not None:
            start_proxy(preset, proxy_port(preset, base_port))
        if preset == "integration":
            write_integration_config(integration_config(preset, base_port), config)
        elif preset == "demo":
            write_demo_inventory(preset)
    except BaseException:
        stop(preset)
        raise


def stop(preset: str) -> None:
    for fleet in PRESETS[preset]["fleets"]:
        stop_fleet(preset, fleet)
    stop_process(proxy_pid_file(preset), "proxy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("preset", choices=sorted(PRESETS))
    parser.add_argument(
        "--base-port",
        type=int,
        default=None,
        help="first port of the preset's fleets (default: integration 18400, demo 18500, "
        "molecule 18600, health 18700, slicing 18800)",
    )
    parser.add_argument(
        "--instance",
        help="this run's folder under build/vapix-sim/ (default: the preset's name): runs of one preset "
        "with their own --instance and --base-port can run at once (integration shards)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=INTEGRATION_CONFIG,
        help="integration: the integration_config.yml to write (default tests/integration/integration_config.yml)",
    )
    args = parser.parse_args()
    if args.instance:
        INSTANCES[args.preset] = args.instance
    try:
        if args.action == "start":
            start(args.preset, args.base_port or PRESETS[args.preset]["base_port"], args.config)
        else:
            stop(args.preset)
    except (RuntimeError, OSError) as exc:
        print(f"sim_fleet: {args.action} {args.preset} failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
