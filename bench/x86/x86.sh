# bench/x86/x86.sh — the "x86" group of `make bench`: x86 guests under
# vemu-i386 / vemu-x86_64 next to Debian's qemu-i386 / qemu-x86_64 and the
# host itself.  Rows:
#   x86_64/KERNEL  bench/*.c built with gcc -static -O2: native runs the very
#                  binary vemu-x86_64 and qemu-x86_64 run.
#   i386/KERNEL    bench/*.c built with i686-linux-gnu-gcc -static -O2 (its
#                  floating point is x87 code), under vemu-i386 and qemu-i386.
#                  This kernel runs no 32-bit x86 program natively, so the
#                  native column is the same source built for x86_64 with
#                  -mfpmath=387: x87 arithmetic on both sides, the measure
#                  the issue's "x87-heavy program at most 4x native" uses.
#   debian-amd64/PROG, debian-i386/PROG
#                  Debian's python3, lua5.4, sqlite3, xz and gzip from the
#                  x86 test sysroots (tests/debian/fetch-sysroot.sh amd64|i386
#                  x86, those of tests/debian-x86),
#                  on the inputs of the debian group, next to the host's own
#                  amd64 builds of the same programs.
# Each repetition runs native, qemu, vemu one after the other.  The
# reference output of an x86_64 or amd64 row is the native run's; of an i386
# row qemu-i386's (the 32-bit oracle: x87 code may legitimately print other
# low digits than the 64-bit native build, which is then noted, not failed).
# Times: CPU seconds (user + system), medians.  Nothing here asserts a timing.
#
# Sourced by bench/run-bench.sh (which owns BENCH_REPS, BENCH_SCALE,
# BENCH_TIMEOUT, the Debian inputs and docs/bench.md).  Environment:
# VEMU_I386, VEMU_X86_64 (default $BUILD/vemu-i386, $BUILD/vemu-x86_64),
# QEMU_I386, QEMU_X86_64 (default qemu-i386, qemu-x86_64), CC_I386 (default
# i686-linux-gnu-gcc), BENCH_X86_REPS (default BENCH_REPS).

X86_REPS=${BENCH_X86_REPS:-$REPS}
X86_OUT=$OUT/x86
VEMU_I386=${VEMU_I386:-$BUILD/vemu-i386}
VEMU_X86_64=${VEMU_X86_64:-$BUILD/vemu-x86_64}
QEMU_I386=${QEMU_I386:-qemu-i386}
QEMU_X86_64=${QEMU_X86_64:-qemu-x86_64}
CC_I386=${CC_I386:-i686-linux-gnu-gcc}
X86_DEB_PROGS="python3 lua sqlite3 xz gzip"
X86_WANTED=()
declare -A X86_T X86_W X86_NOTE X86_SYSROOT

x86_note() { [[ "${X86_NOTE[$1]:-}" == *"$2"* ]] || X86_NOTE[$1]+="${X86_NOTE[$1]:+; }$2"; }

# x86_build SIDE KERNEL: $X86_OUT/SIDE/KERNEL (only when the source changed)
x86_build() {
    local side=$1 k=$2 src=bench/$2.c bin=$X86_OUT/$1/$2 cc flags=(-static -O2)
    mkdir -p "$X86_OUT/$side"
    [ -x "$bin" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt bench/bench-common.h ] && return 0
    case $side in
    x86_64) cc=gcc ;;
    i386) cc=$CC_I386 ;;
    native387) cc=gcc flags+=(-mfpmath=387) ;;
    esac
    rm -f "$bin"
    "$cc" "${flags[@]}" -Wall -Wextra -o "$bin" "$src" -lm 2>"$X86_OUT/$side/$k.build.log"
}

x86_snapshot() {   # VAR NAME: a private copy of the emulator (others may relink it)
    local path=${!1}
    case "$path" in /*) ;; */*) path=$ROOT/$path ;; esac
    if [ -x "$path" ]; then
        cp "$path" "$OUT/$2.snapshot" && printf -v "$1" '%s' "$OUT/$2.snapshot"
    else
        printf -v "$1" '%s' "$path"
    fi
}

x86_setup() {
    local src k abi p id sysroot
    for src in bench/*.c; do
        k=$(basename "$src" .c)
        for abi in x86_64 i386; do
            id=$abi/$k
            want_row "$id" || continue
            X86_WANTED+=("$id")
            if [ $abi = x86_64 ]; then
                x86_build x86_64 "$k" || x86_note "$id" "build failed ($X86_OUT/x86_64/$k.build.log)"
            else
                x86_build i386 "$k" || x86_note "$id" "i386 build failed ($X86_OUT/i386/$k.build.log)"
                x86_build native387 "$k" || x86_note "$id" "native build failed ($X86_OUT/native387/$k.build.log)"
            fi
        done
    done
    for abi in amd64 i386; do
        local ids=()
        for p in $X86_DEB_PROGS; do want_row "debian-$abi/$p" && ids+=("debian-$abi/$p"); done
        [ ${#ids[@]} -gt 0 ] || continue
        echo "bench: the Debian $abi sysroot (tests/debian/fetch-sysroot.sh $abi x86)"
        sysroot=$(tests/debian/fetch-sysroot.sh $abi x86 2>"$X86_OUT-sysroot-$abi.log") || sysroot=""
        X86_SYSROOT[$abi]=$sysroot
        for id in "${ids[@]}"; do
            X86_WANTED+=("$id")
            p=${id#*/}
            if [ -z "$sysroot" ]; then
                x86_note "$id" "no Debian $abi sysroot: $(tail -1 "$X86_OUT-sysroot-$abi.log" 2>/dev/null)"
            elif [ ! -e "$sysroot/${DEB_PROG[$p]}" ]; then
                x86_note "$id" "${DEB_PROG[$p]} missing from $sysroot"
            fi
        done
    done
    [ ${#X86_WANTED[@]} -gt 0 ] || return 0
    mkdir -p "$X86_OUT/runs"
    if [ ! -s "$INPUT" ]; then
        /usr/bin/python3 bench/debian/gen-input.py "$INPUT_BYTES" "$INPUT.tmp" && mv "$INPUT.tmp" "$INPUT"
    fi
    x86_snapshot VEMU_I386 vemu-i386
    x86_snapshot VEMU_X86_64 vemu-x86_64
}

# x86_command RUNNER ID: sets XCMD (array) and XSTDIN
x86_command() {
    local runner=$1 id=$2 abi=${2%%/*} name=${2#*/} emu=()
    case $abi in
    x86_64 | debian-amd64)
        [ $runner = qemu ] && emu=("$QEMU_X86_64")
        [ $runner = vemu ] && emu=(/usr/bin/env VEMU_CACHE_DIR="$X86_OUT/cache" "$VEMU_X86_64") ;;
    i386 | debian-i386)
        [ $runner = qemu ] && emu=("$QEMU_I386")
        [ $runner = vemu ] && emu=(/usr/bin/env VEMU_CACHE_DIR="$X86_OUT/cache" "$VEMU_I386") ;;
    esac
    case $abi in
    x86_64)
        XSTDIN=/dev/null XCMD=("${emu[@]}" "$X86_OUT/x86_64/$name" "$SCALE") ;;
    i386)
        XSTDIN=/dev/null
        if [ $runner = native ]; then
            XCMD=("$X86_OUT/native387/$name" "$SCALE")
        else
            XCMD=("${emu[@]}" "$X86_OUT/i386/$name" "$SCALE")
        fi ;;
    debian-*)
        local deb=${abi#debian-} prog=${DEB_PROG[$name]} args path
        read -r -a args <<<"${DEB_ARGS[$name]}"
        XSTDIN=${DEB_STDIN[$name]}
        if [ $runner = native ]; then
            path=/usr/bin/$(basename "$prog")
            [ -x "$path" ] || path=/$prog
            XCMD=("${PROG_ENV[@]}" "$path" "${args[@]}")
        else
            XCMD=("${PROG_ENV[@]}" "${emu[@]}" -L "${X86_SYSROOT[$deb]}" "${X86_SYSROOT[$deb]}/$prog" "${args[@]}")
        fi ;;
    esac
}

# x86_one RUNNER ID REP: prints "cpu wall" or "failed"
x86_one() {
    local runner=$1 id=$2 rep=$3 log=$X86_OUT/runs/${2//\//-}.$1.$3
    local TIMEFORMAT='%R %U %S' rc
    rm -f "$log.ok"
    rm -rf "$X86_OUT/cache" && mkdir -p "$X86_OUT/cache"
    x86_command "$runner" "$id"
    { time timeout -k 5 "$TMO" "${XCMD[@]}" <"$XSTDIN" >"$log.out" 2>"$log.err"; } 2>"$log.time"
    rc=$?
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

x86_run() {
    [ ${#X86_WANTED[@]} -gt 0 ] || return 0
    local id rep runner r base ref
    declare -A cpus walls
    echo "bench: x86 group, ${#X86_WANTED[@]} rows, $X86_REPS repetitions"
    for id in "${X86_WANTED[@]}"; do
        for runner in native qemu vemu; do cpus[$id.$runner]="" walls[$id.$runner]=""; done
        if [[ "${X86_NOTE[$id]:-}" == *"build failed"* ]] || [[ "${X86_NOTE[$id]:-}" == *"sysroot"* ]] ||
            [[ "${X86_NOTE[$id]:-}" == *"missing from"* ]]; then
            for runner in native qemu vemu; do X86_T[$id.$runner]=failed X86_W[$id.$runner]=failed; done
            printf '  %-24s %s\n' "$id" "${X86_NOTE[$id]}"
            continue
        fi
        base=$X86_OUT/runs/${id//\//-}
        for rep in $(seq 1 "$X86_REPS"); do
            for runner in native qemu vemu; do
                r=$(x86_one $runner "$id" "$rep")
                if [ "$r" = failed ]; then
                    x86_note "$id" "$runner failed (see $base.$runner.$rep.err)"
                    continue
                fi
                # the oracle: native for 64-bit rows, qemu-i386 for 32-bit ones
                ref=native
                [[ "$id" == i386/* || "$id" == debian-i386/* ]] && ref=qemu
                if [ $runner = vemu ] && ! cmp -s "$base.vemu.$rep.out" "$base.$ref.$rep.out"; then
                    x86_note "$id" "vemu output differs from $ref (see $base.vemu.$rep.out)"
                    continue
                fi
                if [ $runner = qemu ] && [ $ref = native ] && ! cmp -s "$base.qemu.$rep.out" "$base.native.$rep.out"; then
                    x86_note "$id" "qemu output differs from native"
                    continue
                fi
                if [ $runner = qemu ] && [ $ref = qemu ] && ! cmp -s "$base.qemu.$rep.out" "$base.native.$rep.out"; then
                    x86_note "$id" "the 64-bit native build prints other digits than the i386 build (x87 spills)"
                fi
                cpus[$id.$runner]+=" ${r% *}" walls[$id.$runner]+=" ${r#* }"
            done
        done
        for runner in native qemu vemu; do
            if [ "$(echo ${cpus[$id.$runner]} | wc -w)" -lt "$X86_REPS" ]; then
                X86_T[$id.$runner]=failed X86_W[$id.$runner]=failed
            else
                X86_T[$id.$runner]=$(echo "${cpus[$id.$runner]}" | median)
                X86_W[$id.$runner]=$(echo "${walls[$id.$runner]}" | median)
            fi
            printf '%s\tx86\t%s\t%s\t%s\n' "$id" "$runner" "${X86_T[$id.$runner]}" "${X86_W[$id.$runner]}" >>"$results"
        done
        printf '  %-24s native %-7s qemu %-7s vemu %-7s %s\n' "$id" "${X86_T[$id.native]}" \
            "${X86_T[$id.qemu]}" "${X86_T[$id.vemu]}" "${X86_NOTE[$id]:-}"
    done
}

x86_abi_label() {
    case ${1%%/*} in
    x86_64) echo "x86_64" ;;
    i386) echo "i386 (native: x86_64 -mfpmath=387)" ;;
    debian-amd64) echo "amd64 (Debian)" ;;
    debian-i386) echo "i386 (Debian)" ;;
    esac
}

x86_table() {
    local id mark
    echo "| workload | guest | native s | qemu s | vemu s | vemu/native | qemu/native | vemu/qemu |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for id in "${X86_WANTED[@]}"; do
        mark=""
        [ -n "${X86_NOTE[$id]:-}" ] && mark=" (*)"
        echo "| ${id#*/}$mark | $(x86_abi_label "$id") | ${X86_T[$id.native]} | ${X86_T[$id.qemu]} |" \
            "${X86_T[$id.vemu]} | $(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.native]}") |" \
            "$(ratio "${X86_T[$id.qemu]}" "${X86_T[$id.native]}") | $(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.qemu]}") |"
    done
}

x86_geomean() {
    local id g vn qn vq n
    for g in x86_64 i386 debian-amd64 debian-i386 all; do
        vn="" qn="" vq="" n=0
        for id in "${X86_WANTED[@]}"; do
            [ $g = all ] || [ "${id%%/*}" = $g ] || continue
            vn+=" $(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.native]}")"
            qn+=" $(ratio "${X86_T[$id.qemu]}" "${X86_T[$id.native]}")"
            vq+=" $(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.qemu]}")"
            n=$((n + 1))
        done
        [ $n -gt 0 ] || continue
        case $g in
        all) g="x86 guests, all rows" ;;
        x86_64) g="kernels, x86_64" ;;
        i386) g="kernels, i386" ;;
        debian-amd64) g="Debian amd64 programs" ;;
        debian-i386) g="Debian i386 programs" ;;
        esac
        echo "| $g | $n | $(echo "$vn" | geomean) | $(echo "$qn" | geomean) | $(echo "$vq" | geomean) |"
    done
}

# The issue's goals, checked against this run's figures.
x86_goals() {
    local id vq all="" slower=""
    for id in "${X86_WANTED[@]}"; do
        vq=$(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.qemu]}")
        all+=" $vq"
        [ "$vq" = failed ] && { slower+=" $id (failed)"; continue; }
        awk -v r="$vq" 'BEGIN { exit !(r > 1) }' && slower+=" $id ($vq)"
    done
    local gm
    gm=$(echo "$all" | geomean)
    echo "- geometric mean vemu/qemu over the x86 rows: **$gm** (goal: at most 0.5)."
    echo "- rows where vemu is slower than qemu or failed:${slower:- none} (goal: none)."
    for id in i386/fp-nbody i386/float-mandel; do
        [[ " ${X86_WANTED[*]} " == *" $id "* ]] || continue
        echo "- x87-heavy **${id#*/}** (i386): vemu/native $(ratio "${X86_T[$id.vemu]}" "${X86_T[$id.native]}")," \
            "qemu/native $(ratio "${X86_T[$id.qemu]}" "${X86_T[$id.native]}") (goal: vemu at most 4x native)."
    done
}

x86_notes() {
    local id
    for id in "${X86_WANTED[@]}"; do
        [ -n "${X86_NOTE[$id]:-}" ] && echo "- (*) $id: ${X86_NOTE[$id]}"
    done
}

x86_docs() {
    [ ${#X86_WANTED[@]} -gt 0 ] || return 0
    cat <<EOF2
<!-- x86-group begin -->
## x86 guests (the "x86" group)

vemu-x86_64 and vemu-i386 next to Debian's $("$QEMU_X86_64" --version 2>/dev/null | head -1 | sed 's/ version / /') and
qemu-i386 and the host itself (\`bench/x86/x86.sh\`). x86_64 rows run the same static binary
natively and under both emulators; i386 rows run the i686 build under the emulators and, as
native, the same source built for x86_64 with \`-mfpmath=387\` (x87 arithmetic on both sides:
this kernel runs no 32-bit x86 program). The reference output is native's for 64-bit rows and
qemu-i386's for i386 rows. CPU seconds (user + system), medians of $X86_REPS repetitions.

$(x86_table)

| geometric mean | rows | vemu/native | qemu/native | vemu/qemu |
| --- | ---: | ---: | ---: | ---: |
$(x86_geomean)

$(x86_goals)

Run $(date -u '+%Y-%m-%d %H:%M UTC') at git $(git rev-parse --short HEAD 2>/dev/null), scale ${SCALE}%, load average $(cut -d' ' -f1-3 /proc/loadavg).
Logs: \`$BUILD/bench/x86/runs/\`.
$(x86_notes)
<!-- x86-group end -->
EOF2
}

x86_docs_update() {
    local section=$OUT/x86-section.md
    x86_docs >"$section"
    bench_replace_section x86 "$section"
}
