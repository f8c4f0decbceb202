# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network share resource: plan decisions for given states, input validation, and
end-to-end runs against simulated devices (in-process, on loopback, on a fake clock)."""

import json

import pytest
import responses
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import JobError, RefusedError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import execute
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._session import DeviceSession
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import human_kb

NAS_PASSWORD = "Nas-s3cret-42"
REFUSED = RefusedError.kind  # the error kind of every guarded destructive step
CONN = dict(
    host="192.0.2.10",
    port=80,
    username="root",
    password="pass",
    use_https=False,
    validate_certs=True,
    ca_path=None,
    timeout=5,
)
OPTIONS = dict(
    name="Recordings",
    share_id=None,
    address="nas.example.com",
    share="recordings",
    share_user="camera01",
    share_password=NAS_PASSWORD,
    update_password="on_create",
    state="present",
    bound=True,
    automatic_mount=None,
    test=True,
    allow_data_loss=False,
    job_timeout=60,
)


def params(**options):
    merged = dict(CONN, **OPTIONS)
    merged.update(options)
    return merged


def current_share(**fields):
    """A share as read() returns it: bound to NetworkShare and mounted unless told otherwise."""
    state = dict(
        share_id="35419",
        name="Recordings",
        address="nas.example.com",
        share="recordings",
        user="camera01",
        bound=True,
        disk_id="NetworkShare",
        mounted=True,
        automatic_mount=None,
    )
    state.update(fields)
    if not state["bound"]:
        state.update(disk_id=None, mounted=False)
    return state


def planner(check_mode=False, others=(), recordings_kb=0, **options):
    """A resource that never talks to a device: only desired() and plan() are exercised.

    `recordings_kb` is what the bound share's disk holds (the guard of a move or removal).
    """
    device = DeviceSession(VapixClient("192.0.2.10", port=80, username="root", password="pass"))
    device.caps.describe = lambda: "AXIS S3008 Recorder (firmware 11.11.73)"
    resource = NetworkShare(device, params(**options), check_mode=check_mode)
    resource.shares = dict((s["share_id"], s) for s in others)
    resource.recordings_kb = lambda disk_id: (recordings_kb, "record/storage/getlimit.cgi usedspace")
    return resource


def decide(current, check_mode=False, others=(), recordings_kb=0, **options):
    resource = planner(check_mode=check_mode, others=others, recordings_kb=recordings_kb, **options)
    desired = resource.desired(current)
    steps = resource.plan(current, desired)
    return resource, desired, steps


def decide_desired(current, **options):
    return decide(current, **options)[1:]


def actions(steps):
    return [step.action for step in steps]


# --- plan decisions ---------------------------------------------------------------------


def test_create_tests_adds_and_binds():
    resource, desired, steps = decide(None)
    assert actions(steps) == ["test", "add", "bind"]
    assert "pass=********" in steps[0].detail and NAS_PASSWORD not in steps[0].detail
    assert desired["mounted"] is True and desired["disk_id"] == "NetworkShare"
    assert resource.password_update["write"] is True


def test_create_without_test_or_binding():
    assert actions(decide(None, test=False)[2]) == ["add", "bind"]
    resource, desired, steps = decide(None, bound=False)
    assert actions(steps) == ["test", "add"]
    assert desired["bound"] is False and desired["disk_id"] is None


def test_same_settings_plan_nothing():
    resource, desired, steps = decide(current_share())
    assert steps == []
    assert resource.password_update == {
        "mode": "on_create",
        "write": False,
        "reason": resource.password_update["reason"],
    }
    assert "left as it is" in resource.password_update["reason"]


def test_address_compared_case_insensitively():
    assert decide(current_share(address="NAS.Example.com"))[2] == []


def test_nice_name_change_of_a_bound_share_is_a_modify_only():
    resource, desired, steps = decide(current_share(name="Old name"), share_id="35419")
    assert actions(steps) == ["modify"]
    assert steps[0].detail == "modify share 35419: nicename=Recordings"


def test_bound_mounted_share_change_follows_the_device_rules():
    resource, desired, steps = decide(current_share(address="old-nas.example.com"))
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind", "mount"]
    assert "address=nas.example.com" in steps[3].detail
    assert "pass" not in steps[3].detail  # on_create leaves the stored password alone


def test_moving_a_bound_share_that_holds_recordings_needs_allow_data_loss():
    # another address or share path is another folder: the recordings drop out of reach
    for moved in (dict(address="old-nas.example.com"), dict(share="old")):
        with pytest.raises(VapixError) as refused:
            decide(current_share(**moved), recordings_kb=2048)
        assert refused.value.kind == REFUSED
        assert "(2.0 MB) of this device's recordings" in str(refused.value)
        assert "set allow_data_loss=true to change it" in str(refused.value)
    resource, desired, steps = decide(current_share(share="old"), recordings_kb=2048, allow_data_loss=True)
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind", "mount"]
    assert steps[3].destructive
    assert "loses access to 2048 kB (2.0 MB)" in resource.warnings[0]


def test_new_credentials_of_a_bound_share_need_no_opt_in():
    # the same folder with other credentials: the test step proves they reach it
    resource, desired, steps = decide(current_share(user="old"), recordings_kb=2048)
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind", "mount"]
    assert not any(step.destructive for step in steps)


def test_bound_unmounted_share_change_needs_no_unmount_or_mount():
    desired, steps = decide_desired(current_share(share="old", mounted=False))
    assert actions(steps) == ["test", "unbind", "modify", "bind"]
    assert desired["mounted"] is True  # bind.cgi mounts with automaticmount=yes


def test_unbound_share_change_and_bind():
    assert actions(decide(current_share(bound=False, user="old"), bound=False)[2]) == ["test", "modify"]
    assert actions(decide(current_share(bound=False, user="old"))[2]) == ["test", "modify", "bind"]
    assert actions(decide(current_share(bound=False))[2]) == ["bind"]


def test_unbinding_unmounts_first():
    desired, steps = decide_desired(current_share(), bound=False)
    assert actions(steps) == ["unmount", "unbind"]
    assert desired["mounted"] is False


def test_always_writes_the_password_through_a_rebind():
    resource, desired, steps = decide(current_share(), update_password="always")
    assert actions(steps) == ["test", "unmount", "unbind", "modify", "bind", "mount"]
    assert "pass=********" in steps[3].detail
    assert resource.password_update["write"] is True
    assert "unverifiable" in resource.password_update["reason"]
    assert desired["mounted"] is True


def stored_settings_test(monkeypatch, resource, code, meaning="the share test failed"):
    """The share test the verify step starts answers `code` (None: it passes)."""

    def run_share_test(args, label):
        assert args == {"shareid": "35419"}, "verify tests the share as stored, by its id"
        if code is not None:
            raise JobError("networkshares/test.cgi", meaning, code=code)
        return {"action": "test", "result": "ok"}

    monkeypatch.setattr(resource, "run_share_test", run_share_test)


def verified_plan(resource, current):
    """The plan before the verify step (the step alone), then after it ran (what it decides)."""
    first = resource.plan(current, resource.desired(current))
    assert actions(first) == ["verify"] and first[0].probe
    first[0].run()
    return resource.plan(current, resource.desired(current))


def test_verify_writes_only_after_a_mount_error(monkeypatch):
    current = current_share(bound=False)
    resource = planner(update_password="verify", bound=False)
    stored_settings_test(monkeypatch, resource, 710)
    assert actions(verified_plan(resource, current)) == ["test", "modify"]
    assert "710" in resource.password_update["reason"]

    resource = planner(update_password="verify", bound=False)
    stored_settings_test(monkeypatch, resource, None)
    assert verified_plan(resource, current) == []
    assert resource.password_update["write"] is False

    resource = planner(update_password="verify", bound=False)
    stored_settings_test(monkeypatch, resource, 760, meaning="cannot connect")
    assert verified_plan(resource, current) == []
    assert "760" in resource.warnings[0] and "cannot connect" in resource.warnings[0]


def test_verify_reads_and_decides_without_a_share_test(monkeypatch):
    # read() and desired() start no job: the share test is the plan's first step, a probe
    resource = planner(update_password="verify", bound=False)
    monkeypatch.setattr(resource, "run_share_test", pytest.fail)
    current = current_share(bound=False)
    desired = resource.desired(current)
    steps = resource.plan(current, desired)
    assert actions(steps) == ["verify"] and steps[0].probe
    assert "update_password=verify" in steps[0].detail
    assert resource.password_update["write"] is False


def test_verify_sends_the_password_with_a_new_user_without_testing(monkeypatch):
    resource = planner(update_password="verify", bound=False)
    monkeypatch.setattr(resource, "run_share_test", pytest.fail)
    current = current_share(bound=False, user="someone-else")
    assert actions(resource.plan(current, resource.desired(current))) == ["test", "modify"]
    assert resource.password_update["write"] is True


def test_verify_in_check_mode_runs_no_test(monkeypatch):
    resource = planner(check_mode=True, update_password="verify")
    monkeypatch.setattr(resource, "run_share_test", pytest.fail)
    current = current_share()
    steps = resource.plan(current, resource.desired(current))
    assert actions(steps) == ["verify"] and steps[0].probe  # shown; check mode runs no step
    assert "check mode" in resource.warnings[0]


def test_automatic_mount_change_rebinds():
    desired, steps = decide_desired(current_share(automatic_mount=True), automatic_mount=False)
    assert actions(steps) == ["unmount", "unbind", "bind", "mount"]
    assert steps[2].detail.endswith("(automaticmount=no)")
    assert desired["mounted"] is True  # it was mounted, so it is mounted again


def test_unreadable_automatic_mount_is_not_compared():
    resource, desired, steps = decide(current_share(automatic_mount=None), automatic_mount=False)
    assert steps == []
    assert desired["automatic_mount"] is None
    assert "cannot be read back" in resource.warnings[0]
    # ... but a bind that happens for another reason applies it
    desired, steps = decide_desired(current_share(automatic_mount=None, share="other"), automatic_mount=False)
    assert steps[4].action == "bind" and steps[4].detail.endswith("(automaticmount=no)")
    assert desired["mounted"] is True  # not mounted by bind, but mounted again as it was before


def test_another_bound_share_is_refused_before_any_write():
    other = current_share(share_id="10991", name="Other")
    with pytest.raises(VapixError) as caught:
        decide(None, others=[other])
    assert caught.value.kind == "state"
    assert "'Other' (id 10991) is bound" in str(caught.value)
    assert actions(decide(None, others=[other], bound=False)[2]) == ["test", "add"]


def test_a_taken_nice_name_is_refused_before_any_write():
    other = current_share(share_id="10991", name="Recordings", bound=False)
    with pytest.raises(VapixError) as caught:
        decide(current_share(share_id="20000", name="Mine", bound=False), others=[other], share_id="20000")
    assert "already the name of share 10991" in str(caught.value)


def test_absent_of_an_unbound_share_just_removes_it():
    desired, steps = decide_desired(current_share(bound=False), state="absent")
    assert desired is None
    assert actions(steps) == ["remove"]
    assert not steps[0].destructive


def test_absent_of_an_empty_bound_share(monkeypatch):
    resource = planner(state="absent")
    monkeypatch.setattr(resource, "recordings_kb", lambda disk_id: (0, "getlimit"))
    assert actions(resource.plan(current_share(), None)) == ["unmount", "unbind", "remove"]


def test_the_plan_of_absent_with_recordings_needs_the_opt_in(monkeypatch):
    resource = planner(state="absent")
    monkeypatch.setattr(resource, "recordings_kb", lambda disk_id: (553324, "record/storage/getlimit.cgi usedspace"))
    with pytest.raises(VapixError) as caught:
        resource.plan(current_share(), None)
    assert caught.value.kind == REFUSED
    assert "553324 kB (540.4 MB)" in str(caught.value) and "allow_data_loss=true" in str(caught.value)

    resource = planner(state="absent", allow_data_loss=True)
    monkeypatch.setattr(resource, "recordings_kb", lambda disk_id: (553324, "getlimit"))
    steps = resource.plan(current_share(), None)
    assert actions(steps) == ["unmount", "unbind", "remove"]
    assert steps[-1].destructive is True
    assert "553324 kB" in resource.warnings[0]


def test_unknown_recordings_count_as_recordings(monkeypatch):
    resource = planner(state="absent")
    monkeypatch.setattr(resource, "recordings_kb", lambda disk_id: (None, None))
    with pytest.raises(VapixError) as caught:
        resource.plan(current_share(mounted=False), None)
    assert "cannot tell" in str(caught.value)


@pytest.mark.parametrize(
    "kb,text", [(10, "10 kB"), (2048, "2048 kB (2.0 MB)"), (3 * 1024**3, "3221225472 kB (3.0 TB)")]
)
def test_human_sizes(kb, text):
    assert human_kb(kb, exact=True) == text


# --- input validation: nothing is sent --------------------------------------------------


@pytest.mark.parametrize(
    "options,fragment",
    [
        (dict(share_id="my share"), "share_id='my share'"),
        (dict(share_id="all"), "'all' is reserved"),
        (dict(address="  "), "address must not be empty"),
        (dict(name=""), "name must not be empty"),
        (dict(update_password="verify", share_password=None), "=verify needs share_"),
        (dict(update_password="always", share_password=None), "allowed modes: on_create, always, verify"),
        (dict(job_timeout=0), "job_timeout=0"),
    ],
)
@responses.activate
def test_bad_input_is_rejected_before_any_request(options, fragment):
    result = execute(NetworkShare, params(**options))
    assert result["failed"] is True
    assert fragment in result["msg"]
    assert result["error_kind"] == "input"
    assert len(responses.calls) == 0


# --- end to end against simulated devices -----------------------------------------------

CAMERA, RECORDER = 0, 3


@pytest.fixture
def device(sim, fake_clock):
    """Factory-fresh devices (conftest); job waits sleep on the simulator's fake clock."""
    return sim


def converge(sim, index=CAMERA, check_mode=False, **options):
    return sim.run(NetworkShare, index, check_mode=check_mode, **dict(OPTIONS, **options))


def sim_log(sim, index=CAMERA, writes_only=False):
    # 401 answers are the client's one Digest negotiation per run, not calls of the module
    return [(e["cgi"], e["args"]) for e in sim.log(index) if e["status"] != 401 and (e["write"] or not writes_only)]


def called(sim, index=CAMERA):
    return [entry[0] for entry in sim_log(sim, index)]


def written(sim, index=CAMERA):
    return [entry[0].replace("disks/networkshare/", "") for entry in sim_log(sim, index, writes_only=True)]


def shares_of(sim, index=CAMERA):
    return dict(sim.device(index).shares)


def test_converge_from_factory_then_idempotent(device):
    check = converge(device, check_mode=True)
    assert check["changed"] is True and written(device) == []
    assert [s["executed"] for s in check["steps"]] == [False, False, False]

    first = converge(device)
    assert first["changed"] is True
    assert written(device) == ["add.cgi", "bind.cgi"]
    assert first["share"] == {
        "share_id": "35419",
        "name": "Recordings",
        "address": "nas.example.com",
        "share": "recordings",
        "user": "camera01",
        "bound": True,
        "disk_id": "NetworkShare",
        "mounted": True,
        "automatic_mount": None,
    }
    assert first["jobs"][0]["action"] == "test" and first["jobs"][0]["result"] == "ok"
    assert shares_of(device)["35419"].password == NAS_PASSWORD
    assert check["diff"]["after"] == dict(first["share"], share_id=None)

    device.clear_log(CAMERA)
    second = converge(device)
    assert second["changed"] is False and second["steps"] == [] and second["jobs"] == []
    assert written(device) == []
    assert called(device) == ["disks/networkshare/list.cgi", "disks/list.cgi"]


def test_password_never_in_output_or_request_log(device):
    results = [
        converge(device, share_password=NAS_PASSWORD, update_password="always"),
        converge(device, update_password="always", check_mode=True),
        converge(device, address="nas.invalid", update_password="always"),
    ]
    request_log = json.dumps(sim_log(device))
    for result in results:
        assert NAS_PASSWORD not in json.dumps(result)
    assert NAS_PASSWORD not in request_log


def test_nice_name_only_change_of_a_bound_share(device):
    converge(device)
    device.clear_log(CAMERA)
    result = converge(device, share_id="35419", name="NAS recordings")
    assert result["changed"] is True
    assert [s["action"] for s in result["steps"]] == ["modify"]
    assert sim_log(device, writes_only=True) == [
        ("disks/networkshare/modify.cgi", {"schemaversion": "1", "shareid": "35419", "nicename": "NAS recordings"})
    ]
    assert result["share"]["name"] == "NAS recordings" and result["share"]["mounted"] is True
    assert converge(device, share_id="35419", name="NAS recordings")["changed"] is False


def test_bound_share_change_unmounts_unbinds_modifies_binds(device):
    converge(device)
    device.clear_log(CAMERA)
    result = converge(device, address="nas2.example.com", share="cameras")
    assert result["changed"] is True
    steps = [s["action"] for s in result["steps"]]
    assert steps == ["test", "unmount", "unbind", "modify", "bind", "mount"]
    assert written(device) == ["disks/mount.cgi", "unbind.cgi", "modify.cgi", "bind.cgi"]
    assert [j["action"] for j in result["jobs"]] == ["test", "unmount"]
    assert result["steps"][-1]["outcome"] == "bind already mounted disk NetworkShare"
    assert all("outcome" in step for step in result["steps"])
    assert result["share"]["address"] == "nas2.example.com" and result["share"]["mounted"] is True
    stored = shares_of(device)["35419"]
    assert (stored.address, stored.share, stored.password) == ("nas2.example.com", "cameras", NAS_PASSWORD)


@pytest.mark.parametrize(
    "address,share,code,meaning",
    [
        ("nas.invalid", "recordings", 700, "no such host"),
        ("192.0.2.77", "recordings", 760, "cannot connect"),
        ("nas.example.com", "readonly", 740, "cannot be written"),
    ],
)
def test_failed_share_test_changes_nothing(device, address, share, code, meaning):
    converge(device)
    device.clear_log(CAMERA)
    result = converge(device, address=address, share=share)
    assert result["failed"] is True
    assert result["error_code"] == code and result["error_kind"] == "job"
    assert meaning in result["msg"] and "disks/networkshare/job.cgi" in result["msg"]
    assert written(device) == []
    assert shares_of(device)["35419"].address == "nas.example.com"

    result = converge(device, name="Second", address=address, share=share, bound=False)
    assert result["failed"] is True and written(device) == []
    assert list(shares_of(device)) == ["35419"]


def test_absent_with_recordings_on_the_device_needs_the_opt_in(device):
    converge(device)

    device.patch(CAMERA, {"disks": {"NetworkShare": {"used_kb": 553324}}})
    device.clear_log(CAMERA)
    refused = converge(device, state="absent")
    assert refused["failed"] is True and refused["error_kind"] == REFUSED
    assert "553324 kB (540.4 MB)" in refused["msg"] and "allow_data_loss=true" in refused["msg"]
    assert written(device) == []
    refused_check = converge(device, state="absent", check_mode=True)
    assert refused_check["failed"] is True

    removed = converge(device, state="absent", allow_data_loss=True)
    assert removed["changed"] is True
    assert [s["action"] for s in removed["steps"]] == ["unmount", "unbind", "remove"]
    assert removed["share"] == {}
    assert shares_of(device) == {}
    assert converge(device, state="absent")["changed"] is False


def test_absent_of_an_empty_bound_share_needs_no_opt_in(device):
    converge(device)
    result = converge(device, state="absent")
    assert result["changed"] is True and shares_of(device) == {}


def test_verify_replaces_a_rejected_password_once(device):
    converge(device, share_password="wrong-old", test=False)
    assert shares_of(device)["35419"].password == "wrong-old"
    result = converge(device, update_password="verify")
    assert result["changed"] is True
    assert result["password_update"]["write"] is True and "710" in result["password_update"]["reason"]
    assert [s["action"] for s in result["steps"]] == ["verify", "test", "unmount", "unbind", "modify", "bind", "mount"]
    assert result["steps"][0]["probe"] is True and result["steps"][0]["outcome"] == "failed with error 710"
    assert result["jobs"][0]["result"] == "failed" and result["jobs"][0]["error_code"] == 710
    assert shares_of(device)["35419"].password == NAS_PASSWORD

    again = converge(device, update_password="verify")
    assert again["changed"] is False
    assert again["password_update"]["reason"] == "the stored credentials passed the share test"
    assert [j["action"] for j in again["jobs"]] == ["test"]
    assert again["steps"] == [
        {
            "action": "verify",
            "detail": again["steps"][0]["detail"],
            "executed": True,
            "probe": True,
            "outcome": "passed",
        }
    ]


def test_always_reports_a_change_on_every_run(device):
    converge(device)
    for run in (1, 2):
        result = converge(device, update_password="always")
        assert result["changed"] is True and "unverifiable" in result["password_update"]["reason"], "run %d" % run


def test_check_mode_of_a_change_writes_nothing_and_runs_no_test(device):
    converge(device)
    device.clear_log(CAMERA)
    result = converge(device, address="nas2.example.com", check_mode=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["address"] == "nas2.example.com"
    # reads only: the share, the disks, and what the share holds (a move away from its
    # recordings is guarded like a removal; this one holds none)
    assert sorted(called(device)) == ["disks/list.cgi", "disks/networkshare/list.cgi", "record/storage/getlimit.cgi"]


def test_automatic_mount_is_read_back_and_changed_on_a_camera(device):
    converge(device)
    result = converge(device, automatic_mount=False)
    assert result["changed"] is True
    assert [s["action"] for s in result["steps"]] == ["unmount", "unbind", "bind", "mount"]
    assert result["steps"][-1]["outcome"]["action"] == "mount"
    assert result["share"]["automatic_mount"] is False and result["share"]["mounted"] is True
    assert converge(device, automatic_mount=False)["changed"] is False


def test_recorder_binds_a_share_and_warns_about_automatic_mount(device):
    first = converge(device, index=RECORDER)
    assert first["changed"] is True and first["share"]["disk_id"] == "NetworkShare"
    second = converge(device, index=RECORDER, automatic_mount=False)
    assert second["changed"] is False
    assert "cannot be read back" in second["warnings"][0]
    assert second["share"]["automatic_mount"] is None and second["diff"]["after"]["automatic_mount"] is None
    assert "AXIS S3008 Recorder" in second["warnings"][0]


def test_another_bound_share_stops_a_second_bind(device):
    converge(device)
    device.clear_log(CAMERA)
    result = converge(device, name="Second", share="other")
    assert result["failed"] is True and result["error_kind"] == "state"
    assert written(device) == []


def test_share_test_that_hangs_times_out_without_writes(device):
    device.faults(CAMERA, {"job_hang": {"actions": ["sharetest"]}})
    result = converge(device, job_timeout=5)
    assert result["failed"] is True and result["error_kind"] == "timeout"
    assert "job_timeout=5" in result["msg"]
    assert written(device) == []


def test_failed_unmount_job_stops_the_change(device):
    converge(device)
    device.faults(CAMERA, {"job_fail": {"at": 50, "description": "Device busy", "actions": ["unmount"]}})
    device.clear_log(CAMERA)
    result = converge(device, address="nas2.example.com")
    assert result["failed"] is True and result["error_kind"] == "job"
    assert "Device busy" in result["msg"] and "unmount of NetworkShare" in result["msg"]
    assert written(device) == ["disks/mount.cgi"]
    assert shares_of(device)["35419"].address == "nas.example.com"


def test_device_error_names_cgi_code_and_description(device):
    device.patch(CAMERA, {"max_shares": 0})
    result = converge(device, test=False)
    assert result["failed"] is True
    assert result["msg"].startswith("disks/networkshare/add.cgi: error 230: Maximum number of network shares")


def test_too_many_share_tests_is_explained(device):
    device.faults(CAMERA, {"job_hang": {"actions": ["sharetest"], "persistent": True}})
    for attempt in (1, 2, 3):  # three tests that never end occupy the device's share test slots
        assert converge(device, job_timeout=2)["error_kind"] == "timeout", "attempt %d" % attempt
    result = converge(device)
    assert result["failed"] is True and result["error_code"] == 730 and result["error_kind"] == "job"
    assert "too many share tests" in result["msg"] and result["msg"].startswith("disks/networkshare/test.cgi")
    assert written(device) == []
