#!/bin/bash
# The x87 unit end to end (docs/x87.md).
#  1. x87-kernels.S, an x86_64 program without a C library (x87 arithmetic,
#     transcendental instructions, every rounding and precision mode, FPREM,
#     BCD, compares, stack faults, FNSAVE and FNSTENV images), printed as
#     raw hex: the output under vemu-x86_64 (translated and -accel interp)
#     must equal the native run's byte for byte, FNSAVE's instruction
#     pointer and opcode included (the program is static: same addresses;
#     FCS/FDP/FDS, which x86 models store differently, are cleared).
#  2. ldmath.c, long double and double arithmetic in every rounding mode and
#     the C library's long double functions, printed exactly (%La):
#     - i686 builds (gcc uses the x87 for all float math; static -O0/-O2,
#       dynamic -O2) under vemu-i386 against qemu-i386, and against the
#       x86_64 build run natively (except the H lines: double libm
#       functions, which i386's and x86_64's glibc implement differently);
#     - x86_64 builds with -mfpmath=387 (static and dynamic) under
#       vemu-x86_64 against the native run.
#  3. fpe.c, an unmasked x87 zero divide: SIGFPE with FPE_FLTDIV at the
#     next waiting instruction, i686 and x86_64 builds against the x86_64
#     native run (qemu-i386 raises no x87 exceptions).
#  4. fault.c, a SIGSEGV while values sit on the host's x87 stack (the
#     fast path): the handler's ucontext must show the guest's registers,
#     i686 and x86_64 builds against the x86_64 native run.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU64=${VEMU64:-$BUILD/vemu-x86_64}
VEMU32=${VEMU32:-$BUILD/vemu-i386}
OUT=$BUILD/tests/x87
CC64=${CC_X86_64:-gcc}
CC32=${CC_I686:-i686-linux-gnu-gcc}
SYSROOT32=${I686_SYSROOT:-/usr/i686-linux-gnu}

if [ "$(uname -m)" != x86_64 ]; then
    echo "SKIP: x87/all (the oracle is an x86_64 host)"
    exit 0
fi
mkdir -p "$OUT"

build() {   # out src cc libs flags...
    local out=$1 src=$2 cc=$3 libs=$4; shift 4
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
        if ! "$cc" "$@" -o "$out" "$src" $libs 2>"$out.log"; then
            echo "FAIL: x87/build-$(basename "$out")"; cat "$out.log"; return 1
        fi
    fi
}

check() {   # name want-file got-file
    if cmp -s "$2" "$3"; then
        echo "PASS: $1"
    else
        echo "FAIL: $1"
        diff "$2" "$3" | head -10
    fi
}

run_vemu() {   # out-file vemu args...
    local out=$1; shift
    timeout 300 "$@" > "$out" 2>"$out.err" || { echo "(exit status $?)" >> "$out"; head -5 "$out.err" >> "$out"; }
}

# 1. the kernels
if [ -x "$VEMU64" ]; then
    exe=$OUT/x87-kernels
    if build "$exe" tests/x87/x87-kernels.S "$CC64" "" -nostdlib -static -no-pie; then
        "$exe" > "$OUT/kernels.native"
        for mode in tcg interp; do
            run_vemu "$OUT/kernels.$mode" "$VEMU64" -accel "$mode" "$exe"
            check "x87/kernels-x86_64-$mode" "$OUT/kernels.native" "$OUT/kernels.$mode"
        done
    fi
else
    echo "SKIP: x87/kernels (needs $VEMU64)"
fi

# 2. ldmath: the x86_64 reference
ref64=$OUT/ldmath-64.native
if build "$OUT/ldmath-64" tests/x87/ldmath.c "$CC64" -lm -O2 -static -mfpmath=387; then
    "$OUT/ldmath-64" > "$ref64"
    grep -v '^H ' "$ref64" > "$ref64.noH"
fi
if [ -x "$VEMU64" ]; then
    for v in static dynamic; do
        exe=$OUT/ldmath-64-$v
        flags=(-O2 -mfpmath=387); [ $v = static ] && flags+=(-static)
        build "$exe" tests/x87/ldmath.c "$CC64" -lm "${flags[@]}" || continue
        "$exe" > "$exe.native"
        run_vemu "$exe.vemu" "$VEMU64" "$exe"
        check "x87/ldmath-x86_64-$v" "$exe.native" "$exe.vemu"
    done
fi
if [ -x "$VEMU32" ] && command -v "$CC32" >/dev/null; then
    have_qemu=0; command -v qemu-i386 >/dev/null && have_qemu=1
    for v in static-O0 static-O2 dynamic-O2; do
        exe=$OUT/ldmath-32-$v
        flags=(-${v##*-}); [ "${v%%-*}" = static ] && flags+=(-static)
        build "$exe" tests/x87/ldmath.c "$CC32" -lm "${flags[@]}" || continue
        run_vemu "$exe.vemu" "$VEMU32" -L "$SYSROOT32" "$exe"
        if [ $have_qemu = 1 ]; then
            qemu-i386 -L "$SYSROOT32" "$exe" > "$exe.qemu" 2>&1
            check "x87/ldmath-i386-$v-vs-qemu" "$exe.qemu" "$exe.vemu"
        else
            echo "SKIP: x87/ldmath-i386-$v-vs-qemu (no qemu-i386)"
        fi
        grep -v '^H ' "$exe.vemu" > "$exe.vemu.noH"
        check "x87/ldmath-i386-$v-vs-x86_64" "$ref64.noH" "$exe.vemu.noH"
    done
else
    echo "SKIP: x87/ldmath-i386 (needs $VEMU32 and $CC32)"
fi

# 3. fpe: an unmasked exception delivered as SIGFPE
if build "$OUT/fpe-64" tests/x87/fpe.c "$CC64" -lm -O2 -static; then
    { "$OUT/fpe-64"; echo "exit $?"; } > "$OUT/fpe.native" 2>&1
    if [ -x "$VEMU64" ]; then
        { "$VEMU64" "$OUT/fpe-64"; echo "exit $?"; } > "$OUT/fpe-64.vemu" 2>&1
        check "x87/fpe-x86_64" "$OUT/fpe.native" "$OUT/fpe-64.vemu"
    fi
    if [ -x "$VEMU32" ] && command -v "$CC32" >/dev/null &&
            build "$OUT/fpe-32" tests/x87/fpe.c "$CC32" -lm -O2 -static; then
        { "$VEMU32" "$OUT/fpe-32"; echo "exit $?"; } > "$OUT/fpe-32.vemu" 2>&1
        check "x87/fpe-i386" "$OUT/fpe.native" "$OUT/fpe-32.vemu"
    fi
fi

# 4. fault: a guest SIGSEGV while x87 values live on the host's x87 stack
#    (the fast path, docs/x87.md): the handler's ucontext shows them
if build "$OUT/fault-64" tests/x87/fault.c "$CC64" -O2 -static; then
    { "$OUT/fault-64"; echo "exit $?"; } > "$OUT/fault.native" 2>&1
    if [ -x "$VEMU64" ]; then
        { "$VEMU64" "$OUT/fault-64"; echo "exit $?"; } > "$OUT/fault-64.vemu" 2>&1
        check "x87/fault-x86_64" "$OUT/fault.native" "$OUT/fault-64.vemu"
    fi
    if [ -x "$VEMU32" ] && command -v "$CC32" >/dev/null &&
            build "$OUT/fault-32" tests/x87/fault.c "$CC32" -O2 -static; then
        { "$VEMU32" "$OUT/fault-32"; echo "exit $?"; } > "$OUT/fault-32.vemu" 2>&1
        check "x87/fault-i386" "$OUT/fault.native" "$OUT/fault-32.vemu"
    fi
fi
