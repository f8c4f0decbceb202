# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a device call or a run fails: one exception class per kind of failure.

Raise the subclass; its `kind` (the result's `error_kind`) comes from the class.
Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""


class VapixError(Exception):
    """A failed VAPIX call: the CGI, the API's error code and the device's own description.

    Each kind of failure is a subclass (InputError, AuthError, ...) so callers can catch the
    ones they handle; the class attribute `kind` names it in results.
    """

    kind = "api"
    #: the request may have reached the device although its answer was lost (timeout, cut off)
    answer_lost = False

    def __init__(self, cgi=None, description="", code=None, status=None, answer_lost=None):
        self.cgi = cgi
        self.code = code
        self.description = description
        self.status = status
        if answer_lost is not None:
            self.answer_lost = answer_lost
        super().__init__(self.message())

    def __reduce__(self):
        return (_rebuild_error, (type(self), self.cgi, self.description, self.code, self.status, self.answer_lost))

    def with_description(self, description):
        """The same error (class, CGI, code, status) with another description."""
        error = _rebuild_error(type(self), self.cgi, description, self.code, self.status, self.answer_lost)
        error.__traceback__ = self.__traceback__
        return error

    def message(self):
        parts = [self.cgi] if self.cgi else []
        if self.code is not None:
            parts.append("error %s" % self.code)
        elif self.status is not None and self.kind in ("http", "auth"):
            parts.append("HTTP %s" % self.status)
        head = ": ".join(parts)
        return "%s: %s" % (head, self.description) if head else self.description

    def to_result(self):
        return {
            "cgi": self.cgi,
            "error_code": self.code,
            "error_description": self.description,
            "http_status": self.status,
            "error_kind": self.kind,
        }


def _rebuild_error(cls, cgi, description, code, status, answer_lost):
    return cls(cgi, description, code=code, status=status, answer_lost=answer_lost)


class ApiError(VapixError):
    """The device answered with an error envelope (code and description)."""

    kind = "api"


class HttpError(VapixError):
    """An unexpected HTTP status or an answer that cannot be read."""

    kind = "http"


class AuthError(VapixError):
    """401/403: wrong credentials or a role too low for the CGI."""

    kind = "auth"


class ConnectionFailed(VapixError):
    """The device could not be reached, or the connection broke (TLS included)."""

    kind = "connection"


class UnsupportedError(VapixError):
    """The device lacks the CGI or API this needs."""

    kind = "unsupported"


class NotAStorageDevice(VapixError):
    """The host never accepted a login as an Axis device does, or has no storage API at all.

    Not `unsupported`: that is an Axis device lacking one API; this host cannot be checked at all.
    """

    kind = "device"


class JobError(VapixError):
    """A device job (format, mount, share test ...) failed."""

    kind = "job"


class JobTimeout(VapixError):
    """A device job did not end before job_timeout."""

    kind = "timeout"


class DeviceRestarted(VapixError):
    """The device restarted while a job ran, and no longer knows the job."""

    kind = "restarted"


class InputError(VapixError):
    """Bad user input, found before anything is sent to the device."""

    kind = "input"


class RefusedError(VapixError):
    """A step would destroy data and its opt-in is off: raised before any write."""

    kind = "refused"


class StateError(VapixError):
    """The device is in a state that does not allow the change (mounted, write protected ...)."""

    kind = "state"
