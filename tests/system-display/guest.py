"""tests/system-display/guest.py — the pieces the display tests share
(Python standard library only): an emulator run with its serial port on
pipes and a QMP socket, PPM and PNG readers, and a small RFB (VNC) client.
Nothing is timed: timeouts only catch a hung emulator."""
import atexit
import json
import os
import select
import socket
import struct
import subprocess
import time
import zlib

TIMEOUT = float(os.environ.get("VEMU_SYSTEM_TIMEOUT", "300"))


class Failure(Exception):
    pass


_running = []


@atexit.register
def _kill_leftovers():
    for p in _running:
        if p.poll() is None:
            p.kill()
            p.wait()


class Emu:
    """argv: the emulator and its options (no -qmp, no -serial)."""

    def __init__(self, argv, work, name, env=None):
        self.sock_path = os.path.join(work, name + ".qmp")
        self.err_path = os.path.join(work, name + ".stderr")
        self.buf = b""
        args = list(argv) + ["-serial", "stdio", "-qmp", "unix:%s,server,nowait" % self.sock_path]
        self.err = open(self.err_path, "wb")
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err,
                                  env=env)
        _running.append(self.p)
        self.q = None
        end = time.monotonic() + 30
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                break
            except OSError:
                s.close()
                if time.monotonic() > end or self.p.poll() is not None:
                    raise Failure("no QMP socket: %s" % self.stderr_tail())
                time.sleep(0.05)
        self.q = s
        self.qbuf = b""
        greeting = self._qmp_read()
        if "QMP" not in greeting:
            raise Failure("no QMP greeting: %r" % greeting)
        self.qmp("qmp_capabilities")

    def stderr_tail(self):
        if not self.err.closed:
            self.err.flush()
        try:
            with open(self.err_path, "rb") as f:
                return f.read()[-400:].decode("latin-1").strip()
        except OSError:
            return ""

    def _qmp_read(self):
        end = time.monotonic() + 60
        while b"\n" not in self.qbuf:
            left = end - time.monotonic()
            if left <= 0:
                raise Failure("QMP reply timeout")
            r, _, _ = select.select([self.q], [], [], left)
            if r:
                d = self.q.recv(65536)
                if not d:
                    raise Failure("QMP connection closed: %s" % self.stderr_tail())
                self.qbuf += d
        line, self.qbuf = self.qbuf.split(b"\n", 1)
        return json.loads(line)

    def qmp(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.q.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._qmp_read()
            if "event" not in r:
                return r

    def hmp(self, line):
        r = self.qmp("human-monitor-command", **{"command-line": line})
        if "return" not in r:
            raise Failure("human-monitor-command %r: %r" % (line, r))
        return r["return"].replace("\r\n", "\n")

    def wait_serial(self, marker, timeout=TIMEOUT):
        end = time.monotonic() + timeout
        while marker not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or self.p.poll() is not None:
                raise Failure("no %r on the serial port (%s)" % (marker, self.stderr_tail()))
            r, _, _ = select.select([self.p.stdout], [], [], min(left, 1.0))
            if r:
                d = os.read(self.p.stdout.fileno(), 65536)
                if not d:
                    raise Failure("serial port closed before %r" % marker)
                self.buf += d
        i = self.buf.index(marker) + len(marker)
        seen, self.buf = self.buf[:i], self.buf[i:]
        return seen

    def send_serial(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def shell(self, cmd, timeout=120):
        """Run a shell command on the serial console; its output."""
        self.n = getattr(self, "n", 0) + 1
        tag = 5000 + self.n
        self.send_serial(("echo B-$((%d)); %s; echo E-$((%d))\n" % (tag, cmd, tag)).encode())
        self.wait_serial(b"B-%d" % tag, timeout)
        out = self.wait_serial(b"E-%d" % tag, timeout)
        return out[:-len(b"E-%d" % tag)].decode("latin-1").replace("\r", "").strip("\n")

    def close(self):
        if self.p.poll() is None:
            try:
                self.q.sendall(b'{"execute": "quit"}\n')
            except OSError:
                pass
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if self.q:
            self.q.close()
        self.err.close()
        return self.p.returncode


# ---- images ---------------------------------------------------------------------------------


def read_ppm(path):
    """(width, height, RGB bytes) of a binary P6 file with maxval 255."""
    with open(path, "rb") as f:
        data = f.read()
    fields = []
    i = 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            i = data.index(b"\n", i) + 1
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    i += 1   # the one blank after maxval
    if fields[0] != b"P6" or fields[3] != b"255":
        raise Failure("%s: not a P6 PPM with maxval 255 (%r)" % (path, fields))
    w, h = int(fields[1]), int(fields[2])
    pix = data[i:]
    if len(pix) != w * h * 3:
        raise Failure("%s: %d pixel bytes for %dx%d" % (path, len(pix), w, h))
    return w, h, pix


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """(width, height, RGB bytes) of an 8-bit RGB or RGBA PNG, checking
    the signature and every chunk's CRC."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("%s: no PNG signature" % path)
    i, idat, ihdr = 8, b"", None
    while i < len(data):
        n, typ = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        crc, = struct.unpack(">I", data[i + 8 + n:i + 12 + n])
        if zlib.crc32(typ + body) != crc:
            raise Failure("%s: bad CRC in %r" % (path, typ))
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat += body
        elif typ == b"IEND":
            break
        i += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise Failure("%s: not 8-bit RGB(A) non-interlaced (%r)" % (path, ihdr))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    out = bytearray()
    prev = bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                line[x] = (line[x] + _paeth(a, b, c)) & 255
        prev = line
        if bpp == 3:
            out += line
        else:
            for x in range(w):
                out += line[4 * x:4 * x + 3]
    return w, h, bytes(out)


def region(img, x0, y0, w, h):
    W, H, pix = img
    return b"".join(pix[((y0 + y) * W + x0) * 3:((y0 + y) * W + x0 + w) * 3] for y in range(h))


def colours(img, x0, y0, w, h):
    r = region(img, x0, y0, w, h)
    return {r[i:i + 3] for i in range(0, len(r), 3)}


# ---- a minimal RFB 3.8 client ----------------------------------------------------------------


class Rfb:
    def __init__(self, port, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > end:
                    raise Failure("cannot connect to VNC port %d" % port)
                time.sleep(0.1)
        ver = self.recv(12)
        if not ver.startswith(b"RFB 003."):
            raise Failure("not an RFB server: %r" % ver)
        self.s.sendall(b"RFB 003.008\n")
        n = self.recv(1)[0]
        types = self.recv(n)
        if 1 not in types:
            raise Failure("no 'None' security type: %r" % types)
        self.s.sendall(b"\x01")
        if struct.unpack(">I", self.recv(4))[0] != 0:
            raise Failure("security handshake failed")
        self.s.sendall(b"\x01")   # shared
        self.w, self.h = struct.unpack(">HH", self.recv(4))
        self.recv(16)   # the server's pixel format
        self.name = self.recv(struct.unpack(">I", self.recv(4))[0])
        # 32 bpp, depth 24, little endian, true colour, R at 16, G at 8, B at 0
        pf = struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)
        self.s.sendall(b"\x00\x00\x00\x00" + pf)
        self.s.sendall(struct.pack(">BxHii", 2, 2, 0, -223))   # encodings: Raw, DesktopSize
        self.fb = bytearray(self.w * self.h * 4)

    def recv(self, n):
        d = b""
        while len(d) < n:
            c = self.s.recv(n - len(d))
            if not c:
                raise Failure("VNC connection closed")
            d += c
        return d

    def update(self, incremental=False):
        """Ask for the whole screen and apply one FramebufferUpdate."""
        self.s.sendall(struct.pack(">BBHHHH", 3, 1 if incremental else 0, 0, 0, self.w, self.h))
        while True:
            t = self.recv(1)[0]
            if t == 0:
                break
            if t == 2:          # bell
                continue
            if t == 3:          # cut text
                self.recv(3)
                self.recv(struct.unpack(">I", self.recv(4))[0])
                continue
            raise Failure("unexpected RFB message %d" % t)
        self.recv(1)
        nrect, = struct.unpack(">H", self.recv(2))
        for _ in range(nrect):
            x, y, w, h, enc = struct.unpack(">HHHHi", self.recv(12))
            if enc == -223:     # DesktopSize
                self.w, self.h = w, h
                self.fb = bytearray(w * h * 4)
                continue
            if enc != 0:
                raise Failure("unexpected encoding %d" % enc)
            data = self.recv(w * h * 4)
            for r in range(h):
                o = ((y + r) * self.w + x) * 4
                self.fb[o:o + w * 4] = data[r * w * 4:(r + 1) * w * 4]

    def rgb(self):
        out = bytearray()
        for i in range(0, len(self.fb), 4):
            out += bytes((self.fb[i + 2], self.fb[i + 1], self.fb[i]))
        return self.w, self.h, bytes(out)

    def key(self, keysym, down):
        self.s.sendall(struct.pack(">BBxxI", 4, 1 if down else 0, keysym))

    def close(self):
        self.s.close()
