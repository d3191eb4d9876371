# bench/block/block.sh — the "block" group of `make bench`: vemu-img next to
# Debian's qemu-img on the same files.  Rows:
#   raw-to-qcow2   convert -f raw -O qcow2 of the source disk
#   qcow2-to-raw   convert -f qcow2 -O raw of the source disk as qcow2
#                  (made once by qemu-img, 64 KiB clusters)
#   zlib / zstd    convert -c -o compression_type=zlib|zstd from the raw disk
#   read-4k        bench: 4 KiB reads, 64 in flight, each 4182016 bytes (1021
#                  x 4 KiB) after the last, wrapping at the disk's end, so
#                  consecutive reads land in different clusters and L2 ranges
#                  all over the qcow2 image (qemu-img bench -S; vemu-img bench
#                  takes the same options)
# The source disk (bench/block/gen-disk.py, 256 MiB at scale 100) mixes
# incompressible data, text, holes and scattered 4 KiB blocks.  Each
# repetition runs qemu-img, then vemu-img, on the same input (in the page
# cache for both: the first repetition's reads warm it); every output is
# checked untimed (qemu-img compare against the source, qemu-img check of
# qcow2 outputs, the bench's "Run completed" line): a wrong output marks the
# runner failed.  Times: CPU (user + system, all threads) and wall, medians.
# Nothing here asserts a timing.
#
# Sourced by bench/run-bench.sh (which owns BENCH_REPS, BENCH_SCALE,
# BENCH_TIMEOUT and docs/bench.md).  Environment: VEMU_IMG (default
# $BUILD/vemu-img), QEMU_IMG (default qemu-img), BENCH_BLOCK_REPS (default
# BENCH_REPS).

BLOCK_ROWS="raw-to-qcow2 qcow2-to-raw zlib zstd read-4k"
BLOCK_REPS=${BENCH_BLOCK_REPS:-$REPS}
BLOCK_OUT=$OUT/block
VEMU_IMG=${VEMU_IMG:-$BUILD/vemu-img}
QEMU_IMG=${QEMU_IMG:-qemu-img}
BLOCK_MIB=$((256 * SCALE / 100))
[ "$BLOCK_MIB" -ge 8 ] || BLOCK_MIB=8
BLOCK_READS=$((200000 * SCALE / 100))
BLOCK_STEP=4182016
BLOCK_WHY=""
BLOCK_WANTED=()
declare -A BLK_T BLK_W BLK_SIZE BLK_NOTE

blk_note() { [[ "${BLK_NOTE[$1]:-}" == *"$2"* ]] || BLK_NOTE[$1]+="${BLK_NOTE[$1]:+; }$2"; }

block_setup() {
    local r
    for r in $BLOCK_ROWS; do want_row "block/$r" && BLOCK_WANTED+=("$r"); done
    [ ${#BLOCK_WANTED[@]} -gt 0 ] || return 0
    mkdir -p "$BLOCK_OUT"
    case "$VEMU_IMG" in /*) ;; */*) VEMU_IMG=$ROOT/$VEMU_IMG ;; esac
    if [ -x "$VEMU_IMG" ]; then
        # a private copy: other work may relink it while the bench runs
        cp "$VEMU_IMG" "$OUT/vemu-img.snapshot" && VEMU_IMG=$OUT/vemu-img.snapshot
    else
        BLOCK_WHY="$VEMU_IMG not built"
    fi
    command -v "$QEMU_IMG" >/dev/null || BLOCK_WHY="$QEMU_IMG not installed (scripts/setup-deps.sh)"
    BLOCK_SRC=$BLOCK_OUT/disk-$BLOCK_MIB.raw
    BLOCK_QCOW2=$BLOCK_OUT/disk-$BLOCK_MIB.qcow2
    if [ -z "$BLOCK_WHY" ] && [ ! -s "$BLOCK_SRC" ]; then
        echo "bench: the block group's source disk ($BLOCK_MIB MiB, bench/block/gen-disk.py)"
        /usr/bin/python3 bench/block/gen-disk.py "$BLOCK_MIB" "$BLOCK_SRC.tmp" && mv "$BLOCK_SRC.tmp" "$BLOCK_SRC" ||
            BLOCK_WHY="gen-disk.py failed"
    fi
    if [ -z "$BLOCK_WHY" ] && { [ ! -s "$BLOCK_QCOW2" ] || [ "$BLOCK_SRC" -nt "$BLOCK_QCOW2" ]; }; then
        rm -f "$BLOCK_QCOW2"
        "$QEMU_IMG" convert -f raw -O qcow2 "$BLOCK_SRC" "$BLOCK_QCOW2" || BLOCK_WHY="qemu-img convert of the source failed"
    fi
    [ -z "$BLOCK_WHY" ] || echo "bench: block group: $BLOCK_WHY; its rows fail" >&2
}

# block_command RUNNER ROW OUTPUT: sets BCMD (array)
block_command() {
    local tool=$QEMU_IMG
    [ "$1" = vemu ] && tool=$VEMU_IMG
    case $2 in
    raw-to-qcow2) BCMD=("$tool" convert -f raw -O qcow2 "$BLOCK_SRC" "$3") ;;
    qcow2-to-raw) BCMD=("$tool" convert -f qcow2 -O raw "$BLOCK_QCOW2" "$3") ;;
    zlib | zstd)  BCMD=("$tool" convert -c -f raw -O qcow2 -o compression_type=$2 "$BLOCK_SRC" "$3") ;;
    read-4k)      BCMD=("$tool" bench -c "$BLOCK_READS" -d 64 -s 4k -S "$BLOCK_STEP" -f qcow2 "$BLOCK_QCOW2") ;;
    esac
}

# block_one RUNNER ROW REP: prints "cpu wall", or "failed"; runs in a
# subshell, so it leaves the note of a failure in $log.note and the output
# size in $log.size.
block_one() {
    local runner=$1 row=$2 rep=$3 out=$BLOCK_OUT/out-$1-$2 log=$BLOCK_OUT/$1.$2.$3
    local TIMEFORMAT='%R %U %S' rc
    blk_note() { echo "$2" >"$log.note"; }
    rm -f "$out" "$log.note" "$log.size"
    block_command "$runner" "$row" "$out"
    { time timeout -k 5 "$TMO" "${BCMD[@]}" >"$log.out" 2>"$log.err"; } 2>"$log.time"
    rc=$?
    if [ $rc -ne 0 ]; then
        blk_note "$row" "$runner failed: exit $rc (see $log.err)"
        echo failed
        return
    fi
    case $row in
    read-4k)
        grep -q '^Run completed in' "$log.out" || { blk_note "$row" "$runner printed no result ($log.out)"; echo failed; return; } ;;
    *)
        if ! "$QEMU_IMG" compare -q "$BLOCK_SRC" "$out" 2>>"$log.err"; then
            blk_note "$row" "$runner's output differs from the source"
            echo failed
            return
        fi
        if [ "$row" != qcow2-to-raw ] && ! "$QEMU_IMG" check -q "$out" >>"$log.err" 2>&1; then
            blk_note "$row" "qemu-img check fails on $runner's output ($log.err)"
            echo failed
            return
        fi
        stat -c %s "$out" >"$log.size" ;;
    esac
    rm -f "$out"
    awk '{ printf "%.3f %.3f\n", $2 + $3, $1 }' "$log.time"
}

block_run() {
    [ ${#BLOCK_WANTED[@]} -gt 0 ] || return 0
    local rep runner row r log
    declare -A cpus walls
    echo "bench: block group, $BLOCK_REPS repetitions, source $BLOCK_MIB MiB"
    for row in "${BLOCK_WANTED[@]}"; do
        for runner in qemu vemu; do cpus[$row.$runner]="" walls[$row.$runner]=""; done
    done
    for rep in $(seq 1 "$BLOCK_REPS"); do
        for row in "${BLOCK_WANTED[@]}"; do
            for runner in qemu vemu; do
                if [ -n "$BLOCK_WHY" ]; then
                    blk_note "$row" "$BLOCK_WHY"
                    continue
                fi
                r=$(block_one $runner "$row" "$rep")
                printf '  block/%-13s rep %s %-5s %s\n' "$row" "$rep" "$runner" "$r"
                log=$BLOCK_OUT/$runner.$row.$rep
                [ -s "$log.size" ] && BLK_SIZE[$row.$runner]=$(cat "$log.size")
                if [ "$r" = failed ]; then
                    blk_note "$row" "$(cat "$log.note" 2>/dev/null || echo "$runner failed")"
                    continue
                fi
                cpus[$row.$runner]+=" ${r% *}" walls[$row.$runner]+=" ${r#* }"
            done
        done
    done
    for row in "${BLOCK_WANTED[@]}"; do
        for runner in qemu vemu; do
            if [ "$(echo ${cpus[$row.$runner]} | wc -w)" -lt "$BLOCK_REPS" ]; then
                BLK_T[$row.$runner]=failed BLK_W[$row.$runner]=failed
            else
                BLK_T[$row.$runner]=$(echo "${cpus[$row.$runner]}" | median)
                BLK_W[$row.$runner]=$(echo "${walls[$row.$runner]}" | median)
            fi
            printf '%s\tblock\t%s-img\t%s\t%s\n' "block/$row" "$runner" "${BLK_T[$row.$runner]}" \
                "${BLK_W[$row.$runner]}" >>"$results"
        done
    done
}

block_label() {
    case $1 in
    raw-to-qcow2) echo "convert raw → qcow2" ;;
    qcow2-to-raw) echo "convert qcow2 → raw" ;;
    zlib) echo "convert -c, zlib" ;;
    zstd) echo "convert -c, zstd" ;;
    read-4k) echo "$BLOCK_READS reads of 4 KiB, 64 in flight (bench)" ;;
    esac
}

blk_mib() { [ -n "${1:-}" ] && awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }' || echo -; }

# The group's table (markdown) on stdout.
block_table() {
    local row mark
    echo "| workload | qemu-img CPU s | vemu-img CPU s | vemu/qemu CPU | qemu-img wall s | vemu-img wall s | vemu/qemu wall | output MiB: qemu / vemu |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for row in "${BLOCK_WANTED[@]}"; do
        mark=""
        [ -n "${BLK_NOTE[$row]:-}" ] && mark=" (*)"
        echo "| $(block_label "$row")$mark | ${BLK_T[$row.qemu]} | ${BLK_T[$row.vemu]} |" \
            "$(ratio "${BLK_T[$row.vemu]}" "${BLK_T[$row.qemu]}") | ${BLK_W[$row.qemu]} | ${BLK_W[$row.vemu]} |" \
            "$(ratio "${BLK_W[$row.vemu]}" "${BLK_W[$row.qemu]}") |" \
            "$(blk_mib "${BLK_SIZE[$row.qemu]:-}") / $(blk_mib "${BLK_SIZE[$row.vemu]:-}") |"
    done
}
block_geomean() {
    local row v="" n=0
    for row in "${BLOCK_WANTED[@]}"; do
        v+=" $(ratio "${BLK_T[$row.vemu]}" "${BLK_T[$row.qemu]}")"
        n=$((n + 1))
    done
    [ $n -gt 0 ] && echo "| disk images: vemu-img / qemu-img (CPU) | $n | | | $(echo "$v" | geomean) |"
}
block_notes() {
    local row
    for row in "${BLOCK_WANTED[@]}"; do
        [ -n "${BLK_NOTE[$row]:-}" ] && echo "- (*) block/$row: ${BLK_NOTE[$row]}"
    done
}

# The group's part of docs/bench.md.
block_docs() {
    [ ${#BLOCK_WANTED[@]} -gt 0 ] || return 0
    cat <<EOF2
<!-- block-group begin -->
## Disk images (the "block" group)

\`vemu-img\` next to Debian's \`qemu-img\` ($("$QEMU_IMG" --version 2>/dev/null | head -1 | sed 's/qemu-img version //')) on the same files:
a $BLOCK_MIB MiB raw disk (\`bench/block/gen-disk.py\`: 1 MiB regions of incompressible data,
text, holes, and 4 KiB blocks scattered in empty space, in turn) and the same disk as a qcow2
image with 64 KiB clusters (made once by qemu-img). Each repetition runs qemu-img, then vemu-img;
$BLOCK_REPS repetitions, medians. Inputs are in the page cache for both; outputs go to the same
directory and are checked untimed (\`qemu-img compare\` with the source, \`qemu-img check\`).

- **convert** rows: \`convert -f raw -O qcow2\`, \`convert -f qcow2 -O raw\`, and compressed
  \`convert -c -o compression_type=zlib|zstd\` (64 KiB clusters) with each tool's default
  parallelism (qemu-img: 8 coroutines and its thread pool; vemu-img: 8 requests on 4 workers).
- **bench**: \`bench -c $BLOCK_READS -d 64 -s 4k -S $BLOCK_STEP -f qcow2\` — 4 KiB reads through
  each tool's block layer, 64 in flight, each $BLOCK_STEP bytes (1021 x 4 KiB) after the last,
  wrapping at the end of the disk, so that consecutive reads hit different clusters and L2
  tables all over the image. qemu-img bench has no random mode; \`vemu-img bench\` takes the
  same options.
- times: CPU seconds (user + system, all threads) and wall seconds of the whole command.
  CPU time is the comparison that holds on this shared machine. Wall times under a load
  above its 2 cores follow the kernel's group scheduling as much as the tools: a process
  whose workers never sleep (vemu-img convert -c, compressing on 8 workers) gets about half
  a CPU in all however many threads it runs, while qemu-img's workers, which sleep between
  jobs, got more; with both pinned to one CPU (\`taskset -c 0\`) vemu-img's zlib convert
  took less wall time than qemu-img's (one measurement while tuning: 7.3 s against 9.2 s).

$(block_table)

Run $(date -u '+%Y-%m-%d %H:%M UTC') at git $(git rev-parse --short HEAD 2>/dev/null), scale ${SCALE}%, load average $(cut -d' ' -f1-3 /proc/loadavg).
Logs: \`$BUILD/bench/block/{qemu,vemu}.ROW.REP.*\`.
$(block_notes)
<!-- block-group end -->
EOF2
}

# docs/bench.md when the full run did not: replace this group's section
# (or insert it before "## The workloads"), keep the rest.
block_docs_update() {
    local doc=docs/bench.md section=$OUT/block-section.md
    block_docs >"$section"
    if [ -f "$doc" ]; then
        local means=$OUT/block-means.md
        block_geomean >"$means"
        if grep -q '^| disk images: ' "$doc"; then
            awk -v f="$means" 'BEGIN { getline m < f } /^\| disk images: / { if (m != "") print m; next } { print }' \
                "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
        fi
    fi
    bench_replace_section block "$section"
}
