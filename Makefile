# Build, run and test entry points. `make help` lists them.
#
#   make run      the embedded default: SQLite, eager Celery, e-mail to files, http://127.0.0.1:8000
#   make worker   a Celery worker with beat (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0)
#   make serve    gunicorn with production settings on http://127.0.0.1:8000
#   make test     lint, checks and the whole pytest suite against a throwaway PostgreSQL + Redis
#   make lint     ruff check + ruff format --check

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || ls -d $(HOME)/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | sort -V | tail -1)
VENV := .venv
VENV_PY := $(VENV)/bin/python
MANAGE := $(VENV_PY) manage.py
PIP := $(VENV_PY) -m pip --disable-pip-version-check
SHARED_DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000

# Stamps named after the requirements' content: a changed pin reinstalls, an unchanged one is free.
RUN_HASH := $(shell cat requirements.txt | sha256sum | cut -c1-16)
DEV_HASH := $(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
RUN_STAMP := $(VENV)/.installed-run-$(RUN_HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(DEV_HASH)

.PHONY: help venv venv-run system-deps system-deps-run run worker serve test lint format

help:
	@echo "make run     - set up and start the dev server (SQLite, no services) on http://$(HOST):$(PORT)"
	@echo "make worker  - Celery worker + beat (set CELERY_BROKER_URL)"
	@echo "make serve   - gunicorn, production settings, on http://$(HOST):$(PORT)"
	@echo "make test    - ruff, checks, migrations check and pytest against throwaway PostgreSQL + Redis"
	@echo "make lint    - ruff check + ruff format --check"
	@echo "make format  - ruff format + ruff check --fix"
	@echo "make venv    - .venv with requirements-dev.txt (venv-run: requirements.txt only)"

# --- Python environment -------------------------------------------------------------------

$(VENV_PY):
	@test -n "$(PYTHON)" || { echo "python3.11 not found (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(VENV_PY)
	$(PIP) install -q -r requirements.txt
	rm -f $(VENV)/.installed-run-*
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV_PY)
	$(PIP) install -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-run-* $(VENV)/.installed-dev-*
	touch $@ $(RUN_STAMP)

venv: $(DEV_STAMP)

venv-run: $(RUN_STAMP)

# --- Debian packages (installed only when missing) --------------------------------------------

system-deps:
	scripts/system-deps.sh test

system-deps-run:
	scripts/system-deps.sh run

# --- running ---------------------------------------------------------------------------------

run: system-deps-run venv-run
	mkdir -p var
	$(MANAGE) compilemessages --ignore=$(VENV)
	$(MANAGE) migrate --noinput
	$(MANAGE) import_regions $(SHARED_DATA)/regions-guangdong.csv
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}" $(MANAGE) seed_demo
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}" $(MANAGE) runserver $(HOST):$(PORT)

worker: venv-run
	@test -n "$${CELERY_BROKER_URL:-}" || echo "warning: CELERY_BROKER_URL is not set; Celery will try amqp://localhost" >&2
	$(VENV)/bin/celery -A config worker -B -l info

# Production settings over plain http on loopback. DATABASE_URL, CACHE_URL and the other
# variables of config/settings/production.py are honoured when set; the secret key defaults
# to one generated once into var/local-secret-key.
serve: system-deps-run venv-run
	mkdir -p var
	test -s var/local-secret-key || $(VENV_PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/local-secret-key
	export DJANGO_SETTINGS_MODULE=config.settings.production; \
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/local-secret-key)}"; \
	export DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"; \
	export DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}"; \
	export DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"; \
	$(MANAGE) compilemessages --ignore=$(VENV); \
	$(MANAGE) collectstatic --noinput -v 0; \
	$(MANAGE) migrate --noinput; \
	exec $(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
		--workers 3 --worker-class sync --access-logfile - --error-logfile -

# --- quality -----------------------------------------------------------------------------------

test: system-deps venv
	scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
