#!/usr/bin/env python3
"""x87-faithful.py REF EMU — compare two `x87 -v GROUP` outputs of
tests/x86-user/x87.c where the emulator computes the x87 transcendental
instructions with the portable float80 library (host/host-x87-soft-trans.c:
correctly rounded) and the reference is the hardware (only faithful: its
result may be the other neighbour of the exact value, docs/x87.md).

Case lines must be identical except that an 80-bit result ("SEEE.MMMM...",
x80() in x87.c) may be one unit in the last place away from the
reference's, and the status word ("sw XXXX") may then differ in C1 (0x0200,
"rounded up") only.  Infinities, NaNs and everything else must be the same
bits.  Hash lines ("NAME 0123456789abcdef", every group's) are skipped:
the caller compares the groups this script is not asked about.

Prints how many cases differed by one ulp ("N/TOTAL"); exit 0 when every difference is
within that bound, else 1 with the first case that is not.
"""
import re
import sys

HASH = re.compile(r"^(w: )?\S+ [0-9a-f]{16}$")
F80 = re.compile(r"^([0-9a-f]{4})\.([0-9a-f]{16})$")
SW_C1 = 0x0200


def f80(tok):
    m = F80.match(tok)
    if not m:
        return None
    se, mant = int(m.group(1), 16), int(m.group(2), 16)
    return se >> 15, se & 0x7FFF, mant


def within_one_ulp(a, b):
    (sa, ea, ma), (sb, eb, mb) = a, b
    if ea == 0x7FFF or eb == 0x7FFF:          # infinity, NaN: bit for bit
        return False
    # denormals (exponent 0) have the scale of exponent 1
    ea, eb = max(ea, 1), max(eb, 1)
    lo, hi = min(ea, eb), max(ea, eb)
    va = (ma << (ea - lo)) * (-1 if sa else 1)
    vb = (mb << (eb - lo)) * (-1 if sb else 1)
    return abs(va - vb) <= (1 << (hi - lo))   # one ulp of the larger binade


def same_case(ref, emu):
    rt, et = ref.split(), emu.split()
    if len(rt) != len(et):
        return False, 0
    ulps = 0
    for i, (r, e) in enumerate(zip(rt, et)):
        if r == e:
            continue
        if i > 0 and rt[i - 1] == "sw" and et[i - 1] == "sw":
            try:
                if (int(r, 16) ^ int(e, 16)) & ~SW_C1:
                    return False, 0
            except ValueError:
                return False, 0
            continue
        a, b = f80(r), f80(e)
        if a is None or b is None or not within_one_ulp(a, b):
            return False, 0
        ulps += 1
    return True, ulps


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: x87-faithful.py REF EMU")
    with open(sys.argv[1]) as f:
        ref = [l.rstrip("\n") for l in f if not HASH.match(l.rstrip("\n"))]
    with open(sys.argv[2]) as f:
        emu = [l.rstrip("\n") for l in f if not HASH.match(l.rstrip("\n"))]
    if len(ref) != len(emu):
        print(f"case counts differ: reference {len(ref)}, emulator {len(emu)}")
        return 1
    cases = 0
    for r, e in zip(ref, emu):
        if r == e:
            continue
        ok, _ = same_case(r, e)
        if not ok:
            print(f"not within one ulp: reference '{r}', emulator '{e}'")
            return 1
        cases += 1
    print(f"{cases}/{len(ref)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
