# Copyright: (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One call to a simulated device's control endpoint (/sim/...), made in the controller.

The targets reset devices, read their request logs and inject faults hundreds of times.
As ansible.builtin.uri each call was a module run: a Python process importing
ansible.module_utils.basic, about 0.9 s of CPU; here it is an HTTP request from the task's
worker, about 0.05 s (docs/development.md, "Measured times"). It takes the uri options the
targets use, with uri's meaning, and returns status, content and the decoded JSON.
The device APIs themselves (/axis-cgi, /vapix) are still called with ansible.builtin.uri where a
target wants an independent client (vapix_sim_harness, import_untrusted).
"""

from __future__ import annotations

import json
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = {
    "url": {"type": "str", "required": True},
    "method": {"type": "str", "default": "GET", "choices": ["GET", "POST", "PUT", "DELETE"]},
    "body": {"type": "raw"},
    "body_format": {"type": "str", "default": "raw", "choices": ["raw", "json"]},
    "status_code": {"type": "list", "elements": "int", "default": [200]},
    "return_content": {"type": "bool", "default": False},
    "ca_path": {"type": "path"},
    "validate_certs": {"type": "bool", "default": True},
    "timeout": {"type": "int", "default": 30},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if not urlsplit(args["url"]).path.startswith("/sim"):
            raise AnsibleActionFail(f"url={args['url']}: not a simulator control URL (.../sim/...)")
        body = args["body"]
        headers = {}
        if body is not None and args["body_format"] == "json":
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            response = open_url(
                args["url"],
                data=body,
                method=args["method"],
                headers=headers,
                ca_path=args["ca_path"],
                validate_certs=args["validate_certs"],
                timeout=args["timeout"],
            )
            status, content = response.status, response.read()
        except HTTPError as exc:
            status, content = exc.code, exc.read()
        except URLError as exc:
            raise AnsibleActionFail(f"{args['method']} {args['url']}: {exc.reason}") from None
        text = to_text(content, errors="surrogate_or_strict")
        result.update(status=status, url=args["url"], changed=False)
        if args["return_content"]:
            result["content"] = text
        try:
            result["json"] = json.loads(text)
        except ValueError:
            pass
        if status not in args["status_code"]:
            result.update(failed=True, msg=f"Status code was {status} and not {args['status_code']}: {text[:200]}")
        else:
            result["msg"] = f"OK ({len(content)} bytes)"
        return result
