#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_networkshare
short_description: Manage a network (CIFS/SMB) share of an Axis device for recordings
version_added: 0.1.0
description:
  - Adds, changes, binds, unbinds and removes a network share (a share on a NAS or any CIFS/SMB
    server) of an Axis camera or recorder through the Network share API
    (C(disks/networkshare/*.cgi)).
  - A bound share is the device's disk V(NetworkShare), which recordings, storage limits and
    continuous recording profiles refer to. A device binds only one share at a time.
  - Before it adds a share or changes its address, share, user or password, the module runs the
    device's share test (C(test.cgi) and its job) with the new settings; a failed test fails the
    task with the meaning of the device's error code (no such host, cannot connect, cannot
    mount, cannot write, ...) and nothing is changed.
  - The device changes only the nice name of a bound share. For any other change of a bound share
    the module follows the device's rules, in this order, and reports each step and job (test,
    unmount the V(NetworkShare) disk (a job), unbind, modify, bind, and mount again when the disk
    was mounted and bind did not mount it).
  - O(state=absent) unmounts, unbinds and removes the share. When the share is bound and its disk
    holds recordings, removing it cuts the device off from them, so it needs
    O(allow_data_loss=true); without it the task fails before any change and says how much
    would be lost.
  - The password of the share is write-only (the device never lists it); O(update_password)
    decides when it is sent.
attributes:
  check_mode:
    details:
      - Check mode reads the device and makes the same decisions, but sends no write and runs no
        share test (a test starts a job on the device and writes a probe file to the share).
        The planned test appears in RV(steps) with C(executed=false).
      - With O(update_password=verify) the stored password is not verified in check mode (a
        warning says so), so a password update that a real run would make is not predicted.
  diff_mode:
    details:
      - The diff shows the share's fields; the password never appears. A password write is
        listed in RV(steps) and explained in RV(password_update).
  idempotent:
    support: partial
    details:
      - Every field but the password is read back and compared, so a second run with the same
        options changes nothing.
      - The password cannot be read back. With O(update_password=on_create) (the default) it is
        only sent when the share is created, and a second run reports no change.
      - With O(update_password=always) the password is written on every run and the task
        reports a change every time (an unverifiable write, marked as such in
        RV(password_update)); on a bound share that means unmounting, unbinding and binding
        again on every run, which interrupts recording to the share.
      - With O(update_password=verify) the module tests the stored credentials on every run (one
        share test job) and writes the password only when that test fails with the mount/login
        error 710; a second run then reports no change.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  name:
    description:
      - The share's nice (user-friendly) name, unique on the device.
      - Identifies the share when O(share_id) is not given. To rename a share, give its
        O(share_id) and the new O(name); renaming only changes the name, even while bound.
      - Required when O(state=present).
    type: str
  share_id:
    description:
      - The device's id of the share (letters, digits and V(-)). When given it identifies the
        share, and a share created by the module gets this id; otherwise the device assigns one
        (returned in RV(share.share_id)).
      - One of O(name) and O(share_id) is required.
    type: str
  address:
    description:
      - Host name or IP address of the NAS or file server. Compared case-insensitively.
      - Required when O(state=present).
    type: str
  share:
    description:
      - The name of the share on the server, for example V(recordings) or V(video/cameras).
      - Required when O(state=present).
    type: str
  share_user:
    description:
      - User name for the share. Not given keeps the current user (no user for a new share,
        which means guest access); V("") removes the user.
    type: str
  share_password:
    description:
      - Password of O(share_user). Never shown in output, diffs, errors or logs.
      - When it is sent is decided by O(update_password).
    type: str
  update_password:
    description:
      - When to send O(share_password), which the device never returns.
      - V(on_create) sends it only when the module creates the share.
      - V(always) sends it on every run; the task then always reports a change. On a bound share
        each run unmounts, unbinds and binds it again.
      - V(verify) runs the share test with the stored settings (one test job per run) and sends
        the password only when that test fails with error 710 (the share could not be mounted,
        which is how the device reports a rejected login), or when the address, share or user
        changes anyway. Another failure of that test (no such host, cannot write, ...) is not
        fixed by a password, so it only produces a warning.
      - V(always) and V(verify) need O(share_password).
    type: str
    choices: [on_create, always, verify]
    default: on_create
  state:
    description:
      - V(present) makes sure the share exists with these settings; V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  bound:
    description:
      - Whether the share is bound to the device's disk (V(NetworkShare)), which recording needs.
      - Binding fails before any change when another share is bound.
    type: bool
    default: true
  automatic_mount:
    description:
      - Whether the device mounts the bound share automatically (C(bind.cgi) C(automaticmount);
        read back from the disk's C(Storage.S#.MountOnBoot) parameter).
      - Not given keeps the current setting (V(true) when the module binds the share).
      - Changing it on a bound share means binding it again (unmount, unbind, bind, mount).
      - Devices without C(param.cgi) (recorders) cannot report it; there it is only applied when
        the module binds the share, and a warning says so.
      - With V(false), binding leaves the disk unmounted, unless the module binds it again after
        a change and the disk was mounted before.
    type: bool
  test:
    description:
      - Run the device's share test before adding the share or changing its address, share,
        user or password. A failed test fails the task and changes nothing.
      - Renaming, binding and unbinding do not need a test.
    type: bool
    default: true
  mount_options:
    description:
      - Extra SMB mount options of the share, comma-separated, for example V(vers=3.0) (the SMB
        version a NAS insists on) or V(vers=3.0,noserverino); V("") removes them. Stored as
        C(Storage.S#.ExtraMountOptions) of the C(NetworkShare) disk, which the device mounts the
        bound share with; leave it out to keep what the device has.
      - Set before the share is bound (the bind mounts it). A change to a mounted share unmounts it,
        sets the options and mounts it again, so they take effect.
      - Needs O(bound=true) and C(param.cgi) (cameras; recorders have none and the task fails before
        any write). Credentials (C(username=), C(password=), C(credentials=)) are refused here, they
        belong in O(share_user) and O(share_password).
    type: str
    version_added: 0.1.0
  allow_data_loss:
    description:
      - Allow removing a bound share whose disk holds recordings of this device. The recordings
        stay on the server, but the device can no longer list, play or export them.
      - The amount is the C(usedspace) of C(record/storage/getlimit.cgi), or used space from
        C(disks/list.cgi) when the device has no storage limit API. When neither tells, removal
        is refused too.
      - The same guard applies to a change of O(address) or O(share) of such a share, which is another
        folder, so the recordings in the old one drop out of the device's reach as on removal. A change
        of O(share_user) or O(share_password) needs no opt-in, because it reaches the same folder (and
        O(test) proves it does before the change).
    type: bool
    default: false
seealso:
  - module: vapix.edge_storage.axis_storage_limit
notes:
  - Only one share can be bound at a time; the module refuses, before any change, to bind a share
    while another one is bound, and to give a share a nice name that another share has.
  - O(share_id) is only used to find or create a share; the module does not change a share's id.
  - When the module creates a share and O(bound=true), it binds it right away; the device mounts
    it when O(automatic_mount) is not V(false).
  - Changing the address or share of a bound share makes the device record to the new location;
    recordings on the old one are no longer listed.
  - A failed share test fails with the meaning of the device's code (700 no such host, 710
    mount/login error, 720 internal error, 730 too many tests, 740 cannot write, 750 cannot read
    back, 760 cannot connect), the code and the device's description.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.connection.JOBS
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Record to a share on the NAS (bound, mounted automatically)
  vapix.edge_storage.axis_networkshare:
    host: 192.0.2.10
    name: Recordings
    address: nas.example.com
    share: recordings
    share_user: camera01
    share_password: "{{ nas_password }}"
    # The password is sent only when the share is created (update_password=on_create). To keep it
    # right, testing the stored one on every run (one share test job) and sending it only when
    # the login fails: update_password: verify

- name: Rename the share by its id (allowed while bound, no interruption)
  vapix.edge_storage.axis_networkshare:
    host: 192.0.2.10
    share_id: "35419"
    name: NAS recordings
    address: nas.example.com
    share: recordings

- name: Keep the share configured but unbound
  vapix.edge_storage.axis_networkshare:
    host: 192.0.2.10
    name: NAS recordings
    address: nas.example.com
    share: recordings
    bound: false

- name: Remove the share, even if the device loses access to recordings on it
  vapix.edge_storage.axis_networkshare:
    host: 192.0.2.10
    name: NAS recordings
    state: absent
    allow_data_loss: true
"""

RETURN = r"""
share:
  description:
    - The share after the run (in check mode, as it would be); empty when it does not exist.
    - Never contains the password.
  returned: success
  type: dict
  contains:
    share_id:
      description: The device's id of the share (null in check mode for a share still to be created without O(share_id)).
      type: str
      sample: "35419"
    name:
      description: The nice name.
      type: str
      sample: Recordings
    address:
      description: Address of the server.
      type: str
      sample: nas.example.com
    share:
      description: The share on the server.
      type: str
      sample: recordings
    user:
      description: User name for the share; empty for guest access.
      type: str
      sample: camera01
    bound:
      description: Whether the share is bound to a disk.
      type: bool
      sample: true
    disk_id:
      description: The disk the share is bound to (V(NetworkShare)), null when unbound.
      type: str
      sample: NetworkShare
    mounted:
      description: Whether that disk is mounted (disks/list.cgi status V(OK)).
      type: bool
      sample: true
    automatic_mount:
      description:
        - Whether the device mounts the bound share automatically.
        - Only read when O(automatic_mount) is given; null when not read, unbound, or not
          readable on the device.
      type: bool
      sample: true
password_update:
  description: What the module did (or, in check mode, would do) with O(share_password), and why.
  returned: when O(state=present)
  type: dict
  contains:
    mode:
      description: The O(update_password) mode.
      type: str
      sample: verify
    write:
      description: Whether the password is sent in this run.
      type: bool
      sample: false
    reason:
      description: Why; a write the module cannot verify says so.
      type: str
      sample: the stored credentials passed the share test
steps:
  description:
    - The device calls made (or, in check mode, planned), in order, with their outcome.
    - On failure, the steps up to and including the one that failed are V(executed=true); that one also has
      V(failed=true) and its error as C(outcome); the rest are V(executed=false). A step the device refused
      (it answered with an error and took nothing of the step) has V(executed=false), V(failed=true), and an
      C(outcome) that starts with C(refused).
    - A step whose change the device already showed made by another client (a concurrent run) has
      V(executed=false) and an C(outcome) that says so; it does not count as a change.
    - The step C(verify) (V(probe=true)) of O(update_password=verify) tests the share with its stored
      settings; what follows it depends on its answer (the password is written only after a login error).
      It runs before any write, never counts as a change, and is skipped in check mode.
  returned: always
  type: list
  elements: dict
  sample:
    - {"action": "test", "detail": "test share 35419 with the new settings before changing it (...)", "executed": true,
       "outcome": {"job_id": 7, "action": "test", "share": "35419 with the new settings", "result": "ok", "seconds": 2.1}}
    - {"action": "unmount", "detail": "unmount disk NetworkShare (the device unbinds only unmounted shares)", "executed": true,
       "outcome": {"job_id": 8, "action": "unmount", "disk_id": "NetworkShare", "result": "ok", "seconds": 1.0}}
    - {"action": "unbind", "detail": "unbind share 35419 from disk NetworkShare", "executed": true, "outcome": "ok"}
    - {"action": "modify", "detail": "modify share 35419: address=nas2.example.com", "executed": true, "outcome": "ok"}
    - {"action": "bind", "detail": "bind share 35419 to a disk (automaticmount=yes)", "executed": true,
       "outcome": {"disk_id": "NetworkShare"}}
    - {"action": "mount", "detail": "mount disk NetworkShare again (it was mounted), unless bind has mounted it",
       "executed": true, "outcome": "bind already mounted disk NetworkShare"}
jobs:
  description:
    - Jobs run on the device (share tests, unmount, mount), with their result and duration.
    - A job that failed, timed out or was lost in a restart of the device is listed too, with
      C(result) V(failed), V(timeout) or V(lost) and its V(error). A job lost in a restart that was
      resolved from the disk (started again, or its effect already there) is followed by the entry of the
      repeated job, or has V(result=ok) and a V(note).
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
  description: The CGI that failed (or the job, for a failed share test).
  returned: failure
  type: str
error_code:
  description: The API's error code, when the device gave one (700 to 760 for a failed share test).
  returned: failure
  type: int
error_description:
  description: The device's description of the error, or the module's reason for refusing.
  returned: failure
  type: str
error_kind:
  description: >-
    What failed: V(input) (bad options, nothing sent), V(state) or V(refused) (refused before any
    change), V(job) (a failed share test or job), V(timeout), V(restarted) (a disk job lost when the device
    restarted), V(api), V(auth), V(connection).
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare


def main():
    run_module(NetworkShare)


if __name__ == "__main__":
    main()
