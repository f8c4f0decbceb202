"""A fleet of simulated devices in one process: per-device runtime next to model.Device.

`Node` holds what is not device state but belongs to one device: its faults, Digest nonce
issuer, request log and counters, and how to rebuild its factory state. `Fleet` builds the
nodes for a list of ports and loads/saves the optional state file. Networking is in server.py.
"""

from __future__ import annotations

import collections
import copy
import json
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .auth import DEFAULT_NONCE_LIFETIME, POLICIES, NonceIssuer
from .event_catalog import PRESETS, apply_preset
from .faults import Faults
from .firmware import DEFAULT_FIRMWARE, WEB_SERVICE, parse_firmware_list
from .handlers.disks import lose_jobs
from .http import SECRET_ARGS, is_secret_arg
from .model import CAMERA, RECORDER, Device, make_camera, make_recorder

LOG = logging.getLogger("vapix_sim.fleet")

PROFILES = (CAMERA, RECORDER, "mixed", "multisensor")
MULTISENSOR = "multisensor"
MULTISENSOR_SENSORS = 4  # --profile multisensor: a 4-sensor camera
MAX_SENSORS = 16
HOST = "127.0.0.1"
MASK = "********"
STATE_FILE_VERSION = 1
# In a mixed fleet every RECORDER_EVERY-th device is a recorder (cam-0001..0003, rec-0004).
RECORDER_EVERY = 4


@dataclass
class FleetConfig:
    devices: int = 1
    base_port: int = 8000  # 0: any free port per device (tests)
    profile: str = CAMERA  # camera, recorder, mixed or multisensor
    # firmware generation(s): "12.11", or a comma list cycled over the devices ("12.11,5.51")
    firmware: str = DEFAULT_FIRMWARE
    sensors: int | None = None  # video channels per camera (default 1; multisensor 4)
    second_sd: bool = False  # cameras get a second SD slot (SD_DISK2)
    https: bool = False
    ca_file: str | None = None  # CA certificate PEM written when https
    control: bool = False  # serve /sim/ on every device port
    job_time_scale: float = 1.0
    seed: int | None = None
    auth_policy: str | None = None  # override every device's policy
    # root's password on every device (default: model.DEFAULT_PASSWORDS["root"], chosen so
    # that Ansible's no_log masking of it cannot garble words in test output).
    root_password: str | None = None
    nonce_lifetime: float = DEFAULT_NONCE_LIFETIME
    state_file: str | None = None
    faults: dict = field(default_factory=dict)  # Faults spec armed on every device at start
    # what other software left on every device, part of its factory state (event_catalog.PRESETS)
    preset: str | None = None
    log_size: int = 10000

    def validate(self) -> None:
        if self.devices < 1:
            raise ValueError("devices must be at least 1")
        if self.profile not in PROFILES:
            raise ValueError("profile must be one of %s" % ", ".join(PROFILES))
        parse_firmware_list(self.firmware)  # ValueError naming the allowed values
        if self.sensors is not None and not 1 <= self.sensors <= MAX_SENSORS:
            raise ValueError("sensors must be between 1 and %d" % MAX_SENSORS)
        if self.auth_policy is not None and self.auth_policy not in POLICIES:
            raise ValueError("auth policy must be one of %s" % ", ".join(POLICIES))
        if self.job_time_scale <= 0:
            raise ValueError("job time scale must be positive")
        if self.log_size < 0 or self.nonce_lifetime <= 0:
            raise ValueError("log size must be >= 0 and nonce lifetime positive")
        if not 0 <= self.base_port <= 65535 or self.base_port + self.devices - 1 > 65535:
            raise ValueError("ports out of range")
        Faults.from_spec(self.faults)  # raises FaultError (a ValueError) when invalid
        if self.preset is not None and self.preset not in PRESETS:
            raise ValueError("preset must be one of %s" % ", ".join(PRESETS))

    @property
    def scheme(self) -> str:
        return "https" if self.https else "http"

    @property
    def camera_sensors(self) -> int:
        if self.sensors is not None:
            return self.sensors
        return MULTISENSOR_SENSORS if self.profile == MULTISENSOR else 1

    def firmware_of(self, index: int) -> str:
        """Device `index` (1-based) gets the firmware list's entries in turn."""
        keys = parse_firmware_list(self.firmware)
        return keys[(index - 1) % len(keys)]


def profile_of(config: FleetConfig, index: int) -> str:
    if config.profile == "mixed":
        return RECORDER if index % RECORDER_EVERY == 0 else CAMERA
    if config.profile == MULTISENSOR:
        return CAMERA
    return config.profile


def node_name(profile: str, index: int, total: int) -> str:
    width = max(4, len(str(total)))
    return "%s-%0*d" % ("rec" if profile == RECORDER else "cam", width, index)


def mask_secrets(value):
    """Deep copy of device state with every non-empty secret field masked.

    Exact field names only: `passphrase_state` is a status, not a secret.
    """
    if isinstance(value, dict):
        return {
            k: (MASK if str(k).lower() in SECRET_ARGS and v not in (None, "") else mask_secrets(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


class Node:
    """One device and its simulator-side runtime."""

    def __init__(self, fleet: Fleet, index: int, port: int, factory: Callable[[], Device]) -> None:
        self.fleet = fleet
        self.index = index
        self.port = port
        self.factory = factory
        self.faults = Faults.from_spec(fleet.config.faults)
        self.nonces = NonceIssuer(fleet.rng.randbytes(16), fleet.rng, fleet.config.nonce_lifetime)
        self.log = collections.deque(maxlen=fleet.config.log_size)
        self.device = self._adopt(factory())
        self.name = node_name(self.device.profile, index, fleet.config.devices)
        self.clear_log()

    def _adopt(self, device: Device) -> Device:
        """Bind a device (new, loaded or reset) to this node's port, clock and settings."""
        config = self.fleet.config
        device.port = self.port
        device.clock = self.fleet.clock
        device.job_time_scale = config.job_time_scale
        if config.auth_policy is not None:
            device.auth_policy = config.auth_policy
        if config.root_password is not None and "root" in device.users:
            device.users["root"].password = config.root_password
        return device

    def load(self, device: Device) -> None:
        self.device = self._adopt(device)
        self.name = node_name(self.device.profile, self.index, self.fleet.config.devices)

    def reset(self) -> None:
        """Factory state as the fleet created it (CLI options included); log and faults too."""
        self.device = self._adopt(self.factory())
        self.name = node_name(self.device.profile, self.index, self.fleet.config.devices)
        self.faults = Faults.from_spec(self.fleet.config.faults)
        self.clear_log()

    def reboot_started(self) -> None:
        # A rebooted device has a new nonce secret: clients learn it through stale=true.
        self.nonces.rotate(self.fleet.rng.randbytes(16))

    # --- request log ----------------------------------------------------------------------

    def clear_log(self) -> None:
        self.log.clear()
        self.requests = 0
        self.reads = 0
        self.writes = 0
        self.unauthorized = 0
        self.errors = 0
        self.dropped = 0
        self.by_cgi = collections.Counter()

    def record(
        self,
        method: str,
        cgi: str,
        args: dict,
        status: int | None,
        user: str | None,
        handled: bool,
        write: bool,
        url_args=(),
    ) -> None:
        """Log one CGI request. `handled`: the handler ran (it counts as a read or write).
        `url_args`: names of the arguments that came in the URL's query string."""
        if not self.fleet.config.control:
            return
        self.requests += 1
        if handled:
            self.by_cgi[cgi] += 1
            if write:
                self.writes += 1
            else:
                self.reads += 1
        if status == 401:
            self.unauthorized += 1
        elif status is None:
            self.dropped += 1
        elif status >= 500:
            self.errors += 1
        self.log.append(
            {
                "t": round(time.time(), 3),
                "method": method,
                "cgi": cgi,
                "args": {k: (MASK if is_secret_arg(k) else v) for k, v in args.items()},
                "status": status,
                "user": user,
                "write": write,
                "url_args": sorted(url_args),
            }
        )

    def counts(self) -> dict:
        return {
            "port": self.port,
            "profile": self.device.profile,
            "serial": self.device.serial,
            "firmware": self.device.firmware_key,
            "sensors": self.device.sensors,
            "requests": self.requests,
            "reads": self.reads,
            "writes": self.writes,
            "unauthorized": self.unauthorized,
            "errors": self.errors,
            "dropped": self.dropped,
            "by_cgi": dict(self.by_cgi),
        }


class Fleet:
    def __init__(self, config: FleetConfig, ports: list, clock: Callable[[], float] = time.monotonic) -> None:
        config.validate()
        if len(ports) != config.devices:
            raise ValueError("need one port per device")
        self.config = config
        self.clock = clock
        # Seeded: nonces and secrets repeat run to run. Unseeded: OS randomness.
        self.rng = random.Random(config.seed) if config.seed is not None else random.SystemRandom()
        self.nodes = [Node(self, i + 1, port, self._factory(i + 1, port)) for i, port in enumerate(ports)]
        self.by_port = {node.port: node for node in self.nodes}
        if config.state_file and os.path.exists(config.state_file):
            self.load_state(config.state_file)

    def _factory(self, index: int, port: int) -> Callable[[], Device]:
        profile = profile_of(self.config, index)
        firmware_key = self.config.firmware_of(index)
        preset = self.config.preset
        if profile == RECORDER:

            def build() -> Device:
                return make_recorder(index, port, firmware_key=firmware_key)
        else:
            second_sd = self.config.second_sd
            sensors = self.config.camera_sensors

            def build() -> Device:
                return make_camera(index, port, second_sd=second_sd, firmware_key=firmware_key, sensors=sensors)

        if preset is None:
            return build

        def build_with_preset() -> Device:
            device = build()
            if device.fw.has(WEB_SERVICE):
                apply_preset(device, preset)
            return device

        return build_with_preset

    # --- persistence ----------------------------------------------------------------------

    def load_state(self, path: str) -> None:
        """Restore devices by index; devices the file does not know keep factory state."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            if not isinstance(data, dict) or data.get("version") != STATE_FILE_VERSION:
                raise ValueError("unsupported state file version")
            by_index = {node.index: node for node in self.nodes}
            loaded = {}
            for key, device_data in data.get("devices", {}).items():
                if int(key) in by_index:
                    loaded[int(key)] = Device.from_dict(device_data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # Nothing is loaded unless the whole file is good.
            raise ValueError("state file %s is not usable: %s" % (path, exc)) from None
        for index, device in loaded.items():
            # No job survives a restart: a disk the file still marks busy (a file written before
            # save_state left jobs out properly) would refuse every job for good.
            for disk in device.disks.values():
                disk.busy_job = None
            by_index[index].load(device)

    def save_state(self, path: str) -> None:
        """Write every device's state (secrets included: it must restore them) atomically."""
        devices = {}
        for node in self.nodes:
            node.faults.settle(node.device, node.device.now())
            node.device.tick()
            # What the device holds after it lost power now: the jobs in flight do not survive
            # (lose_jobs), on a copy, so that the running fleet is not changed by a save.
            snapshot = copy.copy(node.device)
            snapshot.disks = {key: copy.copy(disk) for key, disk in node.device.disks.items()}
            snapshot.recordings = {key: copy.copy(rec) for key, rec in node.device.recordings.items()}
            snapshot.jobs = dict(node.device.jobs)
            snapshot.share_jobs = {}
            lose_jobs(snapshot)
            devices[str(node.index)] = snapshot.to_dict()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(
            json.dumps({"version": STATE_FILE_VERSION, "devices": devices}, indent=1, sort_keys=True), encoding="utf-8"
        )
        os.replace(partial, target)

    # --- summaries ------------------------------------------------------------------------

    def log_summary(self) -> dict:
        devices = {node.name: node.counts() for node in self.nodes}
        totals = collections.Counter()
        by_cgi = collections.Counter()
        for counts in devices.values():
            for key in ("requests", "reads", "writes", "unauthorized", "errors", "dropped"):
                totals[key] += counts[key]
            by_cgi.update(counts["by_cgi"])
        summary_totals = dict(totals)
        summary_totals["by_cgi"] = dict(by_cgi)
        summary_totals["devices"] = len(devices)
        return {"devices": devices, "totals": summary_totals}
