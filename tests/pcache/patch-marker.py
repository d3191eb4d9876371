#!/usr/bin/env python3
"""patch-marker.py ELF NM VALUE: rewrite the first instruction of the
guest program's marker() (mov r0, #imm8) to mov r0, #VALUE in place: the
file keeps its size and inode (the test then restores its mtime), so only
the cache's check of the code bytes can notice."""
import struct
import subprocess
import sys

path, nm, value = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
addr = None
for line in subprocess.run([nm, path], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[2] == "marker":
        addr = int(f[0], 16) & ~1
if addr is None:
    sys.exit("no symbol marker")
with open(path, "r+b") as fh:
    data = fh.read()
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    off = None
    for i in range(phnum):
        p_type, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIIII", data, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= addr < p_vaddr + p_filesz:
            off = p_offset + addr - p_vaddr
    if off is None:
        sys.exit("marker not in a loaded segment")
    insn, = struct.unpack_from("<I", data, off)
    if insn & 0xffffff00 != 0xe3a00000:
        sys.exit("marker does not start with mov r0, #imm8: %08x" % insn)
    fh.seek(off)
    fh.write(struct.pack("<I", 0xe3a00000 | (value & 0xff)))
