# Two commands matter: `make run` (the site with the seed data) and `make test` (the suite).
# Both work on a fresh machine with only Python 3.11: they create .venv and install the locked
# dependencies (requirements/) into it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in mail and printed sign-in addresses name the port the site really runs on.
export SITE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=

.PHONY: run test install install-dev lock lock-check demo-users browser lint format demo bench load bench-uploads db-stop clean

# Installs come from the hash-pinned lock in requirements/ (bin/lock writes it from
# pyproject.toml), through uv. The system's pip puts uv, pinned and hashed in
# requirements/uv.txt, into the venv's folder (.venv/.uv), and uv makes the venv itself from
# the system's Python 3.11: seconds faster than venv with pip. uv never downloads a Python.
export UV_PYTHON_DOWNLOADS := never
UV := $(VENV)/.uv/bin/uv

$(UV): requirements/uv.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --upgrade --target $(VENV)/.uv -r requirements/uv.txt
	touch $@

$(BIN)/python: | $(UV)
	$(UV) venv --quiet --allow-existing --python 3.11 $(VENV)

# The runtime set for `make run`, the runtime and development set for `make test`; `uv pip
# sync` makes the venv hold exactly the set, so the two stamps exclude each other.
$(VENV)/.synced-runtime: requirements/runtime.txt | $(BIN)/python
	$(UV) pip sync --quiet --python $(BIN)/python requirements/runtime.txt
	rm -f $(VENV)/.synced-dev
	touch $@

$(VENV)/.synced-dev: requirements/dev.txt | $(BIN)/python
	$(UV) pip sync --quiet --python $(BIN)/python requirements/dev.txt
	rm -f $(VENV)/.synced-runtime
	touch $@

# A venv that has the development set already holds the runtime one: keep it.
install: | $(BIN)/python
	@if [ -f $(VENV)/.synced-dev ]; then $(MAKE) --no-print-directory $(VENV)/.synced-dev; \
	else $(MAKE) --no-print-directory $(VENV)/.synced-runtime; fi
install-dev: $(VENV)/.synced-dev

# After a change to the dependencies in pyproject.toml: re-lock, then commit requirements/.
lock: | $(UV)
	UV=$(UV) bin/lock

lock-check: | $(UV)
	@UV=$(UV) bin/lock --check

# Debian's chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The site and, beside it, the worker that reads uploaded PDFs (bin/run-dev stops both).
run: install
	$(BIN)/python manage.py db start --if-stopped
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed
	PYTHON=$(BIN)/python PORT=$(PORT) bin/run-dev

test: install-dev browser lock-check
	$(BIN)/python manage.py db start --if-stopped
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

# A local researcher, lead and funder with email addresses, their passwords printed
# (refused when DEBUG=false).
demo-users: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo_users

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

# Every goal of issue 23 side by side, met or missed: cold server time, queries and page
# weight (synthetic 1,000 and 5,000 x 40, then the seed data), and signed-in against
# anonymous throughput through gunicorn (wrk from Debian) (docs/benchmarks.md).
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || \
	  echo "wrk is not available; bench/pages.py falls back to a Python load generator."; }
	$(BIN)/python bench/goals.py

# 50 clients for 60 s against gunicorn with production settings on 127.0.0.1 (seed data in
# its own database): requests, errors and p50/p99 latency per URL; then the dashboard with and
# without random non-session cookies (goal: 0 errors, at least half the throughput).
# Not part of `make test`.
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
