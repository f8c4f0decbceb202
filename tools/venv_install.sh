#!/usr/bin/env bash
# Create a venv with the project's Python (3.12, tools/find_python.sh) if it has none or another
# Python, and install requirements into it with uv:
#   venv_install.sh VENV [uv pip install arguments, e.g. -r tools/requirements/dev.txt -e tools/simulator]
# uv (pinned in tools/requirements/uv.txt) installs what pip installed here, from the same pins,
# in a fraction of the time: .venv took about 100 s with pip on a warm pip cache and takes about
# 17 s with uv, most of it compiling the bytecode (docs/development.md, "Measured times").
# The bytecode is compiled at install time as pip does it: a Python started with
# PYTHONDONTWRITEBYTECODE (set on many CI machines) would otherwise compile Ansible anew in every
# process. uv itself is installed once per machine and version, with pip, into
#   ${VAPIX_VENV_CACHE:-~/.cache/vapix.edge_storage/venvs}/uv-<version>
# under a lock (several of these run at once during setup). uv keeps its own download cache
# (~/.cache/uv, UV_CACHE_DIR), safe for concurrent installs. It does not read pip's configuration:
# PIP_INDEX_URL, if set, is passed on as uv's default index (UV_DEFAULT_INDEX wins).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${1:?usage: venv_install.sh VENV [uv pip install arguments]}
shift

python=$("$repo/tools/find_python.sh") || exit 1
pins=$repo/tools/requirements/uv.txt
uv_release=$(sed -n 's/^uv==//p' "$pins")
[[ -n $uv_release ]] || { echo "venv_install.sh: no uv==<version> line in $pins" >&2; exit 1; }
cache=${VAPIX_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vapix.edge_storage/venvs}
uv_venv=$cache/uv-$uv_release
uv=$uv_venv/bin/uv
mkdir -p "$cache"
if [[ ! -f $uv_venv/.installed ]]; then
  exec 8>"$uv_venv.lock"
  flock 8
  if [[ ! -f $uv_venv/.installed ]]; then
    rm -rf "$uv_venv"
    "$python" -m venv "$uv_venv"
    "$uv_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins"
    touch "$uv_venv/.installed"
  fi
  exec 8>&-
fi

if [[ -n ${PIP_INDEX_URL:-} && -z ${UV_DEFAULT_INDEX:-} ]]; then
  export UV_DEFAULT_INDEX=$PIP_INDEX_URL
fi
# --seed: pip in the venv too, for the tools that call `python -m pip` (ansible-builder, nox)
if ! "$repo/tools/find_python.sh" --is "$venv/bin/python"; then
  rm -rf "$venv"
  "$uv" venv --quiet --seed --python "$python" "$venv"
fi
VIRTUAL_ENV=$venv "$uv" pip install --quiet --compile-bytecode "$@"
