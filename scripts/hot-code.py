#!/usr/bin/env python3
"""How much code one record runs, in instruction-cache lines, by module (issue 16).

The processor's first-level instruction cache holds 32 kB (512 lines of 64 bytes). Code that a
record runs every time and that does not fit is fetched again for every record. This reads two
callgrind profiles of `xborder assess` taken with `--dump-instr=yes` on the first N and the
first 2N lines of the same input, so that start-up (engine build, the one-time tariff parse)
cancels out, and counts the distinct 64-byte lines of the instructions that ran at least
THRESHOLD times in the N extra records, grouped by the module of the function they belong to
(code inlined into a function counts for that function).

Usage:
  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=small.out \\
      BIN assess --threads 1 --no-progress 10k.ndjson > /dev/null
  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=large.out \\
      BIN assess --threads 1 --no-progress 20k.ndjson > /dev/null
  scripts/hot-code.py small.out large.out 10000 [THRESHOLD ...]

BIN needs symbols (a release build with `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only`). The
default thresholds are N/10 and N/2: code that one record in ten, and one in two, runs.
"""
import collections
import re
import sys

LINE = 64
NAME = re.compile(r"^(c?fn)=\((\d+)\)(?: (.*))?$")


def executions(path):
    """Instruction address -> (times run, function), from a callgrind file."""
    names, runs, owner = {}, collections.Counter(), {}
    function, last, skip, positions = None, 0, False, 1
    with open(path, errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("positions:"):
                positions = len(line.split()) - 1
                continue
            named = NAME.match(line)
            if named:
                kind, ident, name = named.groups()
                if name is not None:
                    names[ident] = name
                if kind == "fn":
                    function = names.get(ident, ident)
                continue
            if line.startswith("calls="):
                skip = True  # the next cost line is the call's inclusive cost
                continue
            if not line or line[0] not in "0123456789+-*":
                continue
            fields = line.split()
            last = address(fields[0], last)
            if skip:
                skip = False
                continue
            if len(fields) > positions:
                runs[last] += int(fields[positions])
                owner[last] = function
    return runs, owner


def address(text, last):
    """An instruction position: absolute, relative to the last one, or the same (`*`)."""
    def number(t):
        return int(t, 16) if t.startswith("0x") else int(t)
    if text == "*":
        return last
    if text[0] == "+":
        return last + number(text[1:])
    if text[0] == "-":
        return last - number(text[1:])
    return number(text)


def module(function):
    """`xborder::assess::duty::assess` -> `assess::duty`; other crates by their own name."""
    found = re.search(r"xborder::(\w+)(?:::(\w+))?", function or "")
    if not found:
        return (function or "?").split("::")[0][:40]
    first, second = found.groups()
    nested = ("assess", "declaration", "result", "risk")
    return f"{first}::{second}" if second and first in nested else first


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    small, _ = executions(sys.argv[1])
    large, owner = executions(sys.argv[2])
    records = int(sys.argv[3])
    thresholds = [int(t) for t in sys.argv[4:]] or [records // 10, records // 2]
    for threshold in thresholds:
        hot = [a for a, n in large.items() if n - small.get(a, 0) >= threshold]
        lines = {a // LINE for a in hot}
        print(f"run at least {threshold} times in {records} records: {len(hot)} instructions "
              f"on {len(lines)} cache lines = {len(lines) * LINE / 1024:.1f} kB")
        by_module = collections.defaultdict(set)
        for a in hot:
            by_module[module(owner[a])].add(a // LINE)
        for name, owned in sorted(by_module.items(), key=lambda kv: -len(kv[1]))[:25]:
            print(f"  {len(owned) * LINE / 1024:6.1f} kB  {name}")


if __name__ == "__main__":
    main()
