# Two commands: `make run` (the site on SQLite with the demo) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium postgresql redis-server poppler-utils fonts-liberation $(PDF_PACKAGES)
#: Pango, with which WeasyPrint draws the theme report's tagged PDF, and the report's font.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation

.PHONY: run test install install-test system-packages pdf-packages lint translations-extract translations-update translations-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

## Install, migrate SQLite, load the demo with sample responses, print a facilitator login (and the
## demo safeguarding lead's, named here as the consent page promises), serve with the background
## worker (theme analysis) beside the server.
run: export SAFEGUARDING_LEADS ?= safeguarding@example.nhs.uk
run: install pdf-packages
	$(BIN)/engage db upgrade
	$(BIN)/engage demo load --with-responses 300
	@echo "Serving on http://127.0.0.1:8000 with a background worker  (Ctrl-C stops both)"
	$(BIN)/engage worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/engage serve --bind 127.0.0.1:8000

## Debian's Pango for the PDF report, when missing and run as root.
pdf-packages:
	@if ! ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else echo "Missing Debian packages for the PDF report (run as root or: sudo apt-get install $(PDF_PACKAGES))"; fi; \
	fi

## Debian's Chromium and PostgreSQL (and Redis) for the tests, when missing and run as root.
system-packages:
	@missing=""; \
	ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing="$$missing libpango"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else echo "Missing Debian packages:$$missing (run as root or: sudo apt-get install$$missing)"; fi; \
	fi

## Install what the tests need and run the whole suite (SQLite, PostgreSQL, real browser).
test: install-test system-packages
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadfile

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

## Translations (engage/translations): find marked words, merge them into each language's .po,
## compile the .mo files that the site reads. See the README's "Translations".
TRANSLATIONS := engage/translations
POT ?= $(TRANSLATIONS)/messages.pot
BABEL_KEYWORDS := -k lazy_gettext -k _l -k js_plural:1,2

translations-extract: $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
	  --omit-header -o $(POT) .

translations-update: translations-extract
	$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --no-wrap --no-fuzzy-matching

translations-compile: $(BIN)/python
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics
