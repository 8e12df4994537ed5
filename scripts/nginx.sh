#!/usr/bin/env bash
# Runs a private nginx for the local stack and the tests.
#
#   scripts/nginx.sh start  DIR PORT SOCKET WWW   render nginx/local.conf.template into
#                                                 DIR/nginx.conf, start nginx, wait until it
#                                                 answers on 127.0.0.1:PORT
#   scripts/nginx.sh reload DIR [PORT SOCKET WWW] re-render (when given) and reload
#   scripts/nginx.sh stop   DIR                   stop gracefully, wait until it is gone
#
# nginx runs as root from DIR (`nginx -p DIR -c DIR/nginx.conf`): pid file, logs and all five
# temp paths live under DIR. Its workers run as nobody, so SOCKET must be mode 0666 (or share
# a group with nobody) and WWW must be world-readable. Idempotent: start on a running nginx
# with the same DIR restarts nothing; stop on a stopped one succeeds. $NGINX_TOKEN_RATE and
# $NGINX_TOKEN_BURST set the per-address limit on /new and /heartbeat (default 200r/s, 400).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

usage() { echo "usage: $0 start DIR PORT SOCKET WWW | reload DIR [PORT SOCKET WWW] | stop DIR" >&2; exit 2; }

absolute() { [[ "$1" = /* ]] && echo "$1" || echo "$ROOT/$1"; }

running_pid() {  # prints the pid of the nginx master for DIR, if it is alive
  local pidfile="$1/nginx.pid"
  [[ -s "$pidfile" ]] || return 1
  local pid; pid=$(<"$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

render() {  # DIR PORT SOCKET WWW
  local dir=$1 port=$2 socket=$3 www=$4
  mkdir -p "$dir"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@SOCKET@|$socket|g" -e "s|@WWW@|$www|g" \
    -e "s|@TOKEN_RATE@|${NGINX_TOKEN_RATE:-200r/s}|g" -e "s|@TOKEN_BURST@|${NGINX_TOKEN_BURST:-400}|g" \
    nginx/local.conf.template >"$dir/nginx.conf.new"
  mv "$dir/nginx.conf.new" "$dir/nginx.conf"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" 2>"$dir/nginx-test.log" || {
    cat "$dir/nginx-test.log" >&2; return 1; }
}

wait_ready() {  # PORT
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
  done
  echo "nginx: not answering on 127.0.0.1:$1" >&2
  return 1
}

cmd=${1:-}; shift || true
case "$cmd" in
  start)
    (($# == 4)) || usage
    dir=$(absolute "$1"); port=$2; socket=$(absolute "$3"); www=$(absolute "$4")
    if pid=$(running_pid "$dir"); then
      echo "nginx: already running (pid $pid) in $dir"
      exit 0
    fi
    render "$dir" "$port" "$socket" "$www"
    # The status compressor's socket (nginx/local.conf.template), left behind if nginx was
    # killed: binding it again would fail.
    rm -f "$dir/status-gzip.sock"
    nginx -p "$dir" -c "$dir/nginx.conf" 2>>"$dir/error.log"
    wait_ready "$port"
    echo "nginx: http://127.0.0.1:$port/ (pid $(<"$dir/nginx.pid"), logs in $dir)"
    ;;
  reload)
    (($# == 1 || $# == 4)) || usage
    dir=$(absolute "$1")
    pid=$(running_pid "$dir") || { echo "nginx: not running in $dir" >&2; exit 1; }
    if (($# == 4)); then render "$dir" "$2" "$(absolute "$3")" "$(absolute "$4")"; fi
    kill -HUP "$pid"
    echo "nginx: reloaded (pid $pid)"
    ;;
  stop)
    (($# == 1)) || usage
    dir=$(absolute "$1")
    pid=$(running_pid "$dir") || { rm -f "$dir/nginx.pid"; exit 0; }
    kill -QUIT "$pid"   # graceful: finish open requests
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || { echo "nginx: stopped"; exit 0; }
      sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    sleep 0.5
    kill -KILL "$pid" 2>/dev/null || true
    # The workers die with the master; remove a pid file a killed master left behind.
    rm -f "$dir/nginx.pid"
    echo "nginx: stopped (forced)"
    ;;
  *) usage ;;
esac
