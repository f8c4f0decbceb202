# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Numbers as JSON gives them back: plain bool, int and float."""


def plain_number(value):
    """A bool, int or float, or one of a subclass, as the plain type.

    ansible-core 2.19+ tags the numbers it reads from YAML with their origin, as subclasses of int
    and float. JSON (a module's arguments, a registered result) makes them plain; PyYAML's safe
    dumper refuses the tagged ones, and a deepcopy of a tagged number (every argument validation
    makes one) costs about 100 times that of a plain one.
    """
    for kind in (bool, int, float):
        if isinstance(value, kind):
            return kind(value)
    raise TypeError("not a number: %s" % type(value).__name__)
