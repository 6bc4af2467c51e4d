#!/bin/sh
# Writes the working tree, as it is (uncommitted changes included), as a
# tar stream on stdout: what a build from a copy needs, without what
# .gitignore leaves out (build directories, fetched subproject sources,
# package build output) and without VCS data. Needs no git, so that it
# works in a tree unpacked from a tarball too.
#   scripts/source-tar.sh | tar -xf - -C DIR
set -eu
cd "$(dirname "$0")/.."
exec tar -cf - --exclude=./.git --exclude='./build*' --exclude='./obj-*' \
  --exclude='./subprojects/*/' --exclude='*.pyc' --exclude=__pycache__ .
