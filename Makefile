# Tandem. Only python3 (>= 3.11) and make are assumed; everything else installs here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/tandem
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo serve worker test lint typecheck migrations-check test-sqlite test-postgres \
        browser bench audit lock clean fuzz load

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Tandem needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check "uv==0.13.8"
	$(BIN)/uv pip install --python $(BIN)/python -q --require-hashes -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python -q --no-deps -e .
	touch $(STAMP)

# Re-resolve the pinned versions after changing pyproject.toml.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements.lock

demo: install
	DEBUG=true $(BIN)/tandem migrate --verbosity 0
	DEBUG=true $(BIN)/tandem demo
	@echo "Tandem is starting at http://127.0.0.1:8000 - sign in with a login above (Ctrl-C stops it)."
	DEBUG=true $(BIN)/tandem serve

serve: install
	DEBUG=true $(BIN)/tandem serve

worker: install
	DEBUG=true $(BIN)/tandem worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	TANDEM_TESTING=true $(BIN)/mypy tandem bench

migrations-check: install
	DEBUG=true TANDEM_VAR_DIR=$$(mktemp -d) $(BIN)/tandem makemigrations --check --dry-run

# Debian's chromium for the browser tests and poppler-utils (pdftotext, pdfinfo) for
# the report PDF tests: installed when CI=true (elsewhere, those tests skip with a
# message if they are missing; `make browser` installs them).
browser:
	@test -x /usr/lib/chromium/chromium || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium (needs root and apt)"; exit 1; }; }
	@command -v pdftotext >/dev/null || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	  || { echo "Could not install poppler-utils (needs root and apt)"; exit 1; }; }

test-sqlite: install
	$(BIN)/pytest -n 2 -q -m "not fuzz"

# The PostgreSQL leg: mandatory with CI=true, skipped with a message elsewhere if
# no server answers at $(PG_URL). The API fuzzing (marker fuzz) runs here only; the
# browser tests, those that start tandem on their own database and the access matrix
# (marker sqlite_leg) run on SQLite only.
test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('/tandem','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -q -m "not e2e and not own_process and not sqlite_leg"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is not reachable at $(PG_URL) and CI=true"; exit 1; \
	else echo "SKIPPED: PostgreSQL leg (no server at $(PG_URL)); the API fuzzing runs on SQLite"; \
	  $(BIN)/pytest -n 2 -q -m fuzz; fi

test: install lint typecheck migrations-check
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory browser; fi
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# SQLite in a temporary directory, then the 360 aggregates again on PostgreSQL.
bench: install
	$(BIN)/python -m bench
	BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench $(BIN)/python -m bench --only reviews

# The API fuzzing at length (make test runs it with 10 examples per operation and
# role; 50 takes about an hour on 2 cores).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-50} $(BIN)/pytest -n 2 -q -m fuzz

# 50 concurrent users for 60 s against gunicorn on PostgreSQL (bench/load.py).
load: install
	$(BIN)/python -m bench.load

# Needs internet access to an advisory database; these machines have none.
audit: install
	$(BIN)/uv pip install --python $(BIN)/python -q pip-audit
	$(BIN)/pip-audit --strict -r requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
