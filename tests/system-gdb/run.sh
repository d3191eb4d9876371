#!/bin/bash
# tests/system-gdb/run.sh — gdb-multiarch debugging Linux on
# vemu-system-arm through the system-mode gdbstub (-S, -gdb, -s).
#
# Sessions:
#   boot     -S -gdb tcp::PORT, the cached Linux 6.1 zImage + initramfs
#            (tests/system's fixtures) and vmlinux's symbols: the reset
#            state (pc 0 at the boot stub, SVC mode), break start_kernel
#            and continue (a kernel virtual address with the MMU on), the
#            pc and CPSR (SVC) there, linux_banner through the MMU, the same
#            bytes physically after `maintenance packet Qqemu.PhyMemMode:1`,
#            an unmapped address as an error, stepi, then delete and
#            continue to the init marker; Ctrl-C stops the idle guest
#            (asleep in WFI: the pc in cpu_arm926_do_idle); detach lets it
#            run on.
#   reattach gdb attaches to the running machine (it stops), reads memory,
#            then `kill` ends vemu (status 0, as QEMU).
#   unix     -S -gdb unix:PATH, no kernel run: the reset pc; gdb quitting
#            detaches (qAttached is 1, as QEMU's) and the machine boots.
#   bad-dev  -gdb specs vemu cannot serve: a message naming -gdb, status 1.
#   in-use   -gdb on a port already taken: a message, status 1.
# Oracle: what gdb shows against Debian's qemu-system-arm with the same
# kernel (SYSTEM_GDB_EMU=qemu runs the boot, reattach and unix sessions
# there; QEMU needs -dtb for this kernel, given in that case: all of them
# pass on qemu-system-arm 7.2).
#
# Fixture problems (no gdb-multiarch, no kernel, no initramfs) are SKIPs.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
WORK=$(mktemp -d /tmp/vemu-system-gdb.XXXXXX)
EMU_PID=
TIMEOUT=${VEMU_SYSTEM_TIMEOUT:-300}
cleanup() {
    [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -c 0

ALL_TESTS="reset-state break-start-kernel cpsr-mode virtual-read physical-read unmapped-read stepi
continue-to-init interrupt-idle detach-runs-on reattach-stops kill-ends-vemu unix-socket
quit-detaches bad-dev in-use"
skip_all() {
    for t in $ALL_TESTS; do echo "SKIP: system-gdb/$t ($1)"; done
    exit 0
}

case "${SYSTEM_GDB_EMU:-vemu}" in
vemu) EMU=$BUILD/vemu-system-arm; [ -x "$EMU" ] || skip_all "$EMU not built" ;;
qemu) EMU=$(command -v qemu-system-arm) || skip_all "qemu-system-arm not installed" ;;
*) EMU=$SYSTEM_GDB_EMU ;;
esac
command -v gdb-multiarch >/dev/null || skip_all "no gdb-multiarch (scripts/setup-deps.sh installs it)"
command -v python3 >/dev/null || skip_all "python3 not installed"
initrd=$(tests/system/make-initramfs.sh 2>"$WORK/initramfs.why") ||
    skip_all "initramfs: $(sed 's/^why: //' "$WORK/initramfs.why" | head -1)"
kdir=$(tests/system/fetch-kernel.sh v5 2>"$WORK/kernel.why") ||
    skip_all "kernel: $(sed 's/^why: //' "$WORK/kernel.why" | head -1)"
for f in zImage vmlinux versatile-pb.dtb; do
    [ -f "$kdir/$f" ] || skip_all "no $f in $kdir"
done
EXTRA=()
[ "${SYSTEM_GDB_EMU:-vemu}" = qemu ] && EXTRA=(-dtb "$kdir/versatile-pb.dtb" -display none -monitor none)

FAILED=""
pass() { echo "PASS: system-gdb/$1"; }
fail() {
    echo "FAIL: system-gdb/$1${2:+ ($2)}"
    FAILED="$FAILED ${3:-}"
}
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# start_emu NAME ARGS...: vemu in the background, the console in NAME.console
start_emu() {
    local name=$1
    shift
    "$EMU" -M versatilepb -kernel "$kdir/zImage" -initrd "$initrd" -append console=ttyAMA0 \
        "${EXTRA[@]}" -serial "file:$WORK/$name.console" "$@" \
        </dev/null >"$WORK/$name.emu" 2>&1 &
    EMU_PID=$!
}
# wait_console NAME TEXT SECONDS: true once the console shows TEXT
wait_console() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q "$2" "$WORK/$1.console" 2>/dev/null && return 0
        kill -0 "$EMU_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# gdb_script NAME TARGET: the connection commands, then NAME.gdb
gdb_script() {
    {
        printf '%s\n' "set pagination off" "set confirm off" "set width 0" \
            "set tcp auto-retry on" "set tcp connect-timeout 20" "target remote $2"
        cat "$WORK/$1.gdb"
    } > "$WORK/$1.script"
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
# wait_exit PID SECONDS: sets RC to the child's exit status, or "running".
# Not in a command substitution: only this shell can wait for its child
# (a subshell's wait raced with the exit, failing under the slower SAN
# build); an exited child stays a zombie until then, so its state is read.
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

banner=$(nm "$kdir/vmlinux" 2>/dev/null | awk '$3 == "linux_banner" { print $1 }')
[ -n "$banner" ] || banner=$(gdb-multiarch -nx -batch -ex 'print/x &linux_banner' "$kdir/vmlinux" 2>/dev/null |
                            sed -n 's/.*= 0x//p')
[ -n "$banner" ] || skip_all "no linux_banner in $kdir/vmlinux"
# Versatile: PAGE_OFFSET 0xc0000000 over RAM at physical 0
banner_phys=$(printf '0x%x' $((0x$banner - 0xc0000000)))

# ---- boot: -S, tcp ------------------------------------------------------------
port=$(free_port)
start_emu boot -S -gdb "tcp::$port"
cat > "$WORK/boot.gdb" <<EOF
echo @@RESET\n
print/x \$pc
print/x \$cpsr & 0x1f
x/wx 0
echo @@BREAK\n
break start_kernel
continue
print \$pc == (void *)start_kernel
info symbol \$pc
echo @@CPSR\n
print/x \$cpsr & 0x1f
echo @@VIRT\n
x/s (char *)&linux_banner
echo @@PHYS\n
maintenance packet Qqemu.PhyMemMode:1
x/s $banner_phys
maintenance packet qqemu.PhyMemMode
maintenance packet Qqemu.PhyMemMode:0
echo @@UNMAPPED\n
python
try:
    gdb.execute("x/wx 0xa0000000")
    print("READ-OK")
except gdb.MemoryError as e:
    print("MEMERR", e)
end
echo @@STEPI\n
print/x \$pc
stepi
print/x \$pc
stepi
print (unsigned)\$pc - (unsigned)start_kernel
echo @@RUN\n
delete
continue
echo @@INTR\n
info symbol \$pc
print/x \$cpsr & 0x1f
echo @@DETACH\n
detach
EOF
gdb_script boot "127.0.0.1:$port"
# Not under timeout(1): the SIGINT must reach gdb itself.
gdb-multiarch -nx -batch -x "$WORK/boot.script" "$kdir/vmlinux" > "$WORK/boot.out" 2>&1 &
gdb_pid=$!
booted=no
wait_console boot VEMU-INIT-READY "$TIMEOUT" && booted=yes
# The shell is up; once the kernel's late probes are over the guest idles
# in WFI, and an idle guest costs its emulator (nearly) no CPU time: wait
# for two quiet seconds in a row (under 0.1 s of CPU each; the load of a
# busy machine only makes the probes take longer).
emu_ticks() { awk '{ print $14 + $15 }' "/proc/$EMU_PID/stat" 2>/dev/null || echo 0; }
tick_hz=$(getconf CLK_TCK)
for ((i = 0, quiet = 0; i < 180 && quiet < 2; i++)); do
    t0=$(emu_ticks); sleep 1; t1=$(emu_ticks)
    if [ $((t1 - t0)) -lt $((tick_hz / 10)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
done
kill -INT "$gdb_pid" 2>/dev/null
for ((i = 0; i < 300; i++)); do
    kill -0 "$gdb_pid" 2>/dev/null || break
    sleep 0.1
done
kill -KILL "$gdb_pid" 2>/dev/null
wait "$gdb_pid" 2>/dev/null

expect reset-state boot "pc 0 (the boot stub) in SVC mode at reset" "$(section boot RESET)" \
    '^\$1 = 0x0$' '^\$2 = 0x13$' '^0x0:[[:space:]]+0x[0-9a-f]{8}$'
expect break-start-kernel boot "breakpoint at start_kernel hit" "$(section boot BREAK)" \
    '^Breakpoint 1, (0x[0-9a-f]+ in )?start_kernel \(\)' '^\$3 = 1$' '^start_kernel in section'
expect cpsr-mode boot "SVC mode at start_kernel" "$(section boot CPSR)" '^\$4 = 0x13$'
expect virtual-read boot "linux_banner read through the MMU" "$(section boot VIRT)" \
    "^0x0*$banner <linux_banner>:[[:space:]]+\"Linux version "
expect physical-read boot "linux_banner at its physical address" "$(section boot PHYS)" \
    '^received: "OK"$' "^$banner_phys:[[:space:]]+\"Linux version " '^received: "1"$'
expect unmapped-read boot "an unmapped virtual address" "$(section boot UNMAPPED)" \
    'MEMERR Cannot access memory at address 0xa0000000'
expect stepi boot "stepi from start_kernel" "$(section boot STEPI)" \
    "^\\\$5 = 0x0*$(nm "$kdir/vmlinux" | awk '$3 == "start_kernel" { print $1 }' | sed 's/^0*//')\$" \
    '^\$7 = 8$'
if [ $booted = yes ]; then pass continue-to-init; else fail continue-to-init "no init marker on the console" boot; fi
expect interrupt-idle boot "Ctrl-C stops the guest asleep in WFI (the arm926 idle routine)" \
    "$(cat "$WORK/boot.out"; section boot INTR)" \
    '^Program received signal SIGINT' '^cpu_arm926_do_idle( \+ [0-9]+)? in section' '^\$[0-9]+ = 0x13$' \
    '\[Inferior 1 \((Remote target|process [0-9]+)\) detached\]'

# ---- reattach: gdb stops the running machine, kill ends it --------------------
sleep 1
if kill -0 "$EMU_PID" 2>/dev/null; then
    pass detach-runs-on
else
    fail detach-runs-on "vemu ended after gdb detached" boot
fi
cat > "$WORK/reattach.gdb" <<'EOF'
echo @@STOPPED\n
print $pc >= 0xc0000000
print/x $cpsr & 0x1f
x/s (char *)&linux_banner
echo @@KILL\n
kill
EOF
gdb_script reattach "127.0.0.1:$port"
ln -sf boot.emu "$WORK/reattach.emu"          # the same emulator
ln -sf boot.console "$WORK/reattach.console"
timeout 60 gdb-multiarch -nx -batch -x "$WORK/reattach.script" "$kdir/vmlinux" > "$WORK/reattach.out" 2>&1
expect reattach-stops reattach "attaching stops the running kernel" "$(section reattach STOPPED)" \
    '^\$1 = 1$' '^\$2 = 0x1[0-9a-f]$' '<linux_banner>:[[:space:]]+"Linux version '
wait_exit "$EMU_PID" 30
rc=$RC
EMU_PID=
if [ "$rc" = 0 ]; then
    expect kill-ends-vemu reattach "gdb's kill" "$(cat "$WORK/reattach.out")" '\[Inferior 1 \((Remote target|process [0-9]+)\) killed\]'
else
    fail kill-ends-vemu "vemu status $rc after gdb's kill, expected 0" reattach
fi

# ---- unix: -S -gdb unix:PATH; gdb quitting detaches ----------------------------
sock=$WORK/gdb.sock
start_emu unix -S -gdb "unix:$sock,server,nowait"
for ((i = 0; i < 100; i++)); do [ -S "$sock" ] && break; sleep 0.1; done
cat > "$WORK/unix.gdb" <<'EOF'
echo @@PC\n
print/x $pc
EOF
gdb_script unix "$sock"
timeout 60 gdb-multiarch -nx -batch -x "$WORK/unix.script" > "$WORK/unix.out" 2>&1
expect unix-socket unix "the reset pc over a Unix socket" "$(section unix PC)" '^\$1 = 0x0$'
if wait_console unix "Booting Linux" 60; then
    pass quit-detaches
else
    fail quit-detaches "the kernel did not start after gdb quit" unix
fi
kill "$EMU_PID" 2>/dev/null
wait "$EMU_PID" 2>/dev/null
EMU_PID=

# ---- bad -gdb devices, and a port in use ---------------------------------------
if [ "${SYSTEM_GDB_EMU:-vemu}" = vemu ]; then
    bad=""
    for dev in udp::1234 tcp:: tcp::0 tcp::65536 tcp::12ab tcp:example.com:1234 unix: \
               "tcp::1234,telnet" bogus; do
        out=$("$EMU" -kernel "$kdir/zImage" -gdb "$dev" </dev/null 2>&1); rc=$?
        if [ $rc -ne 1 ] || ! grep -q -- "-gdb $dev" <<<"$out"; then
            bad="$bad '$dev' (status $rc: $(head -1 <<<"$out"))"
        fi
    done
    if [ -z "$bad" ]; then pass bad-dev; else fail bad-dev "not refused clearly:$bad"; fi
    port=$(free_port)
    python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close(); time.sleep(60)' "$port" "$WORK/holder.ready" &
holder=$!
for ((i = 0; i < 300; i++)); do [ -e "$WORK/holder.ready" ] && break; sleep 0.1; done
out=$(timeout 20 "$EMU" -kernel "$kdir/zImage" -gdb "tcp::$port" </dev/null 2>&1); rc=$?
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
    if [ $rc -eq 1 ] && grep -q "Address already in use" <<<"$out" && grep -q -- "-gdb tcp::$port" <<<"$out"; then
        pass in-use
    else
        fail in-use "status $rc: $out"
    fi
else
    echo "SKIP: system-gdb/bad-dev (vemu's messages)"
    echo "SKIP: system-gdb/in-use (vemu's messages)"
fi

for s in $(tr ' ' '\n' <<<"$FAILED" | sort -u); do
    echo "--- gdb session '$s':"; sed 's/^/    /' "$WORK/$s.out"
    echo "--- emulator's output:"; sed 's/^/    /' "$WORK/$s.emu" 2>/dev/null
    echo "--- console (last lines):"; tail -5 "$WORK/$s.console" 2>/dev/null | sed 's/^/    /'
done
exit 0
