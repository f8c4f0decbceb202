# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every resource module of the collection.

meta/runtime.yml routes each resource module here (plugin_routing: modules: <name>:
action_plugin: vapix.edge_storage.axis_storage), so one plugin serves them all; the resource
class is picked by the module the task names. It lives under the name of the whole-device
module because ansible-test's action-plugin-docs sanity test wants every action plugin to share
its name with a documented module.
"""

from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction

# Module name -> the resource class its module runs (plugins/modules/<name>.py).
RESOURCES = {
    "axis_continuous_recording": ContinuousRecording,
    "axis_disk": Disk,
    "axis_encryption": Encryption,
    "axis_external_device": ExternalDevice,
    "axis_networkshare": NetworkShare,
    "axis_storage": DeviceStorage,
    "axis_storage_info": StorageInfo,
    "axis_storage_limit": StorageLimit,
}


class ActionModule(ResourceAction):

    def run(self, tmp=None, task_vars=None):
        # resolved_action is the module's FQCN whatever the task wrote (short name, FQCN, a
        # redirect); action is the fallback for a task object built without resolution.
        name = (getattr(self._task, "resolved_action", None) or self._task.action).rpartition(".")[2]
        if name not in RESOURCES:
            raise AnsibleActionFail("vapix.edge_storage.axis_storage action plugin: no resource module named %s" % name)
        self.resource_cls = RESOURCES[name]
        return super(ActionModule, self).run(tmp, task_vars)
