#!/usr/bin/env python3
"""tests/system-net/net.py — user-mode networking through the SMC91C111:
boots the cached Versatile PB kernel and busybox initramfs under an
emulator (vemu-system-arm, or qemu-system-arm as the oracle) with a NIC on
user networking, and checks from the guest's console and the host side:
the card's MAC in sysfs, a DHCP lease of 10.0.2.15 from 10.0.2.2, wget of
a file from an http server on the host through the gateway 10.0.2.2, a
guest `nc -l` reached from the host through hostfwd, restrict=on (the
guest cannot reach the host, hostfwd still works), the other spellings of
the options, and bad options refused with a non-zero exit; the default NIC
(no network option: user networking, as QEMU); socket backends (TCP
listen/connect, multicast) joining two guests that ping each other, and a
vemu guest wired to a qemu-system-arm guest (QEMU's framing); a host tap
interface the host and the guest ping across (root only).

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
    def __init__(self, name, net_args, emu_override=None):
        self.name = name
        me = emu_override or emu
        cmd = [me, "-M", "versatilepb", "-m", "128", "-kernel", os.path.join(kdir, "zImage"),
               "-initrd", initrd, "-append", "console=ttyAMA0 quiet", "-nographic",
               "-monitor", "none", "-no-reboot"] + net_args
        if kind == "qemu" or emu_override:   # qemu has no tree of its own for this board
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

# No network option at all: QEMU's default NIC on user networking.
session("default", [], 0, MAC, tests=("mac", "dhcp", "wget"))


def pair(name, args_a, args_b, ip_a, ip_b, emu_b=None):
    """Two guests on one wire (socket backends): each pings the other."""
    ga = Guest(name + "-a", args_a)
    time.sleep(2)            # a listener first
    gb = Guest(name + "-b", args_b, emu_b)
    try:
        ok = ga.wait("VEMU-INIT-READY", TIMEOUT) is not None
        ok = gb.wait("VEMU-INIT-READY", TIMEOUT) is not None and ok
        if not ok:
            check(name + "/ping", False, "no init marker")
            return
        for g, ip in ((ga, ip_a), (gb, ip_b)):
            g.wait("# ", 10)
            g.run("ip link set eth0 up; ip addr add %s/24 dev eth0" % ip)
        out_a = ga.run("ping -c 3 -W 5 %s 2>&1" % ip_b, 60) or ""
        out_b = gb.run("ping -c 3 -W 5 %s 2>&1" % ip_a, 60) or ""
        check(name + "/ping", " 0% packet loss" in out_a and " 0% packet loss" in out_b,
              "a: %r b: %r" % (out_a.strip()[-80:], out_b.strip()[-80:]))
    finally:
        ga.close()
        gb.close()


MAC_B = "52:54:00:12:34:57"
p4 = free_port()
pair("socket-tcp", ["-nic", "socket,listen=127.0.0.1:%d" % p4],
     ["-nic", "socket,connect=127.0.0.1:%d,mac=%s" % (p4, MAC_B)], "192.168.77.1", "192.168.77.2")
p5 = free_port()
pair("socket-mcast", ["-nic", "socket,mcast=230.0.0.1:%d" % p5],
     ["-nic", "socket,mcast=230.0.0.1:%d,mac=%s" % (p5, MAC_B)], "192.168.79.1", "192.168.79.2")
QEMU = "/usr/bin/qemu-system-arm"
if kind == "vemu" and os.access(QEMU, os.X_OK):
    # the same wire format as QEMU: vemu listens, qemu-system-arm connects
    p6 = free_port()
    pair("socket-with-qemu", ["-nic", "socket,listen=127.0.0.1:%d" % p6],
         ["-nic", "socket,connect=127.0.0.1:%d,mac=%s" % (p6, MAC_B)], "192.168.80.1", "192.168.80.2",
         emu_b=QEMU)


def tap_session():
    """A host tap interface: the host and the guest ping each other."""
    ifname = "vemutap%d" % (os.getpid() % 1000)
    if os.geteuid() != 0 or not os.access("/dev/net/tun", os.R_OK | os.W_OK) or \
            subprocess.run(["ip", "-V"], capture_output=True).returncode != 0:
        print("SKIP: system-net/%s/tap/ping (needs root, /dev/net/tun and ip)" % kind)
        return
    g = Guest("tap", ["-nic", "tap,ifname=%s,script=no,downscript=no" % ifname])
    try:
        if g.wait("VEMU-INIT-READY", TIMEOUT) is None:
            check("tap/ping", False, "no init marker")
            return
        up = subprocess.run("ip addr add 192.168.78.1/24 dev %s && ip link set %s up" % (ifname, ifname),
                            shell=True, capture_output=True)
        if up.returncode:
            print("SKIP: system-net/%s/tap/ping (the host cannot configure %s: %s)"
                  % (kind, ifname, up.stderr.decode(errors="replace").strip()[-80:]))
            return
        g.wait("# ", 10)
        g.run("ip link set eth0 up; ip addr add 192.168.78.2/24 dev eth0")
        out = g.run("ping -c 3 -W 5 192.168.78.1 2>&1", 60) or ""
        host = subprocess.run(["ping", "-c", "3", "-W", "5", "192.168.78.2"], capture_output=True,
                              timeout=60) if subprocess.run(["which", "ping"], capture_output=True).returncode == 0 \
            else None
        host_ok = host is None or host.returncode == 0
        check("tap/ping", " 0% packet loss" in out and host_ok,
              "guest: %r host: %r" % (out.strip()[-80:], host.stdout.decode()[-80:] if host else "no ping"))
    finally:
        g.close()


tap_session()

# Bad options: a message and a non-zero exit, never a crash or a boot.
for name, args in (("bad-hostfwd", ["-nic", "user,hostfwd=tcp:nonsense"]),
                   ("bad-backend", ["-netdev", "bogus,id=x"]),
                   ("bad-netdev-ref", ["-netdev", "user,id=a", "-net", "nic,netdev=b"]),
                   ("socket-no-mode", ["-nic", "socket"]),
                   # qemu-system-arm 7.2 keeps running when the peer refuses
                   # (docs/quirks.md): vemu only
                   ("socket-refused", ["-nic", "socket,connect=127.0.0.1:%d" % free_port()]
                    if kind == "vemu" else ["-nic", "socket"]),
                   ("tap-bad-option", ["-netdev", "tap,id=t,bogus=1", "-net", "nic,netdev=t"])):
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
