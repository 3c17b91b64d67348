"""Benchmark of the managers' pages and the issue list on 100k issues: `make bench` (see __main__)."""
