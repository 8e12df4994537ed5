#!/usr/bin/env bash
# `make stop`: stops what `make run` left running (after its terminal went away without
# Ctrl-C): the pool maintainer, the worker pool, nginx and the private MariaDB (a clean
# shutdown; the data stays in var/).
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
[[ -d var ]] && scripts/node-stack.sh stop var
exit 0
