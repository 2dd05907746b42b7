# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# constraints.txt pins every transitive package (regenerate: .venv/bin/pip freeze --exclude-editable).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the suite needs: Hangul fonts for charts and PDFs, poppler for PDF checks,
# Chromium for the real-browser test and chart export.
DEBIAN_PACKAGES := fonts-nanum poppler-utils chromium chromium-driver

.PHONY: run test lint format install system-deps bench clean

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: install
	$(BIN)/python -m governance_app serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Tests run on every core (pytest-xdist); `loadgroup` keeps the browser tests on one worker.
test: install system-deps lint
	$(BIN)/pytest -n auto --dist loadgroup


bench: install system-deps
	$(BIN)/python bench/report.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/changelog.py
	$(BIN)/python bench/intake.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
