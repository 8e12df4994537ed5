#!/usr/bin/env bash
# Throughput of the HTTP layer alone: nginx -> FastCGI -> WorkerPool (2 workers x 4 threads)
# answering a 100-byte reply (build/tools/echo_fcgi_app, GET /api/downstream/v1/hello),
# measured with wrk over keep-alive client connections. fastcgi_keep_conn is off, as in
# production (nginx/downstream-node.conf). Prints requests/s and latency percentiles.
#
#   scripts/bench-http.sh [SECONDS] [CONNECTIONS]      (defaults 10 and 64; port 18112)
#
# Needs wrk (`DOWNSTREAM_DEPS_EXTRA=bench scripts/deps.sh` installs it). Stops everything it
# started. The machine's other load shows in the figures: compare runs made side by side.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
SECONDS_TO_RUN=${1:-10}
CONNECTIONS=${2:-64}
PORT=${DOWNSTREAM_BENCH_PORT:-18112}
DIR=$ROOT/var/bench-http
SOCKET=$DIR/fcgi.sock

command -v wrk >/dev/null || { echo "bench-http: wrk is not installed (DOWNSTREAM_DEPS_EXTRA=bench scripts/deps.sh)"; exit 1; }
[[ -x "$BUILD/tools/echo_fcgi_app" ]] || nice make -j2 "$BUILD/tools/echo_fcgi_app" >/dev/null || exit 1

cleanup() {
  if [[ -s "$DIR/app.pid" ]]; then
    pid=$(<"$DIR/app.pid"); kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  scripts/nginx.sh stop "$DIR/nginx" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
rm -rf "$DIR"; mkdir -p "$DIR/www"
echo ok >"$DIR/www/index.html"

"$BUILD/tools/echo_fcgi_app" --socket "$SOCKET" --workers 2 --threads 4 --quiet \
  --pid-file "$DIR/app.pid" >"$DIR/app.log" 2>&1 &
for _ in $(seq 1 100); do [[ -S "$SOCKET" ]] && break; sleep 0.05; done
scripts/nginx.sh start "$DIR/nginx" "$PORT" "$SOCKET" "$DIR/www" >/dev/null || exit 1
# The benchmark measures the FastCGI path, not nginx's access log.
sed -i 's|access_log .*;|access_log off;|' "$DIR/nginx/nginx.conf"
scripts/nginx.sh reload "$DIR/nginx" >/dev/null
sleep 0.5

URL=http://127.0.0.1:$PORT/api/downstream/v1/hello
[[ $(curl -s "$URL" | wc -c) == 100 ]] || { echo "bench-http: unexpected reply from $URL"; exit 1; }
wrk -t2 -c"$CONNECTIONS" -d1s "$URL" >/dev/null 2>&1  # warm-up
echo "== nginx -> FastCGI pool (2 workers x 4 threads), 100-byte reply, $CONNECTIONS connections, ${SECONDS_TO_RUN}s"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency "$URL" | tee "$DIR/wrk.txt"
rps=$(awk '/Requests\/sec/ {print $2}' "$DIR/wrk.txt")
p50=$(awk '$1=="50%" {print $2}' "$DIR/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$DIR/wrk.txt")
echo "== ceiling: nginx serving a static file, same client"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency "http://127.0.0.1:$PORT/index.html" >"$DIR/wrk-static.txt"
static=$(awk '/Requests\/sec/ {print $2}' "$DIR/wrk-static.txt")
echo "fastcgi_hello_rps=$rps p50=$p50 p99=$p99 static_rps=$static load=$(cut -d' ' -f1-3 /proc/loadavg)"
