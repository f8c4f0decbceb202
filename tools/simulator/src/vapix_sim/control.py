"""The /sim/ control endpoint: request log, state inspection and drift, reset, faults.

Unauthenticated by design (the fleet listens on the loopback only) and off unless the fleet
runs with `control`. Handlers here return (status, JSON-able payload); server.py sends them.
"""

from __future__ import annotations

import copy
import dataclasses
import json

from .auth import POLICIES
from .event_catalog import PRESETS, apply_preset
from .faults import FaultError
from .firmware import WEB_SERVICE
from .fleet import MASK, Node
from .http import SECRET_ARGS
from .model import (
    CAMERA,
    RECORDER,
    ActionConfiguration,
    ActionRule,
    Device,
    Disk,
    ExternalDevice,
    Profile,
    Recording,
    RecordingGroup,
    ScheduledEvent,
    Share,
    User,
)

# Collections of dataclasses inside Device: name -> (item class, key type, id field).
_COLLECTIONS = {
    "users": (User, str, "name"),
    "disks": (Disk, str, "disk_id"),
    "shares": (Share, str, "share_id"),
    "profiles": (Profile, int, "profile_id"),
    "external_devices": (ExternalDevice, str, "dev_id"),
    "recordings": (Recording, str, "recording_id"),
    "action_configurations": (ActionConfiguration, int, "configuration_id"),
    "action_rules": (ActionRule, int, "rule_id"),
    "scheduled_events": (ScheduledEvent, str, "event_id"),
    "recording_groups": (RecordingGroup, str, "group_id"),
}
# Fields that tie the device to its node (port) or identity in the fleet (index).
_READ_ONLY = frozenset({"index", "port"})


class PatchError(ValueError):
    pass


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: objects merge recursively, null deletes, the rest replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _optional(annotation: str) -> tuple[bool, str]:
    """(whether the field takes None, its type without None) of a dataclass field's annotation
    text (the model's `from __future__ import annotations` keeps annotations as strings)."""
    if annotation.endswith(" | None"):
        return True, annotation.removesuffix(" | None")
    if annotation.startswith("Optional["):
        return True, annotation.removeprefix("Optional[").removesuffix("]")
    return False, annotation


def _type_ok(annotation: str, value) -> bool:
    optional, base = _optional(annotation)
    if value is None:
        return optional
    if base == "bool":
        return isinstance(value, bool)
    if base == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if base == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if base == "str":
        return isinstance(value, str)
    if base == "dict":
        return isinstance(value, dict)
    if base == "list":
        return isinstance(value, list)
    return True


def _check_fields(kind, data: dict, where: str) -> None:
    if not isinstance(data, dict):
        raise PatchError("%s must be an object" % where)
    fields = {f.name: f for f in dataclasses.fields(kind) if f.init}
    unknown = set(data) - set(fields)
    if unknown:
        raise PatchError("%s: unknown fields %s" % (where, ", ".join(sorted(unknown))))
    for name, value in data.items():
        if not _type_ok(str(fields[name].type), value):
            raise PatchError("%s.%s: %r is not a valid %s" % (where, name, value, fields[name].type))


def _restore_nulled_fields(kind, before: dict, after: dict, where: str, skip=()) -> None:
    """A field set to null by the patch: None if the field is Optional, else an error.

    (Merge patch deletes members; a dataclass field cannot be deleted, only emptied.)
    """
    types = {f.name: str(f.type) for f in dataclasses.fields(kind)}
    for name in before:
        if name in after or name in skip or name not in types:
            continue
        if not _optional(types[name])[0]:
            raise PatchError("%s.%s cannot be null" % (where, name))
        after[name] = None


def _validated_state(device: Device, patch: dict) -> dict:
    """The device state after the patch, fully checked; raises PatchError."""
    if not isinstance(patch, dict):
        raise PatchError("the patch must be a JSON object")
    current = device.to_dict()
    for key in _READ_ONLY:
        if key in patch and patch[key] != current[key]:
            raise PatchError("%s cannot be changed" % key)
    # New collection items may leave out their id: it defaults to the key.
    patch = copy.deepcopy(patch)
    for name, (_kind, _key_type, id_field) in _COLLECTIONS.items():
        items = patch.get(name)
        if isinstance(items, dict):
            for key, item in items.items():
                if isinstance(item, dict) and key not in current.get(name, {}):
                    item.setdefault(id_field, int(key) if _key_type is int and key.isdigit() else key)
    merged = merge_patch(current, patch)
    _restore_nulled_fields(Device, current, merged, "device", skip=_COLLECTIONS)
    for name, (kind, _key_type, _id_field) in _COLLECTIONS.items():
        items = merged.get(name)
        if isinstance(items, dict):
            for key, item in items.items():
                if isinstance(item, dict) and key in current.get(name, {}):
                    _restore_nulled_fields(kind, current[name][key], item, "%s.%s" % (name, key))
    device_fields = {f.name for f in dataclasses.fields(Device)} - {"jobs", "share_jobs", "clock"}
    unknown = set(merged) - device_fields
    if unknown:
        raise PatchError("unknown device fields: %s" % ", ".join(sorted(unknown)))
    scalars = {k: v for k, v in merged.items() if k not in _COLLECTIONS}
    _check_fields(Device, scalars, "device")
    if merged["auth_policy"] not in POLICIES:
        raise PatchError("auth_policy must be one of %s" % ", ".join(POLICIES))
    if merged["profile"] not in (CAMERA, RECORDER):
        raise PatchError("profile must be camera or recorder")
    for name, (kind, key_type, id_field) in _COLLECTIONS.items():
        items = merged.get(name, {})
        if not isinstance(items, dict):
            raise PatchError("%s must be an object" % name)
        for key, item in items.items():
            where = "%s.%s" % (name, key)
            _check_fields(kind, item, where)
            if key_type is int and not str(key).isdigit():
                raise PatchError("%s: key must be an integer" % where)
            if str(item.get(id_field)) != str(key):
                raise PatchError("%s: %s must equal the key" % (where, id_field))
            missing = [
                f.name
                for f in dataclasses.fields(kind)
                if f.init
                and f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING
                and f.name not in item
            ]
            if missing:
                raise PatchError("%s: missing fields %s" % (where, ", ".join(missing)))
            _check_contents(name, item, where)
    return merged


def _is_condition(value) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("topic"), str)
        and isinstance(value.get("message", ""), str)
        and set(value) <= {"topic", "message"}
    )


def _check_contents(name: str, item: dict, where: str) -> None:
    """What the field types cannot say: the inside of rule conditions and of configuration
    parameters, which the SOAP answers render."""
    if name == "action_rules":
        conditions = item.get("conditions", [])
        start = item.get("start_event")
        if not all(_is_condition(c) for c in conditions) or (start is not None and not _is_condition(start)):
            raise PatchError('%s: a condition is {"topic": str, "message": str}' % where)
    if name == "action_configurations":
        if not all(isinstance(v, str) for v in item.get("parameters", {}).values()):
            raise PatchError("%s: parameter values are strings" % where)


def apply_state_patch(device: Device, patch: dict) -> None:
    """Merge-patch the device in place (existing disks, shares... keep their identity, so
    jobs in flight still act on them). Nothing changes unless the whole patch is valid."""
    merged = _validated_state(device, patch)
    for name, value in merged.items():
        if name in _COLLECTIONS:
            continue
        if getattr(device, name) != value:
            setattr(device, name, copy.deepcopy(value))
    for name, (kind, key_type, _id_field) in _COLLECTIONS.items():
        live = getattr(device, name)
        wanted = {key_type(k): v for k, v in merged.get(name, {}).items()}
        for key in list(live):
            if key not in wanted:
                del live[key]
        for key, data in wanted.items():
            if key in live:
                item = live[key]
                for field_name, value in data.items():
                    if getattr(item, field_name) != value:
                        setattr(item, field_name, copy.deepcopy(value))
            else:
                live[key] = kind(**copy.deepcopy(data))


# --- endpoint dispatch --------------------------------------------------------------------


def _json_body(body: bytes):
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PatchError("body is not valid JSON: %s" % exc) from None


def _error(status: int, message: str):
    return status, {"error": message}


def _is_secret_field(name: str) -> bool:
    # Exact names and *_password / *_passphrase (content_passphrase): `passphrase_state` is a
    # status, not a secret.
    lowered = str(name).lower()
    return lowered in SECRET_ARGS or lowered.endswith(("_password", "_passphrase"))


def masked_state(value):
    """Deep copy of device state with every stored secret (user and share passwords,
    passphrases, external device passwords) masked; empty and unset values stay visible."""
    if isinstance(value, dict):
        return {k: (MASK if _is_secret_field(k) and v not in (None, "") else masked_state(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_state(v) for v in value]
    return value


def _device_state(node: Node) -> dict:
    node.faults.settle(node.device, node.device.now())
    node.device.tick()
    return masked_state(node.device.to_dict())


def dispatch(node: Node, method: str, path: str, body: bytes) -> tuple:
    """Answer one /sim/ request for the device on `node`'s port: (status, payload)."""
    route = path[len("/sim/") :].rstrip("/")
    methods = _ROUTES.get(route)
    if methods is None:
        return _error(404, "unknown control endpoint: %s" % path)
    handler = methods.get(method)
    if handler is None:
        return _error(405, "%s not allowed on %s (allowed: %s)" % (method, path, ", ".join(sorted(methods))))
    try:
        return handler(node, body)
    except (PatchError, FaultError) as exc:
        return _error(400, str(exc))


def _get_log(node: Node, _body: bytes):
    return 200, list(node.log)


def _delete_log(node: Node, _body: bytes):
    cleared = len(node.log)
    node.clear_log()
    return 200, {"cleared": cleared}


def _get_state(node: Node, _body: bytes):
    return 200, _device_state(node)


def _post_state(node: Node, body: bytes):
    node.faults.settle(node.device, node.device.now())
    node.device.tick()
    apply_state_patch(node.device, _json_body(body))
    return 200, _device_state(node)


def _post_reset(node: Node, _body: bytes):
    node.reset()
    return 200, _device_state(node)


def _get_faults(node: Node, _body: bytes):
    now = node.device.now()
    node.faults.settle(node.device, now)
    return 200, node.faults.to_dict(now)


def _post_faults(node: Node, body: bytes):
    spec = _json_body(body)
    now = node.device.now()
    node.faults.settle(node.device, now)
    node.faults.update(spec, device=node.device, now=now)
    if isinstance(spec, dict) and spec.get("reboot_seconds") is not None:
        node.reboot_started()
    return 200, node.faults.to_dict(now)


def _delete_faults(node: Node, _body: bytes):
    now = node.device.now()
    node.faults.settle(node.device, now)
    node.faults.update(
        {key: None for key in ("latency_ms", "http_503", "retry_after", "drop", "job_fail", "job_hang", "not_axis")}
    )
    if node.faults.reboot_until is not None:
        # Ending a reboot early boots the device now.
        node.faults.reboot_until = now
        node.faults.settle(node.device, now)
    return 200, node.faults.to_dict(now)


def _post_preset(node: Node, body: bytes):
    """Apply a preset (event_catalog.PRESETS) to the running device: {"preset": "vms"}."""
    spec = _json_body(body)
    name = spec.get("preset") if isinstance(spec, dict) else None
    if name not in PRESETS:
        raise PatchError('body must be {"preset": one of %s}' % ", ".join(PRESETS))
    if not node.device.fw.has(WEB_SERVICE):
        raise PatchError("this device's firmware has no Event and action services")
    rules = apply_preset(node.device, name)
    return 200, {"preset": name, "rules": rules}


def _fleet_summary(node: Node, _body: bytes):
    return 200, node.fleet.log_summary()


_ROUTES = {
    "log": {"GET": _get_log, "DELETE": _delete_log},
    "state": {"GET": _get_state, "POST": _post_state},
    "reset": {"POST": _post_reset},
    "preset": {"POST": _post_preset},
    "faults": {"GET": _get_faults, "POST": _post_faults, "DELETE": _delete_faults},
    "fleet/log-summary": {"GET": _fleet_summary},
}
