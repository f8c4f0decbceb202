# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A whole device's declared storage, applied in dependency order over one session.

This composes the resource classes of the single-purpose modules; it holds no API logic of
its own. One DeviceSession serves every resource, so each read (the disk list, the share
list, the limits, the profiles ...) is made at most once per device unless a write changed it.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._declaration import (
    ARGUMENT_SPEC,
    at_item,
    declared_item,
    type_name,
    validate_item,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import list_disks
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError, RefusedError, VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    ExternalDevice,
    list_external_devices,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import list_profiles
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import (
    RecordingGroup,
    list_recording_groups,
    rules_recording_to,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rules import list_recording_rules
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_schedule import RecordingSchedule
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Runnable, partial_result
from ansible_collections.vapix.edge_storage.plugins.module_utils._schedules import list_schedules, own_event_id
from ansible_collections.vapix.edge_storage.plugins.module_utils._shares import list_shares
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import DEFAULT_CAMERA
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import SHARE_DISK_ID

# Resources whose refusal (a format, removing a share that holds recordings) no earlier step of
# the plan can lift; external devices are not here: purging a profile earlier can. Schedules
# and rules are checked against the device (trigger offered, disk, names taken by what other
# software made) with what the declaration adds before them assumed (see _assumed).
PREFLIGHT = (Encryption, Disk, NetworkShare, StorageLimit, RecordingGroup, RecordingSchedule, RecordingRule)
# Outcomes of that check-mode pass that stop the real run before its first write: a step that
# needs an opt-in, and an API the firmware lacks (older AXIS OS: no Recording storage limit or
# Disk properties API), which would otherwise fail only after earlier resources were written.
PREFLIGHT_STOPS = ("refused", "unsupported")


def stops_the_run(planned, entry):
    """True if this check-mode outcome must stop the real run before its first write."""
    kind = entry.get("error_kind")
    if kind in PREFLIGHT_STOPS:
        return True
    # Input only the device can judge (a passphrase that an unencrypted disk needs), except a
    # limit, whose disk (a share still to be bound) an earlier step of the run may change.
    return kind == "input" and planned.resource_cls is not StorageLimit


class Planned:
    """One resource of the declaration: its label, class and validated options."""

    def __init__(self, label, resource_cls, params, where=None):
        self.label = label
        self.resource_cls = resource_cls
        self.params = params
        self.where = where  # its path in the declaration, e.g. disks[0].storage_limit


class DeviceStorage(Runnable):
    """Apply (or, in check mode, compare) a whole device's storage declaration."""

    argument_spec = ARGUMENT_SPEC
    result_key = "storage"

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.declared_items = None

    # --- the declaration, validated and ordered ------------------------------------------

    def _globals(self, **extra):
        values = {"job_timeout": self.params["job_timeout"]}
        values.update(extra)
        return values

    def declared(self):
        """Every declared resource, in the order they must be applied, all validated.

        One pass before the first write: every item against its resource's argument spec and
        its resource's own checks (ranges, units, stream options ...), then the checks that
        need the device (a storage limit larger than its disk). So an error in the last item
        stops the task before the first item is applied.
        """
        p = self.params
        loss = p["allow_data_loss"]
        early, shares, disks, late = [], [], [], []
        for i, item in enumerate(p["external_devices"] or []):
            where = "external_devices[%d]" % i
            params = validate_item(ExternalDevice, item, where)
            params.update(self._globals(remove_profiles=False))
            early.append(Planned("external_device %s" % params["id"], ExternalDevice, params, where))
        for i, item in enumerate(p["network_shares"] or []):
            where = "network_shares[%d]" % i
            item = declared_item(item, where, NetworkShare)
            limit = item.pop("storage_limit", None)
            params = validate_item(NetworkShare, item, where)
            params.update(self._globals(allow_data_loss=loss))
            shares.append(
                Planned(
                    "network_share %s" % (params.get("name") or params.get("share_id")), NetworkShare, params, where
                )
            )
            if limit is not None and params["state"] == "present" and params["bound"]:
                shares.append(self._limit(SHARE_DISK_ID, limit, where + ".storage_limit"))
        for i, item in enumerate(p["disks"] or []):
            where = "disks[%d]" % i
            item = declared_item(item, where, Disk)
            encryption = item.pop("encryption", None)
            limit = item.pop("storage_limit", None)
            params = validate_item(Disk, item, where)
            params.update(self._globals(allow_format=loss))
            disk_id = params["disk_id"]
            if encryption is not None:
                if not isinstance(encryption, dict):
                    raise InputError(
                        None,
                        "%s.encryption must be a dictionary of axis_encryption options, for example "
                        "{state: enabled, passphrase: ...}, not %s" % (where, type_name(encryption)),
                    )
                enc = dict(encryption, disk_id=disk_id)
                enc_params = validate_item(Encryption, enc, where + ".encryption")
                enc_params.update(self._globals(allow_format=loss))
                wanted_fs = params.get("filesystem") or params.get("required_filesystem")
                if wanted_fs in ("ext4", "vfat"):
                    enc_params["format_filesystem"] = wanted_fs
                disks.append(Planned("encryption %s" % disk_id, Encryption, enc_params, where + ".encryption"))
            disks.append(Planned("disk %s" % disk_id, Disk, params, where))
            if limit is not None:
                disks.append(self._limit(disk_id, limit, where + ".storage_limit"))
        for i, item in enumerate(p["recording_profiles"] or []):
            where = "recording_profiles[%d]" % i
            params = validate_item(ContinuousRecording, item, where)
            params.update(exclusive=False)
            label = "recording_profile %s/%s" % (params["disk_id"], params["event_id"])
            if params.get("device"):
                label += "/%s" % params["device"]
            camera = params.get("camera") or (params.get("stream_options") or {}).get("camera")
            if camera is not None:
                label += "/camera %s" % camera
            late.append(Planned(label, ContinuousRecording, params, where))
        assumed = self._assumed(p)
        # groups are made before the rules that record into them, and deleted after the rules
        # that recorded into them are removed or moved
        groups, gone = [], []
        for i, item in enumerate(p.get("recording_groups") or []):
            where = "recording_groups[%d]" % i
            params = validate_item(RecordingGroup, item, where)
            params.update(allow_data_loss=loss, _assumed=assumed)
            planned = Planned("recording_group %s" % params["id"], RecordingGroup, params, where)
            (groups if params["state"] == "present" else gone).append(planned)
        late.extend(groups)
        for i, item in enumerate(p.get("recording_schedules") or []):
            where = "recording_schedules[%d]" % i
            params = validate_item(RecordingSchedule, item, where)
            late.append(Planned("recording_schedule %s" % params["name"], RecordingSchedule, params, where))
        for i, item in enumerate(p.get("recording_rules") or []):
            where = "recording_rules[%d]" % i
            params = validate_item(RecordingRule, item, where)
            params["_assumed"] = assumed
            late.append(Planned("recording_rule %s" % params["name"], RecordingRule, params, where))
        late.extend(gone)
        self._check_unique(late)
        declared = early + shares + disks + late
        for planned in declared:
            self._check(planned)
        self._check_limits_fit(declared)
        return declared

    @staticmethod
    def _assumed(p):
        """What the declaration adds before its rules, for checking them before it exists: the
        schedules (name -> the event id they get) and a recorder's external devices."""
        schedules = dict(
            (item.get("name"), own_event_id(item["name"]))
            for item in p.get("recording_schedules") or []
            if isinstance(item, dict) and item.get("name") and item.get("state", "present") == "present"
        )
        devices = [
            item.get("id")
            for item in p.get("external_devices") or []
            if isinstance(item, dict) and item.get("id") and item.get("state", "present") == "present"
        ]
        groups = [
            item.get("id")
            for item in p.get("recording_groups") or []
            if isinstance(item, dict) and item.get("id") and item.get("state", "present") == "present"
        ]
        # rules this run removes or points elsewhere before it deletes a group: name -> the group
        # the rule records into after the run (None: none); with a purge of rules, every other
        # recording rule is removed first
        rules = dict(
            (item.get("name"), item.get("recording_group") if item.get("state", "present") == "present" else None)
            for item in p.get("recording_rules") or []
            if isinstance(item, dict)
        )
        return {
            "schedules": schedules,
            "external_devices": devices,
            "recording_groups": groups,
            "rules": rules,
            "rules_purged": bool(p.get("purge")) and p.get("recording_rules") is not None,
        }

    @staticmethod
    def _check_unique(planned):
        """Two rules (or schedules) of one name would replace each other on every run."""
        seen = {}
        for item in planned:
            if item.resource_cls not in (RecordingRule, RecordingSchedule, RecordingGroup):
                continue
            key = (item.resource_cls, item.params.get("name") or item.params.get("id"))
            if key in seen:
                word, what = {
                    RecordingRule: ("name", "rules"),
                    RecordingSchedule: ("name", "schedules"),
                    RecordingGroup: ("id", "recording groups"),
                }[item.resource_cls]
                raise InputError(
                    None,
                    "%s: the %s %r is declared already in %s; %ss identify %s on the device"
                    % (item.where, word, key[1], seen[key], word, what),
                )
            seen[key] = item.where

    def _resource(self, planned):
        return planned.resource_cls(self.device, planned.params, check_mode=True)

    def _check(self, planned):
        """The resource's own validate(), made for every item before anything is applied."""
        try:
            self._resource(planned).validate()
        except InputError as exc:
            names = set(planned.resource_cls.argument_spec) | set(ARGUMENT_SPEC)
            located = at_item(planned.where, names, exc.description)
            if located == exc.description:
                raise  # an option of the whole declaration (job_timeout), not of this item
            raise InputError(None, "%s (%s)" % (located, planned.label)) from exc

    def _check_limits_fit(self, declared):
        """Size limits larger than their disk, refused before the first write (one disk list read).

        The NetworkShare disk is left to the limit itself, applied after the share: before the
        share is bound as declared the device reports the size of another share, or none.
        """
        limits = [
            p
            for p in declared
            if p.resource_cls is StorageLimit
            and p.params.get("size") is not None
            and p.params["state"] == "present"
            and p.params["disk_id"] != SHARE_DISK_ID
        ]
        if not limits:
            return
        try:
            disks = list_disks(self.device)
        except VapixError:
            return  # the run reports what keeps the device from answering
        for planned in limits:
            disk = disks.get(planned.params["disk_id"])
            if disk is None:
                continue  # the disk's own resource names the disks the device has
            resource = self._resource(planned)
            try:
                resource.validate()
                resource.check_fits(disk)
            except InputError as exc:
                raise InputError(
                    None, "%s (%s)" % (at_item(planned.where, ("size",), exc.description), planned.label)
                ) from exc

    def _limit(self, disk_id, limit, where):
        if not isinstance(limit, dict):
            raise InputError(
                None, "%s must be a dictionary with size, percent or state, not %s" % (where, type_name(limit))
            )
        params = validate_item(StorageLimit, dict(limit, disk_id=disk_id), where)
        return Planned("storage_limit %s" % disk_id, StorageLimit, params, where)

    # --- purge: what the device has and the declaration does not --------------------------

    def undeclared_profiles(self, declared):
        """One removal per (disk, event id, device, camera) that the device has and nothing declares.

        The video channel is part of a profile's identity: on a multi-sensor camera declaring
        sensor 1's profile keeps it and purges only the other sensors' profiles.
        """
        wanted = set()
        for item in declared:
            if item.resource_cls is ContinuousRecording:
                probe = ContinuousRecording(self.device, item.params)
                probe.validate()  # the declared channel, from camera or stream_options.camera
                wanted.add(
                    (item.params["disk_id"], item.params["event_id"], item.params.get("device"), probe.wanted_camera)
                )
        found = []
        for profile in list_profiles(self.device):
            key = (profile["disk_id"], profile["event_id"], profile["device"], str(profile["camera"]))
            if key not in wanted and key not in found:
                found.append(key)
        return [
            Planned(
                "purge recording_profile %s/%s%s%s"
                % (d, e, "/%s" % dev if dev else "", "/camera %s" % cam if cam != DEFAULT_CAMERA else ""),
                ContinuousRecording,
                dict(
                    disk_id=d, event_id=e, device=dev, camera=cam, state="absent", stream_options=None, exclusive=False
                ),
            )
            for d, e, dev, cam in found
        ]

    def undeclared_rules(self, declared):
        """The device's recording rules that nothing declares (never a rule that does not record)."""
        names = set(i.params["name"] for i in declared if i.resource_cls is RecordingRule)
        purge = []
        for rule in list_recording_rules(self.device):
            if rule["name"] in names or any(p.params["name"] == rule["name"] for p in purge):
                continue
            params = dict((k, v.get("default")) for k, v in RecordingRule.argument_spec.items())
            params.update(name=rule["name"], state="absent")
            purge.append(Planned("purge recording_rule %s" % rule["name"], RecordingRule, params))
        return purge

    def undeclared_schedules(self, declared):
        """The schedules this collection added that nothing declares; never a predefined one or another's."""
        names = set(i.params["name"] for i in declared if i.resource_cls is RecordingSchedule)
        purge = []
        for schedule in list_schedules(self.device):
            if schedule["managed"] and not schedule["predefined"] and schedule["name"] not in names:
                params = dict(name=schedule["name"], state="absent", weekly=None)
                purge.append(Planned("purge recording_schedule %s" % schedule["name"], RecordingSchedule, params))
        return purge

    def undeclared_groups(self, declared):
        """The device's recording groups that nothing declares: removed only with purge and
        allow_data_loss (deleting a group deletes its recordings); one a rule still records into is kept."""
        if not self.params["allow_data_loss"]:
            return [], [
                "recording groups not declared are kept: deleting a group deletes its recordings, and "
                "allow_data_loss is false"
            ]
        ids = set(i.params["id"] for i in declared if i.resource_cls is RecordingGroup)
        purge, kept = [], []
        for group_id, _group in sorted(list_recording_groups(self.device).items()):
            if group_id in ids:
                continue
            users = rules_recording_to(self.device, group_id)
            if users:
                kept.append(
                    "recording group %s is not declared but kept: rule %s records into it"
                    % (group_id, ", ".join(repr(name) for _rule_id, name in users))
                )
                continue
            params = dict((k, v.get("default")) for k, v in RecordingGroup.argument_spec.items())
            params.update(id=group_id, state="absent", allow_data_loss=True)
            purge.append(Planned("purge recording_group %s" % group_id, RecordingGroup, params))
        return purge, kept

    def undeclared_shares(self, declared):
        names = set(i.params.get("name") for i in declared if i.resource_cls is NetworkShare)
        ids = set(i.params.get("share_id") for i in declared if i.resource_cls is NetworkShare)
        purge = []
        for share in list_shares(self.device).values():
            if share["name"] in names or share["share_id"] in ids:
                continue
            params = dict((k, None) for k in NetworkShare.argument_spec)
            params.update(
                name=share["name"],
                share_id=share["share_id"],
                state="absent",
                **self._globals(
                    allow_data_loss=self.params["allow_data_loss"], bound=True, test=False, update_password="on_create"
                ),
            )
            purge.append(Planned("purge network_share %s" % share["name"], NetworkShare, params))
        return purge

    def undeclared_external_devices(self, declared):
        if not any(i.resource_cls is ExternalDevice for i in declared) and not self.device.caps.has("ext-ip-dev-info"):
            return []  # a camera: nothing to purge
        ids = set(i.params["id"] for i in declared if i.resource_cls is ExternalDevice)
        purge = []
        for dev_id in sorted(list_external_devices(self.device)):
            if dev_id in ids:
                continue
            params = dict((k, None) for k in ExternalDevice.argument_spec)
            params.update(
                id=dev_id, state="absent", update_password="on_create", remove_profiles=self.params["allow_data_loss"]
            )
            purge.append(Planned("purge external_device %s" % dev_id, ExternalDevice, params))
        return purge

    def _purge_groups(self, declared):
        purge, kept = self.undeclared_groups(declared)
        self.warnings.extend(kept)
        return purge

    # --- the run -------------------------------------------------------------------------

    def _run_one(self, planned, diff, device=None):
        entry = {"resource": planned.label}
        try:
            resource = planned.resource_cls(device or self.device, planned.params, check_mode=self.check_mode)
            outcome = resource.run(diff=diff)
        except VapixError as exc:
            msg = self.client.secrets.mask(str(exc))
            if isinstance(exc, RefusedError):
                # the single module's opt-in named in the message is allow_data_loss here
                msg += " (for the whole device the opt-in is allow_data_loss=true)"
            partial = partial_result(exc)
            entry.update(failed=True, changed=bool(partial.get("changed")), msg=msg)
            for key in ("steps", "jobs", "diff", "warnings"):
                if partial.get(key):
                    entry[key] = partial[key]
            if planned.resource_cls.result_key in partial:
                entry["state"] = partial[planned.resource_cls.result_key]
            entry.update(exc.to_result())
            return entry
        entry["changed"] = outcome["changed"]
        for key in ("steps", "jobs", "diff", "warnings"):
            if outcome.get(key):
                entry[key] = outcome[key]
        unverified = resource.unverified_secrets(outcome)
        if unverified:
            entry["unverified"] = sorted(set(unverified))
        entry["state"] = outcome.get(planned.resource_cls.result_key)
        return entry

    def _assume_created(self, planned, entry):
        """Check mode: the profiles compared after a camera this run would create may use it.

        Without this a recorder missing a declared camera reports its profiles as errors (no
        such external device) instead of the drift they are.
        """
        if not (
            self.check_mode
            and planned.resource_cls is ExternalDevice
            and entry.get("changed")
            and planned.params.get("state") == "present"
            and entry.get("state")
        ):
            return
        list_external_devices(self.device).setdefault(planned.params["id"], entry["state"])

    def refusals(self, declared):
        """Entries of the steps this run would refuse or cannot do, found in check mode.

        Without allow_data_loss a refusal must come before any write, also when earlier
        resources (a share, a limit) have nothing destructive to do; so must an API the
        device lacks. Returns those entries, or a connection/auth failure that would stop the
        real run anyway.
        """
        candidates = [p for p in declared if p.resource_cls in PREFLIGHT]
        if self.params["purge"]:
            # A purged camera is judged on the profiles that record from it now: the real run
            # purges undeclared profiles first, which must not make its removal look harmless.
            for purge in (self.undeclared_shares, self.undeclared_external_devices):
                try:
                    candidates.extend(purge(declared))
                except VapixError:
                    pass  # the real run reports it
        refused = []
        # what this pass reads stays in the session for the real run, untouched by its plans
        view = self.device.view()
        applying, self.check_mode = self.check_mode, True
        try:
            for planned in candidates:
                entry = self._run_one(planned, diff=False, device=view)
                if stops_the_run(planned, entry):
                    refused.append(entry)
                elif entry.get("error_kind") in ("connection", "auth"):
                    return [entry]
        finally:
            self.check_mode = applying
        return refused

    def validate(self):
        self.declared_items = self.declared()

    def apply(self, diff):
        declared = self.declared_items
        plan = []
        if self.params["purge"]:
            plan.extend(self.undeclared_profiles(declared))
            if self.params.get("recording_rules") is not None:
                # only where the declaration manages rules: a device whose rules a VMS keeps
                # leaves recording_rules out and keeps them, purge or not
                plan.extend(self.undeclared_rules(declared))
        plan.extend(declared)
        entries = []
        failed = False
        if not self.check_mode:
            entries = self.refusals(declared)
            failed = bool(entries)
            stopped = set(e["resource"] for e in entries)
            plan = [step for step in plan if step.label not in stopped]
        unreachable = None
        if entries and entries[0].get("error_kind") in ("connection", "auth"):
            unreachable = entries[0]
        for step in plan:
            if unreachable:
                # every further request would only wait for the same retries to fail
                entries.append(
                    {
                        "resource": step.label,
                        "changed": False,
                        "skipped": True,
                        "error_kind": unreachable["error_kind"],
                        "msg": "not %s: %s failed with %s"
                        % ("compared" if self.check_mode else "applied", unreachable["resource"], unreachable["msg"]),
                    }
                )
                continue
            if failed and not self.check_mode:
                entries.append(
                    {
                        "resource": step.label,
                        "changed": False,
                        "skipped": True,
                        "msg": "not applied: an earlier resource failed",
                    }
                )
                continue
            entry = self._run_one(step, diff)
            entries.append(entry)
            failed = failed or bool(entry.get("failed"))
            if entry.get("error_kind") in ("connection", "auth"):
                unreachable = entry
            self._assume_created(step, entry)
        if self.params["purge"] and not unreachable and not (failed and not self.check_mode):
            purges = [self.undeclared_shares, self.undeclared_external_devices]
            if self.params.get("recording_schedules") is not None:
                purges.append(self.undeclared_schedules)
            if self.params.get("recording_groups") is not None:
                purges.append(self._purge_groups)
            for purge in purges:
                try:
                    extra = purge(declared)
                except VapixError as exc:
                    entries.append(
                        {
                            "resource": "purge",
                            "failed": True,
                            "changed": False,
                            "msg": self.client.secrets.mask(str(exc)),
                            "error_kind": exc.kind,
                        }
                    )
                    failed = True
                    continue
                for step in extra:
                    entry = self._run_one(step, diff)
                    entries.append(entry)
                    failed = failed or bool(entry.get("failed"))
        entries = self._confirm_device(entries) or entries
        failed = failed or any(e.get("failed") for e in entries)
        result = {
            "changed": any(e.get("changed") for e in entries),
            "resources": entries,
            "summary": self._summary(entries),
        }
        if diff:
            result["diff"] = {
                "before": dict((e["resource"], (e.get("diff") or {}).get("before")) for e in entries if e.get("diff")),
                "after": dict((e["resource"], (e.get("diff") or {}).get("after")) for e in entries if e.get("diff")),
            }
        if failed:
            bad = [e for e in entries if e.get("failed")]
            result["failed"] = True
            result["msg"] = "; ".join("%s: %s" % (e["resource"], e.get("msg")) for e in bad)
            result["error_kind"] = bad[0].get("error_kind")
        return result

    def _confirm_device(self, entries):
        """The entries of a host that is not an Axis device with storage, or None when it is one.

        Only where the run leaves doubt: something came back unsupported (a 404), or the host
        answered no request at all with 200. Then every resource is "not compared" (nothing was,
        for real) behind one `device` entry that says why, instead of one "unsupported" per
        resource that would pass CI.
        """
        statuses = self.client.statuses()
        if not entries or not (
            any(e.get("error_kind") == "unsupported" for e in entries) or (statuses and 200 not in statuses.values())
        ):
            return None
        problem = self.device.caps.storage_device_error()
        if problem is None:
            return None
        device = {"resource": "device", "failed": True, "changed": False, "msg": self.client.secrets.mask(str(problem))}
        device.update(problem.to_result())
        reason = "not %s: %s (see resource device)" % (
            "compared" if self.check_mode else "applied",
            "the host is unreachable"
            if problem.kind in ("connection", "auth")
            else "the host is not an Axis device with edge storage",
        )
        # what a run did write stays reported as it is
        return [device] + [
            entry
            if entry.get("changed")
            else {
                "resource": entry["resource"],
                "changed": False,
                "skipped": True,
                "error_kind": problem.kind,
                "msg": reason,
            }
            for entry in entries
        ]

    @staticmethod
    def _summary(entries):
        return {
            "resources": len(entries),
            "changed": sum(1 for e in entries if e.get("changed")),
            "failed": sum(1 for e in entries if e.get("failed")),
            "unverified": sum(1 for e in entries if e.get("unverified")),
        }
