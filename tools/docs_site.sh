#!/usr/bin/env bash
# Build the collection's docs site (HTML) the way community collections do:
#   `antsibull-docs sphinx-init` writes the Sphinx project into build/docsite/, then
#   `antsibull-docs collection` renders the module, plugin and role reference from the collection
#   tree in build/ (plus docs/docsite/extra-docs.yml, links.yml and rst/), then sphinx-build.
# Offline: intersphinx (which would fetch inventories) is switched off. The guide pages are
# docs/*.md and docs/spec-choices/*.md, parsed by MyST: copied next to the generated
# docsite/guides.rst (docs/docsite/rst/guides.rst), which gets the toctree that lists them.
# Result: build/docsite/build/html/index.html. Sphinx warnings fail the build.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
[[ $venv == /* ]] || venv=$repo/$venv
site=$repo/build/docsite
export ANSIBLE_COLLECTIONS_PATH=$repo/build PATH=$venv/bin:$PATH

"$venv/bin/python" "$repo/tools/build_collection_tree.py" >/dev/null
rm -rf "$site" && mkdir -p "$site" && chmod 700 "$site"
"$venv/bin/antsibull-docs" sphinx-init --use-current --squash-hierarchy --fail-on-error \
  --no-add-antsibull-docs-version --dest-dir "$site" \
  --project vapix.edge_storage --copyright "vapix.edge_storage contributors" \
  --title "vapix.edge_storage" --html-short-title "vapix.edge_storage" vapix.edge_storage >/dev/null
cat >>"$site/conf.py" <<'CONF'

# Added by tools/docs_site.sh: no network (intersphinx inventories are downloads), and the
# guide pages are Markdown files from docs/ included through MyST.
intersphinx_mapping = {}
extensions.append('myst_parser')
myst_heading_anchors = 3
# Links between the Markdown pages point at files of the repository (docs/*.md, roles/...),
# which are no Sphinx documents; they stay plain text on the site. References into the Ansible
# docs (common_return_values, action_plugins, ...) resolve through intersphinx only, which is
# off; `antsibull-docs lint-collection-docs` (make lint) checks the collection's own references.
suppress_warnings = ['myst.xref_missing', 'ref.ref']
CONF
cd "$site"
mkdir -p rst && chmod og-w rst
"$venv/bin/antsibull-docs" --config-file antsibull-docs.cfg collection --cleanup everything --fail-on-error \
  --use-current --squash-hierarchy --dest-dir rst vapix.edge_storage
guides=rst/docsite
mkdir -p "$guides/spec-choices"
cp "$repo"/docs/*.md "$guides/"
cp "$repo"/docs/spec-choices/*.md "$guides/spec-choices/"
# the pictures the pages show, at the same relative path
[[ -d $repo/docs/images ]] && cp -r "$repo"/docs/images "$guides/"
{
  printf '\n.. toctree::\n   :maxdepth: 1\n\n'
  # The guide first, then every other page of docs/ (a new one needs no edit here).
  printf '   guide\n'
  for page in "$guides"/*.md; do [[ $page == */guide.md ]] || printf '   %s\n' "$(basename "$page" .md)"; done
  for page in "$guides"/spec-choices/*.md; do printf '   spec-choices/%s\n' "$(basename "$page" .md)"; done
} >>"$guides/guides.rst"
"$venv/bin/sphinx-build" -M html rst build -c . -W --keep-going -q
echo "docs_site: build/docsite/build/html/index.html ($(find build/html -name '*.html' | wc -l) pages)"
