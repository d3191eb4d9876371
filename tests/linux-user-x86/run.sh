#!/bin/bash
# tests/linux-user-x86/run.sh — linux-user for x86 guests: vemu-x86_64 and
# vemu-i386 running real programs that exercise the system call layer with
# 64-bit and 32-bit guest words, the x86 signal frames and TLS.
#
# Programs: the word-size-independent linux-user programs of
# tests/linux-user (threads, signals, process, files, memory, sockets,
# events, ipc, timers: they print only what is the same for 32- and 64-bit)
# and the x86 ones here: sigframe (ucontext registers, fault codes and
# addresses, the FPU state across a handler, altstack), tls (__thread,
# %fs/%gs, arch_prctl, set/get_thread_area), bigmem (high fixed mappings,
# mremap, file offsets past 4 GiB), procinfo (auxv, /proc/cpuinfo, maps:
# "ok" lines), vdso (the vDSO's symbols and versions parsed from
# AT_SYSINFO_EHDR, its functions against the system calls, [vdso] in
# maps, i386's __kernel_vsyscall and sigreturn trampolines: "ok" lines;
# the native x86_64 run must pass too, which checks the test on the real
# kernel's vDSO; qemu-i386 7.2 maps no vDSO, so it is no reference here),
# int80 (int $0x80 from 64-bit code: the i386 system calls, self-checking,
# and compared with the native run where the host kernel allows int $0x80
# in 64-bit code), vsyscall (x86_64's legacy
# vsyscall page, emulated as vsyscall=xonly: against the expected output,
# which the native run must give too where the host emulates the page).
# Variants: x86_64-static, x86_64-dyn, i386-static, i386-dyn (dynamic
# i386 with -L /usr/i686-linux-gnu, and LD_LIBRARY_PATH pointing there:
# the host's /etc/ld.so.cache names /lib32's libc6-i386, a different build
# of glibc than the cross toolchain's ld.so, and the two do not mix).
#
# The reference is the program built for x86_64 and run natively: the host
# cpu and kernel are the oracle.  For the i386 variants too where the
# program prints the same for both word sizes (signals, process, files,
# memory, timers and the x86 programs): Debian's qemu-i386 7.2 is known
# wrong there (it loses the x87 stack across a signal handler, ignores
# MAP_FIXED_NOREPLACE, fails mmap at file offsets past 4 GiB and
# get_thread_area of the gs entry, cannot exec a guest program without
# binfmt_misc, and has the directory offset and timer id problems
# tests/linux-user/run.sh lists).  threads, sockets, events and ipc print
# 32-bit sizes (struct lengths, control message sizes): their i386
# reference is qemu-i386 (a reference run that times out SKIPs).
# Also: -strace of the x86_64 and i386 bigmem shows the 64-bit offsets
# decoded (strace-*), and of the vdso program the calls its vDSO functions
# make (strace-vdso-*); gdb-multiarch debugs tests/gdbstub/target.c under -g
# (gdb-*: a breakpoint, backtrace, registers, a write to a variable that
# the exit status shows).
#
# Until frontend-x86 runs a static hello world, every test SKIPs with that
# reason.  Environment: BUILD, LUX_TIMEOUT (default 30), LUX_FILTER.
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/linux-user-x86
LUSRC=$PWD/tests/linux-user
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/linux-user-x86-tests ;; *) OUT=$PWD/$BUILD/linux-user-x86-tests ;; esac
V64=$PWD/$BUILD/vemu-x86_64
V32=$PWD/$BUILD/vemu-i386
case "$BUILD" in /*) V64=$BUILD/vemu-x86_64; V32=$BUILD/vemu-i386 ;; esac
TIMEOUT=${LUX_TIMEOUT:-30}
FILTER=${LUX_FILTER:-}
I386_ROOT=/usr/i686-linux-gnu
mkdir -p "$OUT/bin" "$OUT/run"
ulimit -c 0

# name:source:i386 reference
PROGS="threads:lu:qemu signals:lu:native process:lu:native files:lu:native memory:lu:native
sockets:lu:qemu events:lu:qemu ipc:lu:qemu timers:lu:native
sigframe:x86:native tls:x86:native bigmem:x86:native procinfo:x86:self vdso:x86:self"
VARIANTS="x86_64-static x86_64-dyn i386-static i386-dyn"
STRACE_TESTS="strace-x86_64 strace-i386 gdb-x86_64 gdb-i386 int80-x86_64-static int80-x86_64-dyn
strace-vdso-x86_64 strace-vdso-i386 vsyscall-x86_64-static vsyscall-x86_64-dyn"

have() { command -v "$1" >/dev/null 2>&1; }

skip_all() {
    for p in $PROGS; do
        for v in $VARIANTS; do echo "SKIP: linux-user-x86/${p%%:*}-$v ($1)"; done
    done
    for t in $STRACE_TESTS; do echo "SKIP: linux-user-x86/$t ($1)"; done
    exit 0
}

# build <src> <out> <compiler> <flags...>: only when the source is newer.
build() {
    local src=$1 out=$2 cc=$3
    shift 3
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
        "$cc" -O2 -Wall -D_FILE_OFFSET_BITS=64 -o "$out" "$src" "$@" -lpthread >"$out.log" 2>&1 || return 1
    fi
    return 0
}

[ -x "$V64" ] && [ -x "$V32" ] || skip_all "vemu-x86_64/vemu-i386 not built (frontend-x86 missing)"
have gcc || skip_all "gcc not installed"
have i686-linux-gnu-gcc || skip_all "i686-linux-gnu-gcc not installed"

# The gate: a static hello world for each.
build "$LUSRC/hello.c" "$OUT/bin/hello-x86_64-static" gcc -static || skip_all "cannot build hello"
build "$LUSRC/hello.c" "$OUT/bin/hello-i386-static" i686-linux-gnu-gcc -static || skip_all "cannot build hello"
want="hello from another guest program"
SKIP64="" SKIP32=""
[ "$(timeout 20 "$V64" "$OUT/bin/hello-x86_64-static" 2>/dev/null)" = "$want" ] ||
    SKIP64="frontend-x86 does not run a static x86_64 hello world yet"
[ "$(timeout 20 "$V32" "$OUT/bin/hello-i386-static" 2>/dev/null)" = "$want" ] ||
    SKIP32="frontend-x86 does not run a static i386 hello world yet"
[ -n "$SKIP64" ] && [ -n "$SKIP32" ] && skip_all "frontend-x86 does not run a static hello world yet"

src_of() { case $1 in *:lu:*) echo "$LUSRC/${1%%:*}.c" ;; *) echo "$SRC/${1%%:*}.c" ;; esac; }

run_vemu() {   # run_vemu <variant> <binary> <args...>
    local v=$1
    shift
    case $v in
    x86_64-*) timeout "$TIMEOUT" "$V64" "$@" ;;
    i386-dyn) timeout "$TIMEOUT" "$V32" -L "$I386_ROOT" -E "LD_LIBRARY_PATH=$I386_ROOT/lib" "$@" ;;
    i386-*) timeout "$TIMEOUT" "$V32" "$@" ;;
    esac
}

compiler_of() {   # compiler and flags of a variant
    case $1 in
    x86_64-static) echo "gcc -static" ;;
    x86_64-dyn) echo "gcc" ;;
    i386-static) echo "i686-linux-gnu-gcc -static" ;;
    i386-dyn) echo "i686-linux-gnu-gcc" ;;
    esac
}

for p in $PROGS; do
    name=${p%%:*} how32=${p##*:}
    case "$name" in *"$FILTER"*) ;; *) continue ;; esac
    src=$(src_of "$p")
    # the reference: built for the host, run natively
    ref_bin=$OUT/bin/$name-native
    refdir=$OUT/run/$name-native
    if ! build "$src" "$ref_bin" gcc || ! build "$LUSRC/hello.c" "$OUT/bin/hello-native" gcc; then
        for v in $VARIANTS; do echo "FAIL: linux-user-x86/$name-$v (native build failed: $(head -2 "$ref_bin.log" | tr '\n' ' '))"; done
        continue
    fi
    rm -rf "$refdir"
    mkdir -p "$refdir"
    cp "$OUT/bin/hello-native" "$refdir/other"
    cp "$ref_bin" "$refdir/$name"
    args=""
    [ "$name" = process ] && args=./other
    (cd "$refdir" && timeout "$TIMEOUT" "./$name" $args >ref.out 2>ref.err)
    refrc=$?
    for v in $VARIANTS; do
        label="linux-user-x86/$name-$v"
        case $v in
        x86_64-*) [ -z "$SKIP64" ] || { echo "SKIP: $label ($SKIP64)"; continue; } ;;
        i386-*) [ -z "$SKIP32" ] || { echo "SKIP: $label ($SKIP32)"; continue; } ;;
        esac
        bin=$OUT/bin/$name-$v
        # shellcheck disable=SC2046
        if ! build "$src" "$bin" $(compiler_of "$v") || ! build "$LUSRC/hello.c" "$OUT/bin/hello-$v" $(compiler_of "$v"); then
            echo "FAIL: $label (build failed: $(head -3 "$bin.log" | tr '\n' ' '))"
            continue
        fi
        dir=$OUT/run/$name-$v
        rm -rf "$dir"
        mkdir -p "$dir"
        cp "$OUT/bin/hello-$v" "$dir/other"
        cp "$bin" "$dir/$name"
        (cd "$dir" && run_vemu "$v" "./$name" $args >vemu.out 2>vemu.err)
        rc=$?
        if [ "$how32" = self ]; then
            if [ $refrc -ne 0 ] || grep -qv ': ok$' "$refdir/ref.out"; then
                echo "FAIL: $label (the native run fails its own checks: $(grep -v ': ok$' "$refdir/ref.out" | head -2 | tr '\n' ' '))"
            elif [ $rc -eq 0 ] && [ -s "$dir/vemu.out" ] && ! grep -qv ': ok$' "$dir/vemu.out"; then
                echo "PASS: $label"
            else
                echo "FAIL: $label (exit $rc: $(grep -v ': ok$' "$dir/vemu.out" "$dir/vemu.err" | head -3 | tr '\n' ' '))"
            fi
            continue
        fi
        ref=$refdir/ref.out refrc_v=$refrc judge=native
        if [ "${v%-*}" = i386 ] && [ "$how32" = qemu ]; then
            if ! have qemu-i386; then
                echo "SKIP: $label (qemu-i386, its reference, not installed)"
                continue
            fi
            qargs=""
            [ "$v" = i386-dyn ] && qargs="-L $I386_ROOT -E LD_LIBRARY_PATH=$I386_ROOT/lib"
            (cd "$dir" && timeout "$TIMEOUT" qemu-i386 $qargs "./$name" $args >qemu.out 2>qemu.err)
            refrc_v=$?
            if [ $refrc_v = 124 ]; then
                echo "SKIP: $label (the qemu-i386 reference run timed out)"
                continue
            fi
            ref=$dir/qemu.out judge=qemu-i386
        fi
        if [ $rc -ne $refrc_v ]; then
            echo "FAIL: $label (exit status $rc, $judge $refrc_v; $(head -c 200 "$dir/vemu.err" | tr '\n' ' '))"
        elif ! cmp -s "$dir/vemu.out" "$ref"; then
            echo "FAIL: $label (output differs from $judge: $(diff "$ref" "$dir/vemu.out" | grep '^[<>]' | head -4 | tr '\n' ' '))"
        else
            echo "PASS: $label"
        fi
    done
done

# -strace decodes the 64-bit file offsets: one register on x86_64, a
# register pair on i386.
for arch in x86_64 i386; do
    label="linux-user-x86/strace-$arch"
    case "strace-$arch" in *"$FILTER"*) ;; *) continue ;; esac
    bin=$OUT/bin/bigmem-$arch-static
    vemu=$V64 why=$SKIP64
    [ $arch = i386 ] && vemu=$V32 why=$SKIP32
    if [ -n "$why" ]; then
        echo "SKIP: $label ($why)"
        continue
    fi
    if [ ! -x "$bin" ]; then
        echo "FAIL: $label (bigmem-$arch-static not built)"
        continue
    fi
    dir=$OUT/run/strace-$arch
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && timeout "$TIMEOUT" "$vemu" -strace "$bin" >out 2>err)
    if grep -q 'pwrite64(3,"far",3,5368709120) = 3' "$dir/err" &&
       grep -q 'pread64(3,"far",3,5368709120) = 3' "$dir/err"; then
        echo "PASS: $label"
    else
        echo "FAIL: $label ($(grep -E 'pwrite64|pread64' "$dir/err" | head -2 | tr '\n' ' '))"
    fi
done

# int $0x80 in 64-bit code (int80.c checks itself against the i386
# system call semantics).  The native run is the oracle where the host
# kernel allows it; a kernel without IA32 emulation (or with it disabled
# at boot, like this machine's) kills it with SIGSEGV, and then the
# program's own checks are the judge.
for v in x86_64-static x86_64-dyn; do
    label="linux-user-x86/int80-$v"
    case "int80-$v" in *"$FILTER"*) ;; *) continue ;; esac
    if [ -n "$SKIP64" ]; then
        echo "SKIP: $label ($SKIP64)"
        continue
    fi
    bin=$OUT/bin/int80-$v
    # shellcheck disable=SC2046
    if ! build "$SRC/int80.c" "$bin" $(compiler_of "$v"); then
        echo "FAIL: $label (build failed: $(head -3 "$bin.log" | tr '\n' ' '))"
        continue
    fi
    dir=$OUT/run/int80-$v
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && timeout "$TIMEOUT" "$bin" >ref.out 2>ref.err) 2>/dev/null
    refrc=$?
    (cd "$dir" && timeout "$TIMEOUT" "$V64" "$bin" >vemu.out 2>vemu.err)
    rc=$?
    want="written through int \$0x80"
    if [ $rc -ne 0 ] || ! grep -qx "$want" "$dir/vemu.out" ||
       [ -n "$(grep -vx "$want" "$dir/vemu.out" | grep -v ': ok$')" ]; then
        echo "FAIL: $label (exit $rc: $(grep -v ': ok$' "$dir/vemu.out" "$dir/vemu.err" | head -3 | tr '\n' ' '))"
    elif [ $refrc -ne 139 ] && ! cmp -s "$dir/ref.out" "$dir/vemu.out"; then
        echo "FAIL: $label (output differs from native: $(diff "$dir/ref.out" "$dir/vemu.out" | grep '^[<>]' | head -4 | tr '\n' ' '))"
    else
        echo "PASS: $label"
    fi
done

# The legacy vsyscall page, emulated as Linux's default vsyscall=xonly
# does: the expected output is what this machine's kernel prints; the
# native run must print it too where the host emulates the page (a host
# with vsyscall=none kills the native run instead).
VSYSCALL_WANT="gettimeofday: 0, in time 1, timezone 1
gettimeofday(NULL, NULL): 0
time: in time 1, stored 1
time(NULL): in time 1
getcpu: the system call's 1
gettimeofday(16, NULL): SIGSEGV code 128 addr 0
a call to 0xffffffffff600401: SIGSEGV code 128 addr 0
time after the faults: in time 1"
for v in x86_64-static x86_64-dyn; do
    label="linux-user-x86/vsyscall-$v"
    case "vsyscall-$v" in *"$FILTER"*) ;; *) continue ;; esac
    if [ -n "$SKIP64" ]; then
        echo "SKIP: $label ($SKIP64)"
        continue
    fi
    bin=$OUT/bin/vsyscall-$v
    # shellcheck disable=SC2046
    if ! build "$SRC/vsyscall.c" "$bin" $(compiler_of "$v"); then
        echo "FAIL: $label (build failed: $(head -3 "$bin.log" | tr '\n' ' '))"
        continue
    fi
    dir=$OUT/run/vsyscall-$v
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$VSYSCALL_WANT" >"$dir/want.out"
    (cd "$dir" && timeout "$TIMEOUT" "$bin" >ref.out 2>ref.err) 2>/dev/null
    refrc=$?
    (cd "$dir" && timeout "$TIMEOUT" "$V64" "$bin" >vemu.out 2>vemu.err)
    rc=$?
    if [ $rc -ne 0 ] || ! cmp -s "$dir/want.out" "$dir/vemu.out"; then
        echo "FAIL: $label (exit $rc: $(diff "$dir/want.out" "$dir/vemu.out" | grep '^[<>]' | head -4 | tr '\n' ' '))"
    elif [ $refrc -eq 0 ] && ! cmp -s "$dir/want.out" "$dir/ref.out"; then
        echo "FAIL: $label (the native run differs from the expected: $(diff "$dir/want.out" "$dir/ref.out" | grep '^[<>]' | head -4 | tr '\n' ' '))"
    else
        echo "PASS: $label"
    fi
done

# -strace shows the system calls the vDSO's functions make (vemu's make
# the call: the answer is the syscall path's).
for arch in x86_64 i386; do
    label="linux-user-x86/strace-vdso-$arch"
    case "strace-vdso-$arch" in *"$FILTER"*) ;; *) continue ;; esac
    bin=$OUT/bin/vdso-$arch-static
    vemu=$V64 why=$SKIP64 call="clock_gettime(CLOCK_MONOTONIC,"
    [ $arch = i386 ] && vemu=$V32 why=$SKIP32 call="clock_gettime64(CLOCK_MONOTONIC,"
    if [ -n "$why" ]; then
        echo "SKIP: $label ($why)"
        continue
    fi
    if [ ! -x "$bin" ]; then
        echo "FAIL: $label (vdso-$arch-static not built)"
        continue
    fi
    dir=$OUT/run/strace-vdso-$arch
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && timeout "$TIMEOUT" "$vemu" -strace "$bin" >out 2>err)
    if grep -qF "$call" "$dir/err" && grep -q 'getcpu(' "$dir/err" &&
       grep -q ': ok$' "$dir/out" && ! grep -qv ': ok$' "$dir/out"; then
        echo "PASS: $label"
    else
        echo "FAIL: $label ($(grep -E 'clock_gettime|getcpu' "$dir/err" | head -2 | tr '\n' ' '))"
    fi
done

# gdb-multiarch against -g: the x86 target descriptions and registers.
for arch in x86_64 i386; do
    label="linux-user-x86/gdb-$arch"
    case "gdb-$arch" in *"$FILTER"*) ;; *) continue ;; esac
    vemu=$V64 why=$SKIP64 cc="gcc" gdbarch=i386:x86-64 pc=rip
    [ $arch = i386 ] && vemu=$V32 why=$SKIP32 cc="i686-linux-gnu-gcc" gdbarch=i386 pc=eip
    if [ -n "$why" ]; then
        echo "SKIP: $label ($why)"
        continue
    fi
    if ! have gdb-multiarch; then
        echo "SKIP: $label (no gdb-multiarch)"
        continue
    fi
    bin=$OUT/bin/gdb-target-$arch
    if ! build "$PWD/tests/gdbstub/target.c" "$bin" $cc -static -g -O0; then
        echo "FAIL: $label (build failed)"
        continue
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    dir=$OUT/run/gdb-$arch
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && timeout "$TIMEOUT" "$vemu" -g "$port" "$bin" >guest.out 2>&1; echo $? >rc) &
    for i in $(seq 50); do
        ss -ltn 2>/dev/null | grep -q ":$port " && break
        sleep 0.1
    done
    timeout "$TIMEOUT" gdb-multiarch -batch -nx -ex "set architecture $gdbarch" -ex "file $bin" \
        -ex "target remote localhost:$port" -ex "break add" -ex continue -ex bt \
        -ex "info registers $pc" -ex "p \$st0" -ex "p \$xmm1.uint128" -ex "set var counter = 100" \
        -ex continue >"$dir/gdb.out" 2>&1
    wait
    if grep -q '^#1 .* in main () at' "$dir/gdb.out" && grep -q "^$pc .*<add+" "$dir/gdb.out" &&
       grep -q 'Breakpoint 1, add (a=3, b=4)' "$dir/gdb.out" && [ "$(cat "$dir/rc")" = 107 ] &&
       grep -q 'r=7 counter=107' "$dir/guest.out"; then
        echo "PASS: $label"
    else
        echo "FAIL: $label (exit $(cat "$dir/rc" 2>/dev/null); $(grep -v '^$' "$dir/gdb.out" | tail -3 | tr '\n' ' '))"
    fi
done
