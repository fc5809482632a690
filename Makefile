# Shortcuts for dev.py, which needs nothing but Python 3.11.
.PHONY: run test bench
run:
	python3 dev.py run
test:
	python3 dev.py test
bench:
	.venv/bin/python bench/run_all.py
