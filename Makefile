# vapix.edge_storage developer entry points. `make test` runs every gate, `make demo` the
# collection against a simulated fleet. See docs/development.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# ansible-lint and ansible-test look tools up on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
export VENV

GATE := scripts/gate.sh
# The gates `make test` runs, in order, stopping at the first failure: the execution
# environment definition (`ansible-builder create`) and the molecule scenario come last.
GATES := sim-tests sanity units integration lint changelog-lint ee molecule health-import

.PHONY: help test demo venv tree pip-bootstrap sim-tests sanity units integration lint \
        changelog-lint ee molecule health-import docs clean

help:
	@echo "make demo    run the collection against a simulated fleet, twice (second run: changed=0)"
	@echo "make test    all gates: $(GATES)"
	@echo "make <gate>  one gate; make venv / tree / docs / clean"

test: venv
	@rm -f build/gate-times.txt
	@for gate in $(GATES); do \
	  $(GATE) $$gate $(MAKE) --no-print-directory $$gate || { $(GATE) --summary; exit 1; }; \
	done; $(GATE) --summary

demo: venv
	@scripts/demo.sh

# The venv is (re)installed when the pins change; the stamp records that it is complete.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements-dev.txt simulator/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -e simulator
	@touch $@

tree: venv
	@$(BIN)/python scripts/build_collection_tree.py

pip-bootstrap: venv
	@$(BIN)/python scripts/seed_pip_bootstrap.py

sim-tests: venv
	@$(BIN)/python -m pytest simulator/tests -n 2 -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then \
	  echo "simulator/tests collected no tests: this gate would check nothing" >&2; exit 1; \
	fi; exit $$status

sanity: venv
	@scripts/ansible_test.sh sanity

units: venv
	@scripts/ansible_test.sh units

integration: venv
	@scripts/run_integration.sh

# ansible-lint; antsibull-docs' check of the plugins' and the role's documentation (schema and
# markup); docs/modules/ up to date with that documentation (else: make docs).
lint: tree
	@ANSIBLE_COLLECTIONS_PATH=$(abspath build) $(BIN)/ansible-lint --offline
	@cd build/ansible_collections/vapix/edge_storage && ANSIBLE_COLLECTIONS_PATH=$(abspath build) \
	  $(abspath $(BIN))/antsibull-docs lint-collection-docs --plugin-docs .
	@ANSIBLE_COLLECTIONS_PATH=$(abspath build) $(BIN)/python scripts/module_docs.py --check

changelog-lint: venv
	@$(BIN)/antsibull-changelog lint

# The execution environment definition is accepted by `ansible-builder create`.
ee: venv
	@scripts/ee_check.sh

# The storage role, the idempotence of its second run, the devices read back and the drift check
# against a simulated fleet (extensions/molecule/default, ports 18600-18603).
molecule: venv
	@scripts/run_molecule.sh

# Brownfield import (changed=0, no drift) and the health report (JSON, CSV, HTML in headless
# chromium; fails on wear and retention) against a simulated fleet (ports 18700-18703).
health-import: venv
	@scripts/health_import_check.sh

# The module and role reference, docs/modules/*.md, from the collection's own documentation.
docs: tree
	@ANSIBLE_COLLECTIONS_PATH=$(abspath build) $(BIN)/python scripts/module_docs.py

clean:
	-@$(BIN)/python scripts/sim_fleet.py stop integration 2>/dev/null
	-@$(BIN)/python scripts/sim_fleet.py stop demo 2>/dev/null
	-@$(BIN)/python scripts/sim_fleet.py stop molecule 2>/dev/null
	rm -rf build tests/integration/integration_config.yml

# Fleet benchmark (bench/README.md), e.g. make bench BENCH_ARGS="--sizes 500 --skip-slow-at 500"
.PHONY: bench
bench: venv
	@$(BIN)/python bench/fleet_bench.py $(BENCH_ARGS)
