"""Benchmarks: `make bench`. Each prints a table and writes JSON under bench/results/."""
