"""External IP Device Information API: /axis-cgi/externalipdeviceinfo/*.cgi.

Recorders only. Every method needs an administrator. Errors use `Description`, not the
`ErrorDescription` of the storage APIs.
"""

from __future__ import annotations

import functools
import ipaddress
import re

from ..http import Reply, cgi, element, parse_int, text_element, xml_named_root
from ..model import RECORDER, ExternalDevice
from ._xml_api import HOSTNAME_PATTERN, CodedError, schema_major

ROOT = "DeviceResponse"
SCHEMA = "ExternalIpDeviceInfo2.xsd"
SCHEMA_VERSION = "2.1"
SUPPORTED_MAJOR = 2
RECORDER_ONLY = (RECORDER,)

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
SERIAL_PATTERN = re.compile(r"(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|[A-Za-z0-9]{1,64})\Z")
CERT_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}\Z")
MAX_DESCRIPTION = 255
PROTOCOLS = ("rtspt", "rtsph", "rtspsh")
CERT_VALIDATIONS = ("off", "standard", "limited")
EVENTS_ON = ("YES", "yes", "enabled")
EVENTS_OFF = ("NO", "no", "disabled")

ERROR_DESCRIPTIONS = {
    10: "An error occurred at system level",
    30: "Maximum number of devices reached",
    40: "Invalid or no id",
    60: "Unsupported schema version",
    70: "Invalid request",
    80: "Processing error",
    90: "No such device",
    150: "Device already exists",
    170: "Invalid description",
    180: "Invalid serial number",
    190: "Invalid protocol",
    200: "Invalid port",
    210: "Invalid certificate validation",
    220: "Invalid CA certificate",
}

# Request argument -> ExternalDevice attribute, and the value an empty argument restores.
FIELDS = {
    "description": ("description", ""),
    "serialnumber": ("serial_number", ""),
    "address": ("address", ""),
    "username": ("username", ""),
    "password": ("password", ""),
    "protocol": ("protocol", "rtspt"),
    "port": ("port", 0),
    "certvalidation": ("cert_validation", "off"),
}


class ApiError(CodedError):
    DESCRIPTIONS = ERROR_DESCRIPTIONS


def _reply(inner: str) -> Reply:
    return xml_named_root(ROOT, inner, SCHEMA_VERSION, SCHEMA)


def _error_reply(error: ApiError) -> Reply:
    return _reply(
        element(
            "GeneralError", None, text_element("ErrorCode", error.code) + text_element("Description", error.description)
        )
    )


def _success() -> Reply:
    return _reply(element("GeneralSuccess"))


def _api(fn):
    """Run a method body once the schema version passed, turning ApiError into the
    GeneralError envelope."""

    @functools.wraps(fn)
    def run(device, request):
        try:
            _check_schema(request.args)
            return fn(device, request)
        except ApiError as error:
            return _error_reply(error)

    return run


def _check_schema(args: dict) -> None:
    # VAPIX XML schema versions: the major must be specified; this API only has major 2.
    if schema_major(args.get("schemaversion", "")) != SUPPORTED_MAJOR:
        raise ApiError(60)


def _check_id(args: dict) -> str:
    dev_id = args.get("id", "")
    if not ID_PATTERN.match(dev_id):
        raise ApiError(40)
    return dev_id


def _existing(device, args: dict) -> ExternalDevice:
    dev_id = _check_id(args)
    found = device.external_devices.get(dev_id)
    if found is None:
        raise ApiError(90)
    return found


def _valid_address(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
        return True
    except ValueError:
        return bool(HOSTNAME_PATTERN.match(address))


def _parse_fields(args: dict) -> dict:
    """Validated attribute values for every field argument present (empty = back to default)."""
    values = {}
    for arg, (attr, default) in FIELDS.items():
        if arg not in args:
            continue
        raw = args[arg]
        if raw == "":
            values[attr] = default
            continue
        if arg == "description":
            if len(raw) > MAX_DESCRIPTION or any(ord(c) < 32 or ord(c) == 127 for c in raw):
                raise ApiError(170)
        elif arg == "serialnumber":
            if not SERIAL_PATTERN.match(raw):
                raise ApiError(180)
        elif arg == "protocol":
            if raw not in PROTOCOLS:
                raise ApiError(190)
        elif arg == "port":
            port = parse_int(raw, 0, 65535)
            if port is None:
                raise ApiError(200)
            raw = port
        elif arg == "certvalidation":
            if raw not in CERT_VALIDATIONS:
                raise ApiError(210)
        elif arg == "address":
            if not _valid_address(raw.strip()):
                raise ApiError(70, "Invalid address")
            raw = raw.strip()
        values[attr] = raw
    # An address in the request makes the account mandatory in the same request.
    if values.get("address") and not (args.get("username") and args.get("password")):
        raise ApiError(70, "username and password are required with address")
    return values


def _check_account(found: ExternalDevice) -> None:
    if found.address and not (found.username and found.password):
        raise ApiError(70, "username and password are required with address")


@cgi("externalipdeviceinfo/create.cgi", role="admin", profiles=RECORDER_ONLY, write=True)
@_api
def create_device(device, request) -> Reply:
    args = request.args
    dev_id = _check_id(args)
    values = _parse_fields(args)
    if dev_id in device.external_devices:
        raise ApiError(150)
    if len(device.external_devices) >= device.max_external_devices:
        raise ApiError(30)
    created = ExternalDevice(dev_id=dev_id, **values)
    _check_account(created)
    device.external_devices[dev_id] = created
    return _success()


@cgi("externalipdeviceinfo/update.cgi", role="admin", profiles=RECORDER_ONLY, write=True)
@_api
def update_device(device, request) -> Reply:
    args = request.args
    found = _existing(device, args)
    values = _parse_fields(args)
    # Validate the result before touching the stored device.
    merged = ExternalDevice(**{**vars(found), **values})
    _check_account(merged)
    for attr, value in values.items():
        setattr(found, attr, value)
    return _success()


@cgi("externalipdeviceinfo/delete.cgi", role="admin", profiles=RECORDER_ONLY, write=True)
@_api
def delete_device(device, request) -> Reply:
    found = _existing(device, request.args)
    del device.external_devices[found.dev_id]
    return _success()


def _device_element(found: ExternalDevice) -> str:
    # Child order is fixed by the schema; the password is never returned.
    return element(
        "Device",
        None,
        "".join(
            (
                text_element("Id", found.dev_id),
                text_element("Serialnumber", found.serial_number),
                text_element("Description", found.description),
                text_element("Address", found.address),
                text_element("Username", found.username),
                text_element("Protocol", found.protocol),
                text_element("Port", found.port),
                text_element("CertificateValidation", found.cert_validation),
            )
        ),
    )


@cgi("externalipdeviceinfo/list.cgi", role="admin", profiles=RECORDER_ONLY)
@_api
def list_devices(device, request) -> Reply:
    items = "".join(_device_element(d) for d in device.external_devices.values())
    return _reply(element("ListDevicesSuccess", None, items or None))


@cgi("externalipdeviceinfo/geteventsenabled.cgi", role="admin", profiles=RECORDER_ONLY)
@_api
def get_events_enabled(device, request) -> Reply:
    found = _existing(device, request.args)
    inner = text_element("Id", found.dev_id) + text_element("EventsEnabled", "YES" if found.events_enabled else "NO")
    return _reply(element("GetEventsEnabledSuccess", None, inner))


@cgi("externalipdeviceinfo/seteventsenabled.cgi", role="admin", profiles=RECORDER_ONLY, write=True)
@_api
def set_events_enabled(device, request) -> Reply:
    args = request.args
    found = _existing(device, args)
    enabled = args.get("enabled", "")
    if enabled in EVENTS_ON:
        found.events_enabled = True
    elif enabled in EVENTS_OFF:
        found.events_enabled = False
    else:
        raise ApiError(70, "Invalid value of enabled")
    return _success()


@cgi("externalipdeviceinfo/getcacertificates.cgi", role="admin", profiles=RECORDER_ONLY)
@_api
def get_ca_certificates(device, request) -> Reply:
    items = "".join(element("CACertificate", None, text_element("Id", cert_id)) for cert_id in device.ca_certificates)
    return _reply(element("GetCACertificatesSuccess", None, items or None))


@cgi("externalipdeviceinfo/setcacertificates.cgi", role="admin", profiles=RECORDER_ONLY, write=True)
@_api
def set_ca_certificates(device, request) -> Reply:
    args = request.args
    raw = args.get("certids", "")
    cert_ids = [part.strip() for part in raw.split(",")] if raw.strip() else []
    for cert_id in cert_ids:
        if not CERT_ID_PATTERN.match(cert_id):
            raise ApiError(220)
    # The list is replaced as a whole; duplicates collapse, order is kept.
    device.ca_certificates = list(dict.fromkeys(cert_ids))
    return _success()


# Answers whatever the schema version (it is how a client learns it).
@cgi("externalipdeviceinfo/schemaversions.cgi", role="admin", profiles=RECORDER_ONLY)
def device_schema_versions(device, request) -> Reply:
    version = element("SchemaVersion", None, text_element("VersionNumber", SCHEMA_VERSION))
    return _reply(element("SchemaVersionsSuccess", None, version))
