# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording schedules in declaration terms: weekly intervals <-> the ICalendar of a scheduled event.

A scheduled event (event1 AddScheduledEvent) holds one ICalendar text in the dialect
http://www.axis.com/vapix/ws/ical1: DTSTART, DTEND and a weekly RRULE. A declared interval
{days: [mon, fri], start: "08:00", end: "17:00"} is one such event; several intervals are
several VEVENT blocks in the one text. An end before the start ends on the next day (DTEND one
day after DTSTART), so "22:00"-"06:00" runs past midnight; "24:00" ends at midnight.

Predefined schedules (the device's own, such as "Office hours") have event ids in the device's
namespace (com.axis.schedules.*); schedules this collection adds get ids with OWN_ID_PREFIX, so
a purge can tell them from the device's and from other software's.
"""

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import list_scheduled_events

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PREDEFINED_ID_PREFIX = "com.axis.schedules."
OWN_ID_PREFIX = "vapix_edge_storage_"
# 1970-01-01: the date part is only a base for the weekly rule.
BASE_DATE = "19700101"
NEXT_DATE = "19700102"
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_ICAL_TIME = re.compile(r"^(\d{8})T(\d{2})(\d{2})(\d{2})Z?$")


def own_event_id(name):
    """The event id this collection gives the schedule `name`: stable, so re-adding keeps rules valid."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return OWN_ID_PREFIX + (slug or "schedule")


def is_predefined(event):
    return str(event.get("event_id", "")).startswith(PREDEFINED_ID_PREFIX)


def is_own(event):
    return str(event.get("event_id", "")).startswith(OWN_ID_PREFIX)


def check_time(value, where, end=False):
    """'HH:MM' (end also '24:00') or an input error message; returns None if valid."""
    text = str(value).strip() if value is not None else ""
    if _TIME.match(text) or (end and text == "24:00"):
        return None
    return "%s=%r must be a time of day as HH:MM, from 00:00 to 23:59%s" % (
        where, value, " (or 24:00 for midnight)" if end else "")


def normalize_weekly(weekly):
    """Declared or parsed intervals in one comparable order: days in week order, intervals sorted."""
    result = []
    for entry in weekly or []:
        days = sorted(set(str(d).lower() for d in entry.get("days") or []),
                      key=lambda d: DAYS.index(d) if d in DAYS else 99)
        result.append({"days": days, "start": str(entry.get("start")).strip(), "end": str(entry.get("end")).strip()})
    return sorted(result, key=lambda e: (e["start"], e["end"], [DAYS.index(d) if d in DAYS else 99
                                                                 for d in e["days"]]))


def _ical_time(hhmm):
    hours, minutes = hhmm.split(":")
    return "%s%s00" % (hours, minutes)


def to_ical(weekly):
    """Declared intervals -> the ICalendar text of one scheduled event."""
    blocks = []
    for entry in normalize_weekly(weekly):
        start, end = entry["start"], entry["end"]
        if end == "24:00":
            end_stamp = "%sT000000" % NEXT_DATE
        else:
            end_stamp = "%sT%s" % (NEXT_DATE if end <= start else BASE_DATE, _ical_time(end))
        blocks.append("DTSTART:%sT%s\nDTEND:%s\nRRULE:FREQ=WEEKLY;BYDAY=%s" % (
            BASE_DATE, _ical_time(start), end_stamp, ",".join(ICAL_DAYS[DAYS.index(d)] for d in entry["days"])))
    if len(blocks) == 1:
        return blocks[0]
    return "\n".join("BEGIN:VEVENT\n%s\nEND:VEVENT" % block for block in blocks)


def _parse_block(lines):
    fields = {}
    for line in lines:
        key, _sep, value = line.partition(":")
        fields[key.split(";", 1)[0].strip().upper()] = value.strip()
    start = _ICAL_TIME.match(fields.get("DTSTART", ""))
    end = _ICAL_TIME.match(fields.get("DTEND", ""))
    rule = dict(part.partition("=")[::2] for part in fields.get("RRULE", "").split(";") if part)
    if not (start and end) or rule.get("FREQ", "").upper() not in ("WEEKLY", "DAILY"):
        return None
    if rule.get("FREQ", "").upper() == "DAILY" and not rule.get("BYDAY"):
        days = list(DAYS)
    else:
        codes = [code.strip().upper()[-2:] for code in rule.get("BYDAY", "").split(",") if code.strip()]
        if not codes or any(code not in ICAL_DAYS for code in codes):
            return None
        days = [DAYS[ICAL_DAYS.index(code)] for code in codes]
    start_text = "%s:%s" % (start.group(2), start.group(3))
    end_text = "%s:%s" % (end.group(2), end.group(3))
    if end.group(1) > start.group(1) and end_text == "00:00":
        end_text = "24:00"
    return {"days": days, "start": start_text, "end": end_text}


def parse_ical(ical):
    """A scheduled event's ICalendar -> declared intervals, or None where it is not a weekly one."""
    lines = [line.strip() for line in (ical or "").replace("\r", "\n").split("\n") if line.strip()]
    blocks, current, in_block = [], [], False
    for line in lines:
        upper = line.upper()
        if upper.startswith("BEGIN:VEVENT"):
            current, in_block = [], True
        elif upper.startswith("END:VEVENT"):
            blocks.append(current)
            current, in_block = [], False
        elif upper.startswith("BEGIN:") or upper.startswith("END:"):
            continue
        else:
            current.append(line)
    if current and not in_block:
        blocks.append(current)
    parsed = [_parse_block(block) for block in blocks if block]
    if not parsed or any(entry is None for entry in parsed):
        return None
    return normalize_weekly(parsed)


def describe_schedule(event):
    """A scheduled event in declaration terms (weekly None when its calendar is not a weekly one)."""
    weekly = parse_ical(event["ical"])
    described = {"name": event["name"], "event_id": event["event_id"], "weekly": weekly,
                 "predefined": is_predefined(event), "managed": is_own(event)}
    if weekly is None:
        described["ical"] = event["ical"]
    return described


def list_schedules(device):
    """Every scheduled event, described, in the device's order."""
    return [describe_schedule(event) for event in list_scheduled_events(device).values()]


def find_schedule(device, name):
    """The scheduled events named `name` (usually one)."""
    return [event for event in list_scheduled_events(device).values() if event["name"] == name]
