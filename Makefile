# Ouderportaal: `make demo` serves the demo, `make test` runs the suite. Both set up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one per core.
TEST_WORKERS ?= auto

.PHONY: setup demo test integration stack migrate seed lint typecheck format messages check ci clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock bin/find-python bin/system-deps
	@bin/system-deps
	@python_bin=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$python_bin"; rm -rf $(VENV); "$$python_bin" -m venv $(VENV) || exit 1; \
	fi
	@$(PY) -m pip install --quiet --disable-pip-version-check uv
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --locked --quiet --python $(PY)
	@$(PY) -c 'import django, sys; sys.exit(0) if django.VERSION >= (6, 1) else sys.exit("Django " + django.get_version() + " is too old: 6.1 or newer is needed.")'
	@touch $@

migrate: setup
	$(DEMO_ENV) $(PY) manage.py migrate --verbosity 0

seed: migrate
	$(DEMO_ENV) $(PY) manage.py seed_demo

demo: seed
	@echo ""
	@echo "Ouderportaal runs at http://$(HOST):$(PORT)/ (Ctrl+C stops it)."
	@echo "Log in as anna@example.org (parent) or sanne@example.org (staff, TOTP above); password portal-demo."
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The production processes on this machine: PostgreSQL, Redis, S3 (moto on loopback), gunicorn,
# Celery worker and beat (see README, "Running it for real").
stack: setup
	bin/stack

test: setup
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Real processes (two gunicorn nodes, Celery worker and beat) on a private PostgreSQL, Redis and S3.
integration: setup
	$(PY) -m pytest -q -m integration tests/integration $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs (settings in pyproject.toml): services, selectors, access and retention strictest.
typecheck: setup
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: setup
	$(DEMO_ENV) $(PY) manage.py makemessages -l nl -l en --no-obsolete --ignore='.venv/*' --ignore='staticfiles/*'
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore='.venv/*'

check: setup
	$(DEMO_ENV) $(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-shm db.sqlite3-wal media
