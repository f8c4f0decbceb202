#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_storage
short_description: Apply a whole Axis device's edge storage declaration in one task
version_added: 0.1.0
description:
  - Converges, or in check mode compares, everything a device stores recordings with, namely external
    IP devices (recorders), network shares, disk encryption, disk settings and format, storage
    limits and continuous recording profiles.
  - Each declared item takes the options of the single-purpose module that manages it, and is
    applied by the same code as that module, in dependency order. External devices and shares
    come before the profiles that use them; encryption and format before limits.
  - Reads are shared across the whole declaration (one disk list for every disk, one share
    list, one profile list), so a device that already matches costs a few reads only.
  - The role C(vapix.edge_storage.storage) and the playbooks run this module, one task per device.
attributes:
  idempotent:
    support: partial
    details:
      - Passwords and passphrases cannot be read back from a device. Resources whose only
        declared difference could be such a secret are reported with RV(resources[].unverified).
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  disks:
    description:
      - Disks to manage. Each item takes the options of M(vapix.edge_storage.axis_disk) (except
        O(vapix.edge_storage.axis_disk#module:allow_format) and
        O(vapix.edge_storage.axis_disk#module:job_timeout), set once here), plus
      - C(encryption), a dictionary of M(vapix.edge_storage.axis_encryption) options (without
        C(disk_id)), applied before the disk settings;
      - C(storage_limit), a dictionary of M(vapix.edge_storage.axis_storage_limit) options
        (without C(disk_id)), applied after them.
    type: list
    elements: dict
    default: []
    suboptions:
      disk_id:
        description: The disk, for example V(SD_DISK), V(SD_DISK2), V(NetworkShare) or V(HDD_DISK).
        type: str
        required: true
      friendly_name:
        description: Name shown in the device's web pages (devices with C(param.cgi) only).
        type: str
      filesystem:
        description:
        - File system the disk should have. A different one means a format, which needs O(allow_data_loss=true).
        type: str
        choices:
        - ext4
        - vfat
        - cifs
      mounted:
        description: Whether the disk is mounted.
        type: bool
      locked:
        description: Whether the disk is locked (recording stops, recordings cannot be removed).
        type: bool
      required_filesystem:
        description:
        - V(ext4) makes the device format any card without ext4 when it is mounted. Requiring ext4 of a disk
          with another file system is a format.
        type: str
        choices:
        - none
        - ext4
      cleanup_policy:
        description: V(fifo) deletes the oldest recordings; V(none) leaves it to the user.
        type: str
        choices:
        - fifo
        - none
      cleanup_max_age:
        description: Days recordings are kept with O(disks[].cleanup_policy=fifo), 0 to 7000.
        type: int
      alert_levels:
        description: Levels at which the device sends a storage alert event.
        type: dict
        suboptions:
          wear:
            description: Wear of the disk, in percent (0 to 100).
            type: int
          temperature:
            description: Temperature of the disk in Kelvin (273 to 423).
            type: int
      mount_on_boot:
        description: Whether the device mounts the disk when it starts (C(param.cgi) only).
        type: bool
      auto_repair:
        description: Whether the device repairs the file system before mounting (C(param.cgi) only).
        type: bool
      check_filesystem:
        description:
          - Check the disk's file system (C(disks/checkdisk.cgi)) with the disk unmounted, then mount it
            again. V(if_failed) checks only a disk the device lists as failed; V(always) checks (and reports
            a change) on every run. See M(vapix.edge_storage.axis_disk).
        type: str
        choices: [never, if_failed, always]
        default: never
      allow_repair:
        description:
          - Repair what O(disks[].check_filesystem) finds (C(disks/repair.cgi)); a repair may lose data,
            hence its own opt-in. Without it a check that finds errors fails the task.
        type: bool
        default: false
      encryption:
        description:
        - Encryption of the disk (options of M(vapix.edge_storage.axis_encryption) without C(disk_id)), applied
          before the disk settings. Turning it on or off formats the disk, which needs O(allow_data_loss=true).
        type: dict
        suboptions:
          state:
            description: V(enabled) encrypts the disk with O(disks[].encryption.passphrase).
            type: str
            default: enabled
            choices:
            - enabled
            - disabled
          passphrase:
            description:
            - The passphrase the disk should have (1 to 512 bytes). Keep it in a vault.
            - Never shown in output, diffs or errors.
            type: str
          old_passphrase:
            description: The disk's current passphrase, to rotate from. Never shown.
            type: str
      storage_limit:
        description:
        - Recording storage limit of the disk (options of M(vapix.edge_storage.axis_storage_limit) without
          C(disk_id)), applied after the disk settings.
        type: dict
        suboptions: &storage_limit_options
          size:
            description: A number of kilobytes, or with a binary unit (V(500 GB), V(1.5 TiB)). At least 1
              GB.
            type: str
          percent:
            description: Percentage of the disk's size, greater than 0 and at most 100.
            type: float
          state:
            description: V(present) sets the limit, V(absent) removes it.
            type: str
            default: present
            choices:
            - present
            - absent
  network_shares:
    description:
      - Network shares. Each item takes the options of M(vapix.edge_storage.axis_networkshare)
        (except C(allow_data_loss) and C(job_timeout)), plus C(storage_limit) for the share's
        C(NetworkShare) disk, applied once the share is bound.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The share's nice name, unique on the device. Identifies the share without O(network_shares[].share_id).
        type: str
      share_id:
        description: The device's id of the share (letters, digits and V(-)).
        type: str
      address:
        description: Host name or IP address of the NAS.
        type: str
      share:
        description: The share's name on the server, for example V(recordings).
        type: str
      share_user:
        description: User name for the share; V("") removes it.
        type: str
      share_password:
        description:
        - Password of O(network_shares[].share_user). Keep it in a vault.
        - Never shown in output, diffs or errors.
        type: str
      update_password:
        description:
        - When to send the password, which the device never returns. V(on_create) only when the share is created,
          V(always) on every run (always a change), V(verify) when the share test of the stored settings fails
          with a login error.
        type: str
        default: on_create
        choices:
        - on_create
        - always
        - verify
      state: &present_or_absent
        description: V(present) or V(absent).
        type: str
        default: present
        choices:
        - present
        - absent
      bound:
        description: Whether the share is bound to the C(NetworkShare) disk (needed for recording).
        type: bool
        default: true
      automatic_mount:
        description: Whether the device mounts the bound share automatically.
        type: bool
      test:
        description: Run the device's share test before adding the share or changing its connection.
        type: bool
        default: true
      mount_options:
        description:
          - Extra SMB mount options of the share (C(Storage.S#.ExtraMountOptions)), for example V(vers=3.0).
            V("") removes them; leave it out to keep what the device has. See
            M(vapix.edge_storage.axis_networkshare).
        type: str
      storage_limit:
        description: Storage limit of the C(NetworkShare) disk (only with a bound, present share).
        type: dict
        # The same options as disks[].storage_limit (a YAML alias of them).
        suboptions: *storage_limit_options
  external_devices:
    description:
      - Cameras a recorder records from. Each item takes the options of
        M(vapix.edge_storage.axis_external_device) (except C(remove_profiles)).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The external device's id on the recorder, for example V(front-door).
        type: str
        required: true
      address:
        description: The camera's IP address or host name. Creating or changing it needs the camera account.
        type: str
      device_port:
        description: The camera's port, 0 to 65535 (V(0) is the protocol's default).
        type: int
      protocol:
        description: How the recorder fetches the stream.
        type: str
        choices:
        - rtspt
        - rtsph
        - rtspsh
      cert_validation:
        description: Certificate validation of the camera (with V(rtspsh) only).
        type: str
        choices:
        - 'off'
        - standard
        - limited
      description:
        description: Free text description; V("") clears it.
        type: str
      serial_number:
        description: The camera's serial number (a MAC address or letters and digits).
        type: str
      device_username:
        description: The account on the camera the recorder logs in with.
        type: str
      device_password:
        description:
        - Password of O(external_devices[].device_username). Keep it in a vault.
        - Write-only on the recorder; never shown in output, diffs or errors.
        type: str
      update_password:
        description: V(on_create) sends the password only when needed, V(always) on every run.
        type: str
        default: on_create
        choices:
        - on_create
        - always
      events_enabled:
        description: Whether the recorder subscribes to the camera's events.
        type: bool
      state: *present_or_absent
  recording_profiles:
    description:
      - Continuous recording profiles. Each item takes the options of
        M(vapix.edge_storage.axis_continuous_recording) (except C(exclusive)).
    type: list
    elements: dict
    default: []
    suboptions:
      disk_id:
        description: The disk to record to, for example V(SD_DISK), V(NetworkShare) or V(HDD_DISK).
        type: str
        required: true
      event_id:
        description: The event id that classifies the recordings.
        type: str
        default: continuous
      stream_options:
        description:
        - 'Stream options (C(media.cgi) option names and values), for example C({videocodec: h264, resolution:
          1920x1080, fps: 15}). Checked by the module.'
        type: dict
      camera:
        description:
          - The video channel to record (the stream option C(camera)), V(1) for the first sensor. Part of
            the profile's identity, so a multi-sensor camera keeps one profile per sensor; without it, the
            first channel. The same as C(camera) in O(recording_profiles[].stream_options).
        type: raw
      device:
        description: Recorders only, required there. The id of the external device to record from.
        type: str
      state: *present_or_absent
  recording_groups:
    description:
      - Recording groups (AXIS OS 12, Recording group API) that O(recording_rules) record into.
        Each item takes the options of M(vapix.edge_storage.axis_recording_group). Applied after
        disks and shares and before the rules; groups with O(recording_groups[].state=absent) are
        deleted after the rules, so a rule this run removes or moves no longer holds them.
      - Deleting a group (V(absent), another O(recording_groups[].disk_id)) deletes its
        recordings and needs O(allow_data_loss=true); a group a rule still records into is never deleted.
      - Left out, groups are not managed; given (even as an empty list), O(purge) with
        O(allow_data_loss=true) deletes the undeclared groups that no rule records into.
    type: list
    elements: dict
    suboptions:
      id:
        description: The group's id.
        type: str
        required: true
      nice_name:
        description: The group's display name.
        type: str
      description:
        description: The group's description.
        type: str
      disk_id:
        description: The disk the group records to; required with O(recording_groups[].state=present).
        type: str
      retention_hours:
        description: Hours the group's recordings are kept; V(0) until the disk's cleanup removes them.
        type: int
      stream_options:
        description: Stream options, checked as for O(recording_profiles[].stream_options).
        type: dict
      pre_seconds:
        description: Seconds recorded before an event.
        type: int
      post_seconds:
        description: Seconds recorded after an event.
        type: int
      state: *present_or_absent
  recording_schedules:
    description:
      - Weekly recording schedules for O(recording_rules). Each item takes the options of
        M(vapix.edge_storage.axis_recording_schedule). Applied after the recording profiles and
        before the rules. The device's predefined schedules need no declaration to be used.
      - Left out, schedules are not managed and O(purge) keeps them; given (even as an empty
        list), O(purge) removes the undeclared schedules this collection added, never the
        device's predefined ones or other software's.
    type: list
    elements: dict
    suboptions:
      name:
        description: The schedule's name on the device.
        type: str
        required: true
      weekly:
        description: The weekly intervals, with the same start and end time, on their days.
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
            description: Start time, V(HH:MM).
            type: str
            required: true
          end:
            description: End time, V(HH:MM) or V(24:00); before the start it ends the next day.
            type: str
            required: true
      state: *present_or_absent
  recording_rules:
    description:
      - Event-triggered recording rules. Each item takes the options of
        M(vapix.edge_storage.axis_recording_rule). Applied last, after the schedules; every
        rule is checked against the device (trigger offered, disk, names taken by rules that
        do not record) before the first write of the task.
      - Left out, rules are not managed and O(purge) keeps them (a VMS's rules stay); given
        (even as an empty list), O(purge) removes the undeclared rules that record, never
        rules with other actions.
    type: list
    elements: dict
    suboptions:
      name:
        description: The rule's name on the device; its identity.
        type: str
        required: true
      state: *present_or_absent
      enabled:
        description: Whether the rule is enabled.
        type: bool
        default: true
      trigger:
        description: What starts the recording, exactly one of its keys; required with O(recording_rules[].state=present).
        type: dict
        suboptions:
          motion:
            description: Motion (VMD4 on a camera, an external device's on a recorder).
            type: dict
            suboptions:
              camera:
                description: The video channel, default 1.
                type: int
              profile:
                description: The motion detection profile, default 1.
                type: int
              device:
                description: Recorders, the external device whose motion triggers.
                type: str
          input:
            description: A digital input.
            type: dict
            suboptions:
              port:
                description: The input port.
                type: int
                required: true
              state:
                description: Record while the input is active or inactive.
                type: str
                choices: [active, inactive]
                default: active
          virtual_input:
            description: A virtual input.
            type: dict
            suboptions:
              port:
                description: The virtual input.
                type: int
                required: true
          schedule:
            description: While a schedule is active.
            type: dict
            suboptions:
              name:
                description: The schedule's name (predefined or from O(recording_schedules)).
                type: str
                required: true
      disk_id:
        description:
          - The disk to record to; this or O(recording_rules[].recording_group) is required with
            O(recording_rules[].state=present).
        type: str
      recording_group:
        description:
          - The recording group to record into instead of a disk (it must exist or be declared in
            O(recording_groups)); its stream options and pre- and post-event time are the group's.
        type: str
      device:
        description: Recorders only, required there. The external device to record from.
        type: str
      stream_options:
        description: Stream options, checked as for O(recording_profiles[].stream_options).
        type: dict
      pre_seconds:
        description: Seconds recorded before the event.
        type: int
        default: 0
      post_seconds:
        description: Seconds recorded after the event.
        type: int
        default: 0
      while_active:
        description: V(true) records while the event is active too (unlimited template); V(false) only before and after it.
        type: bool
        default: true
  allow_data_loss:
    description:
      - Allows the steps that destroy recordings; without it such a step fails before any write.
      - It is O(vapix.edge_storage.axis_disk#module:allow_format) for disks and encryption,
        C(allow_data_loss) for shares that hold recordings, and C(remove_profiles) for purged
        external devices still used by profiles.
    type: bool
    default: false
  purge:
    description:
      - Also remove what the device has and the declaration does not list (the C(overridden)
        state of network resource modules), namely recording profiles, network shares and, on
        recorders, external devices; recording rules and the schedules this collection added
        where O(recording_rules) and O(recording_schedules) are given; with O(allow_data_loss=true),
        the recording groups no rule records into where O(recording_groups) is given.
      - Undeclared disks are left alone.
    type: bool
    default: false
notes:
  - The whole declaration is validated before the first request, in one pass, with the same
    checks as the single-purpose modules (ranges, units, stream option names and values,
    passphrase lengths ...) for every item and nested option. A wrong value anywhere fails the
    task before anything is sent, with an error naming its place, for example
    C(disks[0].cleanup_max_age=9999 is out of range).
  - A storage limit O(disks[].storage_limit.size) larger than its disk is refused before the first
    write, naming both sizes. The size of the C(NetworkShare) disk is known only once the declared
    share is bound, so its limit is compared when it is applied (after the share); where the device
    reports no size at all, the limit is set with a warning. See C(docs/validation.md).
  - In check mode every resource is compared, even after one fails (unless the device stops
    answering); when applying, the first failure stops the run and later resources are reported
    as skipped.
  - Without O(allow_data_loss), every format or removal that would lose recordings is looked for
    in check mode first, so such a declaration fails before the device's first write.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.connection.JOBS
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: A camera recording to its SD card and to a NAS with a quota
  vapix.edge_storage.axis_storage:
    host: 192.0.2.10
    disks:
      - disk_id: SD_DISK
        filesystem: ext4
        required_filesystem: ext4
        mounted: true
        cleanup_policy: fifo
        cleanup_max_age: 30
        storage_limit:
          percent: 90
    network_shares:
      - name: nas
        address: nas.example.com
        share: recordings
        share_user: camera
        share_password: "{{ nas_password }}"
        storage_limit:
          size: 500 GB
    recording_profiles:
      - disk_id: SD_DISK
        stream_options:
          resolution: 1920x1080
          fps: 15
          videocodec: h264
    allow_data_loss: true

- name: An S3008 recorder pulling from two cameras, nothing else on it
  vapix.edge_storage.axis_storage:
    host: 192.0.2.20
    external_devices:
      - id: door
        address: 192.0.2.31
        device_username: recorder
        device_password: "{{ camera_password }}"
      - id: yard
        address: 192.0.2.32
        device_username: recorder
        device_password: "{{ camera_password }}"
    recording_profiles:
      - disk_id: HDD_DISK
        device: door
        stream_options: {resolution: 1920x1080, fps: 30, videokeyframeinterval: 64, audio: 0, video: 1}
      - disk_id: HDD_DISK
        device: yard
        stream_options: {resolution: 1280x720, fps: 15, videokeyframeinterval: 64, audio: 0, video: 1}
    purge: true

- name: Record motion to the SD card, and the door contact after hours to the NAS
  vapix.edge_storage.axis_storage:
    host: 192.0.2.10
    recording_schedules:
      - name: Closed
        weekly:
          - {days: [mon, tue, wed, thu, fri], start: "18:00", end: "07:00"}
    recording_rules:
      - name: Motion to SD
        trigger: {motion: {camera: 1, profile: 1}}
        disk_id: SD_DISK
        pre_seconds: 5
        post_seconds: 30
      - name: Door to NAS
        trigger: {input: {port: 1}}
        disk_id: NetworkShare
        while_active: false
        post_seconds: 60

- name: Drift check of the recorder's declaration, kept in variables (changes nothing)
  vapix.edge_storage.axis_storage:
    host: 192.0.2.20
    external_devices: "{{ recorder_external_devices }}"
    recording_profiles: "{{ recorder_profiles }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
resources:
  description:
    - One entry per declared (or purged) resource, in the order they were applied.
    - When the host is no Axis device with edge storage (it never asked for and accepted the login, for
      example another web server answering 404 to everything, or it has no disk list at all), the
      first entry is C(device) with RV(resources[].error_kind=device) and every declared resource
      follows as skipped, "not compared" (check mode) or "not applied".
  returned: always
  type: list
  elements: dict
  contains:
    resource:
      description: What the entry is about, for example C(disk SD_DISK) or C(network_share nas).
      type: str
    changed:
      description:
        - Whether this resource was (or in check mode would be) changed.
        - Also V(true) for a resource that failed after it had written something (a step done, a job
          started, or a change the device shows when read back); its RV(resources[].msg) then says what
          was done and what is left, and the task's C(changed) is V(true) as well.
      type: bool
    failed:
      description: Whether this resource failed.
      type: bool
      returned: when it failed
    skipped:
      description: Not applied because an earlier resource failed.
      type: bool
      returned: when skipped
    msg:
      description:
        - The error, naming the CGI, the code and the device's description.
        - >-
          After a partial failure also what was already done, what the device now shows, and the steps
          not done, for example C(already done: unmount, enable; not done: mount; run the task again to finish).
      type: str
      returned: when it failed or was skipped
    error_kind:
      description: >-
        The kind of failure (V(api), V(input), V(refused), V(unsupported) (an Axis device lacking the API),
        V(device) (no Axis device with edge storage), V(connection), ...).
      type: str
      returned: when it failed
    steps:
      description:
        - Writes made or planned, in order.
        - For a failed resource, the steps up to the failure are V(executed=true) (the failed one also
          V(failed=true), or V(executed=false) if the device refused it), the rest V(executed=false).
        - A step whose change another client had already made is V(executed=false) and does not count
          as a change.
      type: list
      elements: dict
      returned: when there are any
    jobs:
      description: Device jobs run for this resource.
      type: list
      elements: dict
      returned: when there are any
    unverified:
      description: Write-only fields (passwords, passphrases) this run could not verify.
      type: list
      elements: str
      returned: when there are any
    state:
      description:
        - The resource as the single-purpose module returns it (secrets masked).
        - For a failed resource, as read back from the device after the failure (when it could be read).
      type: dict
      returned: when it did not fail, or failed and could be read back
    diff:
      description: Before and after of this resource.
      type: dict
      returned: in diff mode
summary:
  description: Counts of resources, changed, failed and unverified.
  returned: always
  type: dict
  sample: {"resources": 5, "changed": 0, "failed": 0, "unverified": 1}
requests:
  description: HTTP requests sent to the device by this task.
  returned: always
  type: int
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module


def main():
    run_module(DeviceStorage)


if __name__ == "__main__":
    main()
