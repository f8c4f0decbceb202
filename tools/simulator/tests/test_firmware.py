"""Firmware generation presets (--firmware): which APIs exist and what param.cgi and
disks/list.cgi hold on 12.11, 9.80 and 5.51. Shape comparisons with the real captures are in
test_captures.py."""

from __future__ import annotations

import pytest

from vapix_sim.firmware import FIRMWARES, parse_firmware_list
from vapix_sim.fleet import Fleet, FleetConfig
from vapix_sim.model import Device


def param_lines(call, device, group):
    return call(device, "param.cgi", action="list", group=group).text.splitlines()


def listed(call, device):
    doc = call(device, "disks/list.cgi", diskid="all").doc
    disks = doc["root"]["disks"]["disk"]
    return {d["@diskid"]: d for d in (disks if isinstance(disks, list) else [disks])}


ABSENT_ON_551 = [
    ("apidiscovery.cgi", {}),
    ("basicdeviceinfo.cgi", {}),
    ("disks/properties/setrequiredfs.cgi", {"schemaversion": "1", "diskid": "SD_DISK", "filesystem": "ext4"}),
    ("disks/properties/enablediskencryption.cgi", {"schemaversion": "1", "diskid": "SD_DISK", "passphrase": "x"}),
    ("disks/properties/schemaversions.cgi", {}),
    ("record/storage/getlimit.cgi", {"schemaversion": "1"}),
    ("record/storage/setlimit.cgi", {"schemaversion": "1", "diskid": "SD_DISK", "maxsize": "100"}),
    ("disks/gethealth.cgi", {"diskid": "SD_DISK"}),
]


@pytest.mark.parametrize("path, args", ABSENT_ON_551)
def test_firmware_551_lacks_the_newer_apis(call, camera551, camera980, path, args):
    gone = call(camera551, path, **args)
    assert gone.status == 404
    assert "The requested URL /axis-cgi/%s was not found on this server." % path in gone.text
    assert call(camera980, path, **args).status == 200


@pytest.mark.parametrize(
    "path",
    [
        "disks/list.cgi",
        "disks/getcapabilities.cgi",
        "disks/job.cgi",
        "disks/networkshare/list.cgi",
        "param.cgi",
        "record/continuous/listconfiguration.cgi",
    ],
)
def test_firmware_551_keeps_the_old_apis(call, camera551, path):
    assert call(camera551, path, action="list", diskid="SD_DISK").status == 200


def test_local_storage_properties_per_generation(call, camera, camera980, camera551):
    def flags(device):
        prefix = "root.Properties.LocalStorage."
        return {line.split("=")[0][len(prefix) :] for line in param_lines(call, device, "Properties.LocalStorage")}

    full = {
        "AutoRepair",
        "ContinuousRecording",
        "DiskEncryption",
        "DiskHealth",
        "ExportRecording",
        "FailOverRecording",
        "LocalStorage",
        "NbrOfContinuousRecordingProfiles",
        "RequiredFileSystem",
        "SDCard",
        "StorageLimit",
        "Version",
    }
    assert flags(camera) == flags(camera980) == full
    assert flags(camera551) == {
        "ContinuousRecording",
        "FailOverRecording",
        "LocalStorage",
        "NbrOfContinuousRecordingProfiles",
        "SDCard",
        "Version",
    }


def test_identity_is_in_param_cgi_on_every_generation(call, camera, camera980, camera551):
    for device, version in ((camera, "12.11.77"), (camera980, "9.80.2.2"), (camera551, "5.51.7")):
        lines = param_lines(call, device, "root.Brand,root.Properties.Firmware")
        assert "root.Properties.Firmware.Version=%s" % version in lines
        assert "root.Brand.ProdShortName=AXIS %s" % device.model in lines
        assert "root.Brand.ProdNbr=%s" % device.model in lines
    assert camera551.full_name == "AXIS P5512 PTZ Dome Network Camera"


def test_storage_group_keys_and_order_on_551(call, camera551):
    keys = [line.split("=")[0].split(".")[-1] for line in param_lines(call, camera551, "Storage.S0")]
    assert keys == [
        "DiskID",
        "FriendlyName",
        "DeviceNode",
        "CleanupLevel",
        "CleanupMaxAge",
        "CleanupPolicyActive",
        "FileSystem",
        "Locked",
        "MountOnBoot",
    ]
    # Parameters the generation does not have cannot be set either.
    reply = call(camera551, "param.cgi", action="update", **{"Storage.S0.AutoRepair": "no"})
    assert reply.text.startswith("# Error")


def test_disk_list_attributes_per_generation(call, camera, camera551):
    new = listed(call, camera)["SD_DISK"]
    old = listed(call, camera551)["SD_DISK"]
    assert list(new)[-3:] == ["@requiredfilesystem", "@encryptionenabled", "@diskencrypted"]
    assert list(old) == list(new)[:13] and list(old)[-1] == "@group"


def test_disk_list_whitespace_is_the_real_one(call, camera):
    text = call(camera, "disks/list.cgi", diskid="all").text
    assert '<disks numberofdisks="2" >  <disk diskid="SD_DISK"' in text
    assert '/>\n  <disk diskid="NetworkShare"' in text
    assert text.endswith("/>\n</disks> </root>\n")


def test_unbound_share_lists_cleanup_level_90_on_axis_os_12(call, camera, camera980):
    share = listed(call, camera)["NetworkShare"]
    assert (share["@status"], share["@totalsize"], share["@freesize"], share["@cleanuplevel"]) == (
        "disconnected",
        "0",
        "0",
        "90",
    )
    assert listed(call, camera)["SD_DISK"]["@cleanuplevel"] == "99"
    assert listed(call, camera980)["NetworkShare"]["@cleanuplevel"] == "99"


def test_bound_share_has_a_network_share_n0_group_on_980(call, camera, camera980):
    for device in (camera, camera980):
        device.disks["NetworkShare"].present = True
        device.disks["NetworkShare"].mounted = True
    lines = param_lines(call, camera980, "Storage")
    assert "root.Storage.S2.DiskID=NetworkShareN0" in lines
    assert "root.Storage.S2.FriendlyName=NetworkShareN0" in lines
    assert "root.Storage.S2.DeviceNode=NetworkShare:/com/axis/NetworkShare/Device/0" in lines
    assert not any(line.startswith("root.Storage.S2.") for line in param_lines(call, camera, "Storage"))
    # list.cgi does not show it (the 9.80 capture lists two disks)
    assert set(listed(call, camera980)) == {"SD_DISK", "NetworkShare"}
    camera980.disks["NetworkShare"].present = False
    assert "root.Storage.S2.DiskID=NetworkShareN0" not in param_lines(call, camera980, "Storage")


def test_firmware_list_parsing():
    assert parse_firmware_list("12.11") == ["12.11"]
    assert parse_firmware_list(" 12.11, 9.80,5.51 ") == ["12.11", "9.80", "5.51"]
    for bad in ("", "12", "12.11;9.80", "9.80,"):
        with pytest.raises(ValueError, match="firmware must be one of"):
            parse_firmware_list(bad)
    assert list(FIRMWARES) == ["12.11", "9.80", "5.51"]


def test_fleet_cycles_firmware_and_recorders_follow_it():
    config = FleetConfig(devices=5, profile="mixed", firmware="9.80,12.11")
    fleet = Fleet(config, list(range(9001, 9006)))
    assert [(n.device.profile, n.device.firmware_key) for n in fleet.nodes] == [
        ("camera", "9.80"),
        ("camera", "12.11"),
        ("camera", "9.80"),
        ("recorder", "12.11"),
        ("camera", "9.80"),
    ]
    # a reset keeps the device's generation
    fleet.nodes[0].device.firmware_key = "5.51"
    fleet.nodes[0].reset()
    assert fleet.nodes[0].device.firmware_key == "9.80"


def test_state_round_trip_keeps_firmware_and_sensors():
    config = FleetConfig(devices=1, firmware="5.51", sensors=3)
    device = Fleet(config, [9001]).nodes[0].device
    again = Device.from_dict(device.to_dict())
    assert (again.firmware_key, again.sensors, again.fw.key) == ("5.51", 3, "5.51")
