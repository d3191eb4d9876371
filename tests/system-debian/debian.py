#!/usr/bin/env python3
"""tests/system-debian/debian.py — the articles' scenario end to end: boots
the Debian 12 armel disk image (tests/system/make-debian-rootfs.sh) on the
Versatile PB with

    EMU -M versatilepb -kernel zImage -hda DISK -append "root=/dev/sda1
    console=ttyAMA0" -m 256 -nographic

to systemd's serial login prompt, logs in as root over the console, and
checks what a person would: the machine, the release, dpkg and apt, Python,
networking both ways, a qemu-comparable workload, a clean poweroff.

The base image is never booted read-write.  Session "overlay" boots a qcow2
overlay on it (vemu-img create -b): every write lands in the overlay, the
base's md5 is unchanged, and the file written in the guest is read back
from the overlay on the host (debugfs).  Session "snapshot" boots that
overlay again with -snapshot: the first session's file is there, the new
writes are discarded (the overlay's md5 is unchanged).  Session "savevm"
(an overlay of its own, the HMP on a Unix socket): savevm, run on, loadvm;
the guest goes on from the snapshot, its files and disk as they were then.

usage: debian.py EMULATOR KIND(vemu|qemu) KERNEL_DIR IMAGE_DIR LOGDIR SESSIONS...
Prints PASS:/FAIL: lines named system-debian/KIND/SESSION/TEST.  A session
stops at its first failure (the rest are FAILs "not run"), since a wedged
guest says nothing about later tests.  Nothing is timed: timeouts only
catch hangs (VEMU_SYSTEM_TIMEOUT, default 300 s, to the login prompt)."""
import functools
import hashlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from console import Guest, Failure  # noqa: E402  (tests/system/console.py)

BOOT_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))
CMD_TIMEOUT = float(os.environ.get("VEMU_SYSTEM_CMD_TIMEOUT", "120"))
APPEND = "root=/dev/sda1 console=ttyAMA0"
PASSWORD = "root"   # make-debian-rootfs.sh's
PROMPT = rb"root@vemu-debian:[^\r\n]*# "

emu, kind, kdir, imgdir, logdir = sys.argv[1:6]
sessions = sys.argv[6:] or ["overlay", "snapshot", "savevm"]
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", ".."))
build = os.environ.get("BUILD", "build")
img_tool = os.path.join(build if os.path.isabs(build) else os.path.join(repo, build), "vemu-img")
base = os.path.join(imgdir, "debian.qcow2")
overlay = os.path.join(logdir, "overlay-%s.qcow2" % kind)

# The host's side of the network tests: a file served over http, and a
# free port for hostfwd.
www = os.path.join(logdir, "www")
os.makedirs(www, exist_ok=True)
PAYLOAD = "vemu-debian-payload-%d" % os.getpid()
with open(os.path.join(www, "hello.txt"), "w") as f:
    f.write(PAYLOAD + "\n")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=www))
HPORT = httpd.server_address[1]
threading.Thread(target=httpd.serve_forever, daemon=True).start()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


FPORT = free_port()


def md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def argv_for(disk, extra=()):
    argv = [emu, "-M", "versatilepb", "-kernel", os.path.join(kdir, "zImage"),
            "-hda", disk, "-append", APPEND, "-m", "256", "-nographic", "-no-reboot",
            "-nic", "user,hostfwd=tcp:127.0.0.1:%d-:7777" % FPORT]
    # qemu has no device tree of its own for this board; vemu runs the
    # articles' command line as it is
    if kind == "qemu" or os.environ.get("DEBIAN_DTB") == "1":
        argv += ["-dtb", os.path.join(kdir, "versatile-pb.dtb")]
    return argv + list(extra)


def guest_file_from_image(image, path):
    """Read PATH from the image's ext4 partition on the host: the image
    (with its backing chain) converted to raw, the partition cut out at
    1 MiB, debugfs's cat."""
    raw = os.path.join(logdir, "readback.raw")
    part = os.path.join(logdir, "readback.part")
    try:
        subprocess.run([img_tool, "convert", "-O", "raw", image, raw], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        subprocess.run(["dd", "if=" + raw, "of=" + part, "bs=1M", "skip=1", "conv=sparse"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = subprocess.run(["debugfs", "-R", "cat " + path, part], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        return r.stdout.decode(errors="replace")
    finally:
        for p in (raw, part):
            if os.path.exists(p):
                os.unlink(p)


# ---- the tests: each takes the guest and a state dict ---------------------

def t_login_prompt(g, s):
    g.expect(rb"vemu-debian login: ", BOOT_TIMEOUT, "boot to the login prompt")
    s["boot_s"] = time.monotonic() - s["start"]


def t_login(g, s):
    g.send(b"root\n")
    g.expect(rb"Password: ", CMD_TIMEOUT, "password prompt")
    g.send(PASSWORD.encode() + b"\n")
    g.expect(PROMPT, CMD_TIMEOUT, "root's shell prompt after login")
    # quiet kernel messages on the console, no echo of what is typed, no
    # line wrapping of long commands
    out, st = g.run("dmesg -n 1; stty -echo cols 500; echo $USER $HOME")
    if "root /root" not in out:
        raise Failure("not logged in as root: %r" % out)


def t_uname(g, s):
    out, st = g.run("uname -m")
    if out.strip() != "armv5tejl":
        raise Failure("uname -m is %r, not armv5tejl" % out.strip())


def t_debian_version(g, s):
    out, st = g.run("cat /etc/debian_version")
    if not re.fullmatch(r"12\.\d+", out.strip()):
        raise Failure("/etc/debian_version is %r, not 12.x" % out.strip())


def t_root_fs(g, s):
    """/ is /dev/sda1, ext4, mounted read-write by systemd from fstab."""
    out, st = g.run("findmnt -n -o SOURCE,FSTYPE,OPTIONS /")
    f = out.split()
    if len(f) < 3 or f[0] != "/dev/sda1" or f[1] != "ext4" or not f[2].startswith("rw"):
        raise Failure("/ is mounted as %r, not /dev/sda1 ext4 rw" % out.strip())
    out, st = g.run("cat /sys/block/sda/size; cat /sys/block/sda/device/model")
    lines = out.split()
    if not lines or lines[0] != str(1024 * 2048):
        raise Failure("sda's size is %r sectors, not 1 GiB" % out.strip())


def t_systemd(g, s):
    out, st = g.run("systemctl is-system-running --wait; systemctl --failed --no-legend --plain")
    state = out.split()[0] if out.split() else ""
    if state not in ("running", "degraded"):
        raise Failure("systemctl is-system-running: %r" % out.strip()[:200])
    if state == "degraded":
        # say which, but a unit this board cannot start is no emulator fault
        s["notes"].append("failed units: " + " ".join(l.split()[0] for l in out.splitlines()[1:] if l.split()))


def t_dpkg(g, s):
    out, st = g.run("dpkg -l | grep -c '^ii'; dpkg -s systemd | grep -E '^(Status|Architecture):'")
    lines = out.strip().splitlines()
    want = len(open(os.path.join(imgdir, "packages")).read().split())
    if not lines or lines[0].strip() != str(want):
        raise Failure("dpkg -l lists %r packages installed, not %d" % (lines[:1], want))
    if "Status: install ok installed" not in out or "Architecture: armel" not in out:
        raise Failure("dpkg -s systemd: %r" % out)


def t_apt_cache(g, s):
    out, st = g.run("apt-cache policy dash | sed -n 2p; dpkg-query -W -f='${Version}\\n' dash")
    lines = [l.strip() for l in out.strip().splitlines()]
    want = [l.split("=", 1)[1] for l in open(os.path.join(imgdir, "packages")).read().split()
            if l.startswith("dash=")]
    if len(lines) < 2 or lines[0] != "Installed: " + want[0] or lines[1] != want[0]:
        raise Failure("apt-cache policy dash / dpkg-query: %r, want %s" % (lines, want))


def t_python3(g, s):
    code = "import hashlib; print(hashlib.sha256(bytes(range(256)) * 4096).hexdigest(), sum(i * i for i in range(100000)))"
    out, st = g.run("python3 -c '%s'" % code)
    want = "%s %d" % (hashlib.sha256(bytes(range(256)) * 4096).hexdigest(), sum(i * i for i in range(100000)))
    if out.strip() != want:
        raise Failure("python3 printed %r, want %r" % (out.strip(), want))


def t_workload(g, s):
    """A qemu-comparable workload: a 16 MiB file of known content written,
    synced, the page cache dropped, read back with md5sum (against the
    host's md5 of the same bytes), then gzip/gunzip round trip."""
    out, st = g.run("yes vemu-debian-workload | head -c 16777216 > /root/work.bin && sync && "
                    "echo 3 > /proc/sys/vm/drop_caches && md5sum /root/work.bin && "
                    "gzip -c /root/work.bin | gunzip | md5sum && rm /root/work.bin", 600)
    data = (b"vemu-debian-workload\n" * (16777216 // 21 + 1))[:16777216]
    want = hashlib.md5(data).hexdigest()
    sums = re.findall(r"\b([0-9a-f]{32})\b", out)
    if st != 0 or sums != [want, want]:
        raise Failure("md5sums %r (status %d), want %s twice" % (sums, st, want))


def t_wget_host(g, s):
    g.run("ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2")
    out, st = g.run("wget -q -T 20 -O - http://10.0.2.2:%d/hello.txt" % HPORT, 60)
    if st != 0 or PAYLOAD not in out:
        raise Failure("wget from the host through 10.0.2.2: status %d, %r" % (st, out.strip()[-160:]))


def t_hostfwd(g, s):
    word = "vemu-debian-hostfwd-%d" % os.getpid()
    g.run("(echo %s | timeout 60 nc -N -l 7777 >/dev/null 2>&1 &); sleep 1" % word)
    got, end = "", time.monotonic() + 30
    while word not in got and time.monotonic() < end:
        try:
            c = socket.create_connection(("127.0.0.1", FPORT), timeout=10)
            c.settimeout(10)
            data = b""
            while True:
                d = c.recv(256)
                if not d:
                    break
                data += d
            c.close()
            got = data.decode(errors="replace")
        except OSError:
            pass
        if word not in got:
            time.sleep(0.5)
    if word not in got:
        raise Failure("the host read %r through hostfwd, not the guest's %r" % (got, word))


def t_write_file(g, s):
    s["word"] = "vemu-debian-%s-%d" % (s["session"], os.getpid())
    out, st = g.run("echo %s > /root/%s.txt && sync && cat /root/%s.txt" % (s["word"], s["session"], s["session"]))
    if st != 0 or s["word"] not in out:
        raise Failure("write + sync: status %d, %r" % (st, out))


def t_overlay_file_seen(g, s):
    """-snapshot over the overlay: the first session's file is there."""
    path = os.path.join(logdir, "overlay-word-%s" % kind)
    if not os.path.exists(path):
        raise Failure("the overlay session did not run first, or failed")
    want = open(path).read().strip()
    out, st = g.run("cat /root/overlay.txt")
    if out.strip() != want:
        raise Failure("/root/overlay.txt is %r, want %r (written by the overlay session)" % (out.strip(), want))


def t_poweroff(g, s):
    # systemd-shutdown's own steps (killing what is left, unmounting, the
    # disk's cache flush) log to the kernel: shown, so a slow or stuck
    # shutdown says where
    g.send(b"dmesg -n 7; poweroff\n")
    # the board has no power switch: Linux halts ("reboot: Power down") and
    # the emulator keeps running, as on real hardware; then it is killed.
    # A generous timeout: on a loaded machine systemd waits for processes.
    g.expect(rb"reboot: (Power down|System halted)", max(CMD_TIMEOUT, 300), "poweroff")
    time.sleep(0.5)


def t_overlay_writes(g, s):
    """After the session: the base is untouched, the overlay holds the
    guest's file and checks clean."""
    if md5(base) != s["base_md5"]:
        raise Failure("the base image changed (md5 %s, was %s)" % (md5(base), s["base_md5"]))
    r = subprocess.run([img_tool, "check", overlay], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise Failure("vemu-img check of the overlay: %s" % r.stdout.decode(errors="replace")[-300:])
    got = guest_file_from_image(overlay, "/root/overlay.txt").strip()
    if got != s["word"]:
        raise Failure("the overlay holds /root/overlay.txt = %r, want %r" % (got, s["word"]))
    with open(os.path.join(logdir, "overlay-word-%s" % kind), "w") as f:
        f.write(s["word"] + "\n")


def t_snapshot_discarded(g, s):
    if md5(overlay) != s["overlay_md5"]:
        raise Failure("-snapshot wrote to the disk image (md5 %s, was %s)" % (md5(overlay), s["overlay_md5"]))
    if md5(base) != s["base_md5"]:
        raise Failure("the base image changed under -snapshot")
    got = guest_file_from_image(overlay, "/root/snapshot.txt").strip()
    if got:
        raise Failure("the overlay holds /root/snapshot.txt = %r after -snapshot" % got)


# ---- session "savevm": the HMP's savevm/loadvm on the running system --------

class HMP:
    """The human monitor on a Unix socket (-monitor unix:PATH,server,nowait)."""

    def __init__(self, path, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise Failure("no monitor on %s" % path)
                time.sleep(0.2)
        self.s.settimeout(600)
        self.buf = b""
        self.until_prompt()

    def until_prompt(self):
        while b"(qemu) " not in self.buf:
            d = self.s.recv(4096)
            if not d:
                raise Failure("the monitor closed")
            self.buf += d
        out, _, self.buf = self.buf.partition(b"(qemu) ")
        return out.decode(errors="replace")

    def cmd(self, line):
        """What the command printed (the echo of the line dropped)."""
        self.s.sendall(line.encode() + b"\n")
        out = self.until_prompt()
        return out.partition("\n")[2].replace("\r", "").strip()


def hmp_path():
    return os.path.join(logdir, "hmp-%s.sock" % kind)


def hmp_cmd(s, line):
    if "hmp" not in s:
        s["hmp"] = HMP(hmp_path())
    out = s["hmp"].cmd(line)
    if "rror" in out:
        raise Failure("%s: %r" % (line, out))
    return out


def t_savevm(g, s):
    """A file written and synced, then savevm: the machine runs on."""
    g.run("echo before > /root/sv-before.txt && sync")
    hmp_cmd(s, "savevm deb1")
    st = hmp_cmd(s, "info status")
    if "running" not in st:
        raise Failure("info status after savevm: %r" % st)
    info = hmp_cmd(s, "info snapshots")
    if not re.search(r"\bdeb1\b", info):
        raise Failure("info snapshots does not list deb1: %r" % info)


def t_runs_on(g, s):
    out, st = g.run("echo after > /root/sv-after.txt && sync && cat /root/sv-after.txt")
    if st != 0 or out.strip() != "after":
        raise Failure("writing after savevm: status %d, %r" % (st, out))


def t_loadvm(g, s):
    """loadvm: the shell answers at once (no boot), the file written after
    savevm is gone from the page cache and from the disk, no I/O errors."""
    hmp_cmd(s, "loadvm deb1")
    check = ("cat /root/sv-before.txt; ls /root/sv-after.txt 2>/dev/null | wc -l; "
             "dmesg | grep -ciE 'I/O error|EXT4-fs (error|warning)|sym0:.*(abort|error)|timed out'")
    out, st = g.run(check, 60)
    if out.split() != ["before", "0", "0"]:
        raise Failure("after loadvm: %r (want before, no sv-after.txt, no I/O errors)" % out)
    out, st = g.run("echo 3 > /proc/sys/vm/drop_caches; " + check, 60)
    if out.split() != ["before", "0", "0"]:
        raise Failure("after loadvm, read from the disk: %r" % out)


def t_relogin(g, s):
    g.send(b"exit\n")
    t_login_prompt_again(g, s)
    t_login(g, s)


def t_login_prompt_again(g, s):
    g.expect(rb"vemu-debian login: ", CMD_TIMEOUT, "the login prompt after logout")


def t_quit(g, s):
    s["hmp"].s.sendall(b"quit\n")
    st = g.wait_exit(60, "quit")
    if st != 0:
        raise Failure("quit: status %s" % st)


def t_savevm_image(g, s):
    """After quit: the image checks clean and holds deb1 with its VM state."""
    tool = shutil.which("qemu-img") or img_tool
    r = subprocess.run([tool, "check", s["disk"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise Failure("%s check: %s" % (tool, r.stdout.decode(errors="replace")[-300:]))
    r = subprocess.run([tool, "snapshot", "-l", s["disk"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    rows = [l.split() for l in r.stdout.decode(errors="replace").splitlines()[2:]]
    if not any(len(f) > 2 and f[1] == "deb1" and f[2] != "0" for f in rows):
        raise Failure("%s snapshot -l: %r" % (tool, r.stdout.decode(errors="replace")))


BOOTED = [t_login_prompt, t_login]
SESSIONS = {
    "overlay": dict(extra=[], tests=BOOTED + [t_uname, t_debian_version, t_root_fs, t_systemd, t_dpkg,
                                              t_apt_cache, t_python3, t_workload, t_wget_host, t_hostfwd,
                                              t_write_file, t_poweroff],
                    after=[t_overlay_writes]),
    "snapshot": dict(extra=["-snapshot"], tests=BOOTED + [t_overlay_file_seen, t_write_file, t_poweroff],
                     after=[t_snapshot_discarded]),
    # an overlay of its own (the base untouched), the HMP on a socket
    "savevm": dict(extra=["-monitor", "unix:%s,server,nowait" % hmp_path()],
                   tests=BOOTED + [t_savevm, t_runs_on, t_loadvm, t_relogin, t_quit],
                   after=[t_savevm_image], own_disk=True),
}


def name_of(t):
    return t.__name__[2:].replace("_", "-")


def report(ok, session, t, why=""):
    print("%s: system-debian/%s/%s/%s%s" % ("PASS" if ok else "FAIL", kind, session, name_of(t),
                                             "" if ok else " (%s; logs in %s)" % (why, logdir)))
    sys.stdout.flush()


def run_session(name):
    sess = SESSIONS[name]
    tests = sess["tests"] + sess["after"]
    s = {"session": name, "notes": [], "base_md5": md5(base)}
    word_file = os.path.join(logdir, "overlay-word-%s" % kind)
    if name == "overlay" and os.path.exists(word_file):
        os.unlink(word_file)   # written again when this session passes
    if name == "overlay" or not os.path.exists(overlay):
        if os.path.exists(overlay):
            os.unlink(overlay)
        r = subprocess.run([img_tool, "create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", overlay],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            for t in tests:
                report(False, name, t, "vemu-img create -b: %s" % r.stdout.decode(errors="replace").strip())
            return
    s["disk"] = overlay
    if sess.get("own_disk"):
        s["disk"] = os.path.join(logdir, "%s-%s.qcow2" % (name, kind))
        if os.path.exists(s["disk"]):
            os.unlink(s["disk"])
        r = subprocess.run([img_tool, "create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", s["disk"]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            for t in tests:
                report(False, name, t, "vemu-img create -b: %s" % r.stdout.decode(errors="replace").strip())
            return
        if os.path.exists(hmp_path()):
            os.unlink(hmp_path())
    s["overlay_md5"] = md5(overlay)
    g = Guest(argv_for(s["disk"], sess["extra"]), os.path.join(logdir, "%s-%s.log" % (kind, name)))
    s["start"] = time.monotonic()
    failed = None
    try:
        for t in sess["tests"]:
            if failed:
                report(False, name, t, "not run: %s failed" % failed)
                continue
            try:
                t(g, s)
                report(True, name, t)
            except Failure as e:
                failed = name_of(t)
                report(False, name, t, str(e))
    finally:
        g.close()
    for t in sess["after"]:
        # the image checks need only the synced write: a poweroff that
        # hangs (the emulator is then killed) does not hide them
        if failed and not (failed == "poweroff" and "word" in s):
            report(False, name, t, "not run: %s failed" % failed)
            continue
        try:
            t(None, s)
            report(True, name, t)
        except Failure as e:
            report(False, name, t, str(e))
    if "boot_s" in s:
        print("# system-debian/%s/%s: login prompt after %.0f s%s" %
              (kind, name, s["boot_s"], "; " + "; ".join(s["notes"]) if s["notes"] else ""))


if __name__ == "__main__":
    if not shutil.which("debugfs"):
        print("# debugfs (e2fsprogs) missing: the overlay read-back fails")
    for name in sessions:
        run_session(name)
    httpd.shutdown()
