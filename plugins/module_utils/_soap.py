# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SOAP 1.2 transport of the VAPIX web services (Event and action services): one POST per call
to /vapix/services over the device's VapixClient session (same authentication, retries, logging).

Answers are parsed with xmltodict and namespace prefixes are dropped from element and attribute
names: devices choose their own prefixes, and the operations' element names do not collide. A
SOAP fault becomes a typed VapixError naming the operation ("action1 AddActionRule"), the fault
code and the device's text.
"""

from xml.sax.saxutils import escape

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import xmltodict
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError, HttpError, UnsupportedError

SERVICES_PATH = "/vapix/services"
SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
NAMESPACES = (
    ("soap", SOAP_ENV),
    ("aa", "http://www.axis.com/vapix/ws/action1"),
    ("aev", "http://www.axis.com/vapix/ws/event1"),
    ("wsnt", "http://docs.oasis-open.org/wsn/b-2"),
    ("tns1", "http://www.onvif.org/ver10/topics"),
    ("tnsaxis", "http://www.axis.com/2009/event/topics"),
)
NS = dict(NAMESPACES)
# HTTP statuses a SOAP answer comes with: 200, and a fault's 400 (Sender) or 500 (Receiver).
SOAP_STATUSES = (200, 400, 500)


class Service:
    """One web service: its short name for messages, its prefix and namespace."""

    def __init__(self, name, prefix):
        self.name = name
        self.prefix = prefix
        self.namespace = NS[prefix]


ACTION = Service("action1", "aa")
EVENT = Service("event1", "aev")


def text(value):
    """Element text as XML-escaped text, for building requests."""
    return escape("" if value is None else str(value))


def envelope(body):
    declarations = " ".join('xmlns:%s="%s"' % pair for pair in NAMESPACES)
    return '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope %s><soap:Body>%s</soap:Body></soap:Envelope>' % (
        declarations,
        body,
    )


def local_names(node):
    """An xmltodict document with namespace prefixes dropped (xmlns declarations removed)."""
    if isinstance(node, list):
        return [local_names(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key.startswith("@xmlns"):
            continue
        attribute = key.startswith("@")
        name = key[1:] if attribute else key
        if ":" in name and not name.startswith("#"):
            name = name.split(":", 1)[1]
        name = ("@" + name) if attribute else name
        value = local_names(value)
        if name in result:
            # the same local name under two prefixes: keep both, as xmltodict lists repeats
            existing = result[name] if isinstance(result[name], list) else [result[name]]
            result[name] = existing + (value if isinstance(value, list) else [value])
        else:
            result[name] = value
    return result


def node_text(node):
    """The text of an element read by xmltodict (a string, or a dict with attributes and #text)."""
    if isinstance(node, dict):
        node = node.get("#text")
    if node is None:
        return None
    return str(node).strip()


def _fault(label, fault):
    """(code, text) of a SOAP 1.2 fault (SOAP 1.1 faultcode/faultstring too)."""
    code = fault.get("Code") or {}
    codes = []
    while isinstance(code, dict) and code:
        value = node_text(code.get("Value"))
        if value:
            codes.append(value)
        code = code.get("Subcode")
    if not codes and fault.get("faultcode"):
        codes.append(node_text(fault.get("faultcode")))
    reason = fault.get("Reason") or {}
    texts = reason.get("Text") if isinstance(reason, dict) else None
    if isinstance(texts, list):
        texts = texts[0]
    message = node_text(texts) or node_text(fault.get("faultstring")) or "the device answered with a SOAP fault"
    detail = fault.get("Detail")
    extra = node_text(detail) if isinstance(detail, (str, dict)) else None
    if extra and extra not in message:
        message = "%s (%s)" % (message, extra)
    return " ".join(codes) or None, message


def call(client, service, operation, body="", write=False):
    """Send one operation; return the dict under its response element (prefixes dropped).

    Reads are retried as every read of the client; writes are sent once.
    """
    label = "%s %s" % (service.name, operation)
    action = "%s/%s" % (service.namespace, operation)
    request = envelope("<%s:%s>%s</%s:%s>" % (service.prefix, operation, body, service.prefix, operation))
    headers = {
        "Content-Type": 'application/soap+xml; charset=utf-8; action="%s"' % action,
        "SOAPAction": '"%s"' % action,
    }
    try:
        response = client.request(
            label,
            method="POST",
            path=SERVICES_PATH,
            body=request.encode("utf-8"),
            headers=headers,
            write=write,
            statuses=SOAP_STATUSES,
        )
    except UnsupportedError as exc:
        text = (
            "the device has no Event and action services (no %s: %s); firmware before 5.50, or "
            "Properties.API.WebService.WebService=no" % (SERVICES_PATH, exc.description)
        )
        raise UnsupportedError(label, text, status=exc.status) from exc
    try:
        doc = local_names(xmltodict.parse(response.content))
    except Exception as exc:  # expat raises several types; all mean the same to the user
        raise HttpError(
            label,
            "the device answered HTTP %s with unparsable XML (%s)" % (response.status_code, exc),
            status=response.status_code,
        ) from exc
    root = doc.get("Envelope") if isinstance(doc, dict) else None
    soap_body = root.get("Body", "") if isinstance(root, dict) else None
    if soap_body is None or soap_body == "":
        soap_body = {} if isinstance(root, dict) and "Body" in root else None
    if not isinstance(soap_body, dict):
        raise HttpError(
            label,
            "the device's answer (HTTP %s) is not a SOAP envelope" % response.status_code,
            status=response.status_code,
        )
    if "Fault" in soap_body:
        code, message = _fault(label, soap_body["Fault"] or {})
        raise ApiError(label, client.secrets.mask(message), code=code, status=response.status_code)
    if response.status_code != 200:
        raise HttpError(
            label, "unexpected HTTP status %s without a SOAP fault" % response.status_code, status=response.status_code
        )
    answer = soap_body.get("%sResponse" % operation)
    if answer is None:
        return {}
    return answer if isinstance(answer, dict) else {}
