# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A network (CIFS/SMB) share of a device: disks/networkshare/*.cgi plus the NetworkShare disk.

The device's rules shape every plan: only the nice name of a bound share may change, a mounted
share cannot be unbound, and only one share can be bound (to the disk `NetworkShare`). So a
change to a bound share is: test, unmount, unbind, modify, bind, mount again. The password is
write-only (list.cgi never returns it); `update_password` says how the module deals with that.
Choices where the spec is silent are listed in the module's notes (plugins/modules/axis_networkshare.py).
"""

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import (
    list_disks,
    refresh_disks,
    start_disk_job,
    unmounted_note,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    InputError,
    JobError,
    StateError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import share_error_meaning
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import MASK
from ansible_collections.vapix.edge_storage.plugins.module_utils._share_disk import ShareDisk
from ansible_collections.vapix.edge_storage.plugins.module_utils._shares import (
    MOUNT_ERROR,
    SHARE_TEST_CODES,
    list_shares,
    param_group,
    same_address,
    share_cgi,
    share_text,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import (
    JOB_TIMEOUT_ARGSPEC,
    check_job_timeout,
    update_password_decision,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import SHARE_DISK_ID
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

SHARE_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]+$")
UPDATE_PASSWORD_MODES = ("on_create", "always", "verify")
# update_password=verify before its share test has run
PENDING = object()
# Refusals of the Network share API that may mean another client (a concurrent run of the same
# declaration, or the last request of a killed run) made this very change first: add.cgi 210/220
# (ShareId/NiceName not unique) and bind.cgi 310 (already bound to a disk). The state is read
# back; the step is done if the device now holds exactly what it would have made.
ALREADY_THERE_CODES = {"add": (210, 220), "bind": (310,)}


class NetworkShare(ShareDisk, Resource):
    result_key = "share"
    argument_spec = dict(
        name=dict(type="str"),
        share_id=dict(type="str"),
        address=dict(type="str"),
        share=dict(type="str"),
        share_user=dict(type="str"),
        share_password=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=list(UPDATE_PASSWORD_MODES), default="on_create", no_log=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        bound=dict(type="bool", default=True),
        automatic_mount=dict(type="bool"),
        test=dict(type="bool", default=True),
        mount_options=dict(type="str"),
        allow_data_loss=dict(type="bool", default=False),
        **JOB_TIMEOUT_ARGSPEC,
    )
    module_kwargs = dict(
        required_if=[("state", "present", ("name", "address", "share"))],
        required_one_of=[("name", "share_id")],
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.created_id = None
        self.send_password = False
        self.password_update = None
        self.shares = {}
        self.last_test_meaning = None
        self.stored_test = PENDING  # the verify step's answer: None (passed) or the error code
        self.verify_pending = False
        self.mount_param_key = None
        self.wanted = None

    # --- input -------------------------------------------------------------------------

    def validate(self):
        p = self.params
        share_id = p.get("share_id")
        if share_id is not None and (not SHARE_ID_PATTERN.match(share_id) or share_id.lower() == "all"):
            raise InputError(
                None,
                "share_id=%r: a share id is letters, digits and '-' only ([A-Za-z0-9-]+), "
                "and 'all' is reserved" % share_id,
            )
        if p["state"] == "absent":
            return
        for option in ("name", "address", "share"):
            if not share_text(p.get(option)).strip():
                raise InputError(None, "%s must not be empty when state=present" % option)
        if p["update_password"] in ("always", "verify") and p.get("share_password") is None:
            raise InputError(
                None,
                "update_password=%s needs share_password: there is nothing to send or verify "
                "(allowed modes: %s)" % (p["update_password"], ", ".join(UPDATE_PASSWORD_MODES)),
            )
        check_job_timeout(p)
        self.validate_mount_options()

    # --- read --------------------------------------------------------------------------

    def _find(self, shares):
        share_id = self.created_id or self.params.get("share_id")
        if share_id:
            return shares.get(share_id)
        for share in shares.values():
            if share["name"] == self.params.get("name"):
                return share
        return None

    def read(self):
        self.shares = list_shares(self.device)
        found = self._find(self.shares)
        if found is None:
            return None
        state = dict((key, found[key]) for key in ("share_id", "name", "address", "share", "user"))
        state["bound"] = found["disk_id"] is not None
        state["disk_id"] = found["disk_id"]
        state["mounted"] = False
        state["automatic_mount"] = None
        if state["bound"]:
            disk = list_disks(self.device).get(found["disk_id"])
            state["mounted"] = bool(disk and disk["mounted"])
            if self.params.get("automatic_mount") is not None and disk:
                state["automatic_mount"] = self._read_mount_on_boot(disk["group"])
        if self.params.get("mount_options") is not None:
            state["mount_options"] = self.read_mount_options(found["disk_id"] if state["bound"] else None)
        return state

    def _read_mount_on_boot(self, group):
        """Storage.S#.MountOnBoot of the share's disk (what bind.cgi's automaticmount sets),
        or None on devices without param.cgi (recorders): then it cannot be compared."""
        if not group:
            return None
        name = "Storage.%s" % group
        self.mount_param_key = "param:%s" % name
        value = param_group(self.device, name).get("%s.MountOnBoot" % name)
        if value is None:
            return None
        return value.strip().lower() == "yes"

    # --- desired -----------------------------------------------------------------------

    def desired(self, current):
        p = self.params
        if p["state"] == "absent":
            return None
        user = p.get("share_user")
        wanted = {
            "share_id": current["share_id"] if current else p.get("share_id"),
            "name": p["name"],
            "address": p["address"].strip(),
            "share": p["share"],
            "user": user if user is not None else (current["user"] if current else ""),
        }
        self._check_conflicts(current, wanted)
        self.wanted = wanted
        self.send_password = self._decide_password(current, wanted)
        wanted["bound"] = p["bound"]
        if p.get("mount_options") is not None:
            wanted["mount_options"] = p["mount_options"].strip()
        wanted["disk_id"] = None
        wanted["mounted"] = False
        wanted["automatic_mount"] = None
        if not p["bound"]:
            return wanted
        was_bound = bool(current and current["bound"])
        wanted["disk_id"] = current["disk_id"] if was_bound else SHARE_DISK_ID
        wanted["automatic_mount"] = self._wanted_automatic_mount(current)
        if was_bound and not self._needs_rebind(current, wanted):
            wanted["mounted"] = current["mounted"]
        else:
            # bind.cgi mounts when automaticmount=yes; the module mounts again what was mounted.
            wanted["mounted"] = self.bind_automatic_mount(wanted) or bool(was_bound and current["mounted"])
        return wanted

    def _wanted_automatic_mount(self, current):
        """The setting as the result shows it: None where the device cannot report it."""
        asked = self.params.get("automatic_mount")
        known = current["automatic_mount"] if current and current["bound"] else None
        if current and current["bound"] and known is None:
            if asked is not None:
                self.warnings.append(
                    "automatic_mount cannot be read back from %s (no Storage.S#.MountOnBoot parameter), so it "
                    "is compared with nothing and applied only when this module binds the share"
                    % self.device.caps.describe()
                )
            return None
        return asked if asked is not None else known

    def bind_automatic_mount(self, desired):
        """What bind.cgi gets: the option, else the current setting, else the device default (yes)."""
        asked = self.params.get("automatic_mount")
        value = asked if asked is not None else desired["automatic_mount"]
        return value is not False

    def _check_conflicts(self, current, wanted):
        """Refuse what the device would refuse half-way (errors 220/620 and 300), before any write."""
        own_id = current["share_id"] if current else None
        for other in self.shares.values():
            if other["share_id"] == own_id:
                continue
            if other["name"] == wanted["name"]:
                raise StateError(
                    None,
                    "name=%r is already the name of share %s (%s//%s); nice names "
                    "are unique on the device. Nothing was changed."
                    % (wanted["name"], other["share_id"], other["address"], other["share"]),
                )
            if self.params["bound"] and other["disk_id"]:
                raise StateError(
                    None,
                    "share %r (id %s) is bound to disk %s and a device binds only "
                    "one share; unbind it first (axis_networkshare name=%r bound=false) or set "
                    "bound=false here. Nothing was changed."
                    % (other["name"], other["share_id"], other["disk_id"], other["name"]),
                )

    def connection_changes(self, current, wanted):
        """Which of address, share and user differ (the fields that need an unbound share)."""
        if current is None:
            return []
        changed = []
        if not same_address(current["address"], wanted["address"]):
            changed.append("address")
        for field in ("share", "user"):
            if current[field] != wanted[field]:
                changed.append(field)
        return changed

    def _decide_password(self, current, wanted):
        """Whether this run sends share_password, and why (reported as password_update)."""
        p = self.params
        decision = update_password_decision(p, "share_password", current is not None, "share")
        if decision is not None:
            self.password_update = self._password_note(*decision)
            return decision[0]
        changed = self.connection_changes(current, wanted)
        if changed:
            self.password_update = self._password_note(
                True, "the %s changes, and the password goes with it" % " and ".join(changed)
            )
            return True
        if self.stored_test is PENDING:
            # the verify step (_verify_step) tests them first; this plan is redone with its answer
            self.verify_pending = True
            if self.check_mode:
                self.warnings.append(
                    "update_password=verify: check mode runs no share test, so the stored password "
                    "of share %s was not verified" % current["share_id"]
                )
                self.password_update = self._password_note(False, "not verified: check mode runs no share test")
            else:
                self.password_update = self._password_note(False, "not verified yet: the share test comes first")
            return False
        code = self.stored_test
        if code is None:
            self.password_update = self._password_note(False, "the stored credentials passed the share test")
            return False
        if code == MOUNT_ERROR:
            self.password_update = self._password_note(
                True, "the stored credentials failed the share test with error 710 (mount/login error)"
            )
            return True
        self.warnings.append(
            "the stored settings of share %s fail the share test with error %s, which a new "
            "password does not fix: %s" % (current["share_id"], code, self.last_test_meaning)
        )
        self.password_update = self._password_note(
            False, "the share test failed with error %s, not a login error: password left as it is" % code
        )
        return False

    def _password_note(self, write, reason):
        return {"mode": self.params["update_password"], "write": write, "reason": reason}

    # --- share tests -------------------------------------------------------------------

    def run_share_test(self, args, label):
        """Start test.cgi and wait for its job; raise VapixError (kind job) on a failed test.

        test.cgi changes no configuration, so it is sent as a read (safe to retry).
        """
        query = {"schemaversion": 1}
        query.update(args)
        try:
            doc = self.client.xml(share_cgi("test"), query)
        except VapixError as exc:
            if isinstance(exc, ApiError) and exc.code in SHARE_TEST_CODES:
                raise JobError(
                    exc.cgi, "share test of %s failed: %s" % (label, share_error_meaning(exc)), code=exc.code
                ) from exc
            raise
        started = element_list(unwrap(doc), "TestSuccess")
        job_id = started[0].get("@JobId") if started and isinstance(started[0], dict) else None
        if job_id is None:
            raise VapixError(share_cgi("test"), "the device did not return a job id for the share test")
        outcome = self.job_waiter().share_job(job_id, label)
        self.jobs.append(outcome)
        return outcome

    def _verify_step(self, current):
        share_id = current["share_id"]
        return Step(
            "verify",
            "test share %s with its stored settings (update_password=verify): share_password is "
            "written only if they fail to log in (error %d)" % (share_id, MOUNT_ERROR),
            lambda: self.test_stored_credentials(share_id),
            probe=True,
        )

    def test_stored_credentials(self, share_id):
        """verify mode: test the share as stored (by shareid); self.stored_test becomes None when
        it passes, else the error code."""
        label = "%s (stored settings)" % share_id
        self.verify_pending = False
        try:
            self.run_share_test({"shareid": share_id}, label)
        except VapixError as exc:
            if not isinstance(exc, JobError) or exc.code not in SHARE_TEST_CODES:
                raise
            self.last_test_meaning = exc.description
            self.jobs.append(
                {"action": "test", "share": label, "result": "failed", "error_code": exc.code, "error": exc.description}
            )
            self.stored_test = exc.code
            return "failed with error %s" % exc.code
        self.stored_test = None
        return "passed"

    # --- plan --------------------------------------------------------------------------

    def _needs_rebind(self, current, wanted):
        """A bound share must be unbound for anything but a nice-name change."""
        if self.connection_changes(current, wanted) or self.send_password:
            return True
        known, asked = current["automatic_mount"], self.params.get("automatic_mount")
        return asked is not None and known is not None and known != asked

    def plan(self, current, desired):
        if desired is None:
            return self._plan_absent(current) if current else []
        if current is None:
            return self._plan_create(desired)
        verify = [self._verify_step(current)] if self.verify_pending else []
        return verify + self._plan_change(current, desired)

    def _test_step(self, args, label, what):
        if not self.params["test"]:
            return []
        shown = dict((k, MASK if k == "pass" else v) for k, v in args.items())
        detail = "test share %s before %s (%s)" % (label, what, ", ".join("%s=%s" % kv for kv in sorted(shown.items())))
        return [Step("test", detail, lambda: self.run_share_test(args, label))]

    def _add_args(self, wanted):
        args = {"address": wanted["address"], "share": wanted["share"]}
        if wanted["user"]:
            args["user"] = wanted["user"]
        if self.send_password:
            args["pass"] = self.params["share_password"]
        return args

    def _plan_create(self, desired):
        args = self._add_args(desired)
        label = "%r (%s//%s)" % (desired["name"], desired["address"], desired["share"])
        steps = self._test_step(args, label, "adding it")

        def add():
            query = {"schemaversion": 1, "nicename": desired["name"]}
            query.update(args)
            if desired["share_id"]:
                query["shareid"] = desired["share_id"]
            doc = self.client.xml(share_cgi("add"), query, write=True)
            self.device.invalidate("networkshares")
            added = element_list(unwrap(doc), "AddSuccess")
            self.created_id = (added[0].get("@ShareId") if added and isinstance(added[0], dict) else None) or desired[
                "share_id"
            ]
            return {"share_id": self.created_id}

        steps.append(
            Step(
                "add",
                "add share %s%s" % (label, " with share id %s" % desired["share_id"] if desired["share_id"] else ""),
                add,
            )
        )
        if desired["bound"]:
            # before the bind: bind.cgi mounts the share, with the options the disk has then
            steps.extend(self.mount_options_steps(None, desired))
            steps.append(self._bind_step(lambda: self.created_id, desired))
        return steps

    def _plan_change(self, current, desired):
        share_id = current["share_id"]
        conn = self.connection_changes(current, desired)
        modify_args = {}
        if desired["name"] != current["name"]:
            modify_args["nicename"] = desired["name"]
        for field in conn:
            modify_args[field] = desired[field]
        if self.send_password:
            modify_args["pass"] = self.params["share_password"]
        writes_connection = bool(conn) or self.send_password
        unbind = current["bound"] and (not desired["bound"] or self._needs_rebind(current, desired))
        # Another address or share path is another folder: the recordings of this one drop out of
        # the device's reach, as on removal. Credentials (user, password) reach the same folder,
        # and the share test before the change proves they do, so they need no opt-in.
        moved = [field for field in ("address", "share") if field in conn]
        destructive = bool(current["bound"] and moved) and self._guard_recordings(current, " and ".join(moved))
        steps = []
        if writes_connection:
            test_args = {
                "shareid": share_id,
                "address": desired["address"],
                "share": desired["share"],
                "user": desired["user"],
            }
            if self.send_password:
                test_args["pass"] = self.params["share_password"]
            steps += self._test_step(test_args, "%s with the new settings" % share_id, "changing it")
        if unbind:
            steps += self._unbind_steps(current)
        if modify_args:
            steps.append(self._modify_step(share_id, modify_args, destructive))
        if desired["bound"] and (unbind or not current["bound"]):
            steps.extend(self.mount_options_steps(current, desired))
            steps.append(self._bind_step(lambda: share_id, desired))
            if current["bound"] and current["mounted"]:
                steps.append(self._mount_again_step(current["disk_id"]))
        elif desired["bound"]:
            # bound and staying bound: the options take effect at the next mount, so a mounted
            # share is mounted again with them
            option_steps = self.mount_options_steps(current, desired)
            if option_steps and current["mounted"]:
                disk_id = current["disk_id"]
                option_steps = (
                    [
                        Step(
                            "unmount",
                            "unmount disk %s so that it mounts with the new mount options" % disk_id,
                            lambda: start_disk_job(
                                self, "mount.cgi", {"action": "unmount", "diskid": disk_id}, disk_id, "unmount"
                            ),
                        )
                    ]
                    + option_steps
                    + [
                        Step(
                            "mount",
                            "mount disk %s again, with the new mount options" % disk_id,
                            lambda: start_disk_job(
                                self, "mount.cgi", {"action": "mount", "diskid": disk_id}, disk_id, "mount"
                            ),
                        )
                    ]
                )
            steps.extend(option_steps)
        return steps

    def _modify_step(self, share_id, modify_args, destructive=False):
        shown = ", ".join("%s=%s" % (k, MASK if k == "pass" else v) for k, v in sorted(modify_args.items()))

        def modify():
            query = {"schemaversion": 1, "shareid": share_id}
            query.update(modify_args)
            self.client.xml(share_cgi("modify"), query, write=True, retry_write=True)
            self.device.invalidate("networkshares")
            return "ok"

        return Step("modify", "modify share %s: %s" % (share_id, shown), modify, destructive=destructive)

    def _unbind_steps(self, current):
        share_id, disk_id = current["share_id"], current["disk_id"]
        steps = []
        if current["mounted"]:
            steps.append(
                Step(
                    "unmount",
                    "unmount disk %s (the device unbinds only unmounted shares)" % disk_id,
                    lambda: start_disk_job(
                        self, "mount.cgi", {"action": "unmount", "diskid": disk_id}, disk_id, "unmount"
                    ),
                )
            )

        def unbind():
            self.client.xml(share_cgi("unbind"), {"schemaversion": 1, "shareid": share_id}, write=True)
            self.device.invalidate("networkshares", "disks")
            return "ok"

        steps.append(Step("unbind", "unbind share %s from disk %s" % (share_id, disk_id), unbind))
        return steps

    def _bind_step(self, share_id_of, desired):
        automatic = "yes" if self.bind_automatic_mount(desired) else "no"

        def bind():
            share_id = share_id_of()
            doc = self.client.xml(
                share_cgi("bind"), {"schemaversion": 1, "shareid": share_id, "automaticmount": automatic}, write=True
            )
            self.device.invalidate("networkshares", "disks", "limits", self.mount_param_key)
            bound = element_list(unwrap(doc), "BindSuccess")
            answer = bound[0] if bound and isinstance(bound[0], dict) else {}
            # bind.cgi says DiskID, list.cgi says DiskId (Network share API)
            return {"disk_id": answer.get("@DiskID") or answer.get("@DiskId") or SHARE_DISK_ID}

        return Step(
            "bind", "bind share %s to a disk (automaticmount=%s)" % (desired["share_id"] or "(new)", automatic), bind
        )

    def _mount_again_step(self, disk_id):
        def mount():
            disk = refresh_disks(self.device).get(disk_id)
            if disk and disk["mounted"]:
                return "bind already mounted disk %s" % disk_id
            return start_disk_job(self, "mount.cgi", {"action": "mount", "diskid": disk_id}, disk_id, "mount")

        return Step("mount", "mount disk %s again (it was mounted), unless bind has mounted it" % disk_id, mount)

    def _plan_absent(self, current):
        share_id = current["share_id"]
        steps = []
        destructive = False
        if current["bound"]:
            destructive = self._guard_recordings(current)
            steps += self._unbind_steps(current)

        def remove():
            self.client.xml(share_cgi("remove"), {"schemaversion": 1, "shareid": share_id}, write=True)
            self.device.invalidate("networkshares")
            return "ok"

        steps.append(
            Step("remove", "remove share %s (%r)" % (share_id, current["name"]), remove, destructive=destructive)
        )
        return steps

    # --- result ------------------------------------------------------------------------

    def result_extras(self, final):
        return {"password_update": self.password_update} if self.password_update is not None else {}

    def unverified_secrets(self, result):
        written = (result.get("password_update") or {}).get("write")
        # update_password=verify proves the stored credentials with a passing share test
        proved = any(job.get("action") == "test" and job.get("result") == "ok" for job in result.get("jobs") or [])
        return self.unverified_password("share_password", written or proved)

    def state_left(self, before, now):
        if now and not now.get("bound") and self.params.get("bound") and self.params.get("state") == "present":
            return "share %s (id %s) is not bound to a disk" % (now.get("name"), now.get("share_id"))
        return unmounted_note(before, now)

    def may_be_done(self, step, exc):
        return isinstance(exc, ApiError) and exc.code in ALREADY_THERE_CODES.get(step.action, ())

    def already_done(self, step, exc, now):
        if isinstance(exc, ApiError):
            return self._made_by_another_client(step, exc, now)
        # add.cgi is never repeated (a second add makes a second share): when its answer is
        # lost, the share list says whether it was added, and binding it can go on.
        if step.action == "add" and now is not None and now.get("share_id"):
            self.created_id = now["share_id"]
            return {"share_id": self.created_id, "note": "add.cgi got no answer; the share list shows it added"}
        return None

    def _made_by_another_client(self, step, exc, now):
        """The outcome of a refused add or bind whose change the device now shows made, or None."""
        wanted = self.wanted
        if now is None or wanted is None:
            return None
        if step.action == "add":
            same = (
                now["name"] == wanted["name"]
                and same_address(now["address"], wanted["address"])
                and now["share"] == wanted["share"]
                and now["user"] == wanted["user"]
            )
            # the password is never listed: only where this run would leave an existing share's
            # password alone (update_password=on_create) is the share the desired one
            password_open = (
                self.params.get("share_password") is not None and self.params["update_password"] != "on_create"
            )
            if not same or password_open:
                return None
            self.created_id = now["share_id"]
            if self.params.get("share_password") is not None:
                self.password_update = self._password_note(
                    False,
                    "the share was added by another client while this task ran; update_password=on_create "
                    "leaves its password as it is",
                )
            return {
                "share_id": self.created_id,
                "note": "%s refused it (error %s: %s); the share list shows the same share, added by another "
                "client meanwhile" % (exc.cgi, exc.code, exc.description),
            }
        if step.action == "bind":
            asked = self.params.get("automatic_mount")
            if not now["bound"] or (
                asked is not None and now["automatic_mount"] is not None and now["automatic_mount"] != asked
            ):
                return None
            return {
                "disk_id": now["disk_id"],
                "note": "%s refused it (error %s: %s); share %s is bound to disk %s, by another client meanwhile"
                % (exc.cgi, exc.code, exc.description, now["share_id"], now["disk_id"]),
            }
        return None
