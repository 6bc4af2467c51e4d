#!/bin/sh
# Builds the project and runs its meson test suite in a fresh Debian 13
# (trixie) root, as a new user on Debian 13 would: debootstrap
# --variant=minbase from Debian's mirror, ./scripts/install-deps.sh inside
# it (chroot, as root), then meson setup, compile and test there. Prints
# one summary line ("Debian 13: N tests, all passed (GStreamer ...)") and
# fails when a stage or a test fails, or when no test ran.
#
# The root with the packages installed is cached between runs on one
# machine, in $DEBIAN13_CACHE (default /var/cache/gst-gnutls-dtls-srtp),
# as debian13-<key>, where <key> is a hash of debian-packages.txt and
# install-deps.sh: a changed package list, or a root older than
# $DEBIAN13_MAX_AGE days (default 7), means a new root, made from scratch
# (debootstrap, then install-deps.sh in it) in a temporary directory and
# renamed into place once complete. Every run works in a copy of the
# cached root, so the cached one stays as install-deps.sh left it; the copy
# still runs install-deps.sh (a no-op unless something is missing). The
# cache is optional: DEBIAN13_CACHE= (empty) or an unwritable directory
# means everything is made afresh, and DEBIAN13_FRESH=1 ignores a cached
# root (and replaces it).
#
# The build and the tests run in a network namespace of their own with
# only the loopback interface (the tests use 127.0.0.1 only), so their
# fixed UDP ports cannot collide with a suite running on the host at the
# same time.
#
#   DEBIAN13_MIRROR    Debian mirror (default http://deb.debian.org/debian)
#   DEBIAN13_TIMEOUT   time limit of each stage in seconds (default 1800)
#   DEBIAN13_LOGDIR    where the logs are kept (default build-debian13)
# Needs root (re-runs itself with sudo otherwise), debootstrap, and the
# mount, chroot, unshare and ip commands (Debian's util-linux, coreutils,
# iproute2).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "debian13.sh: needs root (chroot, mount)" >&2; exit 1; }
  exec sudo -E "$0" "$@"
fi

suite=trixie
mirror=${DEBIAN13_MIRROR:-http://deb.debian.org/debian}
limit=${DEBIAN13_TIMEOUT:-1800}
max_age=${DEBIAN13_MAX_AGE:-7}
logdir=${DEBIAN13_LOGDIR:-$top/build-debian13}
cache=${DEBIAN13_CACHE-/var/cache/gst-gnutls-dtls-srtp}
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
start=$(date +%s)

# The root's contents depend on these, and on how this script prepares it
# (the number after "layout": change it when the preparation changes).
key=$( (echo "layout 1 $suite $mirror"; cat scripts/debian-packages.txt \
  scripts/install-deps.sh) | sha256sum | cut -c1-16)

if [ -n "$cache" ] && mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
  scratch=$cache
else
  [ -z "$cache" ] || echo "debian13.sh: $cache not writable, not caching"
  cache=""
  scratch=${TMPDIR:-/var/tmp}
fi
work=$(mktemp -d "$scratch/debian13-run.XXXXXX")
mounted=""

# -- mounts -----------------------------------------------------------
# Each mount is recorded as soon as it is made and undone, last first, on
# any exit. A directory is deleted only when nothing is mounted under it.
mount_one () {
  # the last argument is the mount point
  for point; do :; done
  mount "$@" || { echo "debian13.sh: cannot mount $point" >&2; exit 1; }
  mounted="$point $mounted"
}

mount_into () {
  local root=$1
  mount_one -t proc proc "$root/proc"
  mount_one --bind /dev "$root/dev"
  mount_one --bind /dev/pts "$root/dev/pts"
  mount_one -t tmpfs shm "$root/dev/shm"
  mount_one -t sysfs sysfs "$root/sys"
}

unmount_all () {
  for m in $mounted; do
    umount "$m" 2>/dev/null || umount -l "$m" ||
      echo "debian13.sh: cannot unmount $m" >&2
  done
  mounted=""
}

mounts_under () {
  awk -v d="$1/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts
}

remove_tree () {
  if [ -n "$(mounts_under "$1")" ]; then
    echo "debian13.sh: still mounted under $1, not deleting it:" >&2
    mounts_under "$1" >&2
    return 1
  fi
  rm -rf --one-file-system "$1"
}

cleanup () {
  unmount_all
  remove_tree "$work" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Runs a command in the root, as root, with a clean environment (nothing
# from the host's PATH or Python reaches it), within the time limit.
in_root () {
  local root=$1
  shift
  timeout -k 30 "$limit" chroot "$root" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# Name resolution and apt sources for the root: the host's resolver, and
# Debian 13 with its updates and security archives.
configure_root () {
  local root=$1
  rm -f "$root/etc/resolv.conf"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
EOF
  # no daemon starts from a package's maintainer scripts in the root
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
}

fail () {
  echo "debian13.sh: $1 FAILED after $(($(date +%s) - start)) s; log: $2" >&2
  tail -n 40 "$2" >&2
  echo "Debian 13: FAILED ($1)"
  exit 1
}

# -- the root with the packages ---------------------------------------
# Made from scratch: debootstrap, then install-deps.sh with only the two
# files it reads copied in.
make_root () {
  local root=$1
  t0=$(date +%s)
  echo "debian13.sh: debootstrap --variant=minbase $suite ($mirror)"
  timeout -k 30 "$limit" debootstrap --variant=minbase "$suite" "$root" \
    "$mirror" >"$logdir/debootstrap.log" 2>&1 ||
    fail debootstrap "$logdir/debootstrap.log"
  echo "debian13.sh: debootstrap took $(($(date +%s) - t0)) s"
  configure_root "$root"
  t0=$(date +%s)
  mkdir -p "$root/tmp/install-deps"
  cp scripts/install-deps.sh scripts/debian-packages.txt "$root/tmp/install-deps/"
  mount_into "$root"
  in_root "$root" /tmp/install-deps/install-deps.sh \
    >"$logdir/install-deps.log" 2>&1 || {
    unmount_all; fail install-deps.sh "$logdir/install-deps.log"; }
  unmount_all
  rm -rf "$root/tmp/install-deps"
  in_root "$root" apt-get clean
  echo "debian13.sh: install-deps.sh took $(($(date +%s) - t0)) s"
  date -u >"$root/.gst-gnutls-dtls-srtp-root"
}

# what a run killed without its clean-up left behind, a day ago or more
for d in "$scratch"/debian13-run.*; do
  [ "$d" != "$work" ] && [ -n "$(find "$d" -maxdepth 0 -mtime +0 2>/dev/null)" ] &&
    remove_tree "$d" 2>/dev/null || true
done

root="$work/root"
cached=""
[ -z "$cache" ] || cached="$cache/debian13-$key"
if [ -n "$cached" ] && [ -z "${DEBIAN13_FRESH:-}" ] &&
    [ -n "$(find "$cached/.gst-gnutls-dtls-srtp-root" -mtime "-$max_age" \
      2>/dev/null)" ]; then
  echo "debian13.sh: using the cached root $cached (made $(cat \
    "$cached/.gst-gnutls-dtls-srtp-root"))"
elif [ -n "$cached" ]; then
  # made inside $work, which is on the cache's file system: removed on
  # failure with the rest of $work, renamed into place on success
  new="$work/new"
  make_root "$new"
  if [ -d "$cached" ]; then
    old="$cache/debian13-old.$$"
    mv -T "$cached" "$old"
  fi
  # rename(2): another run sees either no root or a complete one
  mv -T "$new" "$cached" 2>/dev/null || remove_tree "$new"
  # Roots made for other package lists (or replaced) are of no further use,
  # unless another run is working on top of one.
  for d in "$cache"/debian13-*; do
    case "$d" in "$cached"|"$cache"/debian13-run.*) continue ;; esac
    [ -d "$d" ] || continue
    grep -q "lowerdir=$d[,:]" /proc/self/mounts || remove_tree "$d" || true
  done
else
  make_root "$root"
fi
if [ -n "$cached" ]; then
  # The run's changes go to an overlay on top of the cached root (instant);
  # where overlayfs is not available, to a copy (minutes: about 2 GB).
  mkdir -p "$root" "$work/upper" "$work/overlay-work"
  if mount -t overlay overlay -o "lowerdir=$cached,upperdir=$work/upper,workdir=$work/overlay-work" \
      "$root" 2>/dev/null; then
    mounted="$root $mounted"
    echo "debian13.sh: working in an overlay on the cached root"
  else
    t0=$(date +%s)
    rmdir "$root"
    cp -a --reflink=auto "$cached" "$root"
    echo "debian13.sh: copied the cached root in $(($(date +%s) - t0)) s"
  fi
fi

# -- the project in the root --------------------------------------------
# The working tree as it is (no git needed), without build directories,
# VCS data or fetched subproject sources (scripts/source-tar.sh).
configure_root "$root"
mkdir -p "$root/src"
./scripts/source-tar.sh | tar -xf - -C "$root/src"
mount_into "$root"

t0=$(date +%s)
in_root "$root" sh -c 'cd /src && ./scripts/install-deps.sh' \
  >"$logdir/install-deps-run.log" 2>&1 ||
  fail "install-deps.sh (in the copy)" "$logdir/install-deps-run.log"
in_root "$root" apt-get clean

versions=$(in_root "$root" sh -c 'v () { pkg-config --modversion "$1"; }
  echo "GStreamer $(v gstreamer-1.0), GnuTLS $(v gnutls)," \
    "libsrtp2 $(v libsrtp2), $(openssl version | cut -d" " -f1-2)"')
echo "debian13.sh: $versions"

# Build and test with the network reduced to the loopback interface.
status=0
unshare --net sh -c 'ip link set lo up && exec "$@"' _ \
  timeout -k 30 "$limit" chroot "$root" /usr/bin/env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 TERM=dumb sh -c '
    set -e
    cd /src
    meson setup build -Dtests=enabled >/tmp/setup.log 2>&1 ||
      { tail -n 40 /tmp/setup.log; exit 1; }
    meson compile -C build >/tmp/compile.log 2>&1 ||
      { tail -n 60 /tmp/compile.log; exit 1; }
    if grep "warning:" /tmp/compile.log; then
      echo "debian13.sh: the build has compiler warnings"
      exit 1
    fi
    meson test -C build --print-errorlogs --num-processes 2
  ' || status=$?
for f in setup.log compile.log; do
  cp "$root/tmp/$f" "$logdir/$f" 2>/dev/null || true
done
cp "$root/src/build/meson-logs/testlog.txt" \
  "$root/src/build/meson-logs/testlog.json" "$logdir/" 2>/dev/null || true
log="$logdir/testlog.json"
ran=0
passed=0
if [ -f "$log" ]; then
  ran=$(grep -c '"name"' "$log" || true)
  passed=$(grep -c '"result": "OK"' "$log" || true)
fi
echo "debian13.sh: build and tests took $(($(date +%s) - t0)) s," \
  "total $(($(date +%s) - start)) s"
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "Debian 13: FAILED, timed out after $limit s ($versions)"
  exit 1
elif [ "$ran" -eq 0 ]; then
  echo "Debian 13: FAILED, no test ran ($versions)"
  exit 1
elif [ "$status" -ne 0 ] || [ "$passed" -ne "$ran" ]; then
  echo "Debian 13: $ran tests, $((ran - passed)) FAILED ($versions)"
  exit 1
fi
echo "Debian 13: $ran tests, all passed ($versions)"
