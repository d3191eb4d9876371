#!/usr/bin/env python3
"""mkvhd-diff.py — writes a differencing VHD (the oracle for vemu-img's
differencing reads: qemu-img cannot make these), from Microsoft's VHD
specification: footer at 0 and at the end, dynamic header at 512 with the
parent's unicode name and parent locators, BAT, locator data, blocks of a
sector bitmap (most significant bit = first sector) and 2 MiB of data.

usage: mkvhd-diff.py CHILD SIZE PARENT-NAME LOCATORS EXPECT-RAW [SEED]
  LOCATORS: comma-separated of W2ru:NAME, W2ku:NAME, MacX:NAME, none,
            bad (a locator past the end of the file)
  EXPECT-RAW: the parent's contents (raw, SIZE bytes), updated in place with
            the sectors the child holds
"""
import os, random, struct, sys, uuid

BLOCK = 2 << 20
BITMAP = 512

def checksum(b):
    return (~sum(b)) & 0xffffffff

def footer(size, data_offset):
    f = bytearray(512)
    f[0:8] = b'conectix'
    struct.pack_into('>IIQI4sI4sQQHBBI', f, 8, 2, 0x10000, data_offset, 0, b'win ', 0x00060001,
                     b'Wi2k', size, size, 65535, 16, 255, 4)
    f[68:84] = uuid.uuid4().bytes
    struct.pack_into('>I', f, 64, checksum(f))
    return f

def main():
    child, size, pname, locs, expect = sys.argv[1:6]
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    size = int(size)
    r = random.Random(seed)
    nbat = (size + BLOCK - 1) // BLOCK
    bat_off = 1536
    bat_bytes = (nbat * 4 + 511) // 512 * 512
    pos = bat_off + bat_bytes
    dyn = bytearray(1024)
    dyn[0:8] = b'cxsparse'
    struct.pack_into('>QQIII', dyn, 8, 0xffffffffffffffff, bat_off, 0x10000, nbat, BLOCK)
    name16 = pname.encode('utf-16-be')[:512]
    dyn[64:64 + len(name16)] = name16
    locdata = bytearray()
    for i, loc in enumerate(x for x in locs.split(',') if x != 'none'):
        code, _, name = loc.partition(':')
        if code == 'bad':
            struct.pack_into('>4sIIIQ', dyn, 576 + 24 * i, b'W2ru', 1, 20, 0, 1 << 40)
            continue
        data = name.encode('utf-8' if code == 'MacX' else 'utf-16-le')
        padded = data + bytes((-len(data)) % 512)
        struct.pack_into('>4sIIIQ', dyn, 576 + 24 * i, code.encode(), len(padded) // 512, len(data), 0,
                         pos + len(locdata))
        locdata += padded
    struct.pack_into('>I', dyn, 36, checksum(dyn))
    pos += len(locdata)
    # the child's sectors: a few runs in some blocks, one block left to the parent
    exp = bytearray(open(expect, 'rb').read())
    bat = [0xffffffff] * nbat
    blocks = bytearray()
    for b in range(nbat):
        if b % 3 == 2:
            continue
        bitmap = bytearray(BITMAP)
        data = bytearray(BLOCK)
        nsec = min(BLOCK, size - b * BLOCK) // 512
        for _ in range(r.randrange(1, 6)):
            first = r.randrange(nsec)
            for s in range(first, min(nsec, first + r.randrange(1, 40))):
                bitmap[s // 8] |= 0x80 >> (s % 8)
                sec = bytes([r.randrange(256)]) * 512
                data[s * 512:(s + 1) * 512] = sec
                exp[b * BLOCK + s * 512:b * BLOCK + (s + 1) * 512] = sec
        # sectors whose bit is clear hold garbage that must not be read
        for s in range(nsec):
            if not bitmap[s // 8] & (0x80 >> (s % 8)):
                data[s * 512:(s + 1) * 512] = b'\xee' * 512
        bat[b] = (pos + len(blocks)) // 512
        blocks += bitmap + data
    with open(child, 'wb') as f:
        f.write(footer(size, 512))
        f.write(dyn)
        f.write(struct.pack('>%dI' % nbat, *bat) + bytes(bat_bytes - nbat * 4))
        f.write(locdata)
        f.write(blocks)
        f.write(footer(size, 512))
    open(expect, 'wb').write(exp)

main()
