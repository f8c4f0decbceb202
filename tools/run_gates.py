#!/usr/bin/env python3
"""Run `make` gates side by side: at most --jobs at a time, in the order given.

    run_gates.py [--jobs N] [--log-dir DIR] GATE...

`make test` gives every gate of the project (the core matrix as one job per core and command,
integration as shards), longest first, so that the long ones start at once and the short ones
fill the gaps: on a 2-core machine the gates take about their CPU time / 2 instead of the sum
of their wall times (docs/development.md, "Measured times"). Each gate's output goes to
DIR/<gate>.log; a line is printed when it starts and ends (wall and CPU time: user + system of
the gate and every process it waited for), the tail of the log of each failed gate, and a
summary. Every gate runs, also after one failed; the exit status is 1 if any failed. On SIGINT
or SIGTERM the running gates' process groups are stopped.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TAIL_LINES = 80


class Gate:
    """One gate: a command whose output goes to log_dir/<name>.log."""

    def __init__(self, name, command, log_dir):
        self.name = name
        self.command = command
        self.log_path = log_dir / f"{name}.log"
        self.process = None
        self.started = None
        self.wall = None
        self.cpu = None
        self.status = None

    def start(self):
        self.started = time.monotonic()
        with open(self.log_path, "wb") as log:
            # a session of its own: stopping the gate stops everything it started
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def finish(self, wait_status, usage):
        self.wall = time.monotonic() - self.started
        self.cpu = usage.ru_utime + usage.ru_stime
        self.status = os.waitstatus_to_exitcode(wait_status)
        self.process.returncode = self.status  # reaped here, not by Popen

    def stop(self):
        if self.process is not None and self.status is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def tail(self):
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-TAIL_LINES:])


def make_gates(names, log_dir):
    return [Gate(name, ["make", "--no-print-directory", name], log_dir) for name in names]


def run(gates, jobs, out=sys.stdout):
    """Run the gates, at most `jobs` at a time, in their order; returns the wall time of all."""
    for gate in gates:
        gate.log_path.parent.mkdir(parents=True, exist_ok=True)
    waiting = list(gates)
    running = {}
    began = time.monotonic()

    def stop_all(signum, _frame):
        for gate in running.values():
            gate.stop()
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, stop_all) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        _run_all(waiting, running, jobs, out)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return time.monotonic() - began


def _run_all(waiting, running, jobs, out):
    while waiting or running:
        while waiting and len(running) < jobs:
            gate = waiting.pop(0)
            gate.start()
            running[gate.process.pid] = gate
            print(f"==> [{gate.name}] started ({len(running)} running, {len(waiting)} waiting)", file=out, flush=True)
        pid, wait_status, usage = os.wait4(-1, 0)
        gate = running.pop(pid, None)
        if gate is None:
            continue
        gate.finish(wait_status, usage)
        verdict = "passed" if gate.status == 0 else f"FAILED (exit {gate.status})"
        print(
            f"<== [{gate.name}] {verdict} in {gate.wall:.1f} s (CPU {gate.cpu:.1f} s; log {gate.log_path})",
            file=out,
            flush=True,
        )
        if gate.status != 0:
            print(gate.tail(), file=out, flush=True)


def summary(gates, wall, jobs):
    lines = ["", f"== gate times ({jobs} at a time) =="]
    for gate in gates:
        verdict = "passed" if gate.status == 0 else "FAILED"
        lines.append(f"  {gate.name:<20} {verdict:<7} {gate.wall:8.1f} s  CPU {gate.cpu:8.1f} s")
    cpu = sum(gate.cpu for gate in gates)
    lines.append(
        f"  {'all, side by side':<20} {'':<7} {wall:8.1f} s  CPU {cpu:8.1f} s"
        f"  (sum of walls {sum(g.wall for g in gates):.1f} s; CPU / wall {cpu / wall if wall else 0:.2f})"
    )
    failed = [gate.name for gate in gates if gate.status != 0]
    if failed:
        lines.append("FAILED: " + " ".join(failed))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gates", nargs="+", help="make targets, longest first")
    parser.add_argument("--jobs", type=int, default=2, help="gates at a time (default 2)")
    parser.add_argument("--log-dir", type=Path, default=REPO / "build" / "gates", help="one log per gate")
    parser.add_argument("--times", type=Path, default=REPO / "build" / "gate-times.txt", help="times, one line a gate")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    gates = make_gates(args.gates, args.log_dir)
    wall = run(gates, args.jobs)
    with open(args.times, "w") as times:
        for gate in gates:
            verdict = "passed" if gate.status == 0 else "FAILED"
            times.write(f"{gate.name}\t{verdict}\t{gate.wall:.1f}\t{gate.cpu:.1f}\n")
    print(summary(gates, wall, args.jobs))
    return 1 if any(gate.status != 0 for gate in gates) else 0


if __name__ == "__main__":
    sys.exit(main())
