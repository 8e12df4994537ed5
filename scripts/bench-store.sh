#!/usr/bin/env bash
# The store's benchmark: chunk generation into the pool (build/bench/chunk_generation_bench)
# against a fresh private MariaDB (var/bench/mariadb, port 3412 or $DOWNSTREAM_BENCH_DB_PORT),
# stopped afterwards whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
dir=var/bench/mariadb
port=${DOWNSTREAM_BENCH_DB_PORT:-3412}
[[ -x $BUILD/bench/chunk_generation_bench ]] || { echo "bench-store.sh: build $BUILD/bench/chunk_generation_bench first"; exit 1; }
scripts/mariadb.sh stop "$dir" >/dev/null 2>&1
rm -rf "$dir"
trap 'scripts/mariadb.sh stop "$dir" >/dev/null 2>&1' EXIT
uri=$(scripts/mariadb.sh start "$dir" "$port" 2>/dev/null) || { echo "bench-store.sh: MariaDB did not start"; exit 1; }
DOWNSTREAM_BENCH_DB_URI=$uri "$BUILD/bench/chunk_generation_bench"
