# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-controller path runs Runnable classes only: every action plugin's resource_cls is one,
and run_in_process refuses a class that merely copies the interface."""

import importlib
import os

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Runnable, input_error
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import run_in_process

ACTION_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "action")
CONNECTION = dict(host="192.0.2.10", username="root", password="connection-secret")


def action_resource_classes():
    """{action plugin: resource_cls} of every action plugin that runs a module's class in-process."""
    found = {}
    for name in sorted(os.listdir(ACTION_DIR)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        plugin = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action.%s" % name[:-3])
        action = getattr(plugin, "ActionModule", None)
        if getattr(action, "resource_cls", None) is not None:
            found[name[:-3]] = action.resource_cls
    return found


def test_every_action_plugin_runs_a_runnable():
    classes = action_resource_classes()
    assert {"axis_storage", "axis_storage_info", "axis_disk", "axis_networkshare"} <= set(classes)
    assert classes["axis_storage"] is DeviceStorage
    assert classes["axis_storage_info"] is StorageInfo
    for plugin, cls in classes.items():
        assert issubclass(cls, Runnable), plugin


class CopiedInterface(object):
    """What DeviceStorage and StorageInfo used to be: Resource's interface, copied, no shared type."""

    argument_spec = dict(gather_subset=dict(type="list", elements="str", default=["all"]))
    module_kwargs = {}
    result_key = "copied"

    def __init__(self, device, params, check_mode=False):
        self.device = device

    @staticmethod
    def secret_values(params):
        return []

    def run(self, diff=False):
        return {"changed": False, "copied": {}}


def test_run_in_process_refuses_a_copied_interface():
    with pytest.raises(TypeError, match="not a Runnable"):
        run_in_process(CopiedInterface, dict(CONNECTION), "vapix.edge_storage.copied")


class Echo(Runnable):
    """The smallest Runnable: validate() and apply() are all a subclass writes."""

    argument_spec = dict(word=dict(type="str", required=True), token=dict(type="str", no_log=True))
    result_key = "echo"

    def validate(self):
        if self.params["word"] == "bad":
            raise input_error("word=bad: use any other word")

    def apply(self, diff):
        if self.params["word"] == "warn":
            self.warnings.append("warned about %s" % self.params.get("token"))
        return {"changed": False, self.result_key: {"word": self.params["word"], "token": self.params.get("token")}}


def test_run_in_process_gives_a_runnable_the_module_result():
    result = run_in_process(Echo, dict(CONNECTION, word="hello", token="tok-secret"), "echo")
    # no_log values masked as AnsibleModule masks them on exit
    assert result["echo"] == {"word": "hello", "token": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
    assert result["changed"] is False
    assert result["requests"] == 0
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    warned = run_in_process(Echo, dict(CONNECTION, word="warn", token="tok-secret"), "echo")
    assert warned["warnings"] == ["warned about ********"]
    refused = run_in_process(Echo, dict(CONNECTION, word="bad"), "echo")
    assert refused["failed"] is True and refused["error_kind"] == "input"
    assert refused["msg"] == "word=bad: use any other word"
