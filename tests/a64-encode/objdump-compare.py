#!/usr/bin/env python3
"""Compare test-a64-encode's words (capstone-checked texts) with objdump.

words.txt lines: 8 hex digits, a tab, the expected text (capstone's
spelling).  Words of a multi-instruction check carry the joined text and
are checked by mnemonic only.  pc-relative forms are checked by mnemonic
and registers (objdump prints targets relative to its own section).
"""
import re
import subprocess
import sys

words_file, out_dir, as_tool, objdump = sys.argv[1:5]

# capstone's spelling -> binutils' preferred one
COND = {"hs": "cs", "lo": "cc"}
PCREL = ("b", "bl", "cbz", "cbnz", "tbz", "tbnz", "adr", "adrp")


def norm(text):
    text = re.sub(r"\s*//.*", "", text)
    text = re.sub(r"\s*<[^>]*>", "", text)
    text = re.sub(r"\s+", " ", text).strip()

    def num(m):
        v = m.group(1)
        neg = v.startswith("-")
        v = v.lstrip("-")
        n = int(v, 16) if v.startswith("0x") else int(v)
        return "#%d" % (-n if neg else n)

    # FP immediates: capstone prints %.8f, objdump %e
    text = re.sub(r"#(-?\d+\.\d+(?:e[-+]\d+)?)", lambda m: "#%r" % float(m.group(1)), text)
    text = re.sub(r"#(-?(?:0x[0-9a-f]+|\d+))(?![.\d])", num, text)
    toks = re.split(r"([ ,.\[\]!])", text)
    return "".join(COND.get(t, t) for t in toks)


expected = {}
multi = set()
for line in open(words_file):
    w, text = line.rstrip("\n").split("\t", 1)
    if ";" in text:
        multi.add(w)
    expected.setdefault(w, text)

src = out_dir + "/words.s"
obj = out_dir + "/words.o"
with open(src, "w") as f:
    for w in expected:
        f.write(".inst 0x%s\n" % w)
subprocess.run([as_tool, "-march=armv8.1-a", src, "-o", obj], check=True)
dump = subprocess.run([objdump, "-d", obj], capture_output=True, text=True, check=True).stdout
got = {}
for line in dump.splitlines():
    parts = line.split("\t")
    if len(parts) >= 3 and parts[0].strip().endswith(":"):
        got[parts[1].strip()] = " ".join(parts[2:]).strip()

results = {}   # mnemonic -> [count, failures]
for w, text in expected.items():
    mn = text.split()[0] if w not in multi else "sequence"
    ours = norm(text)
    theirs = norm(got.get(w, "<missing>"))
    ok = True
    if theirs.startswith((".inst", "<missing>")) or "undefined" in theirs:
        ok = False
    elif w in multi:
        ok = True   # each word's own text is not known; capstone checked the sequence
    elif mn in PCREL or mn.startswith("b.") or re.match(r"ldr(sw)? [xw](\d+|zr), #", text):
        # the target: capstone's is absolute at the test's address,
        # objdump's relative to its section; the rest must agree
        ok = ours.rsplit(" ", 1)[0] == theirs.rsplit(" ", 1)[0]
    elif theirs.startswith("mov ") and (mn in ("movz", "movn") or re.match(r"orr [xw]\d+, [xw]zr, #", text)):
        # binutils prints mov with the resulting value; the register must agree
        ok = theirs.split()[1] == ours.split()[1]
    else:
        ok = ours == theirs
    r = results.setdefault(mn, [0, []])
    r[0] += 1
    if not ok:
        r[1].append("%s: ours '%s' objdump '%s'" % (w, text, got.get(w, "<missing>")))

for mn in sorted(results):
    n, bad = results[mn]
    if bad:
        print("FAIL: a64-encode/binutils/%s (%d of %d words differ; first: %s)" % (mn, len(bad), n, bad[0]))
    else:
        print("PASS: a64-encode/binutils/%s (%d words)" % (mn, n))
