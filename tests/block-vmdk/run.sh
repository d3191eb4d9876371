#!/bin/bash
# tests/block-vmdk/run.sh — the VMDK driver against Debian's qemu-img
# (qemu-utils), the oracle, in both directions:
#   qemu2vemu-*   images qemu-img makes (monolithicSparse, monolithicFlat,
#                 twoGbMaxExtentSparse — several extents past 2 GiB —,
#                 streamOptimized; sizes not a multiple of the grain) read by
#                 vemu-img: converted to raw and compared byte for byte, and
#                 `vemu-img compare`
#   vemu2qemu-*   images vemu-img makes (every subformat) pass `qemu-img
#                 check` and compare equal with `qemu-img compare`
#   create-*      monolithicFlat/twoGbMaxExtent* files as qemu-img makes them,
#                 and qemu-img's refusals
#   zero-write-*  zeroed-grain GT entries; convert-c-* compressed streams
#   write-*       vemu-img writing into qemu-img's images and through a
#                 backing file, qemu-io writing into vemu-img's
#   info-*        the format-specific fields as qemu-img prints them
#   hostile-*     hostile vmdk files: a clear message and exit 1, never a crash
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
. tests/block/lib.sh
block_suite_setup block-vmdk

oneline() { head -3 "$@" 2>/dev/null | tr '\n' ' '; }

# The source disk: 5000 KiB (not a multiple of the 64 KiB grain), random
# data with holes, zero runs and a partial last grain.
truncate -s 5000k src.raw
dd if=/dev/urandom of=src.raw bs=64k count=20 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=1k seek=3000 count=77 conv=notrunc 2>/dev/null
dd if=/dev/zero of=src.raw bs=64k seek=5 count=3 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=512 seek=9990 count=10 conv=notrunc 2>/dev/null
cp src.raw mod.raw
dd if=/dev/urandom of=mod.raw bs=1k seek=100 count=7 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=mod.raw bs=512 seek=6001 count=300 conv=notrunc 2>/dev/null

# ---- images made by qemu-img, read by vemu-img -----------------------------
qemu_to_vemu() {   # name source subformat [more -o options]
    local n=$1 src=$2 sf=$3 more=${4:-}
    rm -rf q; mkdir q
    if ! qemu-img convert -O vmdk -o "subformat=$sf$more" "$src" q/q.vmdk >q.log 2>&1; then
        echo "SKIP: block-vmdk/qemu2vemu-$n (qemu-img cannot make it: $(head -1 q.log))"
        return
    fi
    if ! "$V" convert -O raw q/q.vmdk back.raw >v.log 2>&1 || ! cmp -s back.raw "$src"; then
        fail "qemu2vemu-$n" "convert: $(oneline v.log)"
    elif ! "$V" compare -f raw -F vmdk "$src" q/q.vmdk >v.log 2>&1; then
        fail "qemu2vemu-$n" "compare: $(oneline v.log)"
    elif ! "$V" check q/q.vmdk >v.log 2>&1; then
        fail "qemu2vemu-$n" "vemu-img check: $(oneline v.log)"
    elif ! "$V" info q/q.vmdk | grep -q "create type: $sf"; then
        fail "qemu2vemu-$n" "info: no create type $sf"
    else
        pass "qemu2vemu-$n"
    fi
    rm -f back.raw
}
for sf in monolithicSparse monolithicFlat twoGbMaxExtentSparse twoGbMaxExtentFlat streamOptimized; do
    qemu_to_vemu "$sf" src.raw "$sf"
done
qemu_to_vemu zeroed-grain src.raw monolithicSparse ",zeroed_grain=on"
# a 3 GiB disk: twoGbMaxExtentSparse has two sparse extents; data on both
# sides of the 2 GiB boundary, read through `compare` (no 3 GiB raw copy)
truncate -s 3000M big.raw
dd if=/dev/urandom of=big.raw bs=64k seek=32767 count=2 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=big.raw bs=1k seek=3000000 count=5 conv=notrunc 2>/dev/null
for sf in twoGbMaxExtentSparse twoGbMaxExtentFlat; do
    rm -rf q; mkdir q
    if ! qemu-img convert -O vmdk -o subformat=$sf big.raw q/q.vmdk >q.log 2>&1; then
        echo "SKIP: block-vmdk/qemu2vemu-$sf-3G ($(head -1 q.log))"
    elif [ "$(ls q | wc -l)" -lt 3 ]; then
        fail "qemu2vemu-$sf-3G" "qemu-img made one extent only"
    elif "$V" compare -F vmdk -f raw big.raw q/q.vmdk >v.log 2>&1 &&
         "$V" convert -O raw q/q.vmdk q/back.raw >/dev/null 2>&1 &&
         qemu-img compare -f raw -F raw big.raw q/back.raw >/dev/null 2>&1; then
        pass "qemu2vemu-$sf-3G"
    else
        fail "qemu2vemu-$sf-3G" "$(oneline v.log)"
    fi
done
rm -rf q big.raw

# ---- images made by vemu-img, checked and read by qemu-img ------------------
vemu_to_qemu() {   # name options...
    local n=$1; shift
    rm -f v.vmdk
    if ! "$V" convert -O vmdk "$@" src.raw v.vmdk >v.log 2>&1; then
        fail "vemu2qemu-$n" "$(oneline v.log)"
    elif ! qemu-img check v.vmdk >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img check: $(oneline c.log)"
    elif ! qemu-img compare -f raw -F vmdk src.raw v.vmdk >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img compare: $(oneline c.log)"
    elif ! qemu-img convert -O raw v.vmdk back.raw >c.log 2>&1 || ! cmp -s back.raw src.raw; then
        fail "vemu2qemu-$n" "qemu-img convert: $(oneline c.log)"
    else
        pass "vemu2qemu-$n"
    fi
}
vemu_to_qemu monolithicSparse
vemu_to_qemu monolithicSparse-m1 -m 1
vemu_to_qemu streamOptimized -o subformat=streamOptimized
vemu_to_qemu streamOptimized-m1 -o subformat=streamOptimized -m 1
vemu_to_qemu zeroed-grain -o zeroed_grain=on
vemu_to_qemu adapter-lsilogic -o adapter_type=lsilogic,hwversion=6
cp v.vmdk keep.vmdk
# the descriptor-file subformats: the extent files must be what qemu-img
# makes (sparse extents byte for byte, flat extents of the same lengths)
for sf in monolithicFlat twoGbMaxExtentSparse twoGbMaxExtentFlat; do
    rm -rf dv dq; mkdir dv dq
    if ! "$V" convert -O vmdk -o subformat=$sf src.raw dv/v.vmdk >v.log 2>&1; then
        fail "vemu2qemu-$sf" "$(oneline v.log)"
    elif ! qemu-img check dv/v.vmdk >c.log 2>&1 ||
         ! qemu-img compare -f raw -F vmdk src.raw dv/v.vmdk >c.log 2>&1; then
        fail "vemu2qemu-$sf" "qemu-img: $(oneline c.log)"
    elif ! qemu-img info dv/v.vmdk | grep -q "create type: $sf"; then
        fail "vemu2qemu-$sf" "qemu-img info: no create type $sf"
    else
        pass "vemu2qemu-$sf"
    fi
    "$V" create -q -f vmdk -o subformat=$sf dv/e.vmdk 5G >v.log 2>&1
    qemu-img create -q -f vmdk -o subformat=$sf dq/e.vmdk 5G
    ok=1
    for f in dq/e-*; do
        g=dv/${f#dq/}
        if [ ! -f "$g" ] || [ "$(stat -c %s "$f")" != "$(stat -c %s "$g")" ]; then ok=0
        elif [ $sf = twoGbMaxExtentSparse ] && ! cmp -s "$f" "$g"; then ok=0
        fi
    done
    [ "$(ls dv/e* | wc -l)" = "$(ls dq/e* | wc -l)" ] || ok=0
    sed -e /CID=/d dv/e.vmdk > dv/e.txt; sed -e /CID=/d dq/e.vmdk > dq/e.txt
    cmp -s dv/e.txt dq/e.txt || ok=0
    if [ $ok = 1 ] && qemu-img check dv/e.vmdk >c.log 2>&1; then
        pass "create-$sf"
    else
        fail "create-$sf" "$(ls dv dq | tr '\n' ' ') $(oneline v.log c.log)"
    fi
    # writes across extents: vemu-img into qemu-img's image, qemu-io into vemu-img's
    qemu-img convert -O vmdk -o subformat=$sf src.raw dq/w.vmdk
    cp src.raw exp.raw
    python3 -c "
f=open('exp.raw','r+b'); f.seek(777*1024); f.write(b'\x3c'*9*1024)"
    if "$V" convert -n -O vmdk mod.raw dq/w.vmdk >v.log 2>&1 && qemu-img check dq/w.vmdk >c.log 2>&1 &&
       qemu-img compare -F vmdk mod.raw dq/w.vmdk >c.log 2>&1 &&
       qemu-io -f vmdk -c "write -P 0x3c 777k 9k" dv/v.vmdk >c.log 2>&1 &&
       "$V" compare -f raw exp.raw dv/v.vmdk >v.log 2>&1; then
        pass "write-$sf"
    else
        fail "write-$sf" "$(oneline v.log c.log)"
    fi
done
# what qemu-img refuses, vemu-img refuses with the same message
cp keep.vmdk dq/; cp keep.vmdk dv/
for o in subformat=monolithicFlat,zeroed_grain=on subformat=twoGbMaxExtentFlat,backing_file=keep.vmdk,backing_fmt=vmdk \
         subformat=foo; do
    qemu-img create -f vmdk -o $o dq/r.vmdk 1M >q.log 2>&1; rq=$?
    "$V" create -f vmdk -o $o dv/r.vmdk 1M >v.log 2>&1; rv=$?
    if [ $rq = $rv ] && [ "$(tail -1 q.log | sed 's/^qemu-img: [^:]*: //')" = "$(tail -1 v.log | sed 's/^vemu-img: [^:]*: //')" ]; then
        pass "create-refused-${o%%,*}"
    else
        fail "create-refused-${o%%,*}" "exit $rq/$rv: $(tail -1 q.log) / $(tail -1 v.log)"
    fi
done
rm -rf dv dq
# vemu-img's stream is about as small as qemu-img's (within 10%)
"$V" convert -O vmdk -o subformat=streamOptimized src.raw vs.vmdk >/dev/null 2>&1
qemu-img convert -O vmdk -o subformat=streamOptimized src.raw qs.vmdk
if [ "$(stat -c %s vs.vmdk)" -le $(( $(stat -c %s qs.vmdk) * 11 / 10 )) ]; then
    pass "vemu2qemu-stream-size"
else
    fail "vemu2qemu-stream-size" "$(stat -c %s vs.vmdk) vs qemu-img's $(stat -c %s qs.vmdk)"
fi
# an empty image made by `create`
rm -f e.vmdk
if "$V" create -q -f vmdk e.vmdk 1000M >v.log 2>&1 && qemu-img check e.vmdk >c.log 2>&1 &&
   [ "$(qemu-img info --output=json e.vmdk | grep -c '"virtual-size": 1048576000')" -ge 1 ] &&
   truncate -s 1000M z.raw && qemu-img compare z.raw e.vmdk >/dev/null 2>&1; then
    pass "vemu2qemu-create"
else
    fail "vemu2qemu-create" "$(oneline v.log c.log)"
fi
rm -f z.raw

# ---- writes -----------------------------------------------------------------
# vemu-img writes (convert -n) into qemu-img's monolithicSparse image
rm -f w.vmdk
qemu-img convert -O vmdk src.raw w.vmdk
if "$V" convert -n -O vmdk mod.raw w.vmdk >v.log 2>&1 && qemu-img check w.vmdk >c.log 2>&1 &&
   qemu-img compare mod.raw w.vmdk >c.log 2>&1; then
    pass "write-into-qemu-image"
else
    fail "write-into-qemu-image" "$(oneline v.log c.log)"
fi
# qemu-io writes into vemu-img's image, vemu-img reads the result
cp keep.vmdk w2.vmdk; cp src.raw exp.raw
qemu-io -f vmdk -c "write -P 0x5a 12345k 70k" -c "write -P 0xa5 4990k 10k" w2.vmdk >/dev/null 2>&1
printf '\x5a%.0s' $(seq 1 $((70*1024))) | dd of=exp.raw bs=1k seek=12345 conv=notrunc 2>/dev/null
truncate -s 5000k exp.raw
python3 -c "
f=open('exp.raw','r+b'); f.seek(12345*1024); f.write(b'\x5a'*70*1024); f.seek(4990*1024); f.write(b'\xa5'*10*1024)" 2>/dev/null
truncate -s 5000k exp.raw
if "$V" compare -f raw exp.raw w2.vmdk >v.log 2>&1; then
    pass "write-qemu-io-into-vemu-image"
else
    fail "write-qemu-io-into-vemu-image" "$(oneline v.log)"
fi
# a backing file: vemu-img makes the overlay, writes through it
rm -f base.vmdk over.vmdk
qemu-img convert -O vmdk src.raw base.vmdk
if "$V" create -q -f vmdk -b base.vmdk -F vmdk over.vmdk 5000k >v.log 2>&1 &&
   "$V" convert -n -O vmdk mod.raw over.vmdk >>v.log 2>&1 &&
   qemu-img compare mod.raw over.vmdk >c.log 2>&1 && qemu-img check over.vmdk >>c.log 2>&1 &&
   qemu-img compare src.raw base.vmdk >>c.log 2>&1 &&
   [ "$(stat -c %s over.vmdk)" -lt "$(stat -c %s base.vmdk)" ]; then
    pass "write-backing"
else
    fail "write-backing" "$(oneline v.log c.log)"
fi
# qemu-img's overlay over a vemu-img base, read by vemu-img
rm -f over2.vmdk
qemu-img create -q -f vmdk -b keep.vmdk -F vmdk over2.vmdk 5000k
qemu-io -f vmdk -c "write -P 0x11 64k 4k" over2.vmdk >/dev/null 2>&1
qemu-img convert -O raw over2.vmdk q-over2.raw
if "$V" compare -f raw q-over2.raw over2.vmdk >v.log 2>&1; then
    pass "read-qemu-overlay"
else
    fail "read-qemu-overlay" "$(oneline v.log)"
fi
# writing into a finished stream is refused with a message
if "$V" convert -n -O vmdk mod.raw vs.vmdk >v.log 2>&1; then
    fail "write-stream-refused" "accepted"
elif grep -q "streamOptimized" v.log; then
    pass "write-stream-refused"
else
    fail "write-stream-refused" "$(oneline v.log)"
fi

# zero writes: whole grains of a zeroed_grain image become zeroed-grain GT
# entries (present, zero, no data, the file does not grow), partial ones
# zero data; without the feature zeroes are data; over a backing file too
cp src.raw z.raw
dd if=/dev/zero of=z.raw bs=64k seek=10 count=5 conv=notrunc 2>/dev/null
dd if=/dev/zero of=z.raw bs=1k seek=3010 count=3 conv=notrunc 2>/dev/null
for o in zeroed_grain=on zeroed_grain=off; do
    rm -f zg.vmdk
    "$V" convert -O vmdk -o $o src.raw zg.vmdk >v.log 2>&1
    s1=$(stat -c %s zg.vmdk)
    "$V" convert -n -O vmdk z.raw zg.vmdk >>v.log 2>&1
    zmap=$(qemu-img map --output=json zg.vmdk | grep -c '"start": 655360, "length": 327680, "depth": 0, "present": true, "zero": true, "data": false')
    if ! qemu-img check zg.vmdk >c.log 2>&1 || ! qemu-img compare z.raw zg.vmdk >c.log 2>&1; then
        fail "zero-write-$o" "$(oneline v.log c.log)"
    elif [ $o = zeroed_grain=on ] && { [ "$zmap" != 1 ] || [ "$(stat -c %s zg.vmdk)" != "$s1" ]; }; then
        fail "zero-write-$o" "no zeroed grains (map $zmap, size $s1 -> $(stat -c %s zg.vmdk))"
    else
        pass "zero-write-$o"
    fi
done
rm -f zb.vmdk zo.vmdk
qemu-img convert -O vmdk src.raw zb.vmdk
"$V" create -q -f vmdk -o zeroed_grain=on -b zb.vmdk -F vmdk zo.vmdk 5000k >v.log 2>&1
if "$V" convert -n -O vmdk z.raw zo.vmdk >>v.log 2>&1 && qemu-img compare z.raw zo.vmdk >c.log 2>&1 &&
   qemu-img check zo.vmdk >>c.log 2>&1 && "$V" compare -f raw z.raw zo.vmdk >>v.log 2>&1; then
    pass "zero-write-over-backing"
else
    fail "zero-write-over-backing" "$(oneline v.log c.log)"
fi
# convert -c: streamOptimized grains compressed (as small as qemu-img's
# within 10%); other subformats accept -c and store grains plainly, as
# qemu-img does
seq 1 300000 > t.raw; truncate -s 4M t.raw
for sf in streamOptimized monolithicSparse twoGbMaxExtentSparse; do
    rm -rf cz; mkdir cz
    if "$V" convert -c -O vmdk -o subformat=$sf t.raw cz/v.vmdk >v.log 2>&1 &&
       qemu-img convert -c -O vmdk -o subformat=$sf t.raw cz/q.vmdk >c.log 2>&1 &&
       qemu-img compare t.raw cz/v.vmdk >c.log 2>&1 && qemu-img check cz/v.vmdk >>c.log 2>&1 &&
       [ "$(du -b cz/v* | awk '{ s += $1 } END { print s }')" -le $(( $(du -b cz/q* | awk '{ s += $1 } END { print s }') * 11 / 10 )) ]; then
        pass "convert-c-$sf"
    else
        fail "convert-c-$sf" "$(oneline v.log c.log) $(ls -l cz | tr '\n' ' ')"
    fi
done
rm -rf cz t.raw z.raw

# ---- info -------------------------------------------------------------------
# what qemu-img prints, human and JSON (the extents too)
rm -rf d; mkdir d
qemu-img convert -O vmdk -o subformat=monolithicFlat src.raw d/flat.vmdk
qemu-img convert -O vmdk -o subformat=twoGbMaxExtentSparse src.raw d/two.vmdk
for f in w.vmdk keep.vmdk vs.vmdk qs.vmdk over.vmdk d/flat.vmdk d/two.vmdk; do
    for o in human json; do
        qemu-img info --output=$o "$f" > qi.log 2>&1
        "$V" info --output=$o "$f" > vi.log 2>&1
        if diff qi.log vi.log >d.log; then
            pass "info-$o-${f#d/}"
        else
            fail "info-$o-${f#d/}" "$(oneline d.log)"
        fi
    done
done

# ---- hostile files ------------------------------------------------------------
hostile() {   # name file expected-message-fragment
    local n=$1 f=$2 msg=$3 rc1 rc2
    "$V" info "$f" >h1.log 2>&1; rc1=$?
    "$V" convert -O raw "$f" h.raw >h2.log 2>&1; rc2=$?
    if [ $rc1 = 1 ] && [ $rc2 = 1 ] && grep -q "$msg" h1.log && grep -q "$msg" h2.log; then
        pass "hostile-$n"
    else
        fail "hostile-$n" "exit $rc1/$rc2: $(oneline h1.log h2.log)"
    fi
}
patch() {  # file offset bytes
    printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
qemu-img convert -O vmdk src.raw good.vmdk
head -c 100 good.vmdk > trunc.vmdk
hostile truncated-header trunc.vmdk "bad or truncated header"
cp good.vmdk gdpast.vmdk; patch gdpast.vmdk 56 '\x00\x00\x00\x10\x00\x00\x00\x00'
hostile gd-past-end gdpast.vmdk "grain directory"
# the redundant directory is used (and checked) when the image is written
cp good.vmdk rgdpast.vmdk; patch rgdpast.vmdk 48 '\x00\x00\x00\x10\x00\x00\x00\x00'
"$V" convert -n -O vmdk mod.raw rgdpast.vmdk >h.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "redundant grain directory" h.log && pass "hostile-rgd-past-end" ||
    fail "hostile-rgd-past-end" "exit $rc: $(oneline h.log)"
# 2^40 sectors: a grain directory of 2^17 entries, past the end of the file
cp good.vmdk huge.vmdk; patch huge.vmdk 12 '\x00\x00\x00\x00\x00\x01\x00\x00'
hostile huge-grain-count huge.vmdk "grain directory of 'huge.vmdk' is past the end"
cp good.vmdk huge2.vmdk; patch huge2.vmdk 12 '\x00\x00\x00\x00\x00\x00\x01\x00'
hostile huge-capacity huge2.vmdk "too large"
cp good.vmdk grain.vmdk; patch grain.vmdk 20 '\x03\x00\x00\x00'
hostile bad-grain-size grain.vmdk "grain size"
cp good.vmdk gtes.vmdk; patch gtes.vmdk 44 '\x00\x00\x01\x00'
hostile huge-grain-table gtes.vmdk "grain table size"
cp good.vmdk ver.vmdk; patch ver.vmdk 4 '\x09\x00\x00\x00'
hostile bad-version ver.vmdk "version"
# a grain table past the end: found when read (I/O error, exit 1)
cp good.vmdk gtpast.vmdk
python3 - <<'PY'
import struct
with open('gtpast.vmdk', 'r+b') as h:
    hd = h.read(512); gd = struct.unpack('<Q', hd[56:64])[0]
    h.seek(gd * 512); h.write(struct.pack('<I', 0x7fffffff))
PY
"$V" convert -O raw gtpast.vmdk h.raw >h.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "error while reading" h.log && pass "hostile-gt-past-end" ||
    fail "hostile-gt-past-end" "exit $rc: $(oneline h.log)"
# check finds it (exit 2, corruptions; qemu-img stops at the first with exit 1)
"$V" check gtpast.vmdk >h.log 2>&1; rc=$?
[ $rc = 2 ] && grep -q "points after EOF" h.log && pass "check-gt-past-end" ||
    fail "check-gt-past-end" "exit $rc: $(oneline h.log)"
cp good.vmdk grpast.vmdk
python3 - <<'PY'
import struct
with open('grpast.vmdk', 'r+b') as h:
    hd = h.read(512); gd = struct.unpack('<Q', hd[56:64])[0]
    h.seek(gd * 512); gt = struct.unpack('<I', h.read(4))[0]
    h.seek(gt * 512 + 8); h.write(struct.pack('<I', 0x7fffff))   # grain 2 past the end
PY
"$V" check grpast.vmdk >h.log 2>&1; rc=$?
qemu-img check grpast.vmdk >q.log 2>&1
[ $rc = 2 ] && grep -q "ERROR: cluster offset for sector 256 points after EOF" h.log &&
    grep -q "ERROR: cluster offset for sector 256 points after EOF" q.log && pass "check-grain-past-end" ||
    fail "check-grain-past-end" "exit $rc: $(oneline h.log)"
"$V" convert -O raw grpast.vmdk h.raw >h.log 2>&1; rc=$?
[ $rc = 1 ] && pass "hostile-grain-past-end" || fail "hostile-grain-past-end" "exit $rc"
# a stream without its footer
head -c $(( $(stat -c %s vs.vmdk) - 1024 )) vs.vmdk > nofoot.vmdk
hostile stream-no-footer nofoot.vmdk "no footer"
# descriptor files
desc() {  # file extent-lines
    printf '# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n%b\n' "$2" > "$1"
}
desc missing.vmdk 'RW 10000 FLAT "nonexistent-flat.vmdk" 0'
hostile missing-extent missing.vmdk "Could not open VMDK extent 'nonexistent-flat.vmdk'"
desc loop.vmdk 'RW 10000 FLAT "loop.vmdk" 0'
hostile descriptor-loop loop.vmdk "a loop"
desc loop2.vmdk 'RW 10000 SPARSE "missing.vmdk"'
hostile descriptor-to-descriptor loop2.vmdk "not a VMDK sparse extent"
desc badtype.vmdk 'RW 10000 VMFSRDM "x.vmdk"'
hostile bad-extent-type badtype.vmdk "Unsupported VMDK extent type"
desc noext.vmdk ''
hostile no-extent noext.vmdk "names no extent"
desc hugeext.vmdk 'RW 99999999999999999 ZERO'
hostile huge-extent hugeext.vmdk "too large"
# a parent hint naming the image itself
printf '# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=1\ncreateType="monolithicFlat"\nparentFileNameHint="self.vmdk"\nRW 100 ZERO\n' > self.vmdk
# (info does not open the backing chain, like qemu-img)
"$V" convert -O raw self.vmdk h.raw >h.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "a loop" h.log && pass "hostile-parent-loop" ||
    fail "hostile-parent-loop" "exit $rc: $(oneline h.log)"
# random bytes after the magic: every outcome but a crash is fine
ok=1
for seed in 1 2 3 4 5 6 7 8; do
    cp good.vmdk r.vmdk
    python3 -c "
import random; r = random.Random($seed); f = open('r.vmdk', 'r+b')
for _ in range(40):
    f.seek(r.choice([r.randrange(4, 512), r.randrange(512, 70000)])); f.write(bytes([r.randrange(256)]))"
    "$V" info r.vmdk >/dev/null 2>&1; rc1=$?
    "$V" convert -O raw r.vmdk h.raw >/dev/null 2>&1; rc2=$?
    [ $rc1 -ge 128 ] || [ $rc2 -ge 128 ] && ok=0
done
[ $ok = 1 ] && pass "hostile-random-bytes" || fail "hostile-random-bytes" "crashed"
