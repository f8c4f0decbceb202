"""The HTTP side of the fleet: one aiohttp low-level server, one listening socket per device.

A request is mapped to its device by the local port of its connection. CGI requests go
through faults -> lookup -> argument parsing -> authentication -> Device.tick() -> handler ->
request log; /sim/ requests go to control.py when the fleet runs with control enabled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import ssl
import urllib.parse

from aiohttp import web
from multidict import CIMultiDict

from . import control
from .auth import authenticate, challenges, role_allows
from .firmware import AXIS_OS_12_HEADERS, JSON_401_BODY, JSON_401_TYPE
from .fleet import HOST, Fleet, Node
from .http import REGISTRY, CgiRequest, Reply, not_found

LOG = logging.getLogger("vapix_sim.server")

_FORM = "application/x-www-form-urlencoded"
_UNAUTHORIZED_TYPE = "text/html; charset=iso-8859-1"
_KEEPALIVE_SECONDS = 75.0


def _page(status: int, title: str, text: str) -> Reply:
    return Reply(
        status=status,
        content_type="text/html; charset=ISO-8859-1",
        body="<HTML><HEAD><TITLE>%d %s</TITLE></HEAD><BODY><H1>%d %s</H1>%s"
        "</BODY></HTML>\n" % (status, title, status, title, text),
    )


# What a host that is no Axis device answers (the `not_axis` fault): another web server's 404
# page, here the default page of nginx, for every path and without asking for a login.
FOREIGN_404 = Reply(
    status=404,
    content_type="text/html",
    body="<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n",
)


def _decode(value: str) -> str:
    # parse_qsl decoded percent escapes as latin-1 (one char per byte); most clients send
    # UTF-8, VAPIX documents ISO-8859-1: take UTF-8 when the bytes are valid UTF-8.
    raw = value.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return value


def parse_args(raw_query: str, form: bytes | None) -> dict:
    """Query string and form body merged, form winning; the last of repeated names wins."""
    args = {}
    for source in (raw_query, form.decode("latin-1") if form else ""):
        for key, value in urllib.parse.parse_qsl(source, keep_blank_values=True, encoding="latin-1"):
            args[_decode(key)] = _decode(value)
    return args


def _encode_body(reply: Reply) -> bytes:
    if isinstance(reply.body, bytes):
        return reply.body
    charset = "utf-8"
    for part in reply.content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"')
    try:
        return reply.body.encode(charset, errors="replace")
    except LookupError:
        return reply.body.encode("utf-8")


def _response(reply: Reply) -> web.Response:
    headers = CIMultiDict(reply.headers or {})
    headers["Content-Type"] = reply.content_type
    return web.Response(status=reply.status, body=_encode_body(reply), headers=headers)


def _json_response(status: int, payload) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}
    )


def _internal_error(request: CgiRequest) -> Reply:
    """What a crashed handler answers: never a traceback.

    JSON APIs get their documented envelope with code 8000 (internal error); the XML/text
    CGIs have no generic error envelope, so they get a plain 500 page (last resort).
    """
    if request.content_type.split(";")[0].strip().lower() == "application/json":
        api_version, context = "1.0", None
        try:
            body = json.loads(request.body or b"{}")
            if isinstance(body, dict):
                api_version = str(body.get("apiVersion", api_version))
                context = body.get("context")
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
        envelope = {"apiVersion": api_version}
        if context is not None:
            envelope["context"] = context
        envelope["error"] = {"code": 8000, "message": "Internal error"}
        return Reply(status=200, content_type="application/json", body=json.dumps(envelope))
    return _page(500, "Internal Server Error", "The server could not handle the request.")


class FleetServer:
    """Serves a Fleet on its ports."""

    def __init__(self, fleet: Fleet, ssl_context: ssl.SSLContext | None = None) -> None:
        self.fleet = fleet
        self.ssl_context = ssl_context
        self.transport_scheme = "https" if ssl_context is not None else "http"
        self._web_server: web.Server | None = None
        self._listeners: list = []

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self, sockets: list) -> None:
        """Serve on already bound sockets (one per device, in fleet order)."""
        loop = asyncio.get_running_loop()
        self._web_server = web.Server(self.handle, access_log=None, keepalive_timeout=_KEEPALIVE_SECONDS)
        for sock in sockets:
            self._listeners.append(
                await loop.create_server(self._web_server, sock=sock, ssl=self.ssl_context, backlog=128)
            )

    async def stop(self, timeout: float = 1.0) -> None:
        for listener in self._listeners:
            listener.close()
        self._listeners = []
        if self._web_server is not None:
            self._web_server.pre_shutdown()
            await self._web_server.shutdown(timeout)
            self._web_server = None

    def close_connections(self, port: int, keep=None) -> None:
        """Drop every connection to one device (a reboot), except `keep` (the caller's)."""
        if self._web_server is None:
            return
        for protocol in self._web_server.connections:
            transport = protocol.transport
            if transport is None or protocol is keep:
                continue
            sockname = transport.get_extra_info("sockname")
            if sockname and sockname[1] == port:
                protocol.force_close()
                transport.abort()

    # --- request handling -----------------------------------------------------------------

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        transport = request.transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        node = self.fleet.by_port.get(sockname[1]) if sockname else None
        if node is None:
            return _response(not_found())
        path = request.path
        if path.startswith("/sim/"):
            if not self.fleet.config.control:
                return _response(not_found())
            return await self._handle_control(node, request)
        return await self._handle_cgi(node, request)

    async def _handle_control(self, node: Node, request: web.BaseRequest) -> web.Response:
        body = await request.read()
        try:
            status, payload = control.dispatch(node, request.method, request.path, body)
        except Exception:  # noqa: BLE001  (never a traceback to the client)
            LOG.exception("control request %s %s failed", request.method, request.path)
            status, payload = 500, {"error": "internal error, see the simulator log"}
        response = _json_response(status, payload)
        if node.faults.reboot_until is not None and request.path.rstrip("/") == "/sim/faults":
            # A reboot kills every connection of the device; the caller's goes after this answer.
            self.close_connections(node.port, keep=request.protocol)
            response.force_close()
        return response

    def _drop(self, request: web.BaseRequest) -> web.Response:
        """Close the connection without answering."""
        transport = request.transport
        if transport is not None:
            transport.abort()
        # aiohttp still wants a response object; writing it to the closed transport is a
        # no-op that ends this connection's request loop.
        return web.Response(status=503)

    async def _handle_cgi(self, node: Node, request: web.BaseRequest) -> web.StreamResponse:
        method = request.method
        cgi_name = request.path[len("/axis-cgi/") :] if request.path.startswith("/axis-cgi/") else request.path
        raw_path = request.raw_path
        raw_query = raw_path.partition("?")[2]
        faults = node.faults
        now = node.device.now()
        faults.settle(node.device, now)
        if faults.rebooting(now) or faults.take_drop():
            node.record(
                method,
                cgi_name,
                parse_args(raw_query, None),
                None,
                None,
                False,
                False,
                url_args=tuple(parse_args(raw_query, None)),
            )
            return self._drop(request)
        if faults.take_503():
            node.record(
                method,
                cgi_name,
                parse_args(raw_query, None),
                503,
                None,
                False,
                False,
                url_args=tuple(parse_args(raw_query, None)),
            )
            reply = _page(503, "Service Unavailable", "The server is temporarily unable to service your request.")
            reply.headers["Retry-After"] = str(faults.retry_after)
            return _response(reply)
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000.0)

        body = await request.read() if request.can_read_body else b""
        content_type = request.headers.get("Content-Type", "")
        form = body if content_type.split(";")[0].strip().lower() == _FORM else None
        args = parse_args(raw_query, form)
        # Which arguments travelled in the URL (access logs keep it), not in the form body.
        url_args = tuple(parse_args(raw_query, None))
        # The device may have been reset while this request slept or read its body.
        device, faults = node.device, node.faults
        if faults.not_axis:
            node.record(method, cgi_name, args, 404, None, False, False, url_args=url_args)
            return _response(FOREIGN_404)

        spec = REGISTRY.get(request.path)
        if spec is not None and spec.describe is not None:
            # A document service (SOAP): what the body asks for is what gets logged and what
            # decides the role and the write flag.
            try:
                args.update(spec.describe(body, content_type, dict(request.headers)))
            except Exception:  # noqa: BLE001
                LOG.exception("request classifier of %s failed", request.path)
        if spec is None or not spec.available(device):
            node.record(method, cgi_name, args, 404, None, False, False, url_args=url_args)
            return _response(not_found(request.path))
        if method not in ("GET", "POST"):
            node.record(method, cgi_name, args, 405, None, False, False, url_args=url_args)
            reply = _page(405, "Method Not Allowed", "Use GET or POST.")
            reply.headers["Allow"] = "GET, POST"
            return _response(reply)

        header = request.headers.get("Authorization")
        user = None
        role = spec.role_for(args)
        if role != "anonymous" or header:
            now = device.now()
            result = authenticate(device, node.nonces, header, method, raw_path, self.transport_scheme, now)
            user = result.user
            if role != "anonymous" and (user is None or not role_allows(user.role, role)):
                node.record(method, cgi_name, args, 401, user.name if user else None, False, False, url_args=url_args)
                return self._challenge(node, device, stale=result.stale)

        cgi_request = CgiRequest(
            method=method,
            path=request.path,
            args=args,
            body=body,
            content_type=content_type,
            user=user,
            scheme=self.transport_scheme,
            faults=faults,
        )
        try:
            write = spec.is_write(args)
        except Exception:  # noqa: BLE001
            LOG.exception("write classifier of %s failed", request.path)
            write = True
        try:
            device.tick()
            reply = spec.handler(device, cgi_request)
            if not isinstance(reply, Reply):
                raise TypeError("handler returned %r, not a Reply" % type(reply).__name__)
        except Exception:  # noqa: BLE001  (never a traceback to the client)
            LOG.exception("handler of %s failed on %s (args %s)", request.path, node.name, sorted(args))
            reply = _internal_error(cgi_request)
            node.record(
                method, cgi_name, args, reply.status, user.name if user else None, True, write, url_args=url_args
            )
            if reply.status < 500:
                node.errors += 1  # the JSON envelope hides the failure from the status
            return _response(reply)
        if reply.status == 401:
            # An anonymous CGI whose method needs a user (basicdeviceinfo getAllProperties):
            # answer with a real challenge so standard clients authenticate and retry.
            node.record(method, cgi_name, args, 401, user.name if user else None, False, False, url_args=url_args)
            return self._challenge(node, device)
        node.record(method, cgi_name, args, reply.status, user.name if user else None, True, write, url_args=url_args)
        return _response(reply)

    def _challenge(self, node: Node, device, stale: bool = False) -> web.Response:
        headers = CIMultiDict()
        for value in challenges(device, node.nonces, self.transport_scheme, device.now(), stale=stale):
            headers.add("WWW-Authenticate", value)
        if device.fw.json_401:
            # AXIS OS 12 (401_http(s)_headers.txt of the 12.11 capture): a JSON body.
            headers.update(AXIS_OS_12_HEADERS)
            headers["Content-Type"] = JSON_401_TYPE
            return web.Response(status=401, body=JSON_401_BODY.encode("utf-8"), headers=headers)
        headers["Content-Type"] = _UNAUTHORIZED_TYPE
        return web.Response(status=401, body=b"", headers=headers)


def bind_sockets(count: int, base_port: int, host: str = HOST) -> list:
    """Bind one listening socket per device: consecutive ports from base_port, or any free
    port each when base_port is 0. Raises OSError naming the port that is taken."""
    sockets = []
    try:
        for offset in range(count):
            port = base_port + offset if base_port else 0
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError as exc:
                raise OSError(exc.errno, "cannot listen on %s:%d: %s" % (host, port, exc.strerror)) from None
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def socket_ports(sockets: list) -> list:
    return [sock.getsockname()[1] for sock in sockets]
