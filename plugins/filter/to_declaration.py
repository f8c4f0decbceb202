# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the brownfield import; the documentation is in the .yml file of each filter."""

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import (
    ImportError_,
    to_declaration,
    to_declaration_yaml,
)

display = Display()


def _warn_left_out(notes, host):
    for note in notes.left_out:
        display.warning("%simport left out %s" % ("%s: " % host if host else "", note))


def _declaration(value):
    try:
        declaration, notes = to_declaration(value, with_notes=True)
    except ImportError_ as exc:
        raise AnsibleFilterError(str(exc)) from exc
    _warn_left_out(notes, None)
    # Device data: never to be templated (ansible-core 2.19 and later never template a filter's
    # strings; older cores template what is not marked unsafe).
    return wrap_var(declaration)


def _declaration_yaml(value, host=None):
    found = []
    try:
        document = to_declaration_yaml(value, host=host, notes_out=found)
    except ImportError_ as exc:
        raise AnsibleFilterError(str(exc)) from exc
    _warn_left_out(found[0], host)
    return document


class FilterModule:
    def filters(self):
        return {
            "to_declaration": _declaration,
            "to_declaration_yaml": _declaration_yaml,
        }
