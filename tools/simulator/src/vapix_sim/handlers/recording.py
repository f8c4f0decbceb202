"""Continuous recording profiles: /axis-cgi/record/continuous/*.cgi (Recording API).

Profiles are immutable (change = remove + add) and their ids keep increasing across removals
(Device.next_profile_id). On a recorder a profile must name the camera to pull from with the
stream option `device=<external IP device id>` (External IP Device Information API). On a
camera the stream option `camera=N` selects the video channel (1..ImageSource.NbrOfSources).
"""

from __future__ import annotations

from ..http import Reply, cgi, element, parse_int, xml_root
from ..model import RECORDER, Profile
from .recording_list import start_recording, stop_recordings

ADD_SCHEMA = "recording/continuousconfigurationadd1.xsd"
LIST_SCHEMA = "recording/continuousconfigurationlist1.xsd"
REMOVE_SCHEMA = "recording/continuousconfigurationremove1.xsd"
DEFAULT_EVENT_ID = "continuous"


def option_pairs(options: str) -> list:
    """Split a decoded option string `k=v&k=v` into (key, value) pairs, as clients do."""
    pairs = []
    for item in options.split("&"):
        if item:
            key, _, value = item.partition("=")
            pairs.append((key.strip(), value))
    return pairs


def _configure_error(message: str) -> Reply:
    # No profile exists for a rejected add, so the profile attribute is left out.
    return xml_root(element("configure", {"result": "ERROR", "errormsg": message}), ADD_SCHEMA)


# What the device answers over capacity (AXIS OS 12.10 field report).
CAPACITY_MESSAGE = "Max number of configurations already configured"


def _camera_values(pairs: list) -> list:
    return [value for key, value in pairs if key.lower() == "camera"]


def video_channel(device, pairs: list) -> tuple:
    """(channel, problem): the 1-based video channel that the stream option `camera` selects;
    a profile without it records channel 1 (the device's default video source)."""
    values = _camera_values(pairs)
    if not values:
        return 1, None
    number = parse_int(values[-1], 1, device.sensors)
    if number is None:
        return 0, (
            "Invalid stream option camera=%s: the device has %d video channel%s"
            % (values[-1], device.sensors, "" if device.sensors == 1 else "s")
        )
    return number, None


def stream_options_problem(device, options: str) -> str | None:
    """Why stream options cannot record on this device, or None: an option string whose
    `camera=N` is a video channel (camera), naming an external device with `device=<id>`
    (recorder). Shared by event-triggered recording (action configurations) and groups."""
    pairs = option_pairs(options)
    if any(not key for key, _ in pairs):
        return "not an option string: %r" % options
    if device.profile == RECORDER:
        wanted = [value for key, value in pairs if key.lower() == "device"]
        if not wanted or wanted[-1] not in device.external_devices:
            return "a recorder records an external device named with device=<id> (devices: %s)" % (
                ", ".join(device.external_devices) or "none"
            )
        return None
    return video_channel(device, pairs)[1]


def profile_channel(profile: Profile) -> int:
    values = _camera_values(option_pairs(profile.options))
    number = parse_int(values[-1], 1) if values else 1
    return number or 1


@cgi("record/continuous/addconfiguration.cgi", role="operator", write=True)
def add_configuration(device, request) -> Reply:
    args = request.args
    disk_id = args.get("diskid", "").strip()
    options = args.get("options", "")
    if not disk_id:
        return _configure_error("Missing argument: diskid")
    if not options.strip():
        return _configure_error("Missing argument: options")
    if disk_id not in device.disks:
        return _configure_error("Invalid diskid: %s" % disk_id)
    pairs = option_pairs(options)
    if any(not key for key, _ in pairs):
        return _configure_error("Invalid options")
    if device.profile == RECORDER:
        wanted = [value for key, value in pairs if key.lower() == "device"]
        if not wanted or not wanted[-1]:
            return _configure_error("Missing stream option: device")
        if wanted[-1] not in device.external_devices:
            return _configure_error("No such external IP device: %s" % wanted[-1])
    channel = 1
    if device.profile != RECORDER:
        channel, problem = video_channel(device, pairs)
        if problem:
            return _configure_error(problem)
    # NbrOfContinuousRecordingProfiles is a capacity per video channel: a 4-sensor camera
    # holds one profile per sensor (docs/spec-choices/multisensor-firmware.md). A recorder has
    # no video channels of its own: its capacity is for the whole device.
    same_channel = [p for p in device.profiles.values() if device.profile == RECORDER or profile_channel(p) == channel]
    if len(same_channel) >= device.max_profiles:
        return _configure_error(CAPACITY_MESSAGE)
    event_id = args.get("eventid", "").strip() or DEFAULT_EVENT_ID
    profile_id = device.next_profile_id
    while profile_id in device.profiles:  # a patched counter must not overwrite a profile
        profile_id += 1
    device.next_profile_id = profile_id + 1
    # A disk that is absent or unmounted is accepted: the recording starts "when possible".
    device.profiles[profile_id] = Profile(profile_id=profile_id, disk_id=disk_id, options=options, event_id=event_id)
    start_recording(device, device.profiles[profile_id])
    return xml_root(element("configure", {"profile": profile_id, "result": "OK"}), ADD_SCHEMA)


def _profile_element(profile: Profile) -> str:
    return element(
        "continuousrecordingconfiguration",
        dict(profile=profile.profile_id, diskid=profile.disk_id, options=profile.options, eventid=profile.event_id),
    )


@cgi("record/continuous/listconfiguration.cgi", role="viewer")
def list_configuration(device, request) -> Reply:
    profiles = sorted(device.profiles.values(), key=lambda p: p.profile_id)
    wanted = request.args.get("profile")
    if wanted is not None and wanted.strip():
        # A filter: an unknown or malformed profile number matches nothing.
        number = parse_int(wanted)
        profiles = [p for p in profiles if p.profile_id == number]
    items = "".join(_profile_element(p) for p in profiles)
    return xml_root(element("continuousrecordingconfigurations", None, items or None), LIST_SCHEMA)


@cgi("record/continuous/removeconfiguration.cgi", role="operator", write=True)
def remove_configuration(device, request) -> Reply:
    raw = request.args.get("profile", "").strip()
    if not raw:
        return xml_root(element("remove", {"result": "ERROR", "errormsg": "Missing argument: profile"}), REMOVE_SCHEMA)
    number = parse_int(raw)
    if number is None or number not in device.profiles:
        return xml_root(
            element("remove", {"profile": raw, "result": "ERROR", "errormsg": "No such profile: %s" % raw}),
            REMOVE_SCHEMA,
        )
    del device.profiles[number]
    stop_recordings(device, number)
    return xml_root(element("remove", {"profile": number, "result": "OK"}), REMOVE_SCHEMA)
