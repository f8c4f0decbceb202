"""Firmware generations (`--firmware`): what each one has and how its answers look.

Each preset reproduces what the real captures in `shared/real-captures/` show of that
generation (AXIS OS 12.11.77 on a P3265-V, AXIS OS 9.80.2.2 on a Companion Bullet LE, firmware
5.51.7 on a P5512), and the VAPIX documents where the captures are silent. Handlers ask the
device's preset (`Device.fw`) instead of testing version numbers; docs/simulator.md lists every
fact and its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# API features a CGI can belong to (`@cgi(..., api=...)`): a device without the feature answers
# the CGI's URL with 404, as a real device does for a CGI it lacks. The names are the API
# discovery ids where the API has one.
API_DISCOVERY = "api-discovery"
BASIC_DEVICE_INFO = "basic-device-info"
DISK_PROPERTIES = "disk-properties"
STORAGE_LIMIT = "recording-storage-limit"
DISK_HEALTH = "disk-health"  # disks/gethealth.cgi (Properties.LocalStorage.DiskHealth)
# The Event and action services at /vapix/services (Properties.API.WebService.WebService=yes;
# not an API discovery id: the SOAP services predate API discovery).
WEB_SERVICE = "web-service"
RECORDING_GROUP = "recording-group"  # /axis-cgi/record/recording_group/*.cgi (AXIS OS 12)

# Motion event of a camera: VMD4 (tnsaxis:CameraApplicationPlatform/VMD/Camera<N>Profile<M>),
# or the built-in motion detection of firmware before VMD4 (tns1:VideoSource/MotionAlarm).
MOTION_VMD4 = "vmd4"
MOTION_ALARM = "motion-alarm"

# Properties.LocalStorage.* flags (all "yes") besides Version and NbrOfContinuousRecordingProfiles.
LOCAL_STORAGE_FULL = (
    "AutoRepair",
    "ContinuousRecording",
    "DiskEncryption",
    "DiskHealth",
    "ExportRecording",
    "FailOverRecording",
    "LocalStorage",
    "RequiredFileSystem",
    "SDCard",
    "StorageLimit",
)
# Firmware 5.51.7 capture: no AutoRepair, DiskEncryption, DiskHealth, ExportRecording,
# RequiredFileSystem, StorageLimit.
LOCAL_STORAGE_551 = ("ContinuousRecording", "FailOverRecording", "LocalStorage", "SDCard")

# Storage.S# parameters. 9.80 and 12.11 list them alphabetically; 5.51 has fewer, in its own
# order (the capture's order, see PARAM_ORDER_551).
STORAGE_KEYS_FULL = (
    "AutoRepair",
    "CleanupLevel",
    "CleanupMaxAge",
    "CleanupPolicyActive",
    "DeviceNode",
    "DiskID",
    "Enabled",
    "ExtraMountOptions",
    "FileSystem",
    "FriendlyName",
    "Locked",
    "MountOnBoot",
    "MountPointPermissions",
    "RequiredFileSystem",
)
STORAGE_KEYS_551 = (
    "DiskID",
    "FriendlyName",
    "DeviceNode",
    "CleanupLevel",
    "CleanupMaxAge",
    "CleanupPolicyActive",
    "FileSystem",
    "Locked",
    "MountOnBoot",
)

# Firmware 5.51 does not list parameters alphabetically: the capture's order of the groups the
# simulator has ("Storage.S#" stands for every Storage.S<n>). Groups not named here, and every
# group on 9.80 and 12.11, are listed leaves first, then subgroups, alphabetically.
PARAM_ORDER_551 = {
    "Brand": ("Brand", "ProdFullName", "ProdShortName", "ProdNbr", "ProdType", "WebURL"),
    "Properties.Firmware": ("BuildNumber", "BuildDate", "Version"),
    "Properties.LocalStorage": (
        "LocalStorage",
        "Version",
        "ContinuousRecording",
        "NbrOfContinuousRecordingProfiles",
        "FailOverRecording",
        "SDCard",
    ),
    "Properties.NetworkShare": ("NetworkShare", "CIFS", "IPV6"),
    "Storage.S#": STORAGE_KEYS_551,
}

# disks/list.cgi attributes, in the captures' order (9.80 and 12.11 agree). 5.51 has no capture:
# it lacks the attributes of features it does not have (encryption came with 5.80, the
# required file system with the Disk properties API).
DISK_ATTRS_FULL = (
    "diskid",
    "name",
    "totalsize",
    "freesize",
    "cleanuplevel",
    "cleanupmaxage",
    "cleanuppolicy",
    "locked",
    "full",
    "readonly",
    "status",
    "filesystem",
    "group",
    "requiredfilesystem",
    "encryptionenabled",
    "diskencrypted",
)
DISK_ATTRS_551 = DISK_ATTRS_FULL[:13]

DOC_LINK = "https://www.axis.com/partner_pages/vapix_library/#/"


@dataclass(frozen=True)
class Api:
    """One API discovery entry."""

    id: str
    version: str
    name: str
    doc_link: str = DOC_LINK
    status: str | None = None  # None: the entry has no "status" key


def _apis_1211() -> tuple:
    # Names, versions and statuses as the 12.11.77 capture lists them; besides the storage APIs
    # a few entries that carry the capture's quirks: one without "status" (docLink ""), and
    # the same id twice with two versions.
    official = "official"
    return (
        Api("recording", "1.0", "Edge Recording", status=official),
        Api("disk-management", "1.0", "Edge storage Disk management", status=official),
        Api("recording-group", "1.0", "Edge Recording group", status=official),
        Api("straightenimage", "1.0", "Straighten Image", doc_link=""),
        Api("recording-storage-limit", "1.0", "Edge Recording storage limit", status=official),
        Api("disk-properties", "1.1", "Edge storage Disk properties", status=official),
        Api("recording-export", "1.3", "Export edge recording", status=official),
        Api("audio-device-control", "1.0", "Audio Device Control", status=official),
        Api("param-cgi", "1.0", "Legacy Parameter Handling", status=official),
        Api("audio-device-control", "2.0", "Audio Device Control", status=official),
        Api("disk-network-share", "1.0", "Edge storage Network share", status=official),
        Api("api-discovery", "1.1", "API Discovery Service", status=official),
        Api("basic-device-info", "1.3", "Basic Device Information", status=official),
    )


def _apis_980() -> tuple:
    # The 9.80.2.2 capture: no "status" key at all, API discovery 1.0, Basic device info 1.1.
    return (
        Api("recording-storage-limit", "1.0", "Edge Recording storage limit"),
        Api("api-discovery", "1.0", "API Discovery Service"),
        Api("disk-management", "1.0", "Edge storage Disk management"),
        Api("disk-properties", "1.1", "Edge storage Disk properties"),
        Api("recording", "1.0", "Edge Recording"),
        Api("basic-device-info", "1.1", "Basic Device Information"),
        Api("disk-network-share", "1.0", "Edge storage Network share"),
        Api("recording-export", "1.1", "Export edge recording"),
        Api("param-cgi", "1.0", "Legacy Parameter Handling"),
    )


@dataclass(frozen=True)
class Firmware:
    key: str  # what --firmware takes: 12.11, 9.80, 5.51
    version: str  # Properties.Firmware.Version / basicdeviceinfo Version
    build_date: str
    features: frozenset  # API features present (see the constants above)
    camera_apis: tuple  # API discovery list of a camera (empty: no API discovery)
    local_storage: tuple = LOCAL_STORAGE_FULL
    storage_keys: tuple = STORAGE_KEYS_FULL
    # group -> its leaves in the device's order (see PARAM_ORDER_551); {} = alphabetical
    param_order: tuple = ()  # (group, keys) pairs: a frozen dataclass wants no dict
    absent_params: frozenset = frozenset()  # parameters (without root.) this generation lacks
    disk_attrs: tuple = DISK_ATTRS_FULL
    # AXIS OS 12: 401 answers carry a JSON body (application/json; charset=utf-8).
    json_401: bool = False
    # AXIS OS 12 basicdeviceinfo: apiVersion is the device's (1.3), no method or context echoed,
    # properties in the device's own order.
    bdi_version: str = "1.1"
    bdi_echo: bool = True
    # API discovery: the version of the API itself.
    discovery_version: str = "1.0"
    # AXIS OS 12 param.cgi: a single parameter asked for by name is answered under the name as
    # asked (no `root.` prefix when asked without it), groups always with the prefix.
    param_leaf_as_asked: bool = False
    # AXIS OS 9.80: a bound network share also appears as a Storage.S# group NetworkShareN0.
    share_n0_group: bool = False
    # AXIS OS 12: a disconnected disk lists its Storage.S#.CleanupLevel (90), not the fixed 99.
    disconnected_lists_cleanup_param: bool = False
    # The camera's motion event (MOTION_VMD4 or MOTION_ALARM) and its number of digital inputs
    # (Input.NbrOfInputs; the 9.80 capture lists 0, the 5.51 capture 4).
    motion_topic: str = MOTION_VMD4
    camera_inputs: int = 1

    def native_order(self, group: str) -> tuple | None:
        """The device's own order of the leaves of `group` (Storage.S<n> as Storage.S#)."""
        key = re.sub(r"^Storage\.S\d+$", "Storage.S#", group)
        for name, keys in self.param_order:
            if name == key:
                return keys
        return None

    def has(self, feature: str | None) -> bool:
        return feature is None or feature in self.features

    @property
    def major(self) -> int:
        return int(self.key.split(".")[0])


_ALL = frozenset({API_DISCOVERY, BASIC_DEVICE_INFO, DISK_PROPERTIES, STORAGE_LIMIT, DISK_HEALTH})

FIRMWARES = {
    "12.11": Firmware(
        key="12.11",
        version="12.11.77",
        build_date="Jul 08 2026 12:25",
        features=_ALL | {WEB_SERVICE, RECORDING_GROUP},
        camera_apis=_apis_1211(),
        json_401=True,
        bdi_version="1.3",
        bdi_echo=False,
        discovery_version="1.1",
        param_leaf_as_asked=True,
        disconnected_lists_cleanup_param=True,
    ),
    "9.80": Firmware(
        key="9.80",
        version="9.80.2.2",
        build_date="Jul 09 2020 08:35",
        features=_ALL,
        camera_apis=_apis_980(),
        share_n0_group=True,
        camera_inputs=0,
    ),
    # Firmware 5.51: before API discovery, Basic device information (8.40), the Disk properties
    # API, Recording storage limit and disk encryption (5.80); before VMD4 (motion is the
    # built-in MotionAlarm), with the Event and action services (WebService=yes).
    "5.51": Firmware(
        key="5.51",
        version="5.51.7",
        build_date="Jul 16 2020 14:38",
        features=frozenset({WEB_SERVICE}),
        motion_topic=MOTION_ALARM,
        camera_inputs=4,
        camera_apis=(),
        local_storage=LOCAL_STORAGE_551,
        storage_keys=STORAGE_KEYS_551,
        param_order=tuple(PARAM_ORDER_551.items()),
        disk_attrs=DISK_ATTRS_551,
        absent_params=frozenset({"Brand.ProdVariant", "Properties.NetworkShare.NameLookup"}),
    ),
}
DEFAULT_FIRMWARE = "12.11"
FIRMWARE_KEYS = tuple(FIRMWARES)


def parse_firmware_list(text: str) -> list:
    """`12.11` or `12.11,9.80,5.51` -> list of keys; ValueError naming the allowed values."""
    keys = [part.strip() for part in str(text).split(",")]
    if not keys or any(key not in FIRMWARES for key in keys):
        raise ValueError(
            "firmware must be one of %s, or a comma list of them (got %r)" % (", ".join(FIRMWARE_KEYS), text)
        )
    return keys


def firmware(key: str) -> Firmware:
    return FIRMWARES.get(key, FIRMWARES[DEFAULT_FIRMWARE])


# 401 answer of AXIS OS 12: the capture shows the headers only (Content-Type
# application/json; charset=utf-8, chunked); the body below is the simulator's choice.
JSON_401_TYPE = "application/json; charset=utf-8"
JSON_401_BODY = '{"error":{"code":401,"message":"Unauthorized"}}'
# The hardening headers every AXIS OS 12 answer in the capture carries.
AXIS_OS_12_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
