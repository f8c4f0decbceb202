# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated fleet of the module_utils tests, for tests that also need the controller side
(the action plugin's in-process path imports ansible.errors, which ansible-test does not offer
to module_utils tests), and the fleet task's own simulated fleet (`fleet`)."""

import os
import sys

import pytest

SIM_SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "tools", "simulator", "src")
if os.path.isdir(SIM_SRC) and os.path.abspath(SIM_SRC) not in sys.path:
    sys.path.append(os.path.abspath(SIM_SRC))

from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import (  # noqa: E402, F401
    factory_fresh_devices,
    sim,
)

from vapix_sim.background import BackgroundFleet  # noqa: E402
from vapix_sim.fleet import FleetConfig  # noqa: E402

__all__ = ["factory_fresh_devices", "sim"]
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import PASSWORD  # noqa: E402


@pytest.fixture(scope="module")
def fleet():
    """Four simulated devices (mixed) for the fleet task's tests."""
    background = BackgroundFleet(
        FleetConfig(devices=4, base_port=0, profile="mixed", control=True, job_time_scale=0.01, root_password=PASSWORD)
    ).start()
    yield background
    background.stop()
