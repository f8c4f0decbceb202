#!/usr/bin/env bash
# Run one quality gate with a banner and its wall time:  gate.sh NAME COMMAND [ARGS...]
# Times are appended to $GATE_TIMES (default build/gate-times.txt); `gate.sh --summary`
# prints them. The exit status is the command's. Besides the wall time, the CPU time (user +
# system) of the gate's processes: on a machine shared with other work the wall time says little,
# and CPU time / cores is what the gate needs at least on an idle one.
# Kept next to antsibull-nox: nox times only its own sessions, and most gates here are not nox
# sessions (ansible-test without Docker, the simulator's pytest, molecule, the docs site).
set -uo pipefail

times_file=${GATE_TIMES:-build/gate-times.txt}

if [[ ${1:-} == --summary ]]; then
  [[ -s $times_file ]] || exit 0
  printf '\n== gate times ==\n'
  awk -F'\t' '{ printf "  %-16s %-7s %8.1f s  CPU %8.1f s\n", $1, $2, $3, $4; total += $3; cpu += $4 }
              END { printf "  %-16s %-7s %8.1f s  CPU %8.1f s\n", "total", "", total, cpu }' "$times_file"
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
# `times`, second line: user and system time of this shell's finished children, e.g. "1m2.500s 0m3.250s"
# (run in this shell, not a pipeline's subshell, which has no children of its own)
times_out=$(mktemp)
times >"$times_out"
cpu=$(tail -n 1 "$times_out" | awk '{ total = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); total += t[1] * 60 + t[2] }
                                     printf "%.1f", total }')
rm -f "$times_out"
if (( status == 0 )); then
  result=passed
  printf '<== [%s] passed in %s s (CPU %s s)\n' "$name" "$seconds" "$cpu"
else
  result=FAILED
  printf '<== [%s] FAILED (exit %d) after %s s (CPU %s s)\n' "$name" "$status" "$seconds" "$cpu" >&2
fi
printf '%s\t%s\t%s\t%s\n' "$name" "$result" "$seconds" "$cpu" >>"$times_file"
exit "$status"
