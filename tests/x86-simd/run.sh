#!/bin/bash
# SIMD guest programs (MMX, SSE..SSE4.2, AES-NI, PCLMULQDQ, AVX, AVX2, FMA3,
# F16C), the host CPU as the oracle: each program runs natively and under
# vemu-x86_64 (or vemu-i386), and the outputs must be equal.
#   simd-ops      every instruction through its intrinsic over operand
#                 tables, floats in every MXCSR mode (one hash line per
#                 instruction); built legacy-SSE (x86_64 and i386) and
#                 AVX2/FMA/F16C (x86_64).  The i386 build must print what the
#                 native x86_64 SSE build prints for the same instructions.
#   simd-string   glibc's string functions (its SSE2/SSSE3/SSE4.2/AVX2
#                 variants, picked by CPUID: run under -cpu core2duo,
#                 haswell and max) at every alignment near a page end
#   simd-autovec  vectorized loops and libm at -O3 (-msse4.2, -march=x86-64-v3)
#   simd-mxcsr    rounding modes, exception flags, FTZ/DAZ, SIGFPE from an
#                 unmasked exception
#   simd-align    which instructions fault (SIGSEGV) on a misaligned operand
# Prints PASS:/FAIL:/SKIP: lines (tests/run-tests.sh); on a difference the
# first differing instructions (simd-ops -v NAME shows their cases).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VEMU64=${VEMU64:-$BUILD/vemu-x86_64}
VEMU32=${VEMU32:-$BUILD/vemu-i386}
OUT=$BUILD/tests/x86-simd
SRC=tests/x86-simd
CC64=${CC64:-gcc}
CC32=${CC32:-i686-linux-gnu-gcc}
mkdir -p "$OUT"

host_has() { grep -qw "$1" /proc/cpuinfo; }
if [ ! -x "$VEMU64" ]; then
    echo "SKIP: x86-simd/all (no $VEMU64)"
    exit 0
fi
if ! host_has sse4_2 || ! host_has avx2 || ! host_has fma || ! host_has f16c || ! host_has aes || ! host_has pclmulqdq; then
    echo "SKIP: x86-simd/all (the host CPU lacks SSE4.2/AVX2/FMA/F16C/AES/PCLMUL: it is the oracle)"
    exit 0
fi

# vemu must run a plain static C program first (the integer instructions
# and the system calls are other units' work): else there is nothing to test
printf '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n' > "$OUT/hello.c"
if ! gcc -O2 -static -o "$OUT/hello" "$OUT/hello.c" 2>/dev/null; then
    echo "SKIP: x86-simd/all (cannot build a static x86_64 program)"
    exit 0
fi
hello=$(timeout 30 "$VEMU64" "$OUT/hello" 2>&1); rc=$?
if [ "$hello" != ok ]; then
    echo "SKIP: x86-simd/all ($VEMU64 cannot run a static hello world yet: exit status $rc)"
    exit 0
fi

# build name compiler flags... source
build() {
    local name=$1 cc=$2 src=$3; shift 3
    local exe=$OUT/$name
    if [ ! -x "$exe" ] || [ "$SRC/$src" -nt "$exe" ] || [ "$SRC/simd-ops.inc" -nt "$exe" ]; then
        if ! $cc "$@" -o "$exe" "$SRC/$src" -lm 2>"$exe.log"; then
            echo "FAIL: x86-simd/build-$name"
            head -5 "$exe.log"
            return 1
        fi
    fi
}

# compare name reference-file command...: one test
compare() {
    local name=$1 ref=$2; shift 2
    if timeout 300 "$@" > "$OUT/$name.vemu" 2>&1 && cmp -s "$ref" "$OUT/$name.vemu"; then
        echo "PASS: x86-simd/$name"
    else
        echo "FAIL: x86-simd/$name"
        diff "$ref" "$OUT/$name.vemu" | head -10
    fi
}

# simd-ops: per build one test; the differing instruction names on failure
# ops name reference not-built-regex command...
ops() {
    local name=$1 ref=$2 absent=$3; shift 3
    timeout 600 "$@" > "$OUT/$name.vemu" 2>&1
    local bad
    bad=$(awk -v absent="$absent" 'NR == FNR { want[$1] = $0; next }
               ($1 in want) && want[$1] != $0 { print $1 } { seen[$1] = 1 }
               END { for (k in want) if (!(k in seen) && (absent == "" || k !~ absent)) print k " (missing)" }' \
          "$ref" "$OUT/$name.vemu")
    local n
    n=$(wc -l < "$OUT/$name.vemu")
    if [ -z "$bad" ] && [ "$n" -gt 100 ]; then
        echo "PASS: x86-simd/$name ($n instructions)"
    else
        echo "FAIL: x86-simd/$name"
        echo "$bad" | head -15
        tail -3 "$OUT/$name.vemu"
    fi
}

SSE="-O2 -msse4.2 -maes -mpclmul -Wall"
AVX="-O2 -mavx2 -mfma -mf16c -maes -mpclmul -Wall"
build ops-sse64 "$CC64" simd-ops.c $SSE -static &&
    { "$OUT/ops-sse64" > "$OUT/ops-sse64.native"; ops ops-sse64 "$OUT/ops-sse64.native" "" "$VEMU64" "$OUT/ops-sse64"; }
build ops-avx64 "$CC64" simd-ops.c $AVX &&
    { "$OUT/ops-avx64" > "$OUT/ops-avx64.native"; ops ops-avx64 "$OUT/ops-avx64.native" "" "$VEMU64" "$OUT/ops-avx64"; }
if command -v "$CC32" >/dev/null && [ -x "$VEMU32" ]; then
    # The i386 build (scalar floats in SSE registers, not x87, so that no
    # value is quieted on the way) must print what the native x86_64 build
    # prints, but for the instructions only 64-bit code has.  (qemu-i386 is
    # no oracle here: its SSE flags and DAZ/FTZ differ from the hardware.)
    build ops-sse32 "$CC32" simd-ops.c $SSE -mfpmath=sse -static && [ -s "$OUT/ops-sse64.native" ] &&
        ops ops-sse32 "$OUT/ops-sse64.native" '^(cvtsi64_s[sd]|cvtt?s[sd]_si64|extract_epi64|insert_epi64|cvtsi64_si128)$' \
            "$VEMU32" "$OUT/ops-sse32"
else
    echo "SKIP: x86-simd/ops-sse32 (needs $CC32 and $VEMU32)"
fi

build string64 "$CC64" simd-string.c -O2 -Wall && "$OUT/string64" > "$OUT/string64.native" && {
    for cpu in core2duo haswell max; do
        compare "string-$cpu" "$OUT/string64.native" "$VEMU64" -cpu $cpu "$OUT/string64"
    done
}
# i386: glibc's 32-bit SSE2/SSSE3/SSE4.2/AVX2 string functions
if command -v "$CC32" >/dev/null && [ -x "$VEMU32" ] && [ -s "$OUT/string64.native" ]; then
    build string32 "$CC32" simd-string.c -O2 -static -Wall && for cpu in pentium3 core2duo haswell; do
        compare "string32-$cpu" "$OUT/string64.native" "$VEMU32" -cpu $cpu "$OUT/string32"
    done
fi
build autovec-sse "$CC64" simd-autovec.c -O3 -msse4.2 -Wall && "$OUT/autovec-sse" > "$OUT/autovec-sse.native" &&
    compare autovec-sse "$OUT/autovec-sse.native" "$VEMU64" "$OUT/autovec-sse"
build autovec-v3 "$CC64" simd-autovec.c -O3 -march=x86-64-v3 -Wall && "$OUT/autovec-v3" > "$OUT/autovec-v3.native" &&
    compare autovec-v3 "$OUT/autovec-v3.native" "$VEMU64" "$OUT/autovec-v3"
build align64 "$CC64" simd-align.c -O2 -Wall && "$OUT/align64" > "$OUT/align64.native" &&
    compare align64 "$OUT/align64.native" "$VEMU64" "$OUT/align64"
build mxcsr64 "$CC64" simd-mxcsr.c -O2 -Wall && "$OUT/mxcsr64" > "$OUT/mxcsr64.native" &&
    compare mxcsr64 "$OUT/mxcsr64.native" "$VEMU64" "$OUT/mxcsr64"
exit 0
