# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/seed_pip_bootstrap.py: the get-pip stand-in gives ansible-test's venvs pip, offline."""

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent

ansible_test_requirements = pytest.importorskip("ansible_test._internal.python_requirements")


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory):
    """A HOME seeded as tools/ansible_test.sh seeds each ansible-test run's own."""
    home = tmp_path_factory.mktemp("home")
    uv = subprocess.run([TOOLS / "ensure_uv.sh"], check=True, capture_output=True, text=True).stdout.strip()
    # pip's download cache stays the user's, as ansible_test.sh links it
    env = dict(
        os.environ, HOME=str(home), PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    )
    subprocess.run([sys.executable, TOOLS / "seed_pip_bootstrap.py", "--uv", uv], check=True, env=env)
    return home


def stand_in_run(home, venv, *arguments):
    """Run the cached stand-in the way ansible-test's requirements.py runs get-pip."""
    packages = ansible_test_requirements.get_venv_packages(
        types.SimpleNamespace(version="%d.%d" % sys.version_info[:2])
    )
    cache = home / ".ansible" / "test" / "cache"
    (script,) = cache.glob("get_pip_*.py")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    # ansible-test passes a reduced environment: HOME and PATH, no PYTHONDONTWRITEBYTECODE
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8"}
    command = [venv / "bin" / "python", script, "--disable-pip-version-check", *arguments]
    command += [f"{name}=={version}" for name, version in sorted(packages.items())]
    if "setuptools" not in packages:
        command.append("--no-setuptools")
    if "wheel" not in packages:
        command.append("--no-wheel")
    subprocess.run(command, check=True, env=env)
    return packages, env


def test_the_stand_in_installs_the_pip_ansible_test_asks_for_with_uv(seeded_home, tmp_path):
    venv = tmp_path / "venv"
    packages, env = stand_in_run(seeded_home, venv)
    version = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "--version"], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert version.startswith(f"pip {packages['pip']} ")
    (installer,) = venv.glob("lib/python*/site-packages/pip-*.dist-info/INSTALLER")
    assert installer.read_text().strip() == "uv"
    # ansible-test removes pip again once the requirements are in
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "uninstall", "-y", "--disable-pip-version-check", "pip"],
        check=True,
        capture_output=True,
        env=env,
    )
    assert not list(venv.glob("lib/python*/site-packages/pip"))


def test_the_stand_in_installs_nothing_from_the_network(seeded_home, tmp_path):
    # a package that is not among the cached wheels: uv runs offline and fails instead of downloading
    venv = tmp_path / "venv"
    with pytest.raises(subprocess.CalledProcessError):
        stand_in_run(seeded_home, venv, "six==1.16.0")
