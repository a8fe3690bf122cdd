# Two commands: `make run` (the portal on http://127.0.0.1:8000) and `make test` (the suite).
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# pyenv reads .python-version (3.13.0); elsewhere any python3.12+ on PATH will do.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 $$HOME/.pyenv/versions/3.13.0/bin/python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_WORKERS ?= 2

.PHONY: run test venv dev-venv check-python browser lint format clean api-check

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "ERROR: the portal needs Python 3.12 or newer (Django 6.1)."; \
		echo "       Install 3.13 (pyenv install 3.13.0; .python-version selects it) and retry."; \
		exit 1; fi

# Each step says what it does first: pip is silent for about a minute on a fresh clone.
$(VENV)/.runtime: requirements.txt | check-python
	@test -x $(PY) || { echo "==> Creating the virtualenv $(VENV) ($$($(PYTHON) --version))"; \
		$(PYTHON) -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "ERROR: $(VENV) was made with Python < 3.12; remove it and rerun."; exit 1; }
	@echo "==> Installing the pinned packages (requirements.txt) into $(VENV):"
	@echo "    about a minute the first time, quietly; later runs skip this step"
	@$(PIP) install --quiet --upgrade pip
	@$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) check
	@touch $@

venv: $(VENV)/.runtime
dev-venv: $(VENV)/.dev

# The URL and the demo logins come last, once the web server answers (Procfile.dev's
# `banner`, manage.py ready_banner): printed here, honcho's start-up output scrolled them away.
run: venv
	@echo "==> Migrating the database"
	@$(PY) manage.py migrate --noinput --verbosity 0
	@echo "==> Collecting the static files"
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "==> Loading the demo data: users, carriers, numbers, orders (their emails are kept"
	@echo "    for the admin's Sent mail page, not printed)"
	@Q_LOG_LEVEL=WARNING $(PY) manage.py seed_demo
	@echo "==> Rolling up the reports' history (reports_backfill: the last 13 months, a few seconds)"
	@$(PY) manage.py reports_backfill --verbosity 0
	@echo "==> Scheduling the jobs"
	@$(PY) manage.py setup_schedules
	@echo "==> Starting the web server and the worker (honcho, Procfile.dev); the URL follows"
	@HOST=$(HOST) PORTAL_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			(apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) ; \
		else echo "WARNING: $(CHROMIUM) is missing and cannot be installed here (not root)."; fi; \
	fi

test: dev-venv browser
	$(VENV)/bin/pytest -m "not browser" -n $(PYTEST_WORKERS) --create-db -p no:cacheprovider
	$(VENV)/bin/pytest -m browser --create-db -p no:cacheprovider

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The partner API's contract test: schemathesis against a live server (.ci/api-check).
api-check: dev-venv
	bash .ci/api-check

format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .import_linter_cache
