"""Continuous recording profile handlers."""

from __future__ import annotations

from vapix_sim.http import REGISTRY
from vapix_sim.model import ExternalDevice

RC = "record/continuous/"
OPTIONS = "resolution=1920x1080&fps=30"


def configure(result) -> dict:
    return result.doc["root"]["configure"]


def profiles(call, device, **args) -> list:
    body = call(device, RC + "listconfiguration.cgi", **args).doc["root"]
    listed = body["continuousrecordingconfigurations"]
    if not listed:
        return []
    items = listed["continuousrecordingconfiguration"]
    return items if isinstance(items, list) else [items]


def test_overlay_text_options_are_kept_and_listed_as_sent(call, camera):
    # text overlay options (docs/spec-choices/shares-recording.md): stored as received, text and
    # all, and listed XML-escaped; quotes, '<', braces and '%' come back unchanged
    options = (
        'text=1&textstring=Lobby <1> "A" {{TODO}} {#2} %F&textcolor=white&textbackgroundcolor=semitransparent'
        "&textpos=bottom&clock=1&date=1&fps=15"
    )
    assert configure(call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=options))["@result"] == "OK"
    assert profiles(call, camera)[0]["@options"] == options
    assert "textstring=Lobby &lt;1&gt; " in call(camera, RC + "listconfiguration.cgi").text


def test_roles_and_write_flags():
    expected = {
        "addconfiguration": ("operator", True),
        "listconfiguration": ("viewer", False),
        "removeconfiguration": ("operator", True),
    }
    for name, (role, write) in expected.items():
        spec = REGISTRY["/axis-cgi/record/continuous/%s.cgi" % name]
        assert (spec.role, spec.is_write({})) == (role, write)


def test_add_list_remove(call, camera):
    added = call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=OPTIONS)
    assert (
        'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/recording/'
        'continuousconfigurationadd1.xsd"' in added.text
    )
    assert configure(added) == {"@profile": "1", "@result": "OK"}
    listed = profiles(call, camera, user="viewer")
    assert listed == [{"@profile": "1", "@diskid": "SD_DISK", "@options": OPTIONS, "@eventid": "continuous"}]
    # the option string is XML-escaped on the wire and decoded by parsers
    assert 'options="resolution=1920x1080&amp;fps=30"' in call(camera, RC + "listconfiguration.cgi").text
    removed = call(camera, RC + "removeconfiguration.cgi", profile="1").doc["root"]["remove"]
    assert removed == {"@profile": "1", "@result": "OK"}
    assert camera.profiles == {}
    assert profiles(call, camera) == []


def test_ids_keep_increasing_and_profiles_are_immutable(call, camera2):
    first = configure(call(camera2, RC + "addconfiguration.cgi", diskid="SD_DISK", options="camera=1"))["@profile"]
    second = configure(
        call(camera2, RC + "addconfiguration.cgi", diskid="SD_DISK2", options="camera=1&fps=10", eventid="cam2")
    )["@profile"]
    assert (first, second) == ("1", "2")
    call(camera2, RC + "removeconfiguration.cgi", profile="1")
    third = configure(call(camera2, RC + "addconfiguration.cgi", diskid="SD_DISK", options="camera=1&fps=15"))[
        "@profile"
    ]
    assert third == "3"
    assert [p["@profile"] for p in profiles(call, camera2)] == ["2", "3"]
    assert profiles(call, camera2, profile="2")[0]["@eventid"] == "cam2"
    # no CGI changes a profile: the old one is gone, the new one is separate
    assert sorted(camera2.profiles) == [2, 3]


def test_capacity_is_max_profiles(call, camera):
    assert configure(call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=OPTIONS))["@result"] == "OK"
    refused = configure(call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=OPTIONS))
    assert refused == {"@result": "ERROR", "@errormsg": "Max number of configurations already configured"}
    assert "@profile" not in refused
    assert len(camera.profiles) == 1 and camera.next_profile_id == 2


def test_add_errors(call, camera):
    for args in (
        {"options": OPTIONS},
        {"diskid": "SD_DISK"},
        {"diskid": "SD_DISK", "options": ""},
        {"diskid": "NOPE", "options": OPTIONS},
        {"diskid": "SD_DISK", "options": "=x&fps=1"},
    ):
        result = configure(call(camera, RC + "addconfiguration.cgi", **args))
        assert result["@result"] == "ERROR" and result["@errormsg"], args
    assert camera.profiles == {} and camera.next_profile_id == 1


def test_absent_or_unmounted_disk_is_accepted(call, camera):
    # The spec starts the recording "when possible": an unbound share disk is fine.
    assert not camera.disks["NetworkShare"].present
    result = configure(
        call(camera, RC + "addconfiguration.cgi", diskid="NetworkShare", options=OPTIONS, eventid="continuous_nas")
    )
    assert result["@result"] == "OK"
    assert camera.profiles[1].event_id == "continuous_nas"


def test_empty_eventid_means_the_default(call, camera):
    call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=OPTIONS, eventid="")
    assert camera.profiles[1].event_id == "continuous"


def test_list_filter(call, camera):
    call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options=OPTIONS)
    assert len(profiles(call, camera, profile="1")) == 1
    assert profiles(call, camera, profile="7") == []
    assert profiles(call, camera, profile="abc") == []
    assert len(profiles(call, camera, profile="")) == 1


def test_remove_errors(call, camera):
    missing = call(camera, RC + "removeconfiguration.cgi").doc["root"]["remove"]
    assert missing["@result"] == "ERROR" and missing["@errormsg"]
    unknown = call(camera, RC + "removeconfiguration.cgi", profile="9").doc["root"]["remove"]
    assert unknown["@profile"] == "9" and unknown["@result"] == "ERROR"
    bad = call(camera, RC + "removeconfiguration.cgi", profile="x").doc["root"]["remove"]
    assert bad["@result"] == "ERROR"


def test_recorder_profile_needs_an_existing_device(call, recorder):
    base = "resolution=1920x1080&fps=30&videokeyframeinterval=64&audio=0&video=1"
    no_device = configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options=base))
    assert no_device["@result"] == "ERROR" and "device" in no_device["@errormsg"]
    unknown = configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options="device=cam1&" + base))
    assert unknown["@result"] == "ERROR" and "cam1" in unknown["@errormsg"]
    recorder.external_devices["cam1"] = ExternalDevice(dev_id="cam1")
    empty = configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options="device=&" + base))
    assert empty["@result"] == "ERROR"
    ok = configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options="device=cam1&" + base))
    assert ok == {"@profile": "1", "@result": "OK"}
    assert recorder.profiles[1].options == "device=cam1&" + base


def test_camera_ignores_a_device_option(call, camera):
    result = configure(call(camera, RC + "addconfiguration.cgi", diskid="SD_DISK", options="device=whatever"))
    assert result["@result"] == "OK"


def test_recorder_capacity(call, recorder):
    recorder.external_devices["cam1"] = ExternalDevice(dev_id="cam1")
    for _ in range(recorder.max_profiles):
        assert (
            configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options="device=cam1"))["@result"]
            == "OK"
        )
    assert (
        configure(call(recorder, RC + "addconfiguration.cgi", diskid="HDD_DISK", options="device=cam1"))["@result"]
        == "ERROR"
    )
