#!/bin/bash
# tests/debian/fetch-sysroot.sh ARCH [PROFILE] — makes (or reuses) a Debian
# sysroot for ARCH (armel or armhf) holding the programs tests/debian/run.sh
# exercises and every library they need, and prints its path on stdout.
#
# PROFILE "bench" (armel/armhf only) is a second, independent sysroot for
# `make bench`'s real-programs group (bench/real/): the test set plus git and
# a native gcc toolchain (gcc, binutils, libc6-dev), findutils and the rest of
# what its workloads exec.  It lives in its own directory
# (debian-bench-<arch>-<hash>) and never replaces or removes the test
# sysroot, whose package list and hash the test suite relies on.
#
# PROFILE "x86" (amd64/i386 only) is the x86 guest tier's sysroot
# (tests/debian-x86): the same programs as the ARM test set.
#
# On failure prints nothing on stdout, one line "why: <reason>" on stderr and
# exits 1: the caller turns that into SKIP lines, never FAIL (the archive being
# unreachable says nothing about vemu).
#
# How: apt-get with private options (its own sources list, package lists,
# archive cache and an empty dpkg status), so the host's apt/dpkg state is
# untouched and no multiarch setup is needed.  apt resolves the dependencies
# (`install --download-only` against an empty status), dpkg-deb -x unpacks.
#
# Layout under $VEMU_TEST_CACHE (default /var/cache/vemu-tests, or
# ~/.cache/vemu-tests when that is not writable):
#   apt-<arch>/                  sources.list, lists/, archives/ (the .debs)
#   debian-<arch>-<hash>/        the sysroot; <hash> covers the package names
#                                and the exact versions apt resolved them to
#   debian-bench-<arch>-<hash>/  the "bench" profile's sysroot (same scheme)
#   debian-<arch>-<hash>/.complete   written last: a sysroot without it is junk
#
# Cached runs do no network access: the lists are refreshed only when missing,
# older than a week, or VEMU_TEST_REFRESH=1.
set -u
ARCH=${1:?usage: fetch-sysroot.sh armel|armhf|amd64 [bench]}
PROFILE=${2:-test}

# The programs under test.  python3 (not python3-minimal) because json and
# hashlib's helpers live in libpython3.11-stdlib.  For the host's own arch
# only busybox-static: the native oracle's busybox (the other native programs
# are the host's installed ones).
case "$ARCH" in
armel|armhf) PACKAGES="libc6 busybox-static coreutils python3 lua5.4 sqlite3 perl-base perl
gzip xz-utils bzip2 zstd bash make dash diffutils grep sed mawk" ;;
amd64|arm64|i386) PACKAGES="busybox-static" ;;
*) echo "why: unknown arch $ARCH" >&2; exit 1 ;;
esac
# NAME: the sysroot directories' prefix; RESOLVED: the profile's resolve cache.
case "$PROFILE:$ARCH" in
test:*) NAME=debian-$ARCH RESOLVED=resolved.cache ;;
# "x86": the x86 guest tier's set (tests/debian-x86) for amd64 and i386, in
# its own directories: the ARM tier's amd64 sysroot (busybox only) is untouched.
x86:amd64|x86:i386)
    NAME=debian-x86-$ARCH RESOLVED=resolved-x86.cache
    PACKAGES="libc6 busybox-static coreutils python3 lua5.4 sqlite3 perl-base perl
gzip xz-utils bzip2 zstd bash make dash diffutils grep sed mawk" ;;
# "host" (arm64 only): the libraries vemu itself links, for `make
# HOST=aarch64` (scripts/fetch-aarch64-sysroot.sh): a --sysroot for
# aarch64-linux-gnu-gcc and the -L root qemu-aarch64 runs the build in.
host:arm64)
    NAME=aarch64-host-sysroot RESOLVED=resolved-host.cache
    PACKAGES="libc6-dev libcapstone-dev libelf-dev libzstd-dev zlib1g-dev libfdt-dev
libjansson-dev libslirp-dev libpng-dev libcmocka-dev" ;;
bench:armel|bench:armhf)
    NAME=debian-bench-$ARCH RESOLVED=resolved-bench.cache
    PACKAGES="$PACKAGES git gcc binutils libc6-dev findutils" ;;
*) echo "why: unknown profile $PROFILE for $ARCH" >&2; exit 1 ;;
esac

fail() { echo "why: $*" >&2; exit 1; }

CACHE=${VEMU_TEST_CACHE:-/var/cache/vemu-tests}
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
    CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vemu-tests
    mkdir -p "$CACHE" 2>/dev/null || fail "no writable cache directory"
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || fail "apt-get/dpkg-deb not available"

APTDIR=$CACHE/apt-$ARCH
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" || fail "cannot create $APTDIR"

# Only Debian's archive is reachable, so the host's other sources (which may
# list vendors' repositories) are not used: the suite is the host's release,
# so the guest programs are the same versions as the host's native ones.
codename=$( . /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || codename=bookworm
MIRROR=${VEMU_DEBIAN_MIRROR:-http://deb.debian.org}
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

APT=(apt-get -q -o APT::Architecture="$ARCH" -o APT::Architectures="$ARCH"
     -o Dir::Etc::SourceList="$APTDIR/sources.list" -o Dir::Etc::SourceParts=/nonexistent
     -o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR"
     -o Dir::Cache::archives="$APTDIR/archives" -o Dir::State::status=/dev/null
     -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
     -o Acquire::Retries=2 -o Acquire::http::Timeout=30)

# One fetch per arch at a time (two test runs may share the cache).
exec 9>"$CACHE/debian-$ARCH.lock"
flock -w 600 9 || fail "timed out waiting for $CACHE/debian-$ARCH.lock"

have_lists() { ls "$APTDIR"/lists/*_main_binary-"$ARCH"_Packages* >/dev/null 2>&1; }

apt_update() {
    # A partial failure (the security mirror mid-sync, say) still leaves
    # usable lists: what counts is whether the main list is there afterwards.
    timeout 300 "${APT[@]}" update >"$APTDIR/update.log" 2>&1
    have_lists || fail "apt-get update for $ARCH failed: $(grep -m1 -E '^(E|W|Err):' "$APTDIR/update.log" | cut -c1-120)"
}

stale=$(find "$APTDIR/lists" -maxdepth 1 -name "*_main_binary-${ARCH}_Packages*" -mtime -7 2>/dev/null | head -1)
if ! have_lists || [ -z "$stale" ] || [ "${VEMU_TEST_REFRESH:-0}" = 1 ]; then
    # Refresh; when offline, fall back to what is there.
    if ! (apt_update) 2>"$APTDIR/update.why"; then
        have_lists || { cat "$APTDIR/update.why" >&2; exit 1; }
    fi
fi

latest_sysroot() {   # the newest complete sysroot for this arch, if any
    local d
    d=$(ls -td "$CACHE"/"$NAME"-*/.complete 2>/dev/null | head -1)
    [ -n "$d" ] && dirname "$d"
}

# Resolve: the exact package versions apt would install on an empty system.
# The answer is kept in resolved.cache, keyed by the package names and the
# lists' sizes and times, so a cached run does not pay apt's few seconds.
resolve() {
    local key
    key=$(printf '%s\n' "$PACKAGES"; stat -c '%n %s %Y' "$APTDIR"/lists/*Packages* 2>/dev/null)
    key=$(printf '%s' "$key" | sha256sum | cut -c1-16)
    if [ -s "$APTDIR/$RESOLVED" ] && [ "$(head -1 "$APTDIR/$RESOLVED")" = "$key" ]; then
        tail -n +2 "$APTDIR/$RESOLVED"
        return
    fi
    local out
    out=$("${APT[@]}" -s --no-install-recommends install $PACKAGES 2>"$APTDIR/resolve.err" \
        | awk '$1 == "Inst" { v = $3; gsub(/[()]/, "", v); print $2 "=" v }' | sort)
    [ -n "$out" ] && printf '%s\n%s\n' "$key" "$out" >"$APTDIR/$RESOLVED"
    printf '%s\n' "$out"
}
pkgs=$(resolve)
if [ -z "$pkgs" ]; then
    old=$(latest_sysroot)
    [ -n "$old" ] && { echo "$old"; exit 0; }
    fail "apt could not resolve the packages for $ARCH: $(head -c 120 "$APTDIR/resolve.err")"
fi
hash=$(printf '%s\n' "$pkgs" | sha256sum | cut -c1-12)
ROOT=$CACHE/$NAME-$hash
if [ -e "$ROOT/.complete" ]; then
    echo "$ROOT"
    exit 0
fi

download() {
    timeout 600 "${APT[@]}" -y --download-only --no-install-recommends install $PACKAGES \
        >"$APTDIR/download.log" 2>&1
}
if ! download; then
    # Old lists may name versions the mirror no longer has: refresh once.
    (apt_update) 2>/dev/null
    if ! download; then
        old=$(latest_sysroot)
        [ -n "$old" ] && { echo "$old"; exit 0; }
        fail "apt-get download for $ARCH failed: $(grep -m1 -E '^(E|Err):' "$APTDIR/download.log" | cut -c1-120)"
    fi
fi

# Unpack every resolved package (by name and version: the archive cache may
# hold older versions too).  A fresh temporary dir, renamed when complete.
TMP=$ROOT.tmp.$$
rm -rf "$TMP"
mkdir -p "$TMP" || fail "cannot create $TMP"
pkgs=$(resolve)   # a refresh above may have moved versions
while IFS== read -r name ver; do
    [ -n "$name" ] || continue
    fver=${ver//:/%3a}
    deb=$(ls "$APTDIR/archives/${name}_${fver}_"*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || { rm -rf "$TMP"; fail "package $name=$ver missing from $APTDIR/archives"; }
    dpkg-deb -x "$deb" "$TMP" || { rm -rf "$TMP"; fail "dpkg-deb -x $deb failed"; }
done <<<"$pkgs"
hash=$(printf '%s\n' "$pkgs" | sha256sum | cut -c1-12)
ROOT=$CACHE/$NAME-$hash

# Debian ships these as alternatives/maintainer-script links; make the names
# the tests use exist.
ALTS="lua:lua5.4 python3:python3.11"
[ "$PROFILE" = bench ] && ALTS="$ALTS awk:mawk cc:gcc"
for alt in $ALTS; do
    [ -e "$TMP/usr/bin/${alt#*:}" ] && [ ! -e "$TMP/usr/bin/${alt%%:*}" ] && ln -s "${alt#*:}" "$TMP/usr/bin/${alt%%:*}"
done
# The bench profile's toolchain must not see the host's cross toolchain: with
# -L, a path missing from the sysroot falls back to the host's, and gcc
# searches /usr/arm-linux-gnueabihf/{include,lib} (a Debian armhf system has
# none; a host with a cross compiler has).  Empty directories stop that.
[ "$PROFILE" = bench ] && mkdir -p "$TMP/usr/$(ls "$TMP/usr/lib/gcc" 2>/dev/null | head -1)/include" \
    "$TMP/usr/$(ls "$TMP/usr/lib/gcc" 2>/dev/null | head -1)/lib"
printf '%s\n' "$pkgs" >"$TMP/.packages"
date -u +%FT%TZ >"$TMP/.complete"
rm -rf "$ROOT"
mv "$TMP" "$ROOT" || fail "cannot rename $TMP"

# Keep the cache bounded: older sysroots of this arch go, and so do .debs not
# in this package set.
for d in "$CACHE"/"$NAME"-*; do
    [ "$d" = "$ROOT" ] || [ ! -d "$d" ] || rm -rf "$d"
done
"${APT[@]}" autoclean >/dev/null 2>&1 || true
echo "$ROOT"
