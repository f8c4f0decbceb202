# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction


class ActionModule(ResourceAction):
    resource_cls = Encryption
