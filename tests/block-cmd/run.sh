#!/bin/bash
# tests/block-cmd/run.sh — vemu-img's measure, dd, convert -l, compare -s,
# commit -b and resize --preallocation against Debian's qemu-img
# (qemu-utils), the oracle: the same command lines run by both tools must
# print the same (stdout, stderr with "qemu-img" read as "vemu-img") and
# exit with the same status; images either tool writes are compared with
# `qemu-img compare` and checked with `qemu-img check`.
#   measure-*   sizes (human and JSON) from --size and from images
#   dd-*        dd's operands, output sizes and contents
#   convert-l-* convert (and measure) from an internal snapshot
#   compare-s-* strict compare: allocation and size differences
#   commit-b-*  commit into a base deeper than the backing file
#   resize-p-*  resize --preallocation (growing)
#   *-err-*     messages and exit codes of bad input
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
. tests/block/lib.sh
block_suite_setup block-cmd

# Runs "qemu-img ARGS" and "vemu-img ARGS" in the current directory; the
# outputs (stdout, stderr) and exit statuses must agree.
same_run() {   # name, args...
    local name=$1; shift
    qemu-img "$@" >q.out 2>q.err; local qrc=$?
    "$V" "$@" >v.out 2>v.err; local vrc=$?
    sed -i 's/qemu-img/vemu-img/g' q.out q.err
    if [ $vrc -ge 128 ]; then
        fail "$name" "vemu-img crashed (status $vrc)"
    elif [ $qrc != $vrc ]; then
        fail "$name" "exit $vrc, qemu-img $qrc: $(head -c 300 v.err)"
    elif ! cmp -s q.out v.out; then
        fail "$name" "stdout differs: $(diff q.out v.out | head -6 | tr '\n' ' ')"
    elif ! cmp -s q.err v.err; then
        fail "$name" "stderr differs: $(diff q.err v.err | head -6 | tr '\n' ' ')"
    else
        pass "$name"
    fi
}

# ---- images: a qcow2 with data, zeroes and a partial cluster; a sparse raw;
# a qcow2 over a backing file; one with internal snapshots ----------------
qemu-img create -q -f qcow2 a.qcow2 64M
qemu-io -c 'write -P 1 0 1M' -c 'write -P 2 10M 100k' -c 'write -z 20M 1M' \
        -c 'write -P 3 63M 4k' a.qcow2 >/dev/null
qemu-img convert -O raw a.qcow2 a.raw
qemu-img create -q -f qcow2 -o cluster_size=4k,compat=0.10 b.qcow2 5M
qemu-io -c 'write -P 7 100k 300k' b.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b a.qcow2 -F qcow2 over.qcow2
qemu-io -c 'write -P 9 30M 64k' over.qcow2 >/dev/null
printf 'odd' > odd.raw; truncate -s 1000 odd.raw

# ---- measure ------------------------------------------------------------------
for s in 0 1000 1G 100M 3T; do
    same_run "measure-size-raw-$s" measure --size $s
    same_run "measure-size-qcow2-$s" measure -O qcow2 --size $s
done
for o in cluster_size=512 cluster_size=4k cluster_size=2M refcount_bits=1 refcount_bits=64 \
         compat=0.10 preallocation=metadata preallocation=falloc preallocation=full \
         lazy_refcounts=on compression_type=zstd extended_l2=on,cluster_size=32k \
         backing_file=a.qcow2 preallocation=off,cluster_size=8k,refcount_bits=4; do
    same_run "measure-size-o-$o" measure -O qcow2 -o "$o" --size 1G
    same_run "measure-size-json-$o" measure -O qcow2 -o "$o" --size 300M --output=json
    same_run "measure-img-o-$o" measure -O qcow2 -o "$o" a.qcow2
done
for img in a.qcow2 a.raw b.qcow2 over.qcow2 odd.raw; do
    for out in raw qcow2; do
        same_run "measure-img-$out-$img" measure -O $out $img
        same_run "measure-img-json-$out-$img" measure -O $out --output=json $img
    done
done
same_run measure-img-f-raw measure -O qcow2 -f raw a.qcow2
same_run measure-default-raw measure a.qcow2
same_run measure-err-none measure -O qcow2
same_run measure-err-both measure --size 1G a.qcow2
same_run measure-err-size measure --size x
same_run measure-err-negative measure --size -1
same_run measure-err-two-files measure a.qcow2 b.qcow2
same_run measure-err-f-no-file measure -f qcow2 --size 1G
same_run measure-err-format measure -O nosuch --size 1G
same_run measure-err-nomeasure measure -O vmdk --size 1G
same_run measure-err-nofile measure -O qcow2 nofile
same_run measure-err-output measure --size 1G --output=xml
same_run measure-err-param measure -O qcow2 -o foo=bar --size 1G
same_run measure-err-raw-param measure -O raw -o foo=bar --size 1G
same_run measure-err-compat measure -O qcow2 -o compat=0.9 --size 1G
same_run measure-err-refcount measure -O qcow2 -o refcount_bits=3 --size 1G
same_run measure-err-refcount-v2 measure -O qcow2 -o compat=0.10,refcount_bits=8 --size 1G
same_run measure-err-cluster measure -O qcow2 -o cluster_size=3k --size 1G
same_run measure-err-cluster-value measure -O qcow2 -o cluster_size=abc --size 1G
same_run measure-err-bool measure -O qcow2 -o extended_l2=maybe --size 1G
same_run measure-err-extl2-small measure -O qcow2 -o extended_l2=on,cluster_size=4k --size 1G
same_run measure-err-prealloc measure -O qcow2 -o preallocation=xx --size 1G
same_run measure-err-prealloc-backing measure -O qcow2 -o preallocation=full,backing_file=a.qcow2 --size 1G
same_run measure-err-too-large measure -O qcow2 -o cluster_size=512 --size 8E
same_run measure-err-too-large-l1 measure -O qcow2 -o cluster_size=512 --size 1T
same_run measure-huge-2M measure -O qcow2 -o cluster_size=2M --size 2E
same_run measure-huge-1P measure -O qcow2 --size 1P --output=json

# Runs the command in q/ (qemu-img) and v/ (vemu-img), each holding fresh
# copies of the files named in $INPUTS; same comparison as same_run.  The
# files named in $OUTPUTS must then agree: virtual size, contents (qemu-img
# compare; with $STRICT set, compare -s: the same allocation) and a clean
# qemu-img check of vemu-img's.
INPUTS="" OUTPUTS="" STRICT=""
same_dirs() {   # name, args...
    local name=$1; shift
    rm -rf q v; mkdir q v
    for f in $INPUTS; do cp "$f" q/; cp "$f" v/; done
    (cd q && qemu-img "$@" >../q.out 2>../q.err; echo $? >../q.rc)
    (cd v && "$V" "$@" >../v.out 2>../v.err; echo $? >../v.rc)
    local qrc vrc why=""
    qrc=$(cat q.rc) vrc=$(cat v.rc)
    sed -i 's/qemu-img/vemu-img/g' q.out q.err
    if [ "$vrc" -ge 128 ]; then
        why="vemu-img crashed (status $vrc)"
    elif [ "$qrc" != "$vrc" ]; then
        why="exit $vrc, qemu-img $qrc: $(head -c 300 v.err)"
    elif ! cmp -s q.out v.out; then
        why="stdout differs: $(diff q.out v.out | head -6 | tr '\n' ' ')"
    elif ! cmp -s q.err v.err; then
        why="stderr differs: $(diff q.err v.err | head -6 | tr '\n' ' ')"
    fi
    for f in $OUTPUTS; do
        [ -n "$why" ] && break
        if [ -e "q/$f" ] && [ ! -e "v/$f" ]; then why="vemu-img made no $f"; break; fi
        [ -e "q/$f" ] || continue
        local qs vs
        qs=$(qemu-img info --output=json "q/$f" | grep '"virtual-size"')
        vs=$(qemu-img info --output=json "v/$f" | grep '"virtual-size"')
        if [ "$qs" != "$vs" ]; then
            why="$f: virtual size $vs, qemu-img's $qs"
        elif ! qemu-img compare -q "q/$f" "v/$f" 2>/dev/null; then
            why="$f: contents differ from qemu-img's"
        elif [ -n "${STRICT:-}" ] && ! qemu-img compare -s "q/$f" "v/$f" >cmp.out 2>&1; then
            why="$f: allocation differs from qemu-img's: $(cat cmp.out)"
        elif qemu-img info "v/$f" | grep -q 'file format: qcow2' && ! qemu-img check -q "v/$f"; then
            why="$f: qemu-img check fails"
        fi
    done
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
}

# ---- dd --------------------------------------------------------------------
INPUTS="a.qcow2 a.raw b.qcow2 over.qcow2 odd.raw" OUTPUTS="o.img"
same_dirs dd-raw-all dd if=b.qcow2 of=o.img
same_dirs dd-bs-count dd if=a.qcow2 of=o.img bs=1M count=2
same_dirs dd-bs-count-skip-qcow2 dd -O qcow2 if=a.qcow2 of=o.img bs=1M count=12 skip=10
same_dirs dd-skip-only dd -O qcow2 if=a.raw of=o.img bs=64k skip=150
same_dirs dd-skip-past-end dd -O qcow2 if=a.qcow2 of=o.img bs=1M skip=100
same_dirs dd-count-zero dd if=a.qcow2 of=o.img bs=1M count=0
same_dirs dd-odd-bs dd if=b.qcow2 of=o.img bs=1000 count=3
same_dirs dd-odd-bs-tail dd if=b.qcow2 of=o.img bs=3000 skip=1
same_dirs dd-f-raw dd -f raw -O qcow2 if=b.qcow2 of=o.img bs=4k count=5
same_dirs dd-backing-chain dd -O qcow2 if=over.qcow2 of=o.img bs=1M skip=29 count=32
same_dirs dd-odd-input dd if=odd.raw of=o.img bs=100
same_dirs dd-suffixes dd if=a.raw of=o.img bs=1k count=1k skip=512
same_dirs dd-last-wins dd if=a.raw if=b.qcow2 of=o.img bs=1k bs=64k
same_dirs dd-existing-output dd if=b.qcow2 of=a.raw bs=64k count=2
OUTPUTS="x"
same_dirs dd-err-no-of dd if=a.qcow2
same_dirs dd-err-no-if dd of=x
same_dirs dd-err-bs-zero dd if=a.qcow2 of=x bs=0
same_dirs dd-err-bs-big dd if=a.qcow2 of=x bs=3G
same_dirs dd-err-bs-bad dd if=a.qcow2 of=x bs=abc
same_dirs dd-err-count-negative dd if=a.qcow2 of=x count=-1
same_dirs dd-err-skip-bad dd if=a.qcow2 of=x skip=1x
same_dirs dd-err-operand dd if=a.qcow2 of=x foo=1
same_dirs dd-err-no-equals dd if=a.qcow2 of=x bs
same_dirs dd-err-nofile dd if=nofile of=x
same_dirs dd-err-format dd -O nosuch if=a.qcow2 of=x
same_dirs dd-err-in-format dd -f qcow2 if=a.raw of=x
OUTPUTS="o.img"
same_dirs dd-qcow2-odd-size dd -O qcow2 if=b.qcow2 of=o.img bs=1000 count=3
same_dirs dd-qcow dd -O qcow if=b.qcow2 of=o.img bs=64k
same_dirs dd-vmdk dd -O vmdk if=b.qcow2 of=o.img bs=64k count=20

# ---- convert -l / measure -l: internal snapshots ----------------------------
# s.qcow2: snapshot "snapA" (id 1) of 8 MiB, then more writes, a resize to
# 16 MiB and snapshot "1" (id 2); the active state differs from both.
qemu-img create -q -f qcow2 s.qcow2 8M
qemu-io -c 'write -P 1 0 1M' -c 'write -P 4 7M 64k' s.qcow2 >/dev/null
qemu-img snapshot -c snapA s.qcow2
qemu-io -c 'write -P 2 0 512k' -c 'write -z 7M 32k' s.qcow2 >/dev/null
qemu-img resize -q s.qcow2 16M
qemu-io -c 'write -P 5 12M 100k' s.qcow2 >/dev/null
qemu-img snapshot -c 1 s.qcow2
qemu-io -c 'write -P 6 0 2M' s.qcow2 >/dev/null
"$V" create -q -f qcow2 -o cluster_size=4k vs.qcow2 3M
"$V" convert -n -O qcow2 b.qcow2 vs.qcow2 2>/dev/null || qemu-io -c 'write -P 7 0 1M' vs.qcow2 >/dev/null
"$V" snapshot -c first vs.qcow2
qemu-io -c 'write -P 8 0 3M' vs.qcow2 >/dev/null
INPUTS="s.qcow2 vs.qcow2 a.raw" OUTPUTS="o.img"
for l in snapA 1 2 snapshot.name=snapA snapshot.id=1 snapshot.name=1 snapshot.id=2,snapshot.name=1; do
    same_dirs "convert-l-raw-$l" convert -l "$l" -O raw s.qcow2 o.img
    same_dirs "convert-l-qcow2-$l" convert -l "$l" -O qcow2 s.qcow2 o.img
    same_run "measure-l-$l" measure -l "$l" -O qcow2 s.qcow2
done
same_dirs convert-l-vemu-made convert -l first -O qcow2 -o cluster_size=512 vs.qcow2 o.img
same_dirs convert-l-compressed convert -c -l snapA -O qcow2 s.qcow2 o.img
OUTPUTS="x"
same_dirs convert-l-err-nosuch convert -l nosuch -O raw s.qcow2 x
same_dirs convert-l-err-id-name convert -l snapshot.id=2,snapshot.name=snapA -O raw s.qcow2 x
same_dirs convert-l-err-empty-id convert -l snapshot.id= -O raw s.qcow2 x
same_dirs convert-l-err-param convert -l snapshot.foo=1 -O raw s.qcow2 x
same_dirs convert-l-err-two convert -l snapA -O raw s.qcow2 s.qcow2 x
same_dirs convert-l-err-raw convert -l snapA -O raw a.raw x
same_run measure-l-err-nosuch measure -l nosuch -O qcow2 s.qcow2
same_run measure-l-err-no-file measure -l snapA --size 1G
# the image is unchanged by reading a snapshot
cp s.qcow2 s-before.qcow2
"$V" convert -l snapA -O raw s.qcow2 o.img >/dev/null 2>&1
if cmp -s s.qcow2 s-before.qcow2; then pass convert-l-leaves-image; else fail convert-l-leaves-image "s.qcow2 changed"; fi

# ---- compare -s: allocation differences --------------------------------------
# c1: data at 0; c2: the same and an allocated zero cluster at 1M; c3: c1
# plus a zero cluster; c4: c1's data written in two halves; c5: 4 KiB
# clusters; c6: an empty overlay of c5, c7 the same with c1's data written
# into it; raw copies sparse (-S 4k) and fully allocated (-S 0).
qemu-img create -q -f qcow2 c1.qcow2 4M
qemu-img create -q -f qcow2 c2.qcow2 4M
qemu-io -c 'write -P 1 0 64k' c1.qcow2 >/dev/null
qemu-io -c 'write -P 1 0 64k' -c 'write -P 0 1M 64k' c2.qcow2 >/dev/null
cp c1.qcow2 c3.qcow2; qemu-io -c 'write -z 2M 64k' c3.qcow2 >/dev/null
qemu-img create -q -f qcow2 c4.qcow2 4M
qemu-io -c 'write -P 1 0 32k' -c 'write -P 1 32k 32k' c4.qcow2 >/dev/null
qemu-img create -q -f qcow2 -o cluster_size=4k c5.qcow2 4M
qemu-io -c 'write -P 1 0 64k' -c 'write -z 2M 64k' c5.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b c5.qcow2 -F qcow2 c6.qcow2
qemu-img create -q -f qcow2 -b c5.qcow2 -F qcow2 c7.qcow2
qemu-io -c 'write -P 1 0 64k' c7.qcow2 >/dev/null
qemu-img create -q -f qcow2 c8.qcow2 8M
qemu-io -c 'write -P 1 0 64k' c8.qcow2 >/dev/null
qemu-img convert -O raw c3.qcow2 c3.raw
qemu-img convert -S 0 -O raw c3.qcow2 c3f.raw
qemu-img create -q -f qcow2 c9.qcow2 4M
qemu-io -c 'write -P 1 0 64k' -c 'write -P 2 3M 64k' c9.qcow2 >/dev/null
qemu-img create -q -f qcow2 c10.qcow2 4M
qemu-io -c 'write -P 1 0 64k' -c 'write -P 3 3M 64k' c10.qcow2 >/dev/null
pairs="c1:c2 c2:c1 c1:c3 c3:c1 c1:c4 c3:c5 c5:c3 c5:c6 c6:c5 c6:c7 c7:c5 c1:c8 c8:c1
       c3:c3.raw c3.raw:c3 c3f.raw:c3.raw c3.raw:c3f.raw c3:c3f.raw c9:c10 c1:c9 c9:c9 c3.raw:c3.raw"
for p in $pairs; do
    x=${p%%:*} y=${p##*:}
    case $x in *.raw) ;; *) x=$x.qcow2 ;; esac
    case $y in *.raw) ;; *) y=$y.qcow2 ;; esac
    same_run "compare-s-$x-$y" compare -s "$x" "$y"
    same_run "compare-$x-$y" compare "$x" "$y"
done
same_run compare-s-raw-formats compare -s -f raw -F raw c3f.raw c3.raw
same_run compare-s-quiet compare -s -q c1.qcow2 c2.qcow2

# ---- commit -b: a base deeper than the backing file ----------------------------
# base.qcow2 (4 MiB) <- mid.qcow2 <- top.qcow2 (6 MiB), each writing
# over the one below, with zero clusters; l0.raw <- l1 <- l2 <- l3.qcow2.
rm -f base.qcow2 mid.qcow2 top.qcow2
qemu-img create -q -f qcow2 base.qcow2 4M
qemu-io -c 'write -P 1 0 1M' -c 'write -P 1 3M 1M' base.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 mid.qcow2
qemu-io -c 'write -P 2 512k 1M' -c 'write -z 3M 64k' -c 'write -P 2 3584k 5k' mid.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 top.qcow2 6M
qemu-io -c 'write -P 3 1M 1M' -c 'write -z 0 64k' -c 'write -P 4 5M 64k' -c 'write -P 5 3586k 1k' top.qcow2 >/dev/null
truncate -s 3M l0.raw
qemu-io -f raw -c 'write -P 1 0 3M' l0.raw >/dev/null
qemu-img create -q -f qcow2 -o cluster_size=4k -b l0.raw -F raw l1.qcow2
qemu-io -c 'write -P 2 4k 8k' -c 'write -z 1M 1M' l1.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b l1.qcow2 -F qcow2 l2.qcow2
qemu-io -c 'write -P 3 64k 64k' l2.qcow2 >/dev/null
qemu-img create -q -f qcow2 -o cluster_size=512 -b l2.qcow2 -F qcow2 l3.qcow2 4M
qemu-io -c 'write -P 4 1000k 12k' -c 'write -P 4 3500k 10k' l3.qcow2 >/dev/null
INPUTS="base.qcow2 mid.qcow2 top.qcow2" OUTPUTS="base.qcow2 mid.qcow2 top.qcow2"
same_dirs commit-b-deep commit -b base.qcow2 top.qcow2
same_dirs commit-b-deep-d commit -d -b base.qcow2 top.qcow2
same_dirs commit-b-dot commit -b ./base.qcow2 top.qcow2
same_dirs commit-b-direct commit -b mid.qcow2 top.qcow2
same_dirs commit-b-from-mid commit -b base.qcow2 mid.qcow2
same_dirs commit-plain commit top.qcow2
same_dirs commit-b-err-nosuch commit -b nosuch.qcow2 top.qcow2
same_dirs commit-b-err-self commit -b top.qcow2 top.qcow2
same_dirs commit-b-err-no-backing commit -b base.qcow2 base.qcow2
INPUTS="l0.raw l1.qcow2 l2.qcow2 l3.qcow2" OUTPUTS="l0.raw l1.qcow2 l2.qcow2 l3.qcow2"
same_dirs commit-b-raw-base commit -b l0.raw l3.qcow2
same_dirs commit-b-middle commit -b l1.qcow2 l3.qcow2

# ---- resize --preallocation (growing) ------------------------------------------
# outputs are also compared with `qemu-img compare -s`: the grown part must
# be allocated alike (mapped holes for metadata, data for falloc and full)
rm -f p.qcow2 p2.qcow2 p4k.qcow2 pb.qcow2 p.raw
qemu-img create -q -f qcow2 p.qcow2 1M
qemu-io -c 'write -P 1 0 64k' p.qcow2 >/dev/null
qemu-img create -q -f qcow2 -o compat=0.10 p2.qcow2 1M
qemu-img create -q -f qcow2 -o cluster_size=4k,refcount_bits=1 p4k.qcow2 1M
qemu-io -c 'write -P 1 100k 10k' p4k.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b p.qcow2 -F qcow2 pb.qcow2
truncate -s 1M p.raw
INPUTS="p.qcow2 p2.qcow2 p4k.qcow2 pb.qcow2 p.raw"
STRICT=1
for m in off metadata falloc full; do
    OUTPUTS="p.qcow2"; same_dirs "resize-p-$m" resize --preallocation=$m p.qcow2 3M
    OUTPUTS="p2.qcow2"; same_dirs "resize-p-v2-$m" resize --preallocation=$m p2.qcow2 1100k
    OUTPUTS="p4k.qcow2"; same_dirs "resize-p-4k-$m" resize --preallocation=$m p4k.qcow2 +20M
    OUTPUTS="pb.qcow2"; same_dirs "resize-p-backing-$m" resize --preallocation=$m pb.qcow2 3M
    OUTPUTS="p.raw"; same_dirs "resize-p-raw-$m" resize -f raw --preallocation=$m p.raw 3M
done
OUTPUTS="p.qcow2"
same_dirs resize-p-err-mode resize --preallocation=bogus p.qcow2 3M
same_dirs resize-p-err-same resize --preallocation=full p.qcow2 1M
same_dirs resize-p-err-shrink resize --preallocation=full p.qcow2 512k
same_dirs resize-p-err-shrink-ok resize --shrink --preallocation=falloc p.qcow2 512k
same_dirs resize-p-shrink-off resize --shrink --preallocation=off p.qcow2 512k
STRICT=""

# compare -s beyond one L2 table: qemu-img's status runs end with the L2
# table (512 MiB for 64 KiB clusters, 2 MiB for 4 KiB ones), which decides
# where a run reaching the image's end starts
qemu-img create -q -f qcow2 g1.qcow2 2G
qemu-img create -q -f qcow2 -o cluster_size=4k g2.qcow2 2G
qemu-io -c 'write -P 1 1500M 64k' g1.qcow2 >/dev/null
qemu-io -c 'write -P 1 1500M 64k' g2.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b g1.qcow2 -F qcow2 g3.qcow2
qemu-img create -q -f qcow2 -o cluster_size=2M g4.qcow2 2G
qemu-io -c 'write -P 1 1500M 64k' g4.qcow2 >/dev/null
truncate -s 2G g.raw
for p in g1:g2 g2:g1 g1:g3 g3:g2 g4:g1 g1:g4 g4:g3 g.raw:g1 g1:g.raw; do
    x=${p%%:*} y=${p##*:}
    case $x in *.raw) ;; *) x=$x.qcow2 ;; esac
    case $y in *.raw) ;; *) y=$y.qcow2 ;; esac
    same_run "compare-s-big-$x-$y" compare -s "$x" "$y"
done
same_run measure-big-g3 measure -O qcow2 g3.qcow2
same_run measure-big-g4 measure -O qcow2 -o cluster_size=2M --output=json g4.qcow2
