"""What the Event and action services of a device offer: event topics (event1
GetEventInstances), action templates (action1 GetActionTemplates), and the rules a VMS leaves
behind (`--preset vms`).

Topics are derived from device state (video channels, VMD4 profiles, inputs, schedules,
external devices, disks) on every call, so they follow changes. Choices:
docs/spec-choices/event-and-action-services.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .firmware import MOTION_ALARM, RECORDING_GROUP
from .model import RECORDER, ActionConfiguration, ActionRule, Device, ExternalDevice

CONCRETE = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
ITEM_FILTER = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
ICAL_DIALECT = "http://www.axis.com/vapix/ws/ical1"

VMD4_TOPIC = "tnsaxis:CameraApplicationPlatform/VMD/Camera%dProfile%d"
MOTION_ALARM_TOPIC = "tns1:VideoSource/MotionAlarm"
INPUT_TOPIC = "tns1:Device/tnsaxis:IO/Port"
VIRTUAL_INPUT_TOPIC = "tns1:Device/tnsaxis:IO/VirtualInput"
RECURRING_TOPIC = "tns1:UserAlarm/tnsaxis:Recurring/Interval"
# The recorder's motion event of one external device (source item `device`: the External IP
# Device Information API id). No source names the real topic: the simulator's choice.
RECORDER_MOTION_TOPIC = "tns1:VideoSource/tnsaxis:ExternalDevice/Motion"
DISRUPTION_TOPIC = "tnsaxis:Storage/Disruption"
STORAGE_RECORDING_TOPIC = "tnsaxis:Storage/Recording"

FIXED_RECORDING = "com.axis.action.fixed.recording.storage"
UNLIMITED_RECORDING = "com.axis.action.unlimited.recording.storage"
GROUP_RECORDING = "com.axis.action.unlimited.recording_group.storage"
LED = "com.axis.action.unlimited.ledcontrol"
EMAIL = "com.axis.action.fixed.notification.smtp"
RECORDING_TEMPLATES = (FIXED_RECORDING, UNLIMITED_RECORDING)
RECORDING_PARAMETERS = ("storage_id", "stream_options", "pre_duration", "post_duration")


@dataclass(frozen=True)
class Item:
    name: str
    type: str  # xsd:int, xsd:string, xsd:boolean
    values: tuple | None = None  # source items: the instances; None: any value
    nice_name: str = ""


@dataclass
class Topic:
    expression: str  # concrete topic expression, prefixes tns1/tnsaxis
    nice_name: str
    source: list = field(default_factory=list)  # Items
    data: list = field(default_factory=list)  # Items
    is_property: bool = True

    def item(self, name: str) -> Item | None:
        for item in self.source + self.data:
            if item.name == name:
                return item
        return None


def _numbers(count: int) -> tuple:
    return tuple(str(number) for number in range(1, count + 1))


def topics(device: Device) -> list:
    """Every event topic the device can raise, in the order GetEventInstances lists them."""
    found = []
    active = Item("active", "xsd:boolean", nice_name="Active")
    if device.profile == RECORDER:
        found.append(
            Topic(
                RECORDER_MOTION_TOPIC,
                "Motion on an external device",
                [Item("device", "xsd:string", tuple(device.external_devices), "External device")],
                [active],
            )
        )
    elif device.fw.motion_topic == MOTION_ALARM:
        found.append(
            Topic(
                MOTION_ALARM_TOPIC,
                "Motion alarm",
                [Item("channel", "xsd:int", _numbers(device.sensors), "Channel")],
                [Item("state", "xsd:boolean", nice_name="State")],
            )
        )
    else:
        for channel in range(1, device.sensors + 1):
            for profile in range(1, device.vmd_profiles + 1):
                found.append(
                    Topic(
                        VMD4_TOPIC % (channel, profile),
                        "VMD 4: Camera %d Profile %d" % (channel, profile),
                        [],
                        [active],
                    )
                )
    if device.digital_inputs > 0:
        found.append(
            Topic(
                INPUT_TOPIC,
                "Digital input port",
                [Item("port", "xsd:int", _numbers(device.digital_inputs), "Port")],
                [Item("state", "xsd:boolean", nice_name="Active")],
            )
        )
    if device.virtual_inputs > 0:
        found.append(
            Topic(
                VIRTUAL_INPUT_TOPIC,
                "Virtual input",
                [Item("port", "xsd:int", _numbers(device.virtual_inputs), "Port")],
                [active],
            )
        )
    found.append(
        Topic(
            RECURRING_TOPIC,
            "Scheduled event",
            [Item("id", "xsd:string", tuple(device.scheduled_events), "Schedule")],
            [active],
        )
    )
    found.append(
        Topic(
            DISRUPTION_TOPIC,
            "Storage disruption",
            [Item("disk_id", "xsd:string", tuple(device.disks), "Disk")],
            [Item("disruption", "xsd:boolean", nice_name="Disruption")],
        )
    )
    found.append(
        Topic(
            STORAGE_RECORDING_TOPIC, "Recording ongoing", [], [Item("recording", "xsd:boolean", nice_name="Recording")]
        )
    )
    return found


def topic(device: Device, expression: str) -> Topic | None:
    for candidate in topics(device):
        if candidate.expression == expression:
            return candidate
    return None


_FILTER_PAIR = re.compile(r"""@Name\s*=\s*(["'])(?P<name>[^"']*)\1\s+and\s+@Value\s*=\s*(["'])(?P<value>[^"']*)\3""")


def filter_items(message: str) -> list:
    """(name, value) pairs of an ItemFilter such as
    `boolean(//SimpleItem[@Name="port" and @Value="1"]) and boolean(...)`."""
    return [(m.group("name"), m.group("value")) for m in _FILTER_PAIR.finditer(message)]


def filter_problem(found: Topic, message: str) -> str | None:
    """Why a condition's message content does not fit its topic, or None."""
    if not message.strip():
        return None
    pairs = filter_items(message)
    if not pairs:
        return "message content is not an item filter: %s" % message
    for name, value in pairs:
        item = found.item(name)
        if item is None:
            return "%s has no item %r (items: %s)" % (
                found.expression,
                name,
                ", ".join(i.name for i in found.source + found.data),
            )
        if item.type == "xsd:boolean" and value not in ("0", "1", "true", "false"):
            return "item %s is boolean, got %r" % (name, value)
        if item.values is not None and value not in item.values:
            return "%s has no %s %r (instances: %s)" % (found.expression, name, value, ", ".join(item.values) or "none")
    return None


# --- action templates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    token: str
    parameters: tuple  # names, all required
    recipient: str | None = None  # recipient template token (e-mail), None: none


# Recipient templates (action1 GetRecipientTemplates): token and parameter names.
RECIPIENT_TEMPLATES = (
    ("com.axis.recipient.smtp", ("email_to", "email_from", "host", "port", "login", "password")),
    ("com.axis.recipient.http", ("upload_url", "login", "password")),
)


def templates(device: Device) -> list:
    found = [Template(FIXED_RECORDING, RECORDING_PARAMETERS), Template(UNLIMITED_RECORDING, RECORDING_PARAMETERS)]
    if device.fw.has(RECORDING_GROUP):
        found.append(Template(GROUP_RECORDING, ("recording_group",)))
    found.append(Template(LED, ("led", "color", "interval")))
    found.append(Template(EMAIL, ("subject", "message"), "com.axis.recipient.smtp"))
    return found


def template(device: Device, token: str) -> Template | None:
    for candidate in templates(device):
        if candidate.token == token:
            return candidate
    return None


# --- the VMS preset --------------------------------------------------------------------------

VMS_RECORDING_NAME = "VMS motion recording"
VMS_LED_NAME = "VMS status LED"
VMS_CAMERA_ID = "vms_camera_1"
PRESETS = ("vms",)


def _condition(expression: str, items: list) -> dict:
    message = " and ".join('boolean(//SimpleItem[@Name="%s" and @Value="%s"])' % pair for pair in items)
    return {"topic": expression, "message": message}


def _add_configuration(device: Device, name: str, token: str, parameters: dict) -> int:
    number = device.take_id("next_configuration_id", device.action_configurations)
    device.action_configurations[number] = ActionConfiguration(number, token, name, parameters)
    return number


def _add_rule(device: Device, name: str, conditions: list, action: int) -> int:
    number = device.take_id("next_rule_id", device.action_rules)
    device.action_rules[number] = ActionRule(number, name, action, True, conditions)
    return number


def apply_preset(device: Device, name: str) -> list:
    """Add what the named preset leaves on a device; the ids of the rules added.
    `vms`: a motion recording rule (unlimited template, 5 s before, 30 s after) and a
    non-recording rule (status LED on virtual input 1), each with its configuration; a
    recorder also gets the external device the VMS added (when it has none)."""
    if name not in PRESETS:
        raise ValueError("preset must be one of %s (got %r)" % (", ".join(PRESETS), name))
    if device.profile == RECORDER:
        if not device.external_devices:
            device.external_devices[VMS_CAMERA_ID] = ExternalDevice(
                VMS_CAMERA_ID,
                description="Added by the VMS",
                address="192.168.0.90",
                username="vms",
                password="Vms-Camera-4711",
            )
        camera_id = next(iter(device.external_devices))
        motion = _condition(RECORDER_MOTION_TOPIC, [("device", camera_id), ("active", "1")])
        disk, options = "HDD_DISK", "device=%s&resolution=1280x720&fps=15" % camera_id
    else:
        if device.fw.motion_topic == MOTION_ALARM:
            motion = _condition(MOTION_ALARM_TOPIC, [("channel", "1"), ("state", "1")])
        else:
            motion = _condition(VMD4_TOPIC % (1, 1), [("active", "1")])
        disk, options = "SD_DISK", "resolution=1280x720&fps=15&camera=1"
    recording = _add_configuration(
        device,
        VMS_RECORDING_NAME,
        UNLIMITED_RECORDING,
        {"storage_id": disk, "stream_options": options, "pre_duration": "5000", "post_duration": "30000"},
    )
    led = _add_configuration(device, VMS_LED_NAME, LED, {"led": "statusled", "color": "red", "interval": "250"})
    return [
        _add_rule(device, VMS_RECORDING_NAME, [motion], recording),
        _add_rule(device, VMS_LED_NAME, [_condition(VIRTUAL_INPUT_TOPIC, [("port", "1"), ("active", "1")])], led),
    ]
