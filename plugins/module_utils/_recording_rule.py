# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An event-triggered recording rule: an action rule (action1) and the recording action
configuration it runs, managed together under the rule's name.

The services have no modify operation: a rule whose trigger, destination, stream options,
durations or state differ is removed and added again (rule and configuration; both get new
ids). Only configurations this collection added (named with CONFIGURATION_PREFIX) are ever
removed, and only once no rule uses them. A rule of the declared name whose action does not
record (an LED, an e-mail a VMS set up) is refused, never replaced.

The destination is resolved in one place (`destination`): a disk (the fixed or unlimited
recording template), or a recording group (com.axis.action.unlimited.recording_group.storage,
whose only parameter is the group: stream options, pre- and post-event time are the group's).
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import get_disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import (
    add_action_configuration,
    add_action_rule,
    list_action_configurations,
    list_event_instances,
    list_scheduled_events,
    remove_action_configuration,
    remove_action_rule,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import check_camera_channel, check_source
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import list_recording_groups
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import (
    _MOTION,
    ALARM_TOPIC,
    CONFIGURATION_PREFIX,
    DEVICE_MOTION_TOPIC,
    FIXED_TEMPLATE,
    GROUP_TEMPLATE,
    INPUT_TOPIC,
    MOTION_TOPIC,
    SCHEDULE_TOPIC,
    UNLIMITED_TEMPLATE,
    VIRTUAL_TOPIC,
    canonical_trigger,
    check_event_seconds,
    comparable_options,
    condition_of,
    configuration_users,
    list_rules,
    trigger_kind,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    CAMERA_OPTION,
    differences,
    format_options,
    validate_stream_options,
)

# The fields of a rule that a declaration sets: what is compared and shown in the diff.
COMPARED = (
    "enabled",
    "trigger",
    "disk_id",
    "recording_group",
    "device",
    "stream_options",
    "pre_seconds",
    "post_seconds",
    "while_active",
)

TRIGGER_SPEC = dict(
    motion=dict(type="dict", options=dict(camera=dict(type="int"), profile=dict(type="int"), device=dict(type="str"))),
    input=dict(
        type="dict",
        options=dict(
            port=dict(type="int", required=True),
            state=dict(type="str", choices=["active", "inactive"], default="active"),
        ),
    ),
    virtual_input=dict(type="dict", options=dict(port=dict(type="int", required=True))),
    schedule=dict(type="dict", options=dict(name=dict(type="str", required=True))),
)


def _trigger_text(trigger):
    kind = trigger_kind(trigger) if trigger else None
    if kind is None:
        return str(trigger)
    return "%s %s" % (kind, ", ".join("%s %s" % item for item in sorted(trigger[kind].items())))


class RecordingRule(Resource):
    result_key = "rule"
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        enabled=dict(type="bool", default=True),
        trigger=dict(
            type="dict",
            options=TRIGGER_SPEC,
            mutually_exclusive=[list(TRIGGER_SPEC)],
            required_one_of=[list(TRIGGER_SPEC)],
        ),
        disk_id=dict(type="str"),
        recording_group=dict(type="str"),
        device=dict(type="str"),
        stream_options=dict(type="dict"),
        pre_seconds=dict(type="int", default=0),
        post_seconds=dict(type="int", default=0),
        while_active=dict(type="bool", default=True),
    )
    module_kwargs = dict(
        required_if=[("state", "present", ("trigger",)), ("state", "present", ("disk_id", "recording_group"), True)],
        mutually_exclusive=[("disk_id", "recording_group")],
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.options = {}
        self.trigger = None
        self.replaced = None
        self.motion_alarm = False
        # what a whole-device declaration adds before this rule (DeviceStorage._assumed)
        self.assumed = params.get("_assumed") or {}

    # --- input ---------------------------------------------------------------------------

    def validate(self):
        params = self.params
        name = params.get("name")
        if not name or name != name.strip():
            raise InputError(
                None, "name=%r must be the rule's name on the device: not empty, no leading or trailing spaces" % name
            )
        self.options = validate_stream_options(params.get("stream_options"))
        check_event_seconds(params)
        if params["state"] == "absent":
            return
        trigger = params.get("trigger")
        if not trigger or trigger_kind(trigger) is None:
            raise InputError(
                None,
                "trigger must set exactly one of motion, input, virtual_input or schedule, for "
                "example {motion: {camera: 1, profile: 1}}",
            )
        kind = trigger_kind(trigger)
        value = trigger[kind] or {}
        for field in ("camera", "profile", "port"):
            if field in value and value[field] is not None and value[field] < 1:
                raise InputError(None, "trigger.%s.%s=%s must be a number from 1" % (kind, field, value[field]))
        if kind == "schedule" and not (value.get("name") or "").strip():
            raise InputError(
                None, "trigger.schedule.name is empty: give the name of a schedule, for example After hours"
            )
        motion = trigger.get("motion") or {}
        if motion.get("device") is not None and (motion.get("camera") is not None or motion.get("profile") is not None):
            raise InputError(
                None,
                "trigger.motion: give device (a recorder's external device) or camera and profile "
                "(a camera's motion detection), not both",
            )
        device = params.get("device")
        if device is not None and (not device or any(c in device for c in "&= \t")):
            raise InputError(None, "device=%r must be the id of an external IP device (no spaces, '&' or '=')" % device)
        self.trigger = canonical_trigger(trigger, device)
        self.destination()
        if not params.get("while_active") and not (params.get("pre_seconds") or params.get("post_seconds")):
            raise InputError(
                None,
                "while_active=false records only pre_seconds before and post_seconds after the "
                "event, and both are 0: set at least one of them",
            )

    def destination(self):
        """(template, [(parameter, value)]) of the recording action the options ask for."""
        params = self.params
        if params.get("recording_group") is not None:
            return self._group_destination()
        disk_id = (params.get("disk_id") or "").strip()
        if not disk_id:
            raise InputError(None, "disk_id is empty: give the disk to record to, for example SD_DISK or NetworkShare")
        template = UNLIMITED_TEMPLATE if params.get("while_active") else FIXED_TEMPLATE
        return template, [
            ("storage_id", disk_id),
            ("stream_options", format_options(params.get("device"), self.options)),
            ("pre_duration", str((params.get("pre_seconds") or 0) * 1000)),
            ("post_duration", str((params.get("post_seconds") or 0) * 1000)),
        ]

    def _group_destination(self):
        """A recording group: the group holds the stream options and the pre- and post-event time."""
        params = self.params
        group = params["recording_group"].strip()
        if not group:
            raise InputError(None, "recording_group is empty: give the id of a recording group (axis_recording_group)")
        if params.get("disk_id") is not None:
            raise InputError(
                None,
                "recording_group and disk_id are mutually exclusive: a rule records to a disk or into "
                "a recording group (which has its disk)",
            )
        settings = [
            name
            for name, unset in (
                ("stream_options", None),
                ("device", None),
                ("pre_seconds", 0),
                ("post_seconds", 0),
                ("while_active", True),
            )
            if params.get(name) not in (unset, None)
        ]
        if settings:
            raise InputError(
                None,
                "recording_group=%s: %s cannot be set on the rule; a rule that records into a group "
                "records while the event is active, with the group's stream options and pre- and "
                "post-event time (set them with vapix.edge_storage.axis_recording_group)"
                % (group, ", ".join(settings)),
            )
        return GROUP_TEMPLATE, [("recording_group", group)]

    # --- state ---------------------------------------------------------------------------

    def _same(self, rule):
        if not rule["recording"] or rule.get("failover_action") or rule.get("activation_timeout"):
            return False
        return all(self._compared(rule, field) == self._compared(self._declared(), field) for field in COMPARED)

    @staticmethod
    def _compared(state, field):
        value = state.get(field)
        return comparable_options(value) if field == "stream_options" else value

    def _declared(self):
        params = self.params
        declared = {
            "enabled": bool(params.get("enabled")),
            "trigger": self.trigger,
            "disk_id": params.get("disk_id"),
            "recording_group": None,
            "device": params.get("device"),
            "stream_options": dict(self.options),
            "pre_seconds": params.get("pre_seconds") or 0,
            "post_seconds": params.get("post_seconds") or 0,
            "while_active": bool(params.get("while_active")),
        }
        if params.get("recording_group") is not None:
            # what describe_rule reads from a group rule: the group, nothing of the disk templates
            declared.update(
                recording_group=params["recording_group"].strip(),
                disk_id=None,
                device=None,
                stream_options=None,
                pre_seconds=0,
                post_seconds=0,
                while_active=True,
            )
        return declared

    def read(self):
        matched = [rule for rule in list_rules(self.device) if rule["name"] == self.params["name"]]
        foreign = [rule for rule in matched if not rule["recording"]]
        if foreign:
            rule = foreign[0]
            raise InputError(
                None,
                "name=%s: the device's rule %s of this name is not a recording rule (its action is %s), "
                "so it is not replaced or removed; give the recording rule another name, or remove "
                "that rule yourself"
                % (
                    self.params["name"],
                    rule["rule_id"],
                    rule["template"] or "a configuration the device does not list",
                ),
            )
        if self.params["state"] == "present":
            matched.sort(key=lambda rule: not self._same(rule))
        primary = matched[0] if matched else None
        # configurations this collection added for this rule name that no rule uses: left by a
        # run whose AddActionRule failed after its AddActionConfiguration
        own_name = CONFIGURATION_PREFIX + self.params["name"]
        orphans = [
            config
            for config in list_action_configurations(self.device).values()
            if config["name"] == own_name and not configuration_users(self.device, config["configuration_id"])
        ]
        state = {
            "state": "present" if primary else "absent",
            "name": self.params["name"],
            "_orphans": orphans,
            "rule_id": primary["rule_id"] if primary else None,
            "configuration_id": primary["configuration_id"] if primary else None,
            "duplicate_rule_ids": [rule["rule_id"] for rule in matched[1:]],
            "_matched": matched,
        }
        for field in COMPARED:
            state[field] = primary.get(field) if primary else None
        return state

    def view(self, state):
        shown = super().view(state)
        shown.pop("_matched", None)
        shown.pop("_orphans", None)
        return shown

    def desired(self, current):
        wanted = dict(current)
        wanted["duplicate_rule_ids"] = []
        if self.params["state"] == "absent":
            wanted.update(state="absent", rule_id=None, configuration_id=None, _matched=[], _orphans=[])
            for field in COMPARED:
                wanted[field] = None
            return wanted
        keep = current["state"] == "present" and self._same(current["_matched"][0])
        wanted.update(self._declared())
        wanted["state"] = "present"
        if not keep:
            wanted.update(rule_id=None, configuration_id=None)
        else:
            wanted["stream_options"] = current["stream_options"]
        return wanted

    def diff_fields(self):
        return ("state", "name", "rule_id", "configuration_id") + COMPARED

    # --- plan ----------------------------------------------------------------------------

    def plan(self, current, desired):
        matched = current["_matched"]
        removals = []
        if desired["state"] == "absent":
            removals = [(rule, "state=absent") for rule in matched]
        else:
            if matched and desired["rule_id"] is None:
                self.replaced = matched[0]["rule_id"]
                removals.append(
                    (
                        matched[0],
                        "rules cannot be changed and it differs (%s): it is removed and added "
                        "again" % self._changes(matched[0]),
                    )
                )
            removals.extend((rule, "a second rule named %s" % rule["name"]) for rule in matched[1:])
        steps = []
        released = set(rule["rule_id"] for rule, _why in removals)
        for rule, why in removals:
            steps.append(self._remove_rule_step(rule, why))
            step = self._remove_configuration_step(rule, released)
            if step is not None:
                steps.append(step)
        for config in current["_orphans"]:
            steps.append(self._remove_orphan_step(config))
        if desired["state"] == "present" and desired["rule_id"] is None:
            steps.extend(self._add_steps())
        return steps

    def _remove_orphan_step(self, config):
        return self._configuration_removal(
            config["configuration_id"],
            "remove action configuration %s %r: this "
            "collection added it for the rule, and no rule uses it (an earlier run "
            "stopped before adding the rule)" % (config["configuration_id"], config["name"]),
        )

    def _changes(self, rule):
        declared = self._declared()
        changes = []
        for field in COMPARED:
            if self._compared(rule, field) == self._compared(declared, field):
                continue
            if field == "stream_options":
                changes.append(
                    "stream_options %s"
                    % differences(comparable_options(rule.get(field)), comparable_options(declared[field]))
                )
            elif field == "trigger":
                changes.append("trigger %s -> %s" % (_trigger_text(rule.get(field)), _trigger_text(declared[field])))
            else:
                changes.append("%s %s -> %s" % (field, rule.get(field), declared[field]))
        if not rule["recording"]:
            changes.append("its action is not a recording configuration")
        if rule.get("failover_action") or rule.get("activation_timeout"):
            changes.append("it has a failover action or activation timeout")
        return ", ".join(changes) or "its shape"

    def _remove_rule_step(self, rule, why):
        rule_id = rule["rule_id"]

        def run():
            remove_action_rule(self.device, rule_id)
            return "rule %s removed" % rule_id

        return Step(
            "RemoveActionRule",
            "remove rule %s %r: %s; recording on its trigger stops, recordings stay on "
            "the disk" % (rule_id, rule["name"], why),
            run,
        )

    def _remove_configuration_step(self, rule, released):
        """Remove the rule's configuration if this collection added it and no other rule keeps using it."""
        config_id = rule["configuration_id"]
        if not rule.get("managed_configuration"):
            return None
        others = [r for r in configuration_users(self.device, config_id) if r not in released]
        if others:
            return None

        return self._configuration_removal(
            config_id,
            "remove action configuration %s %r, which this collection "
            "added for the rule and nothing else uses" % (config_id, rule["configuration_name"]),
        )

    def _configuration_removal(self, config_id, detail):
        def run():
            remove_action_configuration(self.device, config_id)
            return "configuration %s removed" % config_id

        return Step("RemoveActionConfiguration", detail, run)

    def _add_steps(self):
        """Every check a device would fail on, before any write; then the configuration and the rule."""
        params = self.params
        template, parameters = self.destination()
        schedule_id = self._check_trigger()
        if params.get("recording_group") is not None:
            self._check_group(parameters[0][1])
        else:
            self._check_disk_destination()
        condition = condition_of(self.trigger, schedule_id, motion_alarm=self.motion_alarm)
        added = {}

        def add_configuration():
            added["configuration"] = add_action_configuration(
                self.device, CONFIGURATION_PREFIX + params["name"], template, parameters
            )
            return "configuration %s" % added["configuration"]

        def add_rule():
            rule_id = add_action_rule(
                self.device, params["name"], params["enabled"], [condition], added["configuration"]
            )
            return "rule %s" % rule_id

        shown = ", ".join("%s=%s" % pair for pair in parameters)
        return [
            Step(
                "AddActionConfiguration",
                "add action configuration %r: %s, %s" % (CONFIGURATION_PREFIX + params["name"], template, shown),
                add_configuration,
            ),
            Step(
                "AddActionRule",
                "add rule %r (%s): on %s, %s"
                % (
                    params["name"],
                    "enabled" if params["enabled"] else "disabled",
                    condition["expression"],
                    ", ".join("%s=%s" % pair for pair in condition["items"]),
                ),
                add_rule,
            ),
        ]

    def _check_disk_destination(self):
        params = self.params
        get_disk(self.device, params["disk_id"])
        if params.get("device") in (self.assumed.get("external_devices") or ()):
            pass  # a recorder's camera the same declaration adds before the rule (axis_storage)
        elif not check_source(self.device, params.get("device")):
            check_camera_channel(self.device, self.options.get(CAMERA_OPTION), option="stream_options.camera")

    def _check_group(self, group_id):
        """The group must exist on the device, or be declared in the same axis_storage run before the rule."""
        if group_id in (self.assumed.get("recording_groups") or ()):
            return
        groups = list_recording_groups(self.device, purpose="record into a recording group (option recording_group)")
        if group_id not in groups:
            raise InputError(
                None,
                "recording_group=%s: %s has no recording group of this id; it has: %s (create it with "
                "vapix.edge_storage.axis_recording_group)"
                % (group_id, self.device.caps.describe(), ", ".join(sorted(groups)) or "none"),
            )

    def _check_trigger(self):
        """The trigger must be one the device offers (GetEventInstances); returns a schedule's event id."""
        kind = trigger_kind(self.trigger)
        value = self.trigger[kind]
        instances = list_event_instances(self.device)
        who = self.device.caps.describe()
        if kind == "motion" and value.get("device"):
            offered = (instances.get(DEVICE_MOTION_TOPIC) or {}).get("items", {}).get("device") or []
            offered = list(offered) + list(self.assumed.get("external_devices") or [])
            if DEVICE_MOTION_TOPIC not in instances or value["device"] not in offered:
                raise InputError(
                    None,
                    "trigger.motion.device=%s: %s offers no motion event of this external device "
                    "(%s); it offers: %s"
                    % (value["device"], who, DEVICE_MOTION_TOPIC, ", ".join(sorted(offered)) or "none"),
                )
            return None
        if kind == "motion":
            topic = MOTION_TOPIC % (value["camera"], value["profile"])
            if topic in instances:
                return None
            channels = (instances.get(ALARM_TOPIC) or {}).get("items", {}).get("channel") or []
            if ALARM_TOPIC in instances and value["profile"] == 1 and str(value["camera"]) in channels:
                self.motion_alarm = True  # firmware before VMD4: the video source's motion alarm
                return None
            offered = sorted((int(m.group(1)), int(m.group(2))) for m in (_MOTION.match(t) for t in instances) if m)
            offered += [(int(c), 1) for c in channels if str(c).isdigit()]
            if DEVICE_MOTION_TOPIC in instances:
                hint = "; a recorder's motion is an external device's: trigger.motion.device"
            else:
                hint = ""
            shown = ", ".join("camera %s profile %s" % pair for pair in sorted(set(offered)))
            raise InputError(
                None,
                "trigger.motion camera %s profile %s: %s offers no such motion event (%s); it offers "
                "motion for: %s%s"
                % (
                    value["camera"],
                    value["profile"],
                    who,
                    topic,
                    shown or "nothing (no motion detection application with a profile)",
                    hint,
                ),
            )
        if kind in ("input", "virtual_input"):
            topic = INPUT_TOPIC if kind == "input" else VIRTUAL_TOPIC
            if topic not in instances:
                raise InputError(
                    None,
                    "trigger.%s: %s offers no %s event (%s)"
                    % (kind, who, "digital input" if kind == "input" else "virtual input", topic),
                )
            ports = instances[topic]["items"].get("port") or []
            if ports and str(value["port"]) not in ports:
                raise InputError(
                    None,
                    "trigger.%s.port=%s: %s has no such %s; it has ports %s"
                    % (
                        kind,
                        value["port"],
                        who,
                        "digital input" if kind == "input" else "virtual input",
                        ", ".join(sorted(ports, key=lambda p: (len(p), p))),
                    ),
                )
            return None
        if SCHEDULE_TOPIC not in instances:
            raise InputError(
                None, "trigger.schedule: %s offers no recurring schedule event (%s)" % (who, SCHEDULE_TOPIC)
            )
        events = [e for e in list_scheduled_events(self.device).values() if e["name"] == value["name"]]
        planned = self.assumed.get("schedules") or {}
        if not events and value["name"] in planned:
            return planned[value["name"]]  # declared with it and added before it (axis_storage)
        if not events:
            names = ", ".join(sorted(e["name"] for e in list_scheduled_events(self.device).values())) or "none"
            raise InputError(
                None,
                "trigger.schedule.name=%s: %s has no schedule of this name; it has: %s (add one with "
                "vapix.edge_storage.axis_recording_schedule)" % (value["name"], who, names),
            )
        return events[0]["event_id"]

    def result_extras(self, final):
        return {"replaced_rule_id": self.replaced} if self.replaced is not None else {}

    def diff_headers(self):
        if self.replaced is None:
            return {}
        return {
            "before_header": "rule %s" % self.replaced,
            "after_header": "a new rule and configuration replacing rule %s (rules cannot be changed: removed "
            "and added again, with new ids)" % self.replaced,
        }
