#!/bin/sh
# Builds the Debian package from the tree (dpkg-buildpackage -us -uc -b, in
# a copy, so the tree stays clean), then checks that it holds the plugins
# where GStreamer looks for them and that gst-inspect-1.0 loads every
# element from it. The .deb is left in $OUT (default: build-deb/).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
out=${OUT:-$top/build-deb}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src" "$out"
./scripts/source-tar.sh | tar -xf - -C "$work/src"
(cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
  tail -40 "$work/build.log"; echo "dpkg-buildpackage failed" >&2; exit 1; }
deb=$(ls "$work"/gstreamer1.0-gnutls-dtls-srtp_*.deb)
cp "$deb" "$out/"
echo "built $(basename "$deb")"

dpkg-deb -x "$deb" "$work/root"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
plugins="$work/root/usr/lib/$multiarch/gstreamer-1.0"
ls "$plugins"/libgstgnutls*.so >/dev/null
status=0
for e in gnutlssrtpenc gnutlssrtpdec gnutlsdtlsenc gnutlsdtlsdec \
    gnutlsdtlssrtpenc gnutlsdtlssrtpdec gnutlsdtlssrtpdemux; do
  if GST_REGISTRY="$work/registry.bin" GST_PLUGIN_PATH_1_0='' \
      GST_PLUGIN_SYSTEM_PATH_1_0="$plugins:$(pkg-config --variable=pluginsdir gstreamer-1.0)" \
      gst-inspect-1.0 "$e" 2>&1 | grep -q "Filename.*$plugins"; then
    echo "  $e: loads from the package"
  else
    echo "  $e: NOT loadable from the package" >&2
    status=1
  fi
done
exit $status
