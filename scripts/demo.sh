#!/bin/bash
# scripts/demo.sh — `make demo`: compile a small ARM program and run it under
# vemu-arm (and for i386 under vemu-i386), then boot the Versatile PB under vemu-system-arm to a shell and
# run commands there (scripts/demo-system.py), showing each step.  BUILD
# (default build) selects the build tree.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
CROSS_CC=${CROSS_CC:-arm-linux-gnueabi-gcc}
HF_CC=${HF_CC:-arm-linux-gnueabihf-gcc}
HF_SYSROOT=${HF_SYSROOT:-/usr/arm-linux-gnueabihf}   # Debian's armhf cross libc
OUT=$BUILD/demo
SRC=tests/demo/hello.c
PROG=$OUT/hello-arm

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B="" N=""; fi
step() { printf '\n%s==> %s%s\n' "$B" "$*" "$N"; }
show() { printf '    $ %s\n' "$*"; }

step "Compiling $SRC for 32-bit ARM Linux (armel, static) with $CROSS_CC"
mkdir -p "$OUT"
show "$CROSS_CC -static -O2 -o $PROG $SRC"
"$CROSS_CC" -static -O2 -o "$PROG" "$SRC"

step "What we built (the host cannot run this file by itself)"
show "file $PROG"
if command -v file >/dev/null; then file "$PROG" | sed 's/^/    /'; else
    printf '    %s: ELF 32-bit ARM executable (the "file" command is not installed)\n' "$PROG"; fi

case "$VEMU" in */*) ;; *) VEMU=$(command -v "$VEMU" || echo "$VEMU") ;; esac
if [ ! -x "$VEMU" ]; then
    echo
    echo "demo: $VEMU does not exist yet; build it with 'make' first." >&2
    exit 1
fi

step "Running it under vemu-arm, which translates ARM code to $(uname -m) code as it runs"
show "$VEMU $PROG hello \"from the demo\""
echo
set +e
"$VEMU" "$PROG" hello "from the demo"
rc=$?
set -e
if [ $rc -eq 0 ] && command -v "$HF_CC" >/dev/null; then
    step "The same program for armhf (ARMv7-A Thumb-2, VFP hard-float), dynamically linked"
    show "$HF_CC -O2 -o $PROG-hf $SRC"
    "$HF_CC" -O2 -o "$PROG-hf" "$SRC"
    show "$VEMU -L $HF_SYSROOT $PROG-hf"
    echo
    set +e
    "$VEMU" -L "$HF_SYSROOT" "$PROG-hf" | sed -n 1,7p
    rc=${PIPESTATUS[0]}
    set -e
fi
I386_CC=${I386_CC:-i686-linux-gnu-gcc}
if [ $rc -eq 0 ] && [ -x "$BUILD/vemu-i386" ] && command -v "$I386_CC" >/dev/null; then
    step "An x86 guest: the same program for 32-bit x86 (i386), which this 64-bit kernel cannot run, under vemu-i386"
    show "$I386_CC -static -O2 -o $OUT/hello-i386 $SRC"
    "$I386_CC" -static -O2 -o "$OUT/hello-i386" "$SRC"
    show "$BUILD/vemu-i386 $OUT/hello-i386"
    echo
    set +e
    "$BUILD/vemu-i386" "$OUT/hello-i386" | sed -n 1,7p
    rc=${PIPESTATUS[0]}
    set -e
fi
SYS=$BUILD/vemu-system-arm
if [ $rc -eq 0 ] && [ -x "$SYS" ]; then
    step "A whole ARM machine: the Versatile PB (ARM926EJ-S) booting Linux 6.1 under vemu-system-arm"
    echo "    The kernel is built once from Debian's linux-source-6.1 (versatile_defconfig;"
    echo "    about 11 minutes on 2 idle cores) and cached in /var/cache/vemu-tests;"
    echo "    the initramfs holds Debian's armel busybox-static."
    if ! kdir=$(tests/system/fetch-kernel.sh v5); then
        echo "demo: could not build the kernel (see above)" >&2; exit 1
    fi
    if ! initrd=$(tests/system/make-initramfs.sh); then
        echo "demo: could not make the initramfs (see above)" >&2; exit 1
    fi
    set +e
    scripts/demo-system.py "$SYS" "$kdir/zImage" "$initrd"
    rc=$?
    set -e
fi
echo
if [ $rc -eq 0 ]; then
    if [ -x "$SYS" ]; then
        step "Done: the ARM and i386 programs ran on this $(uname -m) machine, and the ARM machine booted, ran commands and shut down."
    else
        step "Done: the foreign programs ran on this $(uname -m) machine and exited with status 0."
    fi
else
    step "The demo failed with status $rc."
fi
exit $rc
