#!/usr/bin/env python3
"""gen-decoder.py — turn instruction pattern tables into a C decoder.

A pattern table reads like the architecture manual: one encoding per line,
bits from the most significant down, fixed bits and named fields:

    # Data-processing (register), ARM ARM A5.2.1
    DP_reg   cond:4 000 opc:4 S:1 Rn:4 Rd:4 imm5:5 type:2 0 Rm:4   cond!=1111

Tokens of a pattern line (after the pattern name):
    0 1 . -        fixed bits; '.' and '-' are bits the pattern ignores
                   (several may be written together: 0001, 11.1)
    name:N         an N-bit unsigned field
    name:sN        an N-bit field, sign-extended
    name!=BITS     a constraint: the pattern only matches when the field
                   is not the given binary value (e.g. cond!=1111)

Bits must add up to the instruction width (--width, default 32).

Priority: when several patterns match an instruction, the one listed first
wins (tables list the more specific encodings first, as the manual does in
its "see also" notes).  A pattern that can never match because an earlier,
unconstrained pattern covers it is an error.

Output:
  --out-h FILE   per pattern NAME: `typedef struct { int field...; } arg_NAME;`,
                 `static inline void PREFIX_extract_NAME(arg_NAME *a, uint32_t insn)`
                 and the prototype `bool trans_NAME(CTX *s, const arg_NAME *a);`
  --out-c FILE   `static bool PREFIX_decode(CTX *s, uint32_t insn)`: finds the
                 pattern, extracts its fields and returns trans_NAME()'s result
                 (false = undefined instruction, or no pattern matched), and
                 `static const char *PREFIX_decode_name(uint32_t insn)`
                 returning the matching pattern's name or NULL (for tests/logs).

The decoder is a decision tree: at each node it switches on bits that every
remaining pattern fixes (or, failing that, bits most of them fix, copying the
patterns that leave those bits free into every branch, so order is kept);
leaves test the few remaining candidates in table order.
"""

import argparse
import re
import sys


class Field:
    def __init__(self, name, pos, length, signed):
        self.name, self.pos, self.length, self.signed = name, pos, length, signed


class Pattern:
    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.mask = 0        # bits the pattern fixes
        self.value = 0       # their values
        self.fields = []     # Field, in table order
        self.constraints = []  # (Field, value) meaning field != value

    def field(self, name):
        for f in self.fields:
            if f.name == name:
                return f
        return None


def die(path, lineno, msg):
    sys.stderr.write(f"{path}:{lineno}: error: {msg}\n")
    sys.exit(1)


FIELD_RE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):(s?)([0-9]+)$')
CONSTRAINT_RE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)!=([01]+)$')
NAME_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


def parse(path, width):
    pats = []
    names = set()
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            toks = line.split()
            name = toks[0]
            if not NAME_RE.match(name):
                die(path, lineno, f"bad pattern name '{name}'")
            if name in names:
                die(path, lineno, f"pattern '{name}' defined twice")
            names.add(name)
            p = Pattern(name, lineno)
            pos = width
            pending_constraints = []
            for tok in toks[1:]:
                m = FIELD_RE.match(tok)
                c = CONSTRAINT_RE.match(tok)
                if m:
                    length = int(m.group(3))
                    if length == 0:
                        die(path, lineno, f"zero-width field '{tok}'")
                    pos -= length
                    if p.field(m.group(1)):
                        die(path, lineno, f"field '{m.group(1)}' appears twice")
                    p.fields.append(Field(m.group(1), pos, length, m.group(2) == 's'))
                elif c:
                    pending_constraints.append((c.group(1), int(c.group(2), 2), len(c.group(2))))
                elif re.match(r'^[01.\-]+$', tok):
                    for ch in tok:
                        pos -= 1
                        if pos < 0:
                            break
                        if ch in '01':
                            p.mask |= 1 << pos
                            p.value |= int(ch) << pos
                else:
                    die(path, lineno, f"cannot parse '{tok}'")
                if pos < 0:
                    die(path, lineno, f"pattern is longer than {width} bits")
            if pos != 0:
                die(path, lineno, f"pattern has {width - pos} bits, expected {width}")
            for fname, val, vlen in pending_constraints:
                f = p.field(fname)
                if not f:
                    die(path, lineno, f"constraint on unknown field '{fname}'")
                if vlen != f.length:
                    die(path, lineno, f"constraint value for '{fname}' has {vlen} bits, field has {f.length}")
                p.constraints.append((f, val))
            pats.append(p)
    check_shadowing(path, pats)
    return pats


def check_shadowing(path, pats):
    """An unconstrained earlier pattern that matches everything a later one
    matches makes the later one dead: almost certainly a table mistake."""
    for i, later in enumerate(pats):
        for earlier in pats[:i]:
            if earlier.constraints:
                continue
            if (earlier.mask & later.mask) == earlier.mask and \
               (later.value & earlier.mask) == earlier.value:
                die(path, later.lineno,
                    f"pattern '{later.name}' can never match: '{earlier.name}' "
                    f"(line {earlier.lineno}) comes first and covers it")


# ---- decision tree ---------------------------------------------------------

class Leaf:
    def __init__(self, pats, known):
        self.pats, self.known = pats, known


class Switch:
    def __init__(self, mask, cases, known):
        self.mask, self.cases, self.known = mask, cases, known   # cases: {value: node}


def popcount(x):
    return bin(x).count('1')


def always_matches(p, known):
    return not p.constraints and (p.mask & ~known) == 0


MAX_PARTIAL_BITS = 4   # width of a switch on bits not every pattern fixes


def build(pats, known, full):
    if not pats:
        return None
    # The first candidate matches outright: nothing after it matters.
    if always_matches(pats[0], known):
        return Leaf(pats[:1], known)
    unknown = full & ~known
    common = unknown
    for p in pats:
        common &= p.mask
    if common:
        mask = common
    else:
        if len(pats) <= 2:
            return Leaf(pats, known)
        counts = {}
        for bit in range(full.bit_length()):
            if unknown >> bit & 1:
                n = sum(1 for p in pats if p.mask >> bit & 1)
                if n:
                    counts[bit] = n
        if not counts:
            return Leaf(pats, known)
        best = max(counts.values())
        if best * 2 < len(pats):     # splitting would copy most patterns
            return Leaf(pats, known)
        bits = sorted((b for b, n in counts.items() if n == best), reverse=True)[:MAX_PARTIAL_BITS]
        mask = 0
        for b in bits:
            mask |= 1 << b
    buckets = {}
    free_bits = [b for b in range(full.bit_length()) if mask >> b & 1]
    for p in pats:
        fixed = p.value & p.mask & mask
        free = [b for b in free_bits if not (p.mask >> b & 1)]
        for combo in range(1 << len(free)):
            v = fixed
            for i, b in enumerate(free):
                if combo >> i & 1:
                    v |= 1 << b
            buckets.setdefault(v, []).append(p)
    cases = {v: build(ps, known | mask, full) for v, ps in sorted(buckets.items())}
    return Switch(mask, cases, known)


# ---- C output ---------------------------------------------------------------

def c_match(p, known, ind):
    conds = []
    m = p.mask & ~known
    if m:
        conds.append(f"(insn & 0x{m:08x}u) == 0x{p.value & m:08x}u")
    for f, v in p.constraints:
        conds.append(f"((insn >> {f.pos}) & 0x{(1 << f.length) - 1:x}u) != 0x{v:x}u")
    return " && ".join(conds) if conds else "true"


def emit_tree(out, node, prefix, action, ind):
    sp = '    ' * ind
    if node is None:
        out.append(f"{sp}return {action(None)};")
        return
    if isinstance(node, Leaf):
        for p in node.pats:
            cond = c_match(p, node.known, ind)
            if cond == "true":
                out.append(f"{sp}{{")
                emit_action(out, p, prefix, action, ind + 1)
                out.append(f"{sp}}}")
                return
            out.append(f"{sp}if ({cond}) {{")
            emit_action(out, p, prefix, action, ind + 1)
            out.append(f"{sp}}}")
        out.append(f"{sp}return {action(None)};")
        return
    out.append(f"{sp}switch (insn & 0x{node.mask:08x}u) {{")
    # Cases whose subtrees print the same share one body.
    bodies = {}
    for v, child in node.cases.items():
        body = []
        emit_tree(body, child, prefix, action, ind + 1)
        bodies.setdefault(tuple(body), []).append(v)
    for body, values in bodies.items():
        for v in values:
            out.append(f"{sp}case 0x{v:08x}u:")
        out.extend(body)
    out.append(f"{sp}default:")
    out.append(f"{sp}    return {action(None)};")
    out.append(f"{sp}}}")


def emit_action(out, p, prefix, action, ind):
    sp = '    ' * ind
    for line in action(p):
        out.append(sp + line)


def gen_header(pats, prefix, ctx, width):
    ut = 'uint32_t' if width > 16 else 'uint16_t'
    o = ["/* Generated by tools/gen-decoder.py: do not edit. */", ""]
    for p in pats:
        o.append("typedef struct {")
        for f in p.fields:
            o.append(f"    int {f.name};")
        if not p.fields:
            o.append("    int unused_;")
        o.append(f"}} arg_{p.name};")
        o.append("")
        o.append(f"static inline void {prefix}_extract_{p.name}(arg_{p.name} *a, {ut} insn)")
        o.append("{")
        if not p.fields:
            o.append("    (void)insn;")
            o.append("    a->unused_ = 0;")
        for f in p.fields:
            if f.signed:
                o.append(f"    a->{f.name} = (int)((int32_t)((uint32_t)insn << {32 - f.pos - f.length}) >> {32 - f.length});")
            else:
                o.append(f"    a->{f.name} = (int)((insn >> {f.pos}) & 0x{(1 << f.length) - 1:x}u);")
        o.append("}")
        o.append(f"bool trans_{p.name}({ctx} *s, const arg_{p.name} *a);")
        o.append("")
    return "\n".join(o) + "\n"


def gen_code(pats, tree, prefix, ctx, width):
    ut = 'uint32_t' if width > 16 else 'uint16_t'
    o = ["/* Generated by tools/gen-decoder.py: do not edit. */", ""]

    def decode_action(p):
        if p is None:
            return "false"
        return [f"arg_{p.name} a;",
                f"{prefix}_extract_{p.name}(&a, insn);",
                f"return trans_{p.name}(s, &a);"]

    def name_action(p):
        if p is None:
            return "NULL"
        return [f'return "{p.name}";']

    o.append(f"static inline bool {prefix}_decode({ctx} *s, {ut} insn)")
    o.append("{")
    emit_tree(o, tree, prefix, decode_action, 1)
    o.append("}")
    o.append("")
    o.append(f"static inline const char *{prefix}_decode_name({ut} insn)")
    o.append("{")
    emit_tree(o, tree, prefix, name_action, 1)
    o.append("}")
    return "\n".join(o) + "\n"


def tree_stats(node, depth=0):
    """(leaves, max depth, max candidates in a leaf) for --stats."""
    if node is None:
        return (0, depth, 0)
    if isinstance(node, Leaf):
        return (1, depth, len(node.pats))
    n, d, c = 0, depth, 0
    for child in node.cases.values():
        cn, cd, cc = tree_stats(child, depth + 1)
        n, d, c = n + cn, max(d, cd), max(c, cc)
    return (n, d, c)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('tables', nargs='+', help='pattern tables, concatenated in order')
    ap.add_argument('--prefix', required=True, help='C name prefix (decode function PREFIX_decode)')
    ap.add_argument('--ctx', default='DisasContext', help='type of the trans_ functions\' context')
    ap.add_argument('--width', type=int, default=32, choices=(16, 32))
    ap.add_argument('--out-h', required=True)
    ap.add_argument('--out-c', required=True)
    ap.add_argument('--stats', action='store_true', help='print decision tree statistics')
    args = ap.parse_args()

    pats = []
    for t in args.tables:
        pats += parse(t, args.width)
    names = [p.name for p in pats]
    if len(set(names)) != len(names):
        sys.stderr.write("error: a pattern name is defined in two tables\n")
        sys.exit(1)
    full = (1 << args.width) - 1
    tree = build(pats, 0, full)
    if args.stats:
        leaves, depth, cands = tree_stats(tree)
        sys.stderr.write(f"{len(pats)} patterns, {leaves} leaves, depth {depth}, "
                         f"at most {cands} candidates per leaf\n")
    with open(args.out_h, 'w') as fh:
        fh.write(gen_header(pats, args.prefix, args.ctx, args.width))
    with open(args.out_c, 'w') as fh:
        fh.write(gen_code(pats, tree, args.prefix, args.ctx, args.width))


if __name__ == '__main__':
    main()
