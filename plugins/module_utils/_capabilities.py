# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a device is and what it can do, read lazily and at most once per run.

Nothing here is read up front: an idempotent run of a module should cost only the reads of
its resource. Identity and the API list are fetched when a decision or an error message
needs them.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixError

# API discovery ids (see docs/spec-choices) of the APIs the modules use.
API_NAMES = {
    "disk-management": "Disk management API",
    "disk-properties": "Disk properties API",
    "disk-network-share": "Network share API",
    "recording": "Recording API",
    "recording-storage-limit": "Recording storage limit API",
    "ext-ip-dev-info": "External IP Device Information API",
    "param-cgi": "Parameter management (param.cgi)",
    "basic-device-info": "Basic device information API",
}


class Capabilities(object):
    def __init__(self, client):
        self.client = client
        self._apis = None
        self._identity = None
        self._local_storage = None

    @property
    def apis(self):
        """{api id: version} from apidiscovery.cgi; empty when the firmware predates it."""
        if self._apis is None:
            try:
                data = self.client.json_rpc("apidiscovery.cgi", "getApiList")
                self._apis = dict((api.get("id"), api.get("version")) for api in data.get("apiList", []))
            except VapixError as exc:
                if exc.kind not in ("unsupported", "api"):
                    raise
                self._apis = {}
        return self._apis

    @property
    def identity(self):
        """model, firmware, serial: from basicdeviceinfo.cgi, else param.cgi, else unknown."""
        if self._identity is None:
            identity = {"model": None, "firmware": None, "serial": None, "full_name": None}
            try:
                try:
                    props = self.client.json_rpc("basicdeviceinfo.cgi", "getAllProperties").get("propertyList", {})
                except VapixError as exc:
                    # 2001: not authenticated yet (no 401 challenge was seen, e.g. only 404s so
                    # far); the unrestricted set is anonymous and still names the model.
                    if exc.code != 2001:
                        raise
                    props = self.client.json_rpc("basicdeviceinfo.cgi", "getAllUnrestrictedProperties",
                                                 api_version="1.1").get("propertyList", {})
                identity.update(model=props.get("ProdNbr"), firmware=props.get("Version"),
                                serial=props.get("SerialNumber"), full_name=props.get("ProdFullName"))
            except VapixError as exc:
                if exc.kind not in ("unsupported", "api", "auth"):
                    raise
            self._identity = identity
        return self._identity

    def describe(self):
        ident = self.identity
        name = ident.get("full_name") or ("AXIS %s" % ident["model"] if ident.get("model") else "the device")
        if ident.get("firmware"):
            name += " (firmware %s)" % ident["firmware"]
        return name

    def has(self, api_id):
        return api_id in self.apis

    def require(self, api_id, purpose):
        """Fail with a sentence naming the device, its firmware and what is missing."""
        if not self.has(api_id):
            raise self.missing(api_id, purpose)

    def missing(self, api_id, purpose, cgi=None):
        return VapixError(cgi or api_id, "%s has no %s, which is needed to %s"
                          % (self.describe(), API_NAMES.get(api_id, api_id), purpose), kind="unsupported")

    @property
    def local_storage(self):
        """Properties.LocalStorage.* (cameras); {} on devices without param.cgi (recorders)."""
        if self._local_storage is None:
            try:
                values = self.client.param_list(["Properties.LocalStorage"])
            except VapixError as exc:
                if exc.kind != "unsupported":
                    raise
                values = {}
            self._local_storage = dict((k.split(".")[-1], v) for k, v in values.items())
        return self._local_storage
