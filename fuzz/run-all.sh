#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) on stable (`-s none`) and prints a table:
# executions, executions per second, corpus size and crashes per target. Exits 1 if any
# target crashed.
#   FUZZ_SECONDS=600 bash fuzz/run-all.sh            # all targets
#   FUZZ_SECONDS=60 bash fuzz/run-all.sh int_varint  # some targets
# A dictionary in dict/TARGET.dict is used when there is one, and the libFuzzer flags in
# options/TARGET.args (one a line, e.g. -max_len=256: small inputs keep a target fast). Crashes land in
# artifacts/TARGET/; the log of each run is logs/TARGET.log.
set -uo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for t in "${targets[@]}"; do cargo fuzz build -s none "$t" || exit 1; done
mkdir -p logs
rows=()
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  log="logs/$t.log"
  before=$(find artifacts/"$t" -type f 2>/dev/null | wc -l)
  extra=() # the dictionary and the target's own flags
  if [ -f "dict/$t.dict" ]; then extra=(-dict="dict/$t.dict"); fi
  if [ -f "options/$t.args" ]; then mapfile -t -O ${#extra[@]} extra < "options/$t.args"; fi
  # -rss_limit_mb guards total memory; the capped allocator in src/lib.rs guards single
  # allocations; -timeout catches an input that hangs (a loop that never ends).
  cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "${extra[@]}" \
    >"$log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  corpus=$(find "corpus/$t" -type f | wc -l)
  after=$(find artifacts/"$t" -type f 2>/dev/null | wc -l)
  crashes=$((after - before))
  if [ $rc -ne 0 ]; then failed=1; tail -30 "$log"; fi
  rows+=("$(printf '| %-22s | %12s | %9s | %7s | %7s | %s |' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$crashes" "$([ $rc -eq 0 ] && echo ok || echo FAIL)")")
done
echo "FUZZ_SECONDS=$secs per target"
printf '| %-22s | %12s | %9s | %7s | %7s | %s |\n' target executions exec/s corpus crashes result
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..24})" "$(printf -- '-%.0s' {1..14})" "-----------" "---------" "---------" "--------"
printf '%s\n' "${rows[@]}"
exit $failed
