"""Importing this package registers every CGI handler in vapix_sim.http.REGISTRY."""

from . import (  # noqa: F401  (imported for their @cgi registrations)
    discovery,
    disks,
    event_services,
    external_device,
    networkshare,
    param,
    properties,
    recording,
    recording_group,
    recording_list,
    storage_limit,
)
