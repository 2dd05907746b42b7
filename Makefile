# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# constraints.txt pins every transitive package (regenerate: .venv/bin/pip freeze --exclude-editable).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the app needs (Hangul fonts for charts, PDF, DOCX and HWPX; Chromium for chart
# export; poppler's pdftoppm for the audit page's preview of PDF evidence): `make run` installs
# them. The tests need these too (poppler also for PDF checks), plus the browser driver,
# LibreOffice Writer, the real client of the DOCX, and nginx with openssl, which
# tests/test_proxy.py starts with deploy/nginx.conf in front of the app.
RUN_DEBIAN_PACKAGES := fonts-nanum chromium poppler-utils
DEBIAN_PACKAGES := $(RUN_DEBIAN_PACKAGES) chromium-driver libreoffice-writer-nogui nginx openssl

.PHONY: run test lint format install system-deps run-deps bench clean

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run-deps:
	@$(MAKE) --no-print-directory system-deps DEBIAN_PACKAGES="$(RUN_DEBIAN_PACKAGES)"

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: install run-deps
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
	$(BIN)/python bench/boundary.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/years.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
