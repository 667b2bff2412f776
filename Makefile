# The README's two commands are `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lock files pin every package (pyproject.toml keeps the ranges): dev.txt for development and
# CI, production.txt, the same versions without the test and lint tools, for servers.
LOCK := requirements/dev.txt
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links

.PHONY: run test install lock lint benchmark clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Pin again the newest versions that pyproject.toml's ranges allow, into both lock files.
lock: install
	$(COMPILE) --upgrade --extra dev -o requirements/dev.txt pyproject.toml
	$(COMPILE) -c requirements/dev.txt -o requirements/production.txt pyproject.toml
	$(BIN)/pip install --quiet -r $(LOCK)

## Set up, migrate, seed the demo school if the database is empty, and serve on 127.0.0.1:8000.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "\nsendtrack is starting on http://127.0.0.1:8000/ (Ctrl+C to stop)\n"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite unless DATABASE_URL is set).
test: install
	$(BIN)/pytest -q

## Time the pages and jobs that have performance targets (best on PostgreSQL: set DATABASE_URL).
benchmark: install
	$(BIN)/python manage.py benchmark --profile secondary

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
