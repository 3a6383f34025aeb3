# Credit casework: the two set-up commands are `make demo` and `make test` (see README.md).
#
#   make demo  [PORT=8000] [HOST=127.0.0.1]  virtualenv, SQLite, demo data, then web + Celery worker + beat
#   make test  [PYTEST_ARGS="-k objection"]  the whole pytest suite (DATABASE_URL / CELERY_BROKER_URL honoured)
#   make lint                                ruff check and format, import contracts, mypy, missing migrations
#   make screenshots [SHOT_PORT=8765]        every page at 390 and 1366 px into var/screenshots/ (demo data, chromium)
#   make bench [SCALE=small|full]            benchmarks on PostgreSQL; results into docs/performance.md
#   make messages                            recompile locale/*/LC_MESSAGES/django.mo
#   make clean / make distclean              remove var/ and caches / also the virtualenv

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Locally the test database is kept between runs (migrations still apply); CI always starts from scratch.
PYTEST_REUSE ?= $(if $(CI),,--reuse-db)

# Debian packages the code needs at run time: python-magic (uploads), WeasyPrint (Pango, HarfBuzz
# subsetting, CJK fonts). Installed only when missing, and only when we are root on Debian.
SYSTEM_PACKAGES ?= libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-hanazono
# Browser tests drive Debian's Chromium (no browser download is possible or wanted).
TEST_SYSTEM_PACKAGES ?= chromium

# The embedded Celery broker (filesystem://localhost/) keeps its messages here; kombu needs the folders to exist.
BROKER_DIRS := var/broker/queue var/broker/processed var/broker/control

.PHONY: help demo test lint messages clean distclean venv system-deps dirs fonts bench screenshots

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------------------------------------------------
# Virtualenv: created once; requirements are reinstalled only when a requirements file changes.

$(BIN)/python:
	@if ! $(PYTHON) -c 'import sys, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	  if $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	     && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Installing python3.11-venv (ensurepip is missing)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3.11-venv; \
	  else \
	    echo "error: $(PYTHON) must be Python 3.11 with venv support (Debian: apt-get install python3.11-venv)" >&2; \
	    exit 1; \
	  fi; \
	fi
	@echo "==> Creating virtualenv $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "==> Installing requirements-dev.txt into $(VENV)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 \
	  | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
	@touch $@

venv: $(STAMP)

system-deps:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "==> Installing Debian packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q; \
	  apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "warning: missing Debian packages:$$missing (as root: apt-get install$$missing)" >&2; \
	fi

dirs:
	@mkdir -p var var/media $(BROKER_DIRS)

# Letter fonts cut to the letters' repertoire (casework/documents/fonts.py): once, a few seconds.
fonts: $(STAMP) dirs
	@$(MANAGE) build_letter_fonts >/dev/null

# ---------------------------------------------------------------------------------------------------------
# The embedded demo: SQLite in var/db.sqlite3, file-system broker in var/broker/, all in the foreground.

# The demo and the screenshots run on config.settings.demo: DEBUG off, so errors show the branded pages.
DEMO_SETTINGS ?= config.settings.demo
demo screenshots: export DJANGO_SETTINGS_MODULE := $(DEMO_SETTINGS)

demo: system-deps $(STAMP) dirs fonts
	@$(BIN)/python scripts/demo_ready.py --check-port --host $(HOST) --port $(PORT)
	@echo "==> Migrating the database"
	$(MANAGE) migrate --noinput
	@echo "==> Loading demo data"
	$(MANAGE) demo --base-url http://$(HOST):$(PORT) | tee var/demo-logins.txt
	@$(BIN)/python scripts/demo_ready.py --banner --host $(HOST) --port $(PORT)
	@echo "==> Starting web, worker and beat (Ctrl-C stops all)"
	PATH="$(abspath $(BIN)):$$PATH" PYTHONUNBUFFERED=1 DEMO_HOST=$(HOST) DEMO_PORT=$(PORT) \
	  exec $(BIN)/honcho -f Procfile start

# Screenshots for review: the demo database (made if missing), a server on SHOT_PORT for the time it takes,
# chromium at both widths. The server is stopped however the script ends.
SHOT_PORT ?= 8765

screenshots: system-deps $(STAMP) dirs
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) demo > var/demo-logins.txt
	@$(MANAGE) runserver --insecure --noreload 127.0.0.1:$(SHOT_PORT) >var/screenshots-server.log 2>&1 & server=$$!; \
	  trap 'kill $$server 2>/dev/null' EXIT; \
	  $(BIN)/python scripts/demo_ready.py --wait-only --host 127.0.0.1 --port $(SHOT_PORT) && \
	  $(BIN)/python scripts/screenshots.py --base-url http://127.0.0.1:$(SHOT_PORT) --out var/screenshots

# ---------------------------------------------------------------------------------------------------------
# Checks. `make test` takes the settings module from pyproject.toml, the database and broker from the
# environment when DATABASE_URL / CELERY_BROKER_URL are set (PostgreSQL and Redis in CI).

test: $(STAMP) dirs
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)"
	@$(MAKE) --no-print-directory fonts
	env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest $(PYTEST_REUSE) $(PYTEST_ARGS)

lint: $(STAMP) dirs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run

# Benchmarks (bench/run.py): PostgreSQL, a scratch database (DATABASE_URL, default casework_bench).
SCALE ?= small
bench: system-deps $(STAMP) dirs fonts
	$(BIN)/python bench/run.py --scale $(SCALE)

# The compiled .mo is committed, so a machine without GNU gettext still runs; this rebuilds it.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES=gettext
	touch locale/*/LC_MESSAGES/*.po  # compilemessages skips a .po that looks older than its .mo
	$(MANAGE) compilemessages --ignore '$(VENV)' --ignore var

clean:
	rm -rf var .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
