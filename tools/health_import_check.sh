#!/usr/bin/env bash
# make health-import: the brownfield import and the health report against a simulated fleet.
#   1. converge a mixed fleet (3 cameras, 1 recorder) with the example declarations
#      (inventories/simulator), as a hand-configured fleet would be;
#   2. a card renamed through the device's own API to a template that would run a command on the
#      controller; playbooks/import.yml writes one host_vars file per device; every device must
#      have one, and the renamed card's file holds the exact name, tagged !unsafe;
#   3. site.yml with only the imported declarations: changed=0 on every host;
#   4. drift_check.yml with only the imported declarations: exit 0; the command never ran;
#   5. health_report.yml: health.json/csv/html cover every device; exit 0 on the healthy fleet;
#      health.html opens in headless chromium (tools/check_health_html.py) without errors;
#   6. one card's wear set over the threshold (the simulator's control endpoint): the report must
#      fail the run and name that card; then a full disk that keeps less than its retention: fail;
#   7. a declared card removed (disks/list.cgi: disconnected): fail, naming the disk and its status;
#   8. one host's axis_storage a string, another's an undefined variable: those hosts are failing
#      rows, every device is still in the report, the run fails;
#   9. one device's address answering another web server's 404 to everything (the simulator's
#      not_axis fault): an error in the health report and in the drift check (both paths), both fail.
# The fleet is on SIM_HEALTH_BASE_PORT (default 18700..18703); stopped on exit, also on failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
bin=$venv/bin
work=$repo/build/health-import
fleet=("$bin/python" "$repo/tools/sim_fleet.py")
inventory=$repo/build/vapix-sim/health/health-inventory.yml
examples=(-i "$repo/inventories/simulator" --vault-password-file "$repo/inventories/simulator/vault-password.txt")

step() { printf '\n== health-import: %s\n' "$*"; }
fail() { echo "health-import: $*" >&2; exit 1; }
# PLAY RECAP lines: "<host> : ok=N changed=N unreachable=N failed=N ..."
recap_hosts() { grep -cE '^[^ ].* : ok=[0-9]+ +changed=' "$1" || true; }
recap_changed() { grep -E '^[^ ].* : ok=[0-9]+ +changed=' "$1" | grep -Ev 'changed=0 ' || true; }
sim_state() { curl -fsS -X POST -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$1/sim/state" >/dev/null; }
port_of() { "$bin/python" -c 'import sys, yaml
inv = yaml.safe_load(open(sys.argv[1]))["all"]["children"]
print(next(h["axis_port"] for g in inv.values() for n, h in (g.get("hosts") or {}).items() if n == sys.argv[2]))' "$inventory" "$1"; }
days_ago() { "$bin/python" -c 'import datetime, sys
print((datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=float(sys.argv[1]))).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"; }

cd "$repo"
export PATH=$bin:$PATH ANSIBLE_NOCOLOR=1 ANSIBLE_COLLECTIONS_PATH=$repo/build
"$bin/python" tools/build_collection_tree.py >/dev/null
tools/ensure_debian_packages.sh chromium
rm -rf "$work" && mkdir -p "$work"

step "start the fleet and converge it with the example declarations"
trap '"${fleet[@]}" stop health' EXIT
"${fleet[@]}" start health ${SIM_HEALTH_BASE_PORT:+--base-port "$SIM_HEALTH_BASE_PORT"}
hosts=$("$bin/ansible-inventory" -i "$inventory" --list | "$bin/python" -c 'import json, sys; print(" ".join(sorted(json.load(sys.stdin)["_meta"]["hostvars"])))')
count=$(wc -w <<< "$hosts")
ansible-playbook -i "$inventory" "${examples[@]}" playbooks/site.yml -e axis_storage_allow_data_loss=true > "$work/converge.log" \
  || { tail -40 "$work/converge.log"; fail "converging the example declarations failed"; }

marker=$work/ran-on-the-controller
card_name="{{ lookup('pipe', 'touch $marker') }}Lobby {#2}"
step "cam-0001's card renamed through its own API (param.cgi) to: $card_name"
curl -fsS --digest -u "root:$("$bin/python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["all"]["vars"]["axis_password"])' "$inventory")" \
  -G "http://127.0.0.1:$(port_of cam-0001)/axis-cgi/param.cgi" --data-urlencode action=update \
  --data-urlencode "Storage.S0.FriendlyName=$card_name" | grep -qx OK || fail "renaming cam-0001's card failed"

step "import every device ($hosts)"
ansible-playbook -i "$inventory" playbooks/import.yml -e axis_import_dir="$work/imported" > "$work/import.log" \
  || { tail -40 "$work/import.log"; fail "import.yml failed"; }
for host in $hosts; do
  file=$work/imported/host_vars/$host.yml
  [[ -s $file ]] || fail "no declaration was written for $host ($file)"
  grep -q '^axis_storage:' "$file" || fail "$file holds no axis_storage declaration"
done
grep -q 'share_password' "$work/imported/host_vars/cam-0001.yml" || fail "the camera's file does not name its write-only share password"
! grep -q 'Vapix-Sim-Root-2026\|vault_' "$work"/imported/host_vars/*.yml || fail "an imported file holds a secret or a vault reference"
# as Ansible reads it: the exact name, never a template
"$bin/python" - "$work/imported/host_vars/cam-0001.yml" "$card_name" <<'PY' || fail "cam-0001's file does not hold its card's exact name, untemplatable"
import sys
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
path, name = sys.argv[1], sys.argv[2]
assert "friendly_name: !unsafe " in open(path).read()
variables = DataLoader().load_from_file(path)
assert [d.get("friendly_name") for d in variables["axis_storage"]["disks"]][0] == name
assert Templar(loader=DataLoader(), variables=variables).template(trust_as_template("{{ axis_storage }}")) \
    == variables["axis_storage"]
PY

step "converge the imported declarations alone: changed=0 on every host"
ansible-playbook -i "$inventory" -i "$work/imported" playbooks/site.yml > "$work/converge-imported.log" \
  || { tail -40 "$work/converge-imported.log"; fail "converging the imported declarations failed"; }
[[ $(recap_hosts "$work/converge-imported.log") -eq $count ]] || fail "not every host ran (see $work/converge-imported.log)"
changed=$(recap_changed "$work/converge-imported.log")
[[ -z $changed ]] || fail "the imported declarations changed something:"$'\n'"$changed"

step "drift check of the imported declarations: exit 0"
ansible-playbook -i "$inventory" -i "$work/imported" playbooks/drift_check.yml -e axis_drift_report_dir="$work/drift" \
  > "$work/drift.log" || { tail -30 "$work/drift.log"; fail "the drift check of the imported declarations failed"; }
[[ ! -e $marker ]] || fail "a device name ran a command on the controller ($marker exists)"

health() {
  local dir=$1
  shift
  ansible-playbook -i "$inventory" "${examples[@]}" "$@" playbooks/health_report.yml -e axis_health_report_dir="$dir" > "$dir.log" 2>&1
}
step "health report of the healthy fleet: exit 0, every device in JSON, CSV and HTML"
health "$work/healthy" || { tail -30 "$work/healthy.log"; fail "the health report failed on a healthy fleet"; }
"$bin/python" - "$work/healthy" $hosts <<'PY'
import csv, json, sys
folder, hosts = sys.argv[1], set(sys.argv[2:])
report = json.load(open(folder + "/health.json"))
rows = list(csv.DictReader(open(folder + "/health.csv")))
html = open(folder + "/health.html").read()
assert set(r["device"] for r in report["rows"]) == hosts, report["rows"]
assert set(r["device"] for r in rows) == hosts and len(rows) == len(report["rows"]), rows
assert all('data-device="%s"' % h in html for h in hosts)
assert not report["failed"] and report["summary"]["devices"] == len(hosts)
print("health-import: %d rows for %d devices in health.json, health.csv and health.html" % (len(rows), len(hosts)))
PY
"$bin/python" tools/check_health_html.py "$work/healthy"

worn=cam-0002
step "$worn's SD card worn to 93 % (threshold 80): the report must fail and name it"
sim_state "$(port_of $worn)" '{"disks": {"SD_DISK": {"wear": 93}}}'
if health "$work/worn"; then fail "the health report passed with $worn's card at 93 % wear"; fi
grep -q "$worn SD_DISK: wear 93% >= 80%" "$work/worn.log" || { tail -20 "$work/worn.log"; fail "the failure does not name $worn's card"; }
"$bin/python" tools/check_health_html.py "$work/worn"

short=cam-0003
step "$short's card full, keeping 4 of its 30 days: a retention shortfall must fail the run"
sim_state "$(port_of "$worn")" '{"disks": {"SD_DISK": {"wear": 3}}}'
sim_state "$(port_of $short)" "{\"disks\": {\"SD_DISK\": {\"used_kb\": 65011712}}, \"recordings\": {\"r-old\": {\"disk_id\": \"SD_DISK\", \"start_time\": \"$(days_ago 4)\", \"stop_time\": \"$(days_ago 3)\"}}}"
if health "$work/short"; then fail "the health report passed with $short keeping 4 of 30 days on a full card"; fi
grep -q "$short SD_DISK: .*keeps 4.0 of 30 days" "$work/short.log" || { tail -20 "$work/short.log"; fail "the failure does not name $short's retention"; }
sim_state "$(port_of $short)" '{"disks": {"SD_DISK": {"used_kb": 0}}}'

removed=cam-0001
step "$removed's declared card removed (disks/list.cgi: disconnected): the report must fail naming the disk and its status"
sim_state "$(port_of $removed)" '{"disks": {"SD_DISK": {"present": false}}}'
if health "$work/removed"; then fail "the health report passed with $removed's declared card disconnected"; fi
grep -q "$removed SD_DISK: status disconnected: the declared disk is not there" "$work/removed.log" \
  || { tail -20 "$work/removed.log"; fail "the failure does not name $removed's disconnected card"; }
sim_state "$(port_of $removed)" '{"disks": {"SD_DISK": {"present": true}}}'

step "cam-0002's axis_storage is a string, rec-0004's an undefined variable: those hosts fail, every device is reported"
mkdir -p "$work/bad-declarations/host_vars"
echo 'axis_storage: just a string' > "$work/bad-declarations/host_vars/cam-0002.yml"
echo 'axis_storage: "{{ health_import_not_defined_anywhere }}"' > "$work/bad-declarations/host_vars/rec-0004.yml"
if health "$work/bad" -i "$work/bad-declarations"; then fail "the health report passed with two invalid declarations"; fi
[[ -s $work/bad/health.json ]] || { tail -20 "$work/bad.log"; fail "no report was written"; }
"$bin/python" - "$work/bad" $hosts <<'PY'
import json, sys
folder, hosts = sys.argv[1], set(sys.argv[2:])
rows = json.load(open(folder + "/health.json"))["rows"]
assert set(r["device"] for r in rows) == hosts, rows
invalid = dict((r["device"], r["problems"][0]) for r in rows if r["status"] == "invalid declaration")
assert sorted(invalid) == ["cam-0002", "rec-0004"], invalid
assert "health_import_not_defined_anywhere" in invalid["rec-0004"], invalid
# their disks and every other device's are still reported
assert set(r["device"] for r in rows if r.get("disk_id")) == hosts, rows
print("health-import: invalid declarations are their hosts' rows; all %d devices reported" % len(hosts))
PY
grep -q "cam-0002 -: invalid declaration: " "$work/bad.log" || { tail -20 "$work/bad.log"; fail "the failure does not name cam-0002's declaration"; }

stranger=cam-0001
stranger_port=$(port_of $stranger)
step "$stranger's address answers another web server's 404 to everything: an error in both reports, both fail"
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"not_axis": true}' "http://127.0.0.1:$stranger_port/sim/faults" >/dev/null
if health "$work/not-axis"; then fail "the health report passed with $stranger answering 404 to everything"; fi
grep -q "$stranger -: no data: http://127.0.0.1:$stranger_port is not an Axis device" "$work/not-axis.log" \
  || { tail -20 "$work/not-axis.log"; fail "the health report does not call $stranger an error"; }
for path in fleet per-host; do
  status=0
  ansible-playbook -i "$inventory" "${examples[@]}" playbooks/drift_check.yml -e axis_drift_report_dir="$work/drift-not-axis-$path" \
    -e axis_drift_per_host=$([[ $path == per-host ]] && echo true || echo false) > "$work/drift-not-axis-$path.log" 2>&1 || status=$?
  [[ $status -eq 2 ]] || { tail -30 "$work/drift-not-axis-$path.log"; fail "the drift check ($path) exited $status, not 2"; }
  "$bin/python" - "$work/drift-not-axis-$path/drift.json" "$stranger" <<'PY'
import json, sys
report, host = json.load(open(sys.argv[1])), sys.argv[2]
device = report["devices"][host]
assert device["class"] == "error", device
assert device["resources"][0]["resource"] == "device" and "is not an Axis device" in device["resources"][0]["msg"], device
assert not any(e["class"] == "unsupported" for e in device["resources"]), device
PY
done
curl -fsS -X DELETE "http://127.0.0.1:$stranger_port/sim/faults" >/dev/null
[[ ! -e $marker ]] || fail "a device name ran a command on the controller ($marker exists)"
step "done: imported, converged changed=0, no drift; the health report renders and fails on wear, retention, a missing card, invalid declarations and a host that is no Axis device"
