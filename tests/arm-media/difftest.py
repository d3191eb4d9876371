#!/usr/bin/env python3
"""Differential test of the ARMv6/v7 A32 integer additions against an oracle.

  difftest.py gen SEED N OUT.s OUT.list [thumb]
                                          random program + one line per case
                                          (A32, or T32 with "thumb": the same
                                          instructions through the Thumb-2
                                          decoder, conditions via IT)
  difftest.py cmp ORACLE.bin VEMU.bin OUT.list [NAME]
                                          compare the dumps, print PASS:/FAIL:
                                          lines, one per instruction class,
                                          named NAME/<class> (default arm-media)

The program loads r0..r5 and the flags (NZCV, Q and GE[3:0] through
"msr cpsr_fs") from a table, runs one instruction, and stores r0..r5 and the
CPSR (mrs) to a buffer it writes to stdout at the end: both emulators must
produce the same bytes.  Values favour the boundaries these instructions
care about (halfword/byte signs, INT_MIN, 0, -1).
"""
import random
import struct
import sys

SPECIAL = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
           0xffffffff, 0xfffffffe, 0x80008000, 0x7fff7fff, 0xffff0000, 0x0000ffff, 0x80808080,
           0x7f7f7f7f, 0x01010101, 0xfefefefe, 0x00ff00ff, 0xff00ff00, 0x12345678, 0x87654321]
CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']
PAR_KINDS = ['s', 'q', 'sh', 'u', 'uq', 'uh']
PAR_OPS = ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8']


def rand_value(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(SPECIAL)
    if r < 0.55:   # lanes near the boundaries
        return sum(rng.choice([0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x81]) << (8 * i) for i in range(4))
    if r < 0.65:
        return rng.randrange(0, 100)
    return rng.getrandbits(32)


def reg(rng):
    return 'r%d' % rng.randrange(6)


def two_regs(rng):
    lo, hi = rng.sample(range(6), 2)
    return 'r%d, r%d' % (lo, hi)


def ror(rng):
    return rng.choice(['', ', ror #8', ', ror #16', ', ror #24'])


def gen_insn(rng, thumb):
    """Returns (class, text without condition, mnemonic length)."""
    k = rng.randrange(17)
    if k == 16:
        # GE and Q produced and consumed inside one block (no MSR/MRS between)
        if rng.random() < 0.7:
            first = rng.choice(['s', 'u']) + rng.choice(PAR_OPS)
            return 'sequence', first, '%s, %s, %s; sel %s, %s, %s' % (
                reg(rng), reg(rng), reg(rng), reg(rng), reg(rng), reg(rng))
        return 'sequence', 'ssat', '%s, #%d, %s; qadd %s, %s, %s' % (
            reg(rng), rng.randrange(1, 33), reg(rng), reg(rng), reg(rng), reg(rng))
    if k == 0:
        m = rng.choice(['movw', 'movt'])
        return 'movw-movt', m, '%s, #0x%x' % (reg(rng), rng.getrandbits(16))
    if k == 1:
        m = rng.choice(['bfi', 'bfc', 'ubfx', 'sbfx'])
        lsb = rng.randrange(32)
        width = rng.randrange(1, 33 - lsb)
        if rng.random() < 0.2:
            lsb, width = 0, 32
        if m == 'bfc':
            return 'bitfield', m, '%s, #%d, #%d' % (reg(rng), lsb, width)
        return 'bitfield', m, '%s, %s, #%d, #%d' % (reg(rng), reg(rng), lsb, width)
    if k == 2:
        m = rng.choice(['rev', 'rev16', 'revsh', 'rbit'])
        return 'reverse', m, '%s, %s' % (reg(rng), reg(rng))
    if k == 3:
        m = rng.choice(['sxtb', 'sxth', 'sxtb16', 'uxtb', 'uxth', 'uxtb16'])
        return 'extend', m, '%s, %s%s' % (reg(rng), reg(rng), ror(rng))
    if k == 4:
        m = rng.choice(['sxtab', 'sxtah', 'sxtab16', 'uxtab', 'uxtah', 'uxtab16'])
        return 'extend-add', m, '%s, %s, %s%s' % (reg(rng), reg(rng), reg(rng), ror(rng))
    if k in (5, 6, 7):
        m = rng.choice(PAR_KINDS) + rng.choice(PAR_OPS)
        return 'parallel-addsub', m, '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
    if k == 8:
        if rng.random() < 0.5:
            return 'sel', 'sel', '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
        if rng.random() < 0.5:
            return 'usad8', 'usad8', '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
        return 'usad8', 'usada8', '%s, %s, %s, %s' % (reg(rng), reg(rng), reg(rng), reg(rng))
    if k == 9:
        if rng.random() < 0.5:
            sh = rng.choice(['', ', lsl #%d' % rng.randrange(1, 32)])
            return 'pkh', 'pkhbt', '%s, %s, %s%s' % (reg(rng), reg(rng), reg(rng), sh)
        return 'pkh', 'pkhtb', '%s, %s, %s, asr #%d' % (reg(rng), reg(rng), reg(rng), rng.randrange(1, 33))
    if k == 10:
        u = rng.random() < 0.5
        bits = rng.randrange(0, 32) if u else rng.randrange(1, 33)
        r = rng.random()
        # (T32 cannot encode ASR #32: sh = 1, imm = 0 is SSAT16 there)
        sh = '' if r < 0.3 else ', lsl #%d' % rng.randrange(1, 32) if r < 0.65 else \
            ', asr #%d' % rng.randrange(1, 32 if thumb else 33)
        return 'saturate', 'usat' if u else 'ssat', '%s, #%d, %s%s' % (reg(rng), bits, reg(rng), sh)
    if k == 11:
        u = rng.random() < 0.5
        bits = rng.randrange(0, 16) if u else rng.randrange(1, 17)
        return 'saturate16', 'usat16' if u else 'ssat16', '%s, #%d, %s' % (reg(rng), bits, reg(rng))
    if k == 12:
        r = rng.random()
        x = rng.choice(['', 'x'])
        if r < 0.3:
            return 'dual-multiply', rng.choice(['smuad', 'smusd']) + x, '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
        if r < 0.7:
            return 'dual-multiply', rng.choice(['smlad', 'smlsd']) + x, \
                '%s, %s, %s, %s' % (reg(rng), reg(rng), reg(rng), reg(rng))
        return 'dual-multiply-long', rng.choice(['smlald', 'smlsld']) + x, \
            '%s, %s, %s' % (two_regs(rng), reg(rng), reg(rng))
    if k == 13:
        rr = rng.choice(['', 'r'])
        if rng.random() < 0.3:
            return 'most-significant-multiply', 'smmul' + rr, '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
        return 'most-significant-multiply', rng.choice(['smmla', 'smmls']) + rr, \
            '%s, %s, %s, %s' % (reg(rng), reg(rng), reg(rng), reg(rng))
    if k == 14:
        r = rng.random()
        if r < 0.35:
            return 'umaal-mls', 'umaal', '%s, %s, %s' % (two_regs(rng), reg(rng), reg(rng))
        if r < 0.7:
            return 'umaal-mls', 'mls', '%s, %s, %s, %s' % (reg(rng), reg(rng), reg(rng), reg(rng))
        return 'saturating-add', rng.choice(['qadd', 'qsub', 'qdadd', 'qdsub']), \
            '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))
    return 'divide', rng.choice(['sdiv', 'udiv']), '%s, %s, %s' % (reg(rng), reg(rng), reg(rng))


def gen(seed, n, out_s, out_list, thumb=False):
    rng = random.Random(seed)
    lines = ['.syntax unified', '.thumb' if thumb else '.arm', '.cpu cortex-a15', '.text',
             '.global _start', '.type _start, %function', '_start:',
             '  ldr r11, =inputs', '  ldr r12, =outbuf']
    cases = []
    for i in range(n):
        cls, mnem, ops = gen_insn(rng, thumb)
        cond = rng.choice(CONDS) if rng.random() < 0.15 and cls != 'sequence' else ''
        text = '%s%s %s' % (mnem, cond, ops)
        cases.append('%s\t%s' % (cls, text))
        lines += ['  ldmia r11!, {r0-r6}', '  msr cpsr_fs, r6']
        if thumb and cond:
            lines.append('  it ' + cond)
        lines += ['  ' + part.strip() for part in text.split(';')]
        lines += ['  mrs r6, cpsr',
                  '  stmia r12!, {r0-r6}']
        if i % 150 == 149:
            lines += ['  b 1f', '  .ltorg', '1:']
    lines += ['  mov r0, #1', '  ldr r1, =outbuf', '  ldr r2, =%d' % (n * 28), '  mov r7, #4',
              '  svc 0', '  mov r0, #0', '  mov r7, #1', '  svc 0', '  .ltorg', '.data', 'inputs:']
    for i in range(n):
        vals = [rand_value(rng) for _ in range(6)]
        # NZCV and Q in bits 31:27, GE[3:0] in bits 19:16
        flags = rng.getrandbits(5) << 27 | rng.getrandbits(4) << 16
        lines.append('  .word ' + ', '.join('0x%x' % v for v in vals + [flags]))
    lines += ['.bss', 'outbuf:', '  .space %d' % (n * 28)]
    with open(out_s, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(out_list, 'w') as f:
        f.write('\n'.join(cases) + '\n')


def cmp(oracle, vemu, listing, name, rec=28):
    """Compare two dumps of `rec` bytes per case, one PASS:/FAIL: line per
    class.  A listing line is "class<TAB>text", optionally followed by
    "<TAB>offset:hexbytes" overrides: the expected bytes at that offset of
    the record when the oracle is known wrong there (tests/iwmmxt)."""
    q = open(oracle, 'rb').read()
    v = open(vemu, 'rb').read()
    cases = open(listing).read().splitlines()
    total, bad = {}, {}
    for i, c in enumerate(cases):
        cls, text, *fixes = c.split('\t')
        total[cls] = total.get(cls, 0) + 1
        a = bytearray(q[i * rec:i * rec + rec])
        b = v[i * rec:i * rec + rec]
        for fix in fixes:
            off, data = fix.split(':')
            a[int(off):int(off) + len(data) // 2] = bytes.fromhex(data)
        if bytes(a) != b:
            bad.setdefault(cls, []).append((text, bytes(a), b))
    ok = len(q) == len(cases) * rec
    for cls in sorted(total):
        if cls in bad:
            text, a, b = bad[cls][0]
            fmt = lambda x: ' '.join('%08x' % w for w in struct.unpack('<%dI' % (len(x) // 4), x))
            print('FAIL: %s/%s (%d of %d differ; first: %s: expected %s, vemu %s)'
                  % (name, cls, len(bad[cls]), total[cls], text, fmt(a), fmt(b) or 'nothing'))
        elif ok:
            print('PASS: %s/%s (%d cases)' % (name, cls, total[cls]))
        else:
            print('FAIL: %s/%s (oracle output truncated)' % (name, cls))
    return 0 if not bad and ok else 1


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5],
            len(sys.argv) > 6 and sys.argv[6] == 'thumb')
    else:
        sys.exit(cmp(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else 'arm-media'))
