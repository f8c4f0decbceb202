# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the continuous recording profiles (Continuous recording API, listconfiguration.cgi),
and the one step that removes a profile (removeconfiguration.cgi).

Shared by the profile resource, the external devices (which profiles record from a camera) and
the storage information; it depends on neither, so none of them imports another in a cycle.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    DEVICE_OPTION,
    camera_of,
    camera_value,
    parse_options,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

DEFAULT_EVENT_ID = "continuous"
LIST_CGI = "record/continuous/listconfiguration.cgi"


def parse_profile(raw):
    """One `<continuousrecordingconfiguration>`: the device option split from the stream options."""
    device = None
    stream = {}
    for key, value in parse_options(raw.get("@options")):
        if key.lower() == DEVICE_OPTION:
            device = value
        else:
            stream[key] = value
    try:
        profile_id = int(raw.get("@profile"))
    except (TypeError, ValueError):
        profile_id = raw.get("@profile")
    return {
        "profile_id": profile_id,
        "disk_id": raw.get("@diskid"),
        "event_id": raw.get("@eventid") or DEFAULT_EVENT_ID,
        "device": device,
        "camera": camera_value(camera_of(stream)),
        "stream_options": stream,
    }


def list_profiles(device):
    """Every continuous recording profile, by id, from one listconfiguration.cgi per session."""

    def read():
        try:
            doc = device.client.xml(LIST_CGI)
        except UnsupportedError:
            raise device.caps.missing("recording", "manage continuous recording profiles", cgi=LIST_CGI) from None
        raws = element_list(unwrap(doc), "continuousrecordingconfigurations", "continuousrecordingconfiguration")
        profiles = [parse_profile(raw) for raw in raws]
        return sorted(profiles, key=lambda p: (not isinstance(p["profile_id"], int), p["profile_id"]))

    return device.cached("profiles", read)


def remove_profile_step(resource, profile, detail, destructive=False, removed=None):
    """The step that removes one continuous recording profile (removeconfiguration.cgi); its
    recordings stay on the disk. `removed` collects the numbers of the profiles removed."""
    number = profile["profile_id"]

    def remove():
        resource.client.xml("record/continuous/removeconfiguration.cgi", {"profile": number}, write=True)
        resource.device.invalidate("profiles")
        if removed is not None:
            removed.append(number)

    return Step("removeconfiguration", detail, remove, destructive=destructive)
