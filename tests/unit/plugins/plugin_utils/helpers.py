# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the controller-side tests share (test modules import these, never each other):
a stand-in host resolver, an action plugin run with a mocked task, and the drift and health
reports' example results."""

import datetime
import socket
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._role_source import storage_role
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import sim_control


class Resolver:
    """Stands in for HostResolver: fixed raw variables per host, templated by a real Templar."""

    def __init__(self, hosts, loader=None):
        self.hosts = hosts
        self._templar = Templar(loader=loader or DataLoader(), variables={})

    def variables(self, host):
        return self.hosts.get(host)

    def templar(self, variables):
        return self._templar.copy_with_new_env(available_variables=variables)


def role():
    """The storage role as the fleet task loads it (once per process)."""
    return storage_role(DataLoader())


try:
    # ansible-core 2.19+ templates only strings that came from trusted sources (files, the
    # inventory); these test variables stand in for them.
    from ansible.template import trust_as_template
except ImportError:  # older cores template every string

    def trust_as_template(value):
        return value


# --- the fleet task's tests: the simulated fleet of conftest.py's `fleet` ---------------------

# the storage role as the fleet task loads it
ROLE = role()
PASSWORD = "Fleet-root-4"
SHARE_PASSWORD = "Fleet-nas-8"
# The factory retention of the simulated cameras: a fresh camera complies.
CAMERA_DECLARATION = {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 7}]}


def camera_vars(port, **extra):
    variables = {
        "axis_host": "127.0.0.1",
        "axis_port": port,
        "axis_username": "root",
        "axis_password": trust_as_template("{{ vault_password }}"),
        "vault_password": PASSWORD,
        "axis_validate_certs": False,
        "axis_timeout": 3,
        "axis_storage": CAMERA_DECLARATION,
    }
    variables.update(extra)
    return variables


def control(fleet, index, path, method="GET", payload=None):
    return sim_control(fleet.port(index), path, method, payload)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def without_timings(value):
    if isinstance(value, dict):
        return dict((k, without_timings(v)) for k, v in value.items() if k != "seconds")
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def run_action(action_class, args, check_mode=True):
    """`action_class(...).run()` with a mocked task and connection, as the controller runs it."""
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.diff = False
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = action_class(
        task, connection, MagicMock(), loader=DataLoader(), templar=MagicMock(), shared_loader_obj=None
    )
    return action.run(task_vars={})


# --- drift report results -----------------------------------------------------------------------


def resource(label="disk SD_DISK", **fields):
    entry = {"resource": label, "changed": False}
    entry.update(fields)
    return entry


def failed(kind, msg="disks/list.cgi: error 10: boom", **fields):
    return resource(failed=True, error_kind=kind, msg=msg, **fields)


def host_result(*resources, **fields):
    """What the whole-device task registers: resources plus the task-level keys."""
    result = {
        "changed": any(r.get("changed") for r in resources),
        "resources": list(resources),
        "summary": {"resources": len(resources)},
    }
    if any(r.get("failed") for r in resources):
        result.update(failed=True, msg="; ".join(r["msg"] for r in resources if r.get("failed")))
    result.update(fields)
    return result


DRIFTED = resource(
    changed=True,
    diff={
        "before": {"cleanup_max_age": 3, "disk_id": "SD_DISK"},
        "after": {"cleanup_max_age": 30, "disk_id": "SD_DISK"},
    },
    steps=[{"action": "setcleanupmaxage", "detail": "set cleanup_max_age of SD_DISK to 30 (was 3)", "executed": False}],
)


# --- classification -------------------------------------------------------------------------


def fleet_results():
    return {
        "cam-0001": host_result(resource(), resource("network_share nas", unverified=["share_password"])),
        "cam-0002": host_result(resource("storage_limit SD_DISK"), DRIFTED),
        "cam-0003": host_result(failed("connection", msg="disks/list.cgi: cannot reach http://127.0.0.1:1")),
        "rec-0004": host_result(resource("disk HDD_DISK")),
        "rec-0008": host_result(
            failed("unsupported", msg="param.cgi: the device has no such CGI (404 Not Found)"),
            resource("disk HDD_DISK"),
        ),
        "cam-0005": None,
    }


# --- health report results ----------------------------------------------------------------------

NOW = datetime.datetime(2026, 12, 1, 12, 0, 0, tzinfo=datetime.UTC)
GB = 1024 * 1024


def at(days_ago):
    return (NOW - datetime.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def disk(disk_id="SD_DISK", total=64 * GB, free=32 * GB, wear=10, status="OK", max_age=30, policy="fifo", **extra):
    entry = {
        "disk_id": disk_id,
        "total_kb": total,
        "free_kb": free,
        "status": status,
        "mounted": status == "OK",
        "full": free == 0 and total > 0,
        "filesystem": "ext4",
        "cleanup_policy": policy,
        "cleanup_max_age": max_age,
        "encryption_enabled": False,
        "encrypted": False,
        "alert_levels": {"wear": 90, "temperature": 358},
        "health": {"wear": wear, "temperature": None, "overall_health_passed": None, "unavailable": {}},
    }
    entry.update(extra)
    return entry


def info(*disks, oldest=None, limit=None, used=None, model="P3268-LVE"):
    disks = disks or (disk(),)
    return {
        "storage_info": {
            "gathered": ["identity", "disks", "health", "storage_limits", "recordings"],
            "identity": {"model": model, "firmware": "11.11.73"},
            "disks": dict((d["disk_id"], d) for d in disks),
            "storage_limits": dict((d["disk_id"], {"limit_kb": limit or 0, "used_kb": used or 0}) for d in disks),
            "recordings": dict(
                (
                    d["disk_id"],
                    {
                        "count": 1 if oldest is not None else 0,
                        "oldest_start": at(oldest) if oldest is not None else None,
                    },
                )
                for d in disks
            ),
            "unavailable": {},
        }
    }


def fleet():
    return {
        "cam-0001": info(disk(wear=85, free=1 * GB), oldest=3),
        "cam-0002": info(oldest=35),
        "rec-0004": info(
            disk("HDD_DISK", total=1900 * GB, free=900 * GB, wear=3, max_age=90), oldest=10, model="S3008"
        ),
        "cam-0009": None,
    }
