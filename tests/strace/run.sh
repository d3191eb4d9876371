#!/bin/bash
# tests/strace/run.sh — vemu-arm's -strace output, and the qemu-user options
# -B, -R, -cpu (AT_HWCAP), -help and -version.
#
#   calls.c   a static armel program making open/read/write/close/fstat/
#             fcntl/ioctl/getdents64/mmap/sigaction/kill/execve/fork/wait
#             calls; its -strace lines must contain what the Linux ARM ABI
#             says they are (exact substrings below), and the set of call
#             names must be what qemu-arm -strace shows for the same program.
#   threads.c a thread blocked in read(): the split "<unfinished ...>" lines.
#   hwcap.c   AT_HWCAP/AT_HWCAP2/AT_PLATFORM for each -cpu model, compared
#             with qemu-arm -cpu (see docs/linux-user.md for the known
#             differences); and a waiting mode to look at -B's placement.
#
# Prints "PASS: strace/<name>", "FAIL: strace/<name> (why)" or
# "SKIP: strace/<name> (reason)".  Environment: BUILD (default build),
# VEMU (default $BUILD/vemu-arm).
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/strace
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/strace-tests ;; *) OUT=$PWD/$BUILD/strace-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
NAMES="decoded-lines qemu-names threads-unfinished env-and-logfile guest-base reserved-va
cpu-hwcap help-version"

have() { command -v "$1" >/dev/null 2>&1; }
skip_all() { for n in $NAMES; do echo "SKIP: strace/$n ($1)"; done; exit 0; }

[ -x "$VEMU" ] || skip_all "vemu-arm not built: $VEMU"
have arm-linux-gnueabi-gcc || skip_all "arm-linux-gnueabi-gcc not installed"
mkdir -p "$OUT"
ulimit -c 0

for p in calls threads hwcap calls-dyn; do
    src=$SRC/${p%-dyn}.c static=-static
    [ "$p" = calls-dyn ] && static=
    if [ ! -x "$OUT/$p" ] || [ "$src" -nt "$OUT/$p" ]; then
        if ! arm-linux-gnueabi-gcc -O2 $static -o "$OUT/$p" "$src" -lpthread >"$OUT/$p.log" 2>&1; then
            skip_all "cannot build $p: $(head -2 "$OUT/$p.log" | tr '\n' ' ')"
        fi
    fi
done

# check <name> <log> <fixed substrings...>: each must be in the log (pid
# prefixes stripped); regular expressions are marked with a leading "~".
check() {
    local name=$1 log=$2 missing=""
    shift 2
    sed -E 's/^[0-9]+ //' "$log" >"$log.nopid"
    for want in "$@"; do
        case $want in
        "~"*) grep -Eq -- "${want#\~}" "$log.nopid" || missing="$missing [${want#\~}]" ;;
        *) grep -Fq -- "$want" "$log.nopid" || missing="$missing [$want]" ;;
        esac
    done
    if [ -z "$missing" ]; then
        echo "PASS: strace/$name"
    else
        echo "FAIL: strace/$name (missing:$missing; log $log)"
    fi
}

# ---- decoded-lines ---------------------------------------------------------
DIR=$OUT/dir
rm -rf "$DIR"
mkdir -p "$DIR"
(umask 022; cd "$OUT" && timeout 60 "$VEMU" -strace ./calls "$DIR" >"$OUT/calls.out" 2>"$OUT/calls.strace")
rc=$?
F=$DIR/strace-data.txt
if [ $rc -ne 0 ] || ! grep -q "child status 3" "$OUT/calls.out"; then
    echo "FAIL: strace/decoded-lines (exit status $rc, output: $(head -c 200 "$OUT/calls.out"))"
else
    check decoded-lines "$OUT/calls.strace" \
        'openat(AT_FDCWD,"/nonexistent",O_RDONLY) = -1 ENOENT (No such file or directory)' \
        "openat(AT_FDCWD,\"$F\",O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC,0644) = 3" \
        'write(3,"hello\n\tworld\1",13) = 13' \
        'write(3,"01234567890123456789012345678901"...,40) = 40' \
        'close(3) = 0' \
        "openat(AT_FDCWD,\"$F\",O_RDONLY|O_LARGEFILE|O_NOFOLLOW) = 3" \
        'read(3,"hello",5) = 5' \
        '~^(statx\(3,"",AT_NO_AUTOMOUNT\|AT_EMPTY_PATH,STATX_BASIC_STATS,\{stx_mode=S_IFREG\|0644, stx_size=53, \.\.\.\}\)|fstat64\(3,\{st_mode=S_IFREG\|0644, st_size=53, \.\.\.\}\)) = 0$' \
        'fcntl64(3,F_SETFD,FD_CLOEXEC) = 0' \
        '~^fcntl64\(3,F_GETFL\) = [0-9]+ \(flags O_RDONLY' \
        'lseek(3,0,SEEK_END) = 53' \
        '~^ioctl\(3,TCGETS,0x[0-9a-f]+\) = -1 ENOTTY \(Inappropriate ioctl for device\)$' \
        "openat(AT_FDCWD,\"$DIR\",O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 3" \
        '~^getdents64\(3,0x[0-9a-f]+ /\* 3 entries \*/,4096\) = [0-9]+$' \
        "faccessat(AT_FDCWD,\"$F\",R_OK|W_OK) = 0" \
        "unlinkat(AT_FDCWD,\"$F\",0) = 0" \
        '~^mmap2\(NULL,8192,PROT_READ\|PROT_WRITE,MAP_PRIVATE\|MAP_ANONYMOUS,-1,0\) = 0x[0-9a-f]+$' \
        '~^mprotect\(0x[0-9a-f]+,4096,PROT_READ\) = 0$' \
        '~^munmap\(0x[0-9a-f]+,8192\) = 0$' \
        '~^rt_sigaction\(SIGUSR1,\{sa_handler=SIG_IGN, sa_mask=\[\], sa_flags=SA_RESTORER, sa_restorer=0x[0-9a-f]+\},NULL,8\) = 0$' \
        '~^kill\([0-9]+,SIGUSR1\) = 0$' \
        '~^timer_create\(CLOCK_MONOTONIC,0x[0-9a-f]+,\[[0-9]+\]\) = 0$' \
        '~^timer_settime64\([0-9]+,0,0x[0-9a-f]+,NULL\) = 0$' \
        '~^timer_gettime64\([0-9]+,0x[0-9a-f]+\) = 0$' \
        '~^timer_gettime\([0-9]+,0x[0-9a-f]+\) = 0$' \
        '~^timer_getoverrun\([0-9]+\) = 0$' \
        '~^timer_delete\([0-9]+\) = 0$' \
        '~^execve\("/nonexistent-prog",\["/nonexistent-prog", "x"\],0x[0-9a-f]+ /\* 1 var \*/\) <unfinished \.\.\.>$' \
        '<... execve resumed>) = -1 ENOENT (No such file or directory)' \
        '~^clone\(CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD,NULL,NULL,NULL,0x[0-9a-f]+\) = [1-9][0-9]*$' \
        '~^clone\(CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD,NULL,NULL,NULL,0x[0-9a-f]+\) = 0$' \
        'exit_group(3) = ?' \
        '~^wait4\([0-9]+,\[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\],0,NULL\) = [0-9]+$' \
        'write(1,"child status 3\n",15) = 15' \
        'exit_group(0) = ?'
fi

# The child's lines carry the child's pid, the one the parent's clone returned.
# (Part of decoded-lines' evidence, reported with qemu-names below.)
child=$(grep -E '^[0-9]+ clone\(.*\) = [1-9]' "$OUT/calls.strace" | sed -E 's/.* = //')
child_ok=0
[ -n "$child" ] && grep -Eq "^$child clone\(.*\) = 0$" "$OUT/calls.strace" &&
    grep -q "^$child exit_group(3) = ?$" "$OUT/calls.strace" && child_ok=1
# Every line is one whole call: "<pid> name(...) = result", a split half,
# or exit's "= ?".
bad=$(grep -Evc '^[0-9]+ ([a-z_0-9]+\(.*(\) = .*| <unfinished \.\.\.>)|<\.\.\. [a-z_0-9]+ resumed>.*\) = .*)$' "$OUT/calls.strace")

# ---- qemu-names --------------------------------------------------------------
# Calls vemu shows and qemu-arm 7.2 does not: set_tls (qemu does not trace
# ARM-private calls), rseq and timer_gettime64 (qemu prints "Unknown syscall
# 398" and "... 408").
if ! have qemu-arm; then
    echo "SKIP: strace/qemu-names (qemu-arm not installed)"
else
    # names <log>: the sorted set of call names in a -strace log.  A name
    # starts with a letter or '_': qemu's torn lines can glue a child's
    # digits to one ("0wait4").
    names() { grep -oE '[0-9]+ [a-z_][a-z_0-9]*\(' "$1" | sed -E 's/^[0-9]+ //; s/\($//' |
        grep -Ev '^(set_tls|rseq|timer_gettime64)$' | sort -u; }
    # qemu-arm writes a strace line in pieces, so a forked child's output can
    # tear the parent's line apart: take the union of three oracle runs.
    : >"$OUT/calls.qemu-strace"
    for i in 1 2 3; do
        rm -rf "$DIR"; mkdir -p "$DIR"
        (cd "$OUT" && timeout 60 qemu-arm -strace ./calls "$DIR" >/dev/null 2>>"$OUT/calls.qemu-strace")
    done
    d=$(diff <(names "$OUT/calls.qemu-strace") <(names "$OUT/calls.strace") | grep '^[<>]' | tr '\n' ' ')
    # The same program linked dynamically: ld.so's calls too.
    SYSROOT=/usr/arm-linux-gnueabi
    : >"$OUT/calls-dyn.qemu-arm-strace"
    : >"$OUT/calls-dyn.vemu-arm-strace"
    for emu in "$VEMU" qemu-arm qemu-arm qemu-arm; do   # the oracle's union, as above
        rm -rf "$DIR"; mkdir -p "$DIR"
        (cd "$OUT" && timeout 60 $emu -L $SYSROOT -strace ./calls-dyn "$DIR" >/dev/null \
            2>>"$OUT/calls-dyn.$(basename "$emu")-strace")
    done
    d="$d$(diff <(names "$OUT/calls-dyn.qemu-arm-strace") <(names "$OUT/calls-dyn.vemu-arm-strace") |
        grep '^[<>]' | tr '\n' ' ')"
    grep -q '^[0-9]* openat(AT_FDCWD,"/etc/ld.so.cache",O_RDONLY|O_LARGEFILE|O_CLOEXEC) = ' \
        "$OUT/calls-dyn.vemu-arm-strace" || d="$d (dynamic: no ld.so.cache openat line)"
    n=$(names "$OUT/calls.qemu-strace" | wc -l)
    [ "$n" -ge 20 ] || d="$d (only $n call names from qemu-arm)"
    if [ -n "$d" ]; then
        echo "FAIL: strace/qemu-names (qemu < > vemu: $d)"
    elif [ $child_ok = 0 ]; then
        echo "FAIL: strace/qemu-names (the forked child's lines do not carry its pid $child)"
    elif [ "$bad" != 0 ]; then
        echo "FAIL: strace/qemu-names ($bad malformed lines in $OUT/calls.strace)"
    else
        echo "PASS: strace/qemu-names"
    fi
fi

# ---- threads-unfinished -----------------------------------------------------
(cd "$OUT" && timeout 60 "$VEMU" -strace ./threads >"$OUT/threads.out" 2>"$OUT/threads.strace")
if ! grep -q "read 4" "$OUT/threads.out"; then
    echo "FAIL: strace/threads-unfinished (output: $(head -c 200 "$OUT/threads.out"))"
else
    # The read is started by the thread before the main thread's write.
    r=$(grep -n 'read(3, <unfinished ...>' "$OUT/threads.strace" | head -1 | cut -d: -f1)
    w=$(grep -n 'write(4,"ping",4)' "$OUT/threads.strace" | head -1 | cut -d: -f1)
    if [ -n "$r" ] && [ -n "$w" ] && [ "$r" -lt "$w" ]; then
        check threads-unfinished "$OUT/threads.strace" \
            '~^clone\(CLONE_VM\|CLONE_FS\|CLONE_FILES\|CLONE_SIGHAND\|CLONE_THREAD\|CLONE_SYSVSEM\|CLONE_SETTLS\|CLONE_PARENT_SETTID\|CLONE_CHILD_CLEARTID,0x' \
            '<... read resumed>"ping",16) = 4' \
            'exit(0) = ?'
    else
        echo "FAIL: strace/threads-unfinished (no 'read(3, <unfinished ...>' before the write)"
    fi
fi

# ---- env-and-logfile: VEMU_STRACE, -D --------------------------------------
rm -f "$OUT/env.log"
(cd "$OUT" && VEMU_STRACE=1 timeout 60 "$VEMU" -D "$OUT/env.log" ./hwcap >/dev/null 2>"$OUT/env.err")
if [ -s "$OUT/env.err" ]; then
    echo "FAIL: strace/env-and-logfile (stderr not empty with -D: $(head -c 200 "$OUT/env.err"))"
else
    check env-and-logfile "$OUT/env.log" '~^brk\(NULL\) = 0x[0-9a-f]+$' \
        '~^write\(1,"hwcap=0x[^"]*"\.\.\.,[0-9]+\) = [0-9]+$' \
        'exit_group(0) = ?'
fi

# ---- guest-base: -B and VEMU_GUEST_BASE --------------------------------------
# hwcap waits on a fifo; meanwhile vemu's host mappings must show the
# 4 GiB reservation starting exactly at the requested address.
guest_base_run() {   # <address-hex-without-0x> <how: opt|env>
    local fifo=$OUT/gb.fifo pid maps=""
    rm -f "$fifo" "$OUT/gb.out"
    mkfifo "$fifo"
    if [ "$2" = opt ]; then
        timeout 30 "$VEMU" -B "0x$1" "$OUT/hwcap" wait <"$fifo" >"$OUT/gb.out" 2>&1 &
    else
        VEMU_GUEST_BASE="0x$1" timeout 30 "$VEMU" "$OUT/hwcap" wait <"$fifo" >"$OUT/gb.out" 2>&1 &
    fi
    pid=$!
    exec 7>"$fifo"
    for _ in $(seq 50); do
        grep -q hwcap= "$OUT/gb.out" 2>/dev/null && break
        sleep 0.1
    done
    local vpid
    vpid=$(pgrep -P "$pid" | head -1)
    [ -n "$vpid" ] || vpid=$pid
    maps=$(cat "/proc/$vpid/maps" 2>/dev/null)
    exec 7>&-
    wait "$pid"
    local rc=$?
    rm -f "$fifo"
    [ $rc = 0 ] && grep -q hwcap= "$OUT/gb.out" && grep -Eq "^0*$1-" <<<"$maps"
}
if guest_base_run 300000000000 opt && guest_base_run 7e0000000000 env; then
    if "$VEMU" -B 0x1001 "$OUT/hwcap" >/dev/null 2>"$OUT/gb.err" || ! grep -q "not page-aligned" "$OUT/gb.err"; then
        echo "FAIL: strace/guest-base (-B 0x1001 accepted or wrong message: $(cat "$OUT/gb.err"))"
    else
        echo "PASS: strace/guest-base"
    fi
else
    echo "FAIL: strace/guest-base (no reservation at the -B address; output: $(head -c 200 "$OUT/gb.out"))"
fi

# ---- reserved-va: -R, VEMU_RESERVED_VA --------------------------------------
# An ARM guest's space is all 4 GiB (stack and kuser page at the top):
# -R 4G and the env variable run; smaller or larger sizes are refused.
o1=$("$VEMU" -R 4G "$OUT/hwcap" 2>&1)
o2=$(VEMU_RESERVED_VA=0x100000000 "$VEMU" "$OUT/hwcap" 2>&1)
o3=$("$VEMU" -R 1G "$OUT/hwcap" 2>&1); r3=$?
o4=$("$VEMU" -R 8G "$OUT/hwcap" 2>&1); r4=$?
if [[ $o1 == hwcap=* ]] && [[ $o2 == hwcap=* ]] && [ $r3 = 1 ] && [[ $o3 == *"-R 1G"* ]] &&
    [ $r4 = 1 ] && [[ $o4 == *"-R 8G"* ]]; then
    echo "PASS: strace/reserved-va"
else
    echo "FAIL: strace/reserved-va (-R 4G: '$o1'; env: '$o2'; -R 1G: $r3 '$o3'; -R 8G: $r4 '$o4')"
fi

# ---- cpu-hwcap ----------------------------------------------------------------
# AT_HWCAP per model, compared with qemu-arm -cpu.  vemu claims only what
# its translator implements, so these qemu bits are masked: NEON (0x1000:
# no Advanced SIMD yet), THUMBEE (0x800), LPAE (0x100000).  -cpu max is an
# ARMv8 in both (platform v8l); of AT_HWCAP2 vemu implements CRC32 (0x10)
# but not the crypto bits (AES PMULL SHA1 SHA2), so those are masked.
# vemu's max implements FEAT_FP16 and says so with HWCAP_FPHP (0x400000,
# the kernel's for FP16 without Advanced SIMD's ASIMDHP); qemu-arm 7.2 runs
# the FP16 instructions but does not set the bit.
MASK2=$((0xf))
MASK=$((0x101800))
FPHP=$((0x400000))
models=$("$VEMU" -cpu help)
fail=""
for m in arm926 arm1136 cortex-a7 cortex-a15 max pxa250 pxa255 pxa260 pxa261 pxa262 pxa270 \
         pxa270-a0 pxa270-a1 pxa270-b0 pxa270-b1 pxa270-c0 pxa270-c5; do
    [[ $models == *" $m"* ]] || fail="$fail [-cpu help lacks $m]"
    v=$("$VEMU" -cpu "$m" "$OUT/hwcap" 2>&1)
    if ! have qemu-arm; then
        [[ $v == hwcap=* ]] || fail="$fail [$m: $v]"
        continue
    fi
    q=$(qemu-arm -cpu "$m" "$OUT/hwcap" 2>&1)
    vh=$(sed -E 's/hwcap=(0x[0-9a-f]+).*/\1/' <<<"$v")
    qh=$(sed -E 's/hwcap=(0x[0-9a-f]+).*/\1/' <<<"$q")
    [[ $vh == 0x* && $qh == 0x* ]] || { fail="$fail [$m: vemu '$v' qemu '$q']"; continue; }
    extra=0
    [ "$m" = max ] && extra=$FPHP
    if [ $((vh)) != $(((qh & ~MASK) | extra)) ]; then
        fail="$fail [$m: AT_HWCAP vemu $vh, qemu $qh]"
    fi
    if [ "$m" != max ] && [ "${v#* }" != "${q#* }" ]; then
        fail="$fail [$m: vemu '$v' qemu '$q']"
    fi
    if [ "$m" = max ]; then
        vh2=$(sed -E 's/.*hwcap2=(0x[0-9a-f]+).*/\1/' <<<"$v")
        qh2=$(sed -E 's/.*hwcap2=(0x[0-9a-f]+).*/\1/' <<<"$q")
        if [ $((vh2)) != $((qh2 & ~MASK2)) ] || [ "${v##* }" != "${q##* }" ]; then
            fail="$fail [$m: vemu '$v' qemu '$q']"
        fi
    fi
done
if [ -z "$fail" ]; then
    echo "PASS: strace/cpu-hwcap"
else
    echo "FAIL: strace/cpu-hwcap ($fail)"
fi

# ---- help-version -------------------------------------------------------------
h=$("$VEMU" -help 2>&1); hr=$?
v=$("$VEMU" -version 2>&1); vr=$?
missing=""
for o in -L -E -U -0 -cpu -s -d -D -strace -accel -B -R -help -version VEMU_GUEST_BASE VEMU_RESERVED_VA VEMU_STRACE; do
    grep -q -- "$o\b" <<<"$h" || missing="$missing $o"
done
if [ $hr = 0 ] && [ $vr = 0 ] && [ -z "$missing" ] && [[ $v == "vemu-arm version "* ]]; then
    echo "PASS: strace/help-version"
else
    echo "FAIL: strace/help-version (help rc $hr missing:$missing; version rc $vr '$v')"
fi
