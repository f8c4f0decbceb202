# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_disk: input validation, the plan for given disk states, and whole runs against the simulator."""

import pytest
import xmltodict
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute, module_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import human_kb

GIB_KB = 1024 * 1024

SD_FACTORY = dict(
    diskid="SD_DISK",
    name="",
    totalsize=62 * GIB_KB,
    freesize=62 * GIB_KB - 120 * 1024,
    cleanuplevel=99,
    cleanupmaxage=7,
    cleanuppolicy="fifo",
    locked="no",
    full="no",
    readonly="no",
    status="OK",
    filesystem="vfat",
    group="S0",
    requiredfilesystem="none",
    encryptionenabled="false",
    diskencrypted="false",
)
SHARE_UNBOUND = dict(
    SD_FACTORY, diskid="NetworkShare", totalsize=0, freesize=0, status="disconnected", filesystem="cifs", group="S1"
)


def list_xml(*disks):
    rows = "".join("<disk %s/>" % " ".join('%s="%s"' % kv for kv in disk.items()) for disk in disks)
    return xmltodict.parse(
        '<?xml version="1.0"?><root><disks numberofdisks="%d">%s</disks></root>' % (len(disks), rows)
    )


def caps_xml(disk_id, *filesystems):
    rows = "".join(
        '<filesystem name="%s" nicename=" " requiredfssupported="%s"/>' % (fs, fs == "ext4") for fs in filesystems
    )
    return xmltodict.parse(
        '<root><disk diskid="%s" requiredfssupported="true" encryptionsupported="true">'
        "<filesystems>%s</filesystems></disk></root>" % (disk_id, rows)
    )


class FakeClient:
    """Answers the reads a test scripts; records every call; fails on anything unscripted."""

    def __init__(self, disks=(SD_FACTORY, SHARE_UNBOUND), filesystems=("vfat", "ext4"), properties=True):
        self.request_count = 0
        self.secrets = Secrets()
        self.calls = []
        self.params = {}
        self.answers = {
            "disks/list.cgi": lambda args: list_xml(*disks),
            "disks/getcapabilities.cgi": lambda args: caps_xml(args["diskid"], *filesystems),
        }
        self.properties = properties

    def xml(self, cgi, args=None, write=False, retry_write=False, method="GET"):
        self.request_count += 1
        self.calls.append((cgi, dict(args or {}), write))
        if cgi.startswith("disks/properties/") and not self.properties:
            raise UnsupportedError(cgi, "the device has no such CGI (404 Not Found)", status=404)
        if write:
            return xmltodict.parse('<root><ok result="OK"/></root>')
        if cgi not in self.answers:
            raise AssertionError("unexpected read %s" % cgi)
        return self.answers[cgi](args or {})

    def json_rpc(self, cgi, method, params=None, api_version="1.0"):
        self.request_count += 1
        return {"propertyList": {"ProdFullName": "AXIS P3268-LVE Dome Camera", "Version": "11.11.73"}}

    def param_list(self, groups):
        self.request_count += 1
        self.calls.append(("param.cgi", {"action": "list", "group": ",".join(groups)}, False))
        return dict(self.params)

    def param_update(self, values):
        self.request_count += 1
        self.calls.append(("param.cgi", dict(values), True))
        return True

    @property
    def writes(self):
        return [call for call in self.calls if call[2]]


def params(**options):
    base = dict(
        host="127.0.0.1", username="root", password="pass", disk_id="SD_DISK", allow_format=False, job_timeout=600
    )
    base.update(options)
    return base


def run(client, check_mode=False, diff=True, **options):
    return execute(Disk, params(**options), check_mode=check_mode, diff=diff, device=DeviceSession(client))


def actions(result):
    return [step["action"] for step in result["steps"]]


# --- input validation: nothing is sent -----------------------------------------------------


@pytest.mark.parametrize(
    "options,words",
    [
        (dict(cleanup_max_age=9000), ["cleanup_max_age=9000", "0 to 7000"]),
        (dict(cleanup_max_age=-1), ["cleanup_max_age=-1"]),
        (dict(alert_levels={"wear": None, "temperature": None}), ["alert_levels", "wear", "temperature"]),
        (dict(alert_levels={"wear": 101, "temperature": None}), ["alert_levels.wear=101", "0 to 100"]),
        (dict(alert_levels={"wear": None, "temperature": 60}), ["alert_levels.temperature=60", "Kelvin", "273"]),
        (dict(filesystem="vfat", required_filesystem="ext4"), ["filesystem=vfat", "required_filesystem=ext4"]),
        (dict(job_timeout=0), ["job_timeout=0"]),
        (dict(friendly_name="Door\ncard"), ["friendly_name", "control characters"]),
        (dict(disk_id=" "), ["disk_id"]),
    ],
)
def test_bad_input_is_refused_before_any_request(options, words):
    client = FakeClient()
    result = run(client, **options)
    assert result["failed"] and result["error_kind"] == "input"
    for word in words:
        assert word in result["msg"]
    assert client.calls == [] and client.request_count == 0


@pytest.mark.parametrize(
    "option,value,allowed",
    [
        ("filesystem", "xfs", "ext4, vfat, cifs"),
        ("required_filesystem", "vfat", "none, ext4"),
        ("cleanup_policy", "lifo", "fifo, none"),
    ],
)
def test_argument_spec_names_the_allowed_values(option, value, allowed):
    validator = ArgumentSpecValidator(module_argument_spec(Disk))
    result = validator.validate(params(**{option: value}))
    assert any(option in msg and allowed in msg for msg in result.error_messages), result.error_messages


# --- decisions on a given disk state -----------------------------------------------------


def test_matching_disk_needs_only_the_list_read():
    client = FakeClient()
    result = run(
        client,
        filesystem="vfat",
        mounted=True,
        locked=False,
        cleanup_policy="fifo",
        cleanup_max_age=7,
        required_filesystem="none",
        friendly_name="",
    )
    assert result["changed"] is False and result["steps"] == []
    assert [call[0] for call in client.calls] == ["disks/list.cgi"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_format_without_allow_format_is_refused_naming_disk_filesystems_and_loss():
    client = FakeClient()
    result = run(client, filesystem="ext4")
    assert result["failed"] and result["error_kind"] == "refused"
    for word in ("SD_DISK", "from vfat to ext4", "recordings", "120.0 MB in use", "allow_format=true"):
        assert word in result["msg"]
    assert client.writes == []


def test_format_plan_and_prediction():
    client = FakeClient()
    result = run(client, check_mode=True, filesystem="ext4", allow_format=True)
    assert result["changed"] and actions(result) == ["format"]
    assert result["steps"][0]["executed"] is False and "vfat to ext4" in result["steps"][0]["detail"]
    assert result["disk"]["filesystem"] == "ext4" and result["disk"]["free_kb"] == result["disk"]["total_kb"]
    # The diff holds the option given plus what the format changes, not the whole disk.
    assert set(result["diff"]["after"]) == {"disk_id", "filesystem", "free_kb", "encrypted", "status", "mounted"}
    assert client.writes == []


def test_format_to_a_filesystem_the_disk_does_not_offer_is_refused():
    client = FakeClient(disks=[dict(SD_FACTORY, filesystem="ext4")], filesystems=("ext4",))
    result = run(client, filesystem="vfat", allow_format=True)
    assert result["error_kind"] == "input" and "ext4 only" in result["msg"]
    assert client.writes == []


def test_required_ext4_on_vfat_is_a_format():
    refused = run(FakeClient(), required_filesystem="ext4")
    assert refused["error_kind"] == "refused" and "required_filesystem=ext4" in refused["msg"]
    result = run(FakeClient(), check_mode=True, required_filesystem="ext4", allow_format=True)
    assert actions(result) == ["setrequiredfs", "format"]


def test_mounting_under_a_required_ext4_is_a_format():
    # The device formats a non-ext4 disk when it mounts it with ext4 required: never by surprise.
    disk = dict(SD_FACTORY, status="connected", totalsize=0, freesize=0, requiredfilesystem="ext4")
    refused = run(FakeClient(disks=[disk]), mounted=True)
    assert refused["error_kind"] == "refused" and "mounting it formats it" in refused["msg"]
    assert "in use" not in refused["msg"]  # an unmounted disk lists no sizes: no guess
    planned = run(FakeClient(disks=[disk]), check_mode=True, mounted=True, allow_format=True)
    assert actions(planned) == ["format"]
    # Options that do not mount the disk leave it alone.
    other = run(FakeClient(disks=[disk]), check_mode=True, cleanup_policy="none")
    assert actions(other) == ["setcleanuppolicy"]
    # A locked card is not auto-formatted by the device, so its mount is a plain mount.
    locked = run(FakeClient(disks=[dict(disk, locked="yes")]), check_mode=True, mounted=True)
    assert actions(locked) == ["mount"]


def test_locked_disk_format_needs_an_explicit_lock_option():
    locked = dict(SD_FACTORY, locked="yes")
    result = run(FakeClient(disks=[locked]), filesystem="ext4", allow_format=True)
    assert result["error_kind"] == "state" and "locked" in result["msg"]
    relock = run(FakeClient(disks=[locked]), check_mode=True, filesystem="ext4", allow_format=True, locked=True)
    assert actions(relock) == ["unlock", "format", "lock"]
    unlocked = run(FakeClient(disks=[locked]), check_mode=True, filesystem="ext4", allow_format=True, locked=False)
    assert actions(unlocked) == ["unlock", "format"]


def test_safe_order_of_every_kind_of_step():
    disk = dict(SD_FACTORY, status="connected", totalsize=0, freesize=0, locked="yes")
    client = FakeClient(disks=[disk])
    client.answers["disks/properties/getdiskalertlevels.cgi"] = lambda args: xmltodict.parse(
        '<DiskPropertiesResponse xmlns="x" SchemaVersion="1.1"><Success><GetAlertLevelsSuccess>'
        '<AlertLevels Wear="90" Temperature="358"/></GetAlertLevelsSuccess></Success></DiskPropertiesResponse>'
    )
    client.params = {"Storage.S0.MountOnBoot": "yes", "Storage.S0.AutoRepair": "yes"}
    result = run(
        client,
        check_mode=True,
        mounted=True,
        locked=False,
        required_filesystem="none",
        cleanup_policy="none",
        cleanup_max_age=30,
        alert_levels={"wear": 80, "temperature": None},
        friendly_name="Door",
        mount_on_boot=False,
    )
    assert actions(result) == ["unlock", "mount", "setcleanuppolicy", "setcleanupmaxage", "setdiskalertlevels", "param"]
    assert result["disk"]["alert_levels"] == {"wear": 80, "temperature": 358}
    assert "friendly_name to 'Door'" in result["steps"][-1]["detail"]
    assert client.writes == []


def test_unmount_and_lock_come_last():
    result = run(FakeClient(), check_mode=True, mounted=False, locked=True, cleanup_max_age=1)
    assert actions(result) == ["setcleanupmaxage", "unmount", "lock"]


@pytest.mark.parametrize("status", ["not encrypted", "no passphrase"])
def test_encryption_state_cured_by_format_only_with_allow_format(status):
    disk = dict(SD_FACTORY, status=status, totalsize=0, freesize=0, encryptionenabled="true")
    refused = run(FakeClient(disks=[disk]), mounted=True)
    assert refused["error_kind"] == "state" and status in refused["msg"] and "format" in refused["msg"]
    cured = run(FakeClient(disks=[disk]), check_mode=True, mounted=True, allow_format=True)
    assert actions(cured) == ["format"] and status in cured["steps"][0]["detail"]


def test_wrong_passphrase_is_never_formatted_away_by_a_mount():
    disk = dict(
        SD_FACTORY, status="wrong passphrase", totalsize=0, freesize=0, encryptionenabled="true", diskencrypted="true"
    )
    client = FakeClient(disks=[disk])
    result = run(client, mounted=True, allow_format=True)
    assert result["error_kind"] == "state" and "axis_encryption" in result["msg"]
    assert client.writes == []


def test_other_settings_proceed_on_an_encryption_problem_with_a_warning():
    disk = dict(SD_FACTORY, status="not encrypted", totalsize=0, freesize=0, encryptionenabled="true")
    result = run(FakeClient(disks=[disk]), check_mode=True, cleanup_policy="none")
    assert actions(result) == ["setcleanuppolicy"]
    assert "not encrypted" in result["warnings"][0]


def test_network_share_rules():
    unbound = run(FakeClient(), disk_id="NetworkShare", mounted=True)
    assert unbound["error_kind"] == "state" and "axis_networkshare" in unbound["msg"]
    reformat = run(FakeClient(), disk_id="NetworkShare", filesystem="ext4", allow_format=True)
    assert reformat["error_kind"] == "input" and "network share" in reformat["msg"]
    same = run(FakeClient(), disk_id="NetworkShare", filesystem="cifs", mounted=False)
    assert same["changed"] is False
    sd_cifs = run(FakeClient(), filesystem="cifs")
    assert sd_cifs["error_kind"] == "input" and "ext4 or vfat" in sd_cifs["msg"]


def test_unknown_disk_lists_the_disks_of_the_device():
    result = run(FakeClient(), disk_id="HDD_DISK", mounted=True)
    assert result["failed"] and "NetworkShare, SD_DISK" in result["msg"]


def test_properties_fall_back_to_param_cgi_on_firmware_without_them():
    client = FakeClient(properties=False)
    result = run(client, cleanup_policy="none", required_filesystem="none", cleanup_max_age=14)
    assert result["changed"]
    updates = [call[1] for call in client.calls if call[0] == "param.cgi" and call[2]]
    assert updates == [{"Storage.S0.CleanupPolicyActive": "none"}, {"Storage.S0.CleanupMaxAge": 14}]


def test_human_sizes():
    assert human_kb(512) == "512 kB"
    assert human_kb(120 * 1024) == "120.0 MB"
    assert human_kb(62 * GIB_KB) == "62.0 GB"


# --- whole runs against the simulator ------------------------------------------------------

CAMERA, RECORDER = 0, 3


def sim_run(sim, index=CAMERA, check_mode=False, **options):
    options.setdefault("disk_id", "SD_DISK")
    return sim.run(Disk, index, check_mode=check_mode, **options)


CONVERGE = dict(
    friendly_name="Door card",
    filesystem="ext4",
    required_filesystem="ext4",
    mounted=True,
    cleanup_policy="fifo",
    cleanup_max_age=30,
    alert_levels={"wear": 80, "temperature": 343},
    mount_on_boot=True,
    auto_repair=False,
    allow_format=True,
)


def test_converge_from_factory_then_idempotent(sim):
    first = sim_run(sim, **CONVERGE)
    assert not first.get("failed"), first
    assert first["changed"] and [job["action"] for job in first["jobs"]] == ["format"]
    disk = first["disk"]
    assert (disk["filesystem"], disk["required_filesystem"], disk["mounted"], disk["friendly_name"]) == (
        "ext4",
        "ext4",
        True,
        "Door card",
    )
    assert disk["alert_levels"] == {"wear": 80, "temperature": 343} and disk["auto_repair"] is False
    assert first["diff"]["before"]["filesystem"] == "vfat" and first["diff"]["after"]["filesystem"] == "ext4"
    sim.clear_log(CAMERA)
    second = sim_run(sim, **CONVERGE)
    assert second["changed"] is False and second["steps"] == [] and second["jobs"] == []
    # list.cgi, getdiskalertlevels.cgi, param.cgi, plus the 401 challenge
    assert second["requests"] == 4
    assert sim.writes(CAMERA) == []


def test_check_mode_plans_but_writes_nothing(sim):
    sim.clear_log(CAMERA)
    result = sim_run(sim, check_mode=True, **CONVERGE)
    assert result["changed"] and "format" in actions(result)
    assert all(step["executed"] is False for step in result["steps"]) and result["jobs"] == []
    assert sim.writes(CAMERA) == []
    assert sim.device(CAMERA).disks["SD_DISK"].filesystem == "vfat"


def test_refused_format_writes_nothing(sim):
    sim.clear_log(CAMERA)
    result = sim_run(sim, filesystem="ext4", cleanup_max_age=30)
    assert result["error_kind"] == "refused" and "vfat to ext4" in result["msg"]
    assert sim.writes(CAMERA) == []


def test_drift_converges_back(sim):
    assert not sim_run(sim, mounted=True, locked=False, cleanup_policy="fifo").get("changed")
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"mounted": False, "locked": True, "cleanup_policy": "none"}}})
    result = sim_run(sim, mounted=True, locked=False, cleanup_policy="fifo")
    assert actions(result) == ["unlock", "mount", "setcleanuppolicy"]
    assert [job["action"] for job in result["jobs"]] == ["mount"]
    assert result["disk"]["mounted"] and not result["disk"]["locked"]
    assert sim_run(sim, mounted=True, locked=False, cleanup_policy="fifo")["changed"] is False


def test_failed_format_job_is_reported(sim):
    sim.faults(CAMERA, {"job_fail": {"at": 40, "description": "Card write error"}})
    result = sim_run(sim, filesystem="ext4", allow_format=True)
    assert result["failed"] and result["error_kind"] == "job"
    assert "Card write error" in result["msg"] and "format of SD_DISK" in result["msg"]


def test_format_job_that_never_ends_times_out(sim, fake_clock):
    # The fake clock sleeps instantly: the timeout is reached after a few real polls.
    sim.faults(CAMERA, {"job_hang": True})
    result = sim_run(sim, filesystem="ext4", allow_format=True, job_timeout=5)
    assert result["failed"] and result["error_kind"] == "timeout"
    assert "job_timeout=5" in result["msg"] and "format of SD_DISK" in result["msg"]


def test_recorder_without_param_cgi_refuses_friendly_name(sim):
    sim.clear_log(RECORDER)
    result = sim_run(sim, RECORDER, disk_id="HDD_DISK", friendly_name="Archive", cleanup_policy="none")
    assert result["failed"] and result["error_kind"] == "unsupported"
    assert "AXIS S3008 Recorder" in result["msg"] and "friendly_name" in result["msg"]
    assert sim.writes(RECORDER) == []
    # Settings the Disk properties API holds work on the recorder.
    ok = sim_run(sim, RECORDER, disk_id="HDD_DISK", cleanup_policy="none", cleanup_max_age=90)
    assert ok["changed"] and ok["disk"]["cleanup_max_age"] == 90


def test_device_error_names_cgi_code_and_description(sim):
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"filesystem": "ext4", "required_fs_supported": False}}})
    result = sim_run(sim, required_filesystem="ext4")
    assert result["failed"] and result["error_code"] == 30
    assert result["cgi"] == "disks/properties/setrequiredfs.cgi"
    assert "not supported" in result["error_description"]


def test_mount_the_device_could_not_do_is_reported(sim):
    # A failed card without auto repair: the mount job ends OK but the card stays unmounted.
    sim.patch(CAMERA, {"disks": {"SD_DISK": {"failed": True, "mounted": False, "auto_repair": False}}})
    result = sim_run(sim, mounted=True)
    assert result["failed"] and result["error_kind"] == "state"
    assert "mount job of SD_DISK ended" in result["msg"] and "'failed'" in result["msg"]


def test_format_with_encryption_enabled_cures_not_encrypted(sim):
    sim.patch(
        CAMERA, {"disks": {"SD_DISK": {"encryption_enabled": True, "mounted": False, "passphrase": "p4ss-phrase"}}}
    )
    refused = sim_run(sim, mounted=True)
    assert refused["error_kind"] == "state" and "not encrypted" in refused["msg"]
    cured = sim_run(sim, mounted=True, allow_format=True)
    assert actions(cured) == ["format"] and cured["disk"]["encrypted"] and cured["disk"]["status"] == "OK"
    assert "p4ss" not in str(cured)


def test_unmount_then_mount_share_needs_a_bound_share(sim):
    sim.clear_log(CAMERA)
    result = sim_run(sim, disk_id="NetworkShare", mounted=True)
    assert result["error_kind"] == "state" and "axis_networkshare" in result["msg"]
    assert sim.writes(CAMERA) == []


def test_format_then_unmount_when_asked(sim):
    result = sim_run(sim, filesystem="ext4", mounted=False, allow_format=True)
    assert actions(result) == ["format"] and result["steps"][0]["outcome"] == "formatted, then unmounted"
    assert [job["action"] for job in result["jobs"]] == ["format", "unmount"]
    assert result["disk"]["filesystem"] == "ext4" and result["disk"]["mounted"] is False
    assert result["disk"]["status"] == "connected"
    assert sim_run(sim, filesystem="ext4", mounted=False, allow_format=True)["changed"] is False


def test_check_mode_plans_exactly_what_the_run_does(sim):
    options = dict(CONVERGE, locked=True)
    planned = sim_run(sim, check_mode=True, **options)
    done = sim_run(sim, **options)
    assert (
        actions(planned)
        == actions(done)
        == ["setrequiredfs", "format", "setcleanupmaxage", "setdiskalertlevels", "param", "lock"]
    )
    predicted = dict((k, v) for k, v in planned["disk"].items() if k != "free_kb")
    actual = dict((k, v) for k, v in done["disk"].items() if k != "free_kb")
    assert predicted == actual
