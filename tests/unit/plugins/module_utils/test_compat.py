# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private ansible-core API in module_utils/_compat.py: the units gate runs this on every core
of the matrix (2.16 to 2.21), so a core that changes it fails here."""

from ansible_collections.vapix.edge_storage.plugins.module_utils._compat import raw_module_params
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import patch_module_args


def test_the_module_arguments_come_back_as_sent_before_any_conversion():
    with patch_module_args({"host": "192.0.2.10", "port": "8080", "disks": [{"id": "SD_DISK"}]}):
        params = raw_module_params()
    assert params["port"] == "8080"
    assert params["disks"] == [{"id": "SD_DISK"}]
