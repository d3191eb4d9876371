#!/bin/bash
# tests/x86-user/run.sh — x86 guest programs (tests/x86-user/*.c, *.S, *.cc)
# built at test time for x86_64 (gcc) and i386 (i686-linux-gnu-gcc), static
# and dynamic, -O0 and -O2, and for x86_64 also -march=x86-64-v3; each runs
# under the emulator and under the oracle, stdout and exit status compared
# byte for byte:
#   x86_64: the host runs the same binary natively;
#   i386:   the kernel here runs no 32-bit programs; lines the program marks
#           "w:" (word-size dependent) must equal qemu-i386's run of the same
#           binary, every other line the native run of the x86_64 build of
#           the same program and variant (merge-i386.awk): the host CPU is
#           exact where qemu-i386 is not (its x87 denormals under precision
#           control and stack overflow, MXCSR's denormal flag, blsi's CF,
#           the x87 control word across a signal, writes through a second
#           mapping of code).
# Prints one line per program and variant:
#     PASS: x86-user/<arch>/<prog>-<variant>
#     FAIL: x86-user/<arch>/<prog>-<variant> (why) + the first differences
#     SKIP: ... (reason)
# Programs print hash lines for big tables ("NAME HASH"); on a difference the
# suite reruns both sides with `-v NAME` and shows the first differing case.
#
# Environment:
#   BUILD          build directory (default build); binaries and outputs in $BUILD/tests/x86-user
#   VEMU_X86_64    emulator for x86_64 guests (default $BUILD/vemu-x86_64)
#   VEMU_I386      emulator for i386 guests (default $BUILD/vemu-i386)
#                  (VEMU_X86_64=qemu-x86_64 VEMU_I386=qemu-i386 checks the suite itself)
#   X86U_ARCHES    "x86_64 i386" (default)
#   X86U_FILTER    only tests whose name contains this string
#   X86U_TIMEOUT   seconds per emulator run (default 60; natively every program takes seconds)
#   X86U_JOBS      runs in parallel (default 2)
#   X86U_SKIP      "arch/name ..." not run, a SKIP each with the reason X86U_SKIP_WHY
#                  (a limit of the environment the caller runs the emulator in)
#   X86U_X87_FAITHFUL=1  the emulator's x87 transcendentals are the portable
#                  float80 library (an aarch64 build): their groups may be one
#                  ulp from the host's x87, which is only faithful (x87-faithful.py)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/tests/x86-user ;; *) OUT=$PWD/$BUILD/tests/x86-user ;; esac
VEMU64=${VEMU_X86_64:-$BUILD/vemu-x86_64}
VEMU32=${VEMU_I386:-$BUILD/vemu-i386}
ARCHES=${X86U_ARCHES:-x86_64 i386}
FILTER=${X86U_FILTER:-}
TIMEOUT=${X86U_TIMEOUT:-60}
ORACLE_TIMEOUT=${X86U_ORACLE_TIMEOUT:-30}   # qemu-i386 runs these in seconds or hangs
JOBS=${X86U_JOBS:-2}
I386_SYSROOT=${I386_SYSROOT:-/usr/i686-linux-gnu}
mkdir -p "$OUT/bin" "$OUT/run"
ulimit -c 0

abspath() {   # a relative emulator path must survive cd into a scratch dir
    case "$1" in
    */*) [ -e "$1" ] && echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" || echo "$1" ;;
    *) command -v "$1" || echo "$1" ;;
    esac
}
VEMU64=$(abspath "$VEMU64")
VEMU32=$(abspath "$VEMU32")

# The sanitizer pass (BUILD=*-san) runs one static and one dynamic build per
# program and arch (the -O0 and x86-64-v3 builds add instructions, which the
# normal pass covers, not vemu code paths the sanitizers could check).
SAN=0
case "$BUILD" in *-san|*-san/) SAN=1 ;; esac
variants() {   # arch -> variant names
    case "$SAN:$1" in
    0:x86_64) echo "s-O0 s-O2 d-O2 v3" ;;
    0:i386) echo "s-O0 s-O2 d-O2" ;;
    1:*) echo "s-O2 d-O2" ;;
    esac
}
variant_flags() {   # variant -> compiler flags
    case "$1" in
    s-O0) echo "-static -O0" ;;
    s-O2) echo "-static -O2" ;;
    d-O2) echo "-O2" ;;
    v3) echo "-static -O2 -march=x86-64-v3" ;;
    esac
}

# ---- the test list: arch prog variant source cflags libs args -----------------
TESTS=$OUT/tests.txt
: >"$TESTS"
while read -r name src arches cflags libs args; do
    case "$name" in ''|'#'*) continue ;; esac
    for arch in $ARCHES; do
        [ "$arches" = both ] || [ "$arches" = "$arch" ] || continue
        for v in $(variants "$arch"); do
            case "$src" in *.S) [ "$v" = s-O2 ] || continue ;; esac     # assembly: one static build
            case "$src" in *.cc) [ "$v" = s-O2 ] || [ "$v" = d-O2 ] || continue ;; esac
            [ -z "$FILTER" ] || [[ "$arch/$name-$v" == *"$FILTER"* ]] || continue
            echo "$arch $name $v $src $cflags $libs $args" >>"$TESTS"
        done
    done
done <"$HERE/programs.list"

# ---- what is missing: whole arches are skipped ---------------------------------
declare -A MISSING
for arch in $ARCHES; do
    if [ "$arch" = x86_64 ]; then
        command -v gcc >/dev/null || MISSING[$arch]="gcc not installed"
        [ -x "$VEMU64" ] || MISSING[$arch]=${MISSING[$arch]:-"vemu-x86_64 not built ($VEMU64)"}
    else
        command -v i686-linux-gnu-gcc >/dev/null || MISSING[$arch]="i686-linux-gnu-gcc not installed (scripts/setup-deps.sh)"
        command -v qemu-i386 >/dev/null || MISSING[$arch]=${MISSING[$arch]:-"qemu-i386 (the oracle) not installed"}
        command -v gcc >/dev/null || MISSING[$arch]=${MISSING[$arch]:-"gcc (the x86_64 oracle build) not installed"}
        [ -x "$VEMU32" ] || MISSING[$arch]=${MISSING[$arch]:-"vemu-i386 not built ($VEMU32)"}
    fi
done

# ---- build ----------------------------------------------------------------------
# i386 lines are compared with the x86_64 build of the same program and variant,
# so an i386 test needs that build too (hello: hello64.S is hello32.S's twin).
build_one() {   # arch name variant src cflags libs -> prints the binary's path or fails
    local arch=$1 name=$2 v=$3 src=$4 cflags=$5 libs=$6
    local exe=$OUT/bin/$arch/$name-$v cc flags
    mkdir -p "$OUT/bin/$arch"
    if [ -x "$exe" ] && [ "$exe" -nt "$HERE/$src" ] && [ "$exe" -nt "$HERE/x86u.h" ] && [ "$exe" -nt "$HERE/programs.list" ]; then
        echo "$exe"; return 0
    fi
    flags=$(variant_flags "$v")
    [ "$cflags" = - ] && cflags=""
    [ "$libs" = - ] && libs=""
    case "$arch:$src" in
    x86_64:*.cc) cc=g++ ;;
    x86_64:*) cc=gcc ;;
    i386:*) cc=i686-linux-gnu-gcc ;;
    esac
    case "$src" in *.S) flags="-static -nostdlib" ;; esac
    if ! $cc $flags ${cflags//,/ } -Wall -o "$exe" "$HERE/$src" ${libs//,/ } >"$exe.log" 2>&1; then
        rm -f "$exe"
        return 1
    fi
    echo "$exe"
}

# ---- run one side --------------------------------------------------------------
# run_side how exe args outfile: how = native | qemu-i386 | emu:<path> ; dynamic
# i386 programs get -L (the cross C library's root) under qemu-i386 and vemu-i386.
run_side() {
    local how=$1 exe=$2 args=$3 out=$4 dir
    local -a argv=()
    if [ "$args" != - ]; then IFS=, read -r -a argv <<<"$args,"; fi
    dir=$(mktemp -d "$OUT/run/tmp.XXXXXX")
    local -a pre=()
    case "$how" in
    native) ;;
    # LD_LIBRARY_PATH: without it the cross toolchain's ld.so finds the
    # host's /lib32 (libc6-i386, another glibc build) through ld.so.cache
    # and threaded programs hang in pthread_create (under qemu-i386 too)
    qemu-i386) pre=(qemu-i386 -L "$I386_SYSROOT" -E LD_LIBRARY_PATH="$I386_SYSROOT/lib") ;;
    emu:*) pre=("${how#emu:}")
           case "$exe" in */i386/*) pre+=(-L "$I386_SYSROOT" -E LD_LIBRARY_PATH="$I386_SYSROOT/lib") ;; esac ;;
    esac
    (
        cd "$dir" || exit 99
        X86U_A=1 X86U_B="two words" timeout -k 5 "$TIMEOUT" "${pre[@]}" "$exe" "${argv[@]}" </dev/null >"$out" 2>"$out.err"
        rc=$?
        if [ $rc -eq 124 ]; then echo "== timeout after ${TIMEOUT}s" >>"$out"
        elif [ $rc -gt 128 ]; then echo "== signal $((rc - 128))" >>"$out"
        else echo "== exit $rc" >>"$out"; fi
    )
    rm -rf "$dir"
}

# ---- one test ------------------------------------------------------------------
run_test() {   # arch name variant src cflags libs args
    local arch=$1 name=$2 v=$3 src=$4 cflags=$5 libs=$6 args=$7
    local t="x86-user/$arch/$name-$v" d=$OUT/run/$arch-$name-$v exe twin expected
    rm -rf "$d"; mkdir -p "$d"
    if ! exe=$(build_one "$arch" "$name" "$v" "$src" "$cflags" "$libs"); then
        echo "FAIL: $t (does not build: $(head -c 300 "$OUT/bin/$arch/$name-$v.log" | tr '\n' ' '))"
        return
    fi
    if [ "$arch" = x86_64 ]; then
        run_side native "$exe" "$args" "$d/oracle"
        expected=$d/oracle
        run_side "emu:$VEMU64" "$exe" "$args" "$d/vemu"
    else
        local tsrc=$src
        case "$src" in hello32.S) tsrc=hello64.S ;; esac
        if ! twin=$(build_one x86_64 "$name" "$v" "$tsrc" "$cflags" "$libs"); then
            echo "FAIL: $t (the x86_64 twin does not build: $(head -c 300 "$OUT/bin/x86_64/$name-$v.log" | tr '\n' ' '))"
            return
        fi
        run_side native "$twin" "$args" "$d/native64"
        TIMEOUT=$ORACLE_TIMEOUT run_side qemu-i386 "$exe" "$args" "$d/qemu"
        if grep -q '^w: ' "$d/qemu"; then
            awk -f "$HERE/merge-i386.awk" "$d/native64" "$d/qemu" >"$d/expected" 2>"$d/merge.err"
        else   # nothing word-size dependent: the x86_64 build decides every line
            grep -v '^w: ' "$d/native64" >"$d/expected"
        fi
        expected=$d/expected
        run_side "emu:$VEMU32" "$exe" "$args" "$d/vemu"
    fi
    # qemu-i386 hangs on some threaded dynamic programs: then only the lines
    # the x86_64 build decides (all but "w:") are compared.
    local partial=""
    if [ "$arch" = i386 ] && grep -q '^== timeout' "$d/qemu"; then
        partial=" (qemu-i386 timed out: w: lines unchecked)"
        grep -v '^w: ' "$d/native64" >"$d/expected"
        grep -v '^w: ' "$d/vemu" >"$d/vemu.cmp"
    else
        cp "$d/vemu" "$d/vemu.cmp"
    fi
    if cmp -s "$expected" "$d/vemu.cmp"; then
        echo "PASS: $t"
        [ -n "$partial" ] && echo "    note: $t$partial"
        return
    fi
    # An emulator whose x87 transcendentals are the portable float80 library
    # (X86U_X87_FAITHFUL=1: the aarch64 tier) rounds them correctly where
    # the host's x87 is only faithful: when the only differing lines are
    # those groups' hashes, their cases are compared with one ulp allowed
    # (x87-faithful.py, docs/x87.md).
    if [ "${X86U_X87_FAITHFUL:-0}" = 1 ] && faithful_x87 "$arch" "$exe" "$twin" "$expected" "$d"; then
        echo "PASS: $t ($(cat "$d/faithful.note"))"
        return
    fi
    local why="output differs$partial"
    grep -q '^== timeout' "$d/vemu" && why="timeout"
    grep -q '#ORACLE-MISMATCH' "$d/merge.err" 2>/dev/null && why="$why; qemu-i386 and the x86_64 build print different line counts"
    echo "FAIL: $t ($why)"
    firstdiff "$expected" "$d/vemu.cmp" 3
    # a hash line: show the first differing case of that group
    local grp
    grp=$(awk 'NR == FNR { a[FNR] = $0; next } a[FNR] != $0 { print a[FNR]; exit }' "$expected" "$d/vemu.cmp" |
          sed -nE 's/^(w: )?([^ ]+) [0-9a-f]{16}$/\2/p')
    if [ -n "$grp" ]; then
        local ref=$exe how=native first
        first=$(awk 'NR == FNR { a[FNR] = $0; next } a[FNR] != $0 { print a[FNR]; exit }' "$expected" "$d/vemu.cmp")
        if [ "$arch" = i386 ]; then
            case "$first" in "w: "*) ref=$exe; how=qemu-i386 ;; *) ref=$twin ;; esac
        fi
        run_side "$how" "$ref" "-v,$grp" "$d/ref-v"
        run_side "emu:$([ "$arch" = i386 ] && echo "$VEMU32" || echo "$VEMU64")" "$exe" "-v,$grp" "$d/vemu-v"
        echo "    first differing case of $grp:"
        firstdiff <(grep -v ' [0-9a-f]\{16\}$' "$d/ref-v") <(grep -v ' [0-9a-f]\{16\}$' "$d/vemu-v") 2
    fi
    [ -s "$d/vemu.err" ] && head -3 "$d/vemu.err" | sed 's/^/    stderr: /'
}

# faithful_x87 arch exe twin expected dir: true when every line that differs
# between expected and dir/vemu.cmp is the hash of an x87 transcendental
# group and each such group's cases agree within one ulp (and C1); the
# groups and counts go to dir/faithful.note.
X87_TRANS="x87.fsin x87.fcos x87.fsincos x87.fptan x87.f2xm1 x87.fpatan x87.fyl2x x87.fyl2xp1"
faithful_x87() {
    local arch=$1 exe=$2 twin=$3 expected=$4 d=$5 groups g ref=$2 note=""
    [ "$arch" = i386 ] && ref=$twin
    groups=$(awk 'NR == FNR { a[FNR] = $0; n = FNR; next } { b[FNR] = $0; m = FNR }
        END { if (n != m) { print "-"; exit } for (i = 1; i <= n; i++) if (a[i] != b[i]) print a[i] }' "$expected" "$d/vemu.cmp" |
        awk '{ if (NF != 2 || $2 !~ /^[0-9a-f]+$/) { print "-"; exit } print $1 }')
    [ -n "$groups" ] || return 1
    for g in $groups; do
        case " $X87_TRANS " in *" $g "*) ;; *) return 1 ;; esac
    done
    for g in $groups; do
        run_side native "$ref" "-v,$g" "$d/ref-$g"
        run_side "emu:$([ "$arch" = i386 ] && echo "$VEMU32" || echo "$VEMU64")" "$exe" "-v,$g" "$d/vemu-$g"
        # only the group's own case lines (every group's hash is printed too)
        python3 "$HERE/x87-faithful.py" "$d/ref-$g" "$d/vemu-$g" >"$d/faithful-$g" 2>&1 || return 1
        note="$note${note:+, }$g $(head -1 "$d/faithful-$g")"
    done
    echo "one ulp from the host's x87 in $note cases: the portable float80 library rounds correctly, the x87 is faithful, docs/x87.md" >"$d/faithful.note"
    return 0
}

firstdiff() {   # A B N: the first N lines that differ, side by side
    awk -v n="$3" 'NR == FNR { a[FNR] = $0; na = FNR; next }
        { nb = FNR; if (a[FNR] != $0 && k < n) { print "    oracle: " a[FNR]; print "    vemu:   " $0; k++ } }
        END { if (k < n && na != nb) print "    (oracle " na " lines, vemu " nb " lines)" }' "$1" "$2"
}

run_test_atomic() {
    local d=$OUT/run/$1-$2-$3.verdict
    run_test "$@" >"$d" 2>&1
    cat "$d"
}

# Prebuild the x86_64 twins before the i386 tests run in parallel (two jobs
# must not write one binary at once).
while read -r arch name v src cflags libs args; do
    [ -z "${MISSING[$arch]:-}" ] || continue
    if [ "$arch" = i386 ]; then
        tsrc=$src; [ "$src" = hello32.S ] && tsrc=hello64.S
        build_one x86_64 "$name" "$v" "$tsrc" "$cflags" "$libs" >/dev/null
    fi
done <"$TESTS"

export -f build_one run_side run_test run_test_atomic variant_flags firstdiff faithful_x87
export OUT HERE VEMU64 VEMU32 TIMEOUT ORACLE_TIMEOUT I386_SYSROOT X87_TRANS
QUEUE=$OUT/queue
: >"$QUEUE"
# Known limitations, each explained in docs/quirks.md: listed, not run.
declare -A KNOWN=(
    [smc-dual]="known limitation: code written through a second mapping of the same memory (a memfd mapped RW and RX) is not seen by the translation cache; qemu-user shares it (docs/quirks.md)"
)
while read -r arch name v src cflags libs args; do
    if [ -n "${MISSING[$arch]:-}" ]; then
        echo "SKIP: x86-user/$arch/$name-$v (${MISSING[$arch]})"
        continue
    fi
    if [ -n "${KNOWN[$name]:-}" ]; then
        echo "SKIP: x86-user/$arch/$name-$v (${KNOWN[$name]})"
        continue
    fi
    case " ${X86U_SKIP:-} " in *" $arch/$name "*)
        echo "SKIP: x86-user/$arch/$name-$v (${X86U_SKIP_WHY:-X86U_SKIP})"
        continue ;;
    esac
    printf '%s\0' "$arch" "$name" "$v" "$src" "$cflags" "$libs" "$args" >>"$QUEUE"
done <"$TESTS"
# Each test's lines are printed in one write, so parallel jobs do not interleave.
[ -s "$QUEUE" ] && xargs -0 -n 7 -P "$JOBS" bash -c 'run_test_atomic "$@"' _ <"$QUEUE"
exit 0
