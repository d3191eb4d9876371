#!/bin/bash
# tests/block-legacy/run.sh — the legacy formats (qcow version 1, VDI, VHD)
# against Debian's qemu-img (qemu-utils), the oracle:
#   qemu2vemu-*   images qemu-img makes (qcow plain, compressed, an overlay
#                 written by qemu-io; vdi dynamic and static; vpc dynamic,
#                 fixed and force_size) read by vemu-img: converted to raw
#                 and compared byte for byte with qemu-img's own conversion
#   vemu2qemu-*   qcow images vemu-img makes (plain, compressed, an overlay
#                 written through with copy-on-write) read identically by
#                 `qemu-img compare`, and qemu-io writes into vemu-img's
#                 overlay read back by vemu-img; create's output and file
#                 are qemu-img's
#   vemu2qemu-vdi/vpc-*, create-*, *-writes-*   vdi and vpc images made and
#                 written by vemu-img, checked by qemu-img, and the reverse
#   diff-vhd-*    differencing VHDs (mkvhd-diff.py) read over their parent
#   hostile-*     truncated files, tables past the end, huge sizes, bad VHD
#                 checksums, random header bytes: a message and exit 1,
#                 never a crash
# (qemu-img has no `check` for these formats, so none is run.)
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
. tests/block/lib.sh
block_suite_setup block-legacy

patch() {  # file offset printf-bytes
    printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# The source disk: 6 MiB with random data, holes and zero runs.
truncate -s 6M src.raw
dd if=/dev/urandom of=src.raw bs=64k count=20 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=1k seek=3001 count=700 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=src.raw bs=512 seek=11000 count=3 conv=notrunc 2>/dev/null
dd if=/dev/zero of=src.raw bs=64k seek=5 count=3 conv=notrunc 2>/dev/null
# compressible data too (text), for compressed clusters
seq 1 100000 | dd of=src.raw bs=1k seek=1500 conv=notrunc 2>/dev/null

# qemu-io writes to an overlay and the same writes to a raw copy
WRITES=("write -P 0x55 1000 5000" "write -P 0x66 1048576 70000" "write -z 300000 4096"
        "write -P 0x77 5242000 9000")
apply_writes() {   # fmt file
    local w
    for w in "${WRITES[@]}"; do
        qemu-io -f "$1" -c "$w" "$2" >/dev/null 2>&1 || return 1
    done
}

# ---- images made by qemu-img, read by vemu-img -----------------------------
# read_same NAME FMT FILE: vemu-img and qemu-img convert FILE to the same raw
read_same() {
    local n=$1 f=$2 img=$3
    rm -f v.raw q.raw
    if ! "$V" convert -f "$f" -O raw "$img" v.raw >v.log 2>&1; then
        fail "$n" "vemu-img convert: $(head -1 v.log)"
        return
    fi
    qemu-img convert -f "$f" -O raw "$img" q.raw
    local vs qs
    vs=$("$V" info -f "$f" --output=json "$img" | grep -o '"virtual-size": [0-9]*')
    qs=$(qemu-img info -f "$f" --output=json "$img" | grep -o '"virtual-size": [0-9]*')
    if cmp -s v.raw q.raw && [ "$vs" = "$qs" ]; then
        pass "$n"
    else
        fail "$n" "contents or size differ ($vs / $qs)"
    fi
}
qemu_make() {   # name fmt file options...: qemu-img convert src.raw, SKIP if it cannot
    local n=$1 f=$2 out=$3
    shift 3
    if ! qemu-img convert -O "$f" "$@" src.raw "$out" >q.log 2>&1; then
        echo "SKIP: block-legacy/$n (qemu-img cannot make it: $(head -1 q.log))"
        return 1
    fi
}
qemu_make qemu2vemu-qcow qcow q.qcow && read_same qemu2vemu-qcow qcow q.qcow
# qemu-img 7.2's `convert -c -O qcow` fails (exit 1, no message); qemu-io's
# compressed writes of single clusters into unallocated ones work, so the
# compressed clusters come from there (qemu-img map shows them as data
# without an offset)
qemu-img convert -O qcow src.raw qc.qcow >/dev/null 2>&1 &&
    qemu-io -f qcow -c 'write -c -P 0x11 4194304 4096' -c 'write -c -P 0x22 4202496 4096' \
        -c 'write -c -P 0x44 4210688 4096' -c 'write -P 0x33 65536 4096' qc.qcow >/dev/null 2>&1 &&
    qemu-img map -f qcow --output=json qc.qcow | grep '"data": true' | grep -qv '"offset"' &&
    read_same qemu2vemu-qcow-compressed qcow qc.qcow ||
    echo "SKIP: block-legacy/qemu2vemu-qcow-compressed (qemu-io cannot write compressed clusters)"
qemu_make qemu2vemu-vdi-dynamic vdi d.vdi && read_same qemu2vemu-vdi-dynamic vdi d.vdi
qemu_make qemu2vemu-vdi-static vdi s.vdi -o static=on && read_same qemu2vemu-vdi-static vdi s.vdi
qemu_make qemu2vemu-vpc-dynamic vpc d.vhd -o subformat=dynamic && read_same qemu2vemu-vpc-dynamic vpc d.vhd
qemu_make qemu2vemu-vpc-fixed vpc f.vhd -o subformat=fixed && read_same qemu2vemu-vpc-fixed vpc f.vhd
qemu_make qemu2vemu-vpc-force-size vpc fs.vhd -o force_size=on && read_same qemu2vemu-vpc-force-size vpc fs.vhd
# probing: qcow, vdi and dynamic vhd are recognised without -f
for img in q.qcow d.vdi d.vhd; do
    want=$(qemu-img info --output=json "$img" | grep -o '"format": "[a-z]*"')
    got=$("$V" info --output=json "$img" 2>&1 | grep -o '"format": "[a-z]*"')
    [ -n "$want" ] && [ "$want" = "$got" ] && pass "probe-$img" || fail "probe-$img" "$got / $want"
done

# a qcow overlay made and written by qemu, as in the articles
cp src.raw base.raw
if qemu-img create -f qcow -b base.raw -F raw q.ovl >/dev/null 2>&1 && apply_writes qcow q.ovl; then
    cp src.raw want.raw
    apply_writes raw want.raw
    "$V" convert -O raw q.ovl v.raw >v.log 2>&1 && cmp -s v.raw want.raw && pass qemu2vemu-qcow-overlay ||
        fail qemu2vemu-qcow-overlay "$(head -1 v.log)"
else
    echo "SKIP: block-legacy/qemu2vemu-qcow-overlay (qemu cannot make it)"
fi

# ---- qcow images made by vemu-img, read by qemu-img ------------------------
compare_q() {   # name a b
    if qemu-img compare "$2" "$3" >c.log 2>&1; then pass "$1"; else fail "$1" "$(head -1 c.log)"; fi
}
"$V" convert -O qcow src.raw v.qcow >/dev/null 2>&1 && compare_q vemu2qemu-qcow src.raw v.qcow ||
    fail vemu2qemu-qcow "convert failed"
"$V" convert -c -O qcow src.raw vc.qcow >/dev/null 2>&1 && compare_q vemu2qemu-qcow-compressed src.raw vc.qcow ||
    fail vemu2qemu-qcow-compressed "convert failed"
# compression must pay off on the text part: smaller than the plain image
[ -f vc.qcow ] && [ "$(stat -c %s vc.qcow)" -lt "$(stat -c %s v.qcow)" ] && pass vemu2qemu-qcow-compressed-smaller ||
    fail vemu2qemu-qcow-compressed-smaller "$(stat -c %s vc.qcow v.qcow 2>&1 | tr '\n' ' ')"
# other formats through vemu-img into qcow, compared by qemu-img with the original
for img in d.vdi f.vhd; do
    [ -f "$img" ] || continue
    "$V" convert -O qcow "$img" x.qcow >/dev/null 2>&1 && compare_q "vemu2qemu-qcow-from-$img" "$img" x.qcow ||
        fail "vemu2qemu-qcow-from-$img" "convert failed"
    rm -f x.qcow
done

# create: the same output, messages and file as qemu-img's
"$V" create -f qcow -b base.raw -F raw v.ovl >v.out 2>&1; rv=$?
qemu-img create -f qcow -b base.raw -F raw q2.ovl >q.out 2>&1; rq=$?
sed -i 's/q2\.ovl/v.ovl/' q.out
[ $rv -eq $rq ] && cmp -s v.out q.out && cmp -s v.ovl q2.ovl && pass create-qcow-overlay ||
    fail create-qcow-overlay "exit $rv/$rq: $(head -1 v.out) / $(head -1 q.out)"
"$V" create -f qcow v2.qcow 100M >/dev/null 2>&1
qemu-img create -f qcow q3.qcow 100M >/dev/null 2>&1
cmp -s v2.qcow q3.qcow && pass create-qcow-plain || fail create-qcow-plain "files differ"
"$V" create -f qcow -b base.raw v3.ovl >v.out 2>&1; rv=$?
qemu-img create -f qcow -b base.raw q4.ovl >q.out 2>&1; rq=$?
sed -i 's/q4\.ovl/v3.ovl/; s/^qemu-img:/vemu-img:/' q.out
[ $rv -eq $rq ] && cmp -s v.out q.out && pass create-qcow-no-backing-fmt || fail create-qcow-no-backing-fmt "exit $rv/$rq"

# vemu-img writes through its overlay (copy-on-write of partial clusters,
# backing reads), qemu-img reads it
cp src.raw mod.raw
apply_writes raw mod.raw
"$V" convert -n -f raw -O qcow mod.raw v.ovl >v.log 2>&1 && compare_q vemu2qemu-qcow-overlay-written mod.raw v.ovl ||
    fail vemu2qemu-qcow-overlay-written "$(head -1 v.log)"
[ "$(stat -c %s v.ovl)" -lt 3000000 ] && pass vemu2qemu-qcow-overlay-sparse ||
    fail vemu2qemu-qcow-overlay-sparse "$(stat -c %s v.ovl) bytes: unchanged ranges were copied"
# qemu-io writes into a fresh vemu-img overlay; vemu-img reads it
"$V" create -f qcow -b base.raw -F raw v4.ovl >/dev/null 2>&1
apply_writes qcow v4.ovl && "$V" convert -O raw v4.ovl v.raw >v.log 2>&1 && cmp -s v.raw mod.raw &&
    "$V" compare mod.raw v4.ovl >/dev/null 2>&1 && pass qemu-writes-vemu-overlay ||
    fail qemu-writes-vemu-overlay "$(head -1 v.log)"
# chains mixing formats: a qcow2 overlay (qemu-img) on vemu-img's qcow, and
# vemu-img's qcow overlay on a qcow2 base (qemu-img), both written by qemu-io
"$V" convert -O qcow src.raw base.qcow >/dev/null 2>&1
qemu-img create -f qcow2 -b base.qcow -F qcow top.qcow2 >/dev/null 2>&1 && apply_writes qcow2 top.qcow2 &&
    "$V" convert -O raw top.qcow2 v.raw >v.log 2>&1 && cmp -s v.raw mod.raw && pass chain-qcow2-on-qcow ||
    fail chain-qcow2-on-qcow "$(head -1 v.log)"
qemu-img convert -O qcow2 src.raw base.qcow2 >/dev/null 2>&1
"$V" create -f qcow -b base.qcow2 -F qcow2 top.qcow >/dev/null 2>&1 && apply_writes qcow top.qcow &&
    "$V" convert -O raw top.qcow v.raw >v.log 2>&1 && cmp -s v.raw mod.raw && compare_q chain-qcow-on-qcow2 mod.raw top.qcow ||
    fail chain-qcow-on-qcow2 "$(head -1 v.log)"
# overwrite compressed clusters with vemu-img, read by qemu-img
cp vc.qcow vc2.qcow
"$V" convert -n -f raw -O qcow mod.raw vc2.qcow >v.log 2>&1 && compare_q vemu-overwrites-compressed mod.raw vc2.qcow ||
    fail vemu-overwrites-compressed "$(head -1 v.log)"

# info and check: the same output as qemu-img's (no check for these formats:
# both say so with exit 63)
for img in q.qcow:qcow v.ovl:qcow d.vdi:vdi s.vdi:vdi d.vhd:vpc f.vhd:vpc; do
    f=${img#*:} img=${img%:*}
    [ -f "$img" ] || continue
    for out in human json; do
        "$V" info -f "$f" --output=$out "$img" >v.out 2>&1
        qemu-img info -f "$f" --output=$out "$img" >q.out 2>&1
        cmp -s v.out q.out && pass "info-$out-$img" || fail "info-$out-$img" "$(diff v.out q.out | head -3 | tr '\n' ' ')"
    done
    "$V" check -f "$f" "$img" >v.out 2>&1; rv=$?
    qemu-img check -f "$f" "$img" >q.out 2>&1; rq=$?
    sed -i 's/^qemu-img:/vemu-img:/' q.out
    [ $rv -eq $rq ] && cmp -s v.out q.out && pass "check-$img" || fail "check-$img" "exit $rv/$rq"
done

# vdi check finds a block map entry used twice and a wrong allocated count
cp d.vdi c1.vdi; patch c1.vdi 512 '\x01\x00\x00\x00'
cp d.vdi c2.vdi; patch c2.vdi $((0x184)) '\x07\x00\x00\x00'
for img in c1.vdi c2.vdi; do
    for out in human json; do
        "$V" check --output=$out "$img" >v.out 2>v.err; rv=$?
        qemu-img check --output=$out "$img" >q.out 2>q.err; rq=$?
        [ $rv -eq $rq ] && [ $rv -eq 2 ] && cmp -s v.out q.out && cmp -s v.err q.err && pass "check-corrupt-$out-$img" ||
            fail "check-corrupt-$out-$img" "exit $rv/$rq: $(diff v.out q.out | head -2 | tr '\n' ' ')"
    done
done

# ---- vdi and vpc images made and written by vemu-img ------------------------
# vemu-img's images read, compared and checked by qemu-img
vemu_to_qemu() {   # name fmt options
    local n=$1 f=$2 o=$3
    rm -f v.img q.raw
    if ! "$V" convert -O "$f" ${o:+-o "$o"} src.raw v.img >v.log 2>&1; then
        fail "vemu2qemu-$n" "$(head -1 v.log)"
    elif ! qemu-img compare -f raw -F "$f" src.raw v.img >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img compare: $(head -1 c.log)"
    elif [ "$f" = vdi ] && ! qemu-img check -f vdi v.img >c.log 2>&1; then
        fail "vemu2qemu-$n" "qemu-img check: $(head -1 c.log)"
    elif ! qemu-img convert -f "$f" -O raw v.img q.raw >c.log 2>&1 || ! cmp -s q.raw src.raw -n 6291456; then
        fail "vemu2qemu-$n" "qemu-img convert: $(head -1 c.log)"
    else
        pass "vemu2qemu-$n"
    fi
}
vemu_to_qemu vdi-dynamic vdi ""
vemu_to_qemu vdi-static vdi static=on
vemu_to_qemu vpc-dynamic vpc ""
vemu_to_qemu vpc-fixed vpc subformat=fixed
vemu_to_qemu vpc-force-size vpc force_size=on
vemu_to_qemu vpc-fixed-force-size vpc subformat=fixed,force_size=on
# create: qemu-img's output and file (UUIDs and VHD timestamps/checksums aside)
norm_img() {   # fmt file: the file without its random fields, as a checksum
    python3 - "$1" "$2" <<'PY' | md5sum
import sys
fmt, name = sys.argv[1], sys.argv[2]
b = bytearray(open(name, 'rb').read(1 << 20))
if fmt == 'vdi':
    b[0x188:0x1a8] = bytes(32)
else:
    import os
    n = os.path.getsize(name)
    f = open(name, 'rb'); f.seek(n - 512); foot = bytearray(f.read(512))
    for part, at in ((b, 0), (b, n - 512), (foot, 0)):
        if 0 <= at <= len(part) - 512 and part[at:at + 8] == b'conectix':
            part[at + 24:at + 28] = bytes(4); part[at + 64:at + 84] = bytes(20)
    b += foot + str(n).encode()
sys.stdout.buffer.write(bytes(b))
PY
}
for c in "vdi 5000k" "vdi 0" "vdi 3G static=on" "vpc 5M" "vpc 1000" "vpc 100G" "vpc 130G"   \
         "vpc 7M force_size=on" "vpc 5M subformat=fixed" "vpc 5M subformat=fixed,force_size=on"; do
    set -- $c
    rm -f v.img q.img
    "$V" create -f "$1" ${3:+-o "$3"} v.img "$2" >v.out 2>&1; rv=$?
    qemu-img create -f "$1" ${3:+-o "$3"} q.img "$2" >q.out 2>&1; rq=$?
    sed -i 's/q\.img/v.img/' q.out
    n="create-$1-$2${3:+-$3}"
    if [ $rv = 0 ] && [ $rq = 0 ] && cmp -s v.out q.out && [ "$(norm_img "$1" v.img)" = "$(norm_img "$1" q.img)" ]; then
        pass "$n"
    else
        fail "$n" "exit $rv/$rq $(head -1 v.out) / $(head -1 q.out)"
    fi
done
# the same refusals as qemu-img
for c in "vdi 1M preallocation=metadata" "vdi 1M static=maybe" "vpc 1M subformat=foo" \
         "vpc 2041G" "vpc 1M preallocation=metadata"; do
    set -- $c
    "$V" create -f "$1" ${3:+-o "$3"} v.img "$2" >v.out 2>&1; rv=$?
    qemu-img create -f "$1" ${3:+-o "$3"} q.img "$2" >q.out 2>&1; rq=$?
    sed -i 's/q\.img/v.img/; s/^qemu-img:/vemu-img:/' q.out
    n="create-refused-$1-$2${3:+-$3}"
    [ $rv = 1 ] && [ $rq = 1 ] && cmp -s v.out q.out && pass "$n" || fail "$n" "exit $rv/$rq: $(tail -1 v.out) / $(tail -1 q.out)"
done
# vemu-img writes into qemu-img's images; qemu-io writes into vemu-img's
for c in "vdi d.vdi" "vdi s.vdi" "vpc d.vhd" "vpc f.vhd"; do
    set -- $c
    [ -f "$2" ] || continue
    cp "$2" w.img
    if "$V" convert -n -O "$1" mod.raw w.img >v.log 2>&1 && qemu-img compare -f raw -F "$1" mod.raw w.img >c.log 2>&1 &&
       { [ "$1" != vdi ] || qemu-img check -f vdi w.img >c.log 2>&1; }; then
        pass "vemu-writes-qemu-$2"
    else
        fail "vemu-writes-qemu-$2" "$(head -1 v.log) $(head -1 c.log)"
    fi
done
for c in "vdi static=off" "vdi static=on" "vpc subformat=dynamic" "vpc subformat=fixed"; do
    set -- $c
    rm -f w.img
    "$V" convert -O "$1" -o "$2" src.raw w.img >/dev/null 2>&1
    cp src.raw want.raw
    if apply_writes "$1" w.img && apply_writes raw want.raw && "$V" compare -f raw -F "$1" want.raw w.img >v.log 2>&1 &&
       { [ "$1" != vdi ] || "$V" check -f vdi w.img >v.log 2>&1; }; then
        pass "qemu-writes-vemu-$1-${2#*=}"
    else
        fail "qemu-writes-vemu-$1-${2#*=}" "$(head -1 v.log)"
    fi
done

# ---- differencing VHDs (qemu-img cannot make them: tests/block-legacy/
# mkvhd-diff.py writes them from the VHD specification and computes the
# expected contents) ------------------------------------------------------------
MKDIFF="python3 $HERE/mkvhd-diff.py"
rm -rf dd; mkdir dd
qemu-img convert -O vpc src.raw dd/p.vhd
dsz=$(qemu-img info --output=json dd/p.vhd | grep -o '"virtual-size": [0-9]*' | grep -o '[0-9]*$')
diff_case() {   # name locators [seed]: a child of dd/p.vhd read by vemu-img
    local n=$1
    qemu-img convert -f vpc -O raw dd/p.vhd dd/exp.raw
    rm -f dd/c.vhd
    $MKDIFF dd/c.vhd "$dsz" p.vhd "$2" dd/exp.raw "${3:-1}"
    if ! "$V" convert -O raw dd/c.vhd dd/got.raw >v.log 2>&1 || ! cmp -s dd/got.raw dd/exp.raw; then
        fail "diff-vhd-$n" "$(head -1 v.log)"
    elif ! "$V" info dd/c.vhd | grep -q '^backing file: .*p\.vhd'; then
        fail "diff-vhd-$n" "info: $("$V" info dd/c.vhd 2>&1 | grep backing)"
    elif ! "$V" convert -O qcow2 dd/c.vhd dd/c.qcow2 >v.log 2>&1 ||
         ! qemu-img compare -f raw -F qcow2 dd/exp.raw dd/c.qcow2 >c.log 2>&1; then
        fail "diff-vhd-$n" "to qcow2: $(head -1 v.log c.log)"
    else
        pass "diff-vhd-$n"
    fi
}
diff_case w2ru 'W2ku:C:\vms\p.vhd,W2ru:.\p.vhd'
diff_case w2ku-only 'W2ku:C:\vms\p.vhd' 2
diff_case macx "MacX:file://$PWD/dd/p.vhd" 3
diff_case unicode-name-only none 4
# a chain: a differencing child of a differencing child
diff_case chain-base 'W2ru:.\p.vhd' 5
mv dd/c.vhd dd/c1.vhd; cp dd/exp.raw dd/exp1.raw
$MKDIFF dd/c2.vhd "$dsz" c1.vhd 'W2ru:.\c1.vhd' dd/exp1.raw 6
"$V" convert -O raw dd/c2.vhd dd/got.raw >v.log 2>&1 && cmp -s dd/got.raw dd/exp1.raw &&
    [ "$("$V" info --backing-chain dd/c2.vhd | grep -c '^image:')" = 3 ] && pass diff-vhd-chain ||
    fail diff-vhd-chain "$(head -1 v.log)"
# compare and map agree with the contents (the parent's part is depth 1)
"$V" compare -f raw -F vpc dd/exp1.raw dd/c2.vhd >v.log 2>&1 &&
    "$V" map --output=json dd/c2.vhd | grep -q '"depth": 2' && pass diff-vhd-compare-map ||
    fail diff-vhd-compare-map "$(head -1 v.log)"
# writing is refused with a message; a missing parent, a locator past the
# end and a child naming itself fail with one, never a crash
"$V" convert -n -O vpc src.raw dd/c2.vhd >v.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "differencing" v.log && pass diff-vhd-write-refused || fail diff-vhd-write-refused "exit $rc: $(head -1 v.log)"
qemu-img convert -f vpc -O raw dd/p.vhd dd/exp.raw
$MKDIFF dd/m.vhd "$dsz" gone.vhd 'W2ru:.\gone.vhd' dd/exp.raw
"$V" convert -O raw dd/m.vhd dd/got.raw >v.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "gone.vhd" v.log && pass diff-vhd-missing-parent || fail diff-vhd-missing-parent "exit $rc: $(head -1 v.log)"
$MKDIFF dd/b.vhd "$dsz" p.vhd 'bad' dd/exp.raw
"$V" info dd/b.vhd >v.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "parent locator" v.log && pass diff-vhd-locator-past-end || fail diff-vhd-locator-past-end "exit $rc: $(head -1 v.log)"
$MKDIFF dd/self.vhd "$dsz" self.vhd 'W2ru:.\self.vhd' dd/exp.raw
"$V" convert -O raw dd/self.vhd dd/got.raw >v.log 2>&1; rc=$?
[ $rc = 1 ] && grep -qi "loop\|itself" v.log && pass diff-vhd-self-parent || fail diff-vhd-self-parent "exit $rc: $(head -1 v.log)"
rm -rf dd

# ---- hostile files -----------------------------------------------------------
hostile() {   # name fmt file message-fragment
    local n=$1 f=$2 img=$3 msg=$4 rc1 rc2
    "$V" info -f "$f" "$img" >h1.log 2>&1; rc1=$?
    "$V" convert -f "$f" -O raw "$img" h.raw >h2.log 2>&1; rc2=$?
    if [ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] && grep -q "$msg" h1.log && grep -q "$msg" h2.log; then
        pass "hostile-$n"
    else
        fail "hostile-$n" "exit $rc1/$rc2: $(head -1 h1.log)"
    fi
}
# convert fails with exit 1 (an error found while reading), never a crash
hostile_read() {   # name fmt file
    local rc
    "$V" convert -f "$2" -O raw "$3" h.raw >h2.log 2>&1; rc=$?
    [ $rc -eq 1 ] && [ -s h2.log ] && pass "hostile-$1" || fail "hostile-$1" "exit $rc: $(head -1 h2.log)"
}
be32hex() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
# VHD checksum of LEN bytes at OFF (the field at OFF+CS) rewritten
vhd_fix_csum() {   # file off len cs
    local sum=0 b i=0
    for b in $(od -A n -t u1 -v -j "$2" -N "$3" "$1"); do
        if [ $i -lt "$4" ] || [ $i -ge $(($4 + 4)) ]; then sum=$((sum + b)); fi
        i=$((i + 1))
    done
    patch "$1" $(($2 + $4)) "$(be32hex $((~sum & 0xffffffff)))"
}

"$V" convert -O qcow src.raw good.qcow >/dev/null 2>&1
head -c 30 good.qcow > t.qcow;                      hostile qcow-truncated qcow t.qcow "truncated"
cp good.qcow b.qcow; patch b.qcow 40 '\x7f\x00\x00\x00'; hostile qcow-l1-past-end qcow b.qcow "Invalid L1 table offset"
cp good.qcow b.qcow; patch b.qcow 24 '\x40\x00\x00\x00'; hostile qcow-huge-size qcow b.qcow "too large"
cp good.qcow b.qcow; patch b.qcow 32 '\x1f';           hostile qcow-cluster-bits qcow b.qcow "Cluster size"
cp good.qcow b.qcow; patch b.qcow 36 '\x00\x00\x00\x01'; hostile qcow-encrypted qcow b.qcow "encryption"
cp good.qcow b.qcow; patch b.qcow 8 '\x00\x00\x00\x00\x00\x00\x00\x30\x00\x01\x00\x00'
hostile qcow-backing-name qcow b.qcow "backing file name"
# the first L2 table pointed past the end of the file: an error while reading
l1=$(od -A n -t u1 -j 40 -N 8 good.qcow | awk '{ v = 0; for (i = 1; i <= 8; i++) v = v * 256 + $i; print v }')
cp good.qcow b.qcow; patch b.qcow "$l1" '\x00\x00\x00\x7f\x00\x00\x00\x00'; hostile_read qcow-l2-past-end qcow b.qcow
cp qc.qcow b.qcow 2>/dev/null && truncate -s 100000 b.qcow && hostile_read qcow-compressed-truncated qcow b.qcow

head -c 300 d.vdi > t.vdi;                           hostile vdi-truncated vdi t.vdi "truncated"
cp d.vdi b.vdi; patch b.vdi $((0x154)) '\x00\x00\x00\x7f'; hostile vdi-bmap-past-end vdi b.vdi "block map offset"
cp d.vdi b.vdi; patch b.vdi $((0x180)) '\xff\xff\xff\x7f'; hostile vdi-huge-blocks vdi b.vdi "too many blocks"
cp d.vdi b.vdi; patch b.vdi $((0x170)) '\x00\x00\x00\x00\x00\x10\x00\x00'; hostile vdi-huge-size vdi b.vdi "disk size"
cp d.vdi b.vdi; patch b.vdi $((0x178)) '\x00\x10\x00\x01'; hostile vdi-block-size vdi b.vdi "block size"
cp d.vdi b.vdi; patch b.vdi 512 '\x00\x10\x00\x00'; hostile vdi-bmap-entry vdi b.vdi "block map entry"
cp d.vdi b.vdi; truncate -s 1000000 b.vdi; hostile_read vdi-data-truncated vdi b.vdi

head -c 200 d.vhd > t.vhd;                           hostile vpc-truncated vpc t.vhd "truncated"
cp d.vhd b.vhd; patch b.vhd 40 '\x01';               hostile vpc-footer-checksum vpc b.vhd "checksum"
cp d.vhd b.vhd; patch b.vhd 520 '\x01';              hostile vpc-dyn-header-checksum vpc b.vhd "dynamic header checksum"
cp d.vhd b.vhd; patch b.vhd 528 '\x00\x00\x00\x7f'; vhd_fix_csum b.vhd 512 1024 36
hostile vpc-bat-past-end vpc b.vhd "allocation table offset"
cp d.vhd b.vhd; patch b.vhd 540 '\x7f\xff\xff\xff'; vhd_fix_csum b.vhd 512 1024 36
hostile vpc-huge-bat vpc b.vhd "too large"
cp d.vhd b.vhd; patch b.vhd 16 '\x00\x00\x00\x7f'; vhd_fix_csum b.vhd 0 512 64
hostile vpc-dyn-header-past-end vpc b.vhd "dynamic header offset"
cp f.vhd b.vhd; patch b.vhd $(($(stat -c %s f.vhd) - 512 + 28)) 'win '
patch b.vhd $(($(stat -c %s f.vhd) - 512 + 48)) '\x00\x00\x01\x00\x00\x00\x00\x00'
vhd_fix_csum b.vhd $(($(stat -c %s f.vhd) - 512)) 512 64; hostile vpc-fixed-huge-size vpc b.vhd "truncated"
cp d.vhd b.vhd; patch b.vhd 1536 '\x00\x7f\x00\x00'; hostile_read vpc-block-past-end vpc b.vhd

# random bytes over each header (the magic kept): errors or data, never a crash
for img in good.qcow d.vdi d.vhd; do
    case $img in *.qcow) f=qcow from=8 ;; *.vdi) f=vdi from=$((0x44)) ;; *) f=vpc from=8 ;; esac
    ok=1
    for i in 1 2 3 4 5 6 7 8; do
        cp "$img" r.img
        head -c 600 /dev/urandom | dd of=r.img bs=1 seek="$from" count=$((i * 64)) conv=notrunc 2>/dev/null
        "$V" info -f "$f" r.img >/dev/null 2>&1; a=$?
        timeout 20 "$V" convert -f "$f" -O raw r.img h.raw >/dev/null 2>&1; b=$?
        rm -f h.raw
        [ $a -lt 128 ] && [ $b -lt 124 ] || { ok=0; fail "hostile-random-$f" "round $i exit $a/$b"; break; }
    done
    [ $ok -eq 1 ] && pass "hostile-random-$f"
done
