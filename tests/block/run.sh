#!/bin/bash
# tests/block/run.sh — vemu-img and the block layer against Debian's
# qemu-img (qemu-utils), the oracle, in both directions:
#   qemu2vemu-*   images qemu-img makes (v2/v3, cluster sizes 512 B..2 MiB,
#                 refcount widths 1..64, zlib and zstd compression) read by
#                 vemu-img: converted to raw and compared byte for byte;
#                 vemu-img check passes on them
#   vemu2qemu-*   images vemu-img makes pass `qemu-img check` and compare
#                 equal with `qemu-img compare`
#   backing-*     overlays made by one tool and written by the other
#                 (vemu-img convert -n writes through the chain with
#                 copy-on-write of partial clusters; qemu-io writes the
#                 overlays vemu-img makes)
#   info-*, create-*, check-*  output, messages and exit codes as qemu-img's
#   corrupt-*     hostile images: a clear message and exit 1, never a crash
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
. tests/block/lib.sh
block_suite_setup block

# check NAME COMMAND...: PASS if the command succeeds
check() { local n=$1; shift; if "$@" >"$T/out.log" 2>&1; then pass "$n"; else fail "$n" "$(tail -3 "$T/out.log" | tr '\n' ' ')"; fi; }

# The source disk: 6 MiB of random data with holes and zero runs.
truncate -s 24M src.raw
dd if=/dev/urandom of=src.raw bs=64k count=40 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=1k seek=9001 count=1500 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=512 seek=40000 count=3 conv=notrunc 2>/dev/null
dd if=/dev/zero of=src.raw bs=64k seek=5 count=3 conv=notrunc 2>/dev/null
# the same disk with other contents in some places (writes to overlays)
cp src.raw mod.raw
dd if=/dev/urandom of=mod.raw bs=1k seek=100 count=7 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=mod.raw bs=512 seek=30001 count=300 conv=notrunc 2>/dev/null
dd if=/dev/zero of=mod.raw bs=64k seek=2 count=2 conv=notrunc 2>/dev/null

# ---- images made by qemu-img, read by vemu-img -----------------------------
qemu_to_vemu() {   # name, qemu-img convert options
    local n=$1; shift
    rm -f q.qcow2 back.raw
    if ! qemu-img convert -O qcow2 "$@" src.raw q.qcow2 >q.log 2>&1; then
        echo "SKIP: block/qemu2vemu-$n (qemu-img cannot make it: $(head -1 q.log))"
        return
    fi
    if "$V" convert -O raw q.qcow2 back.raw >v.log 2>&1 && cmp -s back.raw src.raw; then
        if "$V" check q.qcow2 >c.log 2>&1; then
            pass "qemu2vemu-$n"
        else
            fail "qemu2vemu-$n" "vemu-img check: $(head -2 c.log | tr '\n' ' ')"
        fi
    else
        fail "qemu2vemu-$n" "$(head -2 v.log | tr '\n' ' ')"
    fi
}
qemu_to_vemu v2 -o compat=0.10
qemu_to_vemu v3 -o compat=1.1
qemu_to_vemu v2-cs512 -o compat=0.10,cluster_size=512
qemu_to_vemu v3-cs4k -o cluster_size=4k
qemu_to_vemu v3-cs2M -o cluster_size=2M
for rb in 1 2 4 8 32 64; do
    qemu_to_vemu "rb$rb" -o refcount_bits=$rb,cluster_size=16k
done
qemu_to_vemu zlib -c
qemu_to_vemu zlib-cs4k -c -o cluster_size=4k
qemu_to_vemu zstd -c -o compression_type=zstd
qemu_to_vemu zstd-v3-cs512 -c -o compression_type=zstd,cluster_size=512

# ---- images made by vemu-img, checked and read by qemu-img ------------------
vemu_to_qemu() {   # name, vemu-img convert options
    local n=$1; shift
    rm -f v.qcow2
    if ! "$V" convert -O qcow2 "$@" src.raw v.qcow2 >v.log 2>&1; then
        fail "vemu2qemu-$n" "$(head -2 v.log | tr '\n' ' ')"
        return
    fi
    if ! qemu-img check v.qcow2 >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img check: $(head -3 c.log | tr '\n' ' ')"
    elif ! qemu-img compare -f raw -F qcow2 src.raw v.qcow2 >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img compare: $(head -2 c.log | tr '\n' ' ')"
    else
        pass "vemu2qemu-$n"
    fi
}
vemu_to_qemu v3
vemu_to_qemu v2 -o compat=0.10
vemu_to_qemu v2-cs512 -o compat=0.10,cluster_size=512
vemu_to_qemu cs4k -o cluster_size=4k
vemu_to_qemu cs2M -o cluster_size=2M
for rb in 1 2 4 8 32 64; do
    vemu_to_qemu "rb$rb" -o refcount_bits=$rb,cluster_size=16k
done
# 512-byte clusters and 1-bit refcounts: many refcount blocks, the refcount
# table grows several times while the image is written
vemu_to_qemu cs512-rb1-growth -o cluster_size=512,refcount_bits=1
vemu_to_qemu zstd-type -o compression_type=zstd
vemu_to_qemu unparallel -m 1
for p in metadata falloc full; do
    rm -f p.qcow2
    if "$V" create -q -f qcow2 -o preallocation=$p p.qcow2 3M >p.log 2>&1 &&
       qemu-img check p.qcow2 >c.log 2>&1 && truncate -s 3M z.raw &&
       qemu-img compare z.raw p.qcow2 >/dev/null 2>&1 &&
       [ "$(qemu-img map --output=json p.qcow2 | grep -c '"data": true')" -ge 1 ]; then
        pass "vemu2qemu-prealloc-$p"
    else
        fail "vemu2qemu-prealloc-$p" "$(cat p.log c.log 2>/dev/null | head -3 | tr '\n' ' ')"
    fi
done
# compressed output (-c): compressible data packed into shared host clusters
{ seq 1 400000; head -c 3M /dev/urandom | base64; } > text.raw
truncate -s 12M text.raw
for opt in "" "-o compression_type=zstd" "-o cluster_size=4k" "-o compat=0.10,cluster_size=512" \
           "-o compression_type=zstd,cluster_size=2M"; do
    n="vemu2qemu-compressed${opt:+-${opt#-o }}"
    rm -f cz.qcow2 qz.qcow2
    qemu-img convert -c -O qcow2 $opt text.raw qz.qcow2
    # as small as qemu-img's (within 10%)
    if "$V" convert -c -O qcow2 $opt text.raw cz.qcow2 >v.log 2>&1 && qemu-img check cz.qcow2 >c.log 2>&1 &&
       qemu-img compare text.raw cz.qcow2 >/dev/null 2>&1 &&
       [ "$(du -k cz.qcow2 | cut -f1)" -le $(( $(du -k qz.qcow2 | cut -f1) * 11 / 10 + 64 )) ] &&
       grep -q "compressed clusters" c.log && ! grep -q " 0.00% compressed" c.log; then
        pass "$n"
    else
        fail "$n" "$(cat v.log c.log | head -3 | tr '\n' ' ')"
    fi
done
# qcow2 -> raw -> qcow2 -> raw through vemu-img only, sparse output
"$V" convert -O qcow2 src.raw r1.qcow2 && "$V" convert -O raw r1.qcow2 r2.raw &&
    cmp -s r2.raw src.raw && [ "$(du -k r2.raw | cut -f1)" -lt 24000 ] &&
    pass "roundtrip-sparse-raw" || fail "roundtrip-sparse-raw"
# concatenation of two sources
head -c 1M src.raw > part1.raw; tail -c +1048577 src.raw > part2.raw
"$V" convert -O qcow2 part1.raw part2.raw cat.qcow2 && qemu-img compare src.raw cat.qcow2 >/dev/null &&
    pass "convert-concatenate" || fail "convert-concatenate"

# ---- writes into existing images --------------------------------------------
# zeroes and new data written over an image that has data (write-zeroes,
# zero clusters in v3, freed clusters)
for compat in 0.10 1.1; do
    rm -f w.qcow2
    qemu-img convert -O qcow2 -o compat=$compat src.raw w.qcow2
    if "$V" convert -n -O qcow2 mod.raw w.qcow2 >w.log 2>&1 &&
       qemu-img check w.qcow2 >c.log 2>&1 && qemu-img compare mod.raw w.qcow2 >/dev/null 2>&1; then
        pass "overwrite-compat$compat"
    else
        fail "overwrite-compat$compat" "$(cat w.log c.log | head -3 | tr '\n' ' ')"
    fi
done
# overwrite compressed clusters (they are freed once unreferenced)
rm -f wc.qcow2
qemu-img convert -c -O qcow2 src.raw wc.qcow2
"$V" convert -n -O qcow2 mod.raw wc.qcow2 && qemu-img check wc.qcow2 >/dev/null &&
    qemu-img compare mod.raw wc.qcow2 >/dev/null && pass "overwrite-compressed" || fail "overwrite-compressed"

# ---- backing chains ---------------------------------------------------------
# qemu-img makes base and overlay, vemu-img writes the overlay (-n) through
# the chain: partial clusters are copied from the base
for compat in 0.10 1.1; do
    rm -f base.qcow2 ov.qcow2
    qemu-img convert -O qcow2 -o compat=$compat,cluster_size=16k src.raw base.qcow2
    qemu-img create -q -f qcow2 -o compat=$compat -b base.qcow2 -F qcow2 ov.qcow2
    if "$V" convert -n -O qcow2 mod.raw ov.qcow2 >w.log 2>&1 &&
       qemu-img check ov.qcow2 >c.log 2>&1 && qemu-img compare mod.raw ov.qcow2 >/dev/null 2>&1 &&
       qemu-img compare src.raw base.qcow2 >/dev/null 2>&1; then
        pass "backing-qemu-made-vemu-writes-compat$compat"
    else
        fail "backing-qemu-made-vemu-writes-compat$compat" "$(cat w.log c.log | head -3 | tr '\n' ' ')"
    fi
done
# vemu-img makes a 3-deep chain, qemu-io writes the top, vemu-img reads it
rm -f b0.qcow2 b1.qcow2 b2.qcow2
"$V" convert -O qcow2 src.raw b0.qcow2 >/dev/null
"$V" create -q -f qcow2 -b b0.qcow2 -F qcow2 b1.qcow2
"$V" create -q -f qcow2 -o cluster_size=4k -b b1.qcow2 -F qcow2 b2.qcow2
qemu-io -c "write -P 0x5a 1000k 12k" -c "write -P 0x33 63k 3k" -f qcow2 b1.qcow2 >/dev/null
qemu-io -c "write -P 0xa5 70k 1k" -c "write -z 2M 128k" -f qcow2 b2.qcow2 >/dev/null
qemu-img convert -O raw b2.qcow2 chain-qemu.raw
if "$V" convert -O raw b2.qcow2 chain-vemu.raw >w.log 2>&1 && cmp -s chain-qemu.raw chain-vemu.raw &&
   "$V" check b2.qcow2 >/dev/null && qemu-img check b2.qcow2 >/dev/null; then
    pass "backing-vemu-made-qemu-writes-depth3"
else
    fail "backing-vemu-made-qemu-writes-depth3" "$(head -2 w.log | tr '\n' ' ')"
fi
# vemu-img writes into the 3-deep chain's top, qemu-img reads it
"$V" convert -n -O qcow2 mod.raw b2.qcow2 && qemu-img compare mod.raw b2.qcow2 >/dev/null &&
    qemu-img check b2.qcow2 >/dev/null && pass "backing-vemu-writes-depth3" || fail "backing-vemu-writes-depth3"
# convert -B: the output only holds what differs from its backing file
rm -f diff.qcow2
"$V" convert -O qcow2 -B b0.qcow2 -F qcow2 mod.raw diff.qcow2 >w.log 2>&1
if qemu-img compare mod.raw diff.qcow2 >/dev/null 2>&1 && qemu-img check diff.qcow2 >/dev/null 2>&1 &&
   [ "$(stat -c %s diff.qcow2)" -lt 2000000 ]; then
    pass "convert-B-writes-differences"
else
    fail "convert-B-writes-differences" "$(head -2 w.log | tr '\n' ' ')"
fi

# ---- killed while writing: at most leaks, never corruption -------------------
# vemu-img is killed (SIGKILL) at several points of a convert into an image
# that already has data (allocation, copy-on-write through a backing file,
# freed clusters); `qemu-img check` must then find no corruption (exit 0
# or 3), and `vemu-img check -r leaks` must leave it clean.  512-byte
# clusters and a 2 KiB L2 cache make the metadata go to disk all the time
# (the whole run takes about 4 s), so the kills land between its writes.
head -c 40M /dev/urandom > big.raw
rm -f kbase.qcow2
qemu-img convert -O qcow2 -o cluster_size=512 src.raw kbase.qcow2
for delay in 0.1 0.3 0.6 1.0 1.5; do
    rm -f k.qcow2
    qemu-img create -q -f qcow2 -o cluster_size=512,size=40M -b kbase.qcow2 -F qcow2 k.qcow2
    VEMU_QCOW2_L2_CACHE=2k "$V" convert -n -m 8 -O qcow2 big.raw k.qcow2 >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    qemu-img check k.qcow2 >kc.log 2>&1; rc=$?
    "$V" check -r leaks k.qcow2 >/dev/null 2>&1; rc2=$?
    if { [ $rc -eq 0 ] || [ $rc -eq 3 ]; } && [ $rc2 -eq 0 ] && qemu-img check k.qcow2 >/dev/null 2>&1; then
        pass "killed-during-writes-$delay"
    else
        fail "killed-during-writes-$delay" "qemu-img check exit $rc, repair exit $rc2: $(grep -m2 ERROR kc.log | tr '\n' ' ')"
    fi
done

# ---- info, create, check: output as qemu-img's ------------------------------
same_output() {   # name, args... (the same command to both tools)
    local n=$1; shift
    qemu-img "$@" >qo.txt 2>qe.txt; local qrc=$?
    "$V" "$@" >vo.txt 2>ve.txt; local vrc=$?
    sed -i 's/qemu-img/vemu-img/g; /actual-size/d; /^disk size/d' qo.txt qe.txt
    sed -i '/actual-size/d; /^disk size/d' vo.txt ve.txt
    if [ $qrc -eq $vrc ] && cmp -s qo.txt vo.txt && cmp -s qe.txt ve.txt; then
        pass "$n"
    else
        fail "$n" "exit $qrc/$vrc; $(diff qo.txt vo.txt | head -4 | tr '\n' ' ') $(diff qe.txt ve.txt | head -4 | tr '\n' ' ')"
    fi
}
qemu-img convert -O qcow2 -o compat=0.10 src.raw i2.qcow2
qemu-img convert -O qcow2 -o refcount_bits=8,cluster_size=4k src.raw i3.qcow2
qemu-img create -q -f qcow2 -b i3.qcow2 -F qcow2 i4.qcow2
qemu-img create -q -f qcow2 -o compression_type=zstd izs.qcow2 1G
same_output info-v2 info i2.qcow2
same_output info-v3 info i3.qcow2
same_output info-json-v3 info --output=json i3.qcow2
same_output info-zstd info --output=json izs.qcow2
same_output info-backing info i4.qcow2
same_output info-backing-chain-json info --backing-chain --output=json i4.qcow2
same_output info-backing-chain info --backing-chain i4.qcow2
same_output info-raw info -f raw src.raw
same_output info-missing info missing.img
same_output check-clean check i3.qcow2
same_output check-clean-json check --output=json i3.qcow2
same_output check-compressed check --output=json wc.qcow2
same_output check-raw check -f raw src.raw
same_output create-qcow2 create -f qcow2 -o cluster_size=4k,refcount_bits=8 c1.qcow2 1.5G
same_output create-v2 create -f qcow2 -o compat=0.10 c1.qcow2 100M
same_output create-backing create -f qcow2 -b i3.qcow2 -F qcow2 c1.qcow2
same_output create-raw create -f raw -o preallocation=falloc c1.raw 1M
same_output create-bad-option create -f qcow2 -o foo=1 c1.qcow2 1G
same_output create-bad-size create -f qcow2 c1.qcow2 12Q
same_output create-bad-cluster create -f qcow2 -o cluster_size=1000 c1.qcow2 1M
same_output create-bad-refcount create -f qcow2 -o refcount_bits=3 c1.qcow2 1M
same_output create-v2-refcount create -f qcow2 -o compat=0.10,refcount_bits=8 c1.qcow2 1M
same_output create-v2-zstd create -f qcow2 -o compat=0.10,compression_type=zstd c1.qcow2 1M
same_output create-no-size create -f qcow2 c1.qcow2
same_output create-unknown-format create -f nosuch c1 1M
same_output create-backing-no-format create -f qcow2 -b i3.qcow2 c1.qcow2
same_output create-backing-missing create -f qcow2 -b missing.qcow2 -F qcow2 c1.qcow2
same_output no-command
ok=1
for c in create info check convert map compare snapshot; do
    "$V" $c --help | grep -q "usage: vemu-img $c" || ok=0
done
"$V" --help | grep -q "Supported formats: qcow2 raw" || ok=0
[ $ok = 1 ] && pass "help-every-command" || fail "help-every-command"
qemu-img create -q -f qcow2 -b i2.qcow2 -F qcow2 i5.qcow2
qemu-io -c "write -P 1 64k 64k" -c "write -z 1M 64k" -c "write -P 2 30M 1k" i5.qcow2 >/dev/null
same_output map-json-v3 map --output=json i3.qcow2
same_output map-human-v3 map i3.qcow2
same_output map-json-chain map --output=json i5.qcow2
same_output map-human-chain map i5.qcow2
same_output map-json-compressed map --output=json wc.qcow2
same_output map-json-raw map --output=json -f raw src.raw
same_output map-range map --output=json --start-offset=1M --max-length=3M i5.qcow2
same_output compare-identical compare src.raw i3.qcow2
same_output compare-differ compare src.raw mod.raw
same_output compare-chain compare -F qcow2 mod.raw i5.qcow2
head -c 1M src.raw > short.raw
same_output compare-size compare short.raw src.raw
same_output compare-size-strict compare -s short.raw src.raw
same_output compare-missing compare missing.img src.raw
same_output compare-one-name compare src.raw
same_output bad-command frobnicate
"$V" create -q -f qcow2 sz.qcow2 1.5G && qemu-img info --output=json sz.qcow2 | grep -q '"virtual-size": 1610612736' &&
    pass "create-size-suffix" || fail "create-size-suffix"

# internal snapshots made by qemu-img: check counts the clusters they share
# (refcount 2), reads give the active state, writes leave them intact
rm -f sn.qcow2
qemu-img convert -O qcow2 src.raw sn.qcow2
qemu-img snapshot -c s1 sn.qcow2
qemu-io -c "write -P 7 0 128k" sn.qcow2 >/dev/null
qemu-img snapshot -c s2 sn.qcow2
qemu-io -c "write -P 8 64k 128k" sn.qcow2 >/dev/null
same_output check-snapshots check sn.qcow2
same_output info-snapshots info sn.qcow2
same_output info-snapshots-json info --output=json sn.qcow2
same_output snapshot-list snapshot -l sn.qcow2
same_output snapshot-list-none snapshot -l i3.qcow2
qemu-img convert -O raw sn.qcow2 snq.raw
"$V" convert -O raw sn.qcow2 snv.raw && cmp -s snq.raw snv.raw && pass "snapshots-read-active" || fail "snapshots-read-active"
# writes copy the clusters and L2 tables the snapshots share (tests/block-snap
# goes further: apply and delete in both directions)
"$V" convert -n -O qcow2 src.raw sn.qcow2 >h.log 2>&1 && qemu-img check sn.qcow2 >/dev/null 2>&1 &&
    qemu-img compare -q sn.qcow2 src.raw && pass "snapshots-write" || fail "snapshots-write" "$(head -2 h.log)"
# the dirty bit: qemu-io dies with lazy refcounts pending; check reports what
# qemu-img reports, and opening for writing repairs the refcounts first
rm -f lz.qcow2
qemu-img create -q -f qcow2 -o lazy_refcounts=on lz.qcow2 24M
( qemu-io -c "write -P 3 0 1M" -c "sigraise 9" lz.qcow2; true ) >/dev/null 2>&1
same_output check-dirty check --output=json lz.qcow2
"$V" convert -n -O qcow2 src.raw lz.qcow2 >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] && qemu-img check lz.qcow2 >/dev/null 2>&1 && qemu-img compare src.raw lz.qcow2 >/dev/null 2>&1 &&
    "$V" info --output=json lz.qcow2 | grep -q '"dirty-flag": false' &&
    pass "dirty-bit-repaired-on-write" || fail "dirty-bit-repaired-on-write" "exit $rc"

# ---- check: leaks and corruptions, repair, exit codes -----------------------
# refcount of one cluster (python3: the refcount table and block of a qcow2)
set_refcount() {   # file cluster value
    python3 - "$@" <<'EOF'
import struct, sys
f, cl, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f, 'r+b') as h:
    hd = h.read(104)
    cbits = struct.unpack('>I', hd[20:24])[0]; cs = 1 << cbits
    rt = struct.unpack('>Q', hd[48:56])[0]
    order = struct.unpack('>I', hd[96:100])[0] if struct.unpack('>I', hd[4:8])[0] >= 3 else 4
    bits = 1 << order; per = cs * 8 // bits
    h.seek(rt + (cl // per) * 8); rb = struct.unpack('>Q', h.read(8))[0] & 0x00fffffffffffe00
    assert bits == 16
    h.seek(rb + (cl % per) * 2); h.write(struct.pack('>H', val))
    h.seek(0, 2)
    if h.tell() < (cl + 1) * cs: h.truncate((cl + 1) * cs)
EOF
}
mk_leaky() { rm -f $1; "$V" convert -O qcow2 src.raw $1 >/dev/null; local end; end=$(($(stat -c %s $1) / 65536)); set_refcount $1 $((end + 3)) 1; }
mk_corrupt() {  # a data cluster whose refcount is 0: the highest cluster in use
    rm -f $1; "$V" convert -O qcow2 src.raw $1 >/dev/null; set_refcount $1 $(($(stat -c %s $1) / 65536 - 1)) 0; }
mk_leaky leak.qcow2
same_output check-leaks check leak.qcow2
same_output check-leaks-json check --output=json leak.qcow2
mk_corrupt bad.qcow2
same_output check-corrupt check bad.qcow2
same_output check-corrupt-json check --output=json bad.qcow2
mk_leaky leak2.qcow2
"$V" check -r leaks leak2.qcow2 >r.log 2>&1; rc=$?
[ $rc -eq 0 ] && qemu-img check leak2.qcow2 >/dev/null && grep -q "1 leaked clusters" r.log &&
    pass "check-repair-leaks" || fail "check-repair-leaks" "exit $rc"
mk_corrupt bad2.qcow2
"$V" check -r leaks bad2.qcow2 >/dev/null 2>&1; rc1=$?
"$V" check -r all bad2.qcow2 >r.log 2>&1; rc2=$?
[ $rc1 -eq 2 ] && [ $rc2 -eq 0 ] && qemu-img check bad2.qcow2 >/dev/null && qemu-img compare src.raw bad2.qcow2 >/dev/null &&
    pass "check-repair-all" || fail "check-repair-all" "exit $rc1/$rc2"
# qemu-img repairs what vemu-img made leaky, vemu-img agrees
mk_leaky leak3.qcow2
qemu-img check -r leaks leak3.qcow2 >/dev/null 2>&1
"$V" check leak3.qcow2 >/dev/null && pass "check-after-qemu-repair" || fail "check-after-qemu-repair"

# ---- corrupt and hostile images ---------------------------------------------
hostile() {   # name file expected-message-fragment
    local n=$1 f=$2 msg=$3 rc1 rc2 rc3
    "$V" info "$f" >h1.log 2>&1; rc1=$?
    "$V" convert -O raw "$f" h.raw >h2.log 2>&1; rc2=$?
    "$V" check "$f" >h3.log 2>&1; rc3=$?
    if no_crash $rc1 && no_crash $rc2 && no_crash $rc3 && grep -q "$msg" h1.log && grep -q "$msg" h2.log; then
        pass "corrupt-$n"
    else
        fail "corrupt-$n" "exit $rc1/$rc2/$rc3: $(head -1 h1.log)"
    fi
}
patch() {  # file offset hex-bytes
    printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
"$V" convert -O qcow2 src.raw good.qcow2 >/dev/null
head -c 50 good.qcow2 > trunc.qcow2
hostile truncated-header trunc.qcow2 "Could not open"
head -c 90 good.qcow2 > trunc2.qcow2
hostile truncated-v3-header trunc2.qcow2 "too short"
cp good.qcow2 l1past.qcow2; patch l1past.qcow2 40 '\x00\x00\x00\x10\x00\x00\x00\x00'
hostile l1-past-end l1past.qcow2 "L1 table"
cp good.qcow2 rtover.qcow2; patch rtover.qcow2 48 '\x00\x00\x00\x00\x00\x00\x00\x00'
hostile reftable-overlaps-header rtover.qcow2 "reference count table"
cp good.qcow2 l1huge.qcow2; patch l1huge.qcow2 36 '\x7f\xff\xff\xff'
hostile l1-huge l1huge.qcow2 "L1 table too large"
cp good.qcow2 cbits.qcow2; patch cbits.qcow2 20 '\x00\x00\x00\x40'
hostile cluster-bits cbits.qcow2 "Unsupported cluster size"
cp good.qcow2 rorder.qcow2; patch rorder.qcow2 96 '\xff\x00\x00\x04'
hostile refcount-order-huge rorder.qcow2 "width too large"
cp good.qcow2 feat.qcow2; patch feat.qcow2 72 '\x00\x00\x00\x00\x00\x00\x04\x00'
hostile unknown-incompatible-feature feat.qcow2 "not supported"
cp good.qcow2 l2bad.qcow2
python3 - <<'EOF'
import struct
with open('l2bad.qcow2', 'r+b') as h:
    hd = h.read(48); l1 = struct.unpack('>Q', hd[40:48])[0]
    h.seek(l1); h.write(struct.pack('>Q', (1 << 63) | (0x7fff << 40)))  # L2 table far past the end
EOF
"$V" convert -O raw l2bad.qcow2 h.raw >h.log 2>&1; rc=$?
"$V" check l2bad.qcow2 >hc.log 2>&1; rc2=$?
no_crash $rc && [ $rc2 -eq 2 ] && pass "corrupt-l2-past-end" || fail "corrupt-l2-past-end" "exit $rc/$rc2"
# a backing chain loop: a -> b -> a
"$V" create -q -f qcow2 -u -b loop-b.qcow2 -F qcow2 loop-a.qcow2 1M
"$V" create -q -f qcow2 -u -b loop-a.qcow2 -F qcow2 loop-b.qcow2 1M
"$V" convert -O raw loop-a.qcow2 h.raw >h.log 2>&1; rc=$?
"$V" info --backing-chain loop-a.qcow2 >h2.log 2>&1; rc2=$?
no_crash $rc && no_crash $rc2 && grep -q loop h.log && grep -q loop h2.log &&
    pass "corrupt-backing-loop" || fail "corrupt-backing-loop" "exit $rc/$rc2: $(head -1 h.log)"
# the corrupt bit: readable, not writable
cp good.qcow2 cbit.qcow2; patch cbit.qcow2 79 '\x02'
"$V" convert -O raw cbit.qcow2 h.raw >/dev/null 2>&1; rc=$?
"$V" convert -n -O qcow2 mod.raw cbit.qcow2 >h.log 2>&1; rc2=$?
[ $rc -eq 0 ] && [ $rc2 -eq 1 ] && grep -q "corrupt" h.log && pass "corrupt-bit-read-only" ||
    fail "corrupt-bit-read-only" "exit $rc/$rc2"
# random garbage in place of tables: never a crash
for i in 1 2 3 4 5 6 7 8; do
    cp good.qcow2 fz.qcow2
    python3 - $i <<'EOF'
import random, sys
random.seed(int(sys.argv[1]))
with open('fz.qcow2', 'r+b') as h:
    size = h.seek(0, 2)
    for _ in range(40):
        off = random.choice([random.randrange(0, 512), random.randrange(0, 0x50000), random.randrange(0, size)])
        h.seek(off); h.write(bytes([random.randrange(256)]))
EOF
    "$V" info fz.qcow2 >/dev/null 2>&1; a=$?
    "$V" check fz.qcow2 >/dev/null 2>&1; b=$?
    "$V" convert -O raw fz.qcow2 h.raw >/dev/null 2>&1; c=$?
    [ $a -lt 128 ] && [ $b -lt 128 ] && [ $c -lt 128 ] || { fail "corrupt-random-bytes-$i" "exit $a/$b/$c"; continue; }
    pass "corrupt-random-bytes-$i"
done

# ---- extended L2 entries (subclusters) ---------------------------------------
# 32 subclusters per cluster, each allocated, zero or unallocated on its own
for cs in 16k 64k 2M; do
    qemu_to_vemu "extl2-cs$cs" -o extended_l2=on,cluster_size=$cs
    vemu_to_qemu "extl2-cs$cs" -o extended_l2=on,cluster_size=$cs
done
qemu_to_vemu extl2-zlib -c -o extended_l2=on
vemu_to_qemu extl2-zstd -c -o extended_l2=on,compression_type=zstd
# qemu-io writes single subclusters (data, zeroes, compressed): vemu-img
# reads, maps and checks them as qemu-img does
rm -f x1.qcow2
qemu-img create -q -f qcow2 -o extended_l2=on x1.qcow2 4M
qemu-io -c "write -P 0x11 4k 2k" -c "write -z 64k 8k" -c "write -P 0x22 130k 5k" -c "write -P 0x33 1M 200k" \
        -c "write -z 1100k 8k" -c "write -c -P 0x44 2M 64k" x1.qcow2 >/dev/null
same_output extl2-map map --output=json x1.qcow2
same_output extl2-info info x1.qcow2
same_output extl2-info-json info --output=json x1.qcow2
same_output extl2-check check x1.qcow2
qemu-img convert -O raw x1.qcow2 x1q.raw
"$V" convert -O raw x1.qcow2 x1v.raw >h.log 2>&1 && cmp -s x1q.raw x1v.raw && pass "extl2-qemu-io-read" ||
    fail "extl2-qemu-io-read" "$(head -2 h.log)"
same_output extl2-create create -f qcow2 -o extended_l2=on,cluster_size=32k c1.qcow2 1G
same_output extl2-create-small-cluster create -f qcow2 -o extended_l2=on,cluster_size=8k c1.qcow2 1M
same_output extl2-create-v2 create -f qcow2 -o extended_l2=on,compat=0.10 c1.qcow2 1M
for pa in metadata falloc full; do
    rm -f xp.qcow2
    "$V" create -q -f qcow2 -o extended_l2=on,preallocation=$pa xp.qcow2 3M
    same_output "extl2-prealloc-$pa-map" map --output=json xp.qcow2
done
# preallocated clusters over a backing file: their subclusters stay
# unallocated, so the backing file shows through (only allowed with extl2)
rm -f xb.qcow2
"$V" create -q -f qcow2 -o extended_l2=on,preallocation=metadata -b src.raw -F raw xb.qcow2
qemu-img compare -q src.raw xb.qcow2 && qemu-img check -q xb.qcow2 && pass "extl2-prealloc-backing" ||
    fail "extl2-prealloc-backing"
# vemu-img writes only the subclusters a write touches (copy-on-write of a
# partly written subcluster from the backing file): the same allocation,
# zero subclusters and contents as qemu-io's writes of the same ranges.
# vemu-img commit writes what the top layer allocates into the middle one.
rm -f xm.qcow2 xt.qcow2 xo.qcow2
qemu-img create -q -f qcow2 -o extended_l2=on -b src.raw -F raw xm.qcow2
qemu-img create -q -f qcow2 -o extended_l2=on -b src.raw -F raw xo.qcow2
writes1=(-c "write -P 9 200k 8k")
writes2=(-c "write -P 1 5k 1k" -c "write -z 70k 2k" -c "write -P 2 131k 3k" -c "write -P 3 199k 3k"
         -c "write -P 4 1M 100k" -c "write -P 5 2047k 2k")
qemu-io "${writes1[@]}" xm.qcow2 >/dev/null
qemu-io "${writes1[@]}" "${writes2[@]}" xo.qcow2 >/dev/null
"$V" create -q -f qcow2 -o extended_l2=on -b xm.qcow2 -F qcow2 xt.qcow2
qemu-io "${writes2[@]}" xt.qcow2 >/dev/null
"$V" commit xt.qcow2 >h.log 2>&1
qemu-img map --output=json xo.qcow2 | sed 's/, "offset": [0-9]*//' >xo.map
qemu-img map --output=json xm.qcow2 | sed 's/, "offset": [0-9]*//' >xm.map
if cmp -s xo.map xm.map && qemu-img compare -q xo.qcow2 xm.qcow2 && qemu-img check -q xm.qcow2; then
    pass "extl2-vemu-writes-subclusters"
else
    fail "extl2-vemu-writes-subclusters" "$(head -2 h.log) $(diff xo.map xm.map | head -4 | tr '\n' ' ')"
fi
# small writes over an overlay through vemu-img convert -n -S 512 (zero
# runs become zero subclusters, data islands partial subclusters), in a
# vemu-made overlay over a qemu-made extl2 image
rm -f isl.raw xi.qcow2 xib.qcow2
truncate -s 24M isl.raw
for o in 5 77 130 1000 1001 2050 4000 9000; do
    dd if=/dev/urandom of=isl.raw bs=1k seek=$o count=1 conv=notrunc 2>/dev/null
done
dd if=/dev/urandom of=isl.raw bs=512 seek=5000 count=3 conv=notrunc 2>/dev/null
qemu-img convert -O qcow2 -o extended_l2=on,cluster_size=32k src.raw xib.qcow2
"$V" create -q -f qcow2 -o extended_l2=on -b xib.qcow2 -F qcow2 xi.qcow2
"$V" convert -n -S 512 -O qcow2 isl.raw xi.qcow2 >h.log 2>&1 && qemu-img compare -q isl.raw xi.qcow2 &&
    qemu-img check -q xi.qcow2 && qemu-img compare -q src.raw xib.qcow2 &&
    pass "extl2-vemu-writes-islands" || fail "extl2-vemu-writes-islands" "$(head -2 h.log)"
# snapshots over subclusters, made and applied by both tools
rm -f xs.qcow2 xs2.raw
"$V" convert -O qcow2 -o extended_l2=on isl.raw xs.qcow2
"$V" snapshot -c one xs.qcow2
qemu-io -c "write -P 0x77 5k 1k" -c "write -z 70k 2k" xs.qcow2 >/dev/null
qemu-img snapshot -c two xs.qcow2
"$V" convert -n -S 512 -O qcow2 src.raw xs.qcow2 >h.log 2>&1
ok=1
qemu-img check -q xs.qcow2 && qemu-img compare -q src.raw xs.qcow2 || ok=0
"$V" snapshot -a one xs.qcow2 && qemu-img compare -q isl.raw xs.qcow2 || ok=0
cp isl.raw xs2.raw
qemu-io -f raw -c "write -P 0x77 5k 1k" -c "write -z 70k 2k" xs2.raw >/dev/null
qemu-img snapshot -a two xs.qcow2 && "$V" compare -q xs2.raw xs.qcow2 && "$V" check xs.qcow2 >/dev/null || ok=0
[ $ok = 1 ] && pass "extl2-snapshots" || fail "extl2-snapshots" "$(head -2 h.log)"
# corrupt bitmaps: both bits set, data bits without a host cluster, a
# compressed cluster with a bitmap: qemu-img's messages and exit code;
# reading fails with an I/O error, never a crash
set_l2_bitmap() {  # file l2-index value (|value: OR into the old one)
    python3 - "$@" <<'EOF'
import struct, sys
f = open(sys.argv[1], 'r+b'); h = f.read(104)
l1 = struct.unpack('>Q', h[40:48])[0]
f.seek(l1); l2 = struct.unpack('>Q', f.read(8))[0] & 0x00fffffffffffe00
i = int(sys.argv[2]); v = sys.argv[3]
f.seek(l2 + 16 * i + 8); old = struct.unpack('>Q', f.read(8))[0]
new = old | int(v[1:], 0) if v.startswith('|') else int(v, 0)
f.seek(l2 + 16 * i + 8); f.write(struct.pack('>Q', new))
EOF
}
rm -f xh.qcow2 xhc.qcow2
qemu-img create -q -f qcow2 -o extended_l2=on xh.qcow2 1M
qemu-io -c "write -P 1 0 4k" xh.qcow2 >/dev/null
set_l2_bitmap xh.qcow2 0 '|0x100000000'
set_l2_bitmap xh.qcow2 1 3
same_output extl2-check-bad-bitmaps check xh.qcow2
qemu-img convert -c -O qcow2 -o extended_l2=on isl.raw xhc.qcow2
set_l2_bitmap xhc.qcow2 0 1
same_output extl2-check-compressed-bitmap check xhc.qcow2
"$V" convert -O raw xh.qcow2 h.raw >h.log 2>&1; rc=$?
no_crash $rc && grep -q "Input/output error" h.log && pass "extl2-bad-bitmap-read" ||
    fail "extl2-bad-bitmap-read" "exit $rc"

# ---- amend: refcount_bits, size, compat=0.10 over zero clusters -------------
# Both tools amend copies of the same image: exit status, messages, info and
# contents must agree, qemu-img check must pass on vemu-img's result, and
# every snapshot must read as it did before (qemu-img 7.2 itself zeroes a
# cluster a snapshot shares when it expands a zero cluster: docs/quirks.md)
amend_same() {   # name image options
    local n=$1 img=$2 o=$3 ok=1 why=""
    cp "$img" aq.qcow2; cp "$img" av.qcow2
    qemu-img amend -o "$o" aq.qcow2 >qo.txt 2>&1; local qrc=$?
    "$V" amend -o "$o" av.qcow2 >vo.txt 2>&1; local vrc=$?
    sed -i 's/qemu-img/vemu-img/g' qo.txt
    [ $qrc -eq $vrc ] && cmp -s qo.txt vo.txt || { ok=0; why="exit $qrc/$vrc $(cat qo.txt vo.txt | head -2 | tr '\n' ' ')"; }
    qemu-img info aq.qcow2 | grep -v '^image\|^disk size\|^backing file:' >qi.txt
    qemu-img info av.qcow2 | grep -v '^image\|^disk size\|^backing file:' >vi.txt
    cmp -s qi.txt vi.txt || { ok=0; why="$why info: $(diff qi.txt vi.txt | head -3 | tr '\n' ' ')"; }
    qemu-img compare -q aq.qcow2 av.qcow2 || { ok=0; why="$why contents"; }
    qemu-img check -q av.qcow2 || { ok=0; why="$why qemu-img check"; }
    for sn in $(qemu-img snapshot -l "$img" | awk 'NR > 2 { print $2 }'); do
        qemu-img convert -l "snapshot.name=$sn" -O raw "$img" sn-before.raw
        qemu-img convert -l "snapshot.name=$sn" -O raw av.qcow2 sn-after.raw
        cmp -s sn-before.raw sn-after.raw || { ok=0; why="$why snapshot $sn"; }
    done
    [ $ok = 1 ] && pass "amend-$n" || fail "amend-$n" "$why"
}
rm -f am.qcow2 ams.qcow2 amb.qcow2 amz.qcow2 amc.qcow2 am2.qcow2
qemu-img create -q -f qcow2 am.qcow2 4M
qemu-io -c "write -P 1 0 200k" -c "write -z 64k 64k" -c "write -z 1M 128k" am.qcow2 >/dev/null
for o in refcount_bits=8 refcount_bits=1 refcount_bits=64 compat=0.10 size=1M size=8M size=1000 \
         refcount_bits=3 refcount_bits=128 compat=0.10,refcount_bits=8 size=3M,lazy_refcounts=on; do
    amend_same "$o" am.qcow2 "$o"
done
# zero clusters shared with snapshots, plain and allocated
cp am.qcow2 ams.qcow2
qemu-img snapshot -c one ams.qcow2
qemu-io -c "write -z 0 64k" -c "write -P 3 2M 64k" -c "write -z 128k 8k" ams.qcow2 >/dev/null
qemu-img snapshot -c two ams.qcow2
qemu-io -c "write -z 2M 128k" ams.qcow2 >/dev/null
amend_same snapshots-compat0.10 ams.qcow2 compat=0.10
amend_same snapshots-refcount-overflow ams.qcow2 refcount_bits=1
amend_same snapshots-refcount2 ams.qcow2 refcount_bits=2
# zero clusters over a backing file become clusters of zeroes
qemu-img create -q -f qcow2 -b src.raw -F raw amb.qcow2
qemu-io -c "write -z 0 128k" -c "write -P 2 1M 64k" -c "write -z 1M 64k" -c "write -z 3000k 1k" amb.qcow2 >/dev/null
qemu-img snapshot -c x amb.qcow2
qemu-io -c "write -z 2M 64k" amb.qcow2 >/dev/null
amend_same backing-compat0.10 amb.qcow2 compat=0.10
# zstd: without compressed clusters the image becomes zlib, with them refused
qemu-img create -q -f qcow2 -o compression_type=zstd amz.qcow2 1M
amend_same zstd-empty-compat0.10 amz.qcow2 compat=0.10
qemu-io -c "write -c -P 1 0 64k" amz.qcow2 >/dev/null
amend_same zstd-compressed-compat0.10 amz.qcow2 compat=0.10
amend_same extl2-compat0.10 x1.qcow2 compat=0.10
amend_same extl2-refcount4 x1.qcow2 refcount_bits=4
# many refcount blocks: 512-byte clusters
qemu-img convert -O qcow2 -o cluster_size=512 src.raw amc.qcow2
amend_same cs512-refcount1 amc.qcow2 refcount_bits=1
amend_same cs512-refcount64 amc.qcow2 refcount_bits=64
qemu-img create -q -f qcow2 -o compat=0.10 am2.qcow2 1M
amend_same v2-refcount8 am2.qcow2 refcount_bits=8
amend_same v2-upgrade-refcount8 am2.qcow2 compat=1.1,refcount_bits=8
amend_same v2-lazy am2.qcow2 lazy_refcounts=on
# the images stay writable by the other tool after the new width
cp amc.qcow2 amw.qcow2
"$V" amend -o refcount_bits=2 amw.qcow2 && qemu-io -c "write -P 9 100k 300k" amw.qcow2 >/dev/null &&
    qemu-img check -q amw.qcow2 && "$V" check amw.qcow2 >/dev/null && pass "amend-refcount-then-qemu-writes" ||
    fail "amend-refcount-then-qemu-writes"
cp amc.qcow2 amw.qcow2
qemu-img amend -o refcount_bits=32 amw.qcow2 && "$V" convert -n -O qcow2 mod.raw amw.qcow2 &&
    qemu-img check -q amw.qcow2 && qemu-img compare -q mod.raw amw.qcow2 && pass "amend-refcount-then-vemu-writes" ||
    fail "amend-refcount-then-vemu-writes"

# ---- lazy refcounts: counts stay in memory behind the dirty bit -------------
# vemu-img writing a lazy_refcounts=on image sets the dirty bit before the
# first metadata that needs unwritten counts, and writes the counts and
# clears the bit at close.  Killed in between: the bit is set, the stored
# counts lag behind (with the bit cleared by hand qemu-img check sees the
# errors: the counts were really deferred), and qemu-img check -r all,
# vemu-img check -r all and a read-write open by vemu-img all repair it.
rm -f lzc.qcow2
"$V" create -q -f qcow2 -o lazy_refcounts=on lzc.qcow2 40M
"$V" convert -n -O qcow2 big.raw lzc.qcow2 >/dev/null 2>&1 && qemu-img check -q lzc.qcow2 &&
    qemu-img info --output=json lzc.qcow2 | grep -q '"dirty-flag": false' && qemu-img compare -q big.raw lzc.qcow2 &&
    pass "lazy-refcounts-clean-close" || fail "lazy-refcounts-clean-close"
# The kill waits for the dirty bit (header byte 79, bit 0) to reach the
# file and then `delay` more, so it lands while counts are deferred however
# fast the machine is; a run that ends before the kill is reported as such.
dirty_bit() { [ $(( $(od -An -tu1 -j79 -N1 "$1" 2>/dev/null || echo 0) & 1 )) -eq 1 ]; }
for delay in 0 0.2; do
    rm -f lk.qcow2
    "$V" create -q -f qcow2 -o cluster_size=512,lazy_refcounts=on lk.qcow2 40M
    VEMU_QCOW2_L2_CACHE=2k "$V" convert -n -m 8 -O qcow2 big.raw lk.qcow2 >/dev/null 2>&1 &
    pid=$!
    while kill -0 $pid 2>/dev/null && ! dirty_bit lk.qcow2; do :; done
    sleep $delay
    ok=1; why=""
    kill -9 $pid 2>/dev/null || { ok=0; why="convert ended before the kill"; }
    wait $pid 2>/dev/null
    qemu-img info --output=json lk.qcow2 | grep -q '"dirty-flag": true' || { ok=0; why="dirty bit not set"; }
    cp lk.qcow2 lk-q.qcow2; cp lk.qcow2 lk-v.qcow2; cp lk.qcow2 lk-o.qcow2; cp lk.qcow2 lk-x.qcow2
    qemu-img check -r all lk-q.qcow2 >/dev/null 2>&1 && qemu-img check -q lk-q.qcow2 || { ok=0; why="$why qemu repair"; }
    "$V" check -r all lk-v.qcow2 >/dev/null 2>&1 && qemu-img check -q lk-v.qcow2 || { ok=0; why="$why vemu repair"; }
    # (the whole disk is rewritten: the killed convert may have written past
    # any shorter source)
    "$V" convert -n -O qcow2 big.raw lk-o.qcow2 >/dev/null 2>&1 && qemu-img check -q lk-o.qcow2 &&
        qemu-img compare -q big.raw lk-o.qcow2 || { ok=0; why="$why repair on open"; }
    printf '\0' | dd of=lk-x.qcow2 bs=1 seek=79 conv=notrunc 2>/dev/null
    qemu-img check lk-x.qcow2 >/dev/null 2>&1; rc=$?
    # Killed right after the bit is set, the stored counts lag behind the
    # metadata (check: 2, corruptions).  Later on, refcount blocks the
    # cache evicted may also be ahead of L2 tables still in memory (3, leaks
    # only), as with any qcow2 writer; either way the stored counts are not
    # the image's and the repairs above are what is checked.
    case "$delay:$rc" in 0:2|0.2:2|0.2:3) ;; *) ok=0; why="$why counts not deferred (check exit $rc)" ;; esac
    [ $ok = 1 ] && pass "lazy-refcounts-killed-$delay" || fail "lazy-refcounts-killed-$delay" "$why"
done
# lazy_refcounts=off by amend writes the counts and clears the bit
rm -f lza.qcow2
"$V" create -q -f qcow2 -o lazy_refcounts=on lza.qcow2 24M
"$V" convert -n -O qcow2 src.raw lza.qcow2 && "$V" amend -o lazy_refcounts=off lza.qcow2 &&
    qemu-img check -q lza.qcow2 && qemu-img info lza.qcow2 | grep -q "lazy refcounts: false" &&
    qemu-img compare -q src.raw lza.qcow2 && pass "lazy-refcounts-amend-off" || fail "lazy-refcounts-amend-off"

# ---- snapshots with VM state (savevm in Debian's qemu-system-arm) ------------
# qemu saves a VM state into a snapshot; vemu-img lists, checks and keeps it
# through its own snapshot create/apply/delete and writes, and qemu can
# still load it afterwards (loadvm fails on a damaged state: "Error").
# tests/unit/test-block-vmstate.c covers vemu's own save_vmstate/load_vmstate.
qsys() {   # monitor-command image: runs one command in a stopped versatilepb
    printf '%s\nquit\n' "$1" | timeout 60 qemu-system-arm -M versatilepb -m 16 -nographic -nodefaults -S \
        -drive "file=$2,if=none,id=d0,format=qcow2" -monitor stdio 2>/dev/null | tr -d '\033'
}
if command -v qemu-system-arm >/dev/null; then
    rm -f vms.qcow2
    qemu-img create -q -f qcow2 vms.qcow2 8M
    qemu-io -c "write -P 5 0 1M" vms.qcow2 >/dev/null
    qsys "savevm s1" vms.qcow2 >qs.log
    if qemu-img snapshot -l vms.qcow2 | grep -q " s1 .*[KM]iB"; then
        same_output vmstate-snapshot-list snapshot -l vms.qcow2
        same_output vmstate-info-json info --output=json vms.qcow2
        same_output vmstate-check check vms.qcow2
        ok=1
        head -c 8M mod.raw >vms.raw
        "$V" snapshot -c s2 vms.qcow2 && "$V" convert -n -O qcow2 vms.raw vms.qcow2 &&
            "$V" snapshot -a s1 vms.qcow2 && "$V" snapshot -d s2 vms.qcow2 || ok=0
        qemu-img check -q vms.qcow2 || ok=0
        qsys "loadvm s1" vms.qcow2 >ql.log
        grep -q "Error" ql.log && ok=0
        [ $ok = 1 ] && pass "vmstate-kept-by-vemu" || fail "vmstate-kept-by-vemu" "$(grep -m1 Error ql.log)"
    else
        echo "SKIP: block/vmstate (qemu-system-arm could not savevm: $(grep -m1 -i error qs.log))"
    fi
else
    echo "SKIP: block/vmstate (no qemu-system-arm)"
fi
exit 0
