#!/bin/bash
# tests/system-hot/run.sh — guest code that becomes hot across many guest
# processes: busybox sha1sum and md5sum run 30 times each in the cached
# Versatile PB kernel's initramfs (the same physical code pages in every
# process, so their blocks' entry counts add up past the tier threshold).
# Every run must print the same digest as the host's sha1sum/md5sum of the
# same bytes.  A full-tier translation of sha1's loop used to make every
# run after the 15th segfault: flags a fused branch reads were dropped
# before a load whose page fault resumed at it (docs/architecture.md,
# "flags the next block overwrites", correction of 2026-12-07).
# It runs twice: with the default tiers, and with every block full-tier
# from the start (VEMU_TIER_THRESHOLD=0).  `HOT_TIER_THRESHOLD=N` sets the
# first run's promotion threshold.
#
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/tests/system-hot
TESTS="sha1sum-30 md5sum-30 sha1sum-30-full-tier md5sum-30-full-tier"
EMU=$PWD/$BUILD/vemu-system-arm

skip_all() {
    for t in $TESTS; do echo "SKIP: system-hot/$t ($1)"; done
    exit 0
}
[ -x "$EMU" ] || skip_all "$EMU not built"
command -v python3 >/dev/null || skip_all "python3 not installed"
mkdir -p "$OUT" || exit 1
initrd=$(tests/system/make-initramfs.sh 2>"$OUT/initramfs.why") \
    || skip_all "initramfs: $(sed 's/^why: //' "$OUT/initramfs.why" | head -1)"
kdir=$(tests/system/fetch-kernel.sh v5 2>"$OUT/kernel.why") \
    || skip_all "kernel: $(sed 's/^why: //' "$OUT/kernel.why" | head -1)"

# One guest run per mode: the default tiers (promotion of hot blocks) and
# every block full-tier from the start (VEMU_TIER_THRESHOLD=0).
run_mode() {   # SUFFIX THRESHOLD
    local sfx=$1 th=$2 rc hex want_sha1 want_md5
    local out=$OUT/guest$sfx.out
    # 4000 random bytes made in the guest, dumped as hex for the host's digests
    local loop='i=0; while [ $i -lt 30 ]; do sha1sum /tmp/f; md5sum /tmp/f; i=$((i+1)); done 2>&1'
    env ${th:+VEMU_TIER_THRESHOLD=$th} \
        timeout -k 5 400 python3 tests/sd/sd-guest.py "$EMU" "$kdir" "$initrd" "-m 128M" \
        "true" "head -c 4000 /dev/urandom > /tmp/f; od -An -v -tx1 /tmp/f | tr -d ' ' | tr -d '\n'" "$loop" \
        >"$out" 2>"$OUT/guest$sfx.err"
    rc=$?
    hex=$(awk '/^=== 2$/ { getline; print; exit }' "$out" | tr -d '\r')
    printf '%s' "$hex" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' \
        > "$OUT/data$sfx.bin" 2>/dev/null
    [ "$(stat -c %s "$OUT/data$sfx.bin" 2>/dev/null)" = 4000 ] || rc=3
    want_sha1=$(sha1sum < "$OUT/data$sfx.bin" | cut -d' ' -f1)
    want_md5=$(md5sum < "$OUT/data$sfx.bin" | cut -d' ' -f1)
    check "sha1sum-30$sfx" "$want_sha1" sha1sum "$out" "$rc"
    check "md5sum-30$sfx" "$want_md5" md5sum "$out" "$rc"
}

check() {   # name, digest, tool, output, exit status
    local n good bad
    good=$(grep -c "^$2  /tmp/f$" "$4")
    bad=$(grep -c "Segmentation fault" "$4")
    if [ "$5" -eq 0 ] && [ "$good" -eq 30 ]; then
        echo "PASS: system-hot/$1"
    else
        echo "FAIL: system-hot/$1 (exit $5; $good of 30 $3 runs right, $bad segfaults; $4)"
    fi
}
run_mode "" "${HOT_TIER_THRESHOLD:-}"
run_mode "-full-tier" 0
