# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument validation for the action plugins that only run on the controller.

`ArgumentSpecValidator` rather than `ActionBase.validate_argument_spec`: on ansible-core 2.16 to
2.18 the latter reads `self._load_name` to word an unknown option, an attribute only the plugin
loader sets, so a plugin built any other way fails with AttributeError instead of naming the option.
"""

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase


def validated_args(task_args, argument_spec):
    """The task's arguments checked, converted and with defaults; AnsibleActionFail naming the option if not."""
    validation = ArgumentSpecValidator(argument_spec).validate(dict(task_args))
    if validation.error_messages:
        raise AnsibleActionFail(validation.errors.msg)
    return validation.validated_parameters


class ControllerAction(ActionBase):
    """Runs in the controller only (reads results, writes files), never ships a module.

    Subclasses set `argument_spec` and implement `act(args, task_vars)`, which returns what to
    add to the task result.
    """

    TRANSFERS_FILES = False
    _supports_check_mode = True
    argument_spec = {}

    def act(self, args, task_vars):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(self.act(validated_args(self._task.args, self.argument_spec), task_vars or {}))
        return result
