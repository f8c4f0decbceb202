# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-controller path: connection options are checked before any request, and a task's
`environment:` reaches the options' environment fallbacks without touching os.environ."""

import os
import sys

import pytest

SIM_SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "tools", "simulator", "src")
if os.path.isdir(SIM_SRC) and os.path.abspath(SIM_SRC) not in sys.path:
    sys.path.append(os.path.abspath(SIM_SRC))

from ansible.module_utils.basic import env_fallback  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import (  # noqa: E402
    apply_environment,
    run_in_process,
)

from vapix_sim.background import BackgroundFleet  # noqa: E402
from vapix_sim.fleet import FleetConfig  # noqa: E402
from vapix_sim.model import DEFAULT_PASSWORDS  # noqa: E402

ENV_NAMES = (
    "AXIS_HOST",
    "AXIS_PORT",
    "AXIS_USERNAME",
    "AXIS_PASSWORD",
    "AXIS_USE_HTTPS",
    "AXIS_VALIDATE_CERTS",
    "AXIS_CA_PATH",
    "AXIS_TIMEOUT",
)


@pytest.fixture(autouse=True)
def no_axis_environment(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Device 0 over HTTPS with the fleet's own CA; the environment's bundles do not hold that CA."""
    import trustme

    folder = tmp_path_factory.mktemp("tls")
    ca_file = str(folder / "sim-ca.pem")
    other = folder / "other-bundle.pem"
    other.write_bytes(trustme.CA(organization_name="not the simulator").cert_pem.bytes())
    background = BackgroundFleet(
        FleetConfig(devices=1, base_port=0, profile="camera", https=True, ca_file=ca_file, control=True)
    ).start()
    yield background, ca_file, str(other)
    background.stop()


@pytest.fixture
def foreign_bundles(monkeypatch, fleet):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fleet[2])
    monkeypatch.setenv("CURL_CA_BUNDLE", fleet[2])
    return fleet


def request_count(background):
    return background.fleet.nodes[0].requests


BAD = [
    (dict(port=70000), "port=70000: use a TCP port from 1 to 65535"),
    (dict(timeout=-1), "timeout=-1: use a positive number of seconds"),
    (dict(host="127.0.0.1/x?y="), "host='127.0.0.1/x?y=' is not a host name or address"),
    (dict(host=""), "host must not be empty"),
    (dict(ca_path="/nonexistent/ca.pem"), "ca_path=/nonexistent/ca.pem: no such file"),
]


@pytest.mark.parametrize("options,words", BAD)
def test_bad_connection_options_fail_before_any_request(foreign_bundles, options, words):
    background, ca_file, _other = foreign_bundles
    args = dict(
        host="127.0.0.1",
        port=background.port(0),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        use_https=True,
        ca_path=ca_file,
        gather_subset=["disks"],
    )
    args.update(options)
    before = request_count(background)
    result = run_in_process(StorageInfo, args, "axis_storage_info")
    assert result["failed"] is True and result["changed"] is False and result["error_kind"] == "input"
    assert words in result["msg"]
    assert request_count(background) == before


def test_task_environment_fills_unset_options_in_the_controller(foreign_bundles, monkeypatch):
    background, ca_file, _other = foreign_bundles
    monkeypatch.setenv("AXIS_PORT", "1")  # the controller's own value: the task's wins
    before = dict(os.environ)
    environment = {
        "AXIS_HOST": "127.0.0.1",
        "AXIS_PORT": str(background.port(0)),
        "AXIS_USERNAME": "root",
        "AXIS_PASSWORD": DEFAULT_PASSWORDS["root"],
        "AXIS_USE_HTTPS": "true",
        "AXIS_CA_PATH": ca_file,
    }
    result = run_in_process(StorageInfo, {"gather_subset": ["disks"]}, "axis_storage_info", environment=environment)
    assert not result.get("failed"), result.get("msg")
    assert result["invocation"]["module_args"]["port"] == background.port(0)
    assert result["invocation"]["module_args"]["ca_path"] == ca_file
    assert DEFAULT_PASSWORDS["root"] not in repr(result)
    assert dict(os.environ) == before  # other hosts and forks see no change
    # Without the task's environment the controller's own (a wrong port) applies, as in a module.
    unreachable = run_in_process(
        StorageInfo,
        {"gather_subset": ["disks"], "timeout": 2},
        "axis_storage_info",
        environment={k: v for k, v in environment.items() if k != "AXIS_PORT"},
    )
    assert unreachable["failed"] is True and "https://127.0.0.1:1:" in unreachable["msg"]


def test_an_option_in_the_task_wins_over_the_task_environment():
    spec = {
        "host": {"type": "str", "fallback": (env_fallback, ["AXIS_HOST"])},
        "port": {"type": "int", "fallback": (env_fallback, ["AXIS_PORT"])},
        "name": {"type": "str"},
    }
    args = {"port": 81}
    filled = apply_environment(spec, args, {"AXIS_HOST": "cam", "AXIS_PORT": "82", "name": "x"})
    assert filled == {"host": "cam", "port": 81} and args == {"port": 81}


# --- the task's environment for proxies and CA bundles (as a shipped module reads them) -----


def info_args(background, **extra):
    args = dict(
        host="127.0.0.1",
        port=background.port(0),
        username="root",
        password=DEFAULT_PASSWORDS["root"],
        use_https=True,
        gather_subset=["disks"],
        timeout=5,
    )
    args.update(extra)
    return args


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_in_the_task_environment_is_trusted_in_the_controller(foreign_bundles, monkeypatch, variable):
    background, ca_file, other = foreign_bundles
    monkeypatch.delenv("CURL_CA_BUNDLE" if variable == "REQUESTS_CA_BUNDLE" else "REQUESTS_CA_BUNDLE")
    before = dict(os.environ)
    result = run_in_process(StorageInfo, info_args(background), "axis_storage_info", environment={variable: ca_file})
    assert not result.get("failed"), result.get("msg")
    assert dict(os.environ) == before and os.environ[variable] == other
    # without the task's environment, the controller's own bundle (not the simulator's CA) applies
    refused = run_in_process(StorageInfo, info_args(background), "axis_storage_info")
    assert refused["failed"] is True and "the CA bundle %s of %s" % (other, variable) in refused["msg"]
    # ca_path still wins over the task's bundle, as in the module
    pinned = run_in_process(
        StorageInfo, info_args(background, ca_path=other), "axis_storage_info", environment={variable: ca_file}
    )
    assert pinned["failed"] is True and "ca_path=%s" % other in pinned["msg"]


@pytest.fixture
def proxy():
    from vapix_sim.proxy import BackgroundProxy

    running = BackgroundProxy().start()
    yield running
    running.stop()


def forwarded(proxy):
    return proxy.proxy.summary()["requests"]


@pytest.mark.parametrize("name", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_proxy_in_the_task_environment_carries_every_request(foreign_bundles, proxy, monkeypatch, name):
    background, ca_file, _other = foreign_bundles
    for variable in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    before = dict(os.environ)
    result = run_in_process(
        StorageInfo, info_args(background, ca_path=ca_file), "axis_storage_info", environment={name: proxy.url}
    )
    assert not result.get("failed"), result.get("msg")
    # HTTPS goes through the proxy as one tunnel per connection (keep-alive: one here)
    assert forwarded(proxy) >= 1 and {e["method"] for e in proxy.proxy.summary()["forwarded"]} == {"CONNECT"}
    assert dict(os.environ) == before
    proxy.proxy.reset()
    # NO_PROXY in the task's environment bypasses it again
    bypassed = run_in_process(
        StorageInfo,
        info_args(background, ca_path=ca_file),
        "axis_storage_info",
        environment={name: proxy.url, "NO_PROXY": "127.0.0.1"},
    )
    assert not bypassed.get("failed") and forwarded(proxy) == 0


def test_a_dead_proxy_in_the_task_environment_fails_as_in_the_module(foreign_bundles):
    background, ca_file, _other = foreign_bundles
    result = run_in_process(
        StorageInfo,
        info_args(background, ca_path=ca_file, timeout=2),
        "axis_storage_info",
        environment={"HTTPS_PROXY": "http://127.0.0.1:9"},
    )
    assert result["failed"] is True and "Unable to connect to proxy" in result["msg"]


def test_a_plain_http_device_through_the_proxy_of_the_task_environment(sim, proxy, monkeypatch):
    for variable in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    args = dict(
        host="127.0.0.1",
        port=sim.port(0),
        username="root",
        password=sim.params(0)["password"],
        gather_subset=["disks"],
        timeout=5,
    )
    result = run_in_process(StorageInfo, args, "axis_storage_info", environment={"http_proxy": proxy.url})
    assert not result.get("failed"), result.get("msg")
    # every request of the task, and nothing else, went through the proxy
    assert forwarded(proxy) == result["requests"] > 0
