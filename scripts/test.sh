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
exit $status
