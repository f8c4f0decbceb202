# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private ansible-core API the module side still needs, in one place.

- basic._load_params(): the module's arguments as Ansible sent them, before AnsibleModule's
  argument spec converts them (or fails on them with a message naming no option). ansible-core
  has no public way to read them first (checked on 2.16 to 2.21).
  tests/unit/plugins/module_utils/test_compat.py runs it on every core of the test matrix.
"""


def raw_module_params():
    """The arguments this module was called with, unconverted."""
    from ansible.module_utils.basic import _load_params

    return _load_params()
