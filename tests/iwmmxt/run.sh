#!/bin/bash
# tests/iwmmxt/run.sh — the XScale cpu models (-cpu pxa250 ... pxa270-c5):
# iWMMXt and the DSP accumulator, against Debian's qemu-arm -cpu pxa270 and,
# where qemu-arm is known wrong (docs/quirks.md), a model of the manual.
#   difftest.py      random iWMMXt instructions with random wR/ARM/control
#                    registers (the shared tests/arm-media harness), fixed
#                    seed, x86_64 backend and IR interpreter: one line per
#                    class of instructions
#   iwmmxt-intrin.c  gcc's <mmintrin.h> intrinsics (-mcpu=iwmmxt): every
#                    line must match the same program built for the host with
#                    portable C definitions, and match qemu-arm except on the
#                    intrinsics listed in QEMU_WRONG below
#   iwmmxt-signal.c  the iWMMXt record in signal frames: wR0-15 saved and
#                    restored (as qemu-arm), wCGR0-3 too (qemu-arm does not)
#   xscale-models.c  MIA/MAR/MRA and iWMMXt encodings on every XScale model
#                    and on arm926/cortex-a15 (SIGILL there)
# Environment: BUILD, VEMU, ORACLE (qemu-arm), IWMMXT_SEED (1), IWMMXT_N (4000).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
ORACLE=${ORACLE:-qemu-arm}
SEED=${IWMMXT_SEED:-1}
N=${IWMMXT_N:-4000}
CC=arm-linux-gnueabi-gcc
HOSTCC=${HOSTCC:-cc}
OUT=$BUILD/tests/iwmmxt
mkdir -p "$OUT"

skip() { echo "SKIP: iwmmxt/all ($1)"; exit 0; }
[ -x "$VEMU" ] || skip "vemu-arm not built ($VEMU)"
command -v "$ORACLE" >/dev/null 2>&1 || skip "oracle $ORACLE not installed"
command -v "$CC" >/dev/null 2>&1 || skip "$CC not installed"

# ---- random instruction streams ----------------------------------------------
prog=$OUT/diff
if python3 tests/iwmmxt/difftest.py gen "$SEED" "$N" "$prog.s" "$prog.list" &&
   $CC -nostdlib -static -o "$prog" "$prog.s" 2>"$prog.build.log"; then
    if timeout 120 "$ORACLE" -cpu pxa270 "$prog" >"$prog.oracle.bin"; then
        for accel in tcg interp; do
            timeout 120 "$VEMU" -cpu pxa270 -accel $accel "$prog" >"$prog.vemu-$accel.bin" 2>"$prog.vemu-$accel.err"
            python3 tests/iwmmxt/difftest.py cmp "$prog.oracle.bin" "$prog.vemu-$accel.bin" "$prog.list" \
                "iwmmxt/$accel"
        done
    else
        echo "SKIP: iwmmxt/random (the oracle failed to run $prog)"
    fi
else
    echo "FAIL: iwmmxt/random-build (see $prog.build.log)"
fi

# ---- intrinsics ---------------------------------------------------------------
# qemu-arm 7.2 is wrong on these (no saturation, WSAD, WMAC, WANDN, shift
# counts >= 64 / above the lane size, WALIGNI offsets 0 and > 3, TMOVMSKH, TMIA)
QEMU_WRONG=" _mm_adds_pi8 _mm_adds_pu8 _mm_adds_pi16 _mm_adds_pu16 _mm_adds_pi32 _mm_subs_pi16
 _mm_subs_pu8 _mm_subs_pu32 _mm_mac_pi16 _mm_mac_pu16 _mm_sad_pu8 _mm_sadz_pu16 _mm_sada_pu8
 _mm_andnot_si64 _mm_packs_pi16 _mm_packs_pu16 _mm_packs_pi32 _mm_packs_pu64 _mm_sll_pi16
 _mm_srl_pi32 _mm_sra_pi16 _mm_sra_pi32 _mm_sll_si64 align_0 align_6 movemask_pi16 mia "
src=tests/iwmmxt/iwmmxt-intrin.c
if $CC -mcpu=iwmmxt -O2 -static -Wall -Wextra -o "$OUT/intrin" $src 2>"$OUT/intrin.log" &&
   $HOSTCC -O2 -Wall -Wextra -o "$OUT/intrin-host" $src 2>>"$OUT/intrin.log"; then
    "$OUT/intrin-host" >"$OUT/intrin.host"
    "$ORACLE" -cpu pxa270 "$OUT/intrin" >"$OUT/intrin.qemu" 2>&1
    "$VEMU" -cpu pxa270 "$OUT/intrin" >"$OUT/intrin.vemu" 2>&1
    while read -r name hash; do
        v=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/intrin.vemu")
        q=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/intrin.qemu")
        if [ "$v" != "$hash" ]; then
            echo "FAIL: iwmmxt/intrin/$name (host $hash, vemu ${v:-missing})"
        elif [ "$q" != "$hash" ] && [[ " $(echo $QEMU_WRONG) " != *" $name "* ]]; then
            echo "FAIL: iwmmxt/intrin/$name (qemu-arm disagrees with the host reference: $q)"
        else
            echo "PASS: iwmmxt/intrin/$name"
        fi
    done <"$OUT/intrin.host"
    [ -s "$OUT/intrin.host" ] || echo "FAIL: iwmmxt/intrin (no output from the host build)"
else
    echo "FAIL: iwmmxt/intrin-build (see $OUT/intrin.log)"
fi

# ---- signal frames -------------------------------------------------------------
if $CC -mcpu=iwmmxt -O2 -static -Wall -Wextra -o "$OUT/signal" tests/iwmmxt/iwmmxt-signal.c 2>"$OUT/signal.log"; then
    "$ORACLE" -cpu pxa270 "$OUT/signal" >"$OUT/signal.qemu" 2>&1
    "$VEMU" -cpu pxa270 "$OUT/signal" >"$OUT/signal.vemu" 2>&1
    # qemu-arm does not keep wCSSF/wCASF/wCGR0-3: those lines are checked by
    # the program itself (its last line says OK)
    if ! diff <(grep -v 'wC\|^OK\|^FAIL' "$OUT/signal.qemu") <(grep -v 'wC\|^OK\|^FAIL' "$OUT/signal.vemu") \
              >"$OUT/signal.diff"; then
        echo "FAIL: iwmmxt/signal-frame (differs from qemu-arm: $(head -3 "$OUT/signal.diff" | tr '\n' ' '))"
    elif [ "$(tail -1 "$OUT/signal.vemu")" != OK ]; then
        echo "FAIL: iwmmxt/signal-frame ($(tail -1 "$OUT/signal.vemu"))"
    else
        echo "PASS: iwmmxt/signal-frame"
    fi
    # a damaged record: sigreturn refuses it with SIGSEGV (status 139), as qemu-arm
    { "$ORACLE" -cpu pxa270 "$OUT/signal" corrupt >/dev/null 2>&1; q=$?; } 2>/dev/null
    { "$VEMU" -cpu pxa270 "$OUT/signal" corrupt >/dev/null 2>&1; v=$?; } 2>/dev/null
    if [ $v = $q ] && [ $v = 139 ]; then
        echo "PASS: iwmmxt/signal-frame-damaged"
    else
        echo "FAIL: iwmmxt/signal-frame-damaged (vemu status $v, qemu-arm $q)"
    fi
else
    echo "FAIL: iwmmxt/signal-build (see $OUT/signal.log)"
fi

# ---- cpu models ------------------------------------------------------------------
# AT_HWCAP and AT_PLATFORM as qemu-arm; /proc/cpuinfo's first cpu as the kernel
# names an XScale (the PXA26x identify as a PXA250 or PXA255)
if $CC -O2 -static -o "$OUT/cpuinfo" tests/iwmmxt/cpuinfo.c 2>"$OUT/cpuinfo.log"; then
    for cpu in pxa250 pxa255 pxa260 pxa261 pxa262 pxa270 pxa270-a0 pxa270-a1 pxa270-b0 pxa270-b1 \
               pxa270-c0 pxa270-c5; do
        case $cpu in
        pxa250|pxa260) name=XScale-PXA250 ;;
        pxa25*|pxa26*) name=XScale-PXA255 ;;
        *) name=XScale-PXA270 ;;
        esac
        case $cpu in pxa270*) feat="swp half thumb fastmult edsp iwmmxt" ;; *) feat="swp half thumb fastmult edsp" ;; esac
        q=$("$ORACLE" -cpu $cpu "$OUT/cpuinfo")
        v=$("$VEMU" -cpu $cpu "$OUT/cpuinfo" cpuinfo)
        first=$(head -1 <<<"$v")
        model=$(grep -m1 '^model name' <<<"$v")
        if [ "$first" != "$q" ]; then
            echo "FAIL: iwmmxt/auxv-$cpu (vemu '$first', qemu-arm '$q')"
        elif [[ $model != "model name"*": $name rev "*" (v5l)" ]] ||
             [ "$(grep -m1 '^Features' <<<"$v")" != "$(printf 'Features\t: %s ' "$feat")" ] ||
             [ "$(grep -m1 '^CPU implementer' <<<"$v")" != "$(printf 'CPU implementer\t: 0x69')" ] ||
             [ "$(grep -m1 '^CPU architecture' <<<"$v")" != "CPU architecture: 5TE" ]; then
            echo "FAIL: iwmmxt/cpuinfo-$cpu ($(sed -n 2,5p <<<"$v" | tr '\n\t' '| '))"
        else
            echo "PASS: iwmmxt/cpuinfo-$cpu"
        fi
    done
else
    echo "FAIL: iwmmxt/cpuinfo-build (see $OUT/cpuinfo.log)"
fi

# ---- cpu models ------------------------------------------------------------------
if $CC -marm -O2 -static -Wall -Wextra -o "$OUT/models" tests/iwmmxt/xscale-models.c 2>"$OUT/models.log"; then
    "$ORACLE" -cpu pxa270 "$OUT/models" >"$OUT/models.pxa270.qemu" 2>&1
    for cpu in pxa250 pxa255 pxa260 pxa261 pxa262 pxa270 pxa270-a0 pxa270-a1 pxa270-b0 pxa270-b1 \
               pxa270-c0 pxa270-c5 arm926 cortex-a15; do
        case $cpu in
        pxa25*|pxa26*)   # acc0 has 40 bits; nothing beyond acc0 (see xscale-models.c)
            while read -r name lo hi; do
                case $name in
                mar-mra|mia|miaph|miaxy|mia-cond) printf "%-10s %s %08x\n" "$name" "$lo" $((0x$hi & 0xff)) ;;
                *) printf "%-10s SIGILL\n" "$name" ;;
                esac
            done <"$OUT/models.pxa270.qemu" >"$OUT/models.$cpu.expect" ;;
        *) "$ORACLE" -cpu $cpu "$OUT/models" >"$OUT/models.$cpu.expect" 2>&1 ;;
        esac
        "$VEMU" -cpu $cpu "$OUT/models" >"$OUT/models.$cpu.vemu" 2>&1
        if [ -s "$OUT/models.$cpu.expect" ] && cmp -s "$OUT/models.$cpu.expect" "$OUT/models.$cpu.vemu"; then
            echo "PASS: iwmmxt/model-$cpu"
        else
            echo "FAIL: iwmmxt/model-$cpu ($(diff "$OUT/models.$cpu.expect" "$OUT/models.$cpu.vemu" | head -3 | tr '\n' ' '))"
        fi
    done
else
    echo "FAIL: iwmmxt/models-build (see $OUT/models.log)"
fi
exit 0
