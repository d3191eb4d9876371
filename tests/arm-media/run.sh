#!/bin/bash
# tests/arm-media/run.sh — differential test of the ARMv6/v7 A32 integer
# additions (media, v6 multiplies, divide; see docs/frontend-arm.md) against
# Debian's qemu-arm.  difftest.py generates a fixed-seed random program (one
# instruction per case, random registers, NZCV, Q and GE), once in A32 and
# once in T32 (the Thumb-2 encodings of the same instructions share their
# semantics, frontend-arm/arm-media.h); each runs under the oracle and under
# vemu-arm with the x86_64 backend and with the IR interpreter; registers
# and CPSR after each case must match.
#
# Prints one PASS:/FAIL: line per instruction class and engine, or SKIP:.
# Environment: BUILD (default build), VEMU (default $BUILD/vemu-arm),
# ORACLE (default qemu-arm), ARM_MEDIA_SEED (default 1), ARM_MEDIA_N (4000).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
ORACLE=${ORACLE:-qemu-arm}
SEED=${ARM_MEDIA_SEED:-1}
N=${ARM_MEDIA_N:-4000}
CC=arm-linux-gnueabi-gcc
OUT=$BUILD/tests/arm-media
mkdir -p "$OUT"

skip() { echo "SKIP: arm-media ($1)"; exit 0; }
[ -x "$VEMU" ] || skip "vemu-arm not built ($VEMU)"
command -v "$ORACLE" >/dev/null 2>&1 || skip "oracle $ORACLE not installed"
command -v "$CC" >/dev/null 2>&1 || skip "$CC not installed"

for isa in arm thumb; do
    prog=$OUT/media-$isa
    # A32 results are named arm-media/<engine>/<class>, T32 ones arm-media/thumb-<engine>/<class>
    prefix=arm-media/; [ $isa = thumb ] && prefix=arm-media/thumb-
    if ! python3 tests/arm-media/difftest.py gen "$SEED" "$N" "$prog.s" "$prog.list" $isa ||
       ! $CC -nostdlib -static -o "$prog" "$prog.s" 2>"$prog.build.log"; then
        echo "FAIL: ${prefix}build (see $prog.build.log)"
        continue
    fi
    if ! timeout 60 "$ORACLE" "$prog" >"$prog.oracle.bin"; then
        echo "SKIP: ${prefix}all (the oracle failed to run $prog)"
        continue
    fi
    for accel in tcg interp; do
        timeout 60 "$VEMU" -accel $accel "$prog" >"$prog.vemu-$accel.bin" 2>"$prog.vemu-$accel.err"
        python3 tests/arm-media/difftest.py cmp "$prog.oracle.bin" "$prog.vemu-$accel.bin" "$prog.list" \
            "$prefix$accel"
    done
done
exit 0
