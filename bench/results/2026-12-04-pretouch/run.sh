#!/bin/bash
# The side-by-side run of results.md: two bench jars (the build before the change and the one
# after it) alternately, two rounds, on OpenSSL 3.5 (OPENSSL35, its lib directory) then 3.0,
# and the C ceiling after each round. Usage, from the repository root:
#   bash bench/results/2026-12-04-pretouch/run.sh BEFORE.jar AFTER.jar OUT_DIR
set -euo pipefail
before=$1 after=$2 out=$3
mkdir -p "$out"
args=('HandshakeBenchmark|ResumptionBenchmark|BulkBenchmark' -p provider=NativeTLS,SunJSSE
  -p config=TLS13_ECDSA_P256,TLS12_ECDHE_ECDSA_AES128_GCM -p suite=TLS13_AES_128_GCM -p size=1024
  -p buffers=heap -wi 2 -w 2s -i 3 -r 2s -f 1 -t 1 -rf json)
for v in 3.5 3.0; do
  if [ "$v" = 3.5 ]; then export LD_LIBRARY_PATH=${OPENSSL35:-/opt/openssl-3.5}/lib; else unset LD_LIBRARY_PATH; fi
  for r in 1 2; do
    for j in before after; do
      jar=$before; [ "$j" = after ] && jar=$after
      OPENSSL_CONF=bench/openssl-bench.cnf java -jar "$jar" "${args[@]}" -rff "$out/$v-$j-$r.json" > "$out/$v-$j-$r.txt" 2>&1
    done
    OPENSSL_CONF=bench/openssl-bench.cnf bench/target/native/tls_bench -j 1 -w 2 -d 4 > "$out/c-$v-$r.txt" 2>&1
  done
done
