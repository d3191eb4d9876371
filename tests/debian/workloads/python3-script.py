# Run by Debian's python3 (tests/debian/workloads/python3-script.test).
import hashlib, json, re, zlib, struct, math, itertools, functools, collections, sys


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.4f})"


class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.r = r

    def area(self):
        return math.pi * self.r ** 2


class Rect(Shape):
    def __init__(self, w, h):
        super().__init__("rect")
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h


shapes = sorted([Circle(1.5), Rect(2, 3.25), Circle(0.1), Rect(7, 0.5)], key=lambda s: s.area())
print(shapes)

# dicts, json
d = {f"k{i}": {"i": i, "sq": i * i, "half": i / 2, "tags": [str(i)] * (i % 3)} for i in range(50)}
text = json.dumps(d, sort_keys=True, indent=1)
print(hashlib.sha256(text.encode()).hexdigest(), len(text))
print(json.loads(text)["k7"], json.dumps([1e-7, 1e22, 3.0, -0.0, 2 ** 70]))

# re
words = open("text.txt").read().split()
print(collections.Counter(words).most_common(5))
print(re.findall(r"\b(\w)(\w*)\1\b", " ".join(words[:3000]))[:10])
print(re.sub(r"(a+)(n)", lambda m: m.group(2).upper() + str(len(m.group(1))), "banana bandana"))
print(len(re.findall(r"^[A-Z].*\.$", open("text.txt").read(), re.M)))

# hashlib, zlib
data = open("binary.dat", "rb").read()
for algo in ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b"):
    print(algo, hashlib.new(algo, data).hexdigest()[:32])
comp = zlib.compress(data, 9)
print("zlib", len(comp), zlib.crc32(data), zlib.adler32(data), zlib.decompress(comp) == data)

# big ints
f = math.factorial(300)
print(len(str(f)), f % (10 ** 9 + 7), pow(3, 10 ** 5, 2 ** 127 - 1), (2 ** 521 - 1) // 12345678901)
print(hex(int("9" * 80) * int("7" * 60))[:50], (-7) // 2, (-7) % 2, divmod(-10 ** 30, 7))

# floats
vals = [math.sqrt(2), math.e ** 10, 1 / 3, 1e-310, 2.5e300 * 10, float("nan"), -0.0, 0.1 + 0.2]
print([repr(v) for v in vals])
print(["%.17g|%e|%.3f|%g" % (v, v, v, v) for v in vals[:5]])
print(f"{math.pi:+.10f} {12345.6789:,.2f} {0.000123:.2e} {1e16:.0f} {255:#x} {7:08b}")
print(math.sin(1.0), math.atan2(-1, -1), math.log(10), math.exp(-3.5), math.fsum([0.1] * 10))
print(struct.pack("<dfiQ", 1.1, 2.2, -3, 2 ** 63).hex(), round(2.675, 2), round(0.5), round(1.5))
print(float.fromhex("0x1.fffffffffffffp+1023"), (1.1).hex(), int(1e20), 7.0 // 2, 7.5 % -2)

# sorting, generators
nums = [int(x) for x in open("numbers.txt")]
print(sorted(nums)[:5], sorted(nums, key=lambda v: (v % 10, -v))[:5], max(nums), min(nums), sum(nums))


def primes():
    found = []
    for n in itertools.count(2):
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n


print(list(itertools.islice(primes(), 15)), sum(itertools.takewhile(lambda p: p < 5000, primes())))
print(functools.reduce(lambda a, b: a * b % 1000003, range(1, 5000)))
gen = (x * x for x in range(10 ** 5) if x % 3 == 0)
print(sum(gen))


# exceptions
def risky(i):
    if i % 3 == 0:
        raise ValueError(f"bad {i}")
    if i % 5 == 0:
        return {}[i]
    return 10 // (i - 7)


for i in range(12):
    try:
        r = risky(i)
    except ValueError as e:
        r = f"ValueError:{e}"
    except KeyError as e:
        r = f"KeyError:{e}"
    except ZeroDivisionError as e:
        r = f"ZeroDivisionError:{e}"
    finally:
        pass
    print(i, r, end="; ")
print()
try:
    [].pop()
except IndexError as e:
    print("caught", type(e).__name__, e)

sys.exit(3)
