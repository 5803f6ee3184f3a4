#!/usr/bin/env python3
"""Copies the ratio table of benches/RESULTS.md (written by benches/report.sh) into README.md,
between the `<!-- perf-table:begin -->` and `<!-- perf-table:end -->` markers, with the chart of
the same table (benches/ratios.svg, drawn by benches/chart) under it, so the README's
Performance table is produced by the script, never typed by hand."""
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
results = open(os.path.join(root, "benches", "RESULTS.md")).read().splitlines()
readme_path = os.path.join(root, "README.md")
readme = open(readme_path).read()
BEGIN, END = "<!-- perf-table:begin -->", "<!-- perf-table:end -->"
if BEGIN not in readme or END not in readme:
    sys.exit("README.md has no perf-table markers")

machine = next(l for l in results if l.startswith("Machine:"))
repro = next(l for l in results if l.startswith("Reproduce:"))
start = next(i for i, l in enumerate(results) if l.startswith("| operation | netorder | time"))
end = start
while end < len(results) and results[end].startswith("|"):
    end += 1
block = [
    BEGIN,
    "",
    machine,
    repro + " (then `python3 benches/readme_table.py` copies this table here).",
    "",
    *results[start:end],
    "",
    "![netorder ÷ best peer for every row of the table above, on a log scale with a line at 1.0"
    " (green: netorder faster)](benches/ratios.svg)",
    "",
    END,
]
head, rest = readme.split(BEGIN, 1)
_, tail = rest.split(END, 1)
open(readme_path, "w").write(head + "\n".join(block) + tail)
print(f"README.md: {end - start - 2} rows from benches/RESULTS.md")
