#!/bin/bash
# The JDK 25 run of results.md: NativeTLS and SunJSSE forks on Temurin 25 (JDK25, its java),
# full and resumed handshakes, two rounds on OpenSSL 3.5 (OPENSSL35, its lib directory) then
# 3.0, the C ceiling (bench/run.sh builds it) after each round. Usage, from the repository root:
#   bash bench/results/2026-12-04-jdk25/run.sh OUT_DIR
set -euo pipefail
out=$1
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mkdir -p "$out"
args=('HandshakeBenchmark|ResumptionBenchmark.tls12SessionId' -p provider=NativeTLS,SunJSSE
  -p config=TLS13_ECDSA_P256,TLS13_RSA_2048,TLS12_ECDHE_ECDSA_AES128_GCM
  -jvm "$jdk25" -wi 2 -w 2s -i 3 -r 2s -f 1 -t 1 -rf json)
for v in 3.5 3.0; do
  if [ "$v" = 3.5 ]; then export LD_LIBRARY_PATH=${OPENSSL35:-/opt/openssl-3.5}/lib; else unset LD_LIBRARY_PATH; fi
  for r in 1 2; do
    OPENSSL_CONF=bench/openssl-bench.cnf java -jar bench/target/benchmarks.jar "${args[@]}" -rff "$out/$v-$r.json" > "$out/$v-$r.txt" 2>&1
    OPENSSL_CONF=bench/openssl-bench.cnf bench/target/native/tls_bench -j 1 -w 2 -d 4 > "$out/c-$v-$r.txt" 2>&1
  done
done
