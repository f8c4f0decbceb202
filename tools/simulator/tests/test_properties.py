"""Disk properties API (disks/properties/*.cgi) of the simulator, called directly."""

from __future__ import annotations

import pytest

from vapix_sim.http import REGISTRY
from vapix_sim.model import JOB_SECONDS

NAMESPACE = "http://www.axis.com/vapix/http_cgi/disks/properties1"
SCHEMA_LOCATION = NAMESPACE + " http://www.axis.com/vapix/http_cgi/disks/properties/disk_properties1.xsd"

# Every CGI that takes schemaversion, with arguments that would otherwise succeed on a
# factory camera whose SD card has been unmounted.
VALID_CALLS = {
    "setrequiredfs.cgi": {"diskid": "SD_DISK", "filesystem": "ext4"},
    "enablediskencryption.cgi": {"diskid": "SD_DISK", "passphrase": "secret"},
    "disablediskencryption.cgi": {"diskid": "SD_DISK"},
    "setcleanupmaxage.cgi": {"diskid": "SD_DISK", "maxage": "30"},
    "setcleanuppolicy.cgi": {"diskid": "SD_DISK", "cleanuppolicy": "none"},
    "setdiskalertlevels.cgi": {"diskid": "SD_DISK", "wear": "80"},
    "getdiskalertlevels.cgi": {"diskid": "SD_DISK"},
}


def props(call, device, cgi, schemaversion="1", **args):
    if schemaversion is not None:
        args["schemaversion"] = schemaversion
    reply = call(device, "disks/properties/" + cgi, **args)
    assert reply.status == 200
    assert reply.reply.content_type == "text/xml"
    return reply


def code_of(reply):
    """The ErrorCode of an error answer, or None for a success."""
    root = reply.doc["DiskPropertiesResponse"]
    if "Success" in root:
        return None
    return int(root["Error"]["GeneralError"]["ErrorCode"])


def ok(reply):
    root = reply.doc["DiskPropertiesResponse"]
    assert "Error" not in root, reply.text
    return root


def listed(call, device, diskid="SD_DISK"):
    return call(device, "disks/list.cgi", diskid=diskid).doc["root"]["disks"]["disk"]


def run_job(call, device, clock, path, **args):
    job = call(device, "disks/" + path, **args).doc["root"]["job"]
    assert job["@result"] == "OK", job
    clock.advance(max(JOB_SECONDS.values()) + 1)
    done = call(device, "disks/job.cgi", jobid=job["@jobid"], diskid=args["diskid"])
    return done.doc["root"]["job"]


@pytest.fixture
def unmounted(camera, call, clock):
    run_job(call, camera, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    assert not camera.disks["SD_DISK"].mounted
    return camera


# --- envelope, schema version, roles --------------------------------------------------------


def test_success_envelope(camera, call):
    reply = props(call, camera, "setcleanuppolicy.cgi", diskid="SD_DISK", cleanuppolicy="none")
    assert reply.text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<DiskPropertiesResponse xmlns="%s" ' % NAMESPACE
    )
    root = reply.doc["DiskPropertiesResponse"]
    assert root["@xmlns"] == NAMESPACE
    assert root["@xsi:schemaLocation"] == SCHEMA_LOCATION
    assert root["@SchemaVersion"] == "1.0"
    assert root["Success"] == {"GeneralSuccess": None}


def test_error_envelope(camera, call):
    reply = props(call, camera, "setcleanuppolicy.cgi", diskid="NOPE", cleanuppolicy="none")
    root = reply.doc["DiskPropertiesResponse"]
    assert root["@SchemaVersion"] == "1.0"
    assert root["Error"]["GeneralError"] == {"ErrorCode": "50", "ErrorDescription": "Invalid disk ID."}


@pytest.mark.parametrize("cgi", sorted(VALID_CALLS))
@pytest.mark.parametrize("schemaversion, code", [(None, 20), ("abc", 20), ("1.0", 20), ("2", 40), ("0", 40)])
def test_schema_version_is_checked_first(unmounted, call, cgi, schemaversion, code):
    reply = props(call, unmounted, cgi, schemaversion=schemaversion, **VALID_CALLS[cgi])
    assert code_of(reply) == code


@pytest.mark.parametrize("cgi", sorted(VALID_CALLS))
def test_valid_calls_succeed(unmounted, call, cgi):
    ok(props(call, unmounted, cgi, **VALID_CALLS[cgi]))


@pytest.mark.parametrize("cgi", sorted(VALID_CALLS) + ["changediskpassphrase.cgi"])
def test_unknown_disk_is_50(unmounted, call, cgi):
    args = dict(VALID_CALLS.get(cgi, {"oldpassphrase": "a", "newpassphrase": "b"}))
    args["diskid"] = "NOPE"
    assert code_of(props(call, unmounted, cgi, **args)) == 50


@pytest.mark.parametrize("cgi", sorted(VALID_CALLS) + ["changediskpassphrase.cgi"])
def test_missing_diskid_is_20(unmounted, call, cgi):
    args = dict(VALID_CALLS.get(cgi, {"oldpassphrase": "a", "newpassphrase": "b"}))
    args.pop("diskid", None)
    assert code_of(props(call, unmounted, cgi, **args)) == 20


@pytest.mark.parametrize(
    "cgi, role, writes",
    [
        ("setrequiredfs.cgi", "admin", True),
        ("enablediskencryption.cgi", "admin", True),
        ("disablediskencryption.cgi", "admin", True),
        ("changediskpassphrase.cgi", "admin", True),
        ("setcleanupmaxage.cgi", "admin", True),
        ("setcleanuppolicy.cgi", "admin", True),
        ("setdiskalertlevels.cgi", "admin", True),
        ("getdiskalertlevels.cgi", "operator", False),
        ("schemaversions.cgi", "operator", False),
    ],
)
def test_security_level_and_write_flag(cgi, role, writes):
    spec = REGISTRY["/axis-cgi/disks/properties/" + cgi]
    assert (spec.role, spec.is_write({})) == (role, writes)


def test_schemaversions(camera, call):
    reply = props(call, camera, "schemaversions.cgi", schemaversion=None)
    root = reply.doc["DiskPropertiesResponse"]
    version = root["Success"]["SchemaVersionsSuccess"]["SchemaVersion"]
    assert version == {"VersionNumber": "1.1", "Deprecated": "false"}
    assert root["@SchemaVersion"] == "1.1"


# --- setrequiredfs.cgi ----------------------------------------------------------------------


def test_set_required_fs_takes_effect_at_next_mount(camera, call, clock):
    ok(props(call, camera, "setrequiredfs.cgi", diskid="SD_DISK", filesystem="ext4"))
    disk = listed(call, camera)
    assert (disk["@requiredfilesystem"], disk["@filesystem"], disk["@status"]) == ("ext4", "vfat", "OK")
    run_job(call, camera, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    run_job(call, camera, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, camera)["@filesystem"] == "ext4"
    ok(props(call, camera, "setrequiredfs.cgi", diskid="SD_DISK", filesystem="none"))
    assert listed(call, camera)["@requiredfilesystem"] == "none"


@pytest.mark.parametrize(
    "diskid, filesystem, code",
    [
        ("SD_DISK", "vfat", 30),
        ("SD_DISK", "xfs", 30),
        ("NetworkShare", "ext4", 30),
        ("SD_DISK", None, 20),
    ],
)
def test_set_required_fs_errors(camera, call, diskid, filesystem, code):
    args = {"diskid": diskid}
    if filesystem is not None:
        args["filesystem"] = filesystem
    assert code_of(props(call, camera, "setrequiredfs.cgi", **args)) == code
    assert camera.disks["SD_DISK"].required_fs == "none"


def test_set_required_fs_none_on_share(camera, call):
    ok(props(call, camera, "setrequiredfs.cgi", diskid="NetworkShare", filesystem="none"))


# --- encryption -----------------------------------------------------------------------------


def test_enable_encryption_format_flow(unmounted, call, clock):
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="secret"))
    disk = listed(call, unmounted)
    assert (disk["@encryptionenabled"], disk["@diskencrypted"], disk["@status"]) == ("true", "false", "not encrypted")
    # Mounting does not help: the card is not encrypted yet.
    run_job(call, unmounted, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, unmounted)["@status"] == "not encrypted"
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    disk = listed(call, unmounted)
    assert (disk["@encryptionenabled"], disk["@diskencrypted"], disk["@status"]) == ("true", "true", "OK")


def test_enable_on_mounted_disk_is_160(camera, call):
    reply = props(call, camera, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="x")
    assert code_of(reply) == 160
    assert not camera.disks["SD_DISK"].encryption_enabled


def test_enable_twice_is_140(unmounted, call):
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="a"))
    reply = props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="b")
    assert code_of(reply) == 140
    assert unmounted.disks["SD_DISK"].passphrase == "a"


@pytest.mark.parametrize(
    "passphrase, code",
    [
        ("", 110),
        ("x" * 513, 110),
        ("é" * 257, 110),  # 514 bytes in UTF-8
        ("x" * 512, None),
    ],
)
def test_enable_passphrase_length(unmounted, call, passphrase, code):
    reply = props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase=passphrase)
    assert code_of(reply) == code


def test_enable_without_passphrase_is_20(unmounted, call):
    assert code_of(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK")) == 20


@pytest.mark.parametrize(
    "cgi, args",
    [
        ("enablediskencryption.cgi", {"passphrase": "x"}),
        ("disablediskencryption.cgi", {}),
        ("changediskpassphrase.cgi", {"oldpassphrase": "a", "newpassphrase": "b"}),
    ],
)
def test_encryption_on_share_is_100(camera, call, cgi, args):
    assert code_of(props(call, camera, cgi, diskid="NetworkShare", **args)) == 100


def test_encryption_change_during_a_job_is_10(camera, call):
    job = call(camera, "disks/format.cgi", diskid="SD_DISK", filesystem="ext4").doc["root"]["job"]
    assert job["@result"] == "OK"
    assert not camera.disks["SD_DISK"].mounted
    reply = props(call, camera, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="x")
    assert code_of(reply) == 10


def test_disable_on_mounted_disk_is_160(camera, call):
    camera.disks["SD_DISK"].encryption_enabled = True
    assert code_of(props(call, camera, "disablediskencryption.cgi", diskid="SD_DISK")) == 160
    assert camera.disks["SD_DISK"].encryption_enabled


def test_disable_flow_no_passphrase_until_format(unmounted, call, clock):
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="s"))
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    run_job(call, unmounted, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    ok(props(call, unmounted, "disablediskencryption.cgi", diskid="SD_DISK"))
    disk = listed(call, unmounted)
    assert (disk["@encryptionenabled"], disk["@diskencrypted"], disk["@status"]) == ("false", "true", "no passphrase")
    run_job(call, unmounted, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, unmounted)["@status"] == "no passphrase"
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    disk = listed(call, unmounted)
    assert (disk["@diskencrypted"], disk["@status"]) == ("false", "OK")


def test_disable_when_not_enabled_succeeds(unmounted, call):
    ok(props(call, unmounted, "disablediskencryption.cgi", diskid="SD_DISK"))
    assert listed(call, unmounted)["@status"] == "connected"


def test_reenable_with_other_passphrase_is_wrong_passphrase(unmounted, call, clock):
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="one"))
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    run_job(call, unmounted, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    ok(props(call, unmounted, "disablediskencryption.cgi", diskid="SD_DISK"))
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="two"))
    assert listed(call, unmounted)["@status"] == "wrong passphrase"
    run_job(call, unmounted, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, unmounted)["@status"] == "wrong passphrase"
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    assert listed(call, unmounted)["@status"] == "OK"


def test_reenable_with_same_passphrase_opens_the_disk(unmounted, call, clock):
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="one"))
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    run_job(call, unmounted, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    ok(props(call, unmounted, "disablediskencryption.cgi", diskid="SD_DISK"))
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="one"))
    run_job(call, unmounted, clock, "mount.cgi", action="mount", diskid="SD_DISK")
    assert listed(call, unmounted)["@status"] == "OK"


@pytest.fixture
def encrypted(unmounted, call, clock):
    """SD card encrypted with passphrase 'old' and mounted."""
    ok(props(call, unmounted, "enablediskencryption.cgi", diskid="SD_DISK", passphrase="old"))
    run_job(call, unmounted, clock, "format.cgi", diskid="SD_DISK", filesystem="ext4")
    assert listed(call, unmounted)["@status"] == "OK"
    return unmounted


def test_change_passphrase(encrypted, call):
    ok(props(call, encrypted, "changediskpassphrase.cgi", diskid="SD_DISK", oldpassphrase="old", newpassphrase="new"))
    assert (
        code_of(
            props(
                call,
                encrypted,
                "changediskpassphrase.cgi",
                diskid="SD_DISK",
                oldpassphrase="old",
                newpassphrase="newer",
            )
        )
        == 130
    )
    ok(props(call, encrypted, "changediskpassphrase.cgi", diskid="SD_DISK", oldpassphrase="new", newpassphrase="newer"))
    assert listed(call, encrypted)["@status"] == "OK"


@pytest.mark.parametrize(
    "old, new, code",
    [
        ("wrong", "new", 130),
        ("old", "", 120),
        ("old", "n" * 513, 120),
        (None, "new", 20),
        ("old", None, 20),
    ],
)
def test_change_passphrase_errors(encrypted, call, old, new, code):
    args = {"diskid": "SD_DISK"}
    if old is not None:
        args["oldpassphrase"] = old
    if new is not None:
        args["newpassphrase"] = new
    assert code_of(props(call, encrypted, "changediskpassphrase.cgi", **args)) == code
    assert encrypted.disks["SD_DISK"].passphrase == "old"


def test_change_passphrase_on_unmounted_disk_is_150(encrypted, call, clock):
    run_job(call, encrypted, clock, "mount.cgi", action="unmount", diskid="SD_DISK")
    assert (
        code_of(
            props(
                call, encrypted, "changediskpassphrase.cgi", diskid="SD_DISK", oldpassphrase="old", newpassphrase="new"
            )
        )
        == 150
    )


def test_change_passphrase_without_encryption_is_10(camera, call):
    assert (
        code_of(
            props(call, camera, "changediskpassphrase.cgi", diskid="SD_DISK", oldpassphrase="", newpassphrase="new")
        )
        == 10
    )


# --- cleanup --------------------------------------------------------------------------------


@pytest.mark.parametrize("maxage", ["0", "7000", "30"])
def test_set_cleanup_max_age(camera, call, maxage):
    ok(props(call, camera, "setcleanupmaxage.cgi", diskid="SD_DISK", maxage=maxage))
    assert listed(call, camera)["@cleanupmaxage"] == maxage


@pytest.mark.parametrize("maxage", ["7001", "-1", "abc", "", "1.5"])
def test_set_cleanup_max_age_invalid_is_20(camera, call, maxage):
    assert code_of(props(call, camera, "setcleanupmaxage.cgi", diskid="SD_DISK", maxage=maxage)) == 20
    assert camera.disks["SD_DISK"].cleanup_max_age == 7


def test_set_cleanup_max_age_missing_is_20(camera, call):
    assert code_of(props(call, camera, "setcleanupmaxage.cgi", diskid="SD_DISK")) == 20


@pytest.mark.parametrize("policy", ["none", "fifo"])
def test_set_cleanup_policy(camera, call, policy):
    ok(props(call, camera, "setcleanuppolicy.cgi", diskid="SD_DISK", cleanuppolicy=policy))
    assert listed(call, camera)["@cleanuppolicy"] == policy


@pytest.mark.parametrize("policy", ["FIFO", "lifo", ""])
def test_set_cleanup_policy_invalid_is_20(camera, call, policy):
    assert code_of(props(call, camera, "setcleanuppolicy.cgi", diskid="SD_DISK", cleanuppolicy=policy)) == 20


def test_set_cleanup_on_share(camera, call):
    ok(props(call, camera, "setcleanupmaxage.cgi", diskid="NetworkShare", maxage="14"))
    assert listed(call, camera, "NetworkShare")["@cleanupmaxage"] == "14"


# --- alert levels ---------------------------------------------------------------------------


def alert_levels(call, device, diskid="SD_DISK"):
    reply = props(call, device, "getdiskalertlevels.cgi", diskid=diskid)
    root = ok(reply)
    assert root["@SchemaVersion"] == "1.1"
    return root["Success"]["GetAlertLevelsSuccess"]["AlertLevels"]


def test_alert_levels_roundtrip(camera, call):
    assert alert_levels(call, camera) == {"@Wear": "90", "@Temperature": "358"}
    ok(props(call, camera, "setdiskalertlevels.cgi", diskid="SD_DISK", wear="50", temperature="360"))
    assert alert_levels(call, camera) == {"@Wear": "50", "@Temperature": "360"}
    ok(props(call, camera, "setdiskalertlevels.cgi", diskid="SD_DISK", temperature="340"))
    assert alert_levels(call, camera) == {"@Wear": "50", "@Temperature": "340"}


@pytest.mark.parametrize("args", [{}, {"wear": "-1"}, {"temperature": "hot"}, {"wear": "50", "temperature": "-5"}])
def test_alert_levels_invalid_is_20(camera, call, args):
    assert code_of(props(call, camera, "setdiskalertlevels.cgi", diskid="SD_DISK", **args)) == 20
    assert alert_levels(call, camera) == {"@Wear": "90", "@Temperature": "358"}


def test_alert_levels_recorder(recorder, call):
    ok(props(call, recorder, "setdiskalertlevels.cgi", diskid="HDD_DISK", wear="70", temperature="330"))
    assert alert_levels(call, recorder, "HDD_DISK") == {"@Wear": "70", "@Temperature": "330"}


def test_reenabling_with_a_wrong_passphrase_stays_wrong_on_every_try(camera, call):
    """The content key is not replaced by a failed unlock attempt."""
    disk = camera.disks["SD_DISK"]
    disk.mounted = False
    disk.encryption_enabled = True
    disk.passphrase = "right-passphrase"
    disk.encrypted = True
    disk.content_passphrase = "right-passphrase"
    disk.passphrase_state = "ok"
    props = "disks/properties/%s"
    assert call(camera, props % "disablediskencryption.cgi", schemaversion=1, diskid="SD_DISK").status == 200
    for _ in range(2):
        call(camera, props % "enablediskencryption.cgi", schemaversion=1, diskid="SD_DISK", passphrase="other-one")
        assert disk.passphrase_state == "wrong"
        call(camera, props % "disablediskencryption.cgi", schemaversion=1, diskid="SD_DISK")
    call(camera, props % "enablediskencryption.cgi", schemaversion=1, diskid="SD_DISK", passphrase="right-passphrase")
    assert disk.passphrase_state == "ok"
