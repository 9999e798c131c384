# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; a real deployment sets its own environment (see .env.example).
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test lint format messages install install-dev migrate clean system-packages

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# Debian programs the media checks and jobs use (ffprobe inspects films and recordings before they
# are stored; libvips, through pyvips, makes the deep-zoom tiles; Tesseract with its Vietnamese model
# reads scanned pages and OCRmyPDF makes the searchable PDF/A copy): installed with apt-get when
# missing, as root or through sudo.
system-packages:
	@missing=""; command -v ffprobe >/dev/null || missing="$$missing ffmpeg"; \
	command -v vips >/dev/null || missing="$$missing libvips42 libvips-tools"; \
	tesseract --list-langs 2>/dev/null | grep -qx vie || missing="$$missing tesseract-ocr tesseract-ocr-vie"; \
	command -v ocrmypdf >/dev/null || missing="$$missing ocrmypdf"; \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null; then echo "Install:$$missing (Debian packages)"; exit 1; fi; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "apt-get install$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

install: $(VENV)/.runtime-installed system-packages

install-dev: $(VENV)/.dev-installed

migrate: install
	$(DEV_ENV) $(MANAGE) migrate --noinput

run: migrate
	$(DEV_ENV) $(MANAGE) seed_demo
	$(DEV_ENV) $(MANAGE) create_dev_users
	@echo "Trang công khai: http://$(HOST):$(PORT)/   Quản trị: http://$(HOST):$(PORT)/admin/"
	@# One background worker (the media jobs) in its own process group beside the server: when the
	@# server stops (Ctrl-C or otherwise) the trap stops the worker's whole group with it.
	@$(DEV_ENV) setsid $(MANAGE) db_worker & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# axe-core (accessibility checks in the browser tests) comes from the npm registry when npm is there.
tests/js/node_modules/axe-core/axe.min.js: tests/js/package-lock.json
	@if command -v npm >/dev/null; then cd tests/js && npm ci --silent --no-audit --no-fund; else echo "npm not found: the accessibility checks will be skipped"; fi

test: install-dev system-packages tests/js/node_modules/axe-core/axe.min.js
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerates the English catalogues of the project and of each app, then compiles them.
# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: install-dev
	$(DEV_ENV) $(MANAGE) makemessages --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'archive/*' --ignore 'exhibits/*' --ignore 'bookings/*' --ignore 'upgrades/*' --ignore 'tests/*' --ignore 'bench/*'
	for app in archive exhibits bookings upgrades; do \
		mkdir -p $$app/locale && (cd $$app && DJANGO_DEBUG=1 ../$(PY) ../manage.py makemessages --locale en --no-obsolete --no-location) || exit 1; \
	done
	$(DEV_ENV) $(MANAGE) compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles
