# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declaration of axis_storage: its argument spec (each key the nested spec of a resource)
and the validation of one declared item, with errors that say where in the declaration it is.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import copy

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk import Disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._encryption import Encryption
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import ExternalDevice
from ansible_collections.vapix.edge_storage.plugins.module_utils._networkshare import NetworkShare
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording import ContinuousRecording
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_group import RecordingGroup
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_rule import RecordingRule
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_schedule import RecordingSchedule
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import JOB_TIMEOUT_ARGSPEC

# Options that the declaration sets once for the whole device, not per item.
GLOBAL_OPTIONS = ("allow_format", "allow_data_loss", "remove_profiles", "exclusive", "job_timeout")


def _item_spec(resource_cls, drop=()):
    spec = copy.deepcopy(resource_cls.argument_spec)
    for name in tuple(GLOBAL_OPTIONS) + tuple(drop):
        spec.pop(name, None)
    return spec


_ITEM_VALIDATORS = {}


def _item_validator(resource_cls, drop=()):
    """The validator of one declared item, built once per resource class and shared (read-only).

    A fleet task validates every item of every device: copying the spec each time cost more
    than the validation.
    """
    key = (resource_cls, tuple(drop))
    if key not in _ITEM_VALIDATORS:
        _ITEM_VALIDATORS[key] = ArgumentSpecValidator(_item_spec(resource_cls, drop), **resource_cls.module_kwargs)
    return _ITEM_VALIDATORS[key]


def _nested(resource_cls, kind="list", drop=(), **extra):
    """A declaration key as a nested argument spec: the resource's own options (the module's
    argument spec and its required_if & co.), so Ansible checks types, choices and required
    options of every item and masks the nested no_log secrets itself."""
    options = _item_spec(resource_cls, drop)
    options.update(extra)
    entry = dict(type=kind, options=options)
    if kind == "list":
        entry.update(elements="dict", default=[])
    entry.update(copy.deepcopy(resource_cls.module_kwargs))
    return entry


def _limit_spec():
    return _nested(StorageLimit, kind="dict", drop=("disk_id",))


ARGUMENT_SPEC = dict(
    disks=_nested(Disk, encryption=_nested(Encryption, kind="dict", drop=("disk_id",)), storage_limit=_limit_spec()),
    network_shares=_nested(NetworkShare, storage_limit=_limit_spec()),
    external_devices=_nested(ExternalDevice),
    recording_profiles=_nested(ContinuousRecording),
    # No default: left out (None) they are not managed, so a purge keeps what the device has.
    recording_groups=dict(_nested(RecordingGroup), default=None),
    recording_schedules=dict(_nested(RecordingSchedule), default=None),
    recording_rules=dict(_nested(RecordingRule), default=None),
    allow_data_loss=dict(type="bool", default=False),
    purge=dict(type="bool", default=False),
    **copy.deepcopy(JOB_TIMEOUT_ARGSPEC),
)


def validate_item(resource_cls, item, where, drop=()):
    """Validate one declared item against its resource's own argument spec.

    The module's argument spec has checked the items already; this also serves callers that
    hand DeviceStorage a declaration directly, and fills in the resource's defaults.
    """
    validator = _item_validator(resource_cls, drop)
    # unset options come as None from the nested spec: the resource's spec fills them in again
    # (nested ones too: a None sub-option would count as given for mutually_exclusive)
    result = validator.validate(_without_unset(declared_item(item, where, resource_cls)))
    if result.error_messages:
        raise InputError(None, "%s: %s" % (where, result.errors.msg))
    return result.validated_parameters


def _without_unset(options):
    """A dictionary of options without the unset (None) ones, at every level of nested dictionaries."""
    return dict((k, _without_unset(v) if isinstance(v, dict) else v) for k, v in options.items() if v is not None)


def declared_item(item, where, resource_cls):
    """A declared item as a new dictionary, or an input error naming where it is."""
    if not isinstance(item, dict):
        raise InputError(
            None, "%s must be a dictionary of %s options, not %s" % (where, resource_cls.__name__, type_name(item))
        )
    return dict(item)


def type_name(value):
    # the type only: a value given in the wrong place may be a secret
    return "a %s" % type(value).__name__


def at_item(where, option_names, message):
    """A resource's input error with the item's path in the declaration in front.

    The resources' messages start with the option they are about ("cleanup_max_age=9999 is
    out of range ..."); that becomes "disks[0].cleanup_max_age=9999 is out of range ...".
    """
    head = message.split("=", 1)[0].split(":", 1)[0].split(" ", 1)[0].split(".", 1)[0]
    if head in GLOBAL_OPTIONS:
        return message  # set once for the whole declaration, not per item
    if head in option_names:
        return "%s.%s" % (where, message)
    return "%s: %s" % (where, message)
