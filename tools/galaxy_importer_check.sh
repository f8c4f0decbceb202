#!/usr/bin/env bash
# Gate: the collection tarball as Galaxy would import it.
#   - `ansible-galaxy collection build` into build/galaxy-importer/
#   - `python -m galaxy_importer.main <tarball>` (config: tools/galaxy-importer.cfg) in its own
#     venv, .venv-importer (tools/requirements/importer.txt), with that venv's bin first on PATH:
#     galaxy-importer looks ansible-doc up there and silently skips what it does not find
#   - fails on the importer's exit status, on every ERROR: or WARNING: line of its log (the log
#     Galaxy publishes with the collection: lint findings, metadata problems) and on a module or
#     plugin for which it found no documentation
# Kept instead of antsibull-nox's build-import-check session, which reports the importer's
# errors as non-fatal warnings.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
importer_venv=$repo/.venv-importer
[[ -f $importer_venv/.installed ]] || { echo "galaxy-importer: $importer_venv missing (make venv installs it)" >&2; exit 1; }
out=$repo/build/galaxy-importer
rm -rf "$out" && mkdir -p "$out"

"$venv/bin/ansible-galaxy" collection build "$repo" --output-path "$out" --force >/dev/null
tarball=$(ls "$out"/vapix-edge_storage-*.tar.gz)

# Galaxy refuses a collection without `repository` ("Invalid collection metadata"), and this one
# has no public repository to name yet. Until galaxy.yml has one, the tarball built here (a
# throwaway in build/) gets a MANIFEST.json naming a stand-in, so that everything else is checked
# as shipped; the gate says so on every run. Once galaxy.yml has `repository`, the tarball goes in
# unchanged.
standin=https://example.invalid/vapix/edge_storage
status=0
"$venv/bin/python" - "$tarball" "$standin" <<'PY' || status=$?
import io, json, sys, tarfile
path, standin = sys.argv[1], sys.argv[2]
with tarfile.open(path) as tar:
    members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
manifest = next(json.loads(data) for m, data in members if m.name == "MANIFEST.json")
if manifest["collection_info"].get("repository"):
    sys.exit(0)
manifest["collection_info"]["repository"] = standin
data = json.dumps(manifest, indent=1).encode()
with tarfile.open(path, "w:gz") as tar:
    for member, content in members:
        if member.name == "MANIFEST.json":
            content, member.size = data, len(data)
        tar.addfile(member, io.BytesIO(content) if content is not None else None)
sys.exit(3)
PY
if (( status == 3 )); then
  echo "galaxy-importer: galaxy.yml names no repository; the importer checks the tarball with" \
       "repository: $standin (Galaxy would refuse the upload until galaxy.yml has one)"
elif (( status != 0 )); then
  echo "galaxy-importer: could not read $tarball" >&2; exit 1
fi

log=$out/import.log
status=0
(cd "$out" && PATH=$importer_venv/bin:$PATH GALAXY_IMPORTER_CONFIG=$repo/tools/galaxy-importer.cfg \
  "$importer_venv/bin/python" -m galaxy_importer.main "$(basename "$tarball")") > "$log" 2>&1 || status=$?
findings=$(grep -E '^(ERROR|WARNING|CRITICAL):' "$log" || true)
if (( status != 0 )) || [[ -n $findings ]] || ! grep -q '^Importer processing completed successfully' "$log"; then
  echo "galaxy-importer: $(basename "$tarball") is not clean (exit $status; log: $log):" >&2
  if [[ -n $findings ]]; then echo "$findings" >&2; else tail -20 "$log" >&2; fi
  exit 1
fi
# What Galaxy would render: the documentation ansible-doc gave for every module and plugin
# (action plugins, doc fragments, module_utils, playbooks and roles carry none of their own).
summary=$("$venv/bin/python" - "$out/importer_result.json" <<'PY'
import json, sys
contents = json.load(open(sys.argv[1], encoding="utf-8"))["docs_blob"]["contents"]
undocumented = ("action", "doc_fragments", "module_utils", "playbook", "role")
documented = [c for c in contents if c["content_type"] not in undocumented]
missing = sorted("%s %s" % (c["content_type"], c["content_name"]) for c in documented if not c["doc_strings"])
if missing or not documented:
    sys.exit("galaxy-importer: no documentation for: %s" % (", ".join(missing) or "any module"))
print("%d contents, %d of them with documentation" % (len(contents), len(documented)))
PY
)
version=$("$importer_venv/bin/python" -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))')
echo "galaxy-importer: $(basename "$tarball") imports cleanly (galaxy-importer $version; $summary)"
