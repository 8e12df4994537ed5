#!/usr/bin/env bash
# API integration tests: the Api* suites of build/integration-tests against complete node
# stacks started with scripts/node-stack.sh (private MariaDB, `serve` worker pool, nginx),
# plus build/test-farmer farming against one of them. Stops everything it started, pass or
# fail, and ends with one line "N passed, N failed".
#
#   scripts/test-api.sh
#
# Stacks (fresh each run, under var/test-api/):
#   merkle   127.0.0.1:$DOWNSTREAM_API_PORT (18131), MariaDB $DOWNSTREAM_API_DB_PORT (3441):
#            contract.interval 3 s, 4 chunks per request, 160 KiB per address, 2 workers;
#            pool: 32 KiB and 8 KiB chunks, and 4 KiB chunks encoded with 2 challenges (so a
#            test can use them up). Runs the suites with signatures optional (as `make run`),
#            then restarts the pool with limits.require_signature = true for
#            ApiSignatureRequired.
#   swizzle  127.0.0.1:$DOWNSTREAM_API_SWIZZLE_PORT (18132), MariaDB
#            $DOWNSTREAM_API_SWIZZLE_DB_PORT (3442): heartbeat.type = swizzle, its own key
#            and database, for ApiSwizzle.
# DOWNSTREAM_KEEP_STACKS=1 leaves the stacks running for a look (stop them with
# scripts/node-stack.sh stop var/test-api/merkle, .../swizzle).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_API_PORT:-18131}
DB_PORT=${DOWNSTREAM_API_DB_PORT:-3441}
SWIZZLE_PORT=${DOWNSTREAM_API_SWIZZLE_PORT:-18132}
SWIZZLE_DB_PORT=${DOWNSTREAM_API_SWIZZLE_DB_PORT:-3442}
DIR=$ROOT/var/test-api
node=$ROOT/$BUILD/downstream-node
tests=$ROOT/$BUILD/integration-tests

source scripts/lib/tally.sh

cleanup() {
  [[ ${DOWNSTREAM_KEEP_STACKS:-} == 1 ]] && return
  scripts/node-stack.sh stop "$DIR/merkle" >/dev/null 2>&1
  scripts/node-stack.sh stop "$DIR/swizzle" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_stack NAME PORT DB_PORT [node-stack.sh options]: a fresh stack under $DIR/NAME
# (its output in $DIR/NAME-start.out and .err); prints the db.uri.
start_stack() {
  local name=$1 port=$2 db_port=$3; shift 3
  scripts/node-stack.sh stop "$DIR/$name" >/dev/null 2>&1
  rm -rf "${DIR:?}/$name"
  mkdir -p "$DIR/$name"
  scripts/node-stack.sh start "$DIR/$name" --port "$port" --db-port "$db_port" "$@" \
    >"$DIR/$name-start.out" 2>"$DIR/$name-start.err" ||
    { cat "$DIR/$name-start.out" "$DIR/$name-start.err" >&2; return 1; }
  tail -n 1 "$DIR/$name-start.out"
}

# run_suites NAME STACK PORT URI SUITE...: the suites against one stack.
run_suites() {
  local name=$1 stack=$2 port=$3 uri=$4; shift 4
  DOWNSTREAM_API_URL=http://127.0.0.1:$port DOWNSTREAM_API_STACK=$stack DOWNSTREAM_TEST_DB_URI=$uri \
    DOWNSTREAM_NODE_BINARY=$node "$tests" "$@" 2>&1 | tee "$DIR/$name.log"
  count "$DIR/$name.log"
}

# Up to date after `make test`; standalone runs build what changed. The stack serves the
# status page at /, which the shipped client's first GET needs.
nice make -j2 "$BUILD/downstream-node" "$BUILD/integration-tests" "$BUILD/test-farmer" "$BUILD/www" \
  >"$BUILD/test-api-build.log" 2>&1 || { cat "$BUILD/test-api-build.log"; fail "build"; finish; }
mkdir -p "$DIR"

# --- Merkle stack --------------------------------------------------------------------------
merkle=$DIR/merkle
uri=$(start_stack merkle "$PORT" "$DB_PORT" --set contract.interval=3 \
        --set limits.max_chunks_per_request=4 --set limits.max_size_per_address=163840) ||
  { fail "the Merkle stack did not start"; finish; }
echo "heartbeat.challenges = 2" >"$DIR/two-challenges.conf"
if ! { "$node" --config "$merkle/node.conf" generate-chunk 32K 90 &&
       "$node" --config "$merkle/node.conf" generate-chunk 8K 16 &&
       "$node" --config "$merkle/node.conf" --config "$DIR/two-challenges.conf" generate-chunk 4K 40
     } >"$DIR/merkle-pool.log" 2>&1; then
  cat "$DIR/merkle-pool.log"; fail "filling the Merkle pool"; finish
fi

run_suites merkle "$merkle" "$PORT" "$uri" ApiRoutes ApiTokens ApiChunks ApiChallenges ApiAnswers ApiRace \
  ApiTimeline

# The test farmer, as a human checks `make run` with it: GET /new (signatures optional here),
# contracts, three rounds of answers.
address=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2
"$node" --config "$merkle/node.conf" whitelist "$address" >/dev/null 2>&1
if "$BUILD/test-farmer" --url "http://127.0.0.1:$PORT" --address "$address" --size 65536 --rounds 3 \
     >"$DIR/test-farmer.log" 2>&1 && grep -q '^result: every answer accepted' "$DIR/test-farmer.log"; then
  pass "build/test-farmer farms 3 rounds with every answer accepted"
else
  cat "$DIR/test-farmer.log"; fail "build/test-farmer did not farm cleanly"
fi

# Killing workers last: requests of other suites must not be in flight meanwhile.
run_suites merkle-workers "$merkle" "$PORT" "$uri" ApiWorkers

# Signatures required (the production default): the pool restarts with one more config file.
echo "limits.require_signature = true" >"$DIR/require-signature.conf"
if scripts/node-stack.sh start "$merkle" --port "$PORT" --db-port "$DB_PORT" --set contract.interval=3 \
     --set limits.max_chunks_per_request=4 --set limits.max_size_per_address=163840 \
     --config "$DIR/require-signature.conf" >"$DIR/merkle-restart.log" 2>&1; then
  run_suites merkle-signed "$merkle" "$PORT" "$uri" ApiSignatureRequired
else
  cat "$DIR/merkle-restart.log"; fail "restarting the Merkle stack with signatures required"
fi

# Tokens are secrets: none may reach the node's log (32 hex digits, not part of a longer run).
if grep -Eq '(^|[^0-9a-fA-F])[0-9a-fA-F]{32}([^0-9a-fA-F]|$)' "$merkle/log/serve.log"; then
  fail "the node's log holds a token-like string"
else
  pass "the node's log holds no token-like string"
fi
scripts/node-stack.sh stop "$merkle" >/dev/null 2>&1

# --- Swizzle stack -------------------------------------------------------------------------
swizzle=$DIR/swizzle
# Started as `make run` starts its stack (the pool logging to the terminal): the pool must
# not hold node-stack.sh's stdout, which run-local.sh reads through $(...) and would wait on.
if uri=$(start_stack swizzle "$SWIZZLE_PORT" "$SWIZZLE_DB_PORT" --set heartbeat.type=swizzle \
           --set contract.interval=3 --serve-log -); then
  if [[ $(readlink "/proc/$(<"$swizzle/run/serve.pid")/fd/1") == "$DIR/swizzle-start.err" ]]; then
    pass "a pool logging to the terminal writes to stderr, not to node-stack.sh's stdout"
  else
    fail "the pool started with --serve-log - holds node-stack.sh's stdout"
  fi
  if "$node" --config "$swizzle/node.conf" generate-chunk 32K 8 >"$DIR/swizzle-pool.log" 2>&1; then
    run_suites swizzle "$swizzle" "$SWIZZLE_PORT" "$uri" ApiSwizzle
  else
    cat "$DIR/swizzle-pool.log"; fail "filling the Swizzle pool"
  fi
else
  fail "the Swizzle stack did not start"
fi
finish
