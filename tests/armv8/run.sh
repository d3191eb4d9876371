#!/bin/bash
# ARMv8 AArch32 additions (-cpu max; issue 10, class 6): differential tests
# against qemu-arm -cpu max.
#   v8-ops.c    every FP-ARMv8 instruction form (VMAXNM/VMINNM, VRINT*,
#               VCVTA/N/P/M, VCVTB/T f16<->f64, VSEL) over vfp-ops.c's operand
#               tables x rounding mode x FZ x DN (x AHP), one hash line per form
#               -> one test each; built for ARM and Thumb-2
#   v8-prog.c   ordinary C compiled for armv8-a+crc (CRC32 intrinsics, libm
#               rounding -> VRINT/VCVTA, fmax/fmin, _Float16, C11 atomics ->
#               LDA/STL/LDAEX/STLEX), as armhf ARM, armhf Thumb-2 and armel
#               softfp; whole output compared
#   fp16-ops.c  every FEAT_FP16 (ARMv8.2 scalar half-precision) instruction
#               form over half-precision operand tables x rounding mode x
#               FZ16 x DN (x FZ with AHP), one hash line per form -> one test each; ARM,
#               Thumb-2 and -accel interp
#   fp16-prog.c ordinary C on _Float16 (and ACLE's <arm_fp16.h>) compiled
#               for armv8.2-a+fp16, ARM and Thumb-2; whole output compared
# plus: the same programs under -cpu cortex-a15 (ARMv7) must die of SIGILL,
# and -cpu max is the default.  Prints PASS:/FAIL:/SKIP: lines.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
OUT=$BUILD/tests/armv8
HF=${ARMHF_CC:-arm-linux-gnueabihf-gcc}
EL=${ARMEL_CC:-arm-linux-gnueabi-gcc}
V8="-march=armv8-a+crc -mfpu=fp-armv8 -mfp16-format=ieee -fno-math-errno"

if ! command -v "$HF" >/dev/null || ! command -v qemu-arm >/dev/null || [ ! -x "$VEMU" ]; then
    echo "SKIP: armv8/all (needs $HF, qemu-arm and $VEMU)"
    exit 0
fi
mkdir -p "$OUT"

build() {   # out cc flags... (source last)
    local out=$1 cc=$2 src=${*: -1}
    shift 2
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ tests/vfp/vfp-ops.c -nt "$out" ]; then
        "$cc" -O2 -static -Wall -Wextra -Wno-unused-function "$@" -o "$out" -lm -lpthread 2>"$out.log" ||
            { echo "FAIL: armv8/build-$(basename "$out")"; cat "$out.log"; return 1; }
    fi
}

build "$OUT/v8-ops-arm" "$HF" $V8 -marm tests/armv8/v8-ops.c || exit 0
build "$OUT/v8-ops-thumb" "$HF" $V8 -mthumb tests/armv8/v8-ops.c || exit 0
build "$OUT/v8-prog-arm" "$HF" $V8 -marm tests/armv8/v8-prog.c || exit 0
build "$OUT/v8-prog-thumb" "$HF" $V8 -mthumb tests/armv8/v8-prog.c || exit 0
# FEAT_FP16: gcc 12 needs -march=armv8.2-a+fp16 with -mfpu=fp-armv8 (the
# sources tell the assembler `.arch_extension fp16`); -mfpu=auto would
# allow Advanced SIMD, which vemu does not have.  The objects must hold
# FP16 instructions and no Advanced SIMD ones (VLD1/VST1, .I/.S/.U/.P
# element types, Q registers).
FP16="-march=armv8.2-a+fp16 -mfpu=fp-armv8 -mfp16-format=ieee -fno-math-errno"
fp16_build() {   # name isa
    local out=$OUT/$1-$2 src=tests/armv8/$1.c
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ tests/vfp/vfp-ops.c -nt "$out" ]; then
        "$HF" -O2 -Wall -Wextra -Wno-unused-function $FP16 -m$2 -c "$src" -o "$out.o" 2>"$out.log" &&
            "$HF" -static -o "$out" "$out.o" -lm 2>>"$out.log" ||
            { echo "FAIL: armv8/build-$1-$2"; cat "$out.log"; return 1; }
    fi
    # Advanced SIMD: VLD1-4/VST1-4, VDUP, Q registers, .I<n> types, or .S/.U/.P
    # element types on anything but VFP's VCVT and VMOV (scalar) forms
    local dis neon
    dis=$(arm-linux-gnueabihf-objdump -d "$out.o" | awk -F'\t' 'NF >= 3 { print $3 " " $4 }')
    neon=$(grep -E '^v(ld|st)[1-4]|^vdup|\bq[0-9]+\b|^v[a-z0-9]+\.i(8|16|32|64)\b' <<<"$dis"
           grep -E '^v[a-z0-9]+\.[sup](8|16|32|64)\b' <<<"$dis" | grep -Ev '^v(cvt[anpmr]?|mov)\.')
    if [ -n "$neon" ] || ! grep -Eq '^vadd\.f16' <<<"$dis"; then
        echo "FAIL: armv8/build-$1-$2 (no FP16, or Advanced SIMD instructions in the object)"
        sort -u <<<"$neon" | head -5
        rm -f "$out"
        return 1
    fi
}
have_fp16=1
for p in fp16-ops fp16-prog; do
    for isa in arm thumb; do
        fp16_build $p $isa || have_fp16=0
    done
done

have_el=0
if command -v "$EL" >/dev/null; then
    build "$OUT/v8-prog-armel" "$EL" $V8 -mfloat-abi=softfp -marm tests/armv8/v8-prog.c && have_el=1
fi

# v8-ops: one test per form, ARM state under tcg, Thumb-2 and interp must
# print the same lines.
timeout 120 qemu-arm -cpu max "$OUT/v8-ops-arm" > "$OUT/ops.qemu" 2>&1
timeout 120 "$VEMU" -cpu max "$OUT/v8-ops-arm" > "$OUT/ops.vemu" 2>&1
while read -r name n hash; do
    other=$(awk -v n="$name" '$1 == n { print $2, $3 }' "$OUT/ops.vemu")
    if [ "$other" = "$n $hash" ]; then
        echo "PASS: armv8/$name"
    else
        echo "FAIL: armv8/$name (qemu: $n $hash, vemu: ${other:-missing})"
        diff <(qemu-arm -cpu max "$OUT/v8-ops-arm" -v "$name") \
             <("$VEMU" -cpu max "$OUT/v8-ops-arm" -v "$name") | head -8
    fi
done < "$OUT/ops.qemu"
[ "$(wc -l < "$OUT/ops.qemu")" -ge 46 ] || echo "FAIL: armv8/ops (qemu-arm printed $(wc -l < "$OUT/ops.qemu") forms)"

same() {   # name reference vemu-args...
    local name=$1 ref=$2
    shift 2
    if [ -s "$ref" ] && timeout 120 "$VEMU" "$@" 2>&1 | cmp -s "$ref" -; then
        echo "PASS: armv8/$name"
    else
        echo "FAIL: armv8/$name"
        timeout 120 "$VEMU" "$@" 2>&1 | diff "$ref" - | head -8
    fi
}
same ops-thumb "$OUT/ops.qemu" -cpu max "$OUT/v8-ops-thumb"
same ops-interp "$OUT/ops.qemu" -cpu max -accel interp "$OUT/v8-ops-arm"

# Each binary against qemu running the same binary: gcc may move FP
# instructions across the fenv calls, so the flags a build prints depend on
# its instruction order (the same for both emulators).
timeout 120 qemu-arm -cpu max "$OUT/v8-prog-arm" > "$OUT/prog.qemu" 2>&1
timeout 120 qemu-arm -cpu max "$OUT/v8-prog-thumb" > "$OUT/prog-thumb.qemu" 2>&1
same prog-arm "$OUT/prog.qemu" -cpu max "$OUT/v8-prog-arm"
same prog-default-cpu "$OUT/prog.qemu" "$OUT/v8-prog-arm"
same prog-thumb "$OUT/prog-thumb.qemu" -cpu max "$OUT/v8-prog-thumb"
same prog-interp "$OUT/prog-thumb.qemu" -cpu max -accel interp "$OUT/v8-prog-thumb"
if [ $have_el = 1 ]; then
    timeout 120 qemu-arm -cpu max "$OUT/v8-prog-armel" > "$OUT/prog-armel.qemu" 2>&1
    same prog-armel-softfp "$OUT/prog-armel.qemu" -cpu max "$OUT/v8-prog-armel"
else
    echo "SKIP: armv8/prog-armel-softfp ($EL not installed)"
fi

# FEAT_FP16: one test per form, as v8-ops; then Thumb-2 and interp whole,
# and the C program against qemu running the same binary.
if [ $have_fp16 = 1 ]; then
    timeout 120 qemu-arm -cpu max "$OUT/fp16-ops-arm" > "$OUT/fp16.qemu" 2>&1
    timeout 120 "$VEMU" -cpu max "$OUT/fp16-ops-arm" > "$OUT/fp16.vemu" 2>&1
    while read -r name n hash; do
        other=$(awk -v n="$name" '$1 == n { print $2, $3 }' "$OUT/fp16.vemu")
        if [ "$other" = "$n $hash" ]; then
            echo "PASS: armv8/fp16-$name"
        else
            echo "FAIL: armv8/fp16-$name (qemu: $n $hash, vemu: ${other:-missing})"
            diff <(qemu-arm -cpu max "$OUT/fp16-ops-arm" -v "$name") \
                 <("$VEMU" -cpu max "$OUT/fp16-ops-arm" -v "$name") | head -8
        fi
    done < "$OUT/fp16.qemu"
    [ "$(wc -l < "$OUT/fp16.qemu")" -ge 59 ] ||
        echo "FAIL: armv8/fp16-ops (qemu-arm printed $(wc -l < "$OUT/fp16.qemu") forms)"
    same fp16-ops-thumb "$OUT/fp16.qemu" -cpu max "$OUT/fp16-ops-thumb"
    same fp16-ops-interp "$OUT/fp16.qemu" -cpu max -accel interp "$OUT/fp16-ops-arm"
    for isa in arm thumb; do
        timeout 120 qemu-arm -cpu max "$OUT/fp16-prog-$isa" > "$OUT/fp16-prog-$isa.qemu" 2>&1
        same fp16-prog-$isa "$OUT/fp16-prog-$isa.qemu" -cpu max "$OUT/fp16-prog-$isa"
    done
    same fp16-prog-interp "$OUT/fp16-prog-thumb.qemu" -cpu max -accel interp "$OUT/fp16-prog-thumb"
    # a misaligned VLDR.16 is SIGBUS (exit 135) in both
    for isa in arm thumb; do
        { timeout 60 qemu-arm -cpu max "$OUT/fp16-ops-$isa" misaligned >/dev/null 2>&1; q=$?; } 2>/dev/null
        { timeout 60 "$VEMU" -cpu max "$OUT/fp16-ops-$isa" misaligned >/dev/null 2>&1; v=$?; } 2>/dev/null
        if [ $v = 135 ] && [ $q = 135 ]; then
            echo "PASS: armv8/fp16-vldr16-misaligned-$isa"
        else
            echo "FAIL: armv8/fp16-vldr16-misaligned-$isa (exit status vemu $v, qemu-arm $q, want 135: SIGBUS)"
        fi
    done
    for isa in arm thumb; do
        { timeout 60 "$VEMU" -cpu cortex-a15 "$OUT/fp16-prog-$isa" >/dev/null 2>&1; rc=$?; } 2>/dev/null
        if [ $rc = 132 ]; then
            echo "PASS: armv8/fp16-v7-sigill-$isa"
        else
            echo "FAIL: armv8/fp16-v7-sigill-$isa (exit status $rc, want 132: SIGILL)"
        fi
    done
fi

# An ARMv7 model has none of it: the first v8 instruction is SIGILL.
for isa in arm thumb; do
    { timeout 60 "$VEMU" -cpu cortex-a15 "$OUT/v8-prog-$isa" >/dev/null 2>&1; rc=$?; } 2>/dev/null
    if [ $rc = 132 ]; then
        echo "PASS: armv8/v7-sigill-$isa"
    else
        echo "FAIL: armv8/v7-sigill-$isa (exit status $rc, want 132: SIGILL)"
    fi
done
