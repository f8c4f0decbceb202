#!/usr/bin/env bash
# Run ansible-test on the collection tree built from this checkout:
#   [ANSIBLE_CORE=2.16] ansible_test.sh sanity|units|integration [extra ansible-test arguments]
# ANSIBLE_CORE=<minor> (default: the newest of tools/requirements/cores/) runs that ansible-core's
# ansible-test from its venv, .venv-cores/<minor> (tools/core_venv.sh), on a tree of its own,
# build/core-<minor>/<command>/ansible_collections/..., so the cores of the matrix, and sanity
# and units of one core, can run side by side. It runs `ansible-test <command> --local --python
# 3.12 --python-interpreter <that venv's python>`: the venv already holds what units and
# integration need (tools/requirements/core-tests.txt and the collection's test requirements,
# installed with uv when the venv is built). With --venv --requirements instead, ansible-test made
# a venv of its own and ran pip into it on every run: about 3 s of CPU per run when nothing had
# changed, 25-30 s per run on a machine with cold caches (docs/development.md, "Measured times").
#
# Each ansible-core version and command (sanity, units) gets its own ansible-test HOME, with a lock:
#   ${VAPIX_ANSIBLE_TEST_CACHE:-~/.cache/vapix.edge_storage/ansible-test}/<core version>/<command>
# ansible-test caches the sanity tests' venvs in ~/.ansible/test/venv/<test>/<python>/<hash>, the
# hash being the same for every core with the same requirements: two runs sharing a HOME built the
# same venv at once and broke it. Here runs of different cores or commands never share one, and
# two runs of the same core and command (two checkouts, CI beside a developer) take turns
# (flock). The cache outlives the checkout, so a fresh clone's CI reuses it; an empty HOME
# starts cold. What is safe to share is linked in: pip's download cache (pip writes it
# atomically) and the user's pip configuration. The sanity venvs get pip from the seeded
# get-pip stand-in (tools/seed_pip_bootstrap.py).
# Integration keeps the user's HOME (see below), with the same lock per core.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
command=${1:?usage: ansible_test.sh sanity|units|integration [args]}
shift

tree_options=()
case $command in
  # Unit tests start simulated devices in-process: they import vapix_sim from the tree.
  units) tree_options=(--with-simulator) ;;
  # INTEGRATION_CONFIG_FILE: the fleets of one integration shard (tools/run_integration.sh)
  integration) tree_options=(--with-integration-config ${INTEGRATION_CONFIG_FILE:+--integration-config "$INTEGRATION_CONFIG_FILE"}) ;;
  sanity) ;;
  *) echo "ansible_test.sh: unknown command '$command'" >&2; exit 2 ;;
esac

if [[ -z ${ANSIBLE_CORE:-} ]]; then
  ANSIBLE_CORE=$(ls "$repo/tools/requirements/cores" | sed -n 's/^ansible-core-\(.*\)\.txt$/\1/p' | sort -V | tail -n 1)
fi
test_venv=$("$repo/tools/core_venv.sh" "$ANSIBLE_CORE")
dest=$repo/build/core-$ANSIBLE_CORE/$command
# an integration shard has a tree (and a lock) of its own
instance=${INTEGRATION_INSTANCE:+-$INTEGRATION_INSTANCE}
if [[ $command == integration ]]; then dest=$dest$instance; fi
tree=$("$venv/bin/python" "$repo/tools/build_collection_tree.py" --dest "$dest" "${tree_options[@]}")

core_release=$("$test_venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')
# everything this script keeps for one ansible-core release: ansible-test HOMEs and locks
cache=${VAPIX_ANSIBLE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vapix.edge_storage/ansible-test}/$core_release
test_home=$cache/$command
if [[ $command == integration ]]; then
  # Integration keeps the user's HOME: its playbooks run on the local host, where `~` (async job
  # files in ~/.ansible_async, ~/.ansible/tmp) must be the same for every process of the run, and
  # it builds no shared venv (its venv is in the tree's tests/output); the lock still serialises
  # two integration runs of one core.
  test_home=$HOME
  mkdir -p "$cache"
  exec 9>"$cache/integration$instance.lock"
else
  mkdir -p "$test_home/.cache" "$test_home/.config"
  exec 9>"$test_home.lock"
fi
if ! flock --nonblock 9; then
  echo "ansible_test.sh: another ansible-test $command on ansible-core $core_release uses $test_home; waiting" >&2
  flock 9
fi
if [[ $test_home != "$HOME" ]]; then
  # pip's cache: $PIP_CACHE_DIR, else the user's (~/.cache/pip); configuration: ~/.config/pip.
  pip_cache=${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}
  mkdir -p "$pip_cache"
  ln -sfn "$pip_cache" "$test_home/.cache/pip"
  if [[ -d ${XDG_CONFIG_HOME:-$HOME/.config}/pip ]]; then
    ln -sfn "${XDG_CONFIG_HOME:-$HOME/.config}/pip" "$test_home/.config/pip"
  fi
fi
HOME=$test_home "$test_venv/bin/python" "$repo/tools/seed_pip_bootstrap.py" --uv "$("$repo/tools/ensure_uv.sh")"

if [[ $command == units ]]; then
  # The tests that read real captures (tools/simulator/tests/real_captures.py) get CI and
  # VAPIX_REAL_CAPTURES (and where the checkout is) from a file: ansible-test passes the unit tests
  # no environment, and the tree they run in lies inside the checkout.
  case ${CI:-} in 1|true|TRUE|True|yes) required=true ;; *) required=false ;; esac
  "$venv/bin/python" -c 'import json, sys; print(json.dumps({"captures": sys.argv[1] or None, "required": sys.argv[2] == "true", "checkout": sys.argv[3]}))' \
    "${VAPIX_REAL_CAPTURES:-}" "$required" "$repo" >"$tree/tools/simulator/tests/real_captures.json"
fi

if [[ $command == units ]] && ! find "$tree/tests/unit" -name 'test_*.py' -print -quit | grep -q .; then
  # ansible-test reports "All targets skipped" and succeeds: a gate that cannot fail.
  echo "ansible_test.sh: tests/unit holds no test_*.py files; the units gate has nothing to run" >&2
  exit 1
fi

if [[ $command == integration ]]; then
  # ansible-test's SSH key pair: it takes one from the tree's tests/output/.tmp first, else
  # makes ~/.ansible/test/id_rsa, where two integration runs started at once on a cold HOME both
  # ran ssh-keygen on the same file and one failed ("already exists"). One pair per tree, made
  # as ansible-test makes it (PEM, RSA, no passphrase).
  key=$tree/tests/output/.tmp/id_rsa
  if [[ ! -f $key || ! -f $key.pub ]]; then
    mkdir -p "$(dirname "$key")"
    rm -f "$key" "$key.pub"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$key"
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
  fi
fi

cd "$tree"
# The tree lies inside this git checkout (in an ignored directory). Without this variable
# ansible-test would take the checkout's git index as the file list and find nothing.
export ANSIBLE_TEST_CONTENT_ROOT=$tree
core_version=$("$test_venv/bin/ansible" --version)
echo "ansible_test.sh: ${core_version%%$'\n'*}: $command" >&2
export HOME=$test_home
exec "$test_venv/bin/ansible-test" "$command" --local --python 3.12 --python-interpreter "$test_venv/bin/python" "$@"
