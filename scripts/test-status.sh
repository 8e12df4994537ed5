#!/usr/bin/env bash
# Status API tests against a complete node (scripts/node-stack.sh: MariaDB, the worker pool,
# nginx, the GeoIP test database) in var/test-status, nginx on 127.0.0.1:18140 and MariaDB on
# 3450 (DOWNSTREAM_STATUS_PORT / DOWNSTREAM_STATUS_DB_PORT override them). Runs the StatusGeo
# and StatusApi suites of build/integration-tests, then restarts the pool with a missing and
# with a corrupt geoip.mmdb and runs StatusNoGeo against each. Stops everything it started,
# pass or fail, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_STATUS_PORT:-18140}
DB_PORT=${DOWNSTREAM_STATUS_DB_PORT:-3450}
INTERVAL=3   # contract.interval (s): short, so contracts expire while the tests watch
DIR=$ROOT/var/test-status

source scripts/lib/tally.sh
trap 'scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

# Up to date after `make test`; standalone runs build what changed.
nice make -s -j2 BUILD="$BUILD" "$BUILD/integration-tests" "$BUILD/downstream-node" "$BUILD/www" >/dev/null || {
  echo "test-status: build failed"; failed=1; finish; }

scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
if ! uri=$(scripts/node-stack.sh start "$DIR" --port "$PORT" --db-port "$DB_PORT" \
             --set contract.interval=$INTERVAL 2>"$DIR.start.log"); then
  echo "test-status: the node stack did not start: $(tail -n 5 "$DIR.start.log")"; failed=1; finish
fi
node=("$ROOT/$BUILD/downstream-node" --config "$DIR/node.conf")
if ! "${node[@]}" generate-chunk 4096 60 >"$DIR/log/generate.log" 2>&1; then
  echo "test-status: generate-chunk failed: $(tail -n 3 "$DIR/log/generate.log")"; failed=1; finish
fi

export DOWNSTREAM_HTTP_URL="http://127.0.0.1:$PORT"
export DOWNSTREAM_TEST_DB_URI=$uri
export DOWNSTREAM_STATUS_INTERVAL=$INTERVAL
export DOWNSTREAM_STATUS_CACHE_DIR=$DIR/nginx/status_cache  # nginx's status cache (local template)
"$BUILD/integration-tests" StatusGeo StatusApi 2>&1 | tee "$DIR/suites.log"
count "$DIR/suites.log"

# A missing and a corrupt GeoIP file: the pool restarts with the file layered over the
# stack's config; the serve log starts empty so the suite can count the error lines.
head -c 65536 /dev/urandom >"$DIR/corrupt.mmdb"
for broken in "$DIR/missing.mmdb" "$DIR/corrupt.mmdb"; do
  echo "geoip.mmdb = $broken" >"$DIR/broken-geo.conf"
  cp "$DIR/extra-configs" "$DIR/extra-configs.saved"
  echo "$DIR/broken-geo.conf" >>"$DIR/extra-configs"
  : >"$DIR/log/serve.log"
  if scripts/node-stack.sh restart-serve "$DIR"; then
    DOWNSTREAM_STATUS_SERVE_LOG="$DIR/log/serve.log" DOWNSTREAM_STATUS_GEO_BROKEN="$broken" \
      "$BUILD/integration-tests" StatusNoGeo 2>&1 | tee "$DIR/nogeo.log"
    count "$DIR/nogeo.log"
  else
    echo "FAIL the pool did not start with geoip.mmdb = $broken"; failed=$((failed + 1))
  fi
  mv "$DIR/extra-configs.saved" "$DIR/extra-configs"
done
if grep -Eq '[0-9a-fA-F]{32}' "$DIR/log/serve.log"; then
  echo "FAIL the serve log holds a token-like hex string"; failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
finish
