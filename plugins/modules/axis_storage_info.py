#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_storage_info
short_description: Read the edge storage of an Axis camera or recorder
version_added: 0.1.0
description:
  - Reads, and never changes, what an Axis device stores recordings with, as
    RV(storage_info) - the device's identity (model, firmware, serial), its APIs and
    storage capabilities, its disks (state, capabilities, alert levels, health), network
    shares (never their passwords), storage limits, continuous recording profiles and, on
    recorders, the cameras it records from.
  - O(gather_subset) limits what is read. The default reads everything, each list once, in
    about a dozen requests (see O(gather_subset)).
  - What the device does not have is not an error. The field is V(null) and
    RV(storage_info.unavailable) says why, for example that a camera has no external devices
    or a recorder no C(param.cgi).
attributes:
  check_mode:
    details:
      - The module only reads; check mode sends the same read requests and no write.
  diff_mode:
    support: none
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  gather_subset:
    description:
      - What to read. V(all) reads every subset below.
      - V(identity) - model, firmware and serial number (C(basicdeviceinfo.cgi); on firmware
        before AXIS OS 8.40, which has none, the C(Brand) and C(Properties.Firmware) groups of
        C(param.cgi)).
      - V(capabilities) - the APIs the device lists (C(apidiscovery.cgi)), its
        C(Properties.LocalStorage) parameters and video channel counts (C(param.cgi), cameras
        only), and from both the features the modules can use on this firmware.
      - V(disks) - every disk from C(disks/list.cgi), each with its capabilities
        (C(disks/getcapabilities.cgi)) and alert levels
        (C(disks/properties/getdiskalertlevels.cgi)), one request each per disk.
      - V(health) - wear, temperature and overall health of every disk, from one
        C(disks/gethealth.cgi), added to the disks' entries.
      - V(network_shares) - the configured network shares (C(disks/networkshare/list.cgi)).
      - V(storage_limits) - the recording storage limit of every disk (C(record/storage/getlimit.cgi)).
      - V(recording_profiles) - continuous recording profiles (C(record/continuous/listconfiguration.cgi)).
      - V(external_devices) - on recorders, the cameras they record from and whether their
        events are enabled (C(externalipdeviceinfo/*.cgi)).
      - V(recording_groups) - the recording groups (C(record/recording_group/list.cgi), AXIS OS 12);
        unavailable, with the reason, on firmware without the Recording group API.
      - V(recordings) - not part of V(all), asked for by name - how many recordings each mounted
        disk holds and when the oldest one starts (C(record/list.cgi) of the Recording API, one
        request per mounted disk); what the health report compares with the retention.
      - Prefix a subset with C(!) to leave it out, for example V(!health). A list that holds
        only exclusions starts from V(all), as Ansible's own C(gather_subset) does.
      - Requests, counting the one authentication challenge of a run - V(all) 13 on a camera
        with an SD card and the network share slot, 11 on a recorder with one disk, plus one per
        camera it records from. Alone, V(disks) takes 2 plus 2 per disk; V(capabilities) 3 on a
        camera, 1 on a recorder; V(external_devices) 1 on a camera, 3 on a recorder plus one per
        camera; every other subset 2. A bound network share adds one C(param.cgi) read for its
        mount options.
    type: list
    elements: str
    default: [all]
seealso:
  - module: vapix.edge_storage.axis_disk
  - module: vapix.edge_storage.axis_storage
notes:
  - Health values that the device gives as negative codes (C(-1) not supported, C(-2) read
    error, C(-3) disk not present) are returned as V(null), with the meaning in the disk's
    C(health.unavailable).
  - An API the device does not have (HTTP 404) leaves its field V(null) with the reason in
    RV(storage_info.unavailable). When API discovery already shows that an API is missing,
    it is not asked at all. For the per-disk and per-camera details an API error of that one
    item is reported the same way, so one disk that cannot answer does not hide the others.
    Every other error (authentication, connection, an API error of a whole list) fails the task.
  - A network share disk that is not bound is listed by the device with status
    C(disconnected); its health is V(null) with C(disk not present).
  - C(gethealth.cgi) has no disk argument and answers for every disk, so health costs one
    request whatever the number of disks. A disk that it lists and C(disks/list.cgi) does not
    is kept, with its health only. Capabilities and alert levels are asked for every listed
    disk, the network share disk included.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Read everything about the camera's edge storage
  vapix.edge_storage.axis_storage_info:
    host: 192.0.2.10
  register: camera_storage

- name: Warn when a disk's wear reaches its alert level
  ansible.builtin.debug:
    msg: "{{ item.key }} is {{ item.value.health.wear }} % worn"
  loop: "{{ camera_storage.storage_info.disks | dict2items }}"
  when:
    - item.value.health.wear | default(none) is not none
    - item.value.alert_levels.wear | default(none) is not none
    - item.value.health.wear >= item.value.alert_levels.wear

- name: Only the health of the disks (one request after authentication)
  vapix.edge_storage.axis_storage_info:
    host: 192.0.2.10
    username: operator
    password: "{{ operator_password }}"
    gather_subset: health

- name: Everything but the per-disk details, on a recorder
  vapix.edge_storage.axis_storage_info:
    host: 192.0.2.20
    gather_subset:
      - "!disks"
  register: recorder_storage

- name: The cameras the recorder records from
  ansible.builtin.debug:
    msg: "{{ recorder_storage.storage_info.external_devices | dict2items | map(attribute='value.address') | list }}"
"""

RETURN = r"""
storage_info:
  description:
    - What was read. A subset that was not gathered is absent; a subset that was gathered but
      that the device does not have is V(null), with the reason in RV(storage_info.unavailable).
  returned: success
  type: dict
  contains:
    gathered:
      description: The subsets that were read, after V(all) and exclusions were resolved.
      returned: always
      type: list
      elements: str
      sample: [identity, capabilities, disks, health, network_shares, storage_limits, recording_profiles, external_devices]
    identity:
      description: Who the device is.
      returned: when O(gather_subset) includes V(identity)
      type: dict
      contains:
        model:
          description: Product number (C(ProdNbr)).
          type: str
          sample: P3268-LVE
        full_name:
          description: Full product name (C(ProdFullName)).
          type: str
          sample: AXIS P3268-LVE Dome Camera
        firmware:
          description: AXIS OS version.
          type: str
          sample: 11.11.73
        serial:
          description: Serial number (the MAC address without separators).
          type: str
          sample: B8A44F000001
        source:
          description:
            - Where the identity was read - V(basicdeviceinfo.cgi), or V(param.cgi) on firmware
              without the Basic device information API (before AXIS OS 8.40).
          type: str
          sample: basicdeviceinfo.cgi
    capabilities:
      description: What the device can do.
      returned: when O(gather_subset) includes V(capabilities)
      type: dict
      contains:
        apis:
          description:
            - The APIs API discovery lists, as C({id - version}). V(null) on firmware without API discovery.
          type: dict
          sample: {"disk-management": "1.0", "disk-properties": "1.1", "recording-storage-limit": "1.0"}
        local_storage:
          description:
            - The C(Properties.LocalStorage) parameters by name, C(yes)/C(no) as booleans and
              whole numbers as integers. V(null) on devices without C(param.cgi) (recorders).
          type: dict
          sample: {"DiskEncryption": true, "DiskHealth": true, "NbrOfContinuousRecordingProfiles": 1, "Version": "1.00"}
        features:
          description:
            - What this firmware has of what the modules use, each V(true), V(false), or V(null)
              where the device does not tell (firmware without API discovery says nothing about
              APIs that have no C(Properties.LocalStorage) flag).
            - V(api_discovery), V(disk_management), V(disk_properties), V(network_share),
              V(recording), V(storage_limit) (needs C(Properties.LocalStorage.StorageLimit) too),
              V(disk_encryption) (C(DiskEncryption)), V(disk_health) (C(DiskHealth)),
              V(basic_device_info), V(external_devices).
            - For example AXIS OS 12.11 and 9.80 have all but V(external_devices); firmware 5.51
              has no API discovery, and V(storage_limit), V(disk_encryption) and V(disk_health)
              are V(false).
          type: dict
          sample: {"api_discovery": true, "storage_limit": true, "disk_encryption": true, "disk_health": true}
        video_channels:
          description:
            - How many video channels a profile's C(camera) option may select - the larger of
              C(ImageSource.NbrOfSources) and C(Properties.Image.NbrOfViews). V(null) when
              C(param.cgi) lists neither (recorders).
          type: int
          sample: 4
        image_sources:
          description:
            - C(ImageSource.NbrOfSources) - the sensors (or video inputs); more than one on a
              multi-sensor camera. V(null) when not listed.
          type: int
          sample: 4
    disks:
      description:
        - Every disk the device lists, by disk id. With only V(health) gathered, an entry has
          C(disk_id) and C(health) only.
      returned: when O(gather_subset) includes V(disks) or V(health)
      type: dict
      sample: {"SD_DISK": {"disk_id": "SD_DISK", "filesystem": "ext4", "mounted": true, "status": "OK"}}
      contains:
        disk_id:
          description: The disk's id, for example V(SD_DISK), V(NetworkShare) or V(HDD_DISK).
          type: str
          returned: always
        friendly_name:
          description: The disk's name (empty when unset).
          type: str
          returned: with V(disks)
        total_kb:
          description: Size in kilobytes (1024 bytes); V(0) when the disk is not available.
          type: int
          returned: with V(disks)
        free_kb:
          description: Free space in kilobytes.
          type: int
          returned: with V(disks)
        cleanup_max_age:
          description: Days after which recordings are removed; V(0) means never.
          type: int
          returned: with V(disks)
        cleanup_policy:
          description: V(fifo) (oldest recordings go first when the disk is full) or V(none).
          type: str
          returned: with V(disks)
        locked:
          description: Whether the disk is locked (cannot be formatted or written to).
          type: bool
          returned: with V(disks)
        full:
          description: Whether the disk is full.
          type: bool
          returned: with V(disks)
        readonly:
          description: Whether the disk is write-protected.
          type: bool
          returned: with V(disks)
        status:
          description:
            - The device's status - V(OK), V(connected), V(disconnected), V(failed),
              V(no passphrase), V(wrong passphrase) or V(not encrypted).
          type: str
          returned: with V(disks)
        mounted:
          description: Whether the disk is mounted and in use (status V(OK)).
          type: bool
          returned: with V(disks)
        filesystem:
          description: The file system (V(ext4), V(vfat), V(cifs) for a network share, V(none)).
          type: str
          returned: with V(disks)
        group:
          description: The disk's C(Storage) parameter group, for example V(S0).
          type: str
          returned: with V(disks)
        required_filesystem:
          description: V(ext4) when the device formats the disk to ext4 at its next mount, else V(none).
          type: str
          returned: with V(disks)
        encryption_enabled:
          description: Whether encryption is enabled for the disk.
          type: bool
          returned: with V(disks)
        encrypted:
          description: Whether the disk's content is encrypted (it was formatted with encryption enabled).
          type: bool
          returned: with V(disks)
        capabilities:
          description: What the disk supports (C(disks/getcapabilities.cgi)); V(null) when unavailable.
          type: dict
          returned: with V(disks)
          contains:
            filesystems:
              description: File systems the disk can be formatted with.
              type: list
              elements: str
              sample: [vfat, ext4]
            required_filesystems:
              description: File systems that can be set as its required file system.
              type: list
              elements: str
              sample: [ext4]
            required_fs_supported:
              description: Whether the disk supports a required file system.
              type: bool
            encryption_supported:
              description: Whether the disk supports encryption.
              type: bool
        alert_levels:
          description: The disk's alert levels; V(null) when unavailable.
          type: dict
          returned: with V(disks)
          contains:
            wear:
              description: Wear level (percent) at which the device raises an alert.
              type: int
              sample: 90
            temperature:
              description: Temperature (Kelvin) at which the device raises an alert.
              type: int
              sample: 358
        health:
          description: The disk's health; V(null) when unavailable or not listed by C(gethealth.cgi).
          type: dict
          returned: with V(health)
          contains:
            wear:
              description:
                - Percent of the expected life span used (may exceed 100). Only Axis SD cards
                  and hard disks report it; V(null) otherwise.
              type: int
              sample: 3
            temperature:
              description: Temperature in Kelvin (hard disks); V(null) when not reported.
              type: int
              sample: 313
            overall_health_passed:
              description:
                - The disk's overall health check (hard disks) - V(true) passed, V(false) failed;
                  V(null) when not reported.
              type: bool
              sample: true
            unavailable:
              description:
                - Fields the device answered with a code instead of a value, and the code's
                  meaning - V(not supported), V(read error) or V(disk not present).
              type: dict
              sample: {"wear": "disk not present"}
    network_shares:
      description: The configured network shares, by share id. Passwords are never listed by the device.
      returned: when O(gather_subset) includes V(network_shares)
      type: dict
      contains:
        share_id:
          description: The device's id of the share.
          type: str
          sample: "35419"
        name:
          description: The share's name (nice name).
          type: str
          sample: Recordings
        address:
          description: Host name or address of the NAS.
          type: str
          sample: nas.example.com
        share:
          description: The share's name on the NAS.
          type: str
          sample: recordings
        user:
          description: The user the device logs in to the NAS as.
          type: str
          sample: camera01
        bound:
          description: Whether the share is bound to the V(NetworkShare) disk.
          type: bool
        disk_id:
          description: V(NetworkShare) when bound, else V(null).
          type: str
        mount_options:
          description:
            - The SMB mount options of the bound share's disk (C(Storage.S#.ExtraMountOptions)), for
              example V(vers=3.0); V(null) on devices without C(param.cgi) (recorders).
          type: str
          returned: when the share is bound
    storage_limits:
      description: The recording storage limit of every disk, by disk id.
      returned: when O(gather_subset) includes V(storage_limits)
      type: dict
      sample: {"SD_DISK": {"limit_kb": 2097152, "used_kb": 122880}}
      contains:
        limit_kb:
          description: The limit in kilobytes; V(0) means no limit.
          type: int
        used_kb:
          description: Space used by recordings, in kilobytes.
          type: int
    recording_profiles:
      description: Continuous recording profiles, sorted by profile id.
      returned: when O(gather_subset) includes V(recording_profiles)
      type: list
      elements: dict
      contains:
        profile_id:
          description: The device's id of the profile.
          type: int
          sample: 1
        disk_id:
          description: The disk the profile records to.
          type: str
          sample: SD_DISK
        event_id:
          description: The profile's event id.
          type: str
          sample: continuous
        device:
          description: On recorders, the external device (camera) the profile records from; else V(null).
          type: str
          sample: front-door
        camera:
          description:
            - The video channel the profile records (its stream option C(camera)), V(1) when the
              profile has none (the first channel). A number, or V(quad).
          type: raw
          sample: 1
        stream_options:
          description: The profile's stream options (without C(device)), values as the device stores them.
          type: dict
          sample: {"videocodec": "h264", "resolution": "1920x1080", "fps": "25"}
    recording_groups:
      description: Recording groups (AXIS OS 12), sorted by id, in the options of M(vapix.edge_storage.axis_recording_group).
      returned: when O(gather_subset) includes V(recording_groups) and the device has the Recording group API
      type: list
      elements: dict
      sample: [{"id": "motion_sd", "nice_name": "Motion", "description": "", "disk_id": "SD_DISK",
                "retention_hours": 168, "stream_options": {"fps": "15"}, "pre_seconds": 5, "post_seconds": 30}]
    external_devices:
      description:
        - The cameras a recorder records from, by id. Passwords are never listed by the device.
        - V(null) on devices without the External IP Device Information API (cameras).
      returned: when O(gather_subset) includes V(external_devices)
      type: dict
      contains:
        id:
          description: The external device's id.
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
          description: The camera's serial number (MAC address).
          type: str
          sample: ACCC8E012345
        device_username:
          description: The user the recorder logs in to the camera as.
          type: str
          sample: recorder
        events_enabled:
          description: Whether the recorder subscribes to the camera's events; V(null) when unavailable.
          type: bool
    recordings:
      description:
        - The recordings of every disk, by disk id; V(null) for a disk that is not mounted (the
          device lists the recordings of mounted disks only).
      returned: when O(gather_subset) includes V(recordings)
      type: dict
      sample: {"SD_DISK": {"count": 14, "oldest_start": "2026-11-02T08:12:11Z", "oldest_recording_id": "20261102_081211_0001_B8A44F000001"}}
      contains:
        count:
          description: Recordings on the disk (C(totalnumberofrecordings)).
          type: int
        oldest_start:
          description: UTC start of the oldest recording, after the device's cleanup; V(null) without recordings.
          type: str
        oldest_recording_id:
          description: Its recording id; V(null) without recordings.
          type: str
    unavailable:
      description:
        - Why gathered fields are V(null), by field path (C(external_devices),
          C(capabilities.local_storage), C(disks.SD_DISK.alert_levels) ...). Empty when
          everything gathered was read.
      returned: always
      type: dict
      sample:
        external_devices: >-
          the device has no External IP Device Information API (API discovery does not list
          ext-ip-dev-info); only recorders record from other cameras
requests:
  description: HTTP requests sent to the device by this task, including authentication challenges.
  returned: always
  type: int
  sample: 13
seconds:
  description: Wall time of the task's work, in seconds.
  returned: success
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
error_kind:
  description: >-
    The kind of failure (V(input), V(auth), V(connection), V(http), V(api) ...); V(device) when the host
    is no Axis device with edge storage (it never asked for and accepted the login, or has no disk list):
    what a device lacks is otherwise not a failure.
  returned: failure
  type: str
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._info import StorageInfo
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module


def main():
    run_module(StorageInfo)


if __name__ == "__main__":
    main()
