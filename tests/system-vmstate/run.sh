#!/bin/bash
# tests/system-vmstate/run.sh — savevm, loadvm, delvm, info snapshots and
# -loadvm (softmmu/savevm.c, docs/vmstate.md) on a running guest: the
# system tests' Linux 6.1 (v5 kernel) and busybox initramfs, with a qcow2
# SD card and the HMP on a Unix socket (tests/system-vmstate/vmstate.py).
#   main     a shell loop counts on the console (sleep 0.2: timers);
#            savevm: the guest runs on; a word written to the card;
#            loadvm: the count goes back to the savevm point and goes on,
#            the card's word is the old one, uptime goes back and still
#            moves; loadvm of a missing name errs and leaves the machine
#            stopped (as qemu 7.2), cont;
#            savevm of an existing name replaces it; delvm; info snapshots
#   image    after quit: vemu-img and qemu-img snapshot -l list the same
#            snapshots, qemu-img check is clean
#   restart  -loadvm snap1 starts from the snapshot (no boot, the count
#            goes on, the shell answers); -loadvm of a missing name: a
#            message, status 1
#   errors   savevm, loadvm and info snapshots without a drive, and savevm
#            with a raw card: QEMU's messages (checked against
#            qemu-system-arm 7.2 by hand: it prints the same lines)
#   bm-*     no Linux needed: tick.S (assembled here) counts SP804 ticks at
#            100 Hz on the console; savevm (the snapshot's VM CLOCK is the
#            guest's time: ticks / 100), loadvm (the count goes back to the
#            savevm point and goes on at the same rate: the timer's deadline
#            came back with the virtual clock), -loadvm in a new process;
#            -loadvm with another -m or -cpu: refused, the device named
#   scsi-*   the disk kernel (PCI, the LSI53C895A, sd, ext4), -hda disk.qcow2
#            holding an ext4 file system made here by mke2fs: a loop
#            appends its count to /mnt/log and syncs; savevm (the state
#            goes to scsi0-hd0: no SD card), run on, loadvm: the count
#            goes back and goes on, the file read back from the disk is
#            1..n up to the last count (nothing of the discarded run),
#            dmesg has no I/O, EXT4 or sym53c8xx errors; delvm; then on
#            the host: qemu-img check clean, qemu-img snapshot -l lists
#            the last snapshot with its VM state, e2fsck -fn clean and
#            debugfs reads the same file
#   drives-* -hda and -sd together: savevm lands on both images
#            (qemu-img snapshot -l of each)
# SYSTEM_VMSTATE_KERNEL=disk uses the disk kernel variant instead of v5.
# Prints PASS:/FAIL:/SKIP: lines; fixture problems are SKIPs.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
WORK=$(mktemp -d /tmp/vemu-system-vmstate.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -c 0
EMU=$PWD/$BUILD/vemu-system-arm
IMG=$PWD/$BUILD/vemu-img
MAIN="info-snapshots-empty savevm savevm-keeps-running runs-after-savevm card-written loadvm counter-goes-back
counter-continues loadvm-keeps-running card-reverted uptime-goes-back timers-fire loadvm-missing loadvm-missing-stops
savevm-replaces info-snapshots delvm quit"
IMAGE="snapshot-list-agree qemu-img-check"
RESTART="loadvm-option loadvm-option-continues loadvm-option-shell loadvm-option-quit loadvm-option-missing"
ERRORS="savevm-no-drive info-snapshots-no-drive loadvm-no-drive savevm-raw-drive"
BAREMETAL="bm-savevm bm-vm-clock bm-loadvm bm-timer-rate bm-loadvm-option bm-loadvm-option-quit bm-other-ram-size
bm-other-cpu"
SCSI="scsi-mount scsi-savevm scsi-info-snapshots scsi-runs-after-savevm scsi-loadvm scsi-counter-goes-back
scsi-counter-continues scsi-disk-contents scsi-no-io-errors scsi-delvm scsi-quit scsi-qemu-img-check scsi-vmstate-on-disk
scsi-e2fsck scsi-debugfs-log"
DRIVES="drives-savevm drives-both-images"
skip_all() {
    for t in $MAIN $IMAGE $RESTART $ERRORS $BAREMETAL $SCSI $DRIVES; do echo "SKIP: system-vmstate/$t ($1)"; done
    exit 0
}
[ -x "$EMU" ] || skip_all "$EMU not built"
[ -x "$IMG" ] || skip_all "$IMG not built"
command -v python3 >/dev/null || skip_all "python3 not installed"

pass() { echo "PASS: system-vmstate/$1"; }
fail() { echo "FAIL: system-vmstate/$1${2:+ ($2)}"; }
vm() { timeout 900 python3 tests/system-vmstate/vmstate.py "$1" "$WORK" emu="$EMU" kdir="${kdir:-}" \
    initrd="${initrd:-}" img="$2" raw="$WORK/sd.raw" tick="$WORK/tick.bin" tests="$3" sd="${sd:-}"; }

# ---- without Linux: the tick counter, the errors -------------------------------------
if arm-linux-gnueabi-as -o "$WORK/tick.o" tests/system-vmstate/tick.S 2>"$WORK/tick.why" &&
    arm-linux-gnueabi-ld -Ttext=0x10000 -o "$WORK/tick.elf" "$WORK/tick.o" 2>>"$WORK/tick.why" &&
    arm-linux-gnueabi-objcopy -O binary "$WORK/tick.elf" "$WORK/tick.bin" 2>>"$WORK/tick.why"; then
    truncate -s 64K "$WORK/tick.bin"     # the loader wants a kernel-sized image
    "$IMG" create -q -f qcow2 "$WORK/tick.qcow2" 16M
    truncate -s 64M "$WORK/sd.raw"
    vm baremetal "$WORK/tick.qcow2" "$BAREMETAL"
    vm mismatch "$WORK/tick.qcow2" "$BAREMETAL"
    vm errors "" "$ERRORS"
    # -hda and -sd: one savevm, a snapshot in each image
    "$IMG" create -q -f qcow2 "$WORK/both-hd.qcow2" 16M
    "$IMG" create -q -f qcow2 "$WORK/both-sd.qcow2" 16M
    sd="$WORK/both-sd.qcow2" vm drives "$WORK/both-hd.qcow2" "$DRIVES"
    h=$("$IMG" snapshot -l "$WORK/both-hd.qcow2" 2>&1 | awk 'NR > 2 { print $2 }' | tr '\n' ' ')
    s=$("$IMG" snapshot -l "$WORK/both-sd.qcow2" 2>&1 | awk 'NR > 2 { print $2 }' | tr '\n' ' ')
    if [ "$h" = "both " ] && [ "$s" = "both " ]; then pass drives-both-images
    else fail drives-both-images "disk: '$h', card: '$s'"; fi
else
    for t in $BAREMETAL $ERRORS $DRIVES; do
        echo "SKIP: system-vmstate/$t (cannot assemble tick.S: $(head -1 "$WORK/tick.why"))"
    done
fi

# ---- Linux: a counting shell ---------------------------------------------------------
skip_linux() {
    for t in $MAIN $IMAGE $RESTART $SCSI; do echo "SKIP: system-vmstate/$t ($1)"; done
    exit 0
}
initrd=$(tests/system/make-initramfs.sh 2>"$WORK/initramfs.why") ||
    skip_linux "initramfs: $(sed 's/^why: //' "$WORK/initramfs.why" | head -1)"
# ---- Linux on the SCSI disk: savevm/loadvm with I/O going on --------------------------
scsi_tests() {
    local why
    kdir=$(tests/system/fetch-kernel.sh disk 2>"$WORK/kernel-disk.why") || {
        why="disk kernel: $(sed 's/^why: //' "$WORK/kernel-disk.why" | head -1)"; }
    [ -z "${why:-}" ] && ! grep -q '^CONFIG_SCSI_SYM53C8XX_2=y' "$kdir/config" 2>/dev/null &&
        why="the cached disk kernel has no SCSI_SYM53C8XX_2"
    [ -z "${why:-}" ] && ! command -v mke2fs >/dev/null && why="mke2fs not installed"
    [ -z "${why:-}" ] && ! mke2fs -q -t ext4 "$WORK/disk.raw" 64M >/dev/null 2>"$WORK/mke2fs.why" &&
        why="mke2fs: $(head -1 "$WORK/mke2fs.why")"
    [ -z "${why:-}" ] && ! "$IMG" convert -O qcow2 "$WORK/disk.raw" "$WORK/disk.qcow2" 2>"$WORK/convert.why" &&
        why="vemu-img convert: $(head -1 "$WORK/convert.why")"
    if [ -n "${why:-}" ]; then
        for t in $SCSI; do echo "SKIP: system-vmstate/$t ($why)"; done
        return
    fi
    vm scsi "$WORK/disk.qcow2" "$SCSI"
    if ! command -v qemu-img >/dev/null; then
        for t in scsi-qemu-img-check scsi-vmstate-on-disk scsi-e2fsck scsi-debugfs-log; do
            echo "SKIP: system-vmstate/$t (qemu-img not installed)"
        done
        return
    fi
    out=$(qemu-img check "$WORK/disk.qcow2" 2>&1)
    if [ $? = 0 ] && grep -q "No errors were found" <<<"$out"; then pass scsi-qemu-img-check
    else fail scsi-qemu-img-check "$(tr '\n' ' ' <<<"$out" | head -c 300)"; fi
    # the VM state went to the disk (VM SIZE is not 0 B)
    out=$(qemu-img snapshot -l "$WORK/disk.qcow2" 2>&1)
    if awk 'NR > 2 && $2 == "disk2" && $3 != "0" { ok = 1 } END { exit !ok }' <<<"$out"; then
        pass scsi-vmstate-on-disk
    else fail scsi-vmstate-on-disk "$(tr '\n' ' ' <<<"$out")"; fi
    qemu-img convert -O raw "$WORK/disk.qcow2" "$WORK/disk.out.raw"
    out=$(e2fsck -fn "$WORK/disk.out.raw" 2>&1)
    if [ $? = 0 ]; then pass scsi-e2fsck; else fail scsi-e2fsck "$(tr '\n' ' ' <<<"$out" | tail -c 300)"; fi
    n=$(cat "$WORK/disk.log" 2>/dev/null)
    got=$(debugfs -R "cat /log" "$WORK/disk.out.raw" 2>/dev/null | md5sum)
    want=$(seq 1 "${n:-0}" | md5sum)
    if [ "${n:--1}" -gt 0 ] && [ "$got" = "$want" ]; then pass scsi-debugfs-log
    else fail scsi-debugfs-log "the guest saw 1..$n; debugfs: $(debugfs -R 'cat /log' "$WORK/disk.out.raw" 2>/dev/null | tail -3 | tr '\n' ' ')"; fi
}
scsi_tests
kdir=$(tests/system/fetch-kernel.sh "${SYSTEM_VMSTATE_KERNEL:-v5}" 2>"$WORK/kernel.why") ||
    skip_linux "kernel: $(sed 's/^why: //' "$WORK/kernel.why" | head -1)"
grep -q '^CONFIG_MMC_ARMMMCI=y' "$kdir/config" 2>/dev/null || skip_linux "the cached kernel has no MMC_ARMMMCI"

"$IMG" create -q -f qcow2 "$WORK/sd.qcow2" 64M || skip_linux "vemu-img create failed"
vm main "$WORK/sd.qcow2" "$MAIN"

# the image after the session: both tools list the same snapshots
if command -v qemu-img >/dev/null; then
    names() { awk 'NR > 2 { print $2 }'; }
    v=$("$IMG" snapshot -l "$WORK/sd.qcow2" 2>&1 | names | tr '\n' ' ')
    q=$(qemu-img snapshot -l "$WORK/sd.qcow2" 2>&1 | names | tr '\n' ' ')
    if [ "$v" = "snap1 " ] && [ "$v" = "$q" ]; then pass snapshot-list-agree
    else fail snapshot-list-agree "vemu-img: '$v', qemu-img: '$q'"; fi
    out=$(qemu-img check "$WORK/sd.qcow2" 2>&1)
    if [ $? = 0 ] && grep -q "No errors were found" <<<"$out"; then pass qemu-img-check
    else fail qemu-img-check "$(tr '\n' ' ' <<<"$out" | head -c 300)"; fi
else
    for t in $IMAGE; do echo "SKIP: system-vmstate/$t (qemu-img not installed)"; done
fi

vm restart "$WORK/sd.qcow2" "$RESTART"
if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; fi
exit 0
