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
