#!/usr/bin/env python3
"""test-arm-decode-tables — the ARM decode tables decode as they did before
they were rewritten with one pattern per mnemonic (issue 11).

tests/unit/test-arm-decode-ref/*.decode are the tables as they were (grouped
patterns such as DP_reg with an opc field).  For random instruction words,
and random words inside every pattern of either table, the first matching
pattern of the reference and of the current table must agree:
  - both match, or neither does (except encodings the old trans_ function
    always rejected, listed in REJECTED: the new table leaves them out);
  - each new pattern always corresponds to the same old pattern;
  - every field with the same name has the same value, and composite fields
    (named fields put together from pieces) equal their old pieces' value.
Prints cmocka-style lines, so tests/run-tests.sh counts it like a unit test.
"""
import importlib.util
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
spec = importlib.util.spec_from_file_location("gd", os.path.join(ROOT, "tools", "gen-decoder.py"))
gd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gd)


def sext(v, bits):
    return v - (1 << bits) if v >> (bits - 1) & 1 else v


def t32_offset(f):
    """S:I1:I2:imm10:imm11:0, I = NOT(J XOR S), as the manual writes it."""
    i1, i2 = 1 - (f['J1'] ^ f['S']), 1 - (f['J2'] ^ f['S'])
    return sext(f['S'] << 24 | i1 << 23 | i2 << 22 | f['imm10'] << 12 | f['imm11'] << 1, 25)


FUNCS = {'t32_branch_ij': lambda x: x if x < 0 else x ^ (3 << 22)}


# Old pattern, and a test of its field values: encodings whose trans_
# function always returned false (undefined), which the new table leaves out.
REJECTED = {
    'a32': [('STL', lambda f: f['size'] == 1), ('LDA', lambda f: f['size'] == 1),
            ('EXTEND', lambda f: f['op'] == 1), ('SMMLA', lambda f: f['op'] in (1, 2)),
            ('PAR_addsub', lambda f: f['op1'] in (0, 4) or f['op2'] in (5, 6))],
    't32': [('T32_LDM_STM', lambda f: f['op'] in (0, 3)),
            ('T32_STREXx', lambda f: f['sz'] == 2), ('T32_LDREXx', lambda f: f['sz'] == 2),
            ('T32_LDRD_STRD', lambda f: f['P'] == 0 and f['W'] == 0),
            ('T32_coproc', lambda f: not ((f['bits'] >> 8 & 0xf) == 9 or (f['bits'] >> 8 & 0xe) == 0xa or
                                          (f['T'] == 0 and f['bits'] & 0x03000010 == 0x02000010))),
            ('T32_STL', lambda f: f['sz'] == 3), ('T32_LDA', lambda f: f['sz'] == 3),
            ('T32_dp_shreg', lambda f: f['op'] in (5, 7, 9, 12, 15)),
            ('T32_dp_modimm', lambda f: f['op'] in (5, 6, 7, 9, 12, 15)),
            ('T32_dp_plain', lambda f: f['op'] not in (0, 4, 10, 12, 16, 18, 20, 22, 24, 26, 28)),
            ('T32_extend', lambda f: f['op'] in (6, 7)),
            ('T32_LDST_lit', lambda f: f['size'] == 3 or (f['S'] and f['size'] == 2)),
            ('T32_LDST_imm12', lambda f: f['size'] == 3 or (f['S'] and (not f['L'] or f['size'] == 2))),
            ('T32_LDST_imm8', lambda f: f['size'] == 3 or (f['S'] and (not f['L'] or f['size'] == 2))),
            ('T32_LDST_reg', lambda f: f['size'] == 3 or (f['S'] and (not f['L'] or f['size'] == 2))),
            ('T32_parallel', lambda f: f['op1'] in (3, 7) or f['op2'] & 3 == 3),
            ('T32_misc', lambda f: f['op1'] >= 2 and f['op2'] != 0),
            ('T32_mul', lambda f: (f['op1'] == 0 and f['op2'] >= 2) or
                                  (f['op1'] in (2, 3, 4, 5, 6) and f['op2'] > 1) or
                                  (f['op1'] == 7 and f['op2'] != 0)),
            ('T32_mull', lambda f: f['op2'] not in {0: (0,), 1: (15,), 2: (0,), 3: (15,),
                                                    4: (0, 8, 9, 10, 11, 12, 13), 5: (12, 13),
                                                    6: (0, 6), 7: ()}[f['op1']])],
}

# Patterns added to a table after the rewrite (new instructions): they may
# decode words the reference leaves undefined, and nothing else.
ADDED = {
    'a32': ['CPS', 'SRS', 'RFE', 'MCRR_p15'],   # the system level (issue 13)
    't32': ['T32_CPS', 'T32_SUBS_PC_LR', 'T32_SRS', 'T32_RFE'],   # its Thumb-2 forms
}

# New field name -> its value computed from the old pattern's fields, per
# old pattern.
DERIVED = {
    'a32': {
        ('LDST_extra_imm', 'imm'): lambda f: f['imm4H'] << 4 | f['imm4L'],
        ('MOVW_MOVT', 'imm'): lambda f: f['imm4'] << 12 | f['imm12'],
        ('B', 'offset'): lambda f: f['imm24'] * 4,
        ('BLX_imm', 'offset'): lambda f: f['imm24'] * 4 + f['H'] * 2,
    },
    't16': {
        ('T16_hireg', 'Rdn'): lambda f: f['D'] << 3 | f['Rdn'],
        ('T16_CBZ', 'offset'): lambda f: f['i'] << 6 | f['imm5'] << 1,
        ('T16_IT', 'itstate'): lambda f: f['firstcond'] << 4 | f['mask'],
        ('T16_B_cond', 'offset'): lambda f: f['imm8'] * 2,
        ('T16_B', 'offset'): lambda f: f['imm11'] * 2,
        ('T16_PUSH', 'reglist'): lambda f: f['M'] << 14 | f['reglist'],
        ('T16_POP', 'reglist'): lambda f: f['P'] << 15 | f['reglist'],
    },
    'vfp': {
        ('VMOV_imm', 'imm8'): lambda f: f['imm4H'] << 4 | f['imm4L'],
        ('VCVT_fix', 'imm5'): lambda f: f['imm4'] << 1 | f['i'],
    },
    'iwmmxt': {
        ('TMIAxy', 'xy'): lambda f: f['x'] << 1 | f['y'],
        ('WSHUFH', 'imm'): lambda f: f['immH'] << 4 | f['immL'],
    },
    'fp16': {
        ('VMOV_imm_h', 'imm8'): lambda f: f['imm4H'] << 4 | f['imm4L'],
        ('VCVT_fix_h', 'imm5'): lambda f: f['imm4'] << 1 | f['i'],
    },
    't32': {
        ('T32_dp_shreg', 'imm5'): lambda f: f['imm3'] << 2 | f['imm2'],
        ('T32_dp_modimm', 'imm12'): lambda f: f['i'] << 11 | f['imm3'] << 8 | f['imm8'],
        ('T32_dp_plain', 'imm12'): lambda f: f['i'] << 11 | f['imm3'] << 8 | f['imm8'],
        ('T32_dp_plain', 'imm16'): lambda f: f['Rn'] << 12 | f['i'] << 11 | f['imm3'] << 8 | f['imm8'],
        ('T32_dp_plain', 'imm5'): lambda f: f['imm3'] << 2 | f['imm8'] >> 6,
        ('T32_B_cond', 'offset'): lambda f: sext(f['S'] << 20 | f['J2'] << 19 | f['J1'] << 18 |
                                                 f['imm6'] << 12 | f['imm11'] << 1, 21),
        ('T32_B', 'offset'): lambda f: t32_offset(f),
        ('T32_BL', 'offset'): lambda f: t32_offset(f),
        ('T32_BLX_imm', 'offset'): lambda f: t32_offset(f),
        ('T32_BLX_imm', 'H'): lambda f: f['imm11'] & 1,
    },
}

# Extension-register numbers (named fields %vd_sp, %vd_dp, ... in vfp,
# v8 and fp16.decode), from the old V and extra-bit pieces: a single
# register is Vx:x, a double one x:Vx.
REGNUM = {f'v{x}_{p}': (lambda V, X, p=p: lambda f: f[V] << 1 | f[X] if p == 'sp' else f[X] << 4 | f[V])
          (f'V{x}', {'d': 'D', 'n': 'N', 'm': 'M'}[x])
          for x in 'dnm' for p in ('sp', 'dp')}
REGNUM['vd_scalar_dp'] = REGNUM['vd_dp']

TABLES = [('a32', 32), ('t16', 16), ('t32', 32), ('vfp', 32), ('v8', 32), ('fp16', 32), ('iwmmxt', 32)]


def check(name, width, words_random=20000, words_per_pattern=400):
    old = gd.load([os.path.join(ROOT, 'tests/unit/test-arm-decode-ref', name + '.decode')], width)
    new = gd.load([os.path.join(ROOT, 'frontend-arm', name + '.decode')], width)
    rng = random.Random(11)
    words = [rng.getrandbits(width) for _ in range(words_random)]
    for p in old.pats + new.pats:
        words += [(rng.getrandbits(width) & ~p.mask) | p.value for _ in range(words_per_pattern)]
    rejected = REJECTED.get(name, [])
    derived = DERIVED.get(name, {})
    old_by_name = {p.name: p for p in old.pats}

    def is_rejected(p, w):
        return any(p.name == rn and test({k: fd.value(w) for k, fd in p.members.items()})
                   for rn, test in rejected)

    new2old = {}
    errors = []
    for w in words:
        o = gd.first_match(old.pats, w)
        n = gd.first_match(new.pats, w)
        if o is not None and is_rejected(o, w):
            if n is None:
                continue
            # Falls through to a later pattern, whose old counterpart also
            # rejects it (e.g. T32 STREXx sz = 10 reaches LDRD/STRD with P = W = 0).
            o2 = old_by_name.get(new2old.get(n.name))
            if o2 is not None and gd.matches(o2, w) and is_rejected(o2, w):
                continue
        if o is None and n is not None and n.name in ADDED.get(name, ()):
            continue
        if o is None or n is None:
            if o is not n:
                errors.append(f"{w:#010x}: old {o and o.name}, new {n and n.name}")
            continue
        if new2old.setdefault(n.name, o.name) != o.name:
            errors.append(f"{w:#010x}: new {n.name} is old {o.name} here, "
                          f"{new2old[n.name]} elsewhere")
            continue
        of = {k: fd.value(w) for k, fd in o.members.items()}
        for k, fd in n.members.items():
            v = fd.value(w, FUNCS)
            if (o.name, k) in derived:
                want = derived[(o.name, k)](of)
            elif fd.name in REGNUM:
                want = REGNUM[fd.name](of)
            elif k in of and not (fd.simple() is None and fd.const is None):
                want = of[k]
            elif fd.const is not None or fd.simple():
                continue        # a field the old pattern fixed, or a constant
            else:
                errors.append(f"{new.pats and n.name}.{k}: composite field without a DERIVED rule")
                break
            if v != want:
                errors.append(f"{w:#010x}: {o.name}/{n.name}.{k} = {v}, old {want}")
                break
        if len(errors) > 10:
            break
    return errors, len(words)


def main():
    only = sys.argv[1:]
    failed = 0
    print("[==========] Running ARM decode table comparisons")
    for name, width in TABLES:
        if only and name not in only:
            continue
        print(f"[ RUN      ] {name}")
        errors, n = check(name, width)
        for e in errors[:10]:
            print("  " + e)
        if errors:
            print(f"[  FAILED  ] {name}")
            failed += 1
        else:
            print(f"[       OK ] {name} ({n} words)")
    ran = len([t for t in TABLES if not only or t[0] in only])
    print(f"[  PASSED  ] {ran - failed} test(s)." if not failed else f"[  FAILED  ] {failed} test(s).")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
