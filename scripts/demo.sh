#!/bin/sh
# Sets up (Debian packages, build) and runs the project's main job: a call
# between two endpoints on 127.0.0.1: DTLS handshake, then SRTP audio and
# video both ways over UDP.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
builddir=${BUILDDIR:-build}
[ -f "$builddir/build.ninja" ] || meson setup "$builddir"
meson compile -C "$builddir"
exec meson devenv -C "$builddir" ./examples/dtls-srtp-call "${1:-5}"
