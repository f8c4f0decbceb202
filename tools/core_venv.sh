#!/usr/bin/env bash
# Create (or reuse) the venv of one ansible-core minor of the test matrix and print its path:
#   core_venv.sh 2.16        ->  .venv-cores/2.16 with tools/requirements/cores/ansible-core-2.16.txt
# Reinstalled only when that pin file changes (stamp .installed). The venv holds ansible-core only:
# ansible-test --venv --requirements builds the per-test venvs itself, and the collection tree is
# built with the main .venv's Python. The venv's Python is 3.12 (tools/find_python.sh); a venv
# of another Python is rebuilt. tools/ansible_test.sh seeds the offline get-pip stand-in into
# each run's own ansible-test HOME (<venv>/ansible-test-home/<command>).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
core=${1:?usage: core_venv.sh <ansible-core minor, e.g. 2.16>}
pins=$repo/tools/requirements/cores/ansible-core-$core.txt
[[ -f $pins ]] || { echo "core_venv.sh: no $pins (cores: $(ls "$repo/tools/requirements/cores" | sed 's/ansible-core-//; s/\.txt//' | xargs))" >&2; exit 2; }
venv=$repo/.venv-cores/$core
if [[ ! -f $venv/.installed || $pins -nt $venv/.installed ]] || ! "$repo/tools/find_python.sh" --is "$venv/bin/python"; then
  # A venv of another Python (the matrix ran on 3.11 before) is rebuilt.
  if ! "$repo/tools/find_python.sh" --is "$venv/bin/python"; then
    python=$("$repo/tools/find_python.sh") || exit 1
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins" >&2
  touch "$venv/.installed"
fi
echo "$venv"
