#!/bin/bash
# tests/debian-x86/run.sh — Debian's own amd64 and i386 programs (busybox,
# coreutils, python3, perl, lua5.4, sqlite3, gzip/xz/zstd/bzip2, bash, make)
# under vemu-x86_64 / vemu-i386 with -L sysroot, on the deterministic
# workloads of tests/debian (tests/debian/workloads, gen-inputs.py),
# compared with:
#   amd64: the same sysroot's programs run natively (through its own ld.so);
#   i386:  the same programs under Debian's qemu-i386 -L (no 32-bit kernel
#          support here).
# The sysroots come from tests/debian/fetch-sysroot.sh ARCH x86 (apt-get
# download with a private lists dir, cached in /var/cache/vemu-tests keyed by
# the package versions).  An unreachable archive is a SKIP, never a FAIL.
#
# Prints PASS:/FAIL:/SKIP: debian-x86/<arch>/<workload>.
# Environment: BUILD; VEMU_X86_64, VEMU_I386; DEBIAN_X86_ARCHES ("amd64 i386");
# DEBIAN_X86_FILTER (workload names containing it); DEBIAN_X86_TIMEOUT
# (seconds per side, default 120); DEBIAN_X86_JOBS (default 2).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/debian-x86 ;; *) OUT=$PWD/$BUILD/debian-x86 ;; esac
ARCHES=${DEBIAN_X86_ARCHES:-amd64 i386}
FILTER=${DEBIAN_X86_FILTER:-}
SAN=0
case "$BUILD" in *-san|*-san/) SAN=1 ;; esac
# a timeout catches hangs, it measures nothing: the sanitizer build is slower
if [ "$SAN" = 1 ]; then TIMEOUT=${DEBIAN_X86_TIMEOUT:-300}; else TIMEOUT=${DEBIAN_X86_TIMEOUT:-120}; fi
JOBS=${DEBIAN_X86_JOBS:-2}
WORKLOADS=$PWD/tests/debian/workloads
export WORKLOADS
ulimit -c 0
abspath() {
    case "$1" in
    */*) [ -e "$1" ] && echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" || echo "$1" ;;
    *) command -v "$1" || echo "$1" ;;
    esac
}
VEMU64=$(abspath "${VEMU_X86_64:-$BUILD/vemu-x86_64}")
VEMU32=$(abspath "${VEMU_I386:-$BUILD/vemu-i386}")

TESTS=()
for f in "$WORKLOADS"/*.test; do
    n=$(basename "$f" .test)
    [ -z "$FILTER" ] || [[ "$n" == *"$FILTER"* ]] || continue
    TESTS+=("$n")
done

# Workloads qemu-i386 7.2 itself gets wrong (docs/quirks.md: perl cannot
# find List::Util, a python3 child dies in subprocess): for these the truth
# is the same Debian version's amd64 build run natively (their output does
# not depend on the word size), when the amd64 sysroot is there.
QEMU_I386_WRONG=" perl perl-tools python3-fork "

run_one() {   # arch name
    local arch=$1 name=$2 dir=$OUT/run/$1/$2 sysroot emu oracle side
    sysroot=$(cat "$OUT/sysroot-$arch")
    if [ "$arch" = amd64 ]; then emu=$VEMU64 oracle=native; else emu=$VEMU32 oracle=qemu; fi
    if [ "$arch" = i386 ] && [[ "$QEMU_I386_WRONG" == *" $name "* ]] && [ -s "$OUT/sysroot-amd64" ]; then
        oracle=native-amd64
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    for side in "$oracle" vemu; do
        local sarch=$arch ssys=$sysroot how=$side
        if [ "$side" = native-amd64 ]; then
            sarch=amd64 ssys=$(cat "$OUT/sysroot-amd64") how=native
        fi
        mkdir -p "$dir/$side.tmp"
        cp -rp "$OUT/inputs-$sarch/." "$dir/$side.tmp/"
        (
            cd "$dir/$side.tmp" || exit 99
            ARCH=$sarch SYSROOT=$ssys VEMU=$emu timeout -k 5 "$TIMEOUT" bash "$HERE/side.sh" "$how" \
                "$WORKLOADS/$name.test" </dev/null >"../$side.out" 2>"../$side.err"
            echo $? >"../$side.rc"
        )
    done
    local orc vrc why=""
    orc=$(cat "$dir/$oracle.rc") vrc=$(cat "$dir/vemu.rc")
    if [ "$orc" = 124 ] || [ "$orc" = 137 ]; then
        echo "SKIP: debian-x86/$arch/$name (the oracle ($oracle) timed out after ${TIMEOUT}s)"; return
    fi
    if [ "$vrc" = 124 ] || [ "$vrc" = 137 ]; then why="timed out after ${TIMEOUT}s under vemu"
    elif ! cmp -s "$dir/$oracle.out" "$dir/vemu.out"; then
        why="output differs from $oracle: $(diff "$dir/$oracle.out" "$dir/vemu.out" | grep '^[<>]' | head -4 | cut -c1-100 | tr '\n' '|')"
    elif [ "$orc" != "$vrc" ]; then why="exit status $vrc, $oracle $orc"
    fi
    if [ -n "$why" ]; then
        local err
        err=$(grep -v '^$' "$dir/vemu.err" | tail -2 | cut -c1-120 | tr '\n' '|')
        echo "FAIL: debian-x86/$arch/$name ($why${err:+; vemu stderr: $err})"
    else
        echo "PASS: debian-x86/$arch/$name"
    fi
}
if [ "${1:-}" = --one ]; then
    run_one "$2" "$3" >"$OUT/results/$2-$3" 2>&1
    exit 0
fi

mkdir -p "$OUT"
exec 8>"$OUT/.lock"
flock -w 1800 8 || { echo "FAIL: debian-x86/setup (another run holds $OUT/.lock)"; exit 0; }
rm -rf "$OUT/run" "$OUT/results"
mkdir -p "$OUT/run" "$OUT/results"
PAIRS=()
for a in $ARCHES; do
    emu=$VEMU64; [ "$a" = i386 ] && emu=$VEMU32
    if [ ! -x "$emu" ]; then
        for n in "${TESTS[@]}"; do echo "SKIP: debian-x86/$a/$n ($(basename "$emu") not built ($emu))"; done
        continue
    fi
    if [ "$a" = i386 ] && ! command -v qemu-i386 >/dev/null; then
        for n in "${TESTS[@]}"; do echo "SKIP: debian-x86/$a/$n (qemu-i386, the oracle, not installed)"; done
        continue
    fi
    if ! sysroot=$(tests/debian/fetch-sysroot.sh "$a" x86 2>"$OUT/fetch-$a.err"); then
        why=$(sed -n 's/^why: //p' "$OUT/fetch-$a.err" | head -1)
        for n in "${TESTS[@]}"; do echo "SKIP: debian-x86/$a/$n (${why:-no sysroot})"; done
        continue
    fi
    echo "$sysroot" >"$OUT/sysroot-$a"
    [ -d "$OUT/inputs" ] || python3 tests/debian/gen-inputs.py "$OUT/inputs" || { echo "FAIL: debian-x86/setup (gen-inputs.py failed)"; exit 0; }
    rm -rf "$OUT/inputs-$a"
    cp -r "$OUT/inputs" "$OUT/inputs-$a"
    tar -C "$sysroot/usr/share/perl/5.36/" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        -cf "$OUT/inputs-$a/perl-modules.tar" Pod Math File 2>/dev/null
    cp "$sysroot/usr/lib/python3.11/json/decoder.py" "$OUT/inputs-$a/pysrc.py" 2>/dev/null
    cp "$sysroot/usr/share/perl/5.36/Getopt/Long.pm" "$OUT/inputs-$a/Long.pm" 2>/dev/null
    for n in "${TESTS[@]}"; do
        # the sanitizer pass: every amd64 workload, and for i386 the ones
        # that reach the 32-bit ABI's conversions most (the rest repeat the
        # same frontend under qemu-i386's slow oracle runs)
        if [ "$SAN" = 1 ] && [ "$a" = i386 ] && [[ " busybox-sh coreutils perl sqlite3 python3-fork " != *" $n "* ]]; then
            continue
        fi
        PAIRS+=("$a $n")
    done
done
[ ${#PAIRS[@]} -gt 0 ] || exit 0
export BUILD VEMU64 VEMU32 TIMEOUT OUT WORKLOADS
printf '%s\n' "${PAIRS[@]}" | xargs -P "$JOBS" -L 1 "$HERE/run.sh" --one
for p in "${PAIRS[@]}"; do
    set -- $p
    if [ -s "$OUT/results/$1-$2" ]; then cat "$OUT/results/$1-$2"
    else echo "FAIL: debian-x86/$1/$2 (runner produced no verdict)"; fi
done
exit 0
