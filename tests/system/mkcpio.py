#!/usr/bin/env python3
"""Writes a gzip'ed "newc" cpio archive (the initramfs format Linux reads,
Documentation/driver-api/early-userspace/buffer-format.rst) from a list of
entries, so that device nodes need no root and the output is reproducible
(owner 0:0, mtime 0).

usage: mkcpio.py OUT.gz < spec
spec lines:  dir PATH MODE | file PATH MODE HOSTFILE | slink PATH TARGET
           | nod PATH MODE c|b MAJOR MINOR
"""
import gzip, stat, sys

def header(ino, mode, nlink, size, rdev_major, rdev_minor, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev_major, rdev_minor,
              len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08X" % f for f in fields)
    h += name.encode() + b"\0"
    return h + b"\0" * (-len(h) % 4)

def main():
    out = bytearray()
    ino = 1
    for line in sys.stdin:
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        kind, path, data, major, minor = w[0], w[1].lstrip("/"), b"", 0, 0
        if kind == "dir":
            mode = stat.S_IFDIR | int(w[2], 8)
        elif kind == "file":
            mode = stat.S_IFREG | int(w[2], 8)
            data = open(w[3], "rb").read()
        elif kind == "slink":
            mode = stat.S_IFLNK | 0o777
            data = w[2].encode()
        elif kind == "nod":
            mode = (stat.S_IFCHR if w[3] == "c" else stat.S_IFBLK) | int(w[2], 8)
            major, minor = int(w[4]), int(w[5])
        else:
            sys.exit("mkcpio: bad spec line: " + line.strip())
        out += header(ino, mode, 2 if kind == "dir" else 1, len(data), major, minor, path)
        out += data + b"\0" * (-len(data) % 4)
        ino += 1
    out += header(0, 0, 1, 0, 0, 0, "TRAILER!!!")
    with open(sys.argv[1], "wb") as f:
        f.write(gzip.compress(bytes(out), 9, mtime=0))

main()
