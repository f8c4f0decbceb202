# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One contract for what the modules run: every resource, the whole-device DeviceStorage and
StorageInfo are Runnable subclasses, and the module helper and execute run nothing else (a class
that only copies the interface is refused). The in-controller path: plugin_utils/test_runnable_action.py."""

import copy

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import (
    Resource,
    Runnable,
    execute,
    input_error,
    module_argument_spec,
    run_module,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit



@pytest.mark.parametrize("cls", [Disk, Encryption, ExternalDevice, NetworkShare, ContinuousRecording, StorageLimit])
def test_every_resource_is_a_runnable_resource(cls):
    assert issubclass(cls, Resource)
    assert issubclass(cls, Runnable)


@pytest.mark.parametrize("cls", [DeviceStorage, StorageInfo])
def test_the_whole_device_and_info_classes_share_the_type(cls):
    assert issubclass(cls, Runnable)
    assert not issubclass(cls, Resource)   # no read/desired/plan: they compose resources or only read
    # run() (validate first, then requests, seconds and warnings in every result) is the base's
    assert "run" not in vars(cls)
    assert "apply" in vars(cls) and "validate" in vars(cls)


def test_a_copied_interface_is_refused_by_every_entry_point():
    with pytest.raises(TypeError, match="not a Runnable"):
        module_argument_spec(CopiedInterface)
    with pytest.raises(TypeError, match="not a Runnable"):
        run_module(CopiedInterface)
    with pytest.raises(TypeError, match="not a Runnable"):
        execute(CopiedInterface, dict(CONNECTION))


def test_the_base_gives_a_subclass_the_module_result():
    result = execute(Echo, dict(CONNECTION, word="hello", token="tok-secret"))
    assert result["echo"] == {"word": "hello", "token": "tok-secret"}   # AnsibleModule masks no_log on exit
    assert result["changed"] is False
    assert result["requests"] == 0          # apply sent nothing
    assert isinstance(result["seconds"], float)
    assert "warnings" not in result


def test_the_base_registers_no_log_values_with_the_client_and_validates_first():
    warned = execute(Echo, dict(CONNECTION, word="warn", token="tok-secret"))
    assert warned["warnings"] == ["warned about tok-secret"]
    refused = execute(Echo, dict(CONNECTION, word="bad", token="tok-secret"))
    assert refused["failed"] is True and refused["error_kind"] == "input"
    assert refused["msg"] == "word=bad: use any other word"
    assert refused["requests"] == 0 and "echo" not in refused


def test_nested_no_log_values_are_masked_by_the_client():
    class Nested(Echo):
        argument_spec = dict(word=dict(type="str"), items=dict(type="list", elements="dict", options=dict(
            name=dict(type="str"), key=dict(type="str", no_log=True))))

        def apply(self, diff):
            return {"changed": False, "said": self.client.secrets.mask("key one-key and two-key")}

    result = execute(Nested, dict(CONNECTION, word="x", items=[{"name": "a", "key": "one-key"}, {"key": "two-key"}]))
    assert result["said"] == "key ******** and ********"


def test_reads_are_handed_out_as_copies_that_share_nothing_mutable():
    from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import plain_copy

    read = {"disk": {"id": "SD_DISK", "levels": [1, {"wear": 80}], "flags": (1, [2])}, "n": 3, "ok": True,
            "none": None, "raw": b"x"}
    copied = plain_copy(read)
    assert copied == copy.deepcopy(read)
    copied["disk"]["levels"][1]["wear"] = 1
    copied["disk"]["flags"][1].append(3)
    assert read["disk"]["levels"][1]["wear"] == 80 and read["disk"]["flags"] == (1, [2])
