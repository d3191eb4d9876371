#!/bin/bash
# tests/guest/run.sh — runs ARM guest programs under vemu-arm and under the
# oracle (Debian's qemu-arm) and compares what they print and how they exit.
#
# Prints exactly one line per test:
#     PASS: guest/<name>
#     FAIL: guest/<name> (why, first differing lines)
#     SKIP: guest/<name> (reason)
#
# Environment:
#   BUILD          build directory (default build); programs go to $BUILD/guest
#   VEMU           the emulator under test (default $BUILD/vemu-arm).  Pointing it
#                  at qemu-arm checks the suite itself: everything must PASS
#                  except badinput-* (qemu-arm refuses those without a message).
#   ORACLE         the reference (default qemu-arm)
#   GUEST_JOBS     tests run in parallel (default 2)
#   GUEST_TIMEOUT  seconds per program run (default 60)
#   GUEST_FILTER   run only tests whose name contains this string
#   VEMU_TEST_CACHE  where downloaded Debian packages are kept
#                  (default /var/cache/vemu-tests, or ~/.cache/vemu-tests)
#
# Everything a test produced stays in $BUILD/guest/run/<name>/ for debugging.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/guest ;; *) OUT=$PWD/$BUILD/guest ;; esac   # guests run in scratch dirs
VEMU=${VEMU:-$BUILD/vemu-arm}
ORACLE=${ORACLE:-qemu-arm}
JOBS=${GUEST_JOBS:-2}
TIMEOUT=${GUEST_TIMEOUT:-60}
FILTER=${GUEST_FILTER:-}
RUNDIR=$OUT/run
RESULTS=$OUT/results
mkdir -p "$OUT"
# One run at a time per build tree: a second run would delete this one's files.
exec 9>"$OUT/.run.lock"
if command -v flock >/dev/null && ! flock -w 1800 9; then
    echo "FAIL: guest/lock (another tests/guest/run.sh held $OUT/.run.lock for 30 minutes)"
    exit 0
fi
rm -rf "$RUNDIR" "$RESULTS"
mkdir -p "$RUNDIR" "$RESULTS"
ulimit -c 0    # guests that die by a signal must not leave core files around

# A relative VEMU path must survive the cd into a scratch directory.
case "$VEMU" in
*/*) [ -e "$VEMU" ] && VEMU=$(cd "$(dirname "$VEMU")" && pwd)/$(basename "$VEMU") ;;
*) VEMU=$(command -v "$VEMU" || echo "$VEMU") ;;
esac

VEMU_MISSING=""
[ -x "$VEMU" ] || VEMU_MISSING="vemu-arm not built ($VEMU)"
ORACLE_MISSING=""
command -v "$ORACLE" >/dev/null 2>&1 || ORACLE_MISSING="oracle $ORACLE not installed (scripts/setup-deps.sh)"

# ---- build the guest programs ------------------------------------------------
BUILD_LOG=$OUT/build.log
# (a parent make's MAKEFLAGS — jobserver, command-line variables — must not leak in)
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -j2 -f tests/guest/guest.mk \
        OUT="$OUT" >"$BUILD_LOG" 2>&1; then
    echo "guest programs: build failed, see $BUILD_LOG:"
    tail -5 "$BUILD_LOG"
fi

# ---- helpers -------------------------------------------------------------------

# The fixed environment every guest runs in, so both sides see the same one.
# Sanitizer settings (CI's ASan run) pass through to both sides.
GUEST_ENV=(env -i LC_ALL=C PATH=/usr/bin:/bin VEMU_TEST_A=alpha "VEMU_TEST_B=two words")
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    [ -n "${!v:-}" ] && GUEST_ENV+=("$v=${!v}")
done

# run_guest DIR SIDE EMULATOR STDIN PROGRAM ARGS...: runs one side, leaving
# DIR/SIDE.out, DIR/SIDE.err and DIR/SIDE.rc.  The guest's cwd is DIR/SIDE.tmp.
run_guest() {
    local dir=$1 side=$2 emu=$3 input=$4
    shift 4
    mkdir -p "$dir/$side.tmp"
    (
        cd "$dir/$side.tmp" || exit 99
        timeout -k 5 "$TIMEOUT" "${GUEST_ENV[@]}" TMPDIR="$PWD" "$emu" "$@" \
            <"$input" >"../$side.out" 2>"../$side.err" 9>&-
        echo $? >"../$side.rc"
    ) 2>/dev/null
}

# describe an exit status the way a person reads it
status_text() {
    local rc=$1
    case $rc in
    124) echo "timed out after ${TIMEOUT}s" ;;
    126) echo "exit 126 (could not execute)" ;;
    127) echo "exit 127 (command not found)" ;;
    137) echo "killed (SIGKILL, timeout?)" ;;
    *)
        if [ "$rc" -gt 128 ] 2>/dev/null && [ "$rc" -lt 192 ]; then
            echo "killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
        else
            echo "exit $rc"
        fi ;;
    esac
}

# first_diff A B: "line N: 'a' vs 'b'" for the first line that differs (text),
# or a byte offset for binary output.
first_diff() {
    local a=$1 b=$2
    if grep -qI . "$a" 2>/dev/null || [ ! -s "$a" ]; then
        diff "$a" "$b" | head -40 >"$a.diff"
        local n la lb
        n=$(cmp "$a" "$b" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
        [ -z "$n" ] && n=$(( $(wc -l <"$a") + 1 ))
        la=$(sed -n "${n}p" "$a" | cut -c1-100)
        lb=$(sed -n "${n}p" "$b" | cut -c1-100)
        [ -z "$la" ] && [ "$n" -gt "$(wc -l <"$a")" ] && la="<end of output>"
        [ -z "$lb" ] && [ "$n" -gt "$(wc -l <"$b")" ] && lb="<end of output>"
        echo "line $n: vemu '$la' vs oracle '$lb'"
    else
        cmp "$a" "$b" 2>&1 | head -1 | sed 's/^.*differ: //'
    fi
}

# first line of vemu's stderr, to make failures self-explaining
vemu_said() {
    local f=$1
    [ -s "$f" ] || return 0
    echo "; vemu stderr: $(grep -v '^$' "$f" | head -1 | cut -c1-120)"
}

safe_name() { echo "$1" | tr '/ ' '__'; }

# compare NAME [--stdin FILE] [--stderr] PROGRAM ARGS...
# PASS when stdout and the exit status (and, with --stderr, stderr) are identical.
compare() {
    local name=$1 input=/dev/null check_err=0
    shift
    while :; do
        case "$1" in
        --stdin) input=$2; shift 2 ;;
        --stderr) check_err=1; shift ;;
        *) break ;;
        esac
    done
    local prog=$1
    if [ -n "$VEMU_MISSING" ]; then echo "FAIL: guest/$name ($VEMU_MISSING)"; return; fi
    if [ -n "$ORACLE_MISSING" ]; then echo "FAIL: guest/$name ($ORACLE_MISSING)"; return; fi
    if [ ! -x "$prog" ]; then echo "FAIL: guest/$name (program not built: $prog, see $BUILD_LOG)"; return; fi
    case "$prog" in /*) ;; *) echo "FAIL: guest/$name (internal: relative program path $prog)"; return ;; esac
    case "$input" in /*) ;; *) input=$PWD/$input ;; esac
    local dir
    dir=$RUNDIR/$(safe_name "$name")
    mkdir -p "$dir"
    run_guest "$dir" oracle "$ORACLE" "$input" "$@"
    run_guest "$dir" vemu "$VEMU" "$input" "$@"
    local orc vrc
    orc=$(cat "$dir/oracle.rc" 2>/dev/null || echo "?")
    vrc=$(cat "$dir/vemu.rc" 2>/dev/null || echo "?")
    if [ "$orc" = 124 ] || [ "$orc" = 137 ]; then
        echo "FAIL: guest/$name (oracle $ORACLE $(status_text "$orc"))"
    elif [ ! -s "$dir/oracle.out" ] && { [ $check_err = 0 ] || [ ! -s "$dir/oracle.err" ]; }; then
        # every program here prints something: silence means it never ran
        echo "FAIL: guest/$name (oracle $ORACLE printed nothing, $(status_text "$orc"): $(head -c 120 "$dir/oracle.err"))"
    elif [ "$vrc" != "$orc" ]; then
        local extra=""
        cmp -s "$dir/vemu.out" "$dir/oracle.out" || extra="; stdout $(first_diff "$dir/vemu.out" "$dir/oracle.out")"
        echo "FAIL: guest/$name (vemu $(status_text "$vrc"), oracle $(status_text "$orc")$extra$(vemu_said "$dir/vemu.err"))"
    elif ! cmp -s "$dir/vemu.out" "$dir/oracle.out"; then
        echo "FAIL: guest/$name (stdout differs, $(first_diff "$dir/vemu.out" "$dir/oracle.out")$(vemu_said "$dir/vemu.err"))"
    elif [ $check_err = 1 ] && ! cmp -s "$dir/vemu.err" "$dir/oracle.err"; then
        echo "FAIL: guest/$name (stderr differs, $(first_diff "$dir/vemu.err" "$dir/oracle.err"))"
    else
        echo "PASS: guest/$name"
    fi
}

# bad_input NAME FILE: vemu must refuse FILE with a message and a plain non-zero
# exit status — not a crash, not a sanitizer report, not a hang.
bad_input() {
    local name=$1
    shift
    if [ -n "$VEMU_MISSING" ]; then echo "FAIL: guest/$name ($VEMU_MISSING)"; return; fi
    local dir
    dir=$RUNDIR/$(safe_name "$name")
    mkdir -p "$dir"
    run_guest "$dir" vemu "$VEMU" /dev/null "$@"
    local rc
    rc=$(cat "$dir/vemu.rc" 2>/dev/null || echo "?")
    if [ "$rc" = 0 ]; then
        echo "FAIL: guest/$name (accepted with exit 0)"
    elif [ "$rc" = 124 ] || { [ "$rc" -gt 128 ] 2>/dev/null && [ "$rc" -lt 192 ]; }; then   # hang or signal
        echo "FAIL: guest/$name (vemu $(status_text "$rc")$(vemu_said "$dir/vemu.err"))"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$dir/vemu.err"; then
        echo "FAIL: guest/$name (sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$dir/vemu.err" | cut -c1-120))"
    elif [ ! -s "$dir/vemu.err" ]; then
        echo "FAIL: guest/$name (exit $rc but no error message on stderr)"
    else
        echo "PASS: guest/$name"
    fi
}

# log_shape NAME PROGRAM: `vemu-arm -d in_asm,out_asm` must still run the
# program correctly and log both guest (ARM) and host (x86_64) disassembly.
log_shape() {
    local name=$1 prog=$2
    if [ -n "$VEMU_MISSING" ]; then echo "FAIL: guest/$name ($VEMU_MISSING)"; return; fi
    if [ ! -x "$prog" ]; then echo "FAIL: guest/$name (program not built: $prog)"; return; fi
    local dir
    dir=$RUNDIR/$(safe_name "$name")
    mkdir -p "$dir"
    run_guest "$dir" vemu "$VEMU" /dev/null -d in_asm,out_asm "$prog" logged
    local rc
    rc=$(cat "$dir/vemu.rc" 2>/dev/null || echo "?")
    cp "$dir/vemu.err" "$dir/log.all"   # without -D the log goes to stderr
    if [ "$rc" != 0 ]; then
        echo "FAIL: guest/$name (vemu $(status_text "$rc")$(vemu_said "$dir/vemu.err"))"
    elif ! grep -q "Hello from an ARM guest" "$dir/vemu.out"; then
        echo "FAIL: guest/$name (program output missing with logging on)"
    elif ! grep -qiE '\b(ldr|str|ldm|stm|push|pop|bl|mov|add|sub|cmp)[a-z.]*\b.*\b(r[0-9]|r1[0-2]|sp|lr|pc|fp|ip)\b' "$dir/log.all"; then
        echo "FAIL: guest/$name (no ARM instructions in the -d in_asm log)"
    elif ! grep -qiE '\b(rax|rbx|rcx|rdx|rsi|rdi|rbp|rsp|eax|ebx|ecx|edx|esi|edi|r8d?|r9d?|r1[0-5]d?)\b' "$dir/log.all" \
        || ! grep -qiE '\b(mov|movl|movq|lea|add|sub|cmp|jmp|call|ret|push|pop)\b' "$dir/log.all"; then
        echo "FAIL: guest/$name (no x86_64 instructions in the -d out_asm log)"
    else
        echo "PASS: guest/$name"
    fi
}

# ---- Debian's own armel busybox ------------------------------------------------

CACHE=${VEMU_TEST_CACHE:-/var/cache/vemu-tests}
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
    CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vemu-tests
fi
BUSYBOX=""
BUSYBOX_WHY=""

# Fetches busybox-static:armel with apt-get into $CACHE/busybox-static_<version>/,
# using private lists so the host's dpkg/apt state is untouched.  Reuses what is
# cached; VEMU_TEST_REFRESH=1 asks the archive for a newer version.
fetch_busybox() {
    local found
    found=$(ls -d "$CACHE"/busybox-static_*/bin/busybox 2>/dev/null | sort -V | tail -1)
    if [ -n "$found" ] && [ -z "${VEMU_TEST_REFRESH:-}" ]; then
        BUSYBOX=$found
        return
    fi
    if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
        BUSYBOX_WHY="apt-get/dpkg-deb not available"
        return
    fi
    mkdir -p "$CACHE/lists/partial" "$CACHE/apt/archives/partial" "$CACHE/debs"
    local apt=(apt-get -q -o APT::Architecture=armel -o APT::Architectures=armel
        -o Dir::State::Lists="$CACHE/lists" -o Dir::Cache="$CACHE/apt"
        -o Dir::State::status=/dev/null -o APT::Sandbox::User="$(id -un)")
    if ! "${apt[@]}" update >"$CACHE/update.log" 2>&1; then
        BUSYBOX_WHY="apt-get update for armel failed: $(grep -m1 -E '^(E|W):' "$CACHE/update.log" | cut -c1-100)"
        return
    fi
    if ! (cd "$CACHE/debs" && "${apt[@]}" download busybox-static:armel) >"$CACHE/download.log" 2>&1; then
        BUSYBOX_WHY="apt-get download busybox-static:armel failed: $(grep -m1 -E '^(E|W):' "$CACHE/download.log" | cut -c1-100)"
        return
    fi
    local deb ver
    deb=$(ls -t "$CACHE"/debs/busybox-static_*_armel.deb | head -1)
    ver=$(dpkg-deb -f "$deb" Version | tr ':' '_')
    rm -rf "$CACHE/busybox-static_$ver"
    if dpkg-deb -x "$deb" "$CACHE/busybox-static_$ver" && [ -x "$CACHE/busybox-static_$ver/bin/busybox" ]; then
        BUSYBOX=$CACHE/busybox-static_$ver/bin/busybox
    else
        BUSYBOX_WHY="could not unpack $deb"
    fi
}

# busybox NAME [--stdin FILE] APPLET ARGS...
busybox_test() {
    local name=$1
    shift
    if [ -z "$BUSYBOX" ]; then echo "SKIP: guest/busybox/$name ($BUSYBOX_WHY)"; return; fi
    local pre=()
    while :; do
        case "$1" in
        --stdin) pre+=(--stdin "$2"); shift 2 ;;
        --stderr) pre+=(--stderr); shift ;;
        *) break ;;
        esac
    done
    compare "busybox/$name" "${pre[@]}" "$BUSYBOX" "$@"
}

# deterministic input data for the busybox applets
make_data() {
    local d=$OUT/data
    mkdir -p "$d"
    [ -s "$d/numbers.txt" ] && return
    awk 'BEGIN { x = 12345; for (i = 1; i <= 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648;
          printf "%d %s%d line%d\n", x % 100000, (x % 3 ? "w" : "z"), x % 97, i } }' >"$d/numbers.txt"
    awk 'BEGIN { x = 7; for (i = 0; i < 262144; i++) { x = (x * 1664525 + 1013904223) % 4294967296;
          printf "%c", 32 + x % 95 } }' >"$d/text.bin"
    printf 'alpha beta\ngamma delta epsilon\n\nzeta\n' >"$d/small.txt"
}

# ---- the tests -------------------------------------------------------------------

count=0
schedule() {   # schedule FUNCTION NAME ARGS...: runs in the background, result kept in order
    local name=$2
    if [ -n "$FILTER" ] && [[ "$name" != *"$FILTER"* ]]; then return; fi
    count=$((count + 1))
    local slot
    slot=$(printf '%04d' $count)
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    ("$@" >"$RESULTS/$slot" 2>"$RESULTS/$slot.stderr") &
}

G=$OUT
for opt in O0 O2; do
    schedule compare hello-$opt "$G/hello-$opt" one "two words"
    for p in arm-addressing arm-multiply arm-conditions calls libc softfloat cxx smc signals threads process; do
        schedule compare $p-$opt "$G/$p-$opt"
    done
    schedule compare files-$opt "$G/files-$opt" .
    schedule compare auxv-$opt "$G/auxv-$opt" one "two three" ""
    schedule compare segv-$opt "$G/segv-$opt"
    schedule compare segv-handled-$opt "$G/segv-$opt" handled
    schedule compare exit-code-exit-$opt "$G/exit-code-$opt" 42
    schedule compare exit-code-_exit-$opt "$G/exit-code-$opt" _201
    schedule compare exit-code-return-$opt "$G/exit-code-$opt" r7
    schedule compare exit-code-noargs-$opt "$G/exit-code-$opt"
done
# Thumb-2: armel -march=armv7-a -mthumb, and armhf (Thumb-2 libc, VFP)
for v in thumb armhf; do
    schedule compare hello-$v "$G/hello-$v" one "two words"
    for p in calls libc softfloat cxx smc signals threads process; do
        schedule compare $p-$v "$G/$p-$v"
    done
    schedule compare files-$v "$G/files-$v" .
    schedule compare auxv-$v "$G/auxv-$v" one "two three" ""
    schedule compare segv-$v "$G/segv-$v"
    schedule compare segv-handled-$v "$G/segv-$v" handled
    schedule compare exit-code-exit-$v "$G/exit-code-$v" 42
done
schedule compare alu-flags "$G/alu-flags"
schedule compare sigill "$G/sigill"
schedule compare bxj "$G/bxj"

schedule log_shape log-in_asm-out_asm "$G/hello-O2"

mkdir -p "$OUT/bad"
[ -f "$G/hello-O0" ] && head -c 100 "$G/hello-O0" >"$OUT/bad/truncated-elf"
printf '#!/bin/sh\necho this is a text file, not a program\n' >"$OUT/bad/text-file"
schedule bad_input badinput-truncated-elf "$OUT/bad/truncated-elf"
schedule bad_input badinput-text-file "$OUT/bad/text-file"
schedule bad_input badinput-x86_64-elf "$(type -P true)"   # a host (x86_64) program
schedule bad_input badinput-missing-file "$OUT/bad/does-not-exist"
schedule bad_input badinput-no-arguments

if [ -z "$FILTER" ] || [[ busybox == *"$FILTER"* ]] || [[ "$FILTER" == busybox* ]]; then
    fetch_busybox
    make_data
fi
D=$OUT/data
schedule busybox_test echo echo -e 'tab\there' "two  spaces" 'back\\slash'
schedule busybox_test seq seq 1 3 3000
schedule busybox_test seq-negative seq -w 10 -3 -20
schedule busybox_test sort-numeric sort -n "$D/numbers.txt"
schedule busybox_test sort-key-reverse sort -t ' ' -k2,2 -r -s "$D/numbers.txt"
schedule busybox_test md5sum md5sum "$D/numbers.txt" "$D/text.bin"
schedule busybox_test sha256sum sha256sum "$D/numbers.txt" "$D/text.bin"
schedule busybox_test sha1sum-stdin --stdin "$D/text.bin" sha1sum
schedule busybox_test wc wc "$D/numbers.txt" "$D/small.txt"
schedule busybox_test expr-arith expr 12345 \* 6789 / 7 % 1000 + 3
schedule busybox_test expr-string expr length "hello world" + index abcdef d
schedule busybox_test printf printf '%d|%5x|%-6o|%s|%c|%5.2f|%e\n' 42 255 8 word xyz 3.14159 123456.789
schedule busybox_test sed sed -e 's/\([0-9][0-9]*\) \([wz]\)/<\2:\1>/' -e '/7 /d' -e '5000q' "$D/numbers.txt"
schedule busybox_test awk awk '{ s += $1; c[$1 % 7]++; if ($1 > m) m = $1 }
    END { for (k = 0; k < 7; k++) print k, c[k]; printf "sum=%d max=%d mean=%.6f sqrt=%.10g\n", s, m, s / NR, sqrt(s) }' "$D/numbers.txt"
schedule busybox_test awk-strings awk -F' ' '{ n[substr($2, 1, 1)]++; t = t length($3) }
    END { for (k in n) out = out k "=" n[k] " "; print out; print length(t), toupper(substr(t, 1, 20)) }' "$D/numbers.txt"
schedule busybox_test gzip --stdin "$D/text.bin" gzip -9 -c
schedule busybox_test cut --stdin "$D/numbers.txt" cut -d' ' -f2
schedule busybox_test od od -A x -t x1 -N 256 "$D/text.bin"
# errors: the message text comes from strerror of the errno the emulator returned
schedule busybox_test cat-missing --stderr cat "$D/does-not-exist"
schedule busybox_test stat stat -c '%n %s %F %a' "$D/small.txt" "$D"
schedule busybox_test sh-builtins sh -c 'for i in 1 2 3 4; do echo $((i * i + 7 % i)); done; x=abcdef
    echo ${#x} ${x%ef} ${x#ab}; case $x in a*) echo starts-with-a ;; esac; f() { return 3; }; f; echo rc=$?' 

wait
for f in "$RESULTS"/[0-9][0-9][0-9][0-9]; do
    [ -e "$f" ] || continue
    cat "$f"
    [ -s "$f" ] || echo "FAIL: guest/internal (a test printed nothing, stderr: $(head -c 200 "$f.stderr"))"
done
exit 0
