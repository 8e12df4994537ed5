#!/usr/bin/env bash
# A complete node in one folder: private MariaDB, config, heartbeat key, worker pool, nginx.
# Used by `make run` (DIR = var) and by the test and benchmark suites (their own DIRs).
#
#   scripts/node-stack.sh start DIR --port PORT --db-port DBPORT [--config FILE]...
#                               [--set KEY=VALUE]... [--serve-log FILE|-]
#   scripts/node-stack.sh start DIR --db-uri URI --pool-only [--key-file FILE] [...]
#   scripts/node-stack.sh stop DIR
#   scripts/node-stack.sh restart-serve DIR      stop the pool (SIGTERM, drain) and start it again
#
# start writes DIR/node.conf (the local stack's settings, then each --set), runs initdb
# (creating DIR/heartbeat.key), starts `serve` (pid in DIR/run/serve.pid, log in
# DIR/log/serve.log unless --serve-log says otherwise; `-` = this terminal) and nginx on
# 127.0.0.1:PORT serving build/www at / and the API through DIR/run/fcgi.sock. Extra --config
# files are layered over DIR/node.conf by every command (their keys win). It prints the
# db.uri. stop stops pool, nginx and MariaDB cleanly, whatever of them runs; the data stays.
# One node on several pools (scripts/test-cluster.sh): --db-uri uses an existing database
# instead of a private MariaDB (stop then leaves it alone), --key-file names the heartbeat key
# file every pool of the node shares (created by the first initdb), --pool-only starts no nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
node=$ROOT/$BUILD/downstream-node

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

(($# >= 2)) || usage
action=$1
dir=$2
shift 2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

serve_pid() {  # prints the pool master's pid if it runs
  [[ -s $dir/run/serve.pid ]] || return 1
  local pid; pid=$(<"$dir/run/serve.pid")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

stop_serve() {
  local pid
  pid=$(serve_pid) || { rm -f "$dir/run/serve.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/run/serve.pid"
}

config_args() {  # the --config arguments every command of this stack gets
  local args=(--config "$dir/node.conf")
  if [[ -f $dir/extra-configs ]]; then
    while IFS= read -r extra; do args+=(--config "$extra"); done <"$dir/extra-configs"
  fi
  printf '%s\n' "${args[@]}"
}

start_serve() {
  local log=$1
  mapfile -t config < <(config_args)
  if [[ $log == - ]]; then
    # To the terminal through stderr: our stdout may be a $(...) pipe (run-local.sh reads the
    # db.uri that way), and a serve holding it open would block the caller forever.
    setsid "$node" "${config[@]}" serve </dev/null >&2 &
  else
    mkdir -p "$(dirname "$log")"
    setsid "$node" "${config[@]}" serve </dev/null >>"$log" 2>&1 &
  fi
  echo $! >"$dir/run/serve.pid"
  # Ready when the socket answers through nginx, or (before nginx) when the socket exists.
  for _ in $(seq 1 300); do
    [[ -S $dir/run/fcgi.sock ]] && return 0
    kill -0 "$(<"$dir/run/serve.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "node-stack: serve did not start; see ${log/#-/the output above}" >&2
  return 1
}

case "$action" in
start)
  port=8080 db_port=3410 serve_log=$dir/log/serve.log
  db_uri='' key_file=$dir/heartbeat.key pool_only=0
  extra=() sets=()
  while (($#)); do
    case $1 in
      --port) port=$2; shift 2 ;;
      --db-port) db_port=$2; shift 2 ;;
      --db-uri) db_uri=$2; shift 2 ;;
      --key-file) key_file=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
      --pool-only) pool_only=1; shift ;;
      --config) extra+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
      --set) sets+=("$2"); shift 2 ;;
      --serve-log) serve_log=$2; shift 2 ;;
      *) echo "node-stack: unknown argument $1" >&2; usage ;;
    esac
  done
  [[ -x $node ]] || { echo "node-stack: build $node first (make)" >&2; exit 1; }
  ((pool_only)) || [[ -f $ROOT/$BUILD/www/index.html ]] ||
    { echo "node-stack: build the status page first (make $BUILD/www)" >&2; exit 1; }
  mkdir -p "$dir/run" "$dir/log"
  if [[ -n $db_uri ]]; then uri=$db_uri
  else uri=$(MARIADB_URI=socket scripts/mariadb.sh start "$dir/mariadb" "$db_port")
  fi
  {
    echo "# Written by scripts/node-stack.sh for this local stack; later --config files win."
    echo "db.uri = $uri"
    echo "heartbeat.key_file = $key_file"
    echo "fcgi.socket = $dir/run/fcgi.sock"
    echo "# nginx's workers run as nobody: the local socket is open to every local user."
    echo "fcgi.socket_mode = 0666"
    echo "geoip.mmdb = $ROOT/test/geoip/GeoIP2-City-Test.mmdb"
    echo "# A local node lets the unchanged farmer client connect without signing."
    echo "limits.require_signature = false"
    # The stack's defaults, unless a --set names the key (a key may appear once).
    declare -A given=()
    for kv in "${sets[@]}"; do given[${kv%%=*}]=1; done
    [[ -n ${given[workers]:-} ]] || echo "workers = 2"
    [[ -n ${given[maintain.poll]:-} ]] || echo "maintain.poll = 5"
    for kv in "${sets[@]}"; do echo "${kv%%=*} = ${kv#*=}"; done
  } >"$dir/node.conf"
  chmod 600 "$dir/node.conf"
  printf '%s\n' "${extra[@]}" >"$dir/extra-configs"
  [[ ${#extra[@]} -gt 0 ]] || : >"$dir/extra-configs"
  mapfile -t config < <(config_args)
  "$node" "${config[@]}" initdb >>"$dir/log/initdb.log" 2>&1 || {
    cat "$dir/log/initdb.log" >&2; exit 1; }
  stop_serve
  start_serve "$serve_log"
  ((pool_only)) ||
    scripts/nginx.sh start "$dir/nginx" "$port" "$dir/run/fcgi.sock" "$ROOT/$BUILD/www" >/dev/null
  echo "$uri"
  ;;
restart-serve)
  serve_log=$dir/log/serve.log
  [[ ${1:-} == --serve-log ]] && serve_log=$2
  stop_serve
  start_serve "$serve_log"
  ;;
stop)
  stop_serve
  [[ -d $dir/nginx ]] && scripts/nginx.sh stop "$dir/nginx" >/dev/null 2>&1
  [[ -d $dir/mariadb ]] && scripts/mariadb.sh stop "$dir/mariadb" >/dev/null
  exit 0
  ;;
*) usage ;;
esac
