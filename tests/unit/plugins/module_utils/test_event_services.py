# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SOAP transport and the Event and action service parsers, on canned answers.

The canned answers are shaped as the Event and action services' WSDL describes them, with
prefixes other than the ones this collection sends, to show that parsing does not depend on them.
"""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError, HttpError, UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import (
    filter_items,
    item_filter,
    list_action_rules,
    list_event_instances,
    local_topic,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import (
    describe_condition,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._schedules import (
    normalize_weekly,
    parse_ical,
    to_ical,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._soap import ACTION, EVENT, call

ENV = "http://www.w3.org/2003/05/soap-envelope"


class Response:
    def __init__(self, status, content):
        self.status_code = status
        self.content = content.encode("utf-8")


class CannedClient:
    """Answers every request with one canned (status, body); records what was sent."""

    def __init__(self, status, body):
        self.answer = Response(status, body)
        self.sent = []
        self.secrets = Secrets()
        self.request_count = 0

    def request(self, cgi, **kwargs):
        self.sent.append((cgi, kwargs))
        if self.answer.status_code == 404:
            raise UnsupportedError(cgi, "the device has no such CGI (404 Not Found)", status=404)
        return self.answer


def envelope(body):
    return (
        '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="%s" '
        'xmlns:act="http://www.axis.com/vapix/ws/action1" xmlns:ev="http://www.axis.com/vapix/ws/event1" '
        'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:topics="http://www.onvif.org/ver10/topics" '
        'xmlns:ax="http://www.axis.com/2009/event/topics" xmlns:wstop="http://docs.oasis-open.org/wsn/t-1">'
        "<SOAP-ENV:Body>%s</SOAP-ENV:Body></SOAP-ENV:Envelope>" % (ENV, body)
    )


FAULT = envelope(
    "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode>"
    "<SOAP-ENV:Value>act:InvalidConfigurationFault</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>"
    '<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">The action configuration 99 does not exist</SOAP-ENV:Text>'
    "</SOAP-ENV:Reason></SOAP-ENV:Fault>"
)


def test_request_shape_soap12_with_action_parameter_and_soapaction_header():
    client = CannedClient(200, envelope("<act:RemoveActionRuleResponse/>"))
    call(client, ACTION, "RemoveActionRule", "<aa:RuleID>3</aa:RuleID>", write=True)
    label, sent = client.sent[0]
    assert label == "action1 RemoveActionRule"
    assert sent["path"] == "/vapix/services" and sent["method"] == "POST" and sent["write"] is True
    action = "http://www.axis.com/vapix/ws/action1/RemoveActionRule"
    assert sent["headers"]["Content-Type"] == 'application/soap+xml; charset=utf-8; action="%s"' % action
    assert sent["headers"]["SOAPAction"] == '"%s"' % action
    body = sent["body"].decode("utf-8")
    assert 'xmlns:soap="http://www.w3.org/2003/05/soap-envelope"' in body
    assert "<aa:RemoveActionRule><aa:RuleID>3</aa:RuleID></aa:RemoveActionRule>" in body


def test_fault_names_the_operation_code_and_text():
    client = CannedClient(500, FAULT)
    with pytest.raises(ApiError) as caught:
        call(client, ACTION, "AddActionRule", write=True)
    error = caught.value
    assert error.cgi == "action1 AddActionRule"
    assert error.code == "SOAP-ENV:Sender act:InvalidConfigurationFault"
    assert str(error) == (
        "action1 AddActionRule: error SOAP-ENV:Sender act:InvalidConfigurationFault: "
        "The action configuration 99 does not exist"
    )


def test_missing_service_is_unsupported_and_says_why():
    client = CannedClient(404, "")
    with pytest.raises(UnsupportedError) as caught:
        call(client, EVENT, "GetEventInstances")
    assert caught.value.cgi == "event1 GetEventInstances"
    assert "no Event and action services" in str(caught.value) and "WebService" in str(caught.value)


@pytest.mark.parametrize(
    "status, body, words",
    [
        (200, "<html>not xml", "unparsable XML"),
        (200, "<html><body>login</body></html>", "not a SOAP envelope"),
        (500, envelope(""), "status 500 without a SOAP fault"),
    ],
)
def test_answers_that_are_not_soap_are_http_errors(status, body, words):
    with pytest.raises(HttpError) as caught:
        call(CannedClient(status, body), ACTION, "GetActionRules")
    assert words in str(caught.value) and caught.value.cgi == "action1 GetActionRules"


def session_answering(body):
    return DeviceSession(CannedClient(200, envelope(body)))


def test_event_instances_topics_by_local_name_with_listed_values():
    session = session_answering(
        "<ev:GetEventInstancesResponse><wstop:TopicSet>"
        '<topics:Device><ax:IO><ax:Port wstop:topic="true"><ev:MessageInstance><ev:SourceInstance>'
        '<ev:SimpleItemInstance Name="port" Type="xsd:int"><ev:Value>1</ev:Value><ev:Value>2</ev:Value>'
        '</ev:SimpleItemInstance></ev:SourceInstance><ev:DataInstance><ev:SimpleItemInstance Name="state" '
        'Type="xsd:boolean"/></ev:DataInstance></ev:MessageInstance></ax:Port>'
        '<ax:VirtualInput wstop:topic="true"/></ax:IO></topics:Device>'
        '<ax:CameraApplicationPlatform><ax:VMD><ax:Camera1Profile1 wstop:topic="true"/>'
        '<ax:Camera1Profile2 wstop:topic="true"/></ax:VMD></ax:CameraApplicationPlatform>'
        "</wstop:TopicSet></ev:GetEventInstancesResponse>"
    )
    instances = list_event_instances(session)
    assert sorted(instances) == [
        "CameraApplicationPlatform/VMD/Camera1Profile1",
        "CameraApplicationPlatform/VMD/Camera1Profile2",
        "Device/IO/Port",
        "Device/IO/VirtualInput",
    ]
    assert instances["Device/IO/Port"]["items"] == {"port": ["1", "2"], "state": []}
    list_event_instances(session)
    assert len(session.client.sent) == 1  # cached per session


def test_rules_parsed_with_conditions_as_local_topics_and_item_pairs():
    session = session_answering(
        "<act:GetActionRulesResponse><act:ActionRules><act:ActionRule><act:RuleID>7</act:RuleID>"
        "<act:Name>Door</act:Name><act:Enabled>true</act:Enabled><act:Conditions><act:Condition>"
        '<wsnt:TopicExpression Dialect="http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete">'
        'topics:Device/ax:IO/Port</wsnt:TopicExpression><wsnt:MessageContent Dialect="x">'
        'boolean(//SimpleItem[@Name="port" and @Value="1"]) and boolean(//SimpleItem[@Name="state" and '
        '@Value="1"])</wsnt:MessageContent></act:Condition></act:Conditions><act:PrimaryAction>4'
        "</act:PrimaryAction></act:ActionRule></act:ActionRules></act:GetActionRulesResponse>"
    )
    rule = list_action_rules(session)[7]
    assert rule["name"] == "Door" and rule["enabled"] is True and rule["primary_action"] == 4
    assert rule["conditions"] == [{"topic": "Device/IO/Port", "items": [("port", "1"), ("state", "1")]}]
    assert describe_condition(rule["conditions"][0], {}) == {"input": {"port": 1, "state": "active"}}


def test_filters_round_trip_and_topics_lose_their_prefixes():
    items = (("active", "1"), ("id", "com.axis.schedules.after_hours"))
    assert filter_items(item_filter(items)) == items
    assert filter_items("boolean(//SimpleItem[@Name='port' and @Value='2'])") == (("port", "2"),)
    assert (
        local_topic("tnsaxis:CameraApplicationPlatform/VMD/Camera2Profile1")
        == "CameraApplicationPlatform/VMD/Camera2Profile1"
    )


def test_unknown_conditions_are_shown_as_other():
    described = describe_condition({"topic": "VideoSource/MotionAlarm", "items": [("State", "1")]}, {})
    assert described == {"other": {"topic": "VideoSource/MotionAlarm", "items": ["State=1"]}}


# --- weekly schedules <-> ICalendar --------------------------------------------------------


def test_one_interval_is_one_weekly_event_dated_on_its_first_day():
    ical = to_ical([{"days": ["fri", "tue"], "start": "08:00", "end": "17:30"}])
    assert ical == "DTSTART:19700106T080000\nDTEND:19700106T173000\nRRULE:FREQ=WEEKLY;BYDAY=TU,FR"


def test_an_end_before_the_start_ends_the_next_day_and_24_00_is_midnight():
    assert "DTEND:19700106T060000" in to_ical([{"days": ["mon"], "start": "22:00", "end": "06:00"}])
    assert "DTEND:19700112T000000" in to_ical([{"days": ["sun"], "start": "00:00", "end": "24:00"}])


@pytest.mark.parametrize(
    "weekly",
    [
        [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "07:00"}],
        [{"days": ["sat"], "start": "00:00", "end": "24:00"}, {"days": ["sun"], "start": "00:00", "end": "24:00"}],
        [{"days": ["wed"], "start": "12:00", "end": "24:00"}],
    ],
)
def test_weekly_round_trips_through_icalendar(weekly):
    assert parse_ical(to_ical(weekly)) == normalize_weekly(weekly)


def test_intervals_with_the_same_times_are_one_with_their_days_joined():
    assert normalize_weekly(
        [
            {"days": ["sun"], "start": "00:00", "end": "24:00"},
            {"days": ["sat", "sun"], "start": "00:00", "end": "24:00"},
        ]
    ) == [{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}]


@pytest.mark.parametrize(
    "ical, weekly",
    [
        # the simulator's predefined schedules (tools/simulator/src/vapix_sim/model.py), as a device writes them
        (
            "DTSTART:19700105T080000\nDTEND:19700105T170000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00"}],
        ),
        (
            "DTSTART:19700105T170000\r\nDTEND:19700106T080000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "17:00", "end": "08:00"}],
        ),
        (
            "DTSTART:19700105T000000\nDTEND:19700110T000000\nRRULE:FREQ=WEEKLY",
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "00:00", "end": "24:00"}],
        ),
        (
            "DTSTART:19700103T000000Z\nDTEND:19700105T000000Z\nRRULE:FREQ=WEEKLY",
            [{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}],
        ),
    ],
)
def test_device_calendars_parse_to_weekly_intervals(ical, weekly):
    assert parse_ical(ical) == weekly


@pytest.mark.parametrize(
    "ical",
    [
        "DTSTART:20260101T100000\nDTEND:20260101T110000",  # once, no rule
        "DTSTART:19700109T170000\nDTEND:19700112T080000\nRRULE:FREQ=WEEKLY",  # Fri 17:00 to Mon 08:00
        "",
    ],
)
def test_calendars_no_weekly_interval_says_are_none(ical):
    assert parse_ical(ical) is None
