#!/bin/bash
# tests/system/make-initramfs.sh — makes (or reuses) the busybox initramfs the
# system tests boot and prints its path (a .cpio.gz) on stdout.
#
# Contents: Debian's armel busybox-static (from the armel sysroot that
# tests/debian/fetch-sysroot.sh keeps in the same cache), /init from
# tests/system/init.sh, /dev/console and /dev/null nodes (the kernel opens
# /dev/console for init before anything is mounted), empty /proc /sys /dev
# /tmp /mnt, and /bin/segv (segv.S: a process that faults).  Written by mkcpio.py: no root needed, reproducible.
#
# Cache: $VEMU_TEST_CACHE/initramfs-<key>.cpio.gz, <key> = busybox-static's
# version + init.sh + mkcpio.py; a lock serialises concurrent makers.
# On failure: nothing on stdout, "why: ..." on stderr, exit 1.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
fail() { echo "why: $*" >&2; exit 1; }

ROOT=$("$HERE/../debian/fetch-sysroot.sh" armel 2>/tmp/vemu-initramfs.$$) \
    || { why=$(cat /tmp/vemu-initramfs.$$); rm -f /tmp/vemu-initramfs.$$; fail "armel sysroot: ${why#why: }"; }
rm -f /tmp/vemu-initramfs.$$
CACHE=$(dirname "$ROOT")
BB=$ROOT/bin/busybox
[ -x "$BB" ] || fail "no busybox in $ROOT"
bbver=$(grep '^busybox-static=' "$ROOT/.packages")
[ -n "$bbver" ] || fail "busybox-static missing from $ROOT/.packages"
CC=${ARMEL_CC:-arm-linux-gnueabi-gcc}
command -v "$CC" >/dev/null || fail "$CC not installed (scripts/setup-deps.sh)"
key=$( { echo "$bbver"; "$CC" --version | head -1; cat "$HERE/init.sh" "$HERE/mkcpio.py" "$HERE/segv.S"; } \
       | sha256sum | cut -c1-12)
OUT=$CACHE/initramfs-$key.cpio.gz
[ -s "$OUT" ] && { echo "$OUT"; exit 0; }

exec 9>"$CACHE/initramfs.lock"
flock -w 600 9 || fail "timed out waiting for $CACHE/initramfs.lock"
[ -s "$OUT" ] && { echo "$OUT"; exit 0; }
SEGV=$(mktemp) || fail "mktemp failed"
trap 'rm -f "$SEGV"' EXIT
"$CC" -march=armv5te -marm -static -nostdlib -o "$SEGV" "$HERE/segv.S" 2>/dev/null \
    || fail "$CC cannot build segv.S"
python3 "$HERE/mkcpio.py" "$OUT.tmp.$$" <<SPEC || { rm -f "$OUT.tmp.$$"; fail "mkcpio.py failed"; }
dir /bin 0755
dir /sbin 0755
dir /usr 0755
dir /usr/bin 0755
dir /usr/sbin 0755
dir /dev 0755
dir /proc 0555
dir /sys 0555
dir /tmp 01777
dir /mnt 0755
dir /root 0700
dir /etc 0755
nod /dev/console 0600 c 5 1
nod /dev/null 0666 c 1 3
file /bin/busybox 0755 $BB
slink /bin/sh busybox
file /init 0755 $HERE/init.sh
file /bin/segv 0755 $SEGV
SPEC
mv "$OUT.tmp.$$" "$OUT" || fail "cannot rename $OUT.tmp.$$"
for f in "$CACHE"/initramfs-*.cpio.gz; do [ "$f" = "$OUT" ] || rm -f "$f"; done
echo "$OUT"
