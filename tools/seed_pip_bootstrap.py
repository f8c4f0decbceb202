#!/usr/bin/env python3
"""Put an offline pip bootstrap where ansible-test looks for its cached get-pip script.

ansible-test (--venv --requirements) creates each venv without pip, then runs a get-pip script
it downloads from ci-files.testing.ansible.com and caches as ~/.ansible/test/cache/get_pip_<v>.py.
That host is unreachable here, so the venv ends up "without pip available". The stand-in
written below installs the pip version ansible-test asks for from a pip wheel this script
downloads once from the package index into the same cache directory; without that wheel it
falls back to ensurepip (pip bundled with Python) plus the index.

With --uv PATH (the project's pinned uv, tools/ensure_uv.sh) the stand-in has uv install that
wheel: about 0.1 s instead of about 5.5 s for pip run from the wheel (it imports itself from a
zip file and compiles its own bytecode). A cold CI run makes 35 of these venvs (the sanity
tests of six cores; docs/development.md, "Measured times").

The file name and pip version are read from the installed ansible-test, so a newer
ansible-core either keeps working or fails here with a clear message. A real get-pip script
already in the cache (a machine that could download it) is left alone.

Run with the Python of the venv that holds ansible-core.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import types
from pathlib import Path

import ansible_test
from ansible_test._internal.python_requirements import get_venv_packages

MARKER = "# vapix.edge_storage offline get-pip stand-in"

STAND_IN = (
    MARKER
    + '''
"""Bootstraps pip without get-pip.py's download host (unreachable from here).

ansible-test runs this as __main__ with get-pip's arguments: pip options, the packages to
install (pip==<version>) and --no-setuptools/--no-wheel, which only get-pip understands.
Fastest: the project's uv installs the wheels cached next to this file, offline; no bytecode
is compiled, the pip runs that follow write what they import (ansible-test runs them without
PYTHONDONTWRITEBYTECODE). Else: run pip straight from the cached pip wheel (a wheel is
importable) and install that same wheel, offline. Fallback: ensurepip's bundled pip, then the
requested version from the package index.
"""
import glob
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}

here = os.path.dirname(os.path.abspath(__file__))
pip_arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
wheels = glob.glob(os.path.join(here, "pip-%s-py3-none-any.whl" % PIP_VERSION))
if wheels and UV_EXECUTABLE and os.access(UV_EXECUTABLE, os.X_OK):
    # get-pip's arguments are pip's options (--disable-pip-version-check) and the packages
    packages = [arg for arg in pip_arguments if not arg.startswith("-")]
    sys.exit(subprocess.call([UV_EXECUTABLE, "pip", "install", "--quiet", "--python", sys.executable, "--offline",
                              "--no-index", "--find-links", here, "--cache-dir", os.path.join(here, "uv-cache"),
                              "--link-mode", "copy", *packages]))
if wheels:
    sys.exit(subprocess.call([sys.executable, os.path.join(wheels[0], "pip"), "install", "--no-index",
                              "--find-links", here, *pip_arguments]))
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", *pip_arguments]))
'''
)


def cache_file_name(pip_version: str) -> str:
    """The cache path ansible-test builds, read from its own bootstrap code."""
    source = Path(ansible_test.__file__).parent / "_util" / "target" / "setup" / "requirements.py"
    match = re.search(
        r"~/\.ansible/test/cache/(get_pip_%s\.py)'\s*%\s*pip_version\.replace\(\"\.\", \"_\"\)",
        source.read_text(encoding="utf-8"),
    )
    if not match:
        sys.exit(
            f"seed_pip_bootstrap: cannot find the get-pip cache name in {source}; "
            "ansible-test changed its bootstrap, update tools/seed_pip_bootstrap.py"
        )
    return match.group(1) % pip_version.replace(".", "_")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", help="the uv executable the stand-in installs pip with")
    uv = parser.parse_args().uv
    # pip alone for ansible-core >= 2.17; 2.16 also asks for setuptools and wheel.
    packages = get_venv_packages(types.SimpleNamespace(version="%d.%d" % sys.version_info[:2]))
    pip_version = packages["pip"]
    target = Path.home() / ".ansible" / "test" / "cache" / cache_file_name(pip_version)
    if target.exists() and not target.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        print(f"seed_pip_bootstrap: {target} is a real get-pip script, kept", file=sys.stderr)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    stand_in = STAND_IN.replace("PIP_VERSION", repr(pip_version)).replace("UV_EXECUTABLE", repr(uv))
    if not target.exists() or target.read_text(encoding="utf-8") != stand_in:
        target.write_text(stand_in, encoding="utf-8")
    wheel = target.parent / f"pip-{pip_version}-py3-none-any.whl"
    wanted = [
        f"{name}=={version}"
        for name, version in sorted(packages.items())
        if not list(target.parent.glob(f"{name}-{version}-*.whl"))
    ]
    if wanted:
        # One download per machine; afterwards every ansible-test venv gets pip offline.
        download = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                str(target.parent),
                *wanted,
            ],
            check=False,
        )
        if download.returncode != 0:
            wheel.unlink(missing_ok=True)  # no fast path without every requested wheel
        if download.returncode != 0 or not wheel.exists():
            print(
                f"seed_pip_bootstrap: could not download {' '.join(wanted)}; ansible-test venvs will "
                "bootstrap pip with ensurepip and the package index instead (slower)",
                file=sys.stderr,
            )
    source = "cached wheel" if wheel.exists() else "ensurepip"
    print(f"seed_pip_bootstrap: {target} (pip {pip_version} from {source})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
