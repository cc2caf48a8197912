#!/usr/bin/env bash
# Builds a newer OpenSSL 3 series than the system's into a private prefix, for the test matrix and the
# benchmarks: NativeTLS is one binary for every 3.x (libssl.so.3 keeps its ABI), so the tests run the same
# jar against this build through LD_LIBRARY_PATH. Nothing outside PREFIX changes.
#
#   usage: scripts/build-openssl.sh [PREFIX] [SERIES]     defaults: /opt/openssl-3.5 and 3.5
#   use:   LD_LIBRARY_PATH=PREFIX/lib OPENSSL_CONF=/usr/lib/ssl/openssl.cnf java ...
#
# The source is Debian's own source package of that series (from Debian 13, "trixie"), fetched from the
# archive this machine's apt already uses, so no other download location is involved. About six minutes
# on two cores; when PREFIX already holds a build of SERIES it only prints its version.
set -euo pipefail

prefix=${1:-/opt/openssl-3.5}
series=${2:-3.5}
suite=trixie

installed_version() {
  [ -x "$prefix/bin/openssl" ] && LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/openssl" version 2>/dev/null
}

if installed_version | grep -q "^OpenSSL ${series//./\\.}\."; then
  installed_version
  exit 0
fi

# The archive URI apt is configured with (deb822 .sources files first, then the classic list).
archive=
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  archive=$(awk '$1 == "URIs:" { print $2; exit }' "$f")
  [ -n "$archive" ] && break
done
if [ -z "$archive" ] && [ -f /etc/apt/sources.list ]; then
  archive=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
fi
if [ -z "$archive" ]; then
  echo "build-openssl: apt has no Debian archive configured (/etc/apt/sources.list*)" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/apt/lists/partial" "$scratch/src"
printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$archive" "$suite" \
  > "$scratch/apt/sources.list"
# A private apt state: the machine's own package lists and sources stay as they are.
apt_opts=(-o "Dir::Etc::SourceList=$scratch/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$scratch/apt/lists")
apt-get "${apt_opts[@]}" -qq update

fetched=
for version in $(apt-cache "${apt_opts[@]}" showsrc openssl | awk -v s="$series" \
                   '$1 == "Version:" && index($2, s ".") == 1 { print $2 }' | sort -rV | uniq); do
  if (cd "$scratch/src" && apt-get "${apt_opts[@]}" -qq source --download-only "openssl=$version" >/dev/null 2>&1); then
    fetched=$version
    break
  fi
done
tarball=$(find "$scratch/src" -maxdepth 1 -name "openssl_${series}.*.orig.tar.gz" | head -n 1)
if [ -z "$fetched" ] || [ -z "$tarball" ]; then
  echo "build-openssl: the archive $archive serves no OpenSSL $series source package for $suite" >&2
  exit 1
fi
echo "build-openssl: OpenSSL $fetched from $suite into $prefix"

tar -C "$scratch" -xzf "$tarball"
cd "$(find "$scratch" -maxdepth 1 -type d -name "openssl-${series}.*" | head -n 1)"
# no-tests: the test suite is OpenSSL's, not ours; shared: libssl.so.3 is what NativeTLS loads.
./Configure --prefix="$prefix" --libdir=lib shared no-tests -O2 >/dev/null
make -j"$(nproc)" >/dev/null
make install_sw >/dev/null
installed_version
