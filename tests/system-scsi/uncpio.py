#!/usr/bin/env python3
"""tests/system-scsi/uncpio.py — unpacks a (gzipped) newc cpio archive, the
test initramfs, into a directory: files, directories, symlinks, and
character/block devices (mknod, as root), so that mke2fs -d can make a
root file system of the same tree.

usage: uncpio.py ARCHIVE DIR"""
import gzip
import os
import stat
import sys


def main():
    src, dest = sys.argv[1:3]
    data = open(src, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    pos = 0
    while pos + 110 <= len(data):
        hdr = data[pos:pos + 110]
        if hdr[:6] != b"070701":
            sys.exit("uncpio: bad header at %d" % pos)
        f = [int(hdr[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, filesize, rdevmajor, rdevminor, namesize = f[1], f[6], f[9], f[10], f[11]
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos = (pos + 110 + namesize + 3) & ~3
        body = data[pos:pos + filesize]
        pos = (pos + filesize + 3) & ~3
        if name == "TRAILER!!!":
            break
        path = os.path.join(dest, name.lstrip("/"))
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        if stat.S_ISDIR(mode):
            os.makedirs(path, exist_ok=True)
            os.chmod(path, mode & 0o7777)
        elif stat.S_ISLNK(mode):
            os.symlink(body.decode(), path)
        elif stat.S_ISREG(mode):
            with open(path, "wb") as out:
                out.write(body)
            os.chmod(path, mode & 0o7777)
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            try:
                os.mknod(path, mode, os.makedev(rdevmajor, rdevminor))
            except PermissionError:
                pass   # not root: the kernel's devtmpfs provides them


if __name__ == "__main__":
    main()
