# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# One action plugin per resource module, on purpose: a single plugin routed from meta/runtime.yml
# (plugin_routing: modules: <name>: action_plugin:) was tried and fails on ansible-core 2.16,
# where the routed plugin cannot tell which module the task named (the axis_storage_limit task
# ran with this module's argument spec); it works on 2.19 only.
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction


class ActionModule(ResourceAction):
    resource_cls = DeviceStorage
