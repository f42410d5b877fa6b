# The two Quick start commands; both work on a fresh machine with Python 3.11+ and Node.js 20+ (npm).
#   make demo               run the platform with demo tenants and the web app on http://127.0.0.1:8000
#   make test ARGS="-k x"   run the test suite (frontend unit tests, then pytest with ARGS)
PYTHON ?= python3
NPM ?= npm
VENV := .venv
INSTALLED := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev
FRONTEND := frontend
FRONTEND_MODULES := $(FRONTEND)/node_modules/.installed
FRONTEND_BUILT := $(FRONTEND)/dist/index.html
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(wildcard $(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig*.json $(FRONTEND)/package.json)

.PHONY: demo test browser

demo: $(INSTALLED) $(FRONTEND_BUILT)
	$(VENV)/bin/bo-saas demo

test: $(INSTALLED_DEV) $(FRONTEND_BUILT) browser
	cd $(FRONTEND) && $(NPM) run -s api:check && $(NPM) test
	$(VENV)/bin/pytest $(ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata (dependencies, entry points) changes.
# The demo needs the runtime dependencies only; the tests add the dev extra (pytest, playwright, ...).
$(INSTALLED): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -e .
	touch $@

$(INSTALLED_DEV): $(INSTALLED)
	$(VENV)/bin/python -m pip install -e '.[dev]'
	touch $@

# The web app: npm packages when the lockfile changes, a build when any source is newer than it.
$(FRONTEND_MODULES): $(FRONTEND)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "Node.js 20+ and npm are needed to build the web app (frontend/)"; exit 1; }
	cd $(FRONTEND) && $(NPM) ci --no-audit --no-fund
	touch $@

$(FRONTEND_BUILT): $(FRONTEND_MODULES) $(FRONTEND_SOURCES)
	cd $(FRONTEND) && $(NPM) run build

# Chromium for the browser tests (tests/e2e); they are skipped, saying why, when it cannot be had.
browser:
	@test -x /usr/bin/chromium || apt-get install -y chromium >/dev/null 2>&1 \
		|| echo "note: /usr/bin/chromium is missing and could not be installed; the browser tests will be skipped"

# The foundation benchmark (bench/README.md): PostgreSQL and Redis on 127.0.0.1, wrk from Debian.
.PHONY: bench
bench: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.run $(ARGS)

# The work-queue benchmark (bench/README.md): claim-next directly and over HTTP, SLA breach delay.
.PHONY: bench-work
bench-work: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.work $(ARGS)

# The Support desk benchmark (bench/README.md): 10,000 signed inbound messages, then agents' replies vs the users list.
.PHONY: bench-support
bench-support: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.support $(ARGS)

# The Data entry desk benchmark (bench/README.md): a 100,000-row import, keying vs the users list, a 1M-record export.
.PHONY: bench-dataentry
bench-dataentry: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.dataentry $(ARGS)

# The billing benchmark (bench/README.md): a billing run over 10,000 tenants, its rerun, usage on finishing an item.
.PHONY: bench-billing
bench-billing: $(INSTALLED)
	$(VENV)/bin/python -m bench.billing $(ARGS)

# The HR payroll benchmark (bench/hr.py): a 5,000-employee payroll run, its payslip PDFs, masked employees vs users.
.PHONY: bench-hr
bench-hr: $(INSTALLED)
	$(VENV)/bin/python -m bench.hr $(ARGS)

# The Bookkeeping desk benchmark (bench/README.md): trial balance over 1M lines, a 10,000-line statement, posting vs users.
.PHONY: bench-books
bench-books: $(INSTALLED)
	$(VENV)/bin/python -m bench.books $(ARGS)

# Every benchmark in turn, then one table of their targets (bench/all.py; about 20 minutes).
# ARGS="--strict" exits 1 when a target is missed or invalid; ARGS_FOUNDATION / ARGS_WORK / ARGS_SUPPORT pass
# options to one.
.PHONY: bench-all
bench-all: $(INSTALLED)
	@command -v wrk >/dev/null || apt-get install -y wrk || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }
	$(VENV)/bin/python -m bench.all $(ARGS)
