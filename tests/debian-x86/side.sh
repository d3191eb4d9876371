#!/bin/bash
# tests/debian-x86/side.sh SIDE TESTFILE — runs one of tests/debian's
# workloads on one side, in the current directory (a scratch copy of the
# inputs), with Debian's amd64 or i386 programs from $SYSROOT:
#   native  amd64: the sysroot's own programs run natively through the
#           sysroot's ld.so and libraries (the same bytes vemu runs)
#   qemu    i386: the sysroot's programs under qemu-i386 -L (the oracle:
#           this kernel runs no 32-bit programs)
#   vemu    $VEMU -L $SYSROOT
# Environment: SYSROOT, VEMU, ARCH (amd64|i386), WORKLOADS.
set -u
SIDE=$1
TESTFILE=$2
[ -f "$TESTFILE" ] || { echo "side.sh: no test file $TESTFILE" >&2; exit 98; }
PROG_ENV=(env -i LC_ALL=C LANG=C PATH=/usr/bin:/bin HOME="$PWD" TMPDIR="$PWD" TZ=UTC
          PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0)
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS VEMU_CACHE_DIR VEMU_CACHE_SIZE; do
    [ -n "${!v:-}" ] && PROG_ENV+=("$v=${!v}")
done
MULTIARCH=$([ "$ARCH" = amd64 ] && echo x86_64-linux-gnu || echo i386-linux-gnu)

guest_path() {
    local d
    for d in usr/bin bin; do
        [ -e "$SYSROOT/$d/$1" ] && { echo "$SYSROOT/$d/$1"; return; }
    done
    return 1
}

# g PROG ARGS...: run Debian's PROG on this side.
g() {
    local prog=$1 path
    shift
    if ! path=$(guest_path "$prog"); then
        echo "side.sh: $prog not in $SYSROOT" >&2
        return 127
    fi
    case "$SIDE" in
    native)
        # busybox-static has no interpreter: run it directly
        if [ "$prog" = busybox ]; then "${PROG_ENV[@]}" "$path" "$@"; return; fi
        "${PROG_ENV[@]}" "$SYSROOT/lib64/ld-linux-x86-64.so.2" \
            --library-path "$SYSROOT/lib/$MULTIARCH:$SYSROOT/usr/lib/$MULTIARCH" --argv0 "$path" "$path" "$@" ;;
    qemu) "${PROG_ENV[@]}" qemu-i386 -L "$SYSROOT" "$path" "$@" ;;
    vemu) "${PROG_ENV[@]}" "$VEMU" -L "$SYSROOT" "$path" "$@" ;;
    *) echo "side.sh: unknown side $SIDE" >&2; exit 98 ;;
    esac
}
say() { printf '== %s\n' "$*"; }
. "$TESTFILE"
