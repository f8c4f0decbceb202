# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording schedules in declaration terms: weekly intervals <-> the ICalendar of a scheduled event.

A scheduled event (event1 AddScheduledEvent) holds one ICalendar text in the dialect
http://www.axis.com/vapix/ws/ical1: one DTSTART, one DTEND and a weekly RRULE, so one schedule
is one daily interval on a set of days (BYDAY), or one span of whole days without BYDAY (the
predefined "Weekdays": Monday 00:00 to Saturday 00:00). Declared intervals with the same start
and end are one event with their days joined; intervals with different times cannot be one
scheduled event and are refused (declare a schedule each). An end before the start ends on
the next day, so "22:00"-"06:00" runs past midnight; "24:00" ends at midnight.

Predefined schedules (the device's own, such as "Office hours") have event ids in the device's
namespace (com.axis.schedules.*); schedules this collection adds get ids with OWN_ID_PREFIX, so
a purge can tell them from the device's and from other software's.
"""

import datetime
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import list_scheduled_events

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PREDEFINED_ID_PREFIX = "com.axis.schedules."
OWN_ID_PREFIX = "vapix_edge_storage_"
# 1970-01-05 is a Monday: DTSTART is written on the date of the first declared day, as the
# device's own schedules are.
FIRST_MONDAY = datetime.date(1970, 1, 5)
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_ICAL_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$")


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
        where,
        value,
        " (or 24:00 for midnight)" if end else "",
    )


def _day_order(day):
    return DAYS.index(day) if day in DAYS else 99


def normalize_weekly(weekly):
    """Intervals in one comparable form: those with the same start and end joined, days in week order."""
    joined = {}
    for entry in weekly or []:
        key = (str(entry.get("start")).strip(), str(entry.get("end")).strip())
        joined.setdefault(key, set()).update(str(d).lower() for d in entry.get("days") or [])
    return [
        {"days": sorted(days, key=_day_order), "start": start, "end": end}
        for (start, end), days in sorted(joined.items())
    ]


def _stamp(date, hhmm):
    return "%sT%s%s00" % (date.strftime("%Y%m%d"), hhmm[:2], hhmm[3:5])


def to_ical(weekly):
    """Declared intervals (one start and end, see normalize_weekly) -> the ICalendar text."""
    entry = normalize_weekly(weekly)[0]
    start, end = entry["start"], entry["end"]
    first = FIRST_MONDAY + datetime.timedelta(days=_day_order(entry["days"][0]))
    if end == "24:00":
        end_stamp = _stamp(first + datetime.timedelta(days=1), "00:00")
    else:
        end_stamp = _stamp(first + datetime.timedelta(days=1 if end <= start else 0), end)
    return "DTSTART:%s\nDTEND:%s\nRRULE:FREQ=WEEKLY;BYDAY=%s" % (
        _stamp(first, start),
        end_stamp,
        ",".join(ICAL_DAYS[DAYS.index(d)] for d in entry["days"]),
    )


def _moment(text):
    found = _ICAL_TIME.match(text or "")
    if not found:
        return None
    try:
        return datetime.datetime(*[int(part) for part in found.groups()])
    except ValueError:
        return None


def parse_ical(ical):
    """A scheduled event's ICalendar -> declared intervals, or None where no weekly interval says it."""
    fields = {}
    for line in (ical or "").replace("\r", "\n").split("\n"):
        key, sep, value = line.strip().partition(":")
        if sep:
            fields[key.split(";", 1)[0].strip().upper()] = value.strip()
    start, end = _moment(fields.get("DTSTART")), _moment(fields.get("DTEND"))
    rule = dict(part.partition("=")[::2] for part in fields.get("RRULE", "").upper().split(";") if part)
    if start is None or end is None or end <= start or rule.get("FREQ") not in ("WEEKLY", "DAILY"):
        return None
    span = end - start
    start_text = start.strftime("%H:%M")
    end_text = end.strftime("%H:%M")
    if end_text == "00:00" and end.date() > start.date():
        end_text = "24:00"
    if rule.get("BYDAY"):
        codes = [code.strip()[-2:] for code in rule["BYDAY"].split(",") if code.strip()]
        if any(code not in ICAL_DAYS for code in codes) or span > datetime.timedelta(days=1):
            return None
        days = [DAYS[ICAL_DAYS.index(code)] for code in codes]
    elif rule.get("FREQ") == "DAILY":
        if span > datetime.timedelta(days=1):
            return None
        days = list(DAYS)
    elif span <= datetime.timedelta(days=1):
        days = [DAYS[start.weekday()]]
    elif start.time() == end.time() == datetime.time(0) and span.seconds == 0 and span.days <= 7:
        days = [DAYS[(start.weekday() + offset) % 7] for offset in range(span.days)]  # whole days
    else:
        return None
    return normalize_weekly([{"days": days, "start": start_text, "end": end_text}])


def describe_schedule(event):
    """A scheduled event in declaration terms (weekly None when its calendar is not a weekly one)."""
    weekly = parse_ical(event["ical"])
    described = {
        "name": event["name"],
        "event_id": event["event_id"],
        "weekly": weekly,
        "predefined": is_predefined(event),
        "managed": is_own(event),
    }
    if weekly is None:
        described["ical"] = event["ical"]
    return described


def list_schedules(device):
    """Every scheduled event, described, in the device's order."""
    return [describe_schedule(event) for event in list_scheduled_events(device).values()]


def find_schedule(device, name):
    """The scheduled events named `name` (usually one)."""
    return [event for event in list_scheduled_events(device).values() if event["name"] == name]
