#!/usr/bin/env python3
"""bench/system/disk-bench.py — the disk row of `make bench`'s system group
(bench/system/system.sh): boots the Debian 12 armel image
(tests/system/make-debian-rootfs.sh) through the board's SCSI disk under one
emulator, logs in as root on the serial console, and times a file written
to the disk and read back:

    dd if=/dev/zero bs=1M count=N | tr '\\0' 'v' > /root/disk.bin   (through
    the page cache), sync, drop the page cache, md5sum /root/disk.bin

The guest works on a qcow2 overlay of the cached image made for this run
(the image itself is never written).

usage: disk-bench.py EMULATOR VEMU_IMG KERNEL_DIR IMAGE_DIR LOG SCALE TIMEOUT
(the overlay is made next to LOG and removed afterwards)

Prints one tab-separated line on stdout:
    disk  CPU_SECONDS  WALL_SECONDS  RESULT     (RESULT: the md5 and size)
or  disk  failed  -  REASON
CPU seconds are the emulator's user + system time over the interval (from
writing the command line to reading its end marker back; boot and login
excluded).  Nothing here judges a time."""
import importlib.util
import os
import subprocess
import sys

# guest-bench.py's Console and Failure (a dash in its name: loaded by path)
_spec = importlib.util.spec_from_file_location(
    "guest_bench", os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest-bench.py"))
gb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gb)

PROMPT = rb"root@vemu-debian:[^\r\n]*# "


def main():
    emu, img, kdir, imgdir, log, scale, timeout = sys.argv[1:8]
    scale, timeout = int(scale), float(timeout)
    mib = max(1, 64 * scale // 100)
    try:
        if "qemu" not in os.path.basename(emu):
            r = subprocess.run([emu, "-help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if b"-hda" not in r.stdout:
                raise gb.Failure("vemu-system-arm has no -hda yet (its SCSI adapter is not merged)")
        overlay = log + ".qcow2"
        if os.path.exists(overlay):
            os.unlink(overlay)
        r = subprocess.run([img, "create", "-q", "-f", "qcow2", "-b", os.path.join(imgdir, "debian.qcow2"),
                            "-F", "qcow2", overlay], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise gb.Failure("vemu-img create: " + r.stdout.decode(errors="replace").strip())
    except gb.Failure as e:
        print("disk\tfailed\t-\t%s" % e, flush=True)
        return
    argv = [emu, "-M", "versatilepb", "-kernel", os.path.join(kdir, "zImage"), "-hda", overlay,
            "-append", "root=/dev/sda1 console=ttyAMA0", "-m", "256", "-nographic", "-no-reboot"]
    if "qemu" in os.path.basename(emu):   # qemu has no tree of its own for the board
        argv += ["-dtb", os.path.join(kdir, "versatile-pb.dtb")]
    con = gb.Console(argv, log)
    try:
        con.expect(rb"vemu-debian login: ", timeout * 2, "boot to the login prompt")
        os.write(con.master, b"root\n")
        con.expect(rb"Password: ", timeout, "password prompt")
        os.write(con.master, b"root\n")
        con.expect(PROMPT, timeout, "shell prompt")
        os.write(con.master, b"dmesg -n 1; stty -echo cols 500\n")
        cmd = ("dd if=/dev/zero bs=1M count=%d 2>/dev/null | tr '\\0' v > /root/disk.bin && sync && "
               "echo 3 > /proc/sys/vm/drop_caches && md5sum < /root/disk.bin && stat -c %%s /root/disk.bin" % mib)
        out, cpu, wall = con.run(cmd, timeout)
        print("disk\t%.3f\t%.3f\t%s" % (cpu, wall, " ".join(out.replace("-", "").split())), flush=True)
    except (gb.Failure, OSError) as e:
        print("disk\tfailed\t-\t%s (console log %s)" % (" ".join(str(e).split())[:200], log), flush=True)
    finally:
        con.close()
        if os.path.exists(overlay):
            os.unlink(overlay)


main()
