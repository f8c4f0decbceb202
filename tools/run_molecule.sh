#!/usr/bin/env bash
# make molecule: `molecule test` of extensions/molecule/default against the collection tree in
# build/ (tools/build_collection_tree.py), with molecule's working files in build/molecule/.
# Molecule destroys (stops the fleet) after a failed step too; the EXIT trap stops it again in
# case molecule itself dies or is interrupted.
#   run_molecule.sh [extra `molecule test` arguments]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
fleet=("$venv/bin/python" "$repo/tools/sim_fleet.py")

cd "$repo"   # molecule finds extensions/molecule/ from the collection root (galaxy.yml)
export PATH=$venv/bin:$PATH
export ANSIBLE_COLLECTIONS_PATH=$repo/build
export MOLECULE_EPHEMERAL_DIRECTORY=$repo/build/molecule/default
"$venv/bin/python" tools/build_collection_tree.py >/dev/null

trap '"${fleet[@]}" stop molecule' EXIT
"$venv/bin/molecule" test --scenario-name default "$@"
