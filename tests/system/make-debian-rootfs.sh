#!/bin/bash
# tests/system/make-debian-rootfs.sh — builds (or reuses) the Debian 12
# armel disk image the root-filesystem boot tests use (tests/system-debian,
# bench's disk row), and prints the directory that holds it on stdout:
#   debian.qcow2   a 1 GiB qcow2 disk: an MBR with one ext4 partition
#                  (/dev/sda1 in the guest) holding the root filesystem
#   packages       the packages and versions in it (name=version lines)
#   build.log, build-seconds
#
# The root filesystem is Debian's packages unpacked (apt resolves them for
# armel against an empty dpkg status, dpkg-deb -x unpacks them), plus what
# their maintainer scripts would have made and the guest needs: passwd,
# shadow and group, PAM's common-* files, hostname, hosts, fstab,
# machine-id, the dpkg status database (dpkg -l, apt-cache).  No
# maintainer script runs and nothing runs under emulation, so the build
# takes about a minute and needs no binfmt or chroot.  Init is systemd (the
# default in Debian 12); the kernel's console= makes systemd's getty
# generator start a serial getty on ttyAMA0.  Root's password is "root".
#
# apt runs with private options exactly as tests/debian/fetch-sysroot.sh
# does (its own sources list, lists and archive cache under
# $CACHE/apt-armel, shared with that script and under the same lock), so
# the host needs no multiarch setup.
#
# Cache: $VEMU_TEST_CACHE (default /var/cache/vemu-tests, or
# ~/.cache/vemu-tests) / debian-rootfs-armel-<key>, where <key> hashes the
# resolved package names and versions, the image size, the recipe version
# and this script (vemu-img is not part of it: the image is checked with
# `vemu-img check` after converting).  A directory without .complete is
# junk; older images are removed.  Cached runs touch no network unless the
# apt lists are older than a week (VEMU_TEST_REFRESH=1 forces a refresh).
#
# VEMU_ROOTFS_NO_BUILD=1: only look the image up in the cache (make bench).
# BUILD (default build, relative to the repository) holds vemu-img.
#
# On failure prints nothing on stdout, "why: <reason>" on stderr, exit 1
# (the caller turns that into SKIP lines).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RECIPE=1   # bump when the steps below change what is built
ARCH=armel
SIZE_MIB=1024
fail() { echo "why: $*" >&2; exit 1; }

# Debian's Required packages (what debootstrap's minbase installs), init,
# login, and what the tests run: apt and dpkg, iproute2 and wget for the
# network tests, netcat for hostfwd, python3-minimal for a workload.
PACKAGES="base-files base-passwd bash bsdutils coreutils dash debconf debianutils
diffutils dpkg e2fsprogs findutils grep gzip hostname init-system-helpers
libc-bin login mawk mount ncurses-base ncurses-bin passwd perl-base sed
sysvinit-utils tar util-linux apt systemd systemd-sysv udev libpam-runtime
libpam-modules libpam-modules-bin procps iproute2 iputils-ping netbase wget
netcat-openbsd python3-minimal less"
PACKAGES=$(echo $PACKAGES)

CACHE=${VEMU_TEST_CACHE:-/var/cache/vemu-tests}
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
    CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vemu-tests
    mkdir -p "$CACHE" 2>/dev/null || fail "no writable cache directory"
fi
latest() {   # the newest complete image, if any
    local d
    d=$(ls -td "$CACHE"/debian-rootfs-$ARCH-*/.complete 2>/dev/null | head -1)
    [ -n "$d" ] && dirname "$d"
}
if [ "${VEMU_ROOTFS_NO_BUILD:-0}" = 1 ]; then
    d=$(latest) && { echo "$d"; exit 0; }
    fail "the Debian image is not built yet (tests/system/make-debian-rootfs.sh builds it)"
fi

for t in apt-get dpkg-deb mke2fs python3 flock; do
    command -v $t >/dev/null || fail "$t not installed (scripts/setup-deps.sh)"
done
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
IMG=$BUILD/vemu-img
[ -x "$IMG" ] || fail "$IMG not built (make all)"
# Ownership inside the image is the unpacked tree's: root-owned files need
# root (or fakeroot around the unpack and mke2fs).
# root (or fakeroot around the whole build: the unpack and mke2fs must
# share its session).
if [ "$(id -u)" != 0 ] && [ -z "${FAKEROOTKEY:-}" ]; then
    command -v fakeroot >/dev/null || fail "not root and fakeroot not installed"
    exec fakeroot "$0" "$@"
fi

APTDIR=$CACHE/apt-$ARCH
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" || fail "cannot create $APTDIR"
codename=$( . /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || codename=bookworm
MIRROR=${VEMU_DEBIAN_MIRROR:-http://deb.debian.org}
APT=(apt-get -q -o APT::Architecture="$ARCH" -o APT::Architectures="$ARCH"
     -o Dir::Etc::SourceList="$APTDIR/sources.list" -o Dir::Etc::SourceParts=/nonexistent
     -o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR"
     -o Dir::Cache::archives="$APTDIR/archives" -o Dir::State::status=/dev/null
     -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
     -o Acquire::Retries=2 -o Acquire::http::Timeout=30)

# The apt directory is shared with tests/debian/fetch-sysroot.sh: its lock.
exec 9>"$CACHE/debian-$ARCH.lock"
flock -w 900 9 || fail "timed out waiting for $CACHE/debian-$ARCH.lock"
cat >"$APTDIR/sources.list.new" <<EOF
deb $MIRROR/debian $codename main
deb $MIRROR/debian $codename-updates main
deb $MIRROR/debian-security $codename-security main
EOF
if cmp -s "$APTDIR/sources.list.new" "$APTDIR/sources.list"; then
    rm -f "$APTDIR/sources.list.new"
else
    mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
    rm -f "$APTDIR"/lists/*Packages* "$APTDIR"/lists/*Release*
fi
have_lists() { ls "$APTDIR"/lists/*_main_binary-"$ARCH"_Packages* >/dev/null 2>&1; }
apt_update() {
    timeout 300 "${APT[@]}" update >"$APTDIR/update.log" 2>&1
    have_lists
}
fresh=$(find "$APTDIR/lists" -maxdepth 1 -name "*_main_binary-${ARCH}_Packages*" -mtime -7 2>/dev/null | head -1)
if ! have_lists || [ -z "$fresh" ] || [ "${VEMU_TEST_REFRESH:-0}" = 1 ]; then
    if ! apt_update && ! have_lists; then
        d=$(latest) && { echo "$d"; exit 0; }
        fail "apt-get update for $ARCH failed: $(grep -m1 -E '^(E|W|Err):' "$APTDIR/update.log" | cut -c1-120)"
    fi
fi

# The exact versions apt would install on an empty system: the key.
resolve() {
    "${APT[@]}" -s --no-install-recommends install $PACKAGES 2>"$APTDIR/rootfs-resolve.err" \
        | awk '$1 == "Inst" { v = $3; gsub(/[()]/, "", v); print $2 "=" v }' | sort
}
pkgs=$(resolve)
if [ -z "$pkgs" ]; then
    d=$(latest) && { echo "$d"; exit 0; }
    fail "apt could not resolve the packages: $(head -c 160 "$APTDIR/rootfs-resolve.err")"
fi
key=$( { echo "recipe $RECIPE size $SIZE_MIB"; printf '%s\n' "$pkgs"; cat "$0"; } | sha256sum | cut -c1-12)
OUT=$CACHE/debian-rootfs-$ARCH-$key
if [ -e "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi

download() {
    timeout 900 "${APT[@]}" -y --download-only --no-install-recommends install $PACKAGES \
        >"$APTDIR/rootfs-download.log" 2>&1
}
if ! download; then
    apt_update
    pkgs=$(resolve)
    download || fail "apt-get download failed: $(grep -m1 -E '^(E|Err):' "$APTDIR/rootfs-download.log" | cut -c1-120)"
    key=$( { echo "recipe $RECIPE size $SIZE_MIB"; printf '%s\n' "$pkgs"; cat "$0"; } | sha256sum | cut -c1-12)
    OUT=$CACHE/debian-rootfs-$ARCH-$key
fi

TMP=$OUT.tmp.$$
rm -rf "$TMP"
mkdir -p "$TMP/root" || fail "cannot create $TMP"
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
LOG=$TMP/build.log
printf '%s\n' "$pkgs" >"$TMP/packages"
(
    set -e
    R=$TMP/root
    STATUS=$TMP/status
    : >"$STATUS"
    while IFS== read -r name ver; do
        [ -n "$name" ] || continue
        deb=$(ls "$APTDIR/archives/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1)
        [ -n "$deb" ] || { echo "why: package $name=$ver missing from $APTDIR/archives"; exit 1; }
        dpkg-deb -x "$deb" "$R"
        # update-alternatives --install lines of its postinst (see below)
        dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst 2>/dev/null >>"$TMP/postinsts" || true
        # The dpkg database entry dpkg's own unpack would have written.
        dpkg-deb -f "$deb" | awk 'NR == 1 { print; print "Status: install ok installed"; next } { print }' >>"$STATUS"
        echo >>"$STATUS"
        mkdir -p "$R/var/lib/dpkg/info"
        dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|^\.$|/.|; s|/$||' \
            >"$R/var/lib/dpkg/info/$name.list"
    done <<<"$pkgs"
    # What the maintainer scripts would have made.
    mkdir -p "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers" "$R/var/log" "$R/var/tmp" \
        "$R/tmp" "$R/root" "$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/mnt" "$R/home"
    chmod 1777 "$R/tmp" "$R/var/tmp"
    chmod 700 "$R/root"
    mv "$STATUS" "$R/var/lib/dpkg/status"
    : >"$R/var/lib/dpkg/available"
    : >"$R/var/lib/dpkg/diversions"
    : >"$R/var/lib/dpkg/statoverride"
    echo "$ARCH" >"$R/var/lib/dpkg/arch"
    # base-passwd: the master files; passwd: shadow entries (root's
    # password "root", everyone else locked).
    # The password fields say "x" (look in shadow), as pwconv/grpconv
    # leave them: pam_unix reads shadow only then.
    awk -F: -v OFS=: '{ $2 = "x"; print }' "$R/usr/share/base-passwd/passwd.master" >"$R/etc/passwd"
    awk -F: -v OFS=: '{ $2 = "x"; print }' "$R/usr/share/base-passwd/group.master" >"$R/etc/group"
    roothash=$(python3 -c 'import crypt; print(crypt.crypt("root", "$6$vemudebian$"))' 2>/dev/null)
    [ -n "$roothash" ] || roothash=$(openssl passwd -6 -salt vemudebian root)
    awk -F: -v h="$roothash" '{ print $1 ":" ($1 == "root" ? h : "*") ":19700:0:99999:7:::" }' \
        "$R/etc/passwd" >"$R/etc/shadow"
    awk -F: '{ print $1 ":*::" }' "$R/etc/group" >"$R/etc/gshadow"
    chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
    chgrp 42 "$R/etc/shadow" "$R/etc/gshadow"   # group shadow in base-passwd
    # base-files copies these from /usr/share/base-files.
    for f in base-files/dot.profile:root/.profile base-files/dot.bashrc:root/.bashrc \
             base-files/profile:etc/profile base-files/motd:etc/motd \
             libc-bin/nsswitch.conf:etc/nsswitch.conf; do
        src=$R/usr/share/${f%%:*}
        [ -f "$src" ] && [ ! -e "$R/${f#*:}" ] && cp "$src" "$R/${f#*:}"
    done
    [ -e "$R/etc/shells" ] || printf '/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/dash\n/usr/bin/dash\n' >"$R/etc/shells"
    # libpam-runtime: pam-auth-update's output for the modules installed.
    cat >"$R/etc/pam.d/common-auth" <<'EOF'
auth	[success=1 default=ignore]	pam_unix.so nullok
auth	requisite			pam_deny.so
auth	required			pam_permit.so
EOF
    cat >"$R/etc/pam.d/common-account" <<'EOF'
account	[success=1 new_authtok_reqd=done default=ignore]	pam_unix.so
account	requisite			pam_deny.so
account	required			pam_permit.so
EOF
    cat >"$R/etc/pam.d/common-password" <<'EOF'
password	[success=1 default=ignore]	pam_unix.so obscure yescrypt
password	requisite			pam_deny.so
password	required			pam_permit.so
EOF
    cat >"$R/etc/pam.d/common-session" <<'EOF'
session	[default=1]			pam_permit.so
session	requisite			pam_deny.so
session	required			pam_permit.so
session	required	pam_unix.so
EOF
    cp "$R/etc/pam.d/common-session" "$R/etc/pam.d/common-session-noninteractive"
    echo vemu-debian >"$R/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\tvemu-debian\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
    printf '# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/sda1 / ext4 errors=remount-ro 0 1\n' >"$R/etc/fstab"
    # A fixed machine id: systemd's first-boot setup (presets, a generated
    # id) would otherwise write to the image on its first boot.
    echo 5f1e2d3c4b5a69788796a5b4c3d2e1f0 >"$R/etc/machine-id"
    mkdir -p "$R/var/lib/dbus"
    # user networking's resolver (slirp's DNS forwarder)
    echo "nameserver 10.0.2.3" >"$R/etc/resolv.conf"
    # update-alternatives: each name's highest-priority choice among the
    # postinsts' --install lines (awk -> mawk, nc -> nc.openbsd, pager ...);
    # their --slave links too (netcat, man pages).
    mkdir -p "$R/etc/alternatives"
    python3 - "$TMP/postinsts" "$R" <<'PY'
import os, re, sys
text = open(sys.argv[1], errors="replace").read().replace("\\\n", " ")
root, best = sys.argv[2], {}
for m in re.finditer(r"update-alternatives\s+(?:--quiet\s+)?--install\s+(/\S+)\s+(\S+)\s+(/\S+)\s+(\d+)([^\n]*)", text):
    link, name, path, prio, rest = m.groups()
    if "$" in link + name + path or not os.path.exists(root + path):
        continue
    slaves = re.findall(r"--slave\s+(/\S+)\s+(\S+)\s+(/\S+)", rest.split("--install")[0])
    if name not in best or int(prio) > best[name][0]:
        best[name] = (int(prio), link, path, slaves)
for name, (prio, link, path, slaves) in sorted(best.items()):
    for l, n, p in [(link, name, path)] + slaves:
        if "$" in l + n + p or not os.path.exists(root + p):
            continue
        alt = os.path.join(root, "etc/alternatives", n)
        if not os.path.lexists(alt):
            os.symlink(p, alt)
        if not os.path.lexists(root + l) and os.path.isdir(os.path.dirname(root + l)):
            os.symlink("/etc/alternatives/" + n, root + l)
PY
    [ -e "$R/usr/bin/python3" ] || ln -s python3.11 "$R/usr/bin/python3"
    # No VT getty (the board's console is the serial port; tty1 is the
    # framebuffer, which systemd would otherwise try too).
    ln -sf /dev/null "$R/etc/systemd/system/getty@tty1.service"
    # Units that only wait for hardware or network this board lacks.
    ln -sf /dev/null "$R/etc/systemd/system/systemd-networkd-wait-online.service"
    # getty-static starts gettys on tty2-6 when logind is missing (no dbus
    # here): the console is the serial port.
    ln -sf /dev/null "$R/etc/systemd/system/getty-static.service"
    echo "alternatives: $(ls "$R/etc/alternatives" | tr '\n' ' ')"
    echo "image: $SIZE_MIB MiB, MBR, ext4 partition from sector 2048"
    rm -f "$R/var/cache/apt/archives/"*.deb
    # The disk: MBR + ext4 at 1 MiB (mke2fs -d writes the tree, -E offset
    # places the file system after the partition table).
    RAW=$TMP/disk.raw
    truncate -s ${SIZE_MIB}M "$RAW"
    python3 - "$RAW" $SIZE_MIB <<'EOF'
import struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
start, count = 2048, mib * 2048 - 2048
# one primary partition, type 0x83 (Linux), bootable flag off; CHS fields
# use the "beyond 1024 cylinders" marker, as fdisk writes for LBA disks
entry = struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff", start, count)
mbr = bytearray(512)
mbr[440:444] = struct.pack("<I", 0x7e4d5600)   # disk signature
mbr[446:462] = entry
mbr[510:512] = b"\x55\xaa"
with open(path, "r+b") as f:
    f.write(mbr)
EOF
    mke2fs -q -t ext4 -L debian-root -E offset=1048576 -d "$R" "$RAW" $(( (SIZE_MIB - 1) * 1024 ))k
    "$IMG" convert -f raw -O qcow2 "$RAW" "$TMP/debian.qcow2"
    "$IMG" check "$TMP/debian.qcow2"
    rm -f "$RAW"
) >"$LOG" 2>&1 || fail "image build failed: $(why=$(grep -m1 '^why: ' "$LOG") && echo "${why#why: }" ||
                                                  tail -3 "$LOG" | tr '\n' ' ' | cut -c1-200)"
rm -rf "$TMP/root"
echo $(( $(date +%s) - start )) >"$TMP/build-seconds"
date -u +%FT%TZ >"$TMP/.complete"
rm -rf "$OUT"
mv "$TMP" "$OUT" || fail "cannot rename $TMP"
trap - EXIT
for d in "$CACHE"/debian-rootfs-$ARCH-*; do
    case "$d" in "$OUT"|*.tmp.*) ;; *) [ -d "$d" ] && rm -rf "$d" ;; esac
done
echo "$OUT"
