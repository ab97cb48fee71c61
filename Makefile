# Set-up and everyday commands. Everything is installed from pyproject.toml into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench browser clean

$(BIN)/vetkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## The main job: build and check the graph, write exports, query results and network pages.
run: $(BIN)/vetkg
	$(BIN)/vetkg run --out build

# The browser tests drive Debian's Chromium through its chromedriver, with a font for Chinese
# text; nothing is downloaded by the test tools themselves. Installing them needs root, so it
# is a target of its own (CI runs it); without them `make test` skips the browser tests.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list | grep -qi wqy || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	    fonts-wqy-microhei; }

## Lint and run the whole test suite.
test: $(BIN)/vetkg
	$(BIN)/ruff check graph tests benchmarks
	$(BIN)/python -m pytest

## The everyday commands against `vetkg --help`; build and run against the revision before the
## registers; the catalogue on Oxigraph against plain rdflib; the endpoint beside Oxigraph's
## server at 1 and 16 clients; a soak of 16 clients; the first frame and the layout of every
## view; a synthetic national system at 100k, 1M and 3M triples.
bench: $(BIN)/vetkg browser
	$(BIN)/python benchmarks/commands.py
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/catalogue.py
	$(BIN)/python benchmarks/endpoint.py
	$(BIN)/python benchmarks/soak.py
	$(BIN)/python benchmarks/views.py
	$(BIN)/python benchmarks/layout.py
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf build $(VENV)
