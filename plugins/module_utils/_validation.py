# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the user's options that run before any request: connection options, job_timeout,
strict types and located errors of nested options, write-only password decisions, no_log values.

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

from ansible.module_utils.basic import env_fallback
from ansible_collections.vapix.edge_storage.plugins.module_utils._api import connection_settings
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError

CONNECTION_ARGSPEC = dict(
    host=dict(type="str", required=True, fallback=(env_fallback, ["AXIS_HOST"])),
    port=dict(type="int", fallback=(env_fallback, ["AXIS_PORT"])),
    username=dict(type="str", required=True, fallback=(env_fallback, ["AXIS_USERNAME"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["AXIS_PASSWORD"])),
    use_https=dict(type="bool", default=False, fallback=(env_fallback, ["AXIS_USE_HTTPS"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["AXIS_VALIDATE_CERTS"])),
    ca_path=dict(type="path", fallback=(env_fallback, ["AXIS_CA_PATH"])),
    timeout=dict(type="int", default=10, fallback=(env_fallback, ["AXIS_TIMEOUT"])),
)

JOB_TIMEOUT_ARGSPEC = dict(job_timeout=dict(type="int", default=600))


def check_job_timeout(params):
    """The one range check of job_timeout, for every resource that waits for device jobs."""
    timeout = params.get("job_timeout")
    if timeout is not None and timeout <= 0:
        raise InputError(None, "job_timeout=%s must be a positive number of seconds" % timeout)


def connection_error(params):
    """The message for invalid connection options (port, timeout, host, ca_path), or None.

    Both execution paths call this before anything else runs; ranges are in the doc fragment.
    """
    try:
        connection_settings(params)
    except InputError as exc:
        return str(exc)
    return None


def strict_type_errors(spec, params, prefix=""):
    """Values the argument spec would silently turn into garbage, as messages naming the option.

    Ansible converts anything to a string for a `type: str` option, so `share_password: [a, b]`
    would be stored as the text "['a', 'b']". A list or a dictionary is refused for every
    string option, and a boolean for a secret (an unquoted `yes` is not a password). An option
    with nested options must be a dictionary (or a list of them): Ansible would otherwise parse
    a string as key=value pairs, or fail with a message that names no option. Runs on the
    arguments as given, before the argument spec converts them; messages never show values.
    """
    errors = []
    if not isinstance(params, dict):
        return errors
    for name, option in spec.items():
        value = params.get(name)
        if value is None:
            continue
        path = prefix + name
        kind = option.get("type", "str")
        nested = option.get("options")
        if kind == "str":
            if isinstance(value, (list, dict)) or (isinstance(value, bool) and option.get("no_log")):
                errors.append(
                    "%s must be a string, not a %s%s"
                    % (path, _type_word(value), " (quote it)" if isinstance(value, bool) else "")
                )
        elif nested and kind == "dict":
            if not isinstance(value, dict):
                errors.append("%s must be a dictionary of %s, not a %s" % (path, _names(nested), _type_word(value)))
            else:
                errors.extend(strict_type_errors(nested, value, path + "."))
        elif nested and kind == "list":
            if not isinstance(value, list):
                errors.append(
                    "%s must be a list of dictionaries of %s, not a %s" % (path, _names(nested), _type_word(value))
                )
                continue
            for index, item in enumerate(value):
                where = "%s[%d]" % (path, index)
                if not isinstance(item, dict):
                    errors.append("%s must be a dictionary of %s, not a %s" % (where, _names(nested), _type_word(item)))
                else:
                    errors.extend(strict_type_errors(nested, item, where + "."))
    return errors


RULES = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


def located_errors(spec, params):
    """Argument spec errors of list items, each with the item's index in front.

    Ansible reports a bad nested option as "... found in disks" without saying which item;
    validating every item on its own with the same nested spec tells `disks[1]: ...`.
    """
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible.module_utils.errors import UnsupportedError

    def messages(result, prefix):
        return [
            "%s%s%s" % (prefix, "unsupported parameter " if isinstance(error, UnsupportedError) else "", error.msg)
            for error in result.errors
        ]

    if not isinstance(params, dict):
        return []
    items, shallow = [], {}
    for name, option in spec.items():
        value = params.get(name)
        shallow[name] = dict((k, v) for k, v in option.items() if k not in ("options",) + RULES)
        if not (option.get("options") and option.get("type") == "list" and isinstance(value, list)):
            continue
        rules = dict((rule, option[rule]) for rule in RULES if option.get(rule))
        for index, item in enumerate(value):
            if isinstance(item, dict):
                result = ArgumentSpecValidator(option["options"], **rules).validate(item)
                items.extend(messages(result, "%s[%d]: " % (name, index)))
    if not items:
        return []
    # the errors outside the items too, so that none is lost
    return messages(ArgumentSpecValidator(shallow).validate(params), "") + items


def _type_word(value):
    if isinstance(value, bool):
        return "boolean"
    return {"str": "string", "dict": "dictionary", "int": "number", "float": "number"}.get(
        type(value).__name__, type(value).__name__
    )


def _names(options):
    names = sorted(options)
    return "options (%s)" % ", ".join(names) if len(names) <= 4 else "options such as %s" % ", ".join(names[:4])


def update_password_decision(params, option, exists, what):
    """(write, reason) for a write-only password under update_password, or None where the mode
    leaves it to the resource (verify).

    The share password (Network share API) and the camera password (External IP Device
    Information API) are never returned by the device, so neither can be compared: on_create
    sends it only with a new item, always on every run.
    """
    if params.get(option) is None:
        return False, "no %s given" % option
    if not exists:
        return True, "the %s is created with it" % what
    if params.get("update_password") == "on_create":
        return False, "update_password=on_create: the password of an existing %s is left as it is" % what
    if params.get("update_password") == "always":
        return True, (
            "update_password=always: the device never returns the password, so it is written on every "
            "run without being compared (unverifiable write)"
        )
    return None


def no_log_values(spec, params):
    """The values of every no_log option of a (nested) argument spec that params sets."""
    found = []
    if not isinstance(params, dict):
        return found
    for name, option in spec.items():
        value = params.get(name)
        if value is None or value == "":
            continue
        if option.get("no_log"):
            found.append(value)
        elif option.get("options"):
            for item in value if isinstance(value, list) else [value]:
                found.extend(no_log_values(option["options"], item))
    return found
