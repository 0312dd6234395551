PY ?= .venv/bin/python

.PHONY: test bench lint

test:
	$(PY) -m pytest

bench:
	$(PY) benchmarks/run.py

lint:
	$(PY) -m ruff check .
