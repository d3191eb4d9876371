#!/bin/bash
# tests/stats/run.sh — `-d stats` with VEMU_STATS_FILE (exec/log.c
# exec_stats_report): every process of a tree appends its own report to one
# file, at exit and before it execs, and a forked child does not repeat its
# parent's counts.  The tree is tests/stats/tree.c (armel, static).
#
# Prints "PASS: stats/<name>", "FAIL: stats/<name> (why)" or SKIP lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/stats-tests ;; *) OUT=$PWD/$BUILD/stats-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
NAMES="file-per-tree fork-child-own-counts exec-reports unwritable-file"
skip_all() { for n in $NAMES; do echo "SKIP: stats/$n ($1)"; done; exit 0; }
[ -x "$VEMU" ] || skip_all "vemu-arm not built: $VEMU"
command -v arm-linux-gnueabi-gcc >/dev/null || skip_all "arm-linux-gnueabi-gcc not installed"
mkdir -p "$OUT"
bin=$OUT/tree
if [ ! -x "$bin" ] || [ tests/stats/tree.c -nt "$bin" ]; then
    arm-linux-gnueabi-gcc -O2 -static -o "$bin" tests/stats/tree.c 2>"$OUT/build.log" ||
        skip_all "build failed: $(head -1 "$OUT/build.log")"
fi

file=$OUT/stats.txt
rm -f "$file"
VEMU_STATS_FILE=$file timeout 60 "$VEMU" -d stats "$bin" >"$OUT/out" 2>"$OUT/err"
rc=$?
# the pids the program printed: the quick child and the exec'ing child
read -r quick execer < <(sed -n 's/^children 0 0 pids \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$OUT/out")
# "pid blocks" per report, in file order
reports=$(awk '/^process / { p = $2 } /^blocks translated/ { print p, $3 }' "$file" 2>/dev/null)
count_of() { awk -v p="$1" '$1 == p { n++ } END { print n + 0 }' <<<"$reports"; }
blocks_of() { awk -v p="$1" '$1 == p { print $2; exit }' <<<"$reports"; }

# 1. Four reports (parent; quick child; the exec'ing child before and after
#    its exec), none on stderr, and the program's own output intact.
if [ $rc -eq 0 ] && [ -n "${quick:-}" ] && [ "$(wc -l <<<"$reports")" -eq 4 ] &&
   ! grep -q 'blocks translated' "$OUT/err" && grep -q '^leaf ok$' "$OUT/out"; then
    echo "PASS: stats/file-per-tree"
else
    echo "FAIL: stats/file-per-tree (exit $rc, $(wc -l <<<"$reports") reports, stderr: $(head -c 120 "$OUT/err" | tr '\n' ' '))"
fi
# 2. The quick child translated almost nothing itself: its report must not
#    hold the parent's blocks from before the fork (libc start-up alone is
#    hundreds of blocks).
parent=$(awk '{ print $1 }' <<<"$reports" | sort | uniq -c | awk '$1 == 1 { print $2 }' | grep -vx "${quick:-x}" | head -1)
qb=$(blocks_of "${quick:-x}") pb=$(blocks_of "${parent:-x}")
if [ -n "$qb" ] && [ -n "$pb" ] && [ "$pb" -ge 100 ] && [ "$qb" -lt 50 ]; then
    echo "PASS: stats/fork-child-own-counts"
else
    echo "FAIL: stats/fork-child-own-counts (quick child ${qb:-none} blocks, parent ${pb:-none})"
fi
# 3. The exec'ing child reported twice: before the exec and at its exit.
if [ -n "${execer:-}" ] && [ "$(count_of "$execer")" -eq 2 ]; then
    echo "PASS: stats/exec-reports"
else
    echo "FAIL: stats/exec-reports (child ${execer:-?} reported $(count_of "${execer:-x}") times)"
fi
# 4. A stats file that cannot be written: a message, the program unharmed.
VEMU_STATS_FILE=$OUT/no-such-dir/stats.txt timeout 60 "$VEMU" -d stats "$bin" >"$OUT/out2" 2>"$OUT/err2"
rc=$?
if [ $rc -eq 0 ] && grep -q 'cannot append statistics' "$OUT/err2" && cmp -s <(grep -v pids "$OUT/out") <(grep -v pids "$OUT/out2"); then
    echo "PASS: stats/unwritable-file"
else
    echo "FAIL: stats/unwritable-file (exit $rc: $(head -c 120 "$OUT/err2" | tr '\n' ' '))"
fi
