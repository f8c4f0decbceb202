#!/usr/bin/env bash
# Print the path of the pinned uv (tools/requirements/uv.txt), installing it first if needed:
#   uv=$(tools/ensure_uv.sh)
# uv is installed once per machine and version, with pip, into
#   ${VAPIX_VENV_CACHE:-~/.cache/vapix.edge_storage/venvs}/uv-<version>
# under a lock (several venv builds and ansible-test runs ask for it at once during setup).
# Users: tools/venv_install.sh (the project's venvs) and tools/ansible_test.sh (pip for
# ansible-test's own venvs, tools/seed_pip_bootstrap.py).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pins=$repo/tools/requirements/uv.txt
uv_release=$(sed -n 's/^uv==//p' "$pins")
[[ -n $uv_release ]] || { echo "ensure_uv.sh: no uv==<version> line in $pins" >&2; exit 1; }
cache=${VAPIX_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vapix.edge_storage/venvs}
uv_venv=$cache/uv-$uv_release
mkdir -p "$cache"
if [[ ! -f $uv_venv/.installed ]]; then
  exec 8>"$uv_venv.lock"
  flock 8
  if [[ ! -f $uv_venv/.installed ]]; then
    python=$("$repo/tools/find_python.sh") || exit 1
    rm -rf "$uv_venv"
    "$python" -m venv "$uv_venv" >&2
    "$uv_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins" >&2
    touch "$uv_venv/.installed"
  fi
  exec 8>&-
fi
echo "$uv_venv/bin/uv"
