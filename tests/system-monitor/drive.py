#!/usr/bin/env python3
"""tests/system-monitor/drive.py — drives a booted vemu-system-arm (or
qemu-system-arm, the oracle) through its HMP and QMP sockets and prints
PASS/FAIL lines.  Standard library only.

usage: drive.py SESSION WORKDIR [key=value...]
  session "main":  hmp=SOCK qmp=SOCK console=FILE pid=N jiffies=ADDR banner=ADDR
  session "prelaunch": qmp=SOCK console=FILE
  session "mux": (vemu's stdio piped: argv after -- is the command)
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

PREFIX = "system-monitor/"
failed = 0


def result(name, ok, why=""):
    global failed
    if ok:
        print("PASS: " + PREFIX + name)
    else:
        failed += 1
        print("FAIL: " + PREFIX + name + (" (" + why + ")" if why else ""))
    sys.stdout.flush()


def connect(path, timeout=30):
    end = time.time() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            s.settimeout(60)
            return s
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.1)


class HMP:
    def __init__(self, path):
        self.s = connect(path)
        self.buf = b""
        self.banner = self.until_prompt()

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
        # the echoed command line comes first
        first, _, rest = out.partition("\r\n")
        return rest.replace("\r\n", "\n")


class QMP:
    def __init__(self, path):
        self.s = connect(path)
        self.f = self.s.makefile("rb")
        self.events = []
        self.greeting = self.read()

    def read(self):
        line = self.f.readline()
        if not line:
            raise EOFError("QMP closed")
        return json.loads(line)

    def send(self, obj):
        self.s.sendall((json.dumps(obj) if not isinstance(obj, str) else obj).encode() + b"\n")

    def cmd(self, name, args=None, **extra):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        req.update(extra)
        self.send(req)
        return self.reply()

    def reply(self):
        while True:
            m = self.read()
            if "event" in m:
                self.events.append(m)
                continue
            return m

    def wait_event(self, name, timeout=120):
        end = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    del self.events[: i + 1]
                    return e
            self.s.settimeout(max(0.1, end - time.time()))
            try:
                m = self.read()
            except (socket.timeout, TimeoutError):
                return None
            finally:
                self.s.settimeout(60)
            if "event" in m:
                self.events.append(m)


def keys(d):
    return sorted(d.keys())


def wait_console(path, text, count=1, timeout=300):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with open(path, errors="replace") as f:
                if f.read().count(text) >= count:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def read_word(hmp, addr, phys=False):
    out = hmp.cmd("%s/1xw 0x%x" % ("xp" if phys else "x", addr))
    m = re.match(r"^[0-9a-f]+: 0x([0-9a-f]{8})$", out.strip())
    return int(m.group(1), 16) if m else None


def session_main(kv):
    hmp = HMP(kv["hmp"])
    result("hmp-banner", "monitor - type 'help' for more information" in hmp.banner, repr(hmp.banner))
    out = hmp.cmd("info status")
    result("hmp-info-status", out == "VM status: running\n", repr(out))
    out = hmp.cmd("info version")
    result("hmp-info-version", re.match(r"^\d+\.\d+", out) is not None, repr(out))
    regs = hmp.cmd("info registers")
    result("hmp-info-registers", re.search(r"R15=[0-9a-f]{8}", regs) is not None, repr(regs[:200]))
    out = hmp.cmd("info chardev")
    result("hmp-info-chardev", re.search(r"^serial0: filename=", out, re.M) is not None and
           re.search(r"^compat_monitor\d: filename=.*unix", out, re.M) is not None, repr(out))
    out = hmp.cmd("info cpus")
    result("hmp-info-cpus", re.match(r"^\* CPU #0: thread_id=\d+\n$", out) is not None, repr(out))
    port = kv.get("gdbport")
    if port:
        out = hmp.cmd("gdbserver tcp::%s" % port)
        out2 = hmp.cmd("gdbserver tcp::%s" % port)
        result("hmp-gdbserver", out == "Waiting for gdb connection on device 'tcp::%s'\n" % port and
               "already" in out2, repr((out, out2)))
    out = hmp.cmd("foo")
    result("hmp-unknown-command", out == "unknown command: 'foo'\n", repr(out))

    # x and xp: the kernel's banner through the MMU and physically
    out = hmp.cmd("x/5cb 0x%x" % kv["banner"])
    want = "%08x: 'L' 'i' 'n' 'u' 'x'\n" % kv["banner"]
    result("hmp-x-virtual", out == want, repr(out))
    out = hmp.cmd("xp/2cw 0x%x" % (kv["banner"] - 0xc0000000))
    want = "%016x: 'L' 'i' 'n' 'u' 'x' ' ' 'v' 'e'\n" % (kv["banner"] - 0xc0000000)
    result("hmp-xp-physical", out == want, repr(out))
    w = read_word(hmp, kv["banner"])
    result("hmp-x-word", w == int.from_bytes(b"Linu", "little"), repr(w))
    out = hmp.cmd("x/1xw 0xa0000000")
    result("hmp-x-unmapped", "Cannot access memory" in out, repr(out))

    # stop: the cpu and the guest's clock stand still (jiffies, in kernel
    # memory, does not move; the registers do not change); cont: both go on
    qmp = QMP(kv["qmp"])
    qmp.cmd("qmp_capabilities")
    hmp.cmd("stop")
    out = hmp.cmd("info status")
    result("hmp-stop-status", out == "VM status: paused\n", repr(out))
    j1 = read_word(hmp, kv["jiffies"])
    r1 = hmp.cmd("info registers")
    time.sleep(1.5)
    j2 = read_word(hmp, kv["jiffies"])
    r2 = hmp.cmd("info registers")
    result("hmp-stop-cpu-stopped", j1 is not None and j1 == j2 and r1 == r2, "jiffies %r -> %r" % (j1, j2))
    st = qmp.cmd("query-status")
    result("qmp-status-paused", st.get("return", {}).get("status") == "paused" and
           st["return"]["running"] is False, repr(st))
    hmp.cmd("cont")
    # an idle tickless guest updates jiffies when it wakes: give it time
    j3 = None
    for _ in range(40):
        time.sleep(0.5)
        j3 = read_word(hmp, kv["jiffies"])
        if j3 is not None and j2 is not None and j3 > j2:
            break
    result("hmp-cont-runs", j3 is not None and j2 is not None and j3 > j2, "jiffies %r -> %r" % (j2, j3))
    qmp.cmd("query-status")   # the events sent before its reply are read by now
    ev = [e["event"] for e in qmp.events]
    result("qmp-events-stop-resume", ev[:2] == ["STOP", "RESUME"], repr(ev))
    qmp.events.clear()

    # QMP commands, their keys as qemu-system-arm 7.2 gives them
    r = qmp.cmd("query-status", id="s1")
    result("qmp-query-status", keys(r) == ["id", "return"] and r["id"] == "s1" and
           keys(r["return"]) == ["running", "singlestep", "status"] and r["return"]["status"] == "running", repr(r))
    r = qmp.cmd("query-version")
    result("qmp-query-version", keys(r["return"]) == ["package", "qemu"] and
           keys(r["return"]["qemu"]) == ["major", "micro", "minor"], repr(r))
    r = qmp.cmd("query-name")
    result("qmp-query-name", r == {"return": {"name": "vm1"}}, repr(r))
    r = qmp.cmd("query-commands")
    names = {c["name"] for c in r["return"]}
    need = {"query-status", "query-version", "query-commands", "query-name", "query-chardev", "query-cpus-fast",
            "query-block", "stop", "cont", "system_reset", "system_powerdown", "quit", "human-monitor-command",
            "qmp_capabilities"}
    result("qmp-query-commands", need <= names, repr(need - names))
    r = qmp.cmd("query-chardev")
    ok = all(keys(c) == ["filename", "frontend-open", "label"] for c in r["return"])
    labels = {c["label"] for c in r["return"]}
    result("qmp-query-chardev", ok and "serial0" in labels, repr(r))
    r = qmp.cmd("query-cpus-fast")
    c = r["return"][0] if r.get("return") else {}
    result("qmp-query-cpus-fast", len(r["return"]) == 1 and
           keys(c) == ["cpu-index", "qom-path", "target", "thread-id"] and c["target"] == "arm", repr(r))
    r = qmp.cmd("query-block")
    result("qmp-query-block", isinstance(r.get("return"), list), repr(r))
    r = qmp.cmd("human-monitor-command", {"command-line": "info status"})
    result("qmp-human-monitor-command", r == {"return": "VM status: running\r\n"}, repr(r))
    r = qmp.cmd("nosuch-command")
    result("qmp-error-command-not-found", r.get("error", {}).get("class") == "CommandNotFound" and
           keys(r["error"]) == ["class", "desc"], repr(r))
    r = qmp.cmd("human-monitor-command")
    result("qmp-error-missing-parameter", r.get("error", {}).get("class") == "GenericError", repr(r))
    qmp.send("[1, 2]")
    r = qmp.reply()
    result("qmp-error-not-object", r.get("error", {}).get("class") == "GenericError", repr(r))
    r = qmp.cmd("system_powerdown")
    e = qmp.wait_event("POWERDOWN", 10)
    result("qmp-system-powerdown", r == {"return": {}} and e is not None and keys(e) == ["event", "timestamp"],
           repr((r, e)))

    # system_reset: a RESET event (host-qmp-system-reset) and the guest
    # boots to its shell again
    r = qmp.cmd("system_reset")
    e = qmp.wait_event("RESET", 30)
    result("qmp-system-reset-event", r == {"return": {}} and e is not None and
           e.get("data") == {"guest": False, "reason": "host-qmp-system-reset"} and
           keys(e["timestamp"]) == ["microseconds", "seconds"], repr((r, e)))
    result("system-reset-reboots", wait_console(kv["console"], "VEMU-INIT-READY", 2, 300), "no second boot")

    # quit from QMP: SHUTDOWN (host-qmp-quit), vemu exits 0
    r = qmp.cmd("quit")
    e = qmp.wait_event("SHUTDOWN", 30)
    result("qmp-quit", r == {"return": {}} and e is not None and
           e.get("data") == {"guest": False, "reason": "host-qmp-quit"}, repr((r, e)))


def session_prelaunch(kv):
    qmp = QMP(kv["qmp"])
    g = qmp.greeting
    result("qmp-greeting", keys(g) == ["QMP"] and keys(g["QMP"]) == ["capabilities", "version"], repr(g))
    r = qmp.cmd("query-status")
    result("qmp-before-negotiation", r.get("error", {}).get("class") == "CommandNotFound", repr(r))
    r = qmp.cmd("qmp_capabilities")
    result("qmp-negotiation", r == {"return": {}}, repr(r))
    r = qmp.cmd("qmp_capabilities")
    result("qmp-negotiation-again", r.get("error", {}).get("class") == "CommandNotFound", repr(r))
    r = qmp.cmd("query-status")
    result("prelaunch-status", r.get("return", {}).get("status") == "prelaunch" and
           r["return"]["running"] is False, repr(r))
    r = qmp.cmd("human-monitor-command", {"command-line": "info registers"})
    regs = r.get("return", "")
    result("prelaunch-reset-pc", re.search(r"R15=00000000", regs) is not None, repr(regs[:200]))
    time.sleep(1)
    try:
        size = os.path.getsize(kv["console"])
    except OSError:
        size = 0
    result("prelaunch-no-output", size == 0, "%d console bytes" % size)
    r = qmp.cmd("cont")
    e = qmp.wait_event("RESUME", 10)
    result("prelaunch-cont", r == {"return": {}} and e is not None, repr((r, e)))
    result("prelaunch-boots", wait_console(kv["console"], "VEMU-INIT-READY", 1, 300), "no boot after cont")
    r = qmp.cmd("quit")
    result("prelaunch-quit", r == {"return": {}}, repr(r))


def session_mux(kv, argv):
    # the default monitor shares the terminal: C-a c reaches it
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.set_blocking(p.stdout.fileno(), False)
    buf = b""

    def wait_for(text, timeout):
        nonlocal buf
        end = time.time() + timeout
        while time.time() < end:
            try:
                d = p.stdout.read()
            except BlockingIOError:
                d = None
            if d:
                buf += d
            if text in buf:
                return True
            if p.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    booted = wait_for(b"VEMU-INIT-READY", 300)
    result("mux-boot", booted, "no init marker")
    buf = b""
    p.stdin.write(b"\x01c")
    p.stdin.flush()
    ok = wait_for(b"(qemu) ", 10)
    result("mux-monitor-prompt", ok, repr(buf[-200:]))
    buf = b""
    p.stdin.write(b"info status\r")
    p.stdin.flush()
    ok = wait_for(b"VM status: running", 10)
    result("mux-info-status", ok, repr(buf[-200:]))
    p.stdin.write(b"quit\r")
    p.stdin.flush()
    try:
        rc = p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = "running"
    result("mux-quit", rc == 0, "status %r" % rc)


def session_sigterm(kv):
    qmp = QMP(kv["qmp"])
    qmp.cmd("qmp_capabilities")
    os.kill(int(kv["pid"]), 15)
    e = qmp.wait_event("SHUTDOWN", 30)
    result("sigterm-shutdown-event", e is not None and e.get("data") == {"guest": False, "reason": "host-signal"},
           repr(e))


def main():
    session, argv = sys.argv[1], sys.argv[2:]
    rest = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    kv = {}
    for a in argv:
        k, _, v = a.partition("=")
        kv[k] = int(v, 0) if k in ("jiffies", "banner") else v
    try:
        if session == "main":
            session_main(kv)
        elif session == "prelaunch":
            session_prelaunch(kv)
        elif session == "sigterm":
            session_sigterm(kv)
        elif session == "mux":
            session_mux(kv, rest)
    except Exception as e:   # a dead emulator or a protocol error: say so
        result(session + "-aborted", False, "%s: %s" % (type(e).__name__, e))
    sys.exit(1 if failed else 0)


main()
