# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A recording schedule: a scheduled event (event1) with a weekly ICalendar, found by its name.

Recording rules name it (trigger.schedule.name) and the device's rules point at its event id,
so a changed schedule is removed and added again under the same event id. A device refuses to
remove a schedule a rule uses, so a schedule in use is not changed: the task says which rules to
remove first, before any write. The device's predefined schedules (event ids com.axis.schedules.*) are read-only
references: declaring one by name without `weekly`, or with the intervals it already has,
changes nothing; other intervals, or state=absent, are refused before any write.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._event_services import (
    add_scheduled_event,
    remove_scheduled_event,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import rules_using_schedule
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._schedules import (
    DAYS,
    check_time,
    describe_schedule,
    find_schedule,
    normalize_weekly,
    own_event_id,
    to_ical,
)

WEEKLY_SPEC = dict(
    days=dict(type="list", elements="str", required=True, choices=list(DAYS)),
    start=dict(type="str", required=True),
    end=dict(type="str", required=True),
)


def _weekly_text(weekly):
    if weekly is None:
        return "a calendar that is not weekly"
    return "; ".join("%s %s-%s" % (",".join(e["days"]), e["start"], e["end"]) for e in weekly) or "nothing"


class RecordingSchedule(Resource):
    result_key = "schedule"
    argument_spec = dict(
        name=dict(type="str", required=True),
        weekly=dict(type="list", elements="dict", options=WEEKLY_SPEC),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.weekly = None
        self.replaced = False

    def validate(self):
        name = self.params.get("name")
        if not name or name != name.strip():
            raise InputError(
                None, "name=%r must be the schedule's name: not empty, no leading or trailing spaces" % name
            )
        weekly = self.params.get("weekly")
        if weekly is None:
            return
        errors = []
        for index, entry in enumerate(weekly):
            where = "weekly[%d]" % index
            if not entry.get("days"):
                errors.append("%s.days is empty: name at least one of %s" % (where, ", ".join(DAYS)))
            errors.extend(
                e
                for e in (
                    check_time(entry.get("start"), where + ".start"),
                    check_time(entry.get("end"), where + ".end", end=True),
                )
                if e
            )
            if not errors and str(entry["start"]).strip() == str(entry["end"]).strip():
                errors.append(
                    "%s: start and end are both %s, an empty interval (for a whole day use 00:00 to 24:00)"
                    % (where, entry["start"])
                )
        if errors:
            raise InputError(None, "; ".join(errors))
        self.weekly = normalize_weekly(weekly)
        if len(self.weekly) > 1:
            raise InputError(
                None,
                "weekly: a device schedule is one interval (one DTSTART and DTEND, repeated on its "
                "days), but these intervals have %d different start and end times (%s); declare one "
                "schedule per start and end time, and a rule for each" % (len(self.weekly), _weekly_text(self.weekly)),
            )
        if self.params["state"] == "present" and not self.weekly:
            raise InputError(
                None,
                "weekly is empty: give at least one interval, for example "
                "{days: [mon, tue, wed, thu, fri], start: '18:00', end: '07:00'}",
            )

    # --- state ---------------------------------------------------------------------------

    def read(self):
        found = find_schedule(self.device, self.params["name"])
        event = found[0] if found else None
        if event is None:
            return {
                "state": "absent",
                "name": self.params["name"],
                "event_id": None,
                "weekly": None,
                "predefined": False,
                "managed": False,
            }
        described = describe_schedule(event)
        described["state"] = "present"
        return described

    def desired(self, current):
        wanted = dict(current)
        if self.params["state"] == "absent":
            wanted.update(state="absent", event_id=None, weekly=None, managed=False, predefined=False)
            wanted.pop("ical", None)
            return wanted
        if current["state"] == "present" and (self.weekly is None or current.get("predefined")):
            return wanted  # a reference to what the device has: checked in plan()
        if self.weekly is None:
            raise InputError(
                None, "weekly is required to add the schedule %r, which the device does not have" % self.params["name"]
            )
        wanted.update(state="present", weekly=self.weekly, predefined=False)
        wanted.pop("ical", None)
        if current["state"] == "absent":
            wanted.update(event_id=own_event_id(self.params["name"]), managed=True)
        return wanted

    # --- plan ----------------------------------------------------------------------------

    def plan(self, current, desired):
        name = self.params["name"]
        if current["state"] == "present" and current.get("predefined"):
            if self.params["state"] == "absent":
                raise InputError(
                    None,
                    "name=%s is one of the device's predefined schedules (event id %s): they are never "
                    "removed; leave it out of the declaration instead" % (name, current["event_id"]),
                )
            if self.weekly is not None and self.weekly != current["weekly"]:
                raise InputError(
                    None,
                    "name=%s is one of the device's predefined schedules (event id %s, %s), which are "
                    "never changed; the declaration asks for %s. Give your schedule another name, or "
                    "leave weekly out to use the predefined one as it is"
                    % (name, current["event_id"], _weekly_text(current["weekly"]), _weekly_text(self.weekly)),
                )
            return []
        if self.params["state"] == "absent":
            if current["state"] == "absent":
                return []
            users = rules_using_schedule(self.device, current["event_id"])
            if users:
                raise InputError(
                    None,
                    "schedule %s is used by the rule%s %s: remove or change %s first (nothing was "
                    "changed)"
                    % (
                        name,
                        "" if len(users) == 1 else "s",
                        ", ".join(sorted(users)),
                        "it" if len(users) == 1 else "them",
                    ),
                )
            return [self._remove_step(current, "state=absent")]
        if current["state"] == "present" and desired["weekly"] == current["weekly"]:
            return []
        steps = []
        event_id = desired["event_id"]
        if current["state"] == "present":
            users = rules_using_schedule(self.device, current["event_id"])
            if users:
                # event1 RemoveScheduledEvent refuses a schedule a rule's condition names
                raise InputError(
                    None,
                    "schedule %s is used by the rule%s %s, and a device cannot change a schedule a rule "
                    "uses (it is removed and added again): remove %s first (state=absent), change the "
                    "schedule, then add %s again (nothing was changed)"
                    % (
                        name,
                        "" if len(users) == 1 else "s",
                        ", ".join(sorted(users)),
                        "it" if len(users) == 1 else "them",
                        "it" if len(users) == 1 else "them",
                    ),
                )
            self.replaced = True
            why = (
                "scheduled events cannot be changed and its intervals differ (%s -> %s): it is added again with "
                "the same event id" % (_weekly_text(current["weekly"]), _weekly_text(desired["weekly"]))
            )
            steps.append(self._remove_step(current, why))
        ical = to_ical(desired["weekly"])

        def add():
            answered = add_scheduled_event(self.device, name, ical, event_id=event_id)
            return "event %s" % answered

        steps.append(
            Step(
                "AddScheduledEvent",
                "add schedule %r (event id %s): %s" % (name, event_id, _weekly_text(desired["weekly"])),
                add,
            )
        )
        return steps

    def _remove_step(self, current, why):
        event_id = current["event_id"]

        def run():
            remove_scheduled_event(self.device, event_id)
            return "event %s removed" % event_id

        return Step(
            "RemoveScheduledEvent", "remove schedule %r (event id %s): %s" % (current["name"], event_id, why), run
        )

    def diff_fields(self):
        return ("state", "name", "event_id", "weekly")

    def diff_headers(self):
        if not self.replaced:
            return {}
        return {
            "after_header": "schedule %s removed and added again with the same event id (scheduled events "
            "cannot be changed)" % self.params["name"]
        }
