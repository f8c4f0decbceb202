#!/usr/bin/env bash
# Print the path of the Python the project runs on (3.12), found as a user's machine has it:
#   find_python.sh            -> e.g. /usr/bin/python3.12 or ~/.pyenv/versions/3.12.1/bin/python3.12
# 1. $PYTHON if set (must run and be 3.12);
# 2. python3.12 on PATH, if it actually runs (pyenv's shim is on PATH but fails with "command not
#    found" until a 3.12 version is selected, so existence is not enough);
# 3. pyenv's installed versions, newest 3.12.x first: $(pyenv root), $PYENV_ROOT, ~/.pyenv, and the
#    PYENV_ROOT the python3.12 shim itself names (under an empty HOME ~/.pyenv is not there, but
#    the shim still points at the pyenv that wrote it).
# Exit status 1 with what was tried when none runs.
#   find_python.sh --is PATH  -> exit status 0 if PATH runs as Python 3.12 (a venv to keep or rebuild)
set -uo pipefail
wanted=3.12

runs() {  # runs PATH: the interpreter starts and is Python $wanted
  [[ -n $1 ]] && "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$wanted' else 1)" \
    >/dev/null 2>&1
}

if [[ ${1:-} == --is ]]; then
  runs "${2:?usage: find_python.sh --is PATH}"
  exit
fi

tried=()
if [[ -n ${PYTHON:-} ]]; then
  candidate=$(command -v "$PYTHON" 2>/dev/null || true)
  if runs "$candidate"; then echo "$candidate"; exit 0; fi
  echo "find_python.sh: PYTHON=$PYTHON does not run as Python $wanted" >&2
  exit 1
fi

on_path=$(command -v "python$wanted" 2>/dev/null || true)
if runs "$on_path"; then echo "$on_path"; exit 0; fi
tried+=("python$wanted on PATH (${on_path:-absent})")

roots=()
if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root 2>/dev/null)"); fi
roots+=("${PYENV_ROOT:-}" "${HOME:-}/.pyenv")
if [[ -n $on_path ]] && shim_root=$(sed -n 's/^export PYENV_ROOT="\(.*\)"$/\1/p' "$on_path" 2>/dev/null); then
  roots+=("$shim_root")
fi
for root in "${roots[@]}"; do
  [[ -n $root && -d $root/versions ]] || continue
  # Newest patch release first (sort -V), skipping e.g. 3.12-dev builds that do not run.
  while read -r candidate; do
    if runs "$candidate"; then echo "$candidate"; exit 0; fi
  done < <(ls -d "$root"/versions/$wanted*/bin/python$wanted 2>/dev/null | sort -rV)
  tried+=("$root/versions/$wanted*")
done

printf 'find_python.sh: no working Python %s; tried: %s.\n' "$wanted" "$(IFS=';'; echo "${tried[*]}")" >&2
printf 'Install Python %s (e.g. apt-get install python%s-venv, or pyenv install %s) or set PYTHON=/path/to/python%s.\n' \
  "$wanted" "$wanted" "$wanted" "$wanted" >&2
exit 1
