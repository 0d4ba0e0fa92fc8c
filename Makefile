# Everyday tasks. `make test` is the README's test command.
PY ?= python

.PHONY: install test lint format typecheck bench

install:
	$(PY) -m pip install -e '.[dev]'

test:
	$(PY) -m pytest -q

lint:
	ruff check src tests bench
	ruff format --check src tests bench
	mypy

format:
	ruff check --fix src tests bench
	ruff format src tests bench

bench:
	$(PY) bench/bench_ratings.py
	$(PY) bench/bench_update.py
	$(PY) bench/bench_resolve.py
	$(PY) bench/bench_report.py
	$(PY) bench/bench_check.py
	$(PY) bench/bench_startup.py
