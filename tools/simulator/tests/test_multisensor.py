"""Multi-sensor cameras (--sensors N): one continuous recording profile per video channel,
selected by the stream option camera=N; the capacity counts per channel."""

from __future__ import annotations

import pytest

from vapix_sim.model import make_camera

RC = "record/continuous/"
CAPACITY = "Max number of configurations already configured"


def add(call, device, options, diskid="SD_DISK", **extra):
    return call(device, RC + "addconfiguration.cgi", diskid=diskid, options=options, **extra).doc["root"]["configure"]


def test_four_sensors_hold_one_profile_each_on_the_same_disk_and_event(call, multisensor):
    for channel in range(1, 5):
        added = add(call, multisensor, "camera=%d&resolution=1920x1080" % channel)
        assert added["@result"] == "OK"
    assert sorted(p.options for p in multisensor.profiles.values()) == [
        "camera=%d&resolution=1920x1080" % n for n in range(1, 5)
    ]
    assert {(p.disk_id, p.event_id) for p in multisensor.profiles.values()} == {("SD_DISK", "continuous")}
    refused = add(call, multisensor, "camera=3&fps=10")
    assert refused == {"@result": "ERROR", "@errormsg": CAPACITY}
    assert len(multisensor.profiles) == 4


def test_a_profile_without_camera_records_channel_1(call, multisensor):
    assert add(call, multisensor, "fps=15")["@result"] == "OK"
    assert add(call, multisensor, "camera=1&fps=30") == {"@result": "ERROR", "@errormsg": CAPACITY}
    assert add(call, multisensor, "camera=2&fps=30")["@result"] == "OK"


def test_removing_a_profile_frees_its_channel_only(call, multisensor):
    first = add(call, multisensor, "camera=1")["@profile"]
    add(call, multisensor, "camera=2")
    call(multisensor, RC + "removeconfiguration.cgi", profile=first)
    assert add(call, multisensor, "camera=2&fps=5")["@errormsg"] == CAPACITY
    assert add(call, multisensor, "camera=1&fps=5")["@result"] == "OK"


@pytest.mark.parametrize("value", ["0", "5", "-1", "two", ""])
def test_camera_is_validated_against_the_channel_count(call, multisensor, value):
    refused = add(call, multisensor, "camera=%s&fps=5" % value)
    assert refused["@result"] == "ERROR"
    assert refused["@errormsg"] == ("Invalid stream option camera=%s: the device has 4 video channels" % value)
    assert multisensor.profiles == {}


def test_single_sensor_camera_has_only_channel_1(call, camera):
    assert add(call, camera, "camera=2")["@errormsg"] == (
        "Invalid stream option camera=2: the device has 1 video channel"
    )
    assert add(call, camera, "camera=1")["@result"] == "OK"
    assert add(call, camera, "fps=1")["@errormsg"] == CAPACITY


def test_capacity_is_per_channel_on_a_dual_slot_multisensor_camera(call, clock):
    device = make_camera(7, 8007, second_sd=True, sensors=2)
    device.clock = clock
    for channel, disk in ((1, "SD_DISK"), (1, "SD_DISK2"), (2, "SD_DISK"), (2, "SD_DISK2")):
        assert add(call, device, "camera=%d" % channel, diskid=disk)["@result"] == "OK"
    assert add(call, device, "camera=2&fps=1")["@errormsg"] == CAPACITY


def test_channel_count_in_param_cgi(call, camera, multisensor):
    def lines(device):
        return call(device, "param.cgi", action="list", group="root.ImageSource").text.splitlines()

    assert lines(camera) == ["root.ImageSource.NbrOfSources=1", "root.ImageSource.I0.Name=Camera"]
    assert lines(multisensor) == ["root.ImageSource.NbrOfSources=4"] + [
        "root.ImageSource.I%d.Name=Camera %d" % (n, n + 1) for n in range(4)
    ]
    assert call(
        multisensor, "param.cgi", action="list", group="Properties.LocalStorage.NbrOfContinuousRecordingProfiles"
    ).text == ("Properties.LocalStorage.NbrOfContinuousRecordingProfiles=1\n")
    assert (multisensor.model, multisensor.sensors) == ("P3719-PLE", 4)


def test_recorder_ignores_camera_and_counts_the_whole_device(call, recorder):
    from vapix_sim.model import ExternalDevice

    recorder.external_devices["cam1"] = ExternalDevice("cam1", address="192.0.2.10")
    recorder.max_profiles = 2
    assert add(call, recorder, "device=cam1&camera=3", diskid="HDD_DISK")["@result"] == "OK"
    assert add(call, recorder, "device=cam1&camera=1", diskid="HDD_DISK")["@result"] == "OK"
    assert add(call, recorder, "device=cam1&camera=2", diskid="HDD_DISK")["@errormsg"] == CAPACITY
