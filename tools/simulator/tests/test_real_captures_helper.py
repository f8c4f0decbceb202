"""real_captures.py: where the capture tests find the captures, and skip or fail without them."""

from __future__ import annotations

import json

import pytest
import real_captures


@pytest.fixture
def no_settings(monkeypatch, tmp_path):
    monkeypatch.setattr(real_captures, "SETTINGS", str(tmp_path / "absent.json"))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("VAPIX_REAL_CAPTURES", raising=False)


def test_a_missing_folder_skips_outside_ci_and_says_where_captures_come_from(no_settings, monkeypatch, tmp_path):
    monkeypatch.setenv("VAPIX_REAL_CAPTURES", str(tmp_path / "none"))
    with pytest.raises(pytest.skip.Exception) as skipped:
        real_captures.captures_dir()
    assert "../shared/real-captures" in str(skipped.value) and "public repositories" in str(skipped.value)


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_missing_folder_fails_in_ci(no_settings, monkeypatch, tmp_path, ci):
    monkeypatch.setenv("VAPIX_REAL_CAPTURES", str(tmp_path / "none"))
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true requires the real captures"):
        real_captures.captures_dir()


def test_the_shared_folder_of_a_parent_folder_is_found(no_settings, monkeypatch, tmp_path):
    checkout = tmp_path / "worktrees" / "mine"
    (tmp_path / "shared" / "real-captures").mkdir(parents=True)
    checkout.mkdir(parents=True)
    monkeypatch.setattr(real_captures, "CHECKOUT", str(checkout))
    assert real_captures.captures_dir() == str(tmp_path / "shared" / "real-captures")


def test_without_any_the_reason_names_the_folder_beside_the_checkout(no_settings, monkeypatch, tmp_path):
    checkout = tmp_path / "clone"
    checkout.mkdir()
    monkeypatch.setattr(real_captures, "CHECKOUT", str(checkout))
    assert real_captures.location() == (str(tmp_path / "shared" / "real-captures"), False)


def test_the_settings_ansible_test_sh_writes_win_over_the_environment(no_settings, monkeypatch, tmp_path):
    settings = tmp_path / "real_captures.json"
    settings.write_text(
        json.dumps({"captures": str(tmp_path / "elsewhere"), "required": True, "checkout": str(tmp_path / "clone")})
    )
    monkeypatch.setattr(real_captures, "SETTINGS", str(settings))
    monkeypatch.setenv("CI", "false")
    assert real_captures.location() == (str(tmp_path / "elsewhere"), True)


def test_in_ansible_tests_tree_the_folder_is_looked_for_beside_the_checkout_it_was_built_from(
    no_settings, monkeypatch, tmp_path
):
    settings = tmp_path / "real_captures.json"
    settings.write_text(json.dumps({"captures": None, "required": False, "checkout": str(tmp_path / "clone")}))
    monkeypatch.setattr(real_captures, "SETTINGS", str(settings))
    monkeypatch.setattr(real_captures, "CHECKOUT", str(tmp_path / "clone" / "build" / "units" / "edge_storage"))
    assert real_captures.location() == (str(tmp_path / "shared" / "real-captures"), False)
