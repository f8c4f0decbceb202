"""Recording API, the recordings themselves: /axis-cgi/record/list.cgi (Recording API, "List recordings").

A continuous recording profile starts a recording when it is added and stops it when it is
removed; a format removes the disk's recordings. Start times are wall-clock UTC, so the control
endpoint can age them (POST /sim/state {"recordings": {...}}). The cleanup policy is applied on
every listing, as the device's own clean-up would have done by then: with `fifo` and a maximum
age, recordings that ended before the cut-off are gone and older parts of longer ones are cut.
Only recordings on present, mounted disks are listed. See docs/spec-choices/shares-recording.md.
"""

from __future__ import annotations

import datetime

from ..http import Reply, cgi, element, parse_int, xml_root
from ..model import Device, Recording

LIST_SCHEMA = "recording/list1.xsd"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def parse_time(text: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def format_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime(TIME_FORMAT)


def _option(options: str, name: str) -> str:
    for item in options.split("&"):
        key, _, value = item.partition("=")
        if key.strip().lower() == name:
            return value
    return ""


# --- hooks of the profile and disk handlers -------------------------------------------------


def start_recording(device: Device, profile) -> Recording:
    """A profile was added: its recording starts now (on a mounted disk, once mounted)."""
    now = utc_now()
    counter = len(device.recordings) + 1
    recording_id = "%s_%04X_%s" % (now.strftime("%Y%m%d_%H%M%S"), counter, device.serial)
    while recording_id in device.recordings:
        counter += 1
        recording_id = "%s_%04X_%s" % (now.strftime("%Y%m%d_%H%M%S"), counter, device.serial)
    recording = Recording(
        recording_id=recording_id,
        disk_id=profile.disk_id,
        start_time=format_time(now),
        event_id=profile.event_id,
        source=_option(profile.options, "camera") or "1",
        options=profile.options,
        profile_id=profile.profile_id,
    )
    device.recordings[recording_id] = recording
    return recording


def stop_recordings(device: Device, profile_id: int) -> None:
    """A profile was removed: its recording stops; what it recorded stays on the disk."""
    now = format_time(utc_now())
    for recording in device.recordings.values():
        if recording.profile_id == profile_id and not recording.stop_time:
            recording.stop_time = now


def drop_recordings(device: Device, disk_id: str) -> None:
    """A format removed everything on the disk; a running recording goes on from now."""
    now = format_time(utc_now())
    for key in [k for k, r in device.recordings.items() if r.disk_id == disk_id]:
        recording = device.recordings[key]
        if recording.stop_time:
            del device.recordings[key]
        else:
            recording.start_time = now


# --- the listing ------------------------------------------------------------------------------


def visible(device: Device, now: datetime.datetime) -> list:
    """(recording, start shown) of the recordings the device can list now, after clean-up."""
    shown = []
    for recording in device.recordings.values():
        disk = device.disks.get(recording.disk_id)
        if disk is None or not disk.present or not disk.mounted:
            continue
        start = parse_time(recording.start_time) or now
        stop = parse_time(recording.stop_time)
        if disk.cleanup_policy == "fifo" and disk.cleanup_max_age > 0:
            cutoff = now - datetime.timedelta(days=disk.cleanup_max_age)
            if stop is not None and stop < cutoff:
                continue
            start = max(start, cutoff)
        shown.append((recording, start))
    return shown


def _recording_element(recording: Recording, start: datetime.datetime) -> str:
    started = format_time(start)
    codec = _option(recording.options, "videocodec") or "h264"
    resolution = _option(recording.options, "resolution")
    width, _, height = resolution.partition("x")
    video = element(
        "video",
        {
            "mimetype": "video/x-%s" % codec,
            "source": recording.source,
            "framerate": _option(recording.options, "fps") or "",
            "resolution": resolution,
            "width": width,
            "height": height,
        },
    )
    return element(
        "recording",
        {
            "diskid": recording.disk_id,
            "recordingid": recording.recording_id,
            "starttime": started,
            "starttimelocal": started,
            "stoptime": recording.stop_time,
            "stoptimelocal": recording.stop_time,
            "recordingtype": recording.recording_type,
            "eventid": recording.event_id,
            "eventtrigger": "",
            "recordingstatus": "completed" if recording.stop_time else "recording",
            "source": recording.source,
        },
        video,
    )


def _error(message: str) -> Reply:
    return xml_root(element("recordings", {"result": "ERROR", "errormsg": message}), LIST_SCHEMA)


@cgi("record/list.cgi", role="viewer")
def list_recordings(device: Device, request) -> Reply:
    args = request.args
    now = utc_now()
    entity = (args.get("listentity") or "recording").strip().lower()
    disk_id = (args.get("diskid") or "").strip()
    shown = [(r, s) for r, s in visible(device, now) if not disk_id or r.disk_id == disk_id]
    if entity in ("eventid", "source"):
        values = sorted(set(r.event_id if entity == "eventid" else r.source for r, _s in shown))
        tag = "eventid" if entity == "eventid" else "source"
        items = "".join(element(tag, None, value) for value in values)
        return xml_root(element(tag + "s", None, items or None), LIST_SCHEMA)
    if entity not in ("recording", "recordingid"):
        return _error("Invalid listentity: %s" % args.get("listentity"))
    wanted = (args.get("recordingid") or "").strip()
    start_arg, stop_arg = args.get("starttime"), args.get("stoptime")
    if not wanted and start_arg is None and stop_arg is None:
        return _error("One of recordingid, starttime or stoptime is required")
    total = len(shown)
    if wanted and wanted.lower() != "all":
        shown = [(r, s) for r, s in shown if r.recording_id == wanted]
    event_id = args.get("eventid")
    if event_id:
        shown = [(r, s) for r, s in shown if r.event_id == event_id]
    after, before = parse_time(start_arg or ""), parse_time(stop_arg or "")
    if (start_arg and after is None) or (stop_arg and before is None):
        return _error("Invalid time: use UTC ISO 8601, for example 2026-11-02T08:12:11Z")
    if after is not None:
        shown = [(r, s) for r, s in shown if (parse_time(r.stop_time) or now) >= after]
    if before is not None:
        shown = [(r, s) for r, s in shown if s <= before]
    order = (args.get("sortorder") or "descending").strip().lower()
    shown.sort(key=lambda item: (item[1], item[0].recording_id), reverse=order != "ascending")
    matched = len(shown)
    # "Start the returned result on the n:th recording": counted from 1.
    first = max((parse_int(args.get("startatresultnumber") or "", lo=0) or 1) - 1, 0)
    limit = parse_int(args.get("maxnumberofresults") or "", lo=0)
    page = shown[first:] if limit is None else shown[first : first + limit]
    items = "".join(_recording_element(r, s) for r, s in page)
    return xml_root(
        element("recordings", {"totalnumberofrecordings": total, "numberofrecordings": matched}, items or None),
        LIST_SCHEMA,
    )
