#!/bin/sh
# Builds the project with libsrtp2 from its meson subproject instead of the
# system package (meson setup --force-fallback-for=libsrtp2), and runs the
# SRTP tests against it. The subproject's source is Debian's own libsrtp2
# source for the release this machine runs (apt-get source libsrtp2, from
# Debian's mirror), placed where subprojects/libsrtp2.wrap expects it in a
# copy of the tree, so that nothing is downloaded from elsewhere and the
# repository tree is left as it was. Checks that the SRTP plugin carries
# the subproject's libsrtp2 (a static library inside it) and does not link
# the system's libsrtp2.so.1. Prints one summary line ("fallback: ...").
#
# apt-get reads a sources list and package lists of its own, in the build
# area: the system's apt configuration and state are not changed.
#
#   FALLBACK_DIR     build area (default build-fallback): the copy of the
#                    tree (src/), its build directory (build/), apt's files
#   FALLBACK_MIRROR  Debian mirror (default http://deb.debian.org/debian)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
./scripts/install-deps.sh

area=${FALLBACK_DIR:-build-fallback}
mirror=${FALLBACK_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$area"
area=$(cd "$area" && pwd)
start=$(date +%s)

fail () {
  echo "fallback: FAILED ($1)"
  exit 1
}

# -- Debian's libsrtp2 source -------------------------------------------
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || fail "no VERSION_CODENAME in /etc/os-release"
apt="$area/apt"
mkdir -p "$apt/lists/partial" "$apt/source"
echo "deb-src $mirror $codename main" >"$apt/sources.list"
aptopts="-q -o Dir::Etc::SourceList=$apt/sources.list
  -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$apt/lists
  -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
  -o DPkg::Lock::Timeout=600"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
# shellcheck disable=SC2086
$SUDO apt-get $aptopts update >"$apt/update.log" 2>&1 || {
  tail -n 20 "$apt/update.log"; fail "apt-get update of $mirror $codename"; }
rm -rf "$apt/source"
mkdir -p "$apt/source"
# (as root, apt downloads as root into this directory, and says so)
# shellcheck disable=SC2086
(cd "$apt/source" && $SUDO apt-get $aptopts source libsrtp2) \
  >"$apt/source.log" 2>&1 || {
  tail -n 20 "$apt/source.log"; fail "apt-get source libsrtp2"; }
srcdir=$(find "$apt/source" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*')
dsc=$(basename "$(ls "$apt/source"/libsrtp2_*.dsc)" .dsc)
[ -f "$srcdir/meson.build" ] || fail "$dsc has no meson.build"
echo "fallback: Debian's source $dsc"

# -- a copy of the tree, with it where the wrap expects it ----------------
wrapdir=$(sed -n 's/^directory *= *//p' subprojects/libsrtp2.wrap)
rm -rf "$area/src"
mkdir -p "$area/src"
./scripts/source-tar.sh | tar -xf - -C "$area/src"
cp -a "$srcdir" "$area/src/subprojects/$wrapdir"

builddir="$area/build"
rm -rf "$builddir"
meson setup "$builddir" "$area/src" --force-fallback-for=libsrtp2 \
  -Dtests=enabled -Dexamples=disabled -Dbench=disabled \
  >"$area/setup.log" 2>&1 || { tail -n 40 "$area/setup.log"; fail "meson setup"; }
grep -E "^ *libsrtp2 *[0-9.]+|Dependency libsrtp2 .*(found|fallback)|Subproject libsrtp2" \
  "$area/setup.log" || true
meson compile -C "$builddir" >"$area/compile.log" 2>&1 || {
  tail -n 40 "$area/compile.log"; fail "meson compile"; }

# -- the plugin carries the subproject's libsrtp2 -------------------------
plugin="$builddir/ext/srtp/libgstgnutlssrtp.so"
version=$(sed -n "s/^project('libsrtp2', *'c', *version *: *'\([^']*\)'.*/\1/p" \
  "$srcdir/meson.build")
if ldd "$plugin" | grep libsrtp2; then
  fail "$plugin links a shared libsrtp2, not the subproject's static one"
fi
# srtp_get_version_string() returns "libsrtp2 <version>" from its build
grep -aq "libsrtp2 $version" "$plugin" ||
  fail "$plugin does not contain libsrtp2 $version"
ldd "$plugin" | grep -q libnss3 ||
  fail "the subproject's libsrtp2 was not built with NSS (no GCM)"
echo "fallback: $plugin contains libsrtp2 $version (NSS), links no libsrtp2.so"

# -- the SRTP tests ---------------------------------------------------------
status=0
./scripts/lo-only.sh meson test -C "$builddir" --suite srtp --print-errorlogs \
  --num-processes 2 || status=$?
log="$builddir/meson-logs/testlog.json"
ran=$(grep -c '"name"' "$log" 2>/dev/null || true)
passed=$(grep -c '"result": "OK"' "$log" 2>/dev/null || true)
tests=$(sed -n 's/.*"name": "[^"]* \/ \([^"]*\)".*/\1/p' "$log" | tr '\n' ' ')
echo "fallback.sh: total $(($(date +%s) - start)) s"
if [ "${ran:-0}" -eq 0 ]; then
  fail "no SRTP test ran"
elif [ "$status" -ne 0 ] || [ "$passed" -ne "$ran" ]; then
  echo "fallback: libsrtp2 $version from $dsc (meson subproject):" \
    "$ran SRTP tests, $((ran - passed)) FAILED ($tests)"
  exit 1
fi
echo "fallback: libsrtp2 $version from $dsc (meson subproject, static, NSS):" \
  "$ran SRTP tests, all passed (${tests% })"
