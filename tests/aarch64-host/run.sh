#!/bin/bash
# tests/aarch64-host/run.sh — vemu built for an aarch64 host (`make
# HOST=aarch64`, docs/backend-aarch64.md "Building for an aarch64 host"),
# run on this x86_64 machine under Debian's qemu-aarch64.
#
# Cross-building every program takes several minutes on two cores, so the
# suite runs only when asked: VEMU_TEST_AARCH64=1 (else one SKIP line).
# Then it builds (incrementally) into $AARCH64_BUILD (default build-aarch64)
# and checks, under qemu-aarch64 -L <the arm64 sysroot>:
#   - unit/<test>/<case>: the unit tests an aarch64 build has (every one
#     but the x86_64 host's own: the backend's test-backend-host*.c run
#     blocks through backend-aarch64), cmocka's verdicts one by one;
#   - vemu-arm/*: the ARM translator runs a guest program as qemu-arm
#     does, with the aarch64 backend (the default) and with the IR
#     interpreter (-accel interp);
#   - guest/*: tests/guest/run.sh's ARM guest programs against qemu-arm
#     with VEMU pointing at the aarch64 build (AARCH64_GUEST_FILTERS: the
#     GUEST_FILTER values to run, space separated, or "all" for the whole
#     suite, about 12 minutes; default below, about 2 minutes);
#   - linux-user/*: tests/linux-user/run.sh's programs the same way
#     (AARCH64_LU_FILTERS: LU_FILTER values, or "all"; default below).
#     Two run with one line or field left out (LU_MASK), for qemu-aarch64's
#     sake (the limits the suite notes for qemu-arm): signals (qemu cannot
#     deliver the guest's SIGRTMAX to vemu), timers (its timer ids are not
#     the kernel's); process runs
#     when the suite could register its binfmt_misc entry (a guest execve
#     re-executes vemu, an aarch64 program the x86_64 kernel runs only
#     through such an entry), else SKIPs.
#   - pcache/*: tests/pcache/run.sh (the persistent translation cache) the
#     same way (AARCH64_PCACHE: test names, "all" or "none");
#   - debian/*: with AARCH64_DEBIAN=1 (or a DEBIAN_FILTER value), the
#     tests/debian workloads (Debian's armel/armhf programs) against their
#     native runs, through the binfmt_misc entry; else a SKIP.
#   - system/*: with AARCH64_SYSTEM_SESSIONS (e.g. "dtb", about 4 minutes:
#     Linux boots on the Versatile PB through the soft TLB), the
#     tests/system sessions with the aarch64 vemu-system-arm; else a SKIP.
# Lines: "PASS: aarch64-host/<name>", "FAIL: ..." or "SKIP: ... (why)".
# `make check HOST=aarch64` runs this suite (with the build's BUILD and
# AARCH64_SYSROOT) and prints the summary line.
# A missing toolchain, qemu-aarch64 or sysroot (no archive) is a SKIP.
set -u
cd "$(dirname "$0")/../.." || exit 1
S=aarch64-host

if [ "${VEMU_TEST_AARCH64:-0}" != 1 ]; then
    echo "SKIP: $S (set VEMU_TEST_AARCH64=1 to cross-build vemu for aarch64 and run it under qemu-aarch64, several minutes)"
    exit 0
fi
for tool in aarch64-linux-gnu-gcc qemu-aarch64 qemu-arm arm-linux-gnueabi-gcc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $S ($tool not installed: scripts/setup-deps.sh)"
        exit 0
    fi
done
if [ -n "${AARCH64_SYSROOT:-}" ]; then      # given (make check HOST=aarch64)
    SYSROOT=$AARCH64_SYSROOT
    : >/tmp/vemu-a64-sysroot.$$
elif ! SYSROOT=$(scripts/fetch-aarch64-sysroot.sh 2>/tmp/vemu-a64-sysroot.$$); then
    echo "SKIP: $S (no arm64 sysroot: $(sed -n 's/^why: //p' /tmp/vemu-a64-sysroot.$$ | head -1))"
    rm -f /tmp/vemu-a64-sysroot.$$
    exit 0
fi
rm -f /tmp/vemu-a64-sysroot.$$

ABUILD=${AARCH64_BUILD:-build-aarch64}
case "$ABUILD" in /*) ;; *) ABUILD=$PWD/$ABUILD ;; esac
mkdir -p "$ABUILD"
LOG=$ABUILD/aarch64-host-build.log
# The cross compiler goes through ccache when it is installed: its cache,
# outside the tree and keyed by each object's inputs, makes CI's fresh
# clones rebuild in a minute or two instead of ~10 (AARCH64_CCACHE=0: off).
CCACHE=
if [ "${AARCH64_CCACHE:-1}" = 1 ] && command -v ccache >/dev/null 2>&1; then
    CCACHE=ccache
    if [ -z "${CCACHE_DIR:-}" ]; then
        for d in /var/cache/vemu-tests "${XDG_CACHE_HOME:-$HOME/.cache}/vemu-tests"; do
            if mkdir -p "$d/ccache-aarch64" 2>/dev/null && [ -w "$d/ccache-aarch64" ]; then
                export CCACHE_DIR=$d/ccache-aarch64
                break
            fi
        done
    fi
    export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}
fi
# (a parent make's MAKEFLAGS — jobserver, BUILD=... — must not leak in)
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -j2 HOST=aarch64 CCACHE="$CCACHE" \
        BUILD="$ABUILD" AARCH64_SYSROOT="$SYSROOT" all unit-tests >"$LOG" 2>&1; then
    echo "FAIL: $S/build (make HOST=aarch64 failed, see $LOG: $(grep -m1 -E 'error|Error' "$LOG" | cut -c1-160))"
    exit 0
fi
echo "PASS: $S/build"
RUN=(qemu-aarch64 -L "$SYSROOT")
# AARCH64_TIER=ci: the bounded set CI runs (.ci/run, docs/testing.md): every
# unit test, hello, six guest programs, three linux-user programs, the
# persistent cache suite (tests/pcache, about 40 s), three x86
# programs beside the x86 floating-point checks, and Linux booting in the
# aarch64 vemu-system-arm (tests/system's dtb session, the kernel the
# normal pass built); each *_FILTERS / *_SESSIONS variable still overrides
# its part.
if [ "${AARCH64_TIER:-}" = ci ]; then
    : "${AARCH64_GUEST_FILTERS:=arm-conditions-O2 libc-O2 signals-O2 threads-O2 smc-O2 softfloat-armhf}"
    : "${AARCH64_LU_FILTERS:=threads fault-resume process signals}"
    : "${AARCH64_X86_FILTERS:=x86_64/hello-s-O2 i386/hello-s-O2 x86_64/files-s-O2}"
    : "${AARCH64_SYSTEM_SESSIONS:=dtb}"
fi
TIMEOUT=${AARCH64_TIMEOUT:-300}

# ---- unit tests -------------------------------------------------------------
for t in "$ABUILD"/tests/unit/test-*; do
    [ -x "$t" ] || continue
    case "$t" in *.o|*.d) continue ;; esac
    name=$(basename "$t")
    # a script (the decode-table check) runs on the build machine itself
    if head -c 2 "$t" | grep -q '#!'; then continue; fi
    out=$(timeout -k 5 "$TIMEOUT" "${RUN[@]}" "$t" 2>&1); rc=$?
    n=0
    while IFS= read -r line; do
        case "$line" in
        "[       OK ] "*) echo "PASS: $S/unit/$name/${line#\[       OK \] }"; n=$((n + 1)) ;;
        "[  FAILED  ] "*" test(s), listed below:"|"[  FAILED  ] "*" test(s)."*) ;;
        "[  SKIPPED ] "*" test(s), listed below:") ;;
        "[  FAILED  ] "*|"[  ERROR   ] "*) echo "FAIL: $S/unit/$name/${line#\[  * \] }"; n=$((n + 1)) ;;
        esac
    done <<<"$out"
    if [ $rc -ne 0 ] && ! grep -q '^\[  FAILED  \]' <<<"$out"; then
        echo "FAIL: $S/unit/$name (exit status $rc: $(tail -1 <<<"$out" | cut -c1-160))"
    elif [ $n -eq 0 ]; then
        echo "FAIL: $S/unit/$name (ran no tests)"
    fi
done

# ---- vemu-arm -----------------------------------------------------------------
VEMU_ARM=$ABUILD/vemu-arm
WORK=$ABUILD/aarch64-host
mkdir -p "$WORK"

# ---- binfmt_misc: a guest's execve ------------------------------------------------
# vemu runs a guest's execve by executing itself again (/proc/self/exe, an
# aarch64 program here), which the x86_64 kernel runs only through a
# binfmt_misc entry.  As root with a mountable binfmt_misc the suite
# registers one for aarch64 ELF programs (qemu-wrap.c without PROGRAM: qemu-aarch64
# -L <sysroot>), under a name of its own, and removes it on exit; the
# newest entry wins, so an installed qemu-aarch64 entry is not in the way.
# AARCH64_BINFMT=0: none (the process tests then SKIP).
BF=/proc/sys/fs/binfmt_misc
BINFMT=""
BINFMT_WHY="AARCH64_BINFMT=0"
if [ "${AARCH64_BINFMT:-1}" = 1 ]; then
    BINFMT_WHY="not root"
    if [ "$(id -u)" = 0 ]; then
        [ -e "$BF/register" ] || mount -t binfmt_misc binfmt_misc "$BF" 2>/dev/null
        BINFMT_WHY="binfmt_misc cannot be mounted"
        if [ -e "$BF/register" ]; then
            BWRAP=$WORK/qemu-aarch64-binfmt
            BINFMT_WHY="cannot build the binfmt_misc interpreter (tests/aarch64-host/qemu-wrap.c)"
            if gcc -O2 -Wall -Werror -o "$BWRAP" tests/aarch64-host/qemu-wrap.c \
                    -DQEMU="\"$(command -v qemu-aarch64)\"" -DSYSROOT="\"$SYSROOT\"" 2>"$WORK/bwrap.log"; then
                name=vemu-test-aarch64-$$
                # e_ident of a little-endian ELF64, e_type 2 or 3, e_machine 183 (AArch64)
                if echo ":$name:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:$BWRAP:P" \
                        >"$BF/register" 2>"$WORK/binfmt.log"; then
                    BINFMT=$BF/$name
                    trap 'echo -1 >"$BINFMT" 2>/dev/null' EXIT
                else
                    BINFMT_WHY="binfmt_misc refused the entry: $(head -1 "$WORK/binfmt.log")"
                fi
            fi
        fi
    fi
fi
if ! arm-linux-gnueabi-gcc -static -O2 -o "$WORK/hello-armel" tests/aarch64-host/hello.c -lm 2>"$WORK/hello.log"; then
    echo "FAIL: $S/vemu-arm/hello (cannot build tests/aarch64-host/hello.c, see $WORK/hello.log)"
else
    qemu-arm "$WORK/hello-armel" 7 one >"$WORK/hello.oracle" 2>&1; orc=$?
    timeout -k 5 "$TIMEOUT" "${RUN[@]}" "$VEMU_ARM" "$WORK/hello-armel" 7 one >"$WORK/hello.out" 2>&1; vrc=$?
    if [ $vrc -ne $orc ] || ! cmp -s "$WORK/hello.out" "$WORK/hello.oracle" || [ ! -s "$WORK/hello.out" ]; then
        echo "FAIL: $S/vemu-arm/hello (exit $vrc, oracle $orc; output: $(head -c 160 "$WORK/hello.out"))"
    else
        echo "PASS: $S/vemu-arm/hello"
    fi
    # the IR interpreter too (the backend is the default)
    timeout -k 5 "$TIMEOUT" "${RUN[@]}" "$VEMU_ARM" -accel interp "$WORK/hello-armel" 7 one >"$WORK/interp.out" 2>&1; rc=$?
    if [ $rc -ne $orc ] || ! cmp -s "$WORK/interp.out" "$WORK/hello.oracle"; then
        echo "FAIL: $S/vemu-arm/hello-interp (exit $rc, oracle $orc; output: $(head -c 160 "$WORK/interp.out"))"
    else
        echo "PASS: $S/vemu-arm/hello-interp"
    fi
fi

# ---- ARM guest programs (tests/guest) ---------------------------------------------
# VEMU is a wrapper (qemu-wrap.c) running the aarch64 vemu-arm under
# qemu-aarch64; the guest suite's own build directory holds the programs
# and run files.
WRAP=$WORK/vemu-arm-qemu
if ! gcc -O2 -Wall -Werror -o "$WRAP" tests/aarch64-host/qemu-wrap.c -DQEMU="\"$(command -v qemu-aarch64)\"" \
        -DSYSROOT="\"$SYSROOT\"" -DPROGRAM="\"$VEMU_ARM\"" 2>"$WORK/wrap.log"; then
    echo "FAIL: $S/guest (cannot build tests/aarch64-host/qemu-wrap.c, see $WORK/wrap.log)"
    exit 0
fi
FILTERS=${AARCH64_GUEST_FILTERS:-"arm-conditions-O2 arm-multiply-O2 arm-addressing-O2 calls-O2 softfloat-O2 libc-O2 cxx-O2 signals-O2 threads-O2 smc-O2 segv-handled-O2 auxv-O2 process-O2 libc-thumb smc-thumb softfloat-armhf threads-armhf alu-flags log-in_asm-out_asm"}
[ "$FILTERS" = all ] && FILTERS="''"    # the whole guest suite
for f in $FILTERS; do
    [ "$f" = "''" ] && f=""
    BUILD="$ABUILD" VEMU="$WRAP" GUEST_FILTER="$f" GUEST_TIMEOUT="$TIMEOUT" tests/guest/run.sh 2>&1 |
        sed -n -E "s%^(PASS|FAIL|SKIP): guest/%\1: $S/guest/%p"
done

# ---- linux-user programs (tests/linux-user) ----------------------------------------
LU_FILTERS=${AARCH64_LU_FILTERS:-"threads fault-resume mprotect-race memory events signals timers"}
if [ "$LU_FILTERS" = all ]; then
    LU_FILTERS="threads stress files memory sockets events ipc procfs mprotect-race fault-resume process signals timers"
    # forks: qemu-user emulates vfork with fork, refuses clone's other exit
    # signals and hangs forking beside threads (docs/backend-aarch64.md)
    for v in static dyn armhf; do
        echo "SKIP: $S/linux-user/forks-$v (qemu-aarch64 runs vfork as fork, refuses clone exit signals other than SIGCHLD and hangs forking beside threads: qemu-arm fails the same cases)"
    done
fi
# signals and timers: below, with a mask each
LU_MASKED=""
for f in signals timers; do
    case " $LU_FILTERS " in *" $f "*) LU_MASKED="$LU_MASKED $f"; LU_FILTERS=$(echo " $LU_FILTERS " | sed "s/ $f / /g") ;; esac
done
# process needs the binfmt_misc entry (above)
[ -z "$BINFMT" ] && LU_FILTERS=$(echo " $LU_FILTERS " | sed 's/ process / /g')
for f in $LU_FILTERS; do
    BUILD="$ABUILD" VEMU="$WRAP" LU_FILTER="$f" LU_TIMEOUT="$TIMEOUT" tests/linux-user/run.sh 2>&1 |
        sed -n -E "s%^(PASS|FAIL|SKIP): linux-user/%\1: $S/linux-user/%p"
done
# signals and timers run with one thing left out each, a limit of
# qemu-aarch64 (vemu's host here), not of vemu: it has no host signal for
# its guest's SIGRTMAX (the signal vemu would deliver the ARM guest's
# SIGRTMAX with), and the timer ids its timer_create returns are its own,
# not the kernel's si_timerid.  Everything else is compared with the
# native run as in tests/linux-user.
for f in $LU_MASKED; do
    case "$f" in
    signals) mask='/^SIGRTMAX: /d' ;;
    timers) mask='s/timerid (yes|NO)/timerid (not compared)/' ;;
    esac
    BUILD="$ABUILD" VEMU="$WRAP" LU_FILTER="$f" LU_TIMEOUT="$TIMEOUT" LU_MASK="$mask" tests/linux-user/run.sh 2>&1 |
        sed -n -E "s%^(PASS|FAIL|SKIP): linux-user/%\1: $S/linux-user/%p"
done
for v in static dyn armhf; do
    [ -n "$BINFMT" ] || echo "SKIP: $S/linux-user/process-$v (a guest execve needs binfmt_misc for qemu-aarch64: $BINFMT_WHY)"
done

# ---- the persistent translation cache (tests/pcache) --------------------------------
# tests/pcache/run.sh with VEMU pointing at the aarch64 build: blocks an
# aarch64 vemu-arm saved are loaded, moved (exec/backend-reloc.c: B/BL,
# ADRP+ADD, MOVZ/MOVK), by later processes, with the same output and a
# quarter of the translations or fewer (docs/translation-cache.md).
# AARCH64_PCACHE: the test names to report (space separated), "all" (the
# default; the suite runs whole either way, about 40 seconds) or "none".
# exec-child needs the binfmt_misc entry (a guest execve starts a new vemu).
PCACHE=${AARCH64_PCACHE:-all}
if [ "$PCACHE" = none ]; then
    echo "SKIP: $S/pcache (AARCH64_PCACHE=none)"
else
    BUILD="$ABUILD" VEMU="$WRAP" tests/pcache/run.sh 2>&1 | sed -n -E 's%^(PASS|FAIL|SKIP): pcache/([^ ]*)(.*)$%\1 \2\3%p' |
        while read -r verdict name rest; do
            case " $PCACHE " in *" all "*|*" $name "*) ;; *) continue ;; esac
            if [ "$name" = exec-child ] && [ -z "$BINFMT" ]; then
                echo "SKIP: $S/pcache/exec-child (a guest execve needs binfmt_misc for qemu-aarch64: $BINFMT_WHY)"
            else
                echo "$verdict: $S/pcache/$name${rest:+ $rest}"
            fi
        done
fi

# ---- the Debian armel/armhf tier (tests/debian) -----------------------------------
# AARCH64_DEBIAN=1 (all workloads) or a DEBIAN_FILTER value: Debian's own
# programs under the aarch64 vemu-arm against their native x86_64 builds;
# the workloads that fork and exec need the binfmt_misc entry (above).
if [ -z "${AARCH64_DEBIAN:-}" ]; then
    echo "SKIP: $S/debian (set AARCH64_DEBIAN=1 to run the Debian armel/armhf tier in the aarch64 vemu-arm)"
elif [ -z "$BINFMT" ]; then
    echo "SKIP: $S/debian (its workloads execve: needs the binfmt_misc entry: $BINFMT_WHY)"
else
    dfilter=""
    [ "$AARCH64_DEBIAN" = 1 ] || dfilter=$AARCH64_DEBIAN
    BUILD="$ABUILD" VEMU="$WRAP" DEBIAN_FILTER="$dfilter" DEBIAN_TIMEOUT="${AARCH64_DEBIAN_TIMEOUT:-1200}" \
        tests/debian/run.sh 2>&1 | sed -n -E "s%^(PASS|FAIL|SKIP): debian/%\1: $S/debian/%p"
fi

# ---- system mode (tests/system) ---------------------------------------------------
if [ -z "${AARCH64_SYSTEM_SESSIONS:-}" ]; then
    echo "SKIP: $S/system (set AARCH64_SYSTEM_SESSIONS=dtb to boot Linux in the aarch64 vemu-system-arm, ~4 minutes)"
else
    SWRAP=$WORK/vemu-system-arm-qemu
    if ! gcc -O2 -Wall -Werror -o "$SWRAP" tests/aarch64-host/qemu-wrap.c -DQEMU="\"$(command -v qemu-aarch64)\"" \
            -DSYSROOT="\"$SYSROOT\"" -DPROGRAM="\"$ABUILD/vemu-system-arm\"" 2>"$WORK/swrap.log"; then
        echo "FAIL: $S/system (cannot build tests/aarch64-host/qemu-wrap.c, see $WORK/swrap.log)"
    else
        BUILD="$ABUILD" SYSTEM_EMU="$SWRAP" SYSTEM_SESSIONS="$AARCH64_SYSTEM_SESSIONS" \
            VEMU_SYSTEM_TIMEOUT="${VEMU_SYSTEM_TIMEOUT:-600}" tests/system/run.sh 2>&1 |
            sed -n -E "s%^(PASS|FAIL|SKIP): system/%\1: $S/system/%p"
    fi
fi

# ---- x86 guests (vemu-x86_64, vemu-i386 built for aarch64) --------------------------
# (part x86port; docs/backend-aarch64.md "x86 guests on an aarch64 host")
#   - x86-fp/<arch>: tests/aarch64-host/x86-fp.c, SSE..AVX, FMA and F16C on special
#     operands in every rounding mode with FTZ/DAZ (the portable helpers,
#     frontend-x86/x86-vec-fp-soft*.c), built static for x86_64 and i386; the oracle
#     is the x86_64 build run natively (the i386 output has no "w:" lines);
#   - x86-simd/mxcsr: tests/x86-simd/simd-mxcsr.c (rounding, flags, FTZ/DAZ, SIGFPE
#     from an unmasked exception) against its native run;
#   - x86-user/*: tests/x86-user/run.sh's programs (AARCH64_X86_FILTERS: the
#     X86U_FILTER values to run, space separated, or "all"), each against its own
#     oracle (native x86_64; qemu-i386 and the x86_64 build for i386); the x87
#     transcendentals' cases may be one ulp from the host's x87, which is only
#     faithful where the portable float80 library rounds correctly
#     (X86U_X87_FAITHFUL, tests/x86-user/x87-faithful.py).
x86_guests() {
    local w64=$WORK/vemu-x86_64-qemu w32=$WORK/vemu-i386-qemu arch
    for arch in x86_64 i386; do
        if [ ! -x "$ABUILD/vemu-$arch" ]; then
            echo "FAIL: $S/x86 (build-aarch64 has no vemu-$arch)"
            return
        fi
        if ! gcc -O2 -Wall -Werror -o "$WORK/vemu-$arch-qemu" tests/aarch64-host/qemu-wrap.c \
                -DQEMU="\"$(command -v qemu-aarch64)\"" -DSYSROOT="\"$SYSROOT\"" \
                -DPROGRAM="\"$ABUILD/vemu-$arch\"" 2>"$WORK/wrap-$arch.log"; then
            echo "FAIL: $S/x86 (cannot build tests/aarch64-host/qemu-wrap.c, see $WORK/wrap-$arch.log)"
            return
        fi
    done

    # x86-fp: native x86_64 run as the oracle (it needs AVX2, FMA and F16C here)
    if ! gcc -static -O2 -mavx2 -mfma -mf16c -o "$WORK/x86-fp-64" tests/aarch64-host/x86-fp.c 2>"$WORK/x86-fp.log"; then
        echo "FAIL: $S/x86-fp (cannot build tests/aarch64-host/x86-fp.c, see $WORK/x86-fp.log)"
    elif ! grep -qw fma /proc/cpuinfo || ! grep -qw f16c /proc/cpuinfo || ! grep -qw avx2 /proc/cpuinfo; then
        echo "SKIP: $S/x86-fp (the oracle needs a host with AVX2, FMA and F16C)"
    else
        "$WORK/x86-fp-64" >"$WORK/x86-fp.oracle" 2>&1
        timeout -k 5 "$TIMEOUT" "$w64" "$WORK/x86-fp-64" >"$WORK/x86-fp-64.out" 2>&1; rc=$?
        if [ $rc -ne 0 ] || ! cmp -s "$WORK/x86-fp-64.out" "$WORK/x86-fp.oracle"; then
            echo "FAIL: $S/x86-fp/x86_64 (exit $rc; first difference: $(diff "$WORK/x86-fp.oracle" "$WORK/x86-fp-64.out" | sed -n 2p))"
        else
            echo "PASS: $S/x86-fp/x86_64"
        fi
        if ! command -v i686-linux-gnu-gcc >/dev/null 2>&1; then
            echo "SKIP: $S/x86-fp/i386 (i686-linux-gnu-gcc not installed: scripts/setup-deps.sh)"
        elif ! i686-linux-gnu-gcc -static -O2 -mavx2 -mfma -mf16c -o "$WORK/x86-fp-32" tests/aarch64-host/x86-fp.c \
                2>>"$WORK/x86-fp.log"; then
            echo "FAIL: $S/x86-fp/i386 (cannot build tests/aarch64-host/x86-fp.c, see $WORK/x86-fp.log)"
        else
            grep -v '^w:' "$WORK/x86-fp.oracle" >"$WORK/x86-fp.oracle32"
            timeout -k 5 "$TIMEOUT" "$w32" "$WORK/x86-fp-32" >"$WORK/x86-fp-32.out" 2>&1; rc=$?
            if [ $rc -ne 0 ] || ! cmp -s "$WORK/x86-fp-32.out" "$WORK/x86-fp.oracle32"; then
                echo "FAIL: $S/x86-fp/i386 (exit $rc; first difference: $(diff "$WORK/x86-fp.oracle32" "$WORK/x86-fp-32.out" | sed -n 2p))"
            else
                echo "PASS: $S/x86-fp/i386"
            fi
        fi
    fi

    # tests/x86-simd's MXCSR program: rounding, flags, FTZ/DAZ, SIGFPE from an
    # unmasked exception, against its native run
    if ! gcc -static -O2 -o "$WORK/x86-mxcsr" tests/x86-simd/simd-mxcsr.c -lm 2>"$WORK/x86-mxcsr.log"; then
        echo "FAIL: $S/x86-simd/mxcsr (cannot build tests/x86-simd/simd-mxcsr.c, see $WORK/x86-mxcsr.log)"
    else
        "$WORK/x86-mxcsr" >"$WORK/x86-mxcsr.oracle" 2>&1
        timeout -k 5 "$TIMEOUT" "$w64" "$WORK/x86-mxcsr" >"$WORK/x86-mxcsr.out" 2>&1; rc=$?
        if [ $rc -ne 0 ] || ! cmp -s "$WORK/x86-mxcsr.out" "$WORK/x86-mxcsr.oracle"; then
            echo "FAIL: $S/x86-simd/mxcsr (exit $rc; first difference: $(diff "$WORK/x86-mxcsr.oracle" "$WORK/x86-mxcsr.out" | sed -n 2p))"
        else
            echo "PASS: $S/x86-simd/mxcsr"
        fi
    fi

    # x86-user programs; their binaries and runs under $ABUILD/tests/x86-user
    local filters=${AARCH64_X86_FILTERS:-"x86_64/hello-s-O2 i386/hello-s-O2 x86_64/cpuid-s-O2 i386/cpuid-s-O2 x86_64/env-d-O2 i386/env-d-O2 x86_64/jmp-s-O2 x86_64/signals-s-O2 i386/signals-s-O2 x86_64/files-s-O2 i386/files-s-O2 x86_64/tls-d-O2 x86_64/smc-s-O2 x86_64/atomics-s-O2 x86_64/x87-s-O2 i386/x87-s-O2"}
    [ "$filters" = all ] && filters="''"
    local f
    for f in $filters; do
        [ "$f" = "''" ] && f=""
        # x86_64/proc forks a tree of 15 processes and execs more: under
        # qemu-aarch64 each vemu-x86_64 holds ~3 GB of qemu's own page
        # descriptors for the x86_64 guest's 512 GiB reservation (vemu's
        # own resident size is 14 MB), and together they exhausted the
        # machine (the OOM killer took other sessions' work too).
        BUILD="$ABUILD" VEMU_X86_64="$w64" VEMU_I386="$w32" X86U_FILTER="$f" X86U_TIMEOUT="$TIMEOUT" X86U_JOBS=1 X86U_X87_FAITHFUL=1 \
            X86U_SKIP="x86_64/proc" X86U_SKIP_WHY="each vemu-x86_64 under qemu-aarch64 holds ~3 GB of qemu's page descriptors for its 512 GiB guest space; this program's fork tree and exec'd children ran the 24 GB machine out of memory: a limit of the test environment, docs/backend-aarch64.md" \
            tests/x86-user/run.sh 2>&1 | sed -n -E "s%^(PASS|FAIL|SKIP): x86-user/%\1: $S/x86-user/%p"
    done
}
x86_guests
