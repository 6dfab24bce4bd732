# The newcomer's commands. `make run` serves the shop with demo data (and its job worker)
# at http://$(HOST):$(PORT), 127.0.0.1:5000 by default (`make run HOST=0.0.0.0 PORT=8080`);
# `make test` runs the whole test suite (pass pytest options with ARGS="-k search"; set
# TEST_DATABASE_URL to test on PostgreSQL). `make lint` and `make lock`: see `make help`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
INSTALLED := $(VENV)/.installed
LOCK_DEV := requirements/dev.txt
LOCK_RUNTIME := requirements/runtime.txt
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
ARGS ?=

.PHONY: help run test setup translations assets chromium lint lock

help:
	@echo "make run    set up, migrate, load demo data and serve at http://$(HOST):$(PORT)"
	@echo "            with the job worker (emails) in the background"
	@echo "            (HOST=0.0.0.0 PORT=8080 to serve elsewhere)"
	@echo "make test   set up and run the whole test suite (ARGS=\"...\" goes to pytest)"
	@echo "make lint   ruff check, ruff format --check and mypy"
	@echo "make lock   regenerate requirements/*.txt after changing pyproject.toml"

# The job worker (emails) runs in the background beside the web server and stops with it.
run: setup
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) jobs worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
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

# Install exactly the locked versions, each checked against its hash, then the project
# itself without dependencies; again only when the lock or pyproject.toml changes.
# `pip check` fails when pyproject.toml asks for something the lock lacks: run `make lock`.
$(INSTALLED): $(LOCK_DEV) pyproject.toml | $(PY)
	@echo "Installing the locked dependencies into $(VENV) (a few minutes the first time)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on --require-hashes \
		-r $(LOCK_DEV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check --disable-pip-version-check \
		|| { echo "!! pyproject.toml and $(LOCK_DEV) disagree: run make lock" >&2; exit 1; }
	touch $@

# The lock files: every package with its version and hashes, for all platforms and for
# Python 3.11 and newer. Dev first, so runtime.txt (for production: see README) holds the
# very versions the tests ran with. Run after changing a dependency in pyproject.toml;
# pins already locked stay unless pyproject.toml moves them (UPGRADE=1 takes the newest).
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: | $(PY)
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet --require-hashes -r $(LOCK_DEV)
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev -o $(LOCK_DEV)
	$(UV_COMPILE) pyproject.toml requirements/build.in -c $(LOCK_DEV) -o $(LOCK_RUNTIME)

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
