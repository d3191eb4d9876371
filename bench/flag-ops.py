#!/usr/bin/env python3
"""bench/flag-ops.py LOG... — how much of an ARM guest's hot IR only computes
the NZCV flags, from `vemu-arm -no-cache -d op_opt -D LOG prog`.

The question (issue 17, docs/backend-aarch64.md "Host NZCV"): would keeping
the guest's NZCV in the aarch64 host's own flags pay?  frontend-arm keeps
NZCV as four globals (NF, ZF, CF, VF: docs/architecture.md "guest flags in
the form instructions produce them"), so a flag-setting instruction whose
flags are still live at the block's end is a few IR ops (the result for NF
and ZF, a setcond for CF, an xor/xor/and for VF) and four global writes.
With NZCV in the host flags it would be the compare the block needs anyway
plus `MRS x, NZCV; STR`.

For each log: the blocks translated twice (the hot ones: promoted to the
full tier) in their last translation; ops whose only purpose is a flag
global (the writes to NF/ZF/CF/VF and every op whose results only those
use); the flag-setting instructions (writes of ZF); and the estimate of ops
host NZCV would remove (flag-only ops minus two per flag-setting
instruction).  Static counts over hot blocks: an upper bound of the
dynamic share, since a write of a global in a register is often free.
"""
import collections
import re
import sys

FLAGS = {"NF", "ZF", "CF", "VF"}
SKIP = {"insn_start", "nop", "tier_count"}


def read_blocks(path):
    blocks = collections.OrderedDict()
    cur = None
    with open(path) as f:
        for line in f:
            m = re.match(r"IR block (0x[0-9a-f]+):", line)
            if m:
                cur = []
                blocks.setdefault(m.group(1), []).append(cur)
            elif cur is not None and line.startswith(" ") and not line.startswith(" ----"):
                cur.append(line.strip())
    return blocks


def flag_only(ops):
    parsed, uses = [], collections.defaultdict(list)
    for i, o in enumerate(ops):
        m = re.match(r"(\S+) = (\S+)\s*(.*)", o)
        if m:
            dst, op, args = m.groups()
        else:
            parts = o.split(None, 1)
            dst, op, args = None, parts[0], parts[1] if len(parts) > 1 else ""
        srcs = re.findall(r"\bt\d+\b|\b[NZCV]F\b", args)
        parsed.append((dst, op))
        for s in srcs:
            uses[s].append(i)
    only = [False] * len(parsed)
    for i in range(len(parsed) - 1, -1, -1):
        dst, _ = parsed[i]
        if dst in FLAGS:
            only[i] = True
        elif dst and dst.startswith("t") and uses[dst] and all(only[u] for u in uses[dst]):
            only[i] = True
    real = sum(1 for _, op in parsed if op not in SKIP)
    flag = sum(1 for i, (_, op) in enumerate(parsed) if only[i] and op not in SKIP)
    setters = sum(1 for dst, _ in parsed if dst == "ZF")
    return real, flag, setters


def main():
    for path in sys.argv[1:]:
        blocks = read_blocks(path)
        hot = [v[-1] for v in blocks.values() if len(v) > 1]
        tot = fl = st = 0
        for ops in hot:
            a, b, c = flag_only(ops)
            tot, fl, st = tot + a, fl + b, st + c
        gain = max(fl - 2 * st, 0)
        print(f"{path}: {len(hot)} hot blocks, {tot} ops: flag-only {fl} ({100 * fl / max(tot, 1):.1f}%), "
              f"{st} flag-setting instructions, host NZCV would remove ~{gain} ({100 * gain / max(tot, 1):.1f}%)")


if __name__ == "__main__":
    main()
