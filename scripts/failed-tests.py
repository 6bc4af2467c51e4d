#!/usr/bin/python3
"""Lists the tests that did not pass in meson's JSON test log(s).

Usage: scripts/failed-tests.py PHASE LOG.json [LINES]

For each test whose result is neither OK nor SKIP, prints its name, result,
time and the last LINES lines (default 40) of what it printed, so that the
end of a long run says which test failed and why. Prints nothing when every
test passed. A missing or unreadable log is said in one line.
"""

import json
import re
import sys

# check's failure and error lines, and the first lines of valgrind's reports
CHECK_LINE = re.compile(r":[EF]:[^:]*:[^:]*:\d+: ")
VALGRIND_ERROR = re.compile(
    r"==\d+== (Invalid |Conditional |Use of |Syscall |Mismatched |"
    r"Source and |Argument |.*(definitely|indirectly) lost in)")


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    phase, path = sys.argv[1], sys.argv[2]
    lines = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            entries = [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError) as e:
        print(f"{phase}: no test log to read ({e})")
        return 0
    for t in entries:
        if t.get("result") in ("OK", "SKIP", "EXPECTEDFAIL"):
            continue
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        tail = out.rstrip("\n").split("\n")[-lines:]
        print(f"\n== {phase}: {t.get('name')}: {t.get('result')} "
              f"after {t.get('duration', 0):.1f} s (exit {t.get('returncode')}); "
              f"its last {len(tail)} lines:")
        for l in tail:
            print("   " + l)
        all_lines = out.split("\n")
        checks = [l for l in all_lines if CHECK_LINE.search(l)]
        if checks:
            print("   check's failures:")
            for l in checks[:20]:
                print("   " + l)
        first = next((i for i, l in enumerate(all_lines)
                      if VALGRIND_ERROR.search(l)), None)
        if first is not None:
            print("   valgrind's first report:")
            for l in all_lines[first:first + 40]:
                print("   " + l)
    return 0


if __name__ == "__main__":
    sys.exit(main())
