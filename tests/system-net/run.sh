#!/bin/bash
# tests/system-net/run.sh — user-mode networking on the Versatile PB's
# SMC91C111 (tests/system-net/net.py says what is checked), on vemu and on
# Debian's qemu-system-arm as the oracle (the same checks must pass on
# both).  Uses tests/system's cached kernel and initramfs; fixture
# problems are SKIPs with the reason.
#
# Environment: NET_EMUS (default "vemu qemu"), VEMU_SYSTEM_TIMEOUT.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/system-net ;; *) OUT=$PWD/$BUILD/system-net ;; esac
TESTS="nic-user/mac nic-user/dhcp nic-user/wget nic-user/hostfwd restrict/mac restrict/dhcp
restrict/wget-blocked restrict/hostfwd netdev/mac netdev/dhcp netdev/hostfwd net-nic-user/mac
net-nic-user/dhcp net-nic-user/wget default/mac default/dhcp default/wget socket-tcp/ping socket-mcast/ping socket-with-qemu/ping
tap/ping options/bad-hostfwd options/bad-backend options/bad-netdev-ref options/socket-no-mode
options/socket-refused options/tap-bad-option monitor/info-network"
ulimit -c 0
skip() {   # KIND REASON
    local t
    for t in $TESTS; do echo "SKIP: system-net/$1/$t ($2)"; done
}
mkdir -p "$OUT" || exit 1
# The oracle's run proves the checks; the sanitizer pass (BUILD=*-san) needs
# only vemu's.
case "$BUILD" in *-san|*-san/) DEFAULT_EMUS=vemu ;; *) DEFAULT_EMUS="vemu qemu" ;; esac
for kind in ${NET_EMUS:-$DEFAULT_EMUS}; do
    case "$kind" in
    vemu) EMU=$BUILD/vemu-system-arm
          [ -x "$EMU" ] || { skip $kind "$EMU not built"; continue; }
          case "$EMU" in /*) ;; *) EMU=$PWD/$EMU ;; esac ;;
    qemu) EMU=$(command -v qemu-system-arm) || { skip $kind "qemu-system-arm not installed"; continue; } ;;
    esac
    command -v python3 >/dev/null || { skip $kind "python3 not installed"; continue; }
    initrd=$(tests/system/make-initramfs.sh 2>"$OUT/initramfs.why") \
        || { skip $kind "initramfs: $(sed 's/^why: //' "$OUT/initramfs.why" | head -1)"; continue; }
    kdir=$(tests/system/fetch-kernel.sh v5 2>"$OUT/kernel.why") \
        || { skip $kind "kernel: $(sed 's/^why: //' "$OUT/kernel.why" | head -1)"; continue; }
    [ -f "$kdir/zImage" ] || { skip $kind "no zImage in $kdir"; continue; }
    python3 tests/system-net/net.py "$EMU" "$kind" "$kdir" "$initrd" "$OUT"
done
