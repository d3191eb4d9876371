#!/usr/bin/env python3
"""gen-x86-decoder.py — turn x86 opcode tables into C dispatch code.

The x86 decode tables (frontend-x86/*.decode) read like the opcode tables of
the Intel SDM (volume 2, "Instruction Summary" and appendix A, the opcode
map): one row per encoding form,

    NAME   ENCODING...   OPERANDS   [OPTIONS...]

for example

    ADD     00 /r               Eb,Gb      lock
    ADD     83 /0               Ev,Ib      lock
    PUSH    50+r                Zv         d64
    MOVSXD  63 /r               Gv,Ed      o64
    TZCNT   F3 0F BC /r         Gv,Ev      cpuid=BMI1
    BSF     0F BC /r            Gv,Ev
    CMPXCHG16B REX.W 0F C7 /1 mem  Mdq     lock cpuid=CX16
    ANDN    VEX.LZ.NP.0F38 F2 /r   Gy,By,Ey  cpuid=BMI1
    FLD1    D9 E8               -

Anything after '#' is a comment; blank lines are ignored.

NAME is the translation function's name: the row calls
`bool x86_trans_NAME(DisasContext *s, X86Insn *d)` (frontend-x86/x86-insn.h),
which returns false for "undefined" (the guest gets #UD, SIGILL).  Several
rows may share a NAME (all forms of ADD call x86_trans_ADD); the operands
tell the function which form it got.  Grepping a mnemonic finds its rows and
its translation.

ENCODING tokens, in this order:
    66 | F2 | F3 | NP   the mandatory prefix (NP: none of 66/F2/F3).  Without
                   one the row matches whatever prefixes are present (66 is
                   then the operand-size prefix, F2/F3 are rep prefixes).
                   Rows with a mandatory prefix are tried before rows
                   without one (so F3 0F BC TZCNT comes before 0F BC BSF).
    REX.W          (legacy encodings) only with REX.W set
    VEX.L.PP.MAP[.W] a VEX-encoded row: L is L0 (or LZ, 128), L1 (256) or
                   LIG (ignored); PP the implied prefix NP, 66, F3, F2; MAP
                   0F, 0F38 or 0F3A; W is W0, W1 or WIG (default WIG).
    0F | 0F 38 | 0F 3A   the opcode map (legacy encodings)
    XX             the opcode byte (two hex digits); XX+r for the eight
                   opcodes XX..XX+7 whose low three bits name a register
                   (the operand Z)
    YY             after the opcode byte, a second hex byte: the exact ModRM
                   byte (x87 D9 E8 FLD1, 0F 01 D0 XGETBV)
    /r             a ModRM byte follows (implied by ModRM operands)
    /0 ... /7      a ModRM byte whose reg field is the opcode extension
    mem | reg      only when ModRM.mod != 3 (a memory operand) / == 3

OPERANDS: a comma-separated list (at most 4), or `-` for none.  Each
operand is an addressing method (capital letter, SDM appendix A.2.1) and a
size (lowercase, A.2.2), or a fixed register:
    E  ModRM r/m: register or memory    G  ModRM reg: general register
    M  ModRM r/m, memory only           R  ModRM r/m, general register only
    I  immediate                        J  relative offset (immediate)
    O  absolute offset (moffs)          Z  register in the opcode's low bits
    S  ModRM reg: segment register      A  far pointer immediate (ptr16:32)
    V  ModRM reg: XMM/YMM register      W  ModRM r/m: XMM/YMM or memory
    U  ModRM r/m: XMM/YMM register only H  VEX.vvvv: XMM/YMM register
    B  VEX.vvvv: general register       L  imm8[7:4]: XMM/YMM register
    P  ModRM reg: MMX register          Q  ModRM r/m: MMX or memory
    N  ModRM r/m: MMX register only     C  ModRM reg: control register
    D  ModRM reg: debug register        X  memory at DS:rSI   Y  ES:rDI
    F  ModRM r/m: x87 register ST(i)
  sizes: b w d q v (16/32/64 by operand size) z (16/32: an Iz is 32 bits
  with a 64-bit operand size, sign-extended) y (32, 64 with REX.W/VEX.W)
  x (128/256 by VEX.L) dq (128) qq (256) ps pd ss sd (SSE) pi si (MMX)
  t (80-bit) s (x87 state images, any size) p (far pointer) a (bound pair);
  every size is a constant X86_SZ_<size> in frontend-x86/x86-insn.h.
  Fixed registers: AL CL DX (the byte/word registers), rAX eAX (the
  accumulator of operand size v / z), ST0, and `1` (the count of D0/D1
  shifts), which appear as register or immediate operands.

OPTIONS:
    lock        the LOCK prefix is allowed (with a memory first operand)
    d64         64-bit operand size by default in 64-bit mode (66 gives 16)
    f64         always 64-bit operand size in 64-bit mode
    i64         invalid in 64-bit mode (the row does not match there)
    o64         only in 64-bit mode
    cpuid=FEAT  only when the cpu model has X86_FEAT_FEAT (x86-cpuid.h);
                without it the row does not match (a later row may)
    W0 / W1     only with REX.W (or VEX.W) clear / set

Priority: among the rows of one opcode the generator tries rows with a
mandatory prefix first, then the rest, each group in table order (files in
command-line order).  Rows of one opcode must agree on whether it has a
ModRM byte.  A row that can never match (an earlier row of the opcode has
no condition at all) is an error, so two tables cannot silently claim the
same encoding.

Output (--out-c): the rows as `static const X86OpEntry x86_op_entries[]`
and per map a function
    const X86OpEntry *x86_lookup_<map>(DisasContext *s, unsigned opcode)
(maps: legacy, 0f, 0f38, 0f3a, vex_0f, vex_0f38, vex_0f3a) that fetches the
ModRM byte where the opcode has one (x86_fetch_modrm) and returns the first
matching row or NULL; frontend-x86/x86-decode.c includes it.  --out-h: the
prototypes of every x86_trans_NAME, included by frontend-x86/x86-insn.h.

Adding a table: write frontend-x86/<name>.decode and the translation
functions in your own .c file, and add the table to X86_DECODE_TABLES in
frontend-x86/module.mk.
"""

import argparse
import re
import sys

MAPS = ["legacy", "0f", "0f38", "0f3a", "vex_0f", "vex_0f38", "vex_0f3a"]
MODRM_KINDS = set("EGMRSVWUPQNCDF")
KINDS = set("EGMRIJOZSAVWUHBLPQNCDXYF")
SIZES = ["b", "w", "d", "q", "v", "z", "y", "x", "dq", "qq", "ps", "pd", "ss", "sd",
         "pi", "si", "t", "s", "p", "a", "ph", "sh", "bcd"]
FIXED = {
    # name: (C kind, register, size)
    "AL": ("X86_OPK_FIXREG", 0, "b"),
    "CL": ("X86_OPK_FIXREG", 1, "b"),
    "DX": ("X86_OPK_FIXREG", 2, "w"),
    "rAX": ("X86_OPK_FIXREG", 0, "v"),
    "eAX": ("X86_OPK_FIXREG", 0, "z"),
    "ST0": ("X86_OPK_ST0", 0, "t"),
    "1": ("X86_OPK_ONE", 0, "b"),
}
FLAG_OPTS = {"lock": "X86_OPF_LOCK", "d64": "X86_OPF_D64", "f64": "X86_OPF_F64",
             "i64": "X86_OPF_I64", "o64": "X86_OPF_O64"}


class Row:
    pass


def err(where, msg):
    sys.exit("%s: error: %s" % (where, msg))


def parse_operand(tok, where):
    if tok in FIXED:
        kind, reg, size = FIXED[tok]
        return (kind, reg, size)
    m = re.fullmatch(r"([A-Z])([a-z]+)?", tok)
    if not m or m.group(1) not in KINDS:
        err(where, "bad operand '%s'" % tok)
    size = m.group(2) or ""
    if size and size not in SIZES:
        err(where, "unknown operand size '%s' in '%s'" % (size, tok))
    if not size and m.group(1) != "M":
        err(where, "operand '%s' needs a size" % tok)
    return ("X86_OPK_" + m.group(1), 0, size or "none")


def parse_row(line, where):
    toks = line.split()
    r = Row()
    r.where = where
    r.name = toks[0]
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", r.name):
        err(where, "bad name '%s' (capitals, digits, _)" % r.name)
    i = 1
    r.pfx = None
    r.rexw = None
    r.vex = None
    r.map = "legacy"
    r.opcodes = None
    r.modrm_exact = None
    r.reg = None
    r.mod = None
    r.modrm = False
    r.vex_l = None
    r.w = None
    seen_opcode = False
    while i < len(toks):
        t = toks[i]
        if not seen_opcode and t in ("66", "F2", "F3", "NP") and r.vex is None and r.pfx is None \
                and r.map == "legacy" and i + 1 < len(toks) and \
                re.fullmatch(r"[0-9A-F]{2}(\+r)?|REX\.W", toks[i + 1]):
            r.pfx = t
        elif not seen_opcode and t == "REX.W":
            r.w = 1
        elif not seen_opcode and t.startswith("VEX."):
            parts = t.split(".")[1:]
            if len(parts) not in (3, 4):
                err(where, "VEX needs L.PP.MAP[.W]: '%s'" % t)
            l, pp, mp = parts[0], parts[1], parts[2]
            w = parts[3] if len(parts) == 4 else "WIG"
            r.vex_l = {"L0": 0, "LZ": 0, "128": 0, "L1": 1, "256": 1, "LIG": None}.get(l, "bad")
            if r.vex_l == "bad":
                err(where, "bad VEX.L '%s'" % l)
            if pp not in ("NP", "66", "F3", "F2"):
                err(where, "bad VEX prefix '%s'" % pp)
            r.pfx = pp
            if mp not in ("0F", "0F38", "0F3A"):
                err(where, "bad VEX map '%s'" % mp)
            r.map = "vex_" + mp.lower()
            r.vex = True
            if w not in ("W0", "W1", "WIG"):
                err(where, "bad VEX.W '%s'" % w)
            r.w = None if w == "WIG" else int(w[1])
        elif not seen_opcode and t == "0F" and r.map == "legacy" and not r.vex:
            if i + 1 < len(toks) and toks[i + 1] in ("38", "3A") and i + 2 < len(toks) and \
                    re.fullmatch(r"[0-9A-F]{2}(\+r)?", toks[i + 2]):
                r.map = "0f" + toks[i + 1].lower()
                i += 1
            else:
                r.map = "0f"
        elif re.fullmatch(r"[0-9A-F]{2}\+r", t) and not seen_opcode:
            base = int(t[:2], 16)
            if base & 7:
                err(where, "'%s': +r needs an opcode with its low three bits clear" % t)
            r.opcodes = list(range(base, base + 8))
            r.plus_r = True
            seen_opcode = True
        elif re.fullmatch(r"[0-9A-F]{2}", t):
            if not seen_opcode:
                r.opcodes = [int(t, 16)]
                seen_opcode = True
            elif r.modrm_exact is None and not r.modrm:
                r.modrm_exact = int(t, 16)
                r.modrm = True
            else:
                err(where, "unexpected byte '%s'" % t)
        elif t == "/r" and seen_opcode:
            r.modrm = True
        elif re.fullmatch(r"/[0-7]", t) and seen_opcode:
            r.modrm = True
            r.reg = int(t[1])
        elif t in ("mem", "reg") and seen_opcode:
            r.modrm = True
            r.mod = t
        else:
            break
        i += 1
    if not seen_opcode:
        err(where, "no opcode byte")
    if i >= len(toks):
        err(where, "no operands (write '-' for none)")
    ops = toks[i]
    i += 1
    r.operands = [] if ops == "-" else [parse_operand(o, where) for o in ops.split(",")]
    if len(r.operands) > 4:
        err(where, "more than 4 operands")
    if any(k[8:] in MODRM_KINDS for k, _, _ in r.operands if k.startswith("X86_OPK_") and len(k) == 9):
        r.modrm = True
    r.flags = []
    r.feature = None
    for t in toks[i:]:
        if t in FLAG_OPTS:
            r.flags.append(FLAG_OPTS[t])
        elif t.startswith("cpuid="):
            r.feature = t[6:]
            if not re.fullmatch(r"[A-Z0-9_]+", r.feature):
                err(where, "bad feature '%s'" % r.feature)
        elif t in ("W0", "W1"):
            r.w = int(t[1])
        else:
            err(where, "unknown option '%s'" % t)
    if "X86_OPF_I64" in r.flags and "X86_OPF_O64" in r.flags:
        err(where, "i64 and o64 exclude each other")
    if not hasattr(r, "plus_r"):
        r.plus_r = False
    return r


def conditions(r):
    c = []
    if r.pfx is not None:
        c.append("s->mandatory == X86_PFX_%s" % r.pfx)
    if r.modrm_exact is not None:
        c.append("s->modrm == 0x%02x" % r.modrm_exact)
    if r.reg is not None:
        c.append("((s->modrm >> 3) & 7) == %d" % r.reg)
    if r.mod == "mem":
        c.append("(s->modrm >> 6) != 3")
    elif r.mod == "reg":
        c.append("(s->modrm >> 6) == 3")
    if r.w is not None:
        c.append("%ss->rex_w" % ("" if r.w else "!"))
    if r.vex_l is not None:
        c.append("s->vex_l == %d" % r.vex_l)
    if "X86_OPF_I64" in r.flags:
        c.append("!s->code64")
    if "X86_OPF_O64" in r.flags:
        c.append("s->code64")
    if r.feature:
        c.append("x86_has(s, X86_FEAT_%s)" % r.feature)
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-c", required=True)
    ap.add_argument("--out-h", required=True)
    ap.add_argument("tables", nargs="+")
    a = ap.parse_args()

    rows = []
    for path in a.tables:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.split("#", 1)[0].strip()
                if line:
                    rows.append(parse_row(line, "%s:%d" % (path, n)))

    by_op = {m: {} for m in MAPS}
    for idx, r in enumerate(rows):
        r.index = idx
        for op in r.opcodes:
            by_op[r.map].setdefault(op, []).append(r)

    out = []
    out.append("/* Generated by tools/gen-x86-decoder.py from %s; do not edit. */\n" % " ".join(a.tables))
    out.append("static const X86OpEntry x86_op_entries[%d] = {" % len(rows))
    for r in rows:
        ops = ", ".join("{ %s, X86_SZ_%s, %d }" % (k, sz, reg) for k, reg, sz in r.operands)
        flags = " | ".join(r.flags + (["X86_OPF_PLUS_R"] if r.plus_r else [])) or "0"
        out.append("    [%d] = { \"%s\", x86_trans_%s, %d, { %s }, %s, X86_PFX_%s, %d }, /* %s */" %
                   (r.index, r.name, r.name, len(r.operands), ops or "{ 0 }", flags,
                    r.pfx or "ANY", 1 if r.modrm else 0, r.where))
    out.append("};\n")

    for m in MAPS:
        out.append("const X86OpEntry *x86_lookup_%s(DisasContext *s, unsigned opcode)" % m)
        out.append("{")
        ops = by_op[m]
        if not ops:
            out.append("    (void)s;")
            out.append("    (void)opcode;")
            out.append("    return NULL;")
            out.append("}\n")
            continue
        out.append("    switch (opcode) {")
        for op in sorted(ops):
            cand = ops[op]
            has = {c.modrm for c in cand}
            if len(has) != 1:
                err(cand[0].where, "rows of opcode %s %02X disagree on a ModRM byte (%s)" %
                    (m, op, ", ".join(c.where for c in cand)))
            cand = [c for c in cand if c.pfx is not None] + [c for c in cand if c.pfx is None]
            out.append("    case 0x%02x:" % op)
            if cand[0].modrm:
                out.append("        if (!x86_fetch_modrm(s))")
                out.append("            return NULL;")
            for i, c in enumerate(cand):
                cond = conditions(c)
                if not cond and i + 1 < len(cand):
                    err(cand[i + 1].where, "row %s can never match: %s (%s) matches every %s %02X first" %
                        (cand[i + 1].name, c.name, c.where, m, op))
                if cond:
                    out.append("        if (%s)" % " && ".join(cond))
                    out.append("            return &x86_op_entries[%d];   /* %s */" % (c.index, c.name))
                else:
                    out.append("        return &x86_op_entries[%d];   /* %s */" % (c.index, c.name))
                    break
            else:
                out.append("        return NULL;")
        out.append("    default:")
        out.append("        return NULL;")
        out.append("    }")
        out.append("}\n")

    with open(a.out_c, "w") as f:
        f.write("\n".join(out))

    h = ["/* Generated by tools/gen-x86-decoder.py from %s; do not edit. */" % " ".join(a.tables)]
    for name in sorted({r.name for r in rows}):
        h.append("bool x86_trans_%s(DisasContext *s, X86Insn *d);" % name)
    with open(a.out_h, "w") as f:
        f.write("\n".join(h) + "\n")


if __name__ == "__main__":
    main()
