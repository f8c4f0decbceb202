#!/usr/bin/env python3
"""Throughput of the device simulator: authenticated (Digest) requests per second.

Starts `vapix-sim` with a fleet (default 500 devices) in a subprocess, then drives a bounded
load: a fixed total of requests (default 20,000) spread round-robin over every device, each
device with its own keep-alive connection that authenticates once (Digest, nc increments).
Reports requests/s, latency percentiles and the simulator's own count (/sim/fleet/log-summary).

    .venv/bin/python bench/sim_throughput.py                      # asyncio client
    .venv/bin/python bench/sim_throughput.py --client requests    # requests + threads

The asyncio client is aiohttp with its Digest middleware (one session and keep-alive connection
per device); `--client requests` cross-checks with the client the test suite uses (it is slower
per request, so it measures less of the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HOST = "127.0.0.1"


def free_base_port(count: int) -> int:
    for _ in range(50):
        base = random.randrange(20000, 32000 - count)
        socks = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                socks.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((HOST, port))
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise SystemExit("no free port range")


def start_simulator(devices: int, base: int, profile: str):
    command = [
        sys.executable,
        "-m",
        "vapix_sim.cli",
        "--devices",
        str(devices),
        "--base-port",
        str(base),
        "--profile",
        profile,
        "--control",
    ]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    deadline = started + 30
    while time.monotonic() < deadline:
        if select.select([proc.stdout], [], [], 0.05)[0]:
            line = proc.stdout.readline()
            if line.startswith("vapix-sim ready:"):
                return proc, time.monotonic() - started, line.strip()
            if not line:
                break
    proc.kill()
    raise SystemExit("simulator did not start")


async def asyncio_load(ports, total, concurrency, uri, user, password):
    """aiohttp, one session per device: one keep-alive connection and its own Digest state.

    aiohttp's DigestAuthMiddleware answers the first 401 challenge and then authenticates
    preemptively with an incrementing nc, as a long-lived client of one device does. A trace
    hook counts the challenges (401 answers) the devices sent.
    """
    import aiohttp

    challenges = 0

    async def on_request_end(_session, _context, params):
        nonlocal challenges
        if params.response.status == 401:
            challenges += 1

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    sessions = [
        aiohttp.ClientSession(
            base_url="http://%s:%d" % (HOST, port),
            connector=aiohttp.TCPConnector(limit=1),
            middlewares=(aiohttp.DigestAuthMiddleware(user, password),),
            trace_configs=[trace],
        )
        for port in ports
    ]
    latencies = []
    failures = 0
    plan = [sessions[i % len(sessions)] for i in range(total)]
    # Each worker owns a disjoint set of devices (one request in flight per connection).
    buckets = [plan[w::concurrency] for w in range(concurrency)]

    async def worker(items):
        nonlocal failures
        for session in items:
            start = time.perf_counter()
            async with session.get(uri) as response:
                await response.read()
                status = response.status
            latencies.append(time.perf_counter() - start)
            if status != 200:
                failures += 1

    if len(sessions) % concurrency:
        raise SystemExit("devices must be a multiple of the concurrency")
    try:
        started = time.perf_counter()
        await asyncio.gather(*(worker(items) for items in buckets))
        elapsed = time.perf_counter() - started
    finally:
        for session in sessions:
            await session.close()
    return elapsed, latencies, failures, challenges


def requests_load(ports, total, threads, uri, user, password):
    import requests
    from requests.auth import HTTPDigestAuth

    latencies, failures = [], [0]
    lock = threading.Lock()

    def worker(items):
        # One session (keep-alive) per device, as the collection's client would hold.
        sessions = {}
        local_lat = []
        local_fail = 0
        for port in items:
            session = sessions.get(port)
            if session is None:
                session = sessions[port] = requests.Session()
                session.auth = HTTPDigestAuth(user, password)
            start = time.perf_counter()
            response = session.get("http://%s:%d%s" % (HOST, port, uri), timeout=30)
            local_lat.append(time.perf_counter() - start)
            if response.status_code != 200:
                local_fail += 1
        with lock:
            latencies.extend(local_lat)
            failures[0] += local_fail
        for session in sessions.values():
            session.close()

    # Each thread owns a disjoint set of devices (one session each) and visits them in turn.
    buckets = []
    for w in range(threads):
        owned = ports[w::threads]
        share = total // threads + (1 if w < total % threads else 0)
        buckets.append([owned[i % len(owned)] for i in range(share)])
    workers = [threading.Thread(target=worker, args=(b,)) for b in buckets]
    started = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return time.perf_counter() - started, latencies, failures[0], None


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def process_cpu_seconds(pid: int) -> float:
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument(
        "--concurrency", type=int, default=50, help="asyncio: connections in flight at once (devices must divide)"
    )
    parser.add_argument("--client", choices=("asyncio", "requests"), default="asyncio")
    parser.add_argument("--threads", type=int, default=8, help="requests client threads")
    parser.add_argument("--profile", default="camera")
    parser.add_argument("--uri", default="/axis-cgi/disks/list.cgi?diskid=all")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    if args.requests > 200000:
        raise SystemExit("keep the load bounded: at most 200000 requests")

    base = free_base_port(args.devices)
    proc, startup, ready = start_simulator(args.devices, base, args.profile)
    ports = list(range(base, base + args.devices))
    try:
        cpu_before = process_cpu_seconds(proc.pid)
        if args.client == "asyncio":
            elapsed, latencies, failures, challenges = asyncio.run(
                asyncio_load(ports, args.requests, args.concurrency, args.uri, "root", "pass")
            )
        else:
            elapsed, latencies, failures, challenges = requests_load(
                ports, args.requests, args.threads, args.uri, "root", "pass"
            )
        server_cpu = process_cpu_seconds(proc.pid) - cpu_before
        with urllib.request.urlopen("http://%s:%d/sim/fleet/log-summary" % (HOST, base), timeout=30) as response:
            totals = json.load(response)["totals"]
    finally:
        stop_started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
        shutdown = time.monotonic() - stop_started
    result = {
        "client": args.client,
        "devices": args.devices,
        "requests": args.requests,
        "uri": args.uri,
        "startup_s": round(startup, 3),
        "elapsed_s": round(elapsed, 3),
        "req_per_s": round(args.requests / elapsed, 1),
        "server_cpu_s": round(server_cpu, 2),
        "server_us_per_request": round(1e6 * server_cpu / (args.requests + totals.get("unauthorized", 0)), 1),
        "latency_ms": {"p%d" % p: round(1000 * percentile(latencies, p), 2) for p in (50, 90, 99)},
        "latency_max_ms": round(1000 * max(latencies), 2),
        "latency_mean_ms": round(1000 * statistics.fmean(latencies), 2),
        "failures": failures,
        "client_challenges": challenges,
        "server_counted": {k: totals.get(k) for k in ("reads", "writes", "unauthorized", "errors", "dropped")},
        "shutdown_s": round(shutdown, 3),
        "exit_code": code,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(ready)
        print(
            "startup %.2f s; %d %s requests over %d devices in %.2f s = %.0f req/s"
            % (startup, args.requests, args.client, args.devices, elapsed, result["req_per_s"])
        )
        print(
            "latency ms: p50 %(p50).2f  p90 %(p90).2f  p99 %(p99).2f" % result["latency_ms"]
            + "  max %.2f" % result["latency_max_ms"]
        )
        print(
            "server CPU %.2f s (%.0f us per request incl. challenges); failures %d"
            % (server_cpu, result["server_us_per_request"], failures)
        )
        print("simulator counted: %s" % result["server_counted"])
        print("shutdown %.2f s, exit code %d" % (shutdown, code))
    return 0 if failures == 0 and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
