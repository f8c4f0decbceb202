#!/usr/bin/env bash
# make demo: build and install the collection, start a simulated mixed fleet, and show the whole
# story: converge from factory state, a second run with changed=0, a clean drift check, drift made
# behind Ansible's back, the drift check failing with its report, converging back, clean again.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
bin=$venv/bin
demo_dir=$repo/build/demo
collections=$demo_dir/collections
inventory=$demo_dir/inventory.yml
fleet=("$bin/python" "$repo/tools/sim_fleet.py")

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

declarations=(-i "$repo/inventories/simulator" --vault-password-file "$repo/inventories/simulator/vault-password.txt")
run_playbook() { "$bin/ansible-playbook" -i "$inventory" "${declarations[@]}" "$@"; }
reports=$demo_dir/reports

# PLAY RECAP lines: "<host> : ok=N changed=N unreachable=N failed=N ..."
recap_changed() { grep -E '^[^ ].* : ok=[0-9]+ +changed=' "$1" | grep -Ev 'changed=0 ' || true; }

step "first run of $playbook: converge every device from factory state (formats SD cards: allow_data_loss=true)"
run_playbook "$playbook" -e axis_storage_allow_data_loss=true

step "second run of $playbook: nothing may change"
log=$demo_dir/second-run.log
ANSIBLE_NOCOLOR=1 run_playbook "$playbook" | tee "$log"
if ! grep -Eq '^[^ ].* : ok=[0-9]+ +changed=' "$log"; then
  echo "demo: no PLAY RECAP in the second run's output ($log)" >&2
  exit 1
fi
changed_hosts=$(recap_changed "$log")
if [[ -n $changed_hosts ]]; then
  printf 'demo: the second run changed something (not idempotent):\n%s\n' "$changed_hosts" >&2
  exit 1
fi
step "second run: changed=0 on every host"

step "drift check of the converged fleet: must pass"
run_playbook playbooks/drift_check.yml -e axis_drift_report_dir="$reports"

# Out of band, as a technician with the web UI would: a shorter retention on one camera and a
# removed quota on another, straight through the simulator's control endpoint.
first_camera_port=$("$bin/python" -c 'import sys, yaml; hosts = yaml.safe_load(open(sys.argv[1]))["all"]["children"]["cameras"]["hosts"]; print(" ".join(str(h["axis_port"]) for h in list(hosts.values())[:2]))' "$inventory")
read -r drift_a drift_b <<< "$first_camera_port"
step "drift introduced behind Ansible's back on the devices at ports $drift_a and $drift_b"
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"disks": {"SD_DISK": {"cleanup_max_age": 3}}}' \
  "http://127.0.0.1:$drift_a/sim/state" >/dev/null
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"disks": {"SD_DISK": {"storage_limit_kb": 0}}}' \
  "http://127.0.0.1:$drift_b/sim/state" >/dev/null

step "drift check: must find the drift and exit non-zero"
set +e
ANSIBLE_NOCOLOR=1 run_playbook playbooks/drift_check.yml -e axis_drift_report_dir="$reports" > "$demo_dir/drift-run.log"
drift_status=$?
set -e
if [[ $drift_status -eq 0 ]]; then
  echo "demo: the drift check did not report the drift" >&2
  exit 1
fi
cat "$reports/drift.txt"
echo "(exit status $drift_status; JSON and JUnit reports in $reports)"

step "converge back: only the drifted devices change"
log=$demo_dir/converge-back.log
ANSIBLE_NOCOLOR=1 run_playbook "$playbook" | tee "$log"
changed_hosts=$(recap_changed "$log")
if [[ $(grep -c . <<< "$changed_hosts") -ne 2 ]]; then
  printf 'demo: expected exactly the 2 drifted devices to change, got:\n%s\n' "$changed_hosts" >&2
  exit 1
fi

step "drift check after converging back: must pass again"
run_playbook playbooks/drift_check.yml -e axis_drift_report_dir="$reports"
step "done: converge, changed=0, drift found, converged back, compliant"
