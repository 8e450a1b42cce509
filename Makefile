# Two commands matter: `make run` (the site with the seed data) and `make test` (the suite).
# Both work on a fresh machine with only Python 3.11: they create .venv and install what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev browser lint format demo bench load bench-uploads db-stop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The site and, beside it, the worker that reads uploaded PDFs (bin/run-dev stops both).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed
	PYTHON=$(BIN)/python PORT=$(PORT) bin/run-dev

test: install-dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Synthetic data (1,000 cities x 40 quarters) in its own database, compact_tracker_bench.
demo: install
	EMBEDDED_PG_DATABASE=compact_tracker_bench $(BIN)/python bench/dashboard.py --setup-only
	SYNTHETIC_DATA=true EMBEDDED_PG_DATABASE=compact_tracker_bench $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Server time, queries and page weight (synthetic 1,000 x 40, then the seed data), and the
# throughput of cached pages through gunicorn beside a static file (wrk from Debian).
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || \
	  echo "wrk is not available; bench/pages.py falls back to a Python load generator."; }
	EMBEDDED_PG_DATABASE=compact_tracker_bench $(BIN)/python bench/dashboard.py
	EMBEDDED_PG_DATABASE=compact_tracker_bench_seed $(BIN)/python bench/pages.py

# 50 clients for 60 s against gunicorn with production settings on 127.0.0.1 (seed data in
# its own database): requests, errors and p50/p99 latency per URL. Not part of `make test`.
load: install
	$(BIN)/python bench/load.py

# The city page's p95 idle and while four PDFs of repeated text operators are uploaded at
# once (gunicorn with production settings, plus the worker). Not part of `make test`.
bench-uploads: install
	$(BIN)/python bench/pdf_uploads.py

db-stop: install
	$(BIN)/python manage.py db stop

clean:
	rm -rf $(VENV) var
