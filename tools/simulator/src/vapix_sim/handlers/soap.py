"""SOAP 1.2 transport of the Event and action services (/vapix/services): parsing a request
envelope, answering with an envelope or a fault.

Shapes and fault codes: docs/simulator.md (Event and action services) and
docs/spec-choices/event-and-action-services.md. The envelope uses the prefixes of gSOAP, the
SOAP stack of Axis devices (`SOAP-ENV`), and declares every namespace of the services on the
Envelope, so topic expressions in text content (`tns1:Device/tnsaxis:IO/Port`) resolve.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..http import Reply, attrs

ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
AA = "http://www.axis.com/vapix/ws/action1"
AEV = "http://www.axis.com/vapix/ws/event1"
WSNT = "http://docs.oasis-open.org/wsn/b-2"
WSTOP = "http://docs.oasis-open.org/wsn/t-1"
TNS1 = "http://www.onvif.org/ver10/topics"
TNSAXIS = "http://www.axis.com/2009/event/topics"
TER = "http://www.onvif.org/ver10/error"
XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Prefix -> namespace of every answer (declared on the Envelope, in this order).
NAMESPACES = (
    ("SOAP-ENV", ENV),
    ("xsd", XSD),
    ("xsi", XSI),
    ("wsnt", WSNT),
    ("wstop", WSTOP),
    ("tns1", TNS1),
    ("tnsaxis", TNSAXIS),
    ("aa", AA),
    ("aev", AEV),
    ("ter", TER),
)
# Namespace -> the prefix topic expressions are stored and answered with.
TOPIC_PREFIXES = {TNS1: "tns1", TNSAXIS: "tnsaxis"}

CONTENT_TYPE = "application/soap+xml; charset=utf-8"
_ACTION_PARAM = re.compile(r"""(?:^|;)\s*action\s*=\s*"?([^";]*)"?""", re.IGNORECASE)


class Fault(Exception):
    """A SOAP 1.2 fault: Code (Sender, Receiver, VersionMismatch), then subcodes from the
    outermost in, and the Reason text."""

    def __init__(self, code: str, subcodes: tuple, reason: str):
        super().__init__(reason)
        self.code = code
        self.subcodes = subcodes
        self.reason = reason

    @property
    def status(self) -> int:
        # SOAP 1.2 HTTP binding: a Sender fault is 400 Bad Request, every other 500.
        return 400 if self.code == "Sender" else 500


def sender(reason: str, *subcodes: str) -> Fault:
    return Fault("Sender", subcodes, reason)


def invalid_value(reason: str, specific: str | None = None) -> Fault:
    """A value the operation cannot take: ter:InvalidArgVal, then the service's own code."""
    return sender(reason, "ter:InvalidArgVal", *((specific,) if specific else ()))


def missing(name: str) -> Fault:
    return sender("Missing argument: %s" % name, "ter:InvalidArgs", "ter:MissingArgument")


@dataclass
class SoapRequest:
    operation: str  # local name of the Body's child, e.g. AddActionRule
    namespace: str  # its namespace (action1 or event1)
    element: ET.Element  # the operation element
    prefixes: dict  # prefix -> namespace, every declaration of the document


def _local(tag: str) -> tuple:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def header_operation(content_type: str, headers: dict) -> str:
    """The operation the client names in `action="<ns>/<Operation>"` of the Content-Type, or
    in the SOAPAction header; "" when neither is given."""
    action = ""
    match = _ACTION_PARAM.search(content_type or "")
    if match:
        action = match.group(1)
    else:
        for name, value in headers.items():
            if name.lower() == "soapaction":
                action = value.strip().strip('"')
    return action.rstrip("/").rpartition("/")[2]


def parse(body: bytes) -> SoapRequest:
    """The operation of a SOAP 1.2 request; Fault for whatever a device refuses."""
    if not body.strip():
        raise sender("Empty request: a SOAP 1.2 envelope is expected", "ter:WellFormed")
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        # SOAP 1.2 (part 1, 5): a SOAP message must not contain a document type declaration.
        raise sender("DTD not allowed in a SOAP message", "ter:WellFormed")
    prefixes = {}
    root = None
    try:
        for event, item in ET.iterparse(io.BytesIO(body), events=("start-ns", "start")):
            if event == "start-ns":
                prefix, uri = item
                prefixes[prefix] = uri
            elif root is None:
                root = item
        # iterparse has read the whole document by now: `root` is complete.
    except ET.ParseError as exc:
        raise sender("Malformed XML: %s" % exc, "ter:WellFormed") from None
    namespace, name = _local(root.tag)
    if name != "Envelope" or namespace != ENV:
        if name == "Envelope" and namespace == SOAP11_ENV:
            raise Fault("VersionMismatch", (), "SOAP 1.1 envelope: this service speaks SOAP 1.2")
        raise sender("Not a SOAP 1.2 Envelope", "ter:WellFormed")
    body_element = root.find("{%s}Body" % ENV)
    if body_element is None or len(body_element) == 0:
        raise sender("The SOAP Body holds no operation", "ter:InvalidArgs")
    operation = body_element[0]
    op_namespace, op_name = _local(operation.tag)
    return SoapRequest(op_name, op_namespace, operation, prefixes)


def describe(body: bytes, content_type: str, headers: dict) -> dict:
    """What the request log shows of a SOAP request: {"operation": ...} (the Body's operation,
    or the one the headers name when the body cannot be read) and {"action": ...} when the
    headers name another one."""
    named = header_operation(content_type, headers)
    try:
        operation = parse(body).operation
    except Fault:
        operation = named
    logged = {"operation": operation}
    if named and named != operation:
        logged["action"] = named
    return logged


# --- answers ---------------------------------------------------------------------------------


def envelope(body: str) -> str:
    declarations = "".join(' xmlns:%s="%s"' % pair for pair in NAMESPACES)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope%s>'
        "<SOAP-ENV:Header/><SOAP-ENV:Body>%s</SOAP-ENV:Body></SOAP-ENV:Envelope>\n" % (declarations, body)
    )


def reply(body: str) -> Reply:
    return Reply(status=200, content_type=CONTENT_TYPE, body=envelope(body))


def fault_reply(fault: Fault) -> Reply:
    code = "<SOAP-ENV:Value>SOAP-ENV:%s</SOAP-ENV:Value>" % fault.code
    nested = ""
    for subcode in reversed(fault.subcodes):
        nested = "<SOAP-ENV:Subcode><SOAP-ENV:Value>%s</SOAP-ENV:Value>%s</SOAP-ENV:Subcode>" % (
            escape(subcode),
            nested,
        )
    text = "<SOAP-ENV:Text%s>%s</SOAP-ENV:Text>" % (attrs({"xml:lang": "en"}), escape(fault.reason))
    body = (
        "<SOAP-ENV:Fault><SOAP-ENV:Code>%s%s</SOAP-ENV:Code>"
        "<SOAP-ENV:Reason>%s</SOAP-ENV:Reason></SOAP-ENV:Fault>" % (code, nested, text)
    )
    return Reply(status=fault.status, content_type=CONTENT_TYPE, body=envelope(body))


# --- reading request elements -----------------------------------------------------------------


def child(element: ET.Element, name: str) -> ET.Element | None:
    """The first child of that local name, whatever its namespace (clients differ in
    qualifying the children of an operation)."""
    for item in element:
        if _local(item.tag)[1] == name:
            return item
    return None


def children(element: ET.Element | None, name: str) -> list:
    if element is None:
        return []
    return [item for item in element if _local(item.tag)[1] == name]


def required(element: ET.Element, name: str) -> ET.Element:
    found = child(element, name)
    if found is None:
        raise missing(name)
    return found


def text_of(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def required_text(element: ET.Element, name: str) -> str:
    value = text_of(required(element, name))
    if not value:
        raise missing(name)
    return value


def integer(element: ET.Element, name: str) -> int:
    value = required_text(element, name)
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise invalid_value("%s must be a non-negative integer, got %r" % (name, value))
    return int(value)


def boolean(element: ET.Element, name: str, default: bool) -> bool:
    found = child(element, name)
    if found is None:
        return default
    value = text_of(found).lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise invalid_value("%s must be true or false, got %r" % (name, text_of(found)))


def local_name(element: ET.Element) -> str:
    return _local(element.tag)[1]
