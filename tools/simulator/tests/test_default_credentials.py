"""The simulator's factory users: their passwords must not read as words.

A client that masks its secrets in output (Ansible's no_log replaces every occurrence of a
secret) garbles any text that contains the password: with "pass" every "passphrase" and
"share_password" in a test's output became "********phrase" and "share_********word".
"""

from __future__ import annotations

import re

from vapix_sim import handlers  # noqa: F401  (registers the CGIs)
from vapix_sim.http import REGISTRY, SECRET_ARGS
from vapix_sim.model import DEFAULT_PASSWORDS, default_users, make_camera

# Words that appear in the collection's options, CGI names and messages.
WORDS = (
    "pass",
    "password",
    "passphrase",
    "share_password",
    "update_password",
    "changediskpassphrase",
    "root",
    "admin",
    "operator",
    "viewer",
    "camera",
    "recorder",
    "network",
    "share",
    "disk",
)


def test_factory_users_have_the_documented_passwords():
    users = default_users()
    assert {name: user.password for name, user in users.items()} == DEFAULT_PASSWORDS
    assert make_camera(0, 1).users["root"].password == DEFAULT_PASSWORDS["root"]


def test_factory_passwords_cannot_collide_with_words():
    identifiers = set(WORDS) | set(SECRET_ARGS)
    for path in REGISTRY:
        identifiers.update(re.split(r"[/.]", path))
    for password in DEFAULT_PASSWORDS.values():
        assert len(password) >= 10
        assert re.search(r"\d", password) and re.search(r"[A-Z]", password) and "-" in password
        for word in identifiers:
            assert password.lower() not in word.lower(), (password, word)
