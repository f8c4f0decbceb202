# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-declaration work once: shared values templated and validated once, host values per host."""

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _fleet
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._compat import LEAF_TEMPLATING
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._fleet import RoleValidation, host_arguments, plain
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._shared_values import SharedValues
from ansible_collections.vapix.edge_storage.tests.unit.plugins.plugin_utils.helpers import (
    ROLE,
    Resolver,
    trust_as_template,
)


def trusted(value):
    """As the inventory's YAML gives them: every string may be a template."""
    if isinstance(value, dict):
        return dict((k, trusted(v)) for k, v in value.items())
    if isinstance(value, list):
        return [trusted(v) for v in value]
    return trust_as_template(value) if isinstance(value, str) else value


GROUP_VARS = trusted(
    {
        "axis_host": "127.0.0.1",
        "axis_username": "root",
        "axis_password": "{{ site_password }}",
        "site_password": "Site-pw-1",
        "site_retention": 14,
        "nas_password": "Nas-pw-2",
        "site_storage": {
            "camera": {
                "disks": [
                    {
                        "disk_id": "SD_DISK",
                        "cleanup_max_age": "{{ site_retention }}",
                        "encryption": {"state": "enabled", "passphrase": "edge-{{ serial }}-key"},
                    }
                ],
                "network_shares": [
                    {
                        "name": "nas",
                        "address": "nas.example.com",
                        "share": "rec/{{ inventory_hostname }}",
                        "share_user": "cam",
                        "share_password": "{{ nas_password }}",
                    }
                ],
            },
            "recorder": {"disks": [{"disk_id": "HDD_DISK", "cleanup_max_age": "{{ site_retention }}"}]},
        },
        "shared_storage": {
            "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": "{{ site_retention }}"}],
            "network_shares": [
                {
                    "name": "nas",
                    "address": "nas.example.com",
                    "share": "rec",
                    "share_user": "cam",
                    "share_password": "{{ nas_password }}",
                }
            ],
        },
    }
)


def host(name, index, **extra):
    variables = dict(
        GROUP_VARS,
        inventory_hostname=name,
        axis_port=8000 + index,
        serial="SER%04d" % index,
        kind="camera" if index % 4 else "recorder",
    )
    variables.update(trusted(extra))
    return variables


def templar_of(variables):
    return Templar(loader=DataLoader(), variables=variables)


def test_a_shared_declaration_is_templated_and_validated_once():
    hosts = dict(("cam-%d" % i, host("cam-%d" % i, i, axis_storage="{{ shared_storage }}")) for i in range(1, 41))
    resolver, shared, validation = Resolver(hosts), SharedValues(), RoleValidation(ROLE)
    outcomes = [
        host_arguments(resolver, name, "drift", ROLE, role_validation=validation, shared=shared) for name in hosts
    ]
    assert all(failed is None for _args, failed in outcomes)
    args = outcomes[0][0]
    assert args["disks"] == [{"disk_id": "SD_DISK", "cleanup_max_age": 14}]
    assert args["network_shares"][0]["share_password"] == "Nas-pw-2" and args["password"] == "Site-pw-1"
    assert [a["port"] for a, _f in outcomes] == list(range(8001, 8041))
    if not LEAF_TEMPLATING:
        # before ansible-core 2.19 the fleet templates each host's declaration whole, as the role's
        # task does (measured on 2.17 and 2.18: 44 renderings for 40 hosts); the results above are
        # the same, only the saving is missing
        assert shared.templated <= len(hosts) + 4
        return
    # the declaration, the password and the shared settings once (the rest are per host and have
    # no template: taken as they are), not once per host
    assert shared.templated <= 6
    # the declaration validated once, each host's own few values once per host
    assert validation.validations == 1 + len(hosts)


def test_a_host_dependent_template_gets_each_hosts_own_value():
    hosts = dict(("dev-%d" % i, host("dev-%d" % i, i, axis_storage="{{ site_storage[kind] }}")) for i in range(1, 9))
    shared = SharedValues()
    for name, variables in hosts.items():
        _key, value = shared.template(lambda variables=variables: templar_of(variables), variables, "axis_storage")
        expected = templar_of(variables).template(variables["axis_storage"])
        assert plain(value) == plain(expected), name
    camera = plain(shared.template(lambda: templar_of(hosts["dev-3"]), hosts["dev-3"], "axis_storage")[1])
    assert camera["disks"][0]["encryption"]["passphrase"] == "edge-SER0003-key"
    assert camera["network_shares"][0]["share"] == "rec/dev-3"
    assert camera["disks"][0]["cleanup_max_age"] == 14
    assert "network_shares" not in plain(
        shared.template(lambda: templar_of(hosts["dev-4"]), hosts["dev-4"], "axis_storage")[1]
    )


def test_host_arguments_with_and_without_sharing_are_the_same():
    hosts = dict(("dev-%d" % i, host("dev-%d" % i, i, axis_storage="{{ site_storage[kind] }}")) for i in range(1, 9))
    resolver, shared = Resolver(hosts), SharedValues()
    for name in hosts:
        alone = host_arguments(resolver, name, "drift", ROLE, role_validation=RoleValidation(ROLE))
        assert (
            host_arguments(resolver, name, "drift", ROLE, role_validation=RoleValidation(ROLE), shared=shared) == alone
        )


def test_values_that_may_differ_are_never_shared():
    shared = SharedValues()
    base = host("cam-1", 1)
    for raw in (
        "{{ 100 | random }}",
        "{{ lookup('env', 'HOME') }}",
        "{{ hostvars['x'] }}",
        "{{ undefined_var }}",
        "#jinja2:variable_start_string:'[%'\n[% site_retention %]",
    ):
        variables = dict(base, value=trust_as_template(raw))
        assert shared.key(variables, "value") is None, raw
    # the same raw value and the same values read: one key; another value read: another key
    one = dict(base, value=trust_as_template("{{ site_retention }}"))
    two = dict(host("cam-2", 2), value=trust_as_template("{{ site_retention }}"))
    three = dict(two, site_retention=30)
    assert shared.key(one, "value") == shared.key(two, "value") != shared.key(three, "value")
    assert shared.key(one, "kind") != shared.key(host("cam-4", 4), "kind")


def test_a_leaf_the_fast_path_gets_wrong_goes_to_the_templar(monkeypatch):
    variables = host("cam-1", 1, axis_storage="{{ shared_storage }}")
    shared = SharedValues()
    # as if joining text gave something else than the templar does
    monkeypatch.setattr(shared, "_by_form", lambda *args: "wrong")
    value = shared.template(lambda variables=variables: templar_of(variables), variables, "axis_storage")[1]
    assert plain(value) == plain(templar_of(variables).template(variables["axis_storage"]))
    assert _fleet.plain(value)["disks"][0]["cleanup_max_age"] == 14


def test_declarations_that_cannot_be_shared_stay_each_hosts_own():
    """Imported declarations hold device text marked unsafe: such a declaration is never shared,
    and each host gets its own lists (the first host's were handed to every host before)."""
    from ansible.utils.unsafe_proxy import wrap_var

    hosts = {}
    for index, disk_id in ((1, "SD_DISK"), (2, "HDD_DISK"), (3, "SD_DISK2")):
        variables = host("dev-%d" % index, index)
        variables["axis_storage"] = wrap_var(
            {"disks": [{"disk_id": disk_id, "cleanup_max_age": index, "friendly_name": "Lobby {{TODO}} {#%d}" % index}]}
        )
        hosts["dev-%d" % index] = variables
    resolver, shared = Resolver(hosts), SharedValues()
    outcomes = [
        host_arguments(resolver, name, "drift", ROLE, role_validation=RoleValidation(ROLE), shared=shared)
        for name in hosts
    ]
    assert all(failed is None for _args, failed in outcomes), outcomes
    assert [(a["disks"][0]["disk_id"], a["disks"][0]["friendly_name"]) for a, _f in outcomes] == [
        ("SD_DISK", "Lobby {{TODO}} {#1}"),
        ("HDD_DISK", "Lobby {{TODO}} {#2}"),
        ("SD_DISK2", "Lobby {{TODO}} {#3}"),
    ]
