#!/usr/bin/env bash
# Runs the store's integration tests (the Store* suites of build/integration-tests) against a
# fresh private MariaDB (var/test/mariadb, port 3411 or $DOWNSTREAM_TEST_DB_PORT), stops the
# server whatever happens, and ends with the test runner's "N passed, N failed" line.
#
#   scripts/test-integration.sh [TEST-NAME-FILTER...]   (default: Store)
#
# The tests find the server through $DOWNSTREAM_TEST_DB_URI and the node binary through
# $DOWNSTREAM_NODE_BINARY. DOWNSTREAM_KEEP_DB=1 leaves the server running for a look inside
# (scripts/mariadb.sh sql var/test/mariadb; stop it with scripts/mariadb.sh stop var/test/mariadb).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
dir=var/test/mariadb
port=${DOWNSTREAM_TEST_DB_PORT:-3411}

if [[ ! -x $BUILD/integration-tests ]]; then
  echo "test-integration.sh: $BUILD/integration-tests is not built (make $BUILD/integration-tests)"
  echo "0 passed, 1 failed"
  exit 1
fi

scripts/mariadb.sh stop "$dir" >/dev/null 2>&1
rm -rf "$dir"
if [[ ${DOWNSTREAM_KEEP_DB:-} != 1 ]]; then
  trap 'scripts/mariadb.sh stop "$dir"' EXIT
fi
if ! uri=$(scripts/mariadb.sh start "$dir" "$port"); then
  echo "test-integration.sh: the private MariaDB did not start"
  echo "0 passed, 1 failed"
  exit 1
fi
export DOWNSTREAM_TEST_DB_URI=$uri
export DOWNSTREAM_NODE_BINARY=$PWD/$BUILD/downstream-node
export DOWNSTREAM_TEST_SCRATCH=$PWD/var/test/scratch
rm -rf "$DOWNSTREAM_TEST_SCRATCH"
mkdir -p "$DOWNSTREAM_TEST_SCRATCH"
"$BUILD/integration-tests" "${@:-Store}"
