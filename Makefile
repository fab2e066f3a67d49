# Set-up contract: `make demo` and `make test` work on a fresh clone with only
# Python 3.11 and make. Everything else is installed into .venv from the lock.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
ARCHIVE_DIR ?= archive
export ARCHIVE_DIR

.PHONY: demo test eval bench lock clean demo-distributed

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

demo: $(VENV)/.installed
	$(PY) -m crawler.demo --archive "$(ARCHIVE_DIR)"

demo-distributed: $(VENV)/.installed
	$(PY) -m crawler.demo --archive "$(ARCHIVE_DIR)" --workers 2 --redis

test: $(VENV)/.installed
	$(PY) -m pytest -q

eval: $(VENV)/.installed
	$(PY) -m bench.evaluate

bench: $(VENV)/.installed
	$(PY) -m bench.run

lock:
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install --quiet --upgrade pip
	/tmp/lock-venv/bin/pip install --quiet ".[dev]"
	{ echo "# Resolved, pinned dependency set (pip freeze of a fresh .venv). Regenerate: make lock"; \
	  /tmp/lock-venv/bin/pip freeze --exclude gov-news-archive; } > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
