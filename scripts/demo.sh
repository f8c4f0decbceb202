#!/usr/bin/env bash
# make demo: build and install the collection, start a simulated mixed fleet, run
# playbooks/site.yml against it twice and require the second run to change nothing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
bin=$venv/bin
demo_dir=$repo/build/demo
collections=$demo_dir/collections
inventory=$demo_dir/inventory.yml
fleet=("$bin/python" "$repo/scripts/sim_fleet.py")

step() { printf '\n== demo: %s\n' "$*"; }

cd "$repo"

step "build the collection and install it into build/demo/collections"
rm -rf "$demo_dir/dist" "$collections"
"$bin/ansible-galaxy" collection build --force --output-path "$demo_dir/dist" .
# Only the installed copy is on the collection path, so the demo runs what a user would get.
export ANSIBLE_COLLECTIONS_PATH=$collections
"$bin/ansible-galaxy" collection install --force -p "$collections" "$demo_dir"/dist/vapix-edge_storage-*.tar.gz

step "start a simulated fleet (8 devices: cameras and recorders)"
trap '"${fleet[@]}" stop demo' EXIT
"${fleet[@]}" start demo ${SIM_DEMO_BASE_PORT:+--base-port "$SIM_DEMO_BASE_PORT"}
"$bin/ansible-inventory" -i "$inventory" --graph

playbook=${DEMO_PLAYBOOK:-playbooks/site.yml}
if [[ ! -f $playbook ]]; then
  step "$playbook does not exist yet: checking that every device answers instead"
  "$bin/ansible-doc" -l vapix.edge_storage
  "$bin/ansible" all -i "$inventory" -m ansible.builtin.uri \
    -a 'url=http://{{ axis_host }}:{{ axis_port }}/axis-cgi/disks/list.cgi?diskid=all url_username={{ axis_username }} url_password={{ axis_password }}' \
    | grep -E '^[^ ]+ \| '   # one line per device: "<host> | SUCCESS => {
  exit 0
fi

step "first run of $playbook"
"$bin/ansible-playbook" -i "$inventory" "$playbook"

step "second run of $playbook: nothing may change"
log=$demo_dir/second-run.log
ANSIBLE_NOCOLOR=1 "$bin/ansible-playbook" -i "$inventory" "$playbook" | tee "$log"
# PLAY RECAP lines: "<host> : ok=N changed=N unreachable=N failed=N ..."
if ! grep -Eq '^[^ ].* : ok=[0-9]+ +changed=' "$log"; then
  echo "demo: no PLAY RECAP in the second run's output ($log)" >&2
  exit 1
fi
changed_hosts=$(grep -E '^[^ ].* : ok=[0-9]+ +changed=' "$log" | grep -Ev 'changed=0 ' || true)
if [[ -n $changed_hosts ]]; then
  printf 'demo: the second run changed something (not idempotent):\n%s\n' "$changed_hosts" >&2
  exit 1
fi
step "second run: changed=0 on every host"
