# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Continuous recording profiles: record/continuous/{list,add,remove}configuration.cgi.

Profiles are immutable: a profile whose options differ is removed and added again, and the
device gives the new one a new id. A profile is identified by its disk, its event id, on a
recorder the external device it pulls from (`device=<id>` in its options), and the video
channel it records (`camera=<n>` in its options; none = the first channel). So one recorder
disk can hold a profile per camera, and one multi-sensor camera disk a profile per sensor,
under the same event id.
"""

import copy

from ansible_collections.vapix.edge_storage.plugins.module_utils._capabilities import CHANNEL_PARAMS
from ansible_collections.vapix.edge_storage.plugins.module_utils._disks import get_disk
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    InputError,
    StateError,
    UnsupportedError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    API_ID as EXT_API_ID,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._external_device import (
    list_external_devices,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._profiles import (
    DEFAULT_EVENT_ID,
    list_profiles,
    remove_profile_step,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    CAMERA_OPTION,
    DEFAULT_CAMERA,
    RECORDER_DEFAULTS,
    camera_value,
    canonical_value,
    comparable,
    differences,
    format_options,
    validate_stream_options,
    without_camera,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

CAPACITY_PARAM = "Properties.LocalStorage.NbrOfContinuousRecordingProfiles"
# What addconfiguration.cgi answers when the device holds as many profiles as it allows.
CAPACITY_ERROR = "max number of configurations"


def check_camera_channel(device, camera, option="camera"):
    """A numbered channel beyond the ones the camera has is refused before any write.

    Where param.cgi does not count the channels, or for quad, the device decides.
    """
    if camera is None or not str(camera).isdigit():
        return
    channels = device.caps.video_channels
    if channels is not None and int(camera) > channels:
        raise InputError(
            None,
            "%s=%s: %s has %s video channel%s (%s), so %s must be from 1 to %s"
            % (
                option,
                camera,
                device.caps.describe(),
                channels,
                "" if channels == 1 else "s",
                " / ".join(CHANNEL_PARAMS),
                option,
                channels,
            ),
        )


def check_source(device, wanted):
    """True on a recorder. `wanted` (option device) must name an existing external device, and only there."""
    if wanted is not None:
        devices = list_external_devices(
            device, purpose="record from another device (option device); leave device out on a camera"
        )
        if wanted not in devices:
            raise InputError(
                None,
                "device=%s: %s has no external IP device with this id; it has: %s (create it "
                "with vapix.edge_storage.axis_external_device)"
                % (wanted, device.caps.describe(), ", ".join(sorted(devices)) or "none"),
            )
        return True
    # Parameter management (param.cgi) answers only on cameras, so a camera is known without API discovery.
    if not device.caps.local_storage and device.caps.has(EXT_API_ID):
        devices = list_external_devices(device)
        raise InputError(
            None,
            "device is required on %s: a recorder records from an external IP device, named by "
            "device (it has: %s)"
            % (
                device.caps.describe(),
                ", ".join(sorted(devices)) or "none; create one with vapix.edge_storage.axis_external_device",
            ),
        )
    return False


def summary(profile):
    camera = profile.get("camera")
    shown = camera is not None and (
        str(camera) != DEFAULT_CAMERA or any(k.lower() == CAMERA_OPTION for k in profile.get("stream_options") or {})
    )
    return "%s (disk %s, event %s%s%s)" % (
        profile["profile_id"],
        profile["disk_id"],
        profile["event_id"],
        ", device %s" % profile["device"] if profile["device"] else "",
        ", camera %s" % camera if shown else "",
    )


class ContinuousRecording(Resource):
    result_key = "profile"
    argument_spec = dict(
        disk_id=dict(type="str", required=True),
        event_id=dict(type="str", default=DEFAULT_EVENT_ID),
        stream_options=dict(type="dict"),
        device=dict(type="str"),
        # raw: a channel is a number (camera: 2) or the device's word quad, and Ansible would
        # warn about converting a number given to a str option
        camera=dict(type="raw"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        exclusive=dict(type="bool", default=False),
    )

    def __init__(self, device, params, check_mode=False):
        super().__init__(device, params, check_mode=check_mode)
        self.options = {}
        self.camera = None  # the declared video channel; None = not given
        self.replaced = None
        self.removed = []  # profiles this run removed, for an error after them

    # --- input ---------------------------------------------------------------------------

    def validate(self):
        params = self.params
        if not (params["disk_id"] or "").strip():
            raise InputError(
                None,
                "disk_id is empty: give the disk to record to, for example SD_DISK, NetworkShare "
                "or a recorder's HDD_DISK",
            )
        event_id = params.get("event_id")
        if not event_id or event_id != event_id.strip():
            raise InputError(
                None,
                "event_id=%r must be a non-empty name without leading or trailing spaces, for "
                "example continuous" % event_id,
            )
        device = params.get("device")
        if device is not None and (not device or any(c in device for c in "&= \t")):
            raise InputError(None, "device=%r must be the id of an external IP device (no spaces, '&' or '=')" % device)
        # Checked in both states: a typo is worth catching even where the options are unused.
        self.options = validate_stream_options(params.get("stream_options"))
        self.camera = self._validate_camera(params.get("camera"))
        if params["state"] == "absent":
            if params["exclusive"]:
                raise InputError(
                    None,
                    "exclusive=true only works with state=present (it removes every profile except the declared one)",
                )
            return
        if not self.options and not device:
            raise InputError(
                None,
                "stream_options is empty: a profile needs stream options (for example "
                "{videocodec: h264, resolution: 1920x1080, fps: 30}) or, on a recorder, device",
            )

    def _validate_camera(self, value):
        """camera and stream_options.camera name one video channel; either may be given, or both alike."""
        given = None
        if value is not None:
            text = str(value).strip()
            try:
                if isinstance(value, bool):
                    raise InputError(None, "a boolean")
                given = canonical_value(CAMERA_OPTION, text)
            except VapixError:
                raise InputError(
                    None,
                    "camera=%r is not valid: it must be the video channel to record, a number from "
                    "1 (the first sensor or video input), or quad" % (value,),
                ) from None
        in_options = self.options.get(CAMERA_OPTION)
        if given is not None and in_options is not None and given != in_options:
            raise InputError(
                None,
                "camera=%s and stream_options.camera=%s name different video channels: give the "
                "channel once, or the same value in both" % (given, in_options),
            )
        if given is not None and in_options is None:
            # the device stores the channel as a stream option: send it as one
            self.options[CAMERA_OPTION] = given
        return given or in_options

    # --- state ---------------------------------------------------------------------------

    @property
    def wanted_camera(self):
        """The channel of the declared profile: the given one, else the first (the device's default)."""
        return self.camera or DEFAULT_CAMERA

    def _matches(self, profile):
        params = self.params
        if profile["disk_id"] != params["disk_id"] or profile["event_id"] != params["event_id"]:
            return False
        if params["state"] == "absent":
            # absent without device (camera): the profiles of every device (channel) of this disk and event id
            if params.get("device") is not None and profile["device"] != params.get("device"):
                return False
            return self.camera is None or str(profile["camera"]) == self.camera
        return profile["device"] == params.get("device") and str(profile["camera"]) == self.wanted_camera

    def _same_options(self, profile):
        # the channel is part of the identity, already matched: camera=1 and no camera are alike
        return comparable(without_camera(profile["stream_options"])) == without_camera(self.options)

    def read(self):
        profiles = list_profiles(self.device)
        matched = [p for p in profiles if self._matches(p)]
        others = [p for p in profiles if not self._matches(p)]
        # The kept profile is the one that already has the wanted options, if any.
        matched.sort(key=lambda p: not self._same_options(p))
        primary = matched[0] if matched else None
        return {
            "state": "present" if primary else "absent",
            "profile_id": primary["profile_id"] if primary else None,
            "disk_id": self.params["disk_id"],
            "event_id": self.params["event_id"],
            "device": primary["device"] if primary else self.params.get("device"),
            "camera": primary["camera"] if primary else (camera_value(self.camera) if self.camera else None),
            "stream_options": dict(primary["stream_options"]) if primary else {},
            "duplicate_profile_ids": [p["profile_id"] for p in matched[1:]],
            "other_profiles": [copy.deepcopy(p) for p in others],
            "_matched": matched,
        }

    def view(self, state):
        shown = super().view(state)
        shown.pop("_matched", None)
        return shown

    def desired(self, current):
        wanted = copy.deepcopy(current)
        wanted["duplicate_profile_ids"] = []
        if self.params["state"] == "absent":
            wanted.update(state="absent", profile_id=None, stream_options={}, _matched=[])
            return wanted
        keep = current["state"] == "present" and self._same_options(current["_matched"][0])
        wanted.update(
            state="present",
            profile_id=current["profile_id"] if keep else None,
            device=self.params.get("device"),
            camera=camera_value(self.wanted_camera),
            stream_options=dict(current["stream_options"] if keep else self.options),
        )
        if self.params["exclusive"]:
            wanted["other_profiles"] = []
        return wanted

    # --- plan ----------------------------------------------------------------------------

    def plan(self, current, desired):
        matched = current["_matched"]
        removals = []
        if desired["state"] == "absent":
            removals = [(p, "state=absent") for p in matched]
        else:
            primary = matched[0] if matched else None
            if primary is not None and desired["profile_id"] is None:
                self.replaced = primary["profile_id"]
                removals.append(
                    (
                        primary,
                        "profiles cannot be changed and its options differ (%s): it is replaced "
                        "by a new profile" % self._option_changes(primary),
                    )
                )
            for duplicate in matched[1:]:
                removals.append(
                    (
                        duplicate,
                        "a second profile for disk %s, event %s, camera %s"
                        % (duplicate["disk_id"], duplicate["event_id"], duplicate["camera"]),
                    )
                )
            if self.params["exclusive"]:
                removals.extend((p, "not declared, and exclusive=true") for p in current["other_profiles"])
        steps = [self._remove_step(profile, why) for profile, why in removals]
        if desired["state"] == "present" and desired["profile_id"] is None:
            steps.append(self._add_step(current, removals))
        return steps

    def _option_changes(self, profile):
        text = differences(comparable(profile["stream_options"]), self.options)
        if profile["device"] != self.params.get("device"):
            text = ", ".join(t for t in (text, "device %s -> %s" % (profile["device"], self.params.get("device"))) if t)
        return text

    def _remove_step(self, profile, why):
        return remove_profile_step(
            self,
            profile,
            "remove profile %s: %s; recording for it stops, its recordings stay on the disk" % (summary(profile), why),
            removed=self.removed,
        )

    def _add_step(self, current, removals):
        """Every check a real device would fail on (or silently accept), made before any write."""
        params = self.params
        disk = get_disk(self.device, params["disk_id"])
        recorder = self._check_source()
        if not recorder:
            self._check_camera()
        capacity = self._check_capacity(current, removals, recorder)
        if not disk["mounted"]:
            self.warnings.append(
                "disk %s is not mounted (status %r): the profile is added, but it records only "
                "once the disk is mounted" % (disk["disk_id"], disk["status"])
            )
        if recorder:
            unset = [
                "%s (recorder default %s)" % (name, default)
                for name, default in RECORDER_DEFAULTS
                if name not in self.options
            ]
            if unset:
                self.warnings.append(
                    "stream options left to the recorder's defaults, which the camera may not "
                    "support (Axis recommends setting them): %s" % ", ".join(unset)
                )
        args = {
            "diskid": params["disk_id"],
            "options": format_options(params.get("device"), self.options),
            "eventid": params["event_id"],
        }

        def add():
            try:
                doc = self.client.xml("record/continuous/addconfiguration.cgi", args, write=True)
            except VapixError as exc:
                raise self._add_refused(exc) from exc
            self.device.invalidate("profiles")
            added = element_list(unwrap(doc), "configure")
            return "profile %s" % (added[0].get("@profile") if added else "?")

        return Step(
            "addconfiguration",
            "add a profile on disk %s, event %s, options %s (%s)"
            % (params["disk_id"], params["event_id"], args["options"], capacity),
            add,
        )

    def _check_source(self):
        return check_source(self.device, self.params.get("device"))

    def _check_camera(self):
        check_camera_channel(self.device, self.camera)

    def _add_refused(self, exc):
        """addconfiguration.cgi's over-capacity answer as what it means, with what was done already."""
        done = ("; already done: removed profile %s" % ", ".join(str(n) for n in self.removed)) if self.removed else ""
        if CAPACITY_ERROR not in str(exc.description).lower():
            if done:
                return exc.with_description("%s%s" % (exc.description, done))
            return exc
        local = self.device.caps.local_storage if not self.params.get("device") else {}
        limit = local.get("NbrOfContinuousRecordingProfiles")
        which = "".join(
            ", %s %s" % (name, value)
            for name, value in (("device", self.params.get("device")), ("camera", self.camera))
            if value
        )
        return StateError(
            exc.cgi,
            "%s refused the profile for disk %s, event %s%s: it already holds as many "
            "continuous recording profiles as it allows (%sthe device said: %s). Remove a profile "
            "first, or set exclusive=true to replace the others%s"
            % (
                self.device.caps.describe(),
                self.params["disk_id"],
                self.params["event_id"],
                which,
                "%s=%s, " % (CAPACITY_PARAM, limit) if limit else "",
                exc.description,
                done or ". Nothing was changed",
            ),
            code=exc.code,
            status=exc.status,
        )

    def _check_capacity(self, current, removals, recorder):
        """The text for the add step; fails before any write when the device would be over its limit.

        The limit is known for one video channel (1 on single-sensor cameras). How a
        multi-sensor camera counts it is not documented (field use suggests per channel), so
        there the device decides and its refusal is reported clearly instead of guessed at.
        """
        after = len(current["_matched"]) + len(current["other_profiles"]) - len(removals) + 1
        if recorder:
            # No param.cgi on recorders: the limit is not readable, the device enforces it.
            return "profile %s on the device; a recorder's profile limit cannot be read, the device enforces it" % after
        local = self.device.caps.local_storage
        if local.get("ContinuousRecording", "yes").lower() == "no":
            raise UnsupportedError(
                None,
                "%s does not support continuous recording profiles "
                "(Properties.LocalStorage.ContinuousRecording=no)" % self.device.caps.describe(),
            )
        try:
            limit = int(local["NbrOfContinuousRecordingProfiles"])
        except (KeyError, ValueError):
            return "profile %s on the device; its profile limit is not readable" % after
        sources = self.device.caps.image_sources
        if sources is not None and sources > 1:
            return (
                "profile %s on the device, %s video channels of at most %s profile(s) each as far as known "
                "(%s); the device enforces its limit" % (after, sources, limit, CAPACITY_PARAM)
            )
        if after > limit:
            removed = set(p["profile_id"] for p, _why in removals)
            kept = [p for p in current["_matched"] + current["other_profiles"] if p["profile_id"] not in removed]
            raise StateError(
                None,
                "%s allows %s continuous recording profile(s) (%s) and already has %s: %s. Adding "
                "the profile for disk %s, event %s would exceed it; nothing was changed. Remove a profile "
                "first, or set exclusive=true to replace the others"
                % (
                    self.device.caps.describe(),
                    limit,
                    CAPACITY_PARAM,
                    len(kept),
                    ", ".join(summary(p) for p in kept),
                    self.params["disk_id"],
                    self.params["event_id"],
                ),
            )
        return "profile %s of at most %s on the device" % (after, limit)

    def result_extras(self, final):
        return {"replaced_profile_id": self.replaced} if self.replaced is not None else {}

    def diff_headers(self):
        if self.replaced is None:
            return {}
        return {
            "before_header": "profile %s" % self.replaced,
            "after_header": "a new profile replacing profile %s (profiles cannot be changed: removed and "
            "added again, with a new id)" % self.replaced,
        }
