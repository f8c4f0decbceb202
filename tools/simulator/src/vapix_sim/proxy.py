"""A forward HTTP proxy for tests: forwards what clients send through it and counts it.

Tests of the collection prove that a task's proxy settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)
are honoured by checking that the proxy saw the requests. It forwards plain HTTP requests in
absolute form (`GET http://host:port/path`), one request per client connection, and tunnels
`CONNECT host:port` (HTTPS). Requests in origin form are its own control endpoint:

    GET  /proxy/count    {"requests": N, "forwarded": [{"method", "target"}, ...]}
    POST /proxy/reset    forget what was counted

It listens on 127.0.0.1 only, forwards only to 127.0.0.1 (the simulated devices; anything else
is answered 403, so it can never reach the network), and ends after --lifetime seconds.

    python -m vapix_sim.proxy --port 18460 [--lifetime 3600]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import threading
from urllib.parse import urlsplit

HOST = "127.0.0.1"
READY_PREFIX = "vapix-sim proxy ready:"
MAX_HEAD = 64 * 1024
IO_TIMEOUT = 30.0
ALLOWED_UPSTREAMS = ("127.0.0.1", "localhost")
LOG = logging.getLogger("vapix_sim.proxy")


class CountingProxy:
    """The proxy's state: what it forwarded, in order."""

    def __init__(self) -> None:
        self.forwarded: list = []
        self._lock = threading.Lock()

    def record(self, method: str, target: str) -> None:
        with self._lock:
            self.forwarded.append({"method": method, "target": target})

    def summary(self) -> dict:
        with self._lock:
            return {"requests": len(self.forwarded), "forwarded": list(self.forwarded)}

    def reset(self) -> None:
        with self._lock:
            self.forwarded.clear()

    # --- connections ------------------------------------------------------------------------

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IO_TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        try:
            lines = head.decode("iso-8859-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = [line for line in lines[1:] if line]
            if method == "CONNECT":
                await self._tunnel(target, reader, writer)
            elif target.startswith("http://"):
                await self._forward(method, target, version, headers, reader, writer)
            else:
                await self._control(method, target, writer)
        except (TimeoutError, ValueError, ConnectionError, asyncio.IncompleteReadError) as exc:
            LOG.debug("connection ended: %s", exc)
        except asyncio.CancelledError:
            pass  # the proxy stops
        finally:
            writer.close()

    @staticmethod
    def _allowed(host: str | None) -> bool:
        return host in ALLOWED_UPSTREAMS

    async def _answer(self, writer, status: str, body: bytes = b"", content_type: str = "text/plain") -> None:
        writer.write(
            (
                "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (status, content_type, len(body))
            ).encode("ascii")
            + body
        )
        await writer.drain()

    async def _control(self, method: str, target: str, writer) -> None:
        if target == "/proxy/count" and method == "GET":
            await self._answer(writer, "200 OK", json.dumps(self.summary()).encode(), "application/json")
        elif target == "/proxy/reset" and method == "POST":
            self.reset()
            await self._answer(writer, "200 OK", b"{}", "application/json")
        else:
            await self._answer(writer, "404 Not Found", b"no such proxy endpoint\n")

    async def _forward(self, method, target, version, headers, reader, writer) -> None:
        url = urlsplit(target)
        if not self._allowed(url.hostname):
            await self._answer(writer, "403 Forbidden", b"this test proxy forwards to 127.0.0.1 only\n")
            return
        length = 0
        kept = []
        for header in headers:
            name, _, value = header.partition(":")
            lower = name.strip().lower()
            if lower == "content-length":
                length = int(value.strip())
            if lower in ("connection", "proxy-connection", "keep-alive", "proxy-authorization"):
                continue
            kept.append(header)
        body = await asyncio.wait_for(reader.readexactly(length), IO_TIMEOUT) if length else b""
        self.record(method, target)
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(
                asyncio.open_connection(url.hostname, url.port or 80), IO_TIMEOUT
            )
        except (TimeoutError, OSError) as exc:
            await self._answer(writer, "502 Bad Gateway", ("cannot reach %s: %s\n" % (url.netloc, exc)).encode())
            return
        try:
            path = url.path or "/"
            if url.query:
                path += "?" + url.query
            request = "%s %s %s\r\n%sConnection: close\r\n\r\n" % (
                method,
                path,
                version,
                "".join(h + "\r\n" for h in kept),
            )
            upstream_writer.write(request.encode("iso-8859-1") + body)
            await upstream_writer.drain()
            # The answer as it comes, to the end: the upstream closes after it (Connection: close).
            while True:
                chunk = await asyncio.wait_for(upstream_reader.read(65536), IO_TIMEOUT)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()
        finally:
            upstream_writer.close()

    async def _tunnel(self, target, reader, writer) -> None:
        host, _, port = target.rpartition(":")
        if not self._allowed(host) or not port.isdigit():
            await self._answer(writer, "403 Forbidden", b"this test proxy tunnels to 127.0.0.1 only\n")
            return
        self.record("CONNECT", target)
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(
                asyncio.open_connection(host, int(port)), IO_TIMEOUT
            )
        except (TimeoutError, OSError) as exc:
            await self._answer(writer, "502 Bad Gateway", ("cannot reach %s: %s\n" % (target, exc)).encode())
            return
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()

        async def pipe(source, sink):
            try:
                while True:
                    chunk = await asyncio.wait_for(source.read(65536), IO_TIMEOUT * 4)
                    if not chunk:
                        break
                    sink.write(chunk)
                    await sink.drain()
            except (TimeoutError, ConnectionError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


class BackgroundProxy:
    """The proxy in a thread of this process, on a free port: for in-process tests."""

    def __init__(self) -> None:
        self.proxy = CountingProxy()
        self.port: int | None = None
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="vapix-sim-proxy", daemon=True)

    def start(self) -> BackgroundProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(asyncio.start_server(self.proxy.handle, HOST, 0), self._loop)
        self._server = future.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return "http://%s:%d" % (HOST, self.port)

    def stop(self) -> None:
        async def close():
            self._server.close()
            # open tunnels and forwards end now, before the loop does
            others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


async def serve(port: int, lifetime: float) -> None:
    proxy = CountingProxy()
    server = await asyncio.start_server(proxy.handle, HOST, port)
    print("%s http://%s:%d (ends after %.0f s)" % (READY_PREFIX, HOST, port, lifetime), flush=True)
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), lifetime)
        except TimeoutError:
            pass


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="seconds until the proxy ends")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536 or args.lifetime <= 0:
        parser.error("--port must be 1-65535 and --lifetime positive")
    try:
        asyncio.run(serve(args.port, args.lifetime))
    except OSError as exc:
        print("vapix-sim proxy: cannot listen on %s:%d: %s" % (HOST, args.port, exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
