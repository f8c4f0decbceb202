#!/usr/bin/env bash
# ansible-test integration against simulator fleets: start them (which writes
# tests/integration/integration_config.yml), run the targets, stop the fleets even on failure.
#   run_integration.sh [extra ansible-test arguments, e.g. a target name]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
fleet=("$venv/bin/python" "$repo/tools/sim_fleet.py")

trap '"${fleet[@]}" stop integration' EXIT
"${fleet[@]}" start integration ${SIM_BASE_PORT:+--base-port "$SIM_BASE_PORT"}
"$repo/tools/ansible_test.sh" integration "$@"
