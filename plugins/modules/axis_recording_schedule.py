#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_recording_schedule
short_description: Manage a weekly recording schedule of an Axis camera or recorder
version_added: 0.1.0
description:
  - Adds, replaces or removes a schedule (a scheduled event of the VAPIX Event and action
    services, C(event1 AddScheduledEvent)) that recording rules use as their trigger
    (M(vapix.edge_storage.axis_recording_rule) with C(trigger.schedule.name)).
  - A schedule is identified by its O(name). It is stored as an ICalendar text with one weekly
    interval (C(DTSTART), C(DTEND), C(RRULE:FREQ=WEEKLY;BYDAY=...)) per entry of O(weekly).
  - The device cannot change a scheduled event, so a schedule whose intervals differ is removed
    and added again under the same event id. A device refuses to remove a schedule a rule uses,
    so a schedule in use is not changed; the task fails before any write, naming the rules to
    remove first.
  - The device's predefined schedules (for example V(Office hours), V(After hours),
    V(Weekdays), V(Weekends); event ids C(com.axis.schedules.*)) are read-only references.
    Declared by name without O(weekly), or with the intervals they have, they change nothing;
    other intervals or O(state=absent) are refused before any write.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  name:
    description:
      - The schedule's name on the device; its identity, and the name rules refer to.
    type: str
    required: true
  weekly:
    description:
      - The weekly intervals in which the schedule is active. Required to add a schedule.
      - Left out for an existing schedule, the schedule is used as it is (a reference).
    type: list
    elements: dict
    suboptions:
      days:
        description: The days the interval starts on.
        type: list
        elements: str
        choices: [mon, tue, wed, thu, fri, sat, sun]
        required: true
      start:
        description: The start time, V(HH:MM) (24 hours, the device's local time).
        type: str
        required: true
      end:
        description:
          - The end time, V(HH:MM), or V(24:00) for midnight. An end before the start ends on
            the next day, so V(22:00) to V(06:00) runs past midnight.
        type: str
        required: true
  state:
    description:
      - V(present) makes sure the schedule exists with these intervals; V(absent) removes it.
      - A schedule still used by a rule is not removed; the error names the rules.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: vapix.edge_storage.axis_recording_rule
notes:
  - Schedules this module adds get event ids that start with C(vapix_edge_storage_), which is
    how M(vapix.edge_storage.axis_storage) with O(vapix.edge_storage.axis_storage#module:purge=true)
    tells them from the device's and from other software's; it removes only those.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Nights and weekends
  vapix.edge_storage.axis_recording_schedule:
    host: 192.0.2.10
    name: Closed
    weekly:
      - days: [mon, tue, wed, thu, fri]
        start: "18:00"
        end: "07:00"
      - days: [sat, sun]
        start: "00:00"
        end: "24:00"

- name: Remove the schedule (no rule may use it any more)
  vapix.edge_storage.axis_recording_schedule:
    host: 192.0.2.10
    name: Closed
    state: absent
"""

RETURN = r"""
schedule:
  description: The schedule after the run (in check mode, as it would be).
  returned: success
  type: dict
  contains:
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    name:
      description: The schedule's name.
      type: str
      sample: Closed
    event_id:
      description: The scheduled event's id, which rules refer to.
      type: str
      sample: vapix_edge_storage_closed
    weekly:
      description: The intervals, as in O(weekly); V(null) for a calendar that is not weekly.
      type: list
      elements: dict
      sample: [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "07:00"}]
    predefined:
      description: Whether it is one of the device's predefined schedules.
      type: bool
    managed:
      description: Whether this collection added it (its event id starts with C(vapix_edge_storage_)).
      type: bool
steps:
  description: The writes made (or, in check mode, planned), in order.
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "AddScheduledEvent", "executed": true, "outcome": "event vapix_edge_storage_closed",
       "detail": "add schedule 'Closed' (event id vapix_edge_storage_closed): mon,tue,wed,thu,fri 18:00-07:00"}
jobs:
  description: Jobs run on the device (none for this module).
  returned: always
  type: list
  elements: dict
requests:
  description: HTTP requests sent to the device by this task.
  returned: always
  type: int
  sample: 2
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
cgi:
  description: The SOAP operation that failed (for example V(event1 AddScheduledEvent)).
  returned: failure
  type: str
error_code:
  description: The SOAP fault code, when the device sent a fault.
  returned: failure
  type: str
error_description:
  description: The device's (or the module's) description of the error.
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_schedule import RecordingSchedule


def main():
    run_module(RecordingSchedule)


if __name__ == "__main__":
    main()
