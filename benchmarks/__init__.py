"""Benchmarks (not tests, not part of ``make test``): ``python -m benchmarks.run``."""
