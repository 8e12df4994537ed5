#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and `make run` need, if any is missing.
# Run by `make test`, `make run` and `make bench`; safe to run again (it then does nothing).
set -euo pipefail

# package  -> a file that proves it is installed
declare -A wanted=(
  [g++]=/usr/bin/g++
  [make]=/usr/bin/make
  [libfcgi-dev]=/usr/include/fcgiapp.h
  [libpoco-dev]=/usr/include/Poco/Data/MySQL/Connector.h
  [libmariadb-dev]=/usr/include/mariadb/mysql.h
  [libmaxminddb-dev]=/usr/include/x86_64-linux-gnu/maxminddb.h
  [libcppunit-dev]=/usr/include/cppunit/TestCase.h
  [libsecp256k1-dev]=/usr/include/secp256k1_recovery.h
  [libssl-dev]=/usr/include/openssl/evp.h
  [zlib1g-dev]=/usr/include/zlib.h
  [rapidjson-dev]=/usr/include/rapidjson/document.h
  [mariadb-server]=/usr/sbin/mariadbd
  [mariadb-client]=/usr/bin/mariadb
  [nginx]=/usr/sbin/nginx
  [chromium]=/usr/bin/chromium
  [mmdb-bin]=/usr/bin/mmdblookup
  [curl]=/usr/bin/curl
  [libfcgi-bin]=/usr/bin/cgi-fcgi
  [spawn-fcgi]=/usr/bin/spawn-fcgi
  [procps]=/usr/bin/pgrep
  [nodejs]=/usr/bin/node
  [npm]=/usr/bin/npm
  # make cluster-test (part of make test): Galera, and the mariabackup state transfer
  # (scripts/galera-cluster.sh), which streams through socat.
  [galera-4]=/usr/lib/galera/libgalera_smm.so
  [mariadb-backup]=/usr/bin/mariabackup
  [socat]=/usr/bin/socat
)
# Optional extras for `make fuzz`, `make test-sanitize` and the HTTP benchmark
# (scripts/bench-http.sh needs wrk).
if [[ "${DOWNSTREAM_DEPS_EXTRA:-}" == *fuzz* ]]; then
  wanted[clang]=/usr/bin/clang++
  wanted[libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
fi
if [[ "${DOWNSTREAM_DEPS_EXTRA:-}" == *bench* ]]; then
  wanted[wrk]=/usr/bin/wrk
fi

missing=()
for pkg in "${!wanted[@]}"; do
  [[ -e "${wanted[$pkg]}" ]] || missing+=("$pkg")
done
# A machine whose `npm` came with nodejs from elsewhere still counts as having npm.
if [[ " ${missing[*]:-} " == *" npm "* ]] && command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
if [[ " ${missing[*]:-} " == *" nodejs "* ]] && command -v node >/dev/null; then
  missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<<"${missing[*]:-}"
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "deps: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Debian's postinst scripts must not start system MariaDB / nginx services: the node runs its
# own private instances. policy-rc.d code 101 = "action forbidden".
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
