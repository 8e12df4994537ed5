#!/usr/bin/env bash
# `make run`: a local node with no setup beyond the Debian packages.
#
#   scripts/run-local.sh [--config FILE] [--port PORT]
#
# Starts (or reuses) a private MariaDB under var/mariadb (127.0.0.1:$DOWNSTREAM_DB_PORT, default
# 3410), writes var/node.conf for this local stack, runs initdb (creating var/heartbeat.key),
# then keeps the chunk pool filled with `maintain` in the foreground until Ctrl-C. MariaDB keeps
# running afterwards, so a second `make run` reuses its data; `make stop` stops it.
# FILE (make run CONFIG=...) is layered over var/node.conf: its keys win.
#
# TODO(integrator): the FastCGI worker pool (`serve`) and nginx on PORT are not part of this
# branch; start them here once merged (after initdb, before the maintainer).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
node=$BUILD/downstream-node
extra_config=()
port=8080
while (($#)); do
  case $1 in
    --config) extra_config=(--config "$2"); shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "run-local.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x $node ]] || { echo "run-local.sh: build $node first (make)" >&2; exit 1; }

mkdir -p var/run
uri=$(scripts/mariadb.sh start var/mariadb "${DOWNSTREAM_DB_PORT:-3410}")

cat >var/node.conf <<CONF
# Written by scripts/run-local.sh for the local stack; \`make run CONFIG=FILE\` layers FILE over it.
db.uri = $uri
heartbeat.key_file = $PWD/var/heartbeat.key
fcgi.socket = $PWD/var/run/fcgi.sock
geoip.mmdb = $PWD/test/geoip/GeoIP2-City-Test.mmdb
maintain.poll = 5
CONF
chmod 600 var/node.conf
config=(--config var/node.conf "${extra_config[@]}")

"$node" "${config[@]}" initdb

echo
echo "local node (port $port): the HTTP side (serve + nginx) is not built in this branch yet"
echo "database:  $uri"
echo "admin CLI: $node --config var/node.conf <command>    (see --help)"
echo "maintaining the chunk pool; Ctrl-C stops it (MariaDB keeps running: make stop)"
echo

# The maintainer: 32 KiB .. 1 MiB chunks, 64 MiB in all, sizes a factor 32 apart.
"$node" "${config[@]}" maintain 32K 1M 64M 32 &
maintainer=$!
echo "$maintainer" >var/run/maintain.pid
stop() { kill -TERM "$maintainer" 2>/dev/null || true; }
trap stop INT TERM
status=0
wait "$maintainer" || status=$?
# A signal interrupts the first wait; wait for the maintainer's own exit.
if kill -0 "$maintainer" 2>/dev/null; then wait "$maintainer" || status=$?; fi
rm -f var/run/maintain.pid
exit "$status"
