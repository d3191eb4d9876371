#!/bin/bash
# tests/elfload/run.sh — the ELF loader on programs that are valid but
# unusual, crafted ones, and files that are not programs at all.
#
#   sparse-span          segments 1.5 GiB apart and a 512 MiB bss: the output
#                        is qemu-arm's, and the host mmap/mprotect/munmap calls
#                        vemu makes (counted with strace -f -c) are few: the
#                        loading cost is what is mapped, not the span's pages
#                        (it was one call per 4 KiB page, 393,000 calls, 2-3 s)
#   filesz-over-memsz    a PT_LOAD with p_memsz 0 and p_filesz > 0: Linux kills
#                        the process with SIGSEGV (the oracle: the host kernel
#                        running a host program patched the same way, and
#                        qemu-arm); vemu too, with a message
#   memsz-zero           a PT_LOAD with p_memsz 0 and p_filesz 0 maps nothing
#                        and the program runs (host kernel and qemu-arm agree)
#   fifo-program         a FIFO named as the program: refused with "Permission
#                        denied" (EACCES, as the host's execve), without
#                        waiting for a writer (qemu-arm 7.2 hangs)
#   fifo-interp          a FIFO named as PT_INTERP: the same
#   guest-execve-fifo    a guest program's execve of a FIFO: EACCES, as for the
#                        same program built for the host
#
# Prints PASS/FAIL/SKIP lines.  Environment: BUILD, VEMU.
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/elfload
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/elfload-tests ;; *) OUT=$PWD/$BUILD/elfload-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
NAMES="sparse-span sparse-span-host-calls filesz-over-memsz memsz-zero fifo-program fifo-interp
guest-execve-fifo"
PATCH="python3 $SRC/patch-elf.py"
T=10     # seconds: a run that waits on a FIFO is cut off, and fails

have() { command -v "$1" >/dev/null 2>&1; }
skip_all() { for n in $NAMES; do echo "SKIP: elfload/$n ($1)"; done; exit 0; }
pass() { echo "PASS: elfload/$1"; }
fail() { echo "FAIL: elfload/$1 ($2)"; }

[ -x "$VEMU" ] || skip_all "vemu-arm not built: $VEMU"
have arm-linux-gnueabi-gcc || skip_all "arm-linux-gnueabi-gcc not installed"
have python3 || skip_all "python3 not installed"
rm -rf "$OUT"
mkdir -p "$OUT"
ulimit -c 0

# build <out> <compiler> <args...>
build() {
    local out=$1
    shift
    "$@" -O2 -o "$OUT/$out" >"$OUT/$out.log" 2>&1 ||
        skip_all "cannot build $out: $(head -2 "$OUT/$out.log" | tr '\n' ' ')"
}
HELLO=tests/linux-user/hello.c
build sparse arm-linux-gnueabi-gcc -static "$SRC/sparse.c" -Wl,--section-start=.far=0x60000000
build hello-static arm-linux-gnueabi-gcc -static "$HELLO"
build hello-dyn arm-linux-gnueabi-gcc "$HELLO"
build exec-fifo arm-linux-gnueabi-gcc -static "$SRC/exec-fifo.c"
build host-hello-static cc -static "$HELLO"
build host-hello-dyn cc "$HELLO"
build host-exec-fifo cc "$SRC/exec-fifo.c"
cd "$OUT" || exit 1

# ---- sparse-span -------------------------------------------------------------
timeout $T "$VEMU" ./sparse >sparse.out 2>sparse.err
rc=$?
if ! have qemu-arm; then
    echo "SKIP: elfload/sparse-span (qemu-arm not installed)"
else
    timeout $T qemu-arm ./sparse >sparse.ref 2>&1
    refrc=$?
    if [ $rc -ne $refrc ] || ! cmp -s sparse.out sparse.ref; then
        fail sparse-span "exit $rc, qemu-arm $refrc; output '$(head -c 100 sparse.out)' vs '$(head -c 100 sparse.ref)'; $(head -c 200 sparse.err)"
    else
        pass sparse-span
    fi
fi
# The host calls on guest memory while loading and running it.
if ! have strace || ! strace -f -o /dev/null true 2>/dev/null; then
    echo "SKIP: elfload/sparse-span-host-calls (strace missing or not permitted)"
else
    timeout 60 strace -f -c -e trace=mmap,mprotect,munmap -o sparse.calls "$VEMU" ./sparse >/dev/null 2>&1
    n=$(awk '$NF == "total" { print $4 }' sparse.calls)
    if [ -z "$n" ]; then
        fail sparse-span-host-calls "no strace summary: $(head -3 sparse.calls | tr '\n' ' ')"
    elif [ "$n" -gt 2000 ]; then
        fail sparse-span-host-calls "$n host mmap/mprotect/munmap calls (one per page of the 1.5 GiB span before the fix; expected a few dozen)"
    else
        pass sparse-span-host-calls
    fi
fi

# ---- filesz-over-memsz, memsz-zero -------------------------------------------
# ref_status <program...>: exit status of a run (128+n for a signal).
run_status() { timeout $T "$@" >run.out 2>run.err; echo $?; }
$PATCH memsz0 hello-static m0 0x20 && $PATCH memsz0 host-hello-static host-m0 0x20 &&
$PATCH memsz0 hello-static m00 0 && $PATCH memsz0 host-hello-static host-m00 0 ||
    skip_all "cannot patch the test programs"
chmod +x m0 host-m0 m00 host-m00
native=$(run_status ./host-m0)
rc=$(run_status "$VEMU" ./m0)
msg=$(head -c 300 run.err)
qrc=$native
have qemu-arm && qrc=$(run_status qemu-arm ./m0)
if [ "$rc" != "$native" ] || [ "$rc" != "$qrc" ]; then
    fail filesz-over-memsz "exit status $rc, host kernel $native, qemu-arm $qrc: $msg"
elif ! grep -q "p_filesz" <<<"$msg"; then
    fail filesz-over-memsz "no clear message: '$msg'"
else
    pass filesz-over-memsz
fi
native=$(run_status ./host-m00)
nout=$(cat run.out)
rc=$(run_status "$VEMU" ./m00)
if [ "$rc" != "$native" ] || [ "$(cat run.out)" != "$nout" ] || [ "$rc" != 0 ]; then
    fail memsz-zero "exit status $rc, host kernel $native; output '$(head -c 100 run.out)' vs '$nout'; $(head -c 200 run.err)"
else
    pass memsz-zero
fi

# ---- FIFOs -----------------------------------------------------------------------
mkfifo fifo interp-fifo || skip_all "mkfifo failed"
chmod +x fifo
# The host's execve: "Permission denied" (env exits 126).
native=$(run_status env ./fifo)
rc=$(run_status "$VEMU" ./fifo)
msg=$(head -c 300 run.err)
if [ "$native" != 126 ]; then
    echo "SKIP: elfload/fifo-program (the host's execve of a FIFO gave status $native, not EACCES)"
elif [ "$rc" = 124 ]; then
    fail fifo-program "still waiting on the FIFO after $T s"
elif [ "$rc" != 1 ] || ! grep -q "Permission denied" <<<"$msg"; then
    fail fifo-program "exit status $rc: '$msg'"
else
    pass fifo-program
fi

$PATCH interp hello-dyn ifi ./interp-fifo && $PATCH interp host-hello-dyn host-ifi ./interp-fifo ||
    skip_all "cannot patch the test programs"
chmod +x ifi host-ifi
native=$(run_status env ./host-ifi)
rc=$(run_status "$VEMU" ./ifi)
msg=$(head -c 300 run.err)
if [ "$native" != 126 ]; then
    echo "SKIP: elfload/fifo-interp (the host's execve with a FIFO interpreter gave status $native, not EACCES)"
elif [ "$rc" = 124 ]; then
    fail fifo-interp "still waiting on the FIFO after $T s"
elif [ "$rc" != 1 ] || ! grep -q "interpreter.*Permission denied" <<<"$msg"; then
    fail fifo-interp "exit status $rc: '$msg'"
else
    pass fifo-interp
fi

native=$(run_status ./host-exec-fifo ./fifo)
nout=$(cat run.out)
rc=$(run_status "$VEMU" ./exec-fifo ./fifo)
if [ "$rc" = 124 ]; then
    fail guest-execve-fifo "still waiting on the FIFO after $T s"
elif [ "$rc" != "$native" ] || [ "$(cat run.out)" != "$nout" ]; then
    fail guest-execve-fifo "exit status $rc, host $native; '$(cat run.out)' vs '$nout'"
else
    pass guest-execve-fifo
fi
