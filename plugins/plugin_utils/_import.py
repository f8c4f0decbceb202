# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brownfield import: turn what axis_storage_info read from a device into an `axis_storage`
declaration that, converged as written, changes nothing on that device.

No device is read here: the input is the `storage_info` of axis_storage_info (or its whole
result, or the fleet task's `results`), so the parsing stays in module_utils, once.

Rules that make the declaration a no-op on the device it came from:
- only what the device reported is declared; a field it could not report is left out (an
  option left out is not managed), never guessed;
- write-only secrets (share and camera passwords, disk passphrases) cannot be read. They are
  left out, which the modules accept for things that already exist (update_password=on_create,
  encryption state=enabled without a passphrase keeps the disk's own); the file's header
  lists each one, with where to put it (a vault) when the user wants it managed;
- a disk in a state no declaration reproduces without a secret or a format (encrypted content
  without its passphrase, encryption enabled on a never formatted disk) gets no encryption
  entry, and the header says why;
- the NetworkShare disk is declared only while a share is bound (unbound, it is a placeholder);
- a recording profile the module could not converge as written (a stream option it cannot
  declare, a value it refuses) is left out: without purge the module leaves undeclared profiles
  alone, so the declaration still converges. Each such item is a "left out" note, which the
  filters also show as a warning.

Device data never runs on the controller: every string of the file that holds a `{` (all Jinja
delimiters start with one) is written with the `!unsafe` tag, so Ansible never templates it, and
comments hold device text on one line (control characters escaped), so it cannot end the comment.
The tag is kept off other strings: ansible-core 2.19 resolves a `!unsafe` scalar's type again
(`!unsafe '15'` is the integer 15, `!unsafe 'yes'` true), which would not round-trip.
"""

import copy
import datetime
import re
from collections.abc import Mapping
from types import SimpleNamespace

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML is a dependency of ansible-core
    yaml = None

from ansible_collections.vapix.edge_storage.plugins.module_utils._declaration import validate_item as _validate
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import STREAM_OPTIONS
from ansible_collections.vapix.edge_storage.plugins.module_utils._values import SHARE_DISK_ID
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._plain import plain_number

DISK_FIELDS = (
    "friendly_name",
    "filesystem",
    "mounted",
    "locked",
    "required_filesystem",
    "cleanup_policy",
    "cleanup_max_age",
)
DECLARED_FILESYSTEMS = ("ext4", "vfat", "cifs")
EXTERNAL_FIELDS = (
    "address",
    "device_port",
    "protocol",
    "cert_validation",
    "description",
    "serial_number",
    "device_username",
    "events_enabled",
)
KB_UNITS = (("TB", 1024**3), ("GB", 1024**2), ("MB", 1024))


# The tag Ansible's YAML loader gives a value it must never template.
UNSAFE_TAG = "!unsafe"
# Jinja's delimiters ({{ }}, {% %}, {# #}) all start with it.
TEMPLATE_CHAR = "{"
# What would end a YAML comment line, or hide text in it (YAML line breaks included).
COMMENT_BREAKING = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")


class ImportError_(ValueError):
    """The input is not an axis_storage_info result."""


class Notes(list):
    """The notes of an import, in order; `left_out` the ones about items not declared."""

    def __init__(self):
        super().__init__()
        self.left_out = []

    def leave_out(self, text):
        self.append(text)
        self.left_out.append(text)


def storage_info_of(value):
    """The storage_info dict from a storage_info, a whole axis_storage_info result, or None."""
    if not isinstance(value, Mapping):
        return None
    if isinstance(value.get("storage_info"), Mapping):
        return value["storage_info"]
    if "gathered" in value or "disks" in value:
        return value
    return None


def plain_data(value):
    """Data as plain dicts, lists, str, int, float, bool and None.

    A registered result reaches a filter as Ansible's own types (AnsibleUnsafeText before
    ansible-core 2.19, tagged str and int since), which PyYAML's safe dumper refuses; the
    declaration is built from plain copies.
    """
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, Mapping):
        return dict((plain_data(k), plain_data(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, (int, float)):
        return plain_number(value)
    if isinstance(value, str):
        # AnsibleUnsafeText's own str(), encode() and decode() keep it unsafe text: str's and bytes' do not
        return bytes.decode(str.encode(value, "utf-8", "surrogatepass"), "utf-8", "surrogatepass")
    return value


def size_text(kb):
    """A storage limit as the declaration writes it: whole units where exact, else kB."""
    for unit, factor in KB_UNITS:
        if kb >= factor and kb % factor == 0:
            return "%d %s" % (kb // factor, unit)
    return str(kb)


def _limit(limits, disk_id):
    entry = (limits or {}).get(disk_id)
    if not isinstance(entry, dict) or entry.get("limit_kb") is None:
        return None
    if entry["limit_kb"]:
        return {"size": size_text(int(entry["limit_kb"]))}
    return {"state": "absent"}


def _encryption(disk, notes):
    """The encryption entry of a disk, or None with a note when no declaration fits."""
    enabled, encrypted = disk.get("encryption_enabled"), disk.get("encrypted")
    if enabled is None or encrypted is None:
        return None
    capabilities = disk.get("capabilities") or {}
    if not enabled and not encrypted:
        if capabilities.get("encryption_supported") is False:
            return None
        return {"state": "disabled"}
    if enabled and encrypted and disk.get("status") not in ("no passphrase", "wrong passphrase"):
        notes.append(
            "disks[%s].encryption.passphrase: write-only. Declared as state=enabled without it, the "
            "disk keeps the passphrase it has; to manage (rotate) it, add passphrase (and old_passphrase) "
            "from a vault" % disk["disk_id"]
        )
        return {"state": "enabled"}
    notes.leave_out(
        "disks[%s].encryption: not declared, the disk is in state %r (encryption %s, content %s): "
        "only its passphrase or a format fixes that; declare it once decided"
        % (
            disk["disk_id"],
            disk.get("status"),
            "enabled" if enabled else "disabled",
            "encrypted" if encrypted else "not encrypted",
        )
    )
    return None


def _disk(disk, limits, notes):
    item = {"disk_id": disk["disk_id"]}
    for field in DISK_FIELDS:
        value = disk.get(field)
        if value is None:
            continue
        if field == "friendly_name" and value == "":
            continue  # unset; declaring it would need param.cgi, which recorders lack
        if field == "filesystem" and value not in DECLARED_FILESYSTEMS:
            continue  # no file system yet: declaring one would be a format
        if field == "required_filesystem" and disk.get("filesystem") == "cifs":
            continue  # a share has no required file system to declare
        item[field] = value
    levels = disk.get("alert_levels")
    if isinstance(levels, dict):
        known = dict((k, levels[k]) for k in ("wear", "temperature") if levels.get(k) is not None)
        if known:
            item["alert_levels"] = known
    encryption = _encryption(disk, notes)
    if encryption is not None:
        item["encryption"] = encryption
    limit = _limit(limits, disk["disk_id"])
    if limit is not None:
        item["storage_limit"] = limit
    return item


def _share(share, limits, notes, index):
    name = share.get("name") or ""
    if not name:
        notes.leave_out(
            "network share %s: not declared, it has no nice name (name), which a declaration needs"
            % share.get("share_id")
        )
        return None
    item = {"name": name, "address": share.get("address", ""), "share": share.get("share", "")}
    item["share_user"] = share.get("user") or ""
    item["update_password"] = "on_create"
    item["bound"] = bool(share.get("bound"))
    if share.get("mount_options"):
        item["mount_options"] = share["mount_options"]  # empty is the default: left out
    if item["bound"]:
        limit = _limit(limits, SHARE_DISK_ID)
        if limit is not None:
            item["storage_limit"] = limit
    notes.append(
        "network_shares[%d].share_password (share %r): write-only. Not needed while the share exists "
        "(update_password=on_create); add it from a vault to be able to create the share again" % (index, name)
    )
    return item


def _external(dev, notes, index):
    item = {"id": dev["id"]}
    for field in EXTERNAL_FIELDS:
        value = dev.get(field)
        if value is None or value == "":
            continue
        item[field] = value
    item["update_password"] = "on_create"
    notes.append(
        "external_devices[%d].device_password (%s): write-only. Not needed while the camera is configured "
        "and its address and user stay; add it from a vault to change them or create it again" % (index, dev["id"])
    )
    return item


# What a resource's validate() needs of a device: a client to hand the secrets it sees (none here).
_OFFLINE = SimpleNamespace(client=SimpleNamespace(secrets=set()))


def _refusal(item):
    """Why the module would refuse a declared profile (its argument spec, then its validate()), or None."""
    try:
        params = _validate(ContinuousRecording, item, "recording_profiles[]")
        ContinuousRecording(_OFFLINE, params, check_mode=True).validate()
    except VapixError as exc:
        unknown = sorted(name for name in item.get("stream_options") or {} if name not in STREAM_OPTIONS)
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            return "stream option%s %s: not one the module can declare" % (plural, ", ".join(unknown))
        return str(exc)
    return None


def _profile(profile, notes):
    item = {"disk_id": profile["disk_id"], "event_id": profile.get("event_id") or "continuous"}
    if profile.get("device"):
        item["device"] = profile["device"]
    options = profile.get("stream_options") or {}
    if options:
        # As the device stores them, per-sensor `camera` included: compared as strings.
        item["stream_options"] = dict((k, options[k]) for k in sorted(options))
    refusal = _refusal(item)
    if refusal is not None:
        notes.leave_out(
            "recording profile %s (disk %s, event %s%s, options %s): not declared, the module refuses it "
            "as it is (%s). Without purge the device keeps it as it is; with axis_storage_purge: true "
            "it would be removed. Declare it with options the module takes to manage it"
            % (
                profile.get("profile_id"),
                profile.get("disk_id"),
                item["event_id"],
                ", device %s" % item["device"] if "device" in item else "",
                "&".join("%s=%s" % pair for pair in sorted(options.items())) or "none",
                refusal,
            )
        )
        return None
    return item


RULE_FIELDS = (
    "enabled",
    "trigger",
    "disk_id",
    "device",
    "stream_options",
    "pre_seconds",
    "post_seconds",
    "while_active",
)
# A rule into a recording group: the group holds stream options and durations.
GROUP_RULE_FIELDS = ("enabled", "trigger", "recording_group")
GROUP_FIELDS = (
    "nice_name",
    "description",
    "disk_id",
    "retention_hours",
    "stream_options",
    "pre_seconds",
    "post_seconds",
)


def _groups(groups, notes):
    """The recording groups to declare, each in axis_recording_group's options."""
    items = []
    for group in groups:
        if any(
            not isinstance(group.get(f), int) or isinstance(group.get(f), bool) for f in ("pre_seconds", "post_seconds")
        ):
            notes.leave_out("recording group %r: not declared, its durations are not whole seconds" % group.get("id"))
            continue
        item = {"id": group["id"]}
        for field in GROUP_FIELDS:
            value = group.get(field)
            if field == "stream_options":
                value = dict((k, value[k]) for k in sorted(value or {}))
            item[field] = value
        items.append(item)
    return items


def _schedules(schedules, notes):
    """The schedules to declare: not the predefined ones (rules name them as they are)."""
    items = []
    for schedule in schedules:
        if schedule.get("predefined"):
            continue
        if not schedule.get("weekly") or len(schedule["weekly"]) != 1:
            notes.leave_out(
                "recording schedule %r: not declared, its calendar is not one weekly interval (%s)"
                % (schedule.get("name"), schedule.get("ical"))
            )
            continue
        items.append({"name": schedule["name"], "weekly": schedule["weekly"]})
    return items


def _rules(rules, notes):
    """The recording rules to declare, each in the module's options; the rest named in the notes."""
    items, names = [], set()
    for rule in rules:
        name = rule.get("name")
        why = None
        if name in names:
            why = "a second rule of this name (names identify rules)"
        elif rule.get("disk_id") is None and not rule.get("recording_group"):
            why = "it records to %s, not to a disk or a recording group" % rule.get("template")
        elif "other" in (rule.get("trigger") or {}):
            why = "its trigger is not one the module writes (%s)" % rule["trigger"]["other"]
        elif any(
            not isinstance(rule.get(f), int) or isinstance(rule.get(f), bool) for f in ("pre_seconds", "post_seconds")
        ):
            why = "its durations are not whole seconds"
        elif rule.get("failover_action") or rule.get("activation_timeout"):
            why = "it has a failover action or activation timeout"
        if why:
            notes.leave_out("recording rule %r: not declared, %s" % (name, why))
            continue
        names.add(name)
        item = {"name": name}
        for field in GROUP_RULE_FIELDS if rule.get("recording_group") else RULE_FIELDS:
            value = rule.get(field)
            if field == "device" and not value:
                continue
            if field == "stream_options":
                value = dict((k, value[k]) for k in sorted(value or {}))
            item[field] = value
        items.append(item)
    return items


def to_declaration(value, with_notes=False):
    """axis_storage_info result -> the `axis_storage` declaration (and the notes, if asked)."""
    info = storage_info_of(value)
    if info is None:
        raise ImportError_(
            "to_declaration expects the result (or storage_info) of "
            "vapix.edge_storage.axis_storage_info, got %s" % type(value).__name__
        )
    info = plain_data(info)
    notes = Notes()
    unavailable = info.get("unavailable") or {}
    limits = info.get("storage_limits")
    declaration = {}
    shares = info.get("network_shares") or {}
    bound = any(s.get("bound") for s in shares.values())
    disks = []
    for disk_id in sorted(info.get("disks") or {}, key=lambda d: (d == SHARE_DISK_ID, d)):
        disk = info["disks"][disk_id]
        if "status" not in disk:
            continue  # only health was gathered for it
        if disk_id == SHARE_DISK_ID or disk.get("filesystem") == "cifs":
            if not bound or disk.get("status") == "disconnected":
                continue
        if disk.get("status") == "disconnected":
            notes.leave_out("disks[%s]: not declared, it is disconnected (no card)" % disk_id)
            continue
        disks.append(_disk(disk, limits, notes))
    declaration["disks"] = disks
    declaration["network_shares"] = [
        item
        for item in (_share(shares[sid], limits, notes, i) for i, sid in enumerate(sorted(shares)))
        if item is not None
    ]
    externals = info.get("external_devices")
    if externals:
        declaration["external_devices"] = [_external(externals[i], notes, n) for n, i in enumerate(sorted(externals))]
    profiles = info.get("recording_profiles")
    if profiles is not None:
        declaration["recording_profiles"] = [
            item for item in (_profile(p, notes) for p in profiles) if item is not None
        ]
    # Declared only where the device has some: a declared list (even empty) is managed, and a
    # purge would remove a VMS's later rules; left out, they are not managed.
    groups = _groups(info.get("recording_groups") or [], notes)
    if groups:
        declaration["recording_groups"] = groups
    schedules = _schedules(info.get("recording_schedules") or [], notes)
    if schedules:
        declaration["recording_schedules"] = schedules
    rules = _rules(info.get("recording_rules") or [], notes)
    if rules:
        declaration["recording_rules"] = rules
    for where, reason in sorted(unavailable.items()):
        if where in ("recording_rules", "recording_schedules") and "no Event and action services" in reason:
            continue  # firmware without the web services: no rules to declare
        if where == "recording_groups" and "no Recording group API" in reason:
            continue  # firmware before AXIS OS 12: no groups to declare
        if where == "external_devices" and externals is None and "API discovery does not list" in reason:
            continue  # a camera: it records from nobody, nothing to declare
        if where.split(".")[0] in (
            "disks",
            "network_shares",
            "storage_limits",
            "recording_profiles",
            "external_devices",
            "recording_groups",
            "recording_rules",
            "recording_schedules",
        ) and not where.endswith(".health"):
            notes.leave_out("%s: not read (%s), so not declared" % (where, reason))
    if with_notes:
        return declaration, notes
    return declaration


def _identity_line(info):
    identity = info.get("identity") or {}
    parts = [
        identity.get("full_name") or identity.get("model"),
        identity.get("firmware") and "AXIS OS %s" % identity["firmware"],
        identity.get("serial") and "serial %s" % identity["serial"],
    ]
    return ", ".join(str(p) for p in parts if p)


def comment_text(text):
    """Text for one comment line: what would break the line (device text can hold anything) escaped."""
    return COMMENT_BREAKING.sub(lambda found: found.group(0).encode("unicode_escape").decode("ascii"), str(text))


if yaml is not None:

    class DeclarationDumper(yaml.SafeDumper):
        """safe_dump, with every string that holds a `{` tagged !unsafe (keys and values alike)."""

    def _represent_str(dumper, data):
        if TEMPLATE_CHAR in data:
            return dumper.represent_scalar(UNSAFE_TAG, data)
        return dumper.represent_str(data)

    DeclarationDumper.add_representer(str, _represent_str)


def to_declaration_yaml(value, host=None, generated_at=None, notes_out=None):
    """The host_vars file of one device: a header of comments and the declaration.

    notes_out, a list, gets the import's Notes (for the warnings of what was left out).
    """
    if yaml is None:  # pragma: no cover
        raise ImportError_("to_declaration_yaml needs PyYAML")
    declaration, notes = to_declaration(value, with_notes=True)
    if notes_out is not None:
        notes_out.append(notes)
    info = plain_data(storage_info_of(value))
    generated_at = generated_at or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    identity = _identity_line(info)
    lines = [
        "---",
        comment_text(
            "# Imported from %s%s on %s by playbooks/import.yml (vapix.edge_storage.to_declaration)."
            % (host or "the device", " (%s)" % identity if identity else "", generated_at)
        ),
        "# This is what the device has now: converged as written it changes nothing. Review it, then",
        '# keep it as this device\'s declaration (docs/guide.md, "Bring an existing fleet under management").',
        "# Values read from the device that hold a '{' are tagged !unsafe: Ansible never templates them.",
    ]
    if notes:
        lines.append("#")
        lines.append(
            "# Not imported - write-only secrets the device never returns (where you manage them, keep them in a"
        )
        lines.append("# vault: ansible-vault encrypt_string) and what could not be read or declared:")
        for note in notes:
            lines.append("#   - %s" % comment_text(note))
    body = yaml.dump(
        {"axis_storage": copy.deepcopy(declaration)},
        Dumper=DeclarationDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return "\n".join(lines) + "\n" + body


def declarations(results):
    """{host: axis_storage_info result} -> {host: declaration}; hosts without a result are left out."""
    out = {}
    for host in sorted(results or {}):
        if storage_info_of(results[host]) is not None:
            out[host] = to_declaration(results[host])
    return out
