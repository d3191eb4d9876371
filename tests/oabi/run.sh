#!/bin/bash
# tests/oabi/run.sh — programs of ARM's old ABI (OABI): system calls made
# with `svc 0x900000+n`, 64-bit arguments in unaligned register pairs, the
# old ABI's struct layouts (see docs/linux-user.md, "The old ARM ABI").
#
# Debian has no OABI toolchain; oabi.c is a freestanding program built with
# arm-linux-gnueabi-gcc -mabi=apcs-gnu (the old APCS's struct layouts) that
# makes every system call itself.  The linker marks it "EABI version 0",
# which is what makes an executable OABI; this is checked first.
#
#   oabi/checks-O0, oabi/checks-O2  every check of the program passes under
#       vemu-arm (the program checks results against the kernel's OABI
#       definitions: sizes, offsets, values it wrote itself);
#   oabi/qemu-agrees-O2  every check qemu-arm 7.2 passes prints the same
#       line under vemu (qemu gets several OABI layouts wrong: see
#       docs/quirks.md; those checks are the program's own);
#   oabi/strace  -strace names old-ABI calls and shows unaligned 64-bit
#       pairs as the old ABI passes them.
#
# Prints "PASS: oabi/<name>", "FAIL: oabi/<name> (why)" or
# "SKIP: oabi/<name> (reason)".  Environment: BUILD (default build),
# VEMU (default $BUILD/vemu-arm).
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/oabi
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/oabi-tests ;; *) OUT=$PWD/$BUILD/oabi-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
NAMES="checks-O0 checks-O2 qemu-agrees-O2 strace"
TIMEOUT=60

have() { command -v "$1" >/dev/null 2>&1; }
skip_all() { for n in $NAMES; do echo "SKIP: oabi/$n ($1)"; done; exit 0; }
fail_all() { for n in $NAMES; do echo "FAIL: oabi/$n ($1)"; done; exit 0; }

[ -x "$VEMU" ] || skip_all "vemu-arm not built: $VEMU"
have arm-linux-gnueabi-gcc || skip_all "arm-linux-gnueabi-gcc not installed"
mkdir -p "$OUT"
ulimit -c 0
# Short paths: the program binds a unix socket in this directory.
DIR=$(mktemp -d /tmp/vemu-oabi.XXXXXX) || fail_all "mktemp failed"
trap 'rm -rf "$DIR"' EXIT

for opt in O0 O2; do
    bin=$OUT/oabi-$opt
    if [ ! -x "$bin" ] || [ "$SRC/oabi.c" -nt "$bin" ]; then
        if ! arm-linux-gnueabi-gcc -mabi=apcs-gnu -marm -nostdlib -ffreestanding -fno-builtin \
                -static -$opt -Wall -Wextra -Wno-unused-parameter -o "$bin" "$SRC/oabi.c" \
                >"$bin.log" 2>&1; then
            skip_all "cannot build oabi.c with -mabi=apcs-gnu: $(head -2 "$bin.log" | tr '\n' ' ')"
        fi
    fi
    # e_flags (offset 36): bits 31-24 are the EABI version, 0 for the old ABI
    flags=$(od -An -tx4 -j36 -N4 "$bin" | tr -d ' ')
    case $flags in 00??????) ;; *) fail_all "oabi-$opt is not an OABI executable (e_flags 0x$flags)" ;; esac
done

# ---- checks-O0, checks-O2 ----------------------------------------------------
for opt in O0 O2; do
    out=$OUT/oabi-$opt.vemu
    rm -rf "${DIR:?}"/*
    timeout $TIMEOUT "$VEMU" "$OUT/oabi-$opt" "$DIR" >"$out" 2>&1
    rc=$?
    bad=$(grep -v '^ok ' "$out" | grep -v '^eabi call$' | grep -v '^all checks passed$' | head -3 | tr '\n' ' ')
    if [ $rc -eq 0 ] && grep -qx 'all checks passed' "$out" && [ -z "$bad" ]; then
        echo "PASS: oabi/checks-$opt"
    else
        echo "FAIL: oabi/checks-$opt (exit $rc; $bad; see $out)"
    fi
done

# ---- qemu-agrees-O2 ------------------------------------------------------------
if ! have qemu-arm; then
    echo "SKIP: oabi/qemu-agrees-O2 (qemu-arm not installed)"
else
    rm -rf "${DIR:?}"/*
    timeout $TIMEOUT qemu-arm "$OUT/oabi-O2" "$DIR" >"$OUT/oabi-O2.qemu" 2>&1
    names() { awk '$1 == "ok" || $1 == "FAIL" { print $2 }' "$1"; }
    missing=$(grep '^ok ' "$OUT/oabi-O2.qemu" | grep -vxFf "$OUT/oabi-O2.vemu" | head -3 | tr '\n' ' ')
    if ! grep -q '^ok ' "$OUT/oabi-O2.qemu"; then
        echo "FAIL: oabi/qemu-agrees-O2 (qemu-arm passed no check: $(head -2 "$OUT/oabi-O2.qemu" | tr '\n' ' '))"
    elif [ "$(names "$OUT/oabi-O2.qemu")" != "$(names "$OUT/oabi-O2.vemu")" ]; then
        echo "FAIL: oabi/qemu-agrees-O2 (different checks ran; see $OUT/oabi-O2.qemu)"
    elif [ -n "$missing" ]; then
        echo "FAIL: oabi/qemu-agrees-O2 (qemu-arm printed, vemu did not: $missing)"
    else
        echo "PASS: oabi/qemu-agrees-O2"
    fi
fi

# ---- strace ----------------------------------------------------------------------
rm -rf "${DIR:?}"/*
log=$OUT/oabi-O2.strace
timeout $TIMEOUT "$VEMU" -strace "$OUT/oabi-O2" "$DIR" >/dev/null 2>"$log"
sed -E 's/^[0-9]+ //' "$log" >"$log.nopid"
missing=""
for want in 'pread64(3,"6789",4,6) = 4' 'ftruncate64(3,4294967312) = 0' \
            'pwrite64(3,"ABCD",4,4294967300) = 4' '_llseek(3,4294967304,[4294967304],SEEK_SET) = 0' \
            'socketcall(8,0x' 'ipc(1,' 'select(0x' 'getrlimit(RLIMIT_AS,{' \
            'mmap(0x' 'set_tls(0x5eed1e55) = 0' 'sigreturn() = ?' 'rt_sigreturn() = ?' \
            'readahead(3,4294967296,4096) = 0' 'fallocate(3,0,4096,8192) = 0' \
            'bind(' ',112) = 0' 'exit_group(0) = ?'; do
    grep -Fq -- "$want" "$log.nopid" || missing="$missing [$want]"
done
# the old getrlimit clamps RLIM_INFINITY to 31 bits
if [ "$(ulimit -S -v)" = unlimited ] && [ "$(ulimit -H -v)" = unlimited ]; then
    want='getrlimit(RLIMIT_AS,{rlim_cur=2147483647, rlim_max=2147483647}) = 0'
    grep -Fq -- "$want" "$log.nopid" || missing="$missing [$want]"
fi
if [ -z "$missing" ]; then
    echo "PASS: oabi/strace"
else
    echo "FAIL: oabi/strace (missing:$missing; see $log)"
fi
