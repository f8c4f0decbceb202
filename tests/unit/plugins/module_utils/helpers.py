# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the tests share (test modules import these, never each other): a device that never
answers, and the smallest Runnable with one that only copies its interface. Target-side only
(no ansible controller imports): module_utils tests import it too."""

import json
import socket
import threading

import requests
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Runnable

CONNECTION = dict(host="192.0.2.10", username="root", password="connection-secret")


class SilentDevice:
    """A TCP server on 127.0.0.1 that accepts connections, reads nothing and never answers.

    Bounded: it accepts at most `limit` connections and closes them all on stop.
    """

    def __init__(self, limit=16):
        self.limit = limit
        self.accepted = []
        self._stopped = threading.Event()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(limit)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stopped.is_set() and len(self.accepted) < self.limit:
            try:
                conn, _address = self._sock.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def stop(self):
        self._stopped.set()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self._sock.close()


class CopiedInterface:
    """What DeviceStorage and StorageInfo used to be: Resource's interface, copied, no shared type."""

    argument_spec = dict(gather_subset=dict(type="list", elements="str", default=["all"]))
    module_kwargs = {}
    result_key = "copied"

    def __init__(self, device, params, check_mode=False):
        self.device = device

    @staticmethod
    def secret_values(params):
        return []

    def run(self, diff=False):
        return {"changed": False, "copied": {}}


class Echo(Runnable):
    """The smallest Runnable: validate() and apply() are all a subclass writes."""

    argument_spec = dict(word=dict(type="str", required=True), token=dict(type="str", no_log=True))
    result_key = "echo"

    def validate(self):
        if self.params["word"] == "bad":
            raise InputError(None, "word=bad: use any other word")

    def apply(self, diff):
        if self.params["word"] == "warn":
            self.warnings.append("warned about %s" % self.params.get("token"))
        return {"changed": False, self.result_key: {"word": self.params["word"], "token": self.params.get("token")}}


def sim_control(port, path, method="GET", payload=None):
    """A simulated device's control endpoint (/sim/<path>: state, reset, faults, request log)."""
    response = requests.request(
        method,
        "http://127.0.0.1:%d/sim/%s" % (port, path),
        data=json.dumps(payload) if payload is not None else None,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json() if response.content else None
