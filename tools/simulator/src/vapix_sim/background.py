"""Run a fleet inside another program (tests) on its own event loop in a daemon thread.

    fleet = BackgroundFleet(FleetConfig(devices=2, base_port=0, control=True)).start()
    ... requests to fleet.cgi_url("disks/list.cgi") ...
    fleet.stop()

Devices are mutated on the fleet's thread; `call(fn)` runs a function there when a test must
read or change a device directly while requests may be in flight.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from .fleet import HOST, Fleet, FleetConfig
from .server import FleetServer, bind_sockets, socket_ports


class BackgroundFleet:
    def __init__(self, config: FleetConfig, clock=time.monotonic):
        self.config = config
        self.clock = clock
        # Set by start().
        self.loop = self.thread = self.fleet = self.server = None

    def start(self, timeout: float = 10.0) -> BackgroundFleet:
        from . import handlers  # noqa: F401  (registers every CGI)

        if self.config.https and not self.config.ca_file:
            raise ValueError("an https fleet needs config.ca_file")
        sockets = bind_sockets(self.config.devices, self.config.base_port)
        try:
            self.fleet = Fleet(self.config, socket_ports(sockets), clock=self.clock)
            ssl_context = None
            if self.config.https:
                from .tls import make_server_context

                ssl_context = make_server_context(Path(self.config.ca_file))
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        self.server = FleetServer(self.fleet, ssl_context)
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        failure = []

        def run():
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self.server.start(sockets))
            except BaseException as exc:  # handed to the starting thread
                failure.append(exc)
                started.set()
                self.loop.close()
                return
            started.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.server.stop())
            self.loop.close()

        self.thread = threading.Thread(target=run, name="vapix-sim-fleet", daemon=True)
        self.thread.start()
        if not started.wait(timeout):
            raise RuntimeError("fleet did not start within %s s" % timeout)
        if failure:
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout)

    def __enter__(self) -> BackgroundFleet:
        return self.start() if self.thread is None else self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- addressing -----------------------------------------------------------------------

    @property
    def scheme(self) -> str:
        return self.config.scheme

    def node(self, i: int = 0):
        return self.fleet.nodes[i]

    def device(self, i: int = 0):
        return self.fleet.nodes[i].device

    def port(self, i: int = 0) -> int:
        return self.fleet.nodes[i].port

    def url(self, path: str = "", i: int = 0) -> str:
        return "%s://%s:%d/%s" % (self.scheme, HOST, self.port(i), path.lstrip("/"))

    def cgi_url(self, cgi_path: str, i: int = 0) -> str:
        return self.url("axis-cgi/" + cgi_path.lstrip("/"), i)

    def call(self, fn, *args, timeout: float = 10.0):
        """Run fn(*args) on the fleet's thread and return its result."""

        async def wrapped():
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(timeout)
