# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VAPIX client and job polling against the simulator: auth, error envelopes, masking,
retries, and jobs that fail, never end, or are cut off by a reboot."""

import time

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._capabilities import Capabilities
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import JobWaiter
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets, is_secret_arg

from vapix_sim.model import DEFAULT_PASSWORDS  # importable: conftest puts the simulator on sys.path

CAMERA = 1  # this file's camera; other test files use other devices or reset theirs
RECORDER = 3
SECRET = "Correct-Horse-42"


@pytest.fixture
def camera(sim):
    sim.reset(CAMERA)
    sim.patch(CAMERA, {"users": {"root": {"password": SECRET}}})
    yield CAMERA
    sim.reset(CAMERA)


def client_for(sim, index, password=SECRET, username="root", sleep=None):
    kwargs = {"sleep": sleep} if sleep else {}
    return VapixClient("127.0.0.1", sim.port(index), username, password, timeout=5, **kwargs)


def statuses(sim, index):
    return [entry["status"] for entry in sim.log(index)]


def test_digest_is_negotiated_once_per_session(sim, camera):
    client = client_for(sim, camera)
    for _attempt in range(5):
        client.xml("disks/list.cgi", {"diskid": "all"})
    assert client.auth_scheme == "digest"
    assert statuses(sim, camera).count(401) == 1
    assert client.request_count == 6  # one challenge, then five answered requests


def test_basic_is_used_when_the_device_offers_only_basic(sim, camera):
    sim.patch(camera, {"auth_policy": "basic"})
    client = client_for(sim, camera)
    client.xml("disks/list.cgi", {"diskid": "all"})
    client.xml("disks/list.cgi", {"diskid": "all"})
    assert client.auth_scheme == "basic"
    assert statuses(sim, camera).count(401) == 1


def test_wrong_password_is_an_auth_error_that_does_not_leak_the_password(sim, camera):
    client = client_for(sim, camera, password="Wrong-Password-7")
    with pytest.raises(VapixError) as failure:
        client.xml("disks/list.cgi", {"diskid": "all"})
    assert failure.value.kind == "auth" and failure.value.status == 401
    assert "Wrong-Password-7" not in str(failure.value)


def test_a_viewer_calling_an_admin_cgi_is_refused(sim, camera):
    client = client_for(sim, camera, username="viewer", password=DEFAULT_PASSWORDS["viewer"])
    with pytest.raises(VapixError) as failure:
        client.xml("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, write=True)
    assert failure.value.kind == "auth"
    assert sim.writes(camera) == [] or all(e["status"] == 401 for e in sim.writes(camera))


@pytest.mark.parametrize(
    "cgi,args,code,words",
    [
        # <root> with result="ERROR" (job start): an unknown file system on format
        ("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ntfs"}, None, ""),
        # the namespaced DiskPropertiesResponse: encryption change on a mounted disk
        (
            "disks/properties/enablediskencryption.cgi",
            {"schemaversion": 1, "diskid": "SD_DISK", "passphrase": "Passphrase-0123"},
            160,
            "mounted",
        ),
        # NetworkShareResponse GeneralError: an unknown share
        ("disks/networkshare/remove.cgi", {"schemaversion": 1, "shareid": "99999"}, 20, ""),
        # record/storage GeneralError: below the minimum
        ("record/storage/setlimit.cgi", {"schemaversion": 1, "diskid": "SD_DISK", "size": 1000}, 130, ""),
    ],
)
def test_every_xml_error_envelope_names_cgi_code_and_description(sim, camera, cgi, args, code, words):
    client = client_for(sim, camera)
    with pytest.raises(VapixError) as failure:
        client.xml(cgi, args, write=True)
    exc = failure.value
    assert exc.kind == "api" and exc.cgi == cgi and exc.code == code
    assert exc.description and words in exc.description.lower()
    assert str(exc).startswith(cgi + ": ")
    assert "Passphrase-0123" not in str(exc)


def test_device_response_errors_use_description(sim):
    sim.reset(RECORDER)
    client = client_for(sim, RECORDER, password=DEFAULT_PASSWORDS["root"])
    with pytest.raises(VapixError) as failure:
        client.xml("externalipdeviceinfo/create.cgi", {"schemaversion": 2, "id": "cam1", "protocol": "ftp"}, write=True)
    assert failure.value.code == 190 and failure.value.description


def test_param_cgi_error_text_is_an_error(sim, camera):
    client = client_for(sim, camera)
    with pytest.raises(VapixError) as failure:
        client.param_update({"Storage.S0.DiskID": "OTHER"})
    assert failure.value.cgi == "param.cgi" and "DiskID" in failure.value.description


def test_a_missing_cgi_is_unsupported_and_capabilities_name_the_model(sim, camera):
    client = client_for(sim, camera)
    with pytest.raises(VapixError) as failure:
        client.xml("externalipdeviceinfo/list.cgi", {"schemaversion": 2})
    assert failure.value.kind == "unsupported" and failure.value.status == 404
    caps = Capabilities(client)
    message = str(caps.missing("ext-ip-dev-info", "manage external devices"))
    assert "AXIS P3268-LVE Dome Camera (firmware 12.11.77)" in message
    assert "External IP Device Information API" in message


def test_secrets_are_masked_in_urls_and_the_request_log(sim, camera):
    client = client_for(sim, camera)
    client.secrets.add("Passphrase-0123")
    url = client.masked_url(
        "disks/properties/changediskpassphrase.cgi",
        {"oldpassphrase": "Passphrase-0123", "newpassphrase": "x-Other-9", "diskid": "SD_DISK"},
    )
    assert "Passphrase-0123" not in url and "x-Other-9" not in url and "diskid=SD_DISK" in url
    with pytest.raises(VapixError):
        client.xml(
            "disks/properties/changediskpassphrase.cgi",
            {"schemaversion": 1, "diskid": "SD_DISK", "oldpassphrase": "Passphrase-0123", "newpassphrase": "x-Other-9"},
            write=True,
        )
    assert "Passphrase-0123" not in repr(client.log) and "x-Other-9" not in repr(client.log)


def test_reads_are_retried_through_503_bursts_and_dropped_connections(sim, camera):
    naps = []
    client = client_for(sim, camera, sleep=naps.append)
    client.xml("disks/list.cgi", {"diskid": "all"})
    sim.faults(camera, {"http_503": 2})
    assert client.xml("disks/list.cgi", {"diskid": "all"})
    sim.faults(camera, {"drop": 1})
    assert client.xml("disks/list.cgi", {"diskid": "all"})
    assert len(naps) == 3 and naps[1] > naps[0]  # growing backoff


def test_writes_that_start_jobs_are_not_retried(sim, camera):
    naps = []
    client = client_for(sim, camera, sleep=naps.append)
    client.xml("disks/list.cgi", {"diskid": "all"})
    sim.faults(camera, {"http_503": 1})
    with pytest.raises(VapixError) as failure:
        client.xml("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, write=True)
    assert failure.value.status == 503 and naps == []
    assert all(entry["status"] == 503 for entry in sim.writes(camera))


def start_format(client):
    doc = client.xml("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, write=True)
    return doc["root"]["job"]["@jobid"]


def test_a_job_is_polled_to_the_end(sim, camera):
    client = client_for(sim, camera)
    job_id = start_format(client)
    outcome = JobWaiter(client, timeout=30).disk_job(job_id, "SD_DISK", "format")
    assert outcome["result"] == "ok" and outcome["job_id"] == int(job_id) and outcome["seconds"] >= 0


def test_a_failing_job_raises_with_its_description(sim, camera):
    client = client_for(sim, camera)
    sim.faults(camera, {"job_fail": {"at": 40, "description": "Bad block at sector 42"}})
    job_id = start_format(client)
    with pytest.raises(VapixError) as failure:
        JobWaiter(client, timeout=30).disk_job(job_id, "SD_DISK", "format")
    assert failure.value.kind == "job" and "Bad block at sector 42" in str(failure.value)


def test_a_job_that_never_ends_times_out_at_the_deadline(sim, camera, fake_clock):
    client = client_for(sim, camera)
    sim.faults(camera, {"job_hang": True})
    job_id = start_format(client)
    started = fake_clock()
    with pytest.raises(VapixError) as failure:
        JobWaiter(client, timeout=1, clock=fake_clock, sleep=fake_clock.advance).disk_job(job_id, "SD_DISK", "format")
    assert failure.value.kind == "timeout" and "job_timeout=1" in str(failure.value)
    # the waiter slept on the clock it was given, up to the deadline and not much past it
    assert 1 <= fake_clock() - started < 2


def test_a_reboot_mid_job_is_waited_out_then_reported(sim, camera):
    client = client_for(sim, camera)
    sim.faults(camera, {"job_hang": True})
    job_id = start_format(client)
    sim.faults(camera, {"reboot_seconds": 1.0})
    started = time.monotonic()
    with pytest.raises(VapixError) as failure:
        JobWaiter(client, timeout=20).disk_job(job_id, "SD_DISK", "format")
    # Not failed at once: the waiter kept polling through the reboot, then the device said the
    # job is gone (a reboot drops in-flight jobs): a lost job, not a failed one.
    assert time.monotonic() - started >= 0.9
    assert failure.value.kind == "restarted" and "restarted during the job" in failure.value.description


def test_a_reboot_shorter_than_the_poll_interval_is_still_a_lost_job(sim, camera, fake_clock):
    client = client_for(sim, camera)
    sim.faults(camera, {"job_hang": True})
    job_id = start_format(client)
    sim.faults(camera, {"reboot_seconds": 0.05})
    fake_clock.advance(0.3)  # the device is back before the first poll: the waiter never saw it away
    with pytest.raises(VapixError) as failure:
        JobWaiter(client, timeout=20, clock=fake_clock, sleep=fake_clock.advance).disk_job(job_id, "SD_DISK", "format")
    assert failure.value.kind == "restarted" and "no longer knew job %s" % job_id in failure.value.description


# --- secrets travel in form bodies, never in URLs -------------------------------------------


def secret_urls(sim, index):
    """Log entries whose URL (query string) carried a secret argument."""
    return [entry for entry in sim.log(index) if any(is_secret_arg(name) for name in entry["url_args"])]


def test_a_secret_argument_goes_in_a_post_body(sim, camera):
    client = client_for(sim, camera)
    doc = client.xml(
        "disks/networkshare/add.cgi",
        {
            "schemaversion": 1,
            "nicename": "nas",
            "address": "192.0.2.5",
            "share": "rec",
            "user": "bob",
            "pass": "Share-S3cret",
        },
        write=True,
    )
    assert doc
    entry = [e for e in sim.log(camera) if e["cgi"] == "disks/networkshare/add.cgi" and e["status"] == 200][0]
    assert entry["method"] == "POST" and "pass" not in entry["url_args"]
    assert next(iter(sim.device(camera).shares.values())).password == "Share-S3cret"
    # Without a secret the call stays a GET with a query string.
    client.xml("disks/list.cgi", {"diskid": "all"})
    assert sim.log(camera)[-1]["method"] == "GET" and sim.log(camera)[-1]["url_args"] == ["diskid"]


def test_no_secret_reaches_a_url_when_modules_send_passwords_and_passphrases(sim, fake_clock):
    from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
    from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare

    share = sim.run(
        NetworkShare,
        0,
        name="nas",
        address="192.0.2.5",
        share="rec",
        share_user="bob",
        share_password="Share-S3cret",
        bound=False,
        test=False,
    )
    assert not share.get("failed"), share.get("msg")
    changed = sim.run(
        NetworkShare,
        0,
        name="nas",
        address="192.0.2.5",
        share="rec",
        share_user="bob",
        share_password="Share-S3cret-2",
        update_password="always",
        bound=False,
        test=False,
    )
    assert not changed.get("failed"), changed.get("msg")
    encrypted = sim.run(Encryption, 0, disk_id="SD_DISK", passphrase="Disk-Phrase-1", allow_format=True)
    assert not encrypted.get("failed"), encrypted.get("msg")
    rotated = sim.run(
        Encryption, 0, disk_id="SD_DISK", passphrase="Disk-Phrase-2", old_passphrase="Disk-Phrase-1", allow_format=True
    )
    assert not rotated.get("failed"), rotated.get("msg")
    sent = [e["cgi"] for e in sim.log(0) if e["status"] == 200 and e["write"]]
    assert "disks/networkshare/add.cgi" in sent and any("passphrase" in cgi or "encryption" in cgi for cgi in sent)
    assert secret_urls(sim, 0) == []


# --- masking values, not words -----------------------------------------------------------------


def test_a_short_password_does_not_garble_words_in_messages():
    secrets = Secrets()
    secrets.add("pass")
    text = (
        "share_password and update_password unchanged; changediskpassphrase.cgi failed; "
        "pass=pass&user=bob; the password 'pass' was refused"
    )
    assert secrets.mask(text) == (
        "share_password and update_password unchanged; changediskpassphrase.cgi "
        "failed; pass=********&user=bob; the password '********' was refused"
    )


def test_secrets_are_masked_wherever_they_stand_as_values():
    secrets = Secrets()
    secrets.add("Correct-Horse-42")
    secrets.add("-dash-")
    assert secrets.mask("pw=Correct-Horse-42,x") == "pw=********,x"
    assert secrets.mask("[Correct-Horse-42]") == "[********]"
    assert secrets.mask("Correct%2DHorse-42") == "Correct%2DHorse-42"  # not that value
    assert secrets.mask("a-dash-b") == "a********b"  # non-word edges match anywhere
    assert secrets.mask("Correct-Horse-42x") == "Correct-Horse-42x"  # a longer token is another value
