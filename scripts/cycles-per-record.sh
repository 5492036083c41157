#!/usr/bin/env bash
# Cycles and instructions per declaration of `xborder assess`, and so instructions per cycle
# (issue 16), on a machine whose hardware counters are not available (perf reports
# "<not supported>" in this project's virtual machines).
#
# Three measurements, each printed:
#   1. the effective clock: a C loop of dependent 64-bit additions (one cycle each on every
#      x86-64 core) timed by CPU time, with a second copy running at once (both cores busy: on
#      a machine whose clock drops under load the figure is then the lower one; on this
#      project's machines one copy alone gives the same clock);
#   2. user CPU time of `xborder assess --threads 1` on FILE, per line;
#   3. instructions per line, by callgrind on the first 10 000 and 20 000 lines of FILE (the
#      difference over 10 000: start-up cancels out), as scripts/bench-instructions.sh does.
# Cycles per line = (2) x (1); instructions per cycle = (3) / that.
#
# Usage: scripts/cycles-per-record.sh path/to/xborder FILE.ndjson [ROUNDS]
#   FILE must hold at least 20 000 lines; a million gives a steady CPU time, e.g.
#   xborder generate --n 1000000 --seed 1 --regime EU --no-progress > /tmp/eu1m.ndjson
# Needs a C compiler (cc), valgrind, GNU time (/usr/bin/time) and python3. x86-64 only (the
# loop is x86 assembly). `assess` exiting 1 (some lines rejected) is accepted; the rejected
# lines' error records are part of the work measured.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,22p' "$0" >&2; exit 2; }
xborder=$1 file=$2 rounds=${3:-3}
fail() { echo "cycles-per-record: $*" >&2; exit 2; }
[[ $(uname -m) == x86_64 ]] || fail "x86-64 only"
for tool in cc valgrind python3; do
    command -v "$tool" >/dev/null || fail "$tool is needed"
done
[[ -x /usr/bin/time ]] || fail "GNU time is needed at /usr/bin/time (apt-get install time)"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || fail "ROUNDS must be a whole number of at least 1"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat > "$dir/clock.c" <<'EOF'
#include <stdio.h>
#include <time.h>
int main(void) {
    struct timespec a, b;
    unsigned long n = 200000000UL, x = 0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (unsigned long i = 0; i < n; i++)
        __asm__ volatile("add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\t"
                         "add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0" : "+r"(x));
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.3f\n", (double)n * 10 / s / 1e9);
    return x == 1;
}
EOF
cc -O2 -o "$dir/clock" "$dir/clock.c"

lines=$(wc -l < "$file")
((lines >= 20000)) || fail "$file has $lines lines; at least 20 000 are needed"
ghz=()
user=()
for _ in $(seq "$rounds"); do
    "$dir/clock" > "$dir/other" &
    ghz+=("$("$dir/clock")")
    wait
    rc=0
    /usr/bin/time -q -f "%U" -o "$dir/time" "$xborder" assess --threads 1 --no-progress "$file" \
        > /dev/null 2> "$dir/err" || rc=$?
    ((rc <= 1)) || fail "assess exited with $rc: $(head -c 300 "$dir/err")"
    user+=("$(tail -n 1 "$dir/time")")
done
echo "effective clock, both cores busy (GHz): ${ghz[*]}"
echo "user CPU of assess --threads 1 on $lines lines (s): ${user[*]}"

head -n 10000 "$file" > "$dir/10k.ndjson"
head -n 20000 "$file" > "$dir/20k.ndjson"
count() {
    local rc=0 refs
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$xborder" assess --threads 1 --no-progress "$dir/$1.ndjson" > /dev/null 2> "$dir/$1.err" ||
        rc=$?
    ((rc <= 1)) || fail "assess under callgrind exited with $rc: $(tail -c 300 "$dir/$1.err")"
    refs=$(sed -n 's/.*refs: *//p' "$dir/$1.err" | tr -d ,)
    [[ -n $refs ]] || fail "callgrind printed no instruction count ($dir/$1.err)"
    echo "$refs"
}
small=$(count 10k)
large=$(count 20k)
python3 - "$small" "$large" "$lines" "${ghz[*]}" "${user[*]}" <<'EOF'
import statistics, sys
small, large, lines = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ghz = statistics.median(float(g) for g in sys.argv[4].split())
user = statistics.median(float(u) for u in sys.argv[5].split())
if user <= 0:
    sys.exit("cycles-per-record: the CPU time was 0: give a larger file")
instructions = (large - small) / 10000
cycles = user / lines * ghz * 1e9
print(f"instructions per line (callgrind, 20k - 10k): {instructions:.0f}")
print(f"CPU per line: {user / lines * 1e6:.3f} us = {cycles:.0f} cycles at {ghz:.2f} GHz (medians)")
print(f"instructions per cycle: {instructions / cycles:.2f}")
EOF
