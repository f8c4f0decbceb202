# vapix.edge_storage developer entry points. `make test` runs every gate, `make demo` the
# collection against a simulated fleet. See docs/development.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12, found as the user's machine has it (python3.12 on PATH, else pyenv's versions):
# tools/find_python.sh. PYTHON=/path/to/python3.12 overrides.
PYTHON ?= $(shell tools/find_python.sh)
VENV ?= .venv
BIN := $(VENV)/bin
# ansible-lint and ansible-test look tools up on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
export VENV

GATE := tools/gate.sh
# The ansible-core minors meta/runtime.yml admits (requires_ansible >=2.16), all on Python 3.12
# (2.16/2.17 run on 3.10-3.12, 2.18/2.19 on 3.11-3.13, 2.20/2.21 on 3.12-3.14): sanity and units
# run on each (tools/requirements/cores/, venvs in .venv-cores/), integration on the newest with every
# target and on the oldest with INTEGRATION_OLDEST_TARGETS.
CORES := 2.16 2.17 2.18 2.19 2.20 2.21
CORE_OLDEST := 2.16
CORE_NEWEST := 2.21
CORES_NEWEST_FIRST := $(shell printf '%s\n' $(CORES) | sort -rV)
# Sanity runs whole on the newest core, and whole but pylint on the oldest. On the cores between,
# only the tests whose verdict depends on that core's own code (its module loader, argument spec
# and documentation schema, plugin routing, import sandbox); the linters (pylint, pep8, yamllint,
# ...) check the same source with the tool versions each ansible-test pins, and the newest and
# oldest of those already run. This halves the matrix's sanity time (docs/development.md,
# "Measured times"). `make sanity-2.18` (or sanity-2.16) still runs every test on that core.
SANITY_CORE_TESTS := action-plugin-docs ansible-doc compile import runtime-metadata validate-modules
# pylint runs on the newest core only: it lints the source text with the pylint each ansible-test
# pins, and on the oldest core it took 71 of sanity's 106 s while finding nothing the newest
# pylint does not (the other linters there take seconds and stay).
export SANITY_ARGS_$(subst .,_,$(CORE_OLDEST)) := --skip-test pylint
$(foreach core,$(filter-out $(CORE_OLDEST) $(CORE_NEWEST),$(CORES)),\
  $(eval export SANITY_ARGS_$(subst .,_,$(core)) := $(addprefix --test ,$(SANITY_CORE_TESTS))))
# Units: every test on the newest core; on the others, the tests of what runs inside
# ansible-core: the controller tests (action plugins, the fleet task, the role loaded by
# Ansible's loaders, the compatibility module) and the module_utils tests of the module's
# boundary with the core (argument spec and its validator, fallbacks from the environment,
# AnsibleModule's parameters, the shared runner). The other module_utils tests drive the
# resource code against simulated devices over HTTP, code no core version touches, on the same
# Python 3.12 for every core. `make units-2.18` still runs every test on that core.
UNITS_CORE_TESTS := tests/unit/plugins/plugin_utils/ \
                    $(addprefix tests/unit/plugins/module_utils/,test_compat.py test_runnable.py test_connection.py \
                      test_environment.py test_disk.py test_errors.py)
$(foreach core,$(filter-out $(CORE_NEWEST),$(CORES)),\
  $(eval export UNITS_ARGS_$(subst .,_,$(core)) := $(UNITS_CORE_TESTS)))
# On the oldest core, the targets that exercise what depends on ansible-core: the action
# plugins' two execution paths (in-process argument validation with ArgumentSpecValidator, the
# module shipped with AnsiballZ) and the storage role (role argument spec validation, the
# module_defaults group, loops and blocks). The module-specific targets run the same resource
# code through the same action plugins, so they add time (all targets: ~250-350 s) but no core
# behaviour; they run on the newest core. import_untrusted: what Ansible templates (unsafe text
# before 2.19, trust tags since) decides whether imported device names can run on the controller.
INTEGRATION_OLDEST_TARGETS := execution_paths role_storage import_untrusted
# The gates, each also a make target of its own.
GATES := style sim-tests core-matrix integration integration-oldest lint nox-checks changelog-lint \
         galaxy-importer docs-site ee molecule health-import slicing
# `make test` runs them side by side, GATE_JOBS at a time (tools/run_gates.py), as jobs: the core
# matrix one job per core and command, integration on the newest core in shards, each shard on
# fleets of its own. The jobs are listed longest first (docs/development.md, "Measured times"),
# so that the long ones start at once and the short ones fill the gaps. Every target of
# tests/integration/targets is in exactly one shard (tools/integration_shards.py checks it).
GATE_JOBS ?= 2
INTEGRATION_SHARD_1 := execution_paths axis_encryption axis_networkshare role_storage firmware_generations \
                       vapix_sim_harness
INTEGRATION_SHARD_2 := axis_disk axis_continuous_recording axis_external_device axis_recording_rule \
                       axis_recording_group axis_storage_info fleet_drift import_untrusted multisensor rollout_retry
INTEGRATION_SHARDS := 1 2
# ports of each shard's fleets (61 from the base each); integration-oldest has its own block
INTEGRATION_PORT_1 := 18400
INTEGRATION_PORT_2 := 18900
INTEGRATION_PORT_OLDEST := 19000
TEST_JOBS := integration-shard-1 integration-shard-2 matrix-sanity-$(CORE_OLDEST) matrix-sanity-$(CORE_NEWEST) \
             integration-oldest $(foreach core,$(CORES_NEWEST_FIRST),matrix-units-$(core)) \
             $(foreach core,$(filter-out $(CORE_OLDEST) $(CORE_NEWEST),$(CORES_NEWEST_FIRST)),matrix-sanity-$(core)) \
             lint health-import molecule slicing galaxy-importer sim-tests docs-site ee nox-checks changelog-lint style

.PHONY: help test demo venv tree pip-bootstrap cores style sim-tests core-matrix sanity units integration \
        integration-oldest lint nox-checks galaxy-importer changelog-lint changelog docs-site docs ee \
        molecule health-import clean $(addprefix sanity-,$(CORES)) $(addprefix units-,$(CORES)) \
        $(addprefix matrix-sanity-,$(CORES)) $(addprefix matrix-units-,$(CORES)) \
        $(addprefix integration-shard-,$(INTEGRATION_SHARDS))

help:
	@echo "make demo    run the collection against a simulated fleet, twice (second run: changed=0)"
	@echo "make test    all gates: $(GATES)"
	@echo "make <gate>  one gate; make sanity-2.16 / units-2.18 ... one core; make venv / cores / tree / clean"

test: venv cores tree
	@$(BIN)/python tools/integration_shards.py $(foreach shard,$(INTEGRATION_SHARDS),--shard "$(INTEGRATION_SHARD_$(shard))")
	@$(BIN)/python tools/run_gates.py --jobs $(GATE_JOBS) $(TEST_JOBS)

demo: venv
	@tools/demo.sh

# The venv is (re)installed when the pins change, with uv (tools/venv_install.sh); the stamp
# records that it is complete. galaxy-importer gets a venv of its own
# (tools/requirements/importer.txt says why), beside it rather than inside it: the two are
# independent, so `make -j venv` builds them side by side.
IMPORTER_VENV := .venv-importer
venv: $(VENV)/.installed $(IMPORTER_VENV)/.installed
$(VENV)/.installed: tools/requirements/dev.txt tools/simulator/pyproject.toml tools/requirements/uv.txt
	tools/venv_install.sh $(VENV) -r tools/requirements/dev.txt -e tools/simulator
	@touch $@
$(IMPORTER_VENV)/.installed: tools/requirements/importer.txt tools/requirements/uv.txt
	tools/venv_install.sh $(IMPORTER_VENV) -r tools/requirements/importer.txt
	@touch $@

tree: venv
	@$(BIN)/python tools/build_collection_tree.py

pip-bootstrap: venv
	@$(BIN)/python tools/seed_pip_bootstrap.py --uv "$$(tools/ensure_uv.sh)"

# ruff (ruff.toml) on every Python file of the repository: lint, and the formatter's layout.
# `make style-fix` applies both.
style: venv
	@$(BIN)/ruff check --quiet . && $(BIN)/ruff format --check --quiet .

.PHONY: style-fix
style-fix: venv
	@$(BIN)/ruff check --fix --quiet .; $(BIN)/ruff format --quiet .

sim-tests: venv
	@$(BIN)/python -m pytest tools/simulator/tests tools/tests -n 2 -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then \
	  echo "tools/simulator/tests collected no tests: this gate would check nothing" >&2; exit 1; \
	fi; exit $$status

# One venv per core with that ansible-core pinned (tools/core_venv.sh; reused while the pin
# file is unchanged). Independent of .venv and of each other: `make -j4 venv cores` builds them
# side by side (pip's download cache is safe to share).
cores: $(foreach core,$(CORES),core-venv-$(core))

.PHONY: $(foreach core,$(CORES),core-venv-$(core))
$(foreach core,$(CORES),core-venv-$(core)): core-venv-%:
	@tools/core_venv.sh $*

# Sanity and units on every core, newest first, two runs at a time in one pool
# (tools/core_matrix.sh; logs in build/core-<core>/); `make sanity` / `make units` one command
# on every core, `make sanity-2.17` one core in the foreground.
core-matrix: venv
	@tools/core_matrix.sh sanity,units $(CORES_NEWEST_FIRST)

sanity: venv
	@tools/core_matrix.sh sanity $(CORES_NEWEST_FIRST)

units: venv
	@tools/core_matrix.sh units $(CORES_NEWEST_FIRST)

$(addprefix sanity-,$(CORES)): sanity-%: venv
	@ANSIBLE_CORE=$* tools/ansible_test.sh sanity

$(addprefix units-,$(CORES)): units-%: venv
	@ANSIBLE_CORE=$* tools/ansible_test.sh units

integration: venv
	@ANSIBLE_CORE=$(CORE_NEWEST) tools/run_integration.sh

# One shard of the targets on the newest core, on fleets and a tree of its own (make test runs
# the shards side by side); `make integration` runs every target in one run.
$(addprefix integration-shard-,$(INTEGRATION_SHARDS)): integration-shard-%: venv
	@ANSIBLE_CORE=$(CORE_NEWEST) INTEGRATION_INSTANCE=shard-$* SIM_BASE_PORT=$(INTEGRATION_PORT_$*) \
	  tools/run_integration.sh $(INTEGRATION_SHARD_$*)

integration-oldest: venv
	@ANSIBLE_CORE=$(CORE_OLDEST) INTEGRATION_INSTANCE=oldest SIM_BASE_PORT=$(INTEGRATION_PORT_OLDEST) \
	  tools/run_integration.sh $(INTEGRATION_OLDEST_TARGETS)

# One core and command of the matrix, with the matrix's arguments (SANITY_ARGS_<core>) and log
# (build/core-<core>/<command>.log): the jobs of `make test`.
$(addprefix matrix-sanity-,$(CORES)): matrix-sanity-%: venv
	@MATRIX_JOBS=1 tools/core_matrix.sh sanity $*

$(addprefix matrix-units-,$(CORES)): matrix-units-%: venv
	@MATRIX_JOBS=1 tools/core_matrix.sh units $*

# ansible-lint; antsibull-docs' check of the plugins' and the role's documentation (schema and
# markup) and of docs/docsite/ (extra docs, links).
# A tree of its own (build/lint/): the other gates' trees change under it while they run.
lint: venv
	@$(BIN)/python tools/build_collection_tree.py --dest build/lint >/dev/null
	@ANSIBLE_COLLECTIONS_PATH=$(abspath build/lint) $(BIN)/ansible-lint --offline
	@cd build/lint/ansible_collections/vapix/edge_storage && ANSIBLE_COLLECTIONS_PATH=$(abspath build/lint) \
	  $(abspath $(BIN))/antsibull-docs lint-collection-docs --plugin-docs .

# antsibull-nox's extra checks (noxfile.py, antsibull-nox.toml): the action group `all` holds
# exactly the modules that document it, no unwanted files in plugins/, no trailing whitespace.
nox-checks: venv
	@$(BIN)/nox --no-color -s extra-checks

# The built tarball through galaxy-importer (ansible-doc, ansible-lint; tools/galaxy-importer.cfg):
# any error or warning in its import log fails the gate.
galaxy-importer: venv
	@tools/galaxy_importer_check.sh

changelog-lint: venv
	@$(BIN)/antsibull-changelog lint

# The release section of galaxy.yml's version in changelogs/changelog.yaml and CHANGELOG.md
# (the one rendered changelog; changelogs/config.yaml): new modules and plugins from their version_added, the fragments' changes. While
# that version is unpublished, re-running this folds later fragments and modules into it.
changelog: tree
	@cd $(CURDIR) && ANSIBLE_COLLECTIONS_PATH=$(abspath build) $(BIN)/antsibull-changelog release \
	  --version $$($(BIN)/python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])') \
	  --update-existing --reload-plugins
	@rm -f changelogs/.plugin-cache.yaml

# The execution environment definition is accepted by `ansible-builder create`.
ee: venv
	@tools/ee_check.sh

# The storage role, the idempotence of its second run, the devices read back and the drift check
# against a simulated fleet (extensions/molecule/default, ports 18600-18603).
molecule: venv
	@tools/run_molecule.sh

# Brownfield import (changed=0, no drift) and the health report (JSON, CSV, HTML in headless
# chromium; fails on wear and retention) against a simulated fleet (ports 18700-18703).
health-import: venv
	@tools/health_import_check.sh

# AWX / AAP job slicing under ansible-runner: the drift check and health report in 3 concurrent
# slices, merged by playbooks/merge_reports.yml, equal the single run (ports 18800-18808).
.PHONY: slicing
slicing: venv
	@tools/slicing_check.sh

# The docs site: antsibull-docs' collection docs (module, plugin and role reference from the
# code) plus the guides (docs/*.md), built by Sphinx into build/docsite/build/html/.
docs-site: venv
	@tools/docs_site.sh

docs: docs-site

clean:
	-@$(BIN)/python tools/sim_fleet.py stop integration 2>/dev/null
	-@$(BIN)/python tools/sim_fleet.py stop demo 2>/dev/null
	-@$(BIN)/python tools/sim_fleet.py stop molecule 2>/dev/null
	rm -rf build tests/integration/integration_config.yml
	@echo "(the per-core venvs in .venv-cores/ are kept; rm -rf .venv-cores to rebuild them)"

# Fleet benchmark (bench/README.md), e.g. make bench BENCH_ARGS="--sizes 500 --skip-slow-at 500"
.PHONY: bench
bench: venv
	@$(BIN)/python bench/fleet_bench.py $(BENCH_ARGS)
