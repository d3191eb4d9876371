#!/bin/bash
# bench/run-bench.sh — `make bench`: whole-program speed of vemu-arm next to
# qemu-arm and the host itself.
#
# Workloads, one table row each:
#   kernels   bench/*.c, built natively (gcc -O2), for armel (soft-float ARM,
#             arm-linux-gnueabi-gcc -static -O2) and for armhf (Thumb-2 +
#             VFPv3, arm-linux-gnueabihf-gcc -static -O2).  A kernel whose
#             header comment says "bench-abi: armhf" is built for that ABI only;
#             "bench-armhf-times: N" runs the armhf build with N times the work
#             (float-mandel: tiny as soft-float, too short to time as VFP).
#   debian    real Debian armhf programs (python3, lua5.4, sqlite3, xz, gzip)
#             on the fixed inputs in bench/debian/, from the sysroot that
#             tests/debian/fetch-sysroot.sh keeps under /var/cache/vemu-tests,
#             next to the host's own x86_64 Debian builds of the same programs.
#   real      short and code-heavy Debian armhf programs with ARM children
#             (bash, make -j4, git, grep/sed/diff/find, python3 imports, gcc,
#             start-up), vemu-arm with a cold and a warm persistent cache:
#             bench/real/real.sh.
#   system    Linux 6.1 on the Versatile PB under vemu-system-arm and Debian's
#             qemu-system-arm (same kernel, DTB and initramfs: the fixtures of
#             tests/system, never built here): the boot to init's marker, and
#             md5sum, gzip and an awk loop typed at the guest's shell, each
#             timed alone by the emulator's CPU time; and a disk row: the
#             Debian image of tests/system-debian booted from the SCSI disk,
#             64 MiB written, synced, read back by md5sum after dropping the
#             page cache (bench/system/disk-bench.py): bench/system/system.sh.
#   block     vemu-img next to qemu-img on the same disk images: convert
#             raw->qcow2, qcow2->raw, compressed (zlib, zstd), 4 KiB reads
#             through the block layer (bench): bench/block/block.sh.
#   x86       the kernels built for x86_64 and i386, and Debian's amd64 and
#             i386 programs, under vemu-x86_64 / vemu-i386 next to qemu-x86_64
#             / qemu-i386 and native: bench/x86/x86.sh.
#
# Each repetition runs native, qemu-arm and vemu-arm one after the other (slow
# drifts in machine load hit all three alike).  The time of a run is its CPU
# time (user + system, of the process and its children): on a shared machine
# the wall time mostly measures the neighbours.  Wall times are kept in
# $BUILD/bench/results.tsv too.  The table shows medians and ratios, geometric
# means per group, and the translation statistics of one extra, untimed
# vemu-arm run with `-d stats`.  The three outputs must be identical; a runner
# that fails or prints something else is recorded as failed for that row, and
# the benchmark goes on.  Nothing here asserts a timing.
#
# Environment:
#   BUILD         build tree (default build); binaries go to $BUILD/bench
#   VEMU          emulator under test (default $BUILD/vemu-arm)
#   QEMU          reference emulator (default qemu-arm)
#   BENCH_REPS    repetitions per workload and runner (default 3)
#   BENCH_SCALE   work per workload in percent of the default size (default 100)
#   BENCH_FILTER  only rows whose id (abi/name, e.g. armhf/fp-nbody) contains this
#   BENCH_GROUPS  groups to run (default "armel armhf debian real system block x86")
#   BENCH_STATS   1 (default): the extra -d stats run per workload
#   BENCH_TIMEOUT seconds allowed per run (default 300)
#   BENCH_DOCS    1 (default) writes docs/bench.md and docs/bench.png
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BUILD=${BUILD:-build}
VEMU=${VEMU:-$BUILD/vemu-arm}
QEMU=${QEMU:-qemu-arm}
REPS=${BENCH_REPS:-3}
SCALE=${BENCH_SCALE:-100}
FILTER=${BENCH_FILTER:-}
GROUPS_WANTED=${BENCH_GROUPS:-armel armhf debian real system block x86}
STATS=${BENCH_STATS:-1}
TMO=${BENCH_TIMEOUT:-300}
DOCS=${BENCH_DOCS:-1}
CC_ARMEL=${CC_ARMEL:-arm-linux-gnueabi-gcc}
CC_ARMHF=${CC_ARMHF:-arm-linux-gnueabihf-gcc}
case "$BUILD" in /*) OUT=$BUILD/bench ;; *) OUT=$ROOT/$BUILD/bench ;; esac
case "$VEMU" in /*) ;; */*) VEMU=$ROOT/$VEMU ;; esac
mkdir -p "$OUT/native" "$OUT/armel" "$OUT/armhf" "$OUT/runs" "$OUT/stats" "$OUT/home" "$OUT/cache"
ulimit -c 0

want_group() { [[ " $GROUPS_WANTED " == *" $1 "* ]]; }

# bench_replace_section GROUP FILE: docs/bench.md with FILE as the group's
# section (between its <!-- GROUP-group begin/end --> markers, or inserted
# before "## The workloads"), the rest kept; a group run alone uses it.
bench_replace_section() {
    local doc=docs/bench.md g=$1 section=$2
    if [ -f "$doc" ] && grep -q "^<!-- $g-group begin -->" "$doc"; then
        awk -v f="$section" -v b="<!-- $g-group begin -->" -v e="<!-- $g-group end -->" \
            '$0 == b { while ((getline l < f) > 0) print l; skip = 1; next } $0 == e { skip = 0; next } !skip' \
            "$doc" >"$doc.tmp"
    elif [ -f "$doc" ]; then
        awk -v f="$section" '/^## The workloads/ && !done { while ((getline l < f) > 0) print l; print ""; done = 1 } { print }' \
            "$doc" >"$doc.tmp"
    else
        cp "$section" "$doc.tmp"
    fi
    mv "$doc.tmp" "$doc"
}
want_row() { [ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]; }

declare -A NOTE GROUP KSCALE
rows=()
note() { NOTE[$1]+="${NOTE[$1]:+; }$2"; }

# ---- kernels: build (only what changed) ------------------------------------------
build_one() {   # SIDE KERNEL: builds $OUT/SIDE/KERNEL, returns 1 on failure
    local side=$1 k=$2 src=bench/$2.c bin=$OUT/$1/$2 cc
    if [ -x "$bin" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt bench/bench-common.h ]; then
        return 0
    fi
    case $side in
    native) cc=gcc ;;
    armel) cc=$CC_ARMEL ;;
    armhf) cc=$CC_ARMHF ;;
    esac
    rm -f "$bin"
    "$cc" -static -O2 -Wall -Wextra -o "$bin" "$src" -lm 2>"$OUT/$side/$k.build.log"
}

for src in bench/*.c; do
    k=$(basename "$src" .c)
    abis=$(sed -n 's/.*bench-abi: *\([a-z ]*\).*/\1/p' "$src" | head -1 | awk '{ $1 = $1; print }')
    [ -n "$abis" ] || abis="armel armhf"
    for abi in armel armhf; do
        [[ " $abis " == *" $abi "* ]] && want_group "$abi" && want_row "$abi/$k" || continue
        id=$abi/$k
        rows+=("$id")
        GROUP[$id]=$abi
        KSCALE[$id]=$SCALE
        times=$(sed -n 's/.*bench-armhf-times: *\([0-9]*\).*/\1/p' "$src" | head -1)
        [ $abi = armhf ] && [ -n "$times" ] && KSCALE[$id]=$((SCALE * times))
        build_one native "$k" || note "$id" "native build failed ($OUT/native/$k.build.log)"
        build_one "$abi" "$k" || note "$id" "$abi build failed ($OUT/$abi/$k.build.log)"
    done
done

# ---- Debian programs: sysroot and inputs -------------------------------------------
# name: guest program (relative to the sysroot) | native program | arguments | stdin
declare -A DEB_PROG DEB_ARGS DEB_STDIN
INPUT_BYTES=$((20000000 * SCALE / 100))
INPUT=$OUT/input-$INPUT_BYTES.dat
DEB_PROG[python3]=usr/bin/python3.11; DEB_ARGS[python3]="$ROOT/bench/debian/pybench.py $SCALE"; DEB_STDIN[python3]=/dev/null
DEB_PROG[lua]=usr/bin/lua5.4;         DEB_ARGS[lua]="$ROOT/bench/debian/luabench.lua $SCALE";  DEB_STDIN[lua]=/dev/null
DEB_PROG[sqlite3]=usr/bin/sqlite3;    DEB_ARGS[sqlite3]="-batch -bail";  DEB_STDIN[sqlite3]=$ROOT/bench/debian/sqlbench.sql
DEB_PROG[xz]=usr/bin/xz;              DEB_ARGS[xz]="-T1 -0 -c";          DEB_STDIN[xz]=$INPUT
DEB_PROG[gzip]=bin/gzip;              DEB_ARGS[gzip]="-6 -n -c";         DEB_STDIN[gzip]=$INPUT
SYSROOT=""
if want_group debian; then
    deb_rows=()
    for p in python3 lua sqlite3 xz gzip; do
        want_row "debian/$p" && deb_rows+=("debian/$p")
    done
    if [ ${#deb_rows[@]} -gt 0 ]; then
        echo "bench: fetching the Debian armhf sysroot (tests/debian/fetch-sysroot.sh)"
        if ! SYSROOT=$(tests/debian/fetch-sysroot.sh armhf 2>"$OUT/sysroot.log"); then
            SYSROOT=""
            echo "bench: no Debian sysroot: $(tail -1 "$OUT/sysroot.log"); Debian rows fail" >&2
        fi
        if [ ! -s "$INPUT" ]; then
            /usr/bin/python3 bench/debian/gen-input.py "$INPUT_BYTES" "$INPUT.tmp" && mv "$INPUT.tmp" "$INPUT"
        fi
        for id in "${deb_rows[@]}"; do
            p=${id#debian/}
            rows+=("$id")
            GROUP[$id]=debian
            [ -n "$SYSROOT" ] || note "$id" "no Debian armhf sysroot ($OUT/sysroot.log)"
            [ -n "$SYSROOT" ] && [ ! -e "$SYSROOT/${DEB_PROG[$p]}" ] && note "$id" "${DEB_PROG[$p]} missing from $SYSROOT"
            [ -x "/${DEB_PROG[$p]}" ] || [ -x "/usr/bin/$(basename "${DEB_PROG[$p]}")" ] ||
                note "$id" "native $(basename "${DEB_PROG[$p]}") not installed (apt-get install it)"
        done
    fi
fi
# ---- real programs (their own file) ------------------------------------------------
if want_group real; then
    . bench/real/real.sh
    real_setup
fi
# ---- Linux on the Versatile PB (its own file, its own loop) -----------------------
SYSTEM_WANTED=()
if want_group system; then
    . bench/system/system.sh
    system_setup
fi
# ---- vemu-img and qemu-img on disk images (its own file, its own loop) -------------
BLOCK_WANTED=()
if want_group block; then
    . bench/block/block.sh
    block_setup
fi
# ---- x86 guests (their own file, their own loop) -------------------------------------
X86_WANTED=()
if want_group x86; then
    PROG_ENV=(env -i LC_ALL=C LANG=C PATH=/usr/bin:/bin HOME="$OUT/home" TMPDIR="$OUT/home" TZ=UTC
              PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0)
    . bench/x86/x86.sh
    x86_setup
fi
[ ${#rows[@]} -gt 0 ] || [ ${#SYSTEM_WANTED[@]} -gt 0 ] || [ ${#BLOCK_WANTED[@]} -gt 0 ] || [ ${#X86_WANTED[@]} -gt 0 ] || { echo "bench: no workloads match '$FILTER' in groups '$GROUPS_WANTED'" >&2; exit 1; }

vemu_ok=1
[ -x "$VEMU" ] || [ ${#rows[@]} -eq 0 ] || { vemu_ok=0; echo "bench: $VEMU not built; its column will show 'failed'" >&2; }
# Run a private copy: other work may relink $VEMU while the benchmark runs.
if [ $vemu_ok = 1 ] && [ ${#rows[@]} -gt 0 ]; then
    cp "$VEMU" "$OUT/vemu-arm.snapshot" && VEMU=$OUT/vemu-arm.snapshot
fi
[ ${#rows[@]} -eq 0 ] || command -v "$QEMU" >/dev/null || { echo "bench: $QEMU not installed (scripts/setup-deps.sh)" >&2; exit 1; }

# The fixed environment the Debian programs see, the same on all three sides.
PROG_ENV=(env -i LC_ALL=C LANG=C PATH=/usr/bin:/bin HOME="$OUT/home" TMPDIR="$OUT/home" TZ=UTC
          PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0)

# The runners of a row, in the order each repetition runs them.
runners_for() { if [ "${GROUP[$1]}" = real ]; then real_runners; else echo native qemu vemu; fi; }

# vemu-arm's persistent translation cache: never the user's ~/.cache.  Outside
# the real group (which has its own cold and warm runs) every vemu-arm run
# starts with an empty cache directory.
VEMU_CACHE_RUN=$OUT/cache/run

# command_for RUNNER ID [EMULATOR OPTIONS...]: sets CMD (array) and STDIN.
command_for() {
    local runner=$1 id=$2 group=${GROUP[$2]} name=${2#*/} emu
    if [ "$group" = real ]; then
        real_command_for "$@"
        return
    fi
    shift 2
    case $runner in qemu) emu=("$QEMU") ;; vemu) emu=(/usr/bin/env VEMU_CACHE_DIR="$VEMU_CACHE_RUN" "$VEMU" "$@") ;; esac
    if [ "$group" = debian ]; then
        local prog=${DEB_PROG[$name]} args
        read -r -a args <<<"${DEB_ARGS[$name]}"
        STDIN=${DEB_STDIN[$name]}
        if [ "$runner" = native ]; then
            local path=/usr/bin/$(basename "$prog")
            [ -x "$path" ] || path=/$prog
            CMD=("${PROG_ENV[@]}" "$path" "${args[@]}")
        else
            CMD=("${PROG_ENV[@]}" "${emu[@]}" -L "$SYSROOT" "$SYSROOT/$prog" "${args[@]}")
        fi
    else
        STDIN=/dev/null
        if [ "$runner" = native ]; then
            CMD=("$OUT/native/$name" "${KSCALE[$id]}")
        else
            CMD=("${emu[@]}" "$OUT/$group/$name" "${KSCALE[$id]}")
        fi
    fi
}

# run_one RUNNER ID REP: prints "cpu-seconds wall-seconds", or "failed";
# leaves $log.ok behind when the run succeeded.
run_one() {
    local runner=$1 id=$2 rep=$3
    local log=$OUT/runs/${id//\//-}.$runner.$rep
    rm -f "$log.ok"
    if [[ "$runner" == vemu* ]] && [ $vemu_ok = 0 ]; then
        echo "$VEMU not built" >"$log.err"
        echo failed
        return
    fi
    if [ "${GROUP[$id]}" = real ]; then
        real_prepare "$runner" "$id" 2>"$log.err" || { echo failed; return; }
    elif [ "$runner" = vemu ]; then
        rm -rf "$VEMU_CACHE_RUN" && mkdir -p "$VEMU_CACHE_RUN"
    fi
    command_for "$runner" "$id"
    local TIMEFORMAT='%R %U %S' rc
    { time timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >"$log.out" 2>"$log.err"; } 2>"$log.time"
    rc=$?
    [ "${GROUP[$id]}" = real ] && real_finish "$runner" "$id"
    # big binary outputs (the compressors) are compared by checksum
    if [ "$(stat -c %s "$log.out")" -gt 65536 ]; then
        echo "sha256 $(sha256sum <"$log.out" | cut -d' ' -f1) bytes $(stat -c %s "$log.out")" >"$log.sum"
        mv "$log.sum" "$log.out"
    fi
    if [ $rc -ne 0 ]; then
        echo "exit status $rc" >>"$log.err"
        echo failed
        return
    fi
    touch "$log.ok"
    awk '{ printf "%.3f %.3f\n", $2 + $3, $1 }' "$log.time"
}

# same_output ID RUNNER REP: does this run's output match its reference?
same_output() {
    if [ "${GROUP[$1]}" = real ]; then
        real_same_output "$@"
    else
        local base=$OUT/runs/${1//\//-}
        cmp -s "$base.$2.$3.out" "$base.native.$3.out"
    fi
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print "failed"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# stats_for ID: one untimed vemu-arm run with -d stats; sets STAT[id.key]
declare -A STAT
stats_for() {
    local id=$1 log=$OUT/stats/${1//\//-}
    STAT[$id.blocks]=- STAT[$id.tms]=- STAT[$id.chains]=- STAT[$id.lookups]=- STAT[$id.helpers]=-
    if [ "${GROUP[$id]}" = real ]; then
        [ "$STATS" = 1 ] && real_stats_for "$id"
        return 0
    fi
    [ "$STATS" = 1 ] && [ $vemu_ok = 1 ] || return 0
    command_for vemu "$id" -d stats -D "$log.stats"
    rm -f "$log.stats"
    rm -rf "$VEMU_CACHE_RUN" && mkdir -p "$VEMU_CACHE_RUN"
    timeout -k 5 "$TMO" "${CMD[@]}" <"$STDIN" >/dev/null 2>"$log.err"
    [ -s "$log.stats" ] || return 0
    # lines "name   value [...]"; the names exec_stats_print uses today
    local key val
    while read -r key val; do
        case $key in
        blocks) STAT[$id.blocks]=$val ;;
        tms) STAT[$id.tms]=$val ;;
        chains) STAT[$id.chains]=$val ;;
        lookups) STAT[$id.lookups]=$val ;;
        helpers) STAT[$id.helpers]=$val ;;
        esac
    done < <(awk '
        /^blocks translated/ { print "blocks", $3 }
        /^translation time/ { print "tms", $3 }
        /^chains made/ { print "chains", $3 }
        /lookups/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n = $i; break } l += n; seen = 1 }
        /^helper calls/ { print "helpers", $3 }
        END { if (seen) print "lookups", l }' "$log.stats")
}

echo "bench: ${#rows[@]} workloads${SYSTEM_WANTED[0]:+ (and ${#SYSTEM_WANTED[@]} system rows)}, $REPS repetitions, scale $SCALE%, CPU seconds (user+sys)"
declare -A T W
results=$OUT/results.tsv
printf 'id\tgroup\trunner\tcpu_median\twall_median\n' >"$results"
for id in "${rows[@]}"; do
    runners=$(runners_for "$id")
    reps=$REPS
    [ "${GROUP[$id]}" = real ] && reps=$REAL_REPS
    unset cpu wall
    declare -A cpu=() wall=()
    for runner in $runners; do cpu[$runner]="" wall[$runner]=""; done
    if [[ "${NOTE[$id]:-}" == *"build failed"* ]] || [[ "${NOTE[$id]:-}" == *"sysroot"* ]]; then
        for runner in $runners; do T[$id.$runner]=failed; W[$id.$runner]=failed; done
        printf '  %-22s %s\n' "$id" "${NOTE[$id]}"
        continue
    fi
    # the real group's untimed runs (statistics, warm cache) come first
    [ "${GROUP[$id]}" = real ] && stats_for "$id"
    for rep in $(seq 1 "$reps"); do
        for runner in $runners; do
            r=$(run_one $runner "$id" "$rep")
            base=$OUT/runs/${id//\//-}
            if [ "$r" = failed ]; then
                [[ "${NOTE[$id]:-}" == *"$runner failed"* ]] || note "$id" "$runner failed (see $base.$runner.$rep.err)"
                continue
            fi
            if [ $runner != native ] && ! same_output "$id" "$runner" "$rep"; then
                rm -f "$base.$runner.$rep.ok"     # not a reference for the runners after it
                [[ "${NOTE[$id]:-}" == *"$runner output differs"* ]] ||
                    note "$id" "$runner output differs (see $base.$runner.$rep.out)"
                continue
            fi
            cpu[$runner]+=" ${r% *}"
            wall[$runner]+=" ${r#* }"
        done
    done
    # a runner that failed in any repetition is reported failed outright
    for runner in $runners; do
        if [ "$(echo ${cpu[$runner]} | wc -w)" -lt "$reps" ]; then
            T[$id.$runner]=failed W[$id.$runner]=failed
        else
            T[$id.$runner]=$(echo "${cpu[$runner]}" | median)
            W[$id.$runner]=$(echo "${wall[$runner]}" | median)
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$id" "${GROUP[$id]}" "$runner" "${T[$id.$runner]}" "${W[$id.$runner]}" >>"$results"
    done
    if [ "${GROUP[$id]}" = real ]; then
        printf '  %-22s native %-7s qemu %-7s vemu cold %-7s warm %-7s blocks %-7s %s\n' "$id" \
            "${T[$id.native]}" "${T[$id.qemu]}" "${T[$id.vemu-cold]}" "${T[$id.vemu-warm]}" \
            "${STAT[$id.blocks]}" "${NOTE[$id]:-}"
        continue
    fi
    stats_for "$id"
    printf '  %-22s native %-7s qemu %-7s vemu %-7s blocks %-6s %s\n' "$id" "${T[$id.native]}" \
        "${T[$id.qemu]}" "${T[$id.vemu]}" "${STAT[$id.blocks]}" "${NOTE[$id]:-}"
done

[ ${#SYSTEM_WANTED[@]} -gt 0 ] && system_run
[ ${#BLOCK_WANTED[@]} -gt 0 ] && block_run
[ ${#X86_WANTED[@]} -gt 0 ] && x86_run

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "failed" || b == "failed" || b <= 0) print "failed"; else printf "%.2f\n", a / b }'; }
geomean() { awk '{ for (i = 1; i <= NF; i++) if ($i != "failed" && $i != "-") { s += log($i); n++ } }
    END { if (n) printf "%.2f\n", exp(s / n); else print "n/a" }'; }
label() { local g=${GROUP[$1]}; [ "$g" = debian ] && echo "${1#*/}" || echo "${1#*/}"; }
abi_of() { local g=${GROUP[$1]}; [ "$g" = debian ] && echo "armhf (Debian)" || echo "$g"; }

declare -A VN QN VQ
for id in "${rows[@]}"; do
    [ "${GROUP[$id]}" = real ] && continue
    VN[$id]=$(ratio "${T[$id.vemu]}" "${T[$id.native]}")
    QN[$id]=$(ratio "${T[$id.qemu]}" "${T[$id.native]}")
    VQ[$id]=$(ratio "${T[$id.vemu]}" "${T[$id.qemu]}")
done

table=$(
    echo "| workload | ABI | native s | qemu-arm s | vemu-arm s | vemu/native | qemu/native | vemu/qemu | blocks | transl. ms | chains | lookups |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for id in "${rows[@]}"; do
        [ "${GROUP[$id]}" = real ] && continue
        mark=""
        [ -n "${NOTE[$id]:-}" ] && mark=" (*)"
        echo "| $(label "$id")$mark | $(abi_of "$id") | ${T[$id.native]} | ${T[$id.qemu]} | ${T[$id.vemu]} |" \
            "${VN[$id]} | ${QN[$id]} | ${VQ[$id]} | ${STAT[$id.blocks]} | ${STAT[$id.tms]} |" \
            "${STAT[$id.chains]} | ${STAT[$id.lookups]} |"
    done
)
group_title() { case $1 in armel) echo "kernels, armel (soft-float)" ;; armhf) echo "kernels, armhf (VFP)" ;;
                debian) echo "Debian armhf programs" ;; all) echo "all workloads" ;; esac; }
gtable=$(
    echo "| geometric mean | workloads | vemu/native | qemu/native | vemu/qemu |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for g in armel armhf debian all; do
        vn="" qn="" vq="" n=0
        for id in "${rows[@]}"; do
            [ "${GROUP[$id]}" = real ] && continue
            [ $g = all ] || [ "${GROUP[$id]}" = $g ] || continue
            vn+=" ${VN[$id]}" qn+=" ${QN[$id]}" vq+=" ${VQ[$id]}"
            n=$((n + 1))
        done
        [ $n -gt 0 ] || continue
        echo "| $(group_title $g) | $n | $(echo "$vn" | geomean) | $(echo "$qn" | geomean) | $(echo "$vq" | geomean) |"
    done
    want_group real && real_geomeans
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] && system_geomean
    [ ${#BLOCK_WANTED[@]} -gt 0 ] && block_geomean
    [ ${#X86_WANTED[@]} -gt 0 ] && x86_geomean
)
rtable=""
want_group real && rtable=$(real_table)
stable=""
[ ${#SYSTEM_WANTED[@]} -gt 0 ] && stable=$(system_table)
btable=""
[ ${#BLOCK_WANTED[@]} -gt 0 ] && btable=$(block_table)
xtable=""
[ ${#X86_WANTED[@]} -gt 0 ] && xtable=$(x86_table)
# The issue-3 goal: an FP-heavy armhf program at least 3x faster than qemu-arm.
fp_line=""
for id in armhf/fp-nbody armhf/float-mandel; do
    [ -n "${GROUP[$id]:-}" ] || continue
    if [ "${VQ[$id]}" = failed ]; then
        fp_line+="- **${id#*/}** (armhf, VFP): no valid vemu-arm time (${NOTE[$id]:-failed}); goal not met."$'\n'
    else
        sp=$(awk -v a="${T[$id.qemu]}" -v b="${T[$id.vemu]}" 'BEGIN { printf "%.2f", a / b }')
        verdict=$(awk -v s="$sp" 'BEGIN { print (s >= 3 ? "goal met" : "goal **not** met") }')
        fp_line+="- **${id#*/}** (armhf, VFP): qemu-arm ${T[$id.qemu]} s, vemu-arm ${T[$id.vemu]} s:"
        fp_line+=" vemu-arm is **${sp}x** as fast as qemu-arm (goal: at least 3x) — $verdict."$'\n'
    fi
done
notes=""
for id in "${rows[@]}"; do
    [ -n "${NOTE[$id]:-}" ] && notes+="- (*) $id: ${NOTE[$id]}"$'\n'
done

echo
[ ${#rows[@]} -gt 0 ] && echo "$table"
[ -n "$rtable" ] && printf '\n%s\n' "$rtable"
[ -n "$stable" ] && printf '\n%s\n' "$stable"
[ -n "$btable" ] && printf '\n%s\n' "$btable"
[ -n "$xtable" ] && printf '\n%s\n' "$xtable"
echo
echo "$gtable"
[ -n "$fp_line" ] && printf '\n%s' "$fp_line"
[ -n "$notes" ] && printf '\n%s' "$notes"
[ ${#SYSTEM_WANTED[@]} -gt 0 ] && system_notes
[ ${#BLOCK_WANTED[@]} -gt 0 ] && block_notes
[ ${#X86_WANTED[@]} -gt 0 ] && { x86_goals; x86_notes; }

[ "$DOCS" = 1 ] || exit 0
# Only the real, system and/or block groups ran: rewrite their sections of
# docs/bench.md, nothing else.
only_sections=1
for g in $GROUPS_WANTED; do case $g in real | system | block | x86) ;; *) only_sections=0 ;; esac; done
if [ $only_sections = 1 ]; then
    want_group real && real_docs_update
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] && system_docs_update
    [ ${#BLOCK_WANTED[@]} -gt 0 ] && block_docs_update
    [ ${#X86_WANTED[@]} -gt 0 ] && x86_docs_update
    echo
    echo "bench: updated the $GROUPS_WANTED group section(s) of docs/bench.md"
    exit 0
fi

# ---- docs/bench.md and docs/bench.png -------------------------------------------
mkdir -p docs
data=$OUT/bench.dat
: >"$data"
for id in "${rows[@]}"; do
    [ "${GROUP[$id]}" = real ] && continue
    qn=${QN[$id]} vn=${VN[$id]}
    [ "$qn" = failed ] && qn=NaN
    [ "$vn" = failed ] && vn=NaN
    tag=${GROUP[$id]}; [ "$tag" = debian ] && tag=deb
    echo "\"${id#*/} ($tag)\" $qn $vn" >>"$data"
done
chart=""
if command -v gnuplot >/dev/null; then
    if gnuplot <<EOF 2>"$OUT/gnuplot.log"; then
set terminal pngcairo size 1300,560 font "sans,10" noenhanced
set output "docs/bench.png"
set title "CPU time relative to native $(uname -m) (lower is better; median of ${REPS} runs)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.5:*]
set ylabel "slowdown vs native (log scale)"
set grid ytics
set key top left
set xtics rotate by -35
set bmargin 7
plot "$data" using 2:xtic(1) title "qemu-arm 7.2" lc rgb "#888888", \
     "" using 3 title "vemu-arm" lc rgb "#2a7ab0"
EOF
        chart="![slowdown relative to native](bench.png)"
    else
        echo "bench: gnuplot failed, see $OUT/gnuplot.log" >&2
    fi
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- 2>/dev/null || rev+=" plus uncommitted work"
load=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "# Benchmarks"
    echo
    echo "\`make bench\` runs whole programs natively, under Debian's qemu-arm and under vemu-arm,"
    echo "alternating (native, qemu, vemu; $REPS repetitions), and checks that all three print the same"
    echo "output. Times are **CPU seconds** (user + system) — medians of $REPS runs — because the machine"
    echo "is shared and wall time would mostly measure the neighbours (wall medians are in"
    echo "\`$BUILD/bench/results.tsv\`). Scale ${SCALE}%."
    echo
    echo "- **armel** rows: the kernels in \`bench/*.c\` built with \`arm-linux-gnueabi-gcc -static -O2\`"
    echo "  (ARM state, soft-float: every double operation is a call into libgcc's integer routines)."
    echo "- **armhf** rows: the same kernels built with \`arm-linux-gnueabihf-gcc -static -O2\` (Thumb-2,"
    echo "  VFPv3-D16 hard-float)."
    echo "- **Debian** rows: Debian 12's armhf packages (python3.11, lua5.4, sqlite3, xz-utils, gzip) run"
    echo "  from the sysroot \`tests/debian/fetch-sysroot.sh armhf\` keeps, with \`-L <sysroot>\`, against"
    echo "  the host's amd64 builds of the same Debian versions."
    echo "- **real** rows (their own section below): short, code-heavy Debian armhf programs with children."
    echo "- **system** rows (their own section below): Linux 6.1 on the Versatile PB under vemu-system-arm"
    echo "  and qemu-system-arm, the boot and CPU-bound commands typed at the guest's shell."
    echo "- **block** rows (their own section below): vemu-img next to qemu-img on the same disk images."
    echo "- native: \`gcc -static -O2\` on the host (kernels), \`/usr/bin/<program>\` (Debian rows)."
    echo "- blocks / transl. ms / chains / lookups: one extra, untimed \`vemu-arm -d stats\` run — blocks"
    echo "  translated, time spent translating, block-to-block chains made, and exits that went through a"
    echo "  lookup in the dispatcher (its loop and indirect-branch lookups together; exits resolved inside"
    echo "  translated code are not counted). vemu does not count helper calls yet."
    echo
    echo "$table"
    echo
    echo "$gtable"
    echo
    echo "## The floating-point goal (issue 3)"
    echo
    echo "\"A floating-point-heavy armhf program runs at least 3x faster under vemu-arm than under qemu-arm\":"
    echo
    printf '%s\n' "$fp_line"
    want_group real && real_docs
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] && { system_docs; echo; }
    [ ${#BLOCK_WANTED[@]} -gt 0 ] && { block_docs; echo; }
    [ ${#X86_WANTED[@]} -gt 0 ] && { x86_docs; echo; }
    [ -n "$notes" ] && { echo "## Notes"; echo; printf '%s\n' "$notes"; }
    [ -n "$chart" ] && { echo "$chart"; echo; }
    echo "## The workloads"
    echo
    for src in bench/*.c; do
        k=$(basename "$src" .c)
        desc=$(awk 'NR > 1 && /\*\// { exit } NR > 1' "$src" | sed 's/^ \* *//' | tr '\n' ' ' |
            sed "s/^$k.c — //; s/ bench-abi:.*//; s/ bench-armhf-times:.*//; s/  */ /g; s/ *$//")
        echo "- **$k** — $desc"
    done
    echo "- **python3** — \`bench/debian/pybench.py\`: a cooperative task scheduler (objects, method calls,"
    echo "  lists), n-queens with sets, and word counting with dicts and string formatting."
    echo "- **lua** — \`bench/debian/luabench.lua\`: fannkuch(9) on tables, closures and string building,"
    echo "  an integer-keyed hash table, a floating-point integration loop."
    echo "- **sqlite3** — \`bench/debian/sqlbench.sql\`: 80,000 inserts from a recursive CTE in an"
    echo "  in-memory database, an index build, aggregate/join/sort/window queries, an update and a delete."
    echo "- **xz** — \`xz -T1 -0 -c\` of a generated $((INPUT_BYTES / 1000000)) MB log-like text file"
    echo "  (\`bench/debian/gen-input.py\`; level 0 keeps the run short). Output compared by SHA-256."
    echo "- **gzip** — \`gzip -6 -n -c\` of the same file."
    echo
    echo "Kernels are sized to roughly 0.3–0.5 s of native CPU time (float-mandel less: as armel"
    echo "soft-float it runs ~150x slower under an emulator than the host's SSE2; its armhf build runs"
    echo "3x the rows, so its native time is 3x its armel row's). fp-nbody is the FP-heavy armhf kernel"
    echo "and runs only as armhf: as armel soft-float it would take minutes."
    echo
    echo "## Reproduce"
    echo
    echo '    make bench                                  # builds, runs everything, rewrites this file'
    echo '    BENCH_REPS=5 make bench                     # more repetitions'
    echo '    BENCH_SCALE=20 BENCH_DOCS=0 bench/run-bench.sh        # quick look, leaves docs alone'
    echo '    BENCH_FILTER=armhf/fp BENCH_DOCS=0 bench/run-bench.sh # one row'
    echo '    BENCH_GROUPS="armhf debian" BENCH_DOCS=0 bench/run-bench.sh'
    echo '    BENCH_GROUPS=real make bench                # the real group only: rewrites its section'
    echo '    BENCH_GROUPS=system make bench              # Linux under both system emulators: its section'
    echo '    BENCH_GROUPS=block make bench               # vemu-img and qemu-img on disk images: its section'
    echo '    BENCH_GROUPS=x86 make bench                 # x86 guests next to qemu-i386/-x86_64: its section'
    echo
    echo "Per-run outputs, errors and times are in \`$BUILD/bench/runs/\`, the \`-d stats\` logs in"
    echo "\`$BUILD/bench/stats/\`. The Debian sysroot needs network access the first time (it is cached"
    echo "under /var/cache/vemu-tests afterwards)."
    echo
    echo "## Machine"
    echo
    echo "- CPU: ${cpu:-unknown}, $(nproc) cores available; $(uname -sr) $(uname -m)"
    echo "- $(gcc --version | head -1); $("$CC_ARMHF" --version | head -1)"
    echo "- $("$QEMU" --version | head -1)"
    echo "- vemu at git $rev, built in \`$BUILD\`; run finished $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- load average at the end of the run: $load"
    echo
    echo "The machine is shared with other builds and tests (load average well above its 2 cores while"
    echo "this ran): even CPU times move by 10–20% between runs under such contention (caches, SMT"
    echo "siblings, frequency), so compare ratios, not seconds, and treat differences under ~20% as noise."
} >docs/bench.md
echo
echo "bench: wrote docs/bench.md${chart:+ and docs/bench.png}"
