"""Basic device information (basicdeviceinfo.cgi) and API discovery (apidiscovery.cgi), JSON.

Both are registered for anonymous callers (getAllUnrestrictedProperties and API discovery need
no account); the operator-only methods of basicdeviceinfo check the caller's role themselves.
Application errors are HTTP 200 with an `error` object.
"""

from __future__ import annotations

import hashlib
import json
import re

from ..firmware import API_DISCOVERY, BASIC_DEVICE_INFO, Api
from ..http import Reply, cgi
from ..model import RECORDER, ROLE_RANK
from ._xml_api import CodedError

JSON_TYPE = "application/json;charset=utf8"  # as in the real capture

ERROR_MESSAGES = {
    1000: "Invalid parameter value",
    2001: "Access forbidden",
    2002: "HTTP request type not supported. Only POST is supported",
    2003: "Requested API version is not supported",
    2004: "The requested method is not supported",
    4000: "The provided JSON input was invalid",
    4002: "Required parameter missing or invalid",
    8000: "Internal error",
}

# A camera's list comes from its firmware preset (firmware.py: the captures' entries). A
# recorder has no capture: its storage APIs, in the style of its firmware's list.
RECORDER_APIS = [
    ("disk-management", "1.0", "Edge storage Disk management"),
    ("disk-properties", "1.1", "Edge storage Disk properties"),
    ("disk-network-share", "1.0", "Edge storage Network share"),
    ("recording", "1.0", "Edge Recording"),
    ("recording-storage-limit", "1.0", "Edge Recording storage limit"),
    ("recording-export", "1.1", "Export edge recording"),
    ("basic-device-info", None, "Basic Device Information"),
    ("api-discovery", None, "API Discovery Service"),
    ("ext-ip-dev-info", "2.1", "External IP device information"),
    ("recording-group", "1.0", "Recording group"),
]

RESTRICTED_PROPERTIES = ("Architecture", "Soc", "SocSerialNumber")
PROPERTY_ORDER = (
    "Architecture",
    "Brand",
    "BuildDate",
    "HardwareID",
    "ProdFullName",
    "ProdNbr",
    "ProdShortName",
    "ProdType",
    "ProdVariant",
    "SerialNumber",
    "Soc",
    "SocSerialNumber",
    "Version",
    "WebURL",
)
# AXIS OS 12 lists the properties in its own order (basicdeviceinfo.json of the 12.11 capture).
PROPERTY_ORDER_12 = (
    "Architecture",
    "ProdNbr",
    "HardwareID",
    "ProdFullName",
    "Version",
    "ProdType",
    "SocSerialNumber",
    "Soc",
    "Brand",
    "WebURL",
    "ProdVariant",
    "SerialNumber",
    "ProdShortName",
    "BuildDate",
)


def bdi_versions(device) -> list:
    """Latest version per major, as getSupportedVersions lists them."""
    return [device.fw.bdi_version]


def discovery_versions(device) -> list:
    return [device.fw.discovery_version]


class JsonError(CodedError):
    DESCRIPTIONS = ERROR_MESSAGES


def _json_reply(payload: dict) -> Reply:
    return Reply(content_type=JSON_TYPE, body=json.dumps(payload))


class _Call:
    """One parsed JSON request; echoes apiVersion/context/method into every answer."""

    def __init__(self, request):
        self.api_version = None
        self.context = None
        self.method = None
        self.params = None
        self.body = {}
        self.request = request

    def parse(self) -> None:
        if self.request.method.upper() != "POST":
            raise JsonError(2002)
        try:
            text = self.request.body.decode("utf-8") if isinstance(self.request.body, bytes) else str(self.request.body)
            body = json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise JsonError(4000) from None
        if not isinstance(body, dict):
            raise JsonError(4000)
        if isinstance(body.get("apiVersion"), str):
            self.api_version = body["apiVersion"]
        if "context" in body:
            self.context = body["context"]
        method = body.get("method")
        if not isinstance(method, str) or not method:
            raise JsonError(4002, "Missing or invalid parameter: method")
        self.method = method
        params = body.get("params", {})
        if not isinstance(params, dict):
            raise JsonError(4002, "Invalid parameter: params")
        self.params = params
        self.body = body

    def check_version(self, supported: list) -> None:
        """A request must name an apiVersion whose major the device has (minor not enforced)."""
        value = self.body.get("apiVersion")
        if not isinstance(value, str):
            raise JsonError(4002, "Missing or invalid parameter: apiVersion")
        match = re.fullmatch(r"(\d+)\.(\d+)", value)
        majors = {v.split(".")[0] for v in supported}
        if not match or match.group(1) not in majors:
            raise JsonError(2003)

    def answer(self, data: dict | None = None, error: JsonError | None = None, method_first: bool = False) -> Reply:
        """`method_first`: API discovery answers method, apiVersion, data (both captures)."""
        payload = {}
        if method_first and self.method is not None:
            payload["method"] = self.method
        if self.api_version is not None:
            payload["apiVersion"] = self.api_version
        if self.context is not None:
            payload["context"] = self.context
        if self.method is not None and not method_first:
            payload["method"] = self.method
        if error is not None:
            payload["error"] = {"code": error.code, "message": error.description}
        else:
            payload["data"] = data
        return _json_reply(payload)


class Bare(dict):
    """A success answer of AXIS OS 12 basicdeviceinfo: `{"apiVersion": <the device's>, "data":
    ...}`, no method or context (the 12.11 capture)."""


def _run(request, body_fn, method_first: bool = False) -> Reply:
    call = _Call(request)
    try:
        call.parse()
        data = body_fn(call)
        if isinstance(data, Bare):
            return _json_reply({"apiVersion": data["apiVersion"], "data": data["data"]})
        return call.answer(data, method_first=method_first)
    except JsonError as error:
        return call.answer(error=error, method_first=method_first)
    except NeedsCredentials:
        return Reply(status=401)
    except Exception:  # noqa: BLE001  (a bug must surface as the API's internal error, no trace)
        return call.answer(error=JsonError(8000))


# --- basicdeviceinfo.cgi --------------------------------------------------------------------


def _digest(device, salt: str, length: int) -> str:
    return hashlib.sha256((salt + device.serial + device.model).encode()).hexdigest()[:length].upper()


def device_properties(device) -> dict:
    """The property set of basicdeviceinfo, derived from the Device (param.cgi's Brand.* and
    Properties.Firmware.* report the same model, firmware and build date)."""
    prefix = "AXIS %s " % device.model
    prod_type = device.full_name[len(prefix) :] if device.full_name.startswith(prefix) else device.full_name
    values = {
        "Architecture": "aarch64",
        "Brand": "AXIS",
        "BuildDate": device.fw.build_date,
        "HardwareID": _digest(device, "hw", 3),
        "ProdFullName": device.full_name,
        "ProdNbr": device.model,
        "ProdShortName": "AXIS %s" % device.model,
        "ProdType": prod_type,
        "ProdVariant": "",
        "SerialNumber": device.serial,
        "Soc": "Axis Artpec-8" if device.profile != RECORDER else "Axis Artpec-7",
        "SocSerialNumber": _digest(device, "soc", 8) + "-" + _digest(device, "soc2", 8),
        "Version": device.firmware,
        "WebURL": "http://www.axis.com",
    }
    order = PROPERTY_ORDER_12 if not device.fw.bdi_echo else PROPERTY_ORDER
    return {name: values[name] for name in order}


class NeedsCredentials(Exception):
    """An anonymous call to a method that needs a user: answer with the auth challenge, as
    AXIS OS 12 does, so that a client that authenticates on demand can retry with credentials."""


def _is_operator(request) -> bool:
    role = request.user.role if request.user is not None else "anonymous"
    return ROLE_RANK.get(role, 0) >= ROLE_RANK["operator"]


def _basic_device_info(device, request, call: _Call) -> dict:
    data = _bdi_data(device, request, call)
    if call.method != "getSupportedVersions" and not device.fw.bdi_echo:
        return Bare(apiVersion=device.fw.bdi_version, data=data)
    return data


def _bdi_data(device, request, call: _Call) -> dict:
    if call.method == "getSupportedVersions":
        return {"apiVersions": bdi_versions(device)}
    if call.method not in ("getAllProperties", "getAllUnrestrictedProperties", "getProperties"):
        raise JsonError(2004)
    call.check_version(bdi_versions(device))
    properties = device_properties(device)
    if call.method == "getAllUnrestrictedProperties":
        return {"propertyList": {k: v for k, v in properties.items() if k not in RESTRICTED_PROPERTIES}}
    if call.method == "getAllProperties":
        if request.user is None:
            raise NeedsCredentials()
        if not _is_operator(request):
            raise JsonError(2001)
        return {"propertyList": properties}
    names = call.params.get("propertyList")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise JsonError(4002, "Missing or invalid parameter: propertyList")
    for name in names:
        if name not in properties:
            raise JsonError(1000, "Property not supported: %s" % name)
    if any(name in RESTRICTED_PROPERTIES for name in names) and not _is_operator(request):
        raise JsonError(2001)
    return {"propertyList": {name: properties[name] for name in names}}


@cgi("basicdeviceinfo.cgi", role="anonymous", api=BASIC_DEVICE_INFO)
def basic_device_info(device, request) -> Reply:
    return _run(request, lambda call: _basic_device_info(device, request, call))


# --- apidiscovery.cgi -----------------------------------------------------------------------


def _glob(pattern: str) -> re.Pattern:
    """Only `*` and `?` are wildcards; everything else matches literally."""
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _entry(api: Api) -> dict:
    entry = {"id": api.id, "version": api.version, "name": api.name, "docLink": api.doc_link}
    if api.status is not None:
        entry["status"] = api.status
    return entry


def api_list(device) -> list:
    fw = device.fw
    if device.profile != RECORDER:
        return [_entry(api) for api in fw.camera_apis]
    status = "official" if fw.camera_apis and fw.camera_apis[0].status else None
    versions = {"basic-device-info": fw.bdi_version, "api-discovery": fw.discovery_version}
    return [
        _entry(Api(api_id, version or versions[api_id], name, status=status)) for api_id, version, name in RECORDER_APIS
    ]


def _api_discovery(device, call: _Call) -> dict:
    if call.method == "getSupportedVersions":
        return {"apiVersions": discovery_versions(device)}
    if call.method != "getApiList":
        raise JsonError(2004)
    call.check_version(discovery_versions(device))
    filters = {}
    for key in ("id", "version"):
        value = call.params.get(key, "*")
        if not isinstance(value, str):
            raise JsonError(1000, "Invalid parameter: %s" % key)
        filters[key] = _glob(value or "*")
    # An id nobody has gives an empty list, not an error.
    matches = [
        api for api in api_list(device) if filters["id"].match(api["id"]) and filters["version"].match(api["version"])
    ]
    return {"apiList": matches}


@cgi("apidiscovery.cgi", role="anonymous", api=API_DISCOVERY)
def api_discovery(device, request) -> Reply:
    return _run(request, lambda call: _api_discovery(device, call), method_first=True)
