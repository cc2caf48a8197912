#!/usr/bin/env bash
# The project's test command: the whole suite on JDK 17 with the system OpenSSL (which also builds
# the jar), then again on OpenSSL 3.5 and on the Temurin 25 JDK, then against the native library
# built with AddressSanitizer/UBSan. Each stage prints its own Surefire summary.
#   usage: scripts/test-all.sh            (from the project root)
# Set NATIVETLS_QUICK=1 to run only the first stage.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn=(mvn -B -ntp)
stage() { printf '\n=== %s ===\n' "$*"; }

stage "JDK 17, system $(openssl version)"
"${mvn[@]}" verify
java -jar target/nativetls-*.jar selfcheck

if [ "${NATIVETLS_QUICK:-0}" = 1 ]; then
  exit 0
fi

# The jar's linux-aarch64 library, run by an arm64 JDK under qemu-user: a subset, said and timed there.
stage "linux-aarch64 under qemu-user"
bash scripts/test-aarch64.sh

ossl35=/opt/openssl-3.5
# A no-op once built; about six minutes on 2 cores otherwise.
bash scripts/build-openssl.sh "$ossl35" 3.5 || echo "warning: could not build OpenSSL 3.5" >&2
if [ -x "$ossl35/bin/openssl" ]; then
  stage "JDK 17, OpenSSL 3.5 from $ossl35"
  # The 3.5 build has no config file of its own: it (and the openssl CLI the tests run) reads the system one.
  OPENSSL_CONF=/usr/lib/ssl/openssl.cnf LD_LIBRARY_PATH="$ossl35/lib" "${mvn[@]}" surefire:test -Dnativetls.test.jvm.args=-Dio.nativetls.test.expectOpenSsl=3.5
else
  echo "warning: OpenSSL 3.5 not available (scripts/build-openssl.sh failed): stage skipped" >&2
fi

jdk25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
if [ -n "$jdk25" ]; then
  stage "Temurin 25 ($jdk25)"
  JAVA_HOME="$jdk25" "${mvn[@]}" test -Dnativetls.cmake.dir=target/cmake-jdk25
else
  echo "no Temurin 25 JDK under /usr/lib/jvm: stage skipped" >&2
fi

stage "AddressSanitizer + UBSan build"
"${mvn[@]}" -Psanitize test -Dnativetls.asan.runtime="$(gcc -print-file-name=libasan.so)"

stage "LeakSanitizer: native memory must not grow with the number of handshakes"
bash scripts/lsan-scaling-check.sh 100
