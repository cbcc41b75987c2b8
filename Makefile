# coachbook: the two commands a new machine needs are `make run` and `make test`.
GO ?= go
SITE ?= .
OUT ?= public

.PHONY: run build check test test-short bench fuzz vet tools validate clean

## run: serve the example site with live reload on http://127.0.0.1:1313/
run:
	$(GO) run ./cmd/coachbook serve -s $(SITE)

## build: build the example site into public/
build:
	$(GO) run ./cmd/coachbook build -s $(SITE) -o $(OUT)

## check: validate content and data without writing anything
check:
	$(GO) run ./cmd/coachbook check -s $(SITE)

# The checkers the tests run, installed from npm into .cache on first use.
# (Defined before the rules that name them: make reads a rule's
# prerequisites as it meets the rule.)
VNU := .cache/node_modules/vnu-jar/build/dist/vnu.jar
AXE := .cache/node_modules/axe-core/axe.min.js
STATICCHECK_VERSION := v0.8.2
STATICCHECK := .cache/bin/staticcheck

## test: every test, including the real-browser ones (axe-core on every page template) and the HTML validator
test: tools vet $(AXE)
	$(GO) test -count=1 -timeout 30m ./...
	$(MAKE) --no-print-directory validate

## validate: build the example under a sub-path, in the clear and with encrypted
## reports (throwaway passphrases), and run the Nu HTML checker on every page
validate: $(VNU)
	rm -rf .cache/validate .cache/validate-sealed
	$(GO) run ./cmd/coachbook build -s $(SITE) -o .cache/validate --base-url /playbook/
	COACHBOOK_KEY_LEADERSHIP=validate-lead COACHBOOK_KEY_MGARCIA=validate-mgr \
	  $(GO) run ./cmd/coachbook build -s $(SITE) -o .cache/validate-sealed --base-url https://acme.github.io/playbook/
	java -jar $(VNU) --errors-only $$(find .cache/validate .cache/validate-sealed -name '*.html')
	@echo "validate: every page passes the Nu HTML checker"

$(VNU):
	mkdir -p .cache
	cd .cache && npm install --silent --no-audit --no-fund --prefix . vnu-jar

# axe-core, the accessibility checker the browser test runs in each page.
$(AXE):
	mkdir -p .cache
	cd .cache && npm install --silent --no-audit --no-fund --prefix . axe-core@4

## test-short: the Go tests without the browser
test-short:
	$(GO) test -short ./...

vet: $(STATICCHECK)
	@fmt_out=$$(gofmt -l cmd site themes); if [ -n "$$fmt_out" ]; then echo "gofmt needed:"; echo "$$fmt_out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

# staticcheck, pinned, built from the Go module proxy into .cache/bin.
$(STATICCHECK):
	GOBIN=$(CURDIR)/.cache/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## tools: install what the browser tests need (Debian's chromium)
tools:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## bench: the benchmarks (build speed, data loading, reports, live-preview edits and memory; the serve memory one takes several minutes)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: a short run of every fuzz test
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzSplitFrontMatter -fuzztime 20s ./site/content
	$(GO) test -run '^$$' -fuzz FuzzHighlight -fuzztime 20s ./site/content
	$(GO) test -run '^$$' -fuzz FuzzParseAmount -fuzztime 20s ./site/data
	$(GO) test -run '^$$' -fuzz FuzzParseDate -fuzztime 20s ./site/data
	$(GO) test -run '^$$' -fuzz FuzzCSVRows -fuzztime 20s ./site/data
	$(GO) test -run '^$$' -fuzz FuzzHistoryLog -fuzztime 20s ./site/data
	$(GO) test -run '^$$' -fuzz FuzzXLSX -fuzztime 20s ./site/data
	$(GO) test -run '^$$' -fuzz FuzzTeamNumbers -fuzztime 20s ./site/data

clean:
	rm -rf $(OUT) .cache/validate .cache/validate-sealed
