# pybench.py — a pure-Python workload for `make bench`: objects and method
# calls (a small cooperative task scheduler), recursion with sets (n-queens),
# and dict/str work (word counts, formatting, sorting).  Deterministic: no
# time, no hashing of str into the output order, no floats beyond repr-safe
# ones.  argv[1] scales the work in percent (default 100).
import sys

SCALE = int(sys.argv[1]) if len(sys.argv) > 1 else 100


class Packet:
    __slots__ = ("kind", "datum", "link")

    def __init__(self, kind, datum):
        self.kind = kind
        self.datum = datum
        self.link = None


class Task:
    def __init__(self, ident, priority, scheduler):
        self.ident = ident
        self.priority = priority
        self.scheduler = scheduler
        self.queue = []
        self.handled = 0
        self.acc = ident * 7919

    def ready(self):
        return bool(self.queue)

    def step(self):
        pkt = self.queue.pop(0)
        self.handled += 1
        self.acc = (self.acc * 31 + pkt.datum * (pkt.kind + 1)) & 0xFFFFFFFF
        if pkt.datum > 0:
            target = (self.ident + pkt.kind + 1) % len(self.scheduler.tasks)
            self.scheduler.send(target, Packet((pkt.kind + 1) % 3, pkt.datum - 1))


class Scheduler:
    def __init__(self, ntasks):
        self.tasks = [Task(i, (i * 37) % 11, self) for i in range(ntasks)]
        self.sent = 0

    def send(self, target, pkt):
        self.sent += 1
        self.tasks[target].queue.append(pkt)

    def run(self):
        order = sorted(self.tasks, key=lambda t: (-t.priority, t.ident))
        busy = True
        while busy:
            busy = False
            for t in order:
                if t.ready():
                    t.step()
                    busy = True
        return sum(t.acc for t in self.tasks) & 0xFFFFFFFF, self.sent


def schedule(rounds):
    check = 0
    for r in range(rounds):
        s = Scheduler(12)
        for i in range(40):
            s.send(i % 12, Packet(i % 3, 20 + (i + r) % 15))
        acc, sent = s.run()
        check = (check * 1000003 + acc + sent) & 0xFFFFFFFFFFFF
    return check


def queens(n):
    def place(row, cols, d1, d2):
        if row == n:
            return 1
        count = 0
        for c in range(n):
            if c not in cols and (row + c) not in d1 and (row - c) not in d2:
                cols.add(c)
                d1.add(row + c)
                d2.add(row - c)
                count += place(row + 1, cols, d1, d2)
                cols.remove(c)
                d1.remove(row + c)
                d2.remove(row - c)
        return count
    return place(0, set(), set(), set())


SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "xe", "zu", "pa", "qi"]


def words(count, seed):
    x = seed
    out = []
    for _ in range(count):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        n = 1 + (x >> 16) % 3
        w = ""
        for k in range(n):
            w += SYLLABLES[(x >> (4 * k)) % len(SYLLABLES)]
        out.append(w)
    return out


def text_stats(count):
    freq = {}
    for w in words(count, 42):
        freq[w] = freq.get(w, 0) + 1
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    lines = ["%-10s %6d" % (w, c) for w, c in top]
    joined = "|".join(w.upper()[::-1] for w, _ in top)
    return len(freq), lines, joined


def main():
    print("scheduler", schedule(max(1, 150 * SCALE // 100)))
    total = 0
    for _ in range(max(1, 8 * SCALE // 100)):
        total += queens(8)
    print("queens", total)
    distinct, lines, joined = text_stats(max(1, 400000 * SCALE // 100))
    print("distinct words", distinct)
    for line in lines:
        print(line)
    print(joined)


main()
