#!/usr/bin/env python3
"""Differential test of the XScale iWMMXt instructions against an oracle
(qemu-arm -cpu pxa270), on the shared harness of tests/arm-media/difftest.py.

  difftest.py gen SEED N OUT.s OUT.list
  difftest.py cmp ORACLE.bin VEMU.bin OUT.list [NAME]

Each case loads wR0..wR8, r0..r5, the NZCV flags and wCGR0..3 from a table,
sets wCASF to the N/Z flags of wR8's bytes (WMAXUB wR9, wR8, wR8), clears
wCon and wCSSF, runs one random iWMMXt instruction and stores r0..r5, the
CPSR, wCon, wCSSF, wCASF, wCGR0..3 and wR0..wR9 (136 bytes).

Where qemu-arm is known to be wrong (docs/quirks.md: saturation in
WADD/WSUB/WPACK, WANDN, WMAC's sum, TMIA's product, WALIGNI with an offset
above 3) the listing carries the expected bytes, computed by the small model
below from the manual's definition, and cmp uses them instead of the
oracle's.  Shift counts stay below 64 (qemu-arm's C shifts are undefined there), and
WSRAH/WSRAW counts at most the lane size (qemu-arm zero-fills above it):
larger counts are unit tests (tests/unit/test-arm-iwmmxt.c).
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'arm-media'))
import difftest as harness  # noqa: E402  (the shared generator values and cmp)

REC = 136
OFF_CSSF, OFF_CASF, OFF_WR = 32, 36, 56
CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']
SZ = 'bhw'
M64 = (1 << 64) - 1


def rand64(rng):
    r = rng.random()
    if r < 0.3:
        return harness.rand_value(rng) | harness.rand_value(rng) << 32
    if r < 0.5:   # lanes near the boundaries
        return sum(rng.choice([0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x81]) << (8 * i) for i in range(8))
    if r < 0.6:
        return rng.choice([0, M64, 1 << 63, (1 << 63) - 1, 0x8000800080008000, 0x7fff7fff7fff7fff])
    return rng.getrandbits(64)


# ---- the model for the cases where the oracle is wrong ------------------------

def lanes(v, bits):
    return [(v >> (i * bits)) & ((1 << bits) - 1) for i in range(64 // bits)]


def sx(x, bits):
    return x - (1 << bits) if x >> (bits - 1) else x


def join(ls, bits):
    return sum((x & ((1 << bits) - 1)) << (i * bits) for i, x in enumerate(ls))


def casf_nz(v, bits):
    f = 0
    for i, x in enumerate(lanes(v, bits)):
        top = (i + 1) * bits // 2
        if x >> (bits - 1):
            f |= 1 << (top - 1)
        if x == 0:
            f |= 1 << (top - 2)
    return f


def sat(x, bits, signed):
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return (min(max(x, lo), hi), x < lo or x > hi)


def model_addsub(a, b, bits, sub, signed):
    out, cssf = [], 0
    for i, (x, y) in enumerate(zip(lanes(a, bits), lanes(b, bits))):
        if signed:
            x, y = sx(x, bits), sx(y, bits)
        r, s = sat(x - y if sub else x + y, bits, signed)
        out.append(r)
        if s:
            cssf |= ((1 << (bits // 8)) - 1) << (i * bits // 8)
    r = join(out, bits)
    return r, cssf, casf_nz(r, bits)


def model_pack(a, b, bits, signed):
    out, cssf, half = [], 0, bits // 2
    for i, x in enumerate(lanes(a, bits) + lanes(b, bits)):
        r, s = sat(sx(x, bits), half, signed)
        out.append(r)
        if s:
            cssf |= ((1 << (half // 8)) - 1) << (i * half // 8)
    r = join(out, half)
    return r, cssf, casf_nz(r, half)


def align(a, b, k):
    return a if k == 0 else (a >> (8 * k) | b << (64 - 8 * k)) & M64


def fix_wr(reg, value):
    return '%d:%s' % (OFF_WR + 8 * reg, struct.pack('<Q', value & M64).hex())


def fix_word(off, value):
    return '%d:%s' % (off, struct.pack('<I', value).hex())


# ---- instructions ----------------------------------------------------------------

def wr(rng):
    return rng.randrange(8)


def gen_insn(rng, st):
    """st: this case's inputs ('wr': wR0..wR8, 'r': r0..r5, 'cgr'); may adjust
    them (shift counts).  Returns (class, text, [fixes])."""
    d, n, m = wr(rng), wr(rng), wr(rng)
    W = st['wr']
    k = rng.randrange(24)
    size = rng.randrange(3)
    if k == 0:
        op = rng.choice(['wor', 'wxor', 'wand', 'wandn'])
        fixes = []
        if op == 'wandn':
            r = W[n] & ~W[m] & M64
            fixes = [fix_wr(d, r), fix_word(OFF_CASF, (r >> 63) << 31 | (r == 0) << 30)]
        return 'logic', '%s wr%d, wr%d, wr%d' % (op, d, n, m), fixes
    if k in (1, 2):
        op = rng.choice(['wadd', 'wsub'])
        s = rng.choice(['', 'us', 'ss'])
        fixes = []
        if s:
            r, cssf, casf = model_addsub(W[n], W[m], 8 << size, op == 'wsub', s == 'ss')
            fixes = [fix_wr(d, r), fix_word(OFF_CSSF, cssf), fix_word(OFF_CASF, casf)]
        return 'add-sub' + ('-sat' if s else ''), '%s%s%s wr%d, wr%d, wr%d' % (op, SZ[size], s, d, n, m), fixes
    if k == 3:
        op = rng.choice(['wcmpeq', 'wcmpgtu', 'wcmpgts'])
        return 'compare', '%s%s wr%d, wr%d, wr%d' % (op, SZ[size], d, n, m), []
    if k == 4:
        op = rng.choice(['wmax', 'wmin'])
        return 'min-max', '%s%s%s wr%d, wr%d, wr%d' % (op, rng.choice('us'), SZ[size], d, n, m), []
    if k == 5:
        return 'avg', 'wavg2%s%s wr%d, wr%d, wr%d' % (rng.choice('bh'), rng.choice(['', 'r']), d, n, m), []
    if k == 6:
        imm = rng.randrange(8)
        return 'align', 'waligni wr%d, wr%d, wr%d, #%d' % (d, n, m, imm), \
            [fix_wr(d, align(W[n], W[m], imm))] if imm == 0 or imm >= 4 else []
    if k == 7:
        g = rng.randrange(4)
        imm = st['cgr'][g] & 7
        return 'align', 'walignr%d wr%d, wr%d, wr%d' % (g, d, n, m), \
            [fix_wr(d, align(W[n], W[m], imm))] if imm == 0 else []
    if k == 8:
        s = rng.choice('us')
        hl = rng.choice('lm')
        return 'multiply', 'wmul%s%s wr%d, wr%d, wr%d' % (s, hl, d, n, m), []
    if k == 9:
        s = rng.choice('us')
        z = rng.choice(['', 'z'])
        acc = 0 if z else W[d]
        p = sum((sx(x, 16) * sx(y, 16)) if s == 's' else x * y
                for x, y in zip(lanes(W[n], 16), lanes(W[m], 16)))
        return 'mac', 'wmac%s%s wr%d, wr%d, wr%d' % (s, z, d, n, m), [fix_wr(d, acc + p)]
    if k == 10:
        return 'madd', 'wmadd%s wr%d, wr%d, wr%d' % (rng.choice('us'), d, n, m), []
    if k == 11:
        bh, z = rng.choice('bh'), rng.choice(['', 'z'])
        bits = 8 if bh == 'b' else 16
        r = sum(abs(x - y) for x, y in zip(lanes(W[n], bits), lanes(W[m], bits)))
        r += 0 if z else W[d] & 0xffffffff
        return 'sad', 'wsad%s%s wr%d, wr%d, wr%d' % (bh, z, d, n, m), [fix_wr(d, r)]
    if k == 12:
        return 'acc', 'wacc%s wr%d, wr%d' % (SZ[size], d, n), []
    if k == 13:
        return 'shuffle', 'wshufh wr%d, wr%d, #%d' % (d, n, rng.randrange(256)), []
    if k in (14, 15):
        op = rng.choice(['wsra', 'wsll', 'wsrl', 'wror'])
        sz = rng.randrange(1, 4)
        bits = 8 << sz
        # qemu-arm's WSRA sign-fills only up to the lane size (its C shifts
        # zero-fill beyond): counts above it are unit tests
        limit = bits + 1 if op == 'wsra' and sz < 3 else 64   # (the d lanes: < 64)
        count = rng.randrange(min(bits + 1, 64)) if rng.random() < 0.8 else rng.randrange(limit)
        if rng.random() < 0.5:
            g = rng.randrange(4)
            st['cgr'][g] = count | rng.getrandbits(24) << 8 if op == 'wror' else count
            return 'shift-wcgr', '%s%sg wr%d, wr%d, wcgr%d' % (op, 'bhwd'[sz], d, n, g), []
        if m == n or m == d:
            m = (max(n, d) + 1) % 8 if (max(n, d) + 1) % 8 not in (n, d) else (max(n, d) + 2) % 8
        W[m] = (rng.getrandbits(56) << 8 if op == 'wror' else 0) | count
        if m == n:
            pass
        return 'shift', '%s%s wr%d, wr%d, wr%d' % (op, 'bhwd'[sz], d, n, m), []
    if k == 16:
        sz = rng.randrange(1, 4)
        s = rng.choice(['us', 'ss'])
        r, cssf, casf = model_pack(W[n], W[m], 8 << sz, s == 'ss')
        return 'pack', 'wpack%s%s wr%d, wr%d, wr%d' % ('bhwd'[sz], s, d, n, m), \
            [fix_wr(d, r), fix_word(OFF_CSSF, cssf), fix_word(OFF_CASF, casf)]
    if k == 17:
        op = rng.choice(['wunpckeh', 'wunpckel'])
        return 'unpack-extend', '%s%s%s wr%d, wr%d' % (op, rng.choice('us'), SZ[size], d, n), []
    if k == 18:
        op = rng.choice(['wunpckih', 'wunpckil'])
        fixes = []
        if size == 1:     # qemu-arm takes the halfword lanes' flags from their low bytes
            base = 2 if op == 'wunpckih' else 0
            ln, lm = lanes(W[n], 16), lanes(W[m], 16)
            r = join([ln[base], lm[base], ln[base + 1], lm[base + 1]], 16)
            fixes = [fix_word(OFF_CASF, casf_nz(r, 16))]
        return 'unpack-interleave', '%s%s wr%d, wr%d, wr%d' % (op, SZ[size], d, n, m), fixes
    if k == 19:
        r, rl = rng.randrange(6), rng.randrange(6)
        op = rng.choice(['tmcrr', 'tmrrc', 'tbcst', 'tinsr', 'textrm', 'tmovmsk'])
        if op == 'tmcrr':
            return 'transfer', 'tmcrr wr%d, r%d, r%d' % (d, r, rl), []
        if op == 'tmrrc':
            if r == rl:
                rl = (r + 1) % 6
            return 'transfer', 'tmrrc r%d, r%d, wr%d' % (r, rl, n), []
        if op == 'tbcst':
            return 'transfer', 'tbcst%s wr%d, r%d' % (SZ[size], d, r), []
        if op == 'tinsr':
            return 'transfer', 'tinsr%s wr%d, r%d, #%d' % (SZ[size], d, r, rng.randrange(8 >> size)), []
        if op == 'textrm':
            return 'transfer', 'textrm%s%s r%d, wr%d, #%d' % (rng.choice('us'), SZ[size], r, n,
                                                             rng.randrange(8 >> size)), []
        bits = 8 << size
        mask = sum((x >> (bits - 1)) << i for i, x in enumerate(lanes(W[n], bits)))
        return 'transfer', 'tmovmsk%s r%d, wr%d' % (SZ[size], r, n), [fix_word(4 * r, mask)]
    if k == 20:
        op = rng.choice(['textrc', 'tandc', 'torc'])
        if op == 'textrc':
            return 'flags', 'textrc%s r15, #%d' % (SZ[size], rng.randrange(8 >> size)), []
        return 'flags', '%s%s r15' % (op, SZ[size]), []
    if k == 21:
        r = rng.randrange(6)
        c = rng.choice(['wcid', 'wcon', 'wcssf', 'wcasf', 'wcgr0', 'wcgr1', 'wcgr2', 'wcgr3'])
        if rng.random() < 0.5:
            return 'control', 'tmrc r%d, %s' % (r, c), []
        return 'control', 'tmcr %s, r%d' % (c, r), []
    if k == 22:
        rm, rs = rng.randrange(6), rng.randrange(6)
        op = rng.choice(['tmia', 'tmiaph', 'tmiabb', 'tmiabt', 'tmiatb', 'tmiatt'])
        x, y = st['r'][rm], st['r'][rs]
        if op == 'tmia':
            p = sx(x, 32) * sx(y, 32)
        elif op == 'tmiaph':
            p = sx(x & 0xffff, 16) * sx(y & 0xffff, 16) + sx(x >> 16, 16) * sx(y >> 16, 16)
        else:
            a = x >> 16 if op[4] == 't' else x & 0xffff
            b = y >> 16 if op[5] == 't' else y & 0xffff
            p = sx(a, 16) * sx(b, 16)
        return 'tmia', '%s wr%d, r%d, r%d' % (op, d, rm, rs), [fix_wr(d, W[d] + p)]
    # loads and stores around a scratch buffer (r6 points into it)
    op = rng.choice(['wldrb', 'wldrh', 'wldrw', 'wldrd', 'wstrb', 'wstrh', 'wstrw', 'wstrd'])
    off = rng.randrange(0, 8) * (4 if op[-1] in 'wd' else 1)
    sign = rng.choice(['', '-'])
    form = rng.randrange(3)
    if form == 0:
        addr = '[r6, #%s%d]' % (sign, off)
    elif form == 1:
        addr = '[r6, #%s%d]!' % (sign, off)
    else:
        addr = '[r6], #%s%d' % (sign, off)
    return 'load-store', '%s wr%d, %s' % (op, d, addr), []


# Classes that may run back to back in one block ("sequence" cases: flags and
# registers produced and consumed without leaving generated code).  Not the
# ones whose operands the generator constrains (shift counts, WALIGNR's wCGR,
# TMCR) nor those needing the model.
SEQUENCE_OK = {'logic', 'add-sub', 'compare', 'min-max', 'avg', 'multiply', 'madd', 'acc',
               'shuffle', 'unpack-extend', 'unpack-interleave', 'transfer', 'flags', 'load-store'}


def gen_sequence(rng, st):
    texts = []
    while len(texts) < rng.randrange(2, 5):
        cls, text, fixes = gen_insn(rng, st)
        if cls in SEQUENCE_OK and not fixes:
            texts.append(text)
    return 'sequence', '; '.join(texts), []


def gen(seed, n, out_s, out_list):
    rng = random.Random(seed)
    lines = ['.arm', '.cpu iwmmxt', '.text', '.global _start', '.type _start, %function', '_start:',
             '  ldr r11, =inputs', '  ldr r12, =outbuf', '  mvn r10, #0']
    cases, data = [], []
    for i in range(n):
        st = {'wr': [rand64(rng) for _ in range(9)], 'r': [harness.rand_value(rng) for _ in range(6)],
              'cgr': [rng.randrange(64) for _ in range(4)]}
        cls, text, fixes = gen_sequence(rng, st) if rng.random() < 0.1 else gen_insn(rng, st)
        # conditional forms where the oracle is right (the model assumes the
        # instruction runs)
        cond = rng.choice(CONDS) if rng.random() < 0.1 and cls not in ('flags', 'sequence') \
            and not fixes else ''
        if cond:
            mnem, _, ops = text.partition(' ')
            text = '%s%s %s' % (mnem, cond, ops)
            cls += '-cond'
        cases.append('\t'.join([cls, text] + fixes))
        lines += ['  wldrd wr%d, [r11], #8' % r for r in range(9)]
        lines += ['  ldmia r11!, {r0-r6}', '  msr cpsr_f, r6']
        lines += ['  wldrw wcgr%d, [r11], #4' % g for g in range(4)]
        lines += ['  add r11, r11, #4', '  ldr r6, =scratch+256',
                  '  wmaxub wr9, wr8, wr8', '  tmcr wcon, r10', '  tmcr wcssf, r10',
                  ] + ['  ' + part.strip() for part in text.split(';')] + [
                  '  mrs r6, cpsr', '  stmia r12!, {r0-r6}',
                  '  tmrc r0, wcon', '  tmrc r1, wcssf', '  tmrc r2, wcasf', '  tmrc r3, wcgr0',
                  '  tmrc r4, wcgr1', '  tmrc r5, wcgr2', '  tmrc r6, wcgr3', '  stmia r12!, {r0-r6}']
        lines += ['  wstrd wr%d, [r12], #8' % r for r in range(10)]
        if i % 10 == 9:
            lines += ['  b 1f', '  .ltorg', '1:']
        flags = rng.getrandbits(4) << 28
        data.append('  .quad ' + ', '.join('0x%x' % v for v in st['wr']))
        data.append('  .word ' + ', '.join('0x%x' % v for v in st['r'] + [flags] + st['cgr'] + [0]))
    lines += ['  mov r0, #1', '  ldr r1, =outbuf', '  ldr r2, =%d' % (n * REC), '  mov r7, #4',
              '  svc 0', '  mov r0, #0', '  mov r7, #1', '  svc 0', '  .ltorg',
              '.data', '.balign 8', 'inputs:'] + data
    lines += ['.bss', '.balign 8', 'scratch:', '  .space 512', 'outbuf:', '  .space %d' % (n * REC)]
    with open(out_s, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(out_list, 'w') as f:
        f.write('\n'.join(cases) + '\n')


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit(harness.cmp(sys.argv[2], sys.argv[3], sys.argv[4],
                             sys.argv[5] if len(sys.argv) > 5 else 'iwmmxt', REC))
