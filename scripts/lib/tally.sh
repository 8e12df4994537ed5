# The pass/fail tally every scripts/test-*.sh keeps, sourced after `cd` to the repository.
# A suite ends with `finish`: one line "N passed, N failed" (what scripts/test-all.sh and CI
# read) and the exit status (0 only when nothing failed).
passed=0
failed=0

pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# count LOGFILE: adds the test runner's "N passed, N failed" line of LOGFILE to the tally, or
# one failure when the runner never got to print it (it crashed or did not start).
count() {
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [[ -z $line ]]; then failed=$((failed + 1)); return; fi
  passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")))
}

finish() {
  echo "$passed passed, $failed failed"
  ((failed == 0))
  exit
}
