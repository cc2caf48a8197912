#!/usr/bin/env bash
# The load benchmark, first part (issue 18): real HTTPS servers (Netty 4.2 and Jetty 12, HTTP/1.1;
# bench/src/main/java/io/nativetls/bench/load/LoadServer.java) with TLS from SunJSSE, NativeTLS and
# (Netty) Netty's OpenSSL engine on BoringSSL, under load generators no one here wrote:
#   wrk             keep-alive requests/s and MB/s for 1 KiB and 64 KiB bodies, and latency;
#                   "Connection: close" requests/s (wrk resumes its TLS sessions: resumed connections)
#   openssl s_time  new (full handshake) and resumed connections/s, one GET each
# plus the server's CPU seconds per 10,000 requests (from /proc/PID/stat) for each run.
# On 2 cores the server runs on core 0 and the load generator on core 1 (taskset); compare the
# providers' ratios within one run, as with the JMH results.
#
#   usage: bench/load/run.sh [OUT_DIR] [SECONDS]     (defaults: bench/results/DATE-load, 10)
#   env:   LOAD_SERVERS="netty:NativeTLS jetty:SunJSSE ..."  LOAD_THREADS=1 (server event loops)
#          LOAD_SERVER_CPUS=0 LOAD_CLIENT_CPUS=1 (taskset lists)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/results/$(date +%F)-load}
seconds=${2:-10}
threads=${LOAD_THREADS:-1}
server_cpus=${LOAD_SERVER_CPUS:-0}
client_cpus=${LOAD_CLIENT_CPUS:-1}
servers=${LOAD_SERVERS:-"netty:SunJSSE netty:NativeTLS netty:netty-openssl jetty:SunJSSE jetty:NativeTLS"}
port=18443
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { echo "installing $2 for $1"; sudo -n true 2>/dev/null && s=sudo || s=; $s apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need taskset util-linux
jar=bench/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  mvn -B -q install -DskipTests && (cd bench && mvn -B -q package -DskipTests)
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
results="$out/results.tsv"
printf 'server\ttls\trun\trequests_per_s\tmb_per_s\tp50_ms\tp99_ms\tserver_cpu_s_per_10k\n' > "$results"

# One wrk run: prints requests/s, MB/s, p50, p99 (ms), and the server CPU seconds per 10,000 requests.
wrk_run() { # pid path extra-args...
  local pid=$1 path=$2; shift 2
  local before after log
  before=$(cpu_ticks "$pid")
  log=$(taskset -c "$client_cpus" wrk -t1 -c32 -d"${seconds}s" --latency "$@" "https://127.0.0.1:$port$path")
  after=$(cpu_ticks "$pid")
  echo "$log" >> "$out/wrk.log"
  local requests rps mbs p50 p99
  requests=$(echo "$log" | awk '/requests in/ {print $1}')
  rps=$(echo "$log" | awk '/Requests\/sec/ {print $2}')
  mbs=$(echo "$log" | awk '/Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2); if (u=="GB") n*=1024; if (u=="KB") n/=1024; if (u=="MB") n*=1; print n}')
  p50=$(echo "$log" | awk '$1=="50%" {print $2}')
  p99=$(echo "$log" | awk '$1=="99%" {print $2}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$rps" "$mbs" "$(ms "$p50")" "$(ms "$p99")" \
    "$(per10k $((after - before)) "$requests")"
}
per10k() { awk -v t="$1" -v hz="$hz" -v n="$2" 'BEGIN {if (n > 0) printf "%.2f", t / hz / n * 10000; else print "0"}'; }
ms() { echo "$1" | awk '{v=$1; if (v ~ /us$/) {sub(/us$/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v*=1000}; printf "%.2f", v}'; }

# One s_time run (new or reuse): connections/s and the server CPU seconds per 10,000 connections.
stime_run() { # pid mode
  local pid=$1 mode=$2 before after log conns start end
  before=$(cpu_ticks "$pid")
  start=$(date +%s.%N)
  log=$(env -u LD_LIBRARY_PATH -u OPENSSL_CONF taskset -c "$client_cpus" openssl s_time -connect "127.0.0.1:$port" \
        -"$mode" -time "$seconds" -www /1k 2>&1 || true)
  end=$(date +%s.%N)
  after=$(cpu_ticks "$pid")
  echo "$log" >> "$out/s_time.log"
  conns=$(echo "$log" | awk '/connections in [0-9.]+s;/ {print $1; exit}')
  local rate
  # s_time prints whole seconds only: the rate is over the time measured here
  rate=$(awk -v n="${conns:-0}" -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", n / (b - a)}')
  printf '%s\t-\t-\t-\t%s\n' "$rate" "$(per10k $((after - before)) "${conns:-0}")"
}

for entry in $servers; do
  framework=${entry%%:*}
  tls=${entry#*:}
  log="$out/server-$framework-$tls.log"
  taskset -c "$server_cpus" java -Xms1g -Xmx1g -cp "$jar" io.nativetls.bench.load.LoadServer \
    "$framework" "$tls" "$port" "$threads" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do grep -q '^ready' "$log" && break; sleep 0.5; done
  grep -q '^ready' "$log" || { echo "server $framework $tls did not start:"; cat "$log"; kill "$pid"; exit 1; }
  echo "== $(grep '^ready' "$log")"
  # Warm-up: the JIT and both providers' caches, as long as one measured run, then measured runs.
  taskset -c "$client_cpus" wrk -t1 -c32 -d"${seconds}s" "https://127.0.0.1:$port/1k" > /dev/null
  taskset -c "$client_cpus" wrk -t1 -c32 -d"$((seconds / 2))s" -H "Connection: close" "https://127.0.0.1:$port/1k" > /dev/null
  for run in keepalive-1k keepalive-64k close-1k s_time-new s_time-reuse; do
    case $run in
      keepalive-1k) line=$(wrk_run "$pid" /1k) ;;
      keepalive-64k) line=$(wrk_run "$pid" /64k) ;;
      close-1k) line=$(wrk_run "$pid" /1k -H "Connection: close") ;;
      s_time-new) line=$(stime_run "$pid" new) ;;
      s_time-reuse) line=$(stime_run "$pid" reuse) ;;
    esac
    printf '%s\t%s\t%s\t%s\n' "$framework" "$tls" "$run" "$line" | tee -a "$results"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "results: $results"
