#!/bin/sh
# scripts/fetch-aarch64-sysroot.sh — makes (or reuses) the arm64 sysroot
# that `make HOST=aarch64` compiles and links against and that qemu-aarch64
# runs that build in (-L), and prints its path on stdout.
#
# The sysroot is Debian 12's arm64 packages of vemu's libraries (capstone,
# libelf, zstd, zlib, libfdt, jansson, libslirp, libpng, cmocka) with
# libc6-dev and everything they depend on, fetched with apt into a private
# cache and unpacked with dpkg-deb -x: the host's dpkg is untouched (no
# `dpkg --add-architecture`).  The work is tests/debian/fetch-sysroot.sh's
# "host" profile: cached by the exact package versions, flock'd, no network
# once cached (lists are refreshed weekly).  Under $VEMU_TEST_CACHE
# (default /var/cache/vemu-tests): apt-arm64/ (lists, .debs) and
# aarch64-host-sysroot-<hash>/.
#
# On failure: nothing on stdout, "why: <reason>" on stderr, exit 1.
exec "$(dirname "$0")/../tests/debian/fetch-sysroot.sh" arm64 host
