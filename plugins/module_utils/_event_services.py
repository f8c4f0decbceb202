# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects of the Event and action services, read once per session and written one by one.

Readers (cached per device, like the disk and profile lists): the event instances (event1
GetEventInstances: the topics this device can raise, with the values of their data items),
the action configurations and action rules (action1 GetActionConfigurations, GetActionRules)
and the scheduled events (event1 GetScheduledEvents). Writers add and remove them; the services
have no modify operation, so a change is a removal and an addition.

Topics are compared by their local names ("Device/IO/Port"): devices pick their own namespace
prefixes, and no two topics this collection uses differ only by namespace.
"""

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._soap import ACTION, EVENT, call, node_text, text
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import to_int

TOPIC_DIALECT = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
CONTENT_DIALECT = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
ICAL_DIALECT = "http://www.axis.com/vapix/ws/ical1"
_ITEM = re.compile(r"""@Name\s*=\s*["']([^"']*)["']\s+and\s+@Value\s*=\s*["']([^"']*)["']""")
# Children of a topic element that describe it rather than being sub-topics.
_NOT_TOPICS = ("MessageInstance", "MessageDescription")


def _list(value):
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _int(value):
    text = node_text(value)
    return to_int(text, text)


def local_topic(expression):
    """'tns1:Device/tnsaxis:IO/Port' -> 'Device/IO/Port'."""
    return "/".join(part.split(":", 1)[-1] for part in (expression or "").strip().split("/") if part)


def filter_items(content):
    """The (name, value) pairs an ItemFilter expression requires, sorted: the comparable form."""
    return tuple(sorted(_ITEM.findall(content or "")))


def item_filter(items):
    """An ItemFilter expression requiring every (name, value) pair."""
    return " and ".join('boolean(//SimpleItem[@Name="%s" and @Value="%s"])' % pair for pair in items)


# --- event instances ---------------------------------------------------------------------


def _instance_items(topic_node):
    """{item name: [values the device lists]} of a topic's source and data instances."""
    items = {}
    for message in _list(topic_node.get("MessageInstance")):
        if not isinstance(message, dict):
            continue
        for part in ("SourceInstance", "DataInstance"):
            holder = message.get(part)
            if not isinstance(holder, dict):
                continue
            for item in _list(holder.get("SimpleItemInstance")):
                if isinstance(item, dict) and item.get("@Name"):
                    values = [node_text(v) for v in _list(item.get("Value")) if node_text(v) is not None]
                    items.setdefault(item["@Name"], []).extend(values)
    return items


def _walk_topics(node, path, found):
    if isinstance(node, list):
        for item in node:
            _walk_topics(item, path, found)
        return
    if not isinstance(node, dict):
        return
    for key, child in node.items():
        if key.startswith("@") or key.startswith("#") or key in _NOT_TOPICS:
            continue
        here = path + [key]
        for element in _list(child):
            if not isinstance(element, dict):
                continue
            if str(element.get("@topic", "")).lower() == "true":
                found["/".join(here)] = {"items": _instance_items(element), "nice_name": element.get("@NiceName")}
            _walk_topics(element, here, found)


def list_event_instances(device):
    """{local topic: {items: {name: [values]}, nice_name}} of the topics the device offers."""

    def read():
        answer = call(device.client, EVENT, "GetEventInstances")
        found = {}
        _walk_topics(answer.get("TopicSet") or {}, [], found)
        return found

    return device.cached("event_instances", read)


# --- action configurations and rules -------------------------------------------------------


def parse_configuration(raw):
    parameters = {}
    for param in _list(
        (raw.get("Parameters") or {}).get("Parameter") if isinstance(raw.get("Parameters"), dict) else None
    ):
        if isinstance(param, dict) and param.get("@Name"):
            parameters[param["@Name"]] = param.get("@Value", node_text(param)) or ""
    return {
        "configuration_id": _int(raw.get("ConfigurationID")),
        "name": node_text(raw.get("Name")) or "",
        "template": node_text(raw.get("TemplateToken")) or "",
        "parameters": parameters,
    }


def _read_list(device, cache_key, service, operation, holder_name, element_name, parse, id_field):
    """{id: parsed element} of one Get* operation's list, read once per session."""

    def read():
        holder = call(device.client, service, operation).get(holder_name) or {}
        elements = _list(holder.get(element_name)) if isinstance(holder, dict) else []
        parsed = [parse(raw) for raw in elements if isinstance(raw, dict)]
        return dict((item[id_field], item) for item in parsed)

    return device.cached(cache_key, read)


def list_action_configurations(device):
    """{configuration id: configuration} (action1 GetActionConfigurations)."""
    return _read_list(
        device,
        "action_configurations",
        ACTION,
        "GetActionConfigurations",
        "ActionConfigurations",
        "ActionConfiguration",
        parse_configuration,
        "configuration_id",
    )


def _condition(raw):
    if not isinstance(raw, dict):
        return None
    return {
        "topic": local_topic(node_text(raw.get("TopicExpression"))),
        "items": list(filter_items(node_text(raw.get("MessageContent")))),
    }


def parse_rule(raw):
    conditions = []
    holder = raw.get("Conditions")
    for condition in _list(holder.get("Condition") if isinstance(holder, dict) else None):
        parsed = _condition(condition)
        if parsed is not None:
            conditions.append(parsed)
    enabled = node_text(raw.get("Enabled"))
    return {
        "rule_id": _int(raw.get("RuleID")),
        "name": node_text(raw.get("Name")) or "",
        "enabled": str(enabled).lower() in ("true", "1"),
        "start_event": _condition(raw.get("StartEvent")),
        "conditions": conditions,
        "activation_timeout": node_text(raw.get("ActivationTimeout")),
        "primary_action": _int(raw.get("PrimaryAction")),
        "failover_action": _int(raw.get("FailoverAction")),
    }


def list_action_rules(device):
    """{rule id: rule} (action1 GetActionRules), conditions as local topics and item pairs."""
    return _read_list(
        device, "action_rules", ACTION, "GetActionRules", "ActionRules", "ActionRule", parse_rule, "rule_id"
    )


def add_action_configuration(device, name, template, parameters):
    """action1 AddActionConfiguration; returns the new ConfigurationID."""
    body = (
        "<aa:NewActionConfiguration><aa:Name>%s</aa:Name><aa:TemplateToken>%s</aa:TemplateToken>"
        "<aa:Parameters>%s</aa:Parameters></aa:NewActionConfiguration>"
        % (
            text(name),
            text(template),
            "".join(
                '<aa:Parameter Name="%s" Value="%s"/>' % (text(k), text(v).replace('"', "&quot;"))
                for k, v in parameters
            ),
        )
    )
    answer = call(device.client, ACTION, "AddActionConfiguration", body, write=True)
    device.invalidate("action_configurations")
    return _int(answer.get("ConfigurationID"))


def remove_action_configuration(device, configuration_id):
    call(
        device.client,
        ACTION,
        "RemoveActionConfiguration",
        "<aa:ConfigurationID>%s</aa:ConfigurationID>" % text(configuration_id),
        write=True,
    )
    device.invalidate("action_configurations")


def _condition_xml(tag, condition):
    return (
        '<%s><wsnt:TopicExpression Dialect="%s">%s</wsnt:TopicExpression>'
        '<wsnt:MessageContent Dialect="%s">%s</wsnt:MessageContent></%s>'
        % (
            tag,
            TOPIC_DIALECT,
            text(condition["expression"]),
            CONTENT_DIALECT,
            text(item_filter(condition["items"])),
            tag,
        )
    )


def add_action_rule(device, name, enabled, conditions, primary_action):
    """action1 AddActionRule; conditions: [{expression (prefixed topic), items}]. Returns the RuleID."""
    body = (
        "<aa:NewActionRule><aa:Name>%s</aa:Name><aa:Enabled>%s</aa:Enabled><aa:Conditions>%s</aa:Conditions>"
        "<aa:PrimaryAction>%s</aa:PrimaryAction></aa:NewActionRule>"
        % (
            text(name),
            "true" if enabled else "false",
            "".join(_condition_xml("aa:Condition", c) for c in conditions),
            text(primary_action),
        )
    )
    answer = call(device.client, ACTION, "AddActionRule", body, write=True)
    device.invalidate("action_rules")
    return _int(answer.get("RuleID"))


def remove_action_rule(device, rule_id):
    call(device.client, ACTION, "RemoveActionRule", "<aa:RuleID>%s</aa:RuleID>" % text(rule_id), write=True)
    device.invalidate("action_rules")


# --- scheduled events ----------------------------------------------------------------------


def parse_scheduled_event(raw):
    schedule = raw.get("Schedule") if isinstance(raw.get("Schedule"), dict) else {}
    return {
        "event_id": node_text(raw.get("EventID")) or "",
        "name": node_text(raw.get("Name")) or "",
        "ical": (node_text(schedule.get("ICalendar")) or "").replace("\r\n", "\n"),
    }


def list_scheduled_events(device):
    """{event id: {event_id, name, ical}} (event1 GetScheduledEvents)."""
    return _read_list(
        device,
        "scheduled_events",
        EVENT,
        "GetScheduledEvents",
        "ScheduledEvents",
        "ScheduledEvent",
        parse_scheduled_event,
        "event_id",
    )


def add_scheduled_event(device, name, ical, event_id=None):
    """event1 AddScheduledEvent; returns the EventID the device answers."""
    body = (
        '<aev:NewScheduledEvent><aev:Name>%s</aev:Name>%s<aev:Schedule><aev:ICalendar Dialect="%s">%s'
        "</aev:ICalendar></aev:Schedule></aev:NewScheduledEvent>"
        % (text(name), "<aev:EventID>%s</aev:EventID>" % text(event_id) if event_id else "", ICAL_DIALECT, text(ical))
    )
    answer = call(device.client, EVENT, "AddScheduledEvent", body, write=True)
    device.invalidate("scheduled_events", "event_instances")
    return node_text(answer.get("EventID")) or event_id


def remove_scheduled_event(device, event_id):
    call(device.client, EVENT, "RemoveScheduledEvent", "<aev:EventID>%s</aev:EventID>" % text(event_id), write=True)
    device.invalidate("scheduled_events", "event_instances")
