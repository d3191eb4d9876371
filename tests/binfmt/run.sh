#!/bin/bash
# tests/binfmt/run.sh — vemu-binfmt against the real kernel binfmt_misc.
#
# Registers vemu-arm under a private name (vemu-test-PID), runs a static ARM
# program directly (./show-argv), checks argv[0] handling for each flag,
# status/doctor output and that uninstall leaves nothing behind.  Needs
# root and a mountable binfmt_misc; otherwise every test is SKIPped.
#
# While the private entry is registered, every ARM program on the machine
# runs through it (newest entry wins), so each registration is kept short
# and the trap below removes it whatever happens.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VB=$BUILD/vemu-binfmt
VEMU=$BUILD/vemu-arm
BF=/proc/sys/fs/binfmt_misc
NAME=vemu-test-$$
WORK=$(mktemp -d /tmp/vemu-binfmt-test.XXXXXX)
MOUNTED_BY_US=0

cleanup() {
    for e in "$NAME" "$NAME-other"; do
        [ -e "$BF/$e" ] && echo -1 > "$BF/$e" 2>/dev/null
    done
    [ $MOUNTED_BY_US = 1 ] && umount "$BF" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

ALL_TESTS="refuse-unbuilt x86-native-refused conf-native-refused conf-line non-root install-flags-none install-flags-P install-flags-F
install-flags-O install-flags-OC exec-only-O pie-et-dyn install-flags-PF install-flags-POCF x86-not-claimed exists-refused
force-replace status doctor-disabled doctor-conflict uninstall"
skip_all() {
    for t in $ALL_TESTS; do echo "SKIP: binfmt/$t ($1)"; done
    exit 0
}

[ -x "$VB" ] && [ -x "$VEMU" ] || skip_all "$VB or $VEMU not built"
[ "$(id -u)" = 0 ] || skip_all "not root"
command -v arm-linux-gnueabi-gcc >/dev/null || skip_all "no arm-linux-gnueabi-gcc"
command -v python3 >/dev/null || skip_all "no python3"
if [ ! -e "$BF/register" ]; then
    mount -t binfmt_misc binfmt_misc "$BF" 2>/dev/null || skip_all "cannot mount binfmt_misc"
    MOUNTED_BY_US=1
fi
arm-linux-gnueabi-gcc -static -O2 -o "$WORK/show-argv" tests/binfmt/show-argv.c \
    || skip_all "cannot build the ARM test program"
VEMU_ABS=$(realpath "$VEMU")

pass() { echo "PASS: binfmt/$1"; }
fail() { echo "FAIL: binfmt/$1${2:+ ($2)}"; }
check() {   # check NAME COMMAND...: PASS if the command succeeds
    local t=$1; shift
    if "$@"; then pass "$t"; else fail "$t"; fi
}

# Runs the ARM program directly: execv("./show-argv", [$1, "x", "y z"]).
# (python's execv controls both the path and argv[0] exactly; a shell's
# `exec -a` may substitute the full path it found.)
run_direct() {
    (cd "$WORK" && python3 -c 'import os, sys; os.execv("./show-argv", [sys.argv[1], "x", "y z"])' "$1") 2>&1
}

# --- no kernel state needed ------------------------------------------------
HOSTARCH=$(uname -m)
if [ "$HOSTARCH" = x86_64 ]; then
    # i386 and x86_64 run natively here: refused whether built or not
    echo "SKIP: binfmt/refuse-unbuilt (every guest not built yet runs natively on x86_64)"
    o1=$("$VB" install i386 2>&1); r1=$?
    o2=$("$VB" install --name "$NAME" x86_64 2>&1); r2=$?
    check x86-native-refused test $r1 = 1 -a $r2 = 1 \
        -a -z "${o1##*i386 programs run natively on this x86_64 host*refused*}" \
        -a -z "${o2##*x86_64 programs run natively on this x86_64 host*refused*}" -a ! -e "$BF/$NAME"
    out=$("$VB" conf x86_64 2>&1); rc=$?
    check conf-native-refused test $rc = 1 -a -z "${out##*run natively*}"
else
    out=$("$VB" install i386 2>&1); rc=$?
    if [ -x "$BUILD/vemu-i386" ]; then
        echo "SKIP: binfmt/refuse-unbuilt (vemu-i386 is built)"
    else
        check refuse-unbuilt test $rc = 1 -a -z "${out##*vemu-i386 is not built yet*}"
    fi
    echo "SKIP: binfmt/x86-native-refused (host $HOSTARCH runs no x86 code natively)"
    echo "SKIP: binfmt/conf-native-refused (host $HOSTARCH runs no x86 code natively)"
fi

line=$("$VB" conf --flags PF --interpreter /usr/local/bin/vemu-arm arm | grep -v '^#')
IFS=: read -r empty name type offset magic mask interp flags <<<"$line"
check conf-line test "$empty|$name|$type|$offset|$interp|$flags" = "|vemu-arm|M||/usr/local/bin/vemu-arm|PF" \
    -a ${#magic} = 80 -a ${#mask} = 80

if command -v setpriv >/dev/null; then
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$VB" install --name "$NAME" arm 2>&1); rc=$?
    check non-root test $rc = 1 -a -z "${out##*needs root*}" -a ! -e "$BF/$NAME"
else
    echo "SKIP: binfmt/non-root (no setpriv)"
fi

# --- one registration per flag set ------------------------------------------
# With P the program must see the argv[0] it was started with; without P the
# kernel replaces it with the path it was run by (here ./show-argv).
for flags in "" P F O OC PF POCF; do
    t=install-flags-${flags:-none}
    out=$("$VB" install --quiet --force --name "$NAME" --flags "$flags" \
          --interpreter "$VEMU_ABS" arm 2>&1) || { fail "$t" "install: $out"; continue; }
    got=$(run_direct myname); rc=$?
    echo -1 > "$BF/$NAME"
    case $flags in *P*) want0=myname ;; *) want0=./show-argv ;; esac
    want=$(printf 'argc=3\nargv[0]=%s\nargv[1]=x\nargv[2]=y z' "$want0")
    if [ $rc = 7 ] && [ "$got" = "$want" ]; then
        pass "$t"
    else
        fail "$t" "exit $rc, output: $(echo $got)"
    fi
done

# --- ET_DYN: a dynamically linked PIE (e_type 3) is claimed too ------------
ARM_ROOT=/usr/arm-linux-gnueabi
if arm-linux-gnueabi-gcc -pie -fPIE -O2 -o "$WORK/pie" tests/binfmt/show-argv.c 2>/dev/null &&
   [ -d "$ARM_ROOT/lib" ]; then
    "$VB" install --quiet --force --name "$NAME" --interpreter "$VEMU_ABS" arm
    got=$(cd "$WORK" && VEMU_LD_PREFIX=$ARM_ROOT ./pie x 2>&1); rc=$?
    echo -1 > "$BF/$NAME"
    want=$(printf 'argc=2\nargv[0]=./pie\nargv[1]=x')
    if [ $rc = 7 ] && [ "$got" = "$want" ]; then pass pie-et-dyn; else fail pie-et-dyn "exit $rc, output: $(echo $got)"; fi
else
    echo "SKIP: binfmt/pie-et-dyn (no ARM PIE toolchain or $ARM_ROOT)"
fi

# --- O: an execute-only program (mode 0711) run by an ordinary user ---------
# vemu-arm cannot open it by path; it must read it through AT_EXECFD.
if command -v setpriv >/dev/null; then
    chmod 755 "$WORK"
    cp "$WORK/show-argv" "$WORK/exec-only" && chmod 711 "$WORK/exec-only"
    "$VB" install --quiet --force --name "$NAME" --flags PO --interpreter "$VEMU_ABS" arm
    got=$(cd "$WORK" && setpriv --reuid=65534 --regid=65534 --clear-groups ./exec-only x 2>&1); rc=$?
    echo -1 > "$BF/$NAME"
    want=$(printf 'argc=2\nargv[0]=./exec-only\nargv[1]=x')
    if [ $rc = 7 ] && [ "$got" = "$want" ]; then pass exec-only-O; else fail exec-only-O "exit $rc, output: $(echo $got)"; fi
else
    echo "SKIP: binfmt/exec-only-O (no setpriv)"
fi

# --- the default registration ------------------------------------------------
out=$("$VB" install --name "$NAME" --interpreter "$VEMU_ABS" arm 2>&1)
if [ ! -e "$BF/$NAME" ]; then
    fail x86-not-claimed "install failed: $out"
else
    # The pattern must not claim host programs: they still run natively.
    check x86-not-claimed /bin/true
    out=$("$VB" install --name "$NAME" arm 2>&1); rc=$?
    check exists-refused test $rc = 1 -a -z "${out##*already exists*}"
    out=$("$VB" install --force --flags P --name "$NAME" --interpreter "$VEMU_ABS" arm 2>&1); rc=$?
    check force-replace test $rc = 0 -a -z "${out##*registered $NAME: interpreter $VEMU_ABS, flags P*}" \
        -a "$(grep '^flags' "$BF/$NAME")" = "flags: P"
    out=$("$VB" status 2>&1)
    check status test -z "${out##*$NAME: enabled, interpreter $VEMU_ABS, flags P, claims arm ELF*}"
    echo 0 > "$BF/$NAME"
    out=$("$VB" doctor 2>&1); rc=$?
    echo 1 > "$BF/$NAME"
    check doctor-disabled test $rc = 1 -a -z "${out##*$NAME: disabled*problem: the entry is disabled*}"
    # A newer entry for the same programs wins; the older one is reported.
    "$VB" install --quiet --name "$NAME-other" --interpreter "$VEMU_ABS" arm
    out=$("$VB" doctor 2>&1); rc=$?
    echo -1 > "$BF/$NAME-other"
    check doctor-conflict test $rc = 1 -a -z "${out##*$NAME-other: enabled*$NAME: enabled*conflict*}"
    out=$("$VB" uninstall --name "$NAME" arm 2>&1); rc=$?
    check uninstall test $rc = 0 -a ! -e "$BF/$NAME" -a -z "$(ls "$BF" | grep "^$NAME")"
fi
