#!/usr/bin/env bash
# The load benchmark (issue 18): real HTTPS servers (bench/src/main/java/io/nativetls/bench/load/
# LoadServer.java: Netty 4.2 and Tomcat 11 on HTTP/1.1, Jetty 12 on HTTP/1.1 and h2) with TLS from
# SunJSSE, NativeTLS and (Netty) Netty's OpenSSL engine on BoringSSL, under load generators no one
# here wrote:
#   wrk             keep-alive requests/s and MB/s for 1 KiB and 64 KiB bodies, latency; "Connection:
#                   close" requests/s (wrk resumes its TLS sessions: resumed connections); p50/p99
#                   latency at a fixed moderate rate (a wrk script delays each connection's requests)
#   h2load          h2 (Jetty only): requests/s and MB/s, many streams per connection (warmed up
#                   with h2load too: the HTTP/1.1 warm-up does not reach Jetty's h2 code)
#   openssl s_time  new (full handshake) and resumed connections/s, one GET each
# plus the server's CPU seconds per 10,000 requests (from /proc/PID/stat) for each run, and the
# memory of the server holding LOAD_IDLE idle TLS connections (IdleClients; per connection, after a
# full GC: Java heap from the class histogram, native as resident memory beyond the pre-touched heap).
# The server runs on LOAD_SERVER_CPUS and the load generator on LOAD_CLIENT_CPUS (taskset); every
# round runs every server once, in an order rotated by the round, and bench/load/summarize.py writes
# the medians over the rounds and the ratios between providers into results.md with charts.
#
#   usage: bench/load/run.sh [OUT_DIR] [SECONDS]     (defaults: bench/results/DATE-load, 8)
#   env:   LOAD_SERVERS="netty:NativeTLS jetty:SunJSSE ..."   (framework:tls; default all seven)
#          LOAD_ROUNDS=3              rounds of every server (medians over them)
#          LOAD_RUNS="keepalive-1k ..." which runs (default all: see RUNS below)
#          LOAD_IDLE=5000 LOAD_IDLE_ROUNDS=1   idle connections held, in the first N rounds
#          LOAD_WARMUP=0              no warm-up (with LOAD_RUNS=idle-memory: memory of a fresh server)
#          LOAD_THREADS=1             server event loops / selectors (Jetty, Tomcat: pool of 4x)
#          LOAD_CLIENT_THREADS=1      wrk and h2load threads
#          LOAD_CONNECTIONS=32        wrk and h2load connections
#          LOAD_STIME_CLIENTS=4       openssl s_time processes at once (1: the single sequential client)
#          LOAD_SERVER_CPUS=0 LOAD_CLIENT_CPUS=1   taskset lists
#          LOAD_REBUILD=1             rebuild the provider, adapters and bench jar first
#          LOAD_JAR=FILE              a bench jar other than bench/target/benchmarks.jar (before/after runs)
#   More cores: e.g. LOAD_THREADS=8 LOAD_SERVER_CPUS=0-7 LOAD_CLIENT_CPUS=8-15 LOAD_CLIENT_THREADS=8
#   LOAD_CONNECTIONS=256 (docs/PERFORMANCE.md, "Real servers under load").
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/results/$(date +%F)-load}
seconds=${2:-8}
rounds=${LOAD_ROUNDS:-3}
threads=${LOAD_THREADS:-1}
client_threads=${LOAD_CLIENT_THREADS:-1}
connections=${LOAD_CONNECTIONS:-32}
idle=${LOAD_IDLE:-5000}
idle_rounds=${LOAD_IDLE_ROUNDS:-1}
server_cpus=${LOAD_SERVER_CPUS:-0}
client_cpus=${LOAD_CLIENT_CPUS:-1}
stime_clients=${LOAD_STIME_CLIENTS:-4}
. bench/load/stime.sh
servers=${LOAD_SERVERS:-"netty:SunJSSE netty:NativeTLS netty:netty-openssl jetty:SunJSSE jetty:NativeTLS tomcat:SunJSSE tomcat:NativeTLS"}
RUNS="keepalive-1k keepalive-64k close-1k rate-1k h2-1k h2-64k s_time-new s_time-reuse idle-memory"
runs=${LOAD_RUNS:-$RUNS}
port=18443
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { echo "installing $2 for $1"; sudo -n true 2>/dev/null && s=sudo || s=; $s apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need h2load nghttp2-client
need taskset util-linux
need jcmd openjdk-17-jdk-headless
jar=${LOAD_JAR:-bench/target/benchmarks.jar}
if [ ! -f "$jar" ] || [ "${LOAD_REBUILD:-0}" = 1 ]; then
  # the provider, the Jetty adapter (ALPN for NativeTLS engines), then the bench jar with both
  mvn -B -q install -DskipTests && mvn -B -q -f integrations install -DskipTests \
    && (cd bench && mvn -B -q package -DskipTests)
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores"
  echo "server cpus: $server_cpus, client cpus: $client_cpus, server threads: $threads, client threads: $client_threads, connections: $connections, s_time clients: $stime_clients"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "openssl (clients): $(openssl version)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "h2load: $(h2load --version 2>&1 | head -1)"
  echo "seconds per run: $seconds, rounds: $rounds, idle connections: $idle"
} > "$out/machine.txt"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
results="$out/results.tsv"
[ -f "$results" ] || printf 'round\tserver\ttls\trun\trequests_per_s\tmb_per_s\tp50_ms\tp99_ms\tserver_cpu_s_per_10k\theap_b_per_conn\tnative_b_per_conn\n' > "$results"
per10k() { awk -v t="$1" -v hz="$hz" -v n="$2" 'BEGIN {if (n > 0) printf "%.2f", t / hz / n * 10000; else print "0"}'; }
ms() { echo "$1" | awk '{v=$1; if (v ~ /us$/) {sub(/us$/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v*=1000}; printf "%.2f", v}'; }
mb() { echo "$1" | awk '{v=$1; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2); if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u!="MB") n=v/1048576; printf "%.1f", n}'; }

# One wrk run: requests/s, MB/s, p50, p99 (ms), server CPU seconds per 10,000 requests, -, -.
wrk_run() { # pid path extra-args...
  local pid=$1 path=$2; shift 2
  local before after log
  before=$(cpu_ticks "$pid")
  log=$(taskset -c "$client_cpus" wrk -t"$client_threads" -c"$connections" -d"${seconds}s" --latency "$@" "https://127.0.0.1:$port$path")
  after=$(cpu_ticks "$pid")
  echo "$log" >> "$out/wrk.log"
  local requests
  requests=$(echo "$log" | awk '/requests in/ {print $1}')
  printf '%s\t%s\t%s\t%s\t%s\t-\t-\n' "$(echo "$log" | awk '/Requests\/sec/ {print $2}')" \
    "$(mb "$(echo "$log" | awk '/Transfer\/sec/ {print $2}')")" \
    "$(ms "$(echo "$log" | awk '$1=="50%" {print $2}')")" "$(ms "$(echo "$log" | awk '$1=="99%" {print $2}')")" \
    "$(per10k $((after - before)) "$requests")"
}

# The fixed moderate rate: each of 50 connections sends its next request 10 ms after the last
# response, so at most 5,000 requests/s (about a tenth of what these servers serve flat out).
rate_script="$out/rate.lua"
printf 'function delay()\n  return 10\nend\n' > "$rate_script"

# h2load by request count (-n), not by duration (-D): h2load 1.52 in timing mode sometimes never
# exits after "Stopped all clients", still sending on a few connections (seen 2026-12-03/04 with
# both providers, and again on a cold Jetty NativeTLS server on 2026-12-04: 47 MB/s of loopback
# traffic ten minutes after the end; nghttp2 issue 1168 reports the same freeze). The count is the
# rate the h2 warm-up measured on the path times SECONDS (a guess without a warm-up), so a run
# lasts up to SECONDS: shorter, as the warm-up is the slower pass.
declare -A h2_rate=([/1k]=20000 [/64k]=3000)
h2load_count() { # path: h2load's output; fails if it overstays
  local n=$(( ${h2_rate[$1]%.*} * seconds ))
  timeout $((seconds * 4 + 30)) taskset -c "$client_cpus" h2load -t"$client_threads" -c"$connections" -m16 \
    -n $(( n > 1000 ? n : 1000 )) "https://127.0.0.1:$port$1" 2>&1
}

# One h2load run (h2 by ALPN, 16 streams per connection): requests/s, MB/s, -, -, CPU per 10,000.
h2_run() { # pid path
  local pid=$1 path=$2 before after log requests
  before=$(cpu_ticks "$pid")
  # a run that does not end is recorded as hung, with the server's threads
  log=$(h2load_count "$path") \
    || { echo "h2load did not finish: $path" >&2; jcmd "$pid" Thread.print > "$out/hung-$framework-$tls-$(date +%s).txt" 2>&1; }
  after=$(cpu_ticks "$pid")
  echo "$log" >> "$out/h2load.log"
  echo "$log" | grep -q "Application protocol: h2" || { echo "h2load did not negotiate h2" >&2; printf '0\t0\t-\t-\t0\t-\t-\n'; return; }
  requests=$(echo "$log" | awk '/^requests:/ {print $8}')
  printf '%s\t%s\t-\t-\t%s\t-\t-\n' "$(echo "$log" | awk '/^finished in/ {print $4}')" \
    "$(mb "$(echo "$log" | awk '/^finished in/ {sub(/\/s$/, "", $6); print $6}')")" "$(per10k $((after - before)) "$requests")"
}

# One s_time run (new or reuse, LOAD_STIME_CLIENTS at once: bench/load/stime.sh): connections/s
# and the server CPU seconds per 10,000 connections.
stime_run() { # pid mode
  local pid=$1 mode=$2 before after conns start end
  before=$(cpu_ticks "$pid")
  start=$(date +%s.%N)
  conns=$(stime_clients "$mode" "$out/s_time.log")
  end=$(date +%s.%N)
  after=$(cpu_ticks "$pid")
  # s_time prints whole seconds only: the rate is over the time measured here
  printf '%s\t-\t-\t-\t%s\t-\t-\n' "$(awk -v n="$conns" -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", n / (b - a)}')" \
    "$(per10k $((after - before)) "$conns")"
}

# The server's live Java heap (bytes, from a class histogram, which runs a full GC first) and resident memory (bytes).
live_heap() { jcmd "$1" GC.class_histogram | awk '/^Total/ {print $3}'; }
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }

# Memory per idle connection: LOAD_IDLE connections opened (full handshake, one request each) and
# held silent. The heap is pre-touched (-XX:+AlwaysPreTouch), so resident memory beyond the start's
# is what lies outside the Java heap: OpenSSL's per-connection state, NativeTLS's, the framework's
# native buffers. -, -, -, -, -, heap bytes per connection, native bytes per connection.
idle_run() { # pid
  local pid=$1 h0 r0 h1 r1 fifo="$out/.idle-hold" log="$out/idle-clients.log" client
  h0=$(live_heap "$pid"); r0=$(rss "$pid")
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c "$client_cpus" java -cp "$jar" io.nativetls.bench.load.IdleClients "$port" "$idle" < "$fifo" > "$log" 2>&1 &
  client=$!
  exec 7> "$fifo"
  for _ in $(seq 1 1200); do grep -q '^held' "$log" && break; kill -0 "$client" 2>/dev/null || break; sleep 0.5; done
  if ! grep -q '^held' "$log"; then
    echo "idle clients failed:" >&2; cat "$log" >&2
    exec 7>&-; wait "$client" 2>/dev/null || true; rm -f "$fifo"
    printf '0\t-\t-\t-\t-\t0\t0\n'; return
  fi
  sleep 2
  h1=$(live_heap "$pid"); r1=$(rss "$pid")
  exec 7>&-; wait "$client" 2>/dev/null || true; rm -f "$fifo"
  printf '%s\t-\t-\t-\t-\t%s\t%s\n' "$idle" $(( (h1 - h0) / idle )) $(( (r1 - r0) / idle ))
}

set -- $servers
count=$#
for round in $(seq 1 "$rounds"); do
  # rotate the order each round, so no server always runs first (or last) on a warming machine
  order=()
  for i in $(seq 0 $((count - 1))); do
    j=$(( (i + round - 1) % count + 1 ))
    order+=("${!j}")
  done
  for entry in "${order[@]}"; do
    framework=${entry%%:*}
    tls=${entry#*:}
    log="$out/server-$framework-$tls.log"
    taskset -c "$server_cpus" java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.nativetls.bench.load.LoadServer \
      "$framework" "$tls" "$port" "$threads" > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do grep -q '^ready' "$log" && break; sleep 0.5; done
    grep -q '^ready' "$log" || { echo "server $framework $tls did not start:"; cat "$log"; kill "$pid"; exit 1; }
    echo "== round $round: $(grep '^ready' "$log")"
    # Warm-up: the JIT and the providers' caches, then the measured runs (LOAD_WARMUP=0: none, for
    # an idle-memory run on a fresh server, whose allocator holds nothing freed by earlier load).
    [ "${LOAD_WARMUP:-1}" = 0 ] || taskset -c "$client_cpus" wrk -t"$client_threads" -c"$connections" -d"${seconds}s" "https://127.0.0.1:$port/1k" > /dev/null
    [ "${LOAD_WARMUP:-1}" = 0 ] || taskset -c "$client_cpus" wrk -t"$client_threads" -c"$connections" -d"$((seconds / 2))s" -H "Connection: close" "https://127.0.0.1:$port/1k" > /dev/null
    # Jetty's h2 code (and the provider's paths under it) is not touched by the HTTP/1.1 warm-up:
    # without this the first h2 run measured it being compiled (2026-12-03: 0.71 / 0.38 of SunJSSE
    # cold against 1.18 / 0.99 warm). Its rates size the measured runs (h2load_count).
    if [ "${LOAD_WARMUP:-1}" != 0 ] && [ "$framework" = jetty ] && [[ " $runs " == *" h2-"* ]]; then
      for path in /1k /64k; do
        rate=$(h2load_count "$path" | awk '/^finished in/ {print $4}') || echo "h2 warm-up did not finish: $path" >&2
        case ${rate%.*} in ''|*[!0-9]*|0) ;; *) h2_rate[$path]=$rate ;; esac
      done
    fi
    for run in $runs; do
      case $run in
        keepalive-1k) line=$(wrk_run "$pid" /1k) ;;
        keepalive-64k) line=$(wrk_run "$pid" /64k) ;;
        close-1k) line=$(wrk_run "$pid" /1k -H "Connection: close") ;;
        rate-1k) line=$(connections=50 wrk_run "$pid" /1k -s "$rate_script") ;;
        h2-1k|h2-64k) [ "$framework" = jetty ] || continue; line=$(h2_run "$pid" "/${run#h2-}") ;;
        s_time-new) line=$(stime_run "$pid" new) ;;
        s_time-reuse) line=$(stime_run "$pid" reuse) ;;
        idle-memory) [ "$round" -le "$idle_rounds" ] || continue; line=$(idle_run "$pid") ;;
        *) echo "no run $run"; exit 1 ;;
      esac
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$framework" "$tls" "$run" "$line" | tee -a "$results"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
python3 bench/load/summarize.py "$out"
echo "results: $out/results.md"
