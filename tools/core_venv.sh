#!/usr/bin/env bash
# Create (or reuse) the venv of one ansible-core minor of the test matrix and print its path:
#   core_venv.sh 2.16        ->  .venv-cores/2.16 with tools/requirements/cores/ansible-core-2.16.txt
# The venv itself lives in the cache, one per pin file content and Python, and .venv-cores/<minor>
# is a link to it: a fresh clone (every CI run) finds it built (about 15 s of CPU and a few
# hundred MB less per core and run). It is installed with uv (tools/venv_install.sh). Nothing
# writes into it after the build, which runs under a lock and ends with the stamp .installed; a
# build cut short is started again. The venv holds ansible-core and what ansible-test's units and
# integration run with (tools/requirements/core-tests.txt, tests/unit/requirements.txt,
# tests/integration/requirements.txt): tools/ansible_test.sh runs ansible-test in it (--local).
# The sanity tests' own venvs are ansible-test's (in each run's ansible-test HOME, where
# tools/ansible_test.sh seeds the offline get-pip stand-in). The collection tree is built with
# the main .venv's Python. The venv's Python is 3.12 (tools/find_python.sh); a venv of another
# Python is rebuilt.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
core=${1:?usage: core_venv.sh <ansible-core minor, e.g. 2.16>}
pins=$repo/tools/requirements/cores/ansible-core-$core.txt
[[ -f $pins ]] || { echo "core_venv.sh: no $pins (cores: $(ls "$repo/tools/requirements/cores" | sed 's/ansible-core-//; s/\.txt//' | xargs))" >&2; exit 2; }
python=$("$repo/tools/find_python.sh") || exit 1
python_release=$("$python" -c 'import platform; print(platform.python_version())')
requirements=("$pins" "$repo/tools/requirements/core-tests.txt" "$repo/tests/unit/requirements.txt"
              "$repo/tests/integration/requirements.txt")
key=$(cat "${requirements[@]}" - <<<"$python_release $(readlink -f "$python")" | sha256sum | cut -c1-16)
cache=${VAPIX_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vapix.edge_storage/venvs}
cached=$cache/ansible-core-$core-$key
link=$repo/.venv-cores/$core
mkdir -p "$cache" "$(dirname "$link")"
if [[ ! -f $cached/.installed ]]; then
  exec 8>"$cached.lock"
  flock 8
  if [[ ! -f $cached/.installed ]]; then
    rm -rf "$cached"
    "$repo/tools/venv_install.sh" "$cached" "${requirements[@]/#/--requirements=}" >&2
    touch "$cached/.installed"
  fi
  exec 8>&-
fi
if [[ $(readlink "$link" || true) != "$cached" ]]; then
  rm -rf "$link"
  ln -s "$cached" "$link"
fi
echo "$link"
