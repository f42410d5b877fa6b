# The two Quick start commands; both work on a fresh machine with only Python 3.11+.
#   make demo               run the platform with demo tenants on http://127.0.0.1:8000
#   make test ARGS="-k x"   run the test suite, passing ARGS to pytest
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: demo test

demo: $(INSTALLED)
	$(VENV)/bin/bo-saas demo

test: $(INSTALLED)
	$(VENV)/bin/pytest $(ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata (dependencies, entry points) changes.
$(INSTALLED): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -e '.[dev]'
	touch $@

# The foundation benchmark (bench/README.md): PostgreSQL and Redis on 127.0.0.1, wrk from Debian.
.PHONY: bench
bench: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.run $(ARGS)
