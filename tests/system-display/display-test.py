#!/usr/bin/env python3
"""tests/system-display/display-test.py SESSION VEMU WORKDIR [options]
— one session of the display suite (run.sh says what each checks);
prints PASS:/FAIL:/SKIP: lines.  Standard library only.

  pattern VEMU WORK PATTERN_ELF       the CLCD pattern, vemu and qemu side by side
  vnc VEMU WORK PATTERN_ELF           the pattern over VNC, keys and pointer
  sdl VEMU WORK PATTERN_ELF           an SDL window in Xvfb (-fbdir)
  kernel VEMU WORK KDIR INITRD        Linux's fbcon: logo, text, keyboard; vemu's own tree
"""
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Emu, Failure, Rfb, colours, read_png, read_ppm, region  # noqa: E402

SUITE = "system-display"
failed = False


def report(name, ok, why=""):
    global failed
    if ok is None:
        print("SKIP: %s/%s (%s)" % (SUITE, name, why))
    elif ok:
        print("PASS: %s/%s" % (SUITE, name))
    else:
        failed = True
        print("FAIL: %s/%s%s" % (SUITE, name, " (%s)" % why if why else ""))
    sys.stdout.flush()


def check(name, fn):
    try:
        r = fn()
        if r is True or r is None:
            report(name, True)
        else:
            report(name, False, str(r))
    except Failure as e:
        report(name, False, str(e))
    except (OSError, ValueError, KeyError, IndexError, struct.error) as e:
        report(name, False, "%s: %s" % (type(e).__name__, e))


MODES = ["24bpp", "24bpp-bgr", "16bpp-565", "16bpp-565-bgr", "16bpp-mux3", "16bpp-1555", "16bpp-mux0-bgr",
         "8bpp", "8bpp-bgr", "4bpp", "2bpp", "1bpp", "4bpp-bepo", "16bpp-bebo", "24bpp-bebo", "1bpp-bebo",
         "2bpp-bepo"]
MODE_1555 = MODES.index("16bpp-1555")


def pattern_args(emu, elf, display=("-display", "none")):
    return [emu, "-M", "versatilepb", "-m", "64M", "-kernel", elf, "-no-reboot", "-monitor", "none"] + list(display)


def run_pattern(emu, elf, work, name):
    """Screendumps (PPM) of every mode, plus the error replies."""
    e = Emu(pattern_args(emu, elf), work, name)
    dumps, errs = [], {}
    try:
        for m in range(len(MODES)):
            e.wait_serial(b"READY %d\r\n" % m, 60)
            path = os.path.join(work, "%s-%d.ppm" % (name, m))
            r = e.qmp("screendump", filename=path)
            if r != {"return": {}}:
                raise Failure("screendump: %r" % r)
            dumps.append(path)
            if m == 0:
                png = os.path.join(work, "%s-0.png" % name)
                errs["png"] = e.qmp("screendump", filename=png, format="png")
                errs["hmp-png"] = e.hmp("screendump %s -f png" % (png + "2"))
                errs["qmp-open"] = e.qmp("screendump", filename="/nonexistent-dir/x.ppm")
                errs["qmp-format"] = e.qmp("screendump", filename=path + ".x", format="gif")
                errs["qmp-missing"] = e.qmp("screendump")
                errs["qmp-type"] = e.qmp("screendump", filename=5)
                errs["qmp-device"] = e.qmp("screendump", filename=path + ".x", device="nosuch")
                errs["hmp-open"] = e.hmp("screendump /nonexistent-dir/x.ppm")
                errs["hmp-missing"] = e.hmp("screendump")
                errs["hmp-format"] = e.hmp("screendump %s -f jpg" % (path + ".x"))
            e.send_serial(b"n")
        e.wait_serial(b"KMI\r\n", 60)
        # sendkey: the set-2 bytes the keyboard sends
        e.hmp("sendkey ctrl-alt-delete")
        e.hmp("sendkey shift-a")
        time.sleep(0.5)
        e.send_serial(b"q")
        deadline = time.monotonic() + 30
        while e.p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        rest = e.p.stdout.read() if e.p.poll() is not None else b""
        errs["kmi"] = (e.buf + rest).decode("latin-1")
    finally:
        errs["exit"] = e.close()
    return dumps, errs


def kmi_bytes(text, tag):
    return [line.split()[1] for line in text.replace("\r", "").split("\n") if line.startswith(tag + " ")]


def model_1555(seed_mode, w, h):
    """The 1:5:5:5 mode's picture as the PL111 TRM lays the pixels out
    (pixel 1 in bits 30:16): the pattern's LCG, converted here."""
    seed = (0x12345678 + seed_mode * 7919) & 0xffffffff
    out = bytearray()
    for _ in range(w * h // 2):
        seed = (seed * 1664525 + 1013904223) & 0xffffffff
        for v in (seed & 0xffff, seed >> 16):
            out += bytes(((v & 0x1f) << 3, ((v >> 5) & 0x1f) << 3, ((v >> 10) & 0x1f) << 3))
    return bytes(out)


def session_pattern(vemu, work, elf):
    vd, ve = run_pattern(vemu, elf, work, "vemu")
    qemu = shutil.which("qemu-system-arm")
    qd = qe = None
    if qemu:
        try:
            qd, qe = run_pattern(qemu, elf, work, "qemu")
        except Failure as e:
            qd, qe = None, str(e)
    for m, name in enumerate(MODES):
        def one(m=m):
            v = read_ppm(vd[m])
            if v[:2] != (320, 240):
                return "size %dx%d, want 320x240" % v[:2]
            if m == MODE_1555:
                # QEMU 7.2 reads the second pixel of each word from bit 15
                # (docs/display.md): compare with the TRM's layout instead
                return v[2] == model_1555(m, 320, 240) or "differs from the 1:5:5:5 layout"
            if not qd:
                raise Failure("qemu-system-arm: %s" % qe)
            q = read_ppm(qd[m])
            if q[:2] != v[:2]:
                return "size %dx%d, qemu %dx%d" % (v[:2] + q[:2])
            diff = sum(1 for i in range(0, len(v[2]), 3) if v[2][i:i + 3] != q[2][i:i + 3])
            return diff == 0 or "%d pixels differ from qemu's" % diff
        if m != MODE_1555 and not qemu:
            report("pattern-" + name, None, "qemu-system-arm not installed")
        else:
            check("pattern-" + name, one)
    check("png-equals-ppm", lambda: ve["png"] == {"return": {}} and
          read_png(os.path.join(work, "vemu-0.png")) == read_ppm(vd[0]) or "PNG and PPM differ")
    check("hmp-png", lambda: ve["hmp-png"] == "" and
          read_png(os.path.join(work, "vemu-0.png2")) == read_ppm(vd[0]) or repr(ve["hmp-png"]))
    for k in ("qmp-open", "qmp-format", "qmp-missing", "qmp-type", "qmp-device", "hmp-open", "hmp-missing",
              "hmp-format"):
        def err(k=k):
            v = ve[k]
            if k.startswith("qmp") and v.get("error", {}).get("class") not in ("GenericError", "DeviceNotFound"):
                return "no error: %r" % v
            if k.startswith("hmp") and not v:
                return "no message"
            if qe and isinstance(qe, dict):
                q = qe[k]
                if k == "hmp-format" or k == "hmp-missing":
                    return v == q or "vemu %r, qemu %r" % (v, q)
                return v == q or "vemu %r, qemu %r" % (v, q)
            return True
        check("error-" + k, err)
    # sendkey: ctrl-alt-delete then shift-a, as set-2 bytes
    want = "14 11 e0 71 e0 f0 71 f0 11 f0 14 12 1c f0 1c f0 12".split()
    check("sendkey-scancodes", lambda: kmi_bytes(ve["kmi"], "K") == want or
          "got %s" % kmi_bytes(ve["kmi"], "K"))
    if qe and isinstance(qe, dict):
        check("sendkey-like-qemu", lambda: kmi_bytes(ve["kmi"], "K") == kmi_bytes(qe["kmi"], "K") or
              "vemu %s, qemu %s" % (kmi_bytes(ve["kmi"], "K"), kmi_bytes(qe["kmi"], "K")))
    check("pattern-exit", lambda: ve["exit"] == 0 or "exit status %r" % ve["exit"])


def free_vnc_display():
    for n in range(40, 99):
        s = socket.socket()
        try:
            s.bind(("0.0.0.0", 5900 + n))
            return n
        except OSError:
            continue
        finally:
            s.close()
    raise Failure("no free VNC port")


def session_vnc(vemu, work, elf):
    n = free_vnc_display()
    args = pattern_args(vemu, elf) + ["-vnc", ":%d" % n]
    e = Emu(args, work, "vnc")
    r = None
    try:
        e.wait_serial(b"READY 0\r\n", 60)
        r = Rfb(5900 + n)
        check("vnc-handshake", lambda: (r.w, r.h) == (320, 240) or "server size %dx%d" % (r.w, r.h))
        r.update()
        e.qmp("screendump", filename=os.path.join(work, "vnc-0.ppm"))
        check("vnc-framebuffer", lambda: r.rgb() == read_ppm(os.path.join(work, "vnc-0.ppm")) or
              "the client's picture differs from the screendump")
        e.send_serial(b"n")
        e.wait_serial(b"READY 1\r\n", 60)
        e.qmp("screendump", filename=os.path.join(work, "vnc-1.ppm"))
        want = read_ppm(os.path.join(work, "vnc-1.ppm"))

        def incremental():
            for _ in range(20):
                r.update(True)
                if r.rgb() == want:
                    return True
            return "the incremental updates did not bring the new picture"
        check("vnc-update", incremental)
        for m in range(2, len(MODES)):
            e.send_serial(b"n")
            e.wait_serial(b"READY %d\r\n" % m, 60)
        e.send_serial(b"n")
        e.wait_serial(b"KMI\r\n", 60)
        # keys: 'a', 'A' (shift sent by the client), Return
        for sym, down in ((0x61, 1), (0x61, 0), (0xffe1, 1), (0x41, 1), (0x41, 0), (0xffe1, 0), (0xff0d, 1),
                          (0xff0d, 0)):
            r.key(sym, down)
        # pointer: a move (absolute: the first event only sets the origin),
        # then 10 right and 5 down with the left button held
        r.s.sendall(struct.pack(">BBHH", 5, 0, 100, 100))
        r.s.sendall(struct.pack(">BBHH", 5, 1, 110, 105))
        time.sleep(1)
        e.send_serial(b"q")
        end = time.monotonic() + 30
        while e.p.poll() is None and time.monotonic() < end:
            time.sleep(0.1)
        out = (e.buf + (e.p.stdout.read() if e.p.poll() is not None else b"")).decode("latin-1")
        keys = kmi_bytes(out, "K")
        want_k = "1c f0 1c 12 1c f0 1c f0 12 5a f0 5a".split()
        check("vnc-keys", lambda: keys == want_k or "keyboard sent %s, want %s" % (keys, want_k))
        mouse = kmi_bytes(out, "M")
        # fa (the ack of F4), then one packet: buttons+sign bits, dx, dy
        # (PS/2 counts y upwards: 5 down is -5, 0xfb, with the Y sign bit)
        want_m = ["fa", "29", "0a", "fb"]
        check("vnc-pointer", lambda: mouse == want_m or "mouse sent %s, want %s" % (mouse, want_m))
    finally:
        if r:
            r.close()
        e.close()


def xwd_rgb(path):
    """An XWD file (what Xvfb -fbdir keeps up to date) as RGB bytes."""
    with open(path, "rb") as f:
        d = f.read()
    h = struct.unpack(">25I", d[:100])
    hsize, W, H, byte_order, bpp, bpl, ncolors = h[0], h[4], h[5], h[7], h[11], h[12], h[19]
    if bpp != 32:
        raise Failure("Xvfb screen is %d bpp" % bpp)
    img = d[hsize + ncolors * 12:]
    out = bytearray()
    for y in range(H):
        row = img[y * bpl:y * bpl + W * 4]
        for x in range(W):
            px = row[4 * x:4 * x + 4]
            b, g, r = (px[0], px[1], px[2]) if byte_order == 0 else (px[3], px[2], px[1])
            out += bytes((r, g, b))
    return W, H, bytes(out)


def session_sdl(vemu, work, elf):
    names = ["sdl-window", "sdl-window-follows", "sdl-display-none-no-window", "sdl-quit"]
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        for n in names:
            report(n, None, "Xvfb not installed (xvfb)")
        return
    fbdir = os.path.join(work, "xfb")
    os.makedirs(fbdir, exist_ok=True)
    dpy = None
    for n in range(140, 199):
        if not os.path.exists("/tmp/.X11-unix/X%d" % n) and not os.path.exists("/tmp/.X%d-lock" % n):
            dpy = n
            break
    x = subprocess.Popen([xvfb, ":%d" % dpy, "-screen", "0", "800x600x24", "-fbdir", fbdir, "-nolisten", "tcp"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 20
        while not os.path.exists("/tmp/.X11-unix/X%d" % dpy):
            if time.monotonic() > end or x.poll() is not None:
                for n in names:
                    report(n, None, "Xvfb did not start")
                return
            time.sleep(0.1)
        env = dict(os.environ, DISPLAY=":%d" % dpy)
        env.pop("WAYLAND_DISPLAY", None)
        screen = os.path.join(fbdir, "Xvfb_screen0")

        def find(img):
            scr = xwd_rgb(screen)
            row0 = region(img, 0, 0, img[0], 1)
            pos = scr[2].find(row0)
            while pos >= 0:
                if pos % 3 == 0:
                    x0, y0 = (pos // 3) % scr[0], (pos // 3) // scr[0]
                    if x0 + img[0] <= scr[0] and y0 + img[1] <= scr[1] and \
                            region(scr, x0, y0, img[0], img[1]) == img[2]:
                        return True
                pos = scr[2].find(row0, pos + 1)
            return False

        def shown(e, name, tries=30):
            p = os.path.join(work, name)
            for _ in range(tries):
                time.sleep(0.2)
                e.qmp("screendump", filename=p)
                if find(read_ppm(p)):
                    return True
            return False

        # the default with $DISPLAY set: a window (no -display option)
        e = Emu(pattern_args(vemu, elf, ()), work, "sdl", env=env)
        try:
            e.wait_serial(b"READY 0\r\n", 60)
            check("sdl-window", lambda: shown(e, "sdl-0.ppm") or "the picture is not on the X screen")
            e.send_serial(b"n")
            e.wait_serial(b"READY 1\r\n", 60)
            check("sdl-window-follows", lambda: shown(e, "sdl-1.ppm") or "the new picture is not on the X screen")
        finally:
            st = e.close()
        check("sdl-quit", lambda: st == 0 or "exit status %r" % st)
        # -display none with $DISPLAY set: no window (the picture is not drawn)
        e = Emu(pattern_args(vemu, elf), work, "sdl-none", env=env)
        try:
            e.wait_serial(b"READY 0\r\n", 60)
            check("sdl-display-none-no-window",
                  lambda: not shown(e, "sdl-none.ppm", tries=5) or "a picture appeared under -display none")
        finally:
            e.close()
    finally:
        x.terminate()
        x.wait()


def session_kernel(vemu, work, kdir, initrd):
    """Linux's fbcon on the DRM pl111 driver: the logo, text written to
    tty0, and keys typed into tty1 with sendkey."""
    qemu = shutil.which("qemu-system-arm")
    args = ["-M", "versatilepb", "-m", "128M", "-kernel", os.path.join(kdir, "zImage"), "-dtb",
            os.path.join(kdir, "versatile-pb.dtb"), "-initrd", initrd, "-append",
            "console=ttyAMA0 vt.global_cursor_default=0", "-display", "none", "-no-reboot", "-monitor", "none"]
    res = {}
    for name, emu in (("vemu", vemu), ("qemu", qemu)):
        if not emu:
            continue
        e = Emu([emu] + args, work, "k" + name)
        r = res[name] = {}
        try:
            e.wait_serial(b"VEMU-INIT-READY")
            e.shell("sleep 2")
            r["boot"] = os.path.join(work, "k%s-boot.ppm" % name)
            e.qmp("screendump", filename=r["boot"])
            e.shell("printf '\\033[2J\\033[HVEMU DISPLAY TEST 0123456789\\n' > /dev/tty0; sleep 1")
            r["text"] = os.path.join(work, "k%s-text.png" % name)
            e.qmp("screendump", filename=r["text"], format="png")
            # keys into tty1 (the foreground console): a reader there gets them
            e.shell("(head -n 1 /dev/tty1 > /tmp/keys) & sleep 1")
            for k in ("v", "e", "m", "u", "shift-1", "ret"):
                e.hmp("sendkey " + k)
            r["keys"] = e.shell("sleep 1; cat /tmp/keys")
            r["fb"] = e.shell("cat /sys/class/graphics/fb0/virtual_size /sys/class/graphics/fb0/bits_per_pixel "
                              "2>&1")
        except Failure as ex:
            r["error"] = str(ex)
        finally:
            e.close()
    v = res["vemu"]
    q = res.get("qemu")

    def need(r, k):
        if "error" in r and k not in r:
            raise Failure(r["error"])
        return r[k]

    def size():
        img = read_ppm(need(v, "boot"))
        if q and "boot" in q:
            qi = read_ppm(q["boot"])
            return img[:2] == qi[:2] or "vemu %dx%d, qemu %dx%d" % (img[:2] + qi[:2])
        return img[:2] == (640, 480) or "%dx%d" % img[:2]
    check("fbcon-size", size)

    def logo():
        img = read_ppm(need(v, "boot"))
        cs = colours(img, 0, 0, 80, 80)
        if len(cs) < 10:
            return "only %d colours in the logo's corner" % len(cs)
        # the penguin: black, white and its yellow (red and green high, blue low)
        dark = any(max(c) < 40 for c in cs)
        light = any(min(c) > 200 for c in cs)
        yellow = any(c[0] > 180 and c[1] > 140 and c[2] < 80 for c in cs)
        return (dark and light and yellow) or "no black/white/yellow (dark %s light %s yellow %s)" % (
            dark, light, yellow)
    check("fbcon-logo", logo)

    def logo_like_qemu():
        if not q or "boot" not in q:
            raise Failure("qemu: %s" % (q or {}).get("error", "not installed"))
        return region(read_ppm(v["boot"]), 0, 0, 80, 80) == region(read_ppm(q["boot"]), 0, 0, 80, 80) or \
            "the logo's 80x80 corner differs from qemu's"
    if q:
        check("fbcon-logo-like-qemu", logo_like_qemu)
    else:
        report("fbcon-logo-like-qemu", None, "qemu-system-arm not installed")

    def text():
        a = read_ppm(need(v, "boot"))
        b = read_png(need(v, "text"))
        if a[:2] != b[:2]:
            return "size changed"
        # after "clear screen, home": the top rows now hold the text only
        top = colours(b, 0, 0, 8 * 28, 16)
        return (len(top) >= 2 and region(a, 0, 0, 8 * 28, 16) != region(b, 0, 0, 8 * 28, 16)) or \
            "the top-left text cells did not change"
    check("fbcon-text", text)

    def text_like_qemu():
        if not q or "text" not in q:
            raise Failure("qemu: %s" % (q or {}).get("error", "not installed"))
        a, b = read_png(v["text"]), read_png(q["text"])
        return a == b or "%d pixels differ from qemu's" % sum(
            1 for i in range(0, min(len(a[2]), len(b[2])), 3) if a[2][i:i + 3] != b[2][i:i + 3])
    if q:
        check("fbcon-text-like-qemu", text_like_qemu)
    else:
        report("fbcon-text-like-qemu", None, "qemu-system-arm not installed")
    check("sendkey-tty1", lambda: need(v, "keys") == "vemu!" or "tty1 read %r" % v["keys"])

    # vemu's own device tree (no -dtb) describes the CLCD as well
    own = [a for a in args]
    i = own.index("-dtb")
    del own[i:i + 2]
    nd = os.path.join(work, "kvemu-nodtb.ppm")
    e = Emu([vemu] + own, work, "kvemu-nodtb")
    try:
        e.wait_serial(b"VEMU-INIT-READY")
        e.shell("sleep 2")
        e.qmp("screendump", filename=nd)
        fb = e.shell("cat /proc/fb")
    except Failure as ex:
        fb = "error: %s" % ex
    finally:
        e.close()

    def nodtb():
        if "pl111drmfb" not in fb:
            return "no CLCD frame buffer in /proc/fb: %r" % fb
        return region(read_ppm(nd), 0, 0, 80, 80) == region(read_ppm(need(v, "boot")), 0, 0, 80, 80) or \
            "the logo differs from the boot with the kernel's tree"
    check("fbcon-logo-own-tree", nodtb)
    check("fb-mode", lambda: (not q or need(v, "fb") == q.get("fb")) or "vemu %r, qemu %r" % (v["fb"], q["fb"]))


def main():
    session, vemu, work = sys.argv[1:4]
    rest = sys.argv[4:]
    try:
        {"pattern": session_pattern, "vnc": session_vnc, "sdl": session_sdl, "kernel": session_kernel}[session](
            vemu, work, *rest)
    except Failure as e:
        report(session + "-session", False, str(e))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
