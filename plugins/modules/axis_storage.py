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
author:
  - Edge Storage Team (@vapix-edge-storage)
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.connection.JOBS
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.ACTIONGROUP
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: partial
    details:
      - Passwords and passphrases cannot be read back from a device. Resources whose only
        declared difference could be such a secret are reported with RV(resources[].unverified).
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
  network_shares:
    description:
      - Network shares. Each item takes the options of M(vapix.edge_storage.axis_networkshare)
        (except C(allow_data_loss) and C(job_timeout)), plus C(storage_limit) for the share's
        C(NetworkShare) disk, applied once the share is bound.
    type: list
    elements: dict
    default: []
  external_devices:
    description:
      - Cameras a recorder records from. Each item takes the options of
        M(vapix.edge_storage.axis_external_device) (except C(remove_profiles)).
    type: list
    elements: dict
    default: []
  recording_profiles:
    description:
      - Continuous recording profiles. Each item takes the options of
        M(vapix.edge_storage.axis_continuous_recording) (except C(exclusive)).
    type: list
    elements: dict
    default: []
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
        recorders, external devices.
      - Undeclared disks are left alone.
    type: bool
    default: false
notes:
  - Items are validated against their module's options before the first request, so a typo
    in any item fails the task before anything is sent.
  - In check mode every resource is compared, even after one fails (unless the device stops
    answering); when applying, the first failure stops the run and later resources are reported
    as skipped.
  - Without O(allow_data_loss), every format or removal that would lose recordings is looked for
    in check mode first, so such a declaration fails before the device's first write.
"""

EXAMPLES = r"""
- name: A camera recording to its SD card and to a NAS with a quota
  vapix.edge_storage.axis_storage:
    host: 192.0.2.10
    username: root
    password: "{{ axis_password }}"
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
    username: root
    password: "{{ axis_password }}"
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

- name: Drift check of the same declaration (changes nothing)
  vapix.edge_storage.axis_storage:
    host: 192.0.2.20
    username: root
    password: "{{ axis_password }}"
    external_devices:
      - id: door
        address: 192.0.2.31
        device_username: recorder
        device_password: "{{ camera_password }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
resources:
  description: One entry per declared (or purged) resource, in the order they were applied.
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
      description: The kind of failure (V(api), V(input), V(refused), V(unsupported), V(connection), ...).
      type: str
      returned: when it failed
    steps:
      description:
        - Writes made or planned, in order.
        - For a failed resource, the steps up to the failure are V(executed=true) (the failed one also
          V(failed=true)), the rest V(executed=false).
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
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import run_module


def main():
    run_module(DeviceStorage)


if __name__ == "__main__":
    main()
