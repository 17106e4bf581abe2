"""Benchmarks: run them as scripts, e.g. `python bench/ack.py`."""
