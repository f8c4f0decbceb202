"""What the XML APIs share: the `schemaversion` argument, the host name rule, coded errors, and
the envelope of the Edge storage APIs (Network share API, Recording storage limit API).
"""

from __future__ import annotations

import functools
import re

from ..http import Reply, element, text_element, xml_named_root

# A host name the devices accept: RFC 1123 labels, at most 253 characters, an optional final dot.
HOSTNAME_PATTERN = re.compile(
    r"(?=.{1,253}\.?\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\Z"
)

_SCHEMA_VERSION = re.compile(r"\s*(\d+)(?:\.\d+)?\s*")


def schema_major(value: str) -> int | None:
    """The major of a `schemaversion` argument (`1`, `1.0`, blanks around), None if malformed."""
    match = _SCHEMA_VERSION.fullmatch(value)
    return int(match.group(1)) if match else None


class CodedError(Exception):
    """An API's error: its code and text, the API's own text for the code (`DESCRIPTIONS`)
    unless a particular one is given."""

    DESCRIPTIONS: dict = {}

    def __init__(self, code: int, description: str | None = None):
        super().__init__(code)
        self.code = code
        self.description = description or self.DESCRIPTIONS[code]


class StorageApi:
    """The envelope of one Edge storage API: answers in its named root element, errors as
    GeneralError (ErrorCode, ErrorDescription), schema major 1 only."""

    def __init__(self, root: str, schema: str, version: str, descriptions: dict):
        self.root = root
        self.schema = schema
        self.version = version
        self.descriptions = descriptions

    def reply(self, inner: str) -> Reply:
        return xml_named_root(self.root, inner, self.version, self.schema)

    def general_error(self, code: int, description: str | None = None) -> str:
        text = description or self.descriptions.get(code, "Error")
        return element("GeneralError", None, text_element("ErrorCode", code) + text_element("ErrorDescription", text))

    def error(self, code: int, description: str | None = None) -> Reply:
        return self.reply(self.general_error(code, description))

    def success(self) -> Reply:
        return self.reply(element("GeneralSuccess"))

    def schema_error(self, args: dict, required: bool) -> Reply | None:
        """Only schema major 1 exists; a required but missing schemaversion is an invalid request."""
        value = args.get("schemaversion")
        if value is None:
            return self.error(20, "Missing argument: schemaversion") if required else None
        if schema_major(value) != 1:
            return self.error(40)
        return None

    def checked(self, schema_required: bool = False, required: tuple = ()):
        """A CGI handler that runs once its `schemaversion` passed `schema_error` and each
        argument of `required`, in that order, is given and not blank."""

        def wrap(handler):
            @functools.wraps(handler)
            def run(device, request) -> Reply:
                bad = self.schema_error(request.args, schema_required)
                if bad:
                    return bad
                for name in required:
                    if not request.args.get(name, "").strip():
                        return self.error(20, "Missing argument: %s" % name)
                return handler(device, request)

            return run

        return wrap

    def schema_versions(self) -> Reply:
        version = element(
            "SchemaVersion", None, text_element("VersionNumber", self.version) + text_element("Deprecated", "false")
        )
        return self.reply(element("SchemaVersionsSuccess", None, version))
