#!/bin/bash
# tests/system/run.sh — boots Linux 6.1 on the Versatile PB to a busybox
# shell and runs commands there, through the serial console
# (tests/system/console.py).  Sessions, each one boot:
#   probe-elf, probe-atags  a bare-metal probe (probe.S) as an ELF with
#            vemu's tree, and as an Image with -M versatilepb,atags=on: the
#            stub's r0/r1/r2 and the parameters (no kernel needed)
#   dtb      -dtb versatile-pb.dtb (the kernel's own tree): proc/sys mounts,
#            /proc/cpuinfo, /proc/interrupts, the devices (no driver timed
#            out waiting for the CLCD or the PS/2 devices; keyboard, mouse,
#            I2C clock, flash and CLCD frame buffer found), sleep 1, the RTC's date, a
#            segfaulting process, a 3000-iteration shell loop, reboot -f
#            under -no-reboot (exit status 0)
#   nodtb    no -dtb: vemu's own device tree; the devices (as dtb, no CLCD
#            in vemu's tree); C-a x quits
#   atags    zImage with the tree appended, no -dtb: ATAGs; C-a x quits
#   image, vmlinux  the uncompressed kernel (arch/arm/boot/Image with -dtb,
#            the vmlinux ELF with vemu's tree)
#   arm1176  the ARMv6 kernel under -cpu arm1176 with -dtb
#
# Environment:
#   SYSTEM_EMU       vemu (default: $BUILD/vemu-system-arm) or qemu (Debian's
#                    qemu-system-arm, the oracle: proves the tests themselves),
#                    or qemu-vemuboot (qemu-system-arm started in vemu's boot
#                    stub, with RAM laid out by vemu's loader and, without
#                    -dtb, vemu's own device tree: checks hw-versatile/boot.c
#                    and versatile-fdt.c against a real machine), or a path
#   SYSTEM_SESSIONS  the sessions to run (default "dtb nodtb atags arm1176")
#   VEMU_SYSTEM_TIMEOUT  seconds to the init marker (default 300)
#   VEMU_TEST_CACHE  where fixtures are kept (default /var/cache/vemu-tests)
#
# The kernels take a while to build the first time (docs/testing.md says
# how long); they are built only when the emulator exists, so `make check`
# stays fast while vemu-system-arm is not built.  Fixture problems are
# SKIPs with the reason, never FAILs.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/system ;; *) OUT=$PWD/$BUILD/system ;; esac
SESSIONS=${SYSTEM_SESSIONS:-probe-elf probe-atags dtb nodtb atags image vmlinux arm1176}
# The sanitizer pass (make check SAN=1) boots twice as slowly: two
# sessions there (the tree from the kernel and vemu's own), more time.
case "$BUILD" in
*-san|*-san/) SESSIONS=${SYSTEM_SESSIONS:-probe-elf probe-atags dtb nodtb}
              export VEMU_SYSTEM_TIMEOUT=${VEMU_SYSTEM_TIMEOUT:-600} ;;
esac
ulimit -c 0

# The tests of each session, for SKIP lines (console.py names them alike).
session_tests() {
    case "$1" in
    probe-*) echo "probe probe-exit" ;;
    dtb) echo "boot cmdline proc-sys cpuinfo interrupts devices sleep date segv loop reboot" ;;
    nodtb) echo "boot cmdline cpuinfo interrupts devices quit" ;;
    atags) echo "boot cmdline interrupts quit" ;;
    image|vmlinux) echo "boot cmdline quit" ;;
    arm1176) echo "boot cmdline cpuinfo interrupts segv loop reboot" ;;
    esac
}
skip_all() {
    local s t
    for s in $SESSIONS; do
        for t in $(session_tests "$s"); do echo "SKIP: system/$s/$t ($1)"; done
    done
    exit 0
}

case "${SYSTEM_EMU:-vemu}" in
vemu) EMU=$BUILD/vemu-system-arm
      [ -x "$EMU" ] || skip_all "$EMU not built: softmmu/main.c is not merged yet" ;;
qemu|qemu-vemuboot)
      EMU=$(command -v qemu-system-arm) || skip_all "qemu-system-arm not installed" ;;
*) EMU=$SYSTEM_EMU; [ -x "$EMU" ] || skip_all "$EMU not found" ;;
esac
case "$EMU" in /*) ;; *) EMU=$PWD/$EMU ;; esac
command -v python3 >/dev/null || skip_all "python3 not installed"

mkdir -p "$OUT" || exit 1
BOOT_IMAGE=
if [ "${SYSTEM_EMU:-vemu}" = qemu-vemuboot ]; then
    make -s "$BUILD/hw-versatile/boot.o" "$BUILD/hw-versatile/versatile-fdt.o" BUILD="$BUILD" >/dev/null 2>&1 &&
    ${CC:-cc} -std=gnu11 -Wall -Werror -I. -o "$OUT/boot-image" tests/system/boot-image.c \
        "$BUILD/hw-versatile/boot.o" "$BUILD/hw-versatile/versatile-fdt.o" -lfdt -lelf \
        2>"$OUT/boot-image.why" || skip_all "cannot build boot-image: $(head -1 "$OUT/boot-image.why")"
    BOOT_IMAGE=$OUT/boot-image
fi
# Fixtures: the initramfs, then each kernel variant a session needs.
initrd=$(tests/system/make-initramfs.sh 2>"$OUT/initramfs.why") \
    || skip_all "initramfs: $(sed 's/^why: //' "$OUT/initramfs.why" | head -1)"
# The probe (probe.S): a bare-metal program that prints what the boot
# loader handed over; no kernel needed.
probe="why: ${CROSS_CC:=arm-linux-gnueabi-gcc} cannot build probe.S"
if "$CROSS_CC" -march=armv5te -marm -nostdlib -static -Wl,-Ttext=0x8000 -Wl,--build-id=none \
        -o "$OUT/probe.elf" tests/system/probe.S 2>"$OUT/probe.why" &&
   ${CROSS_CC%gcc}objcopy -O binary "$OUT/probe.elf" "$OUT/probe.bin"; then
    probe=$OUT
fi
declare -A kernel
for s in $SESSIONS; do
    case "$s" in probe-*) continue ;; esac
    v=v5; [ "$s" = arm1176 ] && v=v6
    [ -n "${kernel[$v]:-}" ] && continue
    if k=$(tests/system/fetch-kernel.sh $v 2>"$OUT/kernel-$v.why"); then
        kernel[$v]=$k
    else
        kernel[$v]="why: $(sed 's/^why: //' "$OUT/kernel-$v.why" | head -1)"
    fi
done
fixtures=$(python3 -c 'import json, sys; a = sys.argv
print(json.dumps({"initrd": a[1], "logdir": a[2], "v5": a[3], "v6": a[4], "probe": a[5]}))' \
    "$initrd" "$OUT" "${kernel[v5]:-}" "${kernel[v6]:-}" "$probe")

for s in $SESSIONS; do
    python3 tests/system/console.py "$s" "$EMU" "$fixtures" $BOOT_IMAGE
done
