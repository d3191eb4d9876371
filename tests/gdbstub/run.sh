#!/bin/bash
# tests/gdbstub/run.sh — gdb-multiarch debugging guests under `vemu-arm -g`.
#
# Three scripted gdb-multiarch -batch sessions, each against a fresh
# `vemu-arm -g PORT program` (static armel, -g -O0):
#   arm:   target.c in A32 — break at add(), continue, registers, backtrace,
#          stepi, reading variables, writing a VFP register and guest memory
#          (set var), continue to the exit and its status;
#   thumb: target.c in T32 — break, next, finish (return value), threads;
#   crash: crash.c (Thumb) — gdb sees the SIGSEGV, backtrace, kill;
#   interrupt: spin.c — Ctrl-C (SIGINT to gdb) stops the running program.
# Each check is one PASS/FAIL line; without the tools or -g support in
# vemu-arm every test is SKIPped with the reason.
#
# GDBSTUB_EMU=qemu-arm runs the same sessions against Debian's qemu-arm (the
# oracle for what gdb should see); KEEP=1 keeps the work directory.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
EMU=${GDBSTUB_EMU:-$BUILD/vemu-arm}
WORK=$(mktemp -d /tmp/vemu-gdbstub-test.XXXXXX)
EMU_PID=

cleanup() {
    [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

ALL_TESTS="attach break-continue registers backtrace read-variables stepi vfp-registers
write-memory exit-code thumb-break thumb-next-finish thumb-threads signal-stop signal-backtrace kill
interrupt"
skip_all() {
    for t in $ALL_TESTS; do echo "SKIP: gdbstub/$t ($1)"; done
    exit 0
}

command -v gdb-multiarch >/dev/null || skip_all "no gdb-multiarch (scripts/setup-deps.sh installs it)"
command -v arm-linux-gnueabi-gcc >/dev/null || skip_all "no arm-linux-gnueabi-gcc"
command -v "$EMU" >/dev/null || skip_all "$EMU not built"
if [ -z "${GDBSTUB_EMU:-}" ] && ! "$EMU" -help 2>&1 | grep -q -- '^ *-g '; then
    skip_all "$EMU has no -g option yet"
fi
CC="arm-linux-gnueabi-gcc -static -g -O0"
$CC -o "$WORK/target" tests/gdbstub/target.c &&
    $CC -mthumb -o "$WORK/target-thumb" tests/gdbstub/target.c &&
    $CC -mthumb -o "$WORK/crash" tests/gdbstub/crash.c &&
    $CC -o "$WORK/spin" tests/gdbstub/spin.c ||
    skip_all "cannot build the ARM test programs"

# session NAME PROGRAM [interrupt]: runs $WORK/NAME.gdb (after the
# connection commands) against EMU -g PORT PROGRAM; leaves NAME.out (gdb),
# NAME.guest (the program's output) and NAME.rc (the emulator's exit
# status).  With "interrupt", gdb gets SIGINT (a user's Ctrl-C) once the
# program has printed "spinning".
session() {
    local name=$1 prog=$2 mode=${3:-} port gdb_pid i
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # In a subshell that exits normally, so bash prints no "Killed" notice
    # when the kill test ends the emulator with SIGKILL.
    (timeout 120 "$EMU" -g "$port" "$prog" > "$WORK/$name.guest" 2>&1; exit $?) 2>/dev/null &
    EMU_PID=$!
    {
        printf '%s\n' "set pagination off" "set confirm off" "set width 0" \
            "set tcp auto-retry on" "set tcp connect-timeout 20" "file $prog" \
            "target remote 127.0.0.1:$port"
        cat "$WORK/$name.gdb"
    } > "$WORK/$name.script"
    if [ "$mode" = interrupt ]; then
        # Not under timeout(1): the SIGINT must reach gdb itself.
        gdb-multiarch -nx -batch -x "$WORK/$name.script" > "$WORK/$name.out" 2>&1 &
        gdb_pid=$!
        for ((i = 0; i < 200; i++)); do
            grep -q spinning "$WORK/$name.guest" 2>/dev/null && break
            sleep 0.1
        done
        kill -INT "$gdb_pid"
        for ((i = 0; i < 300; i++)); do
            kill -0 "$gdb_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$gdb_pid" 2>/dev/null
        wait "$gdb_pid" 2>/dev/null
    else
        timeout 90 gdb-multiarch -nx -batch -x "$WORK/$name.script" > "$WORK/$name.out" 2>&1
    fi
    wait "$EMU_PID"
    echo $? > "$WORK/$name.rc"
    EMU_PID=
}

cat > "$WORK/arm.gdb" <<'EOF'
break add
continue
echo @@REGS\n
info registers
echo @@BT\n
bt
echo @@VARS\n
print a
print b
print counter
print/x $pc
echo @@STEPI\n
stepi
print/x $pc
echo @@VFP\n
set var $d0 = 1.5
print $d0
print $fpscr
echo @@WRITE\n
set var counter = 100
print counter
echo @@CONT\n
continue
EOF
session arm "$WORK/target"

cat > "$WORK/thumb.gdb" <<'EOF'
break add
continue
echo @@NEXT\n
next
next
finish
echo @@THREADS\n
info threads
echo @@CONT\n
continue
EOF
session thumb "$WORK/target-thumb"

cat > "$WORK/crash.gdb" <<'EOF'
continue
echo @@BT\n
bt
echo @@KILL\n
kill
EOF
session crash "$WORK/crash"

cat > "$WORK/interrupt.gdb" <<'EOF'
continue
echo @@BT\n
bt
print spins > 0
kill
EOF
session interrupt "$WORK/spin" interrupt

FAILED=""
pass() { echo "PASS: gdbstub/$1"; }
fail() {
    echo "FAIL: gdbstub/$1${2:+ ($2)}"
    FAILED="$FAILED $3"
}
# section SESSION MARKER: gdb's output between @@MARKER and the next marker
section() {
    awk -v s="@@$2" '$0 == s { on = 1; next } /^@@/ { on = 0 } on' "$WORK/$1.out"
}
# expect TEST SESSION DESCRIPTION TEXT ERE...: every ERE matches a line of TEXT
expect() {
    local t=$1 s=$2 d=$3 text=$4 re
    shift 4
    for re in "$@"; do
        if ! grep -Eq -- "$re" <<<"$text"; then
            fail "$t" "$d: no line matching $re" "$s"
            return
        fi
    done
    pass "$t"
}

A=$(cat "$WORK/arm.out")
expect attach arm "gdb connected and set the breakpoint" "$A" '^Breakpoint 1 at 0x'
expect break-continue arm "stopped in add" "$A" '^Breakpoint 1, add \(a=3, b=4\)'
expect registers arm "info registers" "$(section arm REGS)" \
    '^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <add\+[0-9]+>' '^r0 +0x3 +3$' '^r1 +0x4 +4$' \
    '^sp +0x[0-9a-f]+ +0x' '^lr +0x[0-9a-f]+ ' '^cpsr +0x[0-9a-f]+ ' '^fpscr +0x'
expect backtrace arm "bt shows main -> add" "$(section arm BT)" \
    '^#0 +add \(a=3, b=4\) at .*target\.c:' '^#1 +0x[0-9a-f]+ in main \(\) at .*target\.c:'
expect read-variables arm "a, b and counter" "$(section arm VARS)" \
    '^\$1 = 3$' '^\$2 = 4$' '^\$3 = 5$'
PC_BEFORE=$(section arm VARS | sed -n 's/^\$4 = //p')
PC_AFTER=$(section arm STEPI | sed -n 's/^\$5 = //p')
if [ -n "$PC_BEFORE" ] && [ -n "$PC_AFTER" ] && [ $((PC_AFTER - PC_BEFORE)) = 4 ]; then
    pass stepi
else
    fail stepi "pc before ${PC_BEFORE:-?}, after ${PC_AFTER:-?}" arm
fi
# qemu-arm describes d0 as a NEON union; vemu as a plain double.
expect vfp-registers arm "d0 written and read back, fpscr read" "$(section arm VFP)" \
    '^\$6 = (1\.5|\{.*f64 = 1\.5\})$' '^\$7 = [0-9]+$'
expect write-memory arm "set var counter reached the guest" \
    "$(section arm WRITE; cat "$WORK/arm.guest")" '^\$8 = 100$' '^r=7 counter=107$'
# counter ends as 107: the exit status; gdb prints it in octal.
expect exit-code arm "exit status 107 seen by gdb and the shell" \
    "$(section arm CONT; echo "rc=$(cat "$WORK/arm.rc")")" 'exited with code 0153\]' '^rc=107$'

T=$(cat "$WORK/thumb.out")
expect thumb-break thumb "breakpoint in Thumb code" "$T" '^Breakpoint 1, add \(a=3, b=4\)'
expect thumb-next-finish thumb "next, finish" "$(section thumb NEXT)" \
    '^11[[:space:]]+counter \+= sum;' '^12[[:space:]]+return sum;' 'in main \(\) at' \
    '^Value returned is \$[0-9]+ = 7$'
expect thumb-threads thumb "info threads, exit" \
    "$(section thumb THREADS; section thumb CONT; echo "rc=$(cat "$WORK/thumb.rc")")" \
    '^\* 1 +Thread [0-9.]+ .*main \(\)' 'exited with code 014\]' '^rc=12$'

C=$(cat "$WORK/crash.out")
expect signal-stop crash "gdb sees the SIGSEGV before the guest dies" \
    "$C$(echo; cat "$WORK/crash.guest")" '^Program received signal SIGSEGV' '^before$'
expect signal-backtrace crash "bt at the fault" "$(section crash BT)" \
    '^#0 +0x[0-9a-f]+ in poke \(v=42\)' '^#1 +0x[0-9a-f]+ in main \(\)'
expect kill crash "kill ends the emulator with SIGKILL" \
    "$(section crash KILL; echo "rc=$(cat "$WORK/crash.rc")"; cat "$WORK/crash.guest")" \
    '\[Inferior 1 .* killed\]' '^rc=137$'

expect interrupt interrupt "Ctrl-C stops the running program in spin()" \
    "$(cat "$WORK/interrupt.out"; section interrupt BT)" \
    '^Program received signal SIGINT' '^#0 +(0x[0-9a-f]+ in )?spin \(\)' '^\$1 = 1$' \
    '\[Inferior 1 .* killed\]'

for s in $(tr ' ' '\n' <<<"$FAILED" | sort -u); do
    echo "--- gdb session '$s':"; sed 's/^/    /' "$WORK/$s.out"
    echo "--- program output (emulator status $(cat "$WORK/$s.rc")):"; sed 's/^/    /' "$WORK/$s.guest"
done
exit 0
