#!/bin/bash
# tests/arm-thumb/run.sh — differential test of Thumb-2 (T16/T32, IT blocks;
# see docs/frontend-arm.md) against Debian's qemu-arm.  difftest.py generates
# two fixed-seed random programs: "dp" (data processing, multiplies, media,
# 16-bit flag setting, IT blocks of 1-4 instructions) and "mem" (loads and
# stores of every form, LDRD/STRD, LDM/STM, PUSH/POP).  Each runs under the
# oracle and under vemu-arm with the x86_64 backend and the IR interpreter;
# the registers, flags and memory after each case must match.
#
# Prints one PASS:/FAIL: line per program and engine, or SKIP:.
# Environment: BUILD (default build), VEMU (default $BUILD/vemu-arm),
# ORACLE (default qemu-arm), ARM_THUMB_SEED (default 1), ARM_THUMB_N (3000).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
ORACLE=${ORACLE:-qemu-arm}
SEED=${ARM_THUMB_SEED:-1}
N=${ARM_THUMB_N:-3000}
CC=arm-linux-gnueabi-gcc
OUT=$BUILD/tests/arm-thumb
mkdir -p "$OUT"

skip() { echo "SKIP: arm-thumb ($1)"; exit 0; }
[ -x "$VEMU" ] || skip "vemu-arm not built ($VEMU)"
command -v "$ORACLE" >/dev/null 2>&1 || skip "oracle $ORACLE not installed"
command -v "$CC" >/dev/null 2>&1 || skip "$CC not installed"

for kind in dp mem; do
    if ! python3 tests/arm-thumb/difftest.py gen $kind "$SEED" "$N" "$OUT/$kind.s" "$OUT/$kind.list" ||
       ! $CC -nostdlib -static -o "$OUT/$kind" "$OUT/$kind.s" 2>"$OUT/$kind-build.log"; then
        echo "FAIL: arm-thumb/$kind/build (see $OUT/$kind-build.log)"
        continue
    fi
    if ! timeout 60 "$ORACLE" "$OUT/$kind" >"$OUT/$kind-oracle.bin"; then
        echo "SKIP: arm-thumb/$kind (the oracle failed to run the test program)"
        continue
    fi
    for accel in tcg interp; do
        timeout 60 "$VEMU" -accel $accel "$OUT/$kind" >"$OUT/$kind-vemu-$accel.bin" 2>"$OUT/$kind-vemu-$accel.err"
        python3 tests/arm-thumb/difftest.py cmp $kind "$OUT/$kind-oracle.bin" "$OUT/$kind-vemu-$accel.bin" \
            "$OUT/$kind.list" "arm-thumb/$kind/$accel"
    done
done
exit 0
