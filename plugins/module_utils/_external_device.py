# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cameras a recorder records from: External IP Device Information API.

`externalipdeviceinfo/*.cgi` with `schemaversion=2`, recorders only. list.cgi never returns the
password, so it can only be sent, never compared; when the address is sent the API wants the
username and password in the same request.
"""

import copy
import ipaddress
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._api import is_host_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    InputError,
    RefusedError,
    UnsupportedError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import list_profiles, remove_profile_step
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import update_password_decision
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

SCHEMA_VERSION = 2
API_ID = "ext-ip-dev-info"
PROTOCOLS = ("rtspt", "rtsph", "rtspsh")
CERT_VALIDATIONS = ("off", "standard", "limited")
# The only protocol that validates certificates (External IP Device Information API, create.cgi).
TLS_PROTOCOL = "rtspsh"

# module option -> (create/update argument, list.cgi element, value the device lists when unset)
FIELDS = (
    ("address", "address", "Address", ""),
    ("device_port", "port", "Port", 0),
    ("protocol", "protocol", "Protocol", "rtspt"),
    ("cert_validation", "certvalidation", "CertificateValidation", "off"),
    ("description", "description", "Description", ""),
    ("serial_number", "serialnumber", "Serialnumber", ""),
    ("device_username", "username", "Username", ""),
)
# Fields whose change reaches a recording only once it restarts (update.cgi semantics).
CONNECTION_FIELDS = ("address", "device_port", "protocol", "cert_validation", "device_username")

MAC_PATTERN = re.compile(r"^[0-9A-Fa-f]{2}([:-]?)(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$")
ALNUM_PATTERN = re.compile(r"^[A-Za-z0-9]+$")
# The id ends up inside a recording profile's options (`device=<id>`), where `&`, `=` and
# spaces would break the option string.
ID_FORBIDDEN = re.compile(r"[&=\s]")


def _text(node, key, default=""):
    value = node.get(key) if isinstance(node, dict) else None
    if value is None:
        return default
    return value.strip() if isinstance(value, str) else str(value)


def normalize_device(raw):
    """One `<Device>` of list.cgi as module-option names and typed values."""
    state = {"id": _text(raw, "Id")}
    for option, _arg, element, default in FIELDS:
        value = _text(raw, element, default="")
        if option == "device_port":
            try:
                value = int(value or 0)
            except ValueError:
                value = 0
        elif value == "" and default:
            value = default
        state[option] = value
    return state


def list_external_devices(device, purpose="manage the cameras a recorder records from"):
    """{id: device} from one list.cgi per session; on a camera, an error naming the model."""

    def read():
        try:
            doc = device.client.xml("externalipdeviceinfo/list.cgi", {"schemaversion": SCHEMA_VERSION})
        except UnsupportedError:
            raise device.caps.missing(API_ID, purpose, cgi="externalipdeviceinfo/list.cgi") from None
        devices = {}
        for raw in element_list(unwrap(doc), "ListDevicesSuccess", "Device"):
            found = normalize_device(raw)
            devices[found["id"]] = found
        return devices

    return device.cached("external_devices", read)


def read_events_enabled(device, dev_id):
    def read():
        doc = device.client.xml(
            "externalipdeviceinfo/geteventsenabled.cgi", {"schemaversion": SCHEMA_VERSION, "id": dev_id}
        )
        value = _text(element_list(unwrap(doc), "GetEventsEnabledSuccess")[0], "EventsEnabled")
        return value.lower() in ("yes", "enabled", "true")

    return device.cached("events:%s" % dev_id, read)


def profiles_using(device, dev_id):
    """Continuous recording profiles that pull from this external device."""
    return [p for p in list_profiles(device) if p["device"] == dev_id]


def describe_profiles(profiles):
    return ", ".join("%s (disk %s, event %s)" % (p["profile_id"], p["disk_id"], p["event_id"]) for p in profiles)


def valid_address(address):
    try:
        ipaddress.ip_address(address)
        return True
    except ValueError:
        return is_host_name(address)


def same_value(option, listed, given):
    """Equal as the camera sees it: MACs in any notation, host names in any case, IPv6 in any form."""
    if listed == given:
        return True
    if option == "serial_number" and MAC_PATTERN.match(listed or "") and MAC_PATTERN.match(given or ""):
        return re.sub("[:-]", "", listed).upper() == re.sub("[:-]", "", given).upper()
    if option == "address" and listed and given:
        try:
            return ipaddress.ip_address(listed) == ipaddress.ip_address(given)
        except ValueError:
            return listed.rstrip(".").lower() == given.rstrip(".").lower()
    return False


class ExternalDevice(Resource):
    result_key = "external_device"
    argument_spec = dict(
        id=dict(type="str", required=True),
        address=dict(type="str"),
        device_port=dict(type="int"),
        protocol=dict(type="str", choices=list(PROTOCOLS)),
        cert_validation=dict(type="str", choices=list(CERT_VALIDATIONS)),
        description=dict(type="str"),
        serial_number=dict(type="str"),
        device_username=dict(type="str"),
        device_password=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
        events_enabled=dict(type="bool"),
        remove_profiles=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.password_sent = False

    # --- input ---------------------------------------------------------------------------

    def validate(self):
        params = self.params
        dev_id = params["id"]
        if not dev_id or ID_FORBIDDEN.search(dev_id):
            raise InputError(
                None,
                "id=%r: give a non-empty id without spaces, '&' or '=' (it is used as "
                "device=<id> in recording options), for example front-door_1" % dev_id,
            )
        if params["state"] == "absent":
            return
        port = params.get("device_port")
        if port is not None and not 0 <= port <= 65535:
            raise InputError(
                None,
                "device_port=%s must be from 0 to 65535 (0 = the protocol's default port: rtspt 554, "
                "rtsph 80, rtspsh 443)" % port,
            )
        address = params.get("address")
        if address and not valid_address(address.strip()):
            raise InputError(None, "address=%r is not an IPv4 address, an IPv6 address or a host name" % address)
        serial = params.get("serial_number")
        if serial and not (MAC_PATTERN.match(serial) or ALNUM_PATTERN.match(serial)):
            raise InputError(
                None,
                "serial_number=%r must be a MAC address (AABBCCDDEEFF, AA:BB:CC:DD:EE:FF) or "
                "letters and digits only" % serial,
            )
        if params.get("device_password") is not None and params["device_password"] == "":
            raise InputError(None, "device_password is empty: give the camera account's password, or leave it out")
        if params.get("device_username") == "" and address:
            raise InputError(
                None, "device_username is empty but address is given: the API needs the camera account with an address"
            )

    # --- state ---------------------------------------------------------------------------

    def read(self):
        found = list_external_devices(self.device).get(self.params["id"])
        if found is None:
            return None
        state = copy.deepcopy(found)
        if self.params.get("events_enabled") is not None:
            state["events_enabled"] = read_events_enabled(self.device, found["id"])
        return state

    def desired(self, current):
        if self.params["state"] == "absent":
            return None
        if current is None:
            wanted = {"id": self.params["id"]}
            for option, _arg, _element, default in FIELDS:
                wanted[option] = default
        else:
            wanted = copy.deepcopy(current)
        for option, _arg, _element, _default in FIELDS:
            value = self.params.get(option)
            if value is None:
                continue
            if option == "address":
                value = value.strip()
            if current is not None and same_value(option, current[option], value):
                value = current[option]  # the device's spelling of the same thing is no change
            wanted[option] = value
        if self.params.get("events_enabled") is not None:
            wanted["events_enabled"] = self.params["events_enabled"]
        if wanted["cert_validation"] != "off" and wanted["protocol"] != TLS_PROTOCOL:
            self.warnings.append(
                "cert_validation=%s has no effect with protocol %s: only rtspsh (RTSP over "
                "HTTPS) validates certificates" % (wanted["cert_validation"], wanted["protocol"])
            )
        return wanted

    # --- plan ----------------------------------------------------------------------------

    def plan(self, current, desired):
        if desired is None:
            return self._plan_delete(current)
        if current is None:
            return self._plan_create(desired)
        return self._plan_update(current, desired)

    def _base_args(self):
        return {"schemaversion": SCHEMA_VERSION, "id": self.params["id"]}

    def _plan_create(self, desired):
        params = self.params
        dev_id = params["id"]
        if desired["address"] and not (params.get("device_username") and params.get("device_password")):
            raise InputError(
                None,
                "id=%s does not exist yet and address=%s is given: creating it needs the camera "
                "account, device_username and device_password (the API requires them with an "
                "address)" % (dev_id, desired["address"]),
            )
        args = self._base_args()
        shown = []
        for option, arg, _element, _default in FIELDS:
            if params.get(option) is not None:
                args[arg] = desired[option]
                shown.append("%s=%s" % (option, desired[option]))
        if params.get("device_password"):
            args["password"] = params["device_password"]
            args.setdefault("username", params.get("device_username") or "")
            self.password_sent = True
            shown.append("device_password set")

        def create():
            self.client.xml("externalipdeviceinfo/create.cgi", args, write=True, method="POST")
            self.device.invalidate("external_devices")

        steps = [Step("create", "create external device %s (%s)" % (dev_id, ", ".join(shown) or "id only"), create)]
        steps.extend(self._events_steps(None, desired))
        return steps

    def _plan_update(self, current, desired):
        params = self.params
        dev_id = params["id"]
        changed = [
            option
            for option, _a, _e, _d in FIELDS
            if params.get(option) is not None and desired[option] != current[option]
        ]
        args = self._base_args()
        details = []
        for option, arg, _element, _default in FIELDS:
            if option in changed:
                args[arg] = desired[option]
                details.append("%s %r -> %r" % (option, current[option], desired[option]))
        password = params.get("device_password")
        needs_password = []
        if "address" in changed and desired["address"]:
            needs_password.append("address changes from %r to %r" % (current["address"], desired["address"]))
        if "device_username" in changed and desired["device_username"]:
            needs_password.append(
                "device_username changes from %r to %r" % (current["device_username"], desired["device_username"])
            )
        if needs_password and not password:
            raise InputError(
                None,
                "external device %s: %s, and the API needs the camera account's username and "
                "password in the same request; the password is write-only (it cannot be read back), "
                "so give device_password" % (dev_id, " and ".join(needs_password)),
            )
        decision = update_password_decision(params, "device_password", True, "external device")
        send_password = bool(needs_password) or bool(decision and decision[0])
        if send_password:
            if not desired["device_username"]:
                raise InputError(
                    None,
                    "external device %s: device_password is given but the device has no username "
                    "and device_username is not given" % dev_id,
                )
            args["username"] = desired["device_username"]
            args["password"] = password
            self.password_sent = True
            details.append(
                "device_password sent (write-only: %s)"
                % ("required with the new address/username" if needs_password else "update_password=always")
            )
        steps = []
        if len(args) > 2:

            def update():
                self.client.xml("externalipdeviceinfo/update.cgi", args, write=True, retry_write=True, method="POST")
                self.device.invalidate("external_devices")

            steps.append(Step("update", "update external device %s: %s" % (dev_id, "; ".join(details)), update))
            if any(option in changed for option in CONNECTION_FIELDS) or send_password:
                users = profiles_using(self.device, dev_id)
                if users:
                    self.warnings.append(
                        "external device %s is recorded by continuous recording profile(s) %s: the "
                        "change reaches those recordings only after they restart (replace the profile "
                        "or restart the recorder)" % (dev_id, describe_profiles(users))
                    )
        steps.extend(self._events_steps(current, desired))
        return steps

    def _events_steps(self, current, desired):
        wanted = self.params.get("events_enabled")
        if wanted is None or (current is not None and current.get("events_enabled") == wanted):
            return []
        dev_id = self.params["id"]
        args = self._base_args()
        args["enabled"] = "yes" if wanted else "no"

        def set_events():
            self.client.xml("externalipdeviceinfo/seteventsenabled.cgi", args, write=True, retry_write=True)
            self.device.invalidate("events:%s" % dev_id)

        what = "enable" if wanted else "disable"
        return [Step("seteventsenabled", "%s the camera's event subscription for %s" % (what, dev_id), set_events)]

    def _plan_delete(self, current):
        if current is None:
            return []
        dev_id = self.params["id"]
        users = profiles_using(self.device, dev_id)
        if users and not self.params["remove_profiles"]:
            raise RefusedError(
                None,
                "external device %s is recorded by continuous recording profile(s) %s; deleting it "
                "would leave them recording nothing. Nothing was changed: set remove_profiles=true "
                "to remove those profiles too (their recordings stay on the disk)" % (dev_id, describe_profiles(users)),
            )
        steps = []
        for profile in users:
            steps.append(self._remove_profile_step(profile))

        def delete():
            self.client.xml("externalipdeviceinfo/delete.cgi", self._base_args(), write=True)
            self.device.invalidate("external_devices", "events:%s" % dev_id)

        steps.append(
            Step(
                "delete",
                "delete external device %s (address %r)" % (dev_id, current["address"]),
                delete,
                destructive=bool(users),
            )
        )
        return steps

    def _remove_profile_step(self, profile):
        return remove_profile_step(
            self,
            profile,
            "remove continuous recording profile %s (disk %s, event %s), which "
            "records from %s; its recordings stay on the disk"
            % (profile["profile_id"], profile["disk_id"], profile["event_id"], self.params["id"]),
            destructive=True,
        )

    def diff_headers(self):
        if not self.password_sent:
            return {}
        # The password never appears in before/after, so the header is where the diff says so.
        return {
            "after_header": "external device %s (device_password is sent: it is write-only and cannot be "
            "compared)" % self.params["id"]
        }

    def unverified_secrets(self, result):
        return self.unverified_password("device_password", self.password_sent)
