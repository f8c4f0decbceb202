# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of axis_storage: the whole-device DeviceStorage, in the controller or shipped.

Every resource module has a plugin like this one of its own name (ResourceAction with its
resource class): see plugins/action/axis_disk.py for why.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction


class ActionModule(ResourceAction):
    resource_cls = DeviceStorage
