"""The Event and action services: SOAP 1.2 at /vapix/services (action1 and event1).

Transport and faults are in soap.py, topics, templates and presets in event_catalog.py. Ids of
configurations and rules are integers the device assigns and never reuses; there is no
modify operation (a change is remove and add). docs/simulator.md shows every shape.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from .. import event_catalog as catalog
from ..firmware import WEB_SERVICE
from ..http import Reply, attrs, service
from ..model import ActionConfiguration, ActionRule, ScheduledEvent
from . import soap
from .recording import stream_options_problem

PATH = "/vapix/services"

WRITE_OPERATIONS = frozenset(
    {
        "AddActionConfiguration",
        "RemoveActionConfiguration",
        "AddActionRule",
        "RemoveActionRule",
        "AddScheduledEvent",
        "RemoveScheduledEvent",
    }
)


def _role(args: dict) -> str:
    # Reading rules, templates and topics: any user; changing them: an operator.
    return "operator" if args.get("operation") in WRITE_OPERATIONS else "viewer"


def _is_write(args: dict) -> bool:
    return args.get("operation") in WRITE_OPERATIONS


def _tag(name: str, value) -> str:
    return "<%s>%s</%s>" % (name, escape(str(value)), name)


def _wrap(name: str, inner: str | None) -> str:
    return "<%s/>" % name if not inner else "<%s>%s</%s>" % (name, inner, name)


# --- topic expressions and conditions ---------------------------------------------------------


def _topic_expression(text: str, prefixes: dict) -> str:
    """A concrete topic expression with the prefixes the request declared, rewritten with
    tns1/tnsaxis (the device's prefixes); Fault when a prefix is unknown."""
    segments = []
    for segment in text.strip().split("/"):
        prefix, colon, name = segment.strip().rpartition(":")
        if not colon:
            segments.append(name)
            continue
        canonical = soap.TOPIC_PREFIXES.get(prefixes.get(prefix, ""))
        if canonical is None:
            raise soap.invalid_value("Unknown topic namespace prefix %r in %s" % (prefix, text), "aa:InvalidTopic")
        segments.append("%s:%s" % (canonical, name))
    return "/".join(segments)


def _condition(device, element, prefixes: dict) -> dict:
    expression_element = soap.child(element, "TopicExpression")
    expression = soap.text_of(expression_element)
    if not expression:
        raise soap.missing("TopicExpression")
    dialect = expression_element.get("Dialect", catalog.CONCRETE)
    if dialect.rstrip("/") not in (catalog.CONCRETE, catalog.CONCRETE + "Set"):
        raise soap.invalid_value("Unsupported topic expression dialect %s" % dialect, "aa:InvalidTopic")
    expression = _topic_expression(expression, prefixes)
    found = catalog.topic(device, expression)
    if found is None:
        raise soap.invalid_value("No such event topic on this device: %s" % expression, "aa:InvalidTopic")
    message = soap.text_of(soap.child(element, "MessageContent"))
    problem = catalog.filter_problem(found, message)
    if problem:
        raise soap.invalid_value("Invalid message content: %s" % problem, "aa:InvalidMessageContent")
    return {"topic": expression, "message": message}


def _condition_xml(tag: str, condition: dict) -> str:
    inner = "<wsnt:TopicExpression%s>%s</wsnt:TopicExpression>" % (
        attrs({"Dialect": catalog.CONCRETE}),
        escape(condition["topic"]),
    )
    if condition.get("message"):
        inner += "<wsnt:MessageContent%s>%s</wsnt:MessageContent>" % (
            attrs({"Dialect": catalog.ITEM_FILTER}),
            escape(condition["message"]),
        )
    return "<%s>%s</%s>" % (tag, inner, tag)


# --- action templates and configurations --------------------------------------------------------


def get_action_templates(device, request) -> str:
    items = []
    for template in catalog.templates(device):
        parameters = "".join(
            "<aa:Parameter%s/>" % attrs({"Name": name, "Type": "xsd:string"}) for name in template.parameters
        )
        inner = _tag("aa:TemplateToken", template.token) + _wrap("aa:Parameters", parameters)
        if template.recipient:
            inner += _tag("aa:RecipientTemplate", template.recipient)
        items.append(_wrap("aa:ActionTemplate", inner))
    return _wrap("aa:GetActionTemplatesResponse", _wrap("aa:ActionTemplates", "".join(items)))


def get_recipient_templates(device, request) -> str:
    items = "".join(
        _wrap(
            "aa:RecipientTemplate",
            _tag("aa:TemplateToken", token)
            + _wrap(
                "aa:Parameters",
                "".join("<aa:Parameter%s/>" % attrs({"Name": name, "Type": "xsd:string"}) for name in parameters),
            ),
        )
        for token, parameters in catalog.RECIPIENT_TEMPLATES
    )
    return _wrap("aa:GetRecipientTemplatesResponse", _wrap("aa:RecipientTemplates", items))


def get_recipient_configurations(device, request) -> str:
    # Recipients (e-mail servers, HTTP receivers) are not simulated: a device without any.
    return _wrap("aa:GetRecipientConfigurationsResponse", _wrap("aa:RecipientConfigurations", ""))


def _duration(parameters: dict, name: str) -> None:
    if not re.fullmatch(r"[0-9]{1,9}", parameters[name]):
        raise soap.invalid_value(
            "%s must be an integer number of milliseconds, got %r" % (name, parameters[name]), "aa:InvalidParameter"
        )


def _check_recording(device, parameters: dict) -> None:
    """The recording templates' parameters: a disk the device has, milliseconds, and stream
    options that name an existing video channel (camera) or external device (recorder)."""
    if parameters["storage_id"] not in device.disks:
        raise soap.invalid_value(
            "storage_id %r is not a disk of this device (disks: %s)"
            % (parameters["storage_id"], ", ".join(device.disks)),
            "aa:InvalidParameter",
        )
    _duration(parameters, "pre_duration")
    _duration(parameters, "post_duration")
    problem = stream_options_problem(device, parameters["stream_options"])
    if problem:
        raise soap.invalid_value("stream_options: %s" % problem, "aa:InvalidParameter")


def _check_parameters(device, template, parameters: dict) -> None:
    unknown = [name for name in parameters if name not in template.parameters]
    if unknown:
        raise soap.invalid_value(
            "Template %s has no parameter %s (parameters: %s)"
            % (template.token, ", ".join(unknown), ", ".join(template.parameters)),
            "aa:InvalidParameter",
        )
    absent = [name for name in template.parameters if name not in parameters]
    if absent:
        raise soap.invalid_value(
            "Template %s needs the parameter %s" % (template.token, ", ".join(absent)), "aa:InvalidParameter"
        )
    if template.token in catalog.RECORDING_TEMPLATES:
        _check_recording(device, parameters)
    elif template.token == catalog.GROUP_RECORDING:
        if parameters["recording_group"] not in device.recording_groups:
            raise soap.invalid_value(
                "No such recording group: %s" % parameters["recording_group"], "aa:InvalidParameter"
            )


def add_action_configuration(device, request) -> str:
    new = soap.required(request.element, "NewActionConfiguration")
    token = soap.required_text(new, "TemplateToken")
    template = catalog.template(device, token)
    if template is None:
        raise soap.invalid_value("No such action template: %s" % token, "aa:InvalidTemplate")
    parameters = {}
    for parameter in soap.children(soap.child(new, "Parameters"), "Parameter"):
        name = parameter.get("Name", "").strip()
        if not name or parameter.get("Value") is None:
            raise soap.sender("A Parameter needs the attributes Name and Value", "ter:InvalidArgs", "ter:MissingAttr")
        if name in parameters:
            raise soap.invalid_value("Parameter %s given twice" % name, "aa:InvalidParameter")
        parameters[name] = parameter.get("Value")
    _check_parameters(device, template, parameters)
    number = device.take_id("next_configuration_id", device.action_configurations)
    device.action_configurations[number] = ActionConfiguration(
        number, token, soap.text_of(soap.child(new, "Name")), parameters
    )
    return _wrap("aa:AddActionConfigurationResponse", _tag("aa:ConfigurationID", number))


def _configuration_xml(configuration: ActionConfiguration) -> str:
    parameters = "".join(
        "<aa:Parameter%s/>" % attrs({"Name": name, "Value": value}) for name, value in configuration.parameters.items()
    )
    return _wrap(
        "aa:ActionConfiguration",
        _tag("aa:ConfigurationID", configuration.configuration_id)
        + _tag("aa:Name", configuration.name)
        + _tag("aa:TemplateToken", configuration.template)
        + _wrap("aa:Parameters", parameters),
    )


def get_action_configurations(device, request) -> str:
    items = "".join(
        _configuration_xml(device.action_configurations[number]) for number in sorted(device.action_configurations)
    )
    return _wrap("aa:GetActionConfigurationsResponse", _wrap("aa:ActionConfigurations", items))


def _refuse_if_used(what: str, rule_ids: list, subcode: str) -> None:
    """A removal the device refuses while action rules still use the item."""
    if rule_ids:
        raise soap.sender(
            "%s is used by the action rule%s %s"
            % (what, "" if len(rule_ids) == 1 else "s", ", ".join(map(str, rule_ids))),
            "ter:OperationProhibited",
            subcode,
        )


def remove_action_configuration(device, request) -> str:
    number = soap.integer(request.element, "ConfigurationID")
    if number not in device.action_configurations:
        raise soap.invalid_value("No such action configuration: %d" % number, "aa:NoSuchConfiguration")
    users = sorted(
        rule.rule_id for rule in device.action_rules.values() if number in (rule.primary_action, rule.failover_action)
    )
    _refuse_if_used("Action configuration %d" % number, users, "aa:ConfigurationInUse")
    del device.action_configurations[number]
    return "<aa:RemoveActionConfigurationResponse/>"


# --- action rules ---------------------------------------------------------------------------


def _action(device, element, name: str, required: bool) -> int | None:
    if soap.child(element, name) is None and not required:
        return None
    number = soap.integer(element, name)
    if number not in device.action_configurations:
        raise soap.invalid_value("%s %d: no such action configuration" % (name, number), "aa:NoSuchConfiguration")
    return number


def add_action_rule(device, request) -> str:
    new = soap.required(request.element, "NewActionRule")
    name = soap.required_text(new, "Name")
    enabled = soap.boolean(new, "Enabled", True)
    start = soap.child(new, "StartEvent")
    start_event = _condition(device, start, request.prefixes) if start is not None else None
    conditions = [
        _condition(device, item, request.prefixes) for item in soap.children(soap.child(new, "Conditions"), "Condition")
    ]
    if start_event is None and not conditions:
        raise soap.invalid_value("An action rule needs a StartEvent or at least one Condition", "aa:InvalidCondition")
    timeout = soap.text_of(soap.child(new, "ActivationTimeout")) or None
    primary = _action(device, new, "PrimaryAction", True)
    failover = _action(device, new, "FailoverAction", False)
    number = device.take_id("next_rule_id", device.action_rules)
    device.action_rules[number] = ActionRule(number, name, primary, enabled, conditions, start_event, timeout, failover)
    return _wrap("aa:AddActionRuleResponse", _tag("aa:RuleID", number))


def _rule_xml(rule: ActionRule) -> str:
    inner = (
        _tag("aa:RuleID", rule.rule_id)
        + _tag("aa:Name", rule.name)
        + _tag("aa:Enabled", "true" if rule.enabled else "false")
    )
    if rule.start_event:
        inner += _condition_xml("aa:StartEvent", rule.start_event)
    inner += _wrap("aa:Conditions", "".join(_condition_xml("aa:Condition", condition) for condition in rule.conditions))
    if rule.activation_timeout:
        inner += _tag("aa:ActivationTimeout", rule.activation_timeout)
    inner += _tag("aa:PrimaryAction", rule.primary_action)
    if rule.failover_action is not None:
        inner += _tag("aa:FailoverAction", rule.failover_action)
    return _wrap("aa:ActionRule", inner)


def get_action_rules(device, request) -> str:
    items = "".join(_rule_xml(device.action_rules[number]) for number in sorted(device.action_rules))
    return _wrap("aa:GetActionRulesResponse", _wrap("aa:ActionRules", items))


def remove_action_rule(device, request) -> str:
    number = soap.integer(request.element, "RuleID")
    if device.action_rules.pop(number, None) is None:
        raise soap.invalid_value("No such action rule: %d" % number, "aa:NoSuchRule")
    return "<aa:RemoveActionRuleResponse/>"


# --- events ---------------------------------------------------------------------------------


def _item_xml(item, with_values: bool) -> str:
    values = "".join(_tag("aev:Value", value) for value in (item.values or ())) if with_values else ""
    return (
        "<aev:SimpleItemInstance%s>%s</aev:SimpleItemInstance>"
        % (attrs({"aev:NiceName": item.nice_name or None, "Type": item.type, "Name": item.name}), values)
        if values
        else "<aev:SimpleItemInstance%s/>"
        % attrs({"aev:NiceName": item.nice_name or None, "Type": item.type, "Name": item.name})
    )


def _message_xml(topic) -> str:
    inner = ""
    if topic.source:
        inner += _wrap("aev:SourceInstance", "".join(_item_xml(i, True) for i in topic.source))
    inner += _wrap("aev:DataInstance", "".join(_item_xml(i, False) for i in topic.data))
    return "<aev:MessageInstance%s>%s</aev:MessageInstance>" % (
        attrs({"aev:isProperty": "true" if topic.is_property else "false"}),
        inner,
    )


def get_event_instances(device, request) -> str:
    # The topic tree: one element per segment of the concrete topic expression, named as the
    # segment is written (tns1:Device, tnsaxis:IO, Port); leaves carry wstop:topic="true".
    tree: dict = {}
    for topic in catalog.topics(device):
        node = tree
        for segment in topic.expression.split("/"):
            node = node.setdefault(segment, {})
        node[None] = topic

    def render(node: dict) -> str:
        out = []
        for segment, sub in node.items():
            if segment is None:
                continue
            leaf = sub.get(None)
            if leaf is not None:
                out.append(
                    "<%s%s>%s</%s>"
                    % (
                        segment,
                        attrs({"wstop:topic": "true", "aev:NiceName": leaf.nice_name}),
                        _message_xml(leaf),
                        segment,
                    )
                )
            else:
                out.append("<%s>%s</%s>" % (segment, render(sub), segment))
        return "".join(out)

    return _wrap("aev:GetEventInstancesResponse", "<wstop:TopicSet>%s</wstop:TopicSet>" % render(tree))


_ICAL_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z?")
_DAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


def _check_ical(text: str) -> str:
    """The ICalendar of a schedule (DTSTART, DTEND, optional RRULE), lines joined with \\n."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    values = {}
    for line in lines:
        key, colon, value = line.partition(":")
        if not colon or key not in ("DTSTART", "DTEND", "RRULE") or key in values:
            raise soap.invalid_value(
                "Invalid ICalendar line %r (DTSTART, DTEND and RRULE, once each)" % line, "aev:InvalidSchedule"
            )
        values[key] = value
    for key in ("DTSTART", "DTEND"):
        if not _ICAL_DATE.fullmatch(values.get(key, "")):
            raise soap.invalid_value(
                "ICalendar %s must be YYYYMMDDTHHMMSS, got %r" % (key, values.get(key)), "aev:InvalidSchedule"
            )
    if values["DTEND"].rstrip("Z") <= values["DTSTART"].rstrip("Z"):
        raise soap.invalid_value("ICalendar DTEND must be after DTSTART", "aev:InvalidSchedule")
    if "RRULE" in values:
        parts = dict(part.partition("=")[::2] for part in values["RRULE"].split(";") if part)
        if parts.get("FREQ") not in _FREQUENCIES:
            raise soap.invalid_value("RRULE needs FREQ=%s" % "|".join(sorted(_FREQUENCIES)), "aev:InvalidSchedule")
        days = [day for day in parts.get("BYDAY", "").split(",") if day]
        if "BYDAY" in parts and (not days or not set(days) <= _DAYS):
            raise soap.invalid_value(
                "RRULE BYDAY must list MO,TU,WE,TH,FR,SA,SU, got %r" % parts["BYDAY"], "aev:InvalidSchedule"
            )
    return "\n".join(lines)


_EVENT_ID = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")


def add_scheduled_event(device, request) -> str:
    new = soap.required(request.element, "NewScheduledEvent")
    name = soap.required_text(new, "Name")
    ical = soap.child(soap.required(new, "Schedule"), "ICalendar")
    if ical is None or not soap.text_of(ical):
        raise soap.missing("ICalendar")
    dialect = ical.get("Dialect")
    if dialect is not None and dialect != catalog.ICAL_DIALECT:
        raise soap.invalid_value("Unsupported schedule dialect %s" % dialect, "aev:InvalidSchedule")
    schedule = _check_ical(ical.text or "")
    event_id = soap.text_of(soap.child(new, "EventID"))
    if event_id:
        if not _EVENT_ID.match(event_id):
            raise soap.invalid_value("Invalid EventID %r" % event_id, "aev:InvalidEventID")
        if event_id in device.scheduled_events:
            raise soap.invalid_value("EventID %s already exists" % event_id, "aev:EventIDExists")
    else:
        event_id = str(
            device.take_id("next_schedule_id", {int(key) for key in device.scheduled_events if key.isdigit()})
        )
    device.scheduled_events[event_id] = ScheduledEvent(event_id, name, schedule)
    return _wrap("aev:AddScheduledEventResponse", _tag("aev:EventID", event_id))


def _schedule_xml(event: ScheduledEvent) -> str:
    ical = "<aev:ICalendar%s>%s</aev:ICalendar>" % (attrs({"Dialect": catalog.ICAL_DIALECT}), escape(event.schedule))
    return _wrap(
        "aev:ScheduledEvent",
        _tag("aev:EventID", event.event_id) + _tag("aev:Name", event.name) + _wrap("aev:Schedule", ical),
    )


def get_scheduled_events(device, request) -> str:
    items = "".join(_schedule_xml(event) for event in device.scheduled_events.values())
    return _wrap("aev:GetScheduledEventsResponse", _wrap("aev:ScheduledEvents", items))


def _uses_schedule(rule: ActionRule, event_id: str) -> bool:
    for condition in rule.conditions + ([rule.start_event] if rule.start_event else []):
        if condition["topic"] == catalog.RECURRING_TOPIC and ("id", event_id) in catalog.filter_items(
            condition.get("message", "")
        ):
            return True
    return False


def remove_scheduled_event(device, request) -> str:
    event_id = soap.required_text(request.element, "EventID")
    if event_id not in device.scheduled_events:
        raise soap.invalid_value("No such scheduled event: %s" % event_id, "aev:NoSuchEvent")
    users = sorted(rule.rule_id for rule in device.action_rules.values() if _uses_schedule(rule, event_id))
    _refuse_if_used("Scheduled event %s" % event_id, users, "aev:ScheduleInUse")
    del device.scheduled_events[event_id]
    return "<aev:RemoveScheduledEventResponse/>"


OPERATIONS = {
    (soap.AA, "GetActionTemplates"): get_action_templates,
    (soap.AA, "GetActionConfigurations"): get_action_configurations,
    (soap.AA, "AddActionConfiguration"): add_action_configuration,
    (soap.AA, "RemoveActionConfiguration"): remove_action_configuration,
    (soap.AA, "GetActionRules"): get_action_rules,
    (soap.AA, "GetRecipientTemplates"): get_recipient_templates,
    (soap.AA, "GetRecipientConfigurations"): get_recipient_configurations,
    (soap.AA, "AddActionRule"): add_action_rule,
    (soap.AA, "RemoveActionRule"): remove_action_rule,
    (soap.AEV, "GetEventInstances"): get_event_instances,
    (soap.AEV, "GetScheduledEvents"): get_scheduled_events,
    (soap.AEV, "AddScheduledEvent"): add_scheduled_event,
    (soap.AEV, "RemoveScheduledEvent"): remove_scheduled_event,
}


def _page(status: int, title: str, text: str, headers: dict | None = None) -> Reply:
    return Reply(
        status=status,
        content_type="text/html; charset=ISO-8859-1",
        body="<HTML><HEAD><TITLE>%d %s</TITLE></HEAD><BODY><H1>%d %s</H1>%s"
        "</BODY></HTML>\n" % (status, title, status, title, text),
        headers=headers or {},
    )


@service(PATH, role=_role, write=_is_write, describe=soap.describe, api=WEB_SERVICE)
def services(device, request) -> Reply:
    if request.method != "POST":
        return _page(405, "Method Not Allowed", "SOAP requests are POSTed.", {"Allow": "POST"})
    media_type = request.content_type.split(";")[0].strip().lower()
    if media_type != "application/soap+xml":
        return _page(415, "Unsupported Media Type", "The services take SOAP 1.2: Content-Type application/soap+xml.")
    try:
        parsed = soap.parse(request.body)
        operation = OPERATIONS.get((parsed.namespace, parsed.operation))
        if operation is None:
            raise soap.Fault(
                "Receiver",
                ("ter:ActionNotSupported",),
                "Unknown operation {%s}%s" % (parsed.namespace, parsed.operation),
            )
        named = request.args.get("action")
        if named:
            raise soap.sender(
                "The action %s does not match the operation %s in the Body" % (named, parsed.operation),
                "ter:InvalidArgs",
                "ter:ActionMismatch",
            )
        return soap.reply(operation(device, parsed))
    except soap.Fault as fault:
        return soap.fault_reply(fault)
