# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One contract for what the modules run: every resource, the whole-device DeviceStorage and
StorageInfo run through the Runnable base (argument spec, validation first, requests and seconds
in every result), and the module helper and execute run nothing else (a class that only copies
the interface is refused). The in-controller path: plugin_utils/test_runnable_action.py."""

import copy

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import (
    execute,
    module_argument_spec,
    run_module,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.conftest import RECORDER
from ansible_collections.vapix.edge_storage.tests.unit.plugins.module_utils.helpers import (
    CONNECTION,
    CopiedInterface,
    Echo,
)

# What each module runs, on the device it is made for, with options that make a check-mode run
# meaningful: (class, device index, options).
MODULE_CLASSES = [
    (Disk, 0, dict(disk_id="SD_DISK")),
    (Encryption, 0, dict(disk_id="SD_DISK", state="absent")),
    (ExternalDevice, RECORDER, dict(id="cam-in-the-lobby", state="absent")),
    (NetworkShare, 0, dict(name="nas", address="nas.example.com", share="recordings")),
    (ContinuousRecording, 0, dict(disk_id="SD_DISK", stream_options=dict(videocodec="h264", fps=30))),
    (StorageLimit, 0, dict(disk_id="SD_DISK", percent=50.0)),
    (DeviceStorage, 0, dict(disks=[dict(disk_id="SD_DISK", cleanup_max_age=7)])),
    (StorageInfo, 0, dict()),
]


@pytest.mark.parametrize(
    "cls,index,options", MODULE_CLASSES, ids=[cls.__name__ for cls, _index, _options in MODULE_CLASSES]
)
def test_every_class_a_module_runs_gives_the_module_result(sim, cls, index, options):
    """Each resource, the whole device and the info run through the one base: options checked by
    the module's argument spec, the device read, no write in check mode, and changed, requests
    and seconds in the result."""
    assert set(CONNECTION) <= set(module_argument_spec(cls))
    sim.clear_log(index)
    result = sim.run(cls, index, check_mode=True, **options)
    assert not result.get("failed"), result
    assert isinstance(result["changed"], bool)
    assert result["requests"] > 0 and isinstance(result["seconds"], float)
    assert sim.writes(index) == []


def test_a_copied_interface_is_refused_by_every_entry_point():
    with pytest.raises(TypeError, match="not a Runnable"):
        module_argument_spec(CopiedInterface)
    with pytest.raises(TypeError, match="not a Runnable"):
        run_module(CopiedInterface)
    with pytest.raises(TypeError, match="not a Runnable"):
        execute(CopiedInterface, dict(CONNECTION))


def test_the_base_gives_a_subclass_the_module_result():
    result = execute(Echo, dict(CONNECTION, word="hello", token="tok-secret"))
    assert result["echo"] == {"word": "hello", "token": "tok-secret"}  # AnsibleModule masks no_log on exit
    assert result["changed"] is False
    assert result["requests"] == 0  # apply sent nothing
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
        argument_spec = dict(
            word=dict(type="str"),
            items=dict(
                type="list", elements="dict", options=dict(name=dict(type="str"), key=dict(type="str", no_log=True))
            ),
        )

        def apply(self, diff):
            return {"changed": False, "said": self.client.secrets.mask("key one-key and two-key")}

    result = execute(Nested, dict(CONNECTION, word="x", items=[{"name": "a", "key": "one-key"}, {"key": "two-key"}]))
    assert result["said"] == "key ******** and ********"


def test_reads_are_handed_out_as_copies_that_share_nothing_mutable():
    from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import plain_copy

    read = {
        "disk": {"id": "SD_DISK", "levels": [1, {"wear": 80}], "flags": (1, [2])},
        "n": 3,
        "ok": True,
        "none": None,
        "raw": b"x",
    }
    copied = plain_copy(read)
    assert copied == copy.deepcopy(read)
    copied["disk"]["levels"][1]["wear"] = 1
    copied["disk"]["flags"][1].append(3)
    assert read["disk"]["levels"][1]["wear"] == 80 and read["disk"]["flags"] == (1, [2])
