# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking a result skips remove_values only when it could not change anything."""

import itertools

import pytest
from ansible.module_utils.common.parameters import remove_values
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import masked, mentions

RESULTS = [
    {"changed": True, "msg": "share nas mounted", "diff": {"before": {"user": "cam"}, "after": {"user": "cam"}}},
    {"failed": False, "msg": 'quote " and backslash \\ and tab\t', "steps": ["a", "b"]},
    {"changed": False, "count": 4711, "ratio": 1.5, "flags": [True, False, None]},
    {"key-Sim-Root-4711": "value", "nested": [{"deep": ["x", {"deeper": "pass\u00e9-word"}]}]},
    {},
]
SECRETS = [
    "Sim-Root-4711",
    "4711",
    "1.5",
    'quote "',
    "backslash \\",
    "tab\t",
    "pass\u00e9",
    "rue",
    "None",
    "nowhere-at-all",
    "cam",
    "a",
]


def reference(result, values):
    """What AnsibleModule does: remove_values over the whole result, top-level flags kept."""
    preserved = dict((k, v) for k, v in result.items() if v is None or isinstance(v, bool))
    cleaned = remove_values(result, values)
    cleaned.update(preserved)
    return cleaned


@pytest.mark.parametrize(
    "result,values", [(r, set(v)) for r in RESULTS for v in itertools.chain(([s] for s in SECRETS), [[], SECRETS[:3]])]
)
def test_masked_is_remove_values(result, values):
    assert masked(dict(result), values) == reference(result, values)


def test_a_secret_nowhere_in_the_result_skips_the_walk():
    assert not mentions(RESULTS[0], {"nowhere-at-all", ""})
    assert mentions(RESULTS[0], {"nas"})
    # remove_values compares booleans and None as text: a secret inside "True" must walk
    assert mentions({"ok": True}, {"ru"})
    # a secret with characters that JSON escapes is found in its escaped form
    assert mentions(RESULTS[1], {'quote "'})
