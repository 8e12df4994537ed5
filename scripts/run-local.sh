#!/usr/bin/env bash
# `make run`: a complete local node in the foreground, with no setup beyond Debian packages.
#
#   scripts/run-local.sh [--config FILE] [--port PORT]
#
# Starts (or reuses) a private MariaDB under var/mariadb (127.0.0.1:$DOWNSTREAM_DB_PORT,
# default 3410), writes var/node.conf, runs initdb (creating var/heartbeat.key), starts the
# worker pool and nginx on 127.0.0.1:PORT, and keeps the chunk pool filled until Ctrl-C, which
# stops everything (the data stays in var/, so the next `make run` picks it up again).
# FILE (make run CONFIG=...) is layered over var/node.conf: its keys win.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
node=$BUILD/downstream-node
extra=()
port=8080
while (($#)); do
  case $1 in
    --config) extra=(--config "$2"); shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "run-local.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

stop_all() {
  [[ -n ${maintainer:-} ]] && kill -TERM "$maintainer" 2>/dev/null
  [[ -n ${maintainer:-} ]] && wait "$maintainer" 2>/dev/null
  rm -f var/run/maintain.pid
  scripts/node-stack.sh stop var
  echo "local node stopped (data kept in var/; \`make run\` starts it again)"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

uri=$(scripts/node-stack.sh start var --port "$port" --db-port "${DOWNSTREAM_DB_PORT:-3410}" \
      --serve-log - "${extra[@]}")
config=(--config var/node.conf "${extra[@]}")

cat <<TEXT

  downstream-node is running:  http://127.0.0.1:$port/  (status page)
  farmer API:                  http://127.0.0.1:$port/api/downstream/v1/
  point a farmer at it:        downstream-farmer --url http://127.0.0.1:$port <SJCX address>

  This local node relaxes one rule: signatures are not required (limits.require_signature =
  false), so the unchanged client can ask GET /new/<address>. The address must still be on
  the whitelist; add it with one command:
      $node --config var/node.conf whitelist <SJCX address>
  admin CLI:   $node --config var/node.conf <command>   (--help lists them)
  database:    $uri
  Ctrl-C stops everything; the data stays in var/.

TEXT

# The maintainer keeps a small pool: 32 KiB .. 1 MiB chunks, 64 MiB in all, sizes a factor 32
# apart (`maintain MIN MAX TOTAL BASE`).
mkdir -p var/run
"$node" "${config[@]}" maintain 32K 1M 64M 32 &
maintainer=$!
echo "$maintainer" >var/run/maintain.pid
wait "$maintainer"
