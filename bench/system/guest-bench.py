#!/usr/bin/env python3
"""bench/system/guest-bench.py — one boot of the `system` group of `make bench`
(bench/system/system.sh): boots Linux on the Versatile PB under one emulator
(vemu-system-arm or qemu-system-arm) with the serial console on a
pseudo-terminal, waits for the initramfs's init marker, then types the
workloads at the busybox shell one after the other and times each.

usage: guest-bench.py EMULATOR KERNEL_DIR INITRD LOG SCALE TIMEOUT

Prints one line per row on stdout, tab-separated:
    ROW  CPU_SECONDS  WALL_SECONDS  RESULT
or  ROW  failed  -  REASON
CPU seconds are the emulator process's user + system time (all its
threads, /proc/PID/stat) over the interval; wall seconds are host
monotonic time.  The boot row counts from just before the process starts
to the marker; a workload's row from the moment its command line is
written to the console until its end marker is read back (the shell's echo
of one short line is all that is added to the work).  RESULT is what the
command printed (a checksum, a number): the caller compares the emulators.
Nothing here judges a time.
"""
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
TICK = os.sysconf("SC_CLK_TCK")


def workloads(scale):
    """(row, setup command or None, timed command).  Setups are untimed."""
    # sized for the slower emulator to take some 10-20 s per row
    md5_bytes = 4 * 1024 * 1024 * scale // 100
    # gzip's input: copies of the static busybox binary (1.8 MB each; real
    # code and data, no generation cost: busybox seq, in doubles, is slow)
    copies = max(1, round(2 * scale / 100))
    awk_n = 60000 * scale // 100            # busybox awk: soft-float doubles (armel)
    return [
        ("md5sum", None, "head -c %d /dev/zero | md5sum" % md5_bytes),
        ("gzip", "cat" + " /bin/busybox" * copies + " >/tmp/data", "gzip -6 -c /tmp/data | md5sum"),
        ("awk", None, "awk 'BEGIN { for (i = 0; i < %d; i++) s += i %% 7 * i; print s }'" % awk_n),
    ]


class Failure(Exception):
    pass


class Console:
    def __init__(self, argv, log_path):
        self.log = open(log_path, "wb")
        self.log.write(("$ " + " ".join(argv) + "\n").encode())
        master, slave = pty.openpty()
        tty.setraw(slave)
        self.master = master
        self.buf = b""
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                     stderr=open(log_path + ".stderr", "wb"),
                                     env=dict(os.environ, QEMU_AUDIO_DRV="none"),
                                     start_new_session=True)
        os.close(slave)

    def cpu(self):
        """user + system seconds of the emulator so far (every thread)."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # after the command name: state is field 3, utime 14, stime 15
        return (int(fields[11]) + int(fields[12])) / TICK

    def expect(self, pattern, timeout, what):
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            if self.proc.poll() is not None:
                raise Failure("%s: the emulator exited (status %s)" % (what, self.proc.returncode))
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("%s: nothing after %d s" % (what, timeout))
            r, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise Failure("%s: the console closed" % what)
                self.log.write(data)
                self.log.flush()
                self.buf += data

    def run(self, cmd, timeout):
        """Type cmd; return (output, cpu seconds, wall seconds).  The markers
        are split in the typed line so its echo does not match them."""
        self.expect(rb"[#$] (?:\x1b\[6n)?$", timeout, "prompt before '%s'" % cmd)   # idle shell
        self.buf = b""
        line = ('echo "@@S""TART"; %s; echo "@@E""ND $?"\n' % cmd).encode()
        c0, w0 = self.cpu(), time.monotonic()
        os.write(self.master, line)
        m = self.expect(rb"@@START\r*\n(.*?)@@END (\d+)\r*\n", timeout, "'%s'" % cmd)
        c1, w1 = self.cpu(), time.monotonic()
        out = m.group(1).decode(errors="replace").replace("\r", "").strip()
        if m.group(2) != b"0":
            raise Failure("'%s' exited with status %s: %r" % (cmd, m.group(2).decode(), out[-200:]))
        return out, c1 - c0, w1 - w0

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
        os.close(self.master)
        self.log.close()


def main():
    emu, kdir, initrd, log, scale, timeout = sys.argv[1:7]
    scale, timeout = int(scale), float(timeout)
    rows = ["boot"] + [w[0] for w in workloads(scale)]
    argv = [emu, "-M", "versatilepb", "-m", "128M", "-kernel", os.path.join(kdir, "zImage"),
            "-dtb", os.path.join(kdir, "versatile-pb.dtb"), "-initrd", initrd,
            "-append", "console=ttyAMA0 quiet vemu.bench=1", "-nographic", "-no-reboot"]
    done = []
    con = Console(argv, log)
    try:
        m = con.expect(MARKER + rb" (\S+ \S+)\r*\n", timeout, "boot to the init marker")
        cpu, wall = con.cpu(), time.monotonic() - con.t0
        # the marker carries uname -r -m: the same kernel on both sides
        print("boot\t%.3f\t%.3f\t%s" % (cpu, wall, m.group(1).decode(errors="replace")), flush=True)
        done.append("boot")
        for row, setup, cmd in workloads(scale):
            if setup:
                con.run(setup, timeout)
            out, cpu, wall = con.run(cmd, timeout)
            result = " ".join(out.split()) or "(nothing)"
            print("%s\t%.3f\t%.3f\t%s" % (row, cpu, wall, result), flush=True)
            done.append(row)
    except (Failure, OSError) as e:
        why = " ".join(str(e).split())[:200]
        for row in rows:
            if row not in done:
                print("%s\tfailed\t-\t%s (console log %s)" % (row, why, log), flush=True)
                why = "not run: an earlier row failed"
    finally:
        con.close()


if __name__ == "__main__":   # disk-bench.py imports its Console
    main()
