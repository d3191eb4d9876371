#!/bin/bash
# tests/system-hot/run.sh — guest code that becomes hot across many guest
# processes: busybox sha1sum and md5sum run 30 times each in the cached
# Versatile PB kernel's initramfs (the same physical code pages in every
# process, so their blocks' entry counts add up past the tier threshold).
# Every run must print the same digest as the host's sha1sum/md5sum of the
# same bytes.  A full-tier translation of sha1's loop made every run after
# the 15th segfault (docs/quirks.md); system mode keeps first-tier code
# since, and this test holds it to that.  `HOT_TIER_THRESHOLD=N` runs it
# with promotion enabled (VEMU_TIER_THRESHOLD) to reproduce the bug.
#
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/tests/system-hot
TESTS="sha1sum-30 md5sum-30"
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

# 4000 random bytes made in the guest, dumped as hex for the host's digests
loop='i=0; while [ $i -lt 30 ]; do sha1sum /tmp/f; md5sum /tmp/f; i=$((i+1)); done 2>&1'
env ${HOT_TIER_THRESHOLD:+VEMU_TIER_THRESHOLD=$HOT_TIER_THRESHOLD} \
    timeout -k 5 400 python3 tests/sd/sd-guest.py "$EMU" "$kdir" "$initrd" "-m 128M" \
    "true" "head -c 4000 /dev/urandom > /tmp/f; od -An -v -tx1 /tmp/f | tr -d ' ' | tr -d '\n'" "$loop" \
    >"$OUT/guest.out" 2>"$OUT/guest.err"
rc=$?
hex=$(awk '/^=== 2$/ { getline; print; exit }' "$OUT/guest.out" | tr -d '\r')
printf '%s' "$hex" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' \
    > "$OUT/data.bin" 2>/dev/null
[ "$(stat -c %s "$OUT/data.bin" 2>/dev/null)" = 4000 ] || rc=3
want_sha1=$(sha1sum < "$OUT/data.bin" | cut -d' ' -f1)
want_md5=$(md5sum < "$OUT/data.bin" | cut -d' ' -f1)

check() {   # name, digest, tool
    local n good bad
    n=$(grep -c "  /tmp/f$" "$OUT/guest.out")
    good=$(grep -c "^$2  /tmp/f$" "$OUT/guest.out")
    bad=$(grep -c "Segmentation fault" "$OUT/guest.out")
    if [ $rc -eq 0 ] && [ "$good" -eq 30 ]; then
        echo "PASS: system-hot/$1"
    else
        echo "FAIL: system-hot/$1 (exit $rc; $good of 30 $3 runs right, $bad segfaults; $OUT/guest.out)"
    fi
}
check sha1sum-30 "$want_sha1" sha1sum
check md5sum-30 "$want_md5" md5sum
