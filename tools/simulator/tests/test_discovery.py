"""basicdeviceinfo.cgi and apidiscovery.cgi handlers (JSON over POST)."""

from __future__ import annotations

import json

import pytest

from vapix_sim.http import REGISTRY

JSON_TYPE = "application/json;charset=utf8"


def post(call, device, path, payload, user="root"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    result = call(device, path, method="POST", user=user, body=body, content_type="application/json")
    assert result.status == 200 and result.reply.content_type == JSON_TYPE
    return json.loads(result.text)


def bdi(call, device, method, user="root", **extra):
    payload = {"apiVersion": "1.0", "context": "ctx", "method": method}
    payload.update(extra)
    return post(call, device, "basicdeviceinfo.cgi", payload, user=user)


def discover(call, device, **params):
    payload = {"apiVersion": "1.0", "method": "getApiList"}
    if params:
        payload["params"] = params
    return post(call, device, "apidiscovery.cgi", payload)


def test_registered_for_anonymous_and_read_only():
    for name in ("basicdeviceinfo.cgi", "apidiscovery.cgi"):
        spec = REGISTRY["/axis-cgi/" + name]
        assert spec.role == "anonymous" and spec.profiles is None and not spec.is_write({})


def test_get_all_properties_from_the_device(call, camera980, recorder):
    camera = camera980
    answer = bdi(call, camera, "getAllProperties", user="operator")
    assert answer["apiVersion"] == "1.0" and answer["context"] == "ctx"
    assert answer["method"] == "getAllProperties"
    props = answer["data"]["propertyList"]
    assert list(props) == [
        "Architecture",
        "Brand",
        "BuildDate",
        "HardwareID",
        "ProdFullName",
        "ProdNbr",
        "ProdShortName",
        "ProdType",
        "ProdVariant",
        "SerialNumber",
        "Soc",
        "SocSerialNumber",
        "Version",
        "WebURL",
    ]
    assert (
        props["Brand"],
        props["ProdNbr"],
        props["ProdFullName"],
        props["SerialNumber"],
        props["Version"],
        props["ProdType"],
    ) == ("AXIS", "P1448-LE", "AXIS P1448-LE Network Camera", camera.serial, "9.80.2.2", "Network Camera")
    camera.firmware = "9.80.3.1"
    assert bdi(call, camera, "getAllProperties")["data"]["propertyList"]["Version"] == "9.80.3.1"
    rec = bdi(call, recorder, "getAllProperties")["data"]["propertyList"]
    assert (rec["ProdNbr"], rec["ProdFullName"], rec["SerialNumber"], rec["ProdType"]) == (
        "S3008",
        "AXIS S3008 Recorder",
        recorder.serial,
        "Recorder",
    )
    assert rec["SocSerialNumber"] != props["SocSerialNumber"]


def test_axis_os_12_answers_with_its_own_version_and_no_echo(call, camera):
    """The 12.11 capture (basicdeviceinfo.json): apiVersion 1.3 whatever was asked, no method
    or context, properties in the device's order."""
    answer = bdi(call, camera, "getAllProperties", user="operator")
    assert list(answer) == ["apiVersion", "data"] and answer["apiVersion"] == "1.3"
    props = answer["data"]["propertyList"]
    assert list(props) == [
        "Architecture",
        "ProdNbr",
        "HardwareID",
        "ProdFullName",
        "Version",
        "ProdType",
        "SocSerialNumber",
        "Soc",
        "Brand",
        "WebURL",
        "ProdVariant",
        "SerialNumber",
        "ProdShortName",
        "BuildDate",
    ]
    assert (props["ProdNbr"], props["Version"]) == ("P3268-LVE", "12.11.77")
    unrestricted = bdi(call, camera, "getAllUnrestrictedProperties", user=None)
    assert list(unrestricted) == ["apiVersion", "data"]
    assert not {"Architecture", "Soc", "SocSerialNumber"} & set(unrestricted["data"]["propertyList"])
    # errors keep the documented envelope
    assert bdi(call, camera, "reboot")["error"]["code"] == 2004


def test_firmware_551_has_neither_api(call, camera551):
    for path in ("basicdeviceinfo.cgi", "apidiscovery.cgi"):
        result = call(camera551, path, method="POST", body=b"{}", content_type="application/json")
        assert result.status == 404 and "404 Not Found" in result.text


def test_get_all_properties_needs_operator(call, camera):
    answer = bdi(call, camera, "getAllProperties", user="viewer")
    assert answer["error"]["code"] == 2001 and "data" not in answer


def test_get_all_properties_challenges_an_anonymous_caller(call, camera):
    """No credentials at all: a 401 (the server adds the challenge), not an error body."""
    import json as _json

    body = _json.dumps({"apiVersion": "1.0", "method": "getAllProperties"}).encode()
    answer = call(camera, "basicdeviceinfo.cgi", method="POST", user=None, body=body, content_type="application/json")
    assert answer.status == 401


def test_unrestricted_properties_for_anyone(call, camera980):
    camera = camera980
    answer = bdi(call, camera, "getAllUnrestrictedProperties", user=None, apiVersion="1.2")
    props = answer["data"]["propertyList"]
    assert answer["apiVersion"] == "1.2"
    assert props["SerialNumber"] == camera.serial
    assert not {"Architecture", "Soc", "SocSerialNumber"} & set(props)


def test_get_properties(call, camera):
    answer = bdi(call, camera, "getProperties", user=None, params={"propertyList": ["Version", "ProdNbr"]})
    assert answer["data"]["propertyList"] == {"Version": camera.firmware, "ProdNbr": "P3268-LVE"}
    unknown = bdi(call, camera, "getProperties", params={"propertyList": ["Version", "Nope"]})
    assert unknown["error"] == {"code": 1000, "message": "Property not supported: Nope"}
    restricted = bdi(call, camera, "getProperties", user=None, params={"propertyList": ["Soc"]})
    assert restricted["error"]["code"] == 2001
    assert bdi(call, camera, "getProperties", user="operator", params={"propertyList": ["Soc"]})["data"][
        "propertyList"
    ]["Soc"]
    for params in ({}, {"propertyList": "Version"}, {"propertyList": []}, {"propertyList": [1]}):
        assert bdi(call, camera, "getProperties", params=params)["error"]["code"] == 4002


def test_bdi_supported_versions_needs_no_api_version(call, camera, camera980):
    answer = post(call, camera980, "basicdeviceinfo.cgi", {"method": "getSupportedVersions"})
    assert answer == {"method": "getSupportedVersions", "data": {"apiVersions": ["1.1"]}}
    answer = post(call, camera, "basicdeviceinfo.cgi", {"method": "getSupportedVersions"})
    assert answer == {"method": "getSupportedVersions", "data": {"apiVersions": ["1.3"]}}


@pytest.mark.parametrize(
    "payload, code",
    [
        (b"{not json", 4000),
        (b"", 4000),
        (b"[1, 2]", 4000),
        (b"\xff\xfe", 4000),
        ({"apiVersion": "1.0"}, 4002),
        ({"apiVersion": "1.0", "method": 5}, 4002),
        ({"apiVersion": "1.0", "method": "getAllProperties", "params": []}, 4002),
        ({"method": "getAllProperties"}, 4002),
        ({"apiVersion": "2.0", "method": "getAllProperties"}, 2003),
        ({"apiVersion": "one", "method": "getAllProperties"}, 2003),
        ({"apiVersion": "1.0", "method": "reboot"}, 2004),
    ],
)
def test_bdi_errors(call, camera, payload, code):
    answer = post(call, camera, "basicdeviceinfo.cgi", payload)
    assert answer["error"]["code"] == code and answer["error"]["message"]
    assert "data" not in answer


def test_get_is_refused_with_2002(call, camera):
    for path in ("basicdeviceinfo.cgi", "apidiscovery.cgi"):
        result = call(camera, path, method="GET")
        assert result.status == 200
        assert json.loads(result.text)["error"]["code"] == 2002


def test_api_list_per_profile(call, camera980, recorder):
    camera = camera980
    cam = {a["id"]: a["version"] for a in discover(call, camera)["data"]["apiList"]}
    assert cam == {
        "disk-management": "1.0",
        "disk-properties": "1.1",
        "disk-network-share": "1.0",
        "recording": "1.0",
        "recording-storage-limit": "1.0",
        "recording-export": "1.1",
        "param-cgi": "1.0",
        "basic-device-info": "1.1",
        "api-discovery": "1.0",
    }
    rec = {a["id"]: a["version"] for a in discover(call, recorder)["data"]["apiList"]}
    assert "param-cgi" not in rec
    assert rec["ext-ip-dev-info"] == "2.1" and rec["recording-group"] == "1.0"
    assert set(cam) - {"param-cgi"} <= set(rec)
    # 9.80: no "status" key (the 9.80.2.2 capture)
    entry = discover(call, camera)["data"]["apiList"][0]
    assert list(entry) == ["id", "version", "name", "docLink"]
    assert entry["docLink"].startswith("https://")


def test_axis_os_12_api_list_quirks(call, camera, recorder):
    """The 12.11 capture: "status": "official" on most entries, none on some, duplicate ids."""
    answer = discover(call, camera)
    assert list(answer) == ["method", "apiVersion", "data"]
    entries = answer["data"]["apiList"]
    ids = [a["id"] for a in entries]
    assert len(ids) > len(set(ids))
    assert {a.get("status") for a in entries} == {"official", None}
    versions = {
        a["id"]: a["version"] for a in entries if a["id"] in ("basic-device-info", "api-discovery", "recording-export")
    }
    assert versions == {"basic-device-info": "1.3", "api-discovery": "1.1", "recording-export": "1.3"}
    assert all(a.get("status") == "official" for a in discover(call, recorder)["data"]["apiList"])


def test_api_list_filters(call, camera980):
    camera = camera980

    def ids(**params):
        return [a["id"] for a in discover(call, camera, **params)["data"]["apiList"]]

    assert ids(id="disk-*") == ["disk-management", "disk-properties", "disk-network-share"]
    assert ids(id="recording") == ["recording"]
    assert ids(id="recordin?") == ["recording"]
    assert ids(id="*", version="1.1") == ["disk-properties", "basic-device-info", "recording-export"]
    assert ids(id="disk-*", version="1.?") == ["disk-management", "disk-properties", "disk-network-share"]
    assert ids(id="[a-z]*") == []  # brackets are literal, not a character class
    assert ids(id="no-such-api") == []
    assert len(ids()) == 9


def test_discovery_errors_and_versions(call, camera, camera980):
    answer = post(call, camera980, "apidiscovery.cgi", {"method": "getSupportedVersions", "context": "c"})
    assert answer == {"method": "getSupportedVersions", "context": "c", "data": {"apiVersions": ["1.0"]}}
    answer = post(call, camera, "apidiscovery.cgi", {"method": "getSupportedVersions"})
    assert answer["data"] == {"apiVersions": ["1.1"]}
    cases = [
        (b"nope", 4000),
        ({"apiVersion": "1.0"}, 4002),
        ({"method": "getApiList"}, 4002),
        ({"apiVersion": "3.0", "method": "getApiList"}, 2003),
        ({"apiVersion": "1.0", "method": "listEverything"}, 2004),
        ({"apiVersion": "1.0", "method": "getApiList", "params": "x"}, 4002),
        ({"apiVersion": "1.0", "method": "getApiList", "params": {"id": 5}}, 1000),
    ]
    for payload, code in cases:
        assert post(call, camera, "apidiscovery.cgi", payload)["error"]["code"] == code, payload


def test_internal_failure_is_reported_as_8000(call, camera):
    camera.profile = None  # a broken device state must not leak a traceback
    camera.full_name = None
    answer = bdi(call, camera, "getAllProperties")
    assert answer["error"]["code"] == 8000
