#!/usr/bin/env bash
# Builds the benchmarks and runs the whole suite: the JMH benchmarks (bench/target/benchmarks.jar)
# and the C ceiling (bench/native/tls_bench), on the system OpenSSL 3.0 and on OpenSSL 3.5 from
# /opt/openssl-3.5. Results go to bench/results/<date>/ (see docs/PERFORMANCE.md), then
# bench/chart.py turns them into results.md and results.png there.
#
#   bench/run.sh                 the real run: every benchmark, 1 and 2 threads (about 75 minutes)
#   bench/run.sh --quick         the same matrix with 1 s iterations and 1 thread only (about 10 minutes)
#
# Options:
#   --quick                 short iterations (-wi 1 -i 1 -w 1s -r 1s), threads 1, C program 1 s per test
#   --providers LIST        comma-separated providers for the OpenSSL 3.0 run
#                           (default NativeTLS,SunJSSE,Conscrypt,Netty-OpenSSL,BCJSSE)
#   --providers-35 LIST     providers for the OpenSSL 3.5 run (default NativeTLS: the peers do not
#                           use the system OpenSSL, so their numbers would not change)
#   --benchmarks REGEX      JMH benchmark selection (default: all), e.g. 'Handshake|Resumption'
#   --threads "1 2"         thread counts (JMH -t and tls_bench -j)
#   --forks N               JMH forks per benchmark (default 1)
#   --openssl "3.0 3.5"     which OpenSSL runs to do
#   --no-build              use the jar and the C program as already built
#   --no-gc                 leave out JMH's gc profiler (allocation per operation)
#   --system-openssl-conf   OPENSSL_CONF=/usr/lib/ssl/openssl.cnf instead of bench/openssl-bench.cnf:
#                           OpenSSL's own default groups (3.5 then negotiates X25519MLKEM768)
#   --out DIR               results directory (default bench/results/<date>[-quick])
#   -- ARGS...              further arguments for every JMH run
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)

quick=0
providers="NativeTLS,SunJSSE,Conscrypt,Netty-OpenSSL,BCJSSE"
providers35="NativeTLS"
benchmarks=""
threads=""
forks=1
openssls="3.0 3.5"
build=1
gc=1
conf="$bench/openssl-bench.cnf"
out=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --providers) providers=$2; shift ;;
    --providers-35) providers35=$2; shift ;;
    --benchmarks) benchmarks=$2; shift ;;
    --threads) threads=$2; shift ;;
    --forks) forks=$2; shift ;;
    --openssl) openssls=$2; shift ;;
    --no-build) build=0 ;;
    --no-gc) gc=0 ;;
    --system-openssl-conf) conf=/usr/lib/ssl/openssl.cnf ;;
    --out) out=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  jmh_time=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  c_time=(-w 0.3 -d 1)
  threads=${threads:-1}
else
  jmh_time=(-f "$forks")
  c_time=(-w 1 -d 3)
  threads=${threads:-"1 2"}
fi
if [ -z "$out" ]; then
  out="$bench/results/$(date +%Y-%m-%d)$([ "$quick" = 1 ] && echo -quick || true)"
  if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    out="$out-$(date +%H%M%S)"
  fi
fi
mkdir -p "$out"
jar="$bench/target/benchmarks.jar"
cbench="$bench/target/native/tls_bench"

step() { printf '\n=== %s ===\n' "$*"; }

if [ "$build" = 1 ]; then
  step "building: provider jar (mvn install), benchmarks.jar, tls_bench"
  (cd "$root" && mvn -B -q -ntp install -DskipTests)
  (cd "$bench" && mvn -B -q -ntp package)
  cmake -S "$bench/native" -B "$bench/target/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$bench/target/native" >/dev/null
fi
[ -f "$jar" ] || { echo "run.sh: $jar missing (run without --no-build)" >&2; exit 1; }
[ -x "$cbench" ] || { echo "run.sh: $cbench missing (run without --no-build)" >&2; exit 1; }

machine() {
  echo "date: $(date -Is)"
  echo "host: $(uname -srmo)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores online)"
  grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(aes|vaes|pclmulqdq|vpclmulqdq|avx2|avx512f|sha_ni|adx|bmi2)$' \
    | tr '\n' ' ' | sed 's/^/cpu flags: /; s/$/\n/'
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "system openssl: $(openssl version)"
  if [ -f /opt/openssl-3.5/lib/libssl.so.3 ]; then
    echo "openssl 3.5: $(LD_LIBRARY_PATH=/opt/openssl-3.5/lib /opt/openssl-3.5/bin/openssl version 2>/dev/null || echo present)"
  fi
  echo "nativetls commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "run.sh options: quick=$quick providers=$providers providers-35=$providers35 threads='$threads' forks=$forks gc=$gc OPENSSL_CONF=$conf benchmarks='${benchmarks:-all}' extra='${extra[*]:-}'"
}
machine > "$out/machine.txt"
cat "$out/machine.txt"

failures=0
run_variant() {
  local tag=$1 libdir=$2 provs=$3
  local envs=(OPENSSL_CONF="$conf")
  if [ -n "$libdir" ]; then
    envs+=(LD_LIBRARY_PATH="$libdir")
  fi
  step "$tag: probe ($provs)"
  env "${envs[@]}" java "-Djdk.tls.namedGroups=x25519,secp256r1" -cp "$jar" io.nativetls.bench.Probe ${provs//,/ } \
    2>&1 | grep -v -E '^(INFO|WARNING):|^[A-Z][a-z]{2} [0-9]{1,2}, [0-9]{4}' | tee "$out/probe-$tag.txt" || true

  local t
  for t in $threads; do
    step "$tag: JMH, $t thread(s)"
    local args=("${jmh_time[@]}" -t "$t" -p provider="$provs" -rf json -rff "$out/jmh-$tag-t$t.json")
    if [ "$gc" = 1 ]; then
      args+=(-prof gc)
    fi
    # A benchmark whose provider is unavailable or cannot run a configuration fails alone (its
    # setup says why, in the log); JMH then exits non-zero, which is not a reason to stop here.
    if ! env "${envs[@]}" java -jar "$jar" ${benchmarks:+"$benchmarks"} "${args[@]}" "${extra[@]}" \
        > "$out/jmh-$tag-t$t.log" 2>&1; then
      failures=$((failures + 1))
    fi
    grep -E '^\[bench\]|unavailable:|cannot run|cannot set up|^# Run complete' "$out/jmh-$tag-t$t.log" | sort -u || true
  done

  step "$tag: C ceiling (tls_bench)"
  : > "$out/c-$tag.txt"
  for t in $threads; do
    env "${envs[@]}" "$cbench" -j "$t" "${c_time[@]}" | tee -a "$out/c-$tag.txt"
  done
}

for v in $openssls; do
  case "$v" in
    3.0) run_variant openssl-3.0 "" "$providers" ;;
    3.5)
      if [ -f /opt/openssl-3.5/lib/libssl.so.3 ]; then
        run_variant openssl-3.5 /opt/openssl-3.5/lib "$providers35"
      else
        echo "run.sh: /opt/openssl-3.5/lib/libssl.so.3 not found: OpenSSL 3.5 run skipped" \
          "(build it with scripts/build-openssl.sh)" | tee "$out/openssl-3.5-skipped.txt" >&2
      fi ;;
    *) echo "run.sh: unknown OpenSSL variant $v (3.0 or 3.5)" >&2; exit 2 ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

step "chart"
py=python3
if ! python3 -c 'import matplotlib' 2>/dev/null && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  py=/usr/bin/python3
fi
"$py" "$bench/chart.py" "$out"
echo
echo "results: $out"
if [ "$failures" -gt 0 ]; then
  echo "note: $failures JMH run(s) reported failed benchmarks; the reasons are in the [bench]/'provider ...' lines above and in $out/jmh-*.log"
fi
