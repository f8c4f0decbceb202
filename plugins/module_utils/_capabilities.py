# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a device is and what it can do, read lazily and at most once per run.

Nothing here is read up front: an idempotent run of a module should cost only the reads of
its resource. Identity and the API list are fetched when a decision or an error message
needs them.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    NotAStorageDevice,
    UnsupportedError,
    VapixError,
)

# The Disk management API's disk list: every Axis device with edge storage (SD card, disk,
# network share) has it, firmware 5.51 included; a device without it has no storage to manage.
DISK_LIST_CGI = "disks/list.cgi"

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
    "recording-group": "Recording group API",
}
FEATURE_NAMES = dict(
    API_NAMES,
    **{
        "disk-encryption": "disk encryption, part of the Disk properties API",
        "disk-health": "disk health, part of the Disk management API",
        "required-filesystem": "required file system, part of the Disk properties API",
        "auto-repair": "automatic disk repair (Storage.S#.AutoRepair)",
    },
)
# Features that are part of a larger API: the API discovery id that carries them.
FEATURE_APIS = {
    "disk-encryption": "disk-properties",
    "disk-health": "disk-management",
    "required-filesystem": "disk-properties",
    "auto-repair": "param-cgi",
}

# Parameter management groups of the identity, for firmware without basicdeviceinfo.cgi. Brand
# comes first: every firmware has it, and param.cgi fails a request whose first group is missing.
IDENTITY_PARAMS = ("Brand", "Properties.Firmware.Version", "Properties.System.SerialNumber")
# Parameters that count a camera's selectable video channels (media.cgi `camera`): image
# sources (sensors, encoder inputs) and views (which include view areas). The larger wins, so
# no channel the device offers is refused.
CHANNEL_PARAMS = ("ImageSource.NbrOfSources", "Properties.Image.NbrOfViews")

# What a module needs that not every firmware has: API discovery id -> the
# Properties.LocalStorage flag that tells the same on firmware without API discovery.
LOCAL_STORAGE_FLAGS = {
    "recording-storage-limit": "StorageLimit",
    "disk-encryption": "DiskEncryption",
    "disk-health": "DiskHealth",
    "required-filesystem": "RequiredFileSystem",
    "auto-repair": "AutoRepair",
}


def _version_key(version):
    """'2.10' > '2.9': versions compare by their numbers; text that is not a number sorts first."""
    key = []
    for part in str(version or "").split("."):
        key.append(int(part) if part.isdigit() else -1)
    return key


class Capabilities:
    def __init__(self, client):
        self.client = client
        self._apis = None
        self._identity = None
        self._local_storage = None
        self._channels = None

    @property
    def apis(self):
        """{api id: version} from apidiscovery.cgi; empty when the firmware predates it."""
        if self._apis is None:
            try:
                data = self.client.json_rpc("apidiscovery.cgi", "getApiList")
                apis = {}
                for api in data.get("apiList", []):
                    # AXIS OS 12 lists some ids twice (one entry per major version): keep the newest
                    api_id, version = api.get("id"), api.get("version")
                    if api_id not in apis or _version_key(version) > _version_key(apis[api_id]):
                        apis[api_id] = version
                self._apis = apis
            except (UnsupportedError, ApiError):
                self._apis = {}
        return self._apis

    @property
    def identity(self):
        """model, firmware, serial: from basicdeviceinfo.cgi, else param.cgi, else unknown.

        Firmware before AXIS OS 8.40 has no Basic device information API (404): there the
        Parameter management groups Brand and Properties name the same device.
        """
        if self._identity is None:
            identity = {"model": None, "firmware": None, "serial": None, "full_name": None, "source": None}
            try:
                try:
                    props = self.client.json_rpc("basicdeviceinfo.cgi", "getAllProperties").get("propertyList", {})
                except VapixError as exc:
                    # 2001: not authenticated yet (no 401 challenge was seen, e.g. only 404s so
                    # far); the unrestricted set is anonymous and still names the model.
                    if exc.code != 2001:
                        raise
                    props = self.client.json_rpc(
                        "basicdeviceinfo.cgi", "getAllUnrestrictedProperties", api_version="1.1"
                    ).get("propertyList", {})
                identity.update(
                    model=props.get("ProdNbr"),
                    firmware=props.get("Version"),
                    serial=props.get("SerialNumber"),
                    full_name=props.get("ProdFullName"),
                )
            except (UnsupportedError, ApiError, AuthError):
                pass  # no Basic device information API, or not for this user: param.cgi may tell
            if any(identity.values()):
                identity["source"] = "basicdeviceinfo.cgi"
            else:
                identity.update(self._param_identity())
            self._identity = identity
        return self._identity

    def _param_identity(self):
        """Identity from param.cgi (Brand.*, Properties.Firmware.Version, Properties.System.SerialNumber)."""
        try:
            values = self.client.param_list(list(IDENTITY_PARAMS))
        except (UnsupportedError, ApiError, AuthError):
            return {}
        short = values.get("Brand.ProdShortName") or ""
        found = {
            "model": values.get("Brand.ProdNbr")
            or (short[len("AXIS ") :] if short.startswith("AXIS ") else short)
            or None,
            "firmware": values.get("Properties.Firmware.Version") or None,
            "serial": values.get("Properties.System.SerialNumber") or None,
            "full_name": values.get("Brand.ProdFullName") or short or None,
        }
        if any(found.values()):
            found["source"] = "param.cgi"
        return found

    def describe(self):
        ident = self.identity
        name = ident.get("full_name") or ("AXIS %s" % ident["model"] if ident.get("model") else "the device")
        if ident.get("firmware"):
            name += " (firmware %s)" % ident["firmware"]
        return name

    def has(self, api_id):
        return api_id in self.apis

    def missing(self, api_id, purpose, cgi=None):
        return UnsupportedError(
            cgi or api_id,
            "%s has no %s, which is needed to %s" % (self.describe(), API_NAMES.get(api_id, api_id), purpose),
        )

    @property
    def local_storage(self):
        """Properties.LocalStorage.* (cameras); {} on devices without param.cgi (recorders).

        The same request asks for the video channel counts: a missing group only adds an
        error line, and adding a profile needs both.
        """
        if self._local_storage is None:
            try:
                values = self.client.param_list(["Properties.LocalStorage"] + list(CHANNEL_PARAMS))
            except UnsupportedError:
                values = {}
            counts = {}
            for name in CHANNEL_PARAMS:
                try:
                    counts[name] = int(values.pop(name))
                except (KeyError, ValueError):
                    continue
            self._channels = counts
            self._local_storage = dict(
                (k.split(".")[-1], v) for k, v in values.items() if k.startswith("Properties.LocalStorage.")
            )
        return self._local_storage

    def _channel_counts(self):
        """{param name: count} of CHANNEL_PARAMS that param.cgi answers (read with local_storage)."""
        if self._channels is None:
            try:
                self.local_storage  # noqa: B018  (the property's read fills the channel counts)
            except (ApiError, AuthError):
                self._channels = {}
        return self._channels

    @property
    def image_sources(self):
        """ImageSource.NbrOfSources: the sensors (or encoder inputs), or None where not readable."""
        return self._channel_counts().get("ImageSource.NbrOfSources")

    @property
    def video_channels(self):
        """How many video channels `camera` may select, or None where param.cgi does not tell."""
        counts = self._channel_counts()
        return max(counts.values()) if counts else None

    def supports(self, feature):
        """True / False where the device tells, None where it does not.

        API discovery answers for the APIs it lists. Properties.LocalStorage flags (param.cgi,
        cameras) answer for storage features, also on firmware without API discovery (before
        AXIS OS 8.50 it is a 404 page): firmware 5.51 lists no StorageLimit, DiskEncryption or
        DiskHealth, and a flag that is not listed is a feature the firmware does not have.
        """
        api_id = FEATURE_APIS.get(feature, feature)
        apis = self.apis
        if apis and api_id not in apis:
            return False
        flag = LOCAL_STORAGE_FLAGS.get(feature)
        if flag:
            try:
                local = self.local_storage
            except (ApiError, AuthError):
                local = {}
            if local:
                return local.get(flag, "no").strip().lower() == "yes"
        return True if apis else None

    def require_feature(self, feature, purpose, cgi=None):
        """Fail before any write where the device tells that it lacks the feature."""
        if self.supports(feature) is False:
            raise self.missing_feature(feature, purpose, cgi=cgi)

    def missing_feature(self, feature, purpose, cgi=None):
        api_id = FEATURE_APIS.get(feature, feature)
        if self.apis and api_id not in self.apis:
            return self.missing(api_id, purpose, cgi=cgi)
        text = "%s has no %s (param.cgi does not list Properties.LocalStorage.%s=yes), which is needed to %s" % (
            self.describe(),
            FEATURE_NAMES.get(feature, feature),
            LOCAL_STORAGE_FLAGS.get(feature),
            purpose,
        )
        return UnsupportedError(cgi or api_id, text)

    def storage_device_error(self):
        """None for an Axis device we are logged in to that has edge storage, else why not (kind "device").

        Asked when something came back "unsupported" (404) or nothing proved a login: a host that
        answers 404 to everything (another product, a plain web server at the device's address)
        would otherwise look like a device lacking every API. The proof of a login is a request
        the device challenged and answered once it had the credentials (see VapixClient.authenticated);
        if no read did that, the identity reads that need a user (basicdeviceinfo.cgi
        getAllProperties, else param.cgi Brand) are made. Firmware 5.51, which answers 404 to API
        discovery, logs in through param.cgi. A host that asked for the login and refused the
        credentials is left to the run's own authentication error. A device we are logged in to
        without the Disk management API's disk list has no storage at all. A failure of these
        reads themselves (the device stopped answering) is returned as it is.
        """
        client = self.client
        try:
            if not client.authenticated:
                self.identity  # noqa: B018  (the property's read logs in)
            if not client.authenticated and (client.auth_scheme or 401 in client.statuses().values()):
                return None  # it asked for the login and refused ours: the run's auth error says so
            if not client.authenticated:
                return NotAStorageDevice(
                    None,
                    "%s is not an Axis device this collection can log in to: it never asked "
                    "for the credentials of user %r and %s; check that the host and port name "
                    "the device (it may have been replaced, or be another product's web server)"
                    % (client.base_url, client.username, self._answers()),
                )
            if DISK_LIST_CGI not in client.statuses():
                try:
                    client.request(DISK_LIST_CGI, {"diskid": "all"})
                except UnsupportedError:
                    pass
        except VapixError as exc:
            return exc
        if client.statuses().get(DISK_LIST_CGI) == 404:
            return NotAStorageDevice(
                DISK_LIST_CGI,
                "%s has no Disk management API (404 Not Found), so it has no edge "
                "storage (SD card, disk or network share) to manage or report" % self.describe(),
            )
        return None

    def _answers(self, named=3):
        """What the host answered, by HTTP status: 'answered 404 to every request (disks/list.cgi, ...)'."""
        by_status = {}
        for cgi, status in self.client.statuses().items():  # in the order they were first asked
            by_status.setdefault(status, []).append(cgi)
        if not by_status:
            return "answered no request"

        def cgis(names):
            more = len(names) - named
            return ", ".join(names[:named]) + (" and %d more" % more if more > 0 else "")

        if list(by_status) == [404]:
            return "answered 404 Not Found to every request (%s)" % cgis(by_status[404])
        return "answered " + "; ".join(
            "%s to %s" % (status, cgis(names)) for status, names in sorted(by_status.items())
        )
