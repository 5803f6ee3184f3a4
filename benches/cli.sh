#!/usr/bin/env bash
# The command-line tool's `pack` / `unpack` of 1 M records (`!HIQd?4s`) from a file, beside
# (a) the same text<->bytes job written on the public library API (examples/text_job.rs, a
# BufWriter, `values_from_text_into` + `pack_into`, `unpack_into` + `Display`) and (b) pure
# binary `pack_into` / `unpack_into` of values already built (timed inside text_job).
#
#   benches/cli.sh [OUT.tsv]    # RECORDS=1000000 RUNS=3 by default
#
# Each command runs RUNS times with stdin and stdout on files; the best wall-clock time is
# kept. Writes tab-separated rows `operation  netorder-id  seconds  peer-id  seconds` to
# OUT.tsv (for report.py) and a summary on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
RECORDS=${RECORDS:-1000000}
RUNS=${RUNS:-3}
FORMAT='!HIQd?4s'

cargo build --release --bin netorder --example text_job >&2
cli=target/release/netorder
lib=target/release/examples/text_job
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Deterministic records: every field kind, floats both integral and not.
python3 - "$dir" "$RECORDS" <<'PY'
import random, struct, sys
d, n = sys.argv[1], int(sys.argv[2])
r = random.Random(7)
lines, recs = [], []
for i in range(n):
    h, I, q = r.randrange(1 << 16), r.randrange(1 << 32), r.randrange(1 << 64)
    x = r.uniform(-1e6, 1e6) if i % 3 else float(r.randrange(1000))
    b, s = r.random() < 0.5, bytes(r.randrange(256) for _ in range(4))
    lines.append(f"{h} {I} {q} {x!r} {'true' if b else 'false'} 0x{s.hex()}")
    recs.append(struct.pack("!HIQd?4s", h, I, q, x, b, s))
open(f"{d}/values.txt", "w").write("\n".join(lines) + "\n")
open(f"{d}/records.bin", "wb").write(b"".join(recs))
PY

python3 - "$dir" "$cli" "$lib" "$FORMAT" "$RUNS" "$RECORDS" "$out" <<'PY'
import subprocess, sys, time
d, cli, lib, fmt, runs, records, out = sys.argv[1:8]
runs = int(runs)
label = f"{int(records) // 1000000}M" if int(records) % 1000000 == 0 else records

def best(cmd, stdin, expect):
    times = []
    for _ in range(runs):
        with open(stdin, "rb") as i, open(f"{d}/out", "wb") as o:
            t = time.perf_counter()
            subprocess.run(cmd, stdin=i, stdout=o, check=True)
            times.append(time.perf_counter() - t)
        if open(f"{d}/out", "rb").read() != open(expect, "rb").read():
            sys.exit(f"{cmd}: wrong output")
    return min(times)

txt, binf = f"{d}/values.txt", f"{d}/records.bin"
cli_pack = best([cli, "pack", fmt], txt, binf)
lib_pack = best([lib, "pack", fmt], txt, binf)
cli_unpack = best([cli, "unpack", fmt], binf, txt)
lib_unpack = best([lib, "unpack", fmt], binf, txt)
bin_pack = bin_unpack = float("inf")
for _ in range(runs):
    with open(binf, "rb") as i:
        words = subprocess.run([lib, "binary", fmt], stdin=i, capture_output=True,
                               check=True, text=True).stdout.split()
    bin_pack = min(bin_pack, float(words[1]))
    bin_unpack = min(bin_unpack, float(words[3]))

rows = [
    (f"cli_pack/{label}", "netorder pack (CLI)", cli_pack, "(a) library text job", lib_pack),
    (f"cli_pack/{label}", "netorder pack (CLI)", cli_pack, "(b) library pack_into only", bin_pack),
    (f"cli_unpack/{label}", "netorder unpack (CLI)", cli_unpack, "(a) library text job", lib_unpack),
    (f"cli_unpack/{label}", "netorder unpack (CLI)", cli_unpack, "(b) library unpack_into only", bin_unpack),
]
with open(out, "w") as f:
    for op, ours, t, peer, pt in rows:
        f.write(f"{op}\t{ours}\t{t}\t{peer}\t{pt}\n")
for op, ours, t, peer, pt in rows:
    print(f"{op}: {ours} {t:.3f} s, {peer} {pt:.3f} s, ratio {t / pt:.2f}", file=sys.stderr)
PY
