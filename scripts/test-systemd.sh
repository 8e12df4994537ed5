#!/usr/bin/env bash
# Checks the systemd units: each one rendered with this build's paths passes
# `systemd-analyze verify` without a single warning about our files, and `make install`
# into a scratch DESTDIR puts every file where the units and nginx expect it.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

passed=0
failed=0
check() { # check NAME COMMAND...: one test
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then
    echo "ok   $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; echo "$out" | sed 's/^/     /'; failed=$((failed + 1))
  fi
}

# Render the templates as `make install` would, pointing at this build's binary.
units="$scratch/units"
mkdir -p "$units"
bindir=$(cd "$BUILD" && pwd)
for template in systemd/*.in; do
  name=$(basename "$template" .in)
  sed -e "s|@BINDIR@|$bindir|g" -e "s|@SYSCONFDIR@|/etc|g" \
      -e "s|@DOCDIR@|/usr/share/doc/downstream-node|g" "$template" >"$units/$name"
done

verify_unit() {
  local unit=$1 out
  # verify prints problems and still exits 0 for warnings: any line naming our file fails.
  out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$unit" 2>&1)
  local rc=$?
  out=$(grep -F "$(basename "$unit")" <<<"$out" | grep -v 'Special user nobody' || true)
  if ((rc != 0)) || [[ -n "$out" ]]; then echo "$out"; return 1; fi
}

for unit in "$units"/*.service "$units"/*.socket "$units"/*.timer; do
  check "systemd-analyze verify $(basename "$unit")" verify_unit "$unit"
done

check "units run as the dedicated user with ProtectSystem=strict, PrivateTmp, NoNewPrivileges" \
  bash -c 'for u in "$0"/*.service; do
             grep -q "^User=downstream-node$" "$u" && grep -q "^ProtectSystem=strict$" "$u" &&
             grep -q "^PrivateTmp=yes$" "$u" && grep -q "^NoNewPrivileges=yes$" "$u" &&
             grep -qE "^(Restart=on-failure|Type=oneshot)$" "$u" || { echo "$u"; exit 1; }
           done' "$units"

if grep -q '^install:' Makefile; then
  dest="$scratch/root"
  check "make install DESTDIR=… installs binary, units, config, nginx site, page and SQL" \
    bash -c 'make -s install DESTDIR="$0" PREFIX=/usr >/dev/null &&
             for f in usr/bin/downstream-node \
                      usr/lib/systemd/system/downstream-node.service \
                      usr/lib/systemd/system/downstream-node.socket \
                      usr/lib/systemd/system/downstream-node-maintain.service \
                      usr/lib/systemd/system/downstream-node-cleandb.service \
                      usr/lib/systemd/system/downstream-node-cleandb.timer \
                      usr/lib/sysusers.d/downstream-node.conf \
                      etc/downstream-node/node.conf \
                      etc/nginx/sites-available/downstream-node \
                      usr/share/downstream-node/www/index.html \
                      usr/share/downstream-node/sql/001_init.sql; do
               [[ -e "$0/$f" ]] || { echo "missing $f"; exit 1; }
             done
             ! grep -rl "@BINDIR@\|@SYSCONFDIR@\|@DOCDIR@" "$0"' "$dest"
fi

echo "$passed passed, $failed failed"
((failed == 0))
