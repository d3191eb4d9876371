#!/bin/bash
# tests/fuzz/libfuzzer.sh — `make fuzz`: the fuzz targets built with clang's
# libFuzzer and ASan+UBSan (FUZZ=1, $FUZZ_BUILD) run coverage-guided from the
# generated seeds (tests/fuzz/seeds.sh) and a corpus kept between runs in
# $FUZZ_BUILD/fuzz/corpus/TARGET.  Crashing inputs go to
# $FUZZ_BUILD/fuzz/crashes/; replay one with
#   $FUZZ_BUILD/tests/fuzz/fuzz-TARGET FILE     (libFuzzer)
#   $BUILD/tests/fuzz/fuzz-TARGET -n 0 FILE      (the gcc driver)
# Environment: FUZZ_TIME seconds per target (default 60), FUZZ_TARGETS
# (default every target), FUZZ_JOBS parallel workers per target (default 1).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FB=${FUZZ_BUILD:-build-fuzz}
TIME=${FUZZ_TIME:-60}
JOBS=${FUZZ_JOBS:-1}
TARGETS=${FUZZ_TARGETS:-qcow2 qcow vmdk vdi vpc probe}
W=$PWD/$FB/fuzz
mkdir -p "$W/crashes"
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
rm -rf "$W/seeds"
tests/fuzz/seeds.sh "$W/seeds" "$PWD/$BUILD/vemu-img" || exit 1
failed=0
for t in $TARGETS; do
    bin=$FB/tests/fuzz/fuzz-$t
    [ -x "$bin" ] || { echo "FAIL: fuzz/$t (no $bin)"; failed=1; continue; }
    mkdir -p "$W/corpus/$t"
    echo "make fuzz: $t for ${TIME}s (corpus $W/corpus/$t)"
    "$bin" -max_total_time="$TIME" -timeout=20 -rss_limit_mb=2048 -close_fd_mask=2 \
        $([ "$JOBS" -gt 1 ] && echo "-jobs=$JOBS -workers=$JOBS") -print_final_stats=1 \
        -artifact_prefix="$W/crashes/$t-" "$W/corpus/$t" "$W/seeds/$t" >"$W/$t.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        grep -E "ERROR|SUMMARY|Test unit written|==[0-9]+==" "$W/$t.log" | head -20
        echo "FAIL: fuzz/$t (exit $rc; log $W/$t.log)"
        failed=1
    else
        echo "PASS: fuzz/$t ($(grep -E '^stat::number_of_executed_units' "$W/$t.log" | awk '{print $2}') runs," \
             "$(ls "$W/corpus/$t" | wc -l) corpus inputs)"
    fi
done
exit $failed
