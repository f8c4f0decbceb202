# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-controller path runs Runnable classes only: every action plugin's resource_cls is one,
and run_in_process refuses a class that merely copies the interface."""

import importlib
import os
import re

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Runnable
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import module_validator, run_in_process
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import (
    CONNECTION,
    CopiedInterface,
    Echo,
)

ACTION_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "action")


MODULE_DIR = os.path.join(ACTION_DIR, "..", "modules")


def action_resource_classes():
    """{plugin name: resource class} of every action plugin that runs a resource in-process."""
    found = {}
    for name in sorted(os.listdir(ACTION_DIR)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        plugin = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action.%s" % name[:-3])
        action = getattr(plugin, "ActionModule", None)
        if getattr(action, "resource_cls", None) is not None:
            found[name[:-3]] = action.resource_cls
    return found


def test_every_resource_module_has_an_action_plugin_of_its_name_running_its_class():
    # A plugin of the module's own name is what the controller's main process loads for the
    # task (linear strategy), so each task's worker finds it and its imports already loaded; a
    # plugin shared through meta/runtime.yml routing was imported again in every worker.
    classes = action_resource_classes()
    modules = {}
    for name in sorted(os.listdir(MODULE_DIR)):
        source = open(os.path.join(MODULE_DIR, name)).read() if name.endswith(".py") else ""
        match = re.search(r"^    run_module\((\w+)\)$", source, re.MULTILINE)
        if match:
            modules[name[:-3]] = match.group(1)
    assert len(modules) >= 11
    assert dict((name, classes[name].__name__) for name in modules if name in classes) == modules


def test_every_action_plugin_runs_a_runnable():
    classes = action_resource_classes()
    assert {
        "axis_storage",
        "axis_storage_info",
        "axis_disk",
        "axis_networkshare",
        "axis_storage_limit",
        "axis_encryption",
        "axis_external_device",
        "axis_continuous_recording",
    } <= set(classes)
    assert classes["axis_storage"] is DeviceStorage
    assert classes["axis_storage_info"] is StorageInfo
    for plugin, cls in classes.items():
        assert issubclass(cls, Runnable), plugin


def test_run_in_process_refuses_a_copied_interface():
    with pytest.raises(TypeError, match="not a Runnable"):
        run_in_process(CopiedInterface, dict(CONNECTION), "vapix.edge_storage.copied")


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


def test_one_validator_per_class_and_nothing_carried_from_one_run_to_the_next():
    # A fleet task validates a module per host: the validator is built once per class and shared,
    # so a run must not see what the run before it validated (its secrets, its errors).
    assert module_validator(Echo) is module_validator(Echo)
    first = run_in_process(Echo, dict(CONNECTION, word="first", token="first-secret", extra=1), "echo")
    assert first["failed"] is True and "extra" in first["msg"]
    second = run_in_process(Echo, dict(CONNECTION, word="first-secret"), "echo")
    # first-secret was a no_log value of the first run only: here it is an ordinary word
    assert second["echo"] == {"word": "first-secret", "token": None}
    assert "failed" not in second
