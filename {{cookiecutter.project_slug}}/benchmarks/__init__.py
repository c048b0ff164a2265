"""Benchmarks: run with ``uv run python benchmarks/run.py`` (see README.md)."""
