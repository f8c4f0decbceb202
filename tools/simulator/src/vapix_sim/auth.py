"""HTTP Basic and Digest authentication the way Axis devices do it (VAPIX Authentication).

Digest nonces are stateless: base64(issue time + random) followed by an HMAC over it with a
per-device secret. A keep-alive client can therefore reuse one challenge for many requests
(incrementing nc) until the nonce expires; an expired nonce, or one signed with a previous
secret (a reboot rotates it), is answered with `stale=true` when the digest itself is right.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass

from .model import ROLE_RANK, Device, User

POLICIES = ("basic", "digest", "basic_digest", "recommended")

# Schemes offered and accepted per (policy, transport). `basic_digest` means Digest over
# HTTP and HTTPS (Basic and Digest only on RTSP), per the Network.HTTP.AuthenticationPolicy
# documentation; `recommended` is Digest over HTTP and Basic over HTTPS.
_SCHEMES = {
    ("basic", "http"): ("Basic",),
    ("basic", "https"): ("Basic",),
    ("digest", "http"): ("Digest",),
    ("digest", "https"): ("Digest",),
    ("basic_digest", "http"): ("Digest",),
    ("basic_digest", "https"): ("Digest",),
    ("recommended", "http"): ("Digest",),
    ("recommended", "https"): ("Basic",),
}

DEFAULT_NONCE_LIFETIME = 300.0
_NONCE_MAC_HEX = 32
_PARAM = re.compile(r'([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
_ESCAPED = re.compile(r"\\(.)")
_NC = re.compile(r"^[0-9a-fA-F]{8}$")


def allowed_schemes(policy: str, scheme: str) -> tuple:
    return _SCHEMES.get((policy.lower(), scheme), _SCHEMES[("recommended", scheme)])


def role_allows(user_role: str, required_role: str) -> bool:
    # An unknown required role is treated as admin-only: fail closed.
    return ROLE_RANK.get(user_role, 0) >= ROLE_RANK.get(required_role, ROLE_RANK["admin"])


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4096)
def _ha1(name: str, realm: str, password: str) -> str:
    return _md5("%s:%s:%s" % (name, realm, password))


class NonceIssuer:
    """Issues and checks the Digest nonces of one device."""

    def __init__(self, secret: bytes, rng, lifetime: float = DEFAULT_NONCE_LIFETIME):
        self.secret = secret
        self.rng = rng
        self.lifetime = lifetime

    def rotate(self, secret: bytes) -> None:
        """New secret (reboot): every nonce handed out before becomes stale."""
        self.secret = secret

    def _mac(self, stamp: str) -> str:
        return hmac.new(self.secret, stamp.encode("ascii"), hashlib.sha256).hexdigest()[:_NONCE_MAC_HEX]

    def issue(self, now: float) -> str:
        raw = struct.pack(">I", int(now) & 0xFFFFFFFF) + self.rng.randbytes(4)
        stamp = base64.b64encode(raw).decode("ascii")
        return stamp + self._mac(stamp)

    def is_fresh(self, nonce: str, now: float) -> bool:
        stamp, mac = nonce[:-_NONCE_MAC_HEX], nonce[-_NONCE_MAC_HEX:]
        if len(stamp) != 12 or not hmac.compare_digest(mac, self._mac(stamp)):
            return False
        try:
            issued = struct.unpack(">I", base64.b64decode(stamp)[:4])[0]
        except (binascii.Error, struct.error):
            return False
        age = (int(now) & 0xFFFFFFFF) - issued
        return 0 <= age <= self.lifetime


def parse_auth_params(text: str) -> dict:
    """`k=v, k="quoted, value"` -> dict (keys lower-cased, quotes and escapes removed)."""
    params = {}
    for key, quoted, bare in _PARAM.findall(text):
        if quoted and "\\" in quoted:
            quoted = _ESCAPED.sub(r"\1", quoted)
        params[key.lower()] = quoted or bare
    return params


@dataclass
class AuthResult:
    user: User | None = None
    stale: bool = False  # right credentials, but an expired/unknown nonce


def _check_basic(device: Device, token: str) -> User | None:
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    name, sep, password = text.partition(":")
    user = device.users.get(name)
    if not sep or user is None:
        return None
    if not hmac.compare_digest(user.password.encode("utf-8"), password.encode("utf-8")):
        return None
    return user


def _check_digest(
    device: Device, nonces: NonceIssuer, params: dict, method: str, request_uri: str, now: float
) -> AuthResult:
    user = device.users.get(params.get("username", ""))
    nonce = params.get("nonce", "")
    nc = params.get("nc", "")
    cnonce = params.get("cnonce", "")
    qop = params.get("qop", "")
    uri = params.get("uri", "")
    if (
        user is None
        or params.get("realm") != device.realm
        or not nonce
        or params.get("algorithm", "MD5").upper() != "MD5"
        or qop != "auth"
        or not _NC.match(nc)
        or not cnonce
        or uri != request_uri
    ):
        return AuthResult()
    ha1 = _ha1(user.name, device.realm, user.password)
    ha2 = _md5("%s:%s" % (method, uri))
    expected = _md5("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
    if not hmac.compare_digest(expected, params.get("response", "").lower()):
        return AuthResult()
    if not nonces.is_fresh(nonce, now):
        return AuthResult(stale=True)
    return AuthResult(user=user)


def authenticate(
    device: Device, nonces: NonceIssuer, header: str | None, method: str, request_uri: str, transport: str, now: float
) -> AuthResult:
    """Check an Authorization header against the schemes the device's policy allows."""
    if not header:
        return AuthResult()
    scheme, _, rest = header.strip().partition(" ")
    scheme = scheme.lower()
    allowed = allowed_schemes(device.auth_policy, transport)
    if scheme == "basic" and "Basic" in allowed:
        return AuthResult(user=_check_basic(device, rest))
    if scheme == "digest" and "Digest" in allowed:
        return _check_digest(device, nonces, parse_auth_params(rest), method, request_uri, now)
    return AuthResult()


def challenges(device: Device, nonces: NonceIssuer, transport: str, now: float, stale: bool = False) -> list:
    """WWW-Authenticate values for a 401: one per allowed scheme, with a fresh nonce."""
    values = []
    for scheme in allowed_schemes(device.auth_policy, transport):
        if scheme == "Digest":
            value = 'Digest realm="%s", nonce="%s", algorithm=MD5, qop="auth"' % (device.realm, nonces.issue(now))
            if stale:
                value += ", stale=true"
            values.append(value)
        else:
            values.append('Basic realm="%s"' % device.realm)
    return values
