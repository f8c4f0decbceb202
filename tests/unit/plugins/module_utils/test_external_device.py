# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""External IP devices of a recorder: plan decisions on canned state, then end to end on the simulator."""

import json

import pytest
import xmltodict
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    ExternalDevice,
    normalize_device,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import parse_profile

SECRET = "Cam-Secret&42"


LISTED = xmltodict.parse(
    '<DeviceResponse SchemaVersion="2.1"><ListDevicesSuccess><Device><Id>cam1</Id><Serialnumber>ACCC8E012345'
    "</Serialnumber><Description/><Address>192.0.2.31</Address><Username>rec</Username><Protocol>rtspt</Protocol>"
    "<Port>0</Port><CertificateValidation>off</CertificateValidation></Device></ListDevicesSuccess>"
    "</DeviceResponse>"
)["DeviceResponse"]["ListDevicesSuccess"]["Device"]


def test_list_entry_is_normalized():
    assert normalize_device(LISTED) == {
        "id": "cam1",
        "address": "192.0.2.31",
        "device_port": 0,
        "protocol": "rtspt",
        "cert_validation": "off",
        "description": "",
        "serial_number": "ACCC8E012345",
        "device_username": "rec",
    }


@pytest.fixture
def session_with(offline_session):
    """Makes a session that has read these external devices, profiles and event settings."""

    def make(devices, profiles=(), events=None):
        session = offline_session()
        session._cache["external_devices"] = dict((d["id"], d) for d in devices)
        session._cache["profiles"] = list(profiles)
        for dev_id, enabled in (events or {}).items():
            session._cache["events:%s" % dev_id] = enabled
        return session

    return make


CAM1 = normalize_device(LISTED)


def params(**options):
    spec = module_argument_spec(ExternalDevice)
    values = dict((name, spec[name].get("default")) for name in spec)
    values.update(host="127.0.0.1", username="root", password="pass")
    values.update(options)
    return values


def plan_for(session, **options):
    result = ExternalDevice(session, params(**options), check_mode=True).run(diff=True)
    assert session.client.calls == []
    return result


def failure(session, **options):
    with pytest.raises(VapixError) as caught:
        ExternalDevice(session, params(**options), check_mode=True).run()
    assert session.client.calls == []
    assert SECRET not in str(caught.value)
    return caught.value


# --- decisions -------------------------------------------------------------------------------


def test_create_needs_the_account_with_an_address(session_with):
    error = failure(session_with([]), id="cam2", address="192.0.2.32", device_username="rec")
    assert "device_username and device_password" in str(error)
    result = plan_for(
        session_with([]),
        id="cam2",
        address="192.0.2.32",
        device_username="rec",
        device_password=SECRET,
        events_enabled=False,
    )
    assert [s["action"] for s in result["steps"]] == ["create", "seteventsenabled"]
    assert "device_password set" in result["steps"][0]["detail"]
    assert result["external_device"]["address"] == "192.0.2.32"
    assert result["external_device"]["protocol"] == "rtspt"  # the device's default, as it will list it
    assert "device_password" not in json.dumps(result["diff"]["after"])
    assert "write-only" in result["diff"]["after_header"]
    assert SECRET not in json.dumps(result)


def test_create_with_id_only_is_allowed(session_with):
    result = plan_for(session_with([]), id="cam2")
    assert result["steps"][0]["detail"] == "create external device cam2 (id only)"


def test_identical_device_is_no_change_and_the_password_is_not_sent_on_update(session_with):
    result = plan_for(
        session_with([CAM1]),
        id="cam1",
        address="192.0.2.31",
        device_username="rec",
        device_password=SECRET,
        serial_number="ACCC8E012345",
        device_port=0,
    )
    assert result["changed"] is False and result["steps"] == []


def test_always_sends_the_password_every_time(session_with):
    result = plan_for(session_with([CAM1]), id="cam1", device_password=SECRET, update_password="always")
    assert [s["action"] for s in result["steps"]] == ["update"]
    assert "device_password sent (write-only: update_password=always)" in result["steps"][0]["detail"]
    assert result["diff"]["before"] == result["diff"]["after"]  # nothing listable changes ...
    assert "device_password is sent" in result["diff"]["after_header"]  # ... but the diff says so


def test_changed_fields_are_listed_and_only_they_are_sent(session_with):
    session = session_with([CAM1])
    resource = ExternalDevice(
        session, params(id="cam1", description="Door", protocol="rtspsh", cert_validation="standard"), check_mode=True
    )
    current = resource.read()
    steps = resource.plan(current, resource.desired(current))
    assert len(steps) == 1
    assert steps[0].detail == (
        "update external device cam1: protocol 'rtspt' -> 'rtspsh'; cert_validation 'off' "
        "-> 'standard'; description '' -> 'Door'"
    )


def test_address_change_needs_the_password_whatever_the_update_mode(session_with):
    error = failure(session_with([CAM1]), id="cam1", address="192.0.2.99")
    assert "address changes from '192.0.2.31' to '192.0.2.99'" in str(error)
    assert "give device_password" in str(error)
    result = plan_for(session_with([CAM1]), id="cam1", address="192.0.2.99", device_password=SECRET)
    assert "required with the new address/username" in result["steps"][0]["detail"]
    # clearing the address needs no account
    assert plan_for(session_with([CAM1]), id="cam1", address="")["changed"] is True


def test_username_change_needs_the_password(session_with):
    assert "device_username changes" in str(failure(session_with([CAM1]), id="cam1", device_username="other"))


def test_events_are_read_only_when_asked_and_compared(session_with):
    assert plan_for(session_with([CAM1], events={"cam1": True}), id="cam1", events_enabled=True)["changed"] is False
    result = plan_for(session_with([CAM1], events={"cam1": True}), id="cam1", events_enabled=False)
    assert result["steps"][0]["detail"] == "disable the camera's event subscription for cam1"
    assert result["diff"]["before"]["events_enabled"] is True
    assert "events_enabled" not in plan_for(session_with([CAM1]), id="cam1")["external_device"]


def test_the_same_mac_or_address_in_another_notation_is_no_change(session_with):
    listed = dict(CAM1, address="fe80::1", serial_number="AC:CC:8E:01:23:45")
    same = plan_for(session_with([listed]), id="cam1", address="FE80:0:0::1", serial_number="accc8e012345")
    assert same["changed"] is False
    named = dict(CAM1, address="Cam1.Example.com")
    assert plan_for(session_with([named]), id="cam1", address="cam1.example.com.")["changed"] is False
    other = plan_for(session_with([listed]), id="cam1", serial_number="ACCC8E012346")
    assert other["steps"][0]["detail"] == (
        "update external device cam1: serial_number 'AC:CC:8E:01:23:45' -> 'ACCC8E012346'"
    )


def test_cert_validation_without_https_warns(session_with):
    result = plan_for(session_with([CAM1]), id="cam1", cert_validation="limited")
    assert "only rtspsh" in result["warnings"][0]


def test_delete_of_a_used_device_is_refused_naming_the_profiles(session_with):
    used = parse_profile(
        {"@profile": "7", "@diskid": "HDD_DISK", "@eventid": "continuous", "@options": "device=cam1&fps=30"}
    )
    other = parse_profile({"@profile": "8", "@diskid": "HDD_DISK", "@eventid": "continuous", "@options": "device=cam2"})
    error = failure(session_with([CAM1], profiles=[used, other]), id="cam1", state="absent")
    assert error.kind == "refused"
    assert "profile(s) 7 (disk HDD_DISK, event continuous)" in str(error) and "remove_profiles=true" in str(error)
    assert " 8 " not in str(error)
    result = plan_for(session_with([CAM1], profiles=[used, other]), id="cam1", state="absent", remove_profiles=True)
    assert [s["action"] for s in result["steps"]] == ["removeconfiguration", "delete"]
    assert result["external_device"] == {}
    assert plan_for(session_with([], profiles=[used]), id="cam1", state="absent")["changed"] is False


def test_update_of_a_used_device_warns_that_recordings_need_a_restart(session_with):
    used = parse_profile({"@profile": "7", "@diskid": "HDD_DISK", "@options": "device=cam1"})
    result = plan_for(session_with([CAM1], profiles=[used]), id="cam1", device_port=8554)
    assert "profile(s) 7" in result["warnings"][0] and "restart" in result["warnings"][0]
    quiet = plan_for(session_with([CAM1], profiles=[used]), id="cam1", description="only text")
    assert "warnings" not in quiet


@pytest.mark.parametrize(
    "options,expected",
    [
        (dict(id="a b"), "id='a b'"),
        (dict(id="cam&1"), "id='cam&1'"),
        (dict(id="cam1", device_port=70000), "device_port=70000 must be from 0 to 65535"),
        (dict(id="cam1", address="not an address!"), "address='not an address!'"),
        (dict(id="cam1", serial_number="ACCC-8E"), "serial_number='ACCC-8E'"),
        (dict(id="cam1", device_password=""), "device_password is empty"),
    ],
)
def test_bad_input_is_refused_before_any_request(offline_session, options, expected):
    session = offline_session()
    error = failure(session, **options)
    assert error.kind == "input" and expected in str(error)


def test_valid_addresses_and_serials_pass_validation(offline_session):
    for address in ("192.0.2.31", "fe80::1", "cam-1.example.com"):
        ExternalDevice(offline_session(), params(id="x", address=address)).validate()
    for serial in ("ACCC8E012345", "AC:CC:8E:01:23:45", "ac-cc-8e-01-23-45", "B8A44F000001"):
        ExternalDevice(offline_session(), params(id="x", serial_number=serial)).validate()


# --- end to end on the simulator -------------------------------------------------------------

CAMERA, RECORDER = 0, 3


def run(sim, index, check_mode=False, **options):
    sim.clear_log(index)
    result = sim.run(ExternalDevice, index, check_mode=check_mode, **options)
    assert SECRET not in json.dumps(result)
    return result


CREATE = dict(
    id="cam1",
    address="192.0.2.31",
    device_username="rec",
    device_password=SECRET,
    description="Front door",
    events_enabled=True,
)


def test_crud_on_the_recorder(sim):
    checked = run(sim, RECORDER, check_mode=True, **CREATE)
    assert checked["changed"] and sim.written_cgis(RECORDER) == []
    created = run(sim, RECORDER, **CREATE)
    assert created["changed"] and created["external_device"]["events_enabled"] is True
    assert created["requests"] == 6  # list (+ auth challenge), create, seteventsenabled, list, geteventsenabled
    assert sim.written_cgis(RECORDER) == [
        "externalipdeviceinfo/create.cgi",
        "externalipdeviceinfo/seteventsenabled.cgi",
    ]
    create_entry = [e for e in sim.log(RECORDER) if e["cgi"].endswith("create.cgi")][0]
    assert create_entry["method"] == "POST" and create_entry["args"]["password"] == "********"
    stored = sim.device(RECORDER).external_devices["cam1"]
    assert (stored.password, stored.username, stored.events_enabled) == (SECRET, "rec", True)
    again = run(sim, RECORDER, **CREATE)
    assert again["changed"] is False and again["requests"] == 3  # list (+ challenge), geteventsenabled
    new_place = dict(CREATE)
    new_place.update(address="192.0.2.99", device_port=8554)
    moved = run(sim, RECORDER, **new_place)
    assert moved["changed"] and sim.written_cgis(RECORDER) == ["externalipdeviceinfo/update.cgi"]
    assert (stored.address, stored.port) == ("192.0.2.99", 8554)
    deleted = run(sim, RECORDER, id="cam1", state="absent")
    assert deleted["changed"] and "cam1" not in sim.device(RECORDER).external_devices
    assert run(sim, RECORDER, id="cam1", state="absent")["changed"] is False


def test_drift_converges_back(sim):
    run(sim, RECORDER, **CREATE)
    sim.patch(RECORDER, {"external_devices": {"cam1": {"description": "changed", "events_enabled": False}}})
    back = run(sim, RECORDER, **CREATE)
    assert [s["action"] for s in back["steps"]] == ["update", "seteventsenabled"]
    assert run(sim, RECORDER, **CREATE)["changed"] is False


def test_used_device_is_not_deleted_without_opt_in(sim):
    run(sim, RECORDER, **CREATE)
    sim.patch(RECORDER, {"profiles": {"5": {"disk_id": "HDD_DISK", "options": "device=cam1&fps=30"}}})
    refused = run(sim, RECORDER, id="cam1", state="absent")
    assert refused["failed"] and "profile(s) 5" in refused["msg"] and sim.written_cgis(RECORDER) == []
    removed = run(sim, RECORDER, id="cam1", state="absent", remove_profiles=True)
    assert sim.written_cgis(RECORDER) == [
        "record/continuous/removeconfiguration.cgi",
        "externalipdeviceinfo/delete.cgi",
    ]
    assert removed["changed"] and sim.device(RECORDER).profiles == {}


def test_device_error_names_cgi_code_and_description(sim):
    sim.patch(RECORDER, {"max_external_devices": 0})
    result = run(sim, RECORDER, id="cam9")
    assert result["failed"] and result["cgi"] == "externalipdeviceinfo/create.cgi"
    assert result["error_code"] == 30 and result["error_description"] == "Maximum number of devices reached"
    assert result["msg"] == "externalipdeviceinfo/create.cgi: error 30: Maximum number of devices reached"


def test_on_a_camera_the_model_is_named(sim):
    result = run(sim, CAMERA, **CREATE)
    assert result["failed"] and result["error_kind"] == "unsupported"
    assert "AXIS P3268-LVE Dome Camera (firmware 12.11.77) has no External IP Device Information API" in result["msg"]
    assert sim.written_cgis(CAMERA) == []


@pytest.mark.parametrize(
    "name",
    [
        "nas.example.com",
        "cam-1.local.",
        "cam_1",
        "kamera-tür",
        "a" * 63,
        "-cam",
        "cam-",
        "a..b",
        "a" * 64,
        "x" * 254,
        "",
    ],
)
def test_a_camera_address_and_the_device_host_are_one_host_name_check(name):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._api import is_host_name
    from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import valid_address
    from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import connection_error

    as_device_host = connection_error(dict(host=name)) is None
    assert valid_address(name) == is_host_name(name) == as_device_host
