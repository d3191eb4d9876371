#!/bin/sh
# Install the Debian 12 packages vemu's build, tests, demo and bench need.
# Idempotent: does nothing (quickly) when everything is present.
set -e
PKGS="build-essential pkg-config python3 libcapstone-dev libelf-dev libzstd-dev zlib1g-dev \
libcmocka-dev gcc-arm-linux-gnueabi g++-arm-linux-gnueabi qemu-user gnuplot-nox \
gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf gdb-multiarch gcc-i686-linux-gnu libc6-dev-i386-cross \
lua5.4 sqlite3 zstd xz-utils bzip2 perl file libfdt-dev libjansson-dev libslirp-dev \
bc bison flex qemu-system-arm qemu-utils clang libclang-rt-14-dev socat \
genisoimage e2fsprogs libpng-dev libsdl2-dev libvncserver-dev xvfb \
gcc-aarch64-linux-gnu ccache"
# gcc-aarch64-linux-gnu cross-builds `make HOST=aarch64` (its libraries come
# from scripts/fetch-aarch64-sysroot.sh; qemu-user runs the build); ccache
# keeps tests/aarch64-host's cross-built objects outside the tree
# (/var/cache/vemu-tests/ccache-aarch64), keyed by their inputs.
# The system tests' kernel (tests/system/fetch-kernel.sh) builds with
# gcc-arm-linux-gnueabi, bc, bison and flex from Debian's linux-source-6.1,
# which it fetches itself (apt-get download, 138 MB) only when the kernel
# is not cached yet; qemu-system-arm is the system tests' oracle.
# The display (docs/display.md): libpng-dev for screendump, libsdl2-dev
# for the window, libvncserver-dev for -vnc (both optional at build time),
# xvfb for tests/system-display's window session.
# clang and libclang-rt-14-dev (libFuzzer) build `make fuzz`, which CI runs
# for a bounded time (tests/fuzz/libfuzzer.sh).
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
