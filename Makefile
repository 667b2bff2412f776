# The README's two commands are `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate, seed the demo school if the database is empty, and serve on 127.0.0.1:8000.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "\nsendtrack is starting on http://127.0.0.1:8000/ (Ctrl+C to stop)\n"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite unless DATABASE_URL is set).
test: install
	$(BIN)/pytest -q

## Time the pages and jobs QUALITY.md sets targets for (best on PostgreSQL: set DATABASE_URL).
benchmark: install
	$(BIN)/python manage.py benchmark --profile secondary

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
