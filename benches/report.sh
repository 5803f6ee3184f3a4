#!/usr/bin/env bash
# Runs the criterion benches (all bench targets, or those named as arguments) with short
# warm-up and measurement times, counts instructions per operation with callgrind, and writes
# benches/RESULTS.md (a netorder-vs-best-peer ratio table).
#
#   benches/report.sh                 # every bench target
#   benches/report.sh order int       # only these
#   WARMUP=1 MEASURE=2 benches/report.sh
#   CLI=0 benches/report.sh int       # without benches/cli.sh (the CLI vs library rows)
#   SINCE=EPOCH benches/report.sh transport   # re-run some targets, keep the other targets'
#                                             # results written after EPOCH in the table
#
# Then draws the ratio table as an SVG bar chart, benches/ratios.svg (benches/chart, plotters),
# and copies the table and the chart into the README (benches/readme_table.py).
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-1}
MEASURE=${MEASURE:-2}
if [ $# -gt 0 ]; then
    benches=("$@")
else
    benches=()
    for f in benches/*.rs; do
        name=$(basename "$f" .rs)
        [ "$name" = callgrind ] && continue
        # Its own harness and report (benches/SERVER.md), and it needs the reactor feature.
        [ "$name" = server ] && continue
        benches+=("$name")
    done
fi

since=${SINCE:-$(date +%s)}
for b in "${benches[@]}"; do
    echo "== cargo bench --all-features --bench $b" >&2
    # All features: some groups (the tokio codec) exist only with theirs.
    cargo bench --all-features --bench "$b" -- --warm-up-time "$WARMUP" --measurement-time "$MEASURE" >&2
done

# Instruction counts: the callgrind harness runs one operation N or 2N times.
cg=$(mktemp)
if command -v valgrind >/dev/null; then
    # All features: the tokio codec's rows exist only with theirs, the CRC rows with theirs.
    cargo bench --all-features --bench callgrind --no-run >&2
    bin=$(cargo bench --all-features --bench callgrind --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="callgrind" and m.get("executable"):
        print(m["executable"])')
    ir() { # ir OP COUNT -> instructions collected
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    n=2000
    "$bin" --list | while IFS=$'\t' read -r op group func; do
        a=$(ir "$op" $n)
        b=$(ir "$op" $((2 * n)))
        printf '%s\t%s\t%s\n' "$group" "$func" "$(python3 -c "print(($b - $a) / $n)")" >>"$cg"
        echo "callgrind $op: $(python3 -c "print(($b - $a) / $n)") Ir/op" >&2
    done
    # The scalar probes' machine code (identical functions may be folded into one symbol).
    objdump -d --no-show-raw-insn -C "$bin" 2>/dev/null |
        awk '/^[0-9a-f]+ <callgrind::probe_/{p=1} p&&/int3|^$/{p=0} p' >"$cg.asm" || true
else
    echo "valgrind not found: no instruction counts" >&2
fi

# The command-line tool against the library doing the same job (skip with CLI=0).
if [ "${CLI:-1}" != 0 ]; then
    echo "== benches/cli.sh" >&2
    benches/cli.sh "$cg.cli"
fi

python3 -B benches/report.py benches/RESULTS.md "$since" "$cg" \
    "$(echo "WARMUP=$WARMUP MEASURE=$MEASURE benches/report.sh $*" | sed "s/ *$//")"
rm -f "$cg" "$cg.asm" "$cg.cli"
cargo run --quiet --release -p netorder-bench-chart -- benches/RESULTS.md benches/ratios.svg
python3 benches/readme_table.py
