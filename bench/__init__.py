"""Benchmarks, run as scripts by `make bench`: figures and ratios, not pass or fail."""
