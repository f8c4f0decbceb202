"""param.cgi of the simulated cameras, and its agreement with disks/list.cgi."""

from __future__ import annotations

import pytest

from vapix_sim.http import REGISTRY
from vapix_sim.model import Share


def params(call, device, group=None, user="root", raw=False):
    """List parameters; return ({name: value}, error lines). Names keep their root. prefix;
    one AXIS OS 12 leaves out for a single parameter asked for without it is put back unless
    `raw` (test_single_parameter_named_as_asked_on_axis_os_12 checks the quirk itself)."""
    args = {"action": "list"}
    if group is not None:
        args["group"] = group
    reply = call(device, "param.cgi", user=user, **args)
    assert reply.status == 200
    assert reply.reply.content_type.startswith("text/plain")
    values, errors = {}, []
    for line in reply.text.splitlines():
        if line.startswith("# Error"):
            errors.append(line)
            continue
        name, _, value = line.partition("=")
        if not raw and not name.startswith("root."):
            name = "root." + name
        values[name] = value
    return values, errors


def update(call, device, user="root", **changes):
    return call(device, "param.cgi", user=user, action="update", **changes).text


def listed(call, device):
    doc = call(device, "disks/list.cgi", diskid="all").doc
    disks = doc["root"]["disks"]["disk"]
    return {d["@diskid"]: d for d in (disks if isinstance(disks, list) else [disks])}


def test_registration():
    spec = REGISTRY["/axis-cgi/param.cgi"]
    assert spec.profiles == ("camera",)
    assert spec.role == "viewer"
    assert spec.is_write({"action": "update"}) is True
    assert spec.is_write({"action": "list"}) is False


def test_recorder_has_no_param_cgi(recorder, call):
    reply = call(recorder, "param.cgi", action="list", group="Brand")
    assert reply.status == 404


def test_brand(camera, call):
    values, errors = params(call, camera, "Brand")
    assert errors == []
    assert values == {
        "root.Brand.Brand": "AXIS",
        "root.Brand.ProdFullName": "AXIS P3268-LVE Dome Camera",
        "root.Brand.ProdNbr": "P3268-LVE",
        "root.Brand.ProdShortName": "AXIS P3268-LVE",
        "root.Brand.ProdType": "Dome Camera",
        "root.Brand.ProdVariant": "",
        "root.Brand.WebURL": "http://www.axis.com",
    }


def test_root_prefix_is_optional_in_request(camera, call):
    assert params(call, camera, "root.Brand") == params(call, camera, "Brand")


def test_single_parameter(camera, call):
    values, _ = params(call, camera, "Properties.Firmware.Version")
    assert values == {"root.Properties.Firmware.Version": "12.11.77"}
    values, _ = params(call, camera, "root.Properties.System.SerialNumber")
    assert values == {"root.Properties.System.SerialNumber": camera.serial}


def test_local_storage_properties(camera, camera2, call):
    values, _ = params(call, camera, "Properties.LocalStorage")
    for flag in (
        "AutoRepair",
        "ContinuousRecording",
        "DiskEncryption",
        "DiskHealth",
        "ExportRecording",
        "FailOverRecording",
        "LocalStorage",
        "RequiredFileSystem",
        "SDCard",
        "StorageLimit",
    ):
        assert values["root.Properties.LocalStorage." + flag] == "yes"
    assert values["root.Properties.LocalStorage.Version"] == "1.00"
    assert values["root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles"] == "1"
    values, _ = params(call, camera2, "Properties.LocalStorage.NbrOfContinuousRecordingProfiles")
    assert values == {"root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles": "2"}


def test_network_share_properties(camera, call):
    values, _ = params(call, camera, "Properties.NetworkShare")
    assert values == {
        "root.Properties.NetworkShare.%s" % k: "yes" for k in ("CIFS", "IPV6", "NameLookup", "NetworkShare")
    }


def test_storage_groups(camera2, call):
    values, _ = params(call, camera2, "Storage")
    assert values["root.Storage.MountDir"] == "/var/spool/storage"
    assert values["root.Storage.S0.DiskID"] == "SD_DISK"
    assert values["root.Storage.S0.DeviceNode"] == "/dev/mmcblk0p1"
    assert values["root.Storage.S1.DiskID"] == "SD_DISK2"
    assert values["root.Storage.S1.DeviceNode"] == "/dev/sd_disk2"
    assert values["root.Storage.S2.DiskID"] == "NetworkShare"
    assert values["root.Storage.S2.DeviceNode"] == "NetworkShare:/com/axis/NetworkShare/Device/0"
    assert values["root.Storage.S2.FileSystem"] == "cifs"
    assert values["root.Storage.S0.MountPointPermissions"] == "0770"
    names = {k.split(".", 3)[3] for k in values if k.startswith("root.Storage.S0.")}
    assert names == {
        "AutoRepair",
        "CleanupLevel",
        "CleanupMaxAge",
        "CleanupPolicyActive",
        "DeviceNode",
        "DiskID",
        "Enabled",
        "ExtraMountOptions",
        "FileSystem",
        "FriendlyName",
        "Locked",
        "MountOnBoot",
        "MountPointPermissions",
        "RequiredFileSystem",
    }


def test_output_order_leaves_before_subgroups(camera, call):
    reply = call(camera, "param.cgi", action="list", group="Storage")
    names = [line.partition("=")[0] for line in reply.text.splitlines()]
    assert names[0] == "root.Storage.MountDir"
    s0 = [n for n in names if n.startswith("root.Storage.S0.")]
    assert s0 == sorted(s0, key=str.casefold)
    assert names.index("root.Storage.S0.RequiredFileSystem") < names.index("root.Storage.S1.AutoRepair")


def test_single_parameter_named_as_asked_on_axis_os_12(camera, camera980, call):
    """The 12.11 capture (param_list_mixed_error.txt): parameters asked for by name without
    `root.` come back without it, around an error line; groups keep the prefix."""
    reply = call(camera, "param.cgi", action="list", group="Brand.ProdNbr,Does.Not.Exist,Properties.Firmware.Version")
    assert reply.text.splitlines() == [
        "Brand.ProdNbr=P3268-LVE",
        "# Error: Error -1 getting param in group 'Does.Not.Exist'",
        "Properties.Firmware.Version=12.11.77",
    ]
    values, _ = params(call, camera, "root.Brand.ProdNbr,Storage.S0", raw=True)
    assert "root.Brand.ProdNbr" in values and "root.Storage.S0.DiskID" in values
    values, _ = params(call, camera980, "Brand.ProdNbr", raw=True)
    assert values == {"root.Brand.ProdNbr": "P1448-LE"}


def test_unknown_group_gives_error_line_and_others_still_listed(camera, call):
    values, errors = params(call, camera, "Brand.ProdNbr,Nope.Thing,root.Missing")
    assert values == {"root.Brand.ProdNbr": "P3268-LVE"}
    assert errors == [
        "# Error: Error -1 getting param in group 'Nope.Thing'",
        "# Error: Error -1 getting param in group 'root.Missing'",
    ]


def test_group_names_are_case_sensitive(camera, call):
    values, errors = params(call, camera, "brand")
    assert values == {} and len(errors) == 1


def test_list_without_group_lists_everything(camera, call):
    values, errors = params(call, camera)
    assert errors == []
    assert "root.Brand.ProdNbr" in values and "root.Storage.S0.DiskID" in values
    assert values["root.Recording.DefaultDiskId"] == "SD_DISK"
    assert values["root.Recording.DefaultSplitDuration"] == "300"


def test_invalid_action(camera, call):
    text = call(camera, "param.cgi", action="delete").text
    assert text.startswith("# Error:")
    assert call(camera, "param.cgi").text.startswith("# Error:")


# --- agreement with disks/list.cgi ------------------------------------------------------------

PARAM_TO_LIST = {
    "DiskID": "diskid",
    "FriendlyName": "name",
    "CleanupMaxAge": "cleanupmaxage",
    "CleanupPolicyActive": "cleanuppolicy",
    "Locked": "locked",
    "FileSystem": "filesystem",
    "RequiredFileSystem": "requiredfilesystem",
}


def assert_agreement(call, device):
    values, _ = params(call, device, "Storage")
    disks = listed(call, device)
    assert len(disks) == len(device.disks)
    for disk in disks.values():
        group = disk["@group"]
        for param, attribute in PARAM_TO_LIST.items():
            assert values["root.Storage.%s.%s" % (group, param)] == disk["@" + attribute], (group, param)


def test_param_and_list_agree_initially(camera, camera2, call):
    assert_agreement(call, camera)
    assert_agreement(call, camera2)


def test_param_updates_show_in_list(camera, call):
    assert (
        update(
            call,
            camera,
            **{
                "Storage.S0.FriendlyName": "My SD card",
                "root.Storage.S0.CleanupMaxAge": "30",
                "Storage.S0.CleanupPolicyActive": "none",
                "Storage.S0.Locked": "yes",
                "Storage.S0.RequiredFileSystem": "ext4",
                "Storage.S1.FriendlyName": "NAS slot",
            },
        )
        == "OK\n"
    )
    sd = listed(call, camera)["SD_DISK"]
    assert (sd["@name"], sd["@cleanupmaxage"], sd["@cleanuppolicy"], sd["@locked"], sd["@requiredfilesystem"]) == (
        "My SD card",
        "30",
        "none",
        "yes",
        "ext4",
    )
    assert listed(call, camera)["NetworkShare"]["@name"] == "NAS slot"
    assert_agreement(call, camera)
    # Locked through param.cgi protects the disk like lock.cgi does.
    job = call(camera, "disks/format.cgi", diskid="SD_DISK").doc["root"]["job"]
    assert job["@result"] == "ERROR"


def test_api_changes_show_in_param(camera, call):
    call(camera, "disks/lock.cgi", action="lock", diskid="SD_DISK")
    call(camera, "disks/properties/setcleanupmaxage.cgi", schemaversion="1", diskid="SD_DISK", maxage="90")
    call(camera, "disks/properties/setrequiredfs.cgi", schemaversion="1", diskid="SD_DISK", filesystem="ext4")
    values, _ = params(call, camera, "Storage.S0")
    assert (
        values["root.Storage.S0.Locked"],
        values["root.Storage.S0.CleanupMaxAge"],
        values["root.Storage.S0.RequiredFileSystem"],
    ) == ("yes", "90", "ext4")
    assert_agreement(call, camera)


def test_cleanup_level_is_stored_but_list_reports_fixed_value(camera, call):
    assert update(call, camera, **{"Storage.S0.CleanupLevel": "80"}) == "OK\n"
    values, _ = params(call, camera, "Storage.S0.CleanupLevel")
    assert values == {"root.Storage.S0.CleanupLevel": "80"}
    assert listed(call, camera)["SD_DISK"]["@cleanuplevel"] == "99"


def test_other_storage_params_are_stored(camera, call):
    assert (
        update(
            call,
            camera,
            **{
                "Storage.S0.AutoRepair": "no",
                "Storage.S0.Enabled": "no",
                "Storage.S0.MountOnBoot": "no",
                "Storage.S0.ExtraMountOptions": "vers=3.0",
                "Storage.S0.MountPointPermissions": "0750",
            },
        )
        == "OK\n"
    )
    disk = camera.disks["SD_DISK"]
    assert (disk.auto_repair, disk.enabled, disk.mount_on_boot) == (False, False, False)
    assert (disk.extra_mount_options, disk.mount_point_permissions) == ("vers=3.0", "0750")


# --- update errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [
        ("Storage.S0.DiskID", "OTHER"),
        ("Storage.S0.DeviceNode", "/dev/sdz"),
        ("Storage.S0.FileSystem", "ext4"),
        ("Storage.S0.Locked", "maybe"),
        ("Storage.S0.CleanupMaxAge", "7001"),
        ("Storage.S0.CleanupMaxAge", "-1"),
        ("Storage.S0.CleanupLevel", "100"),
        ("Storage.S0.CleanupPolicyActive", "lifo"),
        ("Storage.S0.RequiredFileSystem", "vfat"),
        ("Storage.S1.RequiredFileSystem", "ext4"),  # the NetworkShare slot
        ("Storage.S0.MountPointPermissions", "rwx"),
        ("Storage.S0.FriendlyName", "two\nlines"),
        ("Storage.S9.FriendlyName", "x"),
        ("Brand.ProdNbr", "X"),
        ("Properties.Firmware.Version", "99"),
        ("Nope", "1"),
    ],
)
def test_update_refused(camera, call, name, value):
    before = listed(call, camera)
    text = update(call, camera, **{name: value})
    assert text == "# Error: Error setting 'root.%s' to '%s'!\n" % (name, value)
    assert listed(call, camera) == before


def test_update_is_all_or_nothing(camera, call):
    text = update(
        call, camera, **{"Storage.S0.FriendlyName": "x", "Storage.S0.DiskID": "y", "Storage.S0.Locked": "nah"}
    )
    assert text.splitlines() == [
        "# Error: Error setting 'root.Storage.S0.DiskID' to 'y'!",
        "# Error: Error setting 'root.Storage.S0.Locked' to 'nah'!",
    ]
    assert camera.disks["SD_DISK"].friendly_name == ""


def test_update_error_keeps_root_prefix_once(camera, call):
    text = update(call, camera, **{"root.Storage.S0.DiskID": "y"})
    assert text == "# Error: Error setting 'root.Storage.S0.DiskID' to 'y'!\n"


# --- roles ----------------------------------------------------------------------------------


def test_viewer_reads_brand_but_not_storage(camera, call):
    values, errors = params(call, camera, "Brand.ProdNbr,Storage", user="viewer")
    assert values == {"root.Brand.ProdNbr": "P3268-LVE"}
    assert errors == ["# Error: Error -1 getting param in group 'Storage'"]
    values, _ = params(call, camera, user="viewer")
    assert not any(name.startswith("root.Storage.") for name in values)


def test_operator_reads_storage(camera, call):
    values, errors = params(call, camera, "Storage.S0.DiskID", user="operator")
    assert values == {"root.Storage.S0.DiskID": "SD_DISK"} and errors == []


def test_write_levels(camera, call):
    name = {"Storage.S0.FriendlyName": "op"}
    assert update(call, camera, user="viewer", **name).startswith("# Error")
    assert update(call, camera, user="operator", **name) == "OK\n"
    assert update(call, camera, user="operator", **{"Storage.S0.Locked": "yes"}).startswith("# Error")
    assert not camera.disks["SD_DISK"].locked
    assert update(call, camera, user="root", **{"Storage.S0.Locked": "yes"}) == "OK\n"
    assert camera.disks["SD_DISK"].locked


def test_recording_default_disk(camera, call):
    assert update(call, camera, user="operator", **{"Recording.DefaultDiskId": "NetworkShare"}) == "OK\n"
    values, _ = params(call, camera, "Recording", user="viewer")
    assert values == {"root.Recording.DefaultDiskId": "NetworkShare", "root.Recording.DefaultSplitDuration": "300"}
    assert camera.params["Recording.DefaultDiskId"] == "NetworkShare"
    assert update(call, camera, **{"Recording.DefaultSplitDuration": "abc"}).startswith("# Error")


# --- network shares -------------------------------------------------------------------------


def test_network_share_params_mirror_shares(camera, call):
    values, errors = params(call, camera, "NetworkShare")
    assert values == {} and len(errors) == 1  # no share configured
    camera.shares["35419"] = Share("35419", "My Share", "mynas", "myshare", user="nasuser", password="pass")
    values, _ = params(call, camera, "NetworkShare")
    assert values == {
        "root.NetworkShare.N0.Address": "mynas",
        "root.NetworkShare.N0.Name": "My Share",
        "root.NetworkShare.N0.Password": "******",
        "root.NetworkShare.N0.Port": "",
        "root.NetworkShare.N0.Share": "myshare",
        "root.NetworkShare.N0.ShareId": "35419",
        "root.NetworkShare.N0.Username": "nasuser",
    }
    assert "pass" not in call(camera, "param.cgi", action="list").text.replace("Password", "")
    # Credentials: admin only; shares change through the Network share API.
    values, _ = params(call, camera, "NetworkShare", user="operator")
    assert values == {}
    assert update(call, camera, **{"NetworkShare.N0.Address": "other"}).startswith("# Error")
    assert camera.shares["35419"].address == "mynas"


def test_control_endpoint_params_are_listed(camera, call):
    camera.params["Time.POSIXTimeZone"] = "UTC"
    camera.params["Properties.Custom.Thing"] = "yes"
    values, _ = params(call, camera, "Time")
    assert values == {"root.Time.POSIXTimeZone": "UTC"}
    assert update(call, camera, **{"Time.POSIXTimeZone": "CET-1"}) == "OK\n"
    assert camera.params["Time.POSIXTimeZone"] == "CET-1"
    assert update(call, camera, **{"Properties.Custom.Thing": "no"}).startswith("# Error")
