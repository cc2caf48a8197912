#!/usr/bin/env bash
# Where one load-benchmark server spends its core during one of run.sh's runs (issue 18: a missed
# target is explained with a profile). Starts LoadServer as run.sh does (pinned to LOAD_SERVER_CPUS,
# the load generator on LOAD_CLIENT_CPUS), warms it up with the same run, then records the server
# with perf (cpu-clock, no call graphs) while the run is repeated, and writes:
#   OUT/load.txt      the measured run's output, and the server's CPU seconds per 10,000 requests
#   OUT/dso.txt       perf report by shared object (kernel, libcrypto, libssl, JIT'd code, ...)
#   OUT/symbols.txt   the top symbols (JIT'd Java methods named through the JVM's perf map)
#
#   usage: bench/load/profile.sh FRAMEWORK TLS RUN OUT_DIR [SECONDS]
#          RUN: keepalive-1k keepalive-64k close-1k (wrk, as run.sh) or s_time-new s_time-reuse
#          (LOAD_STIME_CLIENTS openssl s_time processes at once, default 4, as run.sh)
#   e.g.   bench/load/profile.sh netty netty-openssl keepalive-1k /tmp/prof/netty-boringssl-1k 8
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 4 ] || { sed -n 2,13p "$0"; exit 2; }
framework=$1 tls=$2 run=$3 out=$4 seconds=${5:-8}
stime_clients=${LOAD_STIME_CLIENTS:-4}
server_cpus=${LOAD_SERVER_CPUS:-0}
client_cpus=${LOAD_CLIENT_CPUS:-1}
connections=${LOAD_CONNECTIONS:-32}
jar=${LOAD_JAR:-bench/target/benchmarks.jar}
port=18443
. bench/load/stime.sh
command -v perf >/dev/null || { echo "perf is needed (Debian: apt-get install linux-perf)" >&2; exit 1; }
mkdir -p "$out"

# DumpPerfMapAtExit: the JVM writes /tmp/perf-PID.map when it exits, which names JIT'd code for perf
taskset -c "$server_cpus" java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UnlockDiagnosticVMOptions \
  -XX:+DumpPerfMapAtExit -cp "$jar" io.nativetls.bench.load.LoadServer "$framework" "$tls" "$port" 1 \
  > "$out/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q '^ready' "$out/server.log" && break; sleep 0.5; done
grep -q '^ready' "$out/server.log" || { cat "$out/server.log" >&2; exit 1; }

# one pass of the run; its output on stdout, ending with "requests: N"
load_once() {
  case $run in
    keepalive-1k|keepalive-64k|close-1k)
      local path=/1k extra=() log
      [ "$run" = keepalive-64k ] && path=/64k
      [ "$run" = close-1k ] && extra=(-H "Connection: close")
      log=$(taskset -c "$client_cpus" wrk -t1 -c"$connections" -d"${seconds}s" --latency "${extra[@]}" \
        "https://127.0.0.1:$port$path")
      echo "$log"
      echo "$log" | awk '/requests in/ {print "requests: " $1}'
      ;;
    s_time-new|s_time-reuse)
      rm -f "$out/.s_time.log"
      echo "requests: $(stime_clients "${run#s_time-}" "$out/.s_time.log")"
      cat "$out/.s_time.log"; rm -f "$out/.s_time.log"
      ;;
    *) echo "unknown run $run" >&2; exit 2 ;;
  esac
}
load_once > /dev/null 2>&1
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
start=$(date +%s.%N)
perf record -q -e cpu-clock -F 999 -p "$pid" -o "$out/perf.data" -- sleep "$seconds" 2> "$out/perf.log" &
recorder=$!
load_once > "$out/load.txt" 2>&1
end=$(date +%s.%N)
after=$(ticks)
wait "$recorder" || true
requests=$(awk '/^requests:/ {print $2}' "$out/load.txt")
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" -v a="$start" -v b="$end" \
  'BEGIN {printf "requests/s: %.1f, server CPU seconds per 10,000 requests: %.2f\n", n / (b - a), t / hz / n * 10000}' >> "$out/load.txt"
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT
perf report -i "$out/perf.data" --stdio --sort dso 2>/dev/null | grep -v '^#' | grep -v '^$' | sed -n 1,25p > "$out/dso.txt"
perf report -i "$out/perf.data" --stdio --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | sed -n 1,60p > "$out/symbols.txt"
echo "$framework $tls $run: $(tail -1 "$out/load.txt")"
