#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_recording_group
short_description: Manage a recording group of an Axis camera (AXIS OS 12)
version_added: 0.1.0
description:
  - Creates, updates or deletes a recording group through the Recording group API
    (C(record/recording_group/{list,create,update,delete}.cgi)), which devices with AXIS OS 12
    list in API discovery as C(recording-group).
  - A recording group is a destination for event-triggered recordings with its own stream
    options, pre- and post-event time and retention. Recording rules record into it with
    M(vapix.edge_storage.axis_recording_rule) and C(recording_group).
  - A group is identified by its O(id). Settings that are not given are left as the device has
    them (or, for a new group, as the device sets them).
  - The disk of a group cannot be changed. Another O(disk_id) means deleting the group and
    creating it again, and deleting a group deletes all of its recordings, so every deletion
    (another disk, or O(state=absent)) needs O(allow_data_loss=true); without it the task fails
    before any change and says what would be lost.
  - A group that a recording rule still records to is never deleted; the error names the rules.
  - Devices without the Recording group API (AXIS OS before 12, for example 9.80 or 5.51) fail
    before any change with the model, the firmware and the missing API.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  id:
    description:
      - "The group's id (C(recordinggroupid)): 1 to 50 letters, digits, V(_) or V(-)."
    type: str
    required: true
  nice_name:
    description: The group's display name.
    type: str
  description:
    description: The group's description.
    type: str
  disk_id:
    description:
      - The disk the group records to, for example V(SD_DISK) or V(NetworkShare). Required with
        O(state=present).
      - Fixed once the group exists; another disk deletes and creates the group, which needs
        O(allow_data_loss=true).
    type: str
  retention_hours:
    description: Hours the group's recordings are kept; V(0) keeps them until the disk's cleanup removes them.
    type: int
  stream_options:
    description:
      - "The stream options of the group's recordings, checked exactly as by
        M(vapix.edge_storage.axis_continuous_recording) (names, values, C(camera) included), for
        example C({videocodec: h264, resolution: 1920x1080, fps: 15})."
      - A change restarts a recording that is going on.
    type: dict
  pre_seconds:
    description: Seconds recorded before an event (the device's C(preduration), in milliseconds); 0 to 86400.
    type: int
  post_seconds:
    description: Seconds recorded after an event (the device's C(postduration), in milliseconds); 0 to 86400.
    type: int
  allow_data_loss:
    description:
      - Allow deleting the group (O(state=absent), or another O(disk_id)), which deletes its recordings.
    type: bool
    default: false
  state:
    description:
      - V(present) makes sure the group exists with these settings; V(absent) deletes it (with its recordings).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: vapix.edge_storage.axis_recording_rule
  - module: vapix.edge_storage.axis_storage
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: A recording group on the SD card, 5 s before and 30 s after each event, kept a week
  vapix.edge_storage.axis_recording_group:
    host: 192.0.2.10
    id: motion_sd
    nice_name: Motion
    disk_id: SD_DISK
    retention_hours: 168
    stream_options:
      videocodec: h264
      resolution: 1920x1080
      fps: 15
    pre_seconds: 5
    post_seconds: 30

- name: Record motion into the group
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.10
    name: Motion into the group
    trigger:
      motion: {camera: 1, profile: 1}
    recording_group: motion_sd

- name: Move the group to the NAS (deleted and created again, with its recordings lost)
  vapix.edge_storage.axis_recording_group:
    host: 192.0.2.10
    id: motion_sd
    disk_id: NetworkShare
    allow_data_loss: true
"""

RETURN = r"""
recording_group:
  description: The group after the run (in check mode, as it would be).
  returned: success
  type: dict
  contains:
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    id:
      description: The group's id.
      type: str
      sample: motion_sd
    nice_name:
      description: The group's display name.
      type: str
      sample: Motion
    description:
      description: The group's description.
      type: str
      sample: ""
    disk_id:
      description: The disk the group records to.
      type: str
      sample: SD_DISK
    retention_hours:
      description: Hours its recordings are kept (0 until the disk's cleanup).
      type: int
      sample: 168
    stream_options:
      description: The group's stream options as key/value pairs (values as the device stores them).
      type: dict
      sample: {"videocodec": "h264", "resolution": "1920x1080", "fps": "15"}
    pre_seconds:
      description: Seconds recorded before an event.
      type: int
      sample: 5
    post_seconds:
      description: Seconds recorded after an event.
      type: int
      sample: 30
recreated_from_disk:
  description: The disk of the group that was deleted and created again on O(disk_id).
  returned: when the group was moved to another disk
  type: str
  sample: SD_DISK
steps:
  description:
    - The writes made (or, in check mode, planned), in order.
    - On failure, the steps up to and including the one that failed are V(executed=true); that one also has
      V(failed=true) and its error as C(outcome); the rest are V(executed=false).
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "create", "executed": true, "outcome": "group motion_sd",
       "detail": "create recording group motion_sd on disk SD_DISK (pre_seconds=5, post_seconds=30)"}
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
  description: The CGI that failed, when the device reported the error (for example V(record/recording_group/create.cgi)).
  returned: failure
  type: str
error_code:
  description: The API's error code, when the device gave one.
  returned: failure
  type: int
error_description:
  description: The device's (or the module's) description of the error.
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import RecordingGroup


def main():
    run_module(RecordingGroup)


if __name__ == "__main__":
    main()
