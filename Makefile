# Coproduction Living Review. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV ?= .venv
PY := $(VENV)/bin/python
BUILD_FLAGS := -W -n --keep-going

.DEFAULT_GOAL := help
.PHONY: help venv validate book test serve clean vendor lock benchmark benchmark-scale benchmark-suite

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

venv: $(VENV)/.installed ## Create .venv and install the locked requirements (with hashes)

validate: venv ## Check every data file: cases, screening log, second readings, codebook, bibliography
	$(PY) -m analysis validate

book: validate ## Validate, then build the site into _build/html (strict)
	rm -f conf.py  # left by an interrupted `make serve`; the build reads _config.yml
	$(VENV)/bin/jupyter-book build . $(BUILD_FLAGS)
	@echo "Open _build/html/index.html, or: make serve"

test: venv ## Run all tests (data, synthesis, site, builds, hostile input, browser)
	$(PY) -m pytest

serve: venv ## Rebuild on every change and reload the browser (http://127.0.0.1:8000)
	$(VENV)/bin/jupyter-book config sphinx . >/dev/null
	trap 'rm -f conf.py' EXIT; PYTHONPATH=. $(VENV)/bin/sphinx-autobuild . _build/html \
	  --host 127.0.0.1 --port 8000 --watch data --watch analysis --watch references.bib \
	  --ignore _build --ignore .venv --ignore conf.py \
	  --ignore .pytest_cache --ignore .git $(BUILD_FLAGS)

lock: venv ## Refresh requirements.lock from requirements.txt (needs the package index)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	  -o requirements.lock requirements.txt

benchmark: venv ## Time a full build against rebuilds (3 runs, ratios to the full build)
	$(PY) tools/benchmark_rebuild.py 3

benchmark-scale: venv ## Measure the review at 22, 1,000 and 10,000 cases; writes benchmarks/results.md
	$(PY) tools/benchmark_scale.py

benchmark-suite: venv ## Time the test suite against one clean build, per test file; writes benchmarks/suite.md
	$(PY) tools/benchmark_suite.py

vendor: venv ## Re-vendor the browser libraries (Vega, DataTables, world atlas, axe-core) from npm
	PYTHON=$(PY) tools/vendor.sh

clean: ## Remove the built site and caches
	rm -rf _build .pytest_cache
