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
- Role.load / RoleInclude.load and the `validate_argument_spec` task Role.load puts first: a
  collection role's defaults, entry point argument spec and tasks as include_role loads them
  (load_role). The playbook classes are ansible-core's internals, not a plugin API; the form of
  the validation task (its `argument_spec` and `validate_args_context` arguments) is the same
  on every core.

And one difference between cores with a public API: whether a module result carries
`invocation` (always before 2.21; from 2.21 only with the INJECT_INVOCATION setting), which the
controller path must match so both execution paths return the same result.
"""

from collections import namedtuple
from collections.abc import Mapping

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.playbook.play import Play
from ansible.playbook.role import Role
from ansible.playbook.role.include import RoleInclude


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


# What load_role gives: the role's path, its default variables (as the role's files give them,
# dependencies' included), the options of its main entry point's argument spec (None without
# one) and the main entry point's tasks after that validation, as (action, args) pairs.
LoadedRole = namedtuple("LoadedRole", "path defaults argument_spec tasks")
_VALIDATE_ACTIONS = ("ansible.builtin.validate_argument_spec", "validate_argument_spec")


def load_role(name, loader):
    """The role `name` (a collection role's FQCN, or a role's path) as include_role loads it.

    Raises AnsibleError (AnsibleParserError ...) when the role cannot be found or read.
    """
    # A play of its own: Role.load records each role it loads in its play's role_cache, which the
    # running play reads (a role runs once per play); this load must leave the running play alone.
    play = Play()
    role = Role.load(RoleInclude.load(name, play=play, loader=loader), play=play)
    argument_spec = None
    tasks = []
    for block in role.get_task_blocks():
        for task in block.get_tasks():
            context = task.args.get("validate_args_context")
            if (
                not tasks
                and argument_spec is None
                and task.action in _VALIDATE_ACTIONS
                and isinstance(context, Mapping)
                and context.get("type") == "role"
            ):
                # the entry point's argument validation that Role.load prepends (the `options`)
                argument_spec = task.args.get("argument_spec") or {}
                continue
            tasks.append((task.action, dict(task.args)))
    return LoadedRole(role.get_role_path(), role.get_default_vars(), argument_spec, tuple(tasks))


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
