#!/usr/bin/env bash
# A three-member MariaDB Galera cluster on loopback, for `make cluster-test`.
#
#   scripts/galera-cluster.sh start DIR         bootstrap member 1, join members 2 and 3
#   scripts/galera-cluster.sh stop DIR          stop every member (3, 2, then 1)
#   scripts/galera-cluster.sh stop-member DIR N stop member N only (fault injection)
#   scripts/galera-cluster.sh start-member DIR N start member N again (it rejoins by IST/SST)
#   scripts/galera-cluster.sh status DIR        cluster size and state as each member sees it
#   scripts/galera-cluster.sh sql DIR N [ARGS]  the mariadb client on member N's socket
#   scripts/galera-cluster.sh uri DIR N         the node's db.uri for member N (TCP)
#
# start also creates the node's database `downstream` and user `downstream` (password in
# DIR/app-password, mode 0600) on the cluster, as scripts/mariadb.sh does on a private server;
# Galera replicates both to every member.
#
# Member N (1..3) listens for SQL on 127.0.0.1:$((GALERA_SQL_PORT_BASE + N)) (default 3430+N),
# for Galera replication on 4570+N, IST on 4580+N, SST on 4590+N. Data lives in DIR/mN.
# State transfer uses mariabackup: the rsync method's daemon drops to user `nobody` when run
# as root and then cannot write a data directory owned by root.
set -euo pipefail

cmd=${1:?usage: galera-cluster.sh start|stop|stop-member|start-member|status|sql DIR [N]}
dir=${2:?missing DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sql_base=${GALERA_SQL_PORT_BASE:-3430}
repl_base=${GALERA_REPL_PORT_BASE:-4570}
members=(1 2 3)

sql_port() { echo $((sql_base + $1)); }
socket() { echo "$dir/m$1/mysqld.sock"; }

write_config() {
  local n=$1
  local peers=""
  for m in "${members[@]}"; do peers+="${peers:+,}127.0.0.1:$((repl_base + m))"; done
  cat >"$dir/m$n/my.cnf" <<CNF
[mysqld]
datadir=$dir/m$n/data
socket=$(socket "$n")
pid-file=$dir/m$n/mysqld.pid
log-error=$dir/m$n/error.log
tmpdir=$dir/m$n/tmp
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
user=root
default-time-zone=+00:00
character-set-server=utf8mb4
collation-server=utf8mb4_bin
# Three members share a small machine with the node pools: keep each one small.
innodb_buffer_pool_size=64M
innodb_flush_log_at_trx_commit=1
max_connections=300
performance_schema=OFF
# Galera needs row-based replication and interleaved auto-increment locking.
binlog_format=ROW
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=downstream-test
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=m$n
wsrep_node_address=127.0.0.1:$((repl_base + n))
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((repl_base + n));ist.recv_addr=127.0.0.1:$((repl_base + 10 + n));gcache.size=64M"
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
wsrep_sst_receive_address=127.0.0.1:$((repl_base + 20 + n))
# A transaction that loses certification is retried by the node itself (store layer), not here.
wsrep_retry_autocommit=0
# Causal reads: a SELECT (and START TRANSACTION) first waits until this member has applied
# every write set committed anywhere in the cluster before it. nginx spreads one farmer's
# requests over pools on different members: without this, a contract drawn through member 1
# could be "not found" by an answer arriving through member 2 a millisecond later.
wsrep_sync_wait=1
CNF
}

wait_ready() {
  local n=$1
  for _ in $(seq 1 240); do
    if mariadb --no-defaults -S "$(socket "$n")" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | grep -q Synced; then
      return 0
    fi
    if [[ -f "$dir/m$n/mysqld.pid" ]] && ! kill -0 "$(cat "$dir/m$n/mysqld.pid")" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "galera: member $n did not become ready; see $dir/m$n/error.log" >&2
  tail -n 20 "$dir/m$n/error.log" >&2 || true
  return 1
}

running() { [[ -f "$dir/m$1/mysqld.pid" ]] && kill -0 "$(cat "$dir/m$1/mysqld.pid")" 2>/dev/null; }

# The node's database and user, created through the first running member (replicated to all).
ensure_app_user() {
  if [[ ! -s $dir/app-password ]]; then
    (umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/app-password")
  fi
  local password n
  password=$(cat "$dir/app-password")
  for n in "${members[@]}"; do running "$n" && break; done
  mariadb --no-defaults -S "$(socket "$n")" <<SQL
CREATE DATABASE IF NOT EXISTS \`downstream\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'downstream'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'downstream'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`downstream\`.* TO 'downstream'@'127.0.0.1';
SQL
}

# A new cluster's members start from copies of one data directory: member 1 alone bootstraps
# a cluster, commits one replicated InnoDB transaction (which stores the cluster position in
# InnoDB as well), stops cleanly (grastate.dat keeps UUID and position), and its data directory
# is copied to members 2 and 3. The joiners then need only an IST of the joins' view changes
# instead of a full mariabackup SST (~20 s per member). Without the InnoDB commit a joiner
# recovers position -1 after that IST and aborts ("Application received wrong state").
seed_data_dirs() {
  local n
  launch_member 1 --wsrep-new-cluster
  wait_ready 1
  ensure_app_user
  mariadb --no-defaults -S "$(socket 1)" -e "CREATE TABLE downstream.galera_seed (id INT PRIMARY KEY) ENGINE=InnoDB;
    INSERT INTO downstream.galera_seed VALUES (1); DROP TABLE downstream.galera_seed;"
  stop_member 1
  for n in 2 3; do
    rm -rf "$dir/m$n/data"
    mkdir -p "$dir/m$n/tmp"
    cp -a "$dir/m1/data" "$dir/m$n/data"
    rm -f "$dir/m$n/data/galera.cache" "$dir/m$n/data/gvwstate.dat"
    sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$dir/m$n/data/grastate.dat"
  done
}

# launch_member N [ARGS]: starts member N's server in the background (not waiting for it).
launch_member() {
  local n=$1 extra=${2:-}
  running "$n" && return 0
  mkdir -p "$dir/m$n/tmp"
  if [[ ! -d "$dir/m$n/data/mysql" ]]; then
    mariadb-install-db --no-defaults --datadir="$dir/m$n/data" --user=root >"$dir/m$n/install.log" 2>&1
  fi
  write_config "$n"
  # shellcheck disable=SC2086
  setsid mariadbd --defaults-file="$dir/m$n/my.cnf" $extra >>"$dir/m$n/stdout.log" 2>&1 </dev/null &
}

start_member() {
  running "$1" && return 0
  launch_member "$@"
  wait_ready "$1"
}

stop_member() {
  local n=$1
  running "$n" || return 0
  local pid
  pid=$(cat "$dir/m$n/mysqld.pid")
  # A member that lost its cluster can hang in SHUTDOWN: bound it, then SIGTERM, then SIGKILL.
  timeout 20 mariadb-admin --no-defaults -S "$(socket "$n")" shutdown 2>/dev/null ||
    kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

case "$cmd" in
  start)
    if ! running 1 && ! running 2 && ! running 3; then
      if [[ ! -d $dir/m1/data/mysql && ! -d $dir/m2/data/mysql && ! -d $dir/m3/data/mysql ]]; then
        seed_data_dirs
      fi
      # A cluster whose members all stopped cleanly is bootstrapped again from member 1.
      [[ -f "$dir/m1/data/grastate.dat" ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/m1/data/grastate.dat"
      start_member 1 --wsrep-new-cluster
    else
      start_member 1
    fi
    # The joiners at once: each needs at most an IST from member 1.
    launch_member 2
    launch_member 3
    wait_ready 2
    wait_ready 3
    ensure_app_user
    ;;
  stop)
    for n in 3 2 1; do stop_member "$n"; done
    ;;
  stop-member) stop_member "${3:?member}" ;;
  start-member) start_member "${3:?member}" ;;
  status)
    for n in "${members[@]}"; do
      if running "$n"; then
        printf 'member %s (port %s): ' "$n" "$(sql_port "$n")"
        mariadb --no-defaults -S "$(socket "$n")" -N -e "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment')" | tr '\n\t' '  '
        echo
      else
        echo "member $n: stopped"
      fi
    done
    ;;
  uri)
    n=${3:?member}
    [[ -s $dir/app-password ]] || { echo "galera: $dir was never started" >&2; exit 1; }
    echo "mysql://downstream:$(cat "$dir/app-password")@127.0.0.1:$(sql_port "$n")/downstream"
    ;;
  sql)
    n=${3:?member}; shift 3
    exec mariadb --no-defaults -S "$(socket "$n")" "$@"
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
