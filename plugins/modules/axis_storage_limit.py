#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_storage_limit
short_description: Manage the recording storage limit of a disk on an Axis device
version_added: 0.1.0
description:
  - Sets, changes or removes the recording storage limit (quota) of one disk of an Axis camera
    or recorder through the Recording storage limit API (C(record/storage/*.cgi)).
  - The limit is given as a size or as a percentage of the disk's total size; both forms are
    compared with the device's current limit, so a second run changes nothing.
  - The size and the 1 GB minimum are checked before anything is sent.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  disk_id:
    description:
      - The disk whose limit to manage, as the device lists it, for example V(SD_DISK),
        V(NetworkShare) or a recorder's V(HDD_DISK).
    type: str
    required: true
  size:
    description:
      - The limit, as a whole number of kilobytes (V(1048576)) or a number with a unit
        (V(500 GB), V(1.5 TiB), V(2G)).
      - Units are binary, as on the device, so V(GB) and V(GiB) both mean 1024^3 bytes.
      - At least 1 GB. Mutually exclusive with O(percent).
      - A new size larger than the disk is refused before it is sent, naming both sizes (one
        extra read of the disk list). Where the device reports no size for the disk (a
        C(NetworkShare) disk without a bound, mounted share, or an empty slot) it is set with a
        warning. Sizes above 1 EB are refused without a request.
    type: str
  percent:
    description:
      - The limit as a percentage of the disk's total size, greater than 0 and at most 100.
      - The resulting size must still be at least 1 GB. Mutually exclusive with O(size).
    type: float
  state:
    description:
      - V(present) sets the limit; V(absent) removes it (the device's size V(0), no limit).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Keep recordings on the SD card under 500 GB
  vapix.edge_storage.axis_storage_limit:
    host: 192.0.2.10
    disk_id: SD_DISK
    size: 500 GB

- name: Let recordings use at most 80 % of the network share
  vapix.edge_storage.axis_storage_limit:
    host: 192.0.2.10
    disk_id: NetworkShare
    percent: 80

- name: Remove the limit
  vapix.edge_storage.axis_storage_limit:
    host: 192.0.2.10
    disk_id: SD_DISK
    state: absent
"""

RETURN = r"""
storage_limit:
  description: The disk's limit after the run (in check mode, the limit it would have).
  returned: success
  type: dict
  contains:
    disk_id:
      description: The disk.
      type: str
      sample: SD_DISK
    limit_kb:
      description: The limit in kilobytes; V(0) means no limit.
      type: int
      sample: 524288000
    used_kb:
      description: Space used by recordings on the disk, in kilobytes.
      type: int
      sample: 553324
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
  sample: [{"action": "setlimit", "detail": "set the limit to 524288000 kB on SD_DISK (was 0 kB)", "executed": true}]
jobs:
  description: Jobs run on the device (none for this module).
  returned: always
  type: list
  elements: dict
requests:
  description: HTTP requests sent to the device by this task.
  returned: always
  type: int
  sample: 3
seconds:
  description: Wall time of the task's work, in seconds.
  returned: always
  type: float
cgi:
  description: The CGI that failed.
  returned: failure
  type: str
error_code:
  description: The API's error code, when the device gave one.
  returned: failure
  type: int
error_description:
  description: The device's description of the error.
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit


def main():
    run_module(StorageLimit)


if __name__ == "__main__":
    main()
