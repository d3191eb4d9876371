#!/usr/bin/env python3
"""tests/system/console.py — boots a Versatile PB kernel under an emulator
(vemu-system-arm, or qemu-system-arm as the oracle) with its serial console
on a pseudo-terminal, and runs the system tests through it, like a person
at the console would: wait for init's marker, type commands, read what
they print.

usage: console.py SESSION EMULATOR FIXTURES_JSON [BOOT_IMAGE]

With BOOT_IMAGE (tests/system/boot-image.c), EMULATOR is qemu-system-arm
and the kernel, initrd and device tree are placed in its RAM by vemu's boot
loader instead of QEMU's: QEMU starts in vemu's boot stub.

Prints one PASS:/FAIL:/SKIP: line per test, named system/SESSION/TEST.
A session stops at its first failure (the rest of its tests are FAILs with
"not run: ..."), since a wedged guest says nothing about the later tests.
Nothing is timed: timeouts only catch hangs, and are generous
(VEMU_SYSTEM_TIMEOUT, default 300 s to the marker).
"""
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
import tty

MARKER = b"VEMU-INIT-READY"
BOOT_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))
CMD_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_CMD_TIMEOUT", "120"))
# quiet: kernel messages below warnings (a late driver's "input: ..." line)
# would interleave with the commands' output on the same console
APPEND = "console=ttyAMA0 quiet vemu.test=1"


class Failure(Exception):
    pass


class Guest:
    def __init__(self, argv, log_path):
        self.argv = argv
        self.log = open(log_path, "wb")
        self.log.write(("$ " + " ".join(argv) + "\n").encode())
        master, slave = pty.openpty()
        tty.setraw(slave)   # no newline translation of our own on top of the guest's
        self.master = master
        self.stderr_path = log_path + ".stderr"
        env = dict(os.environ, QEMU_AUDIO_DRV="none")   # qemu: no sound card noise
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, env=env,
                                     stderr=open(self.stderr_path, "wb"),
                                     start_new_session=True)
        os.close(slave)
        self.buf = b""
        self.eof = False

    def _read(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.master], [], [], min(left, 1.0))
        if r:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            if not data:
                self.eof = True
                return False
            self.log.write(data)
            self.log.flush()
            self.buf += data
        return True

    def expect(self, pattern, timeout, what):
        """Wait for pattern (bytes regex) in the output; return the match
        and drop the output up to its end."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            if self.eof or self.proc.poll() is not None:
                # drain what is left
                while self._read(time.monotonic() + 0.2):
                    pass
                m = rx.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                    return m
                raise Failure("%s: the emulator exited (status %s) first%s" %
                              (what, self.proc.poll(), self.stderr_tail()))
            if not self._read(deadline) and time.monotonic() >= deadline:
                raise Failure("%s: nothing after %d s; last output: %r" %
                              (what, timeout, self.buf[-160:]))

    def send(self, data):
        os.write(self.master, data)

    def run(self, cmd, timeout=CMD_TIMEOUT):
        """Run a shell command in the guest; return (output, status).  The
        markers are split in the typed line so the terminal's echo of it
        does not match."""
        self.buf = b""
        self.send(('echo "@@S""TART"; %s; echo "@@E""ND $?"\n' % cmd).encode())
        self.expect(rb"@@START\r*\n", timeout, "start of '%s'" % cmd)
        m = self.expect(rb"(.*?)@@END (\d+)\r*\n", timeout, "end of '%s'" % cmd)
        out = m.group(1).decode(errors="replace").replace("\r", "")
        return out, int(m.group(2))

    def wait_exit(self, timeout, what):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(min(deadline, time.monotonic() + 0.5))
        if self.proc.poll() is None:
            raise Failure("%s: the emulator is still running after %d s" % (what, timeout))
        return self.proc.returncode

    def stderr_tail(self):
        try:
            with open(self.stderr_path, "rb") as f:
                t = f.read()[-300:].decode(errors="replace").strip()
            return "; stderr: " + t if t else ""
        except OSError:
            return ""

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
        os.close(self.master)
        self.log.close()


# ---- the tests ----------------------------------------------------------------

def t_boot(g, s):
    m = g.expect(MARKER + rb" (\S+) (\S+)", BOOT_TIMEOUT, "boot to the init marker")
    s["uname"] = m.group(1).decode()
    # the shell's prompt
    g.expect(rb"[#$] ", CMD_TIMEOUT, "shell prompt")


def t_cmdline(g, s):
    out, st = g.run("cat /proc/cmdline")
    if APPEND not in out:
        raise Failure("/proc/cmdline is %r, not the -append %r" % (out.strip(), APPEND))


def t_proc_sys(g, s):
    out, st = g.run("grep -E '^(proc /proc proc|sysfs /sys sysfs) ' /proc/mounts | wc -l")
    lines = out.strip().splitlines()
    if not lines or lines[-1].strip() != "2":
        raise Failure("init's proc and sysfs mounts not in /proc/mounts: %r" % out)
    out, st = g.run("mount -t proc proc /mnt && test -r /mnt/self/status && umount /mnt "
                    "&& mount -t sysfs sysfs /mnt && test -d /mnt/class/tty && umount /mnt && echo MOUNTED")
    if st != 0 or "MOUNTED" not in out:
        raise Failure("mounting proc and sysfs again failed (status %d): %r" % (st, out[-200:]))


def t_cpuinfo(g, s):
    out, st = g.run("cat /proc/cpuinfo")
    want = s["cpuinfo"]
    for w in want:
        if not re.search(w, out):
            raise Failure("/proc/cpuinfo lacks %r: %r" % (w, out[:300]))


def t_interrupts(g, s):
    """The timer and the console UART have taken interrupts."""
    out, st = g.run("cat /proc/interrupts")
    counts = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0].endswith(":") and f[1].isdigit():
            counts[" ".join(f[2:])] = int(f[1])
    timer = [n for k, n in counts.items() if "timer" in k.lower() or "sp804" in k.lower()]
    uart = [n for k, n in counts.items() if "uart-pl011" in k or "ttyAMA" in k]
    if not timer or max(timer) == 0:
        raise Failure("no timer interrupts in /proc/interrupts: %r" % out[:400])
    if not uart or max(uart) == 0:
        raise Failure("no PL011 interrupts in /proc/interrupts: %r" % out[:400])


def t_devices(g, s):
    """The devices Linux probes on the board answer as real ones do: the
    kernel log has none of the timeouts of drivers waiting for hardware
    that never answers (CLCD vblank, PS/2 reset), the keyboard and mouse
    behind the KMIs are found, the DS1338 on the I2C bus is a clock, the
    NOR flash is an MTD device and,
    with the kernel's own tree, the CLCD is a frame buffer whose frame
    interrupts arrive."""
    out, st = g.run("dmesg")
    for bad in ("flip_done timed out", "vblank wait timed out", "commit wait timed out",
                "keyboard reset failed", "Failed to enable mouse"):
        if bad in out:
            line = [l for l in out.splitlines() if bad in l][0]
            raise Failure("the kernel log has %r" % line.strip())
    if not re.search(r"rtc-ds1307 0-0068: registered as rtc\d", out):
        raise Failure("no DS1338 clock on the I2C bus in the kernel log")
    # psmouse may finish probing after init started: give it a few seconds
    out, st = g.run("for i in 1 2 3 4 5 6 7 8 9 10; do grep -q Mouse /proc/bus/input/devices && break; "
                    "sleep 1; done; cat /proc/bus/input/devices")
    if "AT Raw Set 2 keyboard" not in out:
        raise Failure("no PS/2 keyboard in /proc/bus/input/devices: %r" % out[:400])
    if not re.search(r"PS/2 .*Mouse", out):
        raise Failure("no PS/2 mouse in /proc/bus/input/devices: %r" % out[:400])
    out, st = g.run("cat /proc/mtd")
    if not re.search(r'mtd\d+: 04000000 00040000 "34000000\.flash"', out):
        raise Failure("no 64 MiB CFI flash in 256 KiB blocks in /proc/mtd: %r" % out)
    out, st = g.run("cat /proc/interrupts")
    if out.count("kmi-pl050") != 2:
        raise Failure("the two KMIs are not in /proc/interrupts: %r" % out[:600])
    if s.get("clcd"):
        clcd = [l for l in out.splitlines() if "PL11" in l or "clcd" in l.lower()]
        if not clcd or int(clcd[0].split()[1]) == 0:
            raise Failure("no CLCD frame interrupts in /proc/interrupts: %r" % out[:600])
        out, st = g.run("cat /proc/fb")
        if "pl111drmfb" not in out:
            raise Failure("no CLCD frame buffer in /proc/fb: %r" % out)


def t_sleep(g, s):
    """sleep 1 sleeps: at least ~1 s of guest uptime and of host time pass
    (the upper bound only catches a clock running wild)."""
    t0 = time.monotonic()
    out, st = g.run("cat /proc/uptime; sleep 1; cat /proc/uptime")
    host = time.monotonic() - t0
    up = [float(l.split()[0]) for l in out.splitlines() if re.match(r"^\d+\.\d+ ", l)]
    if len(up) != 2:
        raise Failure("cannot read /proc/uptime: %r" % out)
    guest = up[1] - up[0]
    if not (0.95 <= guest < 30):
        raise Failure("sleep 1 took %.2f s of guest uptime" % guest)
    if host < 0.9:
        raise Failure("sleep 1 took %.2f s of host time" % host)


def t_date(g, s):
    """The date the kernel read from the RTC at boot, kept since by the
    timers, is the host's (within two minutes: boot time and the RTC's
    one-second resolution)."""
    out, st = g.run("date +%s")
    try:
        guest = int(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise Failure("date +%%s printed %r" % out)
    host = time.time()
    if abs(guest - host) > 120:
        raise Failure("guest date %d is %+d s from the host's" % (guest, guest - host))


def t_segv(g, s):
    out, st = g.run("/bin/segv")
    if st != 139:
        raise Failure("/bin/segv ended with status %d, not 139 (SIGSEGV): %r" % (st, out[-200:]))
    out, st = g.run("echo ALIVE; cat /proc/loadavg >/dev/null && echo KERNEL-OK")
    if "KERNEL-OK" not in out:
        raise Failure("the guest did not survive the segfault: %r" % out)


def t_loop(g, s):
    out, st = g.run("i=0; s=0; while [ $i -lt 3000 ]; do i=$((i+1)); s=$((s+i)); done; echo LOOP $i $s")
    if "LOOP 3000 4501500" not in out:
        raise Failure("the shell loop printed %r" % out[-200:])


def t_reboot(g, s):
    g.send(b"reboot -f\n")
    st = g.wait_exit(CMD_TIMEOUT, "reboot -f with -no-reboot")
    if st != 0:
        raise Failure("exit status %d after the guest's reboot under -no-reboot%s" % (st, g.stderr_tail()))


def t_quit(g, s):
    g.send(b"\x01x")
    st = g.wait_exit(CMD_TIMEOUT, "C-a x")
    if st != 0:
        raise Failure("exit status %d after C-a x%s" % (st, g.stderr_tail()))


def t_probe(g, s):
    """The boot protocol: registers and the parameters' first words."""
    m = g.expect(rb"PROBE r0=(\w+) r1=(\w+) p0=(\w+) p1=(\w+) PROBE-END", BOOT_TIMEOUT, "the probe's line")
    got = tuple(x.decode() for x in m.groups())
    want = s["probe"]
    for name, w, v in zip(("r0", "r1", "*r2", "*(r2+4)"), want, got):
        if w is not None and w != v:
            raise Failure("%s = %s, expected %s (all: %s)" % (name, v, w, " ".join(got)))


def t_probe_exit(g, s):
    st = g.wait_exit(CMD_TIMEOUT, "the probe's reset under -no-reboot")
    if st != 0:
        raise Failure("exit status %d after the probe's reset under -no-reboot%s" % (st, g.stderr_tail()))


DTB_MAGIC = "edfe0dd0"     # 0xd00dfeed, big-endian, read as a little-endian word
SESSIONS = {
    # name: kernel (variant, file), -dtb, -cpu, -M properties, tests
    "probe-elf": dict(kernel=("probe", "probe.elf"), tests=[t_probe, t_probe_exit],
                      probe=("00000000", "00000183", DTB_MAGIC, None)),
    "probe-atags": dict(kernel=("probe", "probe.bin"), props="atags=on", tests=[t_probe, t_probe_exit],
                        probe=("00000000", "00000183", "00000005", "54410001")),
    "dtb": dict(kernel=("v5", "zImage"), dtb=True,
                tests=[t_boot, t_cmdline, t_proc_sys, t_cpuinfo, t_interrupts, t_devices, t_sleep, t_date, t_segv,
                       t_loop, t_reboot]),
    "nodtb": dict(kernel=("v5", "zImage"), tests=[t_boot, t_cmdline, t_cpuinfo, t_interrupts, t_devices, t_quit]),
    "atags": dict(kernel=("v5", "zImage-dtb"), tests=[t_boot, t_cmdline, t_interrupts, t_quit]),
    # the uncompressed kernel, as an Image and as the vmlinux ELF (vemu's
    # loader only: qemu's runs neither as Linux)
    "image": dict(kernel=("v5", "Image"), dtb=True, loader="vemu", tests=[t_boot, t_cmdline, t_quit]),
    "vmlinux": dict(kernel=("v5", "vmlinux"), loader="vemu", tests=[t_boot, t_cmdline, t_quit]),
    "arm1176": dict(kernel=("v6", "zImage"), dtb=True, cpu="arm1176",
                    tests=[t_boot, t_cmdline, t_cpuinfo, t_interrupts, t_segv, t_loop, t_reboot]),
}


def main():
    name, emu, fixtures = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    boot_image = sys.argv[4] if len(sys.argv) > 4 else None
    sess = SESSIONS[name]
    variant, kfile = sess["kernel"]
    with_dtb, cpu, props, tests = sess.get("dtb"), sess.get("cpu"), sess.get("props"), sess["tests"]
    names = ["system/%s/%s" % (name, t.__name__[2:].replace("_", "-")) for t in tests]
    kdir = fixtures.get(variant)
    if not kdir or kdir.startswith("why:"):
        for n in names:
            print("SKIP: %s (%s kernel: %s)" % (n, variant, (kdir or "why: not built")[5:]))
        return
    is_qemu = "qemu" in os.path.basename(emu)
    if is_qemu and not boot_image and (variant == "probe" or sess.get("loader") == "vemu"):
        for n in names:
            print("SKIP: %s (tests vemu's boot layout; qemu's own loader lays out RAM its way)" % n)
        return
    if is_qemu and not boot_image and not with_dtb and kfile == "zImage":
        for n in names:
            print("SKIP: %s (qemu-system-arm passes ATAGs without -dtb; a DT-only kernel "
                  "cannot boot that way)" % n)
        return
    boot = ["-kernel", os.path.join(kdir, kfile), "-append", APPEND]
    if variant != "probe":
        boot += ["-initrd", fixtures["initrd"]]
    if with_dtb:
        boot += ["-dtb", os.path.join(kdir, "versatile-pb.dtb")]
    machine = "versatilepb" + ("," + props if props else "")
    logdir = fixtures["logdir"]
    if boot_image:
        outdir = os.path.join(logdir, "vemuboot-" + name)
        os.makedirs(outdir, exist_ok=True)
        r = subprocess.run([boot_image, outdir, "-m", "128", "-M", machine] + boot,
                           capture_output=True, text=True)
        if r.returncode != 0:
            for n in names:
                print("FAIL: %s (boot-image: %s)" % (n, r.stderr.strip()))
            return
        boot = r.stdout.split("\n")[:-1]
        machine = "versatilepb"
    argv = [emu, "-M", machine, "-m", "128M"] + boot + ["-nographic", "-no-reboot"]
    if cpu:
        argv += ["-cpu", cpu]
    state = {"cpuinfo": [r"ARMv?6|\(v6l\)", r"ARM1176|b76"] if cpu == "arm1176"
             else [r"ARM926EJ-S", r"\(v5l\)"],
             "probe": sess.get("probe"), "clcd": with_dtb}
    tag = os.path.basename(emu) + ("-vemuboot" if boot_image else "")
    g = Guest(argv, os.path.join(logdir, "%s-%s.log" % (tag, name)))
    failed = None
    try:
        for t, n in zip(tests, names):
            if failed:
                print("FAIL: %s (not run: %s failed)" % (n, failed))
                continue
            try:
                t(g, state)
                print("PASS: %s" % n)
            except Failure as e:
                print("FAIL: %s (%s; console log %s)" % (n, e, g.log.name))
                failed = n
            sys.stdout.flush()
    finally:
        g.close()


if __name__ == "__main__":   # tests/system-debian/debian.py imports Guest
    main()
