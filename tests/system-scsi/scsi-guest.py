#!/usr/bin/env python3
"""tests/system-scsi/scsi-guest.py — boots a Versatile PB kernel with the
given drive options, runs shell commands in its initramfs over the serial
console, and monitor commands on an HMP socket, then reboots the guest so
the emulator exits (-no-reboot) and closes its images.

usage: scsi-guest.py EMULATOR KERNEL_DIR INITRD "OPTIONS" COMMAND...
(INITRD "": none, e.g. to boot a root file system on a disk, with APPEND
giving the command line)
A COMMAND starting with "@hmp " goes to the monitor (-monitor unix:...),
"@qmp NAME [JSON-ARGUMENTS]" to QMP (-qmp unix:..., the reply printed as
one JSON line); the others to the guest's shell.  Each command's output is printed
between "=== N" lines; exit status 0 when all ran, 2 on a timeout (the
console transcript goes to stderr).  WAITDEV (default /dev/sda) is the
block device waited for before the first command ("" : none).
Nothing is timed: the timeouts only catch a hung guest."""
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

BOOT_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))
CMD_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_CMD_TIMEOUT", "120"))


def main():
    emu, kdir, initrd, opts = sys.argv[1:5]
    commands = sys.argv[5:]
    waitdev = os.environ.get("WAITDEV", "/dev/sda")
    tmp = tempfile.mkdtemp(prefix="vemu-scsi-")
    mon_path = os.path.join(tmp, "mon")
    qmp_path = os.path.join(tmp, "qmp")
    args = [emu, "-M", "versatilepb", "-m", "128M", "-kernel", os.path.join(kdir, "zImage")]
    if initrd:
        args += ["-initrd", initrd]
    args += ["-append", os.environ.get("APPEND", "console=ttyAMA0 quiet"),
            "-nographic", "-no-reboot", "-monitor", "unix:%s,server,nowait" % mon_path,
            "-qmp", "unix:%s,server,nowait" % qmp_path]
    if os.environ.get("DTB"):
        args += ["-dtb", os.environ["DTB"]]
    args += [a for a in opts.split(" ") if a]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    buf = b""
    mon = None
    qmp = None
    qmp_buf = b""

    def qmp_reply():
        nonlocal qmp_buf
        while True:
            while b"\n" not in qmp_buf:
                data = qmp.recv(4096)
                if not data:
                    return {}
                qmp_buf += data
            line, qmp_buf = qmp_buf.split(b"\n", 1)
            msg = json.loads(line)
            if "return" in msg or "error" in msg or "QMP" in msg:
                return msg

    def qmp_cmd(text):
        nonlocal qmp
        if qmp is None:
            qmp = socket.socket(socket.AF_UNIX)
            qmp.connect(qmp_path)
            qmp.settimeout(CMD_TIMEOUT)
            qmp_reply()
            qmp.sendall(b'{"execute": "qmp_capabilities"}\n')
            qmp_reply()
        name, _, args = text.partition(" ")
        cmd = {"execute": name}
        if args.strip():
            cmd["arguments"] = json.loads(args)
        qmp.sendall(json.dumps(cmd).encode() + b"\n")
        return json.dumps(qmp_reply(), sort_keys=True)

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

    def hmp(cmd):
        nonlocal mon
        if mon is None:
            mon = socket.socket(socket.AF_UNIX)
            mon.connect(mon_path)
            mon.settimeout(CMD_TIMEOUT)
            got = b""
            while b"(qemu) " not in got and b"(vemu) " not in got:
                got += mon.recv(4096)
        mon.sendall(cmd.encode() + b"\n")
        got = b""
        while not (got.endswith(b"(qemu) ") or got.endswith(b"(vemu) ")):
            data = mon.recv(4096)
            if not data:
                break
            got += data
        text = got.decode("latin-1").replace("\r", "")
        text = text.rsplit("(qemu) ", 1)[0].rsplit("(vemu) ", 1)[0]
        lines = text.split("\n")
        if lines and cmd.strip() in lines[0]:
            lines = lines[1:]
        # the monitor echoes with escape sequences: drop what is not text
        return "\n".join(l for l in lines if "\x1b" not in l)

    if not wait_for(b"VEMU-INIT-READY", BOOT_TIMEOUT):
        fail("no VEMU-INIT-READY")
    pre = []
    if waitdev:
        pre = ["i=0; while [ ! -b %s ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done" % waitdev]
    for n, cmd in enumerate(pre + commands):
        n += 1 - len(pre)
        if cmd.startswith("@qmp "):
            print("=== %d" % n)
            print(qmp_cmd(cmd[5:]))
            continue
        if cmd.startswith("@hmp "):
            print("=== %d" % n)
            sys.stdout.write(hmp(cmd[5:]).strip("\n") + "\n")
            continue
        buf = b""
        line = "echo G-BEGIN-$((%d+1000)); %s; echo; echo G-DONE-$((%d+1000))\n" % (n, cmd, n)
        p.stdin.write(line.encode())
        p.stdin.flush()
        marker = b"G-DONE-%d" % (n + 1000)
        if not wait_for(marker, CMD_TIMEOUT):
            fail("timeout in: %s" % cmd)
        out = buf.decode("latin-1").replace("\r", "")
        begin = "G-BEGIN-%d\n" % (n + 1000)
        body = out[out.index(begin) + len(begin):out.index("G-DONE-%d" % (n + 1000))]
        if n > 0:
            print("=== %d" % n)
            sys.stdout.write(body.strip("\n") + "\n")
    p.stdin.write(b"sync; reboot -f\n")
    p.stdin.flush()
    try:
        p.wait(timeout=CMD_TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("the emulator did not exit after reboot -f")
    sys.stderr.write(buf.decode("latin-1"))
    print("=== exit %d" % p.returncode)


if __name__ == "__main__":
    main()
