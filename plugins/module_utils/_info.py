# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything a device stores recordings with, read and never written (axis_storage_info).

Each subset of `gather_subset` is served by the read helpers the other resources use, through
the session's cache, so a task that composes this with them reads nothing twice. The only
reads of its own are the per-disk ones no other resource needs in full: the disk capabilities
(getcapabilities.cgi) and the health of all disks (gethealth.cgi, one request).

What a device lacks (a camera has no external devices, a recorder no param.cgi, old firmware
no health API) is not an error: the field is null and `unavailable` says why. Missing APIs are
skipped without a request when API discovery already tells.
"""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._capabilities import (
    DISK_LIST_CGI,
    FEATURE_APIS,
    LOCAL_STORAGE_FLAGS,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import list_disks, read_disk_capabilities
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError, InputError, UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    API_ID as EXTERNAL_DEVICE_API,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    list_external_devices,
    read_events_enabled,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import list_profiles
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import list_recording_groups
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_list import (
    LIST_CGI as RECORDING_LIST_CGI,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_list import (
    read_disk_recordings,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import list_recording_rules
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Runnable
from ansible_collections.vapix.edge_storage.plugins.module_utils._schedules import list_schedules
from ansible_collections.vapix.edge_storage.plugins.module_utils._shares import disk_mount_options, list_shares
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import read_limits
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import to_int
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

SUBSETS = (
    "identity",
    "capabilities",
    "disks",
    "health",
    "network_shares",
    "storage_limits",
    "recording_profiles",
    "external_devices",
    "recording_groups",
    "recording_schedules",
    "recording_rules",
)
# Asked for by name only, never by `all`: one request per mounted disk (Recording API), needed
# by the health report and nothing else.
OPT_IN_SUBSETS = ("recordings",)
# Reads that need a user come first: the first of them negotiates authentication, so the JSON
# APIs that some firmware also answers anonymously (with less) are then asked as that user.
# External devices come last: whether to ask depends on API discovery (read by capabilities).
READ_ORDER = (
    "disks",
    "health",
    "network_shares",
    "storage_limits",
    "recording_profiles",
    "recording_groups",
    "recording_schedules",
    "recording_rules",
    "capabilities",
    "identity",
    "external_devices",
    "recordings",
)
# gethealth.cgi: negative values are codes, not measurements (Disk management API, "Get disk health").
HEALTH_CODES = {-1: "not supported", -2: "read error", -3: "disk not present"}
# overallhealth 1 = PASSED, 0 = FAIL: returned as a boolean, since Ansible masks no_log values
# inside result strings and a short device password could mangle a word such as "passed".
OVERALL_PASSED = {0: False, 1: True}
# A whole API missing (404) is a fact about the device; for per-disk or per-camera details an
# API error of that one item (e.g. a disk that cannot answer) is reported, not fatal.
MISSING = (UnsupportedError,)
DETAIL = (UnsupportedError, ApiError)
# capabilities.features: result name -> feature (API discovery id or a Properties.LocalStorage feature)
FEATURES = (
    ("disk_management", "disk-management"),
    ("disk_properties", "disk-properties"),
    ("network_share", "disk-network-share"),
    ("recording", "recording"),
    ("storage_limit", "recording-storage-limit"),
    ("disk_encryption", "disk-encryption"),
    ("disk_health", "disk-health"),
    ("basic_device_info", "basic-device-info"),
    ("external_devices", "ext-ip-dev-info"),
)


def select_subsets(values):
    """gather_subset -> the subsets to read, in SUBSETS order.

    As Ansible's own gather_subset: `all` or names add, `!name` / `!all` leave out, and a list
    of exclusions only starts from everything.
    """
    include, exclude = set(), set()
    for raw in values or []:
        text = str(raw).strip()
        negate = text.startswith("!")
        name = text[1:].strip() if negate else text
        if name == "all":
            names = set(SUBSETS)
        elif name in SUBSETS + OPT_IN_SUBSETS:
            names = {name}
        else:
            raise InputError(
                None,
                "gather_subset: unknown subset %r; use all, %s, each optionally prefixed with ! "
                "to leave it out" % (text, ", ".join(SUBSETS + OPT_IN_SUBSETS)),
            )
        (exclude if negate else include).update(names)
    texts = [str(raw).strip() for raw in values or []]
    positive = [t for t in texts if not t.startswith("!") and t not in OPT_IN_SUBSETS]
    # Only exclusions (opt-in names aside) start from everything; opt-in names alone are just those.
    if not positive and (any(t.startswith("!") for t in texts) or not texts):
        include |= set(SUBSETS)
    selected = include - exclude
    if not selected:
        raise InputError(
            None,
            "gather_subset=%s leaves nothing to read; name at least one of all, %s"
            % (",".join(str(v) for v in values), ", ".join(SUBSETS)),
        )
    return [name for name in SUBSETS + OPT_IN_SUBSETS if name in selected]


def _typed(value):
    """A Properties.LocalStorage value: yes/no as booleans, whole numbers as integers."""
    text = str(value).strip()
    if text.lower() in ("yes", "no"):
        return text.lower() == "yes"
    if text.isdigit():
        return int(text)
    return text


def normalize_health(row):
    """One `<HealthStatus>`: measurements, with the negative codes moved to `unavailable`."""
    health = {"wear": None, "temperature": None, "overall_health_passed": None, "unavailable": {}}
    for field, attribute in (
        ("wear", "@wear"),
        ("temperature", "@temperature"),
        ("overall_health_passed", "@overallhealth"),
    ):
        value = to_int(row.get(attribute))
        if value is None:
            continue  # not reported (SD cards give wear only; older firmware no temperature)
        if value < 0:
            health["unavailable"][field] = HEALTH_CODES.get(value, "code %d" % value)
        elif field == "overall_health_passed":
            health[field] = OVERALL_PASSED.get(value)
            if health[field] is None:
                health["unavailable"][field] = "code %d" % value
        else:
            health[field] = value
    return health


def read_health(device):
    """{disk_id: health} of every disk from one gethealth.cgi (it has no disk argument)."""

    def read():
        body = unwrap(device.client.xml("disks/gethealth.cgi"))
        # The examples list HealthStatus under the root, the schema under HealthStatusSuccess.
        rows = element_list(body, "HealthStatusSuccess", "HealthStatus") or element_list(body, "HealthStatus")
        return dict(
            (row.get("@diskid"), normalize_health(row)) for row in rows if isinstance(row, dict) and row.get("@diskid")
        )

    return copy.deepcopy(device.cached("health", read))


class StorageInfo(Runnable):
    """Read what `gather_subset` names; `changed` is always false and nothing is ever written.

    Check mode makes no difference: the same reads either way.
    """

    argument_spec = dict(
        gather_subset=dict(type="list", elements="str", default=["all"]),
    )
    result_key = "storage_info"

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.subsets = None
        self.unavailable = {}
        self.missing_cgis = {}  # cgi -> where it was found missing: asked once, not per disk
        self._disk_reader = Disk(device, {}, check_mode=True)

    # --- error policy --------------------------------------------------------------------

    def attempt(self, where, read, *args, tolerate=MISSING, cgi=None):
        """read(*args), or None with the reason under unavailable[where] for the tolerated errors."""
        if cgi is not None and cgi in self.missing_cgis:
            # The first answer names the disk it was asked for; this entry is another one's.
            self.unavailable[where] = "%s is missing on this device, so it was not asked again (see %s)" % (
                cgi,
                self.missing_cgis[cgi],
            )
            return None
        try:
            return read(*args)
        except tolerate as exc:
            reason = self.client.secrets.mask(str(exc))
            if isinstance(exc, UnsupportedError) and cgi is not None:
                self.missing_cgis[cgi] = where
            self.unavailable[where] = reason
            return None

    def api_absent(self, api_id):
        """True when API discovery answered and does not list api_id (so no request is needed)."""
        apis = self.device.caps.apis
        return bool(apis) and api_id not in apis

    # --- the subsets ---------------------------------------------------------------------

    def read_identity(self):
        identity = dict(self.device.caps.identity)
        if not any(identity.values()):
            self.unavailable["identity"] = (
                "neither basicdeviceinfo.cgi nor param.cgi (Brand, Properties.Firmware) "
                "gave an identity (the user may not read them)"
            )
            return None
        return identity

    def read_capabilities(self):
        apis = dict(self.device.caps.apis)
        if not apis:
            self.unavailable["capabilities.apis"] = (
                "apidiscovery.cgi is not available (firmware before AXIS OS 8.50, or it refused the request)"
            )
        local = self.read_local_storage()
        return {
            "apis": apis or None,
            "local_storage": local,
            "features": self.read_features(local),
            "video_channels": self.device.caps.video_channels if local is not None else None,
            "image_sources": self.device.caps.image_sources if local is not None else None,
        }

    def read_features(self, local):
        """What the modules can use on this firmware: True, False, or None where the device does not tell.

        From what was read already (API discovery, Properties.LocalStorage): no request of its own.
        """
        caps = self.device.caps
        features = {"api_discovery": bool(caps.apis)}
        for name, feature in FEATURES:
            if feature in LOCAL_STORAGE_FLAGS and local is None:
                # no param.cgi (recorders): only API discovery tells
                features[name] = (FEATURE_APIS.get(feature, feature) in caps.apis) if caps.apis else None
            else:
                features[name] = caps.supports(feature)
        return features

    def read_local_storage(self):
        where = "capabilities.local_storage"
        if self.api_absent("param-cgi"):
            self.unavailable[where] = (
                "the device has no param.cgi (API discovery does not list param-cgi), which "
                "holds Properties.LocalStorage; recorders have none"
            )
            return None
        values = self.attempt(where, lambda: self.device.caps.local_storage, tolerate=DETAIL)
        if values is None:
            return None
        if not values:
            self.unavailable[where] = "param.cgi lists no Properties.LocalStorage parameters"
            return None
        return dict((name, _typed(value)) for name, value in sorted(values.items()))

    def read_disks(self):
        disks = self.attempt("disks", list_disks, self.device)
        if disks is None:
            return None
        entries = {}
        for disk_id, disk in disks.items():
            entry = copy.deepcopy(disk)
            entry["capabilities"] = self.attempt(
                "disks.%s.capabilities" % disk_id,
                read_disk_capabilities,
                self.device,
                disk_id,
                tolerate=DETAIL,
                cgi="disks/getcapabilities.cgi",
            )
            entry["alert_levels"] = self.attempt(
                "disks.%s.alert_levels" % disk_id,
                self._disk_reader.read_alert_levels,
                disk,
                tolerate=DETAIL,
                cgi="disks/properties/getdiskalertlevels.cgi",
            )
            entries[disk_id] = entry
        return entries

    def add_health(self, entries):
        """Health of every disk, into the disk entries (made for disks the list did not give)."""
        health = self.attempt("health", read_health, self.device)
        entries = entries if entries is not None else {}
        for disk_id, entry in entries.items():
            entry["health"] = None if health is None else health.get(disk_id)
            if health is not None and disk_id not in health:
                self.unavailable["disks.%s.health" % disk_id] = "gethealth.cgi does not list this disk"
        for disk_id, values in (health or {}).items():
            if disk_id not in entries:
                entries[disk_id] = {"disk_id": disk_id, "health": values}
        return entries

    def read_network_shares(self):
        shares = self.attempt("network_shares", list_shares, self.device)
        if shares is None:
            return None
        entries = {}
        for share_id, share in shares.items():
            entries[share_id] = dict(share, bound=share["disk_id"] is not None)
            if share["disk_id"] is not None:
                # SMB mount options of the bound share's disk (param.cgi, cameras); null elsewhere
                entries[share_id]["mount_options"] = self.attempt(
                    "network_shares.%s.mount_options" % share_id,
                    disk_mount_options,
                    self.device,
                    share["disk_id"],
                    tolerate=DETAIL,
                )
        return entries

    def read_storage_limits(self):
        return self.copied("storage_limits", read_limits)

    def read_recording_profiles(self):
        return self.copied("recording_profiles", list_profiles)

    def read_recording_groups(self):
        """Every recording group (Recording group API, AXIS OS 12), by id; durations in seconds."""
        groups = self.copied("recording_groups", list_recording_groups)
        return [groups[group_id] for group_id in sorted(groups)] if groups is not None else None

    def read_recording_schedules(self):
        """Every schedule (predefined ones flagged), in declaration terms (Event and action services)."""
        return self.copied("recording_schedules", list_schedules)

    def read_recording_rules(self):
        """The rules that record to storage, in declaration terms; rules with other actions are not listed."""
        return self.copied("recording_rules", list_recording_rules)

    def copied(self, where, read):
        """A read the resources share through the session: a copy, so the result never edits the cache."""
        found = self.attempt(where, read, self.device)
        return copy.deepcopy(found) if found is not None else None

    def read_external_devices(self):
        if self.api_absent(EXTERNAL_DEVICE_API):
            self.unavailable["external_devices"] = (
                "the device has no External IP Device Information API (API discovery does not list %s); "
                "only recorders record from other cameras" % EXTERNAL_DEVICE_API
            )
            return None
        found = self.attempt(
            "external_devices", list_external_devices, self.device, "list the cameras a recorder records from"
        )
        if found is None:
            return None
        entries = {}
        for dev_id in sorted(found):
            entry = copy.deepcopy(found[dev_id])
            entry["events_enabled"] = self.attempt(
                "external_devices.%s.events_enabled" % dev_id,
                read_events_enabled,
                self.device,
                dev_id,
                tolerate=DETAIL,
                cgi="externalipdeviceinfo/geteventsenabled.cgi",
            )
            entries[dev_id] = entry
        return entries

    def read_recordings(self):
        """{disk_id: {count, oldest_start}} of the mounted disks (the device lists only those)."""
        disks = self.attempt("recordings", list_disks, self.device)
        if disks is None:
            return None
        entries = {}
        for disk_id in sorted(disks):
            if not disks[disk_id]["mounted"]:
                reason = (
                    "the disk is not mounted (status %r): the device lists recordings of mounted disks only"
                    % disks[disk_id]["status"]
                )
                self.unavailable["recordings.%s" % disk_id] = reason
                entries[disk_id] = None
                continue
            entries[disk_id] = self.attempt(
                "recordings.%s" % disk_id,
                read_disk_recordings,
                self.device,
                disk_id,
                tolerate=DETAIL,
                cgi=RECORDING_LIST_CGI,
            )
        return entries

    def confirm_device(self):
        """Fail where the host is no Axis device we are logged in to, or has no disk list at all.

        Everything a device lacks is tolerated above (null, with the reason in `unavailable`), so
        a host answering 404 to every request would otherwise come back as a device without disks.
        Checked where the disk list is missing, where it was read without a login (a device asks
        for one), or where nothing at all was answered with 200; the anonymous reads of a narrow
        gather_subset (API discovery) need no login.
        """
        client = self.client
        statuses = client.statuses()
        no_disk_list = "disks" in self.unavailable or "recordings" in self.unavailable
        listed_anonymously = DISK_LIST_CGI in statuses and not client.authenticated
        if not (no_disk_list or listed_anonymously or (statuses and 200 not in statuses.values())):
            return
        problem = self.device.caps.storage_device_error()
        if problem is not None:
            raise problem

    # --- the run -------------------------------------------------------------------------

    def validate(self):
        self.subsets = select_subsets(self.params.get("gather_subset"))

    def apply(self, diff):
        subsets = self.subsets
        read = {}
        for name in READ_ORDER:
            if name == "health" and name in subsets:
                read["disks"] = self.add_health(read.get("disks"))
            elif name in subsets:
                read[name] = getattr(self, "read_%s" % name)()
        self.confirm_device()
        info = {"gathered": subsets}
        for name in SUBSETS + OPT_IN_SUBSETS:
            if name in read:
                info[name] = read[name]
        info["unavailable"] = self.unavailable
        return {"changed": False, self.result_key: info}
