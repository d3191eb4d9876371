#!/usr/bin/env python3
"""gen-disk.py SIZE_MIB OUT — the source disk of make bench's block group.

A raw disk image of SIZE_MIB MiB, the same bytes on every run (a fixed PRNG
seed), in 1 MiB regions that cycle through what real disks hold:
incompressible data (compressed files, media), text (logs, sources), holes
(never written: sparse in the file, zeroes to read), and scattered 4 KiB
blocks in an otherwise empty region (a file system's metadata), so that
convert meets data, zero detection at cluster granularity and compression
of both kinds.
"""
import random
import sys

MIB = 1 << 20
size_mib, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(14)
words = [w.encode() for w in (
    "the block layer reads and writes disk images cluster refcount table "
    "qcow2 backing file snapshot convert compress vemu emulator guest kernel "
    "error warning info debug request offset length 0 1 42 4096 65536").split()]
with open(out, "wb") as f:
    f.truncate(size_mib * MIB)
    for i in range(size_mib):
        kind = i % 4
        f.seek(i * MIB)
        if kind == 0:
            f.write(rng.randbytes(MIB))
        elif kind == 1:
            parts, n = [], 0
            while n < MIB:
                line = b" ".join(rng.choice(words) for _ in range(rng.randrange(4, 16))) + b"\n"
                parts.append(line)
                n += len(line)
            f.write(b"".join(parts)[:MIB])
        elif kind == 3:
            for b in range(0, MIB, 64 * 1024):
                f.seek(i * MIB + b)
                f.write(rng.randbytes(4096))
