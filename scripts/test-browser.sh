#!/usr/bin/env bash
# Headless-browser test of the status page. Builds build/www and the test's npm packages, starts
# the mock status API (test/browser/mock_status_api.js, port 18122) and a test nginx on port 18121
# serving build/www with /api/ proxied to the mock, runs test/browser/status_page_test.js, and
# stops both whatever happens. Ends with "N passed, N failed"; screenshots in build/screenshots/.
#
# Against another server (e.g. the real node with seeded farmers), start nothing here:
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
stop_all() {
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

if [[ -z "${STATUS_PAGE_URL:-}" ]]; then
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
