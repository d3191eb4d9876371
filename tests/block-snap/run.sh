#!/bin/bash
# tests/block-snap/run.sh — qcow2 internal snapshots and the image-editing
# commands of vemu-img against Debian's qemu-img (qemu-utils), the oracle:
#   snap-vemu-*   snapshots vemu-img makes, listed, applied and deleted by
#                 qemu-img (and vemu-img), contents checked after each apply
#   snap-qemu-*   snapshots qemu-img makes, applied and deleted by vemu-img
#   snap-write-*  vemu-img writing to images that have snapshots (copy-on-write
#                 of shared clusters and L2 tables), then reverting
#   snap-err-*    messages and exit codes as qemu-img's
# `qemu-img check` must be clean after every step.
# Prints PASS/FAIL/SKIP lines (tests/run-tests.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 1
. tests/block/lib.sh
block_suite_setup block-snap

# Three versions of a 6 MiB disk: A, B (A with changes in places, some of
# them partial clusters and zero runs) and C (more changes).
truncate -s 6M A.raw
dd if=/dev/urandom of=A.raw bs=64k count=40 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=A.raw bs=1k seek=4000 count=300 conv=notrunc 2>/dev/null
cp A.raw B.raw
dd if=/dev/urandom of=B.raw bs=1k seek=100 count=7 conv=notrunc 2>/dev/null
dd if=/dev/zero of=B.raw bs=64k seek=2 count=2 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=B.raw bs=512 seek=9001 count=300 conv=notrunc 2>/dev/null
cp B.raw C.raw
dd if=/dev/urandom of=C.raw bs=64k seek=50 count=20 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=C.raw bs=1k seek=0 count=3 conv=notrunc 2>/dev/null

# The steps of one test; the first failure is reported.
ERR=""
step() {   # description, command...
    [ -n "$ERR" ] && return 1
    local d=$1; shift
    if ! "$@" >step.log 2>&1; then
        ERR="$d: $(head -3 step.log | tr '\n' ' ')"
        return 1
    fi
}
qcheck() { qemu-img check "$1" >/dev/null 2>&1 || { qemu-img check "$1"; return 1; }; }
same() { qemu-img compare -q "$1" "$2"; }   # image, raw contents
done_test() { if [ -z "$ERR" ]; then pass "$1"; else fail "$1" "$ERR"; fi; ERR=""; }
# vemu-img writes a whole disk's contents into an image (convert -n)
vwrite() { "$V" convert -n -O qcow2 "$1" "$2"; }
qwrite() { qemu-img convert -n -O qcow2 "$1" "$2"; }

# ---- snapshots vemu-img makes, used by qemu-img ----------------------------
snap_vemu() {   # name, create options
    local n=$1 o=$2
    rm -f i.qcow2
    step create "$V" create -q -f qcow2 -o "$o" i.qcow2 6M
    step "write A" vwrite A.raw i.qcow2
    step "vemu -c s1" "$V" snapshot -c s1 i.qcow2
    step "check after -c" qcheck i.qcow2
    step "vemu writes B over the snapshot" vwrite B.raw i.qcow2
    step "check after write" qcheck i.qcow2
    step "reads B" same i.qcow2 B.raw
    step "vemu -c s2" "$V" snapshot -c s2 i.qcow2
    step "qemu writes C" qwrite C.raw i.qcow2
    step "check after qemu write" qcheck i.qcow2
    step "qemu lists s1 s2" bash -c "qemu-img snapshot -l i.qcow2 | awk 'NR>2{print \$1,\$2}' | tr '\n' ' ' | grep -qx '1 s1 2 s2 '"
    step "lists agree" bash -c "cmp <(qemu-img snapshot -l i.qcow2) <('$V' snapshot -l i.qcow2)"
    step "qemu -a s1" qemu-img snapshot -a s1 i.qcow2
    step "check after qemu -a" qcheck i.qcow2
    step "reads A after qemu -a s1" same i.qcow2 A.raw
    step "vemu -a 2 (by id)" "$V" snapshot -a 2 i.qcow2
    step "check after vemu -a" qcheck i.qcow2
    step "reads B after vemu -a 2" same i.qcow2 B.raw
    step "qemu -d s1" qemu-img snapshot -d s1 i.qcow2
    step "check after qemu -d" qcheck i.qcow2
    step "vemu writes C" vwrite C.raw i.qcow2
    step "vemu -a s2" "$V" snapshot -a s2 i.qcow2
    step "reads B after -a s2" same i.qcow2 B.raw
    step "vemu -d s2" "$V" snapshot -d s2 i.qcow2
    step "check after vemu -d" qcheck i.qcow2
    step "no snapshots left" bash -c "[ -z \"\$(qemu-img snapshot -l i.qcow2)\" ]"
    step "vemu check" "$V" check i.qcow2
    step "reads B at the end" same i.qcow2 B.raw
    done_test "snap-vemu-$n"
}
snap_vemu v3 compat=1.1
snap_vemu v2 compat=0.10
snap_vemu cs512 cluster_size=512
snap_vemu cs2M cluster_size=2M
snap_vemu rb2 refcount_bits=2,cluster_size=4k
snap_vemu rb64 refcount_bits=64

# ---- snapshots qemu-img makes, used by vemu-img ----------------------------
snap_qemu() {   # name, qemu-img convert options
    local n=$1; shift
    rm -f q.qcow2
    step "qemu convert A" qemu-img convert -O qcow2 "$@" A.raw q.qcow2
    step "qemu -c s1" qemu-img snapshot -c s1 q.qcow2
    step "qemu writes B" qwrite B.raw q.qcow2
    step "qemu -c s2" qemu-img snapshot -c s2 q.qcow2
    step "vemu writes C" vwrite C.raw q.qcow2
    step "check after vemu write" qcheck q.qcow2
    step "reads C" same q.qcow2 C.raw
    step "lists agree" bash -c "cmp <(qemu-img snapshot -l q.qcow2) <('$V' snapshot -l q.qcow2)"
    step "vemu -a s1" "$V" snapshot -a s1 q.qcow2
    step "check after -a s1" qcheck q.qcow2
    step "reads A" same q.qcow2 A.raw
    step "vemu -d s1" "$V" snapshot -d s1 q.qcow2
    step "check after -d s1" qcheck q.qcow2
    step "reads A after -d" same q.qcow2 A.raw
    step "vemu -a s2" "$V" snapshot -a s2 q.qcow2
    step "reads B" same q.qcow2 B.raw
    step "vemu -c s3" "$V" snapshot -c s3 q.qcow2
    step "qemu lists s2 s3" bash -c "qemu-img snapshot -l q.qcow2 | awk 'NR>2{print \$1,\$2}' | tr '\n' ' ' | grep -qx '2 s2 3 s3 '"
    step "qemu -d s2" qemu-img snapshot -d s2 q.qcow2
    step "vemu -d s3" "$V" snapshot -d s3 q.qcow2
    step "check at the end" qcheck q.qcow2
    step "reads B at the end" same q.qcow2 B.raw
    done_test "snap-qemu-$n"
}
snap_qemu v3 -o compat=1.1
snap_qemu v2 -o compat=0.10
snap_qemu zlib -c
snap_qemu zstd -c -o compression_type=zstd
snap_qemu cs4k -o cluster_size=4k

# ---- many snapshots, deleted out of order ----------------------------------
rm -f m.qcow2
step create "$V" create -q -f qcow2 m.qcow2 6M
for i in 1 2 3 4 5; do
    step "write $i" vwrite "$( [ $((i % 2)) = 1 ] && echo A.raw || echo C.raw )" m.qcow2
    step "-c s$i" "$V" snapshot -c "s$i" m.qcow2
done
step "-d s3" "$V" snapshot -d s3 m.qcow2
step "qemu -d s1" qemu-img snapshot -d s1 m.qcow2
step "check" qcheck m.qcow2
step "-a s4" "$V" snapshot -a s4 m.qcow2
step "reads C" same m.qcow2 C.raw
step "-a s5" "$V" snapshot -a s5 m.qcow2
step "reads A" same m.qcow2 A.raw
for i in 2 4 5; do step "-d s$i" "$V" snapshot -d "s$i" m.qcow2; done
step "check at the end" qcheck m.qcow2
step "all clusters back" bash -c "qemu-img check m.qcow2 | grep -q 'No errors'"
done_test snap-many

# ---- errors: messages and exit codes as qemu-img's -------------------------
qemu-img create -q -f qcow2 e.qcow2 1M
qemu-img snapshot -c s1 e.qcow2
cp e.qcow2 e2.qcow2
truncate -s 1M r.raw
err_case() {   # name, args (the image is the last)
    local n=$1; shift
    qemu-img snapshot "$@" >q.out 2>q.err; local qrc=$?
    "$V" snapshot "$@" >v.out 2>v.err; local vrc=$?
    sed -i 's/qemu-img/vemu-img/g' q.err
    if [ $qrc = $vrc ] && cmp -s q.out v.out && cmp -s q.err v.err; then
        pass "snap-err-$n"
    else
        fail "snap-err-$n" "qemu rc=$qrc $(head -c 200 q.err) / vemu rc=$vrc $(head -c 200 v.err)"
    fi
}
err_case apply-missing -a nope e.qcow2
err_case delete-missing -d nope e.qcow2
err_case create-raw -c x r.raw
err_case delete-by-id -d 1 e.qcow2
err_case apply-by-name-missing -a 2 e.qcow2
err_case no-file -c x missing.qcow2
# refcount_bits=1: a second reference does not fit
qemu-img create -q -f qcow2 -o refcount_bits=1 e.qcow2 6M
qemu-img convert -n -O qcow2 A.raw e.qcow2 2>/dev/null
cp e.qcow2 e3.qcow2
err_case create-refcount-overflow -c s e.qcow2
# (qemu-img leaks a cluster here; vemu-img leaves its copy clean)
"$V" snapshot -c s e3.qcow2 2>/dev/null
qcheck e3.qcow2 >/dev/null && pass snap-err-overflow-check-clean || fail snap-err-overflow-check-clean

# ---- resize: the same operation by both tools on copies of an image --------
# Same exit status, output (tool names aside), virtual size and contents;
# `qemu-img check` clean on vemu-img's result.
resize_case() {   # name, image to copy, resize args... (the image is "@")
    local n=$1 src=$2; shift 2
    local ext=${src##*.} args=() a
    cp "$src" "rq.$ext"; cp "$src" "rv.$ext"
    for a in "$@"; do args+=("$a"); done
    qemu-img resize "${args[@]/#@/rq.$ext}" >q.out 2>q.err; local qrc=$?
    "$V" resize "${args[@]/#@/rv.$ext}" >v.out 2>v.err; local vrc=$?
    sed -i "s/qemu-img/vemu-img/g; s/rq\.$ext/rv.$ext/g" q.out q.err
    local fa=(); [ "$ext" = raw ] && fa=(-f raw)
    if [ $qrc != $vrc ] || ! cmp -s q.out v.out || ! cmp -s q.err v.err; then
        fail "resize-$n" "qemu rc=$qrc $(head -c 200 q.err) / vemu rc=$vrc $(head -c 200 v.err)"
    elif [ "$(qemu-img info "${fa[@]}" --output=json "rq.$ext" | grep '"virtual-size"')" != \
           "$(qemu-img info "${fa[@]}" --output=json "rv.$ext" | grep '"virtual-size"')" ]; then
        fail "resize-$n" "virtual sizes differ"
    elif ! qemu-img compare -q "${fa[@]/#-f/-f}" ${fa[@]:+-F raw} "rq.$ext" "rv.$ext"; then
        fail "resize-$n" "contents differ"
    elif [ "$ext" = qcow2 ] && ! qcheck "rv.$ext" >/dev/null; then
        fail "resize-$n" "qemu-img check: $(qemu-img check "rv.$ext" 2>&1 | head -2 | tr '\n' ' ')"
    else
        pass "resize-$n"
    fi
}
qemu-img convert -O qcow2 A.raw r64k.qcow2
qemu-img convert -O qcow2 -o cluster_size=512 A.raw r512.qcow2
qemu-img convert -O qcow2 -c -o compat=0.10,cluster_size=4k A.raw rz.qcow2
qemu-img convert -O qcow2 A.raw rs.qcow2 && qemu-img snapshot -c s1 rs.qcow2 && qwrite B.raw rs.qcow2
resize_case qcow2-grow r64k.qcow2 @ +4M
resize_case qcow2-grow-l1 r64k.qcow2 @ 3G
resize_case qcow2-grow-l1-cs512 r512.qcow2 @ 64M
resize_case qcow2-shrink r64k.qcow2 --shrink @ 3M
resize_case qcow2-shrink-rel-cs512 r512.qcow2 --shrink @ -2500k
resize_case qcow2-shrink-compressed rz.qcow2 --shrink @ 1M
resize_case qcow2-shrink-refused r64k.qcow2 @ 5M
resize_case qcow2-same r64k.qcow2 @ +0
resize_case qcow2-snapshots-grow rs.qcow2 @ 1G
resize_case qcow2-snapshots-shrink rs.qcow2 --shrink @ 2M
resize_case qcow2-quiet r64k.qcow2 -q @ 7M
resize_case raw-grow A.raw -f raw @ 10M
resize_case raw-shrink A.raw -f raw --shrink @ -3M
resize_case raw-shrink-refused A.raw -f raw @ 1M
resize_case err-negative A.raw -f raw @ -100M
resize_case err-bad-size A.raw -f raw @ 1Q
resize_case err-no-size A.raw @
# the shrunk image with a snapshot goes back to the snapshot's size and data
cp rs.qcow2 rs2.qcow2
step shrink "$V" resize --shrink rs2.qcow2 1M
step "vemu -a s1" "$V" snapshot -a s1 rs2.qcow2
step "reads A" same rs2.qcow2 A.raw
step "check" qcheck rs2.qcow2
step "qemu -d s1" qemu-img snapshot -d s1 rs2.qcow2
step "check after -d" qcheck rs2.qcow2
done_test resize-snapshot-apply

# ---- rebase and commit: the same operation by both tools -------------------
qemu-img convert -O qcow2 A.raw base1.qcow2
qemu-img convert -O qcow2 C.raw base2.qcow2
cp C.raw base2.raw
# an overlay over base1 that reads as B (only the differences allocated)
qemu-img convert -O qcow2 -B base1.qcow2 -F qcow2 B.raw ov.qcow2
qemu-img convert -O qcow2 -o compat=0.10,cluster_size=4k -B base1.qcow2 -F qcow2 B.raw ov2.qcow2
# same_result NAME EXPECT(raw or "") IMAGE-SUFFIX -- tool args with @ for the image
backing_of() { qemu-img info --output=json "$1" | grep '"backing-filename"' ; }
same_result() {   # name, expected contents ("" = compare the two results only), source image, args...
    local n=$1 expect=$2 src=$3; shift 3
    cp "$src" xq.qcow2; cp "$src" xv.qcow2
    qemu-img "${@/#@/xq.qcow2}" >q.out 2>q.err; local qrc=$?
    "$V" "${@/#@/xv.qcow2}" >v.out 2>v.err; local vrc=$?
    sed -i "s/qemu-img/vemu-img/g; s/xq\.qcow2/xv.qcow2/g" q.out q.err
    if [ $qrc != $vrc ] || ! cmp -s q.out v.out || ! cmp -s q.err v.err; then
        fail "$n" "qemu rc=$qrc $(head -c 200 q.err) / vemu rc=$vrc $(head -c 200 v.err)"
    elif [ "$(backing_of xq.qcow2)" != "$(backing_of xv.qcow2)" ]; then
        fail "$n" "backing files differ: $(backing_of xq.qcow2) / $(backing_of xv.qcow2)"
    elif ! qemu-img compare -q xq.qcow2 xv.qcow2; then
        fail "$n" "contents differ from qemu-img's result"
    elif [ -n "$expect" ] && ! same xv.qcow2 "$expect"; then
        fail "$n" "contents are not $expect"
    elif ! qcheck xv.qcow2 >/dev/null; then
        fail "$n" "qemu-img check: $(qemu-img check xv.qcow2 2>&1 | head -2 | tr '\n' ' ')"
    else
        pass "$n"
    fi
}
same_result rebase-safe B.raw ov.qcow2 rebase -b base2.qcow2 -F qcow2 @
same_result rebase-safe-v2-cs4k B.raw ov2.qcow2 rebase -b base2.qcow2 -F qcow2 @
same_result rebase-safe-raw B.raw ov.qcow2 rebase -b base2.raw -F raw @
same_result rebase-safe-none B.raw ov.qcow2 rebase -b "" @
same_result rebase-unsafe "" ov.qcow2 rebase -u -b base2.qcow2 -F qcow2 @
same_result rebase-same B.raw ov.qcow2 rebase -b base1.qcow2 -F qcow2 @
same_result rebase-err-no-b "" ov.qcow2 rebase @
same_result rebase-err-no-F "" ov.qcow2 rebase -b base2.qcow2 @
same_result commit-err-no-backing "" base1.qcow2 commit @


# commit: each tool commits its own copy of an overlay into its own copy of the base
commit_case() {   # name, base image, base format, overlay options, commit args
    local n=$1 base=$2 bf=$3 oo=$4; shift 4
    local ext=${base##*.}
    cp "$base" "cbq.$ext"; cp "$base" "cbv.$ext"
    rm -f coq.qcow2 cov.qcow2
    qemu-img convert -O qcow2 $oo -B "cbq.$ext" -F "$bf" B.raw coq.qcow2
    qemu-img convert -O qcow2 $oo -B "cbv.$ext" -F "$bf" B.raw cov.qcow2
    qemu-img commit "$@" coq.qcow2 >q.out 2>q.err; local qrc=$?
    "$V" commit "$@" cov.qcow2 >v.out 2>v.err; local vrc=$?
    sed -i "s/qemu-img/vemu-img/g; s/coq/cov/g; s/cbq/cbv/g" q.out q.err
    if [ $qrc != $vrc ] || ! cmp -s q.out v.out || ! cmp -s q.err v.err; then
        fail "commit-$n" "qemu rc=$qrc $(head -c 200 q.err) / vemu rc=$vrc $(head -c 200 v.err)"
    elif ! qemu-img compare -q -f "$bf" -F raw "cbv.$ext" B.raw; then
        fail "commit-$n" "the base does not read as B"
    elif ! qemu-img compare -q cov.qcow2 B.raw; then
        fail "commit-$n" "the overlay does not read as B"
    elif [ "$bf" = qcow2 ] && ! qcheck "cbv.$ext" >/dev/null; then
        fail "commit-$n" "qemu-img check on the base"
    elif ! qcheck cov.qcow2 >/dev/null; then
        fail "commit-$n" "qemu-img check on the overlay"
    elif [ "$(qemu-img map --output=json coq.qcow2 | grep -c '"depth": 0')" != \
           "$(qemu-img map --output=json cov.qcow2 | grep -c '"depth": 0')" ]; then
        fail "commit-$n" "the overlay's own allocation differs from qemu-img's result"
    else
        pass "commit-$n"
    fi
}
commit_case qcow2 base1.qcow2 qcow2 ""
commit_case qcow2-v2-cs4k base1.qcow2 qcow2 "-o compat=0.10,cluster_size=4k"
commit_case raw A.raw raw ""
commit_case drop base1.qcow2 qcow2 "" -d
commit_case quiet base1.qcow2 qcow2 "" -q

# ---- hostile snapshot tables: a message and exit 1, never a crash ----------
qemu-img create -q -f qcow2 h.qcow2 1M && qemu-img snapshot -c s1 h.qcow2
so=$(od -An -tu8 --endian=big -j64 -N8 h.qcow2 | tr -d ' ')
hostile() {   # name, byte offset, hex bytes, operation
    cp h.qcow2 "$1.qcow2"
    printf "$3" | dd of="$1.qcow2" bs=1 seek="$2" conv=notrunc 2>/dev/null
    "$V" snapshot $4 "$1.qcow2" >/dev/null 2>hh.err; local rc=$?
    if [ $rc = 1 ] && [ -s hh.err ]; then pass "snap-hostile-$1"; else fail "snap-hostile-$1" "exit $rc"; fi
}
hostile l1-past-end "$so" '\x00\x00\x00\x00\x7f\xff\x00\x00' "-a s1"
hostile l1-huge $((so + 8)) '\xff\xff\xff\xff' "-d s1"
hostile extra-huge $((so + 36)) '\x00\xff\xff\xff' "-a s1"
hostile count-huge 60 '\x00\x00\xc3\x50' "-c s2"

# ---- amend: compat and lazy_refcounts, as qemu-img does them ---------------
qemu-img convert -O qcow2 -o compat=0.10 A.raw am2.qcow2
qemu-img convert -O qcow2 -o compat=1.1 A.raw am3.qcow2
qemu-img create -q -f qcow2 -o compat=1.1 amz.qcow2 6M
qemu-img convert -n -O qcow2 B.raw amz.qcow2   # zero clusters in a v3 image
info_fields() { qemu-img info "$1" | grep -E 'compat|lazy|virtual size'; }
amend_case() {   # name, image, args...
    local n=$1 src=$2; shift 2
    cp "$src" aq.qcow2; cp "$src" av.qcow2
    qemu-img amend "$@" aq.qcow2 >q.out 2>q.err; local qrc=$?
    "$V" amend "$@" av.qcow2 >v.out 2>v.err; local vrc=$?
    sed -i "s/qemu-img/vemu-img/g; s/aq\.qcow2/av.qcow2/g" q.out q.err
    if [ $qrc != $vrc ] || ! cmp -s q.out v.out || ! cmp -s q.err v.err; then
        fail "amend-$n" "qemu rc=$qrc $(head -c 200 q.err) / vemu rc=$vrc $(head -c 200 v.err)"
    elif [ "$(info_fields aq.qcow2)" != "$(info_fields av.qcow2)" ]; then
        fail "amend-$n" "info differs: $(info_fields av.qcow2 | tr '\n' ' ')"
    elif ! qemu-img compare -q aq.qcow2 av.qcow2 || ! qcheck av.qcow2 >/dev/null; then
        fail "amend-$n" "contents or check"
    else
        pass "amend-$n"
    fi
}
amend_case upgrade am2.qcow2 -o compat=1.1
amend_case downgrade am3.qcow2 -o compat=0.10
amend_case lazy-on am3.qcow2 -o lazy_refcounts=on
amend_case lazy-off-downgrade am3.qcow2 -o lazy_refcounts=off,compat=0.10
amend_case err-lazy-v2 am2.qcow2 -o lazy_refcounts=on
amend_case err-no-options am3.qcow2
amend_case err-unknown am3.qcow2 -o foo=1
amend_case err-create-only am3.qcow2 -o cluster_size=4k
# downgrading with zero clusters expands them first (tests/block has more)
amend_case downgrade-zero amz.qcow2 -o compat=0.10
