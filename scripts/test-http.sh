#!/usr/bin/env bash
# HTTP stack tests: real nginx in front of build/tools/echo_fcgi_app (the real WorkerPool,
# FcgiServer and Router with test routes), driven by the HttpStack* suites of
# build/integration-tests. Starts everything under var/test-http, stops everything it
# started, pass or fail, and ends with one line "N passed, N failed".
#
#   scripts/test-http.sh            (DOWNSTREAM_HTTP_PORT overrides the port, default 18111)
#
# The suites read DOWNSTREAM_HTTP_URL, DOWNSTREAM_HTTP_PID_FILE and DOWNSTREAM_HTTP_MAX_BODY
# (test/integration/http/stack_client.h). HttpStackDrainTest stops the app, so it runs last.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_HTTP_PORT:-18111}
DIR=$ROOT/var/test-http
SOCKET=$DIR/fcgi.sock
MAX_BODY=1048576   # the worker's limit; nginx's client_max_body_size is 16m

source scripts/lib/tally.sh
skipped=0
finish() {
  if ((skipped > 0)); then echo "$passed passed, $failed failed, $skipped skipped"
  else echo "$passed passed, $failed failed"; fi
  ((failed == 0))
  exit
}

stop_app() {
  [[ -s "$DIR/app.pid" ]] || return 0
  local pid; pid=$(<"$DIR/app.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/app.pid"
}
cleanup() {
  stop_app
  [[ -n "${APP_PID:-}" ]] && wait "$APP_PID" 2>/dev/null
  scripts/nginx.sh stop "$DIR/nginx" >/dev/null 2>&1 || true
  rm -f "$SOCKET"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Up to date after `make test`; standalone runs build what changed.
nice make -j2 "$BUILD/integration-tests" "$BUILD/tools/echo_fcgi_app" >/dev/null || {
  echo "test-http: build failed"; failed=1; finish; }

# A leftover from an interrupted run must not hold the port or the socket.
stop_app
scripts/nginx.sh stop "$DIR/nginx" >/dev/null 2>&1 || true
rm -rf "$DIR"
mkdir -p "$DIR"

WWW=$ROOT/nginx/www
if [[ ! -f "$WWW/index.html" ]]; then
  WWW=$DIR/www
  mkdir -p "$WWW"
  echo '<!doctype html><title>downstream-node</title><p>test page</p>' >"$WWW/index.html"
fi

"$BUILD/tools/echo_fcgi_app" --socket "$SOCKET" --workers 2 --threads 4 --max-body "$MAX_BODY" \
  --pid-file "$DIR/app.pid" --drain-ms 10000 >"$DIR/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 100); do [[ -S "$SOCKET" && -s "$DIR/app.pid" ]] && break; sleep 0.05; done
if [[ ! -S "$SOCKET" ]]; then
  echo "test-http: echo_fcgi_app did not create $SOCKET"; cat "$DIR/app.log"; failed=1; finish
fi
if ! scripts/nginx.sh start "$DIR/nginx" "$PORT" "$SOCKET" "$WWW"; then
  echo "test-http: nginx did not start"; failed=1; finish
fi

export DOWNSTREAM_HTTP_URL="http://127.0.0.1:$PORT"
export DOWNSTREAM_HTTP_PID_FILE="$DIR/app.pid"
export DOWNSTREAM_HTTP_MAX_BODY="$MAX_BODY"

"$BUILD/integration-tests" HttpStackRouting HttpStackAddress HttpStackBody HttpStackStream HttpStackProcess \
  2>&1 | tee "$DIR/suites.log"
count "$DIR/suites.log"
"$BUILD/integration-tests" HttpStackDrain 2>&1 | tee "$DIR/drain.log"
count "$DIR/drain.log"

# Inherited sockets: spawn-fcgi hands the listening socket over as fd 0, systemd socket
# activation as fd 3 with LISTEN_PID/LISTEN_FDS. The app must serve on it (and not create
# its own --socket). Requests go straight to FastCGI with cgi-fcgi, no nginx involved.
inherit_check() {  # NAME SOCKET LAUNCHER...
  local name=$1 sock=$2; shift 2
  rm -f "$sock" "$DIR/unused.sock"
  "$@" "$ROOT/$BUILD/tools/echo_fcgi_app" --socket "$DIR/unused.sock" --workers 1 --threads 2 \
    >"$DIR/$name.log" 2>&1 &
  local launcher=$! reply=""
  for _ in $(seq 1 100); do
    [[ -S "$sock" ]] && reply=$(REQUEST_METHOD=GET REQUEST_URI=/api/downstream/v1/whoami REMOTE_ADDR=127.0.0.1 \
                                timeout 5 cgi-fcgi -bind -connect "$sock" 2>/dev/null) && [[ "$reply" == *'"generation":1'* ]] && break
    sleep 0.05
  done
  kill -TERM "$launcher" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$launcher" 2>/dev/null || true
  wait "$launcher" 2>/dev/null
  if [[ "$reply" == "Status: 200"*'"generation":1'* && ! -e "$DIR/unused.sock" ]]; then
    echo "ok   serves on a socket inherited from $name"; passed=$((passed + 1))
  else
    echo "FAIL serving on a socket inherited from $name: ${reply:-no reply}"; cat "$DIR/$name.log"; failed=$((failed + 1))
  fi
  rm -f "$sock"
}
inherit_check spawn-fcgi "$DIR/spawned.sock" spawn-fcgi -s "$DIR/spawned.sock" -M 0600 -n --
if command -v systemd-socket-activate >/dev/null; then
  inherit_check systemd "$DIR/activated.sock" systemd-socket-activate -l "$DIR/activated.sock"
else
  echo "skip systemd socket activation: systemd-socket-activate is not installed"; skipped=$((skipped + 1))
fi

# The production site config must at least be valid nginx: rendered with local paths inside
# a minimal http block, checked with `nginx -t`.
check=$DIR/prod-check
mkdir -p "$check/www" "$check/cache"
cp /etc/nginx/fastcgi_params "$check/"
sed -e "s|/var/cache/nginx/downstream-status|$check/cache|" -e "s|listen 80;|listen 127.0.0.1:$PORT;|" \
    -e "s|listen \[::\]:80;||" -e "s|/usr/share/downstream-node/www|$check/www|" \
    -e "s|/var/log/nginx/downstream-node.access.log|$check/site-access.log|" \
    nginx/downstream-node.conf >"$check/site.conf"
cat >"$check/nginx.conf" <<CONF
pid $check/nginx.pid;
error_log $check/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $check/client_body; proxy_temp_path $check/proxy;
    fastcgi_temp_path $check/fastcgi; uwsgi_temp_path $check/uwsgi; scgi_temp_path $check/scgi;
    access_log $check/access.log;
    include $check/site.conf;
}
CONF
if nginx -t -q -p "$check" -c "$check/nginx.conf" 2>"$check/nginx-t.log"; then
  echo "ok   nginx/downstream-node.conf passes nginx -t"; passed=$((passed + 1))
else
  echo "FAIL nginx/downstream-node.conf: $(cat "$check/nginx-t.log")"; failed=$((failed + 1))
fi

# Tokens are secrets: no 32-hex-digit run may reach the worker's log.
if grep -Eq '[0-9a-fA-F]{32}' "$DIR/app.log"; then
  echo "FAIL app log contains a token-like hex string"; failed=$((failed + 1))
else
  echo "ok   app log holds no token-like string"; passed=$((passed + 1))
fi
finish
