#!/usr/bin/env bash
# Native leak check that works with a JVM: LeakSanitizer's tracer crashes inside HotSpot, so this
# runs handshake-and-close cycles (SoakProbe) under valgrind memcheck and fails if any lost block
# (definitely or possibly) or invalid access has a NativeTLS, libssl or libcrypto frame.
# Slow (the JVM is interpreted under valgrind): about 15 minutes for the default 40 cycles.
#   usage: scripts/native-leak-check.sh [cycles]      (after mvn test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-40}
command -v valgrind >/dev/null || { echo "valgrind not installed (apt-get install valgrind)" >&2; exit 2; }
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout):target/classes:target/test-classes
log=$(mktemp)
valgrind --leak-check=full --show-leak-kinds=definite,possible --num-callers=40 --log-file="$log" \
  java -Xint -XX:+UseSerialGC -Xms64m -Xmx64m -cp "$cp" io.nativetls.memory.SoakProbe "$cycles" "$cycles"
grep -A3 "LEAK SUMMARY" "$log"
ours=$(awk '/(definitely|possibly) lost in loss record|Invalid (read|write)/{block=1; hit=0} block&&/nativetls|libssl|libcrypto/{hit=1} /^==[0-9]+== $/{if(block&&hit)n++; block=0} END{print n+0}' "$log")
echo "lost blocks or invalid accesses with NativeTLS/OpenSSL frames: $ours (full log: $log)"
[ "$ours" -eq 0 ]
