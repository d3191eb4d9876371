"""bench/real/gen-tree.py DIR — the fixed input tree of the text row
(bench/real/text.sh): a/ holds log-like, config and note files, b/ the same
files with some lines changed.  Deterministic: same bytes on every run."""
import os
import random
import sys

root = sys.argv[1]
rng = random.Random(12)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
levels = ["INFO", "INFO", "INFO", "DEBUG", "warning:", "warn:", "ERROR"]


def text(n):
    out = []
    for i in range(n):
        lv = rng.choice(levels)
        out.append("%05d %s %s %d id=%d %s\n" % (i, lv, rng.choice(words), rng.randrange(1000),
                                                 rng.randrange(60), " ".join(rng.choices(words, k=6))))
    return "".join(out)


files = {}
for i in range(1, 13):
    files["data/d%02d.log" % i] = text(400)
for i in range(1, 19):
    files["notes/n%02d.txt" % i] = "".join("%s\n" % " ".join(rng.choices(words, k=9)) for _ in range(120))
for i in range(1, 9):
    files["conf/c%02d.cfg" % i] = "# config %d\n" % i + "".join(
        "%s_%d   =  %d\n" % (rng.choice(words), k, rng.randrange(100)) for k in range(40))
for side in ("a", "b"):
    for name in sorted(files):
        body = files[name]
        if side == "b":
            lines = body.splitlines(True)
            for k in range(0, len(lines), 17):
                lines[k] = lines[k].replace("a", "A", 2)
            body = "".join(lines)
        path = os.path.join(root, side, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(body)
