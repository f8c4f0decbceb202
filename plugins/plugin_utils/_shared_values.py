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

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import trusted_as_template, vaulted

# Jinja's own globals that always give the same answer.
SAFE_GLOBALS = frozenset(("range", "dict", "namespace", "true", "false", "none", "True", "False", "None"))
# Filters whose answer may differ between two calls with the same input.
CHANGING_FILTERS = frozenset(("random", "shuffle", "password_hash", "ansible.builtin.random",
                              "ansible.builtin.shuffle", "ansible.builtin.password_hash"))
_MARKERS = ("{{", "{%", "{#")
_SCALARS = (bool, int, float)
# What the walk of one host's variable gives while it is walked (a template that reads itself).
_WALKING = object()


def possibly_template(text):
    return any(marker in text for marker in _MARKERS)


class SharedValues(object):
    """Templated values of the fleet's hosts, shared by the hosts whose keys are equal.

    `templated` counts the values templated (the tests count them).
    """

    def __init__(self):
        self._environment = None
        self._reads = {}
        self._values = {}
        self._memo = {}
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
        if text.lstrip().startswith("#jinja2:"):
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
        found = self._walk(variables, variables[name], walked)
        walked[name] = found
        return found

    def _walk(self, variables, value, walked):
        if value is None:
            return ("n",)
        if isinstance(value, _SCALARS):
            # the type too: 1, 1.0 and True are equal keys but different values
            return (type(value).__name__, value)
        if isinstance(value, str):
            if vaulted(value):
                return None
            if not possibly_template(value):
                return ("s", str(value))
            if not trusted_as_template(value):
                return None
            names = self.reads(str(value))
            if names is None:
                return None
            read = []
            for name in names:
                if name not in variables:
                    if name in SAFE_GLOBALS:
                        continue
                    return None
                found = self.key(variables, name, walked)
                if found is None:
                    return None
                read.append((name, found))
            return ("t", str(value), tuple(read))
        if isinstance(value, dict):
            items = []
            for item_key, item in value.items():
                if not isinstance(item_key, str) or possibly_template(item_key):
                    return None
                found = self._walk(variables, item, walked)
                if found is None:
                    return None
                items.append((str(item_key), found))
            return ("d", tuple(items))
        if isinstance(value, list):
            found = [self._walk(variables, item, walked) for item in value]
            return None if any(item is None for item in found) else ("l", tuple(found))
        return None  # a vaulted value, a tuple, a custom object: only the templar knows

    def template(self, templar_of, variables, name, walked=None):
        """(key, templated value) of variables[name]; the key is None for a value templated alone.

        templar_of(): the host's templar, asked for only when the value is templated.
        """
        found = self.key(variables, name, walked)
        if found is not None and (name, found) in self._values:
            return found, self._values[(name, found)]
        value = templar_of().template(variables[name])
        self.templated += 1
        if found is not None:
            self._values[(name, found)] = value
        return found, value
