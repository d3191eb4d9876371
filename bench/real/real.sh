# bench/real/real.sh — the "real" group of `make bench`: short and
# code-heavy real Debian armhf programs (a bash script that forks and execs,
# make -j4, git, grep/sed/diff/find|xargs, python3 importing the standard
# library, gcc compiling a file, the start-up of an empty static and an empty
# dynamic program).  Sourced by bench/run-bench.sh, which owns the loop over
# repetitions, the medians and docs/bench.md; this file defines the rows, how
# each side runs them, and the statistics of one process tree.
#
# Every program a workload execs must itself be an ARM program:
#   - the guest side's PATH holds only the bench sysroot's bin directories
#     (tests/debian/fetch-sysroot.sh armhf bench), make's SHELL and git's
#     exec path point into it too;
#   - vemu-arm runs guest children by re-executing itself (with -L);
#   - qemu-arm does not: for its runs, and only then, binfmt_misc hands ARM
#     ELF executables to qemu-arm, with QEMU_LD_PREFIX for the children.
#     Every run of the group (all sides) starts in a user and mount namespace
#     with a binfmt_misc instance of its own (bench/real/binfmt-ns.sh; Linux
#     6.7 and later): holding the qemu-arm handler for qemu runs, nothing
#     otherwise, so handlers of the host (another session's emulator) never
#     take an ARM program, and ours is seen by nobody else.  Where that is
#     not possible, a host-wide handler (vemu-bench-qemu-arm) is enabled
#     around qemu runs only; without binfmt_misc at all the qemu column of
#     the rows with children says why instead of running host programs;
#   - an untimed run of each emulator under `strace -f` lists every program
#     the workload exec'd: a host program there is reported in the row's notes.
#
# vemu runs twice per repetition: "cold" (a fresh, empty VEMU_CACHE_DIR for
# each timed run: the workload starts with no persistent translations, its
# later processes may use what its earlier ones saved) and "warm" (a cache
# directory filled by one untimed run before the repetitions).  The bench
# never uses the user's own cache directory.
#
# Environment: BENCH_REAL_REPS (default: BENCH_REPS, at most 2: each row runs
# four ways plus three untimed runs, and the group must fit in make bench's
# time), BENCH_REAL_STARTS (runs of the empty program per startup row,
# default 30), BENCH_REAL_WARM_STATS=1 (a -d stats run on the warm cache too).

REAL_ROWS="forks make git text python3 gcc startup-static startup-dynamic"
REAL_REPS=${BENCH_REAL_REPS:-$((REPS < 2 ? REPS : 2))}
REAL_WARM_STATS=${BENCH_REAL_WARM_STATS:-0}
REAL_STARTS=${BENCH_REAL_STARTS:-30}
REAL=$OUT/real
REAL_SYSROOT=""
REAL_QEMU_WHY=""        # non-empty: qemu-arm cannot run ARM children here
REAL_QEMU=$(command -v "$QEMU")   # absolute: the guest side's PATH is the sysroot's
REAL_NS=0               # 1: each run gets its own binfmt_misc (binfmt-ns.sh)
REAL_NS_CMD=(unshare --user --map-root-user --mount /bin/bash "$ROOT/bench/real/binfmt-ns.sh")
BINFMT_DIR=/proc/sys/fs/binfmt_misc
BINFMT_NAME=vemu-bench-qemu-arm
BINFMT_ENTRY=$BINFMT_DIR/$BINFMT_NAME
BINFMT_MOUNTED=0
declare -A REAL_CHILDREN=([forks]=1 [make]=1 [git]=1 [text]=1 [python3]=0 [gcc]=1
                          [startup-static]=0 [startup-dynamic]=0)

# ---- binfmt_misc: ARM ELF executables to qemu-arm, during qemu runs only -----------
binfmt_remove() {
    [ -e "$BINFMT_ENTRY" ] && echo -1 >"$BINFMT_ENTRY" 2>/dev/null
    if [ $BINFMT_MOUNTED = 1 ] && [ "$(ls "$BINFMT_DIR" 2>/dev/null | grep -cvE '^(register|status)$')" = 0 ]; then
        umount "$BINFMT_DIR" 2>/dev/null
    fi
    BINFMT_MOUNTED=0
}

binfmt_setup() {   # sets REAL_QEMU_WHY on failure
    local qemu=$REAL_QEMU
    [ -x "$qemu" ] || { REAL_QEMU_WHY="$QEMU not found"; return; }
    if [ ! -e "$BINFMT_DIR/register" ]; then
        if mount -t binfmt_misc binfmt_misc "$BINFMT_DIR" 2>"$REAL/binfmt.log"; then
            BINFMT_MOUNTED=1
        else
            REAL_QEMU_WHY="binfmt_misc is not mounted and cannot be ($(head -c 100 "$REAL/binfmt.log"))"
            return
        fi
    fi
    [ -e "$BINFMT_ENTRY" ] && echo -1 >"$BINFMT_ENTRY" 2>/dev/null    # a leftover of a killed run
    # 32-bit little-endian ELF, executable or shared object (e_type 2/3), EM_ARM (40).
    if ! printf '%s' ":$BINFMT_NAME:M::\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:$qemu:" \
            >"$BINFMT_DIR/register" 2>"$REAL/binfmt.log"; then
        REAL_QEMU_WHY="cannot register a binfmt_misc handler ($(head -c 100 "$REAL/binfmt.log"))"
        return
    fi
    echo 0 >"$BINFMT_ENTRY"          # enabled only around qemu runs
    local other
    for other in "$BINFMT_DIR"/*; do
        case ${other##*/} in register | status | "$BINFMT_NAME") continue ;; esac
        grep -q '^enabled' "$other" && grep -q 'magic 7f454c4601010100000000000000000002002800' "$other" &&
            echo "bench: note: binfmt_misc handler ${other##*/} also takes ARM programs (outside qemu runs)" >&2
    done
}
binfmt_on() { [ -e "$BINFMT_ENTRY" ] && echo 1 >"$BINFMT_ENTRY"; }
binfmt_off() { [ -e "$BINFMT_ENTRY" ] && echo 0 >"$BINFMT_ENTRY"; }

# ---- setup: sysroot, programs, inputs, rows --------------------------------------
real_setup() {
    local r id
    mkdir -p "$REAL/bin" "$REAL/home" "$REAL/tmp" "$REAL/work" "$REAL/cache"
    local wanted=()
    for r in $REAL_ROWS; do want_row "real/$r" && wanted+=("real/$r"); done
    [ ${#wanted[@]} -gt 0 ] || return 0
    echo "bench: fetching the bench sysroot (tests/debian/fetch-sysroot.sh armhf bench)"
    if ! REAL_SYSROOT=$(tests/debian/fetch-sysroot.sh armhf bench 2>"$OUT/sysroot-bench.log"); then
        REAL_SYSROOT=""
        echo "bench: no bench sysroot: $(tail -1 "$OUT/sysroot-bench.log"); real rows fail" >&2
    fi
    # the startup rows' programs
    local kind flag
    for kind in static dynamic; do
        flag=""; [ $kind = static ] && flag=-static
        [ "$REAL/bin/empty-$kind" -nt bench/real/empty.c ] ||
            $CC_ARMHF $flag -O2 -o "$REAL/bin/empty-$kind" bench/real/empty.c 2>>"$REAL/build.log"
        [ "$REAL/bin/native-empty-$kind" -nt bench/real/empty.c ] ||
            gcc $flag -O2 -o "$REAL/bin/native-empty-$kind" bench/real/empty.c 2>>"$REAL/build.log"
    done
    if [ ! -e "$REAL/tree/.complete" ] || [ "$REAL/tree/.complete" -ot bench/real/gen-tree.py ]; then
        rm -rf "$REAL/tree"
        /usr/bin/python3 bench/real/gen-tree.py "$REAL/tree" && touch "$REAL/tree/.complete"
    fi
    if "${REAL_NS_CMD[@]}" none /bin/true 2>"$REAL/binfmt.log"; then
        REAL_NS=1
    else
        echo "bench: no binfmt_misc in a user namespace ($(head -c 100 "$REAL/binfmt.log")); a host-wide handler instead" >&2
        binfmt_setup
        trap binfmt_remove EXIT
        trap 'exit 130' INT TERM HUP
    fi
    for id in "${wanted[@]}"; do
        r=${id#real/}
        rows+=("$id")
        GROUP[$id]=real
        [ -n "$REAL_SYSROOT" ] || note "$id" "no bench sysroot ($OUT/sysroot-bench.log)"
        [ -x "$(real_native_prog "$r")" ] || note "$id" "native $(real_native_prog "$r") missing: native column '-'"
        [ "${REAL_CHILDREN[$r]}" = 1 ] && [ $REAL_NS = 0 ] && [ -n "$REAL_QEMU_WHY" ] &&
            note "$id" "qemu-arm not run: $REAL_QEMU_WHY"
    done
}

# The host program a row's native side starts (a missing one leaves native '-').
real_native_prog() {
    case $1 in
    python3) echo /usr/bin/python3.11 ;;
    startup-*) echo "$REAL/bin/native-empty-${1#startup-}" ;;
    *) echo /bin/bash ;;
    esac
}

real_runners() { echo native qemu vemu-cold vemu-warm; }

# real_command_for RUNNER ID [EMULATOR OPTIONS...]: sets CMD and STDIN.
# REAL_CACHE (the vemu cache directory), REAL_STATS_FILE (the -d stats
# report of every process) and REAL_TRACE (strace -ff's output prefix: the
# run is traced for its execve calls) are read when set.
real_command_for() {
    real_inner_command "$@"
    [ -n "${REAL_TRACE:-}" ] && CMD=(strace -f -ff -qq -e trace=execve -e signal=none -o "$REAL_TRACE" "${CMD[@]}")
    if [ $REAL_NS = 1 ]; then
        local interp=none
        [ "$1" = qemu ] && interp=$REAL_QEMU
        CMD=("${REAL_NS_CMD[@]}" "$interp" "${CMD[@]}")
    fi
}
real_inner_command() {
    local runner=$1 name=${2#real/} S=$REAL_SYSROOT emu=() envv
    shift 2
    local work=$REAL/work/$name.$runner
    STDIN=/dev/null
    envv=(env -i LC_ALL=C LANG=C TZ=UTC HOME="$REAL/home" TMPDIR="$REAL/tmp")
    if [ "$runner" = native ]; then
        envv+=(PATH=/usr/bin:/bin PYTHONPYCACHEPREFIX="$REAL/pycache-native")
    else
        envv+=(PATH="$S/usr/bin:$S/bin" PYTHONPYCACHEPREFIX="$REAL/pycache-arm" GIT_EXEC_PATH="$S/usr/lib/git-core")
        case $runner in
        qemu) envv+=(QEMU_LD_PREFIX="$S"); emu=("$REAL_QEMU" -L "$S") ;;
        vemu*)
            envv+=(VEMU_CACHE_DIR="${REAL_CACHE:-$REAL/cache/$runner}")
            [ -n "${REAL_STATS_FILE:-}" ] && envv+=(VEMU_STATS_FILE="$REAL_STATS_FILE")
            emu=("$VEMU" "$@" -L "$S") ;;
        esac
    fi
    local prog args=()
    case $name in
    startup-*)
        if [ "$runner" = native ]; then prog=$REAL/bin/native-empty-${name#startup-}; else prog=$REAL/bin/empty-${name#startup-}; fi
        CMD=("${envv[@]}" /bin/bash -c 'n=$1; shift; for ((i = 0; i < n; i++)); do "$@" || exit; done; echo "$n runs"' \
             startup "$REAL_STARTS" "${emu[@]}" "$prog")
        return ;;
    python3) prog=usr/bin/python3.11 args=("$ROOT/bench/real/imports.py") ;;
    text) prog=bin/bash args=("$ROOT/bench/real/text.sh" "$work" "$REAL/tree") ;;
    make) prog=bin/bash args=("$ROOT/bench/real/make.sh" "$work" "$ROOT/bench/real/proj" "$REAL/tree") ;;
    gcc) prog=bin/bash args=("$ROOT/bench/real/gcc.sh" "$work" "$ROOT/bench/real/wordhash.c")
         [ "$runner" = native ] || args+=("$S") ;;
    *) prog=bin/bash args=("$ROOT/bench/real/$name.sh" "$work") ;;
    esac
    if [ "$runner" = native ]; then
        CMD=("${envv[@]}" "$(real_native_prog "$name")" "${args[@]}")
    else
        CMD=("${envv[@]}" "${emu[@]}" "$S/$prog" "${args[@]}")
    fi
}

# Before and after each run (untimed): a fresh work directory, a fresh cache
# for vemu-cold, the binfmt handler for qemu.
real_prepare() {   # RUNNER ID; fails when the runner cannot run this row
    local runner=$1 name=${2#real/}
    [ -n "$REAL_SYSROOT" ] || { echo "no bench sysroot" >&2; return 1; }
    if [ "$runner" = native ] && [ ! -x "$(real_native_prog "$name")" ]; then
        echo "$(real_native_prog "$name") not installed" >&2; return 1
    fi
    if [ "$runner" = qemu ] && [ "${REAL_CHILDREN[$name]}" = 1 ] && [ $REAL_NS = 0 ]; then
        [ -z "$REAL_QEMU_WHY" ] || { echo "$REAL_QEMU_WHY" >&2; return 1; }
        binfmt_on
    fi
    rm -rf "$REAL/work/$name.$runner"
    mkdir -p "$REAL/work/$name.$runner"
    if [ "$runner" = vemu-cold ]; then
        rm -rf "$REAL/cache/vemu-cold"
        mkdir -p "$REAL/cache/vemu-cold"
    fi
    return 0
}
real_finish() {
    [ $REAL_NS = 1 ] || binfmt_off
    [ "$1" = vemu-cold ] && rm -rf "$REAL/cache/vemu-cold"
    return 0
}

# Outputs: every side prints the same text except "arch:" lines (target code
# checksums), which only the emulators must agree on.
real_same_output() {   # ID RUNNER REP
    local base=$OUT/runs/${1//\//-} runner=$2 rep=$3
    local out=$base.$runner.$rep.out nat=$base.native.$rep.out q=$base.qemu.$rep.out checked=0
    if [ -e "$base.native.$rep.ok" ]; then
        cmp -s <(grep -v '^arch: ' "$out") <(grep -v '^arch: ' "$nat") || return 1
        checked=1
    fi
    if [[ $runner == vemu* ]] && [ -e "$base.qemu.$rep.ok" ]; then
        cmp -s "$out" "$q" || return 1
        checked=1
    fi
    [ $checked = 1 ]
}

# Which programs did a run exec?  TRACE is strace -ff's file prefix.  Prints
# "N" (the ARM programs and emulator re-executions) or "N host:PATH..." when
# something else ran.
real_exec_check() {   # TRACE EMULATOR
    local trace=$1 emu=$2 n=0 host="" path m
    while read -r path; do
        case $path in
        /usr/bin/env) continue ;;     # the harness's env -i, before the emulator
        "$emu" | /proc/self/exe) n=$((n + 1)); continue ;;
        /*) ;;
        *) host+=" unverified:$path"; continue ;;
        esac
        m=$(od -An -tx1 -j18 -N2 "$path" 2>/dev/null | tr -d ' ')
        if [ "$(head -c 4 "$path" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] && [ "$m" = 2800 ]; then
            n=$((n + 1))
        else
            host+=" host:$path"
        fi
    done < <(cat "$trace".* 2>/dev/null | sed -n 's/^execve("\([^"]*\)".* = 0$/\1/p')
    # the first exec is the emulator itself, started by the harness
    echo "$((n > 0 ? n - 1 : 0))$host"
}

# stats_for for a real row: the untimed runs.
#   - native once (warms its page cache and python's byte-code cache);
#   - vemu with -d stats on an empty cache, every process reporting into one
#     file, under strace -f: the cold statistics, the programs it exec'd, and
#     the warm cache for the vemu-warm runs;
#   - with BENCH_REAL_WARM_STATS=1, vemu with -d stats on that warm cache;
#   - qemu-arm under strace -f: the programs it exec'd.
real_stats_for() {
    local id=$1 name=${1#real/} log=$OUT/stats/${1//\//-} k
    for k in procs blocks tms usblk bpi flushes wblocks wtms execs; do STAT[$id.$k]=-; done
    [ -n "$REAL_SYSROOT" ] || return 0
    if real_prepare native "$id" 2>/dev/null; then
        command_for native "$id"
        timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >/dev/null 2>&1
        real_finish native
    fi
    [ $vemu_ok = 1 ] || return 0
    local have_strace=0
    command -v strace >/dev/null && have_strace=1
    rm -rf "$REAL/cache/vemu-warm" "$log".trace* "$log.cold.stats" "$log.warm.stats"
    mkdir -p "$REAL/cache/vemu-warm"
    real_prepare vemu-warm "$id"
    local trace=""
    [ $have_strace = 1 ] && [ "${REAL_CHILDREN[$name]}" = 1 ] && trace=$log.trace-vemu
    REAL_CACHE=$REAL/cache/vemu-warm REAL_STATS_FILE=$log.cold.stats REAL_TRACE=$trace \
        command_for vemu-warm "$id" -d stats
    timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >/dev/null 2>"$log.err"
    if [ "$REAL_WARM_STATS" = 1 ]; then
        real_prepare vemu-warm "$id"
        REAL_CACHE=$REAL/cache/vemu-warm REAL_STATS_FILE=$log.warm.stats command_for vemu-warm "$id" -d stats
        timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >/dev/null 2>>"$log.err"
    fi
    real_finish vemu-warm
    local vexec="" qexec=""
    if [ $have_strace = 1 ] && [ "${REAL_CHILDREN[$name]}" = 1 ]; then
        vexec=$(real_exec_check "$log.trace-vemu" "$VEMU")
        if real_prepare qemu "$id" 2>/dev/null; then
            REAL_TRACE=$log.trace-qemu command_for qemu "$id"
            timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >/dev/null 2>>"$log.err"
            real_finish qemu
            qexec=$(real_exec_check "$log.trace-qemu" "$REAL_QEMU")
        fi
        STAT[$id.execs]="${vexec%% *}/${qexec%% *}"
        [ -z "$qexec" ] && STAT[$id.execs]="${vexec%% *}/-"
        [[ "$vexec" == *" "* ]] && note "$id" "vemu-arm exec'd non-ARM programs:${vexec#* }"
        [[ "$qexec" == *" "* ]] && note "$id" "qemu-arm exec'd non-ARM programs:${qexec#* }"
    fi
    rm -f "$log".trace*
    real_sum_stats "$id" "$log.cold.stats" ""
    real_sum_stats "$id" "$log.warm.stats" w
}

# Sum the -d stats reports of every process of a workload.
real_sum_stats() {   # ID FILE PREFIX
    local id=$1 file=$2 p=$3 line
    [ -s "$file" ] || return 0
    line=$(awk '
        /^process / { pid[$2] = 1 }
        /^blocks translated/ { b += $3 }
        /^guest insns translated/ { i += $4 }
        /^host code bytes/ { h += $4 }
        /^translation time/ { t += $3 }
        /^flushes/ { f += $2 }
        END { n = 0; for (k in pid) n++
              printf "%d %d %.1f %.2f %.1f %d\n", n, b, t, (b ? t * 1000 / b : 0), (i ? h / i : 0), f }' "$file")
    read -r procs blocks tms usblk bpi flushes <<<"$line"
    if [ -z "$p" ]; then
        STAT[$id.procs]=$procs STAT[$id.blocks]=$blocks STAT[$id.tms]=$tms
        STAT[$id.usblk]=$usblk STAT[$id.bpi]=$bpi STAT[$id.flushes]=$flushes
    else
        STAT[$id.wblocks]=$blocks STAT[$id.wtms]=$tms
    fi
}

# The group's table (markdown) on stdout.
real_table() {
    local wh="" wa="" id mark
    [ "$REAL_WARM_STATS" = 1 ] && wh=" warm: blocks / transl. ms |" wa=" ---: |"
    echo "| workload | native s | qemu-arm s | vemu cold s | vemu warm s | cold/qemu | warm/qemu | wall: qemu / cold / warm s | processes | execs (vemu/qemu) | blocks | transl. ms | us/block | host bytes/insn | flushes |$wh"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$wa"
    for id in "${rows[@]}"; do
        [ "${GROUP[$id]}" = real ] || continue
        mark=""
        [ -n "${NOTE[$id]:-}" ] && mark=" (*)"
        echo "| ${id#real/}$mark | $(dash_failed "${T[$id.native]}") | ${T[$id.qemu]} | ${T[$id.vemu-cold]} | ${T[$id.vemu-warm]} |" \
            "$(ratio "${T[$id.vemu-cold]}" "${T[$id.qemu]}") | $(ratio "${T[$id.vemu-warm]}" "${T[$id.qemu]}") |" \
            "${W[$id.qemu]} / ${W[$id.vemu-cold]} / ${W[$id.vemu-warm]} | ${STAT[$id.procs]:--} | ${STAT[$id.execs]:--} |" \
            "${STAT[$id.blocks]:--} | ${STAT[$id.tms]:--} | ${STAT[$id.usblk]:--} | ${STAT[$id.bpi]:--} | ${STAT[$id.flushes]:--} |" \
            "$([ "$REAL_WARM_STATS" = 1 ] && echo "${STAT[$id.wblocks]:--} / ${STAT[$id.wtms]:--} |")"
    done
}
dash_failed() { [ "$1" = failed ] && echo - || echo "$1"; }

# Geometric-mean lines for the group table.
real_geomeans() {
    local id c="" w="" n=0
    for id in "${rows[@]}"; do
        [ "${GROUP[$id]}" = real ] || continue
        c+=" $(ratio "${T[$id.vemu-cold]}" "${T[$id.qemu]}")"
        w+=" $(ratio "${T[$id.vemu-warm]}" "${T[$id.qemu]}")"
        n=$((n + 1))
    done
    [ $n -gt 0 ] || return 0
    echo "| real programs: vemu cold / qemu | $n | | | $(echo "$c" | geomean) |"
    echo "| real programs: vemu warm / qemu | $n | | | $(echo "$w" | geomean) |"
}

# The group's part of docs/bench.md.
real_docs() {
    cat <<EOF
<!-- real-group begin -->
## Real programs (the "real" group)

Short and code-heavy Debian 12 armhf programs, where translation and start-up costs dominate
rather than loops. They run from a second sysroot, \`tests/debian/fetch-sysroot.sh armhf bench\`
(the test sysroot plus git, gcc/binutils/libc6-dev and findutils), next to qemu-arm and to the
host's own amd64 programs. CPU seconds are medians of $REAL_REPS runs (user + system of the whole
process tree); wall seconds are medians too.

- **cold**: each timed vemu-arm run starts with a fresh, empty \`VEMU_CACHE_DIR\` (the
  persistent translation cache); processes of the workload may still reuse what its earlier
  processes saved. **warm**: the cache directory was filled by one untimed run before.
  Until vemu has a persistent cache the two columns measure the same thing. The bench sets
  \`VEMU_CACHE_DIR\` for every vemu-arm run (the other groups: a fresh directory per run), so
  it never writes into the user's \`~/.cache\`.
- processes / blocks / transl. ms / us/block / host bytes/insn / flushes: one extra, untimed
  \`vemu-arm -d stats\` run on an empty cache, summed over every process of the workload:
  with \`VEMU_STATS_FILE\` set, every vemu-arm process (re-executed children and forked
  ones too) appends its own statistics to that file when it exits or execs. "warm:" the same
  from a second run on the cache the first one filled (only with \`BENCH_REAL_WARM_STATS=1\`).
- execs (vemu/qemu): how many ARM programs the workload exec'd, counted by \`strace -f\` on the
  host in an untimed run of each emulator. Every one must be an ARM ELF (or vemu-arm
  re-executing itself); a host program there is reported under Notes.

How the children stay ARM: the guest side's \`PATH\` holds only the sysroot's \`bin\`
directories, make gets the sysroot's \`sh\` as \`SHELL\`, git gets \`GIT_EXEC_PATH\` in the
sysroot. vemu-arm runs guest children itself (it re-executes itself with the same \`-L\`).
qemu-arm does not, so for its runs only, binfmt_misc hands ARM ELF executables to
\`/usr/bin/qemu-arm\` (with \`QEMU_LD_PREFIX\` for the children). Every run of this group,
on every side, starts in a user and mount namespace with a binfmt_misc instance of its own
(\`bench/real/binfmt-ns.sh\`, Linux 6.7+): it holds the qemu-arm handler in qemu runs and
nothing in the others, so no handler of the host (another session's vemu-arm, say) can take
an ARM program and make a column measure the wrong emulator, and nothing outside sees ours.
On older kernels a host-wide handler \`vemu-bench-qemu-arm\` is enabled around qemu runs
only and removed when the bench exits; without binfmt_misc the qemu column of the rows with
children says why. The bench sysroot also holds
an empty \`usr/arm-linux-gnueabihf/\`: with \`-L\`, both emulators fall back to host paths,
and the guest gcc would otherwise also search the host's cross-compiler headers there.

- **forks** — \`bench/real/forks.sh\`: a bash loop of command substitutions, subshells and
  pipelines calling tr, sort, tail, basename, cut, wc, then date, expr, ls, sed (about 40
  processes).
- **make** — \`make -j4\` of \`bench/real/proj\`: parallel shell recipes (tr, sort, uniq, head,
  sed, grep -F -f, wc, cksum) over four text files, a generated header, an aggregate.
- **git** — \`bench/real/git.sh\`: git init, three commits of a small tree with fixed dates,
  log, show, diff --numstat, ls-files, status (git's own subcommands are exec'd too).
- **text** — \`bench/real/text.sh\`: find | sort, grep -rc, grep -rnE, find -print0 | xargs -0
  grep | sed | sort | uniq -c, xargs wc, sed over config files, diff -ru, cmp over a generated
  tree of 76 files (\`bench/real/gen-tree.py\`, 1.1 MB).
- **python3** — \`bench/real/imports.py\`: python3.11 imports about twenty standard modules
  (argparse, csv, dataclasses, decimal, email, json, logging, pathlib, subprocess, typing, ...)
  and uses each once. Byte-code caches (\`PYTHONPYCACHEPREFIX\`) are warm on both sides, as on
  an installed system.
- **gcc** — \`bench/real/gcc.sh\`: \`gcc -O2 -c\` of \`bench/real/wordhash.c\` (100 lines):
  driver, cc1, as. The emulators must produce the same object; native gcc makes an amd64 one.
  The emulated sides get \`-idirafter <sysroot>/usr/include/arm-linux-gnueabihf\`: qemu-arm 7.2
  does not map \`statx\` through \`-L\`, so its gcc would drop that directory and fail.
- **startup-static**, **startup-dynamic** — $REAL_STARTS runs of \`bench/real/empty.c\` built with
  \`arm-linux-gnueabihf-gcc -O2\`, static and dynamic (the dynamic one runs against the
  sysroot's ld.so and libc via \`-L\`), started one after the other by a host shell loop.

$rtable

| geometric mean | workloads | vemu/qemu |
| --- | ---: | ---: |
$(real_geomeans | awk -F'|' '{ print "|" $2 "|" $3 "|" $6 "|" }')

Run $(date -u '+%Y-%m-%d %H:%M UTC') at git $(git rev-parse --short HEAD 2>/dev/null), load average $(cut -d' ' -f1-3 /proc/loadavg).
$(for id in "${rows[@]}"; do [ "${GROUP[$id]}" = real ] && [ -n "${NOTE[$id]:-}" ] && echo "- (*) $id: ${NOTE[$id]}"; done)
<!-- real-group end -->
EOF
}

# docs/bench.md when only this group ran: replace its section, keep the rest.
real_docs_update() {
    local doc=docs/bench.md section=$OUT/real-section.md
    real_docs >"$section"
    # the group's lines in the geometric-mean table of a full run, too
    if [ -f "$doc" ]; then
        local means=$OUT/real-means.md
        real_geomeans >"$means"
        awk -v f="$means" 'BEGIN { while ((getline l < f) > 0) { split(l, p, "|"); m[p[2]] = l } }
            /^\| real programs: / { split($0, p, "|"); if (p[2] in m) { print m[p[2]]; next } } { print }' \
            "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
    fi
    bench_replace_section real "$section"
}
