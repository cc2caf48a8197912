#!/usr/bin/env bash
# The project's test command. The matrix the README promises, without running everything four times:
#
#   stage          JDK / OpenSSL / library          tests (JUnit tags: tests/io/nativetls/testing/Tags.java)
#   jdk17          17 / system 3.0 / release        all but `fuzz`; builds and verifies the artifacts
#   aarch64        arm64 17 under qemu / Debian 3.0 the subset scripts/test-aarch64.sh names
#   openssl-3.5    17 / 3.5 / release               all but `fuzz` and `soak`
#   jdk25          Temurin 25 / system 3.0 / the    all but `fuzz` and `soak`
#                  jar's classes and library, as built by the first stage (what a user runs)
#   jdk25-openssl-3.5  Temurin 25 / 3.5 / as jdk25  `pqc` only: ML-DSA needs both (JDK 24+ keys, OpenSSL
#                  3.5 schemes), so its tests skip themselves in every other stage
#   openssl-3.5-fips  17 / 3.5 with its FIPS module `fips` only, the JVM in FIPS mode (io.nativetls.fips=true,
#                  the build's openssl-fips.cnf) beside a process default context that is not; the
#                  fail-closed tests start JVMs of their own. Elsewhere these tests skip themselves
#   asan           17 / system 3.0 / ASan+UBSan     all but `soak`, `jvm`, `interop`, `frameworks`
#   lsan           LeakSanitizer: native memory must not grow with the number of handshakes
#
# So the contract (every untagged test) runs in all four library stages; `fuzz` (100,000 hostile
# inputs, the re-entrant callback matrix) once, where the sanitizers watch it; `soak` once, in the
# first stage; `pqc` where it can run; tests of the surroundings (other JVMs, other programs, frameworks) on every JDK and
# OpenSSL but not under the sanitizers, which see the same native calls in the contract tests.
# The first stage runs alone (it builds what the others use); the others then run two at a time,
# each into target/stages/NAME.log, printed whole when the stage ends. OpenSSL 3.5 with its FIPS module
# is built in the background meanwhile if /opt/openssl-3.5 lacks it (about six minutes on 2 cores; once).
#
#   usage: scripts/test-all.sh            (from the project root)
# NATIVETLS_QUICK=1 runs only `mvn verify`: the whole suite once, every tag, JDK 17 and the system OpenSSL.
# A missing OpenSSL 3.5 or Temurin 25 fails the run; NATIVETLS_ALLOW_SKIP="openssl-3.5 openssl-3.5-fips jdk25
# jdk25-openssl-3.5" (any of them) lets that stage be skipped with a warning instead.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn=(mvn -B -ntp)
banner() { printf '\n=== %s ===\n' "$*"; }

if [ "${NATIVETLS_QUICK:-0}" = 1 ]; then
  banner "JDK 17, system $(openssl version): the whole suite"
  "${mvn[@]}" verify
  java -jar target/nativetls-*.jar selfcheck
  exit 0
fi

began=$SECONDS
ossl35=/opt/openssl-3.5
ossl35_log=$(mktemp)
nice -n 5 bash scripts/build-openssl.sh "$ossl35" 3.5 fips >"$ossl35_log" 2>&1 &
ossl35_build=$!

banner "jdk17: JDK 17, system $(openssl version); all tests but fuzz; the artifacts"
# It runs alone, so its tests run in two JVMs, one per core.
"${mvn[@]}" verify -Dnativetls.test.excludedGroups=fuzz -Dnativetls.test.forks=2
java -jar target/nativetls-*.jar selfcheck
first_stage=$((SECONDS - began))

logs=target/stages
rm -rf "$logs"
mkdir -p "$logs"
reports() { echo "-Dnativetls.test.reports=$PWD/target/surefire-reports-$1" "-Dnativetls.test.stage=$1"; }

may_skip() { # stage reason: a warning if NATIVETLS_ALLOW_SKIP names the stage, else a failure
  if [[ " ${NATIVETLS_ALLOW_SKIP:-} " == *" $1 "* ]]; then
    echo "warning: stage $1 skipped (allowed by NATIVETLS_ALLOW_SKIP): $2"
  else
    echo "stage $1 cannot run: $2 (set NATIVETLS_ALLOW_SKIP=\"$1\" to allow skipping it)"
    return 1
  fi
}

stage_openssl_3_5() {
  # the build is the main shell's child, not this chain's: wait for it by polling
  while kill -0 "$ossl35_build" 2>/dev/null; do sleep 5; done
  cat "$ossl35_log"
  [ -x "$ossl35/bin/openssl" ] || { may_skip openssl-3.5 "scripts/build-openssl.sh did not build $ossl35"; return; }
  echo "JDK 17, OpenSSL 3.5 from $ossl35; all tests but fuzz and soak"
  # The 3.5 build has no config file of its own: it (and the openssl CLI the tests run) reads the system one.
  OPENSSL_CONF=/usr/lib/ssl/openssl.cnf LD_LIBRARY_PATH="$ossl35/lib" "${mvn[@]}" surefire:test \
    -Dnativetls.test.jvm.args=-Dio.nativetls.test.expectOpenSsl=3.5 -Dnativetls.test.excludedGroups=fuzz,soak \
    $(reports openssl-3.5)
}

stage_openssl_3_5_fips() {
  while kill -0 "$ossl35_build" 2>/dev/null; do sleep 5; done
  [ -f "$ossl35/ssl/openssl-fips.cnf" ] || { may_skip openssl-3.5-fips "scripts/build-openssl.sh did not build $ossl35 with its FIPS module"; return; }
  echo "JDK 17, OpenSSL 3.5 from $ossl35 in FIPS mode (io.nativetls.fips=true); the fips tests"
  # The process's default context reads the system file (default provider, no fips=yes); NativeTLS's
  # own context reads the build's FIPS configuration: the tests check that both stay so.
  OPENSSL_CONF=/usr/lib/ssl/openssl.cnf LD_LIBRARY_PATH="$ossl35/lib" "${mvn[@]}" surefire:test \
    -Dnativetls.test.jvm.args="-Dio.nativetls.fips=true -Dio.nativetls.fips.config=$ossl35/ssl/openssl-fips.cnf -Dio.nativetls.test.expectFips=true -Dio.nativetls.test.openssl35=$ossl35 -Dio.nativetls.test.expectOpenSsl=3.5" \
    -Dnativetls.test.groups=fips $(reports openssl-3.5-fips)
}

stage_jdk25() {
  local jdk25
  jdk25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
  [ -n "$jdk25" ] || { may_skip jdk25 "no Temurin 25 JDK under /usr/lib/jvm"; return; }
  echo "Temurin 25 ($jdk25), system OpenSSL; the first stage's classes and library; all tests but fuzz and soak"
  JAVA_HOME="$jdk25" "${mvn[@]}" surefire:test -Dnativetls.test.excludedGroups=fuzz,soak $(reports jdk25)
}

stage_jdk25_openssl_3_5() {
  local jdk25
  jdk25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
  [ -n "$jdk25" ] || { may_skip jdk25-openssl-3.5 "no Temurin 25 JDK under /usr/lib/jvm"; return; }
  while kill -0 "$ossl35_build" 2>/dev/null; do sleep 5; done
  [ -x "$ossl35/bin/openssl" ] || { may_skip jdk25-openssl-3.5 "scripts/build-openssl.sh did not build $ossl35"; return; }
  echo "Temurin 25 ($jdk25), OpenSSL 3.5 from $ossl35; the first stage's classes and library; the pqc tests"
  # As in the openssl-3.5 stage: the system config file for the library and the 3.5 CLI the tests run.
  JAVA_HOME="$jdk25" OPENSSL_CONF=/usr/lib/ssl/openssl.cnf LD_LIBRARY_PATH="$ossl35/lib" "${mvn[@]}" surefire:test \
    -Dnativetls.test.jvm.args="-Dio.nativetls.test.expectOpenSsl=3.5 -Dio.nativetls.test.openssl35=$ossl35" \
    -Dnativetls.test.groups=pqc $(reports jdk25-openssl-3.5)
}

stage_asan() {
  echo "AddressSanitizer + UBSan build of the library; all tests but soak, jvm, interop, frameworks"
  # Only the native build and the tests: a lifecycle build would recompile into target/classes,
  # which the stages running beside this one are reading.
  "${mvn[@]}" -Psanitize exec:exec@cmake-configure exec:exec@cmake-build surefire:test \
    -Dnativetls.asan.runtime="$(gcc -print-file-name=libasan.so)" \
    -Dnativetls.test.excludedGroups=soak,jvm,interop,frameworks $(reports asan)
}

stage_lsan() {
  echo "LeakSanitizer: native memory must not grow with the number of handshakes"
  bash scripts/lsan-scaling-check.sh 100
}

stage_aarch64() {
  echo "linux-aarch64 under qemu-user"
  NATIVETLS_AARCH64_REPORTS="$PWD/target/surefire-reports-aarch64" bash scripts/test-aarch64.sh
}

# Runs stages one after another, each into its own log, printed whole (under a lock, so two chains
# never interleave) when it ends; a failed stage is recorded and the chain goes on.
chain() {
  local name rc t
  for name in "$@"; do
    t=$SECONDS
    rc=0
    "stage_${name//[-.]/_}" >"$logs/$name.log" 2>&1 || rc=$?
    echo "$name $rc $((SECONDS - t))" >>"$logs/summary"
    (
      flock 9
      banner "$name (exit $rc, $((SECONDS - t)) s)"
      cat "$logs/$name.log"
    ) 9>"$logs/print.lock"
  done
}

# Two chains of about equal length on the two cores: the sanitizer stage is the longest.
chain asan lsan openssl-3.5-fips &
sanitizers=$!
chain jdk25 openssl-3.5 jdk25-openssl-3.5 aarch64 &
matrix=$!
wait "$sanitizers" "$matrix" || true

banner "summary"
failed=0
printf '%-17s %4s s  exit 0\n' jdk17 "$first_stage"
while read -r name rc secs; do
  printf '%-17s %4s s  exit %s\n' "$name" "$secs" "$rc"
  [ "$rc" = 0 ] || failed=1
done <"$logs/summary"
echo "whole test command: $((SECONDS - began)) s"
[ "$(wc -l <"$logs/summary")" -eq 7 ] || { echo "a stage did not report" >&2; failed=1; }
exit "$failed"
