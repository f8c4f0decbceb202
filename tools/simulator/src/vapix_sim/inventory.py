"""An Ansible YAML inventory describing a running fleet (groups cameras and recorders)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .fleet import HOST, Fleet
from .model import DEFAULT_PASSWORDS, RECORDER


def inventory_data(fleet: Fleet, ca_path: str | None = None) -> dict:
    """The fleet as an inventory: what every device shares under `all.vars`, the rest per host.

    Written the way a site keeps its inventory (shared settings once, as group variables) and
    not repeated per host: Ansible's inventory parsing costs about twice as much per host when
    every host repeats them (a 5,000-device fleet: 11 s instead of 19 s before the first task).
    """
    https = fleet.config.https
    shared = {
        "axis_host": HOST,
        "axis_username": "root",
        "axis_password": fleet.config.root_password or DEFAULT_PASSWORDS["root"],
        "axis_use_https": https,
        # Over HTTPS the fleet's CA is known, so certificates are validated for real.
        "axis_validate_certs": https,
    }
    if https:
        shared["axis_ca_path"] = str(Path(ca_path).resolve()) if ca_path else None
    shared.update(ansible_connection="local", ansible_python_interpreter="{{ ansible_playbook_python }}")
    groups = {"cameras": {}, "recorders": {}}
    for node in fleet.nodes:
        device = node.device
        group = "recorders" if device.profile == RECORDER else "cameras"
        groups[group][node.name] = {
            "axis_port": node.port,
            "axis_device_type": device.profile,
            "axis_serial": device.serial,
            # The firmware generation preset (--firmware) and its full version, and the
            # number of video channels (--sensors), for tests that pick devices by them.
            "vapix_sim_firmware": device.firmware_key,
            "vapix_sim_firmware_version": device.firmware,
            "vapix_sim_sensors": device.sensors,
        }
    return {"all": {"vars": shared, "children": {name: {"hosts": hosts} for name, hosts in groups.items()}}}


def inventory_hosts(data: dict) -> dict:
    """{host name: its variables, the shared ones included} of an inventory inventory_data wrote."""
    shared = (data.get("all") or {}).get("vars") or {}
    hosts = {}
    for group in ((data.get("all") or {}).get("children") or {}).values():
        for name, host_vars in ((group or {}).get("hosts") or {}).items():
            hosts[name] = dict(shared, **(host_vars or {}))
    return hosts


def write_inventory(path: str, fleet: Fleet, ca_path: str | None = None) -> None:
    text = "# Written by vapix-sim for the fleet it is serving; regenerated at every start.\n" + yaml.safe_dump(
        inventory_data(fleet, ca_path), sort_keys=False, default_flow_style=False
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
