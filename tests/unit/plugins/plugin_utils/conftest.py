# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated fleet of the module_utils tests, for tests that also need the controller side
(the action plugin's in-process path imports ansible.errors, which ansible-test does not offer
to module_utils tests)."""

from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import (  # noqa: F401
    factory_fresh_devices,
    sim,
)

__all__ = ["factory_fresh_devices", "sim"]
