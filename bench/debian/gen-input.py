#!/usr/bin/env python3
# gen-input.py SIZE_BYTES OUTFILE — writes the fixed compressor input for
# `make bench`: log-like text lines (words from a small vocabulary, counters,
# hex ids, occasional random bytes), compressible about 6:1 like real logs.
# Deterministic: the same size gives the same bytes on every machine.
import random
import sys

size, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261124)
words = ("request response cache miss hit worker thread queue block chain lookup "
         "translate guest host page fault signal syscall read write open close mmap "
         "brk futex clone exit ok error retry timeout").split()
levels = ("DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR")
out = bytearray()
line = 0
while len(out) < size:
    line += 1
    n = rng.randrange(3, 12)
    msg = " ".join(rng.choice(words) for _ in range(n))
    out += ("%08d %s [%04x] %s id=%08x t=%d\n" % (
        line, rng.choice(levels), rng.getrandbits(8), msg, rng.randrange(4096) * 65537,
        rng.randrange(1000))).encode()
    if line % 499 == 0:
        out += rng.getrandbits(8 * 48).to_bytes(48, "little") + b"\n"
with open(path, "wb") as f:
    f.write(out[:size])
