"""Event and action services (SOAP 1.2 at /vapix/services): shapes, faults, topics, presets.

Shapes and fault codes are described in docs/simulator.md; requests below are what a client
sends (envelope, Content-Type with action=...), answers are parsed with ElementTree.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from vapix_sim import event_catalog
from vapix_sim.fleet import Fleet, FleetConfig
from vapix_sim.handlers import soap
from vapix_sim.handlers.event_services import PATH
from vapix_sim.http import REGISTRY, CgiRequest, not_found
from vapix_sim.model import ExternalDevice, make_camera, make_recorder

NS = {
    "env": soap.ENV,
    "aa": soap.AA,
    "aev": soap.AEV,
    "wsnt": soap.WSNT,
    "wstop": soap.WSTOP,
    "tns1": soap.TNS1,
    "tnsaxis": soap.TNSAXIS,
}
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:aa="http://www.axis.com/vapix/ws/action1" '
    'xmlns:aev="http://www.axis.com/vapix/ws/event1" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics" '
    'xmlns:tnsaxis="http://www.axis.com/2009/event/topics">'
    "<s:Body>%s</s:Body></s:Envelope>"
)
CONCRETE = 'Dialect="http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"'
ITEM_FILTER = 'Dialect="http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"'
SERVICE_OF = {
    "GetEventInstances": soap.AEV,
    "GetScheduledEvents": soap.AEV,
    "AddScheduledEvent": soap.AEV,
    "RemoveScheduledEvent": soap.AEV,
}


def content_type(operation: str) -> str:
    return 'application/soap+xml; charset=utf-8; action="%s/%s"' % (SERVICE_OF.get(operation, soap.AA), operation)


def operation_xml(operation: str, inner: str = "") -> str:
    prefix = "aev" if SERVICE_OF.get(operation) == soap.AEV else "aa"
    return "<%s:%s>%s</%s:%s>" % (prefix, operation, inner, prefix, operation)


class Answer:
    def __init__(self, status: int, body: str):
        self.status = status
        self.text = body
        self.root = ET.fromstring(body.encode("utf-8"))
        self.body = self.root.find("env:Body", NS)[0]

    @property
    def fault(self) -> tuple:
        """(code, subcodes...) of a fault."""
        assert self.body.tag == "{%s}Fault" % soap.ENV, self.text
        values = [v.text for v in self.body.iter("{%s}Value" % soap.ENV)]
        return tuple(v.split(":", 1)[1] if v.startswith("SOAP-ENV:") else v for v in values)

    @property
    def reason(self) -> str:
        return self.body.find("env:Reason/env:Text", NS).text


def soap_call(device, operation: str, inner: str = "", body: str = None, media: str = None) -> Answer:
    """POST one operation to the handler as the server would (describe -> handler)."""
    raw = (body if body is not None else ENVELOPE % operation_xml(operation, inner)).encode()
    ctype = media or content_type(operation)
    spec = REGISTRY[PATH]
    if not spec.available(device):
        reply = not_found(PATH)
        return reply
    args = soap.describe(raw, ctype, {})
    reply = spec.handler(device, CgiRequest("POST", PATH, args, raw, ctype))
    assert reply.content_type == "application/soap+xml; charset=utf-8"
    return Answer(reply.status, reply.body)


def condition(topic: str, message: str = "", tag: str = "aa:Condition") -> str:
    content = "<wsnt:MessageContent %s>%s</wsnt:MessageContent>" % (ITEM_FILTER, message) if message else ""
    return "<%s><wsnt:TopicExpression %s>%s</wsnt:TopicExpression>%s</%s>" % (tag, CONCRETE, topic, content, tag)


def add_configuration(device, template=event_catalog.UNLIMITED_RECORDING, name="rec", **parameters) -> Answer:
    values = (
        {
            "storage_id": "SD_DISK",
            "stream_options": "resolution=1280x720&amp;fps=15",
            "pre_duration": "5000",
            "post_duration": "30000",
        }
        if template in event_catalog.RECORDING_TEMPLATES
        else {}
    )
    values.update(parameters)
    params = "".join('<aa:Parameter Name="%s" Value="%s"/>' % item for item in values.items())
    return soap_call(
        device,
        "AddActionConfiguration",
        "<aa:NewActionConfiguration><aa:Name>%s</aa:Name>"
        "<aa:TemplateToken>%s</aa:TemplateToken><aa:Parameters>%s</aa:Parameters>"
        "</aa:NewActionConfiguration>" % (name, template, params),
    )


def add_rule(device, action, conditions: str, name="Motion to SD", enabled="true") -> Answer:
    return soap_call(
        device,
        "AddActionRule",
        "<aa:NewActionRule><aa:Name>%s</aa:Name><aa:Enabled>%s</aa:Enabled>"
        "<aa:Conditions>%s</aa:Conditions><aa:PrimaryAction>%s</aa:PrimaryAction>"
        "</aa:NewActionRule>" % (name, enabled, conditions, action),
    )


MOTION = condition(
    "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1", 'boolean(//SimpleItem[@Name="active" and @Value="1"])'
)


def topic_paths(device) -> dict:
    """{topic expression: leaf element} from GetEventInstances, rebuilt from the tree."""
    answer = soap_call(device, "GetEventInstances")
    assert answer.status == 200
    topic_set = answer.body.find("wstop:TopicSet", NS)
    prefixes = {soap.TNS1: "tns1", soap.TNSAXIS: "tnsaxis"}
    found = {}

    def walk(element, path):
        for item in element:
            namespace, _, name = item.tag[1:].partition("}") if item.tag.startswith("{") else ("", "", item.tag)
            segment = "%s:%s" % (prefixes[namespace], name) if namespace else name
            if item.get("{%s}topic" % soap.WSTOP) == "true":
                found["/".join(path + [segment])] = item
            elif namespace not in (soap.AEV,):
                walk(item, path + [segment])

    walk(topic_set, [])
    return found


def instances(leaf, item: str) -> list:
    for simple in leaf.iter("{%s}SimpleItemInstance" % soap.AEV):
        if simple.get("Name") == item:
            return [value.text for value in simple.findall("aev:Value", NS)]
    raise AssertionError("no item %s" % item)


# --- registration and firmware ------------------------------------------------------------------


def test_registration_roles_and_write_flags():
    spec = REGISTRY[PATH]
    for operation in (
        "GetActionTemplates",
        "GetActionConfigurations",
        "GetActionRules",
        "GetEventInstances",
        "GetScheduledEvents",
    ):
        assert spec.role_for({"operation": operation}) == "viewer"
        assert spec.is_write({"operation": operation}) is False
    for operation in (
        "AddActionConfiguration",
        "RemoveActionConfiguration",
        "AddActionRule",
        "RemoveActionRule",
        "AddScheduledEvent",
        "RemoveScheduledEvent",
    ):
        assert spec.role_for({"operation": operation}) == "operator"
        assert spec.is_write({"operation": operation}) is True


@pytest.mark.parametrize("firmware,has", [("12.11", True), ("9.80", False), ("5.51", True)])
def test_service_follows_the_firmware_preset(firmware, has):
    device = make_camera(1, 8001, firmware_key=firmware)
    assert REGISTRY[PATH].available(device) is has
    # Factory schedules only where the service exists.
    assert bool(device.scheduled_events) is has


def test_describe_names_the_operation_and_a_differing_action():
    body = (ENVELOPE % "<aa:AddActionRule/>").encode()
    assert soap.describe(body, content_type("AddActionRule"), {}) == {"operation": "AddActionRule"}
    assert soap.describe(body, "application/soap+xml", {"SOAPAction": '"%s/GetActionRules"' % soap.AA}) == {
        "operation": "AddActionRule",
        "action": "GetActionRules",
    }
    # Unreadable body: the operation the headers name is what gets logged.
    assert soap.describe(b"<broken", content_type("RemoveActionRule"), {}) == {"operation": "RemoveActionRule"}


# --- factory state and reads ----------------------------------------------------------------------


def test_factory_camera_has_predefined_schedules_and_no_rules():
    device = make_camera(1, 8001)
    rules = soap_call(device, "GetActionRules")
    assert rules.status == 200
    assert rules.body.tag == "{%s}GetActionRulesResponse" % soap.AA
    assert list(rules.body.find("aa:ActionRules", NS)) == []
    configurations = soap_call(device, "GetActionConfigurations")
    assert list(configurations.body.find("aa:ActionConfigurations", NS)) == []
    schedules = soap_call(device, "GetScheduledEvents")
    events = schedules.body.findall("aev:ScheduledEvents/aev:ScheduledEvent", NS)
    assert [(e.findtext("aev:EventID", namespaces=NS), e.findtext("aev:Name", namespaces=NS)) for e in events] == [
        ("com.axis.schedules.office_hours", "Office hours"),
        ("com.axis.schedules.after_hours", "After hours"),
        ("com.axis.schedules.weekdays", "Weekdays"),
        ("com.axis.schedules.weekends", "Weekends"),
    ]
    ical = events[0].find("aev:Schedule/aev:ICalendar", NS)
    assert ical.get("Dialect") == "http://www.axis.com/vapix/ws/ical1"
    assert ical.text == ("DTSTART:19700105T080000\nDTEND:19700105T170000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def test_envelope_declares_every_prefix():
    answer = soap_call(make_camera(1, 8001), "GetActionRules")
    for prefix, namespace in soap.NAMESPACES:
        assert 'xmlns:%s="%s"' % (prefix, namespace) in answer.text
    assert answer.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope')


def test_action_templates():
    answer = soap_call(make_camera(1, 8001), "GetActionTemplates")
    templates = {}
    for item in answer.body.findall("aa:ActionTemplates/aa:ActionTemplate", NS):
        templates[item.findtext("aa:TemplateToken", namespaces=NS)] = [
            p.get("Name") for p in item.findall("aa:Parameters/aa:Parameter", NS)
        ]
    recording = ["storage_id", "stream_options", "pre_duration", "post_duration"]
    assert templates["com.axis.action.fixed.recording.storage"] == recording
    assert templates["com.axis.action.unlimited.recording.storage"] == recording
    assert templates["com.axis.action.unlimited.recording_group.storage"] == ["recording_group"]
    assert "com.axis.action.unlimited.ledcontrol" in templates
    assert "com.axis.action.fixed.notification.smtp" in templates
    recipients = soap_call(make_camera(1, 8001), "GetRecipientTemplates").body.findall(
        "aa:RecipientTemplates/aa:RecipientTemplate", NS
    )
    assert [r.findtext("aa:TemplateToken", namespaces=NS) for r in recipients] == [
        "com.axis.recipient.smtp",
        "com.axis.recipient.http",
    ]
    configured = soap_call(make_camera(1, 8001), "GetRecipientConfigurations").body
    assert list(configured.find("aa:RecipientConfigurations", NS)) == []
    # No Recording group API before AXIS OS 12: no template for it.
    old = soap_call(make_camera(1, 8001, firmware_key="5.51"), "GetActionTemplates")
    assert "com.axis.action.unlimited.recording_group.storage" not in old.text


def test_event_instances_of_a_camera():
    device = make_camera(1, 8001)
    topics = topic_paths(device)
    assert list(topics) == [
        "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1",
        "tns1:Device/tnsaxis:IO/Port",
        "tns1:Device/tnsaxis:IO/VirtualInput",
        "tns1:UserAlarm/tnsaxis:Recurring/Interval",
        "tnsaxis:Storage/Disruption",
        "tnsaxis:Storage/Recording",
    ]
    vmd = topics["tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"]
    message = vmd.find("aev:MessageInstance", NS)
    assert message.get("{%s}isProperty" % soap.AEV) == "true"
    data = message.find("aev:DataInstance/aev:SimpleItemInstance", NS)
    assert (data.get("Name"), data.get("Type")) == ("active", "xsd:boolean")
    assert instances(topics["tns1:Device/tnsaxis:IO/Port"], "port") == ["1"]
    assert instances(topics["tns1:Device/tnsaxis:IO/VirtualInput"], "port") == [str(n) for n in range(1, 33)]
    assert instances(topics["tns1:UserAlarm/tnsaxis:Recurring/Interval"], "id") == list(device.scheduled_events)
    assert instances(topics["tnsaxis:Storage/Disruption"], "disk_id") == ["SD_DISK", "NetworkShare"]


def test_multisensor_camera_offers_vmd_per_channel():
    device = make_camera(6, 8006, sensors=4)
    vmd = [t for t in topic_paths(device) if "/VMD/" in t]
    assert vmd == ["tnsaxis:CameraApplicationPlatform/VMD/Camera%dProfile1" % n for n in range(1, 5)]
    device.vmd_profiles = 2
    assert len([t for t in topic_paths(device) if "/VMD/" in t]) == 8


def test_firmware_551_offers_motion_alarm_and_four_inputs():
    device = make_camera(5, 8005, firmware_key="5.51")
    topics = topic_paths(device)
    assert not any("/VMD/" in t for t in topics)
    assert instances(topics["tns1:VideoSource/MotionAlarm"], "channel") == ["1"]
    assert instances(topics["tns1:Device/tnsaxis:IO/Port"], "port") == ["1", "2", "3", "4"]


def test_recorder_offers_motion_per_external_device():
    device = make_recorder(3, 8003)
    topics = topic_paths(device)
    assert not any("/VMD/" in t for t in topics)
    assert "tns1:Device/tnsaxis:IO/Port" not in topics  # no digital inputs
    assert instances(topics[event_catalog.RECORDER_MOTION_TOPIC], "device") == []
    device.external_devices["cam1"] = ExternalDevice("cam1")
    device.external_devices["cam2"] = ExternalDevice("cam2")
    assert instances(topic_paths(device)[event_catalog.RECORDER_MOTION_TOPIC], "device") == ["cam1", "cam2"]
    # A recording on the recorder names the camera with device=<id>.
    assert (
        add_configuration(device, storage_id="HDD_DISK", stream_options="device=cam9").fault[-1]
        == "aa:InvalidParameter"
    )
    assert add_configuration(device, storage_id="HDD_DISK", stream_options="device=cam2&amp;fps=15").status == 200
    motion = condition(
        event_catalog.RECORDER_MOTION_TOPIC,
        'boolean(//SimpleItem[@Name="device" and @Value="cam2"]) and '
        'boolean(//SimpleItem[@Name="active" and @Value="1"])',
    )
    assert add_rule(device, 1, motion).status == 200
    unknown = condition(event_catalog.RECORDER_MOTION_TOPIC, 'boolean(//SimpleItem[@Name="device" and @Value="cam7"])')
    assert add_rule(device, 1, unknown).fault[-1] == "aa:InvalidMessageContent"


# --- writes -----------------------------------------------------------------------------------


def test_add_and_read_a_recording_rule():
    device = make_camera(1, 8001)
    added = add_configuration(device)
    assert added.status == 200
    assert added.body.tag == "{%s}AddActionConfigurationResponse" % soap.AA
    assert added.body.findtext("aa:ConfigurationID", namespaces=NS) == "1"
    rule = add_rule(
        device,
        1,
        MOTION
        + condition(
            "tns1:Device/tnsaxis:IO/Port",
            'boolean(//SimpleItem[@Name="port" and @Value="1"]) and '
            'boolean(//SimpleItem[@Name="state" and @Value="1"])',
        ),
    )
    assert rule.body.tag == "{%s}AddActionRuleResponse" % soap.AA
    assert rule.body.findtext("aa:RuleID", namespaces=NS) == "1"

    configuration = soap_call(device, "GetActionConfigurations").body.find(
        "aa:ActionConfigurations/aa:ActionConfiguration", NS
    )
    assert [child.tag.split("}")[1] for child in configuration] == [
        "ConfigurationID",
        "Name",
        "TemplateToken",
        "Parameters",
    ]
    assert configuration.findtext("aa:TemplateToken", namespaces=NS) == "com.axis.action.unlimited.recording.storage"
    assert {p.get("Name"): p.get("Value") for p in configuration.findall("aa:Parameters/aa:Parameter", NS)} == {
        "storage_id": "SD_DISK",
        "stream_options": "resolution=1280x720&fps=15",
        "pre_duration": "5000",
        "post_duration": "30000",
    }

    listed = soap_call(device, "GetActionRules").body.find("aa:ActionRules/aa:ActionRule", NS)
    assert [child.tag.split("}")[1] for child in listed] == ["RuleID", "Name", "Enabled", "Conditions", "PrimaryAction"]
    assert listed.findtext("aa:Name", namespaces=NS) == "Motion to SD"
    assert listed.findtext("aa:Enabled", namespaces=NS) == "true"
    assert listed.findtext("aa:PrimaryAction", namespaces=NS) == "1"
    conditions = listed.findall("aa:Conditions/aa:Condition", NS)
    assert [c.findtext("wsnt:TopicExpression", namespaces=NS) for c in conditions] == [
        "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1",
        "tns1:Device/tnsaxis:IO/Port",
    ]
    expression = conditions[0].find("wsnt:TopicExpression", NS)
    assert expression.get("Dialect") == "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
    content = conditions[0].find("wsnt:MessageContent", NS)
    assert content.get("Dialect") == "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
    assert content.text == 'boolean(//SimpleItem[@Name="active" and @Value="1"])'


def test_optional_rule_parts_and_disabled_rule():
    device = make_camera(1, 8001)
    add_configuration(device)
    add_configuration(device, name="second")
    answer = soap_call(
        device,
        "AddActionRule",
        (
            "<aa:NewActionRule><aa:Name>all parts</aa:Name><aa:Enabled>false</aa:Enabled>%s"
            "<aa:Conditions/><aa:ActivationTimeout>PT10S</aa:ActivationTimeout>"
            "<aa:PrimaryAction>1</aa:PrimaryAction><aa:FailoverAction>2</aa:FailoverAction>"
            "</aa:NewActionRule>"
        )
        % condition(
            "tns1:Device/tnsaxis:IO/VirtualInput", 'boolean(//SimpleItem[@Name="port" and @Value="3"])', "aa:StartEvent"
        ),
    )
    assert answer.status == 200
    rule = soap_call(device, "GetActionRules").body.find("aa:ActionRules/aa:ActionRule", NS)
    assert [child.tag.split("}")[1] for child in rule] == [
        "RuleID",
        "Name",
        "Enabled",
        "StartEvent",
        "Conditions",
        "ActivationTimeout",
        "PrimaryAction",
        "FailoverAction",
    ]
    assert rule.findtext("aa:Enabled", namespaces=NS) == "false"
    assert rule.findtext("aa:FailoverAction", namespaces=NS) == "2"
    # Both configurations are in use: neither can go.
    for number in (1, 2):
        refused = soap_call(device, "RemoveActionConfiguration", "<aa:ConfigurationID>%d</aa:ConfigurationID>" % number)
        assert refused.fault == ("Sender", "ter:OperationProhibited", "aa:ConfigurationInUse")


def test_topic_prefixes_of_the_request_are_resolved():
    device = make_camera(1, 8001)
    add_configuration(device)
    body = (
        '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:act="http://www.axis.com/vapix/ws/action1" '
        'xmlns:b="http://docs.oasis-open.org/wsn/b-2" '
        'xmlns:onvif="http://www.onvif.org/ver10/topics" '
        'xmlns:axis="http://www.axis.com/2009/event/topics"><e:Body>'
        "<act:AddActionRule><act:NewActionRule><act:Name>r</act:Name><act:Conditions>"
        "<act:Condition><b:TopicExpression %s>onvif:Device/axis:IO/VirtualInput"
        "</b:TopicExpression></act:Condition></act:Conditions>"
        "<act:PrimaryAction>1</act:PrimaryAction></act:NewActionRule></act:AddActionRule>"
        "</e:Body></e:Envelope>" % CONCRETE
    )
    assert soap_call(device, "AddActionRule", body=body).status == 200
    assert device.action_rules[1].conditions == [{"topic": "tns1:Device/tnsaxis:IO/VirtualInput", "message": ""}]


def test_ids_are_never_reused_and_removal_shapes():
    device = make_camera(1, 8001)
    add_configuration(device)
    add_rule(device, 1, MOTION)
    removed = soap_call(device, "RemoveActionRule", "<aa:RuleID>1</aa:RuleID>")
    assert removed.status == 200
    assert removed.body.tag == "{%s}RemoveActionRuleResponse" % soap.AA and len(removed.body) == 0
    gone = soap_call(device, "RemoveActionConfiguration", "<aa:ConfigurationID>1</aa:ConfigurationID>")
    assert gone.body.tag == "{%s}RemoveActionConfigurationResponse" % soap.AA
    assert add_configuration(device).body.findtext("aa:ConfigurationID", namespaces=NS) == "2"
    assert add_rule(device, 2, MOTION).body.findtext("aa:RuleID", namespaces=NS) == "2"


def test_schedules_add_list_topic_and_remove():
    device = make_camera(1, 8001)
    ical = "DTSTART:19700101T180000\nDTEND:19700102T060000\nRRULE:FREQ=WEEKLY;BYDAY=SA,SU"
    added = soap_call(
        device,
        "AddScheduledEvent",
        (
            "<aev:NewScheduledEvent><aev:Name>Nights</aev:Name><aev:Schedule>"
            '<aev:ICalendar Dialect="http://www.axis.com/vapix/ws/ical1">%s</aev:ICalendar>'
            "</aev:Schedule></aev:NewScheduledEvent>"
        )
        % ical,
    )
    assert added.body.tag == "{%s}AddScheduledEventResponse" % soap.AEV
    assert added.body.findtext("aev:EventID", namespaces=NS) == "1"
    named = soap_call(
        device,
        "AddScheduledEvent",
        (
            "<aev:NewScheduledEvent><aev:Name>Lunch</aev:Name><aev:EventID>lunch</aev:EventID>"
            "<aev:Schedule><aev:ICalendar>DTSTART:19700101T120000\r\nDTEND:19700101T130000"
            "</aev:ICalendar></aev:Schedule></aev:NewScheduledEvent>"
        ),
    )
    assert named.body.findtext("aev:EventID", namespaces=NS) == "lunch"
    listed = soap_call(device, "GetScheduledEvents").body.findall("aev:ScheduledEvents/aev:ScheduledEvent", NS)
    assert [e.findtext("aev:EventID", namespaces=NS) for e in listed][-2:] == ["1", "lunch"]
    assert listed[-2].findtext("aev:Schedule/aev:ICalendar", namespaces=NS) == ical
    assert (
        listed[-1].findtext("aev:Schedule/aev:ICalendar", namespaces=NS)
        == "DTSTART:19700101T120000\nDTEND:19700101T130000"
    )
    interval = topic_paths(device)["tns1:UserAlarm/tnsaxis:Recurring/Interval"]
    assert instances(interval, "id")[-2:] == ["1", "lunch"]
    # A rule on the schedule holds it; once the rule is gone it can be removed.
    add_configuration(device)
    add_rule(
        device,
        1,
        condition("tns1:UserAlarm/tnsaxis:Recurring/Interval", 'boolean(//SimpleItem[@Name="id" and @Value="lunch"])'),
    )
    held = soap_call(device, "RemoveScheduledEvent", "<aev:EventID>lunch</aev:EventID>")
    assert held.fault == ("Sender", "ter:OperationProhibited", "aev:ScheduleInUse")
    soap_call(device, "RemoveActionRule", "<aa:RuleID>1</aa:RuleID>")
    removed = soap_call(device, "RemoveScheduledEvent", "<aev:EventID>lunch</aev:EventID>")
    assert removed.body.tag == "{%s}RemoveScheduledEventResponse" % soap.AEV
    assert "lunch" not in device.scheduled_events


# --- faults -----------------------------------------------------------------------------------


def _state(device) -> str:
    data = device.to_dict()
    return json.dumps(
        {
            k: data[k]
            for k in (
                "action_configurations",
                "action_rules",
                "scheduled_events",
                "next_configuration_id",
                "next_rule_id",
                "next_schedule_id",
            )
        },
        sort_keys=True,
    )


NEW_RULE = (
    "<aa:NewActionRule><aa:Name>r</aa:Name><aa:Conditions>%s</aa:Conditions>"
    "<aa:PrimaryAction>%s</aa:PrimaryAction></aa:NewActionRule>"
)
SCHEDULE = (
    "<aev:NewScheduledEvent><aev:Name>s</aev:Name>%s<aev:Schedule>"
    "<aev:ICalendar>%s</aev:ICalendar></aev:Schedule></aev:NewScheduledEvent>"
)
GOOD_ICAL = "DTSTART:19700101T080000\nDTEND:19700101T090000"

FAULTS = [
    # (name, operation, inner, expected fault codes, text in the reason)
    (
        "unknown template",
        "AddActionConfiguration",
        "<aa:NewActionConfiguration><aa:TemplateToken>com.example.nothing</aa:TemplateToken>"
        "</aa:NewActionConfiguration>",
        ("Sender", "ter:InvalidArgVal", "aa:InvalidTemplate"),
        "com.example.nothing",
    ),
    (
        "missing template token",
        "AddActionConfiguration",
        "<aa:NewActionConfiguration><aa:Name>x</aa:Name></aa:NewActionConfiguration>",
        ("Sender", "ter:InvalidArgs", "ter:MissingArgument"),
        "TemplateToken",
    ),
    (
        "missing NewActionConfiguration",
        "AddActionConfiguration",
        "",
        ("Sender", "ter:InvalidArgs", "ter:MissingArgument"),
        "NewActionConfiguration",
    ),
    (
        "parameter without value",
        "AddActionConfiguration",
        "<aa:NewActionConfiguration><aa:TemplateToken>%s</aa:TemplateToken><aa:Parameters>"
        '<aa:Parameter Name="storage_id"/></aa:Parameters></aa:NewActionConfiguration>' % event_catalog.FIXED_RECORDING,
        ("Sender", "ter:InvalidArgs", "ter:MissingAttr"),
        "Name and Value",
    ),
    (
        "missing template parameter",
        "AddActionConfiguration",
        "<aa:NewActionConfiguration><aa:TemplateToken>%s</aa:TemplateToken><aa:Parameters>"
        '<aa:Parameter Name="storage_id" Value="SD_DISK"/></aa:Parameters>'
        "</aa:NewActionConfiguration>" % event_catalog.FIXED_RECORDING,
        ("Sender", "ter:InvalidArgVal", "aa:InvalidParameter"),
        "post_duration",
    ),
    (
        "unknown rule id",
        "RemoveActionRule",
        "<aa:RuleID>42</aa:RuleID>",
        ("Sender", "ter:InvalidArgVal", "aa:NoSuchRule"),
        "42",
    ),
    (
        "rule id not an integer",
        "RemoveActionRule",
        "<aa:RuleID>one</aa:RuleID>",
        ("Sender", "ter:InvalidArgVal"),
        "RuleID",
    ),
    (
        "unknown configuration id",
        "RemoveActionConfiguration",
        "<aa:ConfigurationID>9</aa:ConfigurationID>",
        ("Sender", "ter:InvalidArgVal", "aa:NoSuchConfiguration"),
        "9",
    ),
    (
        "rule whose action does not exist",
        "AddActionRule",
        NEW_RULE % (MOTION, 7),
        ("Sender", "ter:InvalidArgVal", "aa:NoSuchConfiguration"),
        "PrimaryAction 7",
    ),
    (
        "rule without a name",
        "AddActionRule",
        "<aa:NewActionRule><aa:Conditions>%s</aa:Conditions><aa:PrimaryAction>1"
        "</aa:PrimaryAction></aa:NewActionRule>" % MOTION,
        ("Sender", "ter:InvalidArgs", "ter:MissingArgument"),
        "Name",
    ),
    (
        "rule without a condition",
        "AddActionRule",
        NEW_RULE % ("", 1),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidCondition"),
        "Condition",
    ),
    (
        "Enabled not a boolean",
        "AddActionRule",
        "<aa:NewActionRule><aa:Name>r</aa:Name><aa:Enabled>maybe</aa:Enabled>"
        "<aa:Conditions>%s</aa:Conditions><aa:PrimaryAction>1</aa:PrimaryAction>"
        "</aa:NewActionRule>" % MOTION,
        ("Sender", "ter:InvalidArgVal"),
        "Enabled",
    ),
    (
        "VMD of a channel the camera lacks",
        "AddActionRule",
        NEW_RULE % (condition("tnsaxis:CameraApplicationPlatform/VMD/Camera9Profile1"), 1),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidTopic"),
        "Camera9Profile1",
    ),
    (
        "unknown topic",
        "AddActionRule",
        NEW_RULE % (condition("tns1:Nothing/tnsaxis:Here"), 1),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidTopic"),
        "tns1:Nothing/tnsaxis:Here",
    ),
    (
        "undeclared topic prefix",
        "AddActionRule",
        NEW_RULE % (condition("nope:Device/tnsaxis:IO/Port"), 1),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidTopic"),
        "'nope'",
    ),
    (
        "input port the camera lacks",
        "AddActionRule",
        NEW_RULE % (condition("tns1:Device/tnsaxis:IO/Port", 'boolean(//SimpleItem[@Name="port" and @Value="2"])'), 1),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidMessageContent"),
        "port '2'",
    ),
    (
        "item the topic lacks",
        "AddActionRule",
        NEW_RULE
        % (
            condition(
                "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1",
                'boolean(//SimpleItem[@Name="state" and @Value="1"])',
            ),
            1,
        ),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidMessageContent"),
        "no item 'state'",
    ),
    (
        "unknown schedule id",
        "AddActionRule",
        NEW_RULE
        % (
            condition(
                "tns1:UserAlarm/tnsaxis:Recurring/Interval", 'boolean(//SimpleItem[@Name="id" and @Value="nope"])'
            ),
            1,
        ),
        ("Sender", "ter:InvalidArgVal", "aa:InvalidMessageContent"),
        "'nope'",
    ),
    (
        "schedule without DTEND",
        "AddScheduledEvent",
        SCHEDULE % ("", "DTSTART:19700101T080000"),
        ("Sender", "ter:InvalidArgVal", "aev:InvalidSchedule"),
        "DTEND",
    ),
    (
        "schedule ending before its start",
        "AddScheduledEvent",
        SCHEDULE % ("", "DTSTART:19700101T080000\nDTEND:19700101T070000"),
        ("Sender", "ter:InvalidArgVal", "aev:InvalidSchedule"),
        "after DTSTART",
    ),
    (
        "schedule with a bad day",
        "AddScheduledEvent",
        SCHEDULE % ("", GOOD_ICAL + "\nRRULE:FREQ=WEEKLY;BYDAY=XX"),
        ("Sender", "ter:InvalidArgVal", "aev:InvalidSchedule"),
        "BYDAY",
    ),
    (
        "schedule without ICalendar",
        "AddScheduledEvent",
        "<aev:NewScheduledEvent><aev:Name>s</aev:Name><aev:Schedule/></aev:NewScheduledEvent>",
        ("Sender", "ter:InvalidArgs", "ter:MissingArgument"),
        "ICalendar",
    ),
    (
        "schedule id taken",
        "AddScheduledEvent",
        SCHEDULE % ("<aev:EventID>com.axis.schedules.weekends</aev:EventID>", GOOD_ICAL),
        ("Sender", "ter:InvalidArgVal", "aev:EventIDExists"),
        "already exists",
    ),
    (
        "schedule id invalid",
        "AddScheduledEvent",
        SCHEDULE % ("<aev:EventID>a b</aev:EventID>", GOOD_ICAL),
        ("Sender", "ter:InvalidArgVal", "aev:InvalidEventID"),
        "a b",
    ),
    (
        "unknown schedule removed",
        "RemoveScheduledEvent",
        "<aev:EventID>x</aev:EventID>",
        ("Sender", "ter:InvalidArgVal", "aev:NoSuchEvent"),
        "x",
    ),
]


@pytest.mark.parametrize("name,operation,inner,codes,reason", FAULTS, ids=[case[0] for case in FAULTS])
def test_faults_change_nothing(name, operation, inner, codes, reason):
    device = make_camera(1, 8001)
    assert add_configuration(device).status == 200
    before = _state(device)
    answer = soap_call(device, operation, inner)
    assert answer.status == 400
    assert answer.fault == codes
    assert reason in answer.reason
    assert _state(device) == before


@pytest.mark.parametrize(
    "parameters,reason",
    [
        ({"storage_id": "USB_DISK"}, "USB_DISK"),
        ({"pre_duration": "5s"}, "pre_duration"),
        ({"post_duration": "-1"}, "post_duration"),
        ({"stream_options": "camera=2"}, "camera=2"),
        ({"stream_options": "=x"}, "option string"),
        ({"surprise": "1"}, "surprise"),
    ],
)
def test_recording_parameters_are_validated(parameters, reason):
    device = make_camera(1, 8001)
    answer = add_configuration(device, **parameters)
    assert answer.fault == ("Sender", "ter:InvalidArgVal", "aa:InvalidParameter")
    assert reason in answer.reason
    assert device.action_configurations == {}


def test_recording_to_any_disk_and_channel_of_the_device():
    device = make_camera(6, 8006, sensors=4, second_sd=True)
    assert add_configuration(device, storage_id="NetworkShare").status == 200
    assert (
        add_configuration(
            device, event_catalog.FIXED_RECORDING, storage_id="SD_DISK2", stream_options="camera=4"
        ).status
        == 200
    )


def test_group_recording_names_an_existing_group():
    from vapix_sim.model import RecordingGroup

    device = make_camera(1, 8001)
    assert (
        add_configuration(device, event_catalog.GROUP_RECORDING, recording_group="g1").fault[-1]
        == "aa:InvalidParameter"
    )
    device.recording_groups["g1"] = RecordingGroup("g1", "SD_DISK")
    assert add_configuration(device, event_catalog.GROUP_RECORDING, recording_group="g1").status == 200


@pytest.mark.parametrize(
    "body,codes,status",
    [
        ("<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'><s:Body>", ("Sender", "ter:WellFormed"), 400),
        ("", ("Sender", "ter:WellFormed"), 400),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + ENVELOPE[38:] % "", ("Sender", "ter:WellFormed"), 400),
        ("<plain/>", ("Sender", "ter:WellFormed"), 400),
        (
            "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
            "<aa:GetActionRules xmlns:aa='http://www.axis.com/vapix/ws/action1'/></s:Body>"
            "</s:Envelope>",
            ("VersionMismatch",),
            500,
        ),
        (ENVELOPE % "", ("Sender", "ter:InvalidArgs"), 400),
        (ENVELOPE % "<aa:ModifyActionRule/>", ("Receiver", "ter:ActionNotSupported"), 500),
        (ENVELOPE % "<aev:GetActionRules/>", ("Receiver", "ter:ActionNotSupported"), 500),
    ],
)
def test_transport_faults(body, codes, status):
    answer = soap_call(make_camera(1, 8001), "GetActionRules", body=body)
    assert (answer.status, answer.fault) == (status, codes)


def test_action_that_differs_from_the_body_is_refused():
    device = make_camera(1, 8001)
    answer = soap_call(
        device, "AddActionRule", body=ENVELOPE % "<aa:GetActionRules/>", media=content_type("AddActionRule")
    )
    assert answer.fault == ("Sender", "ter:InvalidArgs", "ter:ActionMismatch")


# --- presets and state ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "build,motion",
    [
        (lambda: make_camera(1, 8001), "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"),
        (lambda: make_camera(5, 8005, firmware_key="5.51"), "tns1:VideoSource/MotionAlarm"),
        (lambda: make_recorder(3, 8003), event_catalog.RECORDER_MOTION_TOPIC),
    ],
)
def test_vms_preset_is_what_the_services_accept(build, motion):
    device = build()
    assert event_catalog.apply_preset(device, "vms") == [1, 2]
    rules = soap_call(device, "GetActionRules").body.findall("aa:ActionRules/aa:ActionRule", NS)
    assert [r.findtext("aa:Name", namespaces=NS) for r in rules] == ["VMS motion recording", "VMS status LED"]
    assert rules[0].findtext("aa:Conditions/aa:Condition/wsnt:TopicExpression", namespaces=NS) == motion
    recording = device.action_configurations[1]
    assert recording.template == "com.axis.action.unlimited.recording.storage"
    assert (recording.parameters["pre_duration"], recording.parameters["post_duration"]) == ("5000", "30000")
    assert device.action_configurations[2].template == "com.axis.action.unlimited.ledcontrol"
    # What the preset made passes the device's own checks: a client re-adding it succeeds.
    fresh = build()
    for external in device.external_devices.values():
        fresh.external_devices[external.dev_id] = external
    for configuration in device.action_configurations.values():
        assert (
            add_configuration(
                fresh,
                configuration.template,
                configuration.name,
                **{k: v.replace("&", "&amp;") for k, v in configuration.parameters.items()},
            ).status
            == 200
        )
    for rule in device.action_rules.values():
        conditions = "".join(condition(c["topic"], c["message"]) for c in rule.conditions)
        assert add_rule(fresh, rule.primary_action, conditions, rule.name).status == 200


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="vms"):
        event_catalog.apply_preset(make_camera(1, 8001), "nvr")
    with pytest.raises(ValueError, match="preset must be one of vms"):
        FleetConfig(preset="nvr").validate()


def test_state_file_keeps_rules_schedules_and_groups(tmp_path):
    path = str(tmp_path / "state.json")
    config = FleetConfig(devices=2, base_port=0, profile="mixed", state_file=path)
    fleet = Fleet(config, [18901, 18902])
    device = fleet.nodes[0].device
    event_catalog.apply_preset(device, "vms")
    soap_call(device, "AddScheduledEvent", SCHEDULE % ("", GOOD_ICAL))
    from vapix_sim.model import RecordingGroup

    device.recording_groups["g1"] = RecordingGroup("g1", "SD_DISK", nice_name="Door")
    fleet.save_state(path)
    restored = (
        Fleet(FleetConfig(devices=2, base_port=0, profile="mixed", state_file=path), [18901, 18902]).nodes[0].device
    )
    assert restored.action_rules == device.action_rules
    assert restored.action_configurations == device.action_configurations
    assert restored.scheduled_events == device.scheduled_events
    assert restored.recording_groups == device.recording_groups
    assert (restored.next_rule_id, restored.next_configuration_id) == (3, 3)
    assert sorted(restored.action_rules) == [1, 2]  # integer keys again


# --- over HTTP: auth, firmware, log, control ---------------------------------------------------


def post(fleet, operation, inner="", i=0, user="root", headers=None, data=None):
    session = fleet.session(user)
    return session.post(
        fleet.url("vapix/services", i),
        data=data if data is not None else (ENVELOPE % operation_xml(operation, inner)).encode(),
        headers=headers or {"Content-Type": content_type(operation)},
        timeout=10,
    )


def test_http_auth_roles_and_request_log(fleet_factory):
    fleet = fleet_factory(devices=1)
    assert post(fleet, "GetActionRules", user="viewer").status_code == 200
    denied = post(fleet, "AddActionRule", NEW_RULE % (MOTION, 1), user="viewer")
    assert denied.status_code == 401
    assert "Digest" in denied.headers["WWW-Authenticate"]
    fault = post(fleet, "AddActionRule", NEW_RULE % (MOTION, 1), user="operator")
    assert fault.status_code == 400
    assert fault.headers["Content-Type"] == "application/soap+xml; charset=utf-8"
    # The SOAPAction header instead of action=... in the content type.
    answer = post(
        fleet,
        "GetEventInstances",
        headers={
            "Content-Type": "application/soap+xml; charset=utf-8",
            "SOAPAction": '"%s/GetEventInstances"' % soap.AEV,
        },
    )
    assert answer.status_code == 200 and "wstop:TopicSet" in answer.text
    anonymous = requests.post(
        fleet.url("vapix/services"),
        data=(ENVELOPE % "<aa:GetActionRules/>").encode(),
        headers={"Content-Type": content_type("GetActionRules")},
        timeout=10,
    )
    assert anonymous.status_code == 401
    log = [entry for entry in fleet.control("GET", "log")[1] if entry["status"] != 401]
    assert [(e["cgi"], e["args"]["operation"], e["write"], e["status"], e["user"]) for e in log] == [
        ("/vapix/services", "GetActionRules", False, 200, "viewer"),
        ("/vapix/services", "AddActionRule", True, 400, "operator"),
        ("/vapix/services", "GetEventInstances", False, 200, "root"),
    ]
    summary = fleet.control("GET", "fleet/log-summary")[1]["totals"]
    assert summary["by_cgi"] == {"/vapix/services": 3}


def test_http_media_type_and_method(fleet_factory):
    fleet = fleet_factory(devices=1)
    wrong = post(fleet, "GetActionRules", headers={"Content-Type": "text/xml"})
    assert wrong.status_code == 415
    got = fleet.session().get(fleet.url("vapix/services"), timeout=10)
    assert got.status_code == 405 and got.headers["Allow"] == "POST"


def test_http_firmware_without_the_service_answers_404(fleet_factory):
    fleet = fleet_factory(devices=3, firmware="12.11,9.80,5.51")
    statuses = [post(fleet, "GetActionRules", i=i).status_code for i in range(3)]
    assert statuses == [200, 404, 200]
    text = post(fleet, "GetActionRules", i=1).text
    assert "The requested URL /vapix/services was not found on this server." in text


def test_preset_option_control_call_reset_and_sim_state(fleet_factory):
    fleet = fleet_factory(devices=4, profile="mixed", firmware="12.11,9.80,12.11,12.11", preset="vms")
    state = fleet.control("GET", "state")[1]
    assert [r["name"] for r in state["action_rules"].values()] == ["VMS motion recording", "VMS status LED"]
    assert state["action_configurations"]["1"]["parameters"]["post_duration"] == "30000"
    assert fleet.control("GET", "state", i=1)[1]["action_rules"] == {}  # 9.80: no service
    recorder = fleet.control("GET", "state", i=3)[1]
    assert recorder["external_devices"]["vms_camera_1"]["password"] == "********"
    # A reset returns to the fleet's factory state, which includes the preset.
    post(fleet, "RemoveActionRule", "<aa:RuleID>2</aa:RuleID>")
    assert list(fleet.control("GET", "state")[1]["action_rules"]) == ["1"]
    fleet.control("POST", "reset")
    assert list(fleet.control("GET", "state")[1]["action_rules"]) == ["1", "2"]


def test_preset_control_call_and_drift_patch(fleet_factory):
    fleet = fleet_factory(devices=2, firmware="12.11,9.80")
    status, payload = fleet.control("POST", "preset", payload={"preset": "vms"})
    assert (status, payload) == (200, {"preset": "vms", "rules": [1, 2]})
    assert fleet.control("POST", "preset", i=1, payload={"preset": "vms"})[0] == 400
    assert fleet.control("POST", "preset", payload={"preset": "nvr"})[0] == 400
    # Drift behind the collection's back: disable the rule, change a duration.
    status, state = fleet.control(
        "POST",
        "state",
        payload={
            "action_rules": {"1": {"enabled": False}},
            "action_configurations": {"1": {"parameters": {"post_duration": "10000"}}},
        },
    )
    assert status == 200
    rule = Answer(200, post(fleet, "GetActionRules").text).body.find("aa:ActionRules/aa:ActionRule", NS)
    assert rule.findtext("aa:Enabled", namespaces=NS) == "false"
    assert fleet.device(0).action_configurations[1].parameters["post_duration"] == "10000"
    # A new rule through the control endpoint gets its id from the key.
    status, _ = fleet.control(
        "POST", "state", payload={"action_rules": {"7": {"name": "made elsewhere", "primary_action": 2}}}
    )
    assert status == 200 and fleet.device(0).action_rules[7].rule_id == 7


# --- the captures -------------------------------------------------------------------------------

CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "real-captures"


@pytest.mark.skipif(not CAPTURES.is_dir(), reason="real captures not found at %s" % CAPTURES)
@pytest.mark.parametrize("folder,firmware", [("companion-bullet-le_9.80.2.2", "9.80"), ("p5512_5.51.7", "5.51")])
def test_web_service_and_inputs_as_the_captures_list_them(fleet_factory, folder, firmware):
    lines = (CAPTURES / folder / "param_list.txt").read_text(encoding="utf-8").splitlines()
    captured = dict(line.split("=", 1) for line in lines if "=" in line)
    fleet = fleet_factory(devices=1, firmware=firmware)
    listed = (
        fleet.session()
        .get(
            fleet.cgi_url("param.cgi?action=list&group=Properties.API.WebService.WebService,Input.NbrOfInputs"),
            timeout=10,
        )
        .text
    )
    ours = dict(line.split("=", 1) for line in listed.splitlines() if "=" in line)
    for name in ("root.Properties.API.WebService.WebService", "root.Input.NbrOfInputs"):
        assert ours[name] == captured[name], name
    expected = 200 if captured["root.Properties.API.WebService.WebService"] == "yes" else 404
    assert post(fleet, "GetActionRules").status_code == expected


def test_state_patches_of_rules_are_checked(fleet_factory):
    fleet = fleet_factory(devices=1, preset="vms")
    for patch in (
        {"action_rules": {"1": {"conditions": [{"message": "x"}]}}},
        {"action_rules": {"1": {"conditions": ["tns1:Device"]}}},
        {"action_rules": {"1": {"start_event": {"topic": 5}}}},
        {"action_configurations": {"1": {"parameters": {"pre_duration": 5000}}}},
    ):
        status, payload = fleet.control("POST", "state", payload=patch)
        assert status == 400, patch
        assert "action_" in payload["error"]
    # Nothing was applied, and the answers still render.
    assert post(fleet, "GetActionRules").status_code == 200
    assert fleet.device(0).action_configurations[1].parameters["pre_duration"] == "5000"


def test_patched_counters_never_overwrite():
    device = make_camera(1, 8001)
    add_configuration(device)
    add_rule(device, 1, MOTION)
    soap_call(device, "AddScheduledEvent", SCHEDULE % ("<aev:EventID>2</aev:EventID>", GOOD_ICAL))
    device.next_configuration_id = device.next_rule_id = device.next_schedule_id = 1
    assert add_configuration(device).body.findtext("aa:ConfigurationID", namespaces=NS) == "2"
    assert add_rule(device, 1, MOTION).body.findtext("aa:RuleID", namespaces=NS) == "2"
    added = soap_call(device, "AddScheduledEvent", SCHEDULE % ("", GOOD_ICAL))
    assert added.body.findtext("aev:EventID", namespaces=NS) == "1"
    again = soap_call(device, "AddScheduledEvent", SCHEDULE % ("", GOOD_ICAL))
    assert again.body.findtext("aev:EventID", namespaces=NS) == "3"
    assert len(device.action_rules) == 2 and len(device.action_configurations) == 2


def test_cli_preset_option(capsys):
    from vapix_sim.cli import build_parser, config_from_args

    assert config_from_args(build_parser().parse_args(["--preset", "vms"])).preset == "vms"
    assert config_from_args(build_parser().parse_args([])).preset is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--preset", "nvr"])
    assert "invalid choice: 'nvr'" in capsys.readouterr().err


def test_faults_hit_the_services_like_a_cgi(fleet_factory):
    fleet = fleet_factory(devices=1)
    fleet.control("POST", "faults", payload={"http_503": 1})
    busy = post(fleet, "GetActionRules")
    assert busy.status_code == 503 and "Retry-After" in busy.headers
    assert post(fleet, "GetActionRules").status_code == 200
