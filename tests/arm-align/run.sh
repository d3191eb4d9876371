#!/bin/bash
# Alignment faults (issue 10, class 4): align.c, an armhf program whose
# cases run in ARM and Thumb state, checks itself against what Linux on
# ARMv7 delivers (SIGBUS/BUS_ADRALN for misaligned exclusives, VLDR/VSTR/
# VLDM/VSTM and branches to ARM addresses with bit 1 set; none for the
# LDR/LDRD/LDM misalignment the kernel fixes up) and prints one line per
# case.  Each line becomes a test, under -accel tcg and -accel interp.
# qemu-arm is the oracle for the cases where it agrees with Linux; it is
# known to differ on two kinds (docs/quirks.md):
#   strex*       a STREX whose monitor does not match: qemu fails it without
#                checking alignment; the ARM ARM checks alignment first
#   ldrd/strd/ldm/stm   qemu raises SIGBUS; Linux's fixup makes them work
# so those lines are checked against the program's own rule only.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
OUT=$BUILD/tests/arm-align
CC=${ARMHF_CC:-arm-linux-gnueabihf-gcc}

if ! command -v "$CC" >/dev/null || [ ! -x "$VEMU" ]; then
    echo "SKIP: arm-align/all (needs $CC and $VEMU)"
    exit 0
fi
mkdir -p "$OUT"
exe=$OUT/align
if [ ! -x "$exe" ] || [ tests/arm-align/align.c -nt "$exe" ]; then
    if ! $CC -O2 -static -march=armv8-a -mfpu=vfpv3-d16 -Wall -Wextra -o "$exe" \
            tests/arm-align/align.c 2>"$exe.log"; then
        echo "FAIL: arm-align/build"; cat "$exe.log"; exit 0
    fi
fi

qemu_known_wrong() {   # case name
    case "$1" in strex*|stlex*|ldrd-*|strd-*|ldm-*|stm-*) return 0 ;; esac
    return 1
}

have_qemu=0
if command -v qemu-arm >/dev/null; then
    timeout 60 qemu-arm "$exe" > "$OUT/qemu.out" 2>&1
    have_qemu=1
fi

for accel in tcg interp; do
    sfx=""; [ $accel = interp ] && sfx="-interp"
    timeout 60 "$VEMU" -accel $accel "$exe" > "$OUT/vemu-$accel.out" 2>&1
    rc=$?
    n=0
    while read -r verdict name rest; do
        name=${name%:}
        case "$verdict" in ok|FAIL) ;; *) continue ;; esac
        [ "$name" = "" ] && continue
        n=$((n + 1))
        if [ "$verdict" != ok ]; then
            echo "FAIL: arm-align/$name$sfx ($rest)"
            continue
        fi
        if [ $have_qemu = 1 ] && ! qemu_known_wrong "$name"; then
            q=$(grep -F -- " $name: " "$OUT/qemu.out")
            if [ "$q" != "ok $name: $rest" ]; then
                echo "FAIL: arm-align/$name$sfx (qemu-arm: ${q:-missing})"
                continue
            fi
        fi
        echo "PASS: arm-align/$name$sfx"
    done < <(grep -v '^\(ok\|FAIL\): ' "$OUT/vemu-$accel.out")
    if [ $n -lt 106 ] || [ $rc -ne 0 ]; then
        echo "FAIL: arm-align/run$sfx (exit status $rc, $n cases)"
        tail -5 "$OUT/vemu-$accel.out"
    fi
done
[ $have_qemu = 1 ] || echo "SKIP: arm-align/qemu-compare (qemu-arm not installed)"
