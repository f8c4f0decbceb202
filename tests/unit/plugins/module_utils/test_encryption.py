# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_encryption: input checks, the plan for every disk state, passphrase rotation, and whole
runs against simulated devices (in-process fleet) for the paths the issue names."""

import json

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import (
    DISABLE,
    DISABLE_ONLY,
    ENABLE,
    REKEY,
    UNLOCK,
    WIPE,
    Encryption,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession

PASSPHRASE = "Corr3ct-Horse-Battery"
OLD_PASSPHRASE = "Tr0ub4dor&3-old"

# --- a scripted client: decisions without a device ------------------------------------------


def raw_disk(
    disk_id="SD_DISK",
    status="OK",
    enabled=False,
    encrypted=False,
    total=65011712,
    free=64888832,
    filesystem="vfat",
    required="none",
    locked="no",
    attr="encryptionenabled",
):
    mounted = status == "OK"
    return {
        "@diskid": disk_id,
        "@name": "",
        "@totalsize": str(total if mounted else 0),
        "@freesize": str(free if mounted else 0),
        "@cleanuplevel": "99",
        "@cleanupmaxage": "7",
        "@cleanuppolicy": "fifo",
        "@locked": locked,
        "@full": "no",
        "@readonly": "no",
        "@status": status,
        "@filesystem": filesystem,
        "@group": "S0",
        "@requiredfilesystem": required,
        "@" + attr: "true" if enabled else "false",
        "@diskencrypted": "true" if encrypted else "false",
    }


SUCCESS = {"DiskPropertiesResponse": {"Success": {"GeneralSuccess": None}}}


def job_doc(action, job_id=7):
    return {"root": {"job": {"@action": action, "@diskid": "SD_DISK", "@result": "OK", "@jobid": str(job_id)}}}


class ScriptedClient:
    """Answers each CGI from `answers` (a doc, a callable, or a VapixError to raise); logs every call."""

    # a device that has accepted the login (what VapixClient.authenticated tells)
    authenticated = True

    def __init__(self, disks, answers=None):
        self.secrets = Secrets()
        self.request_count = 0
        self.calls = []
        self.disks = disks
        self.answers = {
            "disks/list.cgi": lambda args: {"root": {"disks": {"disk": list(self.disks)}}},
            "disks/getcapabilities.cgi": {"root": {"disk": {"@diskid": "SD_DISK", "@encryptionsupported": "true"}}},
            "disks/mount.cgi": lambda args: job_doc(args["action"]),
            "disks/format.cgi": job_doc("format"),
            "disks/job.cgi": {"root": {"job": {"@jobid": "7", "@result": "OK", "@progress": "100"}}},
            "disks/properties/enablediskencryption.cgi": SUCCESS,
            "disks/properties/disablediskencryption.cgi": SUCCESS,
        }
        self.answers.update(answers or {})

    def statuses(self):
        return dict((call[0], 200) for call in self.calls)

    def xml(self, cgi, args=None, write=False, retry_write=False, method="GET"):
        self.request_count += 1
        self.calls.append((cgi, dict(args or {}), write))
        answer = self.answers.get(cgi)
        if answer is None:
            raise AssertionError("unexpected request %s %r" % (cgi, args))
        if callable(answer):
            answer = answer(args or {})
        if isinstance(answer, VapixError):
            raise answer
        return answer

    def _other(self, cgi, args):
        """apidiscovery.cgi and param.cgi: from `answers` too; absent = a firmware without them (404)."""
        self.request_count += 1
        self.calls.append((cgi, dict(args or {}), False))
        answer = self.answers.get(cgi)
        if answer is None:
            raise UnsupportedError(cgi, "the device has no such CGI (404 Not Found)", status=404)
        return answer(args) if callable(answer) else answer

    def json_rpc(self, cgi, method, params=None, api_version="1.0"):
        return self._other(cgi, {"method": method})

    def param_list(self, groups):
        return self._other("param.cgi", {"group": ",".join(groups)})

    @property
    def writes(self):
        return [call for call in self.calls if call[2]]


def params(**options):
    base = dict(
        host="192.0.2.10",
        port=80,
        username="root",
        password="pass",
        use_https=False,
        validate_certs=True,
        ca_path=None,
        timeout=10,
        disk_id="SD_DISK",
        state="enabled",
        passphrase=PASSPHRASE,
        old_passphrase=None,
        allow_format=False,
        job_timeout=600,
    )
    base.update(options)
    return base


def scripted_run(disk, check_mode=False, answers=None, **options):
    client = ScriptedClient([disk], answers)
    result = execute(Encryption, params(**options), check_mode=check_mode, diff=True, device=DeviceSession(client))
    return result, client


def no_secret_in(result):
    text = json.dumps(result)
    return PASSPHRASE not in text and OLD_PASSPHRASE not in text


def mismatch():
    return VapixError(
        "disks/properties/changediskpassphrase.cgi",
        "The oldpassphrase does not match the existing passphrase.",
        code=130,
    )


# --- input ----------------------------------------------------------------------------------

BAD_INPUT = [
    (dict(passphrase=""), "passphrase is empty"),
    (dict(passphrase=None, old_passphrase="a-b-c"), "old_passphrase needs passphrase"),
    (dict(passphrase="x" * 513), "passphrase is 513 bytes long"),
    (dict(passphrase="\u00e9" * 257), "passphrase is 514 bytes long (UTF-8)"),
    (dict(old_passphrase=""), "old_passphrase is empty"),
    (dict(old_passphrase="y" * 600), "old_passphrase is 600 bytes long"),
    (dict(state="disabled"), "passphrase only applies to state=enabled"),
    (dict(state="disabled", passphrase=None, old_passphrase="a-b-c"), "old_passphrase only applies"),
    (dict(state="disabled", old_passphrase="a-b-c"), "passphrase and old_passphrase only apply"),
    (dict(job_timeout=0), "job_timeout=0 must be a positive number of seconds"),
]


@pytest.mark.parametrize("options,message", BAD_INPUT, ids=[m for _o, m in BAD_INPUT])
def test_bad_input_is_rejected_before_any_request(options, message):
    result, client = scripted_run(raw_disk(), **options)
    assert result["failed"] and result["error_kind"] == "input"
    assert message in result["msg"]
    assert client.calls == []
    assert no_secret_in(result)


@pytest.mark.parametrize(
    "disk",
    [raw_disk(), raw_disk(status="connected", enabled=True), raw_disk(status="no passphrase", encrypted=True)],
    ids=["plain", "never formatted", "no passphrase"],
)
def test_enabled_without_passphrase_fails_before_any_write_where_one_must_be_written(disk):
    result, client = scripted_run(disk, passphrase=None, allow_format=True)
    assert result["failed"] and result["error_kind"] == "input"
    assert "needs passphrase with state=enabled" in result["msg"] and "Nothing was changed" in result["msg"]
    assert all(call[0] == "disks/list.cgi" for call in client.calls), client.calls


def test_enabled_without_passphrase_keeps_an_encrypted_disk_as_it_is():
    result, client = scripted_run(raw_disk(enabled=True, encrypted=True), passphrase=None)
    assert "failed" not in result and result["changed"] is False and result["steps"] == []
    assert all(call[0] == "disks/list.cgi" for call in client.calls), client.calls


def test_a_512_byte_passphrase_is_accepted():
    result, _client = scripted_run(raw_disk(), check_mode=True, passphrase="p" * 512, allow_format=True)
    assert "failed" not in result


# --- the plan for each disk state -----------------------------------------------------------

PLANS = [
    # state, disk, plan, step actions
    ("enabled", raw_disk(), ENABLE, ["unmount", "enable", "mount", "format"]),
    ("enabled", raw_disk(status="connected"), ENABLE, ["enable", "mount", "format", "unmount"]),
    ("enabled", raw_disk(status="not encrypted", enabled=True), REKEY, ["disable", "enable", "mount", "format"]),
    (
        "enabled",
        raw_disk(status="wrong passphrase", enabled=True, encrypted=True),
        UNLOCK,
        ["disable", "enable", "mount", "format"],
    ),
    ("enabled", raw_disk(status="no passphrase", encrypted=True), UNLOCK, ["enable", "mount", "format"]),
    ("enabled", raw_disk(enabled=True, encrypted=True), None, []),
    ("enabled", raw_disk(status="connected", enabled=True, encrypted=True), None, []),
    ("disabled", raw_disk(enabled=True, encrypted=True), DISABLE, ["unmount", "disable", "mount", "format"]),
    (
        "disabled",
        raw_disk(status="connected", enabled=True, encrypted=True),
        DISABLE,
        ["disable", "mount", "format", "unmount"],
    ),
    (
        "disabled",
        raw_disk(status="wrong passphrase", enabled=True, encrypted=True),
        DISABLE,
        ["disable", "mount", "format"],
    ),
    ("disabled", raw_disk(status="not encrypted", enabled=True), DISABLE_ONLY, ["disable", "mount"]),
    ("disabled", raw_disk(status="no passphrase", encrypted=True), WIPE, ["mount", "format"]),
    ("disabled", raw_disk(), None, []),
    ("disabled", raw_disk(status="disconnected"), None, []),
]


@pytest.mark.parametrize(
    "state,disk,plan,actions", PLANS, ids=["%s-%s-%s" % (p[0], p[1]["@status"], p[2]) for p in PLANS]
)
def test_plan_for_each_disk_state(state, disk, plan, actions):
    options = dict(state=state, allow_format=True)
    if state == "disabled":
        options["passphrase"] = None
    client = ScriptedClient([disk])
    resource = Encryption(DeviceSession(client), params(**options), check_mode=True)
    result = resource.run(diff=True)
    assert resource.plan_name == plan
    assert [step["action"] for step in result["steps"]] == actions
    assert result["changed"] == bool(actions)
    assert client.writes == []
    assert all(not step["executed"] for step in result["steps"])
    if actions:
        want_on = state == "enabled"
        assert result["diff"]["after"]["encryption_enabled"] is want_on
        assert result["diff"]["after"]["encrypted"] is want_on
        assert result["encryption"]["mounted"] is (disk["@status"] != "connected")


def test_the_docs_attribute_name_is_read_too():
    disk = raw_disk(enabled=True, encrypted=True, attr="diskencryptionenabled")
    result, client = scripted_run(disk)
    assert result["changed"] is False and result["encryption"]["encryption_enabled"] is True
    assert client.writes == []


@pytest.mark.parametrize(
    "state,disk,words",
    [
        ("enabled", raw_disk(), ["enabling encryption of SD_DISK formats it", "122880 kB used of 65011712 kB"]),
        (
            "enabled",
            raw_disk(status="not encrypted", enabled=True),
            ["state 'not encrypted'", "the fix is to format it", "not mounted"],
        ),
        ("disabled", raw_disk(enabled=True, encrypted=True), ["disabling encryption of SD_DISK formats it"]),
        (
            "disabled",
            raw_disk(status="no passphrase", encrypted=True),
            ["state 'no passphrase'", "state=enabled with the passphrase it was encrypted with"],
        ),
        (
            "disabled",
            raw_disk(status="not encrypted", enabled=True, filesystem="vfat", required="ext4"),
            ["required file system ext4", "reformats it"],
        ),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_formats_need_allow_format_and_nothing_is_written_without_it(state, disk, words, check_mode):
    options = dict(state=state)
    if state == "disabled":
        options["passphrase"] = None
    result, client = scripted_run(disk, check_mode=check_mode, **options)
    assert result["failed"] and result["error_kind"] == "refused"
    for word in words + ["allow_format=true", "Nothing was changed"]:
        assert word in result["msg"]
    assert client.writes == []


def test_disabling_a_never_formatted_disk_keeps_its_data_and_needs_no_allow_format():
    result, client = scripted_run(raw_disk(status="not encrypted", enabled=True), state="disabled", passphrase=None)
    assert result["changed"] is True
    assert [w[0] for w in client.writes] == ["disks/properties/disablediskencryption.cgi", "disks/mount.cgi"]


def test_a_disk_without_encryption_support_fails_before_any_write():
    caps = {"root": {"disk": {"@diskid": "SD_DISK", "@encryptionsupported": "false"}}}
    result, client = scripted_run(raw_disk(), allow_format=True, answers={"disks/getcapabilities.cgi": caps})
    assert result["failed"] and result["error_kind"] == "unsupported"
    assert "does not support encryption" in result["msg"]
    assert client.writes == []


@pytest.mark.parametrize(
    "disk,words",
    [
        (raw_disk(locked="yes"), ["is locked", "unlock it"]),
        (raw_disk(status="disconnected"), ["is disconnected"]),
        (raw_disk(status="failed"), ["state 'failed'", "repair"]),
    ],
)
def test_unusable_disks_fail_before_any_write(disk, words):
    result, client = scripted_run(disk, allow_format=True)
    assert result["failed"] and result["error_kind"] == "state"
    for word in words:
        assert word in result["msg"]
    assert client.writes == []


# --- passphrase: verification and rotation --------------------------------------------------

ENCRYPTED = raw_disk(enabled=True, encrypted=True)


def test_without_old_passphrase_the_passphrase_is_left_alone_and_unverified():
    result, client = scripted_run(ENCRYPTED)
    assert result["changed"] is False
    assert result["passphrase_verified"] is False
    assert result["encryption"]["passphrase_check"] == "unknown"
    assert client.writes == []


def test_rotation_proves_the_new_passphrase_first_and_changes_nothing_when_it_is_there():
    result, client = scripted_run(
        ENCRYPTED,
        old_passphrase=OLD_PASSPHRASE,
        answers={
            "disks/properties/changediskpassphrase.cgi": {
                "DiskPropertiesResponse": {"Success": {"GeneralSuccess": None}}
            }
        },
    )
    assert result["changed"] is False
    assert [(s["action"], s["probe"], s["executed"]) for s in result["steps"]] == [("check passphrase", True, True)]
    assert result["steps"][0]["outcome"] == "SD_DISK has passphrase"
    assert result["diff"]["before"]["passphrase_check"] == result["diff"]["after"]["passphrase_check"] == "matches"
    assert result["passphrase_verified"] is True
    assert [(w[1]["oldpassphrase"], w[1]["newpassphrase"]) for w in client.writes] == [(PASSPHRASE, PASSPHRASE)]
    assert no_secret_in(result)


def test_rotation_from_old_passphrase_when_the_disk_does_not_have_the_new_one():
    def change(args):
        if args["oldpassphrase"] != OLD_PASSPHRASE:
            raise mismatch()
        return SUCCESS

    result, client = scripted_run(
        ENCRYPTED, old_passphrase=OLD_PASSPHRASE, answers={"disks/properties/changediskpassphrase.cgi": change}
    )
    assert result["changed"] is True
    assert [s["action"] for s in result["steps"]] == ["check passphrase", "rotate"]
    assert result["steps"][0]["outcome"] == "SD_DISK does not have passphrase (error 130)"
    assert result["diff"]["before"]["passphrase_check"] == "differs"
    assert result["diff"]["after"]["passphrase_check"] == "matches"
    assert result["passphrase_verified"] is True
    assert [(w[1]["oldpassphrase"], w[1]["newpassphrase"]) for w in client.writes] == [
        (PASSPHRASE, PASSPHRASE),
        (OLD_PASSPHRASE, PASSPHRASE),
    ]
    assert no_secret_in(result)


def test_rotation_fails_clearly_when_neither_passphrase_matches():
    result, client = scripted_run(
        ENCRYPTED,
        old_passphrase=OLD_PASSPHRASE,
        answers={"disks/properties/changediskpassphrase.cgi": lambda args: mismatch()},
    )
    assert result["failed"] and result["error_code"] == 130
    assert "neither passphrase nor old_passphrase" in result["msg"]
    assert "Nothing was changed" in result["msg"]
    assert len(client.writes) == 2
    assert no_secret_in(result)


def test_old_passphrase_equal_to_passphrase_cannot_rotate():
    result, client = scripted_run(
        ENCRYPTED,
        old_passphrase=PASSPHRASE,
        answers={"disks/properties/changediskpassphrase.cgi": lambda args: mismatch()},
    )
    assert result["failed"] and "old_passphrase is the same value" in result["msg"]
    assert len(client.writes) == 1


def test_check_mode_does_not_probe_the_passphrase_and_says_so():
    result, client = scripted_run(ENCRYPTED, check_mode=True, old_passphrase=OLD_PASSPHRASE)
    assert client.writes == []
    assert result["changed"] is False
    assert result["passphrase_verified"] is False
    assert any("check mode" in w and "not checked" in w for w in result["warnings"])
    # the probe is in the plan, not run
    assert [(s["action"], s["probe"], s["executed"]) for s in result["steps"]] == [("check passphrase", True, False)]


def test_read_and_desired_send_no_write_the_probe_is_a_step():
    client = ScriptedClient([ENCRYPTED], None)
    resource = Encryption(DeviceSession(client), params(old_passphrase=OLD_PASSPHRASE))
    before = resource.read()
    desired = resource.desired(before)
    steps = resource.plan(before, desired)
    assert client.writes == []
    assert before["passphrase_check"] == desired["passphrase_check"] == "unknown"
    assert [(step.action, step.probe) for step in steps] == [("check passphrase", True)]


def test_an_unmounted_encrypted_disk_is_not_probed_and_the_user_is_told():
    result, client = scripted_run(
        raw_disk(status="connected", enabled=True, encrypted=True), old_passphrase=OLD_PASSPHRASE
    )
    assert client.writes == [] and result["changed"] is False
    assert any("only checks or changes a passphrase on a mounted disk" in w for w in result["warnings"])


def test_other_probe_errors_are_reported_as_the_device_said():
    busy = VapixError("disks/properties/changediskpassphrase.cgi", "Error while processing the request.", code=10)
    result, _client = scripted_run(
        ENCRYPTED, old_passphrase=OLD_PASSPHRASE, answers={"disks/properties/changediskpassphrase.cgi": busy}
    )
    assert result["failed"] and result["error_code"] == 10
    assert result["msg"] == "disks/properties/changediskpassphrase.cgi: error 10: Error while processing the request."


# --- failures part-way ----------------------------------------------------------------------


def test_a_failed_encryption_change_mounts_the_disk_again_and_says_what_was_done():
    refused = VapixError("disks/properties/enablediskencryption.cgi", "Error while processing the request.", code=10)
    result, client = scripted_run(
        raw_disk(), allow_format=True, answers={"disks/properties/enablediskencryption.cgi": refused}
    )
    assert result["failed"] and result["error_code"] == 10
    assert "SD_DISK was mounted again" in result["msg"]
    assert "already done: unmount" in result["msg"]
    assert [(w[0], w[1].get("action")) for w in client.writes] == [
        ("disks/mount.cgi", "unmount"),
        ("disks/properties/enablediskencryption.cgi", None),
        ("disks/mount.cgi", "mount"),
    ]
    assert no_secret_in(result)


def test_the_passphrase_never_reaches_the_client_log_or_the_result():
    result, client = scripted_run(raw_disk(), allow_format=True)
    enable = [c for c in client.calls if c[0].endswith("enablediskencryption.cgi")]
    assert enable and enable[0][1]["passphrase"] == PASSPHRASE  # sent to the device, as the API wants
    assert no_secret_in(result)


# --- whole runs against simulated devices -----------------------------------------------------

CAMERA, OTHER_CAMERA, RECORDER = 0, 1, 3
# The simulator's default root password, "pass", would be masked inside "passphrase" in messages.
SIM_PASSWORD = "Sim-Admin-Pw1"


@pytest.fixture
def fleet(sim, fake_clock):
    """Factory-fresh devices (conftest) whose root password is SIM_PASSWORD; jobs end on the fake clock."""
    for index in (CAMERA, OTHER_CAMERA, RECORDER):
        sim.set_password(index, SIM_PASSWORD)
    return sim


def sim_run(sim, index=CAMERA, check_mode=False, **options):
    values = dict(disk_id="SD_DISK", passphrase=PASSPHRASE)
    values.update(options)
    return sim.run(Encryption, index, check_mode=check_mode, **values)


def patch_disk(sim, index=CAMERA, disk="SD_DISK", **fields):
    sim.patch(index, {"disks": {disk: fields}})


def test_sim_enable_from_factory_then_idempotent(fleet):
    refused = sim_run(fleet)
    assert refused["failed"] and "122880 kB used" in refused["msg"] and "SD_DISK" in refused["msg"]
    assert fleet.writes(CAMERA) == []

    planned = sim_run(fleet, check_mode=True, allow_format=True)
    assert planned["changed"] is True and planned["passphrase_verified"] is False
    assert fleet.writes(CAMERA) == []

    done = sim_run(fleet, allow_format=True)
    assert done["changed"] is True and done["passphrase_verified"] is True
    assert done["encryption"] == {
        "disk_id": "SD_DISK",
        "status": "OK",
        "mounted": True,
        "encryption_enabled": True,
        "encrypted": True,
        "passphrase_check": "matches",
    }
    assert [job["action"] for job in done["jobs"]] == ["unmount", "mount", "format"]
    assert done["steps"] == [
        dict(s, executed=True, outcome=d["outcome"]) for s, d in zip(planned["steps"], done["steps"], strict=True)
    ]
    assert no_secret_in(done)
    disk = fleet.device(CAMERA).disks["SD_DISK"]
    assert disk.used_kb == 0 and disk.passphrase == PASSPHRASE

    fleet.clear_log(CAMERA)
    again = sim_run(fleet, allow_format=True)
    assert again["changed"] is False and fleet.writes(CAMERA) == []


def test_sim_rotation_twice_never_fails(fleet):
    assert sim_run(fleet, passphrase=OLD_PASSPHRASE, allow_format=True)["changed"] is True
    fleet.clear_log(CAMERA)
    checked = sim_run(fleet, check_mode=True, old_passphrase=OLD_PASSPHRASE)
    assert checked["changed"] is False and fleet.writes(CAMERA) == []
    first = sim_run(fleet, old_passphrase=OLD_PASSPHRASE)
    second = sim_run(fleet, old_passphrase=OLD_PASSPHRASE)
    assert first["changed"] is True and first["passphrase_verified"] is True
    assert second["changed"] is False and second["passphrase_verified"] is True
    assert "failed" not in second
    assert fleet.device(CAMERA).disks["SD_DISK"].passphrase == PASSPHRASE
    assert no_secret_in(first) and no_secret_in(second)

    wrong = sim_run(fleet, passphrase="An0ther-one!", old_passphrase=OLD_PASSPHRASE)
    assert wrong["failed"] and wrong["error_code"] == 130 and "neither" in wrong["msg"]
    assert fleet.device(CAMERA).disks["SD_DISK"].passphrase == PASSPHRASE


def test_sim_disable_with_allow_format(fleet):
    sim_run(fleet, allow_format=True)
    refused = sim_run(fleet, state="disabled", passphrase=None)
    assert refused["failed"] and "disabling encryption of SD_DISK formats it" in refused["msg"]
    done = sim_run(fleet, state="disabled", passphrase=None, allow_format=True)
    assert done["changed"] is True
    assert done["encryption"]["encryption_enabled"] is False and done["encryption"]["encrypted"] is False
    assert done["encryption"]["status"] == "OK"
    assert sim_run(fleet, state="disabled", passphrase=None, allow_format=True)["changed"] is False


def test_sim_required_filesystem_formats_on_mount_and_an_unmounted_disk_stays_unmounted(fleet):
    patch_disk(fleet, required_fs="ext4", mounted=False)
    done = sim_run(fleet, allow_format=True)
    assert done["changed"] is True
    assert [job["action"] for job in done["jobs"]] == ["mount", "unmount"]
    assert done["steps"][2]["outcome"].startswith("not needed")
    assert done["encryption"]["status"] == "connected" and done["encryption"]["encrypted"] is True


def test_sim_wrong_passphrase_is_tried_then_reported_with_the_fix(fleet):
    patch_disk(
        fleet,
        encryption_enabled=True,
        encrypted=True,
        passphrase=OLD_PASSPHRASE,
        content_passphrase=OLD_PASSPHRASE,
        passphrase_state="wrong",
        mounted=False,
    )
    opened = sim_run(fleet, passphrase=OLD_PASSPHRASE)
    assert opened["changed"] is True and opened["encryption"]["status"] == "OK"
    assert opened["steps"][-1]["outcome"] == "not needed: passphrase opened the disk"

    patch_disk(fleet, passphrase_state="wrong", mounted=False)
    failed = sim_run(fleet, passphrase="N0t-the-key")
    assert failed["failed"] and failed["error_kind"] == "state"
    assert "give the passphrase the disk was encrypted with, or set allow_format=true" in failed["msg"]
    assert fleet.device(CAMERA).disks["SD_DISK"].used_kb == 122880  # nothing formatted


def test_sim_recorder_disk_and_unsupported_share(fleet):
    done = sim_run(fleet, RECORDER, disk_id="HDD_DISK", allow_format=True)
    assert done["changed"] is True and done["encryption"]["encrypted"] is True
    assert sim_run(fleet, RECORDER, disk_id="HDD_DISK")["changed"] is False
    share = sim_run(fleet, disk_id="NetworkShare", allow_format=True)
    assert share["failed"] and "does not support encryption" in share["msg"]
    assert fleet.writes(CAMERA) == []


def test_sim_failed_and_hanging_format_jobs(fleet):
    fleet.faults(CAMERA, {"job_fail": {"at": 50, "actions": ["format"], "description": "Card write error"}})
    failed = sim_run(fleet, allow_format=True)
    assert failed["failed"] and failed["error_kind"] == "job"
    assert "Card write error" in failed["msg"] and "already done: unmount, enable, mount" in failed["msg"]
    recovered = sim_run(fleet, allow_format=True)
    assert recovered["changed"] is True and recovered["encryption"]["encrypted"] is True

    fleet.faults(OTHER_CAMERA, {"job_hang": {"actions": ["format"]}})
    hung = sim_run(fleet, OTHER_CAMERA, allow_format=True, job_timeout=30)
    assert hung["failed"] and hung["error_kind"] == "timeout"
    assert "job_timeout=30" in hung["msg"]
