#!/bin/bash
# Interleaved forks with and without -XX:+AlwaysPreTouch, otherwise the benchmark's own fork
# options (-jvmArgsAppend on the command line replaces the annotation's, so they are repeated).
# NativeTLS full TLS 1.3 ECDSA P-256 handshakes, OpenSSL 3.0, JDK 17.
cd "$(dirname "$0")/../../.." || exit 1
JAR=${1:-bench/target/benchmarks.jar}
OUT=${2:-/tmp/pretouch-forks}
ROUNDS=${3:-8}
mkdir -p "$OUT"
GROUPS_ARG=-Djdk.tls.namedGroups=x25519,secp256r1   # Groups.JVM_ARG
for r in $(seq 1 "$ROUNDS"); do
  for pt in + -; do
    OPENSSL_CONF=bench/openssl-bench.cnf timeout 180 java -jar "$JAR" HandshakeBenchmark \
      -p provider=NativeTLS -p config=TLS13_ECDSA_P256 -f 1 -wi 4 -w 1 -i 6 -r 1 \
      -jvmArgsAppend "$GROUPS_ARG -Xms2g -Xmx2g -XX:${pt}AlwaysPreTouch" \
      -rf json -rff "$OUT/$r$pt.json" > "$OUT/$r$pt.log" 2>&1
  done
done
