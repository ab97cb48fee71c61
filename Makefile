# Set-up and everyday commands. Everything is installed from pyproject.toml into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/vetkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## The main job: build and check the graph, write exports, query results and network pages.
run: $(BIN)/vetkg
	$(BIN)/vetkg run --out build

## Lint and run the whole test suite.
test: $(BIN)/vetkg
	$(BIN)/ruff check graph tests benchmarks
	$(BIN)/python -m pytest

## The catalogue on Oxigraph against plain rdflib; the endpoint at 1 and 16 clients.
bench: $(BIN)/vetkg
	$(BIN)/python benchmarks/catalogue.py
	$(BIN)/python benchmarks/endpoint.py

clean:
	rm -rf build $(VENV)
