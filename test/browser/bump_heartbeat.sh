#!/usr/bin/env bash
# STATUS_BUMP_CMD for the real node: raises the heartbeat count of farmer $2 by one in the
# stack's MariaDB (folder $1) and stamps changed_ms, so every worker's status index loads it.
#   test/browser/bump_heartbeat.sh MARIADB_DIR FARMER_ID
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $2 =~ ^[0-9a-f]{20}$ ]] || { echo "bump_heartbeat.sh: not a farmer id: $2" >&2; exit 2; }
scripts/mariadb.sh sql "$1" downstream -e \
  "UPDATE tokens SET heartbeats = heartbeats + 1, changed_ms = CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) WHERE farmer_id = '$2'"
