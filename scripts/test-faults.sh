#!/usr/bin/env bash
# Fault and hostile-input tests against one complete node stack (scripts/node-stack.sh:
# private MariaDB, `serve` worker pool, nginx), loopback only, bounded in time:
#   BadInput*   every route through real nginx with malformed, nested, oversize, gzip-bomb,
#               traversal, SQL-metacharacter, invalid-UTF-8 and slow inputs: 4xx JSON only,
#               the database unchanged, the node alive (run first, while nothing else writes)
#   FaultLoad   six farmer threads answering continuously while a worker is killed -9,
#               MariaDB is restarted and killed -9, nginx is reloaded, the pool gets SIGHUP and
#               every worker is killed -9; then the heartbeat accounting must be exact
# Stops everything it started, pass or fail, and ends with one line "N passed, N failed".
#
#   scripts/test-faults.sh
#
# Stack (fresh each run) under var/test-faults/stack: nginx 127.0.0.1:$DOWNSTREAM_FAULTS_PORT
# (18170), MariaDB $DOWNSTREAM_FAULTS_DB_PORT (3480); contract.interval 4 s, 2 workers,
# limits.max_body_size 1 MiB (below nginx's 16 MiB, so both limits can be crossed), a pool of
# 4 KiB chunks. DOWNSTREAM_KEEP_STACKS=1 leaves it running (scripts/node-stack.sh stop DIR).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_FAULTS_PORT:-18170}
DB_PORT=${DOWNSTREAM_FAULTS_DB_PORT:-3480}
DIR=$ROOT/var/test-faults
STACK=$DIR/stack
node=$ROOT/$BUILD/downstream-node
tests=$ROOT/$BUILD/integration-tests
started=$SECONDS

source scripts/lib/tally.sh
finish() {
  echo "test-faults: $((SECONDS - started)) s"
  echo "$passed passed, $failed failed"
  ((failed == 0))
  exit
}

cleanup() {
  [[ ${DOWNSTREAM_KEEP_STACKS:-} == 1 ]] && return
  scripts/node-stack.sh stop "$STACK" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_suites() {  # NAME SUITE...
  local name=$1; shift
  DOWNSTREAM_API_URL=http://127.0.0.1:$PORT DOWNSTREAM_API_STACK=$STACK DOWNSTREAM_TEST_DB_URI=$uri \
    DOWNSTREAM_NODE_BINARY=$node timeout 300 "$tests" "$@" 2>&1 | tee "$DIR/$name.log"
  count "$DIR/$name.log"
}

# Up to date after `make test`; standalone runs build what changed.
nice make -j2 "$BUILD/downstream-node" "$BUILD/integration-tests" "$BUILD/www" \
  >"$BUILD/test-faults-build.log" 2>&1 || { cat "$BUILD/test-faults-build.log"; fail "build"; finish; }

scripts/node-stack.sh stop "$STACK" >/dev/null 2>&1
rm -rf "$DIR"
mkdir -p "$DIR"
uri=$(scripts/node-stack.sh start "$STACK" --port "$PORT" --db-port "$DB_PORT" \
        --set contract.interval=4 --set limits.max_body_size=1048576 \
        2>"$DIR/start.err" | tail -n 1) && [[ -n $uri ]] ||
  { cat "$DIR/start.err"; fail "the stack did not start"; finish; }
"$node" --config "$STACK/node.conf" generate-chunk 4K 400 >"$DIR/pool.log" 2>&1 ||
  { cat "$DIR/pool.log"; fail "filling the pool"; finish; }

run_suites bad-input BadInput
run_suites faults FaultLoad
finish
