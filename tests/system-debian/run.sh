#!/bin/bash
# tests/system-debian/run.sh — the articles' scenario: Debian 12 armel on a
# qcow2 disk image booted on the Versatile PB with
#     -M versatilepb -kernel zImage -hda debian.qcow2
#     -append "root=/dev/sda1 console=ttyAMA0" -m 256 -nographic
# to systemd's login prompt; root logs in over the serial console and runs
# commands (tests/system-debian/debian.py says what is checked).  Two boots
# per emulator: "overlay" (a qcow2 overlay on the cached image takes every
# write, the base is untouched) and "snapshot" (-snapshot discards writes),
# and "savevm": on an overlay of its own, with the HMP on a Unix socket, a
# file written, savevm deb1, another file written, loadvm deb1: the shell
# answers at once, the second file is gone (page cache and disk), dmesg has
# no I/O errors, logout and login work; after quit the image checks clean
# and lists deb1 with its VM state (qemu-system-arm passes the same).
#
# Fixtures: the disk kernel (tests/system/fetch-kernel.sh disk) and the
# image (tests/system/make-debian-rootfs.sh), both cached; fixture problems
# are SKIPs with the reason.  While vemu-system-arm has no -hda (its SCSI
# adapter is not merged), the vemu runs are SKIPs saying so.
#
# Environment:
#   DEBIAN_EMUS       emulators to run (default "vemu"; "qemu" is Debian's
#                     qemu-system-arm, the oracle that proves the tests)
#   DEBIAN_VEMU       the vemu-system-arm to test (default $BUILD/vemu-system-arm)
#   DEBIAN_SESSIONS   default "overlay snapshot savevm" ("overlay" with a
#                     sanitizer build, BUILD=*-san)
#   VEMU_SYSTEM_TIMEOUT  seconds to the login prompt (default 300)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
case "$BUILD" in /*) OUT=$BUILD/system-debian ;; *) OUT=$PWD/$BUILD/system-debian ;; esac
SESSIONS=${DEBIAN_SESSIONS:-overlay snapshot savevm}
case "$BUILD" in
*-san|*-san/) export VEMU_SYSTEM_TIMEOUT=${VEMU_SYSTEM_TIMEOUT:-900}
              # the sanitizer pass boots Debian once (the overlay session: login,
              # commands, networking, poweroff); the other sessions' device and
              # snapshot code runs under the sanitizers in system-scsi/-vmstate
              SESSIONS=${DEBIAN_SESSIONS:-overlay} ;;
esac
ulimit -c 0

# The tests of each session, for SKIP lines (debian.py names them alike).
session_tests() {
    case "$1" in
    overlay) echo "login-prompt login uname debian-version root-fs systemd dpkg apt-cache python3
                   workload wget-host hostfwd write-file poweroff overlay-writes" ;;
    snapshot) echo "login-prompt login overlay-file-seen write-file poweroff snapshot-discarded" ;;
    savevm) echo "login-prompt login savevm runs-on loadvm relogin quit savevm-image" ;;
    esac
}
skip() {   # KIND REASON
    local s t
    for s in $SESSIONS; do
        for t in $(session_tests "$s"); do echo "SKIP: system-debian/$1/$s/$t ($2)"; done
    done
}

mkdir -p "$OUT" || exit 1
for kind in ${DEBIAN_EMUS:-vemu}; do
    case "$kind" in
    vemu) EMU=${DEBIAN_VEMU:-$BUILD/vemu-system-arm}
          [ -x "$EMU" ] || { skip $kind "$EMU not built"; continue; }
          case "$EMU" in /*) ;; *) EMU=$PWD/$EMU ;; esac
          # -hda comes with the SCSI adapter; without it the boot cannot work
          "$EMU" -help 2>&1 | grep -q -- '-hda' ||
              { skip $kind "vemu-system-arm has no -hda yet (the LSI53C895A SCSI adapter is not merged)"; continue; } ;;
    qemu) EMU=$(command -v qemu-system-arm) || { skip $kind "qemu-system-arm not installed"; continue; } ;;
    *) skip "$kind" "unknown emulator kind (vemu or qemu)"; continue ;;
    esac
    command -v python3 >/dev/null || { skip $kind "python3 not installed"; continue; }
    kdir=$(tests/system/fetch-kernel.sh disk 2>"$OUT/kernel.why") \
        || { skip $kind "kernel: $(sed 's/^why: //' "$OUT/kernel.why" | head -1)"; continue; }
    imgdir=$(tests/system/make-debian-rootfs.sh 2>"$OUT/image.why") \
        || { skip $kind "image: $(sed 's/^why: //' "$OUT/image.why" | head -1)"; continue; }
    python3 tests/system-debian/debian.py "$EMU" "$kind" "$kdir" "$imgdir" "$OUT" $SESSIONS
done
