#!/usr/bin/env python3
"""HTTP requests per module: a converge from factory state, then an idempotent re-run.

    .venv/bin/python bench/request_counts.py [--markdown]

Runs every resource of the collection in-process (the controller path) against a simulated
camera and recorder, and counts what the device saw in its request log: all requests,
writes, and 401 challenges. The table goes into docs/performance.md.
"""

import argparse
import json
import os
import sys

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tools", "simulator", "src"))
COLLECTIONS = os.path.join(REPO, "build", "bench-collections")


def collection_on_path():
    """Import the collection from this checkout as ansible_collections.vapix.edge_storage."""
    target = os.path.join(COLLECTIONS, "ansible_collections", "vapix")
    os.makedirs(target, exist_ok=True)
    link = os.path.join(target, "edge_storage")
    if not os.path.islink(link):
        os.symlink(REPO, link)
    sys.path.insert(0, COLLECTIONS)


collection_on_path()

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording  # noqa: E402
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit  # noqa: E402

from vapix_sim.background import BackgroundFleet  # noqa: E402
from vapix_sim.fleet import FleetConfig  # noqa: E402

CAMERA, RECORDER = 0, 1
PASSWORD = "Bench-Root-Password-1"
CAMERAS_OF_RECORDER = [
    dict(id="door", address="192.0.2.31", device_username="recorder", device_password="Camera-Secret-1"),
    dict(id="yard", address="192.0.2.32", device_username="recorder", device_password="Camera-Secret-1"),
]
RECORDER_PROFILES = [
    dict(
        disk_id="HDD_DISK",
        device="door",
        stream_options=dict(resolution="1920x1080", fps=30, videokeyframeinterval=64, audio=0, video=1),
    ),
    dict(
        disk_id="HDD_DISK",
        device="yard",
        stream_options=dict(resolution="1280x720", fps=15, videokeyframeinterval=64, audio=0, video=1),
    ),
]

# (module, device, resource, options, setup) — setup runs first and is not counted.
SCENARIOS = [
    (
        "axis_disk",
        CAMERA,
        Disk,
        dict(
            disk_id="SD_DISK",
            filesystem="ext4",
            required_filesystem="ext4",
            mounted=True,
            cleanup_policy="fifo",
            cleanup_max_age=30,
            alert_levels=dict(wear=80, temperature=350),
            allow_format=True,
        ),
        [],
    ),
    ("axis_disk (list.cgi fields only)", CAMERA, Disk, dict(disk_id="SD_DISK", cleanup_max_age=30), []),
    (
        "axis_encryption",
        CAMERA,
        Encryption,
        dict(disk_id="SD_DISK", state="enabled", passphrase="Disk-Passphrase-1", allow_format=True),
        [],
    ),
    ("axis_storage_limit", CAMERA, StorageLimit, dict(disk_id="SD_DISK", size="20 GB"), []),
    ("axis_storage_limit (percent)", CAMERA, StorageLimit, dict(disk_id="SD_DISK", percent=50.0), []),
    (
        "axis_networkshare",
        CAMERA,
        NetworkShare,
        dict(
            name="nas",
            address="nas.example.com",
            share="recordings",
            share_user="camera",
            share_password="Nas-Secret-1",
        ),
        [],
    ),
    (
        "axis_continuous_recording (camera)",
        CAMERA,
        ContinuousRecording,
        dict(disk_id="SD_DISK", stream_options=dict(resolution="1920x1080", fps=15, videocodec="h264")),
        [],
    ),
    ("axis_external_device", RECORDER, ExternalDevice, CAMERAS_OF_RECORDER[0], []),
    (
        "axis_continuous_recording (recorder)",
        RECORDER,
        ContinuousRecording,
        RECORDER_PROFILES[0],
        [(ExternalDevice, CAMERAS_OF_RECORDER[0])],
    ),
    ("axis_storage_info (camera, all)", CAMERA, StorageInfo, dict(), []),
    ("axis_storage_info (recorder, all)", RECORDER, StorageInfo, dict(), []),
    (
        "axis_storage (camera, full declaration, purge)",
        CAMERA,
        DeviceStorage,
        dict(
            disks=[
                dict(
                    disk_id="SD_DISK",
                    filesystem="ext4",
                    required_filesystem="ext4",
                    mounted=True,
                    cleanup_policy="fifo",
                    cleanup_max_age=30,
                    alert_levels=dict(wear=80, temperature=350),
                    encryption=dict(state="enabled", passphrase="Disk-Passphrase-1"),
                    storage_limit=dict(percent=90),
                )
            ],
            network_shares=[
                dict(
                    name="nas",
                    address="nas.example.com",
                    share="recordings",
                    share_user="camera",
                    share_password="Nas-Secret-1",
                    storage_limit=dict(size="500 GB"),
                )
            ],
            recording_profiles=[
                dict(disk_id="SD_DISK", stream_options=dict(resolution="1920x1080", fps=15, videocodec="h264"))
            ],
            allow_data_loss=True,
            purge=True,
        ),
        [],
    ),
    (
        "axis_storage (recorder, 2 cameras, 2 profiles, purge)",
        RECORDER,
        DeviceStorage,
        dict(external_devices=CAMERAS_OF_RECORDER, recording_profiles=RECORDER_PROFILES, purge=True),
        [],
    ),
]


class Fleet:
    def __init__(self):
        # a mixed fleet puts a recorder at every 4th index: devices 0 (camera) and 3 (recorder)
        config = FleetConfig(
            devices=4, base_port=0, profile="mixed", control=True, job_time_scale=0.01, root_password=PASSWORD
        )
        self.background = BackgroundFleet(config).start()
        self.index = {CAMERA: 0, RECORDER: 3}

    def control(self, device, path, method="GET"):
        url = "http://127.0.0.1:%d/sim/%s" % (self.background.port(self.index[device]), path)
        response = requests.request(method, url, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def run(self, device, resource_cls, options):
        params = dict((name, spec.get("default")) for name, spec in resource_cls.argument_spec.items())
        params.update(
            host="127.0.0.1",
            port=self.background.port(self.index[device]),
            username="root",
            password=PASSWORD,
            use_https=False,
            validate_certs=True,
            ca_path=None,
            timeout=10,
            job_timeout=60,
        )
        params.update(options)
        result = execute(resource_cls, params)
        if result.get("failed"):
            raise RuntimeError("%s failed: %s" % (resource_cls.__name__, result.get("msg")))
        return result

    def counted(self, device, resource_cls, options):
        self.control(device, "log", "DELETE")
        result = self.run(device, resource_cls, options)
        log = self.control(device, "log")
        return {
            "changed": result["changed"],
            "requests": len(log),
            "writes": sum(1 for entry in log if entry["write"] and entry["status"] == 200),
            "challenges": sum(1 for entry in log if entry["status"] == 401),
        }


def measure():
    fleet = Fleet()
    rows = []
    try:
        for name, device, resource_cls, options, setup in SCENARIOS:
            fleet.control(device, "reset", "POST")
            for setup_cls, setup_options in setup:
                fleet.run(device, setup_cls, setup_options)
            first = fleet.counted(device, resource_cls, options)
            second = fleet.counted(device, resource_cls, options)
            if second["changed"]:
                raise RuntimeError("%s is not idempotent: the second run changed something" % name)
            rows.append({"module": name, "converge": first, "rerun": second})
    finally:
        fleet.background.stop()
    return rows


def markdown(rows):
    lines = [
        "| module and case | converge: requests (writes, 401s) | idempotent re-run: requests (writes, 401s) |",
        "| --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            "| %s | %d (%d, %d) | %d (%d, %d) |"
            % (
                row["module"],
                row["converge"]["requests"],
                row["converge"]["writes"],
                row["converge"]["challenges"],
                row["rerun"]["requests"],
                row["rerun"]["writes"],
                row["rerun"]["challenges"],
            )
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table instead of JSON")
    args = parser.parse_args()
    rows = measure()
    print(markdown(rows) if args.markdown else json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
