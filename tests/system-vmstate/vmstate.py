#!/usr/bin/env python3
"""tests/system-vmstate/vmstate.py — savevm/loadvm/delvm/info snapshots of
a running Versatile PB guest (see run.sh for the list of checks).

usage: vmstate.py SESSION WORKDIR key=value...
  SESSION main     boot, a counting workload, savevm/loadvm/delvm, errors
          restart  -loadvm NAME: the guest goes on from the snapshot
          errors   savevm without a qcow2 drive, with a raw one
          scsi     the disk kernel, -hda disk.qcow2 (ext4): a counting
                   workload appending to a file on the SCSI disk
          drives   -hda and -sd together: the snapshot on both
Prints PASS:/FAIL: lines.  Nothing is timed: timeouts only catch a hang."""
import os
import re
import select
import socket
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))


def result(name, ok, why=""):
    if ok:
        print("PASS: system-vmstate/%s" % name)
    else:
        print("FAIL: system-vmstate/%s%s" % (name, " (%s)" % why if why else ""))
    sys.stdout.flush()
    return ok


class HMP:
    def __init__(self, path, timeout=60):
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.s.settimeout(300)
        self.buf = b""
        self.until_prompt()

    def until_prompt(self):
        while b"(qemu) " not in self.buf:
            d = self.s.recv(4096)
            if not d:
                raise EOFError("monitor closed")
            self.buf += d
        out, _, self.buf = self.buf.partition(b"(qemu) ")
        return out.decode(errors="replace")

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\n")
        out = self.until_prompt()
        _, _, rest = out.partition("\r\n")
        return rest.replace("\r\n", "\n")


class Machine:
    """The emulator with the serial console on its stdin/stdout."""

    def __init__(self, emu, kdir, initrd, work, extra, kernel_args=None):
        self.hmp_path = os.path.join(work, "hmp-%d.sock" % time.monotonic_ns())
        if kernel_args is None:
            kernel_args = ["-kernel", os.path.join(kdir, "zImage"), "-dtb", os.path.join(kdir, "versatile-pb.dtb"),
                           "-initrd", initrd, "-append", "console=ttyAMA0 quiet"]
        args = [emu, "-M", "versatilepb", "-m", "128M"] + kernel_args + ["-serial", "stdio",
                "-monitor", "unix:%s,server,nowait" % self.hmp_path] + extra
        self.log = open(os.path.join(work, "emu.log"), "ab")
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.out = b""      # everything the console printed
        self.seen = 0       # how far wait_for has looked
        self.hmp = None

    def pump(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if r:
            d = os.read(self.p.stdout.fileno(), 65536)
            if not d:
                return False
            self.out += d
        return True

    def wait_for(self, pattern, timeout=TIMEOUT):
        """The first match of pattern (bytes regex) after what was looked at."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            m = rx.search(self.out, self.seen)
            if m:
                self.seen = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0 or self.p.poll() is not None:
                return None
            if not self.pump(min(left, 0.5)):
                time.sleep(0.05)

    def monitor(self):
        if not self.hmp:
            self.hmp = HMP(self.hmp_path)
        return self.hmp

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def run(self, cmd, timeout=120):
        """A shell command's output (markers computed by the shell so the echo lacks them)."""
        tag = int(time.monotonic_ns() % 1000000)
        self.send("echo B-$((%d+1)); %s; echo E-$((%d+1))" % (tag, cmd, tag))
        m = self.wait_for(rb"B-%d\r?\n(.*?)E-%d" % (tag + 1, tag + 1), timeout)
        if not m:
            return None
        # the background counter's lines may land inside the output
        out = m.group(1).decode(errors="replace").replace("\r", "")
        return "".join(l for l in out.splitlines(True) if not re.fullmatch(r"CNT-\d+\n?", l))

    def counts(self, start=0):
        return [int(x) for x in re.findall(rb"CNT-(\d+)\r?\n", self.out[start:])]

    def quit(self):
        try:
            if self.hmp:
                self.hmp.s.sendall(b"quit\n")
            else:
                self.monitor().s.sendall(b"quit\n")
        except OSError:
            pass
        try:
            return self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


COUNTER = ("(i=0; while true; do i=$((i+1)); echo CNT-$i; sleep 0.2; done) &")
# the SD card: a word at its start, read and written with dd
# the word goes out in one echo between brackets: the background counter's
# lines can land anywhere between the shell's writes, never inside one
READ_WORD = ("echo 3 > /proc/sys/vm/drop_caches; "
             "echo \"W<$(dd if=/dev/mmcblk0 bs=16 count=1 2>/dev/null | tr -d '\\000')>W\"")

WAIT_CARD = "i=0; while [ ! -b /dev/mmcblk0 ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done"


def read_word(m):
    out = m.run(READ_WORD)
    f = re.search(r"W<(.*?)>W", out or "")
    return f.group(1) if f else out


def write_word(m, word):
    return m.run("printf '%s' | dd of=/dev/mmcblk0 bs=16 count=1 conv=notrunc,sync 2>/dev/null; sync" % word)


def uptime(m):
    out = m.run("cat /proc/uptime")
    # the counter's lines may land inside the command's output: the
    # uptime is the line of two decimals
    f = re.search(r"^(\d+\.\d+) \d+\.\d+$", out or "", re.M)
    return float(f.group(1)) if f else None


def snapshot_names(text):
    """Names in an `info snapshots` or `snapshot -l` table."""
    names = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] != "ID" and re.match(r"^(\d+|--)$", f[0]):
            names.append(f[1])
    return names


def session_main(kv):
    m = Machine(kv["emu"], kv["kdir"], kv["initrd"], kv["work"], ["-sd", kv["img"]])
    try:
        if not m.wait_for(rb"VEMU-INIT-READY"):
            for t in kv["tests"].split():
                result(t, False, "no boot")
            return
        hmp = m.monitor()
        out = hmp.cmd("info snapshots")
        result("info-snapshots-empty", out.strip() == "There is no snapshot available.", repr(out))
        m.run(WAIT_CARD)
        write_word(m, "before")
        m.send(COUNTER)
        m.wait_for(rb"CNT-10\r?\n", 120)
        up_save = uptime(m)
        mark = len(m.out)
        out = hmp.cmd("savevm snap1")
        c_saved = max(m.counts()) if m.counts() else 0
        result("savevm", out.strip() == "", repr(out))
        st = hmp.cmd("info status")
        result("savevm-keeps-running", "running" in st, repr(st))
        # the guest runs on: the counter goes up, the card changes
        ok = m.wait_for(rb"CNT-%d\r?\n" % (c_saved + 40), 120) is not None
        result("runs-after-savevm", ok, "the counter stopped after %d" % c_saved)
        write_word(m, "after")
        w = read_word(m)
        result("card-written", w is not None and w.strip() == "after", repr(w))
        up_before_load = uptime(m)
        c_before_load = max(m.counts())
        mark = len(m.out)
        out = hmp.cmd("loadvm snap1")
        result("loadvm", out.strip() == "", repr(out))
        # the counter goes back to where savevm was, and goes on from there
        # (lines printed before loadvm may still come first: look for the drop)
        first = -1
        end = time.monotonic() + 60
        while first < 0 and time.monotonic() < end and m.p.poll() is None:
            back = [c for c in m.counts(mark) if c < c_before_load - 20]
            if back:
                first = back[0]
            else:
                m.pump(0.5)
        m.seen = len(m.out)
        up_after = uptime(m)
        result("counter-goes-back", 0 < first <= c_saved + 5,
               "first count after loadvm %d, saved at %d, before load %d" % (first, c_saved, c_before_load))
        m.seen = mark   # counts after it that low are the restored guest's
        ok = (first > 0 and m.wait_for(rb"CNT-%d\r?\n" % first, 5) is not None and
              m.wait_for(rb"CNT-%d\r?\n" % (first + 10), 60) is not None)
        result("counter-continues", ok, "no CNT-%d after loadvm" % (first + 10))
        st = hmp.cmd("info status")
        result("loadvm-keeps-running", "running" in st, repr(st))
        w = read_word(m)
        result("card-reverted", w is not None and w.strip() == "before", repr(w))
        result("uptime-goes-back", up_after is not None and up_save is not None and up_before_load is not None
               and up_save - 1 <= up_after < up_before_load - 3,
               "uptime at save %s, before load %s, after %s" % (up_save, up_before_load, up_after))
        # timers: sleep 1 takes about a second of guest time
        t = m.run("a=$(cut -d. -f1 /proc/uptime); sleep 2; b=$(cut -d. -f1 /proc/uptime); echo $((b-a))")
        t = t.strip().splitlines()[-1] if t and t.strip() else t
        result("timers-fire", t is not None and t in ("2", "3"), repr(t))
        # errors
        out = hmp.cmd("loadvm nosuch")
        result("loadvm-missing", out.strip() == "Error: Snapshot 'nosuch' does not exist in one or more devices",
               repr(out))
        # as qemu-system-arm 7.2: a failed loadvm leaves the machine stopped
        st = hmp.cmd("info status")
        result("loadvm-missing-stops", "paused" in st, repr(st))
        hmp.cmd("cont")
        # savevm again with the same name replaces; a second one; delvm
        out = hmp.cmd("savevm snap1")
        out2 = hmp.cmd("savevm snap2")
        info = hmp.cmd("info snapshots")
        names = snapshot_names(info)
        result("savevm-replaces", out.strip() == "" and out2.strip() == "" and names == ["snap1", "snap2"],
               repr(info))
        result("info-snapshots", info.startswith("List of snapshots present on all disks:\n"
                                                 "ID        TAG               VM SIZE                DATE"
                                                 "     VM CLOCK     ICOUNT\n--        snap1"), repr(info))
        out = hmp.cmd("delvm snap2")
        info = hmp.cmd("info snapshots")
        result("delvm", out.strip() == "" and snapshot_names(info) == ["snap1"], repr(out) + repr(info))
        # what the second snap1 saw, for the restart
        c = m.counts()
        with open(os.path.join(kv["work"], "snap1.count"), "w") as f:
            f.write("%d\n" % max(c))
        rc = m.quit()
        result("quit", rc == 0, "status %s" % rc)
    finally:
        m.kill()


def session_restart(kv):
    saved = int(open(os.path.join(kv["work"], "snap1.count")).read())
    m = Machine(kv["emu"], kv["kdir"], kv["initrd"], kv["work"], ["-sd", kv["img"], "-loadvm", "snap1"])
    try:
        first = m.wait_for(rb"CNT-(\d+)\r?\n", 120)
        n = int(first.group(1)) if first else -1
        booted = first is not None and (b"Uncompressing" in m.out[:first.start()] or
                                        b"VEMU-INIT-READY" in m.out[:first.start()])
        result("loadvm-option", first is not None and saved - 200 < n <= saved + 3 and not booted,
               "first count %d, snap1 was taken at about %d" % (n, saved))
        ok = m.wait_for(rb"CNT-%d\r?\n" % (n + 5), 60) is not None
        result("loadvm-option-continues", ok, "the counter does not go on after %d: %r" % (n, m.out[-300:]))
        w = read_word(m)
        result("loadvm-option-shell", w is not None and w.strip() == "before", repr(w))
        rc = m.quit()
        result("loadvm-option-quit", rc == 0, "status %s" % rc)
    finally:
        m.kill()
    # a missing name at start: a message and status 1
    p = subprocess.run([kv["emu"], "-M", "versatilepb", "-kernel", os.path.join(kv["kdir"], "zImage"),
                        "-serial", "null", "-monitor", "none", "-sd", kv["img"],
                        "-loadvm", "nosuch"], capture_output=True, timeout=60)
    err = p.stderr.decode(errors="replace")
    result("loadvm-option-missing", p.returncode == 1 and "Snapshot 'nosuch' does not exist in one or more devices" in err,
           "status %d: %s" % (p.returncode, err.strip()))


def session_errors(kv):
    # no drive at all
    tick = ["-kernel", kv["tick"]]
    m = Machine(kv["emu"], None, None, kv["work"], ["-S"], tick)
    try:
        hmp = m.monitor()
        out = hmp.cmd("savevm x")
        result("savevm-no-drive", out.strip() == "Error: no block device can store vmstate for snapshot", repr(out))
        out = hmp.cmd("info snapshots")
        result("info-snapshots-no-drive", out.strip() == "no block device can store vmstate for snapshot", repr(out))
        out = hmp.cmd("loadvm x")
        result("loadvm-no-drive", out.strip() == "Error: no block device can store vmstate for snapshot", repr(out))
        m.quit()
    finally:
        m.kill()
    m = Machine(kv["emu"], None, None, kv["work"], ["-S", "-drive", "file=%s,if=sd,format=raw" % kv["raw"]], tick)
    try:
        hmp = m.monitor()
        out = hmp.cmd("savevm x")
        result("savevm-raw-drive", out.strip() == "Error: Device 'sd0' is writable but does not support snapshots",
               repr(out))
        m.quit()
    finally:
        m.kill()


def session_baremetal(kv):
    """tick.bin: a count of SP804 ticks on the console (file), the HMP on a socket."""
    con = os.path.join(kv["work"], "tick.console")
    img = kv["img"]
    hmp_path = os.path.join(kv["work"], "tick-hmp.sock")

    def start(extra):
        if os.path.exists(con):
            os.unlink(con)
        log = open(os.path.join(kv["work"], "tick.log"), "ab")
        return subprocess.Popen([kv["emu"], "-M", "versatilepb", "-kernel", kv["tick"],
                                 "-serial", "file:" + con, "-monitor", "unix:%s,server,nowait" % hmp_path,
                                 "-sd", img] + extra, stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    def ticks():
        try:
            return [int(x, 16) for x in re.findall(r"T([0-9a-f]{8})\n", open(con).read())]
        except OSError:
            return []

    def wait_ticks(pred, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            t = ticks()
            if t and pred(t):
                return t
            time.sleep(0.05)
        return ticks()

    p = start([])
    try:
        hmp = HMP(hmp_path)
        wait_ticks(lambda t: t[-1] >= 50)
        out = hmp.cmd("savevm tick")
        saved = ticks()[-1]
        result("bm-savevm", out.strip() == "", repr(out))
        info = hmp.cmd("info snapshots")
        m = re.search(r"--\s+tick\s+.*?(\d\d):(\d\d):(\d\d)\.(\d\d\d)", info)
        clock = (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) + int(m.group(4)) / 1000) if m else -1
        # the guest clock in the snapshot is the guest's time: 100 ticks a second
        result("bm-vm-clock", m is not None and abs(clock - saved / 100.0) < 0.5,
               "VM CLOCK %s s, %d ticks printed at savevm: %s" % (clock, saved, info))
        t = wait_ticks(lambda t: t[-1] >= saved + 100)
        before = t[-1]
        n = len(t)
        out = hmp.cmd("loadvm tick")
        t = wait_ticks(lambda t: len(t) > n + 5)
        after = t[n:]
        result("bm-loadvm", out.strip() == "" and after and saved <= after[0] <= saved + 20 and after[0] < before,
               "saved at %d, %d before loadvm, then %s" % (saved, before, after[:3]))
        steps = [b - a for a, b in zip(after, after[1:])]
        result("bm-timer-rate", len(steps) >= 5 and all(s == 10 for s in steps), "counts after loadvm %s" % after)
        hmp.s.sendall(b"quit\n")
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    p = start(["-loadvm", "tick"])
    try:
        t = wait_ticks(lambda t: len(t) >= 3)
        result("bm-loadvm-option", t and saved <= t[0] <= saved + 20 and t[1] - t[0] == 10,
               "saved at %d, the new process printed %s" % (saved, t[:3]))
        h = HMP(hmp_path)
        h.s.sendall(b"quit\n")
        result("bm-loadvm-option-quit", p.wait(timeout=30) == 0, "status %s" % p.returncode)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def session_mismatch(kv):
    """-loadvm of the tick snapshot on another machine: refused, with the device named."""
    for name, extra, want in (
            ("bm-other-ram-size", ["-m", "64M"],
             "Error while loading VM state: device 'ram': 134217728 bytes were saved, the machine has 67108864"),
            ("bm-other-cpu", ["-cpu", "arm1176"],
             "Error while loading VM state: the VM state has device 'arm-cpu' (instance 0x41069265), "
             "which this machine lacks")):
        p = subprocess.run([kv["emu"], "-M", "versatilepb", "-kernel", kv["tick"], "-serial", "null", "-monitor",
                            "none", "-sd", kv["img"], "-loadvm", "tick"] + extra, capture_output=True, timeout=60)
        err = p.stderr.decode(errors="replace")
        result(name, p.returncode == 1 and want in err, "status %d: %s" % (p.returncode, err.strip()))


# the SCSI disk: an ext4 file system (made on the host), a file that gets a
# line per count, each synced to the disk before the count is printed
MOUNT = ("i=0; while [ ! -b /dev/sda ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done; "
         "mkdir -p /mnt && mount -t ext4 /dev/sda /mnt && echo MOUNTED")
DISK_COUNTER = ("(i=0; while true; do i=$((i+1)); echo $i >> /mnt/log; sync; echo CNT-$i; sleep 0.2; done) &")
RESETS = "dmesg | grep -c 'SCSI BUS has been reset'"
READ_LOG = "echo 3 > /proc/sys/vm/drop_caches; cat /mnt/log | tr '\\n' ' '"


def consecutive(text):
    """The numbers in text if they are 1, 2, ..., n (else None)."""
    try:
        v = [int(x) for x in text.split()]
    except (AttributeError, ValueError):
        return None
    return v if v == list(range(1, len(v) + 1)) else None


def session_scsi(kv):
    m = Machine(kv["emu"], kv["kdir"], kv["initrd"], kv["work"], ["-hda", kv["img"]])
    try:
        if not m.wait_for(rb"VEMU-INIT-READY"):
            for t in kv["tests"].split():
                result(t, False, "no boot")
            return
        hmp = m.monitor()
        out = m.run(MOUNT, 120)
        if not result("scsi-mount", out is not None and "MOUNTED" in out, repr(out)):
            return
        # the driver resets the bus when it probes: later resets would be
        # error recovery (a command timed out)
        resets = m.run(RESETS, 60)
        m.send(DISK_COUNTER)
        m.wait_for(rb"CNT-15\r?\n", 120)
        out = hmp.cmd("savevm disk1")
        c_saved = max(m.counts())
        result("scsi-savevm", out.strip() == "", repr(out))
        info = hmp.cmd("info snapshots")
        result("scsi-info-snapshots", snapshot_names(info) == ["disk1"], repr(info))
        ok = m.wait_for(rb"CNT-%d\r?\n" % (c_saved + 30), 120) is not None
        result("scsi-runs-after-savevm", ok, "the counter stopped after %d" % c_saved)
        c_before_load = max(m.counts())
        mark = len(m.out)
        out = hmp.cmd("loadvm disk1")
        result("scsi-loadvm", out.strip() == "", repr(out))
        first = -1
        end = time.monotonic() + 60
        while first < 0 and time.monotonic() < end and m.p.poll() is None:
            back = [c for c in m.counts(mark) if c < c_before_load - 15]
            if back:
                first = back[0]
            else:
                m.pump(0.5)
        result("scsi-counter-goes-back", 0 < first <= c_saved + 3,
               "first count after loadvm %d, saved at %d, before load %d" % (first, c_saved, c_before_load))
        m.seen = mark
        ok = first > 0 and m.wait_for(rb"CNT-%d\r?\n" % (first + 10), 60) is not None
        result("scsi-counter-continues", ok, "no CNT-%d after loadvm" % (first + 10))
        # the file on the disk: 1..n with no hole and no line of the
        # discarded run (n would jump past the count otherwise), read back
        # from the disk (page cache dropped)
        m.send("kill $! 2>/dev/null")
        time.sleep(1)
        m.seen = len(m.out)
        log = m.run(READ_LOG, 60)
        v = consecutive(log)
        last = max(m.counts(mark))
        result("scsi-disk-contents", v is not None and first + 10 <= len(v) and len(v) in (last, last + 1),
               "the file has %r, the last count printed %d" % ((log or "")[-200:], last))
        d = m.run("dmesg | grep -i -E 'I/O error|EXT4-fs (error|warning)|sym0:.*(error|abort)|timing out|timed out' | head -5", 60)
        r = m.run(RESETS, 60)
        result("scsi-no-io-errors", d is not None and d.strip() == "" and r is not None and r == resets,
               "%r; bus resets before %r, after %r" % (d, resets, r))
        with open(os.path.join(kv["work"], "disk.log"), "w") as f:
            f.write("%d\n" % len(v) if v else "-1\n")
        m.run("umount /mnt", 60)
        out = hmp.cmd("delvm disk1")
        info = hmp.cmd("info snapshots")
        result("scsi-delvm", out.strip() == "" and snapshot_names(info) == [], repr(out) + repr(info))
        out = hmp.cmd("savevm disk2")   # for the image checks after quit
        rc = m.quit()
        result("scsi-quit", out.strip() == "" and rc == 0, "savevm %r, status %s" % (out, rc))
    finally:
        m.kill()


def session_drives(kv):
    """-hda and -sd: savevm lands on both, delvm leaves neither (no guest needed)."""
    m = Machine(kv["emu"], None, None, kv["work"], ["-S", "-hda", kv["img"], "-sd", kv["sd"]],
                ["-kernel", kv["tick"]])
    try:
        hmp = m.monitor()
        blk = hmp.cmd("info block")
        out = hmp.cmd("savevm both")
        info = hmp.cmd("info snapshots")
        result("drives-savevm", out.strip() == "" and snapshot_names(info) == ["both"], repr(out) + repr(info) + repr(blk))
        m.quit()
    finally:
        m.kill()


def main():
    session, work = sys.argv[1:3]
    kv = dict(a.split("=", 1) for a in sys.argv[3:])
    kv["work"] = work
    {"main": session_main, "restart": session_restart, "errors": session_errors,
     "baremetal": session_baremetal, "mismatch": session_mismatch,
     "scsi": session_scsi, "drives": session_drives}[session](kv)


if __name__ == "__main__":
    main()
