#!/bin/sh
# Builds the project and runs the whole test suite, printing meson's
# summary. Fails when a test fails, and also when no test ran at all.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
builddir=${BUILDDIR:-build}
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" -Dtests=enabled "$@" >/dev/null
else
  meson setup "$builddir" -Dtests=enabled "$@"
fi
meson compile -C "$builddir"
status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
log="$builddir/meson-logs/testlog.json"
ran=$(grep -c '"name"' "$log" 2>/dev/null || echo 0)
if [ "$ran" -eq 0 ]; then
  echo "ERROR: no test ran" >&2
  exit 1
fi
echo "$ran test programs ran"

# The same plugins built with -Dstandard-names=true must register the plain
# names (srtpenc, dtlssrtpenc, ...); that build's tests see only GStreamer's
# core elements beside ours (see tests/check/meson.build).
std="$builddir-standard-names"
[ -f "$std/build.ninja" ] || meson setup "$std" -Dstandard-names=true \
  -Dtests=enabled -Dexamples=disabled -Dbench=disabled >/dev/null
meson compile -C "$std" >/dev/null
meson test -C "$std" elements_names --print-errorlogs || status=$?
exit $status
