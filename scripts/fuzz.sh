#!/usr/bin/env bash
# Runs the libFuzzer targets that `make fuzz-targets` built, each for a bounded time, and ends
# with one line "N passed, N failed" (a target passes when libFuzzer exits 0).
#
#   scripts/fuzz.sh [NAME...]     NAME as in test/fuzz/NAME_fuzz.cpp; default: every target
#
# Environment: FUZZ_SECONDS (default 20) per target; BUILD (default build); FUZZ_ARGS, extra
# libFuzzer flags for every target. A target's own flags, if any, sit in its source on a line
# "// fuzz-args: -max_len=65536 ...".
#
# Each target runs on a scratch corpus, $BUILD/fuzz/corpus/NAME, seeded from the committed
# test/fuzz/corpus/NAME (what the fuzzer finds stays in the scratch copy and is reused by the
# next run; `make clean` forgets it). A crash, leak, timeout or broken invariant leaves its
# input in $BUILD/fuzz/crashes/NAME/ and the command that replays it is printed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECONDS_EACH=${FUZZ_SECONDS:-20}
FUZZ_DIR=$BUILD/fuzz

if (($# == 0)); then
  set -- $(ls test/fuzz/*_fuzz.cpp | sed -E 's#.*/(.*)_fuzz\.cpp#\1#')
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
mkdir -p "$FUZZ_DIR/logs"
for name in "$@"; do
  bin=$FUZZ_DIR/bin/${name}_fuzz
  source=test/fuzz/${name}_fuzz.cpp
  corpus=$FUZZ_DIR/corpus/$name
  crashes=$FUZZ_DIR/crashes/$name
  log=$FUZZ_DIR/logs/$name.log
  if [[ ! -x "$bin" ]]; then
    echo "FAIL $name: $bin is missing (make fuzz-targets)"
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$corpus" "$crashes"
  if [[ -d test/fuzz/corpus/$name ]]; then
    cp -n test/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
  fi
  target_args=$(sed -nE 's#^// fuzz-args:(.*)#\1#p' "$source" 2>/dev/null | head -n 1)
  # shellcheck disable=SC2086  # the argument lists are word lists on purpose
  nice "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" $target_args ${FUZZ_ARGS:-} \
    "$corpus" >"$log" 2>&1
  rc=$?
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  units=$(find "$corpus" -type f | wc -l)
  if ((rc == 0)); then
    passed=$((passed + 1))
    printf 'ok   %-16s %9s execs in %ss (%s/s), corpus %s files\n' \
      "$name" "${execs:-?}" "$SECONDS_EACH" "${rate:-?}" "$units"
  else
    failed=$((failed + 1))
    printf 'FAIL %-16s libFuzzer exit %d after %s execs; log: %s\n' "$name" "$rc" "${execs:-?}" "$log"
    grep -E 'ERROR|fuzz invariant failed|SUMMARY|runtime error|deadly signal' "$log" | head -n 8 | sed 's/^/     /'
    sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | while read -r unit; do
      echo "     reproduce: $bin $unit"
    done
  fi
done
echo "$passed passed, $failed failed"
((failed == 0))
