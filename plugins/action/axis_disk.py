# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of axis_disk: its resource class, in the controller or shipped (ResourceAction).

One small plugin per module, not one routed plugin for all: the controller loads a task's action
plugin in its main process (the linear strategy's BYPASS_HOST_LOOP check), so the forked worker
of every task finds this file and the collection code it imports already loaded, instead of
importing and compiling them again (docs/performance.md, "Per task").
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ResourceAction


class ActionModule(ResourceAction):
    resource_cls = Disk
