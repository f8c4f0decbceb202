#!/usr/bin/env bash
# Gate: the execution environment definition is accepted by ansible-builder, and the collection
# tarball it installs carries the dependency metadata ansible-builder reads.
#   - builds the collection tarball into build/ee/
#   - `ansible-builder create` writes the build context (no container engine needed)
# Kept instead of antsibull-nox's ee-check session, which runs `ansible-builder build` and so
# needs a container engine, which these machines do not have.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
out=$repo/build/ee
rm -rf "$out" && mkdir -p "$out"

"$venv/bin/ansible-galaxy" collection build "$repo" --output-path "$out" --force >/dev/null
tarball=$(ls "$out"/vapix-edge_storage-*.tar.gz)
cp "$tarball" "$out/vapix-edge_storage.tar.gz"
members=$(tar -tzf "$tarball")
for member in meta/execution-environment.yml requirements.txt meta/runtime.yml; do
  grep -qx "$member" <<< "$members" || { echo "ee: $member missing from $tarball" >&2; exit 1; }
done
if grep -qE '^(tools|inventories|\.venv|build)/' <<< "$members"; then
  echo "ee: development files leaked into $tarball" >&2; exit 1
fi

"$venv/bin/ansible-builder" create -f "$repo/tools/ee/execution-environment.yml" --context "$out/context" \
  --output-filename Containerfile >/dev/null
containerfile=$out/context/Containerfile
[[ -f $containerfile ]] || { echo "ee: ansible-builder wrote no Containerfile" >&2; exit 1; }
grep -q "ansible-core==2.19.14" "$out/context/_build/scripts/"* "$containerfile" 2>/dev/null \
  || grep -rq "ansible-core==2.19.14" "$out/context" \
  || { echo "ee: the pinned ansible-core is not in the build context" >&2; exit 1; }
[[ -f $out/context/_build/collections/vapix-edge_storage.tar.gz ]] \
  || { echo "ee: the collection tarball is not in the build context" >&2; exit 1; }
# What ansible-builder's own introspection (run inside the image build) finds in the collection.
collections=$out/collections
"$venv/bin/ansible-galaxy" collection install "$out/vapix-edge_storage.tar.gz" -p "$collections" >/dev/null 2>&1
found=$("$venv/bin/python" "$out/context/_build/scripts/introspect.py" introspect "$collections")
for dependency in requests xmltodict; do
  grep -q "$dependency.*from collection vapix.edge_storage" <<< "$found" \
    || { echo "ee: introspection did not find $dependency: $found" >&2; exit 1; }
done
echo "ee: ansible-builder accepted tools/ee/execution-environment.yml ($(basename "$tarball"), $(wc -l <<< "$members") files)"
