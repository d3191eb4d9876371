#!/bin/bash
# tests/system-monitor/run.sh — vemu-system-arm driven from its monitors:
# the cached Linux 6.1 zImage + initramfs (tests/system's fixtures) boot,
# then tests/system-monitor/drive.py (Python, standard library only) talks
# to the machine.  Sessions:
#   main       -monitor unix:,server,nowait -qmp unix:,server,nowait -name
#              -pidfile: HMP banner, info status/version/registers/chardev/
#              cpus, unknown command, x and xp of linux_banner (virtual and
#              physical), an unmapped address; stop: jiffies (read with x)
#              and the registers stand still, query-status paused; cont:
#              jiffies moves; STOP/RESUME events; each QMP query with the
#              keys qemu-system-arm 7.2 replies with; error classes;
#              system_powerdown (POWERDOWN), system_reset (RESET
#              host-qmp-system-reset, the guest boots again), quit
#              (SHUTDOWN host-qmp-quit, status 0, the pidfile removed)
#   prelaunch  -S with QMP: greeting, negotiation (CommandNotFound before
#              and again), status prelaunch, the reset pc, no console output,
#              cont (RESUME) boots the guest, quit
#   mux        the default monitor on the stdio mux: C-a c, the prompt,
#              info status, quit (status 0)
#   sigterm    SIGTERM: SHUTDOWN with reason host-signal, status 0
#   daemonize  -daemonize -pidfile: the parent returns 0 at once, the
#              daemon's pid is in the file; QMP quit ends it, the file goes
#   bad-options  -mon on an unknown chardev, a bad -qmp spec, -chardev
#              without an id, -daemonize with -nographic: a message, status 1
# SYSTEM_MONITOR_EMU=qemu runs main and prelaunch against Debian's
# qemu-system-arm (with -dtb, as it needs): the oracle for the tests.
# Fixture problems are SKIPs.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
WORK=$(mktemp -d /tmp/vemu-system-monitor.XXXXXX)
EMU_PID=
TIMEOUT=${VEMU_SYSTEM_TIMEOUT:-300}
cleanup() {
    [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -c 0

MAIN_TESTS="hmp-banner hmp-info-status hmp-info-version hmp-info-registers hmp-info-chardev hmp-info-cpus
hmp-gdbserver hmp-unknown-command hmp-x-virtual hmp-xp-physical hmp-x-word hmp-x-unmapped hmp-stop-status hmp-stop-cpu-stopped
qmp-status-paused hmp-cont-runs qmp-events-stop-resume qmp-query-status qmp-query-version qmp-query-name
qmp-query-commands qmp-query-chardev qmp-query-cpus-fast qmp-query-block qmp-human-monitor-command
qmp-error-command-not-found qmp-error-missing-parameter qmp-error-not-object qmp-system-powerdown
qmp-system-reset-event system-reset-reboots qmp-quit main-exit-status pidfile pidfile-removed"
PRELAUNCH_TESTS="qmp-greeting qmp-before-negotiation qmp-negotiation qmp-negotiation-again prelaunch-status
prelaunch-reset-pc prelaunch-no-output prelaunch-cont prelaunch-boots prelaunch-quit"
OTHER_TESTS="mux-boot mux-monitor-prompt mux-info-status mux-quit sigterm-shutdown-event sigterm-exit-status
daemonize-parent daemonize-pidfile daemonize-quit bad-mon bad-qmp bad-chardev bad-daemonize"
skip_all() {
    for t in $MAIN_TESTS $PRELAUNCH_TESTS $OTHER_TESTS; do echo "SKIP: system-monitor/$t ($1)"; done
    exit 0
}

QEMU=no
case "${SYSTEM_MONITOR_EMU:-vemu}" in
vemu) EMU=$BUILD/vemu-system-arm; [ -x "$EMU" ] || skip_all "$EMU not built" ;;
qemu) EMU=$(command -v qemu-system-arm) || skip_all "qemu-system-arm not installed"; QEMU=yes ;;
*) EMU=$SYSTEM_MONITOR_EMU ;;
esac
command -v python3 >/dev/null || skip_all "python3 not installed"
initrd=$(tests/system/make-initramfs.sh 2>"$WORK/initramfs.why") ||
    skip_all "initramfs: $(sed 's/^why: //' "$WORK/initramfs.why" | head -1)"
kdir=$(tests/system/fetch-kernel.sh v5 2>"$WORK/kernel.why") ||
    skip_all "kernel: $(sed 's/^why: //' "$WORK/kernel.why" | head -1)"
for f in zImage vmlinux versatile-pb.dtb; do
    [ -f "$kdir/$f" ] || skip_all "no $f in $kdir"
done
sym() { nm "$kdir/vmlinux" 2>/dev/null | awk -v s="$1" '$3 == s { print "0x" $1; exit }'; }
banner=$(sym linux_banner)
jiffies=$(sym jiffies)
[ -n "$banner" ] && [ -n "$jiffies" ] || skip_all "no linux_banner/jiffies in $kdir/vmlinux"
EXTRA=()
[ $QEMU = yes ] && EXTRA=(-dtb "$kdir/versatile-pb.dtb" -display none)

FAILED=0
pass() { echo "PASS: system-monitor/$1"; }
fail() { echo "FAIL: system-monitor/$1${2:+ ($2)}"; FAILED=1; }
# start_emu NAME ARGS...: the machine in the background, console in NAME.console
start_emu() {
    local name=$1
    shift
    "$EMU" -M versatilepb -kernel "$kdir/zImage" -initrd "$initrd" -append console=ttyAMA0 \
        "${EXTRA[@]}" -serial "file:$WORK/$name.console" "$@" \
        </dev/null >"$WORK/$name.emu" 2>&1 &
    EMU_PID=$!
}
wait_console() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q "$2" "$WORK/$1.console" 2>/dev/null && return 0
        kill -0 "$EMU_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# wait_exit PID SECONDS: RC is the child's status, or "running"
wait_exit() {
    local i st
    RC=running
    for ((i = 0; i < $2 * 10; i++)); do
        st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
        if [ -z "$st" ] || [ "$st" = Z ]; then
            wait "$1"
            RC=$?
            return
        fi
        sleep 0.1
    done
}
drive() { python3 tests/system-monitor/drive.py "$@"; }

# ---- main -------------------------------------------------------------------------
start_emu main -monitor "unix:$WORK/hmp.sock,server,nowait" -qmp "unix:$WORK/qmp.sock,server,nowait" \
    -name vm1 -pidfile "$WORK/main.pid"
if wait_console main VEMU-INIT-READY "$TIMEOUT"; then
    if [ "$(cat "$WORK/main.pid" 2>/dev/null)" = "$EMU_PID" ]; then pass pidfile
    else fail pidfile "pidfile holds '$(cat "$WORK/main.pid" 2>/dev/null)', not $EMU_PID"; fi
    gdbport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    [ $QEMU = yes ] && gdbport=
    [ $QEMU = yes ] && echo "SKIP: system-monitor/hmp-gdbserver (vemu's message)"
    drive main "$WORK" ${gdbport:+gdbport=$gdbport} hmp="$WORK/hmp.sock" qmp="$WORK/qmp.sock" console="$WORK/main.console" \
        jiffies="$jiffies" banner="$banner" || FAILED=1
    wait_exit "$EMU_PID" 30
    [ "$RC" = 0 ] && pass main-exit-status || fail main-exit-status "status $RC"
    [ "$RC" = running ] && kill "$EMU_PID"
    [ ! -e "$WORK/main.pid" ] && pass pidfile-removed || fail pidfile-removed "still there after quit"
else
    for t in $MAIN_TESTS; do fail "$t" "no boot: $(tail -c 300 "$WORK/main.emu" | tr '\n' ' ')"; done
    kill "$EMU_PID" 2>/dev/null
fi
EMU_PID=

# ---- prelaunch: -S ---------------------------------------------------------------------
start_emu prelaunch -S -qmp "unix:$WORK/qmp2.sock,server,nowait" -monitor none
drive prelaunch "$WORK" qmp="$WORK/qmp2.sock" console="$WORK/prelaunch.console" || FAILED=1
wait_exit "$EMU_PID" 30
[ "$RC" = running ] && kill "$EMU_PID"
EMU_PID=

if [ $QEMU = yes ]; then
    for t in $OTHER_TESTS; do echo "SKIP: system-monitor/$t (vemu only)"; done
    exit $FAILED
fi

# ---- mux: the default monitor on stdio -----------------------------------------------
drive mux "$WORK" -- "$EMU" -M versatilepb -kernel "$kdir/zImage" -initrd "$initrd" -append console=ttyAMA0 ||
    FAILED=1

# ---- sigterm -----------------------------------------------------------------------------
start_emu sigterm -S -qmp "unix:$WORK/qmp3.sock,server,nowait" -monitor none
drive sigterm "$WORK" qmp="$WORK/qmp3.sock" pid="$EMU_PID" || FAILED=1
wait_exit "$EMU_PID" 30
[ "$RC" = 0 ] && pass sigterm-exit-status || fail sigterm-exit-status "status $RC"
[ "$RC" = running ] && kill "$EMU_PID"
EMU_PID=

# ---- daemonize -----------------------------------------------------------------------------
timeout 60 "$EMU" -M versatilepb -kernel "$kdir/zImage" -initrd "$initrd" -append console=ttyAMA0 \
    -serial "file:$WORK/daemon.console" -daemonize -pidfile "$WORK/daemon.pid" \
    -qmp "unix:$WORK/qmp4.sock,server,nowait" </dev/null >"$WORK/daemon.out" 2>&1
rc=$?
dpid=$(cat "$WORK/daemon.pid" 2>/dev/null)
[ $rc = 0 ] && pass daemonize-parent || fail daemonize-parent "status $rc: $(head -c 300 "$WORK/daemon.out")"
if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null && [ "$(awk '{ print $4 }' /proc/$dpid/stat)" != $$ ]; then
    pass daemonize-pidfile
else
    fail daemonize-pidfile "pid '$dpid' not a running daemon"
fi
python3 - "$WORK/qmp4.sock" <<'PY' >/dev/null 2>&1
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rb")
f.readline()
for c in ("qmp_capabilities", "quit"):
    s.sendall(json.dumps({"execute": c}).encode() + b"\n")
    while "event" in json.loads(f.readline()):
        pass
PY
gone=no
for ((i = 0; i < 100; i++)); do
    [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null || { gone=yes; break; }
    sleep 0.1
done
if [ $gone = yes ] && [ ! -e "$WORK/daemon.pid" ]; then pass daemonize-quit
else
    fail daemonize-quit "daemon still running or pidfile left"
    [ -n "$dpid" ] && kill "$dpid" 2>/dev/null
fi

# ---- bad options -------------------------------------------------------------------------------
bad() {
    local t=$1 want=$2
    shift 2
    timeout 30 "$EMU" -M versatilepb -kernel "$kdir/zImage" -serial null "$@" </dev/null >"$WORK/$t.out" 2>&1
    local rc=$?
    if [ $rc = 1 ] && grep -q -- "$want" "$WORK/$t.out"; then pass "$t"
    else fail "$t" "status $rc: $(head -c 200 "$WORK/$t.out")"; fi
}
bad bad-mon "chardev 'nosuch' not found" -mon chardev=nosuch,mode=control
bad bad-qmp "-qmp" -qmp "bogus:thing"
bad bad-chardev "'id' is missing" -chardev "socket,path=$WORK/x.sock,server=on,wait=off"
bad bad-daemonize "-daemonize" -daemonize -nographic
exit $FAILED
