# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every resource module of the collection.

meta/runtime.yml routes each resource module here (plugin_routing: modules: <name>:
action_plugin: vapix.edge_storage.axis_storage); the resource class is the one of the module the
task names. It carries the name of the whole-device module because ansible-test's
action-plugin-docs sanity test wants every action plugin to share its name with a module.

Which module the task names: the task's action resolved through the module loader, as the task
executor does to pick this plugin. Not `Task.resolved_action`: on ansible-core 2.16 to 2.18 the
argument parser (ModuleArgsParser, `_get_action_context`) swaps a routed module for its
action_plugin before resolving, so resolved_action is vapix.edge_storage.axis_storage for every
routed module (2.19 resolves it in Task._post_validate_args to the module).
"""

from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import RecordingGroup
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_schedule import RecordingSchedule
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction

# Module FQCN -> the resource class its module runs (plugins/modules/<name>.py).
RESOURCES = {
    "vapix.edge_storage.axis_continuous_recording": ContinuousRecording,
    "vapix.edge_storage.axis_disk": Disk,
    "vapix.edge_storage.axis_encryption": Encryption,
    "vapix.edge_storage.axis_external_device": ExternalDevice,
    "vapix.edge_storage.axis_networkshare": NetworkShare,
    "vapix.edge_storage.axis_recording_group": RecordingGroup,
    "vapix.edge_storage.axis_recording_rule": RecordingRule,
    "vapix.edge_storage.axis_recording_schedule": RecordingSchedule,
    "vapix.edge_storage.axis_storage": DeviceStorage,
    "vapix.edge_storage.axis_storage_info": StorageInfo,
    "vapix.edge_storage.axis_storage_limit": StorageLimit,
}


class ActionModule(ResourceAction):
    def run(self, tmp=None, task_vars=None):
        module = self._shared_loader_obj.module_loader.find_plugin_with_context(
            self._task.action, collection_list=self._task.collections
        )
        self.resource_cls = RESOURCES.get(module.resolved_fqcn if module.resolved else None)
        if self.resource_cls is None:
            raise AnsibleActionFail(
                "vapix.edge_storage.axis_storage runs the modules %s, not %s"
                % (", ".join(sorted(RESOURCES)), self._task.action)
            )
        return super().run(tmp, task_vars)
