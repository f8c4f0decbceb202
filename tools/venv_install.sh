#!/usr/bin/env bash
# Create a venv with the project's Python (3.12, tools/find_python.sh) if it has none or another
# Python, and install requirements into it with uv:
#   venv_install.sh VENV [uv pip install arguments, e.g. -r tools/requirements/dev.txt -e tools/simulator]
# uv (pinned in tools/requirements/uv.txt) installs what pip installed here, from the same pins,
# in a fraction of the time: .venv took about 100 s with pip on a warm pip cache and takes about
# 17 s with uv, most of it compiling the bytecode (docs/development.md, "Measured times").
# The bytecode is compiled at install time as pip does it: a Python started with
# PYTHONDONTWRITEBYTECODE (set on many CI machines) would otherwise compile Ansible anew in every
# process. uv itself is installed once per machine and version (tools/ensure_uv.sh). uv keeps
# its own download cache (~/.cache/uv, UV_CACHE_DIR), safe for concurrent installs. It does not
# read pip's configuration: PIP_INDEX_URL, if set, is passed on as uv's default index
# (UV_DEFAULT_INDEX wins).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${1:?usage: venv_install.sh VENV [uv pip install arguments]}
shift

python=$("$repo/tools/find_python.sh") || exit 1
uv=$("$repo/tools/ensure_uv.sh")

if [[ -n ${PIP_INDEX_URL:-} && -z ${UV_DEFAULT_INDEX:-} ]]; then
  export UV_DEFAULT_INDEX=$PIP_INDEX_URL
fi
# --seed: pip in the venv too, for the tools that call `python -m pip` (ansible-builder, nox)
if ! "$repo/tools/find_python.sh" --is "$venv/bin/python"; then
  rm -rf "$venv"
  "$uv" venv --quiet --seed --python "$python" "$venv"
fi
VIRTUAL_ENV=$venv "$uv" pip install --quiet --compile-bytecode "$@"
