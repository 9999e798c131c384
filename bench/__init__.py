"""Benchmarks of the public site and the back office, run with `manage.py bench` (see README.md)."""
