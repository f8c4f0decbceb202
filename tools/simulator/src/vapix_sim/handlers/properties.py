"""Disk properties API: /axis-cgi/disks/properties/*.cgi (required file system, encryption,
cleanup, alert levels, schema versions).

Every CGI but schemaversions.cgi needs `schemaversion=1`. Checks run in a fixed order:
schema version (20 when missing or not an integer, 40 when another major), missing or
malformed arguments (20), disk id (50), capability (30/100), then the CGI's own checks in the
order written in each handler. See docs/spec-choices/disks.md.
"""

from __future__ import annotations

from ..firmware import DISK_PROPERTIES
from ..http import SCHEMA_BASE, XSI, CgiRequest, Reply, attrs, cgi, element, parse_int, text_element
from ..model import Device, Disk

NAMESPACE = SCHEMA_BASE + "disks/properties1"
SCHEMA_LOCATION = NAMESPACE + " " + SCHEMA_BASE + "disks/properties/disk_properties1.xsd"
SUPPORTED_MAJOR = 1
LATEST_VERSION = "1.1"
MAX_PASSPHRASE_BYTES = 512

ERRORS = {
    10: "Error while processing the request.",
    20: "Invalid request.",
    30: "Specified file system is not supported.",
    40: "Specified version is not supported.",
    50: "Invalid disk ID.",
    100: "The disk does not support disk encryption.",
    110: "Invalid passphrase.",
    120: "Invalid new passphrase.",
    130: "The oldpassphrase does not match the existing passphrase.",
    140: "Encryption is already enabled.",
    150: "The disk is unmounted. Passphrase can only be changed when the disk is mounted.",
    160: "The disk is mounted. Encryption can only be enabled/disabled when the disk is unmounted.",
}


class PropertiesError(Exception):
    """Raised inside a handler to answer with a GeneralError; never reaches the client raw."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def envelope(inner: str, schema_version: str = "1.0") -> Reply:
    root_attrs = attrs(
        {"xmlns": NAMESPACE, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION, "SchemaVersion": schema_version}
    )
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<DiskPropertiesResponse%s>\n%s\n</DiskPropertiesResponse>\n' % (
        root_attrs,
        inner,
    )
    return Reply(body=body)


def success() -> Reply:
    return envelope("<Success><GeneralSuccess/></Success>")


def error(code: int) -> Reply:
    return envelope(
        "<Error><GeneralError>%s%s</GeneralError></Error>"
        % (text_element("ErrorCode", code), text_element("ErrorDescription", ERRORS[code]))
    )


def check_schema_version(request: CgiRequest) -> None:
    raw = request.args.get("schemaversion")
    major = parse_int(raw)
    if major is None:
        raise PropertiesError(20)
    if major != SUPPORTED_MAJOR:
        raise PropertiesError(40)


def required(request: CgiRequest, name: str) -> str:
    value = request.args.get(name)
    if value is None:
        raise PropertiesError(20)
    return value


def find_disk(device: Device, request: CgiRequest) -> Disk:
    disk_id = required(request, "diskid")
    disk = device.disks.get(disk_id)
    if disk is None:
        raise PropertiesError(50)
    return disk


def valid_passphrase(value: str) -> bool:
    return 0 < len(value.encode("utf-8")) <= MAX_PASSPHRASE_BYTES


def properties_cgi(name: str, role: str = "admin", write: bool = True):
    """Register a handler that raises PropertiesError for failures and returns a Reply."""

    def register(fn):
        def handler(device: Device, request: CgiRequest) -> Reply:
            try:
                check_schema_version(request)
                return fn(device, request)
            except PropertiesError as failure:
                return error(failure.code)

        handler.__name__ = fn.__name__
        handler.__doc__ = fn.__doc__
        return cgi("disks/properties/" + name, role=role, write=write, api=DISK_PROPERTIES)(handler)

    return register


@properties_cgi("setrequiredfs.cgi")
def set_required_fs(device: Device, request: CgiRequest) -> Reply:
    """Takes effect at the next mount: a mounted disk is not reformatted now."""
    filesystem = required(request, "filesystem")
    disk = find_disk(device, request)
    if filesystem == "none":
        disk.required_fs = "none"
        return success()
    if filesystem != "ext4" or not disk.required_fs_supported:
        raise PropertiesError(30)
    disk.required_fs = filesystem
    return success()


def check_encryption_change(disk: Disk) -> None:
    if not disk.encryption_supported:
        raise PropertiesError(100)
    if disk.busy_job is not None:
        raise PropertiesError(10)


@properties_cgi("enablediskencryption.cgi")
def enable_encryption(device: Device, request: CgiRequest) -> Reply:
    passphrase = required(request, "passphrase")
    disk = find_disk(device, request)
    check_encryption_change(disk)
    if not valid_passphrase(passphrase):
        raise PropertiesError(110)
    if disk.encryption_enabled:
        raise PropertiesError(140)
    if disk.mounted:
        raise PropertiesError(160)
    # Content still encrypted from before (encryption was disabled without a format) opens
    # only with the passphrase it was encrypted with.
    if disk.encrypted and disk.content_passphrase is not None and disk.content_passphrase != passphrase:
        disk.passphrase_state = "wrong"
    else:
        disk.passphrase_state = "ok"
    disk.encryption_enabled = True
    disk.passphrase = passphrase
    return success()


@properties_cgi("disablediskencryption.cgi")
def disable_encryption(device: Device, request: CgiRequest) -> Reply:
    """Disabling keeps the content encrypted (status "no passphrase") until a format."""
    disk = find_disk(device, request)
    check_encryption_change(disk)
    if disk.mounted:
        raise PropertiesError(160)
    disk.encryption_enabled = False
    return success()


@properties_cgi("changediskpassphrase.cgi")
def change_passphrase(device: Device, request: CgiRequest) -> Reply:
    old = required(request, "oldpassphrase")
    new = required(request, "newpassphrase")
    disk = find_disk(device, request)
    if not disk.encryption_supported:
        raise PropertiesError(100)
    if not disk.mounted:
        raise PropertiesError(150)
    if not disk.encryption_enabled or not disk.encrypted:
        raise PropertiesError(10)
    if old != disk.passphrase:
        raise PropertiesError(130)
    if not valid_passphrase(new):
        raise PropertiesError(120)
    disk.passphrase = new
    disk.content_passphrase = new
    disk.passphrase_state = "ok"
    return success()


@properties_cgi("setcleanupmaxage.cgi")
def set_cleanup_max_age(device: Device, request: CgiRequest) -> Reply:
    max_age = parse_int(required(request, "maxage"), lo=0, hi=7000)
    if max_age is None:
        raise PropertiesError(20)
    disk = find_disk(device, request)
    disk.cleanup_max_age = max_age
    return success()


@properties_cgi("setcleanuppolicy.cgi")
def set_cleanup_policy(device: Device, request: CgiRequest) -> Reply:
    policy = required(request, "cleanuppolicy")
    if policy not in ("fifo", "none"):
        raise PropertiesError(20)
    disk = find_disk(device, request)
    disk.cleanup_policy = policy
    return success()


def optional_level(request: CgiRequest, name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    value = parse_int(raw, lo=0)
    if value is None:
        raise PropertiesError(20)
    return value


@properties_cgi("setdiskalertlevels.cgi")
def set_alert_levels(device: Device, request: CgiRequest) -> Reply:
    """wear (percent) and temperature (Kelvin) are each optional; at least one is needed."""
    wear = optional_level(request, "wear")
    temperature = optional_level(request, "temperature")
    if wear is None and temperature is None:
        raise PropertiesError(20)
    disk = find_disk(device, request)
    if wear is not None:
        disk.alert_wear = wear
    if temperature is not None:
        disk.alert_temperature = temperature
    return success()


@properties_cgi("getdiskalertlevels.cgi", role="operator", write=False)
def get_alert_levels(device: Device, request: CgiRequest) -> Reply:
    disk = find_disk(device, request)
    levels = element("AlertLevels", {"Wear": disk.alert_wear, "Temperature": disk.alert_temperature})
    return envelope(
        "<Success><GetAlertLevelsSuccess>%s</GetAlertLevelsSuccess></Success>" % levels, schema_version=LATEST_VERSION
    )


@cgi("disks/properties/schemaversions.cgi", role="operator", api=DISK_PROPERTIES)
def schema_versions(device: Device, request: CgiRequest) -> Reply:
    version = "<SchemaVersion>%s%s</SchemaVersion>" % (
        text_element("VersionNumber", LATEST_VERSION),
        text_element("Deprecated", "false"),
    )
    return envelope(
        "<Success><SchemaVersionsSuccess>%s</SchemaVersionsSuccess></Success>" % version, schema_version=LATEST_VERSION
    )
