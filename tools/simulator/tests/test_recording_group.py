"""Recording group API (AXIS OS 12): /axis-cgi/record/recording_group/*.cgi."""

from __future__ import annotations

import re

import pytest

from vapix_sim.event_catalog import GROUP_RECORDING, apply_preset
from vapix_sim.http import REGISTRY
from vapix_sim.model import ActionConfiguration, ExternalDevice, Recording

RG = "record/recording_group/"
METHODS = {
    "create": ("operator", True),
    "update": ("operator", True),
    "delete": ("operator", True),
    "list": ("viewer", False),
    "schemaversions": ("viewer", False),
}


def response(result) -> dict:
    assert result.status == 200
    assert result.text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<RecordingGroupResponse SchemaVersion="1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/'
        'recordinggroup1.xsd">'
    )
    return result.doc["RecordingGroupResponse"]


def error(result) -> tuple:
    general = response(result)["GeneralError"]
    return int(general["ErrorCode"]), general["ErrorDescription"]


def groups(call, device, **args) -> list:
    listed = response(call(device, RG + "list.cgi", schemaversion="1", **args))["ListSuccess"]
    items = listed["RecordingGroups"]
    count = int(items["@NumberOfGroups"])
    found = items.get("RecordingGroup", []) if items else []
    found = found if isinstance(found, list) else [found]
    assert len(found) == count
    return found


def create(call, device, **args):
    values = {"schemaversion": "1", "diskid": "SD_DISK"}
    values.update(args)
    return call(device, RG + "create.cgi", **values)


def test_registration_roles_and_write_flags(camera):
    for name, (role, write) in METHODS.items():
        spec = REGISTRY["/axis-cgi/%s%s.cgi" % (RG, name)]
        assert (spec.role, spec.is_write({})) == (role, write), name
        assert spec.available(camera)


def test_only_where_api_discovery_lists_it(call, camera, camera980, camera551, recorder):
    assert "recording-group" in [api.id for api in camera.fw.camera_apis]
    assert "recording-group" not in [api.id for api in camera980.fw.camera_apis]
    for device in (camera980, camera551):
        result = call(device, RG + "list.cgi", schemaversion="1")
        assert result.status == 404
        assert "The requested URL /axis-cgi/record/recording_group/list.cgi was not found" in result.text
    assert groups(call, recorder) == []


def test_schema_versions(call, camera):
    version = response(call(camera, RG + "schemaversions.cgi"))["SchemaVersionsSuccess"]
    assert version["SchemaVersion"] == {"VersionNumber": "1.0", "Deprecated": "false"}


def test_create_and_list_every_field(call, camera):
    created = create(
        call,
        camera,
        recordinggroupid="door_1",
        description="Front door",
        nicename="Door",
        retentiontime="168",
        streamoptions="resolution=1280x720&fps=15",
        preduration="5000",
        postduration="30000",
    )
    assert response(created)["CreateSuccess"] == {"@RecordingGroupId": "door_1"}
    assert groups(call, camera) == [
        {
            "@RecordingGroupId": "door_1",
            "@NiceName": "Door",
            "@Description": "Front door",
            "@DiskId": "SD_DISK",
            "@RetentionTime": "168",
            "@StreamOptions": "resolution=1280x720&fps=15",
            "@PreDuration": "5000",
            "@PostDuration": "30000",
        }
    ]


def test_defaults_and_a_generated_id(call, camera):
    group_id = response(create(call, camera, diskid="NetworkShare"))["CreateSuccess"]["@RecordingGroupId"]
    assert re.fullmatch(r"NetworkShare_\d{8}_\d{6}_[0-9A-F]{8}", group_id)
    other = response(create(call, camera))["CreateSuccess"]["@RecordingGroupId"]
    assert other != group_id
    listed = groups(call, camera, recordinggroupid=group_id)
    assert [(g["@RecordingGroupId"], g["@RetentionTime"], g["@PreDuration"], g["@NiceName"]) for g in listed] == [
        (group_id, "0", "0", "")
    ]
    assert groups(call, camera, recordinggroupid="nope") == []


@pytest.mark.parametrize(
    "args,code",
    [
        ({"recordinggroupid": "x" * 51}, 200),
        ({"recordinggroupid": "has space"}, 200),
        ({"recordinggroupid": "dot.ted"}, 200),
        ({"diskid": "USB_DISK"}, 220),
        ({"retentiontime": "-1"}, 230),
        ({"retentiontime": "a week"}, 230),
        ({"preduration": "5s"}, 240),
        ({"postduration": "-5"}, 240),
        ({"streamoptions": "camera=2"}, 250),
        ({"schemaversion": "2"}, 40),
        ({"schemaversion": None}, 20),
        ({"diskid": None}, 20),
    ],
)
def test_create_errors_change_nothing(call, camera, args, code):
    values = {"schemaversion": "1", "diskid": "SD_DISK", "recordinggroupid": "g"}
    values.update(args)
    values = {k: v for k, v in values.items() if v is not None}
    assert error(call(camera, RG + "create.cgi", **values))[0] == code
    assert camera.recording_groups == {}


def test_id_limits_and_uniqueness(call, camera):
    assert "CreateSuccess" in response(create(call, camera, recordinggroupid="A-z_9" * 10))
    assert error(create(call, camera, recordinggroupid="A-z_9" * 10))[0] == 210


def test_stream_options_on_a_recorder_name_an_external_device(call, recorder):
    assert error(create(call, recorder, diskid="HDD_DISK", streamoptions="fps=15"))[0] == 250
    recorder.external_devices["cam1"] = ExternalDevice("cam1")
    assert "CreateSuccess" in response(create(call, recorder, diskid="HDD_DISK", streamoptions="device=cam1&fps=15"))


def test_update_without_diskid(call, camera):
    create(call, camera, recordinggroupid="g", nicename="Old", retentiontime="24")
    updated = call(
        camera, RG + "update.cgi", schemaversion="1", recordinggroupid="g", nicename="New", postduration="10000"
    )
    assert "GeneralSuccess" in response(updated)
    group = camera.recording_groups["g"]
    assert (group.nice_name, group.retention_hours, group.post_duration) == ("New", 24, 10000)
    moved = call(
        camera, RG + "update.cgi", schemaversion="1", recordinggroupid="g", diskid="NetworkShare", nicename="Moved"
    )
    assert error(moved) == (20, "Invalid request: diskid cannot be updated")
    bad = call(camera, RG + "update.cgi", schemaversion="1", recordinggroupid="g", nicename="Half", preduration="x")
    assert error(bad)[0] == 240
    assert camera.recording_groups["g"].nice_name == "New"  # nothing half applied
    assert camera.recording_groups["g"].disk_id == "SD_DISK"
    missing = call(camera, RG + "update.cgi", schemaversion="1", recordinggroupid="h")
    assert error(missing)[0] == 300


def test_delete_refused_while_a_recording_action_uses_it(call, camera):
    create(call, camera, recordinggroupid="g")
    create(call, camera, recordinggroupid="other")
    camera.action_configurations[4] = ActionConfiguration(4, GROUP_RECORDING, "to group", {"recording_group": "g"})
    camera.recordings["r1"] = Recording("r1", "SD_DISK", "2026-11-02T08:12:11Z", recording_group="g")
    camera.recordings["r2"] = Recording("r2", "SD_DISK", "2026-11-02T08:12:11Z")
    refused = call(camera, RG + "delete.cgi", schemaversion="1", recordinggroupid="g")
    code, description = error(refused)
    assert code == 310 and "recording action 4" in description
    assert "g" in camera.recording_groups and "r1" in camera.recordings
    del camera.action_configurations[4]
    deleted = call(camera, RG + "delete.cgi", schemaversion="1", recordinggroupid="g")
    assert "GeneralSuccess" in response(deleted)
    # The group's recordings went with it; the others stay.
    assert sorted(camera.recordings) == ["r2"]
    assert [g["@RecordingGroupId"] for g in groups(call, camera)] == ["other"]
    again = call(camera, RG + "delete.cgi", schemaversion="1", recordinggroupid="g")
    assert error(again)[0] == 300


def test_other_configurations_do_not_hold_a_group(call, camera):
    create(call, camera, recordinggroupid="g")
    apply_preset(camera, "vms")
    deleted = call(camera, RG + "delete.cgi", schemaversion="1", recordinggroupid="g")
    assert "GeneralSuccess" in response(deleted)


def test_over_http_roles_and_log(fleet_factory):
    fleet = fleet_factory(devices=1)
    viewer = fleet.session("viewer")
    assert viewer.get(fleet.cgi_url(RG + "list.cgi?schemaversion=1"), timeout=10).status_code == 200
    assert viewer.get(fleet.cgi_url(RG + "create.cgi?schemaversion=1&diskid=SD_DISK"), timeout=10).status_code == 401
    operator = fleet.session("operator")
    created = operator.get(
        fleet.cgi_url(RG + "create.cgi?schemaversion=1&diskid=SD_DISK&recordinggroupid=g"), timeout=10
    )
    assert created.status_code == 200 and created.headers["Content-Type"] == "text/xml"
    log = [(e["cgi"], e["write"]) for e in fleet.control("GET", "log")[1] if e["status"] == 200]
    assert log == [(RG + "list.cgi", False), (RG + "create.cgi", True)]
    assert fleet.control("GET", "state")[1]["recording_groups"]["g"]["disk_id"] == "SD_DISK"
