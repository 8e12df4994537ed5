#!/usr/bin/env bash
# The whole node under farmer load, against ceilings measured on the same server in the same
# run. One stack like `make run` (scripts/node-stack.sh: private MariaDB, `serve` with its
# default workers x threads, nginx), in var/bench-node, fresh each time; stopped afterwards
# whatever happens.
#
#   scripts/bench-node.sh                     (ports: $DOWNSTREAM_BENCH_NODE_PORT, default
#                                              18160; MariaDB $DOWNSTREAM_BENCH_NODE_DB_PORT,
#                                              default 3470)
#
# Steps: start the stack (contract.interval 1 h so no contract falls due during the run;
# nginx's per-address rate limit on /new raised out of the way, as production keeps it);
# fill the chunk pool; measure the bare MariaDB ceiling for the answer updates
# (build/bench/mariadb_ceiling); whitelist the farmers; run build/bench/load_generator.
# Prints both programs' output; the lines starting with "result " / "ceiling " are what
# scripts/bench-all.sh puts in its table.
#
# Shape (environment overrides): BENCH_FARMERS=270, BENCH_THREADS=8 (generator threads, one
# request in flight each), BENCH_BATCH1_THREADS=$BENCH_THREADS (the same for the single-proof
# phase; DECISIONS 124),
# BENCH_STATUS_CONTRACTS=4000, BENCH_TOKENS=10000, BENCH_CONTRACTS=40500 (the pool is filled
# with that many chunks: 150 per farmer), BENCH_BATCH1=13500 (single-proof requests, 50 per
# farmer: about 7 s, long enough for a steady rate; that leaves each farmer one whole batch
# of 100), BENCH_CHUNK=32K,
# BENCH_CHALLENGES=256 (heartbeat.challenges of the pool's chunks), BENCH_SECONDS=120 (time
# bound of each phase), BENCH_SET="key=value ..." (more node settings).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
PORT=${DOWNSTREAM_BENCH_NODE_PORT:-18160}
DB_PORT=${DOWNSTREAM_BENCH_NODE_DB_PORT:-3470}
DIR=$ROOT/var/bench-node
node=$ROOT/$BUILD/downstream-node
FARMERS=${BENCH_FARMERS:-270}
THREADS=${BENCH_THREADS:-8}
BATCH1_THREADS=${BENCH_BATCH1_THREADS:-$THREADS}
STATUS_CONTRACTS=${BENCH_STATUS_CONTRACTS:-4000}
TOKENS=${BENCH_TOKENS:-10000}
CONTRACTS=${BENCH_CONTRACTS:-40500}
BATCH1=${BENCH_BATCH1:-13500}
CHUNK=${BENCH_CHUNK:-32K}
CHALLENGES=${BENCH_CHALLENGES:-256}
SECONDS_PER_PHASE=${BENCH_SECONDS:-120}

for program in "$node" "$BUILD/bench/load_generator" "$BUILD/bench/mariadb_ceiling"; do
  [[ -x $program ]] || { echo "bench-node.sh: build $program first (make bench)"; exit 1; }
done

cleanup() { scripts/node-stack.sh stop "$DIR" >/dev/null 2>&1; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cleanup
rm -rf "$DIR"
mkdir -p "$DIR"

# The pool's tags (about 24 KB a chunk at 256 challenges: 970 MB for 40,500 chunks) must fit
# in the InnoDB buffer pool, or the second /chunk phase reads each drawn tag from disk and its
# rate depends on the disk's other tenants (600 to 1,300 contracts/s seen; DECISIONS 100).
export MARIADB_BUFFER_POOL=${MARIADB_BUFFER_POOL:-2G}

sets=(--set contract.interval=3600 --set heartbeat.challenges="$CHALLENGES" --set log.level=warn)
for kv in ${BENCH_SET:-}; do sets+=(--set "$kv"); done
# The local nginx limits /new and /heartbeat per address (production: 2 r/s); the generator
# comes from one address, so the bench stack lifts the limit (nginx.sh's template variable).
if ! uri=$(NGINX_TOKEN_RATE=1000000r/s NGINX_TOKEN_BURST=1000000 \
           scripts/node-stack.sh start "$DIR" --port "$PORT" --db-port "$DB_PORT" "${sets[@]}" \
           2>"$DIR/start.err"); then
  cat "$DIR/start.err"; echo "bench-node.sh: the stack did not start"; exit 1
fi
config=(--config "$DIR/node.conf")

echo "== stack: $(grep -E '^(workers|threads) ' "$DIR/node.conf" | tr '\n' ' ')(default threads: $("$node" "${config[@]}" config 2>/dev/null | awk -F' = ' '$1=="threads"{print $2}')), nginx 127.0.0.1:$PORT, MariaDB on port $DB_PORT, reached over its Unix socket (durable: innodb_flush_log_at_trx_commit=1; InnoDB buffer pool $MARIADB_BUFFER_POOL)"
echo "== filling the pool: $CONTRACTS chunks of $CHUNK, heartbeat.challenges = $CHALLENGES"
start=$(date +%s.%N)
"$node" "${config[@]}" generate-chunk "$CHUNK" "$CONTRACTS" --jobs 2 >"$DIR/pool.log" 2>&1 ||
  { tail -n 5 "$DIR/pool.log"; echo "bench-node.sh: filling the pool failed"; exit 1; }
echo "   $(tail -n 1 "$DIR/pool.log" | sed 's/^[^ ]* [a-z]* *//') ($(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s)"

echo "== ceiling: bare MariaDB, the updates of accepted answers"
"$BUILD/bench/mariadb_ceiling" --db-uri "$uri" --seconds 3 --connections 1,8,16,32 --batches 1,100 ||
  echo "bench-node.sh: the ceiling driver failed"

"$BUILD/bench/load_generator" --write-whitelist "$DIR/whitelist.csv" --farmers "$FARMERS"
"$node" "${config[@]}" whitelist "$DIR/whitelist.csv" >"$DIR/whitelist.log" 2>&1 ||
  { cat "$DIR/whitelist.log"; echo "bench-node.sh: whitelisting failed"; exit 1; }

echo "== load: $FARMERS farmers on $THREADS generator threads, $BATCH1_THREADS for single proofs (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
"$BUILD/bench/load_generator" --url "http://127.0.0.1:$PORT" --farmers "$FARMERS" --threads "$THREADS" \
  --batch1-threads "$BATCH1_THREADS" \
  --chunk-size "$(numfmt --from=iec "$CHUNK")" \
  --status-contracts "$STATUS_CONTRACTS" --status-path /status/list \
  --tokens "$TOKENS" --contracts "$CONTRACTS" --batch1-proofs "$BATCH1" \
  --phase-seconds "$SECONDS_PER_PHASE" --serve-pid "$(<"$DIR/run/serve.pid")"
status=$?
echo "result load_average=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
if grep -qiE 'error|warn' "$DIR/log/serve.log"; then
  echo "== node log (warnings and errors):"
  grep -iE 'error|warn' "$DIR/log/serve.log" | sort | uniq -c | sort -rn | head -n 10
fi
exit $status
