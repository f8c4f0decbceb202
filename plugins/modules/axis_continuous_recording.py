#!/usr/bin/python
# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: axis_continuous_recording
short_description: Manage a continuous recording profile of an Axis camera or recorder
version_added: 0.1.0
description:
  - Adds, replaces or removes a continuous recording profile through the Recording API
    (C(record/continuous/*configuration.cgi)) of an Axis camera or an AXIS S3008 recorder.
  - A profile is identified by O(disk_id), O(event_id), on a recorder also by O(device), the
    camera it records from, and by the video channel it records (O(camera), or the stream
    option C(camera)), so a multi-sensor camera holds one profile per sensor on the same disk
    and event id. One task manages one profile.
  - Stream options are compared as key/value pairs, not as strings, so their order does not
    matter. A device cannot change a profile, so a profile whose options differ is removed and
    added again; the device gives the new profile a new id, and the diff and steps say so.
  - Option names and values are checked against the stream option tables of the API before
    anything is sent. A real device silently ignores an option name it does not know, so a
    misspelled option would otherwise give a recording with the camera's defaults and no error;
    the module refuses it and suggests the closest valid name.
  - Before adding a profile the module checks that the disk exists, that O(device) names an
    existing external device (recorders), and that the device has room for one more profile.
author:
  - Edge Storage Team (@vapix-edge-storage)
options:
  disk_id:
    description:
      - The disk to record to, as the device lists it, for example V(SD_DISK), V(NetworkShare)
        or a recorder's V(HDD_DISK).
      - A profile on a disk that is not mounted is accepted by the device and records once the
        disk is mounted; the module warns about it.
    type: str
    required: true
  event_id:
    description:
      - The event id that classifies the recordings of this profile (used to find them later).
      - Part of the profile's identity together with O(disk_id) (and O(device) on a recorder).
    type: str
    default: continuous
  stream_options:
    description:
      - "The stream options of the recording, as a dictionary of option names and values, for
        example C({videocodec: h264, resolution: 1920x1080, fps: 30}), or a saved stream profile
        with C({streamprofile: Quality})."
      - Names are the device's lower-case option names of C(media.cgi) (audio, audiobitrate,
        audiochannel, audiocodec, audiodeviceid, audioinputid, audionbrofchannels,
        audiosamplerate, camera, color, compression, container, fps, h264profile, mirror,
        resolution, rotation, squarepixel, streamprofile, video, videoabrmaxbitrate,
        videoabrretentiontime, videoabrtargetbitrate, videobitratemode, videobitratepriority,
        videocodec, videoframeskipmode, videomaxbitrate, videozfpsmode, videozgopmode,
        videozmaxgoplength, videozstrength), the text overlay options (text, textstring, textcolor,
        textbackgroundcolor, textpos, clock, date) and the recorder's videokeyframeinterval.
        Any other name is refused before anything is sent, with the closest valid name suggested.
      - Values are checked too. 0/1 options (audio, video, mirror, color, squarepixel, text, clock,
        date) also take V(true)/V(false); resolution is V(WIDTHxHEIGHT); videozstrength is V(off) or
        an integer; textcolor is V(black) or V(white), textbackgroundcolor V(black), V(white),
        V(transparent) or V(semitransparent), textpos V(top) or V(bottom); textstring is one line
        of text.
      - Required with O(state=present) unless O(device) is given. Checked but unused with
        O(state=absent).
    type: dict
  camera:
    description:
      - The video channel to record, as the device's stream option C(camera) - V(1) for the
        first sensor (or video input), V(2) for the second, ... or V(quad). Part of the
        profile's identity.
      - The same as giving C(camera) in O(stream_options), which is how the device stores it;
        either may be used, and if both are given they must be equal.
      - Without it the profile records the first channel, the device's default, and is the same
        profile as one with V(1). With O(state=absent), leaving it out removes the profiles of
        every channel of O(disk_id) and O(event_id).
      - On a camera, a number beyond the channels C(param.cgi) lists (the larger of
        C(ImageSource.NbrOfSources) and C(Properties.Image.NbrOfViews)) is refused before any
        write; where the device does not list them, and for V(quad), the device decides.
    type: raw
  device:
    description:
      - Recorders only, where it is required. The id of the external IP device (camera) to
        record from, as created with M(vapix.edge_storage.axis_external_device). It is sent as
        the recorder's own stream option V(device).
      - Checked against the recorder's list of external devices before a profile is added.
      - With O(state=absent), leaving it out removes the profiles of O(disk_id) and O(event_id)
        whatever camera they record from.
    type: str
  state:
    description:
      - V(present) makes sure the profile exists with these stream options (adding or
        replacing it); V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With V(true), every other continuous recording profile of the device (any disk, any
        event id, on a recorder any camera) is removed, so the declared profile is the only one.
      - Needs no further opt-in, because removing a profile stops its recording but keeps its recordings
        on the disk.
      - Only with O(state=present).
    type: bool
    default: false
seealso:
  - module: vapix.edge_storage.axis_external_device
  - module: vapix.edge_storage.axis_storage_limit
notes:
  - Replacing or removing a profile stops that recording (until the new profile starts, for a
    replacement). Recordings already made stay on the disk, so no data-loss opt-in is asked for;
    plan the change for a moment when a short gap in the recording is acceptable.
  - Old profiles are removed before the new one is added, so that a device with room for one
    profile can be switched. Every check (disk, external device, capacity) is made before the
    first write, so a refused add leaves the device untouched.
  - Capacity. On single-sensor cameras the module reads
    C(Properties.LocalStorage.NbrOfContinuousRecordingProfiles) and refuses, before writing, a
    profile that would exceed it, naming the profiles the device already has. On multi-sensor
    cameras (C(ImageSource.NbrOfSources) above 1) how the device counts that limit is not
    documented (field use suggests per sensor), and recorders have no C(param.cgi); there the
    device itself decides, and its answer C(Max number of configurations already configured)
    fails the task with what it means and what the run already did.
  - A profile's identity includes O(device) on a recorder, so one recorder disk can hold one
    profile per camera under the default O(event_id). A second profile with the same identity
    (made by other tools) is removed as a duplicate.
  - The stream options are checked against the option tables of the VAPIX documentation, not
    against what a particular camera supports (for example its list of resolutions). Options
    outside those tables cannot be used with this module.
  - On a recorder, options the recorder fills in itself when left out (resolution, fps,
    videokeyframeinterval, audio, video) may not suit the camera; the module warns when one of
    them is not set, as Axis recommends setting them explicitly.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
"""

EXAMPLES = r"""
# The username and password are left out of the tasks below: set them once with module_defaults for
# group/vapix.edge_storage.all, or with the AXIS_USERNAME and AXIS_PASSWORD environment variables.

- name: Record the camera continuously to its SD card in H.264, 1080p at 25 fps
  vapix.edge_storage.axis_continuous_recording:
    host: 192.0.2.10
    disk_id: SD_DISK
    stream_options:
      videocodec: h264
      resolution: 1920x1080
      fps: 25
      compression: 30

- name: Record to the network share with a saved stream profile, and only there
  vapix.edge_storage.axis_continuous_recording:
    host: 192.0.2.10
    disk_id: NetworkShare
    event_id: continuous_nas
    stream_options:
      streamprofile: Quality
    exclusive: true

- name: Record each sensor of a 4-sensor camera to the SD card, one profile per sensor
  vapix.edge_storage.axis_continuous_recording:
    host: 192.0.2.11
    disk_id: SD_DISK
    camera: "{{ item }}"
    stream_options:
      videocodec: h264
      resolution: 1920x1080
      fps: 15
  loop: [1, 2, 3, 4]

- name: Let the recorder record the front door camera to its hard disk
  vapix.edge_storage.axis_continuous_recording:
    host: 192.0.2.20
    disk_id: HDD_DISK
    device: front-door
    stream_options:
      resolution: 1920x1080
      fps: 30
      videokeyframeinterval: 64
      audio: false
      video: true

- name: Stop recording continuously to the SD card
  vapix.edge_storage.axis_continuous_recording:
    host: 192.0.2.10
    disk_id: SD_DISK
    state: absent
"""

RETURN = r"""
profile:
  description:
    - The profile after the run (in check mode, as it would be).
  returned: success
  type: dict
  contains:
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    profile_id:
      description:
        - The device's id of the profile. In check mode, V(null) for a profile that would be
          added (the device assigns the id).
      type: int
      sample: 7
    disk_id:
      description: The disk the profile records to.
      type: str
      sample: SD_DISK
    event_id:
      description: The profile's event id.
      type: str
      sample: continuous
    device:
      description: The external device a recorder profile records from; V(null) on cameras.
      type: str
      sample: front-door
    camera:
      description:
        - The video channel the profile records, V(1) when it has no C(camera) option (the first
          channel). A number, or V(quad). V(null) with O(state=absent) and no O(camera).
      type: raw
      sample: 2
    stream_options:
      description: The profile's stream options as key/value pairs (values as the device stores them).
      type: dict
      sample: {"videocodec": "h264", "resolution": "1920x1080", "fps": "25"}
    duplicate_profile_ids:
      description: Further profiles with the same identity (removed by O(state=present)).
      type: list
      elements: int
      sample: []
    other_profiles:
      description: The device's other profiles (removed by O(exclusive=true)).
      type: list
      elements: dict
      sample: [{"profile_id": 3, "disk_id": "NetworkShare", "event_id": "continuous_nas",
                "device": null, "stream_options": {"streamprofile": "Quality"}}]
replaced_profile_id:
  description: The id of the profile that was replaced (removed and added again) because its options differed.
  returned: when a profile was replaced
  type: int
  sample: 6
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
    - {"action": "removeconfiguration", "executed": true,
       "detail": "remove profile 6 (disk SD_DISK, event continuous): profiles cannot be changed and its options
                  differ (fps 15 -> 25): it is replaced by a new profile; recording for it stops, its recordings
                  stay on the disk"}
    - {"action": "addconfiguration", "executed": true, "outcome": "profile 7",
       "detail": "add a profile on disk SD_DISK, event continuous, options videocodec=h264&fps=25
                  (profile 1 of at most 1 on the device)"}
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

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import run_module
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording


def main():
    run_module(ContinuousRecording)


if __name__ == "__main__":
    main()
