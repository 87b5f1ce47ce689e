# Everything a developer or CI needs, from a fresh clone:
#   make run    virtualenv + install + migrate + load data, then serve http://127.0.0.1:8000
#   make test   virtualenv + install + lint + checks + translations + the test suite on SQLite and PostgreSQL

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PG_URL ?= postgres://root@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000
# Without SECRET_KEY, a random key made for this checkout on first use (never in git);
# production sets its own SECRET_KEY.
LOCAL_KEY_FILE := .local-secret-key
LOCAL_ENV := SECRET_KEY=$${SECRET_KEY:-$$(cat $(LOCAL_KEY_FILE))} DEBUG=$${DEBUG:-0}
# The PostgreSQL run of the suite uses the machine's Redis as its cache (database 15).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The slowest tests are listed at the end of each run, to keep the suite short.
PYTEST_ARGS ?= --durations=20

.PHONY: install run serve migrate populate_db static test lint fix check pytest pytest-sqlite pytest-postgres clean reset-local-db bench bench-http import-graph messages compilemessages i18n-check gettext

install: $(INSTALLED) $(LOCAL_KEY_FILE)

$(LOCAL_KEY_FILE):
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

$(INSTALLED): requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

migrate: install
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py createcachetable

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
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py createcachetable
	$(LOCAL_ENV) $(BIN)/python manage.py load_initial_data

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install gettext
	$(LOCAL_ENV) $(BIN)/python manage.py check
	$(LOCAL_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	@# The committed .mo must be the .po compiled (`make compilemessages`).
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && for po in $(PO_FILES); do \
	  msgfmt --check-format -o "$$tmp/compiled.mo" "$$po" && \
	  cmp -s "$$tmp/compiled.mo" "$${po%.po}.mo" || \
	  { echo "$${po%.po}.mo is not $$po compiled: run make compilemessages" >&2; exit 1; }; \
	done

# Translations (locale/<lang>/LC_MESSAGES): the French UI strings are the msgids.
# msgfmt and msgmerge are Debian's gettext, installed here when missing (as in CI).
LOCALES := en
PO_FILES = $(wildcard locale/*/LC_MESSAGES/*.po)
MAKEMESSAGES_ARGS := --ignore=.venv --ignore=static/vendor --ignore=staticfiles \
	--ignore=tests --ignore=bench --add-location=file

gettext:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)

# After adding or changing a UI string: refresh the catalogues, translate the new
# entries (empty or "fuzzy" in locale/en/LC_MESSAGES/django.po), then compile.
messages: install gettext
	$(LOCAL_ENV) $(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) $(MAKEMESSAGES_ARGS)
	$(LOCAL_ENV) $(BIN)/python manage.py makemessages -d djangojs $(addprefix -l ,$(LOCALES)) $(MAKEMESSAGES_ARGS)
	@echo "Now translate the new entries (untranslated or fuzzy):"
	@for po in $(PO_FILES); do msgattrib --untranslated --no-obsolete "$$po" | grep -c '^msgid' | \
	  xargs printf "  %s: %s untranslated\n" "$$po"; msgattrib --only-fuzzy --no-obsolete "$$po" | \
	  grep -c '^msgid' | xargs printf "  %s: %s fuzzy\n" "$$po"; done
	@echo "then run make compilemessages and commit the .po and .mo files."

compilemessages: install gettext
	$(LOCAL_ENV) $(BIN)/python manage.py compilemessages $(addprefix -l ,$(LOCALES)) \
	  --ignore=.venv --ignore=static --ignore=staticfiles

# Fails when a UI string has no translation: makemessages would add it (or mark it
# fuzzy). Runs makemessages on a copy of the catalogues, put back afterwards.
i18n-check: install gettext
	@tmp=$$(mktemp -d) && cp -a locale "$$tmp/" && \
	trap 'rm -rf locale && cp -a "$$tmp/locale" . && rm -rf "$$tmp"' EXIT && \
	$(LOCAL_ENV) $(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) $(MAKEMESSAGES_ARGS) -v 0 && \
	$(LOCAL_ENV) $(BIN)/python manage.py makemessages -d djangojs $(addprefix -l ,$(LOCALES)) $(MAKEMESSAGES_ARGS) -v 0 && \
	status=0; for po in $(PO_FILES); do \
	  missing=$$(msgattrib --untranslated --no-obsolete "$$po"; msgattrib --only-fuzzy --no-obsolete "$$po"); \
	  if [ -n "$$missing" ]; then echo "$$po: strings without a translation:" >&2; \
	    echo "$$missing" | grep '^msgid' >&2; status=1; fi; \
	done; \
	[ $$status = 0 ] || echo "Run make messages, translate, then make compilemessages." >&2; \
	exit $$status

pytest-sqlite: install
	env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db $(PYTEST_ARGS)

pytest-postgres: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db $(PYTEST_ARGS)

# Both databases at once (their output kept apart): the suite spends much of its time
# waiting on the database, so two runs share the machine's cores well.
pytest: install
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target pytest-sqlite pytest-postgres

test: lint check i18n-check pytest

# Server-time benchmarks (bench/run.py): `make bench SITES=100000` for the scale run.
# BENCH_PG_URL names the PostgreSQL server and database next to which the throwaway
# `bench_<name>` database is made. Both databases run even when the first misses a target.
SITES ?= 3000
BENCH_PG_URL ?= $(PG_URL)
BENCH_ARGS ?=

bench: install
	status=0; \
	env -u DATABASE_URL $(BIN)/python bench/run.py --sites $(SITES) $(BENCH_ARGS) || status=1; \
	DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python bench/run.py --sites $(SITES) $(BENCH_ARGS) || status=1; \
	exit $$status

# The production stack under load (bench/http_bench.py): gunicorn + whitenoise, DEBUG off, on
# SQLite and on PostgreSQL (database BENCH_HTTP_PG_URL, created if missing), measured
# with wrk. REDIS_URL, when set, is passed on to the servers. Not part of `make test`.
BENCH_HTTP_PG_URL ?= postgres://root@127.0.0.1:5432/bench_http
BENCH_HTTP_ARGS ?=

bench-http: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	BENCH_HTTP_PG_URL=$(BENCH_HTTP_PG_URL) $(BIN)/python bench/http_bench.py $(BENCH_HTTP_ARGS)

# Which app imports which (the arrows lint-imports checks): see README, "Architecture".
import-graph:
	python3 scripts/import_graph.py

clean:
	rm -rf $(VENV) staticfiles
