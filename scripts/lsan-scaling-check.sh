#!/usr/bin/env bash
# LeakSanitizer on the native side, under a JVM. HotSpot's own allocations and OpenSSL's
# per-thread state look leaked to LSan when it cannot scan thread stacks and TLS (it cannot here),
# so this runs the handshake-and-close probe twice, with N and 4N cycles, and fails if the blocks
# allocated by NativeTLS or OpenSSL that LSan reports grow with the number of handshakes.
#   usage: scripts/lsan-scaling-check.sh [N]     (after mvn -Psanitize test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
lib=target/native-sanitize
[ -f "$lib/libnativetls.so" ] || { echo "build the sanitizer library first: mvn -Psanitize test-compile" >&2; exit 2; }
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout):target/classes:target/test-classes

ours() { # bytes and blocks LSan attributes to NativeTLS/OpenSSL allocation sites after $1 cycles
  local log; log=$(mktemp)
  LD_PRELOAD=$(gcc -print-file-name=libasan.so) \
  ASAN_OPTIONS=detect_leaks=1:handle_segv=0:allow_user_segv_handler=1:detect_stack_use_after_return=0 \
  LSAN_OPTIONS=use_tls=0:use_stacks=0:use_registers=0 \
    java -XX:-ClassUnloading -Dio.nativetls.library.path="$lib" -Xms256m -Xmx256m -XX:+UseSerialGC \
      -cp "$cp" io.nativetls.memory.SoakProbe "$1" "$1" > "$log" 2>&1 || true
  grep -q "LeakSanitizer" "$log" || { echo "LeakSanitizer did not run: $log" >&2; exit 2; }
  awk '/(Direct|Indirect) leak of/{blk=""; inb=1; split($0,h," "); sz=h[4]; next}
       inb&&/^$/{split(blk,L,"\n"); if (L[3] ~ /libssl|libcrypto|nativetls/) {s+=sz; c++}; inb=0}
       inb{blk=blk"\n"$0} END{print s+0, c+0}' "$log"
  rm -f "$log"
}

read -r small_bytes small_blocks < <(ours "$n")
read -r big_bytes big_blocks < <(ours $((4 * n)))
echo "LSan, NativeTLS/OpenSSL allocation sites: $n cycles: $small_blocks blocks, $small_bytes bytes;" \
     "$((4 * n)) cycles: $big_blocks blocks, $big_bytes bytes"
if [ "$big_blocks" -gt "$small_blocks" ] || [ "$big_bytes" -gt $((small_bytes + 4096)) ]; then
  echo "native memory reported lost grows with the number of handshakes" >&2
  exit 1
fi
echo "no leak that grows with handshakes"
