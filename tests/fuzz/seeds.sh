#!/bin/bash
# tests/fuzz/seeds.sh OUTDIR [VEMU_IMG] — the seed corpus of the fuzz targets,
# generated (never stored in git): small images of every format and variant
# made by Debian's qemu-img/qemu-io and by vemu-img (when given), with data,
# zero and compressed clusters, snapshots and backing-file names, one
# directory per target (OUTDIR/qcow2, qcow, vmdk, vdi, vpc; OUTDIR/probe gets
# all of them).  Images are kept small (512 B..64 KiB clusters, disks of
# 64 KiB..2 MiB) so that mutants run fast.  VMDK descriptors name the extent
# files tests/fuzz/harness.c keeps in its scratch directory (extent-*.vmdk).
set -u
OUT=$1
V=${2:-}
case "$V" in ""|/*) ;; *) V=$PWD/$V ;; esac
QI=qemu-img
QIO=qemu-io
mkdir -p "$OUT"/{qcow2,qcow,vmdk,vdi,vpc,probe}
W=$(mktemp -d "${TMPDIR:-/tmp}/vemu-fuzz-seeds.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1

# io FMT FILE CMD...: qemu-io commands on an image (quietly)
io() { local f=$1 img=$2; shift 2; for c in "$@"; do $QIO -f "$f" -c "$c" "$img" >/dev/null 2>&1; done; }
keep() { cp "$2" "$OUT/$1/$3" && cp "$2" "$OUT/probe/$1-$3"; }
DATA=("write -P 0x5a 0 4k" "write -P 0x33 70k 3k" "write -z 128k 64k" "write -P 0x11 600k 1k")

# ---- qcow2 ------------------------------------------------------------------
n=0
for o in "cluster_size=512" "cluster_size=512,compat=0.10" "cluster_size=4096,refcount_bits=1" \
         "cluster_size=4096,refcount_bits=64" "cluster_size=4096,lazy_refcounts=on" \
         "cluster_size=1024,compression_type=zstd" "cluster_size=16384,extended_l2=on" \
         "cluster_size=65536" "cluster_size=512,preallocation=metadata"; do
    n=$((n + 1))
    rm -f q.qcow2
    size=1M; [[ $o == *preallocation* ]] && size=128k
    $QI create -q -f qcow2 -o "$o" q.qcow2 $size || continue
    io qcow2 q.qcow2 "${DATA[@]}"
    keep qcow2 q.qcow2 "qemu-$n.qcow2"
done
# compressed clusters (zlib and zstd), a snapshot, a backing file name
for ct in zlib zstd; do
    rm -f q.qcow2
    $QI create -q -f qcow2 -o cluster_size=2048,compression_type=$ct q.qcow2 512k &&
        io qcow2 q.qcow2 "write -c -P 0x41 0 2k" "write -c -P 0x42 8k 2k" "write -P 0x43 16k 2k" &&
        keep qcow2 q.qcow2 "qemu-compressed-$ct.qcow2"
done
rm -f q.qcow2
$QI create -q -f qcow2 -o cluster_size=1024 q.qcow2 256k && io qcow2 q.qcow2 "write -P 1 0 3k" &&
    $QI snapshot -c snap1 q.qcow2 && io qcow2 q.qcow2 "write -P 2 1k 1k" &&
    $QI snapshot -c snap2 q.qcow2 && keep qcow2 q.qcow2 qemu-snapshots.qcow2
head -c 256k /dev/zero > base.raw
rm -f q.qcow2
$QI create -q -f qcow2 -o cluster_size=512 -b base.raw -F raw q.qcow2 256k &&
    io qcow2 q.qcow2 "write -P 7 512 1k" && keep qcow2 q.qcow2 qemu-backing.qcow2
# a dirty image (lazy refcounts, killed before its refcounts were written)
rm -f q.qcow2
$QI create -q -f qcow2 -o cluster_size=512,lazy_refcounts=on q.qcow2 256k &&
    ( $QIO -f qcow2 -c "write -P 9 0 2k" -c abort q.qcow2; true ) >/dev/null 2>&1
[ -s q.qcow2 ] && keep qcow2 q.qcow2 qemu-dirty.qcow2
if [ -n "$V" ]; then
    for o in "cluster_size=512" "cluster_size=4096,compat=0.10" "cluster_size=2048,compression_type=zstd"; do
        n=$((n + 1))
        rm -f r.raw v.qcow2
        seq 1 20000 | head -c 64k > r.raw; head -c 64k /dev/zero >> r.raw; seq 7 3 9000 | head -c 8k >> r.raw
        "$V" convert -f raw -O qcow2 -o "$o" r.raw v.qcow2 2>/dev/null && keep qcow2 v.qcow2 "vemu-$n.qcow2"
        rm -f v.qcow2
        "$V" convert -c -f raw -O qcow2 -o "$o" r.raw v.qcow2 2>/dev/null && keep qcow2 v.qcow2 "vemu-c$n.qcow2"
    done
fi

# ---- qcow (version 1) ---------------------------------------------------------
rm -f q.qcow
$QI create -q -f qcow q.qcow 1M && io qcow q.qcow "${DATA[@]}" && keep qcow q.qcow qemu-1.qcow
rm -f q.qcow
$QI create -q -f qcow -b base.raw -F raw q.qcow 256k && io qcow q.qcow "write -P 3 0 1k" &&
    keep qcow q.qcow qemu-backing.qcow
rm -f q.qcow
$QI create -q -f qcow q.qcow 256k && io qcow q.qcow "write -c -P 0x44 0 4k" "write -P 0x45 8k 4k" &&
    keep qcow q.qcow qemu-compressed.qcow
if [ -n "$V" ]; then
    rm -f v.qcow
    "$V" create -f qcow v.qcow 256k >/dev/null 2>&1 && keep qcow v.qcow vemu.qcow
fi

# ---- vmdk -----------------------------------------------------------------------
rm -f q.vmdk
$QI create -q -f vmdk q.vmdk 1M && io vmdk q.vmdk "${DATA[@]}" && keep vmdk q.vmdk qemu-sparse.vmdk
rm -f q.vmdk
$QI create -q -f vmdk -o subformat=streamOptimized q.vmdk 256k && io vmdk q.vmdk "write -P 0x21 0 64k" &&
    keep vmdk q.vmdk qemu-stream.vmdk
rm -f q.vmdk
$QI create -q -f vmdk base.vmdk 256k && $QI create -q -f vmdk -b base.vmdk -F vmdk q.vmdk 256k &&
    keep vmdk q.vmdk qemu-backing.vmdk
rm -f q.vmdk
$QI create -q -f vmdk -o zeroed_grain=on q.vmdk 256k && io vmdk q.vmdk "write -P 0x22 0 4k" "write -z 64k 64k" &&
    keep vmdk q.vmdk qemu-zeroed-grain.vmdk
# descriptor files naming the harness's extents
for sub in monolithicFlat twoGbMaxExtentFlat twoGbMaxExtentSparse; do
    mkdir -p d && rm -f d/*
    $QI create -q -f vmdk -o subformat=$sub d/extent.vmdk 64k && keep vmdk d/extent.vmdk "qemu-$sub.vmdk"
done
if [ -n "$V" ]; then
    rm -f v.vmdk
    "$V" convert -f raw -O vmdk r.raw v.vmdk 2>/dev/null && keep vmdk v.vmdk vemu-sparse.vmdk
    rm -f v.vmdk
    "$V" convert -f raw -O vmdk -o subformat=streamOptimized r.raw v.vmdk 2>/dev/null &&
        keep vmdk v.vmdk vemu-stream.vmdk
fi

# ---- vdi ------------------------------------------------------------------------
rm -f q.vdi
$QI create -q -f vdi q.vdi 2M && io vdi q.vdi "write -P 0x61 0 4k" && keep vdi q.vdi qemu-dynamic.vdi
rm -f q.vdi
$QI create -q -f vdi -o static=on q.vdi 64k && keep vdi q.vdi qemu-static.vdi

# ---- vpc ------------------------------------------------------------------------
rm -f q.vpc
$QI create -q -f vpc q.vpc 2M && io vpc q.vpc "write -P 0x71 0 4k" && keep vpc q.vpc qemu-dynamic.vpc
rm -f q.vpc
$QI create -q -f vpc -o subformat=fixed q.vpc 64k && keep vpc q.vpc qemu-fixed.vpc
rm -f q.vpc
$QI create -q -f vpc -o force_size=on q.vpc 1M && keep vpc q.vpc qemu-force-size.vpc

# ---- raw (probe only) -------------------------------------------------------------
head -c 4k /dev/zero > "$OUT/probe/raw-zero.raw"
printf 'QFI\373 not quite a qcow2 header' > "$OUT/probe/raw-almost-qcow2.raw"
exit 0
