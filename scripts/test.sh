#!/bin/sh
# Builds the project and runs every check, printing meson's summary for
# each phase and a table of the phases at the end. Fails when a test fails,
# and also when no test ran at all.
#
# Phases (all by default; SKIP="valgrind fuzz ..." leaves some out, and a
# phase left out does not fail the run; the table at the end shows each
# phase's result and time):
#   tests      the meson test suite (build/)
#   indent     every C file formatted as scripts/gst-indent does
#              (scripts/gst-indent --check)
#   valgrind   the same suite under valgrind memcheck (no leaks allowed)
#   standard   a -Dstandard-names=true build and its names test
#   package    the Debian package, built and loaded (scripts/package.sh)
#   sanitize   the suite built with ASan+UBSan (scripts/sanitize.sh)
#   fuzz       the libFuzzer targets, corpus replay + bounded fuzzing
#              (scripts/fuzz.sh; FUZZ_SECONDS per target, default 60)
#   fallback   libsrtp2 from its meson subproject, on Debian's own source
#              (scripts/fallback.sh; --force-fallback-for, the SRTP tests)
#   debian13   the suite in a fresh Debian 13 root (scripts/debian13.sh;
#              debootstrap, install-deps.sh, meson test, in a chroot)
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
builddir=${BUILDDIR:-build}
skip=" ${SKIP:-} "
results=""
status=0
# what failed, printed after the summary so the end of the output says it
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT
failed_tests () {
  /usr/bin/python3 scripts/failed-tests.py "$1" "$2" >>"$failures" || true
}

phase_start=$(date +%s)
record () {
  results="$results$(printf '  %-10s %-24s %5s s' "$1" "$2" \
    "$(($(date +%s) - phase_start))")
"
  phase_start=$(date +%s)
  [ "$2" = ok ] || [ "$2" = skipped ] || status=1
}

wanted () {
  case "$skip" in *" $1 "*) record "$1" skipped; return 1 ;; esac
  [ -x "$2" ] || [ -z "$2" ] || { record "$1" "missing $2"; return 1; }
  return 0
}

# -- tests ------------------------------------------------------------
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" -Dtests=enabled "$@" >/dev/null
else
  meson setup "$builddir" -Dtests=enabled "$@"
fi
meson compile -C "$builddir"
# (each meson test run with only a loopback network of its own where
# possible: scripts/lo-only.sh)
if ./scripts/lo-only.sh meson test -C "$builddir" --print-errorlogs \
    --num-processes 2; then
  r=ok; else r=FAILED; fi
[ "$r" = ok ] || failed_tests tests "$builddir/meson-logs/testlog.json"
ran=$(grep -c '"name"' "$builddir/meson-logs/testlog.json" 2>/dev/null || echo 0)
[ "$ran" -gt 0 ] || r="FAILED (no test ran)"
record tests "$r"
echo "$ran test programs ran"

# -- indent -----------------------------------------------------------
# Every C source formatted as scripts/gst-indent formats it (GStreamer's
# style); the files that are not are listed.
if wanted indent ""; then
  if find ext gst tests bench fuzz examples -name '*.c' | sort |
      xargs scripts/gst-indent --check; then
    r=ok
  else
    r=FAILED
    echo "indent: format the files above with scripts/gst-indent FILE..."
  fi
  record indent "$r"
fi

# -- valgrind ---------------------------------------------------------
if wanted valgrind ""; then
  if ./scripts/lo-only.sh meson test -C "$builddir" --setup valgrind \
      --print-errorlogs --num-processes 2 --no-rebuild; then
    r=ok
  else
    r=FAILED
    failed_tests valgrind "$builddir/meson-logs/testlog-valgrind.json"
  fi
  record valgrind "$r"
fi

# -- standard names ---------------------------------------------------
# The same plugins built with -Dstandard-names=true must register the plain
# names (srtpenc, dtlssrtpenc, ...); that build's tests see only GStreamer's
# core elements beside ours (see tests/check/meson.build).
if wanted standard ""; then
  std="$builddir-standard-names"
  [ -f "$std/build.ninja" ] || meson setup "$std" -Dstandard-names=true \
    -Dtests=enabled -Dexamples=disabled -Dbench=disabled >/dev/null
  if meson compile -C "$std" >/dev/null &&
      ./scripts/lo-only.sh meson test -C "$std" elements_names \
        --print-errorlogs; then
    r=ok; else r=FAILED; fi
  record standard "$r"
fi

# -- package, sanitizers, fuzzing, subproject fallback, Debian 13 --------
for phase in package:scripts/package.sh sanitize:scripts/sanitize.sh \
    fuzz:scripts/fuzz.sh fallback:scripts/fallback.sh \
    debian13:scripts/debian13.sh; do
  name=${phase%%:*}
  script=${phase#*:}
  if wanted "$name" "$script"; then
    if "./$script"; then r=ok; else r=FAILED; fi
    if [ "$r" != ok ] && [ "$name" = sanitize ]; then
      failed_tests sanitize "${ASAN_BUILDDIR:-build-asan}/meson-logs/testlog.json"
    fi
    record "$name" "$r"
  fi
done

echo
echo "Summary:"
printf '%s' "$results"
cat "$failures"
exit $status
