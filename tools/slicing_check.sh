#!/usr/bin/env bash
# make slicing: AWX / Automation Platform job slicing, run for real with ansible-runner.
#   1. a simulated fleet of 9 devices, converged with the example declarations; then two cameras
#      drifted and one card worn out behind Ansible's back (the simulator's control endpoint);
#   2. the drift check and the health report in one run over the fleet (ansible-playbook);
#   3. the same in 3 slices as AWX deals them (hosts sorted by name, host i in slice i mod 3),
#      each slice its own `ansible-runner run` with its pared-down inventory and its own report
#      directory, the 3 at the same time;
#   4. playbooks/merge_reports.yml merges the slices' reports; the merged drift.{json,xml,txt}
#      and health.{json,csv,html} must equal the single run's (tools/compare_reports.py:
#      timestamps and durations aside) and the merge must exit as the single run did;
#   5. the merge inputs as an AWX workflow passes them (each slice's set_stats artifact, the
#      merge template's extra variable of docs/guide.md) give the same report;
#   6. a device in two inputs must fail the merge, naming the device and both inputs.
# The fleet is on SIM_SLICING_BASE_PORT (default 18800..18808); stopped on exit, also on failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
bin=$venv/bin
work=$repo/build/slicing
slices=3
fleet=("$bin/python" "$repo/tools/sim_fleet.py")
inventory=$repo/build/vapix-sim/slicing/slicing-inventory.yml
vault_file=$repo/inventories/simulator/vault-password.txt
examples=(-i "$repo/inventories/simulator" --vault-password-file "$vault_file")
started=$SECONDS

step() { printf '\n== slicing: %s (%ds)\n' "$*" $((SECONDS - started)); }
fail() { echo "slicing: $*" >&2; exit 1; }
sim_state() { curl -fsS -X POST -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$1/sim/state" >/dev/null; }
port_of() { "$bin/python" -c 'import sys, yaml
inv = yaml.safe_load(open(sys.argv[1]))["all"]["children"]
print(next(h["axis_port"] for g in inv.values() for n, h in (g.get("hosts") or {}).items() if n == sys.argv[2]))' "$inventory" "$1"; }
json_list() { "$bin/python" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }

cd "$repo"
export PATH=$bin:$PATH ANSIBLE_NOCOLOR=1 ANSIBLE_COLLECTIONS_PATH=$repo/build
"$bin/python" tools/build_collection_tree.py >/dev/null
rm -rf "$work" && mkdir -p "$work"

step "start a fleet of 9 devices and converge it"
trap '"${fleet[@]}" stop slicing' EXIT
"${fleet[@]}" start slicing ${SIM_SLICING_BASE_PORT:+--base-port "$SIM_SLICING_BASE_PORT"}
ansible-playbook -i "$inventory" "${examples[@]}" playbooks/site.yml -e axis_storage_allow_data_loss=true \
  > "$work/converge.log" || { tail -40 "$work/converge.log"; fail "converging the fleet failed"; }

step "drift cam-0002 and cam-0007 (other slices), wear out cam-0005's card"
sim_state "$(port_of cam-0002)" '{"disks": {"SD_DISK": {"cleanup_max_age": 3}}}'
sim_state "$(port_of cam-0007)" '{"disks": {"SD_DISK": {"storage_limit_kb": 0}}}'
sim_state "$(port_of cam-0005)" '{"disks": {"SD_DISK": {"wear": 93}}}'

# run_single KIND PLAYBOOK: one ansible-playbook run over the whole fleet; its exit status in
# $work/single/KIND.rc
run_single() {
  local kind=$1 playbook=$2 status=0
  ansible-playbook -i "$inventory" "${examples[@]}" "$playbook" -e "axis_${kind}_report_dir=$work/single/$kind" \
    > "$work/single-$kind.log" 2>&1 || status=$?
  echo "$status" > "$work/single/$kind.rc"
  echo "single $kind run: exit $status"
}

# run_slices KIND PLAYBOOK: one `ansible-runner run` per slice, all at once, as AWX runs its slice
# jobs: a private data directory each with the slice's inventory (the example group_vars beside
# it), the job's variables in env/extravars (awx_job_id, the slice's report directory), and the
# project's playbook of the guide (docs/guide.md, "Job slicing"): record the report directory as
# a set_stats artifact for the merge node, then the collection's playbook.
run_slices() {
  local kind=$1 playbook=$2 k pids=() status
  for ((k = 1; k <= slices; k++)); do
    local private=$work/runner/$kind-$k
    mkdir -p "$private/inventory" "$private/env" "$private/project"
    cp "$work/slice-$k.yml" "$private/inventory/hosts.yml"
    ln -s "$repo/inventories/simulator/group_vars" "$private/inventory/group_vars"
    printf 'awx_job_id: %d\naxis_%s_report_dir: %s\n' $((1000 + k)) "$kind" "$work/slices/$kind-$k" > "$private/env/extravars"
    cat > "$private/project/$kind.yml" <<EOF
- name: Record where this slice's report goes, for the merge node
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Record the report directory as a workflow artifact
      ansible.builtin.set_stats:
        data:
          "axis_report_slice_{{ awx_job_id }}": "{{ axis_${kind}_report_dir }}"
        per_host: false

- name: The collection's playbook
  ansible.builtin.import_playbook: vapix.edge_storage.$playbook
EOF
    ansible-runner run "$private" -p "$kind.yml" --cmdline "--vault-password-file $vault_file" \
      > "$work/slice-$kind-$k.log" 2>&1 &
    pids+=($!)
  done
  for ((k = 1; k <= slices; k++)); do
    status=0
    wait "${pids[k - 1]}" || status=$?
    echo "$status" > "$work/slices/$kind-$k.rc"
    echo "$kind slice $k: exit $status"
    [[ -s $work/slices/$kind-$k/$kind.json ]] || { tail -30 "$work/slice-$kind-$k.log"; fail "$kind slice $k wrote no report"; }
  done
}

# artifacts KIND: the slices' set_stats artifacts (ansible-runner's playbook_on_stats events),
# combined as an AWX workflow combines them for the next node: one dictionary, later jobs' keys
# over earlier ones'.
artifacts() {
  "$bin/python" - "$work/runner/$1"-* <<'PY'
import glob, json, sys
combined = {}
for private in sys.argv[1:]:
    for path in glob.glob(private + "/artifacts/*/job_events/*.json"):
        event = json.load(open(path))
        if event.get("event") == "playbook_on_stats":
            combined.update(event["event_data"].get("artifact_data") or {})
print(json.dumps(combined))
PY
}

# merge_and_compare KIND: merge_reports.yml over the slices' directories; the reports must equal
# the single run's and the exit status must be the same.
merge_and_compare() {
  local kind=$1 status=0 inputs k
  inputs=$(json_list $(for ((k = 1; k <= slices; k++)); do echo "$work/slices/$kind-$k"; done))
  ansible-playbook playbooks/merge_reports.yml -e "{\"axis_report_inputs\": $inputs}" \
    -e "axis_${kind}_report_dir=$work/merged/$kind" > "$work/merge-$kind.log" 2>&1 || status=$?
  echo "merged $kind: exit $status (single run: $(cat "$work/single/$kind.rc"))"
  [[ $status -eq $(cat "$work/single/$kind.rc") ]] \
    || { tail -20 "$work/merge-$kind.log"; fail "the merge of the $kind reports exited $status, the single run $(cat "$work/single/$kind.rc")"; }
  same_failure "$work/single-$kind.log" "$work/merge-$kind.log" "$work/single/$kind" "$work/merged/$kind"
  "$bin/python" tools/compare_reports.py "$kind" "$work/single/$kind" "$work/merged/$kind"
}

# same_failure SINGLE_LOG MERGE_LOG SINGLE_DIR MERGED_DIR: the failed tasks say the same (the
# report directory aside), so the merge failed on the verdict, not for another reason.
same_failure() {
  "$bin/python" - "$@" <<'PY'
import re, sys
def failure(log, folder):
    text = open(log).read()
    found = re.findall(r'^fatal: \[[^]]+\]: FAILED! => .*"msg": "(.*)"\}$', text, re.M)
    return [message.replace(folder, "<report dir>") for message in found]
single, merged = failure(sys.argv[1], sys.argv[3]), failure(sys.argv[2], sys.argv[4])
if single != merged:
    sys.exit("slicing: the merge failed with %r, the single run with %r" % (merged, single))
print("failure message: %s" % (single or ["none"])[0][:160])
PY
}

mkdir -p "$work/single" "$work/slices" "$work/merged"
step "drift check and health report in one run over the fleet"
run_single drift playbooks/drift_check.yml
run_single health playbooks/health_report.yml
[[ $(cat "$work/single/drift.rc") -ne 0 && $(cat "$work/single/health.rc") -ne 0 ]] \
  || fail "the single runs should fail on the drift and the worn card (see $work/single-*.log)"

step "split the inventory into $slices slices as AWX does"
"$bin/python" tools/slice_inventory.py "$inventory" "$slices" "$work/slice-"

step "drift check in $slices slices at once, each its own ansible-runner run"
run_slices drift drift_check
step "health report in $slices slices at once"
run_slices health health_report

step "merge the drift reports: equal to the single run, same exit status"
merge_and_compare drift
step "merge the health reports: equal to the single run, same exit status"
merge_and_compare health

step "the inputs as an AWX workflow passes them: the slices' set_stats artifacts (docs/guide.md)"
status=0
slice_artifacts=$(artifacts drift)
echo "artifacts of the drift slices: $slice_artifacts"
# The merge template's extra variable in the guide, verbatim.
from_artifacts="{{ query('ansible.builtin.vars', *query('ansible.builtin.varnames', '^axis_report_slice_')) }}"
ansible-playbook playbooks/merge_reports.yml -e "$slice_artifacts" \
  -e "$("$bin/python" -c 'import json, sys; print(json.dumps({"axis_report_inputs": sys.argv[1]}))' "$from_artifacts")" \
  -e "axis_drift_report_dir=$work/merged/artifacts" > "$work/merge-artifacts.log" 2>&1 || status=$?
[[ $status -eq $(cat "$work/single/drift.rc") ]] || { tail -20 "$work/merge-artifacts.log"; fail "the merge from artifacts exited $status"; }
"$bin/python" tools/compare_reports.py drift "$work/single/drift" "$work/merged/artifacts"

step "a device in two inputs: the merge must fail and name it and both inputs"
cp -r "$work/slices/drift-2" "$work/slices/drift-2-again"
status=0
ansible-playbook playbooks/merge_reports.yml \
  -e "{\"axis_report_inputs\": $(json_list "$work/slices/drift-1" "$work/slices/drift-2" "$work/slices/drift-3" "$work/slices/drift-2-again")}" \
  -e "axis_drift_report_dir=$work/merged/overlap" > "$work/merge-overlap.log" 2>&1 || status=$?
[[ $status -ne 0 ]] || fail "the merge passed with cam-0002's slice given twice"
grep -q "cam-0002 in $work/slices/drift-2/drift.json and $work/slices/drift-2-again/drift.json" "$work/merge-overlap.log" \
  || { tail -20 "$work/merge-overlap.log"; fail "the failure does not name cam-0002 and both inputs"; }
[[ ! -e $work/merged/overlap ]] || fail "the failed merge wrote reports"
echo "overlapping inputs: exit $status, named cam-0002 and both inputs, nothing written"

step "done: $slices slices under ansible-runner merge to the single run's drift and health reports"
