#!/usr/bin/env bash
# Run ansible-test on the collection tree built from this checkout:
#   ansible_test.sh sanity|units|integration [extra ansible-test arguments]
# Builds/synchronises build/ansible_collections/vapix/edge_storage, seeds the offline pip
# bootstrap, then runs `ansible-test <command> --venv --requirements --python 3.11` there.
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
  integration) tree_options=(--with-integration-config) ;;
  sanity) ;;
  *) echo "ansible_test.sh: unknown command '$command'" >&2; exit 2 ;;
esac

tree=$("$venv/bin/python" "$repo/scripts/build_collection_tree.py" "${tree_options[@]}")
"$venv/bin/python" "$repo/scripts/seed_pip_bootstrap.py"

if [[ $command == units ]] && ! find "$tree/tests/unit" -name 'test_*.py' -print -quit | grep -q .; then
  # ansible-test reports "All targets skipped" and succeeds: a gate that cannot fail.
  echo "ansible_test.sh: tests/unit holds no test_*.py files; the units gate has nothing to run" >&2
  exit 1
fi

cd "$tree"
# The tree lies inside this git checkout (in an ignored directory). Without this variable
# ansible-test would take the checkout's git index as the file list and find nothing.
export ANSIBLE_TEST_CONTENT_ROOT=$tree
exec "$venv/bin/ansible-test" "$command" --venv --requirements --python 3.11 "$@"
