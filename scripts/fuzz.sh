#!/bin/sh
# Builds the libFuzzer targets of fuzz/ with clang, ASan and UBSan, replays
# each target's seed corpus (fuzz/corpus/<target>) and committed crash
# regressions (fuzz/regressions/<target>), then fuzzes each target for
# FUZZ_SECONDS seconds (60 by default), one after the other.
#
# Fails (non-zero exit) on any crash, hang, leak or sanitizer report. The
# input that caused it is kept in $FUZZ_BUILDDIR/fuzz-artifacts/<target>/;
# commit it under fuzz/regressions/<target>/ (the command is printed) so
# every later run replays it.
#
#   FUZZ_SECONDS    fuzzing time per target (default 60)
#   FUZZ_TARGETS    targets to run (default: all five)
#   FUZZ_BUILDDIR   build directory (default build-fuzz)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"demux srtpdec dtls_server dtls_client dtls_wire"}
builddir=${FUZZ_BUILDDIR:-build-fuzz}

# clang and libFuzzer (Debian's clang and libclang-rt-dev, in
# debian-packages.txt with what the project itself needs)
./scripts/install-deps.sh

start=$(date +%s)
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" >/dev/null
else
  # -Db_lundef=false: the plugins use the sanitizer runtime that clang
  # links into the executables only
  CC=clang meson setup "$builddir" -Dfuzzing=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dtests=disabled -Dexamples=disabled -Dbench=disabled
fi
meson compile -C "$builddir" -j 2
echo "fuzz.sh: build took $(($(date +%s) - start)) s"

status=0
failed=""
for t in $targets; do
  bin="$builddir/fuzz/fuzz_$t"
  art="$top/$builddir/fuzz-artifacts/$t"
  work="$builddir/fuzz-corpus/$t"
  mkdir -p "$art" "$work"
  regressions=""
  [ -d "fuzz/regressions/$t" ] && regressions="fuzz/regressions/$t"

  # Replay: given files rather than directories, libFuzzer runs each once
  # and writes nothing.
  echo "== $t: replaying the corpus${regressions:+ and regressions}"
  # shellcheck disable=SC2046
  if ! "$bin" -artifact_prefix="$art/" $(find "fuzz/corpus/$t" \
      ${regressions:+"$regressions"} -type f | sort) \
      >"$art/replay.log" 2>&1; then
    tail -n 60 "$art/replay.log"
    echo "fuzz.sh: $t FAILED on a corpus or regression input" >&2
    status=1
    failed="$failed $t"
    continue
  fi
  grep -c '^Executed ' "$art/replay.log" | sed "s/^/$t: inputs replayed: /"

  # Fuzz: new inputs go to the (uncommitted) work corpus, the first
  # directory; the committed ones are read only. -timeout: an input that
  # runs for 10 s is a hang, and a failure.
  echo "== $t: fuzzing for $seconds s"
  t0=$(date +%s)
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$art/" "$work" "fuzz/corpus/$t" ${regressions:+"$regressions"} \
      >"$art/fuzz.log" 2>&1; then
    tail -n 80 "$art/fuzz.log"
    echo "fuzz.sh: $t FAILED after $(($(date +%s) - t0)) s" >&2
    for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
      [ -f "$f" ] || continue
      echo "  reproduce: $bin $f" >&2
      echo "  keep it:   mkdir -p fuzz/regressions/$t &&" \
        "cp $f fuzz/regressions/$t/" >&2
    done
    status=1
    failed="$failed $t"
    continue
  fi
  # the last status line: coverage, features, corpus size, exec/s
  grep -E '^#[0-9]+[[:space:]]+DONE' "$art/fuzz.log" | tail -n 1 | sed "s/^/$t: /"
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' \
    "$art/fuzz.log" | sed "s/^/$t: /"
done

echo "fuzz.sh: total $(($(date +%s) - start)) s"
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: FAILED:$failed" >&2
fi
exit $status
