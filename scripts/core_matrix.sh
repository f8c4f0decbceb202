#!/usr/bin/env bash
# ansible-test on several ansible-core minors, at most MATRIX_JOBS (default 2: this machine's
# cores) at a time:
#   core_matrix.sh sanity|units CORE... [-- extra ansible-test arguments]
# Each core runs scripts/ansible_test.sh with ANSIBLE_CORE=<core> (its own venv in
# .venv-cores/<core> and its own tree in build/core-<core>/), output to
# build/core-<core>/<command>.log; printed: one line per core with its time, the log of each
# failed core. Exit status 1 if any core failed.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command=${1:?usage: core_matrix.sh sanity|units CORE... [-- args]}
shift
cores=()
while (($#)) && [[ $1 != -- ]]; do cores+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
(( ${#cores[@]} )) || { echo "core_matrix.sh: no cores given" >&2; exit 2; }
jobs=${MATRIX_JOBS:-2}

# Venvs first, one at a time (pip and the shared get-pip cache are not safe to run concurrently).
for core in "${cores[@]}"; do "$repo/scripts/core_venv.sh" "$core" >/dev/null || exit 1; done

run_one() {
  local core=$1; shift
  local log=$repo/build/core-$core/$command.log start status
  mkdir -p "$(dirname "$log")"
  start=${EPOCHREALTIME/[.,]/}
  ANSIBLE_CORE=$core "$repo/scripts/ansible_test.sh" "$command" "$@" >"$log" 2>&1
  status=$?
  printf '%s\t%d\t%d\n' "$core" "$status" $(( (${EPOCHREALTIME/[.,]/} - start) / 1000000 )) >"$log.status"
}

pids=()
for core in "${cores[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
  run_one "$core" "$@" &
  pids+=($!)
done
wait "${pids[@]}"

failed=0
for core in "${cores[@]}"; do
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
