# The two set-up commands of the README: `make demo` (the main job) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint run

$(STAMP): pyproject.toml .ci/bootstrap.sh
	bash .ci/bootstrap.sh
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gigsim experiment experiments/nyc_pay_standard.toml --out results/nyc_pay_standard
	$(VENV)/bin/gigsim compare results/nyc_pay_standard --report results/nyc_pay_standard/report

run: $(STAMP)
	$(VENV)/bin/gigsim run scenarios/baseline.toml --out results/baseline

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run.py

lint: $(STAMP)
	$(PY) -m ruff check .
