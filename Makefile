# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# `make edge` serves it behind nginx, which caches readers' lookups.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
FLASK := $(BIN)/flask --app factcheck

.PHONY: run edge test install install-test migrate demo bench abuse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files make re-runs skip pip unless setup.cfg changed.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(FLASK) migrate

demo: migrate
	$(FLASK) ensure-admin
	$(FLASK) load-demo

run: demo
	@echo ""
	@echo "  Fact desk is at http://$(HOST):$(PORT)/"
	@echo "  Log in at http://$(HOST):$(PORT)/login with the admin account above."
	@echo ""
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) wsgi:app

# nginx on EDGE_PORT in front of gunicorn on UPSTREAM_PORT (deploy/edge.py):
# readers' lookups and highlights from nginx's cache. Ctrl-C stops both.
EDGE_PORT ?= 8080
UPSTREAM_PORT ?= 8001
edge: demo
	$(BIN)/python deploy/edge.py --listen $(HOST):$(EDGE_PORT) --upstream 127.0.0.1:$(UPSTREAM_PORT) --workers $(WORKERS)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/import_articles.py

# What each abusive input costs, beside an anonymous reader (a few minutes).
abuse: install-test
	$(BIN)/python bench/abuse.py

clean:
	rm -rf $(VENV) build *.egg-info
