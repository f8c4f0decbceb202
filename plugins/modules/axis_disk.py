#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_disk
short_description: Manage a disk (SD card, network share, recorder disk) of an Axis device
version_added: 0.1.0
description:
  - Brings one disk of an Axis camera or recorder to the requested state, through the Disk
    management API (C(disks/*.cgi)), the Disk properties API (C(disks/properties/*.cgi)) and,
    for the settings only it holds, C(param.cgi) (C(Storage.S#), the group the disk list names).
  - Manages the file system (a format), whether the disk is mounted or locked, the required file
    system, the cleanup policy and maximum age, the alert levels, the friendly name, mounting on
    boot and automatic repair. Only the options given are managed; the others are left as they are.
  - The disk is read once; a run that changes nothing costs one to three requests. Only what
    differs is written, in an order that cannot trip over itself - unlock, required file system,
    format, mount, settings, unmount, lock.
  - Format, mount and unmount are jobs on the device; each is waited for until it ends (at most
    O(job_timeout) seconds) and reported in RV(jobs).
  - A format destroys every recording on the disk. It is only done with O(allow_format=true);
    without it the task fails before anything is written, naming the disk, the file systems and
    the space in use.
attributes:
  diff_mode:
    details:
      - The diff shows the fields of the options given, plus what a planned format changes.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  disk_id:
    description:
      - The disk, as the device's disk list names it, for example V(SD_DISK), V(SD_DISK2),
        V(NetworkShare) or a recorder's V(HDD_DISK).
      - The task fails listing the device's disks when it has no such disk.
    type: str
    required: true
  friendly_name:
    description:
      - A name for the disk shown in the device's web pages (C(Storage.S#.FriendlyName)).
      - Only C(param.cgi) holds it; a device without C(param.cgi) (such as an AXIS S3008 recorder)
        cannot change it, and the task fails before any write.
      - For V(NetworkShare), binding a share sets it to the share's name.
    type: str
  filesystem:
    description:
      - The file system the disk should have. A different file system on the disk means a
        format, which needs O(allow_format=true).
      - SD cards take V(ext4) or V(vfat) (V(ext4) is recommended); recorder disks V(ext4).
        V(cifs) is the file system of V(NetworkShare), which is never formatted.
      - Checked against the file systems the disk reports (C(disks/getcapabilities.cgi)) before
        anything is written.
    type: str
    choices: [ext4, vfat, cifs]
  mounted:
    description:
      - V(true) mounts the disk, V(false) unmounts it (for example before removing an SD card).
      - V(NetworkShare) can only be mounted while a share is bound to it
        (see M(vapix.edge_storage.axis_networkshare)).
      - A disk whose encryption state keeps it from mounting (status C(no passphrase),
        C(wrong passphrase) or C(not encrypted)) fails with the step that fixes it. With
        O(allow_format=true), C(no passphrase) and C(not encrypted) are fixed by a format.
    type: bool
  locked:
    description:
      - V(true) locks the disk (recording stops, recordings cannot be removed), V(false) unlocks it.
      - A locked disk cannot be formatted. A format with O(locked=true) unlocks the disk, formats
        it and locks it again; a format of a locked disk without O(locked) fails before any write.
    type: bool
  required_filesystem:
    description:
      - V(ext4) makes the device format any card without ext4 when it is mounted; V(none) turns that off.
      - Requiring V(ext4) of a disk with another file system is a format (needs O(allow_format=true)),
        done by this task rather than left for the next mount.
    type: str
    choices: [none, ext4]
  cleanup_policy:
    description:
      - V(fifo) deletes the oldest recordings by O(cleanup_max_age) and when the disk fills up;
        V(none) leaves deleting to the user.
    type: str
    choices: [fifo, none]
  cleanup_max_age:
    description:
      - Days that recordings are kept when O(cleanup_policy=fifo), V(0) to V(7000).
    type: int
  alert_levels:
    description:
      - Levels at which the device sends a storage alert event. Read and compared only when given.
    type: dict
    suboptions:
      wear:
        description:
          - Wear of the disk, in percent (V(0) to V(100)).
        type: int
      temperature:
        description:
          - Temperature of the disk in B(Kelvin), V(273) to V(423) (0 to 150 degrees Celsius);
            for example V(333) for 60 degrees Celsius.
        type: int
  mount_on_boot:
    description:
      - Whether the device mounts the disk when it starts (C(Storage.S#.MountOnBoot); C(param.cgi) only).
    type: bool
  auto_repair:
    description:
      - Whether the device checks and repairs the file system before mounting it
        (C(Storage.S#.AutoRepair); C(param.cgi) only).
    type: bool
  allow_format:
    description:
      - Allow a format when the options need one. Every recording on the disk is lost.
      - Without it, a needed format fails the task before any write.
    type: bool
    default: false
  check_filesystem:
    description:
      - Check the disk's file system (C(disks/checkdisk.cgi), a device job). The device checks ext4
        disks only, and only unmounted ones; the module unmounts the disk for the check and mounts it
        again afterwards (unless O(mounted=false)).
      - V(never) does not check. V(if_failed) checks only a disk the device lists as C(failed), so a
        second run (the disk repaired) does nothing. V(always) checks on every run and so reports a
        change every time (a maintenance task, for example a monthly schedule).
      - When the check finds errors, O(allow_repair=true) repairs them (C(disks/repair.cgi));
        without it the task fails, naming the errors, and nothing is repaired.
      - Skipped when the options format the disk (a format replaces the file system).
    type: str
    choices: [never, if_failed, always]
    default: never
    version_added: 0.1.0
  allow_repair:
    description:
      - Repair the file system when O(check_filesystem) finds errors. A repair may lose data (the
        device's own warning), hence its own opt-in. A locked disk is not repaired (give O(locked=false)).
      - Only with O(check_filesystem=if_failed) or O(check_filesystem=always).
    type: bool
    default: false
    version_added: 0.1.0
seealso:
  - module: vapix.edge_storage.axis_networkshare
  - module: vapix.edge_storage.axis_encryption
  - module: vapix.edge_storage.axis_storage_limit
notes:
  - The alert levels are read (C(getdiskalertlevels.cgi)) only when O(alert_levels) is given, and
    C(param.cgi) only when O(mount_on_boot) or O(auto_repair) is given or O(friendly_name) differs.
  - On firmware without the Disk properties API, the required file system and the cleanup settings
    are written through C(param.cgi).
  - The check and the repair are refused before any write on a disk the device cannot check - not
    ext4, a network share, disconnected, or encrypted without a usable passphrase.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.connection.JOBS
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Use the SD card with ext4, keep recordings 30 days
  vapix.edge_storage.axis_disk:
    host: 192.0.2.10
    disk_id: SD_DISK
    friendly_name: Door camera card
    filesystem: ext4
    required_filesystem: ext4
    mounted: true
    cleanup_policy: fifo
    cleanup_max_age: 30
    allow_format: true

- name: Alert when the card is 80 % worn or reaches 70 degrees Celsius
  vapix.edge_storage.axis_disk:
    host: 192.0.2.10
    disk_id: SD_DISK
    alert_levels:
      wear: 80
      temperature: 343

- name: Unmount the card before taking it out
  vapix.edge_storage.axis_disk:
    host: 192.0.2.10
    disk_id: SD_DISK
    mounted: false

- name: Protect the recorder's recordings from deletion
  vapix.edge_storage.axis_disk:
    host: 192.0.2.20
    disk_id: HDD_DISK
    locked: true
    cleanup_policy: none
"""

RETURN = r"""
disk:
  description:
    - The disk after the run, as the device lists it (in check mode, as it would be).
    - O(alert_levels), O(mount_on_boot) and O(auto_repair) are only included when given.
  returned: success
  type: dict
  contains:
    disk_id:
      description: The disk.
      type: str
      sample: SD_DISK
    friendly_name:
      description: The disk's friendly name; empty when unset.
      type: str
      sample: Door camera card
    total_kb:
      description: Size of the disk in kilobytes; V(0) while it is not mounted.
      type: int
      sample: 65011712
    free_kb:
      description: Free space in kilobytes; V(0) while it is not mounted.
      type: int
      sample: 64880640
    filesystem:
      description: The file system (V(ext4), V(vfat), V(cifs)).
      type: str
      sample: ext4
    mounted:
      description: Whether the disk is mounted and in use (status V(OK)).
      type: bool
      sample: true
    status:
      description:
        - The device's status of the disk, V(OK), V(connected) (not mounted), V(disconnected),
          V(failed), V(no passphrase), V(wrong passphrase) or V(not encrypted).
      type: str
      sample: OK
    locked:
      description: Whether the disk is locked.
      type: bool
      sample: false
    full:
      description: Whether the disk is full.
      type: bool
      sample: false
    readonly:
      description: Whether the disk is read-only.
      type: bool
      sample: false
    required_filesystem:
      description: The required file system, V(none) or V(ext4).
      type: str
      sample: ext4
    cleanup_policy:
      description: V(fifo) or V(none).
      type: str
      sample: fifo
    cleanup_max_age:
      description: Days recordings are kept.
      type: int
      sample: 30
    group:
      description: The C(param.cgi) group of the disk (C(Storage.S0) is V(S0)).
      type: str
      sample: S0
    encryption_enabled:
      description: Whether disk encryption is enabled.
      type: bool
      sample: false
    encrypted:
      description: Whether the content of the disk is encrypted.
      type: bool
      sample: false
    alert_levels:
      description: Wear (percent) and temperature (Kelvin) alert levels; only when O(alert_levels) is given.
      type: dict
      sample: {"wear": 80, "temperature": 343}
    mount_on_boot:
      description: Whether the disk is mounted at start; only when O(mount_on_boot) is given.
      type: bool
      sample: true
    auto_repair:
      description: Whether the file system is repaired before mounting; only when O(auto_repair) is given.
      type: bool
      sample: true
steps:
  description:
    - The writes made (or, in check mode, planned), in order.
    - On failure, the steps up to and including the one that failed are V(executed=true); that one also has
      V(failed=true) and its error as C(outcome); the rest are V(executed=false). A step the device refused
      (it answered with an error and took nothing of the step) has V(executed=false), V(failed=true), and an
      C(outcome) that starts with C(refused).
    - A step whose change the device already showed made by another client (a concurrent run) has
      V(executed=false) and an C(outcome) that says so; it does not count as a change.
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "format", "detail": "format SD_DISK from vfat to ext4 (filesystem=ext4 differs from its file system),
        losing 120.0 MB of recordings; mounted afterwards", "executed": true, "outcome": "formatted"}
jobs:
  description:
    - The jobs run on the device (format, mount, unmount), each once it ended.
    - A job that failed, timed out or was lost in a restart of the device is listed too, with
      C(result) V(failed), V(timeout) or V(lost) and its V(error). A job lost in a restart that was
      resolved from the disk (started again, or its effect already there) is followed by the entry of the
      repeated job, or has V(result=ok) and a V(note).
  returned: always
  type: list
  elements: dict
  sample: [{"job_id": 4, "action": "format", "disk_id": "SD_DISK", "result": "ok", "seconds": 8.2}]
requests:
  description: HTTP requests sent to the device by this task (the authentication challenge included).
  returned: always
  type: int
  sample: 2
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
cgi:
  description: The CGI that failed.
  returned: failure
  type: str
  sample: disks/properties/setrequiredfs.cgi
error_code:
  description: The API's error code, when the device gave one.
  returned: failure
  type: int
  sample: 30
error_description:
  description: The device's (or the module's) description of the error.
  returned: failure
  type: str
error_kind:
  description:
    - What failed, V(input) (bad options, nothing sent), V(refused) (a format without
      O(allow_format)), V(state) (the disk cannot do it now), V(unsupported) (the device lacks the
      API), V(device) (the host is no Axis device with edge storage), V(api) (the device refused), V(job), V(timeout), V(restarted) (a job lost
      when the device restarted, also when it was started again), V(auth), V(connection) or V(http).
  returned: failure
  type: str
  sample: refused
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module


def main():
    run_module(Disk)


if __name__ == "__main__":
    main()
