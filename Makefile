# The two commands of the README, plus the pieces they are made of.
#   make run    Odoo with the whole suite and the demo firm on http://localhost:8069
#   make test   fresh databases, every module installed alone and together, all tests,
#               the lint gate and the log check; ends with "N passed, N failed"
.PHONY: run test setup lint help bench
.DEFAULT_GOAL := help

help:
	@echo "make run   [REBUILD=1]  start Odoo with the PSA Suite and the demo firm (database psa_demo)"
	@echo "make test               set up, install, run all tests, lint and log checks"
	@echo "make lint               the lint gate only"
	@echo "make bench [SCALE=1] [RUNS=3]  benchmark suite (docs/BENCHMARKS.md)"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

# A set-up failure (no Odoo, no PostgreSQL, ...) is a failed test run, never a skip.
test:
	@bash scripts/setup.sh || { echo "psa test: set-up failed, no test could run"; \
		echo "0 passed, 1 failed"; exit 1; }
	@.venv/bin/python scripts/run_tests.py

lint: setup
	@.venv/bin/python scripts/lint.py

# The benchmark suite (docs/BENCHMARKS.md): generates the firm at SCALE (1 = ~100
# employees, 250,000 timesheets) into psa_bench_s<SCALE>, then measures ours against
# Odoo's native paths; prints one table and writes bench/results-<SCALE>.json.
SCALE ?= 1
RUNS ?= 3
bench: setup
	@.venv/bin/python scripts/bench.py --scale $(SCALE) --runs $(RUNS) $(BENCH_ARGS)
