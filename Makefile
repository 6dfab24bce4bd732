# The newcomer's commands. `make run` serves the shop with demo data at
# http://127.0.0.1:5000; `make test` runs the whole test suite (pass pytest
# options with ARGS="-k search"; set TEST_DATABASE_URL to test on PostgreSQL).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
ARGS ?=

.PHONY: help run test setup translations assets chromium lint

help:
	@echo "make run    set up, migrate, load demo data and serve at http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite (ARGS=\"...\" goes to pytest)"
	@echo "make lint   ruff check, ruff format --check and mypy"

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup chromium
	$(PY) -m pytest $(ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy storefront

setup: $(INSTALLED) translations assets

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned dependencies change (or the venv is new).
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

translations: $(INSTALLED)
	$(VENV)/bin/pybabel -q compile -d storefront/translations

assets: $(INSTALLED)
	$(FLASK) assets build

# Browser tests drive Debian's Chromium (Playwright's own download does not work here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" -eq 0 ]; then \
			echo "Installing Chromium for the browser tests (apt-get)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		elif command -v sudo >/dev/null; then \
			echo "Installing Chromium for the browser tests (sudo apt-get)"; \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "!! $(CHROMIUM) is missing and this user can neither apt-get nor sudo." >&2; \
			echo "!! Ask an admin to run: apt-get install chromium" >&2; \
			echo "!! Browser tests will be skipped (and fail when CI=true)." >&2; \
		fi; \
	fi
