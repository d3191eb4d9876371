#!/bin/bash
# Differential VFP tests: armhf programs (ARM state, hard float) run under
# qemu-arm (the reference) and build/vemu-arm; outputs must be identical.
#   vfp-ops.c   every VFP instruction over operand tables x rounding modes x
#               FZ x DN (x AHP), one hash line per instruction -> one test each
#   vfp-libm.c  glibc libm and printf/strtod -> one test
# Both are built for ARM and for Thumb-2; the Thumb builds must print what
# the ARM builds printed under qemu-arm.
# Prints PASS:/FAIL:/SKIP: lines (tests/run-tests.sh).  On a difference it
# shows the first differing cases (vfp-ops -v NAME).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
OUT=$BUILD/tests/vfp
CC=${ARMHF_CC:-arm-linux-gnueabihf-gcc}
CFLAGS="-O2 -static -mfpu=vfpv4 -mfloat-abi=hard -Wall -Wextra"

if ! command -v "$CC" >/dev/null || ! command -v qemu-arm >/dev/null || [ ! -x "$VEMU" ]; then
    echo "SKIP: vfp/all (needs $CC, qemu-arm and $VEMU)"
    exit 0
fi
mkdir -p "$OUT"
# ARM state, and Thumb-2 (the T32 encodings of the same instructions)
for p in vfp-ops vfp-libm vfp-flags; do
    for isa in arm thumb; do
        exe="$OUT/$p-$isa"
        if [ ! -x "$exe" ] || [ "tests/vfp/$p.c" -nt "$exe" ]; then
            if ! $CC $CFLAGS -m$isa -o "$exe" "tests/vfp/$p.c" -lm 2>"$exe.log"; then
                echo "FAIL: vfp/build-$p-$isa"; cat "$exe.log"; exit 0
            fi
        fi
    done
done

qemu-arm "$OUT/vfp-ops-arm" > "$OUT/ops.qemu" 2>&1
"$VEMU" "$OUT/vfp-ops-arm" > "$OUT/ops.vemu" 2>&1
while read -r name n hash; do
    other=$(awk -v n="$name" '$1 == n { print $2, $3 }' "$OUT/ops.vemu")
    if [ "$other" = "$n $hash" ]; then
        echo "PASS: vfp/$name"
    else
        echo "FAIL: vfp/$name (qemu: $n $hash, vemu: ${other:-missing})"
        diff <(qemu-arm "$OUT/vfp-ops-arm" -v "$name") <("$VEMU" "$OUT/vfp-ops-arm" -v "$name") | head -8
    fi
done < "$OUT/ops.qemu"
[ -s "$OUT/ops.qemu" ] || echo "FAIL: vfp/ops (no output from qemu-arm)"

# The Thumb-2 build must print exactly what the ARM build printed under qemu.
same() {   # name, reference file, program
    if [ -s "$2" ] && "$VEMU" "$3" 2>&1 | cmp -s "$2" -; then
        echo "PASS: vfp/$1"
    else
        echo "FAIL: vfp/$1"
        "$VEMU" "$3" 2>&1 | diff "$2" - | head -8
    fi
}
same ops-thumb "$OUT/ops.qemu" "$OUT/vfp-ops-thumb"

# Cumulative flags kept lazily in the host FPU (vfp-flags.c).
qemu-arm "$OUT/vfp-flags-arm" > "$OUT/flags.qemu" 2>&1
same flags-arm "$OUT/flags.qemu" "$OUT/vfp-flags-arm"
same flags-thumb "$OUT/flags.qemu" "$OUT/vfp-flags-thumb"

qemu-arm "$OUT/vfp-libm-arm" > "$OUT/libm.qemu" 2>&1
same libm "$OUT/libm.qemu" "$OUT/vfp-libm-arm"
same libm-thumb "$OUT/libm.qemu" "$OUT/vfp-libm-thumb"
