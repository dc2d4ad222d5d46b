# slawatch developer entry points. `make test` and `make demo` work on a fresh Linux machine
# with Python 3.11+, make, node/npm and git: the virtual environment and node tooling are created on demand, and
# PowerShell 7 + Pester are installed into .tools/ when the .NET SDK is there and no pwsh is.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: help install tools test lint demo bench lock clean local package

help:
	@echo "make test   - install everything (venv, node tooling) and run lint + the whole test suite"
	@echo "make demo   - run the local pipeline end to end on sample data and print what was found"
	@echo "make local  - start the local stack (moto + local API gateway) and keep it running"
	@echo "make package - build dist/SlaWatch-<version>.zip (the PowerShell scanner's release: module, entry script, example config, install guide)"
	@echo "make bench  - run the benchmarks: benchmarks/RESULTS.md, plots, docs/cost.md (not part of make test)"
	@echo "make lint   - ruff, cfn-lint, asl-validator and the PowerShell syntax gate only"
	@echo "make tools  - find PowerShell 7 and Pester, or install the pinned versions into .tools/ (needs dotnet)"

$(STAMP): requirements/dev.lock functions/requirements.txt pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml
	for f in statemachine/*.asl.json; do npx --no-install asl-validator --json-path "$$f" || exit 1; done
	$(BIN)/python -m tests.powershell.syntax_gate powershell

# PowerShell 7 and Pester for the Pester suites (tests/powershell/test_pester.py): PWSH, pwsh on the PATH or
# .tools/pwsh, else PowerShell and the Pester pinned in powershell/tools/Pester.csproj installed with dotnet.
# Without pwsh and dotnet the Pester suites skip (SLAWATCH_REQUIRE_PWSH=1, set by .ci/run, makes that an error).
ENSURE_TOOLS := bash powershell/tools/ensure-tools.sh

tools:
	@$(ENSURE_TOOLS)

test: lint
	@tools="$$($(ENSURE_TOOLS))" && eval "$$tools" && echo "PWSH=$${PWSH:-none} PESTER_MODULE=$${PESTER_MODULE:-none}" \
		&& $(BIN)/python -m pytest

demo: install
	$(BIN)/python -m local.demo

# The local stack in the foreground (API, Cognito, S3, DynamoDB, Step Functions on loopback) until Ctrl-C.
local: install
	$(BIN)/slawatch local

# The PowerShell scanner's release zip; the version is the module manifest's ModuleVersion.
package:
	$(PYTHON) powershell/tools/build_package.py dist

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): requirements/bench.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/bench.lock
	touch $@

# Every benchmark, then benchmarks/RESULTS.md, its plots and the cost tables of docs/cost.md.
# BENCH_ARGS picks, e.g. BENCH_ARGS="--sizes 10k,100k --only scanner_bench".
bench: install $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Re-resolve the pinned dependency set after editing requirements/dev.txt.
lock:
	rm -rf /tmp/slawatch-lock && $(PYTHON) -m venv /tmp/slawatch-lock
	/tmp/slawatch-lock/bin/pip install --quiet -r requirements/dev.txt
	/tmp/slawatch-lock/bin/pip freeze --exclude-editable | sort > requirements/dev.lock

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis .tools .test-results dist
