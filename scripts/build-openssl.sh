#!/usr/bin/env bash
# Builds a newer OpenSSL 3 series than the system's into a private prefix, for the test matrix and the
# benchmarks: NativeTLS is one binary for every 3.x (libssl.so.3 keeps its ABI), so the tests run the same
# jar against this build through LD_LIBRARY_PATH. Nothing outside PREFIX changes.
#
#   usage: scripts/build-openssl.sh [PREFIX] [SERIES] [fips]   defaults: /opt/openssl-3.5 and 3.5
#   use:   LD_LIBRARY_PATH=PREFIX/lib OPENSSL_CONF=/usr/lib/ssl/openssl.cnf java ...
#
# With "fips" the build also has OpenSSL's FIPS provider: PREFIX/lib/ossl-modules/fips.so, its
# self-test configuration PREFIX/ssl/fipsmodule.cnf written by `openssl fipsinstall` (make
# install_fips), and PREFIX/ssl/openssl-fips.cnf, a configuration that activates the fips and base
# providers and sets the default properties to fips=yes. Built from Debian's source of the series,
# this module is OpenSSL's FIPS code but not a validated binary: it is for testing FIPS mode.
#   use:   LD_LIBRARY_PATH=PREFIX/lib OPENSSL_CONF=PREFIX/ssl/openssl-fips.cnf java ...
#
# The source is Debian's own source package of that series (from Debian 13, "trixie"), fetched from the
# archive this machine's apt already uses, so no other download location is involved. About six minutes
# on two cores; when PREFIX already holds a build of SERIES it only prints its version.
set -euo pipefail

prefix=${1:-/opt/openssl-3.5}
series=${2:-3.5}
fips=${3:-}
suite=trixie
case "$fips" in
  ""|fips) ;;
  *) echo "build-openssl: the third argument is \"fips\" or nothing, not \"$fips\"" >&2; exit 2 ;;
esac

installed_version() {
  [ -x "$prefix/bin/openssl" ] || return 1
  if [ -n "$fips" ]; then
    [ -f "$prefix/lib/ossl-modules/fips.so" ] && [ -f "$prefix/ssl/fipsmodule.cnf" ] || return 1
  fi
  LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/openssl" version 2>/dev/null
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
./Configure --prefix="$prefix" --libdir=lib shared no-tests ${fips:+enable-fips} -O2 >/dev/null
make -j"$(nproc)" >/dev/null
make install_sw >/dev/null
if [ -n "$fips" ]; then
  # install_fips installs fips.so and runs `openssl fipsinstall`, which runs the module's self tests
  # and writes their result and the module's checksum to ssl/fipsmodule.cnf.
  make install_fips >/dev/null
  cat > "$prefix/ssl/openssl-fips.cnf" <<CNF
# FIPS mode for this build: the fips provider (its self-test data from fipsmodule.cnf) and base
# (encoders and decoders, which FIPS needs but does not contain); default properties fips=yes, so
# every fetch without a property query of its own is served by the FIPS provider or fails.
config_diagnostics = 1
openssl_conf = openssl_init
.include $prefix/ssl/fipsmodule.cnf
[openssl_init]
providers = provider_sect
alg_section = algorithm_sect
[provider_sect]
fips = fips_sect
base = base_sect
[base_sect]
activate = 1
[algorithm_sect]
default_properties = fips=yes
CNF
  OPENSSL_CONF="$prefix/ssl/openssl-fips.cnf" LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/openssl" list -providers
fi
installed_version
