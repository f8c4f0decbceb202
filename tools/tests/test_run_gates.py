# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/run_gates.py: gates side by side, every gate run, failures reported with their log."""

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run_gates  # noqa: E402


def shell(name, script, log_dir):
    return run_gates.Gate(name, ["/bin/sh", "-c", script], log_dir)


def test_gates_run_side_by_side_and_each_one_is_timed(tmp_path):
    # two gates that each wait for the other's file: they finish only if they run at once
    gates = [
        shell(
            "a",
            f"touch {tmp_path}/a; for i in $(seq 100); do [ -f {tmp_path}/b ] && exit 0; sleep 0.05; done; exit 3",
            tmp_path,
        ),
        shell(
            "b",
            f"touch {tmp_path}/b; for i in $(seq 100); do [ -f {tmp_path}/a ] && exit 0; sleep 0.05; done; exit 3",
            tmp_path,
        ),
    ]
    out = io.StringIO()
    wall = run_gates.run(gates, jobs=2, out=out)
    assert [gate.status for gate in gates] == [0, 0]
    assert wall < 5 and all(gate.wall is not None and gate.cpu is not None for gate in gates)
    assert "(2 running, 0 waiting)" in out.getvalue()


def test_one_at_a_time_keeps_the_order(tmp_path):
    order = tmp_path / "order"
    gates = [shell(name, f"echo {name} >> {order}", tmp_path) for name in ("first", "second", "third")]
    run_gates.run(gates, jobs=1, out=io.StringIO())
    assert order.read_text().split() == ["first", "second", "third"]


def test_every_gate_runs_after_a_failure_and_the_failure_shows_its_log(tmp_path):
    gates = [
        shell("broken", "echo the reason it failed; exit 4", tmp_path),
        shell("fine", "echo fine", tmp_path),
    ]
    out = io.StringIO()
    run_gates.run(gates, jobs=1, out=out)
    assert [gate.status for gate in gates] == [4, 0]
    assert "[broken] FAILED (exit 4)" in out.getvalue() and "the reason it failed" in out.getvalue()
    text = run_gates.summary(gates, 1.0, 1)
    assert "FAILED: broken" in text and "fine" in text


def test_cpu_time_counts_the_gates_children(tmp_path):
    busy = f"{sys.executable} -c 'import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass'"
    gate = shell("busy", busy, tmp_path)
    started = time.monotonic()
    run_gates.run([gate], jobs=1, out=io.StringIO())
    assert gate.status == 0 and gate.cpu >= 0.25 and time.monotonic() - started < 10


def test_sigterm_stops_the_running_gates_and_starts_no_more(tmp_path):
    import os
    import signal
    import subprocess

    script = Path(run_gates.__file__)
    marker = tmp_path / "started"
    # `make` runs the gates: a Makefile whose gates sleep, each noting that it started
    (tmp_path / "Makefile").write_text("".join(f"g{n}:\n\t@echo g{n} >> {marker}; sleep 30\n" for n in range(4)))
    arguments = ["--jobs", "2", "--log-dir", str(tmp_path / "logs"), "--times", str(tmp_path / "t.txt")]
    code = (
        "import pathlib, sys; sys.path.insert(0, %r); import run_gates; "
        "run_gates.REPO = pathlib.Path(%r); sys.exit(run_gates.main(%r))"
        % (str(script.parent), str(tmp_path), arguments + ["g0", "g1", "g2", "g3"])
    )
    runner = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not marker.exists() or len(marker.read_text().split()) < 2):
        time.sleep(0.1)
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=15) == 128 + signal.SIGTERM
    time.sleep(0.5)
    # the two running gates start side by side, so either may note itself first
    assert sorted(marker.read_text().split()) == ["g0", "g1"]  # g2, g3 never started
    sleeping = subprocess.run(["pgrep", "-f", f"echo g.* >> {marker}"], capture_output=True, text=True).stdout
    assert sleeping.strip() == "" or all(not os.path.exists(f"/proc/{pid}") for pid in sleeping.split())
