#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_external_device
short_description: Manage the cameras an Axis recorder records from
version_added: 0.1.0
description:
  - Creates, updates or deletes an external IP device (a camera that an AXIS S3008 recorder pulls
    its stream from over RTSP) through the External IP Device Information API
    (C(externalipdeviceinfo/*.cgi), schema version 2).
  - Every field the device lists is compared with the options given; options left out are left
    as they are. The camera's event subscription is read and compared only when O(events_enabled)
    is given.
  - Recorders only. On a device without this API (any camera) the module fails with a message
    naming the device model.
attributes:
  idempotent:
    support: partial
    details:
      - The recorder never returns the camera's password, so it cannot be compared. With
        O(update_password=on_create) (the default) the password is sent only when the device is
        created or when the address or username changes, and a second run reports no change; a
        password changed on the recorder by other means is not detected.
      - With O(update_password=always) the password is sent, and the task reports a change, on
        every run.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  id:
    description:
      - The external device's id on the recorder, for example V(front-door). Recording profiles
        refer to it (O(vapix.edge_storage.axis_continuous_recording#module:device)).
      - No spaces, V(&) or V(=).
    type: str
    required: true
  address:
    description:
      - The camera's IPv4 address, IPv6 address or host name. An empty string clears it.
      - The API requires the camera account with an address, in the same request. Creating a
        device with an address therefore needs O(device_username) and O(device_password), and
        changing the address of an existing device needs O(device_password), which is then sent
        whatever O(update_password) says (the username is taken from O(device_username) or from
        the device).
    type: str
  device_port:
    description:
      - The camera's port (the API's C(port); named so because O(port) is the recorder's own port),
        0 to 65535. V(0) means the protocol's default (rtspt 554, rtsph 80, rtspsh 443).
    type: int
  protocol:
    description:
      - How the recorder fetches the stream. V(rtspt) RTP over RTSP, V(rtsph) RTP over RTSP over
        HTTP, V(rtspsh) RTP over RTSP over HTTPS. The device's default is V(rtspt).
    type: str
    choices: [rtspt, rtsph, rtspsh]
  cert_validation:
    description:
      - Certificate validation of the camera, used with O(protocol=rtspsh) only (the module warns
        otherwise). V(limited) validates without checking the Common Name. The device's default is
        V(off).
    type: str
    choices: ['off', standard, limited]
  description:
    description:
      - A free text description of the camera. An empty string clears it.
    type: str
  serial_number:
    description:
      - The camera's serial number, a MAC address (V(ACCC8E012345), V(AC:CC:8E:01:23:45)) or letters
        and digits. An empty string clears it.
    type: str
  device_username:
    description:
      - The account on the camera the recorder logs in with. It must already exist on the camera.
      - Changing it needs O(device_password) (the two are sent together).
    type: str
  device_password:
    description:
      - The password of O(device_username) on the camera. Write-only on the recorder, never shown in
        output, diffs or errors.
      - When it is sent depends on O(update_password) and on O(address); see there.
    type: str
  update_password:
    description:
      - V(on_create) sends O(device_password) only when the device is created (or when the address
        or username changes, as the API requires); V(always) sends it on every run, which then always
        reports a change because the password cannot be compared.
    type: str
    choices: [on_create, always]
    default: on_create
  events_enabled:
    description:
      - Whether the recorder subscribes to the camera's events (motion detection for event-based
        recordings). Left as it is when not given.
    type: bool
  remove_profiles:
    description:
      - With O(state=absent), also remove the continuous recording profiles that record from this
        device. Without it, deleting a device that profiles still use fails before any change,
        naming the profiles; the recorder itself would delete it and leave the profiles recording
        nothing.
      - Removing a profile stops its recording; its recordings stay on the disk.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the device; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: vapix.edge_storage.axis_continuous_recording
notes:
  - The recorder applies an update (address, port, protocol, account) to a running recording only
    after that recording restarts; the module warns and names the profiles that record from the
    device.
  - Create and update requests are sent as HTTP POST, so the camera's password is not part of any URL.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Add the front door camera to the recorder
  vapix.edge_storage.axis_external_device:
    host: 192.0.2.20
    id: front-door
    address: 192.0.2.31
    protocol: rtspt
    description: Front door
    serial_number: ACCC8E012345
    device_username: recorder
    device_password: "{{ camera_password }}"
    events_enabled: true

- name: Move the camera to RTSP over HTTPS with certificate validation
  vapix.edge_storage.axis_external_device:
    host: 192.0.2.20
    id: front-door
    protocol: rtspsh
    cert_validation: standard

- name: Rotate the camera password the recorder uses
  vapix.edge_storage.axis_external_device:
    host: 192.0.2.20
    id: front-door
    device_username: recorder
    device_password: "{{ new_camera_password }}"
    update_password: always

- name: Remove the camera and the recording profiles that use it
  vapix.edge_storage.axis_external_device:
    host: 192.0.2.20
    id: front-door
    state: absent
    remove_profiles: true
"""

RETURN = r"""
external_device:
  description:
    - The external device after the run (in check mode, as it would be); empty when absent.
    - Never contains the password.
  returned: success
  type: dict
  contains:
    id:
      description: The device's id.
      type: str
      sample: front-door
    address:
      description: The camera's address.
      type: str
      sample: 192.0.2.31
    device_port:
      description: The camera's port; V(0) is the protocol's default.
      type: int
      sample: 0
    protocol:
      description: V(rtspt), V(rtsph) or V(rtspsh).
      type: str
      sample: rtspt
    cert_validation:
      description: V(off), V(standard) or V(limited).
      type: str
      sample: "off"
    description:
      description: The description.
      type: str
      sample: Front door
    serial_number:
      description: The camera's serial number.
      type: str
      sample: ACCC8E012345
    device_username:
      description: The camera account the recorder uses.
      type: str
      sample: recorder
    events_enabled:
      description: The event subscription; only when O(events_enabled) was given.
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
  sample: [{"action": "create", "executed": true,
            "detail": "create external device front-door (address=192.0.2.31, device_username=recorder,
                       device_password set)"}]
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
  description: The CGI that failed, when the device reported the error.
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

from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module


def main():
    run_module(ExternalDevice)


if __name__ == "__main__":
    main()
