#!/bin/bash
# tests/system-scsi/run.sh — the PCI bus, the LSI53C895A SCSI adapter and
# its disks and CD-ROM (softmmu/pci.c, hw-versatile/versatile-pci.c,
# hw-scsi/, softmmu/drive.c, softmmu/monitor-block.c) under a real guest:
# the 'disk' kernel (tests/system/fetch-kernel.sh disk: PCI_VERSATILE,
# SCSI_SYM53C8XX_2, sd, sr, ext4, ISO 9660) boots the busybox test
# initramfs, and busybox reads and writes /dev/sda, mounts /dev/sr0.
# The oracles are the images on the host (sizes, md5, bytes after the
# guest wrote, vemu-img/qemu-img check), Debian's genisoimage and mke2fs
# making the media, and qemu-system-arm reading the same disk.
#
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/tests/system-scsi
TESTS="probe size read write qcow2-overlay snapshot readonly cdrom eject-change info-block qmp info-qtree commit ext4
ext4-root errors qemu-read dd-speed"
EMU=$PWD/$BUILD/vemu-system-arm
IMG=$PWD/$BUILD/vemu-img

skip_all() {
    for t in $TESTS; do echo "SKIP: system-scsi/$t ($1)"; done
    exit 0
}
[ -x "$EMU" ] || skip_all "$EMU not built"
[ -x "$IMG" ] || skip_all "$IMG not built"
command -v python3 >/dev/null || skip_all "python3 not installed"
mkdir -p "$OUT" || exit 1
initrd=$(tests/system/make-initramfs.sh 2>"$OUT/initramfs.why") \
    || skip_all "initramfs: $(sed 's/^why: //' "$OUT/initramfs.why" | head -1)"
kdir=$(tests/system/fetch-kernel.sh disk 2>"$OUT/kernel.why") \
    || skip_all "kernel: $(sed 's/^why: //' "$OUT/kernel.why" | head -1)"
grep -q '^CONFIG_SCSI_SYM53C8XX_2=y' "$kdir/config" 2>/dev/null \
    || skip_all "the cached kernel has no SCSI_SYM53C8XX_2"

pass() { echo "PASS: system-scsi/$1"; }
fail() { echo "FAIL: system-scsi/$1 ($2)"; }
skip() { echo "SKIP: system-scsi/$1 ($2)"; }

# guest "OPTIONS" COMMAND...: outputs in $OUT/guest.out, console in guest.log
guest() {
    local opts=$1
    shift
    python3 tests/system-scsi/scsi-guest.py "$EMU" "$kdir" "${GUEST_INITRD-$initrd}" "$opts" "$@" \
        >"$OUT/guest.out" 2>"$OUT/guest.log"
}
answer() {
    awk -v n="$1" '/^=== /{on = ($2 == n); next} on' "$OUT/guest.out"
}
exited() { grep -q '^=== exit 0' "$OUT/guest.out"; }

# A 16 MiB image, byte i = (i * 7 + i / 512) & 0xff: every block differs.
python3 -c '
import sys
d = bytes((i * 7 + i // 512) & 0xff for i in range(16 << 20))
open(sys.argv[1], "wb").write(d)' "$OUT/pattern.raw" || skip_all "cannot make the image"
want_md5=$(md5sum <"$OUT/pattern.raw" | cut -d' ' -f1)
md5() { md5sum <"$1" | cut -d' ' -f1; }

READ='dd if=/dev/sda bs=64k 2>/dev/null | md5sum'
WRITE='echo VEMU-SCSI-WRITE | dd of=/dev/sda bs=512 seek=100 conv=sync 2>/dev/null &&
dd if=/dev/sda bs=512 skip=200 count=128 2>/dev/null | dd of=/dev/sda bs=512 seek=1000 2>/dev/null && sync && echo WROTE'
# check_written FILE(raw): the guest's writes are there, nothing else moved
check_written() {
    python3 - "$1" "$OUT/pattern.raw" <<'PY'
import sys
got = open(sys.argv[1], "rb").read()
orig = open(sys.argv[2], "rb").read()
want = bytearray(orig)
want[100 * 512:101 * 512] = b"VEMU-SCSI-WRITE\n".ljust(512, b"\0")
want[1000 * 512:1128 * 512] = orig[200 * 512:328 * 512]
if got != bytes(want):
    bad = [i // 512 for i in range(0, len(want), 512) if got[i:i + 512] != want[i:i + 512]]
    print("blocks differ: %s" % bad[:10])
    sys.exit(1)
PY
}

# ---- a raw disk: probe, size, read, write --------------------------------
cp "$OUT/pattern.raw" "$OUT/disk.raw"
if guest "-drive file=$OUT/disk.raw,format=raw,if=scsi" \
        "dmesg | grep -c 'sym0: <895a>'; cat /sys/block/sda/device/model" \
        "cat /sys/block/sda/size" "$READ" "$WRITE" && exited; then
    if answer 1 | head -1 | grep -q '^[1-9]' && answer 1 | grep -q 'VEMU HARDDISK'; then pass probe
    else fail probe "$(answer 1 | tr '\n' ' ')"; fi
    [ "$(answer 2)" = 32768 ] && pass size || fail size "sectors: $(answer 2)"
    answer 3 | grep -q "$want_md5" && pass read || fail read "guest md5 $(answer 3), host $want_md5"
    if answer 4 | grep -q WROTE && why=$(check_written "$OUT/disk.raw"); then pass write
    else fail write "${why:-$(answer 4)}"; fi
else
    for t in probe size read write; do fail $t "guest: $(tail -1 "$OUT/guest.log")"; done
fi

# ---- qcow2 overlay on a raw base: writes land in the overlay ----------------
cp "$OUT/pattern.raw" "$OUT/base.raw"
rm -f "$OUT/over.qcow2"
"$IMG" create -q -f qcow2 -b base.raw -F raw "$OUT/over.qcow2" >/dev/null
if guest "-hda $OUT/over.qcow2" "$READ" "$WRITE" && exited &&
        answer 1 | grep -q "$want_md5" && answer 2 | grep -q WROTE; then
    "$IMG" convert -O raw "$OUT/over.qcow2" "$OUT/over.raw"
    if [ "$(md5 "$OUT/base.raw")" != "$want_md5" ]; then fail qcow2-overlay "the base changed"
    elif ! why=$(check_written "$OUT/over.raw"); then fail qcow2-overlay "$why"
    elif ! "$IMG" check -q "$OUT/over.qcow2"; then fail qcow2-overlay "check found errors"
    else pass qcow2-overlay; fi
else
    fail qcow2-overlay "guest: $(answer 1) $(answer 2) $(tail -1 "$OUT/guest.log")"
fi

# ---- -snapshot: the guest sees its writes, the image stays -------------------
cp "$OUT/pattern.raw" "$OUT/snap.raw"
if guest "-drive file=$OUT/snap.raw,format=raw -snapshot" "$WRITE" \
        "dd if=/dev/sda bs=512 skip=100 count=1 2>/dev/null | head -c 15" && exited &&
        answer 1 | grep -q WROTE && answer 2 | grep -q VEMU-SCSI-WRITE &&
        [ "$(md5 "$OUT/snap.raw")" = "$want_md5" ]; then
    pass snapshot
else
    fail snapshot "$(answer 2) md5 $(md5 "$OUT/snap.raw")"
fi

# ---- readonly=on: the guest cannot write --------------------------------------
cp "$OUT/pattern.raw" "$OUT/ro.raw"
if guest "-drive file=$OUT/ro.raw,format=raw,readonly=on" \
        "echo X | dd of=/dev/sda bs=512 seek=5 conv=sync,fsync 2>&1; echo rc=\$?" "$READ" && exited &&
        answer 1 | grep -q 'rc=[1-9]' && answer 2 | grep -q "$want_md5" &&
        [ "$(md5 "$OUT/ro.raw")" = "$want_md5" ]; then
    pass readonly
else
    fail readonly "$(answer 1 | tr '\n' ' ')"
fi

# ---- a CD-ROM with an ISO 9660 image; eject and change from the monitor ---------
if command -v genisoimage >/dev/null; then
    rm -rf "$OUT/iso1" "$OUT/iso2"
    mkdir -p "$OUT/iso1" "$OUT/iso2"
    echo "first disc" >"$OUT/iso1/hello.txt"
    head -c 300000 "$OUT/pattern.raw" >"$OUT/iso1/big.bin"
    echo "second disc" >"$OUT/iso2/other.txt"
    genisoimage -quiet -R -o "$OUT/cd1.iso" "$OUT/iso1" && genisoimage -quiet -R -o "$OUT/cd2.iso" "$OUT/iso2"
    big_md5=$(md5 "$OUT/iso1/big.bin")
    if WAITDEV=/dev/sr0 guest "-cdrom $OUT/cd1.iso" \
            "mkdir -p /mnt; mount -t iso9660 -r /dev/sr0 /mnt && cat /mnt/hello.txt && md5sum /mnt/big.bin; umount /mnt" \
            "@hmp info block" "@hmp eject scsi0-cd2" \
            "dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>&1; echo rc=\$?" \
            "@hmp change scsi0-cd2 $OUT/cd2.iso" \
            "dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>/dev/null; mount -t iso9660 -r /dev/sr0 /mnt && cat /mnt/other.txt; umount /mnt" \
            "@hmp info block" "@qmp query-block" "@qmp eject {\"device\": \"scsi0-cd2\"}" "@hmp info block" \
            "@qmp blockdev-change-medium {\"device\": \"scsi0-cd2\", \"filename\": \"$OUT/cd1.iso\", \"format\": \"raw\"}" \
            "@qmp eject {\"device\": \"nope\"}" \
            "dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>/dev/null; mount -t iso9660 -r /dev/sr0 /mnt && cat /mnt/hello.txt; umount /mnt" \
            "@hmp info qtree" \
            && exited; then
        if answer 1 | grep -q 'first disc' && answer 1 | grep -q "$big_md5"; then pass cdrom
        else fail cdrom "$(answer 1 | tr '\n' ' ')"; fi
        if answer 4 | grep -q 'rc=[1-9]' && answer 6 | grep -q 'second disc' && answer 7 | grep -q 'cd2.iso'; then
            pass eject-change
        else
            fail eject-change "$(answer 3) / $(answer 4 | tr '\n' ' ') / $(answer 6 | tr '\n' ' ')"
        fi
        # qemu's layout: "scsi0-cd2 (#blockN): FILE (raw, read-only)", Attached to, Removable device
        if answer 2 | head -1 | grep -Eq '^scsi0-cd2 \(#block[0-9]+\): .*cd1\.iso \(raw, read-only\)$' &&
                answer 2 | grep -q '^    Removable device: not locked, tray closed$'; then
            pass info-block
        else
            fail info-block "$(answer 2 | tr '\n' '|')"
        fi
        if answer 8 | grep -q '"tray_open": false' && answer 8 | grep -q 'cd2.iso' &&
                answer 9 | grep -q '"return": {}' && answer 10 | grep -q '^scsi0-cd2: \[not inserted\]$' &&
                answer 10 | grep -q 'tray open' && answer 11 | grep -q '"return": {}' &&
                answer 12 | grep -q '"class": "DeviceNotFound"' && answer 13 | grep -q 'first disc'; then
            pass qmp
        else
            fail qmp "$(for i in 8 9 10 11 12 13; do answer $i | tr '\n' '|'; echo -n ' / '; done)"
        fi
        # the device tree: the board's devices, the bridge's PCI bus with the
        # adapter, its SCSI bus with the CD-ROM at id 2
        q=$(answer 14)
        if grep -q '^bus: main-system-bus$' <<<"$q" && grep -q '^  dev: pl011, id ""$' <<<"$q" &&
                grep -q '^    mmio 00000000101f1000/0000000000001000$' <<<"$q" &&
                grep -q '^  dev: versatile_pci' <<<"$q" && grep -q '^    bus: pci$' <<<"$q" &&
                grep -q '^      dev: lsi53c895a, id ""$' <<<"$q" &&
                grep -q 'class SCSI controller, addr 00:[0-9a-f][0-9a-f].0, pci id 1000:0012' <<<"$q" &&
                grep -q '^          dev: scsi-cd, id ""$' <<<"$q" && grep -q '^            drive = "scsi0-cd2"$' <<<"$q" &&
                grep -q '^            scsi-id = 2$' <<<"$q"; then
            pass info-qtree
        else
            fail info-qtree "$(echo "$q" | head -c 600 | tr '\n' '|')"
        fi
    else
        for t in cdrom eject-change info-block qmp info-qtree; do fail $t "guest: $(tail -1 "$OUT/guest.log")"; done
    fi
else
    for t in cdrom eject-change info-block qmp info-qtree; do skip $t "genisoimage not installed (scripts/setup-deps.sh)"; done
fi

# ---- commit: an overlay's writes go down into the base ----------------------------
cp "$OUT/pattern.raw" "$OUT/cbase.raw"
rm -f "$OUT/cover.qcow2"
"$IMG" create -q -f qcow2 -b cbase.raw -F raw "$OUT/cover.qcow2" >/dev/null
if guest "-drive file=$OUT/cover.qcow2,if=none,id=d0 -device scsi-hd,drive=d0" "$WRITE" "@hmp commit d0" \
        "$READ" && exited && answer 1 | grep -q WROTE && why=$(check_written "$OUT/cbase.raw"); then
    "$IMG" convert -O raw "$OUT/cover.qcow2" "$OUT/cover.raw"
    if check_written "$OUT/cover.raw" >/dev/null; then pass commit
    else fail commit "the overlay reads differently after the commit"; fi
else
    fail commit "${why:-$(answer 1) $(answer 2)}"
fi

# ---- an ext4 file system made on the host: mount it and run a script from it -------
if command -v mke2fs >/dev/null; then
    rm -rf "$OUT/ext4dir"
    mkdir -p "$OUT/ext4dir/bin"
    printf '#!/bin/sh\necho "ext4 says $((6 * 7))"\n' >"$OUT/ext4dir/bin/hello.sh"
    chmod 755 "$OUT/ext4dir/bin/hello.sh"
    rm -f "$OUT/ext4.img"
    if mke2fs -q -t ext4 -d "$OUT/ext4dir" "$OUT/ext4.img" 32M 2>"$OUT/mke2fs.log"; then
        if guest "-drive file=$OUT/ext4.img,format=raw" \
                "mkdir -p /mnt; mount -t ext4 /dev/sda /mnt && /mnt/bin/hello.sh && echo written >/mnt/new.txt; umount /mnt" &&
                exited && answer 1 | grep -q 'ext4 says 42' && e2fsck -fn "$OUT/ext4.img" >"$OUT/fsck.log" 2>&1 &&
                debugfs -R 'cat /new.txt' "$OUT/ext4.img" 2>/dev/null | grep -q written; then
            pass ext4
        else
            fail ext4 "$(answer 1 | tr '\n' ' ') $(tail -1 "$OUT/fsck.log" 2>/dev/null)"
        fi
    else
        skip ext4 "mke2fs -d failed: $(head -1 "$OUT/mke2fs.log")"
    fi
else
    skip ext4 "mke2fs not installed"
fi

# ---- the initramfs's tree as an ext4 root file system on -hda (qcow2 over raw):
# the kernel mounts /dev/sda as / and runs its /init
if command -v mke2fs >/dev/null; then
    rm -rf "$OUT/rootdir" "$OUT/root.img" "$OUT/root.qcow2"
    if python3 tests/system-scsi/uncpio.py "$initrd" "$OUT/rootdir" &&
            mke2fs -q -t ext4 -d "$OUT/rootdir" "$OUT/root.img" 32M 2>"$OUT/mke2fs.log" &&
            "$IMG" create -q -f qcow2 -b root.img -F raw "$OUT/root.qcow2" >/dev/null; then
        if GUEST_INITRD="" WAITDEV="" APPEND="console=ttyAMA0 quiet root=/dev/sda rw rootfstype=ext4 rootwait init=/init" \
                guest "-hda $OUT/root.qcow2" "mount | grep ' / '; echo on-the-root >/written.txt; sync; cat /written.txt" &&
                exited && answer 1 | grep -q '^/dev/root on / type ext4' && answer 1 | grep -q on-the-root; then
            "$IMG" convert -O raw "$OUT/root.qcow2" "$OUT/root-after.img"
            if e2fsck -fn "$OUT/root-after.img" >"$OUT/fsck.log" 2>&1 &&
                    debugfs -R 'cat /written.txt' "$OUT/root-after.img" 2>/dev/null | grep -q on-the-root &&
                    ! debugfs -R 'cat /written.txt' "$OUT/root.img" 2>/dev/null | grep -q on-the-root; then
                pass ext4-root
            else
                fail ext4-root "the overlay's file system: $(tail -1 "$OUT/fsck.log")"
            fi
        else
            fail ext4-root "$(answer 1 | tr '\n' ' ') $(grep -m1 -i 'panic\|VFS' "$OUT/guest.log")"
        fi
    else
        skip ext4-root "cannot make the root image: $(head -1 "$OUT/mke2fs.log")"
    fi
else
    skip ext4-root "mke2fs not installed"
fi

# ---- errors, as qemu words them --------------------------------------------------
errs() { "$EMU" -M versatilepb -kernel "$kdir/zImage" -nographic "$@" </dev/null 2>&1 | head -3; }
bad=""
errs -hda "$OUT/nope.img" | grep -q "Could not open '$OUT/nope.img': No such file or directory" || bad="$bad missing"
errs -drive "file=$OUT/disk.raw,format=qcow2" | grep -qi "not in qcow2 format\|qcow2" || bad="$bad format"
errs -device scsi-hd,drive=nope | grep -q "can't find value 'nope'" || bad="$bad unknown-id"
errs -drive "file=$OUT/disk.raw,format=raw,id=d1" -device scsi-hd,drive=d1 | grep -q "already in use" || bad="$bad in-use"
errs -drive "file=$OUT/disk.raw,format=raw,if=none,id=d2" -device scsi-hd,drive=d2 -device scsi-hd,drive=d2 |
    grep -q "already in use" || bad="$bad twice"
errs -drive "file=$OUT/disk.raw,bogus=1" | grep -q "Invalid parameter 'bogus'" || bad="$bad param"
[ -z "$bad" ] && pass errors || fail errors "$bad"

# ---- the oracle: qemu-system-arm reads the image the guest wrote the same -----------
# (both with the kernel's own versatile-pb.dtb: qemu makes no device tree)
export DTB=$kdir/versatile-pb.dtb
if command -v qemu-system-arm >/dev/null; then
    if guest "-drive file=$OUT/disk.raw,format=raw" "$READ" && exited; then
        ours=$(answer 1 | cut -d' ' -f1)
        if EMU=qemu-system-arm python3 tests/system-scsi/scsi-guest.py qemu-system-arm "$kdir" "$initrd" \
                "-drive file=$OUT/disk.raw,format=raw" "$READ" >"$OUT/qemu.out" 2>"$OUT/qemu.log"; then
            theirs=$(awk '/^=== 1/{on=1;next} /^===/{on=0} on' "$OUT/qemu.out" | cut -d' ' -f1)
            host=$(md5 "$OUT/disk.raw")
            [ "$ours" = "$theirs" ] && [ "$ours" = "$host" ] && pass qemu-read ||
                fail qemu-read "vemu $ours, qemu $theirs, host $host"
        else
            skip qemu-read "qemu-system-arm did not boot the disk kernel: $(tail -1 "$OUT/qemu.log")"
        fi
    else
        fail qemu-read "guest: $(tail -1 "$OUT/guest.log")"
    fi
else
    skip qemu-read "qemu-system-arm not installed"
fi
unset DTB

# ---- throughput, reported (not asserted): dd of 16 MiB in and out, vemu and qemu -----
SPEED=("sh -c 'time dd if=/dev/sda of=/dev/null bs=64k' 2>&1 | grep real"
       "sh -c 'time dd if=/dev/zero of=/dev/sda bs=64k count=256 conv=fsync' 2>&1 | grep real")
cp "$OUT/pattern.raw" "$OUT/speed.raw"
if guest "-drive file=$OUT/speed.raw,format=raw" "${SPEED[@]}" && exited; then
    echo "# vemu dd read:  $(answer 1 | tr '\n' ' ')"
    echo "# vemu dd write: $(answer 2 | tr '\n' ' ')"
    pass dd-speed
else
    fail dd-speed "guest: $(tail -1 "$OUT/guest.log")"
fi
if command -v qemu-system-arm >/dev/null &&
        DTB=$kdir/versatile-pb.dtb python3 tests/system-scsi/scsi-guest.py qemu-system-arm "$kdir" "$initrd" \
        "-drive file=$OUT/speed.raw,format=raw" "${SPEED[@]}" >"$OUT/qemu.out" 2>"$OUT/qemu.log"; then
    echo "# qemu dd read:  $(awk '/^=== 1/{on=1;next} /^===/{on=0} on' "$OUT/qemu.out" | tr '\n' ' ')"
    echo "# qemu dd write: $(awk '/^=== 2/{on=1;next} /^===/{on=0} on' "$OUT/qemu.out" | tr '\n' ' ')"
fi
