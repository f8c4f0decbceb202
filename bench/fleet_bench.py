#!/usr/bin/env python3
"""Fleet benchmark: what Ansible costs to converge and drift-check N simulated devices.

For each fleet size (default 50, 200, 500; mixed cameras and recorders, factory state) this
starts one `vapix-sim` fleet and runs, one after the other, against the declaration in
bench/playbooks/group_vars/all/declaration.yml:

  converge     axis_storage, controller path, from factory state
  idempotent   the same again (must change nothing)
  drift        the same with --check --diff
  fleet_drift  the same drift check as one axis_storage_fleet task (run once, thread pool)
  floor        the drift check's reads from a plain Python script (bench/floor_reads.py)
  noop         one set_fact per device: what Ansible itself costs per host-task
  resources    the drift check as one task per resource, controller path
  storage_mod  axis_storage --check --diff shipped as an ordinary module (jump-host path)
  uri          the drift check's reads as one ansible.builtin.uri task per read (slow)
  resources_mod  the per-resource drift check shipped as ordinary modules (slow)

For every variant: wall time, CPU time (user+sys of the process and all its children), peak
memory of the whole process tree (sum of RSS, and sum of PSS which counts pages that forks
share once), and the HTTP requests per device the simulator counted (reads, writes, 401
challenges). Prints a table with ratios to the floor and writes it all as JSON to
bench/results/<timestamp>.json; `--compare OLD.json` prints the deltas to an earlier run.

    .venv/bin/python bench/fleet_bench.py                       # 50, 200, 500 devices
    .venv/bin/python bench/fleet_bench.py --sizes 50 --compare bench/baseline-n500.json
    make bench BENCH_ARGS="--sizes 500 --skip-slow-at 500"

Every fleet is stopped at the end, also on failure or Ctrl-C; every run has a time limit.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
READY_PREFIX = "vapix-sim ready:"
# Ports this benchmark may use: the fleets are started one after the other from the base port.
DEFAULT_BASE_PORT = 20000
DEFAULT_SIZES = (50, 200, 500)
MiB = 1024 * 1024

# name: (playbook or None for the floor, ansible-playbook arguments, execution path, slow)
VARIANTS = {
    "converge": ("storage.yml", [], "controller", False),
    "idempotent": ("storage.yml", [], "controller", False),
    "drift": ("storage.yml", ["--check", "--diff"], "controller", False),
    "fleet_drift": ("fleet_drift.yml", [], None, False),
    "floor": (None, [], None, False),
    "noop": ("noop.yml", [], None, False),
    "resources": ("resources.yml", ["--check", "--diff"], "controller", False),
    "storage_mod": ("storage.yml", ["--check", "--diff"], "module", True),
    "uri": ("uri_drift.yml", [], None, True),
    "resources_mod": ("resources.yml", ["--check", "--diff"], "module", True),
}
DESCRIPTIONS = {
    "converge": "axis_storage, controller path, factory state -> declared",
    "idempotent": "axis_storage, controller path, second run",
    "drift": "axis_storage --check --diff, controller path",
    "fleet_drift": "axis_storage_fleet: the same drift check, one task, thread pool",
    "floor": "plain Python, keep-alive session per device, same reads",
    "noop": "one set_fact task per device: Ansible's own per-host-task cost",
    "resources": "one task per resource --check --diff, controller path",
    "storage_mod": "axis_storage --check --diff as an ordinary module",
    "uri": "one ansible.builtin.uri task per read + one assert",
    "resources_mod": "one task per resource --check --diff as ordinary modules",
}
# Variants that must not change anything (the fleet has converged before they run).
READ_ONLY = ("idempotent", "drift", "fleet_drift", "floor", "noop", "resources", "storage_mod", "uri", "resources_mod")
# Variants whose reads must be the floor's, request for request.
SAME_READS_AS_FLOOR = ("idempotent", "drift", "fleet_drift", "storage_mod", "uri")

TARGETS = {
    "drift_wall_s": 15.0,  # idempotent drift check of 500 devices
    "drift_vs_floor": 10.0,  # ... at most this many times the floor's wall time
    "idempotent_reads_per_device": 6,
    "peak_memory_mib": 1024.0,  # controller process tree at 50 forks
    "fleet_drift_vs_floor": 1.5,  # the fleet task's drift check, any fleet size
    "fleet_drift_wall_s_5000": 60.0,
    "fleet_drift_reads_per_camera": 6,
}

_live_processes = []  # fleets and runs to stop whatever happens


# --- processes ------------------------------------------------------------------------------


def stop_process(proc, sig=signal.SIGINT, grace=15.0):
    """Stop a process group we started: `sig` first, SIGKILL after `grace` seconds."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return proc.poll()
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return proc.wait(timeout=grace)


def stop_everything():
    while _live_processes:
        proc = _live_processes.pop()
        stop_process(proc)


def _terminate(signum, _frame):
    raise SystemExit("fleet_bench: stopped by signal %d" % signum)


class Fleet:
    """One vapix-sim process serving N devices on consecutive ports."""

    def __init__(self, devices, base_port, job_time_scale, inventory, log_path):
        self.devices = devices
        self.base_port = base_port
        self.inventory = inventory
        self.ports = list(range(base_port, base_port + devices))
        command = [
            str(BIN / "vapix-sim"),
            "--devices",
            str(devices),
            "--base-port",
            str(base_port),
            "--profile",
            "mixed",
            "--control",
            "--job-time-scale",
            str(job_time_scale),
            "--inventory",
            str(inventory),
        ]
        started = time.monotonic()
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self.log, text=True, start_new_session=True
        )
        _live_processes.append(self.proc)
        deadline = started + 60
        line = ""
        while time.monotonic() < deadline and self.proc.poll() is None:
            if select.select([self.proc.stdout], [], [], 0.1)[0]:
                line = self.proc.stdout.readline()
                if line.startswith(READY_PREFIX) or not line:
                    break
        if not line.startswith(READY_PREFIX):
            self.stop()
            raise SystemExit("vapix-sim did not become ready (see %s)" % log_path)
        self.startup_seconds = round(time.monotonic() - started, 2)
        self.ps = psutil.Process(self.proc.pid)
        self.http = requests.Session()
        self.http.mount("http://", requests.adapters.HTTPAdapter(pool_connections=16, pool_maxsize=16))

    def control(self, method, path, port=None):
        url = "http://127.0.0.1:%d/sim/%s" % (port or self.base_port, path)
        response = self.http.request(method, url, timeout=30)
        response.raise_for_status()
        return response.json()

    def clear_logs(self):
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda port: self.control("DELETE", "log", port), self.ports))

    def summary(self):
        return self.control("GET", "fleet/log-summary")

    def cpu_seconds(self):
        times = self.ps.cpu_times()
        return times.user + times.system

    def stop(self):
        if self.proc in _live_processes:
            _live_processes.remove(self.proc)
        code = stop_process(self.proc)
        self.log.close()
        return code


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants until it exits.

    RSS is summed every `interval`; PSS (proportional set size: a page shared by k processes
    counts 1/k, so forks of the controller are not counted 50 times) every `pss_every` samples,
    because reading smaps_rollup of 50 processes costs a few ms.
    """

    def __init__(self, pid, interval=0.2, pss_every=5):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss_every = pss_every
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_single_rss = 0
        self.peak_processes = 0
        self.samples = 0
        self.cpu_seconds = 0.0
        self.root_cpu = None  # the main process's own CPU times, last sample before it exited
        self._halt = threading.Event()

    def stop(self):
        self._halt.set()
        self.join(timeout=10)

    def run(self):
        started = time.thread_time()
        while not self._halt.is_set():
            try:
                self.root_cpu = self.root.cpu_times()
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            rss = pss = 0
            with_pss = self.samples % self.pss_every == 0
            for proc in procs:
                try:
                    if with_pss:
                        info = proc.memory_full_info()
                        pss += info.pss
                    else:
                        info = proc.memory_info()
                    rss += info.rss
                    self.peak_single_rss = max(self.peak_single_rss, info.rss)
                except psutil.Error:
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(procs))
            self.samples += 1
            self._halt.wait(self.interval)
        self.cpu_seconds = time.thread_time() - started


def run_measured(command, env, cwd, log_path, timeout):
    """Run a command to completion; wall, CPU (itself + children) and tree memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log_path, "w") as log:
        started = time.monotonic()
        proc = subprocess.Popen(
            command, env=env, cwd=str(cwd), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        _live_processes.append(proc)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            stop_process(proc, signal.SIGTERM, grace=10)
        except BaseException:
            # Interrupted: stop the run before the fleet it talks to goes away.
            stop_process(proc, signal.SIGTERM, grace=10)
            raise
        finally:
            sampler.stop()
            _live_processes.remove(proc)
        wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall_s": round(wall, 3),
        "cpu_user_s": round(after.ru_utime - before.ru_utime, 3),
        "cpu_sys_s": round(after.ru_stime - before.ru_stime, 3),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3),
        "peak_rss_tree_mib": round(sampler.peak_rss / MiB, 1),
        "peak_pss_tree_mib": round(sampler.peak_pss / MiB, 1),
        "peak_rss_single_mib": round(sampler.peak_single_rss / MiB, 1),
        "peak_processes": sampler.peak_processes,
        # The main process alone (for ansible-playbook: the strategy, templating, result
        # processing and callbacks; the forks do the tasks). Sampled, so up to 0.2 s early.
        "main_process_cpu_s": round(sampler.root_cpu.user + sampler.root_cpu.system, 3) if sampler.root_cpu else None,
        "memory_samples": sampler.samples,
        "sampler_cpu_s": round(sampler.cpu_seconds, 3),
        "returncode": proc.returncode,
        "timed_out": timed_out,
        "log": os.path.relpath(log_path, REPO),
    }


# --- what the simulator and the callback saw -------------------------------------------------


def request_counts(summary):
    """Requests per device by device type: mean and max of reads, writes, 401s, total."""
    by_type = {}
    by_cgi = {}
    for entry in summary["devices"].values():
        kind = "recorder" if entry.get("profile") == "recorder" else "camera"
        counts = by_type.setdefault(
            kind,
            {"devices": 0, "reads": [], "writes": [], "unauthorized": [], "requests": [], "errors": 0, "dropped": 0},
        )
        counts["devices"] += 1
        for key in ("reads", "writes", "unauthorized", "requests"):
            counts[key].append(entry.get(key, 0))
        counts["errors"] += entry.get("errors", 0)
        counts["dropped"] += entry.get("dropped", 0)
        for cgi, n in (entry.get("by_cgi") or {}).items():
            by_cgi.setdefault(kind, {}).setdefault(cgi, 0)
            by_cgi[kind][cgi] += n
    result = {}
    for kind, counts in by_type.items():
        result[kind] = {"devices": counts["devices"], "errors": counts["errors"], "dropped": counts["dropped"]}
        for key in ("reads", "writes", "unauthorized", "requests"):
            values = counts[key]
            result[kind][key + "_mean"] = round(sum(values) / len(values), 2)
            result[kind][key + "_max"] = max(values)
        result[kind]["by_cgi_per_device"] = dict(
            (cgi, round(n / counts["devices"], 2)) for cgi, n in sorted(by_cgi.get(kind, {}).items())
        )
    result["totals"] = summary.get("totals", {})
    return result


def host_outcomes(path, job_time_scale):
    """Summarise the callback's per-host file: hosts changed/failed, module work, device jobs."""
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    hosts = data.get("hosts", {})
    simulated = simulated_job_seconds(job_time_scale)
    jobs_by_action = {}
    waited_per_host, simulated_per_host = [], []
    for host in hosts.values():
        if not host.get("jobs"):
            continue
        waited = simulated_sum = 0.0
        for action, seconds in host["jobs"]:
            stats = jobs_by_action.setdefault(
                action, {"count": 0, "waited_s": 0.0, "simulated_s_each": simulated.get(action)}
            )
            stats["count"] += 1
            stats["waited_s"] += seconds or 0.0
            waited += seconds or 0.0
            simulated_sum += simulated.get(action) or 0.0
        waited_per_host.append(waited)
        simulated_per_host.append(simulated_sum)
    outcome = {
        "hosts": len(hosts),
        "hosts_changed": sum(1 for h in hosts.values() if h["changed"]),
        "hosts_failed": sum(1 for h in hosts.values() if h["failed"] or h["unreachable"]),
        "host_tasks": sum(h["ok"] + h["failed"] + h["skipped"] + h["unreachable"] for h in hosts.values()),
        "module_work_s_total": round(sum(h["work_seconds"] for h in hosts.values()), 3),
        "messages": data.get("messages", []),
    }
    if jobs_by_action:
        for stats in jobs_by_action.values():
            stats["waited_s"] = round(stats["waited_s"], 3)
        outcome["jobs"] = jobs_by_action
        # Over the devices that ran jobs (the cameras; the recorders' disks need none).
        outcome["hosts_with_jobs"] = len(waited_per_host)
        outcome["job_wait_s_per_host_mean"] = round(sum(waited_per_host) / len(waited_per_host), 3)
        outcome["job_wait_s_per_host_max"] = round(max(waited_per_host), 3)
        outcome["job_simulated_s_per_host_mean"] = round(sum(simulated_per_host) / len(simulated_per_host), 3)
        outcome["job_wait_s_total"] = round(sum(waited_per_host), 3)
    return outcome


def simulated_job_seconds(scale):
    """How long each kind of device job takes in the simulator at this job time scale."""
    try:
        from vapix_sim.model import JOB_SECONDS
    except ImportError:
        return {}
    seconds = dict((action, round(value * scale, 3)) for action, value in JOB_SECONDS.items())
    seconds["test"] = seconds.get("sharetest")  # the modules call a share test "test"
    return seconds


# --- the benchmark --------------------------------------------------------------------------


def collection_tree(checkout):
    """A temporary ansible_collections/vapix/edge_storage pointing at the checkout."""
    root = Path(tempfile.mkdtemp(prefix="fleet-bench-collections-"))
    target = root / "ansible_collections" / "vapix"
    target.mkdir(parents=True)
    (target / "edge_storage").symlink_to(Path(checkout).resolve())
    return root


def ansible_env(collections, results_file):
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": str(collections),
            "ANSIBLE_CALLBACK_PLUGINS": str(BENCH / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "fleet_bench_results",
            "FLEET_BENCH_RESULTS": str(results_file),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            # The inventory is one YAML file: without this, the `auto` inventory plugin parses it first
            # (and fails), then the yaml plugin again, and before the first task ansible-core 2.19
            # spends 19.5 s on a 5,000-host file instead of 7.8 s (docs/performance.md, "Large
            # inventories"). Every Ansible variant gets the same; the floor reads the file once.
            "ANSIBLE_INVENTORY_ENABLED": "yaml",
            "PATH": "%s%s%s" % (BIN, os.pathsep, env.get("PATH", "")),
        }
    )
    env.pop("VAPIX_EDGE_STORAGE_EXECUTION", None)  # the variant says which path
    return env


def run_variant(name, fleet, args, workdir, collections):
    playbook, extra, execution, _slow = VARIANTS[name]
    fleet.clear_logs()
    sim_cpu_before = fleet.cpu_seconds()
    log_path = workdir / ("n%d-%s.log" % (fleet.devices, name))
    outcome_path = workdir / ("n%d-%s.hosts.json" % (fleet.devices, name))
    if playbook is None:
        command = [
            sys.executable,
            str(BENCH / "floor_reads.py"),
            "--inventory",
            str(fleet.inventory),
            "--threads",
            str(args.floor_threads),
        ]
        env = dict(os.environ)
    else:
        command = [
            str(BIN / "ansible-playbook"),
            "-i",
            str(fleet.inventory),
            "-f",
            str(args.forks),
            str(BENCH / "playbooks" / playbook),
        ] + extra
        if execution:
            command += ["-e", "vapix_edge_storage_execution=%s" % execution]
        env = ansible_env(collections, outcome_path)
    print("  %-14s %s ..." % (name, DESCRIPTIONS[name]), end="", flush=True)
    load_before = os.getloadavg()[0]
    measured = run_measured(command, env, BENCH, log_path, args.timeout)
    # Other work on the machine inflates wall times: keep the 1-minute load average with them.
    measured["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    measured["simulator_cpu_s"] = round(fleet.cpu_seconds() - sim_cpu_before, 3)
    measured["requests"] = request_counts(fleet.summary())
    if playbook is not None:
        measured["outcome"] = host_outcomes(outcome_path, args.job_time_scale)
    measured["problems"] = problems(name, measured, fleet.devices)
    print(
        " %.1f s wall, %.1f s CPU%s"
        % (
            measured["wall_s"],
            measured["cpu_s"],
            ("  PROBLEM: " + "; ".join(measured["problems"])) if measured["problems"] else "",
        )
    )
    return measured


def problems(name, measured, devices):
    """What makes this variant's numbers meaningless or wrong (failures, writes in a check)."""
    found = []
    if measured["timed_out"]:
        found.append("timed out")
    elif measured["returncode"] != 0:
        found.append("exit status %s (see %s)" % (measured["returncode"], measured["log"]))
    outcome = measured.get("outcome")
    if outcome is not None:
        if outcome["hosts"] != devices:
            found.append("%d of %d hosts reported" % (outcome["hosts"], devices))
        if outcome["hosts_failed"]:
            found.append("%d hosts failed: %s" % (outcome["hosts_failed"], " | ".join(outcome["messages"][:2])))
        if name in READ_ONLY and outcome["hosts_changed"]:
            found.append("%d hosts changed on a converged fleet" % outcome["hosts_changed"])
        if name == "converge" and outcome["hosts_changed"] != devices:
            found.append("only %d of %d hosts changed from factory state" % (outcome["hosts_changed"], devices))
    if name in READ_ONLY:
        writes = sum(v.get("writes_max", 0) for k, v in measured["requests"].items() if k != "totals")
        if writes:
            found.append("a read-only run wrote to the devices")
    return found


def compare_reads(results):
    """Does each variant read what the floor reads (same CGIs, same count per device)?"""
    floor = results.get("floor")
    if not floor:
        return
    for name in SAME_READS_AS_FLOOR:
        if name not in results:
            continue
        same = all(
            results[name]["requests"].get(kind, {}).get("by_cgi_per_device")
            == floor["requests"][kind]["by_cgi_per_device"]
            for kind in ("camera", "recorder")
            if kind in floor["requests"]
        )
        results[name]["same_reads_as_floor"] = same
        if not same:
            results[name]["problems"].append("its reads differ from the floor's (see requests.by_cgi_per_device)")


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as ansible_version
    except ImportError:
        ansible_version = None
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / (1024**3), 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "ansible_core": ansible_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def slow_skipped(name, devices, args):
    return VARIANTS[name][3] and args.skip_slow_at is not None and devices >= args.skip_slow_at


def run_fleet(run, args, workdir, collections):
    """Start a fleet of run["devices"], run the variants into run["variants"], stop the fleet."""
    devices = run["devices"]
    print(
        "\n== %d devices (mixed: every 4th a recorder), %d forks, job time scale %s"
        % (devices, args.forks, args.job_time_scale)
    )
    inventory = workdir / ("inventory-n%d.yml" % devices)
    fleet = Fleet(devices, args.base_port, args.job_time_scale, inventory, workdir / ("n%d-vapix-sim.log" % devices))
    run["fleet_startup_s"] = fleet.startup_seconds
    results = run["variants"]
    try:
        print("  fleet ready in %.2f s" % fleet.startup_seconds)
        for name in args.variants:
            if slow_skipped(name, devices, args):
                print("  %-14s skipped (--skip-slow-at %d)" % (name, args.skip_slow_at))
                continue
            try:
                results[name] = run_variant(name, fleet, args, workdir, collections)
            except (OSError, ValueError, requests.RequestException) as exc:
                # Typically the fleet went away (stopped from outside): nothing more to measure here.
                state = "running" if fleet.proc.poll() is None else "exited with %s" % fleet.proc.returncode
                run["error"] = "%s: %s (vapix-sim %s; see %s)" % (name, exc, state, fleet.log.name)
                print("\n  ERROR %s" % run["error"])
                break
            if name == "converge" and results[name]["problems"]:
                print("  the converge failed: later variants would measure a fleet that is not converged")
                break
    finally:
        run["fleet_exit_code"] = fleet.stop()
        compare_reads(results)


# --- reporting ------------------------------------------------------------------------------


def reads_label(variant, kind):
    counts = variant["requests"].get(kind)
    if not counts:
        return "-"
    return "%g/%g/%g" % (counts["reads_mean"], counts["writes_mean"], counts["unauthorized_mean"])


def table(run):
    variants = run["variants"]
    floor = variants.get("floor")
    lines = []
    header = (
        "variant",
        "wall s",
        "CPU s",
        "main CPU s",
        "x floor wall",
        "x floor CPU",
        "RSS MiB",
        "PSS MiB",
        "cam r/w/401",
        "rec r/w/401",
        "hosts chg/fail",
    )
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    for name, v in variants.items():
        outcome = v.get("outcome") or {}
        ratio_wall = ratio_cpu = "-"
        if floor and name != "floor" and floor["wall_s"] and floor["cpu_s"]:
            ratio_wall = "%.1f" % (v["wall_s"] / floor["wall_s"])
            ratio_cpu = "%.1f" % (v["cpu_s"] / floor["cpu_s"])
        hosts = "%s/%s" % (outcome.get("hosts_changed", "-"), outcome.get("hosts_failed", "-")) if outcome else "-"
        if v["problems"]:
            hosts += " !"
        lines.append(
            "| "
            + " | ".join(
                [
                    name,
                    "%.1f" % v["wall_s"],
                    "%.1f" % v["cpu_s"],
                    "-" if v.get("main_process_cpu_s") is None or name == "floor" else "%.1f" % v["main_process_cpu_s"],
                    ratio_wall,
                    ratio_cpu,
                    "%.0f" % v["peak_rss_tree_mib"],
                    "%.0f" % v["peak_pss_tree_mib"],
                    reads_label(v, "camera"),
                    reads_label(v, "recorder"),
                    hosts,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def converge_notes(run):
    converge = run["variants"].get("converge")
    if not converge or not converge.get("outcome") or "jobs" not in converge["outcome"]:
        return []
    outcome = converge["outcome"]
    jobs = ", ".join(
        "%s x%d (simulated %s s, waited %.2f s on average)"
        % (action, stats["count"], stats["simulated_s_each"], stats["waited_s"] / stats["count"])
        for action, stats in sorted(outcome["jobs"].items())
    )
    # Each fork waits for its devices' jobs one device after the other.
    parallel = min(run["forks"], run["devices"])
    bound = max(outcome["job_wait_s_per_host_max"], outcome["job_wait_s_total"] / parallel)
    return [
        "converge, device jobs: %s. Per device with jobs (%d): simulated %.2f s, waited %.2f s mean, "
        "%.2f s max; %.1f s of job waiting in all, so >= %.1f s of the converge's wall time with %d forks "
        "(the rest is controller CPU: %.1f s)."
        % (
            jobs,
            outcome["hosts_with_jobs"],
            outcome["job_simulated_s_per_host_mean"],
            outcome["job_wait_s_per_host_mean"],
            outcome["job_wait_s_per_host_max"],
            outcome["job_wait_s_total"],
            bound,
            run["forks"],
            converge["cpu_s"],
        )
    ]


def target_checks(runs):
    """The issue's targets, judged on the largest fleet measured."""
    if not runs:
        return []
    run = max(runs, key=lambda r: r["devices"])
    v = run["variants"]
    checks = []

    def check(label, value, limit, unit=""):
        if value is None:
            checks.append({"target": label, "value": None, "limit": limit, "met": None})
        else:
            checks.append(
                {"target": label, "value": round(value, 2), "limit": limit, "met": value <= limit, "unit": unit}
            )

    drift = v.get("drift")
    floor = v.get("floor")
    n = run["devices"]
    check("drift check of %d devices, wall" % n, drift and drift["wall_s"], TARGETS["drift_wall_s"], "s")
    check(
        "drift check of %d devices / floor (wall)" % n,
        drift and floor and drift["wall_s"] / floor["wall_s"],
        TARGETS["drift_vs_floor"],
        "x",
    )
    idem = v.get("idempotent")
    if idem:
        worst = max(c["reads_max"] for k, c in idem["requests"].items() if k != "totals")
        writes = max(c["writes_max"] for k, c in idem["requests"].items() if k != "totals")
        check("idempotent run: reads per device (max)", worst, TARGETS["idempotent_reads_per_device"])
        check("idempotent run: writes per device (max)", writes, 0)
    controller = [name for name in ("converge", "idempotent", "drift") if name in v]
    if controller:
        check(
            "axis_storage: peak memory, PSS of the process tree, %d forks" % run["forks"],
            max(v[name]["peak_pss_tree_mib"] for name in controller),
            TARGETS["peak_memory_mib"],
            "MiB",
        )
        check(
            "axis_storage: peak memory, RSS sum of the process tree, %d forks" % run["forks"],
            max(v[name]["peak_rss_tree_mib"] for name in controller),
            TARGETS["peak_memory_mib"],
            "MiB",
        )
    # The fleet task's targets hold at every size measured.
    for each in runs:
        fleet, each_floor, size = each["variants"].get("fleet_drift"), each["variants"].get("floor"), each["devices"]
        if not fleet:
            continue
        check(
            "fleet_drift of %d devices / floor (wall)" % size,
            each_floor and fleet["wall_s"] / each_floor["wall_s"],
            TARGETS["fleet_drift_vs_floor"],
            "x",
        )
        camera = fleet["requests"].get("camera") or {}
        check(
            "fleet_drift of %d devices: reads per camera (max)" % size,
            camera.get("reads_max"),
            TARGETS["fleet_drift_reads_per_camera"],
        )
        check(
            "fleet_drift of %d devices: writes per device (max)" % size,
            max(c["writes_max"] for k, c in fleet["requests"].items() if k != "totals"),
            0,
        )
        check(
            "fleet_drift of %d devices: peak memory, RSS sum of the process tree" % size,
            fleet["peak_rss_tree_mib"],
            TARGETS["peak_memory_mib"],
            "MiB",
        )
        if size >= 5000:
            check("fleet_drift of %d devices, wall" % size, fleet["wall_s"], TARGETS["fleet_drift_wall_s_5000"], "s")
    return checks


def print_report(report):
    for run in report["runs"]:
        print(
            "\n### %d devices (%d forks, job time scale %s)\n" % (run["devices"], run["forks"], run["job_time_scale"])
        )
        print(table(run))
        for note in converge_notes(run):
            print("\n" + note)
        for name, v in run["variants"].items():
            for problem in v["problems"]:
                print("PROBLEM %s: %s" % (name, problem))
        if run.get("error"):
            print("ERROR (the run stopped there): %s" % run["error"])
    if report["targets"]:
        print("\nTargets (largest fleet):")
        for t in report["targets"]:
            verdict = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
            print("  %-62s %10s  limit %-6s %s" % (t["target"], t["value"], t["limit"], verdict))


def print_comparison(report, old_path):
    with open(old_path) as handle:
        old = json.load(handle)
    old_runs = dict((r["devices"], r) for r in old.get("runs", []))
    print("\nCompared with %s (%s):" % (old_path, old.get("meta", {}).get("date")))
    print("| devices | variant | wall s | CPU s | PSS MiB | cam reads | rec reads |")
    print("|---|---|---|---|---|---|---|")

    def delta(new, before):
        if before in (None, 0) or new is None:
            return "%s (new)" % new
        return "%.1f (%+.0f%%)" % (new, 100.0 * (new - before) / before)

    for run in report["runs"]:
        previous = old_runs.get(run["devices"])
        if not previous:
            continue
        for name, v in run["variants"].items():
            p = previous["variants"].get(name)
            if not p:
                continue

            def reads(x, kind):
                return (x["requests"].get(kind) or {}).get("reads_mean")

            print(
                "| %d | %s | %s | %s | %s | %s | %s |"
                % (
                    run["devices"],
                    name,
                    delta(v["wall_s"], p["wall_s"]),
                    delta(v["cpu_s"], p["cpu_s"]),
                    delta(v["peak_pss_tree_mib"], p["peak_pss_tree_mib"]),
                    delta(reads(v, "camera"), reads(p, "camera")),
                    delta(reads(v, "recorder"), reads(p, "recorder")),
                )
            )


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Fleet benchmark of vapix.edge_storage against vapix-sim.",
        epilog="Variants: " + "; ".join("%s = %s" % kv for kv in DESCRIPTIONS.items()),
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated fleet sizes (default %(default)s)",
    )
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="comma-separated variants to run, in this order (default: all)"
    )
    parser.add_argument(
        "--skip-slow-at",
        type=int,
        metavar="N",
        help="skip the slow variants (storage_mod, uri, resources_mod) for fleets of N or more",
    )
    parser.add_argument("--forks", type=int, default=50, help="ansible-playbook -f (default 50)")
    parser.add_argument(
        "--job-time-scale",
        type=float,
        default=0.05,
        help="simulator job durations x this (default 0.05: a format takes 0.4 s)",
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=DEFAULT_BASE_PORT,
        help="first device port; device k listens on base+k-1 (default %(default)s)",
    )
    parser.add_argument("--floor-threads", type=int, default=4, help="threads of the floor script (default 4)")
    parser.add_argument(
        "--collection",
        default=str(REPO),
        help="checkout of the collection to benchmark (default: this one), e.g. to measure a fix",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="time limit per run in seconds (default 3600)")
    parser.add_argument("--output", help="JSON result file (default bench/results/<timestamp>.json)")
    parser.add_argument("--compare", metavar="FILE", help="print deltas against an earlier result file")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes: comma-separated integers, e.g. 50,200,500")
    if not args.sizes or min(args.sizes) < 1 or max(args.sizes) > 10000:
        parser.error("--sizes: between 1 and 10000 devices")
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        parser.error("--variants: unknown %s; choose from %s" % (", ".join(unknown), ", ".join(VARIANTS)))
    if args.variants[0] != "converge":
        print("note: without 'converge' first, the fleet is in factory state for the other variants")
    if args.base_port < 1024 or args.base_port + max(args.sizes) > 65536:
        parser.error(
            "--base-port: the fleet needs ports %d-%d" % (args.base_port, args.base_port + max(args.sizes) - 1)
        )
    if args.compare and not os.path.exists(args.compare):
        parser.error("--compare: no such file %s" % args.compare)
    return args


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_dir = BENCH / "results"
    workdir = results_dir / stamp
    workdir.mkdir(parents=True, exist_ok=True)
    output = Path(args.output) if args.output else results_dir / ("%s.json" % stamp)
    report = {
        "meta": {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(
                [
                    os.path.relpath(sys.executable, REPO) if sys.executable.startswith(str(REPO)) else sys.executable,
                    os.path.relpath(__file__, REPO),
                ]
                + (argv or sys.argv[1:])
            ),
            "machine": machine(),
            "options": {
                "sizes": args.sizes,
                "variants": args.variants,
                "forks": args.forks,
                "job_time_scale": args.job_time_scale,
                "skip_slow_at": args.skip_slow_at,
                "floor_threads": args.floor_threads,
                "collection": os.path.relpath(os.path.realpath(args.collection), REPO),
            },
            "targets": TARGETS,
            "logs": os.path.relpath(workdir, REPO),
        },
        "runs": [],
    }
    collections = collection_tree(args.collection)
    started = time.monotonic()
    interrupted = None
    try:
        for devices in args.sizes:
            run = {"devices": devices, "forks": args.forks, "job_time_scale": args.job_time_scale, "variants": {}}
            report["runs"].append(run)
            run_fleet(run, args, workdir, collections)
    except (KeyboardInterrupt, SystemExit) as exc:
        interrupted = str(exc) or "interrupted"
        report["meta"]["interrupted"] = interrupted
        print("\n%s: reporting what was measured" % interrupted)
    finally:
        stop_everything()
        shutil.rmtree(collections, ignore_errors=True)
    report["meta"]["total_seconds"] = round(time.monotonic() - started, 1)
    report["targets"] = target_checks(report["runs"])
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w") as handle:
        json.dump(report, handle, indent=1, sort_keys=False)
        handle.write("\n")
    print_report(report)
    if args.compare:
        print_comparison(report, args.compare)
    print("\nresults: %s (logs in %s)" % (os.path.relpath(output, REPO), report["meta"]["logs"]))
    bad = [p for run in report["runs"] for v in run["variants"].values() for p in v["problems"]]
    bad += [run["error"] for run in report["runs"] if run.get("error")]
    return 1 if bad or interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
