# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way this collection talks to a device: a keep-alive VAPIX HTTP client.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import re
import time
import traceback

try:
    from urllib.parse import quote, quote_plus, urlencode
except ImportError:  # pragma: no cover - Python 2 is not supported, the import keeps sanity quiet
    quote = quote_plus = urlencode = None

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    from requests.utils import parse_dict_header
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    requests = None

XMLTODICT_IMPORT_ERROR = None
try:
    import xmltodict
except ImportError:
    XMLTODICT_IMPORT_ERROR = traceback.format_exc()
    xmltodict = None

MASK = "********"

# Query argument names whose values are secrets on some VAPIX CGI.
SECRET_ARG_NAMES = frozenset(["pass", "password", "passphrase", "oldpassphrase", "newpassphrase"])

# Seconds to wait before retry N (reads, and writes that are harmless to repeat).
RETRY_BACKOFF = (0.2, 0.6, 1.5)


class VapixError(Exception):
    """A failed VAPIX call: the CGI, the API's error code and the device's own description."""

    def __init__(self, cgi, description, code=None, status=None, kind="api"):
        self.cgi = cgi
        self.code = code
        self.description = description
        self.status = status
        self.kind = kind  # api, http, auth, connection, unsupported, job, timeout, input
        super(VapixError, self).__init__(self.message())

    def message(self):
        parts = [self.cgi] if self.cgi else []
        if self.code is not None:
            parts.append("error %s" % self.code)
        elif self.status is not None and self.kind in ("http", "auth"):
            parts.append("HTTP %s" % self.status)
        head = ": ".join(parts)
        return "%s: %s" % (head, self.description) if head else self.description

    def to_result(self):
        return {"cgi": self.cgi, "error_code": self.code, "error_description": self.description,
                "http_status": self.status, "error_kind": self.kind}


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


class Secrets(object):
    """Every secret value seen in this run, masked out of messages and URLs."""

    def __init__(self):
        self._values = set()

    def add(self, value):
        if value:
            text = str(value)
            self._values.update([text, quote_plus(text), quote(text, safe="")])

    def mask(self, text):
        if text is None:
            return text
        text = str(text)
        for value in sorted(self._values, key=len, reverse=True):
            if value and len(value) > 2:
                text = text.replace(value, MASK)
        return text

    def mask_args(self, args):
        return dict((k, MASK if str(k).lower() in SECRET_ARG_NAMES else v) for k, v in (args or {}).items())


class VapixClient(object):
    """A `requests.Session` to one device: one auth negotiation per run, retries, XML/JSON parsing."""

    def __init__(self, host, port=None, username=None, password=None, use_https=False,
                 validate_certs=True, ca_path=None, timeout=10, sleep=time.sleep):
        self.scheme = "https" if use_https else "http"
        self.host = host
        self.port = port or (443 if use_https else 80)
        self.username = username
        self.password = password
        self.timeout = timeout
        self.secrets = Secrets()
        self.secrets.add(password)
        self._sleep = sleep
        self.session = requests.Session()
        self.session.verify = (ca_path or True) if validate_certs else False
        self.auth_scheme = None
        self.request_count = 0
        self.write_count = 0
        self.log = []  # (method, cgi, masked args, status) of every request, for debugging

    @classmethod
    def from_params(cls, params):
        return cls(host=params["host"], port=params.get("port"), username=params.get("username"),
                   password=params.get("password"), use_https=params.get("use_https"),
                   validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
                   timeout=params.get("timeout") or 10)

    @property
    def base_url(self):
        host = "[%s]" % self.host if ":" in self.host and not self.host.startswith("[") else self.host
        return "%s://%s:%s" % (self.scheme, host, self.port)

    def masked_url(self, cgi, args=None):
        url = "%s/axis-cgi/%s" % (self.base_url, cgi)
        if args:
            url += "?" + urlencode(self.secrets.mask_args(args))
        return self.secrets.mask(url)

    # --- transport -----------------------------------------------------------------------

    def _negotiate(self, response):
        """Pick the scheme the device's challenge offers: Digest when offered, else Basic."""
        challenge = response.headers.get("WWW-Authenticate", "")
        if self.username is None:
            return False
        if "digest" in challenge.lower():
            auth = HTTPDigestAuth(self.username, self.password or "")
            # Prime requests' Digest state with this challenge, so the retry carries credentials
            # at once instead of provoking a second 401; later requests reuse the nonce (nc+1).
            auth.init_per_thread_state()
            auth._thread_local.chal = parse_dict_header(re.sub(r"(?i)^\s*digest\s+", "", challenge, count=1))
            auth._thread_local.last_nonce = auth._thread_local.chal.get("nonce", "")
            auth._thread_local.nonce_count = 0
            self.session.auth = auth
            self.auth_scheme = "digest"
        elif "basic" in challenge.lower():
            self.session.auth = HTTPBasicAuth(self.username, self.password or "")
            self.auth_scheme = "basic"
        else:
            return False
        return True

    def request(self, cgi, args=None, method="GET", write=False, retry_write=False, json_body=None):
        """Send one request; return the `requests.Response` (status checked, 200 only).

        Reads are retried on connection errors and 503; a write only when `retry_write` says
        repeating it is harmless (e.g. setting a value, not starting a job).
        """
        url = "%s/axis-cgi/%s" % (self.base_url, cgi)
        may_retry = (not write) or retry_write
        attempts = len(RETRY_BACKOFF) + 1 if may_retry else 1
        response = None
        for attempt in range(attempts):
            try:
                response = self._send(method, url, args, json_body)
            except requests.exceptions.SSLError as exc:
                raise VapixError(cgi, "TLS error talking to %s: %s" % (self.base_url, self.secrets.mask(exc)),
                                 kind="connection")
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if attempt + 1 < attempts:
                    self._sleep(RETRY_BACKOFF[attempt])
                    continue
                raise VapixError(cgi, "cannot reach %s: %s" % (self.base_url, self._short(exc)),
                                 kind="connection")
            if response.status_code == 503 and attempt + 1 < attempts:
                self._sleep(RETRY_BACKOFF[attempt])
                continue
            break
        self.log.append((method, cgi, self.secrets.mask_args(args), response.status_code))
        if write:
            self.write_count += 1
        return self._check_status(cgi, response)

    def _send(self, method, url, args, json_body):
        self.request_count += 1
        kwargs = {"timeout": self.timeout}
        if json_body is not None:
            kwargs["json"] = json_body
        elif method == "POST":
            kwargs["data"] = args
        else:
            kwargs["params"] = args
        response = self.session.request(method, url, **kwargs)
        if response.status_code == 401 and self.auth_scheme is None and self._negotiate(response):
            self.request_count += 1
            response = self.session.request(method, url, **kwargs)
        return response

    def _short(self, exc):
        text = self.secrets.mask(exc)
        return text if len(text) < 300 else text[:300] + "..."

    def _check_status(self, cgi, response):
        status = response.status_code
        if status == 200:
            return response
        if status == 401:
            raise VapixError(cgi, "authentication refused for user %r (wrong credentials, or the user's role "
                                  "is too low for this CGI)" % self.username, status=401, kind="auth")
        if status == 403:
            raise VapixError(cgi, "access forbidden for user %r" % self.username, status=403, kind="auth")
        if status == 404:
            raise VapixError(cgi, "the device has no such CGI (404 Not Found)", status=404, kind="unsupported")
        raise VapixError(cgi, "unexpected HTTP status %s from the device" % status, status=status, kind="http")

    # --- payloads ------------------------------------------------------------------------

    def xml(self, cgi, args=None, write=False, retry_write=False, method="GET"):
        """Call an XML CGI; return the parsed document, or raise the envelope's error."""
        response = self.request(cgi, args, method=method, write=write, retry_write=retry_write)
        try:
            doc = xmltodict.parse(response.content)
        except Exception as exc:  # expat raises several types; all mean the same to the user
            raise VapixError(cgi, "the device answered with unparsable XML (%s)" % exc, kind="http")
        error = find_error(doc)
        if error:
            code, description = error
            raise VapixError(cgi, self.secrets.mask(description), code=code)
        return doc

    def json_rpc(self, cgi, method, params=None, api_version="1.0"):
        """Call a JSON API (basicdeviceinfo.cgi, apidiscovery.cgi); return its `data`."""
        body = {"apiVersion": api_version, "context": "vapix.edge_storage", "method": method}
        if params is not None:
            body["params"] = params
        response = self.request(cgi, method="POST", json_body=body)
        try:
            doc = response.json()
        except ValueError:
            raise VapixError(cgi, "the device answered with invalid JSON", kind="http")
        if "error" in doc:
            err = doc["error"] or {}
            raise VapixError(cgi, err.get("message", "unknown error"), code=err.get("code"))
        return doc.get("data") or {}

    def param_list(self, groups):
        """param.cgi list: return {'Group.Name': 'value'} without the `root.` prefix."""
        response = self.request("param.cgi", {"action": "list", "group": ",".join(groups)})
        text = response.text
        if text.lstrip().startswith("# Error"):
            raise VapixError("param.cgi", text.strip().lstrip("#").strip()[len("Error:"):].strip() or text.strip())
        values = {}
        for line in text.splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                values[key[5:] if key.startswith("root.") else key] = value
        return values

    def param_update(self, values):
        """param.cgi update: setting values is harmless to repeat, so it may be retried."""
        args = {"action": "update"}
        args.update(values)
        response = self.request("param.cgi", args, write=True, retry_write=True)
        text = response.text.strip()
        if text != "OK":
            raise VapixError("param.cgi", self.secrets.mask(text.lstrip("#").strip()))
        return True


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
