#!/bin/bash
# tests/system/fetch-kernel.sh [v5|v6|disk] — builds (or reuses) the Linux 6.1
# Versatile PB kernel the system tests boot, and prints the directory that
# holds it on stdout:
#   zImage             the compressed kernel (what -kernel is given)
#   zImage-dtb         zImage with versatile-pb.dtb appended (the ATAG test)
#   Image              the uncompressed kernel (arch/arm/boot/Image)
#   vmlinux            the ELF (not stripped of symbols; no debug info)
#   versatile-pb.dtb   the kernel's own device tree for the board
#   config             the .config it was built with
#   build.log, build-seconds
#
# Variants: v5 (default) is versatile_defconfig + tests/system/versatile.config
# for the ARM926EJ-S.  v6 adds tests/system/versatile-v6.config for
# -cpu arm1136/arm1176: ARMv6 instead of ARMv5, which needs one edit to
# arch/arm/mach-versatile/Kconfig (6.1 offers the board under ARCH_MULTI_V5
# only); the edit is made by this script and is part of the key.  disk adds
# tests/system/versatile-disk.config: PCI, the sym53c8xx SCSI driver, disks,
# CD-ROMs, ext4 and what Debian's systemd needs (the Debian root-filesystem
# boot tests).
#
# Source: Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz when
# the package is installed, else the .deb fetched with `apt-get download`
# into the cache).  Compiler: Debian's arm-linux-gnueabi-gcc.
#
# Cache: $VEMU_TEST_CACHE (default /var/cache/vemu-tests, or
# ~/.cache/vemu-tests) / linux-versatile-<variant>-<key>, where <key> hashes
# the linux-source-6.1 and gcc-arm-linux-gnueabi versions, the config
# fragments, the Kconfig edit and this script's recipe version.  One build at
# a time per cache (flock on linux-versatile.lock); a directory without
# .complete is junk.  Older builds of the same variant are removed.
#
# VEMU_KERNEL_NO_BUILD=1: only look the build up in the cache (make bench
# uses this: it never starts a kernel build).
#
# On failure prints nothing on stdout, "why: <reason>" on stderr, exit 1
# (the caller turns that into SKIP lines).
set -u
VARIANT=${1:-v5}
HERE=$(cd "$(dirname "$0")" && pwd)
RECIPE=1   # bump when the steps below change what is built
fail() { echo "why: $*" >&2; exit 1; }

case "$VARIANT" in
v5) FRAGMENTS="$HERE/versatile.config" ;;
v6) FRAGMENTS="$HERE/versatile.config $HERE/versatile-v6.config" ;;
disk) FRAGMENTS="$HERE/versatile.config $HERE/versatile-disk.config" ;;
*) fail "unknown variant $VARIANT (v5, v6 or disk)" ;;
esac
# The v6 edit: ARCH_VERSATILE may be chosen with ARCH_MULTI_V6, and then
# selects no ARMv5 core.
V6_SED='s/^\tdepends on ARCH_MULTI_V5$/\tdepends on ARCH_MULTI_V5 || ARCH_MULTI_V6/; s/^\tselect CPU_ARM926T$/\tselect CPU_ARM926T if ARCH_MULTI_V5/'

CACHE=${VEMU_TEST_CACHE:-/var/cache/vemu-tests}
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
    CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vemu-tests
    mkdir -p "$CACHE" 2>/dev/null || fail "no writable cache directory"
fi
CROSS=arm-linux-gnueabi-
command -v ${CROSS}gcc >/dev/null || fail "${CROSS}gcc not installed (scripts/setup-deps.sh)"
for t in make bc bison flex xz perl; do
    command -v $t >/dev/null || fail "$t not installed (scripts/setup-deps.sh)"
done

pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
SRCVER=$(pkgver linux-source-6.1)
GCCVER=$(pkgver gcc-arm-linux-gnueabi)
[ -n "$GCCVER" ] || GCCVER=$(${CROSS}gcc -dumpfullversion)

# Without the installed package, fetch the .deb (its version is the key).
SRCTAR=/usr/src/linux-source-6.1.tar.xz
if [ -z "$SRCVER" ] || [ ! -f "$SRCTAR" ]; then
    DEBDIR=$CACHE/linux-source-deb
    mkdir -p "$DEBDIR" || fail "cannot create $DEBDIR"
    deb=$(ls -t "$DEBDIR"/linux-source-6.1_*_all.deb 2>/dev/null | head -1)
    if [ -z "$deb" ]; then
        (cd "$DEBDIR" && timeout 900 apt-get download -q linux-source-6.1 >download.log 2>&1) \
            || fail "apt-get download linux-source-6.1 failed: $(tail -1 "$DEBDIR/download.log" | cut -c1-120)"
        deb=$(ls -t "$DEBDIR"/linux-source-6.1_*_all.deb | head -1)
    fi
    SRCVER=$(dpkg-deb -f "$deb" Version)
    SRCTAR=$DEBDIR/linux-source-6.1.tar.xz
    if [ ! -f "$SRCTAR" ]; then
        dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz >"$SRCTAR.tmp" \
            && mv "$SRCTAR.tmp" "$SRCTAR" || fail "cannot unpack $deb"
    fi
fi

key=$( { echo "recipe $RECIPE variant $VARIANT"; echo "linux-source-6.1 $SRCVER";
         echo "gcc-arm-linux-gnueabi $GCCVER"; cat $FRAGMENTS;
         [ "$VARIANT" = v6 ] && echo "$V6_SED"; } | sha256sum | cut -c1-12)
OUT=$CACHE/linux-versatile-$VARIANT-$key
if [ -e "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi
[ "${VEMU_KERNEL_NO_BUILD:-0}" = 1 ] &&
    fail "the $VARIANT kernel is not built yet ($OUT; tests/system/fetch-kernel.sh $VARIANT builds it)"

exec 9>"$CACHE/linux-versatile.lock"
flock -w 3600 9 || fail "timed out waiting for $CACHE/linux-versatile.lock"
if [ -e "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi   # built while we waited
# Only the lock's holder builds: a build directory left now is from a run
# that was killed (each holds a whole source tree, 1.4 GB).
rm -rf "$CACHE"/linux-versatile-*.tmp.*

TMP=$OUT.tmp.$$
rm -rf "$TMP"; mkdir -p "$TMP" || fail "cannot create $TMP"
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
LOG=$TMP/build.log
(
    echo "linux-source-6.1 $SRCVER, gcc-arm-linux-gnueabi $GCCVER, variant $VARIANT, key $key"
    tar -C "$TMP" -xJf "$SRCTAR" || exit 1
    SRC=$TMP/linux-source-6.1
    cd "$SRC" || exit 1
    if [ "$VARIANT" = v6 ]; then
        sed -i "$V6_SED" arch/arm/mach-versatile/Kconfig || exit 1
        grep -q 'ARCH_MULTI_V5 || ARCH_MULTI_V6' arch/arm/mach-versatile/Kconfig || exit 1
    fi
    M="make -s ARCH=arm CROSS_COMPILE=$CROSS"
    $M versatile_defconfig || exit 1
    scripts/kconfig/merge_config.sh -m .config $FRAGMENTS || exit 1
    $M olddefconfig || exit 1
    # Every line of the fragments must have survived olddefconfig (a symbol
    # whose dependencies are missing is dropped silently): checked before
    # the long part.
    for f in $FRAGMENTS; do
        while IFS= read -r line; do
            case "$line" in
            CONFIG_*=*|"# CONFIG_"*" is not set")
                grep -qxF "$line" .config || { echo "why: '$line' did not survive olddefconfig"; exit 1; } ;;
            esac
        done <"$f"
    done
    $M -j"${VEMU_KERNEL_JOBS:-2}" zImage dtbs || exit 1
) >"$LOG" 2>&1 || fail "kernel build failed: $(why=$(grep -m1 '^why: ' "$LOG") && echo "${why#why: }" ||
                                                    tail -3 "$LOG" | tr '\n' ' ' | cut -c1-200)"
SRC=$TMP/linux-source-6.1
cp "$SRC/arch/arm/boot/zImage" "$SRC/arch/arm/boot/Image" "$SRC/vmlinux" \
   "$SRC/arch/arm/boot/dts/versatile-pb.dtb" "$TMP/" || fail "build products missing"
cp "$SRC/.config" "$TMP/config"
cat "$TMP/zImage" "$TMP/versatile-pb.dtb" >"$TMP/zImage-dtb"
rm -rf "$SRC"
echo $(( $(date +%s) - start )) >"$TMP/build-seconds"
date -u +%FT%TZ >"$TMP/.complete"
rm -rf "$OUT"
mv "$TMP" "$OUT" || fail "cannot rename $TMP"
trap - EXIT
for d in "$CACHE"/linux-versatile-"$VARIANT"-*; do
    case "$d" in "$OUT"|*.tmp.*) ;; *) [ -d "$d" ] && rm -rf "$d" ;; esac
done
echo "$OUT"
