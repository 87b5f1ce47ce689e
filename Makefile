# Everything a developer or CI needs, from a fresh clone:
#   make run    virtualenv + install + migrate + load data, then serve http://127.0.0.1:8000
#   make test   virtualenv + install + lint + checks + the test suite on SQLite and PostgreSQL

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PG_URL ?= postgres://root@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000
# A key for this machine only; production sets its own SECRET_KEY.
LOCAL_ENV := SECRET_KEY=$${SECRET_KEY:-local-development-key-not-for-production} DEBUG=$${DEBUG:-0}

.PHONY: install run serve migrate populate_db static test lint fix check pytest pytest-sqlite pytest-postgres clean reset-local-db bench import-graph

install: $(INSTALLED)

$(INSTALLED): requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

migrate: install
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput

# Adds the fixture objects the database does not have yet; keeps what was edited in
# the admin (reset-local-db reloads everything).
populate_db: migrate
	$(LOCAL_ENV) $(BIN)/python manage.py load_initial_data --only-new

static: install
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: populate_db static
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(LOCAL_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

reset-local-db: install
	rm -f db.sqlite3
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py load_initial_data

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(LOCAL_ENV) $(BIN)/python manage.py check
	$(LOCAL_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest-sqlite: install
	env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db $(PYTEST_ARGS)

pytest-postgres: install
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db $(PYTEST_ARGS)

pytest: pytest-sqlite pytest-postgres

test: lint check pytest

bench: install
	env -u DATABASE_URL $(BIN)/python bench/run.py
	DATABASE_URL=$(PG_URL) $(BIN)/python bench/run.py

# Which app imports which (the arrows lint-imports checks): see README, "Architecture".
import-graph:
	python3 scripts/import_graph.py

clean:
	rm -rf $(VENV) staticfiles
