"""External IP Device Information API handlers (recorder only)."""

from __future__ import annotations

import pytest

from vapix_sim.http import REGISTRY

EX = "externalipdeviceinfo/"
METHODS = (
    "create",
    "update",
    "delete",
    "list",
    "geteventsenabled",
    "seteventsenabled",
    "getcacertificates",
    "setcacertificates",
    "schemaversions",
)
CAMERA_ONE = {
    "id": "cam1",
    "description": "Door",
    "serialnumber": "AABBCCDDEEFF",
    "address": "192.168.0.123",
    "username": "rec",
    "password": "secret",
}


def response(result) -> dict:
    assert result.status == 200
    return result.doc["DeviceResponse"]


def error_code(result) -> int:
    error = response(result)["GeneralError"]
    assert error["Description"] and "ErrorDescription" not in error
    return int(error["ErrorCode"])


def ok(result) -> bool:
    return "GeneralSuccess" in response(result)


def devices(call, recorder) -> list:
    body = response(call(recorder, EX + "list.cgi", schemaversion="2"))["ListDevicesSuccess"]
    if not body:
        return []
    items = body["Device"]
    return items if isinstance(items, list) else [items]


def create(call, recorder, **args):
    return call(recorder, EX + "create.cgi", schemaversion="2", **args)


def test_registration_recorder_only_admin_and_write_flags(call, camera):
    writes = {"create", "update", "delete", "seteventsenabled", "setcacertificates"}
    for name in METHODS:
        spec = REGISTRY["/axis-cgi/externalipdeviceinfo/%s.cgi" % name]
        assert spec.role == "admin" and spec.profiles == ("recorder",)
        assert spec.is_write({}) == (name in writes), name
        assert call(camera, EX + name + ".cgi", schemaversion="2").status == 404


def test_empty_list(call, recorder):
    result = call(recorder, EX + "list.cgi", schemaversion="2")
    assert "<ListDevicesSuccess/>" in result.text
    assert result.text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<DeviceResponse SchemaVersion="2.1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/'
        'ExternalIpDeviceInfo2.xsd">'
    )


def test_create_and_list_in_schema_order_without_password(call, recorder):
    assert ok(create(call, recorder, **CAMERA_ONE))
    assert ok(create(call, recorder, id="example-id_123"))  # only an id is enough
    listed = devices(call, recorder)
    assert list(listed[0].keys()) == [
        "Id",
        "Serialnumber",
        "Description",
        "Address",
        "Username",
        "Protocol",
        "Port",
        "CertificateValidation",
    ]
    assert listed[0] == {
        "Id": "cam1",
        "Serialnumber": "AABBCCDDEEFF",
        "Description": "Door",
        "Address": "192.168.0.123",
        "Username": "rec",
        "Protocol": "rtspt",
        "Port": "0",
        "CertificateValidation": "off",
    }
    assert listed[1]["Id"] == "example-id_123" and listed[1]["Address"] is None
    text = call(recorder, EX + "list.cgi", schemaversion="2").text
    assert "secret" not in text and "Password" not in text
    assert recorder.external_devices["cam1"].password == "secret"


def test_create_all_field_values(call, recorder):
    assert ok(
        create(
            call,
            recorder,
            id="cam2",
            address="fe80::1",
            username="u",
            password="p",
            protocol="rtspsh",
            port="65535",
            certvalidation="limited",
            serialnumber="00:40:8c:18:34:fd",
        )
    )
    assert ok(
        create(
            call,
            recorder,
            id="cam3",
            address="camera-3.example.com",
            username="u",
            password="p",
            protocol="rtsph",
            port="0",
            certvalidation="standard",
        )
    )
    stored = recorder.external_devices["cam2"]
    assert (stored.address, stored.protocol, stored.port, stored.cert_validation) == (
        "fe80::1",
        "rtspsh",
        65535,
        "limited",
    )


@pytest.mark.parametrize(
    "args, code",
    [
        ({}, 40),
        ({"id": ""}, 40),
        ({"id": "bad id"}, 40),
        ({"id": "x" * 65}, 40),
        ({"id": "c", "description": "line\nbreak"}, 170),
        ({"id": "c", "description": "d" * 256}, 170),
        ({"id": "c", "serialnumber": "AA:BB"}, 180),
        ({"id": "c", "serialnumber": "has space"}, 180),
        ({"id": "c", "protocol": "http"}, 190),
        ({"id": "c", "protocol": "RTSPT"}, 190),
        ({"id": "c", "port": "65536"}, 200),
        ({"id": "c", "port": "-1"}, 200),
        ({"id": "c", "port": "eighty"}, 200),
        ({"id": "c", "certvalidation": "on"}, 210),
        ({"id": "c", "address": "10.0.0.1"}, 70),
        ({"id": "c", "address": "10.0.0.1", "username": "u"}, 70),
        ({"id": "c", "address": "10.0.0.1", "password": "p"}, 70),
        ({"id": "c", "address": "not a host", "username": "u", "password": "p"}, 70),
    ],
)
def test_create_validation(call, recorder, args, code):
    assert error_code(create(call, recorder, **args)) == code
    assert recorder.external_devices == {}


def test_create_duplicate_and_capacity(call, recorder):
    create(call, recorder, id="cam1")
    assert error_code(create(call, recorder, id="cam1")) == 150
    recorder.max_external_devices = 2
    assert ok(create(call, recorder, id="cam2"))
    assert error_code(create(call, recorder, id="cam3")) == 30
    assert sorted(recorder.external_devices) == ["cam1", "cam2"]


@pytest.mark.parametrize("name", METHODS[:-1])
def test_schema_version_is_required_and_major_2(call, recorder, name):
    args = {"id": "cam1", "enabled": "yes"}
    assert error_code(call(recorder, EX + name + ".cgi", **args)) == 60
    assert error_code(call(recorder, EX + name + ".cgi", schemaversion="1", **args)) == 60
    assert error_code(call(recorder, EX + name + ".cgi", schemaversion="3.0", **args)) == 60
    assert error_code(call(recorder, EX + name + ".cgi", schemaversion="two", **args)) == 60


def test_schema_minor_version_is_accepted(call, recorder):
    assert ok(call(recorder, EX + "create.cgi", id="cam1", schemaversion="2.0"))


def test_update_changes_and_clears_fields(call, recorder):
    create(call, recorder, **CAMERA_ONE)
    assert ok(
        call(
            recorder,
            EX + "update.cgi",
            schemaversion="2",
            id="cam1",
            description="Back door",
            protocol="rtspsh",
            port="8554",
            certvalidation="standard",
        )
    )
    stored = recorder.external_devices["cam1"]
    assert (stored.description, stored.protocol, stored.port, stored.cert_validation, stored.address) == (
        "Back door",
        "rtspsh",
        8554,
        "standard",
        "192.168.0.123",
    )
    # an empty value clears the field (back to its default)
    assert ok(
        call(
            recorder,
            EX + "update.cgi",
            schemaversion="2",
            id="cam1",
            description="",
            serialnumber="",
            protocol="",
            port="",
            certvalidation="",
        )
    )
    listed = devices(call, recorder)[0]
    assert (
        listed["Description"],
        listed["Serialnumber"],
        listed["Protocol"],
        listed["Port"],
        listed["CertificateValidation"],
    ) == (None, None, "rtspt", "0", "off")
    assert ok(call(recorder, EX + "update.cgi", schemaversion="2", id="cam1", address="", username="", password=""))
    assert recorder.external_devices["cam1"].address == ""


def test_update_address_needs_the_account(call, recorder):
    create(call, recorder, **CAMERA_ONE)
    assert error_code(call(recorder, EX + "update.cgi", schemaversion="2", id="cam1", address="10.0.0.9")) == 70
    # clearing the account while an address stays set is refused as a whole
    assert error_code(call(recorder, EX + "update.cgi", schemaversion="2", id="cam1", username="")) == 70
    assert recorder.external_devices["cam1"].username == "rec"
    assert ok(
        call(
            recorder,
            EX + "update.cgi",
            schemaversion="2",
            id="cam1",
            address="10.0.0.9",
            username="rec2",
            password="new",
        )
    )
    stored = recorder.external_devices["cam1"]
    assert (stored.address, stored.username, stored.password) == ("10.0.0.9", "rec2", "new")


def test_update_errors(call, recorder):
    create(call, recorder, id="cam1")
    cases = [
        ({}, 40),
        ({"id": "ghost"}, 90),
        ({"id": "cam1", "description": "\x01"}, 170),
        ({"id": "cam1", "serialnumber": "!"}, 180),
        ({"id": "cam1", "protocol": "x"}, 190),
        ({"id": "cam1", "port": "70000"}, 200),
        ({"id": "cam1", "certvalidation": "x"}, 210),
    ]
    for args, code in cases:
        assert error_code(call(recorder, EX + "update.cgi", schemaversion="2", **args)) == code
    stored = recorder.external_devices["cam1"]
    assert (stored.protocol, stored.port, stored.cert_validation) == ("rtspt", 0, "off")


def test_delete(call, recorder):
    create(call, recorder, id="cam1")
    assert error_code(call(recorder, EX + "delete.cgi", schemaversion="2")) == 40
    assert error_code(call(recorder, EX + "delete.cgi", schemaversion="2", id="ghost")) == 90
    assert ok(call(recorder, EX + "delete.cgi", schemaversion="2", id="cam1"))
    assert devices(call, recorder) == []


def test_events_enabled(call, recorder):
    create(call, recorder, id="cam1")

    def state():
        body = response(call(recorder, EX + "geteventsenabled.cgi", schemaversion="2", id="cam1"))[
            "GetEventsEnabledSuccess"
        ]
        assert body["Id"] == "cam1"
        return body["EventsEnabled"]

    assert state() == "NO"
    for value, expected in (
        ("YES", "YES"),
        ("no", "NO"),
        ("enabled", "YES"),
        ("disabled", "NO"),
        ("yes", "YES"),
        ("NO", "NO"),
    ):
        assert ok(call(recorder, EX + "seteventsenabled.cgi", schemaversion="2", id="cam1", enabled=value))
        assert state() == expected
    for args, code in (
        ({"enabled": "yes"}, 40),
        ({"id": "ghost", "enabled": "yes"}, 90),
        ({"id": "cam1", "enabled": "maybe"}, 70),
        ({"id": "cam1"}, 70),
    ):
        assert error_code(call(recorder, EX + "seteventsenabled.cgi", schemaversion="2", **args)) == code
    assert error_code(call(recorder, EX + "geteventsenabled.cgi", schemaversion="2")) == 40
    assert error_code(call(recorder, EX + "geteventsenabled.cgi", schemaversion="2", id="ghost")) == 90


def test_ca_certificates(call, recorder):
    def listed():
        body = response(call(recorder, EX + "getcacertificates.cgi", schemaversion="2"))["GetCACertificatesSuccess"]
        if not body:
            return []
        items = body["CACertificate"]
        return [c["Id"] for c in (items if isinstance(items, list) else [items])]

    assert listed() == []
    assert ok(call(recorder, EX + "setcacertificates.cgi", schemaversion="2", certids="rootCA,intermediate_2"))
    assert listed() == ["rootCA", "intermediate_2"]
    assert error_code(call(recorder, EX + "setcacertificates.cgi", schemaversion="2", certids="ok,bad id")) == 220
    assert error_code(call(recorder, EX + "setcacertificates.cgi", schemaversion="2", certids="a,,b")) == 220
    assert listed() == ["rootCA", "intermediate_2"]
    # omitting certids clears the list
    assert ok(call(recorder, EX + "setcacertificates.cgi", schemaversion="2"))
    assert listed() == [] and recorder.ca_certificates == []


def test_schemaversions(call, recorder):
    body = response(call(recorder, EX + "schemaversions.cgi"))
    assert body["SchemaVersionsSuccess"]["SchemaVersion"] == {"VersionNumber": "2.1"}
