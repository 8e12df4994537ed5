#!/usr/bin/env bash
# `make stop`: stops what `make run` left running: the pool maintainer (if its terminal went
# away without Ctrl-C) and the private MariaDB (a clean shutdown; its data stays in var/).
#
# TODO(integrator): stop the worker pool and nginx here too once they are merged.
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ -f var/run/maintain.pid ]]; then
  pid=$(<var/run/maintain.pid)
  if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "downstream-node.* maintain "; then
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f var/run/maintain.pid
fi
if [[ -d var/mariadb ]]; then
  scripts/mariadb.sh stop var/mariadb
fi
