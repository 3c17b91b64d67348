# CoordApp: `make run` starts everything on the embedded default; `make test` runs the tests; `make lint` checks style.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 5000
PYTEST_ARGS ?=
# Two pytest processes by default (this machine kind has two cores); each has its own database and queue.
PYTEST_WORKERS ?= 2

.PHONY: install run test lint bench migrate catalogs clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	$(BIN)/flask --app wsgi compile-translations
	touch $@

catalogs: install
	$(BIN)/flask --app wsgi compile-translations

migrate: install
	$(BIN)/flask --app wsgi db upgrade

run: install
	PORT=$(PORT) $(BIN)/python tools/run.py

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-output
