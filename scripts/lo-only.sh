#!/bin/sh
# Runs a command with the network reduced to a loopback interface of its
# own (a new network namespace) when this user may make one (root, with
# unshare and ip), else simply runs it. The tests use 127.0.0.1 only, and
# some (the demo) fixed UDP ports: in a namespace of their own they cannot
# collide with another suite running on the same machine, and they show
# that they need no network.
#   scripts/lo-only.sh meson test -C build
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
    command -v ip >/dev/null && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c 'ip link set lo up && exec "$@"' lo-only "$@"
fi
exec "$@"
