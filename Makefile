# Virtual City Hall: `make demo` and `make test` are all you need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
ONLY ?=
PYTEST_ARGS ?=

.PHONY: demo test bench venv venv-dev lint types migrations-check openapi serve clean

# Runtime dependencies only; stamp files make re-runs instant.
$(VENV)/.runtime: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: venv
	DEBUG=1 $(BIN)/cityhall migrate --noinput
	DEBUG=1 $(BIN)/cityhall createcachetable
	DEBUG=1 $(BIN)/cityhall collectstatic --noinput --verbosity 0
	DEBUG=1 $(BIN)/cityhall load_demo
	DEBUG=1 $(BIN)/cityhall assistant train
	DEBUG=1 $(BIN)/cityhall personalization-nightly
	DEBUG=1 $(BIN)/cityhall insights refresh
	DEBUG=1 $(BIN)/cityhall opendata publish
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) ./scripts/serve.sh

test: venv-dev
	@if [ -x /usr/bin/chromium ] && [ ! -d node_modules/axe-core ]; then $(MAKE) node_modules/.installed; fi
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: venv-dev
	$(BIN)/python -m bench $(if $(ONLY),--only $(ONLY))

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: venv-dev
	DEBUG=1 $(BIN)/mypy cityhall

migrations-check: venv
	DEBUG=1 $(BIN)/cityhall makemigrations --check --dry-run

openapi: venv
	DEBUG=1 $(BIN)/cityhall openapi_schema

clean:
	rm -rf $(VENV) staticfiles node_modules
