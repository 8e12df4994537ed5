#!/usr/bin/env bash
# A private MariaDB server for `make run`, the tests and the benchmarks: its own data
# directory, socket, port and pid file under DIR; never a system service, never /etc/mysql.
#
#   scripts/mariadb.sh start  DIR [PORT]  create DIR if needed, start the server (idempotent),
#                                         create database `downstream` and its user, print db.uri
#   scripts/mariadb.sh stop   DIR         clean shutdown (mariadb-admin shutdown), wait for exit
#   scripts/mariadb.sh status DIR         exit 0 and say so when the server answers
#   scripts/mariadb.sh uri    DIR         print the node's db.uri for this server
#                                         (MARIADB_URI=socket: over the Unix socket)
#   scripts/mariadb.sh sql    DIR [ARGS]  the mariadb client as the server's admin (over the socket)
#
# Layout of DIR: data/ (the data directory), run/mysqld.sock, run/mysqld.pid, error.log,
# port (the TCP port, remembered so a restart reuses it), app-password (mode 0600).
# The server listens on 127.0.0.1 only, runs in UTC (--default-time-zone=+00:00) and keeps
# InnoDB durable (innodb_flush_log_at_trx_commit=1). Works as root (mariadbd --user=root).
# MARIADB_BUFFER_POOL (default 256M) sizes the InnoDB buffer pool: the benchmark raises it so
# that its chunk pool (about 1 GB of tags) is read from memory, not from disk.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

(($# >= 2)) || usage
action=$1
dir=$2
port_arg=${3:-}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data
run=$dir/run
sock=$run/mysqld.sock
pidfile=$run/mysqld.pid
log=$dir/error.log
database=downstream
app_user=downstream

if ((${#sock} > 100)); then
  echo "mariadb.sh: socket path $sock is too long for a unix socket; use a shorter DIR" >&2
  exit 1
fi

# The admin account: install-db's default lets the OS user log in over the socket.
admin_user=root
[[ $(id -u) -eq 0 ]] || admin_user=$(id -un)

client() { mariadb --no-defaults --protocol=socket --socket="$sock" -u "$admin_user" "$@"; }

# The pid of our server if it is running (its command line names our data directory).
server_pid() {
  [[ -f $pidfile ]] || return 1
  local pid
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--datadir=$data " || return 1
  echo "$pid"
}

answers() { mariadb-admin --no-defaults --protocol=socket --socket="$sock" -u "$admin_user" \
              --connect-timeout=2 ping >/dev/null 2>&1; }

port_of() {
  if [[ -n $port_arg ]]; then echo "$port_arg"
  elif [[ -f $dir/port ]]; then cat "$dir/port"
  else echo "mariadb.sh: no port given and $dir/port missing" >&2; exit 2
  fi
}

print_uri() {
  local port password
  port=$(cat "$dir/port")
  password=$(cat "$dir/app-password")
  # MARIADB_URI=socket: over the server's Unix socket, as a node on the database's own host
  # should connect (node-stack.sh, so `make run`, the benches and the API suites); a round
  # trip costs less than over loopback TCP. Otherwise TCP on 127.0.0.1.
  if [[ ${MARIADB_URI:-tcp} == socket ]]; then
    echo "mysql://$app_user:$password@localhost/$database?socket=$sock"
  else
    echo "mysql://$app_user:$password@127.0.0.1:$port/$database"
  fi
}

start() {
  local port
  port=$(port_of)
  [[ $port =~ ^[0-9]+$ ]] || { echo "mariadb.sh: bad port '$port'" >&2; exit 2; }
  mkdir -p "$run" "$dir/tmp"
  if server_pid >/dev/null && answers; then
    if [[ $(cat "$dir/port" 2>/dev/null) != "$port" ]]; then
      echo "mariadb.sh: $dir is already running on port $(cat "$dir/port"), not $port" >&2
      exit 1
    fi
    ensure_schema
    print_uri
    return
  fi
  echo "$port" >"$dir/port"

  if [[ ! -d $data/mysql ]]; then
    echo "mariadb.sh: creating data directory $data" >&2
    local user_opts=()
    if [[ $(id -u) -eq 0 ]]; then user_opts=(--user=root); fi
    mariadb-install-db --no-defaults --datadir="$data" "${user_opts[@]}" \
      --auth-root-socket-user="$admin_user" --skip-test-db --skip-name-resolve \
      >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  fi

  local server_opts=(
    --no-defaults
    --datadir="$data" --socket="$sock" --pid-file="$pidfile" --port="$port"
    --bind-address=127.0.0.1 --skip-name-resolve
    --log-error="$log" --tmpdir="$dir/tmp"
    --default-time-zone=+00:00
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin
    --innodb-buffer-pool-size="${MARIADB_BUFFER_POOL:-256M}" --innodb-log-file-size=128M
    --innodb-flush-log-at-trx-commit=1
    --max-allowed-packet=64M --max-connections=300
    --performance-schema=OFF
  )
  if [[ $(id -u) -eq 0 ]]; then server_opts+=(--user=root); fi
  rm -f "$pidfile"
  # setsid: the server outlives this script and ignores the terminal's Ctrl-C.
  setsid mariadbd "${server_opts[@]}" </dev/null >>"$log" 2>&1 &
  local launched=$!

  local waited=0
  until answers; do
    if ! kill -0 "$launched" 2>/dev/null; then
      echo "mariadb.sh: mariadbd exited during start; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    ((waited++ < 600)) || { echo "mariadb.sh: server did not answer within 60 s; see $log" >&2; exit 1; }
    sleep 0.1
  done
  ensure_schema
  echo "mariadb.sh: running on 127.0.0.1:$port (socket $sock)" >&2
  print_uri
}

# The database and the application user; safe to run again.
ensure_schema() {
  if [[ ! -s $dir/app-password ]]; then
    (umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/app-password")
  fi
  local password
  password=$(cat "$dir/app-password")
  client <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS '$app_user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$app_user'@'localhost' IDENTIFIED BY '$password';
ALTER USER '$app_user'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$app_user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$database\`.* TO '$app_user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$database\`.* TO '$app_user'@'localhost';
SQL
}

stop() {
  local pid
  if ! pid=$(server_pid); then
    echo "mariadb.sh: $dir is not running" >&2
    return 0
  fi
  mariadb-admin --no-defaults --protocol=socket --socket="$sock" -u "$admin_user" shutdown \
    >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    ((waited++ < 1200)) || { echo "mariadb.sh: server $pid did not stop within 120 s" >&2; exit 1; }
    sleep 0.1
  done
  echo "mariadb.sh: stopped $dir" >&2
}

case $action in
  start) start ;;
  stop) stop ;;
  status)
    if server_pid >/dev/null && answers; then
      echo "running on 127.0.0.1:$(cat "$dir/port") (pid $(server_pid))"
    else
      echo "not running"; exit 1
    fi ;;
  uri) [[ -f $dir/app-password && -f $dir/port ]] || { echo "mariadb.sh: $dir was never started" >&2; exit 1; }
       print_uri ;;
  sql) shift 2; client "$@" ;;
  *) usage ;;
esac
