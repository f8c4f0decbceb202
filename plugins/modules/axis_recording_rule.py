#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_recording_rule
short_description: Manage an event-triggered recording rule of an Axis camera or recorder
version_added: 0.1.0
description:
  - Adds, replaces or removes a rule that records to a disk on motion, on a digital or virtual
    input, or while a schedule is active, through the VAPIX Event and action services (SOAP
    C(action1) and C(event1) at C(/vapix/services)).
  - A rule is identified by its O(name) on the device. The module manages the rule and the
    recording action configuration it runs together (templates
    C(com.axis.action.unlimited.recording.storage) and
    C(com.axis.action.fixed.recording.storage)).
  - The device cannot change a rule or a configuration, so a rule whose trigger, disk, stream
    options, durations or O(enabled) differ is removed and added again, configuration included;
    both get new ids, and the diff and steps say so.
  - Before anything is written the module checks that the device offers the trigger
    (C(event1 GetEventInstances)), that the disk exists, that the schedule exists, and the stream
    options as M(vapix.edge_storage.axis_continuous_recording) does.
  - A rule of the same name whose action does not record (for example an LED or e-mail action
    a VMS made) is refused, never replaced or removed.
  - "Only action configurations this collection added (named C(vapix.edge_storage: <rule name>))
    are removed, with their rule and once no other rule uses them. No other configuration is
    ever touched."
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  name:
    description:
      - The rule's name on the device; its identity.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the rule exists as declared (adding or replacing it); V(absent)
        removes it and the configuration this collection added for it.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the rule is enabled. A change replaces the rule (the services cannot modify one).
    type: bool
    default: true
  trigger:
    description:
      - What starts the recording; exactly one of its keys. Required with O(state=present).
    type: dict
    suboptions:
      motion:
        description:
          - On a camera, motion detected by the video motion detection application (VMD4) in a
            profile of a video channel, topic
            C(tnsaxis:CameraApplicationPlatform/VMD/Camera<camera>Profile<profile>); on firmware
            before VMD4 (5.x) the video source's C(tns1:VideoSource/MotionAlarm) of channel
            O(trigger.motion.camera) (profile 1 only).
          - On a recorder, the motion of an external device (O(trigger.motion.device)), topic
            C(tns1:VideoSource/tnsaxis:ExternalDevice/Motion).
          - A channel, profile or external device the device does not offer is refused before any
            write, naming the ones it offers.
        type: dict
        suboptions:
          camera:
            description: The video channel, from 1 (on a multi-sensor camera, one per sensor). Default 1.
            type: int
          profile:
            description: The motion detection profile, from 1. Default 1.
            type: int
          device:
            description:
              - Recorders. The external device whose motion triggers the rule. Without it (and
                without O(trigger.motion.camera) and O(trigger.motion.profile)), O(device) is used.
            type: str
      input:
        description:
          - A digital input (door contact, alarm panel), topic C(tns1:Device/tnsaxis:IO/Port).
        type: dict
        suboptions:
          port:
            description: The input port, from 1; checked against the ports the device lists.
            type: int
            required: true
          state:
            description: Record while the input is V(active) (closed circuit) or V(inactive).
            type: str
            choices: [active, inactive]
            default: active
      virtual_input:
        description:
          - A virtual input, set by a VMS or another rule, topic C(tns1:Device/tnsaxis:IO/VirtualInput).
        type: dict
        suboptions:
          port:
            description: The virtual input, from 1.
            type: int
            required: true
      schedule:
        description:
          - While a schedule is active, topic C(tns1:UserAlarm/tnsaxis:Recurring/Interval).
        type: dict
        suboptions:
          name:
            description:
              - The schedule's name, a predefined one of the device (for example V(After hours))
                or one made with M(vapix.edge_storage.axis_recording_schedule).
            type: str
            required: true
  disk_id:
    description:
      - The disk to record to, as the device lists it, for example V(SD_DISK) or V(NetworkShare).
        With O(state=present) this or O(recording_group) is required; it must exist.
    type: str
  recording_group:
    description:
      - The recording group to record into instead of a disk (AXIS OS 12, Recording group API;
        the action template C(com.axis.action.unlimited.recording_group.storage)), as made with
        M(vapix.edge_storage.axis_recording_group). Mutually exclusive with O(disk_id).
      - The group holds the disk, the stream options and the pre- and post-event time, so
        O(device), O(stream_options), O(pre_seconds), O(post_seconds) and O(while_active=false)
        cannot be set with it. The group must exist (or, with M(vapix.edge_storage.axis_storage),
        be declared in the same task).
    type: str
  device:
    description:
      - Recorders only, where it is required. The external IP device (camera) to record from,
        as created with M(vapix.edge_storage.axis_external_device); sent as the stream option
        C(device), and checked against the recorder's external devices before any write.
    type: str
  stream_options:
    description:
      - "The stream options of the recording, checked exactly as by
        M(vapix.edge_storage.axis_continuous_recording) (names, values, C(camera) included), for
        example C({videocodec: h264, resolution: 1920x1080, fps: 15, camera: 2})."
      - Without C(camera) the first video channel is recorded; on a multi-sensor camera give
        the channel of the sensor the rule is about.
    type: dict
  pre_seconds:
    description: Seconds recorded before the event (the device's C(pre_duration), in milliseconds).
    type: int
    default: 0
  post_seconds:
    description: Seconds recorded after the event (the device's C(post_duration), in milliseconds).
    type: int
    default: 0
  while_active:
    description:
      - V(true) records from O(pre_seconds) before the event, while it is active, and
        O(post_seconds) after it (template C(com.axis.action.unlimited.recording.storage)).
      - V(false) records O(pre_seconds) before and O(post_seconds) after the event only
        (template C(com.axis.action.fixed.recording.storage)); at least one of them must be set.
    type: bool
    default: true
seealso:
  - module: vapix.edge_storage.axis_recording_schedule
  - module: vapix.edge_storage.axis_continuous_recording
  - module: vapix.edge_storage.axis_storage
notes:
  - Replacing or removing a rule stops recording on its trigger until the new rule is added.
    Recordings already made stay on the disk, so no data-loss opt-in is asked for.
  - Rules a VMS or a person made under other names are never read as this module's and never
    changed. M(vapix.edge_storage.axis_storage) with O(vapix.edge_storage.axis_storage#module:purge=true)
    removes undeclared recording rules only.
  - On a device without the Event and action services (firmware before 5.50, or one that lists
    C(Properties.API.WebService.WebService=no)) the task fails, naming the missing service.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Record motion to the SD card, 5 s before and 30 s after
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.10
    name: Motion to SD
    trigger:
      motion: {camera: 1, profile: 1}
    disk_id: SD_DISK
    stream_options: {videocodec: h264, resolution: 1920x1080, fps: 15}
    pre_seconds: 5
    post_seconds: 30

- name: Record the door contact on input 1 to the NAS, 10 s after it closes
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.10
    name: Door to NAS
    trigger:
      input: {port: 1, state: active}
    disk_id: NetworkShare
    while_active: false
    pre_seconds: 2
    post_seconds: 10

- name: Record after hours
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.10
    name: After hours
    trigger:
      schedule: {name: After hours}
    disk_id: SD_DISK

- name: On a recorder, record the front door camera to its disk when it sees motion
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.20
    name: Front door motion
    device: front-door
    trigger:
      motion: {}
    disk_id: HDD_DISK
    stream_options: {resolution: 1920x1080, fps: 15}
    post_seconds: 30

- name: Stop recording on motion
  vapix.edge_storage.axis_recording_rule:
    host: 192.0.2.10
    name: Motion to SD
    state: absent
"""

RETURN = r"""
rule:
  description: The rule after the run (in check mode, as it would be).
  returned: success
  type: dict
  contains:
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    name:
      description: The rule's name.
      type: str
      sample: Motion to SD
    rule_id:
      description: The device's id of the rule; V(null) in check mode for a rule to be added.
      type: int
      sample: 3
    configuration_id:
      description: The id of the action configuration the rule runs; V(null) for one to be added.
      type: int
      sample: 4
    enabled:
      description: Whether the rule is enabled.
      type: bool
    trigger:
      description:
        - The trigger in the form of the option O(trigger). A condition this module does not
          write (another topic or filter) shows as C(other).
      type: dict
      sample: {"motion": {"camera": 1, "profile": 1}}
    disk_id:
      description: The disk it records to; V(null) for a rule that records into a recording group.
      type: str
      sample: SD_DISK
    recording_group:
      description: The recording group it records into; V(null) for a rule that records to a disk.
      type: str
    device:
      description: The external device a recorder's rule records from; V(null) on cameras.
      type: str
    stream_options:
      description: The stream options of its configuration, as the device stores them.
      type: dict
      sample: {"videocodec": "h264", "fps": "15"}
    pre_seconds:
      description: Seconds recorded before the event.
      type: int
      sample: 5
    post_seconds:
      description: Seconds recorded after the event.
      type: int
      sample: 30
    while_active:
      description: V(true) for the unlimited template, V(false) for the fixed one.
      type: bool
    duplicate_rule_ids:
      description: Further recording rules of the same name (removed by O(state=present)).
      type: list
      elements: int
      sample: []
replaced_rule_id:
  description: The id of the rule that was removed and added again because it differed.
  returned: when a rule was replaced
  type: int
  sample: 3
steps:
  description:
    - The writes made (or, in check mode, planned), in order (C(RemoveActionRule),
      C(RemoveActionConfiguration), C(AddActionConfiguration), C(AddActionRule)).
    - On failure, the steps up to and including the one that failed are V(executed=true); that one also has
      V(failed=true) and its error as C(outcome); the rest are V(executed=false).
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "AddActionConfiguration", "executed": true, "outcome": "configuration 4",
       "detail": "add action configuration 'vapix.edge_storage: Motion to SD': com.axis.action.unlimited.recording.storage,
                  storage_id=SD_DISK, stream_options=fps=15, pre_duration=5000, post_duration=30000"}
    - {"action": "AddActionRule", "executed": true, "outcome": "rule 3",
       "detail": "add rule 'Motion to SD' (enabled): on tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1, active=1"}
jobs:
  description: Jobs run on the device (none for this module).
  returned: always
  type: list
  elements: dict
requests:
  description: HTTP requests sent to the device by this task.
  returned: always
  type: int
  sample: 6
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
cgi:
  description: The SOAP operation that failed (for example V(action1 AddActionRule)), when the device reported the error.
  returned: failure
  type: str
error_code:
  description: The SOAP fault code (and subcode), when the device sent a fault.
  returned: failure
  type: str
error_description:
  description: The device's (or the module's) description of the error.
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule


def main():
    run_module(RecordingRule)


if __name__ == "__main__":
    main()
