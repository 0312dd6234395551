# The two set-up commands of the README: `make demo` (the main job) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint run evidence translate

$(STAMP): pyproject.toml .ci/bootstrap.sh
	bash .ci/bootstrap.sh
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gigsim experiment experiments/nyc_pay_standard.toml --out results/nyc_pay_standard
	$(VENV)/bin/gigsim compare results/nyc_pay_standard --report results/nyc_pay_standard/report

run: $(STAMP)
	$(VENV)/bin/gigsim run scenarios/baseline.toml --out results/baseline

# The scorecard and the episodes, their tables spliced into docs/validation.md. gigsim evidence exits 1 when a
# measure fails (the docs are written then too: the misses are information), so only other failures stop make.
evidence: $(STAMP)
	$(VENV)/bin/gigsim evidence --out results/evidence --docs docs/validation.md || test $$? -eq 1

# The policy episodes' translated numbers re-measured on the baseline and written into the episode and experiment
# files and docs/validation.md's table (after a re-calibration; `gigsim translate --check` only checks them).
translate: $(STAMP)
	$(VENV)/bin/gigsim translate --write --docs docs/validation.md

# two pytest-xdist workers, each test file whole on one of them: a module's shared worlds (module fixtures) are
# built once, and the browser tests run one after another in one worker's Chromium; files are handed out in
# collection order, which tests/conftest.py starts with the files holding slow or browser tests
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(PY) benchmarks/run.py

lint: $(STAMP)
	$(PY) -m ruff check .
