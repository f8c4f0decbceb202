# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A variable's templated value, worked out once for all the hosts it cannot differ between.

Real fleets share their declarations through group variables: thousands of hosts hold a handful
of distinct raw values. A raw value's templated value depends only on the raw value itself and on
the values of the variables its templates read; so two hosts whose raw value and every variable it
reads (and every variable those read, in turn) are the same get the same templated value, and the
fleet task templates it once. Each host's own key is worked out from its raw variables, which is
cheap next to templating.

A value is templated for its host alone (no key) when it may differ between two hosts whose keys
would be equal: a vaulted or an unsafe value, a template that reads a name that is not a variable
(a lookup, `now()`, `hostvars`, `vars`), one that uses a filter whose answer changes from call to
call (`random`, `shuffle`), one with its own Jinja settings (a `#jinja2:` header), or a template
Jinja cannot parse (the templar gives the host its own error).
"""

from collections.abc import Mapping

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import (
    LEAF_TEMPLATING,
    trusted_as_template,
    vaulted,
)
from jinja2 import Environment, TemplateSyntaxError, meta, nodes

# Jinja's own globals that always give the same answer.
SAFE_GLOBALS = frozenset(("range", "dict", "namespace", "true", "false", "none", "True", "False", "None"))
# Filters whose answer may differ between two calls with the same input.
CHANGING_FILTERS = frozenset(
    (
        "random",
        "shuffle",
        "password_hash",
        "ansible.builtin.random",
        "ansible.builtin.shuffle",
        "ansible.builtin.password_hash",
    )
)
_MARKERS = ("{{", "{%", "{#")
# A template's own Jinja settings (ansible-core reads this header).
_OVERRIDES = "#jinja2:"
_SCALARS = (bool, int, float)
# What the walk of one host's variable gives while it is walked (a template that reads itself).
_WALKING = object()
# Raw containers whose shapes are kept (by identity) before the cache starts again.
MAX_SHAPES = 20000
# Nesting of variables and containers rendered leaf by leaf before the rest goes to the templar.
MAX_DEPTH = 40


def possibly_template(text):
    return any(marker in text for marker in _MARKERS) or text.startswith(_OVERRIDES)


class SharedValues:
    """Templated values of the fleet's hosts, shared by the hosts whose keys are equal.

    `templated` counts the values templated (the tests count them).
    """

    def __init__(self):
        self._environment = None
        self._reads = {}
        self._values = {}
        self._memo = {}
        self._shapes = {}
        self._forms = {}
        self._verified = set()
        self._templar_only = set()
        self.templated = 0

    def memo(self, kind, key, compute):
        """compute(), once per (kind, key) of a shareable value (key None: every time)."""
        if key is None:
            return compute()
        if (kind, key) not in self._memo:
            self._memo[(kind, key)] = compute()
        return self._memo[(kind, key)]

    def reads(self, text):
        """The names a template reads, or None when its value may differ for equal inputs."""
        if text not in self._reads:
            self._reads[text] = self._find_reads(text)
        return self._reads[text]

    def _find_reads(self, text):
        if text.lstrip().startswith(_OVERRIDES):
            return None
        if self._environment is None:
            self._environment = Environment()
        try:
            tree = self._environment.parse(text)
        except TemplateSyntaxError:
            return None
        for node in tree.find_all((nodes.Filter, nodes.Test)):
            if node.name in CHANGING_FILTERS:
                return None
        return tuple(sorted(meta.find_undeclared_variables(tree)))

    def key(self, variables, name, walked=None):
        """A hashable key of variables[name] and of all it reads; None when it cannot be shared."""
        walked = {} if walked is None else walked
        if name in walked:
            found = walked[name]
            return None if found is _WALKING else found
        walked[name] = _WALKING
        found = None
        shape = self._shape(variables[name])
        if shape is not None:
            structure, names = shape
            read = []
            for read_name in names:
                if read_name not in variables:
                    if read_name in SAFE_GLOBALS:
                        continue
                    read = None
                    break
                read_key = self.key(variables, read_name, walked)
                if read_key is None:
                    read = None
                    break
                read.append((read_name, read_key))
            if read is not None:
                found = (structure, tuple(read))
        walked[name] = found
        return found

    def _shape(self, value):
        """(hashable structure, names its templates read) of a raw value, or None if not shareable.

        A container's shape is kept by identity: hosts of one group get the same raw objects.
        """
        if not isinstance(value, (dict, list)):
            return self._walk(value)
        known = self._shapes.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if len(self._shapes) >= MAX_SHAPES:
            self._shapes.clear()
        shape = self._walk(value)
        # the value is kept with its shape, so that its id is not another object's later
        self._shapes[id(value)] = (value, shape)
        return shape

    def _walk(self, value):
        if value is None:
            return ("n",), ()
        if isinstance(value, _SCALARS):
            # the type too: 1, 1.0 and True are equal keys but different values
            return (type(value).__name__, value), ()
        if isinstance(value, str):
            if vaulted(value):
                return None
            if not possibly_template(value):
                return ("s", str(value)), ()
            if not trusted_as_template(value):
                return None
            names = self.reads(str(value))
            return None if names is None else (("t", str(value)), names)
        if isinstance(value, dict):
            items, names = [], set()
            for item_key, item in value.items():
                if not isinstance(item_key, str) or possibly_template(item_key):
                    return None
                found = self._shape(item)
                if found is None:
                    return None
                items.append((str(item_key), found[0]))
                names.update(found[1])
            return ("d", tuple(items)), tuple(sorted(names))
        if isinstance(value, list):
            items, names = [], set()
            for item in value:
                found = self._shape(item)
                if found is None:
                    return None
                items.append(found[0])
                names.update(found[1])
            return ("l", tuple(items)), tuple(sorted(names))
        return None  # a vaulted value, a tuple, a custom object: only the templar knows

    def template(self, templar_of, variables, name, walked=None):
        """(key, templated value) of variables[name]; the key is None for a value templated alone.

        templar_of(): the host's templar, asked for only when the value is templated.
        """
        found = self.key(variables, name, walked)
        if found is not None and (name, found) in self._values:
            return found, self._values[(name, found)]
        if LEAF_TEMPLATING:
            value = self._render(templar_of, variables, variables[name], walked if walked is not None else {}, 0)
        else:
            value = templar_of().template(variables[name])
            self.templated += 1
        if found is not None:
            self._values[(name, found)] = value
        return found, value

    # --- a host-dependent value, leaf by leaf -----------------------------------------------------
    #
    # A declaration that reads a host variable somewhere (a passphrase made from the serial number,
    # a share path with the host name) differs between hosts in those few leaves only, while
    # templating it whole compiles every template it holds for every host (ansible-core compiles a
    # template string each time it renders one). So a host-dependent value is rendered leaf by leaf:
    # leaves without a template are taken as they are, a variable's value (`{{ name }}`) and text
    # joined with text variables (`edge-{{ axis_serial }}-key`) are put together from the variables'
    # own values (templated, shared where they can be), `{{ name[other] }}` picks the entry of the
    # raw dictionary and renders only it, and every other leaf goes to the templar. The first time a
    # template is rendered this way, the templar renders it too and both must give the same plain
    # data; where they do not, that template always goes to the templar.

    def _render(self, templar_of, variables, raw, walked, depth):
        if depth > MAX_DEPTH:
            return self._templar_leaf(templar_of, raw)
        if isinstance(raw, dict) and all(isinstance(k, str) and not possibly_template(k) for k in raw):
            return dict((k, self._render(templar_of, variables, v, walked, depth + 1)) for k, v in raw.items())
        if isinstance(raw, list):
            return [self._render(templar_of, variables, v, walked, depth + 1) for v in raw]
        if raw is None or isinstance(raw, _SCALARS):
            return raw
        if isinstance(raw, str) and not possibly_template(raw) and not vaulted(raw):
            return raw  # the templar gives a text without a template as it is
        if not isinstance(raw, str) or vaulted(raw) or not trusted_as_template(raw):
            return self._templar_leaf(templar_of, raw)
        text = str(raw)
        form = self._form(text)
        if form is None or text in self._templar_only:
            return self._templar_leaf(templar_of, raw)
        try:
            value = self._by_form(form, templar_of, variables, walked, depth)
        except _Fallback:
            return self._templar_leaf(templar_of, raw)
        if text not in self._verified:
            expected = self._templar_leaf(templar_of, raw)
            if not _same_plain(value, expected):
                self._templar_only.add(text)
                return expected
            self._verified.add(text)
        return value

    def _templar_leaf(self, templar_of, raw):
        self.templated += 1
        return templar_of().template(raw)

    def _variable(self, templar_of, variables, name, walked, depth):
        if name not in variables or depth > MAX_DEPTH:
            raise _Fallback()
        found = self.key(variables, name, walked)
        if found is not None and (name, found) in self._values:
            return self._values[(name, found)]
        value = self._render(templar_of, variables, variables[name], walked, depth + 1)
        if found is not None:
            self._values[(name, found)] = value
        return value

    def _by_form(self, form, templar_of, variables, walked, depth):
        kind = form[0]
        if kind == "value":
            return self._variable(templar_of, variables, form[1], walked, depth)
        if kind == "text":
            parts = []
            for is_name, part in form[1]:
                if not is_name:
                    parts.append(part)
                    continue
                value = self._variable(templar_of, variables, part, walked, depth)
                if not isinstance(value, str):
                    raise _Fallback()  # how a number or None joins text is the templar's business
                parts.append(str(value))
            return "".join(parts)
        # ("item", container name, key name or None, constant key)
        _kind, name, key_name, constant = form
        key = constant if key_name is None else self._variable(templar_of, variables, key_name, walked, depth)
        raw = variables.get(name)
        if not isinstance(key, str) or not isinstance(raw, dict) or key not in raw:
            raise _Fallback()
        return self._render(templar_of, variables, raw[key], walked, depth + 1)

    def _form(self, text):
        if text not in self._forms:
            self._forms[text] = self._parse_form(text)
        return self._forms[text]

    def _parse_form(self, text):
        """("value", name), ("text", [(is_name, part)]), ("item", name, key_name, key) or None."""
        if self.reads(text) is None:
            return None
        body = self._environment.parse(text).body
        if len(body) != 1 or not isinstance(body[0], nodes.Output) or "\n" in text:
            return None
        parts = body[0].nodes
        if len(parts) == 1 and isinstance(parts[0], nodes.Getitem) and isinstance(parts[0].node, nodes.Name):
            arg = parts[0].arg
            if isinstance(arg, nodes.Name):
                return ("item", parts[0].node.name, arg.name, None)
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return ("item", parts[0].node.name, None, arg.value)
            return None
        if len(parts) == 1 and isinstance(parts[0], nodes.Name):
            return ("value", parts[0].name)
        found = []
        for part in parts:
            if isinstance(part, nodes.TemplateData):
                found.append((False, part.data))
            elif isinstance(part, nodes.Name):
                found.append((True, part.name))
            else:
                return None
        return ("text", found)


class _Fallback(Exception):
    """This leaf goes to the templar."""


def _same_plain(one, other):
    """The same data once Ansible serialises it for a module (dicts, lists, str, numbers)."""
    if isinstance(one, Mapping) and isinstance(other, Mapping):
        return list(one) == list(other) and all(_same_plain(one[k], other[k]) for k in one)
    if isinstance(one, (list, tuple)) and isinstance(other, (list, tuple)):
        return len(one) == len(other) and all(_same_plain(a, b) for a, b in zip(one, other, strict=False))
    if isinstance(one, str) and isinstance(other, str):
        return str(one) == str(other)
    return type(one) is type(other) and one == other
