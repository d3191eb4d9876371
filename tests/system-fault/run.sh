#!/bin/bash
# tests/system-fault/run.sh — flags across guest accesses whose page faults
# the guest kernel resolves, under vemu-system-arm: demand-fault.c (first
# touches, pages dropped with MADV_DONTNEED, copy-on-write after fork; no
# signal involved, every fault is the kernel's) and linux-user's
# fault-resume.c (a SIGSEGV handler that mprotects the page back), both
# static armel, taken into the busybox initramfs from a tar on -hda and run
# with the default tiers and with every block full-tier from the start
# (VEMU_TIER_THRESHOLD=0).  The oracle is the arithmetic: every line the
# programs print must end in ": ok".  Before commit 5d25649 a compare's
# flags read by a branch after such an access were lost when the access
# faulted; on the Debian image that made systemd (PID 1) fail an assertion
# at poweroff and freeze (docs/quirks.md, "poweroff hang").
#
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/tests/system-fault
TESTS="demand-fault fault-resume demand-fault-full-tier fault-resume-full-tier"
case "$BUILD" in /*) EMU=$BUILD/vemu-system-arm ;; *) EMU=$PWD/$BUILD/vemu-system-arm ;; esac

skip_all() {
    for t in $TESTS; do echo "SKIP: system-fault/$t ($1)"; done
    exit 0
}
[ -x "$EMU" ] || skip_all "$EMU not built"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v arm-linux-gnueabi-gcc >/dev/null || skip_all "arm-linux-gnueabi-gcc not installed"
mkdir -p "$OUT/bin" || exit 1
initrd=$(tests/system/make-initramfs.sh 2>"$OUT/initramfs.why") \
    || skip_all "initramfs: $(sed 's/^why: //' "$OUT/initramfs.why" | head -1)"
kdir=$(tests/system/fetch-kernel.sh disk 2>"$OUT/kernel.why") \
    || skip_all "kernel: $(sed 's/^why: //' "$OUT/kernel.why" | head -1)"

for p in tests/system-fault/demand-fault tests/linux-user/fault-resume; do
    arm-linux-gnueabi-gcc -O2 -static -Wall -Wextra -o "$OUT/bin/${p##*/}" "$p.c" 2>"$OUT/build.err" ||
        skip_all "cannot build ${p##*/}.c: $(head -1 "$OUT/build.err")"
done
# a tar is a raw disk of whole 512-byte blocks: the guest untars /dev/sda
tar -C "$OUT/bin" -cf "$OUT/progs.tar" demand-fault fault-resume || skip_all "tar failed"

run_mode() {   # SUFFIX THRESHOLD
    local sfx=$1 th=$2 rc t n ok
    local out=$OUT/guest$sfx.out
    env ${th:+VEMU_TIER_THRESHOLD=$th} \
        timeout -k 5 400 python3 tests/system-scsi/scsi-guest.py "$EMU" "$kdir" "$initrd" \
        "-drive file=$OUT/progs.tar,format=raw,if=scsi -snapshot" \
        "mkdir -p /t && cd /t && tar -xf /dev/sda && echo untarred" \
        "/t/demand-fault 40; echo status=\$?" "/t/fault-resume; echo status=\$?" \
        >"$out" 2>"$OUT/guest$sfx.log"
    rc=$?
    for t in demand-fault:2 fault-resume:3; do
        n=${t#*:}
        body=$(awk -v n="$n" '/^=== /{on = ($2 == n); next} on' "$out" | tr -d '\r')
        ok=$(printf '%s\n' "$body" | grep -c ': ok')
        if [ "$rc" -eq 0 ] && printf '%s\n' "$body" | grep -q '^status=0$' &&
            ! printf '%s\n' "$body" | grep -q 'FAILED' && [ "$ok" -ge 3 ]; then
            echo "PASS: system-fault/${t%%:*}$sfx"
        else
            echo "FAIL: system-fault/${t%%:*}$sfx (exit $rc: $(printf '%s' "$body" | grep -v ': ok' | tr '\n' ' ' | cut -c1-200); $out, $OUT/guest$sfx.log)"
        fi
    done
}
run_mode "" ""
run_mode "-full-tier" 0
