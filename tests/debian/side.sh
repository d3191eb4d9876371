#!/bin/bash
# tests/debian/side.sh SIDE TESTFILE — runs one workload on one side, in the
# current directory (a scratch copy of the inputs).  Called by run.sh.
#
#   SIDE      native  the host's own x86_64 programs (the oracle)
#             vemu    the Debian ARM programs under $VEMU -L $SYSROOT
#             qemu    the same under qemu-arm (oracle when a native program
#                     is missing, and for triage)
#   TESTFILE  a workloads/*.test file: bash that runs programs through `g`
#
# Environment: SYSROOT, VEMU, NATIVE_BUSYBOX (a host busybox-static, since
# Debian's dynamic busybox lacks the "applets first" shell that the static one
# has), WORKLOADS (the workloads folder, for scripts the tests feed programs).
#
# Exit status: the test's own; 97 when a native program is missing (the
# runner then uses qemu-arm as the oracle; the reason is in ./.missing).
set -u
SIDE=$1
TESTFILE=$2
[ -f "$TESTFILE" ] || { echo "side.sh: no test file $TESTFILE" >&2; exit 98; }

# The fixed environment every program sees, identical on both sides.
PROG_ENV=(env -i LC_ALL=C LANG=C PATH=/usr/bin:/bin HOME="$PWD" TMPDIR="$PWD" TZ=UTC
          PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0)
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    [ -n "${!v:-}" ] && PROG_ENV+=("$v=${!v}")
done

native_path() {
    case "$1" in
    busybox) [ -n "${NATIVE_BUSYBOX:-}" ] && [ -x "$NATIVE_BUSYBOX" ] && { echo "$NATIVE_BUSYBOX"; return; }
             return 1 ;;
    esac
    local d
    for d in /usr/bin /bin; do   # never a PATH lookup: pyenv/venv shims are not Debian's
        [ -x "$d/$1" ] && { echo "$d/$1"; return; }
    done
    return 1
}

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
    case "$SIDE" in
    native)
        if ! path=$(native_path "$prog"); then
            echo "native $prog not installed" >.missing
            exit 97
        fi
        "${PROG_ENV[@]}" "$path" "$@" ;;
    vemu|qemu)
        if ! path=$(guest_path "$prog"); then
            echo "side.sh: $prog not in $SYSROOT" >&2
            return 127
        fi
        local emu=$VEMU
        [ "$SIDE" = qemu ] && emu=qemu-arm
        "${PROG_ENV[@]}" "$emu" -L "$SYSROOT" "$path" "$@" ;;
    *) echo "side.sh: unknown side $SIDE" >&2; exit 98 ;;
    esac
}

# say LABEL: a marker line, so a diff shows which step differs.
say() { printf '== %s\n' "$*"; }

. "$TESTFILE"
