#!/usr/bin/env python3
"""gen-decoder.py — turn instruction pattern tables into a C decoder.

A pattern table reads like the architecture manual: one encoding per line,
bits from the most significant down, fixed bits and named fields.  Lines of
four kinds (anything after '#' is a comment):

    %imm16     16:4 0:12                       a named field
    &s_rrr_shi S Rn Rd imm5 type Rm            an argument set
    @s_rrr_shi ---- ... .... S:1 Rn:4 Rd:4 imm5:5 type:2 . Rm:4  &s_rrr_shi
                                               a format
    AND_rrri   cond:4 000 0000 . .... .... ..... .. 0 ....  @s_rrr_shi cond!=1111
                                               a pattern

Named fields (`%name SEG SEG ... [<<N] [!function=FN]`): the value is the
segments put end to end, the first listed most significant.  A segment is
`pos:len` (bits pos+len-1 .. pos of the instruction) or `pos:slen`
(sign-extended; only the first segment may be signed).  `<<N` after a
segment puts N zero bits after it: after the last one it shifts the value
left.  Then `!function=FN` passes the value to the C function `int FN(int)`,
which the including file defines before it includes the generated header.
So `%imm16 16:4 0:12` is MOVW's imm4:imm12, `%imm24x4 0:s24 <<2` the A32
branch offset, and `%t16_push_list 8:1 <<6 0:8` T16 PUSH's
M:'000000':register_list.

Argument sets (`&name member member ...`) name the struct a translation
function receives: `typedef struct { int member; ... } arg_name;`.  Several
patterns share one, so their trans_ functions have the same argument type.
`&name member ... !extern` uses the struct another table's header defines
(with the same members), so both decoders can share trans_ functions.

Formats (`@name TOKENS`) are bit layouts that patterns reuse: the tokens of
a pattern line (below) except `@`.  A pattern names at most one format; its
own fixed bits and the format's must agree where both fix a bit, its fields
add to the format's, and the format may name the argument set.

Tokens of a format or pattern line (after the name):
    0 1 . -        fixed bits; '.' and '-' are bits the line leaves free
                   (several may be written together: 0001, 11.1)
    name:N         an N-bit unsigned field at this position
    name:sN        an N-bit field, sign-extended
    %field         the member `field`, extracted as the named field says
    name=%field    the member `name`, extracted as the named field says
    name=VALUE     the member `name`, a constant (decimal, or 0x hex)
    @format        (patterns only) the format to use
    &argset        the argument set (default: one made of the line's own
                   members, named after the pattern)
    name!=BITS     a constraint: the pattern only matches when the field
                   (an N-bit field of this line or its format, or a named
                   field of one segment without transform) is not the
                   given binary value (e.g. cond!=1111)

The bits of every format and pattern line add up to the instruction width
(--width, default 32).  With an argument set, a pattern must set every one
of its members and no others.

Priority: when several patterns match an instruction, the one listed first
wins (tables list the more specific encodings first, as the manual does in
its "see also" notes).  A pattern that can never match because an earlier,
unconstrained pattern covers it is an error.

Output:
  --out-h FILE   the argument sets (`arg_SET`), and per pattern NAME:
                 `arg_NAME` (its argument set, or a typedef of the shared one),
                 `static inline void PREFIX_extract_NAME(arg_NAME *a, uint32_t insn)`
                 and the prototype `bool trans_NAME(CTX *s, const arg_NAME *a);`
  --out-c FILE   `static bool PREFIX_decode(CTX *s, uint32_t insn)`: finds the
                 pattern, extracts its fields and returns trans_NAME()'s result
                 (false = undefined instruction, or no pattern matched), and
                 `static const char *PREFIX_decode_name(uint32_t insn)`
                 returning the matching pattern's name or NULL (for tests/logs).

Subset decoders (--subset A,B,... --fn-prefix FN --extract-prefix P): only
--out-c, holding `static bool PREFIX_decode(CTX *s, insn)` built from the
same decision tree as the whole table (so which pattern wins is unchanged),
which calls `FN<NAME>(s, &a)` for the listed patterns (prototypes included,
the caller defines them) and returns false for every other instruction.  It
uses the extract functions and argument types of the full header generated
with prefix P, which the including file includes first.

The decoder is a decision tree: at each node it switches on bits that every
remaining pattern fixes (or, failing that, bits most of them fix, copying the
patterns that leave those bits free into every branch, so order is kept);
leaves test the few remaining candidates in table order.
"""

import argparse
import re
import sys


class FieldDef:
    """How one member's value comes out of the instruction: segments
    (pos, len, signed), most significant first (pos None: len zero bits),
    then a shift, then a function; or a constant."""

    def __init__(self, segments, shift=0, func=None, const=None, name=None):
        self.segments, self.shift, self.func, self.const = segments, shift, func, const
        self.name = name     # the %name, for messages

    def simple(self):
        """(pos, len) when the value is plain bits of the instruction."""
        if self.const is None and len(self.segments) == 1 and not self.shift and not self.func:
            return self.segments[0][:2]
        return None

    def c_expr(self):
        if self.const is not None:
            return str(self.const)
        parts = []
        rest = sum(length for _, length, _ in self.segments)
        for i, (pos, length, signed) in enumerate(self.segments):
            rest -= length
            if pos is None:      # zero bits
                continue
            if signed:
                e = f"(uint32_t)((int32_t)((uint32_t)insn << {32 - pos - length}) >> {32 - length})"
            else:
                e = f"(((uint32_t)insn >> {pos}) & 0x{(1 << length) - 1:x}u)"
            if rest:
                e = f"{e} << {rest}"
            parts.append(e)
        e = " | ".join(parts)
        if self.shift:
            e = f"({e}) << {self.shift}"
        e = f"(int)({e})"
        if self.func:
            e = f"{self.func}({e})"
        return e

    def value(self, insn, funcs=None):
        """The value in Python (for checks): a function the caller does not
        supply yields (name, argument)."""
        if self.const is not None:
            return self.const
        v, total = 0, 0
        for pos, length, signed in self.segments:
            v = (v << length) | (0 if pos is None else (insn >> pos) & ((1 << length) - 1))
            total += length
        if self.segments and self.segments[0][2] and v >> (total - 1) & 1:
            v -= 1 << total
        v = v << self.shift
        v = ((v + (1 << 31)) & 0xffffffff) - (1 << 31)    # C int
        if self.func:
            f = (funcs or {}).get(self.func)
            return f(v) if f else (self.func, v)
        return v


class Pattern:
    """A pattern, or a format (the same shape, minus the trans function)."""

    def __init__(self, name, lineno, path):
        self.name, self.lineno, self.path = name, lineno, path
        self.mask = 0        # bits the pattern fixes
        self.value = 0       # their values
        self.members = {}    # member name -> FieldDef, in table order
        self.argset = None   # name of an explicit argument set, or None
        self.format = None
        self.constraints = []  # (pos, len, value) meaning field != value
        self.raw_constraints = []


def die(path, lineno, msg):
    sys.stderr.write(f"{path}:{lineno}: error: {msg}\n")
    sys.exit(1)


NAME = r'[A-Za-z_][A-Za-z0-9_]*'
FIELD_RE = re.compile(rf'^({NAME}):(s?)([0-9]+)$')
CONSTRAINT_RE = re.compile(rf'^({NAME})!=([01]+)$')
NAME_RE = re.compile(rf'^{NAME}$')
SEG_RE = re.compile(r'^([0-9]+):(s?)([0-9]+)$')
REF_RE = re.compile(rf'^(?:({NAME})=)?%({NAME})$')
CONST_RE = re.compile(rf'^({NAME})=(0x[0-9a-fA-F]+|-?[0-9]+)$')


class Table:
    def __init__(self, width):
        self.width = width
        self.fields = {}     # %name -> FieldDef
        self.argsets = {}    # &name -> [members]
        self.extern_argsets = set()   # defined by another table's header
        self.formats = {}    # @name -> Pattern
        self.pats = []
        self.names = set()

    def parse(self, path):
        with open(path) as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.split('#', 1)[0].strip()
                if not line:
                    continue
                toks = line.split()
                head = toks[0]
                if head[0] in '%&@':
                    name = head[1:]
                    if not NAME_RE.match(name):
                        die(path, lineno, f"bad name '{head}'")
                    if head[0] == '%':
                        self.parse_field(path, lineno, name, toks[1:])
                    elif head[0] == '&':
                        if name in self.argsets:
                            die(path, lineno, f"argument set '&{name}' defined twice")
                        members = [m for m in toks[1:] if m != '!extern']
                        if len(members) != len(toks) - 1:
                            self.extern_argsets.add(name)
                        for m in members:
                            if not NAME_RE.match(m):
                                die(path, lineno, f"bad member name '{m}'")
                        if len(set(members)) != len(members):
                            die(path, lineno, f"a member of '&{name}' appears twice")
                        self.argsets[name] = members
                    else:
                        if name in self.formats:
                            die(path, lineno, f"format '@{name}' defined twice")
                        self.formats[name] = self.parse_line(path, lineno, name, toks[1:], True)
                    continue
                if not NAME_RE.match(head):
                    die(path, lineno, f"bad pattern name '{head}'")
                if head in self.names:
                    die(path, lineno, f"pattern '{head}' defined twice")
                self.names.add(head)
                p = self.parse_line(path, lineno, head, toks[1:], False)
                self.finish(p)
                self.pats.append(p)

    def parse_field(self, path, lineno, name, toks):
        if name in self.fields:
            die(path, lineno, f"field '%{name}' defined twice")
        segs, shift, func = [], 0, None
        for tok in toks:
            m = SEG_RE.match(tok)
            if m:
                pos, length = int(m.group(1)), int(m.group(3))
                if length == 0 or pos + length > self.width:
                    die(path, lineno, f"segment '{tok}' outside the instruction")
                if m.group(2) and segs:
                    die(path, lineno, "only the first (most significant) segment may be signed")
                if shift:        # zero bits between two segments
                    segs.append((None, shift, False))
                    shift = 0
                segs.append((pos, length, bool(m.group(2))))
            elif re.match(r'^<<[0-9]+$', tok):
                if not segs or shift:
                    die(path, lineno, f"'{tok}' must follow a segment")
                shift = int(tok[2:])
            elif tok.startswith('!function='):
                func = tok[len('!function='):]
                if not NAME_RE.match(func):
                    die(path, lineno, f"bad function name '{func}'")
            else:
                die(path, lineno, f"cannot parse '{tok}'")
        if not segs:
            die(path, lineno, f"field '%{name}' has no bits")
        if sum(s[1] for s in segs) + shift > 32:
            die(path, lineno, f"field '%{name}' is wider than 32 bits")
        self.fields[name] = FieldDef(segs, shift, func, name=name)

    def parse_line(self, path, lineno, name, toks, is_format):
        p = Pattern(name, lineno, path)
        width = self.width
        pos = width

        def add_member(mname, fd):
            if mname in p.members:
                die(path, lineno, f"field '{mname}' appears twice")
            p.members[mname] = fd

        for tok in toks:
            m = FIELD_RE.match(tok)
            if m:
                length = int(m.group(3))
                if length == 0:
                    die(path, lineno, f"zero-width field '{tok}'")
                pos -= length
                if pos < 0:
                    die(path, lineno, f"pattern is longer than {width} bits")
                add_member(m.group(1), FieldDef([(pos, length, m.group(2) == 's')]))
                continue
            m = CONSTRAINT_RE.match(tok)
            if m:
                p.raw_constraints.append((m.group(1), int(m.group(2), 2), len(m.group(2))))
                continue
            m = REF_RE.match(tok)
            if m:
                fname = m.group(2)
                if fname not in self.fields:
                    die(path, lineno, f"unknown field '%{fname}'")
                add_member(m.group(1) or fname, self.fields[fname])
                continue
            m = CONST_RE.match(tok)
            if m:
                add_member(m.group(1), FieldDef([], const=int(m.group(2), 0)))
                continue
            if tok[0] == '&':
                if tok[1:] not in self.argsets:
                    die(path, lineno, f"unknown argument set '{tok}'")
                if p.argset:
                    die(path, lineno, "two argument sets")
                p.argset = tok[1:]
                continue
            if tok[0] == '@':
                if is_format:
                    die(path, lineno, "a format cannot use another format")
                if tok[1:] not in self.formats:
                    die(path, lineno, f"unknown format '{tok}'")
                if p.format:
                    die(path, lineno, "two formats")
                p.format = self.formats[tok[1:]]
                continue
            if re.match(r'^[01.\-]+$', tok):
                for ch in tok:
                    pos -= 1
                    if pos < 0:
                        die(path, lineno, f"pattern is longer than {width} bits")
                    if ch in '01':
                        p.mask |= 1 << pos
                        p.value |= int(ch) << pos
                continue
            die(path, lineno, f"cannot parse '{tok}'")
        if pos != 0:
            die(path, lineno, f"pattern has {width - pos} bits, expected {width}")
        return p

    def finish(self, p):
        """Merge the format into the pattern, resolve constraints, check
        the argument set."""
        path, lineno = p.path, p.lineno
        f = p.format
        if f:
            both = f.mask & p.mask
            if (f.value & both) != (p.value & both):
                die(path, lineno, f"fixed bits disagree with format '@{f.name}'")
            p.mask |= f.mask
            p.value |= f.value & f.mask
            members = dict(f.members)
            for k, v in p.members.items():
                if k in members:
                    die(path, lineno, f"field '{k}' is also in format '@{f.name}'")
                members[k] = v
            p.members = members
            if f.argset and p.argset and f.argset != p.argset:
                die(path, lineno, f"argument set differs from format '@{f.name}'s")
            p.argset = p.argset or f.argset
            p.raw_constraints = f.raw_constraints + p.raw_constraints
        for fname, val, vlen in p.raw_constraints:
            fd = p.members.get(fname)
            if fd is None or fd.simple() is None:
                die(path, lineno, f"constraint on unknown or composite field '{fname}'")
            fpos, flen = fd.simple()
            if vlen != flen:
                die(path, lineno, f"constraint value for '{fname}' has {vlen} bits, field has {flen}")
            p.constraints.append((fpos, flen, val))
        if p.argset:
            want = self.argsets[p.argset]
            missing = [m for m in want if m not in p.members]
            extra = [m for m in p.members if m not in want]
            if missing:
                die(path, lineno, f"argument set '&{p.argset}' needs {', '.join(missing)}")
            if extra:
                die(path, lineno, f"{', '.join(extra)} not in argument set '&{p.argset}'")
            # Members in the argument set's order.
            p.members = {m: p.members[m] for m in want}


def matches(p, insn):
    """Does pattern p match insn (ignoring earlier patterns)?"""
    if insn & p.mask != p.value:
        return False
    for pos, length, val in p.constraints:
        if (insn >> pos) & ((1 << length) - 1) == val:
            return False
    return True


def first_match(pats, insn):
    for p in pats:
        if matches(p, insn):
            return p
    return None


def load(paths, width):
    t = Table(width)
    for path in paths:
        t.parse(path)
    check_shadowing(t.pats)
    return t


def check_shadowing(pats):
    """An unconstrained earlier pattern that matches everything a later one
    matches makes the later one dead: almost certainly a table mistake."""
    for i, later in enumerate(pats):
        for earlier in pats[:i]:
            if earlier.constraints:
                continue
            if (earlier.mask & later.mask) == earlier.mask and \
               (later.value & earlier.mask) == earlier.value:
                die(later.path, later.lineno,
                    f"pattern '{later.name}' can never match: '{earlier.name}' "
                    f"(line {earlier.lineno}) comes first and covers it")


# ---- decision tree ---------------------------------------------------------

class Leaf:
    def __init__(self, pats, known):
        self.pats, self.known = pats, known


class Switch:
    def __init__(self, mask, cases, known):
        self.mask, self.cases, self.known = mask, cases, known   # cases: {value: node}


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

def c_match(p, known):
    conds = []
    m = p.mask & ~known
    if m:
        conds.append(f"(insn & 0x{m:08x}u) == 0x{p.value & m:08x}u")
    for pos, length, v in p.constraints:
        conds.append(f"((insn >> {pos}) & 0x{(1 << length) - 1:x}u) != 0x{v:x}u")
    return " && ".join(conds) if conds else "true"


def tree_patterns(node):
    if node is None:
        return set()
    if isinstance(node, Leaf):
        return {p.name for p in node.pats}
    return set().union(*(tree_patterns(c) for c in node.cases.values()))


def emit_tree(out, node, action, ind, keep=None):
    """keep: the pattern names that do something (a subset decoder); a
    subtree without any of them just returns action(None)."""
    sp = '    ' * ind
    if keep is not None and node is not None and not (tree_patterns(node) & keep):
        node = None
    if node is None:
        out.append(f"{sp}return {action(None)};")
        return
    if isinstance(node, Leaf):
        for p in node.pats:
            cond = c_match(p, node.known)
            if cond == "true":
                out.append(f"{sp}{{")
                emit_action(out, p, action, ind + 1)
                out.append(f"{sp}}}")
                return
            out.append(f"{sp}if ({cond}) {{")
            emit_action(out, p, action, ind + 1)
            out.append(f"{sp}}}")
        out.append(f"{sp}return {action(None)};")
        return
    out.append(f"{sp}switch (insn & 0x{node.mask:08x}u) {{")
    # Cases whose subtrees print the same share one body.
    bodies = {}
    for v, child in node.cases.items():
        body = []
        emit_tree(body, child, action, ind + 1, keep)
        bodies.setdefault(tuple(body), []).append(v)
    for body, values in bodies.items():
        for v in values:
            out.append(f"{sp}case 0x{v:08x}u:")
        out.extend(body)
    out.append(f"{sp}default:")
    out.append(f"{sp}    return {action(None)};")
    out.append(f"{sp}}}")


def emit_action(out, p, action, ind):
    sp = '    ' * ind
    act = action(p)
    if isinstance(act, str):
        act = [f"return {act};"]
    for line in act:
        out.append(sp + line)


def c_struct(members):
    o = ["typedef struct {"]
    for m in members:
        o.append(f"    int {m};")
    if not members:
        o.append("    int unused_;")
    return o


def gen_header(table, prefix, ctx, width):
    ut = 'uint32_t' if width > 16 else 'uint16_t'
    o = ["/* Generated by tools/gen-decoder.py: do not edit. */", ""]
    for name, members in table.argsets.items():
        if name in table.extern_argsets:
            continue
        o += c_struct(members)
        o.append(f"}} arg_{name};")
        o.append("")
    for p in table.pats:
        if p.argset is None:
            o += c_struct(p.members)
            o.append(f"}} arg_{p.name};")
        elif p.argset != p.name:
            o.append(f"typedef arg_{p.argset} arg_{p.name};")
        o.append("")
        o.append(f"static inline void {prefix}_extract_{p.name}(arg_{p.name} *a, {ut} insn)")
        o.append("{")
        if not p.members or all(fd.const is not None for fd in p.members.values()):
            o.append("    (void)insn;")
        if not p.members:
            o.append("    a->unused_ = 0;")
        for m, fd in p.members.items():
            o.append(f"    a->{m} = {fd.c_expr()};")
        o.append("}")
        o.append(f"bool trans_{p.name}({ctx} *s, const arg_{p.name} *a);")
        o.append("")
    return "\n".join(o) + "\n"


def gen_code(table, tree, prefix, ctx, width):
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
        return f'"{p.name}"'

    o.append(f"static inline bool {prefix}_decode({ctx} *s, {ut} insn)")
    o.append("{")
    emit_tree(o, tree, decode_action, 1)
    o.append("}")
    o.append("")
    o.append(f"static inline const char *{prefix}_decode_name({ut} insn)")
    o.append("{")
    emit_tree(o, tree, name_action, 1)
    o.append("}")
    return "\n".join(o) + "\n"


def gen_subset(table, tree, subset, prefix, extract_prefix, fn_prefix, ctx, width):
    ut = 'uint32_t' if width > 16 else 'uint16_t'
    o = ["/* Generated by tools/gen-decoder.py (a subset decoder): do not edit. */", ""]
    for p in table.pats:
        if p.name in subset:
            o.append(f"static bool {fn_prefix}{p.name}({ctx} *s, const arg_{p.name} *a);")
    o.append("")

    def action(p):
        if p is None or p.name not in subset:
            return "false"
        return [f"arg_{p.name} a;",
                f"{extract_prefix}_extract_{p.name}(&a, insn);",
                f"return {fn_prefix}{p.name}(s, &a);"]

    o.append(f"static inline bool {prefix}_decode({ctx} *s, {ut} insn)")
    o.append("{")
    emit_tree(o, tree, action, 1, subset)
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
    ap.add_argument('--out-h')
    ap.add_argument('--out-c', required=True)
    ap.add_argument('--subset', help='comma-separated pattern names: emit a subset decoder')
    ap.add_argument('--fn-prefix', default='trans_', help='(subset) prefix of the called functions')
    ap.add_argument('--extract-prefix', help='(subset) prefix of the full decoder\'s header')
    ap.add_argument('--stats', action='store_true', help='print decision tree statistics')
    args = ap.parse_args()

    table = load(args.tables, args.width)
    full = (1 << args.width) - 1
    tree = build(table.pats, 0, full)
    if args.stats:
        leaves, depth, cands = tree_stats(tree)
        sys.stderr.write(f"{len(table.pats)} patterns, {leaves} leaves, depth {depth}, "
                         f"at most {cands} candidates per leaf\n")
    if args.subset is not None:
        subset = set(s for s in args.subset.split(',') if s)
        unknown = subset - {p.name for p in table.pats}
        if unknown:
            sys.stderr.write(f"error: --subset names unknown patterns: {', '.join(sorted(unknown))}\n")
            sys.exit(1)
        if not args.extract_prefix:
            sys.stderr.write("error: --subset needs --extract-prefix\n")
            sys.exit(1)
        with open(args.out_c, 'w') as fh:
            fh.write(gen_subset(table, tree, subset, args.prefix, args.extract_prefix,
                                args.fn_prefix, args.ctx, args.width))
        return
    if not args.out_h:
        sys.stderr.write("error: --out-h is required\n")
        sys.exit(1)
    with open(args.out_h, 'w') as fh:
        fh.write(gen_header(table, args.prefix, args.ctx, args.width))
    with open(args.out_c, 'w') as fh:
        fh.write(gen_code(table, tree, args.prefix, args.ctx, args.width))


if __name__ == '__main__':
    main()
