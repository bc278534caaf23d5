# Ventanilla — start here. `make help` lists the documented targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BIN ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS_STAMP := portal/static_build/.built
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)

.PHONY: help run test checks lint format seed migrate assets messages bench worker clean install test-fast

help: ## List the documented targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV_STAMP): requirements.lock requirements.txt requirements-dev.txt
	@$(PYTHON_BIN) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ventanilla needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS_STAMP): $(NODE_STAMP) $(FRONTEND_SOURCES)
	npm run --silent build
	touch $@

install: $(VENV_STAMP) $(ASSETS_STAMP) ## Install Python and npm dependencies and build the front end

assets: $(ASSETS_STAMP) ## Build the front-end assets (GOV.UK Frontend, theme, fonts)

migrate: $(VENV_STAMP) ## Apply database migrations (and create the cache table the embedded portal shares)
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable

seed: migrate ## Load the demo catalogue, accounts and the CURP registry of 10,000 synthetic persons (idempotent)
	$(MANAGE) seed_demo
	$(MANAGE) seed_registry --count 10000 --seed 1 -v0

run: install seed ## Serve the portal, the task worker and the payments sandbox on http://127.0.0.1:8000 (embedded SQLite)
	$(MANAGE) collectstatic --noinput -v0
	HOST=$(HOST) PORT=$(PORT) tools/run.sh

worker: $(VENV_STAMP) ## Run only the task worker
	$(MANAGE) db_worker --queue-name '*'

test: install ## `make checks` (lint, migrations, translations) beside every test (DATABASE_URL=postgres://... for PostgreSQL)
	tools/test.sh $(PYTEST_ARGS)

checks: lint ## What `make test` checks besides the tests: lint, migrations in step with the models, translations
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run -v0
	$(PY) tools/check_translations.py

test-fast: $(VENV_STAMP) ## Run the tests without lint and browser checks
	tools/pytest.sh -m "not browser" $(PYTEST_ARGS)

lint: $(VENV_STAMP) ## ruff lint and format check, the house rules as import contracts (import-linter), types (mypy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: $(VENV_STAMP) ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV_STAMP) ## Extract Spanish texts and compile translations (needs gettext)
	$(MANAGE) makemessages -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var --ignore=portal/sites/legacy/sample_site
	$(MANAGE) compilemessages -l en --ignore=.venv --ignore=node_modules

bench: install ## Benchmarks on PostgreSQL: sheet throughput vs nginx, queries per sheet, search latency
	tools/bench.sh

clean: ## Remove the local database, media and built assets (keeps .venv and node_modules)
	rm -rf var/ portal/static_build/
