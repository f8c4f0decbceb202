# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The options of CONNECTION_ARGSPEC in plugins/module_utils/_validation.py; keep both in step.
    # Every module that takes them is in the module_defaults group `all` (meta/runtime.yml), which
    # exists to set them once, so the group's attribute is documented here too.
    DOCUMENTATION = r"""
options:
  host:
    description:
      - Address (name, IPv4 or IPv6) of the Axis device.
      - Only the name or address, without a scheme, port, path or query (for example V(cam1.example.com),
        V(192.0.2.10) or V(2001:db8::10)). Set O(use_https) and O(port) instead of writing a URL.
      - If not set, the value of the E(AXIS_HOST) environment variable is used.
    type: str
    required: true
  port:
    description:
      - TCP port of the device's web server.
      - From V(1) to V(65535). Defaults to V(80), or V(443) when O(use_https=true).
      - If not set, the value of the E(AXIS_PORT) environment variable is used.
    type: int
  username:
    description:
      - Device user to log in as. Most storage settings need a user with the administrator role.
      - If not set, the value of the E(AXIS_USERNAME) environment variable is used.
    type: str
    required: true
  password:
    description:
      - Password of O(username). Never shown in output, diffs or errors.
      - If not set, the value of the E(AXIS_PASSWORD) environment variable is used.
    type: str
  use_https:
    description:
      - Talk to the device over HTTPS instead of HTTP.
      - If not set, the value of the E(AXIS_USE_HTTPS) environment variable is used.
    type: bool
    default: false
  validate_certs:
    description:
      - Verify the device's TLS certificate when O(use_https=true).
      - V(false) turns verification off even when E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set.
      - If not set, the value of the E(AXIS_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authority that signed the device's certificate.
      - With O(use_https=true) and O(validate_certs=true) it must be a file (or a directory prepared with
        C(c_rehash)) that exists and is readable; it is checked before the first request.
      - It takes precedence over E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE). When it is not set, those
        variables, if set, name the trusted bundle; otherwise the bundle of the C(certifi) package is used.
      - If not set, the value of the E(AXIS_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds one HTTP request to the device may take, its retries included (to connect, and for each wait
        for the answer). A positive number, at most V(86400).
      - A request that gets no answer (or no connection) in time fails without being repeated.
      - If not set, the value of the E(AXIS_TIMEOUT) environment variable is used.
    type: int
    default: 10
notes:
  - The client negotiates HTTP Digest or Basic authentication from the device's own challenge,
    once per task, and keeps one connection open for all requests of the task.
  - Reads are retried with backoff (0.2, 0.6, 1.5 seconds) on refused or broken connections and
    HTTP 503, while the retry still fits in O(timeout); writes only where repeating them is
    harmless. A timed-out request is not retried.
  - Secrets (share passwords, passphrases) are sent in the form body of a POST request, never in
    the URL, so that device and proxy access logs do not keep them.
  - The connection options are checked before the first request; an invalid one fails the task
    with a message that names the option and the values allowed.
requirements:
  - requests
  - xmltodict
attributes:
  action_group:
    description: Use C(group/vapix.edge_storage.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - vapix.edge_storage.all
"""

    JOBS = r"""
options:
  job_timeout:
    description:
      - Seconds to wait for each job the device runs (format, mount, unmount, share test)
        before the task fails. A device that reboots mid-job is waited for until then.
    type: int
    default: 600
"""
