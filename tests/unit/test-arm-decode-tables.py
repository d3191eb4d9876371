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


# Old pattern and field values whose trans_ function always returned false.
REJECTED = {
    'a32': [('STL', {'size': 1}), ('LDA', {'size': 1}), ('EXTEND', {'op': 1}),
            ('SMMLA', {'op': 1}), ('SMMLA', {'op': 2}),
            ('PAR_addsub', {'op1': 0}), ('PAR_addsub', {'op1': 4}),
            ('PAR_addsub', {'op2': 5}), ('PAR_addsub', {'op2': 6})],
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
    },
    't32': {
        ('T32_B_cond', 'offset'): lambda f: sext(f['S'] << 20 | f['J2'] << 19 | f['J1'] << 18 |
                                                 f['imm6'] << 12 | f['imm11'] << 1, 21),
        ('T32_B', 'offset'): lambda f: t32_offset(f),
        ('T32_BL', 'offset'): lambda f: t32_offset(f),
        ('T32_BLX_imm', 'offset'): lambda f: t32_offset(f),
        ('T32_BLX_imm', 'H'): lambda f: f['imm11'] & 1,
    },
}

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
    new2old = {}
    errors = []
    for w in words:
        o = gd.first_match(old.pats, w)
        n = gd.first_match(new.pats, w)
        if o is not None and n is None and any(
                o.name == rn and all(o.members[k].value(w) == v for k, v in fv.items())
                for rn, fv in rejected):
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
