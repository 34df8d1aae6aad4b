# Feeling Safe in Therapy: every command a user or CI needs.
# Each target is idempotent: a second run installs nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Reproducible builds: no wall-clock dates leak into the output.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1767225600)

.PHONY: help serve clinic-serve build handouts clinic check-reviews lint test bench venv browser nginx apache java node wordpress clean

help:
	@echo "make serve   run the site at http://127.0.0.1:8000 with live reload"
	@echo "make test    install what the tests need, lint, and run the tests all"
	@echo "make lint    ruff over scripts/ and tests/ (rules in pyproject.toml)"
	@echo "make build   strict build into site/ (atomic: a failed build keeps the old site/; COMPRESS=no: no .br/.gz copies)"
	@echo "make check-reviews  list pages whose next_review date has passed (exits 1 if any)"
	@echo "make handouts  build site/ plus a PDF handout of each explainer page and a booklet (PAPER=a4|letter)"
	@echo "make clinic CONFIG=clinics/example.yml OUT=dist/example [HANDOUTS=1] [COMPRESS=no]  a clinic's branded site"
	@echo "make clinic-serve CONFIG=clinics/example.yml  a clinic's site at http://127.0.0.1:8000 (under its base_url's folder) with live reload"
	@echo "make bench   our build against Material's default build of the same docs (bytes; Lighthouse if installed;"
	@echo "             build CPU time at 1x-50x the explainer pages; BENCH_ARGS=--only-scaling for that alone)"

$(STAMP): requirements.txt pyproject.toml
	@# No pip in .venv (never made, or made without ensurepip): (re)make it.
	@test -x $(BIN)/pip || { bash scripts/ensure_venv.sh $(PYTHON) && $(PYTHON) -m venv $(VENV); }
	@# The lock exactly, and nothing it does not list (see requirements.txt), then
	@# our plugin's entry point (pyproject.toml); packages the lock no longer lists are
	@# removed (mkdocs after the move to ProperDocs); then a check that the lock is complete.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m feeling_safe.devtools.check_lock --extras requirements.txt | xargs -r $(BIN)/python -m pip uninstall --quiet -y
	$(BIN)/python -m feeling_safe.devtools.check_lock requirements.txt
	@touch $@

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/python -m feeling_safe.devtools.serve --config-file mkdocs.yml --dev-addr 127.0.0.1:8000

# A clinic's own site with live reload while its clinic file (or docs/, data/, overrides/) is edited.
clinic-serve: $(STAMP)
	@test -n "$(CONFIG)" || { echo "usage: make clinic-serve CONFIG=clinics/example.yml" >&2; exit 2; }
	$(BIN)/python -m feeling_safe.devtools.serve --clinic $(CONFIG) --dev-addr 127.0.0.1:8000

# COMPRESS=no: no .br/.gz copies, for a preview or a host that compresses as it sends.
NO_COMPRESS = $(if $(filter 0 no false,$(COMPRESS)),--no-compress)

# `exec`: the build is make's own child whatever the paths hold (never a shell between them), so
# it stops when make dies, even by SIGKILL (feeling_safe/publishing/safe_build.py).
build: $(STAMP)
	exec $(BIN)/python -m feeling_safe.publishing.safe_build --config-file mkdocs.yml --site-dir site $(NO_COMPRESS)

# PDF handouts: Debian's Chromium prints each explainer page (2 pages at most) and a booklet.
PAPER ?= a4
handouts: $(STAMP) browser
	exec $(BIN)/python -m feeling_safe.publishing.handouts --site-dir site --paper $(PAPER)

# A clinic's own site from its clinic file; the file is checked before anything is written.
clinic: $(STAMP) $(if $(filter 1 yes true,$(HANDOUTS)),browser)
	@test -n "$(CONFIG)" -a -n "$(OUT)" || { echo "usage: make clinic CONFIG=clinics/example.yml OUT=dist/example [HANDOUTS=1]" >&2; exit 2; }
	exec $(BIN)/python -m feeling_safe.clinic $(CONFIG) --out $(OUT) $(if $(filter 1 yes true,$(HANDOUTS)),--handouts) $(NO_COMPRESS)

# Pages past their next_review date; FST_TODAY=YYYY-MM-DD checks as of another day.
check-reviews: $(STAMP)
	$(BIN)/python -m feeling_safe.content.reviews --docs-dir docs

browser:
	@bash scripts/ensure_package.sh "test -x /usr/bin/chromium" chromium "the handouts, the bench and the full-browser tests (never a downloaded browser)" recommends
	@bash scripts/ensure_package.sh "test -x /usr/bin/chromium-headless-shell" chromium-headless-shell "the browser tests (the same Chromium without a browser window)"

# The deploy test serves the built site with deploy/nginx/site.conf.
nginx:
	@bash scripts/ensure_package.sh "test -x /usr/sbin/nginx" nginx "the nginx deploy test and the bench"
	@bash scripts/ensure_package.sh "test -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so" libnginx-mod-http-brotli-static "nginx sending the build's Brotli copies"

# The Apache deploy test serves the built site with deploy/apache/site.conf and the build's .htaccess.
apache:
	@bash scripts/ensure_package.sh "test -x /usr/sbin/apache2" apache2 "the Apache deploy test"

# The HTML validity test runs the Nu Html Checker (vnu.jar) with Java.
java:
	@bash scripts/ensure_package.sh "command -v java" default-jre-headless "the Nu Html Checker (vnu.jar)"

# Test-only tools from the npm registry (axe-core, vnu-jar, pym.js, and the hosts' own local
# runtimes for tests/test_host_runtimes.py: wrangler with its workerd binary, netlify-cli, and deno,
# whose binary netlify dev runs Netlify's edge functions in); never served. Pinned for Debian's
# Node 20 (newer wrangler and netlify-cli need Node 22). About 735 MB (deno: 92 MB) and a few
# minutes the first time; a second run installs nothing.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@bash scripts/ensure_package.sh "command -v npm" npm "the test-only npm tools (axe-core, vnu-jar, pym.js, wrangler, netlify-cli, deno)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_STAMP)

# WordPress's own wp-embed.js (from Debian's wordpress package, unpacked, not installed)
# for the test host page that reproduces a WordPress post embedding our pages.
wordpress:
	@bash scripts/ensure_wp_embed.sh

# The rules are in pyproject.toml ([tool.ruff]); `$(BIN)/ruff check --fix scripts tests` applies the safe fixes.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests

# Lint before the tests (its last prerequisite): a lint error fails in seconds, not after the long run.
test: $(STAMP) browser nginx apache java node wordpress lint
	$(BIN)/python -m pytest

# Not part of `make test`. Lighthouse is optional: `npm install -g lighthouse@12.8.2`
# (or LIGHTHOUSE=/path/to/lighthouse) adds its mobile scores; Chromium is Debian's.
# BENCH_ARGS: --only-scaling (build cost only), --scales 1,5 (fewer copies), --no-lighthouse.
bench: $(STAMP) nginx
	CHROME_PATH=/usr/bin/chromium $(BIN)/python -m feeling_safe.measuring.bench $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache
