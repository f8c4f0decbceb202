# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recordings on a disk, as far as the health report needs them: how many, and when the
oldest one starts (Recording API, record/list.cgi). Read only, one request per mounted disk.

The oldest start tells how much video the device really keeps, which its cleanup policy
(cleanup_max_age) only promises: a full disk makes fifo delete earlier than the policy says.
"""

from ansible_collections.vapix.edge_storage.plugins.module_utils._values import to_int
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import element_list, unwrap

LIST_CGI = "record/list.cgi"


def read_disk_recordings(device, disk_id):
    """{count, oldest_start} of one disk: the first recording in ascending start order."""

    def read():
        doc = device.client.xml(
            LIST_CGI, {"recordingid": "all", "diskid": disk_id, "sortorder": "ascending", "maxnumberofresults": 1}
        )
        body = unwrap(doc)
        node = body.get("recordings") if isinstance(body, dict) else None
        node = node if isinstance(node, dict) else {}
        first = element_list(body, "recordings", "recording")
        oldest = first[0] if first and isinstance(first[0], dict) else {}
        count = to_int(node.get("@totalnumberofrecordings"))
        if count is None:
            count = to_int(node.get("@numberofrecordings"))
        return {
            "count": count if count is not None else len(first),
            "oldest_start": oldest.get("@starttime") or None,
            "oldest_recording_id": oldest.get("@recordingid") or None,
        }

    return device.cached("recordings:%s" % disk_id, read)
