# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Every module of the collection supports check mode, diff mode and idempotence fully unless
    # its own attributes say otherwise (a module's keys take precedence over a fragment's), as
    # ansible.builtin.action_common_attributes states its own defaults.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the device.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
  idempotent:
    description:
      - When run twice in a row with the same options, the second run reports no change.
    support: full
"""

    # The modules that run in the controller only, through an action plugin of the same name.
    ACTION = r"""
options: {}
attributes:
  action:
    description: Indicates this has a corresponding action plugin.
    support: full
"""
