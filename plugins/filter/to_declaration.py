# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the brownfield import; the documentation is in the .yml file of each filter."""

from ansible.errors import AnsibleFilterError
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import (
    ImportError_,
    to_declaration,
    to_declaration_yaml,
)


def _declaration(value):
    try:
        return to_declaration(value)
    except ImportError_ as exc:
        raise AnsibleFilterError(str(exc))


def _declaration_yaml(value, host=None):
    try:
        return to_declaration_yaml(value, host=host)
    except ImportError_ as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {
            "to_declaration": _declaration,
            "to_declaration_yaml": _declaration_yaml,
        }
