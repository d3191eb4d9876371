# bench/real/text.sh WORKDIR TREE — the grep/sed/diff/find|xargs row: text
# tools over a fixed generated tree (bench/real/gen-tree.py): two versions of
# the same files, a/ and b/.  Paths are relative and lists sorted, so the
# output is the same on every side.
cd "$2" || exit 1
out=$1
find . -type f | sort >"$out/files"
wc -l <"$out/files"
grep -rc 'ERROR' a | sort | cksum
grep -rnE 'warn(ing)?: [a-z]+ [0-9]+' b | sort | cksum
find . -name '*.log' -print0 | sort -z | xargs -0 -n 12 grep -h 'id=' |
    sed -E 's/.*id=([0-9]+).*/\1/' | sort -n | uniq -c | sort -k1,1nr -k2,2n | head -5
find a -name '*.txt' | sort | xargs -n 6 wc -l | grep total | cksum
for f in $(find a -name 'c0[1-4].cfg' | sort); do
    sed -e 's/^\([a-z_]*\) *= */\1=/' -e '/^#/d' "$f" >"$out/$(basename "$f")"
done
cat "$out"/*.cfg | sort | uniq | cksum
diff -ru a b | grep -c '^[-+][^-+]'
diff -u a/notes/n03.txt b/notes/n03.txt | tail -n +3 | cksum
cmp a/data/d01.log b/data/d01.log >/dev/null && echo same || echo differs
