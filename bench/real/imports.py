# bench/real/imports.py — the python3 row: import a set of standard modules
# (each pulls in more of the standard library), then use each a little.
import argparse, collections, csv, dataclasses, datetime, decimal, fractions
import hashlib, io, json, logging, pathlib, random, re, string, textwrap, typing
import urllib.parse, email.parser, tempfile, subprocess

@dataclasses.dataclass
class Row:
    name: str
    n: int

rows = [Row(w, len(w)) for w in textwrap.wrap(string.ascii_lowercase * 3, 11)]
buf = io.StringIO()
csv.writer(buf).writerows((r.name, r.n) for r in rows)
print(hashlib.sha256(buf.getvalue().encode()).hexdigest()[:16])
print(json.dumps(collections.Counter("mississippi"), sort_keys=True))
print(decimal.Decimal(1) / decimal.Decimal(7), fractions.Fraction(3, 9))
print(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc).isoformat())
print(random.Random(42).randint(0, 1000), re.sub(r"(\d+)", r"<\1>", "a1b22c333"))
print(urllib.parse.urlsplit("http://example.org/a?b=1").query, pathlib.PurePosixPath("/a/b/c.txt").suffix)
print(email.parser.Parser().parsestr("Subject: hi\n\nbody").get("Subject"))
print(argparse.ArgumentParser(prog="x").prog, typing.get_origin(typing.List[int]).__name__)
print(len(logging.getLevelName(10)), tempfile.gettempprefix(), subprocess.PIPE)
