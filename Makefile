# goldenbell: `make demo` sets everything up and opens the workbench; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOLDENBELL := $(BIN)/goldenbell
SERVER_BUILT := graph/server/target/classes/goldenbell/server/LocalNeo4j.class
SERVER_SOURCES := graph/server/pom.xml $(shell find graph/server/src -name '*.java')

.PHONY: setup demo test test-model bench lint docs server venv prereqs clean

setup: venv server

prereqs:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"' \
		|| { echo "goldenbell needs Python 3.11 or newer as $(PYTHON)"; exit 1; }
	@command -v java >/dev/null || { echo "goldenbell needs Java 17+ (JDK) on the PATH"; exit 1; }
	@command -v mvn >/dev/null || { echo "goldenbell needs Maven (mvn) on the PATH"; exit 1; }

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | prereqs
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

server: $(SERVER_BUILT)
$(SERVER_BUILT): $(SERVER_SOURCES) | prereqs
	mvn --batch-mode --quiet -f graph/server/pom.xml package -DskipTests
	touch $@

SAMPLE := .goldenbell/sample
DEMO_USERS := .goldenbell/demo-users.txt
# Passages go to the event store; the graph gets their places first, from the other files.
PASSAGE_FILES := $(SAMPLE)/checkpoint_passages.csv $(SAMPLE)/gate_passages.jsonl

demo: setup $(DEMO_USERS)
	@$(GOLDENBELL) db status >/dev/null 2>&1 || $(GOLDENBELL) db start
	$(GOLDENBELL) db init
	@[ -f $(SAMPLE)/ground_truth.json ] || $(GOLDENBELL) synth --out $(SAMPLE) --dirty
	$(GOLDENBELL) ingest $$(ls $(SAMPLE)/*.csv $(SAMPLE)/*.xlsx $(SAMPLE)/*.jsonl | grep -v -F $(PASSAGE_FILES:%=-e %))
	$(GOLDENBELL) events import $(PASSAGE_FILES)
	$(GOLDENBELL) alerts run
	@# The warm-up of `db start` ran before the load: plan the first queries on the loaded graph.
	$(GOLDENBELL) db warm
	@echo "Sign in with a user name and password from $(DEMO_USERS) (readable by you only)."
	$(GOLDENBELL) workbench --open

# One demo account per role, each with a fresh random password kept in an owner-only file.
$(DEMO_USERS): | venv
	@umask 077; mkdir -p $(dir $@)
	@umask 077; rm -f $@.new; for role in analyst supervisor auditor admin; do \
		pw=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
		echo "$$pw" | $(GOLDENBELL) user add demo-$$role --role $$role --password-stdin >/dev/null || exit 1; \
		echo "demo-$$role $$pw" >> $@.new; \
	done; mv $@.new $@

test: setup
	$(BIN)/pytest

# Retrains the shipped NER and compares its scores with the shipped model's (a few minutes);
# `make test` checks only that the recipe the model records is today's.
test-model: venv
	$(BIN)/pytest -m model tests/ingest/extraction

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check access cli events graph ingest queries settings synth training workbench workspace tests bench

docs: venv
	$(BIN)/python -m cli.reference

clean:
	-$(GOLDENBELL) db stop
	rm -rf $(VENV) graph/server/target .goldenbell/test-*
