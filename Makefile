# Coproduction Living Review. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV ?= .venv
PY := $(VENV)/bin/python
BUILD_FLAGS := -W -n --keep-going

.DEFAULT_GOAL := help
.PHONY: help venv validate book test serve clean vendor benchmark

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed ## Create .venv and install the pinned requirements

validate: venv ## Check every case file, the codebook and references.bib
	$(PY) -m analysis validate

book: validate ## Validate, then build the site into _build/html (strict)
	rm -f conf.py  # left by an interrupted `make serve`; the build reads _config.yml
	$(VENV)/bin/jupyter-book build . $(BUILD_FLAGS)
	@echo "Open _build/html/index.html, or: make serve"

test: venv ## Run all tests (data, analysis, build, staleness, browser)
	$(PY) -m pytest

serve: venv ## Rebuild on every change and reload the browser (http://127.0.0.1:8000)
	$(VENV)/bin/jupyter-book config sphinx . >/dev/null
	trap 'rm -f conf.py' EXIT; PYTHONPATH=. $(VENV)/bin/sphinx-autobuild . _build/html \
	  --host 127.0.0.1 --port 8000 --watch data --watch analysis --watch references.bib \
	  --ignore _build --ignore .venv --ignore book/cases --ignore conf.py \
	  --ignore .pytest_cache --ignore .git $(BUILD_FLAGS)

benchmark: venv ## Time full build vs rebuilds (3 runs, ratios to the full build)
	$(PY) tools/benchmark_rebuild.py 3

vendor: venv ## Re-vendor Vega/Vega-Lite/Vega-Embed for the installed Altair
	PYTHON=$(PY) tools/vendor-vega.sh

clean: ## Remove the built site and caches
	rm -rf _build book/cases/*.md .pytest_cache
