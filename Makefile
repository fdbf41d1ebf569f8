# Two commands: `make run` and `make test`. Both install what is missing first
# (Debian packages with apt-get, Python test tools with pip), then build once.

SHELL      := /bin/bash
SWIFT      ?= swift
PYTHON     ?= python3
BUILD_DIR  := .build/debug
BIN        := $(BUILD_DIR)/kiosk-backend
APT_BUILD  := libmicrohttpd-dev libsqlite3-dev pkg-config libcurl4-openssl-dev libqrencode-dev libvips-dev libjs-leaflet
APT_TEST   := chromium chromium-driver poppler-utils zbar-tools librsvg2-bin
PIP_TEST   := pytest requests selenium selenium-axe-python schemathesis georeport prometheus-client aiosmtpd pyproj
DB         ?= data/kiosk.sqlite
PORT       ?= 8080

.PHONY: run test build deps test-deps swift-test live-test browser-test fuzz bench clean

# Installs the Debian packages that are missing (apt-get update only when something is).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(APT_BUILD))

test-deps: deps
	$(call apt_install,$(APT_TEST))
	@$(PYTHON) -c "import pytest, requests, selenium, selenium_axe_python, schemathesis, georeport, prometheus_client, aiosmtpd, pyproj" 2>/dev/null || \
		$(PYTHON) -m pip install -q --disable-pip-version-check --root-user-action=ignore $(PIP_TEST)

## run: build and start on the bundled Ostend config with the database in ./data/
run: deps
	$(SWIFT) build --product kiosk-backend
	$(BIN) serve --db $(DB) --port $(PORT)

## test: build everything once (debug), then every suite against that one build, two at a time
## (each suite's output is printed whole when it ends; -k runs every suite even after a failure)
TEST_JOBS ?= 2
test: test-deps
	$(SWIFT) build --build-tests
	@set -o pipefail; $(MAKE) --no-print-directory -k -j$(TEST_JOBS) --output-sync=target swift-test live-test browser-test fuzz 2>&1 | tee .build/test-output.log
	@$(PYTHON) tools/test_summary.py .build/test-output.log

swift-test:
	$(SWIFT) test --skip-build --disable-xctest

live-test:
	KIOSK_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q -p no:cacheprovider tests/live

browser-test:
	KIOSK_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q -p no:cacheprovider tests/browser

## fuzz: the libFuzzer target over the JSON, form, CTI and config parsers (fuzz/ is its own
## package so the service is not rebuilt with instrumentation); FUZZ_RUNS iterations; then,
## from the same build, the check that parse time grows linearly with input size (FUZZ_LINEARITY=1)
FUZZ_RUNS ?= 200000
fuzz:
	cd fuzz && $(SWIFT) build -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld --product FuzzParsers
	@corpus=$$(mktemp -d); cp fuzz/corpus/* $$corpus/; \
		fuzz/.build/debug/FuzzParsers -runs=$(FUZZ_RUNS) -max_len=8192 -seed=1 -print_final_stats=1 \
			-artifact_prefix=$$corpus/ $$corpus > $$corpus.log 2>&1; status=$$?; \
		tail -4 $$corpus.log; \
		if [ $$status -ne 0 ]; then tail -40 $$corpus.log; echo "fuzz: crash, input kept in $$corpus"; exit $$status; fi; \
		rm -rf $$corpus $$corpus.log; echo "fuzz: $(FUZZ_RUNS) runs, no crash"
	@FUZZ_LINEARITY=1 fuzz/.build/debug/FuzzParsers || { echo "fuzz: parse time grows faster than linearly"; exit 1; }

## bench: release build and the benchmarks in bench/ (not part of test)
bench: deps
	bash bench/intake.sh

clean:
	rm -rf .build
