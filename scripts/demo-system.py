#!/usr/bin/env python3
"""scripts/demo-system.py — the system half of `make demo`: boots the
Versatile PB under vemu-system-arm to the busybox shell of the test
initramfs, types a few commands at its serial console as a person would,
shows everything the console prints, and ends the machine with
`reboot -f` under -no-reboot (vemu then exits with status 0).

usage: demo-system.py EMULATOR KERNEL INITRD
"""
import os
import select
import subprocess
import sys
import time

MARKER = b"VEMU-INIT-READY"
COMMANDS = [
    "uname -a",
    "head -2 /proc/cpuinfo",
    "cat /proc/interrupts | head -4",
    "i=0; s=0; while [ $i -lt 2000 ]; do s=$((s + i)); i=$((i + 1)); done; echo sum=$s",
    "echo DEMO-DONE",
]


def main():
    emu, kernel, initrd = sys.argv[1:4]
    cmd = [emu, "-M", "versatilepb", "-m", "128M", "-kernel", kernel, "-initrd", initrd,
           "-append", "console=ttyAMA0 quiet", "-nographic", "-no-reboot"]
    print("    $ " + " ".join(c if " " not in c else "'%s'" % c for c in cmd), flush=True)
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = b""
    out = sys.stdout.buffer

    def pump(until, timeout):
        nonlocal seen
        end = time.monotonic() + timeout
        while until not in seen:
            left = end - time.monotonic()
            if left <= 0 or p.poll() is not None:
                return False
            r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if r:
                data = os.read(p.stdout.fileno(), 4096)
                if not data:
                    return False
                seen += data
                out.write(data.replace(b"\r\n", b"\n").replace(b"\x1b[6n", b""))
                out.flush()
        return True

    t0 = time.monotonic()
    if not pump(MARKER, 300):
        p.kill()
        print("\ndemo: the machine did not reach its shell", file=sys.stderr)
        return 1
    print("\n[booted to init in %.1f s]" % (time.monotonic() - t0), flush=True)
    time.sleep(0.5)
    for c in COMMANDS:
        p.stdin.write((c + "\n").encode())
        p.stdin.flush()
    seen = b""
    if not pump(b"DEMO-DONE\r\n", 120) and not pump(b"DEMO-DONE\n", 1):
        p.kill()
        print("\ndemo: the commands did not finish", file=sys.stderr)
        return 1
    p.stdin.write(b"reboot -f\n")
    p.stdin.flush()
    pump(b"\x00never", 60)
    try:
        rc = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = -1
    print("\n[vemu-system-arm exited with status %d]" % rc, flush=True)
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
