# bench/system/system.sh — the "system" group of `make bench`: Linux 6.1 on
# the Versatile PB under vemu-system-arm next to Debian's qemu-system-arm,
# the same kernel, device tree and initramfs for both (the fixtures of
# tests/system: fetch-kernel.sh v5 and make-initramfs.sh, looked up in
# their cache; the bench never builds a kernel).  Both run
#     -M versatilepb -m 128M -kernel zImage -dtb versatile-pb.dtb
#     -initrd initramfs.cpio.gz -append 'console=ttyAMA0 quiet vemu.bench=1'
#     -nographic -no-reboot
# with the serial console on a pseudo-terminal (bench/system/guest-bench.py).
# Rows: the boot to init's marker (VEMU-INIT-READY) from process start, and
# CPU-bound work typed at the booted guest's busybox shell, each timed on its
# own (from writing the command line to reading its end marker back, boot
# excluded): md5sum of 4 MiB from /dev/zero, gzip -6 of two copies of the
# guest's /bin/busybox (3.7 MB, copied to /tmp untimed), a busybox awk loop.  Times are the emulator process's CPU
# seconds (user + system, all threads, from /proc/PID/stat) over each
# interval, medians of the repetitions; wall medians too.  Each repetition
# boots qemu-system-arm, then vemu-system-arm.  The two emulators must print
# the same checksum or number in the same repetition, else the vemu column of
# that row is failed.  Nothing here asserts a timing.
#
# The disk row boots another machine: the Debian 12 armel image of
# tests/system-debian (tests/system/make-debian-rootfs.sh, on a qcow2 overlay
# made per run) with the disk kernel (fetch-kernel.sh disk), as
#     -M versatilepb -m 256 -kernel zImage -hda overlay.qcow2
#     -append 'root=/dev/sda1 console=ttyAMA0' -nographic -no-reboot
# logs in as root and times a 64 MiB file written through the SCSI disk,
# synced, the page cache dropped, and read back by md5sum
# (bench/system/disk-bench.py).  Its fixtures are only looked up (never
# built here); while vemu-system-arm has no -hda its column says so.
#
# Sourced by bench/run-bench.sh (which owns BENCH_REPS, BENCH_SCALE,
# BENCH_TIMEOUT and docs/bench.md).  Environment: VEMU_SYSTEM (default
# $BUILD/vemu-system-arm), QEMU_SYSTEM (default qemu-system-arm),
# BENCH_SYSTEM_REPS (default BENCH_REPS).

SYSTEM_ROWS="boot md5sum gzip awk disk"
SYSTEM_GUEST_ROWS="boot md5sum gzip awk"   # guest-bench.py's; disk is disk-bench.py's
SYSTEM_REPS=${BENCH_SYSTEM_REPS:-$REPS}
SYSTEM_OUT=$OUT/system
VEMU_SYSTEM=${VEMU_SYSTEM:-$BUILD/vemu-system-arm}
QEMU_SYSTEM=${QEMU_SYSTEM:-qemu-system-arm}
SYSTEM_KDIR="" SYSTEM_INITRD="" SYSTEM_WHY=""
SYSTEM_DISK_KDIR="" SYSTEM_DISK_IMG="" SYSTEM_DISK_WHY=""
SYSTEM_WANTED=()
declare -A SYS_T SYS_W SYS_R SYS_NOTE

sys_note() { [[ "${SYS_NOTE[$1]:-}" == *"$2"* ]] || SYS_NOTE[$1]+="${SYS_NOTE[$1]:+; }$2"; }

system_setup() {
    local r
    for r in $SYSTEM_ROWS; do want_row "system/$r" && SYSTEM_WANTED+=("$r"); done
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] || return 0
    mkdir -p "$SYSTEM_OUT"
    case "$VEMU_SYSTEM" in /*) ;; */*) VEMU_SYSTEM=$ROOT/$VEMU_SYSTEM ;; esac
    if [ -x "$VEMU_SYSTEM" ]; then
        # a private copy: other work may relink it while the bench runs
        cp "$VEMU_SYSTEM" "$OUT/vemu-system-arm.snapshot" && VEMU_SYSTEM=$OUT/vemu-system-arm.snapshot
    else
        echo "bench: $VEMU_SYSTEM not built; the system group's vemu column will show 'failed'" >&2
    fi
    command -v "$QEMU_SYSTEM" >/dev/null ||
        echo "bench: $QEMU_SYSTEM not installed (scripts/setup-deps.sh); its column will show 'failed'" >&2
    echo "bench: the system group's fixtures (tests/system/fetch-kernel.sh v5, make-initramfs.sh)"
    if ! SYSTEM_KDIR=$(VEMU_KERNEL_NO_BUILD=1 tests/system/fetch-kernel.sh v5 2>"$SYSTEM_OUT/kernel.why"); then
        SYSTEM_KDIR="" SYSTEM_WHY="kernel: $(sed 's/^why: //' "$SYSTEM_OUT/kernel.why" | head -1)"
    elif ! SYSTEM_INITRD=$(tests/system/make-initramfs.sh 2>"$SYSTEM_OUT/initramfs.why"); then
        SYSTEM_INITRD="" SYSTEM_WHY="initramfs: $(sed 's/^why: //' "$SYSTEM_OUT/initramfs.why" | head -1)"
    fi
    [ -z "$SYSTEM_WHY" ] || echo "bench: no system fixtures ($SYSTEM_WHY); the system rows fail" >&2
    if system_wants disk; then
        echo "bench: the disk row's fixtures (tests/system/fetch-kernel.sh disk, make-debian-rootfs.sh)"
        if ! SYSTEM_DISK_KDIR=$(VEMU_KERNEL_NO_BUILD=1 tests/system/fetch-kernel.sh disk 2>"$SYSTEM_OUT/disk-kernel.why"); then
            SYSTEM_DISK_WHY="disk kernel: $(sed 's/^why: //' "$SYSTEM_OUT/disk-kernel.why" | head -1)"
        elif ! SYSTEM_DISK_IMG=$(VEMU_ROOTFS_NO_BUILD=1 tests/system/make-debian-rootfs.sh 2>"$SYSTEM_OUT/disk-image.why"); then
            SYSTEM_DISK_WHY="Debian image: $(sed 's/^why: //' "$SYSTEM_OUT/disk-image.why" | head -1)"
        fi
        [ -z "$SYSTEM_DISK_WHY" ] || echo "bench: no disk-row fixtures ($SYSTEM_DISK_WHY); the disk row fails" >&2
    fi
}
system_wants() { [[ " ${SYSTEM_WANTED[*]} " == *" $1 "* ]]; }

# One boot of one emulator: appends "REP RUNNER ROW CPU WALL RESULT" lines.
system_boot() {   # RUNNER REP
    local runner=$1 rep=$2 emu log=$SYSTEM_OUT/$1.$2 r
    case $runner in qemu) emu=$(command -v "$QEMU_SYSTEM") ;; vemu) emu=$VEMU_SYSTEM ;; esac
    local guest=0
    for r in $SYSTEM_GUEST_ROWS; do system_wants $r && guest=1; done
    if [ ! -x "$emu" ]; then
        for r in $SYSTEM_ROWS; do
            printf '%s\t%s\t%s\tfailed\t-\t%s\n' "$rep" "$runner" "$r" "${emu:-$QEMU_SYSTEM} not available"
        done
        return
    fi
    if [ $guest = 1 ] && [ -n "$SYSTEM_WHY" ]; then
        for r in $SYSTEM_GUEST_ROWS; do
            printf '%s\t%s\t%s\tfailed\t-\t%s\n' "$rep" "$runner" "$r" "$SYSTEM_WHY"
        done
    elif [ $guest = 1 ]; then
        timeout -k 5 $((TMO * 5)) /usr/bin/python3 "$ROOT/bench/system/guest-bench.py" "$emu" "$SYSTEM_KDIR" \
            "$SYSTEM_INITRD" "$log.console" "$SCALE" "$TMO" 2>"$log.err" | sed "s/^/$rep\t$runner\t/"
    fi
    system_wants disk || return 0
    if [ -n "$SYSTEM_DISK_WHY" ]; then
        printf '%s\t%s\tdisk\tfailed\t-\t%s\n' "$rep" "$runner" "$SYSTEM_DISK_WHY"
        return
    fi
    local img=$BUILD/vemu-img
    case "$img" in /*) ;; *) img=$ROOT/$img ;; esac
    timeout -k 5 $((TMO * 4)) /usr/bin/python3 "$ROOT/bench/system/disk-bench.py" "$emu" "$img" \
        "$SYSTEM_DISK_KDIR" "$SYSTEM_DISK_IMG" "$log.disk.console" "$SCALE" "$TMO" 2>"$log.disk.err" |
        sed "s/^/$rep\t$runner\t/"
}

system_run() {
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] || return 0
    local rep runner row cpu wall res base q id
    local lines=$SYSTEM_OUT/runs.tsv
    : >"$lines"
    echo "bench: system group, $SYSTEM_REPS repetitions (a boot of each emulator per repetition)"
    for rep in $(seq 1 "$SYSTEM_REPS"); do
        for runner in qemu vemu; do
            system_boot $runner "$rep" | tee -a "$lines" |
                awk -F'\t' '{ printf "  system/%-8s rep %s %-5s cpu %-8s wall %-8s %s\n", $3, $1, $2, $4, $5, $6 }'
        done
    done
    declare -A cpus walls
    for row in "${SYSTEM_WANTED[@]}"; do
        for runner in qemu vemu; do cpus[$row.$runner]="" walls[$row.$runner]=""; done
        for rep in $(seq 1 "$SYSTEM_REPS"); do
            q=$(awk -F'\t' -v p="$rep" -v w="$row" '$1 == p && $2 == "qemu" && $3 == w { print $6 }' "$lines")
            for runner in qemu vemu; do
                cpu="" wall="" res=""
                IFS=$'\t' read -r cpu wall res < <(awk -F'\t' -v p="$rep" -v r="$runner" -v w="$row" \
                    '$1 == p && $2 == r && $3 == w { print $4 "\t" $5 "\t" $6 }' "$lines")
                if [ -z "${cpu:-}" ] || [ "$cpu" = failed ]; then
                    sys_note "$row" "$runner failed: ${res:-no output} (see $SYSTEM_OUT/$runner.$rep.*)"
                    continue
                fi
                SYS_R[$row]=$res
                if [ $runner = vemu ] && [ "$res" != "$q" ]; then
                    sys_note "$row" "vemu printed '$res', qemu-system-arm '${q:-nothing}' (repetition $rep)"
                    continue
                fi
                cpus[$row.$runner]+=" $cpu" walls[$row.$runner]+=" $wall"
            done
        done
        for runner in qemu vemu; do
            id=system/$row
            if [ "$(echo ${cpus[$row.$runner]} | wc -w)" -lt "$SYSTEM_REPS" ]; then
                SYS_T[$row.$runner]=failed SYS_W[$row.$runner]=failed
            else
                SYS_T[$row.$runner]=$(echo "${cpus[$row.$runner]}" | median)
                SYS_W[$row.$runner]=$(echo "${walls[$row.$runner]}" | median)
            fi
            printf '%s\tsystem\t%s-system\t%s\t%s\n' "$id" "$runner" "${SYS_T[$row.$runner]}" "${SYS_W[$row.$runner]}" >>"$results"
        done
    done
}

system_label() {
    local n=$((SCALE))
    case $1 in
    boot) echo "boot to the init marker" ;;
    md5sum) echo "md5sum of $((4 * 1024 * n / 100)) KiB (head -c from /dev/zero)" ;;
    gzip) local c=$(awk -v n="$n" 'BEGIN { c = int(2 * n / 100 + 0.5); print (c < 1 ? 1 : c) }')
          echo "gzip -6 of /bin/busybox x $c ($(awk -v c="$c" 'BEGIN { printf "%.1f", c * 1853924 / 1e6 }') MB)" ;;
    awk) echo "awk loop, $((60000 * n / 100)) iterations" ;;
    disk) local m=$((64 * n / 100)); echo "disk: $((m < 1 ? 1 : m)) MiB written to the SCSI disk, sync, drop caches, md5sum (Debian image)" ;;
    esac
}

# The group's table (markdown) on stdout.
system_table() {
    local row mark
    echo "| workload | qemu-system-arm s | vemu-system-arm s | vemu/qemu | wall: qemu / vemu s | output (both) |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    for row in "${SYSTEM_WANTED[@]}"; do
        mark=""
        [ -n "${SYS_NOTE[$row]:-}" ] && mark=" (*)"
        echo "| $(system_label "$row")$mark | ${SYS_T[$row.qemu]} | ${SYS_T[$row.vemu]} |" \
            "$(ratio "${SYS_T[$row.vemu]}" "${SYS_T[$row.qemu]}") | ${SYS_W[$row.qemu]} / ${SYS_W[$row.vemu]} |" \
            "\`${SYS_R[$row]:--}\` |"
    done
}
system_geomean() {
    local row v="" n=0
    for row in "${SYSTEM_WANTED[@]}"; do
        v+=" $(ratio "${SYS_T[$row.vemu]}" "${SYS_T[$row.qemu]}")"
        n=$((n + 1))
    done
    [ $n -gt 0 ] && echo "| Linux on the Versatile PB: vemu-system-arm / qemu-system-arm | $n | | | $(echo "$v" | geomean) |"
}
system_notes() {
    local row
    for row in "${SYSTEM_WANTED[@]}"; do
        [ -n "${SYS_NOTE[$row]:-}" ] && echo "- (*) system/$row: ${SYS_NOTE[$row]}"
    done
}

# docs/bench-system.png: both emulators' CPU seconds per row (gnuplot, when
# installed); prints the markdown line that shows it.
system_chart() {
    command -v gnuplot >/dev/null || return 0
    local data=$OUT/system-chart.dat row q v
    : >"$data"
    for row in "${SYSTEM_WANTED[@]}"; do
        q=${SYS_T[$row.qemu]} v=${SYS_T[$row.vemu]}
        [ "$q" = failed ] && q=NaN
        [ "$v" = failed ] && v=NaN
        echo "\"$row\" $q $v" >>"$data"
    done
    gnuplot <<EOF3 2>"$OUT/gnuplot-system.log" || { echo "bench: gnuplot failed, see $OUT/gnuplot-system.log" >&2; return 0; }
set terminal pngcairo size 760,420 font "sans,10" noenhanced
set output "docs/bench-system.png"
set title "Linux on the Versatile PB: emulator CPU seconds per row (lower is better; median of $SYSTEM_REPS)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set ylabel "CPU seconds (log scale)"
set grid ytics
set key top right
plot "$data" using 2:xtic(1) title "qemu-system-arm" lc rgb "#888888", \\
     "" using 3 title "vemu-system-arm" lc rgb "#2a7ab0"
EOF3
    echo "![CPU seconds per system row](bench-system.png)"
}

# The group's part of docs/bench.md.
system_docs() {
    [ ${#SYSTEM_WANTED[@]} -gt 0 ] || return 0
    local chart
    chart=$(system_chart)
    cat <<EOF2
<!-- system-group begin -->
## Linux on the Versatile PB (the "system" group)

\`vemu-system-arm\` next to Debian's \`qemu-system-arm\` ($("$QEMU_SYSTEM" --version 2>/dev/null | head -1 | sed 's/QEMU emulator version //')), booting the same
Linux 6.1 kernel (the system tests' v5 fixture, \`tests/system/fetch-kernel.sh v5\`: Debian's
linux-source-6.1, versatile_defconfig plus \`tests/system/versatile.config\`, ARM926EJ-S), the
kernel's own \`versatile-pb.dtb\` and the busybox initramfs (\`tests/system/make-initramfs.sh\`),
both with \`-M versatilepb -m 128M -dtb versatile-pb.dtb -nographic -no-reboot
-append 'console=ttyAMA0 quiet vemu.bench=1'\`. The serial console is a pseudo-terminal that
\`bench/system/guest-bench.py\` reads and types into, like the system tests' \`console.py\`.
Each repetition boots qemu-system-arm, then vemu-system-arm; $SYSTEM_REPS repetitions.

- **boot**: from just before the emulator process starts to init's \`VEMU-INIT-READY\` line.
- the other rows: CPU-bound commands typed at the booted guest's busybox shell, each timed on
  its own, boot excluded: from writing the command line to reading its end marker back.
  gzip's input (copies of the initramfs's static \`/bin/busybox\`, Debian's armel
  busybox-static) is put in /tmp first, untimed; its output is checked through md5sum. Busybox
  awk is an armel soft-float build: every double operation is a libgcc call.
- times: **CPU seconds of the emulator process** (user + system of all its threads, read from
  \`/proc/PID/stat\` before and after; 10 ms resolution), medians; wall medians next to them.
  Both include the guest kernel's own work (the pipe, the timer tick) and, for vemu, its
  translation of the guest code.
- **disk**: another boot, of the Debian 12 armel image of \`tests/system-debian\` (a qcow2
  overlay per run; \`-m 256 -kernel zImage -hda overlay.qcow2 -append 'root=/dev/sda1
  console=ttyAMA0'\`, the disk kernel \`fetch-kernel.sh disk\`), logged in as root: a file written
  through the page cache onto the SCSI disk, \`sync\`, the page cache dropped, \`md5sum\` of it read
  back, timed as one command (\`bench/system/disk-bench.py\`).
- the last column is what both emulators printed; a different checksum or number from vemu in
  any repetition marks its column failed.

$(system_table)

${chart:+$chart
}
Run $(date -u '+%Y-%m-%d %H:%M UTC') at git $(git rev-parse --short HEAD 2>/dev/null), scale ${SCALE}%, load average $(cut -d' ' -f1-3 /proc/loadavg).
Console logs: \`$BUILD/bench/system/{qemu,vemu}.REP.console\`.
$(system_notes)
<!-- system-group end -->
EOF2
}

# docs/bench.md when the full run did not: replace this group's section
# (or insert it before "## The workloads"), keep the rest.
system_docs_update() {
    local doc=docs/bench.md section=$OUT/system-section.md
    system_docs >"$section"
    if [ -f "$doc" ]; then
        local means=$OUT/system-means.md
        system_geomean >"$means"
        if grep -q '^| Linux on the Versatile PB: ' "$doc"; then
            awk -v f="$means" 'BEGIN { getline m < f } /^\| Linux on the Versatile PB: / { if (m != "") print m; next } { print }' \
                "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
        fi
    fi
    bench_replace_section system "$section"
}
