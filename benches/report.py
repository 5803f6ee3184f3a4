#!/usr/bin/env python3
"""Reads criterion's results and callgrind counts; writes a markdown ratio table.

Usage: report.py OUT.md SINCE_EPOCH CALLGRIND_TSV COMMAND...

Convention: in every criterion group (and parameter, e.g. a buffer size), the bench functions
whose id starts with `netorder` are netorder; every other function of the same group and
parameter is a peer. Each netorder entry gets one row against the fastest peer (median time).
Only results written after SINCE_EPOCH (this run) are read.
"""
import json
import os
import platform
import subprocess
import sys

out_path, since, cg_path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
command = " ".join(sys.argv[4:])
root = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")

results = {}  # (group, param) -> {function: median_ns}
for dirpath, _dirs, files in os.walk(root):
    if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
        continue
    est_path = os.path.join(dirpath, "estimates.json")
    if not os.path.exists(est_path) or os.path.getmtime(est_path) < since:
        continue
    bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
    est = json.load(open(est_path))
    key = (bench["group_id"], bench.get("value_str") or "")
    results.setdefault(key, {})[bench["function_id"] or ""] = est["median"]["point_estimate"]


def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def cpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        return f"{info.get('Model name', '?').strip()}, {info.get('CPU(s)', '?').strip()} CPUs"
    except OSError:
        return platform.processor() or "?"


lines = [
    "# netorder benchmark results",
    "",
    f"Machine: {cpu()} ({platform.system()} {platform.machine()}); "
    f"{subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.strip()}.",
    "",
    f"Reproduce: `{command}`",
    "",
    "Ratio = netorder median time ÷ best peer median time, same run (below 1.00: netorder is",
    "faster). Rows come from criterion groups: a group's functions whose id starts with",
    "`netorder` are netorder, the others are peers. A shared, busy machine adds noise: read",
    "ratios, not absolute times. The `cli_*` rows come from `benches/cli.sh`: the command-line",
    "tool against (a) the same text<->bytes job written on the public library API",
    "(`examples/text_job.rs`) and (b) the library's binary `pack_into`/`unpack_into` alone;",
    "best of 3 wall-clock runs over files.",
    "",
    "| operation | netorder | time | best peer | time | ratio |",
    "|---|---|---|---|---|---|",
]
for (group, param) in sorted(results):
    funcs = results[(group, param)]
    ours = {f: t for f, t in funcs.items() if f.startswith("netorder")}
    peers = {f: t for f, t in funcs.items() if not f.startswith("netorder")}
    op = f"{group}/{param}" if param else group
    for f, t in sorted(ours.items()):
        if peers:
            best = min(peers, key=peers.get)
            lines.append(
                f"| {op} | `{f}` | {fmt_ns(t)} | `{best}` | {fmt_ns(peers[best])} "
                f"| {t / peers[best]:.2f} |"
            )
        else:
            lines.append(f"| {op} | `{f}` | {fmt_ns(t)} | (none) | | |")

# The command-line tool beside the library doing the same job (benches/cli.sh): seconds.
cli_path = cg_path + ".cli"
if os.path.exists(cli_path) and os.path.getsize(cli_path) > 0:
    for line in open(cli_path):
        op, ours, t, peer, pt = line.rstrip("\n").split("\t")
        t, pt = float(t), float(pt)
        lines.append(
            f"| {op} | `{ours}` | {fmt_ns(t * 1e9)} | `{peer}` | {fmt_ns(pt * 1e9)} "
            f"| {t / pt:.2f} |"
        )

if os.path.exists(cg_path) and os.path.getsize(cg_path) > 0:
    lines += [
        "",
        "## Instructions per operation (valgrind callgrind)",
        "",
        "Counted by `benches/callgrind.rs` under `valgrind --tool=callgrind`: each operation runs",
        "N and 2N times in two processes; (Ir(2N) - Ir(N)) / N is the instruction count of one",
        "operation, free of start-up and set-up costs. Deterministic, unlike the times. Under",
        "valgrind `memcpy` is valgrind's own replacement, so its count says nothing of glibc's.",
        "",
        "| operation | netorder | Ir/op | peer | Ir/op | ratio |",
        "|---|---|---|---|---|---|",
    ]
    rows = {}
    for line in open(cg_path):
        op, func, ir = line.rstrip("\n").split("\t")
        rows.setdefault(op, {})[func] = float(ir)
    for op in sorted(rows):
        funcs = rows[op]
        ours = {f: v for f, v in funcs.items() if f.startswith("netorder")}
        peers = {f: v for f, v in funcs.items() if not f.startswith("netorder")}
        for f, v in sorted(ours.items()):
            for p, pv in sorted(peers.items()):
                ratio = f"{v / pv:.2f}" if pv else ""
                lines.append(f"| {op} | `{f}` | {v:.1f} | `{p}` | {pv:.1f} | {ratio} |")

asm_path = cg_path + ".asm"
if os.path.exists(asm_path) and os.path.getsize(asm_path) > 0:
    lines += [
        "",
        "## Scalar conversions and fixed records: machine code",
        "",
        "`objdump -d` of the `probe_*` functions in `benches/callgrind.rs`, each behind a call",
        "boundary: `hton32`, `ntoh64` and std's `to_be`/`from_be`; the 33-byte record encoded and",
        "decoded by `#[derive(FixedRecord)]` (`record::fixed`) and by hand-written",
        "`to_be_bytes`/`from_be_bytes` code. A probe missing from the listing was folded into an",
        "identical one (the compiler emitted the same bytes once).",
        "",
        "```",
        *open(asm_path).read().rstrip("\n").splitlines(),
        "```",
    ]

open(out_path, "w").write("\n".join(lines) + "\n")
print(f"wrote {out_path}: {len(lines)} lines")
