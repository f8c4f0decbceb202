"""Network share API handlers: envelopes, error codes, bind effects and share test jobs."""

from __future__ import annotations

import pytest
from conftest import Called

from vapix_sim.handlers.networkshare import NAS_TOTAL_KB
from vapix_sim.http import REGISTRY, CgiRequest
from vapix_sim.model import JOB_SECONDS

NS = "disks/networkshare/"


def share_call(device, path, faults=None, **args):
    """Like the `call` fixture, but a CGI argument may be named `user` (the share's account);
    the caller is always root."""
    full = "/axis-cgi/" + path
    device.tick()
    request = CgiRequest(
        method="GET", path=full, args={k: str(v) for k, v in args.items()}, user=device.users["root"], faults=faults
    )
    return Called(REGISTRY[full].handler(device, request))


def add(call, device, **args):
    values = {"nicename": "My Share", "address": "mynas", "share": "myshare", "user": "nasuser", "pass": "pass"}
    values.update(args)
    return share_call(device, NS + "add.cgi", **{k: v for k, v in values.items() if v is not None})


def error_code(result) -> int:
    error = result.doc["NetworkShareResponse"]["GeneralError"]
    assert error["ErrorDescription"]
    return int(error["ErrorCode"])


def listed(call, device, shareid="all"):
    body = call(device, NS + "list.cgi", schemaversion="1", shareid=shareid).doc
    shares = body["NetworkShareResponse"]["ListSuccess"]["NetworkShares"]
    items = shares.get("NetworkShare", []) if shares else []
    return int(shares["@NumberOfShares"]), items if isinstance(items, list) else [items]


def test_roles_and_write_flags():
    expected = {
        "list": ("operator", False),
        "add": ("admin", True),
        "modify": ("admin", True),
        "remove": ("admin", True),
        "bind": ("operator", True),
        "unbind": ("operator", True),
        "test": ("operator", False),
        "job": ("operator", False),
        "schemaversions": ("operator", False),
    }
    for name, (role, write) in expected.items():
        spec = REGISTRY["/axis-cgi/disks/networkshare/%s.cgi" % name]
        assert (spec.role, spec.is_write({})) == (role, write), name
        assert spec.profiles is None  # also on the recorder


def test_add_assigns_five_digit_ids_and_list_hides_password(call, camera):
    first = add(call, camera, **{"pass": "s3cr3t"})
    assert first.status == 200
    assert first.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<NetworkShareResponse SchemaVersion="1.0"')
    share_id = first.doc["NetworkShareResponse"]["AddSuccess"]["@ShareId"]
    assert share_id.isdigit() and len(share_id) == 5
    second = add(call, camera, nicename="Other")
    other_id = second.doc["NetworkShareResponse"]["AddSuccess"]["@ShareId"]
    assert other_id != share_id and len(other_id) == 5
    count, items = listed(call, camera)
    assert count == 2
    assert list(items[0].keys()) == ["@NiceName", "@ShareId", "@Address", "@Share", "@User"]
    assert items[0]["@ShareId"] == share_id and items[0]["@User"] == "nasuser"
    assert camera.shares[share_id].password == "s3cr3t"
    assert "s3cr3t" not in call(camera, NS + "list.cgi", shareid="all").text


def test_list_filters_by_ids_and_requires_shareid(call, camera):
    add(call, camera, shareid="a")
    add(call, camera, shareid="b", nicename="B")
    count, items = listed(call, camera, shareid="b,unknown")
    assert count == 1 and items[0]["@ShareId"] == "b"
    assert listed(call, camera, shareid="nope")[0] == 0
    assert error_code(call(camera, NS + "list.cgi", schemaversion="1")) == 20
    assert error_code(call(camera, NS + "list.cgi", schemaversion="2", shareid="all")) == 40
    assert error_code(call(camera, NS + "list.cgi", schemaversion="x", shareid="all")) == 40
    assert listed(call, camera, shareid="all")[0] == 2
    # schemaversion is optional on list.cgi; a minor version is fine
    assert call(camera, NS + "list.cgi", shareid="all").doc["NetworkShareResponse"]["ListSuccess"]
    assert call(camera, NS + "list.cgi", schemaversion="1.0", shareid="all").doc["NetworkShareResponse"]["ListSuccess"]


def test_add_errors(call, camera):
    for missing in ("nicename", "address", "share"):
        assert error_code(add(call, camera, **{missing: None})) == 20
        assert error_code(add(call, camera, **{missing: ""})) == 20
    assert error_code(add(call, camera, shareid="bad_id")) == 200
    assert error_code(add(call, camera, shareid="")) == 200
    assert error_code(add(call, camera, shareid="all")) == 200
    assert add(call, camera, shareid="nas-1").doc["NetworkShareResponse"]["AddSuccess"]["@ShareId"] == "nas-1"
    assert error_code(add(call, camera, shareid="nas-1", nicename="Else")) == 210
    assert error_code(add(call, camera, nicename="My Share")) == 220
    assert error_code(add(call, camera, schemaversion="3", nicename="x")) == 40
    camera.max_shares = 2
    assert add(call, camera, nicename="Second").status == 200
    assert error_code(add(call, camera, nicename="Third")) == 230
    assert len(camera.shares) == 2


def test_device_ids_skip_ids_taken_manually(call, camera):
    camera.next_share_id = 50000
    add(call, camera, shareid="50000")
    new = add(call, camera, nicename="Auto").doc["NetworkShareResponse"]["AddSuccess"]["@ShareId"]
    assert new == "50001"


def test_bind_fills_the_networkshare_disk_and_unbind_empties_it(call, camera):
    add(call, camera, shareid="nas")
    disk = camera.disks["NetworkShare"]
    assert not disk.present and disk.total_kb == 0
    bound = call(camera, NS + "bind.cgi", schemaversion="1", shareid="nas")
    assert bound.text.count('<BindSuccess DiskID="NetworkShare"/>') == 1
    assert disk.present and disk.mounted and disk.filesystem == "cifs"
    assert disk.total_kb == NAS_TOTAL_KB and disk.friendly_name == "My Share"
    count, items = listed(call, camera)
    assert items[0]["@DiskId"] == "NetworkShare"
    # disks/list.cgi of the other helper shows the bound share as a mounted disk
    disks = call(camera, "disks/list.cgi", diskid="all").doc["root"]["disks"]["disk"]
    share_disk = [d for d in disks if d["@diskid"] == "NetworkShare"][0]
    assert share_disk["@status"] == "OK" and int(share_disk["@totalsize"]) == NAS_TOTAL_KB
    # mounted -> unbind refused (400), unmounted -> unbound
    assert error_code(call(camera, NS + "unbind.cgi", shareid="nas")) == 400
    disk.mounted = False
    assert "GeneralSuccess" in call(camera, NS + "unbind.cgi", shareid="nas").doc["NetworkShareResponse"]
    assert not disk.present and disk.total_kb == 0 and disk.used_kb == 0
    assert disk.friendly_name == ""
    assert "@DiskId" not in listed(call, camera)[1][0]
    assert not camera.shares["nas"].bound


def test_bind_without_automatic_mount_leaves_disk_unmounted(call, camera):
    add(call, camera, shareid="nas")
    call(camera, NS + "bind.cgi", shareid="nas", automaticmount="no")
    disk = camera.disks["NetworkShare"]
    assert disk.present and not disk.mounted and not disk.mount_on_boot
    assert not camera.shares["nas"].automatic_mount
    # not mounted, so it can be unbound at once
    assert "GeneralSuccess" in call(camera, NS + "unbind.cgi", shareid="nas").doc["NetworkShareResponse"]


def test_bind_errors(call, camera):
    add(call, camera, shareid="one")
    add(call, camera, shareid="two", nicename="Two")
    assert error_code(call(camera, NS + "bind.cgi")) == 20
    assert error_code(call(camera, NS + "bind.cgi", shareid="ghost")) == 20
    assert error_code(call(camera, NS + "bind.cgi", shareid="one", automaticmount="maybe")) == 20
    assert error_code(call(camera, NS + "bind.cgi", shareid="one", schemaversion="2")) == 40
    assert call(camera, NS + "bind.cgi", shareid="one").status == 200
    assert error_code(call(camera, NS + "bind.cgi", shareid="one")) == 310
    assert error_code(call(camera, NS + "bind.cgi", shareid="two")) == 300
    assert not camera.shares["two"].bound


def test_unbind_errors(call, camera):
    add(call, camera, shareid="one")
    assert error_code(call(camera, NS + "unbind.cgi")) == 20
    assert error_code(call(camera, NS + "unbind.cgi", shareid="ghost")) == 20
    assert error_code(call(camera, NS + "unbind.cgi", shareid="one")) == 20  # not bound
    assert error_code(call(camera, NS + "unbind.cgi", shareid="one", schemaversion="9")) == 40


def test_unbind_refused_while_a_disk_job_runs(call, camera):
    add(call, camera, shareid="one")
    call(camera, NS + "bind.cgi", shareid="one", automaticmount="no")
    camera.disks["NetworkShare"].busy_job = 77
    assert error_code(call(camera, NS + "unbind.cgi", shareid="one")) == 10
    assert camera.shares["one"].bound


def test_modify_while_bound_only_changes_nicename(call, camera):
    add(call, camera, shareid="one")
    call(camera, NS + "bind.cgi", shareid="one")
    ok = call(camera, NS + "modify.cgi", shareid="one", nicename="Renamed")
    assert "GeneralSuccess" in ok.doc["NetworkShareResponse"]
    assert camera.shares["one"].nice_name == "Renamed"
    assert camera.disks["NetworkShare"].friendly_name == "Renamed"
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", address="othernas")) == 600
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", **{"pass": "new"})) == 600
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", newshareid="x")) == 600
    # re-sending the stored values is not a change
    same = share_call(
        camera, NS + "modify.cgi", shareid="one", address="mynas", share="myshare", user="nasuser", **{"pass": "pass"}
    )
    assert "GeneralSuccess" in same.doc["NetworkShareResponse"]
    assert camera.shares["one"].address == "mynas"


def test_modify_unbound_and_its_errors(call, camera):
    add(call, camera, shareid="one")
    add(call, camera, shareid="two", nicename="Two")
    assert error_code(call(camera, NS + "modify.cgi", nicename="x")) == 20
    assert error_code(call(camera, NS + "modify.cgi", shareid="ghost")) == 20
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", address="")) == 20
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", newshareid="bad id")) == 20
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", newshareid="two")) == 610
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", nicename="Two")) == 620
    assert error_code(call(camera, NS + "modify.cgi", shareid="one", schemaversion="0")) == 40
    # keeping its own NiceName is not a conflict
    ok = share_call(
        camera,
        NS + "modify.cgi",
        shareid="one",
        nicename="My Share",
        address="nas2",
        share="s2",
        user="",
        newshareid="renamed",
        **{"pass": ""},
    )
    assert "GeneralSuccess" in ok.doc["NetworkShareResponse"]
    share = camera.shares["renamed"]
    assert "one" not in camera.shares and list(camera.shares) == ["renamed", "two"]
    assert (share.share_id, share.address, share.share, share.user, share.password) == ("renamed", "nas2", "s2", "", "")


def test_remove(call, camera):
    for share_id in ("a", "b", "c"):
        add(call, camera, shareid=share_id, nicename=share_id)
    assert error_code(call(camera, NS + "remove.cgi")) == 20
    assert error_code(call(camera, NS + "remove.cgi", shareid="a,ghost")) == 20
    assert set(camera.shares) == {"a", "b", "c"}
    call(camera, NS + "bind.cgi", shareid="c")
    assert error_code(call(camera, NS + "remove.cgi", shareid="a,c")) == 500
    assert set(camera.shares) == {"a", "b", "c"}
    assert error_code(call(camera, NS + "remove.cgi", shareid="a", schemaversion="2")) == 40
    ok = call(camera, NS + "remove.cgi", shareid="a, b")
    assert "GeneralSuccess" in ok.doc["NetworkShareResponse"]
    assert set(camera.shares) == {"c"}


def test_precondition_chain_unmount_unbind_remove(call, camera):
    add(call, camera, shareid="nas")
    call(camera, NS + "bind.cgi", shareid="nas")
    assert error_code(call(camera, NS + "remove.cgi", shareid="nas")) == 500
    assert error_code(call(camera, NS + "unbind.cgi", shareid="nas")) == 400
    camera.disks["NetworkShare"].mounted = False  # what disks/mount.cgi unmount does
    call(camera, NS + "unbind.cgi", shareid="nas")
    assert "GeneralSuccess" in call(camera, NS + "remove.cgi", shareid="nas").doc["NetworkShareResponse"]
    assert camera.shares == {}


def test_recorder_gets_a_networkshare_disk_when_binding(call, recorder):
    assert "NetworkShare" not in recorder.disks
    add(call, recorder, shareid="nas")
    call(recorder, NS + "bind.cgi", shareid="nas")
    disk = recorder.disks["NetworkShare"]
    assert disk.group == "S1" and disk.present and disk.mounted
    disk.mounted = False
    call(recorder, NS + "unbind.cgi", shareid="nas")
    assert not recorder.disks["NetworkShare"].present


# --- share tests and jobs ------------------------------------------------------------------


def start_test(call, device, **args):
    result = share_call(device, NS + "test.cgi", **args)
    return int(result.doc["NetworkShareResponse"]["TestSuccess"]["@JobId"])


def job_state(call, device, job_id):
    return call(device, NS + "job.cgi", schemaversion="1", jobid=str(job_id)).doc["NetworkShareResponse"]["JobSuccess"]


def test_share_test_job_progresses_with_the_clock(call, camera, clock):
    job_id = start_test(call, camera, address="mynas", share="myshare", user="u", **{"pass": "p"})
    assert job_state(call, camera, job_id) == {"Progress": "0"}
    clock.advance(JOB_SECONDS["sharetest"] / 2)
    assert job_state(call, camera, job_id) == {"Progress": "50"}
    clock.advance(JOB_SECONDS["sharetest"])
    assert "GeneralSuccess" in job_state(call, camera, job_id)
    assert camera.shares == {}  # test parameters are not stored


@pytest.mark.parametrize(
    "args, code",
    [
        ({"address": "nas.invalid", "share": "s"}, 700),
        ({"address": "bad host!", "share": "s"}, 700),
        ({"address": "192.0.2.10", "share": "s"}, 760),
        ({"address": "mynas", "share": "s", "user": "u", "pass": ""}, 710),
        ({"address": "mynas", "share": "s", "user": "u", "pass": "wrong-pass"}, 710),
        ({"address": "mynas", "share": "readonly"}, 740),
        ({"address": "mynas", "share": "/noreadback"}, 750),
    ],
)
def test_nas_rules_make_the_job_fail(call, camera, clock, args, code):
    job_id = start_test(call, camera, **args)
    clock.advance(JOB_SECONDS["sharetest"] * 2)
    error = job_state(call, camera, job_id)["GeneralError"]
    assert int(error["ErrorCode"]) == code and error["ErrorDescription"]


def test_failure_shows_progress_until_it_happens(call, camera, clock):
    job_id = start_test(call, camera, address="mynas", share="readonly")
    clock.advance(JOB_SECONDS["sharetest"] * 0.3)
    assert job_state(call, camera, job_id) == {"Progress": "30"}
    clock.advance(JOB_SECONDS["sharetest"] * 0.3)
    assert int(job_state(call, camera, job_id)["GeneralError"]["ErrorCode"]) == 740


def test_stored_share_fault_and_overrides(call, camera, clock):
    add(call, camera, shareid="nas", user="nasuser", **{"pass": "wrong"})
    camera.shares["nas"].fault_code = 720
    faulty = start_test(call, camera, shareid="nas")
    camera.shares["nas"].fault_code = None
    wrong_password = start_test(call, camera, shareid="nas")
    overridden = start_test(call, camera, shareid="nas", **{"pass": "right"})
    clock.advance(JOB_SECONDS["sharetest"] * 2)
    assert int(job_state(call, camera, faulty)["GeneralError"]["ErrorCode"]) == 720
    assert int(job_state(call, camera, wrong_password)["GeneralError"]["ErrorCode"]) == 710
    assert "GeneralSuccess" in job_state(call, camera, overridden)
    assert camera.shares["nas"].password == "wrong"


def test_fault_on_a_stored_share_also_hits_tests_by_address(call, camera, clock):
    add(call, camera, shareid="nas", address="NAS1", share="rec")
    camera.shares["nas"].fault_code = 760
    job_id = start_test(call, camera, address="nas1", share="REC")
    clock.advance(JOB_SECONDS["sharetest"] * 2)
    assert int(job_state(call, camera, job_id)["GeneralError"]["ErrorCode"]) == 760


def test_faults_object_shapes_share_jobs(call, camera, clock):
    class HangingFaults:
        def shape_job(self, job):
            job.never_finish = True

    class FailingFaults:
        def shape_job(self, job):
            job.fail_at = 10

    hanging = start_test(call, camera, address="mynas", share="s", faults=HangingFaults())
    failing = start_test(call, camera, address="mynas", share="readonly", faults=FailingFaults())
    clock.advance(JOB_SECONDS["sharetest"] * 5)
    assert job_state(call, camera, hanging) == {"Progress": "99"}
    # an injected failure without a code is an internal mount error; it wins over the NAS rule
    assert int(job_state(call, camera, failing)["GeneralError"]["ErrorCode"]) == 720


def test_test_errors_and_too_many_jobs(call, camera, clock):
    assert error_code(call(camera, NS + "test.cgi")) == 20
    assert error_code(call(camera, NS + "test.cgi", address="mynas")) == 20
    assert error_code(call(camera, NS + "test.cgi", shareid="ghost")) == 20
    assert error_code(call(camera, NS + "test.cgi", address="a", share="b", schemaversion="2")) == 40
    for _ in range(3):
        start_test(call, camera, address="mynas", share="s")
    assert error_code(call(camera, NS + "test.cgi", address="mynas", share="s")) == 730
    clock.advance(JOB_SECONDS["sharetest"] * 2)
    assert start_test(call, camera, address="mynas", share="s") > 0


def test_job_errors(call, camera):
    job_id = start_test(call, camera, address="mynas", share="s")
    assert error_code(call(camera, NS + "job.cgi", jobid=str(job_id))) == 20  # no schemaversion
    assert error_code(call(camera, NS + "job.cgi", schemaversion="2", jobid=str(job_id))) == 40
    assert error_code(call(camera, NS + "job.cgi", schemaversion="1")) == 20
    assert error_code(call(camera, NS + "job.cgi", schemaversion="1", jobid="999")) == 20
    assert error_code(call(camera, NS + "job.cgi", schemaversion="1", jobid="abc")) == 20


def test_job_ids_are_shared_with_disk_jobs(call, camera):
    first = start_test(call, camera, address="mynas", share="s")
    second = start_test(call, camera, address="mynas", share="s")
    assert second == first + 1 and camera.next_job_id == second + 1


def test_schemaversions(call, camera):
    body = call(camera, NS + "schemaversions.cgi").doc["NetworkShareResponse"]
    version = body["SchemaVersionsSuccess"]["SchemaVersion"]
    assert version == {"VersionNumber": "1.0", "Deprecated": "false"}


def test_recordings_on_the_nas_survive_an_unbind_bind_cycle(camera, call):
    added = call(camera, "disks/networkshare/add.cgi", nicename="nas", address="nas.example.com", share="rec")
    share_id = added.doc["NetworkShareResponse"]["AddSuccess"]["@ShareId"]
    call(camera, "disks/networkshare/bind.cgi", shareid=share_id, automaticmount="no")
    camera.disks["NetworkShare"].used_kb = 4096
    assert call(camera, "disks/networkshare/unbind.cgi", shareid=share_id).status == 200
    assert camera.disks["NetworkShare"].used_kb == 0
    call(camera, "disks/networkshare/bind.cgi", shareid=share_id, automaticmount="no")
    assert camera.disks["NetworkShare"].used_kb == 4096


# --- mount options (Storage.S#.ExtraMountOptions) the simulated NAS insists on ---------------


def test_a_nas_that_needs_smb3_mounts_only_with_vers_3(call, camera, clock):
    from vapix_sim.model import Share

    camera.shares["s1"] = Share("s1", "nas", "nas.example.com", "rec", required_mount_options="vers=3.0")
    bound = call(camera, "disks/networkshare/bind.cgi", shareid="s1", automaticmount="yes")
    assert "BindSuccess" in bound.text
    disk = camera.disks["NetworkShare"]
    assert disk.present and not disk.mounted  # bound, but the mount failed
    job = call(camera, "disks/mount.cgi", action="mount", diskid="NetworkShare").doc["root"]["job"]["@jobid"]
    clock.advance(60)
    done = call(camera, "disks/job.cgi", jobid=job, diskid="NetworkShare").doc["root"]["job"]
    assert done["@result"] == "ERROR" and "mount options" in done["@description"]
    assert (
        call(
            camera, "param.cgi", action="update", **{"root.Storage.S1.ExtraMountOptions": "vers=3.0,noserverino"}
        ).text.strip()
        == "OK"
    )
    job = call(camera, "disks/mount.cgi", action="mount", diskid="NetworkShare").doc["root"]["job"]["@jobid"]
    clock.advance(60)
    assert call(camera, "disks/job.cgi", jobid=job, diskid="NetworkShare").doc["root"]["job"]["@result"] == "OK"
    assert disk.mounted
