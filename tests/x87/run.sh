#!/bin/bash
# The x87 unit end to end (docs/x87.md): x87-kernels.S, an x86_64 program
# without a C library (x87 arithmetic, transcendental instructions, every
# rounding and precision mode, FPREM, BCD, compares, stack faults, FNSAVE
# and FNSTENV images), printed as raw hex.  The host runs it natively: the
# output under vemu-x86_64 (translated and with -accel interp) must be
# byte-identical, FNSAVE's instruction and operand pointers included (the
# program is static, so its addresses are the same).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-x86_64}
OUT=$BUILD/tests/x87
CC=${CC_X86_64:-gcc}

if [ ! -x "$VEMU" ] || ! command -v "$CC" >/dev/null; then
    echo "SKIP: x87/all (needs $CC and $VEMU)"
    exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
    echo "SKIP: x87/all (the oracle is an x86_64 host)"
    exit 0
fi
mkdir -p "$OUT"
exe=$OUT/x87-kernels
if [ ! -x "$exe" ] || [ tests/x87/x87-kernels.S -nt "$exe" ]; then
    if ! $CC -nostdlib -static -no-pie -o "$exe" tests/x87/x87-kernels.S 2>"$exe.log"; then
        echo "FAIL: x87/build"; cat "$exe.log"; exit 0
    fi
fi
"$exe" > "$OUT/native.txt"
for mode in tcg interp; do
    name=x87/kernels-x86_64-$mode
    if timeout 120 "$VEMU" -accel "$mode" "$exe" > "$OUT/vemu-$mode.txt" 2>"$OUT/vemu-$mode.err" &&
            cmp -s "$OUT/native.txt" "$OUT/vemu-$mode.txt"; then
        echo "PASS: $name"
    else
        echo "FAIL: $name"
        diff "$OUT/native.txt" "$OUT/vemu-$mode.txt" | head -20
        head -5 "$OUT/vemu-$mode.err"
    fi
done
