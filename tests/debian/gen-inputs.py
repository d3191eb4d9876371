#!/usr/bin/env python3
"""tests/debian/gen-inputs.py DIR — writes the deterministic inputs the Debian
workloads read (same bytes on every run and host: a fixed-seed LCG, no
`random` module whose algorithm could change between Python versions).

    numbers.txt   20,000 integers, some negative, some repeated (sort -n, uniq)
    words.txt     12,000 words, one per line, drawn from a small vocabulary
    text.txt      ~400 KB of word text in lines of varying length
    table.csv     5,000 rows "id,name,dept,salary,date" (cut, sqlite, perl)
    binary.dat    1 MiB mixing runs, text and noise (compressors, od, base64)
    noise.dat     64 KiB of incompressible bytes
"""
import os
import sys


class Lcg:
    """Numerical Recipes' 32-bit LCG; the top bits are used (low ones are weak)."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return self.state >> 8

    def below(self, n):
        return self.next() % n


VOCAB = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega apple banana cherry date "
         "elder fig grape hazel kiwi lemon mango nectar olive papaya quince rasp "
         "straw tomato ugli vanilla walnut xigua yam zucchini the of and to in is "
         "that it was for on are with as his they be at one have this from").split()
DEPTS = ["eng", "ops", "sales", "legal", "hr", "research"]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = Lcg(20261124)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())

    nums = []
    for i in range(20000):
        v = rng.below(100000) - 20000
        if i % 7 == 0 and nums:
            v = nums[rng.below(len(nums))]
        nums.append(v)
    write("numbers.txt", "".join(f"{v}\n" for v in nums))

    write("words.txt", "".join(VOCAB[rng.below(len(VOCAB))] + "\n" for _ in range(12000)))

    lines = []
    total = 0
    while total < 400_000:
        n = 1 + rng.below(18)
        line = " ".join(VOCAB[rng.below(len(VOCAB))] for _ in range(n))
        if rng.below(10) == 0:
            line = line.capitalize() + "."
        lines.append(line)
        total += len(line) + 1
    write("text.txt", "\n".join(lines) + "\n")

    rows = ["id,name,dept,salary,date"]
    for i in range(1, 5001):
        name = VOCAB[rng.below(len(VOCAB))] + "_" + VOCAB[rng.below(len(VOCAB))]
        rows.append(f"{i},{name},{DEPTS[rng.below(len(DEPTS))]},"
                    f"{30000 + rng.below(170000)},"
                    f"20{10 + rng.below(15)}-{1 + rng.below(12):02d}-{1 + rng.below(28):02d}")
    write("table.csv", "\n".join(rows) + "\n")

    data = bytearray()
    while len(data) < 1 << 20:
        kind = rng.below(4)
        if kind == 0:      # a run of one byte
            data += bytes([rng.below(256)]) * (1 + rng.below(300))
        elif kind == 1:    # text
            data += " ".join(VOCAB[rng.below(len(VOCAB))] for _ in range(1 + rng.below(40))).encode()
        elif kind == 2:    # noise
            data += bytes(rng.below(256) for _ in range(1 + rng.below(200)))
        else:              # a repeat of something earlier (long matches)
            if len(data) > 1000:
                start = rng.below(len(data) - 500)
                data += data[start:start + 20 + rng.below(480)]
    write("binary.dat", bytes(data[:1 << 20]))
    write("noise.dat", bytes(rng.below(256) for _ in range(65536)))


if __name__ == "__main__":
    main()
