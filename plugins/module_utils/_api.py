# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way this collection talks to a device: a keep-alive VAPIX HTTP client.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

import ipaddress
import os
import re
import time
import traceback
from urllib.parse import urlencode

from ansible_collections.vapix.edge_storage.plugins.module_utils._environment import ca_bundle, proxies_for
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    ConnectionFailed,
    HttpError,
    InputError,
    UnsupportedError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets, is_secret_arg
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import find_error

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    import urllib3
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    from requests.utils import parse_dict_header
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    requests = urllib3 = None

XMLTODICT_IMPORT_ERROR = None
try:
    import xmltodict
except ImportError:
    XMLTODICT_IMPORT_ERROR = traceback.format_exc()
    xmltodict = None

DEFAULT_TIMEOUT = 10
# One HTTP answer: beyond a day is a typo, and urllib3 rejects huge values with a traceback.
MAX_TIMEOUT = 86400

# Seconds to wait before retry N (reads, and writes that are harmless to repeat). Only failures
# that come at once are retried (refused or broken connections, 503), and only while the retry
# still fits in the request's timeout: a device that does not answer costs that timeout, once.
RETRY_BACKOFF = (0.2, 0.6, 1.5)


# --- connection options --------------------------------------------------------------------

_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$", re.UNICODE)


def is_host_name(name):
    """A DNS host name (or IPv4 address): labels of 1 to 63 letters, digits, '-' (not at either
    end), 253 characters at most, an optional final dot. The one host name check of the collection."""
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(_HOST_LABEL.match(label) for label in name.split("."))


def _host_error(host):
    """Why `host` is not a host name or address, or None."""
    if not host:
        return "host must not be empty: give the device's name, IPv4 or IPv6 address"
    if "://" in host:
        return "host=%r is a URL: give only the name or address; set use_https and port instead of a scheme" % host
    if any(c in host for c in "/?#@ \t\r\n\\"):
        return "host=%r is not a host name or address (no path, query, user or spaces; the port goes in port)" % host
    address = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" in address:
        try:
            ipaddress.IPv6Address(address.split("%", 1)[0])
        except ValueError:
            if host.count(":") == 1 and not host.startswith("["):
                return "host=%r: give the port in port, not in host" % host
            return "host=%r is not a valid IPv6 address" % host
        return None
    if not is_host_name(address):
        return (
            "host=%r is not a valid host name or IPv4 address (letters, digits, '-' and '.', "
            "labels of 1 to 63 characters)" % host
        )
    return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def connection_settings(params):
    """Check the connection options (CONNECTION_ARGSPEC) and return VapixClient's keyword arguments.

    The one check of host, port, timeout and the TLS options, for the module and the
    in-controller path alike; raises InputError naming the option and what is allowed.
    """
    host = params.get("host")
    host = host.strip() if isinstance(host, str) else host
    if not isinstance(host, str):
        raise InputError(None, "host is required: the device's name, IPv4 or IPv6 address")
    problem = _host_error(host)
    if problem:
        raise InputError(None, problem)
    port = params.get("port")
    if port is not None and (not _is_int(port) or not 1 <= port <= 65535):
        raise InputError(None, "port=%r: use a TCP port from 1 to 65535 (or leave it unset for 80/443)" % (port,))
    timeout = params.get("timeout")
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= MAX_TIMEOUT:
        raise InputError(None, "timeout=%r: use a positive number of seconds, at most %d" % (timeout, MAX_TIMEOUT))
    use_https = bool(params.get("use_https"))
    validate_certs = params.get("validate_certs")
    validate_certs = True if validate_certs is None else bool(validate_certs)
    ca_path = params.get("ca_path") or None
    if ca_path is not None and use_https and validate_certs:
        ca_path = os.path.expanduser(str(ca_path))
        if not os.path.exists(ca_path):
            raise InputError(
                None,
                "ca_path=%s: no such file (give the PEM file of the CA that signed the "
                "device's certificate, or validate_certs=false)" % ca_path,
            )
        if os.path.isdir(ca_path):
            readable = os.access(ca_path, os.R_OK | os.X_OK)
        else:
            try:
                with open(ca_path, "rb") as handle:
                    handle.read(1)
                readable = True
            except OSError:
                readable = False
        if not readable:
            raise InputError(None, "ca_path=%s: the file cannot be read by this user" % ca_path)
    return dict(
        host=host,
        port=port,
        username=params.get("username"),
        password=params.get("password"),
        use_https=use_https,
        validate_certs=validate_certs,
        ca_path=ca_path,
        timeout=timeout,
    )


class VapixClient:
    """A `requests.Session` to one device: one auth negotiation per run, retries, XML/JSON parsing."""

    def __init__(
        self,
        host,
        port=None,
        username=None,
        password=None,
        use_https=False,
        validate_certs=True,
        ca_path=None,
        timeout=DEFAULT_TIMEOUT,
        sleep=time.sleep,
        clock=time.monotonic,
        environ=None,
    ):
        """environ: the process environment the proxies and CA bundle are read from (default
        os.environ); the in-controller path gives the one a shipped module would have had."""
        self.scheme = "https" if use_https else "http"
        self.host = host
        self.port = port or (443 if use_https else 80)
        self.username = username
        self.password = password
        self.timeout = timeout
        self.secrets = Secrets()
        self.secrets.add(password)
        self._sleep = sleep
        self._clock = clock
        self.session = requests.Session()
        # Given on every request, not only as session.verify: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override the session's value, so a pinned CA or
        # validate_certs=false would silently become the environment's bundle.
        self.verify = (ca_path or True) if validate_certs else False
        # what the TLS messages name as the trusted CA
        self.ca_source = "ca_path=%s" % ca_path if validate_certs and ca_path else None
        if self.verify is True:
            # the CA bundle variables requests would read, in its order, when no ca_path is set
            bundle, variable = ca_bundle(os.environ if environ is None else environ)
            if bundle:
                self.verify = bundle
                self.ca_source = "the CA bundle %s of %s; set ca_path to trust the device's CA" % (bundle, variable)
        self.session.verify = self.verify
        # The environment (proxies, CA bundle) is read once per device, not on every request as
        # requests does with trust_env: that re-read is about a third of a request's client cost
        # on a loopback drift check. The values are the same ones requests would use.
        try:
            if environ is None:
                self.proxies = requests.utils.get_environ_proxies(self.base_url)
            else:
                self.proxies = proxies_for(self.base_url, environ)
        except ValueError:
            self.proxies = {}  # an invalid host: from_params reports it before any request
        self.session.trust_env = False
        self.auth_scheme = None
        # True once the device asked for credentials and accepted ours (a challenged request
        # answered 200 when sent again with them): what an Axis device we are logged in to does.
        self.authenticated = False
        self.request_count = 0
        # writes the device accepted (answered without an error): a step that fails with none
        # of its own accepted was refused and changed nothing
        self.accepted_writes = 0
        self.log = []  # (method, cgi, masked args, status) of every request, for debugging
        # A connection option found invalid by from_params: raised by the first request, so
        # that callers which build the session before their error handling still report it.
        self.settings_error = None

    @classmethod
    def from_params(cls, params, environ=None):
        try:
            settings = connection_settings(params)
        except InputError as exc:
            host = params.get("host")
            client = cls(
                host=host if isinstance(host, str) else "",
                username=params.get("username"),
                password=params.get("password"),
                environ=environ,
            )
            client.settings_error = exc
            return client
        return cls(environ=environ, **settings)

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

    def request(
        self,
        cgi,
        args=None,
        method="GET",
        write=False,
        retry_write=False,
        json_body=None,
        path=None,
        body=None,
        headers=None,
        statuses=(200,),
    ):
        """Send one request; return the `requests.Response` (status checked: one of `statuses`).

        Reads are retried on refused or broken connections and 503; a write only when
        `retry_write` says repeating it is harmless (e.g. setting a value, not starting a job).
        All attempts together stay within `timeout` (see _retry_pause); a timed-out attempt is
        never repeated. Every transport failure is raised as a VapixError subclass naming the
        CGI, never as a requests error.
        `path` (with `body` and `headers`) sends a raw body to a path outside /axis-cgi/ (the
        SOAP services); `cgi` then only names the call in errors and the log.
        """
        if self.settings_error is not None:
            raise self.settings_error
        if (
            method == "GET"
            and json_body is None
            and any(is_secret_arg(k) and v not in (None, "") for k, v in (args or {}).items())
        ):
            # VAPIX CGIs take their arguments as a query string or as a form body alike; a
            # secret in the body stays out of the device's and any proxy's access log.
            method = "POST"
        url = "%s%s" % (self.base_url, path) if path else "%s/axis-cgi/%s" % (self.base_url, cgi)
        may_retry = (not write) or retry_write
        started = self._clock()
        timeout = self.timeout
        attempt = 0
        while True:
            error = response = None
            try:
                response = self._send(method, url, args, json_body, timeout, body, headers)
            except VapixError:
                raise
            except Exception as exc:  # requests, urllib3 and the ssl/socket layers raise many types
                error, retryable = self._transport_error(cgi, exc)
            else:
                retryable = response.status_code == 503
            pause = self._retry_pause(started, attempt) if (retryable and may_retry) else None
            if pause is not None:
                self._sleep(pause)
                timeout = self.timeout - (self._clock() - started)
            if pause is None or timeout <= 0:  # no retry left, or the sleep used up the rest
                break
            attempt += 1
        if error is not None:
            raise error
        self.log.append((method, cgi, self.secrets.mask_args(args), response.status_code))
        if response.status_code in statuses:
            return response
        return self._check_status(cgi, response)

    def _retry_pause(self, started, attempt):
        """Seconds to wait before one more attempt, or None: no retry left, or none that fits.

        The user's `timeout` is the whole budget of one request, retries included: a retry is
        made only if its backoff ends before that time is up, and gets only the time left.
        """
        if attempt >= len(RETRY_BACKOFF):
            return None
        pause = RETRY_BACKOFF[attempt]
        if self._clock() - started + pause >= self.timeout:
            return None
        return pause

    def _transport_error(self, cgi, exc):
        """(VapixError, retryable) for an exception raised while sending or receiving one request."""
        exceptions = requests.exceptions
        text = self._short(exc)
        if isinstance(exc, exceptions.SSLError):
            hint = ""
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                hint = " (the certificate is not signed by %s)" % (
                    self.ca_source or "a CA this machine trusts; set ca_path"
                )
            # A TLS failure is not repaired by repeating the request.
            return ConnectionFailed(cgi, "TLS error talking to %s%s: %s" % (self.base_url, hint, text)), False
        if isinstance(exc, exceptions.ReadTimeout):
            # The device took the request and did not answer in time: asking again would only
            # wait as long once more.
            return ConnectionFailed(
                cgi,
                "no answer from %s within timeout=%ss: %s (the request may have "
                "reached the device)" % (self.base_url, self.timeout, text),
                answer_lost=True,
            ), False
        if isinstance(exc, exceptions.ChunkedEncodingError):
            return ConnectionFailed(
                cgi,
                "no complete answer from %s: %s (the request may have reached the device)" % (self.base_url, text),
                answer_lost=True,
            ), True
        if isinstance(exc, exceptions.Timeout):
            # ConnectTimeout: nothing answered the connection attempt within the timeout.
            return ConnectionFailed(
                cgi, "cannot reach %s within timeout=%ss: %s" % (self.base_url, self.timeout, text)
            ), False
        if isinstance(exc, exceptions.ConnectionError):
            # Refused or reset: fails at once, and a device restarting its web server accepts
            # again moments later.
            lost = "aborted" in str(exc).lower()
            return ConnectionFailed(cgi, "cannot reach %s: %s" % (self.base_url, text), answer_lost=lost), True
        if isinstance(
            exc,
            (
                exceptions.InvalidURL,
                exceptions.URLRequired,
                exceptions.MissingSchema,
                exceptions.InvalidSchema,
                urllib3.exceptions.LocationValueError,
            ),
        ):
            return InputError(
                cgi, "%s is not a usable device address (check host and port): %s" % (self.base_url, text)
            ), False
        if isinstance(exc, exceptions.ContentDecodingError):
            return HttpError(cgi, "the device's answer could not be decoded: %s" % text), False
        if isinstance(exc, exceptions.TooManyRedirects):
            return HttpError(
                cgi, "the device redirected too often (is this the device's web server?): %s" % text
            ), False
        if isinstance(exc, (IOError, OSError)) and self.ca_source:
            return ConnectionFailed(
                cgi, "TLS set-up for %s failed with %s: %s" % (self.base_url, self.ca_source, text)
            ), False
        if isinstance(exc, (exceptions.RequestException, urllib3.exceptions.HTTPError, IOError, OSError)):
            return ConnectionFailed(cgi, "request to %s failed: %s" % (self.base_url, text)), False
        return HttpError(cgi, "request to %s failed: %s: %s" % (self.base_url, type(exc).__name__, text)), False

    def _send(self, method, url, args, json_body, timeout, body=None, headers=None):
        self.request_count += 1
        kwargs = {"timeout": timeout, "verify": self.verify, "proxies": self.proxies}
        if headers:
            kwargs["headers"] = headers
        if body is not None:
            kwargs["data"] = body
        elif json_body is not None:
            kwargs["json"] = json_body
        elif method == "POST":
            kwargs["data"] = args
        else:
            kwargs["params"] = args
        response = self.session.request(method, url, **kwargs)
        if response.status_code == 401 and self.auth_scheme is None and self._negotiate(response):
            self.request_count += 1
            response = self.session.request(method, url, **kwargs)
            self.authenticated = self.authenticated or response.status_code == 200
        return response

    def statuses(self):
        """{cgi: the HTTP status of its last answer} of every request this client got an answer to."""
        return dict((cgi, status) for _method, cgi, _args, status in self.log)

    def _short(self, exc):
        text = self.secrets.mask(exc)
        return text if len(text) < 300 else text[:300] + "..."

    def _check_status(self, cgi, response):
        status = response.status_code
        if status == 200:
            return response
        if status == 401:
            raise AuthError(
                cgi,
                "authentication refused for user %r (wrong credentials, or the user's role "
                "is too low for this CGI)" % self.username,
                status=401,
            )
        if status == 403:
            raise AuthError(cgi, "access forbidden for user %r" % self.username, status=403)
        if status == 404:
            raise UnsupportedError(cgi, "the device has no such CGI (404 Not Found)", status=404)
        raise HttpError(cgi, "unexpected HTTP status %s from the device" % status, status=status)

    # --- payloads ------------------------------------------------------------------------

    def xml(self, cgi, args=None, write=False, retry_write=False, method="GET"):
        """Call an XML CGI; return the parsed document, or raise the envelope's error."""
        response = self.request(cgi, args, method=method, write=write, retry_write=retry_write)
        try:
            doc = xmltodict.parse(response.content)
        except Exception as exc:  # expat raises several types; all mean the same to the user
            raise HttpError(cgi, "the device answered with unparsable XML (%s)" % exc) from exc
        error = find_error(doc)
        if error:
            code, description = error
            raise ApiError(cgi, self.secrets.mask(description), code=code)
        if write:
            self.accepted_writes += 1
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
            raise HttpError(cgi, "the device answered with invalid JSON") from None
        if "error" in doc:
            err = doc["error"] or {}
            raise ApiError(cgi, err.get("message", "unknown error"), code=err.get("code"))
        return doc.get("data") or {}

    def param_list(self, groups):
        """param.cgi list: return {'Group.Name': 'value'} without the `root.` prefix."""
        response = self.request("param.cgi", {"action": "list", "group": ",".join(groups)})
        text = response.text
        if text.lstrip().startswith("# Error"):
            raise ApiError("param.cgi", text.strip().lstrip("#").strip()[len("Error:") :].strip() or text.strip())
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
            raise ApiError("param.cgi", self.secrets.mask(text.lstrip("#").strip()))
        self.accepted_writes += 1
        return True
