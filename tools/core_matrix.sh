#!/usr/bin/env bash
# ansible-test on several ansible-core minors, at most MATRIX_JOBS (default 2: this machine's
# cores) runs at a time:
#   core_matrix.sh COMMAND[,COMMAND] CORE... [-- extra ansible-test arguments]
# e.g. `core_matrix.sh sanity,units 2.21 2.20 ...` runs sanity and units of every core in one pool,
# so a slow run of one never leaves a CPU idle while the other command waits for its turn.
# Each run is tools/ansible_test.sh with ANSIBLE_CORE=<core> (its own venv in
# .venv-cores/<core>, its own tree in build/core-<core>/<command>/ and its own ansible-test HOME),
# output to build/core-<core>/<command>.log. Printed: one line per run with its time, the log
# tail of each failed run. Exit status 1 if any failed.
# Extra arguments of a command from the environment: SANITY_ARGS_<core with _ for .>, e.g.
# SANITY_ARGS_2_18="--test import --test validate-modules" (the Makefile sets them).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IFS=, read -r -a commands <<<"${1:?usage: core_matrix.sh COMMAND[,COMMAND] CORE... [-- args]}"
shift
cores=()
while (($#)) && [[ $1 != -- ]]; do cores+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
(( ${#cores[@]} )) || { echo "core_matrix.sh: no cores given" >&2; exit 2; }
jobs=${MATRIX_JOBS:-2}

# Venvs first, one at a time (two pip installs of one venv at once would break it).
for core in "${cores[@]}"; do "$repo/tools/core_venv.sh" "$core" >/dev/null || exit 1; done

run_one() {
  local command=$1 core=$2; shift 2
  local log=$repo/build/core-$core/$command.log start status variable extra=()
  variable=${command^^}_ARGS_${core//./_}
  read -r -a extra <<<"${!variable:-}"
  mkdir -p "$(dirname "$log")"
  start=${EPOCHREALTIME/[.,]/}
  ANSIBLE_CORE=$core "$repo/tools/ansible_test.sh" "$command" "${extra[@]}" "$@" >"$log" 2>&1
  status=$?
  printf '%s\t%d\t%d\n' "$core" "$status" $(( (${EPOCHREALTIME/[.,]/} - start) / 1000000 )) >"$log.status"
}

runs=()
for core in "${cores[@]}"; do
  for command in "${commands[@]}"; do runs+=("$command $core"); done
done
pids=()
for run in "${runs[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
  # shellcheck disable=SC2086  # "command core" split on purpose
  run_one $run "$@" &
  pids+=($!)
done
wait "${pids[@]}"

failed=0
for run in "${runs[@]}"; do
  read -r command core <<<"$run"
  status_file=$repo/build/core-$core/$command.log.status
  IFS=$'\t' read -r _ status seconds <"$status_file"
  if (( status == 0 )); then
    printf 'core_matrix: %s on ansible-core %s passed in %d s\n' "$command" "$core" "$seconds"
  else
    failed=1
    printf 'core_matrix: %s on ansible-core %s FAILED (exit %d) after %d s; log build/core-%s/%s.log:\n' \
      "$command" "$core" "$status" "$seconds" "$core" "$command" >&2
    tail -n 60 "$repo/build/core-$core/$command.log" >&2
  fi
done
exit "$failed"
