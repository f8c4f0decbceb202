#!/usr/bin/env bash
# ansible-test integration against simulator fleets: start them (which writes the
# integration_config.yml the targets read), run the targets, stop the fleets even on failure.
#   [ANSIBLE_CORE=2.21] [INTEGRATION_INSTANCE=NAME SIM_BASE_PORT=PORT] run_integration.sh [targets / ansible-test arguments]
# INTEGRATION_INSTANCE runs the targets on fleets and a tree of their own
# (build/vapix-sim/integration-NAME/, build/core-<core>/integration-NAME/), so that several runs
# (shards of the targets, two cores) can run at once, each on its own SIM_BASE_PORT block
# (the preset takes 61 ports from it). Without it: tests/integration/integration_config.yml and
# build/core-<core>/integration/, as one run at a time.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
fleet=("$venv/bin/python" "$repo/tools/sim_fleet.py")
instance_options=()
if [[ -n ${INTEGRATION_INSTANCE:-} ]]; then
  export INTEGRATION_CONFIG_FILE=$repo/build/vapix-sim/integration-$INTEGRATION_INSTANCE.config.yml
  instance_options=(--instance "integration-$INTEGRATION_INSTANCE" --config "$INTEGRATION_CONFIG_FILE")
fi

trap '"${fleet[@]}" stop integration "${instance_options[@]}"' EXIT
"${fleet[@]}" start integration "${instance_options[@]}" ${SIM_BASE_PORT:+--base-port "$SIM_BASE_PORT"}
"$repo/tools/ansible_test.sh" integration "$@"
