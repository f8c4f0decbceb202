# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet task reads the storage role as Ansible loads it: what it passes the module is what
the role's own task passes, and a changed role changes it; a role it cannot load fails the task
naming the role."""

import os
import shutil

import pytest
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.vapix.edge_storage.plugins.action.axis_health_report import ActionModule as HealthAction
from ansible_collections.vapix.edge_storage.plugins.action.axis_storage_fleet import ActionModule as FleetAction
from ansible_collections.vapix.edge_storage.plugins.module_utils._device_storage import DeviceStorage
from ansible_collections.vapix.edge_storage.plugins.module_utils._validation import CONNECTION_ARGSPEC
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _role_source
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import (
    RoleValidation,
    declaration_lists,
    host_arguments,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._role_source import RoleSourceError, storage_role
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils import helpers
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import Resolver

ROLE = helpers.role()
ROLE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "storage")
# the omit placeholder a task's variables carry (ansible-core before 2.19 removes the options
# that template to it; later cores drop `omit` from the templated arguments themselves)
OMIT = "__omit_place_holder__role_source_test"
# what the module's argument spec makes of arguments: "8001" and 8001 are the same port
MODULE_SPEC = dict(CONNECTION_ARGSPEC, **DeviceStorage.argument_spec)
RULE = {"name": "door", "trigger": {"input": {"port": 1}}, "disk_id": "SD_DISK"}


def role_task_args(role, variables):
    """The role task's arguments for a host with these variables, templated as its task is."""
    templar = Templar(loader=DataLoader(), variables=dict(role.defaults, omit=OMIT, **variables))
    templated = templar.template(dict(role.task_args))
    return dict((option, value) for option, value in templated.items() if value != OMIT)


def as_module_sees(args):
    validation = ArgumentSpecValidator(MODULE_SPEC).validate(dict(args))
    assert not validation.error_messages, validation.error_messages
    return validation.validated_parameters


def host(**extra):
    variables = {"axis_host": "cam.example", "axis_username": "root"}
    variables.update(extra)
    return variables


HOSTS = {
    "minimal": host(),
    "all-connection": host(
        axis_port=8001,
        axis_password="pw-1",
        axis_use_https=True,
        axis_validate_certs=False,
        axis_ca_path="/etc/ca.pem",
        axis_timeout=3,
        axis_job_timeout=60,
    ),
    "empty-lists": host(axis_storage={"disks": None, "network_shares": [], "recording_profiles": {}}),
    "declared": host(
        axis_storage={"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 7}], "recording_rules": [RULE]},
        axis_storage_purge=True,
        axis_storage_allow_data_loss=True,
    ),
    "no-groups": host(axis_storage={"recording_schedules": []}),
}


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_the_fleet_passes_what_the_roles_task_passes(name):
    variables = HOSTS[name]
    args, failed = host_arguments(Resolver({name: variables}), name, "drift", ROLE)
    assert failed is None
    assert as_module_sees(args) == as_module_sees(role_task_args(ROLE, variables))


def test_declared_recording_rules_reach_the_module_as_in_the_role():
    args, failed = host_arguments(Resolver({"cam": HOSTS["declared"]}), "cam", "drift", ROLE)
    assert failed is None and args["recording_rules"] == [RULE]
    assert "recording_groups" not in args  # `default(omit)`: not declared, not managed


def test_the_mapping_is_read_from_the_roles_task():
    assert ROLE.name == "vapix.edge_storage.storage"
    port = ROLE.variable("port")
    assert (port.var, port.omit) == ("axis_port", True)
    assert ROLE.variable("host").omit is False
    assert ROLE.declaration_var == "axis_storage"
    assert ROLE.declaration_lists == ("disks", "network_shares", "external_devices", "recording_profiles")
    assert ROLE.declaration_optional == ("recording_groups", "recording_schedules", "recording_rules")
    assert ROLE.defaults["axis_storage_purge"] is False
    assert "axis_storage" in ROLE.argument_spec and ROLE.argument_spec["axis_host"]["required"] is True


def edited_role(tmp_path, edit):
    """A copy of the storage role with edit(folder) applied, loaded as the fleet task loads a role."""
    folder = tmp_path / "storage"
    shutil.copytree(ROLE_DIR, str(folder))
    edit(folder)
    return storage_role(DataLoader(), name=str(folder))


def replace_in(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_changed_role_changes_what_the_fleet_passes(tmp_path):
    def edit(folder):
        replace_in(folder / "defaults" / "main.yml", "axis_storage_purge: false", "axis_storage_purge: true")
        replace_in(folder / "tasks" / "main.yml", "{{ axis_port | default(omit) }}", "{{ axis_http_port }}")
        replace_in(
            folder / "tasks" / "main.yml",
            '    recording_rules: "{{ axis_storage.recording_rules | default(omit) }}"\n',
            "",
        )

    role = edited_role(tmp_path, edit)
    variables = host(axis_http_port=8080, axis_port=1, axis_storage={"recording_rules": [RULE]})
    # as on the role's path: its argument validation, then the task (which no longer passes the rules)
    args, failed = host_arguments(
        Resolver({"cam": variables}), "cam", "drift", role, role_validation=RoleValidation(role)
    )
    assert failed is None
    assert args["purge"] is True and args["port"] == 8080 and "recording_rules" not in args
    assert as_module_sees(args) == as_module_sees(role_task_args(role, variables))
    # the role task's own variable is required now, as the role's task needs it
    args, failed = host_arguments(Resolver({"cam": host()}), "cam", "drift", role)
    assert args is None and failed["msg"] == "axis_http_port is not set for cam"


def test_a_default_that_is_a_template_is_templated_for_each_host(tmp_path):
    def edit(folder):
        replace_in(
            folder / "defaults" / "main.yml",
            "axis_storage_purge: false",
            'axis_storage_purge: "{{ site_purge | default(false) }}"',
        )

    role = edited_role(tmp_path, edit)
    assert role.templated_defaults == frozenset(["axis_storage_purge"])
    hosts = {"north": host(site_purge=True), "south": host()}
    for name, variables in hosts.items():
        args, failed = host_arguments(Resolver(hosts), name, "drift", role, role_validation=RoleValidation(role))
        assert failed is None, failed
        assert as_module_sees(args) == as_module_sees(role_task_args(role, variables))
        assert as_module_sees(args)["purge"] is (name == "north")


def test_a_changed_argument_spec_changes_the_validation(tmp_path):
    def edit(folder):
        replace_in(
            folder / "meta" / "argument_specs.yml",
            "      axis_timeout:\n",
            "      axis_site:\n        description: Where.\n        type: str\n        required: true\n"
            "      axis_timeout:\n",
        )

    role = edited_role(tmp_path, edit)
    args, failed = host_arguments(Resolver({"cam": host()}), "cam", "drift", role, role_validation=RoleValidation(role))
    assert args is None and "axis_site" in failed["msg"]
    assert (
        host_arguments(Resolver({"cam": host()}), "cam", "drift", ROLE, role_validation=RoleValidation(ROLE))[1] is None
    )


def test_the_declaration_keys_are_the_roles():
    lists, invalid = declaration_lists({"recording_rules": [RULE]}, ROLE)
    assert invalid is None and lists["recording_rules"] == [RULE] and lists["disks"] == []


def test_the_role_is_loaded_once_per_process(monkeypatch, tmp_path):
    loads = []
    real = _role_source.load_role

    def counting(name, loader):
        loads.append(name)
        return real(name, loader)

    monkeypatch.setattr(_role_source, "load_role", counting)
    monkeypatch.setattr(_role_source, "_ROLES", {})
    first = storage_role(DataLoader())
    assert storage_role(DataLoader()) is first and loads == ["vapix.edge_storage.storage"]


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            lambda folder: shutil.rmtree(str(folder / "tasks")),
            "has 0 tasks of the module vapix.edge_storage.axis_storage",
        ),
        (
            lambda folder: replace_in(
                folder / "tasks" / "main.yml", "{{ axis_timeout | default(omit) }}", "{{ axis_timeout * 2 }}"
            ),
            "passes timeout='{{ axis_timeout * 2 }}'",
        ),
        (
            lambda folder: (folder / "defaults" / "main.yml").write_text("axis_storage: {\n"),
            "cannot be loaded",
        ),
    ],
)
def test_a_role_the_fleet_cannot_read_fails_naming_it(tmp_path, edit, message):
    with pytest.raises(RoleSourceError) as caught:
        edited_role(tmp_path, edit)
    assert str(tmp_path / "storage") in caught.value.message and message in caught.value.message


@pytest.mark.parametrize("action,args", [(FleetAction, dict(hosts=["cam"])), (HealthAction, dict(results={"cam": {}}))])
def test_a_broken_install_fails_the_task_naming_the_role(monkeypatch, action, args):
    monkeypatch.setattr(_role_source, "ROLE_NAME", "vapix.edge_storage.no_such_role")
    with pytest.raises(AnsibleActionFail) as caught:
        helpers.run_action(action, args)
    assert caught.value.message.startswith("the role vapix.edge_storage.no_such_role cannot be loaded: ")
