#!/usr/bin/env python3
"""Runs every ```sh block of the given Markdown files as a shell script.

Each block must exit 0 within the time limit; the first failure is printed
with its output and makes the run fail. The plugins come from
GST_PLUGIN_PATH_1_0 as set by the caller (meson test).
"""
import re
import subprocess
import sys

TIMEOUT = 40


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
        line = text.count("\n", 0, m.start()) + 1
        yield line, m.group(1)


def main():
    total = 0
    for path in sys.argv[1:]:
        for line, script in blocks(path):
            total += 1
            try:
                r = subprocess.run(["sh", "-e", "-c", script],
                                   capture_output=True, text=True,
                                   timeout=TIMEOUT)
                rc, out = r.returncode, r.stdout + r.stderr
            except subprocess.TimeoutExpired as e:
                rc, out = "timeout", str(e.stdout or "") + str(e.stderr or "")
            status = "ok" if rc == 0 else "FAILED (%s)" % rc
            print("%s:%d: %s" % (path, line, status))
            if rc != 0:
                print(script)
                print(out[-3000:])
                return 1
    if total == 0:
        print("no sh blocks found: nothing was tested")
        return 1
    print("%d recipes ran" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
