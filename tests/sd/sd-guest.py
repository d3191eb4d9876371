#!/usr/bin/env python3
"""tests/sd/sd-guest.py — boots the cached Versatile PB kernel with an SD
card image and runs shell commands in its initramfs over the serial
console (stdin/stdout of the emulator), then reboots the guest so the
emulator exits (-no-reboot) and closes the image.

usage: sd-guest.py EMULATOR KERNEL_DIR INITRD DRIVE_OPTION COMMAND...
Prints each command's output between "=== N" lines; exit status 0 when
every command ran, 2 on a timeout (the console transcript goes to stderr).
Nothing is timed: the timeouts only catch a hung guest."""
import os
import select
import subprocess
import sys
import time

BOOT_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))
CMD_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_CMD_TIMEOUT", "120"))


def main():
    emu, kdir, initrd, drive = sys.argv[1:5]
    commands = sys.argv[5:]
    args = [emu, "-M", "versatilepb", "-m", "128M", "-kernel", os.path.join(kdir, "zImage"),
            "-dtb", os.path.join(kdir, "versatile-pb.dtb"), "-initrd", initrd,
            "-append", "console=ttyAMA0 quiet", "-nographic", "-no-reboot"] + drive.split(" ")
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    buf = b""

    def wait_for(marker, timeout):
        nonlocal buf
        end = time.monotonic() + timeout
        while marker not in buf:
            left = end - time.monotonic()
            if left <= 0 or p.poll() is not None:
                return False
            r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if r:
                data = os.read(p.stdout.fileno(), 65536)
                if not data:
                    return False
                buf += data
        return True

    def fail(why):
        sys.stderr.write(buf.decode("latin-1"))
        sys.stderr.write("\n%s\n" % why)
        p.kill()
        p.wait()
        sys.exit(2)

    if not wait_for(b"VEMU-INIT-READY", BOOT_TIMEOUT):
        fail("no VEMU-INIT-READY")
    # the card is found by a work queue after the driver probes: wait for it
    for n, cmd in enumerate(["i=0; while [ ! -b /dev/mmcblk0 ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done"]
                            + commands):
        buf = b""
        # the markers are computed by the shell, so the echoed line lacks them
        line = "echo SD-BEGIN-$((%d+1000)); %s; echo; echo SD-DONE-$((%d+1000))\n" % (n, cmd, n)
        p.stdin.write(line.encode())
        p.stdin.flush()
        marker = b"SD-DONE-%d" % (n + 1000)
        if not wait_for(marker, CMD_TIMEOUT):
            fail("timeout in: %s" % cmd)
        out = buf.decode("latin-1").replace("\r", "")
        begin = "SD-BEGIN-%d\n" % (n + 1000)
        body = out[out.index(begin) + len(begin):out.index("SD-DONE-%d" % (n + 1000))]
        if n > 0:
            print("=== %d" % n)
            sys.stdout.write(body.strip("\n") + "\n")
    p.stdin.write(b"sync; reboot -f\n")
    p.stdin.flush()
    try:
        p.wait(timeout=CMD_TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("the emulator did not exit after reboot -f")
    print("=== exit %d" % p.returncode)


if __name__ == "__main__":
    main()
