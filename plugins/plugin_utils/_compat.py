# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private ansible-core APIs the controller side still needs, in one place.

ansible-core has no public API for these (checked on 2.16 to 2.21); everything else uses the
public one. tests/unit/plugins/plugin_utils/test_compat.py runs each on every core of the test
matrix, so a core that renames one fails there first, not in a playbook.

- ValidationResult._no_log_values: the secrets ArgumentSpecValidator found (no_log options,
  fallbacks, defaults). AnsibleModule reads the same private set; the public
  `validated_parameters` does not say which values are secrets.
- HostVars._variable_manager / _inventory and VariableManager.get_vars(_hosts=, _hosts_all=):
  one host's variables in the play's context (play vars, role defaults, magic variables) from a
  task running on another host. The public `hostvars[host]` / `HostVars.raw_get` give inventory
  and facts only; the fleet task falls back to them when this is unavailable.
- Task._parent._play: the play of a task whose get_play() fails (a task outside a block).

And one difference between cores with a public API: whether a module result carries
`invocation` (always before 2.21; from 2.21 only with the INJECT_INVOCATION setting), which the
controller path must match so both execution paths return the same result.
"""

from ansible import constants as C
from ansible.errors import AnsibleError


def inject_invocation(task_vars):
    """Whether this core adds `invocation` to a module's result for a task with these variables."""
    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars or {}))
    except AnsibleError:  # no such setting: ansible-core before 2.21 always adds it
        return True


def no_log_values(validation_result):
    """The values ArgumentSpecValidator.validate() marked as secrets, as a new set."""
    return set(validation_result._no_log_values)


def task_play(task):
    """The play a task belongs to, or None."""
    try:
        return task.get_play()
    except Exception:  # pylint: disable=broad-except
        parent = getattr(task, "_parent", None)
        return getattr(parent, "_play", None)


class PlayVariables:
    """Any host's raw (untemplated) variables as its own task in `play` would get them."""

    def __init__(self, hostvars, play, task, play_hosts, play_hosts_all):
        self._manager = getattr(hostvars, "_variable_manager", None)
        self._inventory = getattr(hostvars, "_inventory", None)
        self._play = play
        self._task = task
        self._play_hosts = play_hosts
        self._play_hosts_all = play_hosts_all

    @property
    def available(self):
        """False when this core's HostVars do not carry the variable manager and inventory."""
        return self._manager is not None and self._inventory is not None and self._play is not None

    def get(self, host_name):
        """The variables of host_name; None when the inventory has no such host."""
        host = self._inventory.get_host(host_name)
        if host is None:
            return None
        return self._manager.get_vars(
            play=self._play, host=host, task=self._task, _hosts=self._play_hosts, _hosts_all=self._play_hosts_all
        )


# Whether a string is templated and whether it is a vaulted value differ between cores (public APIs
# both): ansible-core 2.19+ templates only strings trusted as templates and marks decrypted vault
# values with a tag; before 2.19 an AnsibleUnsafe string is never templated and a vaulted value
# is an AnsibleVaultEncryptedUnicode (no str).
# LEAF_TEMPLATING: the fleet renders a host-dependent value leaf by leaf (_shared_values.py) only on
# the template engine of 2.19+, where a template's value is the native value of its expression and
# a container's templates render with the same variables wherever they are; before, the fleet
# templates each such value whole as the role's task does.
try:
    from ansible.template import is_trusted_as_template as _is_trusted

    LEAF_TEMPLATING = True
except ImportError:  # ansible-core before 2.19
    from ansible.utils.unsafe_proxy import AnsibleUnsafe as _AnsibleUnsafe

    LEAF_TEMPLATING = False

    def _is_trusted(text):
        return not isinstance(text, _AnsibleUnsafe)


try:
    from ansible.parsing.vault import VaultHelper as _VaultHelper
except ImportError:  # ansible-core before 2.19
    _VaultHelper = None


def trusted_as_template(text):
    """Whether the templar would render this string (not an unsafe value)."""
    return _is_trusted(text)


def vaulted(value):
    """Whether a string is (or came from) a vaulted value."""
    if _VaultHelper is None:
        return False
    return _VaultHelper.get_ciphertext(value, with_tags=False) is not None
