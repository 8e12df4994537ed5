#!/usr/bin/env bash
# `make bench`: runs every benchmark, then prints one table of the node's figures against the
# targets and the ceilings measured in the same run, with the ratios, and writes it to
# build/bench.txt followed by every benchmark's full output.
#   scripts/bench-*.sh    benchmarks that need servers (each starts and stops its own)
#   build/bench/*         benchmark programs that need nothing, unless a script runs them
# Each one's output is kept in build/bench-logs/<name>.txt. The table reads the "result
# key=value" / "ceiling ..." lines of scripts/bench-node.sh and the ceilings printed by
# build/bench/proof_bench; a figure that is missing shows as "-". BENCH_TABLE_ONLY=1 runs
# nothing and rebuilds build/bench.txt from the logs of the last run.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
out=$BUILD/bench.txt
logs=$BUILD/bench-logs
status=0
scripts=()
for script in scripts/bench-*.sh; do [[ $script == scripts/bench-all.sh ]] || scripts+=("$script"); done
if [[ -z ${BENCH_TABLE_ONLY:-} ]]; then
rm -rf "$logs"
mkdir -p "$logs"
for script in "${scripts[@]}"; do
  name=$(basename "$script" .sh)
  echo "=== $script"
  "$script" 2>&1 | tee "$logs/$name.txt"
  ((PIPESTATUS[0] == 0)) || status=1
done
for program in "$BUILD"/bench/*; do
  [[ -x $program ]] || continue
  name=$(basename "$program")
  grep -qs "bench/$name" "${scripts[@]}" && continue  # a script runs it
  echo "=== $program"
  "$program" 2>&1 | tee "$logs/$name.txt"
  ((PIPESTATUS[0] == 0)) || status=1
done
fi

# ---- the table ---------------------------------------------------------------------------
node_log=$logs/bench-node.txt
proof_log=$logs/proof_bench.txt
# result KEY: the value of KEY=... in the node bench's "result" lines ("" if absent).
result() { grep -h '^result ' "$node_log" 2>/dev/null | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {v=$2} END {print v}'; }
# ceiling B: rows/s of the bare MariaDB ceiling for batches of B.
ceiling() { awk -v b="batch=$1" '$1=="ceiling" && $2==b {sub("rows_per_s=","",$4); v=$4} END {print v}' "$node_log" 2>/dev/null; }
ceiling_connections() { awk -v b="batch=$1" '$1=="ceiling" && $2==b {sub("connections=","",$3); v=$3} END {print v}' "$node_log" 2>/dev/null; }
# A figure from proof_bench's lines: the number before "/s" on the line matching $1.
proof_rate() { awk -v pat="$1" 'index($0, pat) {for (i=1;i<=NF;i++) if ($(i+1)=="/s" || $(i+1)=="MB/s") {v=$i; break}} END {print v}' "$proof_log" 2>/dev/null; }

# fmt VALUE [DECIMALS]: the number with thousands separators (12,345.6), or "-".
fmt() {
  [[ -n ${1:-} ]] || { printf -- "-"; return; }
  awk -v v="$1" -v d="${2:-0}" 'BEGIN {
    s = sprintf("%." d "f", v); i = index(s, "."); whole = i ? substr(s, 1, i - 1) : s
    frac = i ? substr(s, i) : ""; sign = ""; if (substr(whole, 1, 1) == "-") { sign = "-"; whole = substr(whole, 2) }
    out = ""; while (length(whole) > 3) { out = "," substr(whole, length(whole) - 2) out; whole = substr(whole, 1, length(whole) - 3) }
    printf "%s%s%s%s", sign, whole, out, frac }'
}
# ratio A B: A/B as a percentage, or "-".
ratio() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.0f%%", 100*a/b; else printf "-"}' || printf -- "-"; }
times() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "x%.0f", a/b; else printf "-"}' || printf -- "-"; }
# verdict: "met" when the awk condition on the given values holds, "NOT met", or "-".
verdict() { local cond=$1; shift; for v in "$@"; do [[ -n $v ]] || { printf -- "-"; return; }; done
  awk -v a="${1:-0}" -v b="${2:-0}" -v c="${3:-0}" "BEGIN {if ($cond) print \"met\"; else print \"NOT met\"}"; }

tokens=$(result tokens_per_s); tokens_p99=$(result tokens_new_p99_ms)
contracts=$(result contracts_per_s); chunk_p99=$(result contracts_chunk_p99_ms); chunk_p50=$(result contracts_chunk_p50_ms)
p1=$(result proofs1_per_s); p1_p50=$(result proofs1_answer_1_p50_ms); p1_p99=$(result proofs1_answer_1_p99_ms)
p100=$(result proofs100_per_s); p100_p50=$(result proofs100_answer_100_p50_ms); p100_p99=$(result proofs100_answer_100_p99_ms)
list_p50=$(result status_status_list_p50_ms); list_p99=$(result status_status_list_p99_ms)
show_p50=$(result status_status_show_p50_ms); show_p99=$(result status_status_show_p99_ms)
errors=$(result errors); rss=$(result worker_peak_rss_mib)
c1=$(ceiling 1); c100=$(ceiling 100)
verify=$(proof_rate "HeartbeatScheme::verify, parsed body"); verify_parse=$(proof_rate "including json::parse_json")
aes=$(proof_rate "AES-256-CTR keystream"); hmac=$(proof_rate "HMAC-SHA256, 1 MiB")
cores=$(nproc)
# node_cost PHASE NOUN: "NOUN 480 us -> 4,166/s", the node's machine time per item in a phase
# of the node bench (generator excluded) and the rate that allows on every core, or "NOUN -".
node_cost() {
  local rate busy gen
  rate=$(result "$1_per_s"); busy=$(result "$1_machine_busy"); gen=$(result "$1_generator_cores")
  if [[ -z $rate || -z $busy || -z $gen ]] || ! awk -v r="$rate" 'BEGIN {exit !(r > 0)}'; then
    printf '%s -' "$2"; return
  fi
  local us bound
  us=$(awk -v r="$rate" -v b="$busy" -v g="$gen" -v c="$cores" 'BEGIN {printf "%.0f", (b*c - g) / r * 1e6}')
  bound=$(awk -v u="$us" -v c="$cores" 'BEGIN {if (u > 0) printf "%.0f", c * 1e6 / u}')
  printf '%s %s us -> %s/s' "$2" "$(fmt "$us")" "$(fmt "$bound")"
}
row() { printf "%-34s %12s  %-22s %-8s %14s %8s %10s %7s\n" "$@"; }

{
  echo "downstream-node benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores, load average after the run: $(result load_average | tr -d '"')"
  echo "One machine: nginx, the node's workers, MariaDB (durable commits) and the load generator share it."
  echo "The generator's requests accept gzip (Accept-Encoding: gzip, deflate), as the shipped client's and browsers' do."
  echo "Ceilings from this run: bare MariaDB = the answer updates (B contract rows + the farmer row per"
  echo "durable transaction, prepared statements, best of 1-32 connections); crypto = proof verification"
  echo "on one core (make bench-proof), times the cores."
  echo
  row "figure" "measured" "target" "" "ceiling" "of ceil." "original" "vs orig."
  row "tokens created /s" "$(fmt "$tokens")" ">= 3,000" "$(verdict 'a >= 3000' "$tokens")" "-" "-" "153" "$(times "$tokens" 153)"
  row "  GET /new p99 ms" "$(fmt "$tokens_p99" 1)" "" "" "" "" "" ""
  row "contracts issued /s" "$(fmt "$contracts")" ">= 2,000" "$(verdict 'a >= 2000' "$contracts")" "-" "-" "32" "$(times "$contracts" 32)"
  row "  GET /chunk p50 / p99 ms" "$(fmt "$chunk_p50" 1) / $(fmt "$chunk_p99" 1)" "p99 < 100" "$(verdict 'a < 100' "$chunk_p99")" "" "" "p99 75 s" ""
  row "proofs verified /s, 1 per request" "$(fmt "$p1")" ">= 3,000" "$(verdict 'a >= 3000' "$p1")" "$(fmt "$c1")" "$(ratio "$p1" "$c1")" "147" "$(times "$p1" 147)"
  row "  POST /answer p50 / p99 ms" "$(fmt "$p1_p50" 1) / $(fmt "$p1_p99" 1)" "p99 < 20" "$(verdict 'a < 20' "$p1_p99")" "" "" "" ""
  row "proofs verified /s, 100 per request" "$(fmt "$p100")" ">= 20,000, >= 50%" "$(verdict 'a >= 20000 && a >= 0.5*b' "$p100" "$c100")" "$(fmt "$c100")" "$(ratio "$p100" "$c100")" "1,991" "$(times "$p100" 1991)"
  row "  POST /answer p50 / p99 ms" "$(fmt "$p100_p50" 1) / $(fmt "$p100_p99" 1)" "" "" "" "" "" ""
  crypto_ceiling=${verify_parse:+$(awk -v v="$verify_parse" -v c="$cores" 'BEGIN{print v*c}')}
  row "  crypto: parse + verify /s, x $cores" "" "" "" "$(fmt "$crypto_ceiling")" "$(ratio "$p100" "$crypto_ceiling")" "" ""
  # The status list bench (branch status) fills this row; until then only the node's answer
  # to status/list through this generator, if it serves the route.
  row "status/list p50 ms (270 / 4,000)" "$(fmt "$list_p50" 2)" "< 5" "$(verdict 'a < 5' "$list_p50")" "" "" "236" "$(times 236 "$list_p50")"
  row "  status/list p99 ms" "$(fmt "$list_p99" 2)" "" "" "" "" "" ""
  row "status/show p50 / p99 ms" "$(fmt "$show_p50" 2) / $(fmt "$show_p99" 2)" "" "" "" "" "" ""
  row "errors (any non-ok entry)" "$(fmt "$errors")" "0" "$(verdict 'a == 0' "$errors")" "" "" "" ""
  row "worker peak RSS MiB" "$(fmt "$rss" 1)" "< 64" "$(verdict 'a < 64' "$rss")" "" "" "" ""
  echo
  echo "Ceilings: bare MariaDB $(fmt "$c1") rows/s in 1-row transactions ($(ceiling_connections 1) connections), $(fmt "$c100") rows/s in"
  echo "100-row transactions ($(ceiling_connections 100) connections); crypto: verify $(fmt "$verify")/s per core ($(fmt "$verify_parse")/s with JSON parsing),"
  echo "AES-256-CTR $(fmt "$aes") MB/s, HMAC-SHA256 $(fmt "$hmac") MB/s."
  echo "Load generator, cores used (whole machine busy) per phase: tokens $(result tokens_generator_cores) ($(ratio "$(result tokens_machine_busy)" 1)),"
  echo "contracts $(result contracts_generator_cores) ($(ratio "$(result contracts_machine_busy)" 1)), proofs/1 $(result proofs1_generator_cores) ($(ratio "$(result proofs1_machine_busy)" 1)), proofs/100 $(result proofs100_generator_cores) ($(ratio "$(result proofs100_machine_busy)" 1))."
  echo "Requests in flight (generator threads, one each) per phase: tokens $(result tokens_threads), contracts $(result contracts_threads),"
  echo "proofs/1 $(result proofs1_threads), proofs/100 $(result proofs100_threads)."
  echo "Node cost per item: the machine's busy time (all cores; every process but the generator) over the rate;"
  echo "and the rate that cost allows if the node (nginx, workers, MariaDB) had all $cores cores to itself:"
  echo "  $(node_cost tokens token) | $(node_cost contracts contract)"
  echo "  $(node_cost proofs1 "proof (1 per request)") | $(node_cost proofs100 "proof (100 per request)")"
} >"$out.table"

{
  cat "$out.table"
  echo
  echo "=== details"
  for log in "$logs"/*.txt; do
    echo "=== $(basename "$log" .txt)"
    cat "$log"
  done
} >"$out"
echo
cat "$out.table"
rm -f "$out.table"
echo "figures in $out"
exit $status
