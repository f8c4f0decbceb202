# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private ansible-core APIs in plugin_utils/_compat.py, on real core objects: the units gate
runs this on every core of the matrix (2.16 to 2.21), so a core that changes one fails here."""

import os
import shutil

import pytest
import yaml
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play import Play
from ansible.release import __version__ as ansible_version
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import (
    PlayVariables,
    inject_invocation,
    load_role,
    no_log_values,
    task_play,
)

HOSTS = ["cam1", "cam2"]
ROLE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "storage")


def test_no_log_values_are_the_secrets_of_options_and_suboptions():
    spec = dict(
        name=dict(type="str"),
        token=dict(type="str", no_log=True),
        share=dict(type="dict", options=dict(user=dict(type="str"), password=dict(type="str", no_log=True))),
    )
    validation = ArgumentSpecValidator(spec).validate(
        dict(name="cam", token="t-4711", share=dict(user="camera", password="p-0815"))
    )
    assert not validation.error_messages
    assert no_log_values(validation) == {"t-4711", "p-0815"}


def play_and_hostvars():
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=",".join(HOSTS) + ",")
    inventory.get_host("cam2").set_variable("site", "north")
    manager = VariableManager(loader=loader, inventory=inventory)
    play = Play.load(
        dict(
            hosts="all",
            gather_facts=False,
            vars=dict(retention_days=7),
            tasks=[dict(name="fleet", debug=dict(msg="x"))],
        ),
        variable_manager=manager,
        loader=loader,
    )
    task = [task for block in play.compile() for task in block.block if task.get_name() == "fleet"][0]
    return play, task, HostVars(inventory=inventory, variable_manager=manager, loader=loader)


def test_another_hosts_variables_include_the_plays_vars_and_magic_variables():
    play, task, hostvars = play_and_hostvars()
    assert task_play(task) is play
    variables = PlayVariables(hostvars, task_play(task), task, HOSTS, HOSTS)
    assert variables.available
    cam2 = variables.get("cam2")
    assert (cam2["site"], cam2["retention_days"], cam2["inventory_hostname"]) == ("north", 7, "cam2")
    assert list(cam2["ansible_play_hosts"]) == HOSTS
    # what the public HostVars.raw_get gives instead: the inventory's variables, no play vars
    assert "retention_days" not in hostvars.raw_get("cam2")


def test_a_host_the_inventory_does_not_have_has_no_variables():
    play, task, hostvars = play_and_hostvars()
    assert PlayVariables(hostvars, play, task, HOSTS, HOSTS).get("cam9") is None


def test_without_a_variable_manager_the_play_view_is_unavailable():
    assert not PlayVariables({"cam1": {}}, None, None, HOSTS, HOSTS).available


def test_results_carry_invocation_as_this_cores_modules_do():
    core = tuple(int(part) for part in ansible_version.split(".")[:2])
    if core >= (2, 21):
        # 2.21 leaves it out unless INJECT_INVOCATION (here: the task variable) asks for it
        assert inject_invocation({}) is False
        assert inject_invocation({"ansible_inject_invocation": True}) is True
    else:
        assert inject_invocation({}) is True


def role_file(*parts):
    with open(os.path.join(ROLE_DIR, *parts)) as handle:
        return yaml.safe_load(handle)


def test_a_collection_role_loads_as_include_role_loads_it():
    loaded = load_role("vapix.edge_storage.storage", DataLoader())
    assert os.path.samefile(loaded.path, ROLE_DIR)
    assert dict(loaded.defaults) == role_file("defaults", "main.yml")
    # the main entry point's options, as the validation task Role.load puts first receives them
    assert loaded.argument_spec == role_file("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    # the role's own tasks after that validation, each with its arguments untemplated
    tasks = role_file("tasks", "main.yml")
    assert [action for action, _args in loaded.tasks] == ["vapix.edge_storage.axis_storage"]
    assert loaded.tasks[0][1] == tasks[0]["vapix.edge_storage.axis_storage"]


def test_a_role_without_an_argument_spec_has_none(tmp_path):
    folder = tmp_path / "plain_role"
    shutil.copytree(ROLE_DIR, str(folder))
    os.remove(str(folder / "meta" / "argument_specs.yml"))
    loaded = load_role(str(folder), DataLoader())
    assert loaded.argument_spec is None and len(loaded.tasks) == 1


def test_a_role_that_is_not_there_is_an_ansible_error():
    with pytest.raises(AnsibleError, match="no_such_role"):
        load_role("vapix.edge_storage.no_such_role", DataLoader())
