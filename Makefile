# Two commands for a fresh Debian machine with Python 3.11:
#   make run   set up, migrate SQLite, load the demo family (with records) if empty, serve on :8000
#   make test  set up, then ruff, mypy and every test on SQLite (and PostgreSQL if
#              ICS_TEST_DATABASE_URL is set; each run creates and drops its own database)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz0b poppler-utils

.PHONY: run test setup system-packages python-packages validators assets lint test-sqlite test-postgres bench bench-scale clean

run: setup
	$(BIN)/ics db upgrade
	$(BIN)/ics demo load --if-empty --with-records
	$(BIN)/ics serve

test: setup lint test-sqlite test-postgres

setup: system-packages python-packages validators assets

# System packages only when we can install them (root with apt); otherwise say what is missing.
# Node.js and npm are taken from the machine when present (a NodeSource nodejs conflicts with Debian's npm).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing:$$missing"; apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

python-packages: $(VENV)/.installed
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The sector's rule validators, which the tests run on our exports, each in its own venv and called
# as a subprocess: the SSDA903 one pins pandas<2, rich<14 and an old setuptools, the CIN census one
# pandas<2 and numpy<2 — neither may downgrade ours.
VALIDATOR_903 := csc-validator-be-903==0.1.17
CIN_VENV := .venv-cin
validators: .venv-903/.installed $(CIN_VENV)/.installed
.venv-903/.installed: Makefile
	$(PYTHON) -m venv .venv-903
	.venv-903/bin/pip install -q '$(VALIDATOR_903)' 'pytest==9.2.0'
	touch $@
$(CIN_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/pip install -q 'csc-validator-be-cin==0.1.13' 'pytest==8.4.2' 'numpy<2'
	touch $@

assets: node_modules/.package-lock.json app/static/build/govuk.css
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# GOV.UK Frontend's styles with the council's settings (app/static/scss/govuk.scss), by Sass.
app/static/build/govuk.css: app/static/scss/govuk.scss node_modules/.package-lock.json
	node_modules/.bin/sass --quiet --style=compressed --no-source-map --load-path=node_modules \
		app/static/scss/govuk.scss $@

lint:
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest exits 5 when it collected nothing; make fails on it, so an empty run never passes.
test-sqlite:
	env -u ICS_TEST_DATABASE_URL $(BIN)/pytest

test-postgres:
	@if [ -n "$$ICS_TEST_DATABASE_URL" ]; then $(BIN)/pytest; \
	else echo "ICS_TEST_DATABASE_URL is not set: skipping the PostgreSQL run."; fi

bench: setup
	$(BIN)/python bench/child_view.py
	$(BIN)/python bench/engine_validate.py
	$(BIN)/python bench/print_court.py
	$(BIN)/python bench/ui_pages.py
	$(BIN)/python bench/search_scale.py --sizes 2000,20000
	$(BIN)/python bench/scale.py --sizes 1000,5000 --records 10 --requests 60 --rounds 2

# A council's size: 10,000 then 100,000 children with about a million records (PostgreSQL when
# ICS_BENCH_DATABASE_URL or ICS_TEST_DATABASE_URL is set), pages, search, save and a court print.
bench-scale: setup
	$(BIN)/python bench/scale.py --sizes 10000,100000 --records 10 --requests 200 --rounds 5
	$(BIN)/python bench/search_scale.py --sizes 10000,100000 --rounds 200

clean:
	rm -rf $(VENV) $(CIN_VENV) .venv-903 node_modules var test-artifacts
