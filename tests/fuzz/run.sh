#!/bin/bash
# tests/fuzz/run.sh — the fuzz targets of tests/fuzz/ in make check: each
# $BUILD/tests/fuzz/fuzz-FMT (built with the replay and mutation driver,
# tests/fuzz/driver.c) replays the seed corpus tests/fuzz/seeds.sh makes
# with qemu-img and vemu-img, then mutated seeds, for a bounded time:
# FUZZ_SECONDS per target (default 7; six targets stay under a minute per
# build, the SAN build included).  A crash, a sanitizer report, a broken
# contract or a hang fails the target and keeps the input in
# $BUILD/tests/fuzz/crashes/.  The inputs are the same on every run (a
# fixed PRNG seed, FUZZ_SEED to change it), only how many of them fit in
# the time varies.  Then the regressions: images that once crashed or hung
# a driver, rebuilt here and checked against qemu-img.
. tests/block/lib.sh
ROOT=$PWD
block_suite_setup fuzz
SECONDS_EACH=${FUZZ_SECONDS:-7}
SEED=${FUZZ_SEED:-1}
CRASHES=$BUILD/tests/fuzz/crashes
mkdir -p "$CRASHES"
# the targets write every input to a file and flush it: keep that in memory
if [ -z "${FUZZ_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    FUZZ_TMPDIR=/dev/shm
fi
export TMPDIR=${FUZZ_TMPDIR:-${TMPDIR:-/tmp}}

"$ROOT/tests/fuzz/seeds.sh" "$T/seeds" "$V" 2>"$T/seeds.log" || { fail seeds "$(tail -1 "$T/seeds.log")"; exit 0; }
for t in qcow2 qcow vmdk vdi vpc probe; do
    bin=$BUILD/tests/fuzz/fuzz-$t
    if [ ! -x "$bin" ]; then
        fail "$t" "no $bin (make unit-tests builds it)"
        continue
    fi
    nseeds=$(ls "$T/seeds/$t" | wc -l)
    [ "$nseeds" -ge 2 ] || { fail "$t" "only $nseeds seeds generated"; continue; }
    "$bin" -t "$SECONDS_EACH" -s "$SEED" -o "$CRASHES" "$T/seeds/$t" >"$T/$t.out" 2>"$T/$t.err"
    rc=$?
    summary=$(grep "^fuzz-$t: " "$T/$t.err")
    if [ $rc -ne 0 ] || [ -z "$summary" ]; then
        sed 's/^/    /' "$T/$t.err" | tail -40
        fail "$t" "exit $rc; $(grep -o 'saved as .*' "$T/$t.err" | tail -1)"
        continue
    fi
    echo "    $summary"
    # a harness whose inputs never open exercises nothing
    set -- $(sed 's/.*seeds (\([0-9]*\) opened), \([0-9]*\) mutated inputs (\([0-9]*\) opened).*/\1 \2 \3/' <<<"$summary")
    if [ "$1" -lt $((nseeds / 2)) ] || [ "$2" -lt 20 ] || [ "$3" -lt $(($2 / 10)) ]; then
        fail "$t" "too few inputs opened: $summary"
        continue
    fi
    pass "$t"
done

# ---- regressions ------------------------------------------------------------------
# A refcount of 2^64-1 (64-bit refcounts): check -r all used to step it down
# one at a time (a hang).  Both tools must repair it the same way.
qemu-img create -q -f qcow2 -o cluster_size=4096,refcount_bits=64 huge.qcow2 1M
qemu-io -f qcow2 -c "write -P 1 0 8k" huge.qcow2 >/dev/null
# the refcount block is the cluster the refcount table's first entry names
python3 - huge.qcow2 <<'EOF'
import struct, sys
f = open(sys.argv[1], "r+b")
hdr = f.read(64)
rt = struct.unpack(">Q", hdr[48:56])[0]
f.seek(rt); rb = struct.unpack(">Q", f.read(8))[0]
f.seek(rb); f.write(b"\xff" * 8)      # cluster 0, the header
EOF
cp huge.qcow2 huge-q.qcow2
timeout 60 "$V" check -r all huge.qcow2 >v.out 2>v.err; rv=$?
qemu-img check -r all huge-q.qcow2 >q.out 2>q.err; rq=$?
if [ $rv -ne $rq ] || ! diff -q <(sed 's/vemu-img/qemu-img/' v.out) q.out >/dev/null; then
    fail regression-refcount-2^64-1 "vemu-img exit $rv, qemu-img exit $rq: $(diff <(sed 's/vemu-img/qemu-img/' v.out) q.out | head -3 | tr '\n' ' ')"
elif ! qemu-img check huge.qcow2 >/dev/null 2>&1; then
    fail regression-refcount-2^64-1 "qemu-img check finds the repaired image broken"
else
    pass regression-refcount-2^64-1
fi
