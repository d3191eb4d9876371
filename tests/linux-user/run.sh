#!/bin/bash
# tests/linux-user/run.sh — real guest programs exercising linux-user:
# threads, signals, processes, files, memory, sockets, event descriptors
# and /proc.  Each program is built for armel static and armel dynamic
# (run with -L /usr/arm-linux-gnueabi), and for armhf (static) when vemu
# runs a Thumb-2/VFP armhf program at all.
#
# Prints one line per test and variant:
#     PASS: linux-user/<name>[-variant]
#     FAIL: linux-user/<name>[-variant] (why)
#     SKIP: linux-user/<name>[-variant] (reason)
#
# What a program's output is compared with:
#   qemu    Debian's qemu-arm running the same binary (threads, sockets, events, ipc);
#   native  the program compiled for the host (x86_64), where qemu-arm 7.2 is
#           known wrong: signals (it cannot deliver SIGRTMAX: guest signal 64
#           has no host signal left), process (it cannot exec a guest program
#           without binfmt_misc), files (readdir fails with EOVERFLOW on
#           64-bit directory offsets), memory (MAP_FIXED_NOREPLACE ignored),
#           timers (its timer ids are not the kernel's, so si_timerid differs
#           from the id timer_create returned).
#           The programs print only what is the same for 32- and 64-bit.
#   self    the program checks itself: stress (exit status, run 5 times,
#           each under a timeout), procfs (every line must say "ok"),
#           forks (nested forks, fork storms from threads, forks while
#           threads translate and rewrite code, vfork, clone: 100 rounds in
#           20 runs for static armel, 6 rounds in 3 runs for the other
#           variants, 10 runs of 3 single-threaded rounds with a sanitizer
#           build; every
#           line must say "ok"), mprotect-race (stores to
#           pages holding code while other threads mprotect: 5 runs),
#           fault-resume (flags across loads and stores whose faults a
#           SIGSEGV handler resolves, cold and hot).
#
# Environment: BUILD (default build), VEMU (default $BUILD/vemu-arm),
# LU_TIMEOUT seconds per run (default 60), LU_FILTER (substring of names),
# LU_MASK (a sed -E script applied to both outputs before they are compared:
# for a known limit of the environment, not of vemu; the aarch64 tier under
# qemu-aarch64 uses it, tests/aarch64-host/run.sh; a PASS then says so).
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/linux-user
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/linux-user-tests ;; *) OUT=$PWD/$BUILD/linux-user-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
TIMEOUT=${LU_TIMEOUT:-60}
FILTER=${LU_FILTER:-}
SYSROOT=/usr/arm-linux-gnueabi
mkdir -p "$OUT/bin" "$OUT/run"
ulimit -c 0

# name:comparison
TESTS="threads:qemu stress:self signals:native process:native files:native memory:native
sockets:qemu events:qemu ipc:qemu procfs:self timers:native forks:self mprotect-race:self fault-resume:self"

have() { command -v "$1" >/dev/null 2>&1; }

# build <src> <out> <compiler> <flags...>: only when the source is newer.
build() {
    local src=$1 out=$2 cc=$3
    shift 3
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
        "$cc" -O2 -Wall -o "$out" "$src" "$@" -lpthread >"$out.log" 2>&1 || return 1
    fi
    return 0
}

if [ ! -x "$VEMU" ]; then
    for t in $TESTS; do echo "SKIP: linux-user/${t%%:*} (vemu-arm not built: $VEMU)"; done
    exit 0
fi
if ! have arm-linux-gnueabi-gcc; then
    for t in $TESTS; do echo "SKIP: linux-user/${t%%:*} (arm-linux-gnueabi-gcc not installed)"; done
    exit 0
fi

# Variants: static (armel), dyn (armel, dynamic), armhf (static, Thumb-2 + VFP).
VARIANTS="static dyn"
ARMHF_SKIP=""
if have arm-linux-gnueabihf-gcc; then
    build "$SRC/hello.c" "$OUT/bin/hello-armhf" arm-linux-gnueabihf-gcc -static
    if [ "$(timeout 20 "$VEMU" "$OUT/bin/hello-armhf" 2>/dev/null)" = "hello from another guest program" ]; then
        VARIANTS="$VARIANTS armhf"
    else
        ARMHF_SKIP="vemu-arm does not run an armhf hello yet (Thumb-2/VFP)"
    fi
else
    ARMHF_SKIP="arm-linux-gnueabihf-gcc not installed"
fi

# run_guest <variant> <binary> <args...>: the guest under vemu.
run_vemu() {
    local v=$1
    shift
    if [ "$v" = dyn ]; then
        timeout "$TIMEOUT" "$VEMU" -L "$SYSROOT" "$@"
    else
        timeout "$TIMEOUT" "$VEMU" "$@"
    fi
}
run_qemu() {
    local v=$1
    shift
    case $v in
    dyn) timeout "$TIMEOUT" qemu-arm -L "$SYSROOT" "$@" ;;
    armhf) timeout "$TIMEOUT" qemu-arm -L /usr/arm-linux-gnueabihf "$@" ;;
    *) timeout "$TIMEOUT" qemu-arm "$@" ;;
    esac
}

extra_args() {   # arguments a test takes
    case $1 in
    process) echo "$2" ;;     # the other guest program to exec
    procfs) echo "arg1" ;;
    esac
}

for t in $TESTS; do
    name=${t%%:*} how=${t#*:}
    case "$name" in *"$FILTER"*) ;; *) continue ;; esac
    for v in static dyn armhf; do
        label="linux-user/$name-$v"
        if [ "$v" = armhf ] && [ -n "$ARMHF_SKIP" ]; then
            echo "SKIP: $label ($ARMHF_SKIP)"
            continue
        fi
        bin=$OUT/bin/$name-$v
        case $v in
        static) ok=1; build "$SRC/$name.c" "$bin" arm-linux-gnueabi-gcc -static || ok=0
                build "$SRC/hello.c" "$OUT/bin/hello-$v" arm-linux-gnueabi-gcc -static || ok=0 ;;
        dyn) ok=1; build "$SRC/$name.c" "$bin" arm-linux-gnueabi-gcc || ok=0
             build "$SRC/hello.c" "$OUT/bin/hello-$v" arm-linux-gnueabi-gcc || ok=0 ;;
        armhf) ok=1; build "$SRC/$name.c" "$bin" arm-linux-gnueabihf-gcc -static || ok=0 ;;
        esac
        if [ $ok = 0 ]; then
            echo "FAIL: $label (build failed: $(head -3 "$bin.log" | tr '\n' ' '))"
            continue
        fi
        dir=$OUT/run/$name-$v
        rm -rf "$dir"
        mkdir -p "$dir"
        # The other program for process: a relative path, so the native
        # build can get its own.
        cp "$OUT/bin/hello-$v" "$dir/other" 2>/dev/null
        # Name the binary after the test (procfs checks its own name).
        cp "$bin" "$dir/$name"
        args=$(extra_args "$name" ./other)
        (cd "$dir" && run_vemu "$v" "./$name" $args >vemu.out 2>vemu.err)
        rc=$?
        case $how in
        self)
            if [ "$name" = stress ] || [ "$name" = forks ] || [ "$name" = mprotect-race ]; then
                # Races: repeat, and every run must pass.
                runs=5 rounds=""
                if [ "$name" = forks ]; then
                    if [ "$v" = static ]; then runs=${FORKS_RUNS:-20} rounds=5; else runs=3 rounds=2; fi
                    # The sanitizer build is several times slower, and gcc 12's
                    # AddressSanitizer does not lock its allocator across
                    # fork (a child of a threaded parent can hang in malloc):
                    # fewer rounds, without the threaded cases (forks.c).
                    case "$VEMU" in *-san/*) runs=${FORKS_RUNS:-10} rounds="3 single" ;; esac
                fi
                fails=0 first=""
                for i in $(seq 1 "$runs"); do
                    if ! (cd "$dir" && run_vemu "$v" "./$name" $rounds >vemu.out.$i 2>&1) ||
                       grep -q 'FAILED' "$dir/vemu.out.$i"; then
                        fails=$((fails + 1))
                        [ -n "$first" ] || first=$(grep -v ': ok$' "$dir/vemu.out.$i" | head -3 | tr '\n' ' ')
                    fi
                done
                if [ $rc -ne 0 ] || [ $fails -ne 0 ]; then
                    echo "FAIL: $label (exit $rc, $fails of $runs repeated runs failed or hung: $(grep -v ': ok$' "$dir/vemu.out" | head -2 | tr '\n' ' ') $first)"
                else
                    echo "PASS: $label"
                fi
            else
                if [ $rc -eq 0 ] && [ -s "$dir/vemu.out" ] && ! grep -qv ': ok$' "$dir/vemu.out"; then
                    echo "PASS: $label"
                else
                    echo "FAIL: $label (exit $rc: $(grep -v ': ok$' "$dir/vemu.out" "$dir/vemu.err" | head -3 | tr '\n' ' '))"
                fi
            fi
            continue ;;
        qemu)
            if ! have qemu-arm; then
                echo "SKIP: $label (qemu-arm not installed)"
                continue
            fi
            (cd "$dir" && run_qemu "$v" "./$name" $args >ref.out 2>ref.err)
            refrc=$? ;;
        native)
            if ! build "$SRC/$name.c" "$OUT/bin/$name-native" cc || ! build "$SRC/hello.c" "$OUT/bin/hello-native" cc; then
                echo "SKIP: $label (native build failed)"
                continue
            fi
            ndir=$dir/native
            mkdir -p "$ndir"
            cp "$OUT/bin/hello-native" "$ndir/other"
            cp "$OUT/bin/$name-native" "$ndir/$name"
            (cd "$ndir" && timeout "$TIMEOUT" "./$name" $args >../ref.out 2>../ref.err)
            refrc=$? ;;
        esac
        masked=""
        cp "$dir/vemu.out" "$dir/vemu.cmp"
        cp "$dir/ref.out" "$dir/ref.cmp"
        if [ -n "${LU_MASK:-}" ]; then
            sed -E "$LU_MASK" "$dir/vemu.out" >"$dir/vemu.cmp"
            sed -E "$LU_MASK" "$dir/ref.out" >"$dir/ref.cmp"
            masked=" (compared after sed -E '$LU_MASK')"
        fi
        if [ $rc -ne $refrc ]; then
            echo "FAIL: $label (exit status $rc, $how reference $refrc; $(head -c 200 "$dir/vemu.err" | tr '\n' ' '))"
        elif ! cmp -s "$dir/vemu.cmp" "$dir/ref.cmp"; then
            echo "FAIL: $label (output differs from $how$masked: $(diff "$dir/ref.cmp" "$dir/vemu.cmp" | grep '^[<>]' | head -4 | tr '\n' ' '))"
        else
            echo "PASS: $label$masked"
        fi
    done
done
