# Two commands: `make demo` builds the example newsletter, `make test` runs the tests.
# Both set up everything they need on a fresh Debian machine: system packages, .venv, the package.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# Fonts for every script of the theme's script table (fonts-noto-core: Latin, Cyrillic, Greek, Arabic,
# Hebrew, the Indic scripts, Thai, Lao, Khmer, Myanmar, Ethiopic...; fonts-noto-cjk: Chinese, Japanese,
# Korean); HarfBuzz's subsetter, without which WeasyPrint falls back
# to a far slower one (a Chinese edition takes 4x longer); poppler-utils, gettext (msgfmt), Dovecot's
# IMAP server (returned mail read over IMAP), Java (the HTML checker), Chromium, which the browser
# tests drive through Playwright (it never downloads a browser of its own), and PostgreSQL (the tests
# start a server of their own), for the tests.
DEBS    := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 poppler-utils dovecot-imapd gettext \
           openjdk-17-jre-headless chromium postgresql
# The checkers the tests run over every web page and email, from npm at the versions package-lock.json
# pins: the W3C Nu Html Checker (Java) and axe-core (inside Chromium).
NODE    := node_modules/.installed
# flufl.bounce's own test messages (real bounces from many mail servers), which tests/test_bounces.py
# reads: its source distribution, in the version installed, from PyPI, unpacked into .cache/ (ignored
# by git); the messages are not copied into the repository.
BOUNCE_SAMPLES := .cache/flufl.bounce/.unpacked

# The lowest versions pyproject.toml allows of every direct dependency (uv's lowest-direct resolution),
# in a venv of their own, for the smoke tests (build, serve, send to a local server): a floor that is
# not true fails there. Made again only when pyproject.toml changes.
LOWEST       ?= .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed
SMOKE_TOOLS  := pytest aiosmtpd pypdf
SMOKE_FILES  := tests/test_floors.py tests/test_cli.py tests/test_web.py tests/test_web_guard.py tests/test_send.py

# For the benchmarks only: Postfix's smtp-sink, a mail server in C that accepts everything, and wrk,
# an HTTP load generator in C (the reader service's figures).
BENCH_DEBS := postfix wrk

.PHONY: demo test lowest system bench-system lint bench clean

demo: system $(STAMP)
	$(BIN)/masthead build

test: system $(STAMP) $(NODE) $(BOUNCE_SAMPLES) lowest
	$(BIN)/python -m pytest -q

lowest: system $(LOWEST_STAMP)
	MASTHEAD_LOWEST=1 $(LOWEST)/bin/python -m pytest -q -m smoke -p no:cacheprovider $(SMOKE_FILES)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: system bench-system $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

system:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Installing postfix may start a mail server; the benchmarks need only its smtp-sink, so a server
# started by this install is stopped and disabled again.
bench-system:
	@missing=""; for p in $(BENCH_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing (for the benchmarks)"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  case "$$missing" in *postfix*) \
	    $$sudo systemctl disable --now postfix >/dev/null 2>&1 || $$sudo postfix stop >/dev/null 2>&1 || true;; \
	  esac; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The venv of the lowest versions, then the tools the smoke tests need, held to what is installed
# there (tests/test_floors.py checks it).
$(LOWEST_STAMP): pyproject.toml $(STAMP)
	rm -rf $(LOWEST)
	$(BIN)/uv venv -q --python $(BIN)/python $(LOWEST)
	$(BIN)/uv pip install -q --python $(LOWEST)/bin/python --resolution lowest-direct -e '.[postgresql]'
	$(BIN)/uv pip freeze -q --python $(LOWEST)/bin/python --exclude-editable > $(LOWEST)/floors.txt
	$(BIN)/uv pip install -q --python $(LOWEST)/bin/python -c $(LOWEST)/floors.txt $(SMOKE_TOOLS)
	touch $@

$(NODE): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# Made again whenever the package is installed again, in case that changed flufl.bounce's version.
$(BOUNCE_SAMPLES): $(STAMP)
	rm -rf $(@D) && mkdir -p $(@D)
	version=$$($(BIN)/python -c 'from importlib.metadata import version; print(version("flufl.bounce"))') && \
	$(BIN)/python -m pip download -q --no-binary :all: --no-deps -d $(@D) "flufl.bounce==$$version" && \
	tar -xzf $(@D)/flufl*bounce-$$version.tar.gz -C $(@D) --strip-components=1 && \
	test -d $(@D)/tests/data
	touch $@

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache node_modules .cache $(LOWEST)
