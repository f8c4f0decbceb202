# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading VAPIX XML answers (as xmltodict parses them): elements, payloads and error envelopes.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _error_from(node):
    code = node.get("ErrorCode")
    try:
        code = int(code)
    except (TypeError, ValueError):
        pass
    text = node.get("ErrorDescription") or node.get("Description") or ""
    return (code, text.strip() if isinstance(text, str) else text)


def find_error(node):
    """Return (code, description) of the first error in any VAPIX XML envelope, or None.

    Covers `GeneralError` (ErrorCode with ErrorDescription or Description), elements with
    result="ERROR" (description or errormsg attribute) and job failures nested in JobSuccess.
    """
    if isinstance(node, list):
        for item in node:
            found = find_error(item)
            if found:
                return found
        return None
    if not isinstance(node, dict):
        return None
    if str(node.get("@result", "")).upper() == "ERROR":
        return (None, node.get("@description") or node.get("@errormsg") or "the device reported an error")
    if "ErrorCode" in node or "ErrorDescription" in node:
        # Some scraped examples show the code and description straight under the root.
        return _error_from(node)
    for key, value in node.items():
        if key == "GeneralError" and isinstance(value, dict):
            return _error_from(value)
        if not key.startswith("@"):
            found = find_error(value)
            if found:
                return found
    return None


def find_element(node, name):
    """The first element called `name` at any depth (the API documents and devices nest them differently)."""
    if isinstance(node, list):
        for item in node:
            found = find_element(item, name)
            if found is not None:
                return found
        return None
    if not isinstance(node, dict):
        return None
    if name in node:
        value = node[name]
        return value[0] if isinstance(value, list) else value
    for key, value in node.items():
        if not key.startswith("@"):
            found = find_element(value, name)
            if found is not None:
                return found
    return None


def element_list(node, *path):
    """Follow `path` through an xmltodict document and always return a list of nodes."""
    for key in path:
        if not isinstance(node, dict):
            return []
        node = node.get(key)
        if node is None:
            return []
    return _as_list(node)


def unwrap(doc):
    """The payload under the single root element of a document."""
    return next(iter(doc.values())) if doc else {}
