#!/usr/bin/env python3
"""tests/system-net/net.py — user-mode networking through the SMC91C111:
boots the cached Versatile PB kernel and busybox initramfs under an
emulator (vemu-system-arm, or qemu-system-arm as the oracle) with a NIC on
user networking, and checks from the guest's console and the host side:
the card's MAC in sysfs, a DHCP lease of 10.0.2.15 from 10.0.2.2, wget of
a file from an http server on the host through the gateway 10.0.2.2, a
guest `nc -l` reached from the host through hostfwd, restrict=on (the
guest cannot reach the host, hostfwd still works), the other spellings of
the options, and bad options refused with a non-zero exit.

usage: net.py EMULATOR KIND(vemu|qemu) KERNEL_DIR INITRD LOGDIR
Prints PASS/FAIL lines."""
import functools, http.server, os, select, socket, subprocess, sys, threading, time

emu, kind, kdir, initrd, logdir = sys.argv[1:6]
TIMEOUT = int(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))
MAC = "52:54:00:12:34:56"
MAC2 = "52:54:00:ab:cd:ef"

www = os.path.join(logdir, "www")
os.makedirs(www, exist_ok=True)
PAYLOAD = "vemu-net-payload-%d" % os.getpid()
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


class Guest:
    def __init__(self, name, net_args):
        self.name = name
        cmd = [emu, "-M", "versatilepb", "-m", "128", "-kernel", os.path.join(kdir, "zImage"),
               "-initrd", initrd, "-append", "console=ttyAMA0 quiet", "-nographic",
               "-monitor", "none", "-no-reboot"] + net_args
        if kind == "qemu":   # qemu has no tree of its own for this board
            cmd += ["-dtb", os.path.join(kdir, "versatile-pb.dtb")]
        self.log = open(os.path.join(logdir, "net-%s-%s.log" % (kind, name)), "wb")
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.buf = b""

    def wait(self, pat, t=60):
        end = time.time() + t
        pat = pat.encode()
        while time.time() < end:
            r, _, _ = select.select([self.p.stdout], [], [], 0.5)
            if r:
                d = os.read(self.p.stdout.fileno(), 4096)
                if not d:
                    return None
                self.log.write(d)
                self.log.flush()
                self.buf += d
                i = self.buf.find(pat)
                if i >= 0:
                    out = self.buf[:i]
                    self.buf = self.buf[i + len(pat):]
                    return out.decode(errors="replace")
        return None

    def run(self, cmd, t=60):
        """Run cmd in the guest shell; its output (the echo of the command
        line is dropped: the marker is printed by an expansion so the echo
        does not contain it)."""
        self.p.stdin.write((cmd + "; echo END-$((6*7))-MARK\n").encode())
        self.p.stdin.flush()
        out = self.wait("END-42-MARK", t)
        return out

    def close(self):
        try:
            self.p.kill()
        except Exception:
            pass
        self.p.wait()
        self.log.close()


results = []


def check(name, ok, why=""):
    print("%s: system-net/%s/%s%s" % ("PASS" if ok else "FAIL", kind, name,
                                      "" if ok else " (%s; logs in %s)" % (why, logdir)))
    sys.stdout.flush()


def host_fetch(port, t=15):
    end = time.time() + t
    while time.time() < end:
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            c.settimeout(10)
            got = b""
            while True:
                d = c.recv(256)
                if not d:
                    break
                got += d
            c.close()
            if got:
                return got.decode(errors="replace")
        except OSError:
            pass
        time.sleep(0.5)
    return ""


def session(name, net_args, fport, mac, restricted=False, tests=("mac", "dhcp", "wget", "hostfwd")):
    g = Guest(name, net_args)
    try:
        if g.wait("VEMU-INIT-READY", TIMEOUT) is None:
            for t in tests:
                check("%s/%s" % (name, t), False, "no init marker")
            return
        g.wait("# ", 10)
        if "mac" in tests:
            out = g.run("cat /sys/class/net/eth0/address") or ""
            check(name + "/mac", mac in out, "eth0 address: %r" % out.strip()[-60:])
        if "dhcp" in tests:
            out = g.run("ip link set eth0 up; udhcpc -i eth0 -n -q -t 5 -s /bin/true 2>&1") or ""
            check(name + "/dhcp", "lease of 10.0.2.15 obtained from 10.0.2.2" in out,
                  "udhcpc: %r" % out.strip()[-120:])
        g.run("ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2")
        if "wget" in tests:
            out = g.run("timeout 8 wget -q -O - http://10.0.2.2:%d/hello.txt; echo wget-status=$?" % HPORT, 30) or ""
            if restricted:
                check(name + "/wget-blocked", PAYLOAD not in out and "wget-status=0" not in out,
                      "restrict=on let the guest reach the host: %r" % out.strip()[-120:])
            else:
                check(name + "/wget", PAYLOAD in out and "wget-status=0" in out,
                      "wget: %r" % out.strip()[-120:])
        if "hostfwd" in tests:
            word = "guest-%s-%d" % (name, os.getpid())
            g.run("(echo %s | nc -l -p 7777 &) ; sleep 1" % word)
            got = host_fetch(fport)
            check(name + "/hostfwd", word in got, "host read %r" % got)
    finally:
        g.close()


p1 = free_port()
session("nic-user", ["-nic", "user,hostfwd=tcp:127.0.0.1:%d-:7777" % p1], p1, MAC)
p2 = free_port()
session("restrict", ["-nic", "user,restrict=on,hostfwd=tcp:127.0.0.1:%d-:7777" % p2], p2, MAC,
        restricted=True)
p3 = free_port()
if kind == "qemu":   # QEMU's board makes its NIC itself: no -device smc91c111 there
    nic = ["-net", "nic,netdev=n0,macaddr=" + MAC2]
else:
    nic = ["-device", "smc91c111,netdev=n0,mac=" + MAC2]
session("netdev", ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:7777" % p3] + nic, p3, MAC2,
        tests=("mac", "dhcp", "hostfwd"))
session("net-nic-user", ["-net", "nic", "-net", "user"], 0, MAC, tests=("mac", "dhcp", "wget"))

# Bad options: a message and a non-zero exit, never a crash or a boot.
for name, args in (("bad-hostfwd", ["-nic", "user,hostfwd=tcp:nonsense"]),
                   ("bad-backend", ["-netdev", "bogus,id=x"]),
                   ("bad-netdev-ref", ["-netdev", "user,id=a", "-net", "nic,netdev=b"])):
    cmd = [emu, "-M", "versatilepb", "-kernel", os.path.join(kdir, "zImage"), "-nographic",
           "-monitor", "none"] + args
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        rc, err = r.returncode, r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, err = None, "still running after 20 s"
    check("options/" + name, rc is not None and 0 < rc < 128 and err.strip() != "",
          "exit %s, stderr %r" % (rc, err.strip()[-120:]))
# `info network` in the monitor, before the guest runs (-S): the NIC and
# its backend, as QEMU prints them for -netdev user,id=n0 and its NIC.
nic = (["-net", "nic,netdev=n0"] if kind == "qemu" else ["-device", "smc91c111,netdev=n0"])
cmd = [emu, "-M", "versatilepb", "-kernel", os.path.join(kdir, "zImage"), "-S", "-display", "none",
       "-serial", "null", "-monitor", "stdio", "-netdev", "user,id=n0,restrict=on"] + nic
if kind == "qemu":
    cmd += ["-dtb", os.path.join(kdir, "versatile-pb.dtb")]
else:
    cmd.remove("-display")
    cmd.remove("none")
try:
    r = subprocess.run(cmd, input=b"info network\nquit\n", capture_output=True, timeout=20)
    out = r.stdout.decode(errors="replace").replace("\r", "")
except subprocess.TimeoutExpired:
    out = ""
want = ("smc91c111.0: index=0,type=nic,model=smc91c111,macaddr=52:54:00:12:34:56\n"
        " \\ n0: index=0,type=user,net=10.0.2.0,restrict=on\n")
check("monitor/info-network", want in out, "monitor said %r" % out[-300:])
httpd.shutdown()
