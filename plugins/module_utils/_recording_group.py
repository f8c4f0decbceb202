# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording groups (Recording group API, AXIS OS 12): record/recording_group/{list,create,
update,delete}.cgi.

A group is a destination that recording actions (the action1 template
com.axis.action.unlimited.recording_group.storage) record into, with its own stream options,
pre- and post-event time and retention. Its disk is fixed once created: another disk is a
delete and a create, and deleting a group deletes its recordings, so every deletion needs
allow_data_loss=true. A group that a rule records to is never deleted (the device refuses it
too, error 310): the error names the rules.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import get_disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    InputError,
    RefusedError,
    UnsupportedError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import check_camera_channel
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import (
    _seconds,
    check_event_seconds,
    comparable_options,
    list_rules,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    CAMERA_OPTION,
    differences,
    format_options,
    parse_options,
    validate_stream_options,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import to_int
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

API_ID = "recording-group"
SCHEMA_VERSION = 1
CGI = "record/recording_group/%s.cgi"
# recordinggroupid: letters, digits, '_' and '-', at most 50 (Recording group API, create.cgi).
ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
MAX_ID_LENGTH = 50
# Ten years of retention: more is a typo (hours taken for minutes or days).
MAX_RETENTION_HOURS = 24 * 365 * 10
# The settings a declaration sets: compared, shown in the diff, and sent by create/update.
# option -> (create/update argument, list.cgi attribute)
FIELDS = (
    ("nice_name", "nicename", "NiceName"),
    ("description", "description", "Description"),
    ("retention_hours", "retentiontime", "RetentionTime"),
    ("stream_options", "streamoptions", "StreamOptions"),
    ("pre_seconds", "preduration", "PreDuration"),
    ("post_seconds", "postduration", "PostDuration"),
)
# What create.cgi gives a setting it is not sent.
DEVICE_DEFAULTS = {
    "nice_name": "",
    "description": "",
    "retention_hours": 0,
    "stream_options": {},
    "pre_seconds": 0,
    "post_seconds": 0,
}


def _group(raw):
    """One <RecordingGroup> of list.cgi in option terms (durations in seconds)."""

    def attr(name):
        value = raw.get("@" + name, raw.get(name))
        return value if value is not None else ""

    retention = attr("RetentionTime") or 0
    return {
        "id": attr("RecordingGroupId"),
        "nice_name": attr("NiceName"),
        "description": attr("Description"),
        "disk_id": attr("DiskId"),
        "retention_hours": to_int(retention, retention),  # text the device may send is kept
        "stream_options": dict(parse_options(attr("StreamOptions"))),
        "pre_seconds": _seconds(attr("PreDuration") or 0),
        "post_seconds": _seconds(attr("PostDuration") or 0),
    }


def list_recording_groups(device, purpose="manage recording groups"):
    """{group id: group} from one list.cgi per session; firmware without the API fails naming
    the model, the firmware and the missing Recording group API."""

    def read():
        try:
            doc = device.client.xml(CGI % "list", {"schemaversion": SCHEMA_VERSION})
        except UnsupportedError:
            raise device.caps.missing(API_ID, purpose, cgi=CGI % "list") from None
        groups = {}
        for raw in element_list(unwrap(doc), "ListSuccess", "RecordingGroups", "RecordingGroup"):
            if isinstance(raw, dict):
                group = _group(raw)
                groups[group["id"]] = group
        return groups

    return device.cached("recording_groups", read)


def rules_recording_to(device, group_id):
    """The action rules whose recording action records into this group: [(rule id, name)]."""
    return [(rule["rule_id"], rule["name"]) for rule in list_rules(device) if rule.get("recording_group") == group_id]


def describe_rules(rules):
    return ", ".join("%r (rule %s)" % (name, rule_id) for rule_id, name in rules)


class RecordingGroup(Resource):
    result_key = "recording_group"
    argument_spec = dict(
        id=dict(type="str", required=True),
        nice_name=dict(type="str"),
        description=dict(type="str"),
        disk_id=dict(type="str"),
        retention_hours=dict(type="int"),
        stream_options=dict(type="dict"),
        pre_seconds=dict(type="int"),
        post_seconds=dict(type="int"),
        allow_data_loss=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module_kwargs = dict(required_if=[("state", "present", ("disk_id",))])

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.options = None
        self.recreated = None
        # what a whole-device declaration does to rules before it deletes this group (DeviceStorage._assumed)
        self.assumed = params.get("_assumed") or {}

    # --- input ---------------------------------------------------------------------------

    def validate(self):
        params = self.params
        group_id = params.get("id")
        if not group_id or len(group_id) > MAX_ID_LENGTH or set(group_id) - ID_CHARS:
            raise InputError(
                None,
                "id=%r must be 1 to %s letters, digits, '_' or '-' (the device's recordinggroupid), "
                "for example motion_sd" % (group_id, MAX_ID_LENGTH),
            )
        options = params.get("stream_options")
        self.options = validate_stream_options(options) if options is not None else None
        check_event_seconds(params)
        retention = params.get("retention_hours")
        if retention is not None and not 0 <= retention <= MAX_RETENTION_HOURS:
            raise InputError(
                None,
                "retention_hours=%s must be from 0 (keep until the disk's cleanup removes them) to %s "
                "hours" % (retention, MAX_RETENTION_HOURS),
            )
        if params["state"] == "present" and not (params.get("disk_id") or "").strip():
            raise InputError(
                None, "disk_id is empty: give the disk the group records to, for example SD_DISK or NetworkShare"
            )

    # --- state ---------------------------------------------------------------------------

    def read(self):
        found = list_recording_groups(self.device).get(self.params["id"])
        return dict(found, state="present") if found is not None else None

    def _declared(self):
        """The declared settings (None: not declared, keep the device's)."""
        params = self.params
        return {
            "nice_name": params.get("nice_name"),
            "description": params.get("description"),
            "retention_hours": params.get("retention_hours"),
            "stream_options": self.options,
            "pre_seconds": params.get("pre_seconds"),
            "post_seconds": params.get("post_seconds"),
        }

    def _same(self, field, current, wanted):
        if field == "stream_options":
            return comparable_options(current) == comparable_options(wanted)
        return current == wanted

    def desired(self, current):
        if self.params["state"] == "absent":
            return None
        moved = current is not None and current["disk_id"] != self.params["disk_id"]
        base = DEVICE_DEFAULTS if current is None or moved else current
        wanted = {"id": self.params["id"], "disk_id": self.params["disk_id"], "state": "present"}
        for field, value in self._declared().items():
            if value is None or (current is not None and not moved and self._same(field, current[field], value)):
                value = base[field]
            wanted[field] = dict(value) if isinstance(value, dict) else value
        return wanted

    # --- plan ----------------------------------------------------------------------------

    def plan(self, current, desired):
        if desired is None:
            return self._delete_steps(current, "state=absent") if current is not None else []
        if current is None:
            return [self._create_step(desired)]
        if current["disk_id"] != desired["disk_id"]:
            self.recreated = current["disk_id"]
            why = "disk_id %s -> %s: a group's disk cannot be changed, so it is deleted and created again" % (
                current["disk_id"],
                desired["disk_id"],
            )
            return self._delete_steps(current, why) + [self._create_step(desired)]
        changed = [field for field, _arg, _attr in FIELDS if not self._same(field, current[field], desired[field])]
        return [self._update_step(current, desired, changed)] if changed else []

    def _args(self, desired, fields):
        args = {"schemaversion": SCHEMA_VERSION, "recordinggroupid": desired["id"]}
        for field, arg, _attr in FIELDS:
            if field not in fields:
                continue
            value = desired[field]
            if field == "stream_options":
                value = format_options(None, value)
            elif field in ("pre_seconds", "post_seconds"):
                value = int(value * 1000)
            args[arg] = value
        return args

    def _check_destination(self, desired):
        """The disk and the video channel, checked before any write."""
        get_disk(self.device, desired["disk_id"])
        if self.options:
            check_camera_channel(self.device, self.options.get(CAMERA_OPTION), option="stream_options.camera")

    def _create_step(self, desired):
        self._check_destination(desired)
        args = self._args(desired, [f for f, _a, _t in FIELDS if desired[f] != DEVICE_DEFAULTS[f]])
        args["diskid"] = desired["disk_id"]

        def create():
            doc = self.client.xml(CGI % "create", args, write=True)
            self.device.invalidate("recording_groups")
            created = element_list(unwrap(doc), "CreateSuccess")
            return "group %s" % (created[0].get("@RecordingGroupId") if created else desired["id"])

        shown = ", ".join("%s=%s" % (f, _shown(desired[f])) for f, _a, _t in FIELDS if desired[f] != DEVICE_DEFAULTS[f])
        return Step(
            "create",
            "create recording group %s on disk %s%s"
            % (desired["id"], desired["disk_id"], " (%s)" % shown if shown else ""),
            create,
        )

    def _update_step(self, current, desired, changed):
        if "stream_options" in changed:
            check_camera_channel(self.device, (self.options or {}).get(CAMERA_OPTION), option="stream_options.camera")
        args = self._args(desired, changed)

        def update():
            self.client.xml(CGI % "update", args, write=True, retry_write=True)
            self.device.invalidate("recording_groups")

        details = []
        for field in changed:
            if field == "stream_options":
                details.append(
                    "stream_options %s (an ongoing recording restarts)" % differences(current[field], desired[field])
                )
            else:
                details.append("%s %r -> %r" % (field, current[field], desired[field]))
        return Step("update", "update recording group %s: %s" % (desired["id"], "; ".join(details)), update)

    def _delete_steps(self, current, why):
        group_id = current["id"]
        users = [
            (rule_id, name)
            for rule_id, name in rules_recording_to(self.device, group_id)
            if not self._released(name, group_id)
        ]
        if users:
            raise InputError(
                None,
                "id=%s: recording group %s cannot be deleted (%s): the recording rule%s %s still record%s "
                "to it. Nothing was changed; remove the rule%s first (axis_recording_rule state=absent) "
                "or point %s at another destination"
                % (
                    group_id,
                    group_id,
                    why,
                    "" if len(users) == 1 else "s",
                    describe_rules(users),
                    "s" if len(users) == 1 else "",
                    "" if len(users) == 1 else "s",
                    "it" if len(users) == 1 else "them",
                ),
            )
        if not self.params.get("allow_data_loss"):
            raise RefusedError(
                None,
                "recording group %s on disk %s would be deleted (%s), and deleting a group deletes "
                "all of its recordings. Nothing was changed; set allow_data_loss=true to delete it "
                "anyway" % (group_id, current["disk_id"], why),
            )

        def delete():
            self.client.xml(CGI % "delete", {"schemaversion": SCHEMA_VERSION, "recordinggroupid": group_id}, write=True)
            self.device.invalidate("recording_groups")

        return [
            Step(
                "delete",
                "delete recording group %s on disk %s: %s; its recordings are deleted with it "
                "(allow_data_loss=true)" % (group_id, current["disk_id"], why),
                delete,
                destructive=True,
            )
        ]

    def _released(self, name, group_id):
        """True if the same axis_storage run removes the rule, or points it elsewhere, before this deletion."""
        rules = self.assumed.get("rules") or {}
        if name in rules:
            return rules[name] != group_id
        return bool(self.assumed.get("rules_purged"))

    # --- result --------------------------------------------------------------------------

    def view(self, state):
        if state is None:
            return {"id": self.params["id"], "state": "absent"}
        return super().view(state)

    def result_extras(self, final):
        return {"recreated_from_disk": self.recreated} if self.recreated is not None else {}

    def diff_headers(self):
        if self.recreated is None:
            return {}
        return {
            "before_header": "recording group %s on disk %s" % (self.params["id"], self.recreated),
            "after_header": "recording group %s deleted and created again on disk %s (its recordings are "
            "deleted)" % (self.params["id"], self.params["disk_id"]),
        }


def _shown(value):
    return format_options(None, value) if isinstance(value, dict) else value
