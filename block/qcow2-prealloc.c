/*
 * qcow2-prealloc.c — preallocating a range of the virtual disk of an open
 * image (resize --preallocation): every guest cluster of the range that is
 * unallocated gets a fresh host cluster, so later writes need no
 * allocation (over a backing file too, as in qemu-img: the range is new
 * disk space, read as zeroes from then on).  The clusters are allocated (refcounts raised) and, for
 * falloc/full, reserved or zeroed in the file before the L2 entries point
 * to them; the metadata flush then writes refcounts, L2 and L1 tables in
 * the usual order, so a crash leaves leaked clusters at most.
 *
 * Creating an image with preallocation= is the same over the whole disk,
 * except that with subclusters (extended L2) the clusters are reserved
 * while every subcluster stays unallocated, reading the backing file or
 * zeroes, as qemu-img does (qcow2_preallocate_ext with alloc_subclusters
 * false); a resized range is new disk space and its subclusters are
 * allocated (the file reads zeroes there).
 */
#include "block/qcow2.h"

#include <errno.h>
#include <string.h>

int qcow2_preallocate(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode)
{
    return qcow2_preallocate_ext(bs, offset, bytes, mode, true);
}

int qcow2_preallocate_ext(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode,
                          bool alloc_subclusters)
{
    BDRVQcow2State *s = bs->opaque;
    bool falloc = !strcmp(mode, "falloc"), full = !strcmp(mode, "full");
    if (!falloc && !full && strcmp(mode, "metadata")) {
        return -ENOTSUP;
    }
    if (!bytes) {
        return 0;
    }
    uint64_t first = offset >> s->cluster_bits;
    uint64_t end = qcow2_align_up(offset + bytes, s->cluster_size) >> s->cluster_bits;
    int ret = 0;
    for (uint64_t c = first; c < end && ret == 0;) {
        /* a run of unallocated clusters, at most 256 at a time */
        uint64_t entry;
        if ((ret = qcow2_get_l2_entry(bs, c << s->cluster_bits, &entry)) < 0) {
            break;
        }
        if (entry) {
            c++;
            continue;
        }
        uint64_t k = 1;
        while (c + k < end && k < 256) {
            if ((ret = qcow2_get_l2_entry(bs, (c + k) << s->cluster_bits, &entry)) < 0 || entry) {
                break;
            }
            k++;
        }
        if (ret < 0) {
            break;
        }
        int64_t host = qcow2_alloc_clusters(bs, k);
        if (host < 0) {
            ret = (int)host;
            break;
        }
        uint64_t len = k << s->cluster_bits;
        /* the file covers the new clusters (holes) before anything maps them */
        int64_t flen = bdrv_getlength(bs->file);
        if (flen < 0) {
            ret = (int)flen;
        } else if ((uint64_t)flen < (uint64_t)host + len) {
            ret = bdrv_truncate(bs->file, (uint64_t)host + len);
        }
        if (ret == 0 && (falloc || full)) {
            ret = bdrv_preallocate(bs->file, (uint64_t)host, len, mode);
        }
        for (uint64_t i = 0; i < k && ret == 0; i++) {
            uint64_t guest = (c + i) << s->cluster_bits;
            uint64_t e = ((uint64_t)host + (i << s->cluster_bits)) | QCOW2_OFLAG_COPIED;
            ret = alloc_subclusters ? qcow2_set_l2_entry(bs, guest, e) : qcow2_set_l2_entry_ext(bs, guest, e, 0);
        }
        c += k;
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    /* the file ends after the last allocated cluster, as after creation */
    uint64_t alloc_end = s->alloc_end << s->cluster_bits;
    int64_t flen = bdrv_getlength(bs->file);
    if (ret == 0 && flen >= 0 && (uint64_t)flen < alloc_end) {
        ret = bdrv_truncate(bs->file, alloc_end);
    }
    return ret;
}
