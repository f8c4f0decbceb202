# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets of a run (passwords, passphrases): known once, masked in every message and URL.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import re
from urllib.parse import quote, quote_plus

MASK = "********"

# Query argument names whose values are secrets on some VAPIX CGI.
SECRET_ARG_NAMES = frozenset(["pass", "password", "passphrase", "oldpassphrase", "newpassphrase"])


def is_secret_arg(name):
    """A CGI argument whose value is a secret (share `pass`, passphrases, passwords)."""
    lowered = str(name).lower()
    return lowered in SECRET_ARG_NAMES or "password" in lowered or "passphrase" in lowered


class Secrets:
    """Every secret value seen in this run, masked out of messages and URLs.

    A value is masked where it stands as a value, not inside a longer word: a password `pass`
    masks `pass=pass` to `pass=********` but leaves `passphrase` and `share_password` alone.
    """

    def __init__(self):
        self._values = set()
        self._pattern = None

    def add(self, value):
        if value:
            text = str(value)
            self._values.update([text, quote_plus(text), quote(text, safe="")])
            self._pattern = None

    def _compiled(self):
        if self._pattern is None:
            alternatives = []
            for value in sorted(self._values, key=len, reverse=True):
                if not value or len(value) <= 2:
                    continue
                # Like \b, but only on a side where the secret itself starts or ends with a
                # word character: "-x-" is masked in "a-x-b", "pw1" is not in "pw12". Before
                # "=" it is an argument's name ("pass=..."), not a value.
                head = r"(?<!\w)" if re.match(r"\w", value[0]) else ""
                tail = r"(?![\w=])" if re.match(r"\w", value[-1]) else "(?!=)"
                alternatives.append(head + re.escape(value) + tail)
            self._pattern = re.compile("|".join(alternatives)) if alternatives else False
        return self._pattern

    def mask(self, text):
        if text is None:
            return text
        text = str(text)
        pattern = self._compiled()
        return pattern.sub(MASK, text) if pattern else text

    def mask_args(self, args):
        return dict((k, MASK if is_secret_arg(k) else v) for k, v in (args or {}).items())
