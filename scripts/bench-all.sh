#!/usr/bin/env bash
# `make bench`: runs every benchmark and collects the figures in build/bench.txt.
#   scripts/bench-*.sh    benchmarks that need servers (each starts and stops its own)
#   build/bench/*         benchmark programs that need nothing, unless a script runs them
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
out=$BUILD/bench.txt
: >"$out"
status=0
for script in scripts/bench-*.sh; do
  [[ $script == scripts/bench-all.sh ]] && continue
  echo "=== $script" | tee -a "$out"
  "$script" 2>&1 | tee -a "$out" || status=1
done
for program in "$BUILD"/bench/*; do
  [[ -x $program ]] || continue
  name=$(basename "$program")
  grep -qs "bench/$name" scripts/bench-*.sh && continue
  echo "=== $program" | tee -a "$out"
  "$program" 2>&1 | tee -a "$out" || status=1
done
echo "figures in $out"
exit $status
