"""Recording group API (AXIS OS 12): /axis-cgi/record/recording_group/*.cgi.

Only on firmware whose API discovery lists `recording-group` (the 12.11 preset); elsewhere
the CGIs are 404. A group's disk is fixed once created; a group that a recording action
(an action configuration of the recording-group template) names cannot be deleted; deleting
one deletes its recordings. Answers in the Edge storage envelope (RecordingGroupResponse,
GeneralError with ErrorCode/ErrorDescription); codes: docs/simulator.md.
"""

from __future__ import annotations

import datetime
import re
import zlib

from .. import event_catalog as catalog
from ..firmware import RECORDING_GROUP
from ..http import Reply, cgi, element, parse_int
from ..model import RecordingGroup
from ._xml_api import StorageApi
from .recording import stream_options_problem

ROOT = "RecordingGroupResponse"
SCHEMA = "recordinggroup1.xsd"
SCHEMA_VERSION = "1.0"
GROUP_ID_PATTERN = re.compile(r"[a-zA-Z0-9_-]{1,50}\Z")
MAX_DURATION_MS = 24 * 3600 * 1000
MAX_RETENTION_HOURS = 24 * 365 * 10

ERROR_DESCRIPTIONS = {
    10: "Error while processing the request.",
    20: "Invalid request.",
    40: "Specified version is not supported.",
    200: "Invalid RecordingGroupId.",
    210: "The RecordingGroupId is not unique.",
    220: "No such disk.",
    230: "Invalid retention time.",
    240: "Invalid pre or post duration.",
    250: "Invalid stream options.",
    300: "No such recording group.",
    310: "The recording group is used by a recording action and cannot be deleted.",
}

API = StorageApi(ROOT, SCHEMA, SCHEMA_VERSION, ERROR_DESCRIPTIONS)


def _group_element(group: RecordingGroup) -> str:
    return element(
        "RecordingGroup",
        {
            "RecordingGroupId": group.group_id,
            "NiceName": group.nice_name,
            "Description": group.description,
            "DiskId": group.disk_id,
            "RetentionTime": group.retention_hours,
            "StreamOptions": group.stream_options,
            "PreDuration": group.pre_duration,
            "PostDuration": group.post_duration,
        },
    )


def _generated_id(device, disk_id: str) -> str:
    """What the device names a group it was not given an id for: the disk, the UTC time and 8
    hex digits (the shape of the ids the Recording group API documents)."""
    now = datetime.datetime.now(datetime.UTC)
    counter = len(device.recording_groups)
    while True:
        suffix = "%08X" % zlib.crc32(("%s-%d" % (device.serial, counter)).encode())
        candidate = "%s_%s_%s" % (disk_id, now.strftime("%Y%m%d_%H%M%S"), suffix)
        if candidate not in device.recording_groups:
            return candidate
        counter += 1


def _apply(device, group: RecordingGroup, args: dict):
    """Check and copy the optional settings of create and update; a Reply when invalid."""
    values = {}
    if "retentiontime" in args:
        values["retention_hours"] = parse_int(args["retentiontime"], 0, MAX_RETENTION_HOURS)
        if values["retention_hours"] is None:
            return API.error(230)
    for name, field in (("preduration", "pre_duration"), ("postduration", "post_duration")):
        if name in args:
            values[field] = parse_int(args[name], 0, MAX_DURATION_MS)
            if values[field] is None:
                return API.error(240)
    if "streamoptions" in args:
        problem = stream_options_problem(device, args["streamoptions"])
        if problem:
            return API.error(250, "Invalid stream options: %s" % problem)
        values["stream_options"] = args["streamoptions"]
    for name, field in (("nicename", "nice_name"), ("description", "description")):
        if name in args:
            values[field] = args[name]
    for field, value in values.items():
        setattr(group, field, value)
    return None


@cgi("record/recording_group/create.cgi", role="operator", write=True, api=RECORDING_GROUP)
@API.checked(schema_required=True, required=("diskid",))
def create_group(device, request) -> Reply:
    args = request.args
    disk_id = args["diskid"].strip()
    if disk_id not in device.disks:
        return API.error(220, "No such disk: %s" % disk_id)
    group_id = args.get("recordinggroupid")
    if group_id is not None:
        if not GROUP_ID_PATTERN.match(group_id):
            return API.error(200)
        if group_id in device.recording_groups:
            return API.error(210)
    else:
        group_id = _generated_id(device, disk_id)
    group = RecordingGroup(group_id=group_id, disk_id=disk_id)
    problem = _apply(device, group, args)
    if problem is not None:
        return problem
    device.recording_groups[group_id] = group
    return API.reply(element("CreateSuccess", {"RecordingGroupId": group_id}))


@cgi("record/recording_group/update.cgi", role="operator", write=True, api=RECORDING_GROUP)
@API.checked(schema_required=True, required=("recordinggroupid",))
def update_group(device, request) -> Reply:
    args = request.args
    group = device.recording_groups.get(args["recordinggroupid"].strip())
    if group is None:
        return API.error(300)
    if "diskid" in args:
        # The disk of a group is fixed: moving it is delete and create.
        return API.error(20, "Invalid request: diskid cannot be updated")
    changed = RecordingGroup(**vars(group))
    problem = _apply(device, changed, args)
    if problem is not None:
        return problem
    device.recording_groups[group.group_id] = changed
    return API.success()


def _referencing_configurations(device, group_id: str) -> list:
    return sorted(
        number
        for number, configuration in device.action_configurations.items()
        if configuration.template == catalog.GROUP_RECORDING
        and configuration.parameters.get("recording_group") == group_id
    )


@cgi("record/recording_group/delete.cgi", role="operator", write=True, api=RECORDING_GROUP)
@API.checked(schema_required=True, required=("recordinggroupid",))
def delete_group(device, request) -> Reply:
    group_id = request.args["recordinggroupid"].strip()
    if group_id not in device.recording_groups:
        return API.error(300)
    users = _referencing_configurations(device, group_id)
    if users:
        return API.error(
            310,
            "The recording group is used by the recording action%s %s and "
            "cannot be deleted." % ("" if len(users) == 1 else "s", ", ".join(map(str, users))),
        )
    del device.recording_groups[group_id]
    # Deleting a group deletes its recordings.
    for recording_id in [r.recording_id for r in device.recordings.values() if r.recording_group == group_id]:
        del device.recordings[recording_id]
    return API.success()


@cgi("record/recording_group/list.cgi", role="viewer", api=RECORDING_GROUP)
@API.checked(schema_required=True)
def list_groups(device, request) -> Reply:
    wanted = request.args.get("recordinggroupid", "").strip()
    groups = list(device.recording_groups.values())
    if wanted:
        # A filter: ids that do not exist are simply not listed.
        names = {part.strip() for part in wanted.split(",")}
        groups = [group for group in groups if group.group_id in names]
    items = "".join(_group_element(group) for group in groups)
    inner = element("RecordingGroups", {"NumberOfGroups": len(groups)}, items or None)
    return API.reply(element("ListSuccess", None, inner))


@cgi("record/recording_group/schemaversions.cgi", role="viewer", api=RECORDING_GROUP)
def group_schema_versions(device, request) -> Reply:
    return API.schema_versions()
