#!/usr/bin/env bash
# Operations tests against a complete node (scripts/node-stack.sh: real `serve`, nginx,
# MariaDB) under var/test-ops: the Ops* suites of build/integration-tests (metrics, health,
# lifecycle: kill -9, SIGHUP, SIGTERM drain), then checks of the logs the run produced (one
# line per event with a time and a level; no token anywhere). Stops everything it started,
# pass or fail, and ends with one line "N passed, N failed".
#
#   scripts/test-ops.sh     (DOWNSTREAM_OPS_PORT, default 18150; DOWNSTREAM_OPS_DB_PORT, 3460)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_OPS_PORT:-18150}
DB_PORT=${DOWNSTREAM_OPS_DB_PORT:-3460}
DIR=$ROOT/var/test-ops
WORKERS=2   # what scripts/node-stack.sh configures

source scripts/lib/tally.sh
trap 'scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

check() {  # NAME COMMAND...: one check of this script
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then echo "ok   $name"; passed=$((passed + 1))
  else echo "FAIL $name"; echo "$out" | head -n 20 | sed 's/^/     /'; failed=$((failed + 1)); fi
}

# Up to date after `make test`; standalone runs build what changed.
nice make -j2 "$BUILD/downstream-node" "$BUILD/integration-tests" >/dev/null || {
  echo "test-ops: build failed"; failed=1; finish; }
[[ -f $BUILD/www/index.html ]] || make "$BUILD/www" >/dev/null || {
  echo "test-ops: the status page did not build"; failed=1; finish; }

# A fresh stack: a leftover from an interrupted run must not hold the ports or the data.
scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
mkdir -p "$DIR"
: >"$DIR/ops.conf"   # layered over node.conf; the SIGHUP test rewrites it
if ! scripts/node-stack.sh start "$DIR" --port "$PORT" --db-port "$DB_PORT" --config "$DIR/ops.conf" \
     --set threads=2 --set limits.max_tokens_per_ip=1000 >"$DIR/start.log" 2>&1; then
  echo "test-ops: the node stack did not start"; cat "$DIR/start.log"; failed=1; finish
fi

export DOWNSTREAM_HTTP_URL="http://127.0.0.1:$PORT"
export DOWNSTREAM_HTTP_PID_FILE="$DIR/run/serve.pid"
export DOWNSTREAM_OPS_DIR="$DIR"
export DOWNSTREAM_OPS_CONFIG="$DIR/ops.conf"
export DOWNSTREAM_OPS_WORKERS=$WORKERS

# Workers report ready before nginx may reach them all; /health says when they answer.
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$DOWNSTREAM_HTTP_URL/health" && break
  sleep 0.1
done

"$BUILD/integration-tests" OpsMetrics OpsHealth OpsLifecycle 2>&1 | tee "$DIR/suites.log"
count "$DIR/suites.log"
# OpsDrain stops the node: last, alone.
"$BUILD/integration-tests" OpsDrain 2>&1 | tee "$DIR/drain.log"
count "$DIR/drain.log"

# What the run left in the logs of the master, the workers and the CLI.
serve_log=$DIR/log/serve.log
line_format='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (debug|info |warn |error) [^ ]'
check "every serve log line has a UTC time and a level" \
  bash -c '[[ -s "$1" ]] && ! grep -Evn "$2" "$1"' _ "$serve_log" "$line_format"
check "every CLI log line has a UTC time and a level" \
  bash -c '[[ -s "$1" ]] && ! grep -Evn "$2" "$1"' _ "$DIR/log/cli.log" "$line_format"
check "the serve log holds the master's, the workers' and the access lines" \
  bash -c 'grep -q " info  master: pid " "$1" && grep -q " error master: worker .* died (signal 9" "$1" &&
           grep -q " info  master: reloading" "$1" && grep -q " info  master: all workers stopped" "$1" &&
           grep -q " info  access: GET /api/downstream/v1/chunk/<token>/<size> 200 " "$1" &&
           grep -q " warn  access: GET /api/downstream/v1/heartbeat/<token> 503 " "$1" &&
           grep -q " warn  health: database unavailable" "$1"' _ "$serve_log"
# Tokens are 32 hex digits and travel in URLs: not one may reach a log.
check "no token-like string in the serve or CLI logs" \
  bash -c '! grep -Ehn "(^|[^0-9a-fA-F])[0-9a-fA-F]{32}([^0-9a-fA-F]|$)" "$1" "$2"' _ "$serve_log" "$DIR/log/cli.log"
check "nginx's access log names routes with <token>, never a token" \
  bash -c 'grep -q "GET /api/downstream/v1/chunk/<token>/65536 " "$1" &&
           ! grep -Ehn "(^|[^0-9a-fA-F])[0-9a-fA-F]{32}([^0-9a-fA-F]|$)" "$1"' _ "$DIR/nginx/access.log"
finish
