# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage role as Ansible loads it, for the controller plugins that do what it does.

The fleet task runs the role's drift check for every host in one task, and the health report
validates declarations as the role does. Both read the role here, loaded by ansible-core's own
role loader (`_compat.load_role`): its defaults, the options of its main entry point's argument
spec, and what its `axis_storage` task passes the module, read from the task's own arguments.
Nothing of the role is copied into Python; a change of the role changes what they do.

The task's arguments are Jinja expressions the fleet evaluates per host without templating the
task: each must be one of the forms below (anything else fails the load, naming the option).

- `{{ var }}`: the variable's value (an undefined variable fails the task);
- `{{ var | default(omit) }}`: the value, the option left out when the variable is not set;
- `{{ decl.key | default([], true) }}`: a key of the declaration, an empty list when missing,
  null or empty;
- `{{ decl.key | default(omit) }}`: a key of the declaration, left out when missing.
"""

import json
from collections import namedtuple

from ansible.errors import AnsibleActionFail
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import load_role, trusted_as_template
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._shared_values import possibly_template
from jinja2 import Environment, TemplateSyntaxError, nodes

ROLE_NAME = "vapix.edge_storage.storage"
# The role's task of the whole-device module, as the role may name it (the role's own collection
# comes first in its search list).
MODULE_NAMES = ("vapix.edge_storage.axis_storage", "axis_storage")
_DEFAULT_FILTERS = ("default", "d")

# option <- `{{ var }}` (omit False) or `{{ var | default(omit) }}` (omit True)
RoleVariable = namedtuple("RoleVariable", "option var omit")


class RoleSourceError(AnsibleActionFail):
    """The role cannot be loaded or its task has a form the fleet task cannot evaluate: the task
    fails with this message (no traceback)."""


class StorageRole:
    """What the role says: defaults, argument spec, and the variable each module option reads.

    name: the role as loaded; path: its folder; defaults: its default variables as the role
    gives them (untemplated); templated_defaults: the names whose default holds a template (the
    host's own variables give its value); argument_spec: the options of the main entry point
    (plain data) or None; task_args: the task's arguments as the role has them (untemplated);
    variables: RoleVariable per option the task sets from a variable, in the task's order;
    declaration_var: the variable whose keys the task passes (None if none); declaration_lists:
    those keys passed as lists (`default([], true)`); declaration_optional: those left out when
    the declaration has no such key (`default(omit)`).
    """

    def __init__(self, name, loaded):
        self.name = name
        self.path = loaded.path
        self.defaults = dict(loaded.defaults)
        self.templated_defaults = frozenset(key for key, value in self.defaults.items() if _holds_template(value))
        # plain data, as the role's argument validation reads the file (no Ansible types)
        self.argument_spec = None if loaded.argument_spec is None else json.loads(json.dumps(loaded.argument_spec))
        module_tasks = [args for action, args in loaded.tasks if action in MODULE_NAMES]
        if len(module_tasks) != 1:
            raise RoleSourceError(
                "the role %s has %d tasks of the module %s in its main entry point, not one"
                % (name, len(module_tasks), MODULE_NAMES[0])
            )
        # the task's own arguments, untemplated (what each host's role task templates)
        self.task_args = dict(module_tasks[0])
        self.variables, self.declaration_var, self.declaration_lists, self.declaration_optional = _mapping(
            name, self.task_args
        )

    def variable(self, option):
        """The RoleVariable of a module option, or None if the task does not set it from a variable."""
        for found in self.variables:
            if found.option == option:
                return found
        return None


def _mapping(name, task_args):
    """(variables, declaration variable, list keys, optional keys) of the module task's arguments."""
    variables, lists, optional, declaration = [], [], [], set()
    parser = Environment()
    for option, text in task_args.items():
        form = _form(parser, text)
        if form is None:
            raise RoleSourceError(
                "the role %s passes %s=%r to %s, a form the fleet task cannot evaluate per host: it knows "
                "{{ var }}, {{ var | default(omit) }}, {{ declaration.key | default([], true) }} and "
                "{{ declaration.key | default(omit) }}" % (name, option, str(text), MODULE_NAMES[0])
            )
        kind, var, key = form
        if kind in ("variable", "omit"):
            variables.append(RoleVariable(option, var, kind == "omit"))
            continue
        if key != option:
            raise RoleSourceError(
                "the role %s passes %s.%s as %s: the fleet task passes a declaration's keys as the options "
                "of the same name" % (name, var, key, option)
            )
        declaration.add(var)
        (lists if kind == "list" else optional).append(key)
    if len(declaration) > 1:
        raise RoleSourceError(
            "the role %s reads its declaration from %s: the fleet task reads one variable"
            % (name, " and ".join(sorted(declaration)))
        )
    return tuple(variables), (declaration.pop() if declaration else None), tuple(lists), tuple(optional)


def _holds_template(value):
    if isinstance(value, str):
        return trusted_as_template(value) and possibly_template(value)
    if isinstance(value, dict):
        return any(_holds_template(k) or _holds_template(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_template(v) for v in value)
    return False


def _form(parser, text):
    """('variable' | 'omit', var, None) or ('list' | 'optional', declaration var, key), or None."""
    if not isinstance(text, str):
        return None
    try:
        tree = parser.parse(str(text))
    except TemplateSyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output) or len(tree.body[0].nodes) != 1:
        return None
    expression = tree.body[0].nodes[0]
    if isinstance(expression, nodes.Name):
        return "variable", expression.name, None
    if (
        not isinstance(expression, nodes.Filter)
        or expression.name not in _DEFAULT_FILTERS
        or expression.kwargs
        or expression.dyn_args
        or expression.dyn_kwargs
    ):
        return None
    args = expression.args
    omit = len(args) == 1 and isinstance(args[0], nodes.Name) and args[0].name == "omit"
    empty_list = (
        len(args) == 2
        and isinstance(args[0], nodes.List)
        and not args[0].items
        and isinstance(args[1], nodes.Const)
        and args[1].value is True
    )
    source = expression.node
    if isinstance(source, nodes.Name):
        return ("omit", source.name, None) if omit else None
    key = None
    if isinstance(source, nodes.Getattr) and isinstance(source.node, nodes.Name):
        key = source.attr
    elif (
        isinstance(source, nodes.Getitem)
        and isinstance(source.node, nodes.Name)
        and isinstance(source.arg, nodes.Const)
        and isinstance(source.arg.value, str)
    ):
        key = source.arg.value
    if key is None or not (omit or empty_list):
        return None
    return ("optional" if omit else "list"), source.node.name, key


_ROLES = {}


def storage_role(loader, name=None):
    """The storage role (or the role `name`: a role's FQCN or path), loaded once per process.

    loader: the action plugin's DataLoader. RoleSourceError, naming the role, when it cannot be
    loaded or read. The cache is the process's: ansible-playbook runs each task in a worker
    process of its own, so a fleet task loads the role once per run, before its hosts.
    """
    name = name or ROLE_NAME
    if name not in _ROLES:
        try:
            loaded = load_role(name, loader)
        except Exception as exc:  # pylint: disable=broad-except
            # a broken install: the task fails naming the role, never with a traceback
            raise RoleSourceError(
                "the role %s cannot be loaded: %s" % (name, getattr(exc, "message", None) or exc)
            ) from None
        _ROLES[name] = StorageRole(name, loaded)
    return _ROLES[name]
