# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device for one task: the client, its capabilities and the reads cached for the task.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._capabilities import Capabilities


class DeviceSession:
    """One device for one task: the client, lazily read capabilities, and cached reads.

    A read is made at most once per session; a write invalidates the reads it affects, so a
    resource that runs after another sees the device as it is now.
    """

    def __init__(self, client):
        self.client = client
        self.caps = Capabilities(client)
        self._cache = {}

    @classmethod
    def from_params(cls, params, environ=None):
        """A session from the connection options; invalid ones are raised by its first request.

        environ: the process environment for proxies and CA bundles (default os.environ).
        """
        return cls(VapixClient.from_params(params, environ=environ))

    def cached(self, key, read):
        if key not in self._cache:
            self._cache[key] = read()
        return self._cache[key]

    def invalidate(self, *keys):
        for key in keys:
            self._cache.pop(key, None)

    def forget(self):
        """Drop every cached read: after a failure or a restart nothing read before is trusted."""
        self._cache.clear()

    def view(self):
        """This session for a look-ahead pass: same client and reads, handed out as copies."""
        return SessionView(self)


def plain_copy(value):
    """A deep copy of data read from a device (dicts, lists and scalars), several times faster than
    copy.deepcopy, which a drift check calls a few dozen times per device. Anything else is
    shared, as deepcopy shares immutable values."""
    if isinstance(value, dict):
        return dict((key, plain_copy(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain_copy(item) for item in value]
    if isinstance(value, (set, tuple)) or not isinstance(value, (str, bytes, int, float, type(None))):
        return copy.deepcopy(value)
    return value


class SessionView:
    """A copy-on-read view of a DeviceSession, for check-mode passes inside a real run.

    What the pass reads is cached in the session (the real run reuses it), but every read is
    handed out as a deep copy, so a plan that edits what it read (e.g. assumes a camera created)
    leaves the session's reads as the device has them.
    """

    def __init__(self, session):
        self.session = session
        self.client = session.client
        self.caps = session.caps

    def cached(self, key, read):
        return plain_copy(self.session.cached(key, read))

    def invalidate(self, *keys):
        self.session.invalidate(*keys)

    def forget(self):
        self.session.forget()

    def view(self):
        return self
