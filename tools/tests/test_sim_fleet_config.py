# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/sim_fleet.py: the integration config Ansible reads on every task is JSON."""

import json
import sys
from pathlib import Path

import yaml
from ansible.parsing.dataloader import DataLoader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sim_fleet  # noqa: E402


def test_the_integration_config_is_json_that_ansible_reads_as_the_fleets_description(tmp_path):
    # the shape integration_config() gives (it reads the inventories of running fleets)
    config = {
        "vapix_sim_host": "127.0.0.1",
        "vapix_sim_password": "Vapix-Sim-Root-2026",
        "vapix_sim_camera_port": 18400,
        "vapix_sim_camera_ports": [18400, 18401],
        "vapix_sim_ca_path": "/tmp/https-ca.pem",
        "vapix_sim_devices": [
            {"name": "cam-0001", "fleet": "mixed", "port": 18400, "firmware": "12.11", "sensors": 1, "https": False},
        ],
    }
    path = tmp_path / "integration_config.yml"
    sim_fleet.write_integration_config(config, path)
    text = path.read_text(encoding="utf-8")
    # JSON: Ansible's loader takes the fast path for it (its vars_files are parsed on every task)
    assert json.loads(text) == config
    # and still YAML, for anything that reads the file as ansible-test's documents describe it
    assert yaml.safe_load(text) == config
    # what a target gets: the same values as a play's vars_files gives them
    loaded = DataLoader().load_from_file(str(path), unsafe=True, cache="vaulted", trusted_as_template=True)
    assert loaded == config
    assert isinstance(loaded["vapix_sim_camera_port"], int)
