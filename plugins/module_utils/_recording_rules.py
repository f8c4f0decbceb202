# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording rules in declaration terms: a rule (action1) and its action configuration, as
`trigger`, `disk_id`, `stream_options`, `pre_seconds`, `post_seconds` and `while_active`.

Shared by the rule resource, the storage information and the whole-device purge; it reads
through the session's cached readers and writes nothing. A trigger maps to one rule condition:

  motion          tnsaxis:CameraApplicationPlatform/VMD/Camera<N>Profile<M>, active=1 (VMD4);
                  firmware before VMD4: tns1:VideoSource/MotionAlarm, channel=<N> and state=1;
                  a recorder: tns1:VideoSource/tnsaxis:ExternalDevice/Motion, device=<id> and active=1
  input           tns1:Device/tnsaxis:IO/Port, port=<n> and state=1 (active) or 0 (inactive)
  virtual_input   tns1:Device/tnsaxis:IO/VirtualInput, port=<n> and active=1
  schedule        tns1:UserAlarm/tnsaxis:Recurring/Interval, id=<scheduled event id> and active=1

A condition that is none of these (another topic, another filter) is shown as `other`, so such
a rule never equals a declaration and is replaced when its name is declared.
"""

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import (
    list_action_configurations,
    list_action_rules,
    list_scheduled_events,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    DEVICE_OPTION,
    camera_of,
    comparable,
    parse_options,
    without_camera,
)

FIXED_TEMPLATE = "com.axis.action.fixed.recording.storage"
UNLIMITED_TEMPLATE = "com.axis.action.unlimited.recording.storage"
GROUP_TEMPLATE = "com.axis.action.unlimited.recording_group.storage"
# Templates that record to storage: a rule whose primary action uses one of them is a recording rule.
RECORDING_TEMPLATES = (FIXED_TEMPLATE, UNLIMITED_TEMPLATE, GROUP_TEMPLATE)
# The configurations this collection adds are named with this prefix: only those are ever removed.
CONFIGURATION_PREFIX = "vapix.edge_storage: "

MOTION_TOPIC = "CameraApplicationPlatform/VMD/Camera%dProfile%d"
MOTION_EXPRESSION = "tnsaxis:CameraApplicationPlatform/VMD/Camera%dProfile%d"
_MOTION = re.compile(r"^CameraApplicationPlatform/VMD/Camera(\d+)Profile(\d+)$")
ALARM_TOPIC, ALARM_EXPRESSION = "VideoSource/MotionAlarm", "tns1:VideoSource/MotionAlarm"
DEVICE_MOTION_TOPIC = "VideoSource/ExternalDevice/Motion"
DEVICE_MOTION_EXPRESSION = "tns1:VideoSource/tnsaxis:ExternalDevice/Motion"
INPUT_TOPIC, INPUT_EXPRESSION = "Device/IO/Port", "tns1:Device/tnsaxis:IO/Port"
VIRTUAL_TOPIC, VIRTUAL_EXPRESSION = "Device/IO/VirtualInput", "tns1:Device/tnsaxis:IO/VirtualInput"
SCHEDULE_TOPIC, SCHEDULE_EXPRESSION = "UserAlarm/Recurring/Interval", "tns1:UserAlarm/tnsaxis:Recurring/Interval"
TRIGGER_KINDS = ("motion", "input", "virtual_input", "schedule")
# Longest pre- or post-event time accepted, in seconds (one day): beyond is a typo.
MAX_SECONDS = 86400
INPUT_STATES = {"active": "1", "inactive": "0"}


def check_event_seconds(params):
    """pre_seconds and post_seconds (of a rule or a recording group), where given, from 0 to MAX_SECONDS."""
    for option in ("pre_seconds", "post_seconds"):
        value = params.get(option)
        if value is not None and not 0 <= value <= MAX_SECONDS:
            raise InputError(None, "%s=%s must be from 0 to %s seconds" % (option, value, MAX_SECONDS))


def trigger_kind(trigger):
    """The one kind a declared trigger sets, or None."""
    kinds = [kind for kind in TRIGGER_KINDS if (trigger or {}).get(kind) is not None]
    return kinds[0] if len(kinds) == 1 else None


def canonical_trigger(trigger, device=None):
    """A declared trigger reduced to its kind and the values that identify it (defaults filled in).

    Motion on a recorder is the motion of an external device: `motion.device`, or the rule's
    `device` when the motion names no camera or profile.
    """
    kind = trigger_kind(trigger)
    value = trigger[kind] or {}
    if kind == "motion":
        source = value.get("device") or (
            device if value.get("camera") is None and value.get("profile") is None else None
        )
        if source:
            return {"motion": {"device": source}}
        return {"motion": {"camera": int(value.get("camera") or 1), "profile": int(value.get("profile") or 1)}}
    if kind == "input":
        return {"input": {"port": int(value["port"]), "state": value.get("state") or "active"}}
    if kind == "virtual_input":
        return {"virtual_input": {"port": int(value["port"])}}
    return {"schedule": {"name": value["name"]}}


def condition_of(trigger, schedule_id=None, motion_alarm=False):
    """The rule condition of a canonical trigger: {expression, topic, items}.

    motion_alarm: the device has no VMD4 topics but the older MotionAlarm (firmware 5.x).
    """
    kind = trigger_kind(trigger)
    value = trigger[kind]
    if kind == "motion" and value.get("device"):
        return {
            "expression": DEVICE_MOTION_EXPRESSION,
            "topic": DEVICE_MOTION_TOPIC,
            "items": sorted([("device", value["device"]), ("active", "1")]),
        }
    if kind == "motion" and motion_alarm:
        return {
            "expression": ALARM_EXPRESSION,
            "topic": ALARM_TOPIC,
            "items": sorted([("channel", str(value["camera"])), ("state", "1")]),
        }
    if kind == "motion":
        return {
            "expression": MOTION_EXPRESSION % (value["camera"], value["profile"]),
            "topic": MOTION_TOPIC % (value["camera"], value["profile"]),
            "items": [("active", "1")],
        }
    if kind == "input":
        return {
            "expression": INPUT_EXPRESSION,
            "topic": INPUT_TOPIC,
            "items": sorted([("port", str(value["port"])), ("state", INPUT_STATES[value["state"]])]),
        }
    if kind == "virtual_input":
        return {
            "expression": VIRTUAL_EXPRESSION,
            "topic": VIRTUAL_TOPIC,
            "items": sorted([("port", str(value["port"])), ("active", "1")]),
        }
    return {
        "expression": SCHEDULE_EXPRESSION,
        "topic": SCHEDULE_TOPIC,
        "items": sorted([("id", schedule_id), ("active", "1")]),
    }


def _number(text):
    return int(text) if str(text).isdigit() else text


def describe_condition(condition, schedules):
    """A rule condition as a declared trigger, or {other: {topic, items}}."""
    topic = condition["topic"]
    items = dict(condition["items"])
    pairs = sorted(items.items())
    motion = _MOTION.match(topic)
    if motion and pairs == [("active", "1")]:
        return {"motion": {"camera": int(motion.group(1)), "profile": int(motion.group(2))}}
    if topic == ALARM_TOPIC and set(items) == {"channel", "state"} and items["state"] == "1":
        return {"motion": {"camera": _number(items["channel"]), "profile": 1}}
    if topic == DEVICE_MOTION_TOPIC and set(items) == {"device", "active"} and items["active"] == "1":
        return {"motion": {"device": items["device"]}}
    if topic == INPUT_TOPIC and set(items) == {"port", "state"} and items["state"] in ("0", "1"):
        return {"input": {"port": _number(items["port"]), "state": "active" if items["state"] == "1" else "inactive"}}
    if topic == VIRTUAL_TOPIC and set(items) == {"port", "active"} and items["active"] == "1":
        return {"virtual_input": {"port": _number(items["port"])}}
    if topic == SCHEDULE_TOPIC and set(items) == {"id", "active"} and items["active"] == "1":
        event = schedules.get(items["id"])
        return {"schedule": {"name": event["name"] if event else items["id"]}}
    return {"other": {"topic": topic, "items": ["%s=%s" % pair for pair in pairs]}}


def _trigger(rule, schedules):
    conditions = list(rule["conditions"])
    if rule.get("start_event"):
        conditions.insert(0, rule["start_event"])
    if len(conditions) == 1 and not rule.get("start_event"):
        return describe_condition(conditions[0], schedules)
    described = [describe_condition(c, schedules) for c in conditions]
    return {"other": {"conditions": described, "start_event": bool(rule.get("start_event"))}}


def _seconds(milliseconds):
    try:
        value = int(milliseconds)
    except (TypeError, ValueError):
        return milliseconds
    return value // 1000 if value % 1000 == 0 else value / 1000.0


def describe_rule(rule, configurations, schedules):
    """One action rule in declaration terms, with what identifies it on the device."""
    config = configurations.get(rule["primary_action"])
    template = config["template"] if config else None
    params = config["parameters"] if config else {}
    described = {
        "name": rule["name"],
        "rule_id": rule["rule_id"],
        "configuration_id": rule["primary_action"],
        "configuration_name": config["name"] if config else None,
        "template": template,
        "recording": template in RECORDING_TEMPLATES,
        "managed_configuration": bool(config and config["name"].startswith(CONFIGURATION_PREFIX)),
        "enabled": rule["enabled"],
        "trigger": _trigger(rule, schedules),
    }
    if template in (FIXED_TEMPLATE, UNLIMITED_TEMPLATE):
        options = parse_options(params.get("stream_options"))
        described.update(
            disk_id=params.get("storage_id"),
            device=next((v for k, v in options if k.lower() == DEVICE_OPTION), None),
            stream_options=dict((k, v) for k, v in options if k.lower() != DEVICE_OPTION),
            pre_seconds=_seconds(params.get("pre_duration", 0)),
            post_seconds=_seconds(params.get("post_duration", 0)),
            while_active=template == UNLIMITED_TEMPLATE,
        )
    elif template == GROUP_TEMPLATE:
        described.update(
            recording_group=params.get("recording_group"),
            pre_seconds=_seconds(params.get("pre_duration", 0)),
            post_seconds=_seconds(params.get("post_duration", 0)),
            while_active=True,
        )
    if rule.get("failover_action") not in (None, "", 0):
        described["failover_action"] = rule["failover_action"]
    if rule.get("activation_timeout") not in (None, ""):
        described["activation_timeout"] = rule["activation_timeout"]
    return described


def comparable_options(options):
    """Stream options for comparison: canonical values, the channel as its canonical number."""
    values = comparable(without_camera(options or {}))
    values["camera"] = camera_of(options or {})
    return values


def list_rules(device):
    """Every action rule of the device, described, by rule id order."""
    configurations = list_action_configurations(device)
    schedules = list_scheduled_events(device)
    rules = list_action_rules(device)
    return [
        describe_rule(rules[rule_id], configurations, schedules)
        for rule_id in sorted(rules, key=lambda r: (not isinstance(r, int), r))
    ]


def list_recording_rules(device):
    return [rule for rule in list_rules(device) if rule["recording"]]


def rules_using_schedule(device, event_id):
    """The names of the rules whose conditions name the scheduled event `event_id`."""
    names = []
    for rule in list_action_rules(device).values():
        conditions = list(rule["conditions"]) + ([rule["start_event"]] if rule.get("start_event") else [])
        if any(c["topic"] == SCHEDULE_TOPIC and ("id", event_id) in [tuple(i) for i in c["items"]] for c in conditions):
            names.append(rule["name"])
    return names


def configuration_users(device, configuration_id):
    """The ids of the rules whose primary or failover action is this configuration."""
    return [
        rule["rule_id"]
        for rule in list_action_rules(device).values()
        if configuration_id in (rule["primary_action"], rule.get("failover_action"))
    ]
