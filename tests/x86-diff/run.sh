#!/bin/bash
# tests/x86-diff/run.sh — the random-instruction differential tester
# (x86-diff.c): the same harness binary with the same seed runs natively and
# under the emulator; every class of instructions must print the same
# per-case hashes of the final state (registers, flags minus the undefined
# ones, x87/MMX, SSE/AVX, MXCSR, scratch memory).
#   x86_64: build/vemu-x86_64 x86-diff-64 vs x86-diff-64 natively;
#   i386:   build/vemu-i386 x86-diff-32 vs x86-diff-64 -m 32 natively: the
#           i386 sequences use only encodings that mean the same in 64-bit
#           mode, so the host is the oracle for them too (qemu-i386 agrees
#           with it on the integer classes; its x87 and MXCSR flags do not).
# On a difference the suite finds the first differing case and instruction
# (`-t CASE`, `-p CASE J`) and prints the instruction (objdump) and the state
# lines that differ.
#
# Prints PASS:/FAIL:/SKIP: x86-diff/<arch>/<class>.
# Environment: BUILD; VEMU_X86_64, VEMU_I386 (the emulators; qemu-x86_64 /
# qemu-i386 check the suite itself); X86DIFF_CLASSES (default: all of them);
# X86DIFF_SEED (default 1), X86DIFF_CASES (default 300), X86DIFF_LEN
# (instructions per case, default 30), X86DIFF_ARCHES ("x86_64 i386"),
# X86DIFF_TIMEOUT (seconds per run, default 20; narrowing runs get 10;
# after 3 timeouts of one architecture its remaining classes FAIL unrun, to
# keep a hanging emulator from taking the suite past a few minutes).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
OUT=$BUILD/tests/x86-diff
VEMU64=${VEMU_X86_64:-$BUILD/vemu-x86_64}
VEMU32=${VEMU_I386:-$BUILD/vemu-i386}
CLASSES=${X86DIFF_CLASSES:-int shift muldiv bit bmi cmov string sse avx mmx x87 x87t}
SEED=${X86DIFF_SEED:-1}
CASES=${X86DIFF_CASES:-300}
LEN=${X86DIFF_LEN:-30}
ARCHES=${X86DIFF_ARCHES:-x86_64 i386}
TIMEOUT=${X86DIFF_TIMEOUT:-20}   # natively each class takes well under a second
mkdir -p "$OUT"
ulimit -c 0

SRCS="$HERE/x86-diff.c $HERE/x86-diff-table.c $HERE/x86-diff-run.S"
CFLAGS="-O2 -static -Wall -Wextra -Wno-missing-field-initializers"
build() {   # compiler output [flags]
    local cc=$1 out=$2; shift 2
    local newer=0 s
    for s in $SRCS "$HERE/x86-diff.h" "$HERE/x86-diff-table.h"; do [ "$s" -nt "$out" ] && newer=1; done
    [ -x "$out" ] && [ $newer = 0 ] && return 0
    $cc $CFLAGS "$@" -o "$out" $SRCS >"$out.log" 2>&1
}
H64=$OUT/x86-diff-64
H32=$OUT/x86-diff-32
missing64="" missing32=""
if ! command -v gcc >/dev/null; then missing64="gcc not installed"; missing32=$missing64
elif ! build gcc "$H64"; then
    for a in $ARCHES; do for c in $CLASSES; do echo "FAIL: x86-diff/$a/$c (the harness does not build: $(head -c 200 "$H64.log"))"; done; done
    exit 0
fi
if [ -z "$missing32" ]; then
    if ! command -v i686-linux-gnu-gcc >/dev/null; then missing32="i686-linux-gnu-gcc not installed"
    elif ! build i686-linux-gnu-gcc "$H32" -fno-pie -no-pie; then
        for c in $CLASSES; do echo "FAIL: x86-diff/i386/$c (the i386 harness does not build: $(head -c 200 "$H32.log"))"; done
        missing32="build failed"
    fi
fi
[ -x "$VEMU64" ] || command -v "$VEMU64" >/dev/null || missing64=${missing64:-"vemu-x86_64 not built ($VEMU64)"}
[ -x "$VEMU32" ] || command -v "$VEMU32" >/dev/null || missing32=${missing32:-"vemu-i386 not built ($VEMU32)"}

# narrow ARCH CLASS ORACLE-CMD... -- EMU-CMD...: first differing case and instruction
narrow() {
    local arch=$1 cls=$2 dir=$3 k j
    # the first case whose line differs or is missing (the emulator died or hung there)
    k=$(awk 'NR == FNR { a[FNR] = $0; n = FNR; next } { m++ } a[FNR] != $0 { print $2; f = 1; exit }
             END { if (!f && m < n) print m + 0 }' "$dir/oracle" "$dir/emu")
    [ -n "$k" ] || { echo "    (no differing case line)"; return; }
    "${ORACLE[@]}" -c "$cls" -s "$SEED" -l "$LEN" -t "$k" >"$dir/oracle.t" 2>&1
    timeout 10 "${EMU[@]}" -c "$cls" -s "$SEED" -l "$LEN" -t "$k" >"$dir/emu.t" 2>&1
    j=$(awk 'NR == FNR { a[FNR] = $0; n = FNR; next } { m++ } a[FNR] != $0 { print $2; f = 1; exit }
             END { if (!f && m < n) print m + 1 }' "$dir/oracle.t" "$dir/emu.t")
    [ -n "$j" ] || j=$LEN
    "${ORACLE[@]}" -c "$cls" -s "$SEED" -l "$LEN" -p "$k" "$j" >"$dir/oracle.p" 2>&1
    timeout 10 "${EMU[@]}" -c "$cls" -s "$SEED" -l "$LEN" -p "$k" "$j" >"$dir/emu.p" 2>&1
    echo "    first difference: case $k, after instruction $j: $(sed -n 1p "$dir/oracle.p" | sed 's/.*: //')"
    local bytes
    bytes=$(sed -n 's/^  bytes *//p' "$dir/oracle.p")
    echo "    bytes: $bytes"
    if command -v objdump >/dev/null && [ -n "$bytes" ]; then
        printf '%s' "$bytes" | xxd -r -p >"$dir/insn.bin" 2>/dev/null &&
        objdump -D -b binary -m "$([ "$arch" = x86_64 ] && echo i386:x86-64 || echo i386)" "$dir/insn.bin" |
            sed -n '/^ *[0-9a-f]*:/p' | sed 's/^/    /'
    fi
    echo "    state after it (host < > emulator):"
    diff "$dir/oracle.p" "$dir/emu.p" | grep '^[<>]' | head -8 | sed 's/^/    /'
    echo "    rerun: ${EMU[*]} -c $cls -s $SEED -l $LEN -p $k $j"
}

for arch in $ARCHES; do
    if [ "$arch" = x86_64 ]; then miss=$missing64; ORACLE=("$H64"); EMU=("$VEMU64" "$H64")
    else miss=$missing32; ORACLE=("$H64" -m 32); EMU=("$VEMU32" "$H32"); fi
    hangs=0
    for cls in $CLASSES; do
        t="x86-diff/$arch/$cls"
        if [ -n "$miss" ]; then echo "SKIP: $t ($miss)"; continue; fi
        if [ $hangs -ge 3 ]; then echo "FAIL: $t (not run: the emulator already timed out on 3 classes of $arch)"; continue; fi
        dir=$OUT/$arch-$cls
        mkdir -p "$dir"
        "${ORACLE[@]}" -c "$cls" -s "$SEED" -n "$CASES" -l "$LEN" >"$dir/oracle" 2>&1
        timeout "$TIMEOUT" "${EMU[@]}" -c "$cls" -s "$SEED" -n "$CASES" -l "$LEN" >"$dir/emu" 2>"$dir/emu.err"
        rc=$?
        [ $rc = 124 ] && { echo "(timed out after ${TIMEOUT}s)" >>"$dir/emu.err"; hangs=$((hangs + 1)); }
        [ $rc -gt 128 ] && [ $rc != 124 ] && echo "(killed by signal $((rc - 128)))" >>"$dir/emu.err"
        if [ $rc = 0 ] && cmp -s "$dir/oracle" "$dir/emu"; then
            echo "PASS: $t"
        else
            n=$(awk 'NR == FNR { a[FNR] = $0; t = FNR; next } { m++ } a[FNR] != $0 { n++ } END { print n + t - m - 1 }' "$dir/oracle" "$dir/emu")
            echo "FAIL: $t (exit $rc; $n of $CASES cases differ or are missing)"
            head -3 "$dir/emu.err" | sed 's/^/    stderr: /'
            narrow "$arch" "$cls" "$dir"
        fi
    done
done
exit 0
