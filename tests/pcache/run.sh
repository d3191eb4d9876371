#!/bin/bash
# tests/pcache/run.sh — the persistent translation cache
# (docs/translation-cache.md).  Each test uses its own cache directory
# under $BUILD/pcache-tests and compares the program's output with a run
# without the cache (-no-cache); counts come from -d stats, never timing.
#
#   reuse-static, reuse-dynamic  a second run loads most blocks
#                                (translates under a quarter as many)
#   exec-child                   an exec'd child (a new vemu) loads what
#                                its parent saved before the exec
#   rewrite-same-size            one instruction of the binary changed in
#                                place, size, inode and mtime kept: the page
#                                check rejects the old code, output is new
#   replace-binary               another program copied over the path
#   concurrent                   8 processes fill one cache at once; all
#                                correct, the cache valid afterwards
#   truncated, corrupt-data, corrupt-header
#                                damaged cache files: correct output, then
#                                rebuilt (the next run loads, rejects none)
#   readonly                     an unwritable cache location: correct
#                                output, nothing on stderr
#   off-option, off-env          -no-cache and VEMU_CACHE=off write nothing
#   hot-upgrade                  a block saved at the first tier and hot in a
#                                later run is saved again at the full tier:
#                                the run after that promotes fewer (only
#                                blocks that cannot be saved at all)
#
# Prints PASS/FAIL/SKIP: pcache/<name>.  Environment: BUILD, VEMU.
set -u
cd "$(dirname "$0")/../.." || exit 1
SRC=$PWD/tests/pcache
BUILD=${BUILD:-build}
case "$BUILD" in /*) OUT=$BUILD/pcache-tests ;; *) OUT=$PWD/$BUILD/pcache-tests ;; esac
VEMU=${VEMU:-$BUILD/vemu-arm}
case "$VEMU" in /*) ;; */*) VEMU=$PWD/$VEMU ;; esac
CC=arm-linux-gnueabi-gcc
NM=arm-linux-gnueabi-nm
SYSROOT=/usr/arm-linux-gnueabi
unset VEMU_CACHE VEMU_CACHE_SIZE VEMU_LOG VEMU_LOG_FILENAME
ulimit -c 0

ALL="reuse-static reuse-dynamic exec-child rewrite-same-size replace-binary concurrent truncated
corrupt-data corrupt-header readonly off-option off-env hot-upgrade"

if ! command -v $CC >/dev/null 2>&1 || ! command -v $NM >/dev/null 2>&1 || [ ! -x "$VEMU" ]; then
    for t in $ALL; do echo "SKIP: pcache/$t (no $CC or $VEMU)"; done
    exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT/bin"
if ! $CC -O2 -marm -static -o "$OUT/bin/prog-static" "$SRC/prog.c" 2>"$OUT/cc.log" ||
   ! $CC -O2 -marm -o "$OUT/bin/prog-dynamic" "$SRC/prog.c" 2>>"$OUT/cc.log" ||
   ! $CC -O2 -marm -static -DOTHER -o "$OUT/bin/prog-other" -x c - <<<'#include <stdio.h>
int main(void) { for (int i = 0; i < 3; i++) printf("other %d\n", i * 7); return 0; }' 2>>"$OUT/cc.log"; then
    for t in $ALL; do echo "FAIL: pcache/$t (cannot build the guest program: $(head -c 200 "$OUT/cc.log"))"; done
    exit 0
fi

pass() { echo "PASS: pcache/$1"; }
fail() { echo "FAIL: pcache/$1 ($2)"; }

# vm DIR TAG ARGS...: run vemu with cache directory DIR; output in
# $OUT/TAG.out, stderr in TAG.err, -d stats in TAG.log.
vm() {
    local dir=$1 tag=$2
    shift 2
    VEMU_CACHE_DIR=$dir timeout 60 "$VEMU" -d stats -D "$OUT/$tag.log" "$@" >"$OUT/$tag.out" 2>"$OUT/$tag.err"
}
# st_num TAG "label": the first number after the label in TAG.log (-1: none)
st_num() {
    local v
    v=$(sed -n "s/^$2 *\([0-9][0-9]*\).*/\1/p" "$OUT/$1.log" 2>/dev/null | head -1)
    echo "${v:--1}"
}
# stat_paren TAG "label" "inner": a number "inner N" on the label's line
stat_paren() {
    local v
    v=$(grep "^$2" "$OUT/$1.log" 2>/dev/null | sed -n "s/.*$3 \([0-9][0-9]*\).*/\1/p" | head -1)
    echo "${v:--1}"
}
vtc_count() { find "$1" -name '*.vtc' 2>/dev/null | wc -l; }
same_out() { cmp -s "$OUT/$1.out" "$OUT/$2.out"; }

STATIC=$OUT/bin/prog-static
DYNAMIC=$OUT/bin/prog-dynamic
"$VEMU" -no-cache "$STATIC" >"$OUT/ref-static.out" 2>&1
"$VEMU" -no-cache -L $SYSROOT "$DYNAMIC" >"$OUT/ref-dynamic.out" 2>&1

# reuse NAME ARGS...
reuse() {
    local name=$1
    shift
    local d=$OUT/$name.cache ref=$1
    shift
    vm "$d" $name-1 "$@"
    vm "$d" $name-2 "$@"
    local b1 b2 h2
    b1=$(st_num $name-1 "blocks translated")
    b2=$(st_num $name-2 "blocks translated")
    h2=$(st_num $name-2 "cache hits")
    if ! same_out $name-1 $ref || ! same_out $name-2 $ref; then
        fail $name "output differs from the run without cache"
    elif [ -s "$OUT/$name-1.err" ] || [ -s "$OUT/$name-2.err" ]; then
        fail $name "stderr: $(head -c 200 "$OUT/$name-2.err")"
    elif [ "$(vtc_count "$d")" -eq 0 ]; then
        fail $name "no cache file written"
    elif [ "$h2" -le 0 ] || [ $((b2 * 4)) -ge "$b1" ]; then
        fail $name "second run: $b2 blocks translated ($h2 loaded), first: $b1"
    else
        pass $name
    fi
}
reuse reuse-static ref-static "$STATIC"
reuse reuse-dynamic ref-dynamic -L $SYSROOT "$DYNAMIC"

# exec-child: the exec'd child is a new vemu (only its -d stats are
# printed: the parent execs instead of exiting); on an empty cache it
# loads what the parent saved before the exec.
d=$OUT/exec.cache
VEMU_CACHE_DIR=$d "$VEMU" -d stats "$STATIC" exec >"$OUT/exec-1.out" 2>"$OUT/exec-1.log"
hits=$(sed -n 's/^cache hits *\([0-9]*\).*/\1/p' "$OUT/exec-1.log")
if ! grep -q '^result .* marker 85$' "$OUT/exec-1.out" || ! grep -q '^child .* marker 85$' "$OUT/exec-1.out"; then
    fail exec-child "output: $(head -c 200 "$OUT/exec-1.out")"
elif [ "$(echo "$hits" | wc -w)" -ne 1 ] || [ "$hits" -le 0 ]; then
    fail exec-child "the child's cache hits: '$hits'"
else
    pass exec-child
fi

# rewrite-same-size: warm, then rewrite marker()'s instruction in place
# and put the old mtime back: only the code check can tell.
d=$OUT/rewrite.cache
w=$OUT/rewrite
mkdir -p "$w"
cp "$STATIC" "$w/prog"
touch -r "$STATIC" "$w/prog"
vm "$d" rewrite-1 "$w/prog"
vm "$d" rewrite-2 "$w/prog"
ino1=$(stat -c %i "$w/prog")
if ! python3 "$SRC/patch-marker.py" "$w/prog" $NM 0x66 >"$OUT/patch.log" 2>&1; then
    fail rewrite-same-size "cannot patch: $(cat "$OUT/patch.log")"
else
    touch -r "$STATIC" "$w/prog"
    vm "$d" rewrite-3 "$w/prog"
    vm "$d" rewrite-4 "$w/prog"
    r3=$(st_num rewrite-3 "cache rejected")
    r4=$(st_num rewrite-4 "cache rejected")
    h4=$(st_num rewrite-4 "cache hits")
    if [ "$(stat -c %i "$w/prog")" != "$ino1" ] || [ "$(stat -c %s "$w/prog")" != "$(stat -c %s "$STATIC")" ]; then
        fail rewrite-same-size "the patch changed inode or size"
    elif ! grep -q 'marker 85$' "$OUT/rewrite-2.out"; then
        fail rewrite-same-size "before the rewrite: $(cat "$OUT/rewrite-2.out")"
    elif ! grep -q 'marker 102$' "$OUT/rewrite-3.out" || ! grep -q 'marker 102$' "$OUT/rewrite-4.out"; then
        fail rewrite-same-size "after the rewrite: $(cat "$OUT/rewrite-3.out") / $(cat "$OUT/rewrite-4.out")"
    elif [ "$r3" -le 0 ]; then
        fail rewrite-same-size "no saved block was rejected ($r3)"
    elif [ "$r4" -ne 0 ] || [ "$h4" -le 0 ]; then
        fail rewrite-same-size "not rebuilt: next run rejected $r4, loaded $h4"
    else
        pass rewrite-same-size
    fi
fi

# replace-binary: another program copied over the same path.
d=$OUT/replace.cache
w=$OUT/replace
mkdir -p "$w"
cp "$STATIC" "$w/prog"
vm "$d" replace-1 "$w/prog"
vm "$d" replace-2 "$w/prog"
cp "$OUT/bin/prog-other" "$w/prog"
vm "$d" replace-3 "$w/prog"
if ! same_out replace-2 ref-static; then
    fail replace-binary "before: $(cat "$OUT/replace-2.out")"
elif [ "$(cat "$OUT/replace-3.out")" != "$(printf 'other 0\nother 7\nother 14')" ]; then
    fail replace-binary "after: $(cat "$OUT/replace-3.out")"
else
    pass replace-binary
fi

# concurrent: 8 processes at once on an empty cache.
d=$OUT/concurrent.cache
pids=""
for i in 1 2 3 4 5 6 7 8; do
    vm "$d" conc-$i -L $SYSROOT "$DYNAMIC" &
    pids="$pids $!"
done
wait $pids
bad=""
for i in 1 2 3 4 5 6 7 8; do
    same_out conc-$i ref-dynamic && [ ! -s "$OUT/conc-$i.err" ] || bad="$bad $i"
done
vm "$d" conc-after -L $SYSROOT "$DYNAMIC"
rj=$(st_num conc-after "cache rejected")
bf=$(stat_paren conc-after "cache rejected" "bad files")
h=$(st_num conc-after "cache hits")
if [ -n "$bad" ]; then
    fail concurrent "runs$bad: wrong output or stderr"
elif ! same_out conc-after ref-dynamic; then
    fail concurrent "the run after: wrong output"
elif [ "$rj" -ne 0 ] || [ "$bf" -ne 0 ] || [ "$h" -le 0 ]; then
    fail concurrent "the cache afterwards: rejected $rj, bad files $bf, loaded $h"
elif ls "$d" | grep -q tmp; then
    fail concurrent "temporary files left: $(ls "$d")"
else
    pass concurrent
fi

# damage NAME HOW: warm a cache, damage every cache file, run twice.
damage() {
    local name=$1 how=$2 d=$OUT/$1.cache f size
    vm "$d" $name-1 -L $SYSROOT "$DYNAMIC"
    for f in "$d"/*.vtc; do
        size=$(stat -c %s "$f")
        case $how in
        truncate) truncate -s $((size / 2)) "$f" ;;
        data) printf '\xde\xad\xbe\xef\xde\xad\xbe\xef' | dd of="$f" bs=1 seek=$((size * 3 / 4)) conv=notrunc 2>/dev/null ;;
        header) printf '\xff' | dd of="$f" bs=1 seek=20 conv=notrunc 2>/dev/null ;;
        esac
    done
    vm "$d" $name-2 -L $SYSROOT "$DYNAMIC"
    vm "$d" $name-3 -L $SYSROOT "$DYNAMIC"
    local rj2 bf2 rj3 bf3 h3
    rj2=$(st_num $name-2 "cache rejected")
    bf2=$(stat_paren $name-2 "cache rejected" "bad files")
    rj3=$(st_num $name-3 "cache rejected")
    bf3=$(stat_paren $name-3 "cache rejected" "bad files")
    h3=$(st_num $name-3 "cache hits")
    if ! same_out $name-2 ref-dynamic || ! same_out $name-3 ref-dynamic; then
        fail $name "wrong output with a damaged cache"
    elif [ -s "$OUT/$name-2.err" ]; then
        fail $name "stderr: $(head -c 200 "$OUT/$name-2.err")"
    elif [ $((rj2 + bf2)) -le 0 ]; then
        fail $name "the damage went unnoticed (rejected $rj2, bad files $bf2)"
    elif [ "$rj3" -ne 0 ] || [ "$bf3" -ne 0 ] || [ "$h3" -le 0 ]; then
        fail $name "not rebuilt: rejected $rj3, bad files $bf3, loaded $h3"
    else
        pass $name
    fi
}
damage truncated truncate
damage corrupt-data data
damage corrupt-header header

# readonly: a cache location that cannot be written (root writes through
# permissions, so a path below a regular file instead), and for other
# users a populated directory without write permission.
touch "$OUT/not-a-dir"
vm "$OUT/not-a-dir/cache" ro-1 "$STATIC"
ok=1 why=""
if ! same_out ro-1 ref-static || [ -s "$OUT/ro-1.err" ]; then
    ok=0 why="unwritable path: $(cat "$OUT/ro-1.err" "$OUT/ro-1.out" | head -c 200)"
fi
if [ "$(id -u)" != 0 ] && [ $ok = 1 ]; then
    d=$OUT/ro.cache
    vm "$d" ro-2 "$STATIC"
    chmod 555 "$d"
    before=$(ls -l "$d")
    vm "$d" ro-3 -L $SYSROOT "$DYNAMIC"
    after=$(ls -l "$d")
    chmod 755 "$d"
    if ! same_out ro-3 ref-dynamic || [ -s "$OUT/ro-3.err" ] || [ "$before" != "$after" ]; then
        ok=0 why="read-only directory: $(head -c 200 "$OUT/ro-3.err")"
    fi
fi
[ $ok = 1 ] && pass readonly || fail readonly "$why"

# off-option, off-env: nothing written, no cache lines in -d stats.
vm "$OUT/off1.cache" off-1 -no-cache "$STATIC"
if ! same_out off-1 ref-static || [ -e "$OUT/off1.cache" ] || grep -q '^cache' "$OUT/off-1.log"; then
    fail off-option "wrote a cache or reported one"
else
    pass off-option
fi
VEMU_CACHE=off vm "$OUT/off2.cache" off-2 "$STATIC"
if ! same_out off-2 ref-static || [ -e "$OUT/off2.cache" ] || grep -q '^cache' "$OUT/off-2.log"; then
    fail off-env "wrote a cache or reported one"
else
    pass off-env
fi

# hot-upgrade: run 1 never promotes (every block saved at the first tier),
# run 2 promotes its hot blocks (loaded at the first tier) and saves them
# again, run 3 loads them hot and promotes only what cannot be saved.
d=$OUT/hot.cache
VEMU_TIER_THRESHOLD=100000000 vm "$d" hot-1 "$STATIC"
vm "$d" hot-2 "$STATIC"
vm "$d" hot-3 "$STATIC"
p1=$(stat_paren hot-1 "blocks translated" "again")
p2=$(stat_paren hot-2 "blocks translated" "again")
p3=$(stat_paren hot-3 "blocks translated" "again")
if ! same_out hot-1 ref-static || ! same_out hot-2 ref-static || ! same_out hot-3 ref-static ||
   [ -s "$OUT/hot-2.err" ] || [ -s "$OUT/hot-3.err" ]; then
    fail hot-upgrade "output differs from the run without cache"
elif [ "$p1" -ne 0 ] || [ "$p2" -le 0 ]; then
    fail hot-upgrade "promotions: run 1 $p1 (want 0), run 2 $p2 (want some)"
elif [ "$(st_num hot-2 "cache blocks saved")" -le 0 ] || [ "$p3" -ge "$p2" ] ||
     [ "$(st_num hot-3 "cache hits")" -le 0 ]; then
    fail hot-upgrade "run 2 promoted $p2 and saved $(st_num hot-2 "cache blocks saved"); run 3 promoted $p3 again, loaded $(st_num hot-3 "cache hits")"
else
    pass hot-upgrade
fi
