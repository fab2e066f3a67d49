"""Benchmarks and the extraction evaluation (``python -m bench.evaluate``)."""
