# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet task: per-host arguments as the role's task gets them, and the bounded pool."""

import json
import os
import sys
import threading
import time

import pytest

SIM_SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "tools", "simulator", "src")
if os.path.isdir(SIM_SRC) and os.path.abspath(SIM_SRC) not in sys.path:
    sys.path.append(os.path.abspath(SIM_SRC))

from ansible.parsing import vault  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.parsing.vault import VaultLib, VaultSecret  # noqa: E402
from ansible.template import Templar  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _fleet  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import (  # noqa: E402
    HostResolver,
    Progress,
    RoleValidation,
    counts,
    deal,
    default_processes,
    host_arguments,
    plain,
    run_fleet,
    run_fleet_forked,
)
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import SilentDevice  # noqa: E402
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (  # noqa: E402
    CAMERA_DECLARATION,
    PASSWORD,
    ROLE,
    SHARE_PASSWORD,
    Resolver,
    camera_vars,
    closed_port,
    control,
    trust_as_template,
    without_timings,
)

# --- the arguments of each host --------------------------------------------------------------------


def test_arguments_are_the_role_tasks_templated_per_host():
    resolver = Resolver(
        {"cam": camera_vars(8001, axis_job_timeout=trust_as_template("{{ 30 + 30 }}"), axis_storage_purge=True)}
    )
    args, failed = host_arguments(resolver, "cam", "drift", ROLE)
    assert failed is None
    # a native integer on ansible-core 2.19, its text before; the module's int option takes both
    args["job_timeout"] = int(args["job_timeout"])
    assert args == {
        "host": "127.0.0.1",
        "port": 8001,
        "username": "root",
        "password": PASSWORD,
        "validate_certs": False,
        "timeout": 3,
        "job_timeout": 60,
        "disks": CAMERA_DECLARATION["disks"],
        "network_shares": [],
        "external_devices": [],
        "recording_profiles": [],
        "allow_data_loss": False,
        "purge": True,
    }


def test_unset_connection_variables_are_left_to_the_module_defaults():
    resolver = Resolver({"cam": {"axis_host": "cam.example", "axis_username": "root"}})
    args, failed = host_arguments(resolver, "cam", "info", ROLE)
    assert failed is None and args == {"host": "cam.example", "username": "root"}


def test_a_missing_host_variable_fails_that_host_only():
    resolver = Resolver(
        {"cam": {"axis_username": "root"}, "cam2": camera_vars(1, axis_password=trust_as_template("{{ nope }}"))}
    )
    args, failed = host_arguments(resolver, "cam", "drift", ROLE)
    assert args is None and failed["failed"] and "axis_host" in failed["msg"]
    args, failed = host_arguments(resolver, "cam2", "drift", ROLE)
    assert args is None and failed["failed"] and "nope" in failed["msg"]
    args, failed = host_arguments(resolver, "ghost", "drift", ROLE)
    assert failed["failed"] and "ghost is not a host of the inventory" in failed["msg"]


@pytest.mark.parametrize(
    "declaration,message",
    [
        (
            "just a string",
            "axis_storage must be a dictionary with the keys disks, network_shares, external_devices, "
            "recording_profiles, recording_groups, recording_schedules, recording_rules, not str",
        ),
        ({"recording_profile": []}, "axis_storage: unsupported key recording_profile."),
        ({"disks": "SD_DISK"}, "axis_storage: "),
        (
            ["disks"],
            "axis_storage must be a dictionary with the keys disks, network_shares, external_devices, "
            "recording_profiles, recording_groups, recording_schedules, recording_rules, not list",
        ),
    ],
)
def test_an_invalid_declaration_fails_the_host_before_any_request(declaration, message):
    resolver = Resolver({"cam": camera_vars(closed_port(), axis_storage=declaration)})
    args, failed = host_arguments(resolver, "cam", "drift", ROLE)
    assert args is None
    assert failed["failed"] is True and failed["changed"] is False and failed["error_kind"] == "input"
    assert failed["msg"].startswith(message)


@pytest.mark.parametrize(
    "declaration,message",
    [
        # the wording of the type error differs between ansible-core versions
        ("just a string", "argument 'axis_storage' is of type "),
        ({"recording_profile": []}, "axis_storage.recording_profile. Supported parameters include"),
    ],
)
def test_the_roles_own_validation_runs_first_with_its_message(declaration, message):
    resolver = Resolver({"cam": camera_vars(closed_port(), axis_storage=declaration)})
    args, failed = host_arguments(resolver, "cam", "drift", ROLE, role_validation=RoleValidation(ROLE))
    assert args is None and failed["failed"] is True and failed["error_kind"] == "input"
    assert failed["msg"].startswith("Validation of arguments failed:\n")
    assert message in failed["msg"]
    # connection variables are the role's too: a port that is not a number, a missing host
    resolver = Resolver(
        {"cam": dict(camera_vars(1, axis_port="eighty"), axis_host=None), "cam2": {"axis_username": "root"}}
    )
    for host in ("cam", "cam2"):
        args, failed = host_arguments(resolver, host, "drift", ROLE, role_validation=RoleValidation(ROLE))
        assert failed["msg"].startswith("Validation of arguments failed:\n")
    assert "axis_port" in host_arguments(resolver, "cam", "drift", ROLE, role_validation=RoleValidation(ROLE))[1]["msg"]
    assert (
        "axis_host" in host_arguments(resolver, "cam2", "drift", ROLE, role_validation=RoleValidation(ROLE))[1]["msg"]
    )
    # a valid declaration passes the role's validation unchanged
    args, failed = host_arguments(
        Resolver({"cam": camera_vars(1)}), "cam", "drift", ROLE, role_validation=RoleValidation(ROLE)
    )
    assert failed is None and args["disks"] == CAMERA_DECLARATION["disks"]


def test_one_validation_for_a_fleet_gives_each_host_its_own_verdict():
    validation = RoleValidation(ROLE)
    shared = {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 7}]}
    hosts = {
        "ok-1": camera_vars(1, axis_storage=shared),
        "ok-2": camera_vars(2, axis_storage=shared),
        "bad-port": camera_vars("x", axis_storage=shared),
        "bad-decl": camera_vars(3, axis_storage={"disks": [{"disk_id": "SD_DISK", "cleanup_polcy": "fifo"}]}),
        "ok-3": camera_vars(4, axis_storage=shared),
    }
    resolver = Resolver(hosts)
    verdicts = dict(
        (host, host_arguments(resolver, host, "drift", ROLE, role_validation=validation)[1]) for host in hosts
    )
    assert [h for h, failed in verdicts.items() if failed is None] == ["ok-1", "ok-2", "ok-3"]
    assert "axis_port" in verdicts["bad-port"]["msg"] and "cleanup_polcy" in verdicts["bad-decl"]["msg"]
    # the message is the one a validation of that host alone gives
    for host in ("bad-port", "bad-decl"):
        alone = host_arguments(
            Resolver({host: hosts[host]}), host, "drift", ROLE, role_validation=RoleValidation(ROLE)
        )[1]
        assert verdicts[host]["msg"] == alone["msg"]


def test_an_empty_declaration_is_the_role_default():
    for declaration in (None, {}, {"disks": None, "network_shares": []}):
        args, failed = host_arguments(Resolver({"cam": camera_vars(1, axis_storage=declaration)}), "cam", "drift", ROLE)
        assert failed is None
        assert [args[k] for k in ROLE.declaration_lists] == [[], [], [], []]
    args, failed = host_arguments(
        Resolver({"cam": camera_vars(1, fleet_decl=CAMERA_DECLARATION)}),
        "cam",
        "drift",
        ROLE,
        declaration_var="fleet_decl",
    )
    assert args["disks"] == CAMERA_DECLARATION["disks"]


def test_vaulted_values_reach_the_module_as_plain_text(monkeypatch):
    secret = [("default", VaultSecret(b"fleet-vault-password"))]
    if hasattr(vault, "VaultSecretsContext"):
        # ansible-core 2.19+ decrypts through the secrets the CLI makes current
        monkeypatch.setattr(vault.VaultSecretsContext, "_current", vault.VaultSecretsContext(secret))
    loader = DataLoader()
    loader.set_vault_secrets(secret)
    encrypted = VaultLib(secret).encrypt(SHARE_PASSWORD).decode()
    text = "share: !vault |\n" + "".join("  %s\n" % line for line in encrypted.splitlines())
    vaulted = loader.load(text)["share"]
    declaration = {
        "network_shares": [
            {
                "name": "nas",
                "address": "nas.example",
                "share": "rec",
                "share_password": trust_as_template("{{ share_secret }}"),
            }
        ]
    }
    resolver = Resolver({"cam": camera_vars(1, axis_storage=declaration, share_secret=vaulted)}, loader=loader)
    args, failed = host_arguments(resolver, "cam", "drift", ROLE)
    assert failed is None
    assert args["network_shares"][0]["share_password"] == SHARE_PASSWORD
    assert isinstance(args["network_shares"][0]["share_password"], str)


def test_plain_data():
    lossy = []
    assert plain({"a": [1, 2.5, None, True], "b": {"c": "x"}}, lossy) == {"a": [1, 2.5, None, True], "b": {"c": "x"}}
    assert lossy == []
    # what changes type on the way is said, so that the role's validation sees the templated value
    assert plain({"a": (1, 2.5, None, True), "b": {"c": b"x"}}, lossy) == {"a": [1, 2.5, None, True], "b": {"c": "x"}}
    assert lossy == ["tuple", "bytes"]


def test_numbers_of_a_subclass_become_plain_numbers_as_after_json():
    class Tagged(int):
        pass

    class TaggedFloat(float):
        pass

    found = plain({"a": [Tagged(30), TaggedFloat(2.5), True]})
    assert found == {"a": [30, 2.5, True]}
    assert [type(item) for item in found["a"]] == [int, float, bool]


def test_numbers_read_from_yaml_reach_the_module_as_plain_ints():
    # ansible-core 2.19+ tags what DataLoader reads with its origin (int subclasses); a tagged
    # number made every deepcopy of the arguments (one per validation) ~100 times slower
    declaration = DataLoader().load("disks:\n  - {disk_id: SD_DISK, cleanup_max_age: 30, alert_levels: {wear: 80}}\n")
    resolver = Resolver({"cam": camera_vars(1, axis_storage=declaration)})
    args, failed = host_arguments(resolver, "cam", "drift", ROLE)
    assert failed is None
    disk = args["disks"][0]
    assert (disk["cleanup_max_age"], disk["alert_levels"]["wear"]) == (30, 80)
    assert [type(disk["cleanup_max_age"]), type(disk["alert_levels"]["wear"])] == [int, int]


def test_the_roles_validation_of_plain_data_gives_the_verdict_and_message_of_the_templated(monkeypatch):
    validation = RoleValidation(ROLE)
    validated = []
    real = validation._validate

    def counting(values):
        validated.append(values)
        return real(values)

    monkeypatch.setattr(validation, "_validate", counting)
    good = {"axis_host": "cam", "axis_username": "root", "axis_storage": CAMERA_DECLARATION}
    # plain data that passes: one validation, of the plain data
    assert validation.errors(dict(good), dict(good)) is None
    assert len(validated) == 1
    # plain data that fails: the templated values are validated again, for the role's own message
    bad = dict(good, axis_port="eighty")
    message = validation.errors(dict(bad), dict(bad))
    assert len(validated) == 3 and message.startswith("Validation of arguments failed:\n") and "axis_port" in message
    assert message == RoleValidation(ROLE).errors(dict(bad))
    # no plain data (a type changed on the way): the templated values only
    assert validation.errors(dict(good)) is None and len(validated) == 4


class UntemplatedResolver(Resolver):
    """Values reach the role's validation exactly as given (a templar that changes nothing)."""

    class _Same:
        @staticmethod
        def template(value):
            return value

    def templar(self, variables):
        return self._Same()


def test_the_roles_validation_sees_the_templated_value_when_plain_data_changed_its_type():
    # A tuple where the role wants a list: the plain data (a list) would pass, the value the role
    # sees does not, so the role's verdict and message are what the host gets.
    declaration = {"disks": ({"disk_id": "SD_DISK"},)}
    variables = camera_vars(1, axis_storage=declaration)
    variables["axis_password"] = PASSWORD
    args, failed = host_arguments(
        UntemplatedResolver({"cam": variables}), "cam", "drift", ROLE, role_validation=RoleValidation(ROLE)
    )
    expected = dict((k, v) for k, v in variables.items() if k in RoleValidation(ROLE).names)
    expected.update(axis_storage_allow_data_loss=False, axis_storage_purge=False)
    message = RoleValidation(ROLE).errors(expected)
    assert message and "axis_storage" in message
    assert args is None and failed["msg"] == message


# --- the pool ------------------------------------------------------------------------------------


def test_every_host_gets_exactly_its_own_tasks_result(fleet):
    for index in range(4):
        control(fleet, index, "reset", "POST")
        control(fleet, index, "state", "POST", {"users": {"root": {"password": PASSWORD}}})
    # camera 1 drifted behind the declaration's back
    control(fleet, 1, "state", "POST", {"disks": {"SD_DISK": {"cleanup_max_age": 5}}})
    hosts = {
        "cam-0": camera_vars(fleet.port(0)),
        "cam-1": camera_vars(fleet.port(1)),
        "cam-2": camera_vars(fleet.port(2), axis_storage={"disks": "bad"}),
        "rec-3": camera_vars(fleet.port(3), axis_storage={"disks": [{"disk_id": "HDD_DISK"}]}),
        "gone": camera_vars(closed_port(), axis_timeout=1),
    }
    resolver = Resolver(hosts)
    jobs = [(host,) + host_arguments(resolver, host, "drift", ROLE) for host in hosts]
    results = run_fleet(jobs, "drift", concurrency=3)
    assert sorted(results) == sorted(hosts)
    for host, args, early in jobs:
        if early is not None:
            assert results[host] == early
            continue
        alone = run_in_process(DeviceStorage, args, "vapix.edge_storage.axis_storage", check_mode=True, diff=True)
        # as Ansible registers the role task's result: without `invocation`
        del alone["invocation"]
        assert without_timings(results[host]) == without_timings(alone), host
    # the same results from forked worker processes
    for index in range(4):
        control(fleet, index, "log", "DELETE")
    forked = run_fleet_forked(
        list(hosts),
        lambda host: (host,) + host_arguments(resolver, host, "drift", ROLE),
        "drift",
        concurrency=3,
        processes=2,
    )
    assert without_timings(forked) == without_timings(results)
    assert results["cam-0"]["changed"] is False and not results["cam-0"].get("failed")
    assert results["cam-1"]["changed"] is True
    assert results["cam-1"]["diff"]["before"] != results["cam-1"]["diff"]["after"]
    assert results["cam-2"]["failed"] and results["cam-2"]["error_kind"] == "input"
    assert results["gone"]["failed"] and results["gone"]["error_kind"] == "connection"
    assert PASSWORD not in json.dumps(results)
    # a drift check writes nothing
    for index in range(4):
        assert [e for e in control(fleet, index, "log") if e["write"]] == []
    assert counts(results) == {"hosts": 5, "ok": 3, "failed": 2, "changed": 1}


def test_info_mode_is_axis_storage_info_for_every_host(fleet):
    hosts = dict(("dev-%d" % i, camera_vars(fleet.port(i))) for i in range(4))
    resolver = Resolver(hosts)
    results = run_fleet([(host,) + host_arguments(resolver, host, "info", ROLE) for host in hosts], "info", 2)
    assert all(not r.get("failed") and "storage_info" in r for r in results.values())
    assert results["dev-3"]["storage_info"] != results["dev-0"]["storage_info"]


def test_the_pool_is_bounded_and_a_slow_device_costs_only_its_own_time(monkeypatch):
    """No clock: the slow device holds its thread until every quick device is done, which only
    happens if the other threads went on without it; the first four calls meet at a barrier,
    which only happens if four run at once."""
    running, peak, lock = [0], [0], threading.Lock()
    started, quick_done = [0], [0]
    first_four = threading.Barrier(4)
    quick_all_done = threading.Event()
    progress_shown = threading.Event()

    def fake_host(mode, args):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            started[0] += 1
            in_first_four = started[0] <= 4
        if in_first_four:
            first_four.wait(timeout=10)
        if args["host"] == "slow":
            quick_all_done.wait(timeout=10)
            # and until progress was shown while it still ran (a line before the last one)
            progress_shown.wait(timeout=10)
        with lock:
            running[0] -= 1
            if args["host"] != "slow":
                quick_done[0] += 1
                if quick_done[0] == 41:
                    quick_all_done.set()
        return {"changed": False, "failed": args["host"] == "bad"}

    monkeypatch.setattr(_fleet, "run_host", fake_host)
    jobs = [("slow", {"host": "slow"}, None), ("bad", {"host": "bad"}, None)]
    jobs += [("h%d" % i, {"host": "h%d" % i}, None) for i in range(40)]
    shown = []

    def show(line):
        shown.append(line)
        progress_shown.set()

    results = run_fleet(iter(jobs), "drift", concurrency=4, progress=Progress(42, show, every=10))
    assert len(results) == 42 and peak[0] == 4
    # the 41 quick devices finished on the other three threads while the slow one still ran
    assert quick_all_done.is_set()
    assert not results["slow"].get("failed") and results["bad"]["failed"]
    assert shown[-1].startswith("axis_storage_fleet: 42/42 devices done, 1 failed so far")
    # progress while the slow device still ran, then the final line
    assert len(shown) >= 2 and not shown[0].startswith("axis_storage_fleet: 42/42")


def test_a_device_that_never_answers_costs_its_own_timeout_and_nothing_more(fleet):
    """Measured on a real socket that accepts and never answers, next to a working camera."""
    silent = SilentDevice()
    try:
        control(fleet, 0, "reset", "POST")
        control(fleet, 0, "state", "POST", {"users": {"root": {"password": PASSWORD}}})
        hosts = {"silent": camera_vars(silent.port, axis_timeout=2), "cam-0": camera_vars(fleet.port(0))}
        resolver = Resolver(hosts)
        started = time.monotonic()
        results = run_fleet([(host,) + host_arguments(resolver, host, "drift", ROLE) for host in hosts], "drift", 2)
        elapsed = time.monotonic() - started
    finally:
        silent.stop()
    assert results["silent"]["failed"] and results["silent"]["error_kind"] == "connection"
    assert "within timeout=2s" in results["silent"]["msg"]
    assert results["cam-0"]["changed"] is False and not results["cam-0"].get("failed")
    # one connection, one wait: not four timeouts with backoff between them (about 10 s)
    assert len(silent.accepted) == 1
    assert 2.0 <= elapsed < 3.0, elapsed


def test_progress_shows_every_tenth_and_every_few_seconds_and_the_end_once():
    now = [0.0]
    shown = []
    progress = Progress(100, shown.append, seconds=5.0, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] += 0.01 if done != 55 else 6.0
        progress.update(done, done // 50)
    progress.update(100, 2, final=True)
    counted = [int(line.split()[1].split("/")[0]) for line in shown]
    assert counted == [10, 20, 30, 40, 50, 55, 65, 75, 85, 95, 100]
    assert shown[-1].startswith("axis_storage_fleet: 100/100 devices done, 2 failed so far")
    empty = []
    Progress(0, empty.append).update(0, 0, final=True)
    assert len(empty) == 1


def test_each_result_is_masked_with_its_own_hosts_secrets(fleet):
    # the share's path holds the share password: the module masks it wherever it shows
    declaration = {
        "network_shares": [
            {
                "name": "nas",
                "address": "nas.example.com",
                "share": "rec-" + SHARE_PASSWORD,
                "share_password": SHARE_PASSWORD,
            }
        ]
    }
    resolver = Resolver({"cam": camera_vars(fleet.port(0), axis_storage=declaration)})
    results = run_fleet([("cam",) + host_arguments(resolver, "cam", "drift", ROLE)], "drift", 1)
    text = json.dumps(results)
    assert results["cam"]["changed"] is True and "invocation" not in results["cam"]
    assert SHARE_PASSWORD not in text and PASSWORD not in text and "rec-********" in text


def test_forked_workers_share_the_concurrency_and_a_dead_worker_fails_only_its_hosts(monkeypatch):
    def fake_host(mode, args):
        if args["host"] == "dies":
            time.sleep(0.5)  # its worker's other hosts are done and reported by then
            os._exit(3)
        return {"changed": False, "pid": os.getpid()}

    monkeypatch.setattr(_fleet, "run_host", fake_host)
    hosts = ["h%d" % i for i in range(9)] + ["dies"]
    shown = []
    results = run_fleet_forked(
        hosts,
        lambda host: (host, {"host": host}, None),
        "drift",
        concurrency=4,
        processes=2,
        progress=Progress(len(hosts), shown.append),
    )
    assert sorted(results) == sorted(hosts)
    # the worker of "dies" ended with exit code 3; the hosts it had reported keep their results,
    # the other worker's hosts are untouched
    shares = deal(hosts, 2)
    mine, other = (shares[0], shares[1]) if "dies" in shares[0] else (shares[1], shares[0])
    dead = [h for h in mine if results[h].get("failed")]
    assert dead == ["dies"] and "exit code 3" in results["dies"]["msg"]
    assert all(not results[h].get("failed") for h in other)
    assert len(set(results[h]["pid"] for h in hosts if "pid" in results[h])) == 2
    assert os.getpid() not in [results[h].get("pid") for h in hosts]
    assert shown[-1].startswith("axis_storage_fleet: 10/10 devices done, %d failed so far" % len(dead))


def test_hosts_are_dealt_out_evenly_whatever_the_inventorys_pattern():
    # every fourth device a recorder, as inventories often list them
    hosts = ["rec-%04d" % i if i % 4 == 0 else "cam-%04d" % i for i in range(1, 501)]
    shares = deal(hosts, 2)
    assert sorted(shares[0] + shares[1]) == sorted(hosts)
    assert [len(share) for share in shares] == [250, 250]
    for share in shares:
        recorders = sum(1 for host in share if host.startswith("rec"))
        assert 50 <= recorders <= 75  # 62.5 each when even; dealt in turn one would get all 125
        assert share == [host for host in hosts if host in share]
    assert deal(hosts, 2) == shares and deal(["a"], 1) == [["a"]]


def test_one_process_below_fifty_hosts_a_process_each_and_never_more_than_the_cpus():
    assert default_processes(10, cpus=8) == 1
    assert default_processes(120, cpus=2) == 2
    assert default_processes(5000, cpus=2) == 2
    assert default_processes(5000, cpus=64) == 4
    assert default_processes(0, cpus=2) == 1


def test_a_host_that_is_no_axis_device_fails_both_reports_on_the_fleet_path(fleet):
    from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _drift, _health

    for index in range(2):
        control(fleet, index, "reset", "POST")
    # camera 1's address now answers another web server's 404 to everything
    control(fleet, 1, "faults", "POST", {"not_axis": True})
    try:
        hosts = {"cam-0": camera_vars(fleet.port(0)), "web-1": camera_vars(fleet.port(1))}
        resolver = Resolver(hosts)
        drift = run_fleet([(host,) + host_arguments(resolver, host, "drift", ROLE) for host in hosts], "drift", 2)
        info = run_fleet([(host,) + host_arguments(resolver, host, "info", ROLE) for host in hosts], "info", 2)
    finally:
        control(fleet, 1, "reset", "POST")
    report = _drift.build_report(drift, "2026-12-07T12:00:00Z")
    assert report["devices"]["cam-0"]["class"] == "compliant"
    assert report["devices"]["web-1"]["class"] == "error" and report["failed"] is True
    assert report["devices"]["web-1"]["resources"][0]["msg"].startswith(
        "http://127.0.0.1:%d is not an Axis device" % fleet.port(1)
    )
    assert "unsupported" not in json.dumps(report["devices"]["web-1"])
    health = _health.build_report(info)
    rows = dict((r["device"], r) for r in health["rows"])
    assert rows["web-1"]["status"] == "error" and "is not an Axis device" in rows["web-1"]["problems"][0]
    assert health["failed"] is True and health["summary"]["failing_devices"] == ["web-1"]


# --- the play's environment, per host -----------------------------------------------------------


class HostVars(dict):
    """Stands in for Ansible's hostvars: raw variables per host."""

    def raw_get(self, host):
        return self[host]


class PlayTask:
    """A task whose play sets `environment:` (Task.environment lists the play's, block's and task's)."""

    def __init__(self, *environments):
        self.environment = list(environments)

    def get_play(self):
        raise AttributeError("no play in this test")


def test_each_host_runs_with_the_play_environment_as_its_own_task_would(fleet):
    from vapix_sim.proxy import BackgroundProxy

    proxy = BackgroundProxy().start()
    try:
        hosts = HostVars(
            (
                "dev-%d" % i,
                camera_vars(fleet.port(i), site_proxy=proxy.url, direct="127.0.0.1" if i == 1 else "none.invalid"),
            )
            for i in range(2)
        )
        task = PlayTask(
            {"HTTP_PROXY": trust_as_template("{{ site_proxy }}")}, {"NO_PROXY": trust_as_template("{{ direct }}")}
        )
        resolver = HostResolver(task, {"hostvars": hosts}, Templar(loader=DataLoader(), variables={}))
        assert resolver.environment("dev-1") == {"HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}
        before = dict(os.environ)
        jobs = [
            (host,) + host_arguments(resolver, host, "info", ROLE) + (resolver.environment(host),) for host in hosts
        ]
        results = run_fleet(jobs, "info", 2)
        assert not any(r.get("failed") for r in results.values()), results
        # dev-0's requests, all of them, went through its proxy; dev-1's NO_PROXY kept it direct
        targets = [entry["target"] for entry in proxy.proxy.summary()["forwarded"]]
        assert len(targets) == results["dev-0"]["requests"]
        assert all(":%d/" % fleet.port(0) in target for target in targets)
        assert dict(os.environ) == before
    finally:
        proxy.stop()


def test_a_task_without_environment_gives_every_host_none(fleet):
    hosts = HostVars({"dev-0": camera_vars(fleet.port(0))})
    resolver = HostResolver(PlayTask(), {"hostvars": hosts}, Templar(loader=DataLoader(), variables={}))
    assert resolver.environment("dev-0") == {}
