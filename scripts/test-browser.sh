#!/usr/bin/env bash
# Headless-browser test of the status page (test/browser/status_page_test.js, Debian's
# Chromium), part of `make test`. By default against the real node: a complete stack
# (scripts/node-stack.sh) in var/browser-test-node, nginx on 127.0.0.1:18141
# (BROWSER_TEST_NODE_PORT) and MariaDB on 3451 (BROWSER_TEST_NODE_DB_PORT), seeded with the 30
# farmers of test/browser/fixtures/farmers.json in SQL and two more registered through the API
# from GeoIP-test addresses (test/browser/seed_node.js); the test must find exactly these
# (STATUS_EXPECT) and raises heartbeats through MariaDB (STATUS_BUMP_CMD). Stops everything it
# started whatever happens. Ends with "N passed, N failed"; screenshots in build/screenshots/.
#
# BROWSER_TEST_MOCK=1 tests the page against the mock status API instead
# (test/browser/mock_status_api.js on port 18122, behind a test nginx on port 18121): handy
# while working on the page without a node.
# Against another server, start nothing here:
#   STATUS_PAGE_URL=http://127.0.0.1:PORT/ [STATUS_BUMP_CMD=... STATUS_EXPECT=...] scripts/test-browser.sh
# (the variables are described at the top of test/browser/status_page_test.js).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BROWSER_TEST_PORT:-18121}
MOCK_PORT=${BROWSER_MOCK_PORT:-18122}
RUN_DIR=$PWD/var/browser-test

fail() {
  echo "test-browser: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

make -s BUILD="$BUILD" "$BUILD/www" browser-test-deps >&2 || fail "could not build $BUILD/www or install the test's packages"

mock_pid=''
nginx_pid=''
node_dir=''
stop_all() {
  [[ -n "$node_dir" ]] && scripts/node-stack.sh stop "$node_dir" >/dev/null 2>&1
  if [[ -n "$nginx_pid" ]]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null
  fi
  if [[ -n "$mock_pid" ]]; then
    kill -TERM "$mock_pid" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$mock_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$mock_pid" 2>/dev/null
  fi
  wait 2>/dev/null
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() { # URL: until it answers (any HTTP status), at most 10 s
  for _ in $(seq 100); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  return 1
}

if [[ -z "${STATUS_PAGE_URL:-}" && "${BROWSER_TEST_MOCK:-}" != 1 ]]; then
  node_dir=$PWD/var/browser-test-node
  node_port=${BROWSER_TEST_NODE_PORT:-18141}
  scripts/node-stack.sh stop "$node_dir" >/dev/null 2>&1
  rm -rf "$node_dir"
  make -s BUILD="$BUILD" "$BUILD/downstream-node" >&2 || fail "could not build $BUILD/downstream-node"
  scripts/node-stack.sh start "$node_dir" --port "$node_port" --db-port "${BROWSER_TEST_NODE_DB_PORT:-3451}" \
    >/dev/null 2>"$node_dir.log" || fail "the node stack did not start: $(tail -n 5 "$node_dir.log")"
  node test/browser/seed_node.js sql test/browser/fixtures/farmers.json "$(date +%s%3N)" >"$node_dir/seed.sql" \
    || fail "could not write the seed"
  scripts/mariadb.sh sql "$node_dir/mariadb" downstream <"$node_dir/seed.sql" || fail "seeding MariaDB failed"
  node test/browser/seed_node.js api "http://127.0.0.1:$node_port/api/downstream/v1/" \
    test/browser/fixtures/farmers.json "$node_dir/expect.json" || fail "registering farmers through the API failed"
  export STATUS_PAGE_URL="http://127.0.0.1:$node_port/"
  export STATUS_EXPECT="$node_dir/expect.json"
  export STATUS_BUMP_CMD="$PWD/test/browser/bump_heartbeat.sh $node_dir/mariadb"
  # The workers' status indexes follow the database within about a second.
  for _ in $(seq 50); do
    [[ $(curl -s "${STATUS_PAGE_URL}api/downstream/v1/status/summary?seeded" | grep -o '"farmers":[0-9]*') == '"farmers":32' ]] && break
    sleep 0.2
  done
elif [[ -z "${STATUS_PAGE_URL:-}" ]]; then
  rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"/tmp || fail "cannot create $RUN_DIR"
  node test/browser/mock_status_api.js --port "$MOCK_PORT" >"$RUN_DIR/mock.log" 2>&1 &
  mock_pid=$!
  sed -e "s|@PREFIX@|$RUN_DIR|g" -e "s|@ROOT@|$PWD/$BUILD/www|g" \
      -e "s|@PORT@|$PORT|g" -e "s|@API_PORT@|$MOCK_PORT|g" \
      test/browser/nginx.conf.in >"$RUN_DIR/nginx.conf"
  nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log" &
  nginx_pid=$!
  wait_for "http://127.0.0.1:$MOCK_PORT/api/downstream/v1/status/summary" \
    || fail "the mock status API did not start: $(tail -n 5 "$RUN_DIR/mock.log")"
  wait_for "http://127.0.0.1:$PORT/" || fail "nginx did not start: $(tail -n 5 "$RUN_DIR/error.log")"
  # Something else answering on our ports would be tested in their place.
  kill -0 "$mock_pid" 2>/dev/null || fail "the mock exited: $(tail -n 5 "$RUN_DIR/mock.log")"
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited: $(tail -n 5 "$RUN_DIR/error.log")"
  export STATUS_PAGE_URL="http://127.0.0.1:$PORT/"
  export STATUS_MOCK_CONTROL="http://127.0.0.1:$MOCK_PORT/__mock/"
  export STATUS_EXPECT="$PWD/test/browser/fixtures/farmers.json"
fi

export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$PWD/$BUILD/screenshots}
export BROWSER_PROFILE_PARENT=$PWD/var
NODE_PATH="$PWD/$BUILD/browser-test/node_modules" node test/browser/status_page_test.js
