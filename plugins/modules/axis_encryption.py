#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_encryption
short_description: Manage the encryption of a disk on an Axis device
version_added: 0.1.0
description:
  - Enables or disables the encryption of one disk (an SD card, or a recorder's hard disk) of an
    Axis camera or recorder through the Disk properties API (C(disks/properties/*.cgi)), and
    rotates its passphrase.
  - Enabling or disabling follows the device's rules. It unmounts the disk, changes the setting, mounts
    it, and formats it (skipped when the disk's required file system already formatted it on mount).
    Every job is polled until done. The disk is left mounted if it was in use before, and unmounted
    if it was unmounted.
  - B(Enabling or disabling encryption erases the disk.) It only runs with O(allow_format=true);
    without it the task fails before sending any write, naming the disk and how much data would be
    lost.
  - The device never returns a passphrase. Whether the disk has O(passphrase) is only checked when
    O(old_passphrase) is given, by asking the device to change O(passphrase) into itself; see
    O(old_passphrase) and the notes.
  - A disk in state C(not encrypted), C(no passphrase) or C(wrong passphrase) is repaired when the
    options allow it, else the error names the step that fixes it.
attributes:
  check_mode:
    details:
      - Check mode sends no write request, so it cannot check a passphrase (the only check is a
        C(changediskpassphrase.cgi) request). It reports the passphrase as not verified and warns,
        instead of predicting a change.
  idempotent:
    support: partial
    details:
      - Encryption on or off is read back from C(disks/list.cgi), so a second run reports no change.
      - The passphrase cannot be read back. With O(old_passphrase), a second run proves that the disk
        already has O(passphrase) and reports no change. Without O(old_passphrase), a disk that is
        already encrypted keeps whatever passphrase it has, and the result says it was not verified.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  disk_id:
    description:
      - The disk whose encryption to manage, for example V(SD_DISK), V(SD_DISK2) or a recorder's
        V(HDD_DISK), as the device lists it.
      - A network share cannot be encrypted.
    type: str
    required: true
  state:
    description:
      - V(enabled) encrypts the disk with O(passphrase); V(disabled) turns encryption off.
      - Both need a format unless the disk already is in that state, so both need O(allow_format=true)
        to change anything.
    type: str
    choices: [enabled, disabled]
    default: enabled
  passphrase:
    description:
      - The passphrase the disk should have. Not allowed with O(state=disabled).
      - Needed with O(state=enabled) whenever a passphrase must be written (encrypting or unlocking
        the disk). Without it, O(state=enabled) only keeps the encryption of a disk that is already
        encrypted and usable, with the passphrase it has (as an imported declaration says), and fails
        before any write otherwise.
      - Used to enable encryption, as the new passphrase when rotating, and as the first try when
        the disk is encrypted but the device cannot open it.
      - 1 to 512 bytes (UTF-8). Never shown in output, diffs or errors.
    type: str
  old_passphrase:
    description:
      - The disk's current passphrase, to rotate from. Only with O(state=enabled).
      - When given and the disk is encrypted and mounted, the module first checks whether the disk
        already has O(passphrase) (no change if it has), and if not, changes O(old_passphrase) into
        O(passphrase). If the device accepts neither, the task fails and nothing is changed.
      - Keeping it in the task after the rotation is safe; a second run finds O(passphrase) and
        reports no change.
      - Ignored when encryption is being turned on (the passphrase is then set from O(passphrase)).
      - Never shown in output, diffs or errors.
    type: str
  allow_format:
    description:
      - Allow the formats that enabling or disabling encryption needs. A format erases all
        recordings on the disk.
      - Without it, a task that would format fails before sending any write, and says which disk
        and how much data would be lost.
      - Also needed to repair a disk whose encrypted content O(passphrase) does not open.
    type: bool
    default: false
notes:
  - Encryption state is only observable through C(disks/list.cgi) (C(encryptionenabled) or
    C(diskencryptionenabled), C(diskencrypted), C(status)); the Disk properties API has no getter.
  - A passphrase is only checked or rotated on a mounted disk; the device refuses both on an
    unmounted one. An unmounted encrypted disk is left as it is, with a warning when
    O(old_passphrase) was given.
  - When a disk must be formatted anyway (turning encryption on, or a disk in state C(not encrypted)),
    the module sets O(passphrase) before the format, so the result is verified.
  - For a disk in state C(no passphrase) or C(wrong passphrase) with O(state=enabled), the module
    first sets O(passphrase) and mounts the disk, which keeps the data if it is the passphrase the disk
    was encrypted with. Only if the disk still cannot be opened does it format (with O(allow_format=true))
    or fail naming the fix.
  - See C(docs/encryption.md) in the collection for the design and what can and cannot be verified.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.connection.JOBS
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Encrypt the SD card (erases it the first time)
  vapix.edge_storage.axis_encryption:
    host: 192.0.2.10
    disk_id: SD_DISK
    state: enabled
    passphrase: "{{ sd_passphrase }}"
    allow_format: true

- name: Rotate the passphrase; safe to run again after it has rotated
  vapix.edge_storage.axis_encryption:
    host: 192.0.2.10
    disk_id: SD_DISK
    passphrase: "{{ sd_passphrase_2027 }}"
    old_passphrase: "{{ sd_passphrase }}"

- name: Turn encryption off again (erases the card)
  vapix.edge_storage.axis_encryption:
    host: 192.0.2.10
    disk_id: SD_DISK
    state: disabled
    allow_format: true
"""

RETURN = r"""
encryption:
  description: The disk's encryption after the run (in check mode, what it would be).
  returned: success
  type: dict
  contains:
    disk_id:
      description: The disk.
      type: str
      sample: SD_DISK
    status:
      description:
        - The disk's status as C(disks/list.cgi) reports it, for example V(OK), V(connected),
          V(not encrypted), V(no passphrase) or V(wrong passphrase).
      type: str
      sample: OK
    mounted:
      description: Whether the disk is mounted and in use.
      type: bool
      sample: true
    encryption_enabled:
      description: Whether encryption is enabled for the disk.
      type: bool
      sample: true
    encrypted:
      description: Whether the disk's content is encrypted (it is once formatted with encryption on).
      type: bool
      sample: true
    passphrase_check:
      description:
        - What is known about the disk's passphrase; V(null) unless the disk is encrypted with encryption on.
        - V(matches) the disk has O(passphrase) (set by this task, or proven by the device).
        - V(differs) the device refused O(passphrase) as the current passphrase (before a rotation).
        - V(unknown) not checked (no O(old_passphrase), check mode, or the disk is not mounted).
      type: str
      sample: matches
passphrase_verified:
  description:
    - Whether this run proved that the disk has O(passphrase). Always V(false) in check mode and
      with O(state=disabled).
  returned: success
  type: bool
  sample: true
steps:
  description:
    - The writes made (or, in check mode, planned), in order, with what each did.
    - On failure, the steps up to and including the one that failed are V(executed=true); that one also has
      V(failed=true) and its error as C(outcome); the rest are V(executed=false). A step the device refused
      (it answered with an error and took nothing of the step) has V(executed=false), V(failed=true), and an
      C(outcome) that starts with C(refused).
    - A step whose change the device already showed made by another client (a concurrent run) has
      V(executed=false) and an C(outcome) that says so; it does not count as a change.
    - The step C(check passphrase) (V(probe=true)) asks the device whether the disk has O(passphrase) by
      changing it into itself, which changes nothing; it is planned on an encrypted, mounted disk when
      O(old_passphrase) is given, runs before any write, never counts as a change, and is skipped in check mode.
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "unmount", "detail": "unmount SD_DISK: encryption can only be changed on an unmounted disk",
       "executed": true}
    - {"action": "enable", "detail": "enable encryption of SD_DISK with passphrase", "executed": true,
       "outcome": "encryption enabled"}
jobs:
  description:
    - The disk jobs (unmount, mount, format) run on the device, each with its duration.
    - A job that failed, timed out or was lost in a restart of the device is listed too, with
      C(result) V(failed), V(timeout) or V(lost) and its V(error). A job lost in a restart that was
      resolved from the disk (started again, or its effect already there) is followed by the entry of the
      repeated job, or has V(result=ok) and a V(note).
  returned: always
  type: list
  elements: dict
  sample: [{"job_id": 3, "action": "format", "disk_id": "SD_DISK", "result": "ok", "seconds": 8.2}]
requests:
  description: HTTP requests sent to the device by this task.
  returned: always
  type: int
  sample: 14
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
cgi:
  description: The CGI that failed.
  returned: failure
  type: str
error_code:
  description: The API's error code, when the device gave one (for example V(130), the old passphrase does not match).
  returned: failure
  type: int
error_description:
  description: The device's description of the error.
  returned: failure
  type: str
error_kind:
  description:
    - What kind of failure, for example V(api), V(input), V(refused) (a format without O(allow_format=true)),
      V(state), V(unsupported), V(job), V(timeout) or V(restarted) (a disk job lost when the device restarted).
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module


def main():
    run_module(Encryption)


if __name__ == "__main__":
    main()
