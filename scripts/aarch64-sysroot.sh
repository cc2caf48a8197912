#!/usr/bin/env bash
# Unpacks Debian arm64 packages into a private directory: the OpenSSL headers and libraries the
# linux-aarch64 build links against (pom.xml runs this), or the arm64 JRE and libraries that
# scripts/test-aarch64.sh runs under qemu. Nothing is installed on the system: dpkg -x only.
#   usage: scripts/aarch64-sysroot.sh DIR PACKAGE...      (e.g. DIR libssl-dev libssl3)
# Needs apt's arm64 package lists (once, as root: dpkg --add-architecture arm64 && apt-get update;
# .ci/run does this). A no-op when DIR already holds the candidate versions of the same packages.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 DIR PACKAGE..." >&2
  exit 2
fi
dir=$1
shift

fail() {
  echo "aarch64-sysroot: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 \
  || fail "needs Debian's apt-get and dpkg to fetch the arm64 packages $*"

# "pkg:arm64=version" for each package: the stamp that decides whether DIR is up to date.
# One apt-cache call for all (about 1.5 s each otherwise): "pkg:arm64:" lines, each followed by its Candidate.
policy=$(apt-cache policy "${@/%/:arm64}" 2>/dev/null \
  | awk '/^[^ ]/ { name = $1; sub(/:$/, "", name) } /^ +Candidate:/ { print name " " $2 }')
wanted=()
for pkg in "$@"; do
  version=$(printf '%s\n' "$policy" | awk -v n="$pkg:arm64" '$1 == n { print $2; exit }')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    fail "apt knows no arm64 package $pkg: add the architecture and refresh the lists, as root:" \
      "dpkg --add-architecture arm64 && apt-get update (.ci/run does this)"
  fi
  wanted+=("$pkg:arm64=$version")
done
stamp="$dir/.nativetls-packages"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(printf '%s\n' "${wanted[@]}")" ]; then
  exit 0
fi

debs="$dir.debs"
rm -rf "$dir" "$debs"
mkdir -p "$debs"
# Lists older than the mirror name versions it no longer serves: root refreshes them once and retries.
if ! (cd "$debs" && apt-get download -q "${wanted[@]}" >download.log 2>&1); then
  if [ "$(id -u)" = 0 ] && [ -z "${NATIVETLS_SYSROOT_RETRY:-}" ]; then
    echo "aarch64-sysroot: download failed (stale package lists?): apt-get update, then retrying" >&2
    apt-get update -qq
    NATIVETLS_SYSROOT_RETRY=1 exec bash "$0" "$dir" "$@"
  fi
  cat "$debs/download.log" >&2
  fail "could not download ${wanted[*]}: refresh the package lists (apt-get update, as root)"
fi

mkdir -p "$dir"
for deb in "$debs"/*.deb; do
  dpkg -x "$deb" "$dir"
done
# Absolute links (the JRE's jvm.cfg and java.security point into /etc) would resolve on the host:
# point them at their copy inside DIR when it has one.
root=$(cd "$dir" && pwd)
while IFS= read -r -d '' link; do
  target=$(readlink "$link")
  case "$target" in
    /*) if [ -e "$root$target" ] || [ -L "$root$target" ]; then ln -sfn "$root$target" "$link"; fi ;;
  esac
done < <(find "$root" -type l -print0)
rm -rf "$debs"
printf '%s\n' "${wanted[@]}" >"$stamp"
echo "aarch64-sysroot: unpacked ${wanted[*]} into $dir"
