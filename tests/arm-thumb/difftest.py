#!/usr/bin/env python3
"""Differential test of Thumb-2 (T16/T32, IT blocks) against an oracle.

  difftest.py gen dp|mem SEED N OUT.s OUT.list   random program, one line per case
  difftest.py cmp dp|mem ORACLE.bin VEMU.bin OUT.list NAME
                                          compare the dumps, print one
                                          PASS:/FAIL: line named NAME

dp:  each case loads r0..r4 and NZCVQ from a table, runs one instruction
     (16-bit forms outside IT blocks, 32-bit data processing, multiplies,
     divides, media, saturation, bitfields) or an IT block of 1-4
     conditional ones, and stores r0..r4 and the APSR (mrs).
mem: each case resets a 64-byte buffer, runs one load/store (every size,
     sign and addressing form, LDRD/STRD, LDM/STM IA/DB, PUSH/POP, the
     16-bit forms) with r6 pointing into it, and stores r0..r4, r6 - buffer
     and the buffer.
Both emulators must produce the same bytes; the program writes its dump to
stdout at the end.
"""
import random
import struct
import sys

SPECIAL = [0, 1, 2, 31, 32, 33, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000,
           0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe]
CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']
INVERSE = {c: CONDS[i ^ 1] for i, c in enumerate(CONDS)}
DP_WORDS = 6          # r0..r4, APSR
MEM_WORDS = 6 + 16    # r0..r4, r6 - buf, the buffer


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def value(self):
        r = self.rng.random()
        if r < 0.5:
            return self.rng.choice(SPECIAL)
        if r < 0.7:
            return self.rng.randrange(70)
        return self.rng.getrandbits(32)

    def reg(self):
        return 'r%d' % self.rng.randrange(5)

    def modimm(self):
        """a constant ThumbExpandImm can encode"""
        k, b = self.rng.randrange(5), self.rng.getrandbits(8)
        if k == 0:
            return b
        if k == 1:
            return b << 16 | b
        if k == 2:
            return b << 24 | b << 8
        if k == 3:
            return b * 0x01010101
        rot, u = self.rng.randrange(8, 32), 0x80 | self.rng.getrandbits(7)
        return ((u >> rot) | (u << (32 - rot))) & 0xffffffff

    def shifted(self):
        rng = self.rng
        k = rng.randrange(3)
        if k == 0:
            return self.reg()
        if rng.random() < 0.1:
            return self.reg() + ', rrx'
        t = rng.choice(['lsl', 'lsr', 'asr', 'ror'])
        n = rng.randrange(1, 32) if t in ('lsl', 'ror') else rng.randrange(1, 33)
        return '%s, %s #%d' % (self.reg(), t, n)

    def operand2(self):
        return '#0x%x' % self.modimm() if self.rng.random() < 0.5 else self.shifted()

    # ---- dp ---------------------------------------------------------------
    def wide(self):
        rng, r = self.rng, self.reg
        k = rng.random()
        s = rng.choice(['', 's'])
        if k < 0.35:
            op = rng.choice(['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'orr', 'orn', 'bic'])
            return '%s%s.w %s, %s, %s' % (op, s, r(), r(), self.operand2())
        if k < 0.42:
            if rng.random() < 0.5:
                return 'mov%s.w %s, %s' % (s, r(), '#0x%x' % self.modimm() if rng.random() < 0.5 else r())
            return 'mvn%s.w %s, %s' % (s, r(), self.operand2())
        if k < 0.48:
            return '%s.w %s, %s' % (rng.choice(['tst', 'teq', 'cmp', 'cmn']), r(), self.operand2())
        if k < 0.53:
            return '%s%s.w %s, %s, %s' % (rng.choice(['lsl', 'lsr', 'asr', 'ror']), s, r(), r(), r())
        if k < 0.56:
            return '%sw %s, %s, #%d' % (rng.choice(['add', 'sub']), r(), r(), rng.randrange(4096))
        if k < 0.59:
            return '%s %s, #%d' % (rng.choice(['movw', 'movt']), r(), rng.randrange(65536))
        if k < 0.66:
            op = rng.choice(['mul', 'mla', 'mls', 'umull', 'umlal', 'smull', 'smlal', 'sdiv', 'udiv', 'umaal'])
            if op in ('mul', 'sdiv', 'udiv'):
                return '%s %s, %s, %s' % (op, r(), r(), r())
            if op in ('mla', 'mls'):
                return '%s %s, %s, %s, %s' % (op, r(), r(), r(), r())
            lo, hi = rng.sample(range(5), 2)
            return '%s r%d, r%d, %s, %s' % (op, lo, hi, r(), r())
        if k < 0.72:
            op = rng.choice(['smulbb', 'smultb', 'smulbt', 'smultt', 'smlabb', 'smlatt', 'smulwb', 'smulwt',
                             'smlawb', 'smlawt', 'smlalbb', 'smlaltt', 'smuad', 'smuadx', 'smusd', 'smlad',
                             'smlsdx', 'smmul', 'smmulr', 'smmla', 'smmls', 'smlald', 'smlsld', 'usad8',
                             'usada8'])
            if op.startswith('smlal') or op == 'smlsld':
                lo, hi = rng.sample(range(5), 2)
                return '%s r%d, r%d, %s, %s' % (op, lo, hi, r(), r())
            if op in ('smlabb', 'smlatt', 'smlawb', 'smlawt', 'smlad', 'smlsdx', 'smmla', 'smmls', 'usada8'):
                return '%s %s, %s, %s, %s' % (op, r(), r(), r(), r())
            return '%s %s, %s, %s' % (op, r(), r(), r())
        if k < 0.78:
            op = rng.choice(['qadd', 'qsub', 'qdadd', 'qdsub', 'sel', 'sadd8', 'uadd16', 'qsub8', 'uhadd16',
                             'ssax', 'uqasx', 'shsub8'])
            return '%s %s, %s, %s' % (op, r(), r(), r())
        if k < 0.84:
            op = rng.choice(['rev', 'rev16', 'revsh', 'rbit', 'clz'])
            return '%s%s %s, %s' % (op, '.w' if op.startswith('rev') else '', r(), r())
        if k < 0.90:
            op = rng.choice(['sxtb', 'uxtb', 'sxth', 'uxth', 'sxtb16', 'uxtb16'])
            rot = rng.choice(['', ', ror #8', ', ror #16', ', ror #24'])
            if rng.random() < 0.5:
                return '%s %s, %s, %s%s' % (op.replace('xt', 'xta'), r(), r(), r(), rot)
            return '%s%s %s, %s%s' % (op, '' if op.endswith('16') else '.w', r(), r(), rot)
        if k < 0.95:
            lsb = rng.randrange(32)
            width = rng.randrange(1, 33 - lsb)
            op = rng.choice(['ubfx', 'sbfx', 'bfi', 'bfc'])
            if op == 'bfc':
                return 'bfc %s, #%d, #%d' % (r(), lsb, width)
            return '%s %s, %s, #%d, #%d' % (op, r(), r(), lsb, width)
        sh = rng.choice(['', ', lsl #%d' % rng.randrange(32), ', asr #%d' % rng.randrange(1, 32)])
        return '%s %s, #%d, %s%s' % (rng.choice(['ssat', 'usat']), r(), rng.randrange(1, 32), r(), sh)

    def narrow(self, in_it):
        """a 16-bit instruction; outside IT blocks the flag-setting form"""
        rng, r = self.rng, self.reg
        s = '' if in_it else 's'
        k = rng.random()
        if k < 0.2:
            op, d = rng.choice(['and', 'eor', 'adc', 'sbc', 'orr', 'bic', 'mul']), r()
            if op == 'mul':
                return 'mul%s %s, %s, %s' % (s, d, r(), d)
            return '%s%s %s, %s' % (op, s, d, r())
        if k < 0.3:
            d = r()
            return '%s%s %s, %s, %s' % (rng.choice(['lsl', 'lsr', 'asr', 'ror']), s, d, d, r())
        if k < 0.4:
            return '%s%s %s, %s, #%d' % (rng.choice(['lsl', 'lsr', 'asr']), s, r(), r(), rng.randrange(1, 32))
        if k < 0.5:
            return '%s%s %s, %s, %s' % (rng.choice(['add', 'sub']), s, r(), r(), r())
        if k < 0.6:
            return '%s%s %s, %s, #%d' % (rng.choice(['add', 'sub']), s, r(), r(), rng.randrange(8))
        if k < 0.7:
            return '%s%s %s, #%d' % (rng.choice(['add', 'sub', 'mov']), s, r(), rng.randrange(256))
        if k < 0.75:
            return 'cmp %s, #%d' % (r(), rng.randrange(256))
        if k < 0.82:
            return '%s %s, %s' % (rng.choice(['tst', 'cmp', 'cmn']), r(), r())
        if k < 0.86:
            return 'rsb%s %s, %s, #0' % (s, r(), r())
        if k < 0.9:
            return 'mvn%s %s, %s' % (s, r(), r())
        if k < 0.95:
            return '%s %s, %s' % (rng.choice(['sxtb', 'uxtb', 'sxth', 'uxth', 'rev', 'rev16', 'revsh']), r(), r())
        return 'add %s, r8' % r() if rng.random() < 0.5 else 'mov %s, %s' % (r(), r())

    def dp_case(self):
        rng = self.rng
        x = rng.random()
        if x < 0.35:
            return [self.narrow(False)]
        if x < 0.7:
            return [self.wide()]
        n, cond = rng.randrange(1, 5), rng.choice(CONDS)
        pattern = ''.join(rng.choice('te') for _ in range(n - 1))
        out = ['it%s %s' % (pattern, cond)]
        for i in range(n):
            c = cond if i == 0 or pattern[i - 1] == 't' else INVERSE[cond]
            mnemonic, rest = (self.narrow(True) if rng.random() < 0.5 else self.wide()).split(' ', 1)
            if mnemonic.endswith('.w'):      # the condition goes before the width
                mnemonic = mnemonic[:-2] + c + '.w'
            else:
                mnemonic += c
            out.append(mnemonic + ' ' + rest)
        return out

    # ---- mem --------------------------------------------------------------------
    def offset(self, align, limit):
        return self.rng.randrange(-limit // align, limit // align + 1) * align

    def mem_case(self):
        rng = self.rng
        k = rng.random()
        if k < 0.45:
            op, align = rng.choice([('ldr', 4), ('str', 4), ('ldrb', 1), ('strb', 1), ('ldrh', 2),
                                    ('strh', 2), ('ldrsb', 1), ('ldrsh', 2)])
            rt, form = self.reg(), rng.randrange(5)
            if form == 0:
                return ['%s %s, [r6, #%d]' % (op, rt, self.offset(align, 28))]
            if form == 1:
                return ['%s %s, [r6, #%d]!' % (op, rt, self.offset(align, 28))]
            if form == 2:
                return ['%s %s, [r6], #%d' % (op, rt, self.offset(align, 28))]
            if form == 3:
                shift = {1: rng.randrange(2), 2: 1, 4: 2}[align]
                return ['%s.w %s, [r6, r7, lsl #%d]' % (op, rt, shift)]
            return ['%s %s, [r6, r7]' % (op, rt)]
        if k < 0.6:
            a, b = rng.sample(range(5), 2)
            op, form, off = rng.choice(['ldrd', 'strd']), rng.randrange(3), self.offset(4, 24)
            addr = ['[r6, #%d]' % off, '[r6, #%d]!' % off, '[r6], #%d' % off][form]
            return ['%s r%d, r%d, %s' % (op, a, b, addr)]
        regs = sorted(rng.sample(range(5), rng.randrange(1, 6)))
        rlist = ', '.join('r%d' % x for x in regs)
        if k < 0.8:
            op, wb = rng.choice(['ldmia', 'stmia', 'ldmdb', 'stmdb']), rng.choice(['', '!'])
            if len(regs) == 1 and op.startswith('ldm'):
                wb = '!'
            return ['%s.w r6%s, {%s}' % (op, wb, rlist)]
        if k < 0.9:
            return ['mov r9, sp', 'mov sp, r6', '%s {%s}' % (rng.choice(['push', 'pop']), rlist),
                    'mov r6, sp', 'mov sp, r9']
        op, align = rng.choice([('ldr', 4), ('str', 4), ('ldrb', 1), ('strb', 1), ('ldrh', 2), ('strh', 2)])
        return ['mov r8, r6', 'adds r3, r6, #0', '%s %s, [r3, #%d]' % (op, rng.choice(['r0', 'r1', 'r2', 'r4']),
                                                                      rng.randrange(8) * align), 'mov r6, r8']


HEADER = ['.syntax unified', '.thumb', '.arch armv7-a', '.arch_extension idiv', '.text',
          '.global _start', '.thumb_func', '_start:']


def trailer(nbytes):
    return ['  mov r0, #1', '  ldr r1, =outbuf', '  ldr r2, =%d' % nbytes, '  mov r7, #4', '  svc 0',
            '  mov r0, #0', '  mov r7, #1', '  svc 0', '  .ltorg']


def gen_dp(g, n):
    cases = [g.dp_case() for _ in range(n)]
    o = HEADER + ['  ldr r11, =inputs', '  ldr r12, =outbuf', '  mov r8, #0x1234']
    for i, case in enumerate(cases):
        o += ['  ldmia r11!, {r0-r5}', '  msr APSR_nzcvq, r5']
        o += ['  ' + x for x in case]
        o += ['  mrs r5, APSR', '  stmia r12!, {r0-r5}']
        if i % 100 == 99:
            o += ['  b 1f', '  .ltorg', '1:']
    o += trailer(n * DP_WORDS * 4) + ['.data', 'inputs:']
    for _ in range(n):
        o.append('  .word ' + ', '.join('0x%x' % v for v in [g.value() for _ in range(5)] +
                                        [g.rng.getrandbits(5) << 27]))
    o += ['.bss', 'outbuf:', '  .space %d' % (n * DP_WORDS * 4)]
    return o, cases


def gen_mem(g, n):
    cases = [g.mem_case() for _ in range(n)]
    o = HEADER + ['  ldr r11, =inputs', '  ldr r12, =outbuf', '  ldr r10, =buf']
    for i, case in enumerate(cases):
        o.append('  mov r7, r10')
        o += ['  ldmia r11!, {r0-r3}', '  stmia r7!, {r0-r3}'] * 4
        o += ['  ldmia r11!, {r0-r5}', '  msr APSR_nzcvq, r5', '  add r6, r10, #32',
              '  movs r7, #%d' % g.rng.randrange(6)]
        o += ['  ' + x for x in case]
        o += ['  sub r6, r6, r10', '  stmia r12!, {r0-r4, r6}', '  mov r7, r10']
        o += ['  ldmia r7!, {r0-r3}', '  stmia r12!, {r0-r3}'] * 4
        if i % 50 == 49:
            o += ['  b 1f', '  .ltorg', '1:']
    o += trailer(n * MEM_WORDS * 4) + ['.data', 'inputs:']
    for _ in range(n):
        words = [g.rng.getrandbits(32) for _ in range(21)] + [g.rng.getrandbits(5) << 27]
        o.append('  .word ' + ', '.join('0x%x' % v for v in words))
    o += ['.bss', '.align 3', 'buf:', '  .space 64', 'outbuf:', '  .space %d' % (n * MEM_WORDS * 4)]
    return o, cases


def compare(kind, oracle, vemu, listing, name):
    words = DP_WORDS if kind == 'dp' else MEM_WORDS
    q, v = open(oracle, 'rb').read(), open(vemu, 'rb').read()
    cases = open(listing).read().split('\n')
    size = words * 4
    n = len(q) // size
    bad = [i for i in range(n) if q[i * size:(i + 1) * size] != v[i * size:(i + 1) * size]]
    if n == 0:
        print('FAIL: %s (the oracle produced no output)' % name)
    elif len(v) != len(q) and not bad:
        print('FAIL: %s (vemu wrote %d bytes, the oracle %d)' % (name, len(v), len(q)))
    elif bad:
        i = bad[0]
        show = lambda b: ' '.join('%08x' % x for x in struct.unpack('<%dI' % (len(b) // 4), b))
        print('FAIL: %s (%d of %d cases differ; first: %s: oracle %s, vemu %s)' %
              (name, len(bad), n, cases[i], show(q[i * size:(i + 1) * size]),
               show(v[i * size:(i + 1) * size])))
    else:
        print('PASS: %s (%d cases)' % (name, n))


def main():
    if len(sys.argv) == 7 and sys.argv[1] == 'gen':
        kind, seed, n, out_s, out_list = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
        lines, cases = (gen_dp if kind == 'dp' else gen_mem)(Gen(seed), n)
        open(out_s, 'w').write('\n'.join(lines) + '\n')
        open(out_list, 'w').write('\n'.join(' ; '.join(c) for c in cases) + '\n')
    elif len(sys.argv) == 7 and sys.argv[1] == 'cmp':
        compare(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
