"""An Ansible YAML inventory describing a running fleet (groups cameras and recorders)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import yaml

from .fleet import HOST, Fleet
from .model import RECORDER


def inventory_data(fleet: Fleet, ca_path: Optional[str] = None) -> dict:
    https = fleet.config.https
    groups = {"cameras": {}, "recorders": {}}
    for node in fleet.nodes:
        device = node.device
        host_vars = {
            "axis_host": HOST,
            "axis_port": node.port,
            "axis_username": "root",
            "axis_password": fleet.config.root_password or "pass",
            "axis_use_https": https,
            # Over HTTPS the fleet's CA is known, so certificates are validated for real.
            "axis_validate_certs": https,
            "axis_device_type": device.profile,
            "axis_serial": device.serial,
            # The firmware generation preset (--firmware) and its full version, and the
            # number of video channels (--sensors), for tests that pick devices by them.
            "vapix_sim_firmware": device.firmware_key,
            "vapix_sim_firmware_version": device.firmware,
            "vapix_sim_sensors": device.sensors,
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        }
        if https:
            host_vars["axis_ca_path"] = str(Path(ca_path).resolve()) if ca_path else None
        group = "recorders" if device.profile == RECORDER else "cameras"
        groups[group][node.name] = host_vars
    return {"all": {"children": {name: {"hosts": hosts} for name, hosts in groups.items()}}}


def write_inventory(path: str, fleet: Fleet, ca_path: Optional[str] = None) -> None:
    text = ("# Written by vapix-sim for the fleet it is serving; regenerated at every start.\n"
            + yaml.safe_dump(inventory_data(fleet, ca_path), sort_keys=False,
                             default_flow_style=False))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
