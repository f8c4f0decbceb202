"""The contract between the HTTP server and the CGI handlers.

A handler is a plain function `handler(device, request) -> Reply`, registered with `@cgi(...)`.
The server (server.py) parses the request, authenticates it against the handler's role,
applies faults, ticks the device's jobs, calls the handler and logs the call. Handlers never
touch sockets, auth or logging; they only read and change `model.Device`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .model import Device, User

SCHEMA_BASE = "http://www.axis.com/vapix/http_cgi/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Argument names whose values are secrets: masked in the request log and the control endpoint.
SECRET_ARGS = frozenset({"pass", "password", "passphrase", "oldpassphrase", "newpassphrase"})


def is_secret_arg(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_ARGS or "password" in lowered or "passphrase" in lowered


@dataclass
class CgiRequest:
    method: str  # GET or POST
    path: str  # e.g. /axis-cgi/disks/list.cgi
    args: dict  # query string and form body merged (form wins); str -> str
    body: bytes = b""  # raw body (JSON APIs read it)
    content_type: str = ""
    user: User | None = None
    scheme: str = "http"
    faults: object = None  # faults.Faults of the device, or None


@dataclass
class Reply:
    status: int = 200
    content_type: str = "text/xml"
    body: str | bytes = ""
    headers: dict = field(default_factory=dict)


@dataclass
class CgiSpec:
    path: str
    handler: Callable[[Device, CgiRequest], Reply]
    # lowest role allowed: anonymous, viewer, operator, admin; or a function of the arguments
    # (a SOAP service: the role depends on the operation)
    role: str | Callable[[dict], str]
    profiles: tuple | None  # device profiles that have this CGI; None = all
    write: bool | Callable[[dict], bool]  # does the call change state (for the log)
    api: str | None = None  # firmware feature the CGI belongs to (firmware.py); None = all
    # A service whose request is a document (SOAP): body, Content-Type and headers -> the
    # arguments logged and given to `role`/`write` (e.g. {"operation": "AddActionRule"}).
    describe: Callable[[bytes, str, dict], dict] | None = None

    def available(self, device: Device) -> bool:
        """Does this device have the CGI (profile and firmware generation)?"""
        if self.profiles is not None and device.profile not in self.profiles:
            return False
        return device.fw.has(self.api)

    def is_write(self, args: dict) -> bool:
        return self.write(args) if callable(self.write) else bool(self.write)

    def role_for(self, args: dict) -> str:
        return self.role(args) if callable(self.role) else self.role


REGISTRY: dict = {}


def service(path: str, role, write, describe, api: str | None = None, profiles: tuple | None = None):
    """Register a handler for a full path outside /axis-cgi/ (the SOAP services at
    /vapix/services); `describe` turns the request document into the logged arguments."""

    def register(fn):
        if path in REGISTRY:
            raise RuntimeError("service registered twice: %s" % path)
        REGISTRY[path] = CgiSpec(path, fn, role, profiles, write, api, describe)
        return fn

    return register


def cgi(
    path: str,
    role: str = "operator",
    profiles: tuple | None = None,
    write: bool | Callable[[dict], bool] = False,
    api: str | None = None,
):
    """Register a handler for `/axis-cgi/<path>`; `path` is given without the prefix.
    `api`: the firmware feature (firmware.py) without which the device answers 404."""
    full = "/axis-cgi/" + path.lstrip("/")

    def register(fn):
        if full in REGISTRY:
            raise RuntimeError("CGI registered twice: %s" % full)
        REGISTRY[full] = CgiSpec(full, fn, role, profiles, write, api)
        return fn

    return register


# --- XML building -----------------------------------------------------------------------


def attrs(values: dict) -> str:
    """Render attributes in the given order, XML-escaped; None values are left out."""
    return "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in values.items() if v is not None)


def element(tag: str, attributes: dict | None = None, children: str | None = None) -> str:
    a = attrs(attributes or {})
    if children is None:
        return "<%s%s/>" % (tag, a)
    return "<%s%s>%s</%s>" % (tag, a, children, tag)


def text_element(tag: str, value) -> str:
    return "<%s>%s</%s>" % (tag, escape(str(value)), tag)


def xml_root(inner: str, schema: str) -> Reply:
    """The generic `<root>` envelope of the disk and recording CGIs; schema e.g. 'disk/list1.xsd'."""
    body = '<?xml version="1.0"?>\n<root xmlns:xsi="%s" xsi:noNamespaceSchemaLocation="%s%s">\n%s\n</root>\n' % (
        XSI,
        SCHEMA_BASE,
        schema,
        inner,
    )
    return Reply(body=body)


def xml_named_root(root: str, inner: str, schema_version: str, schema: str, namespace: str | None = None) -> Reply:
    """Named envelopes (NetworkShareResponse, DeviceResponse, DiskPropertiesResponse, ...)."""
    ns = ' xmlns="%s"' % namespace if namespace else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<%s%s SchemaVersion="%s" xmlns:xsi="%s" '
        'xsi:noNamespaceSchemaLocation="%s%s">\n%s\n</%s>\n'
        % (root, ns, schema_version, XSI, SCHEMA_BASE, schema, inner, root)
    )
    return Reply(body=body)


def not_found(path: str | None = None) -> Reply:
    """What a real device answers for a CGI it does not have: the page of the firmware 5.51
    capture (`apidiscovery_404.html`), line breaks included, naming the path asked for."""
    url = (
        ("The requested URL %s was not found on this server." % escape(path))
        if path
        else "The requested URL was not found on this server."
    )
    return Reply(
        status=404,
        content_type="text/html; charset=ISO-8859-1",
        body="<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n"
        "<BODY><H1>404 Not Found</H1>\n%s\n</BODY></HTML>\n" % url,
    )


def parse_int(value, lo=None, hi=None) -> int | None:
    """Strict integer parsing for CGI arguments: None when missing, malformed or out of range."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or not (text.isdigit() or (text[0] == "-" and text[1:].isdigit())):
        return None
    number = int(text)
    if lo is not None and number < lo:
        return None
    if hi is not None and number > hi:
        return None
    return number
