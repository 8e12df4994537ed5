#!/usr/bin/env bash
# Runs every test suite of `make test` in order and ends with one line "N passed, N failed".
#
# Each suite prints its own "N passed, N failed" line last; a suite that dies without one
# counts as one failure. Suites that need servers start them through scripts/test-stack.sh
# and stop them when they end, pass or fail.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
mkdir -p "$BUILD/test-logs"

total_passed=0
total_failed=0
summary=()

# suite NAME COMMAND... : runs one suite, echoing its output, and adds its counts.
suite() {
  local name=$1; shift
  local log="$BUILD/test-logs/$name.log"
  local started=$SECONDS
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line passed failed
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [[ -n "$line" ]]; then
    passed=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
    failed=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
    if ((rc != 0 && failed == 0)); then failed=1; fi
  else
    passed=0; failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("$(printf '%-14s %5d passed %3d failed  %4ds' "$name" "$passed" "$failed" $((SECONDS - started)))")
}

suite layering scripts/check-layers.sh
suite unit "$BUILD/unit-tests"
suite store scripts/test-integration.sh
suite http scripts/test-http.sh
suite status scripts/test-status.sh
[[ -x scripts/test-api.sh ]] && suite api scripts/test-api.sh
[[ -x scripts/test-faults.sh ]] && suite faults scripts/test-faults.sh
[[ -x scripts/test-browser.sh ]] && suite browser scripts/test-browser.sh
[[ -x scripts/test-ops.sh ]] && suite ops scripts/test-ops.sh
[[ -x scripts/test-systemd.sh ]] && suite systemd scripts/test-systemd.sh
[[ -x scripts/test-cluster.sh && "${DOWNSTREAM_SKIP_CLUSTER:-}" != 1 ]] && suite cluster scripts/test-cluster.sh

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
((total_failed == 0))
