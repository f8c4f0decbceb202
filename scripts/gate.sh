#!/usr/bin/env bash
# Run one quality gate with a banner and its wall time:  gate.sh NAME COMMAND [ARGS...]
# Times are appended to $GATE_TIMES (default build/gate-times.txt); `gate.sh --summary`
# prints them. The exit status is the command's.
# Kept next to antsibull-nox: nox times only its own sessions, and most gates here are not nox
# sessions (ansible-test without Docker, the simulator's pytest, molecule, the docs site).
set -uo pipefail

times_file=${GATE_TIMES:-build/gate-times.txt}

if [[ ${1:-} == --summary ]]; then
  [[ -s $times_file ]] || exit 0
  printf '\n== gate times ==\n'
  awk -F'\t' '{ printf "  %-16s %-7s %8.1f s\n", $1, $2, $3; total += $3 }
              END { printf "  %-16s %-7s %8.1f s\n", "total", "", total }' "$times_file"
  exit 0
fi

name=$1
shift
mkdir -p "$(dirname "$times_file")"
printf '\n==> [%s] %s\n' "$name" "$*"
start=${EPOCHREALTIME/[.,]/}
"$@"
status=$?
elapsed=$(( ${EPOCHREALTIME/[.,]/} - start ))
seconds=$(printf '%d.%01d' $(( elapsed / 1000000 )) $(( elapsed % 1000000 / 100000 )))
if (( status == 0 )); then
  result=passed
  printf '<== [%s] passed in %s s\n' "$name" "$seconds"
else
  result=FAILED
  printf '<== [%s] FAILED (exit %d) after %s s\n' "$name" "$status" "$seconds" >&2
fi
printf '%s\t%s\t%s\n' "$name" "$result" "$seconds" >>"$times_file"
exit "$status"
