#!/usr/bin/env bash
# The status API at scale (part of `make bench`): a node stack of its own (var/bench-status,
# nginx on 127.0.0.1:${DOWNSTREAM_STATUS_BENCH_PORT:-18142}, MariaDB on
# ${DOWNSTREAM_STATUS_BENCH_DB_PORT:-3452}), seeded with bulk SQL (test/bench/status_seed.sql),
# measured by build/bench/status_bench, stopped afterwards whatever happens.
#
#   1. 270 farmers / 4,000 contracts: status/list p50 (target < 5 ms)
#   2. 100,000 farmers / 1,000,000 contracts (STATUS_BENCH_FARMERS / STATUS_BENCH_CONTRACTS):
#      status/list/by/d/uptime/25 and status/show/<id> p50 (target < 20 ms), the summary,
#      the unpaged list read whole (target < 2 s), each worker's memory, and the status
#      index's own size as the workers logged it.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_STATUS_BENCH_PORT:-18142}
DB_PORT=${DOWNSTREAM_STATUS_BENCH_DB_PORT:-3452}
FARMERS=${STATUS_BENCH_FARMERS:-100000}
CONTRACTS=${STATUS_BENCH_CONTRACTS:-1000000}
DIR=var/bench-status
bench=$BUILD/bench/status_bench

[[ -x $bench && -x $BUILD/downstream-node ]] || { echo "bench-status.sh: build $bench and $BUILD/downstream-node first"; exit 1; }
make -s BUILD="$BUILD" "$BUILD/www" >/dev/null || { echo "bench-status.sh: could not build $BUILD/www"; exit 1; }

scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
trap 'scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1' EXIT
scripts/node-stack.sh start "$DIR" --port "$PORT" --db-port "$DB_PORT" >/dev/null || { echo "bench-status.sh: the node stack did not start"; exit 1; }

sql() { scripts/mariadb.sh sql "$DIR/mariadb" downstream "$@"; }

# seed FARMERS CONTRACTS: an empty farmer table filled in bulk; prints the time it took.
seed() {
  sql -e "DELETE FROM contracts; DELETE FROM tokens; DELETE FROM addresses; DELETE FROM token_deletions;" || return 1
  local started=$SECONDS
  sql -e "SET @farmers = $1, @contracts = $2; SOURCE test/bench/status_seed.sql;" >"$DIR/seed.log" || {
    cat "$DIR/seed.log"; return 1; }
  echo "seeded $1 farmers and $2 contracts in $((SECONDS - started)) s: $(tail -n 1 "$DIR/seed.log" | tr '\t' ' ') (farmers contracts online)"
}

# Workers load the index before they report ready; restarting them makes the load happen
# now, with the figures in the serve log.
restart() {
  : >"$DIR/log/serve.log"
  scripts/node-stack.sh restart-serve "$DIR" || return 1
  for _ in $(seq 1 300); do
    (($(grep -c 'status index: loaded' "$DIR/log/serve.log") >= 2)) && break
    sleep 0.2
  done
  grep 'status index: loaded' "$DIR/log/serve.log" | sed 's/^[^ ]* [a-z]* */  worker: /'
}

pid() { cat "$DIR/run/serve.pid"; }
url=http://127.0.0.1:$PORT

echo "status API benchmark: 2 workers x 4 threads (the local stack's) behind nginx, one client, nginx cache bypassed"
seed 270 4000 || exit 1
restart || exit 1
"$bench" --url "$url" --serve-pid "$(pid)" --label "270/4k" --small || exit 1
echo
seed "$FARMERS" "$CONTRACTS" || exit 1
restart || exit 1
"$bench" --url "$url" --serve-pid "$(pid)" --label "$((FARMERS / 1000))k/$((CONTRACTS / 1000))k" || exit 1
echo "sweeps and refreshes while measuring: $(grep -c 'status index' "$DIR/log/serve.log") index log lines; errors: $(grep -ci ' error ' "$DIR/log/serve.log")"
