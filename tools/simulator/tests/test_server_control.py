"""The /sim/ control endpoint: request log, summary, state drift, reset."""

from __future__ import annotations

import requests


def test_log_masks_secrets_and_flags_writes(sim_fleet):
    session = sim_fleet.session()
    session.get(sim_fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5)
    session.get(
        sim_fleet.cgi_url(
            "disks/networkshare/add.cgi?schemaversion=1&nicename=nas&address=10.0.0.5&share=rec&user=bob&pass=s3cret"
        ),
        timeout=5,
    )
    session.post(
        sim_fleet.cgi_url("simtest/echo.cgi"),
        data={"passphrase": "p4ss", "newpassphrase": "n3w", "action": "set", "adminPassword": "x"},
        timeout=5,
    )
    status, log = sim_fleet.control("GET", "log")
    assert status == 200
    served = [entry for entry in log if entry["status"] == 200]
    assert [entry["cgi"] for entry in served] == ["disks/list.cgi", "disks/networkshare/add.cgi", "simtest/echo.cgi"]
    listing, add, echo = served
    assert listing["write"] is False and listing["method"] == "GET"
    assert listing["args"] == {"diskid": "all"}
    assert listing["user"] == "root"
    assert add["write"] is True
    assert add["args"]["pass"] == "********"
    assert add["args"]["user"] == "bob"
    assert echo["write"] is True and echo["method"] == "POST"
    assert echo["args"] == {
        "passphrase": "********",
        "newpassphrase": "********",
        "action": "set",
        "adminPassword": "********",
    }
    assert all(isinstance(entry["t"], float) for entry in log)
    raw = requests.get(sim_fleet.url("sim/log"), timeout=5).text
    assert "s3cret" not in raw and "p4ss" not in raw and "n3w" not in raw
    # The secret did reach the device.
    assert next(iter(sim_fleet.device(0).shares.values())).password == "s3cret"


def test_write_flag_uses_the_cgi_classifier(sim_fleet):
    session = sim_fleet.session()
    session.get(sim_fleet.cgi_url("param.cgi?action=list&group=Brand"), timeout=5)
    session.get(sim_fleet.cgi_url("param.cgi?action=update&Image.I0.Appearance.Rotation=0"), timeout=5)
    log = [e for e in sim_fleet.control("GET", "log")[1] if e["status"] == 200]
    assert [e["write"] for e in log] == [False, True]


def test_log_delete_and_summary(sim_fleet):
    session = sim_fleet.session()
    for i in (0, 0, 3):
        session.get(sim_fleet.cgi_url("disks/list.cgi?diskid=all", i=i), timeout=5)
    session.get(sim_fleet.cgi_url("simtest/admin.cgi", i=3), timeout=5)
    summary = sim_fleet.control("GET", "fleet/log-summary", i=1)[1]
    cam = summary["devices"]["cam-0001"]
    rec = summary["devices"]["rec-0004"]
    assert (cam["reads"], cam["writes"], cam["by_cgi"]) == (2, 0, {"disks/list.cgi": 2})
    assert cam["unauthorized"] == 1 and cam["requests"] == 3
    assert (rec["reads"], rec["writes"]) == (1, 1)
    assert rec["by_cgi"] == {"disks/list.cgi": 1, "simtest/admin.cgi": 1}
    assert summary["devices"]["cam-0002"]["requests"] == 0
    assert summary["totals"]["reads"] == 3 and summary["totals"]["writes"] == 1
    assert summary["totals"]["devices"] == 4
    assert sim_fleet.control("DELETE", "log")[1] == {"cleared": 3}
    assert sim_fleet.control("GET", "log")[1] == []
    summary = sim_fleet.control("GET", "fleet/log-summary")[1]
    assert summary["devices"]["cam-0001"]["requests"] == 0
    # The recorder's log is its own: one challenge, then two served requests.
    assert summary["devices"]["rec-0004"]["requests"] == 3
    assert summary["devices"]["rec-0004"]["unauthorized"] == 1


def test_log_is_bounded(fleet_factory):
    fleet = fleet_factory(log_size=5)
    for _ in range(8):
        requests.get(fleet.cgi_url("simtest/anonymous.cgi"), timeout=5)
    assert len(fleet.control("GET", "log")[1]) == 5
    assert fleet.control("GET", "fleet/log-summary")[1]["totals"]["reads"] == 8


def test_state_masks_secrets(sim_fleet):
    session = sim_fleet.session()
    session.get(
        sim_fleet.cgi_url(
            "disks/networkshare/add.cgi?schemaversion=1&nicename=nas&address=10.0.0.5&share=rec&user=bob&pass=s3cret"
        ),
        timeout=5,
    )
    status, state = sim_fleet.control("GET", "state")
    assert status == 200
    assert state["serial"] == sim_fleet.device(0).serial
    assert state["users"]["root"]["password"] == "********"
    share = next(iter(state["shares"].values()))
    assert share["password"] == "********" and share["user"] == "bob"
    assert state["disks"]["SD_DISK"]["passphrase_state"] == "ok"
    assert state["disks"]["SD_DISK"]["passphrase"] is None


def test_drift_patch_is_seen_by_the_cgis(sim_fleet):
    status, state = sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": {"cleanup_max_age": 3}}})
    assert status == 200
    assert state["disks"]["SD_DISK"]["cleanup_max_age"] == 3
    listing = sim_fleet.session().get(sim_fleet.cgi_url("disks/list.cgi?diskid=SD_DISK"), timeout=5).text
    assert 'cleanupmaxage="3"' in listing
    # Drift is not a request of the collection: nothing in the log.
    assert [e["cgi"] for e in sim_fleet.control("GET", "log")[1] if e["status"] == 200] == ["disks/list.cgi"]


def test_patch_adds_and_removes_items(sim_fleet):
    status, state = sim_fleet.control(
        "POST",
        "state",
        payload={
            "shares": {"77": {"nice_name": "drift", "address": "10.1.1.1", "share": "s"}},
            "profiles": {"5": {"disk_id": "SD_DISK", "options": "resolution=640x480"}},
            "params": {"Image.I0.Appearance.Rotation": "180"},
        },
    )
    assert status == 200
    assert state["shares"]["77"]["share_id"] == "77"
    assert state["profiles"]["5"]["profile_id"] == 5
    device = sim_fleet.device(0)
    assert device.profiles[5].options == "resolution=640x480"
    assert device.shares["77"].nice_name == "drift"
    listing = (
        sim_fleet.session()
        .get(sim_fleet.cgi_url("disks/networkshare/list.cgi?schemaversion=1&shareid=all"), timeout=5)
        .text
    )
    assert "drift" in listing
    status, state = sim_fleet.control("POST", "state", payload={"shares": {"77": None}})
    assert status == 200 and "77" not in state["shares"]


def test_patch_adds_and_removes_external_devices_on_a_recorder(sim_fleet):
    status, state = sim_fleet.control(
        "POST",
        "state",
        i=3,
        payload={"external_devices": {"cam9": {"description": "drifted camera", "password": "pw"}}},
    )
    assert status == 200
    assert state["external_devices"]["cam9"]["dev_id"] == "cam9"
    assert state["external_devices"]["cam9"]["password"] == "********"
    listing = (
        sim_fleet.session().get(sim_fleet.cgi_url("externalipdeviceinfo/list.cgi?schemaversion=2", i=3), timeout=5).text
    )
    assert "drifted camera" in listing
    status, state = sim_fleet.control("POST", "state", i=3, payload={"external_devices": {"cam9": None}})
    assert status == 200 and state["external_devices"] == {}


def test_null_empties_optional_fields_and_is_refused_elsewhere(sim_fleet):
    sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": {"passphrase": "x"}}})
    assert sim_fleet.device(0).disks["SD_DISK"].passphrase == "x"
    status, state = sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": {"passphrase": None}}})
    assert status == 200 and state["disks"]["SD_DISK"]["passphrase"] is None
    assert sim_fleet.device(0).disks["SD_DISK"].passphrase is None
    for patch in ({"disks": {"SD_DISK": {"cleanup_max_age": None}}}, {"firmware": None}):
        status, body = sim_fleet.control("POST", "state", payload=patch)
        assert status == 400 and "cannot be null" in body["error"]


def test_patch_keeps_disk_identity_for_jobs_in_flight(fleet_factory, clock):
    fleet = fleet_factory(clock=clock, job_time_scale=0.5)
    disk_before = fleet.device(0).disks["SD_DISK"]
    fleet.control("POST", "state", payload={"disks": {"SD_DISK": {"friendly_name": "x"}}})
    assert fleet.device(0).disks["SD_DISK"] is disk_before
    assert disk_before.friendly_name == "x"


def test_invalid_patches_change_nothing(sim_fleet):
    before = sim_fleet.control("GET", "state")[1]
    bad = [
        {"disks": {"SD_DISK": {"cleanup_max_age": "three"}}},
        {"disks": {"SD_DISK": {"no_such_field": 1}}},
        {"disks": {"SD_DISK": {"cleanup_max_age": 1}}, "port": 1},
        {"auth_policy": "kerberos"},
        {"shares": {"9": {"nice_name": "missing address"}}},
        {"profiles": {"x": {"disk_id": "SD_DISK", "options": ""}}},
        {"no_such": 1},
        [1, 2],
    ]
    for patch in bad:
        status, body = sim_fleet.control("POST", "state", payload=patch)
        assert status == 400, patch
        assert body["error"]
    response = requests.post(sim_fleet.url("sim/state"), data=b"{not json", timeout=5)
    assert response.status_code == 400
    assert sim_fleet.control("GET", "state")[1] == before


def test_reset_restores_factory_state_and_clears_log(sim_fleet):
    session = sim_fleet.session()
    session.get(
        sim_fleet.cgi_url("disks/networkshare/add.cgi?schemaversion=1&nicename=nas&address=10.0.0.5&share=r"), timeout=5
    )
    sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": {"cleanup_max_age": 3}}, "auth_policy": "basic"})
    sim_fleet.control("POST", "faults", payload={"latency_ms": 5})
    status, state = sim_fleet.control("POST", "reset")
    assert status == 200
    assert state["shares"] == {}
    assert state["disks"]["SD_DISK"]["cleanup_max_age"] == 7
    assert state["auth_policy"] == "recommended"
    assert sim_fleet.control("GET", "log")[1] == []
    assert sim_fleet.control("GET", "faults")[1]["latency_ms"] == 0
    assert session.get(sim_fleet.cgi_url("disks/list.cgi"), timeout=5).status_code == 200


def test_reset_keeps_fleet_options(fleet_factory):
    fleet = fleet_factory(second_sd=True, auth_policy="basic")
    state = fleet.control("POST", "reset")[1]
    assert "SD_DISK2" in state["disks"]
    assert state["auth_policy"] == "basic"


def test_control_endpoint_errors(sim_fleet):
    assert sim_fleet.control("GET", "nosuch")[0] == 404
    status, body = sim_fleet.control("PUT", "log")
    assert status == 405 and "GET" in body["error"]
    assert requests.get(sim_fleet.url("sim/state"), timeout=5).headers["Content-Type"] == "application/json"


def test_control_is_off_unless_enabled(fleet_factory):
    fleet = fleet_factory(control=False)
    response = requests.get(fleet.url("sim/log"), timeout=5)
    assert response.status_code == 404
    assert "404 Not Found" in response.text


def test_log_names_the_arguments_that_came_in_the_url(sim_fleet):
    session = sim_fleet.session()
    # A share password in a POST form body, as a client keeping secrets out of URLs sends it.
    session.post(
        sim_fleet.cgi_url("disks/networkshare/add.cgi?schemaversion=1"),
        data={"nicename": "nas", "address": "10.0.0.5", "share": "rec", "user": "bob", "pass": "Form-S3cret"},
        timeout=5,
    )
    session.get(sim_fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5)
    _status, log = sim_fleet.control("GET", "log")
    add, listing = [entry for entry in log if entry["status"] == 200]
    assert add["method"] == "POST" and add["url_args"] == ["schemaversion"]
    assert add["args"]["pass"] == "********" and add["args"]["user"] == "bob"
    assert listing["url_args"] == ["diskid"]
    # The form body was honoured like a query string.
    assert next(iter(sim_fleet.device(0).shares.values())).password == "Form-S3cret"


def test_state_masks_every_stored_secret(sim_fleet):
    session = sim_fleet.session()
    session.post(
        sim_fleet.cgi_url("disks/properties/enablediskencryption.cgi"),
        data={"schemaversion": "1", "diskid": "SD_DISK", "passphrase": "Disk-Phrase-1"},
        timeout=5,
    )
    device = sim_fleet.device(0)
    # The passphrase the content was written with is a secret too, not only the configured one.
    device.disks["SD_DISK"].content_passphrase = "Disk-Phrase-0"
    status, state = sim_fleet.control("GET", "state")
    assert status == 200
    raw = requests.get(sim_fleet.url("sim/state"), timeout=5).text
    for secret in ("Disk-Phrase-1", "Disk-Phrase-0", device.users["root"].password, device.users["viewer"].password):
        assert secret not in raw
    disk = state["disks"]["SD_DISK"]
    assert disk["content_passphrase"] == "********"
    assert disk["passphrase_state"] != "********"
    assert {user["password"] for user in state["users"].values()} == {"********"}


def _listed_sd(sim_fleet, session):
    import xmltodict

    text = session.get(sim_fleet.cgi_url("disks/list.cgi?diskid=all"), timeout=5).text
    disks = xmltodict.parse(text)["root"]["disks"]["disk"]
    return dict((d["@diskid"], d) for d in (disks if isinstance(disks, list) else [disks]))


def test_disk_states_a_health_check_must_see_can_be_set_and_are_listed(sim_fleet):
    """A removed card, an unmounted, read-only, locked or full disk, or no disk at all: each one
    patch of /sim/state away, and disks/list.cgi lists it as a device would."""
    session = sim_fleet.session()
    total = sim_fleet.device(0).disks["SD_DISK"].total_kb
    cases = [
        ({"present": False}, {"@status": "disconnected", "@totalsize": "0", "@full": "no"}),
        ({"mounted": False}, {"@status": "connected", "@totalsize": "0"}),
        ({"readonly": True}, {"@status": "OK", "@readonly": "yes"}),
        ({"locked": True}, {"@status": "OK", "@locked": "yes"}),
        ({"used_kb": total}, {"@status": "OK", "@full": "yes", "@freesize": "0"}),
        ({"failed": True}, {"@status": "failed"}),
    ]
    for patch, listed in cases:
        assert sim_fleet.control("POST", "reset")[0] == 200
        assert sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": patch}})[0] == 200
        sd = _listed_sd(sim_fleet, session)["SD_DISK"]
        assert dict((k, sd[k]) for k in listed) == listed, (patch, sd)
    sim_fleet.control("POST", "reset")
    sim_fleet.control("POST", "state", payload={"disks": {"SD_DISK": None}})
    assert "SD_DISK" not in _listed_sd(sim_fleet, session)
