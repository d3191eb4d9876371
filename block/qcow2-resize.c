/*
 * qcow2-resize.c — changing a qcow2 image's virtual size.
 *
 * Growing: when the L1 table is too small for the new size, a bigger copy
 * is written to new clusters (with everything it points to already on
 * disk) and one header write switches to it and to the new size; the old
 * table is freed afterwards.  Otherwise only the size in the header changes.
 * Shrinking: the clusters past the new end are unmapped first (through the
 * ordinary L2 update path, so tables shared with snapshots are copied), L2
 * tables wholly past the end are dropped from the L1 table, the metadata is
 * flushed in the usual order, and only then does the header get the new
 * size.  A crash at any point leaves the old size with at most leaks.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int qcow2_grow_l1(BlockDriverState *bs, uint32_t new_l1_size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t bytes = qcow2_align_up((uint64_t)new_l1_size * 8, s->cluster_size);
    if ((uint64_t)new_l1_size * 8 > QCOW2_MAX_L1_BYTES) {
        return -EFBIG;
    }
    int ret = qcow2_flush_metadata(bs);
    if (ret < 0) {
        return ret;
    }
    int64_t host = qcow2_alloc_clusters(bs, bytes >> s->cluster_bits);
    if (host < 0) {
        return (int)host;
    }
    uint64_t *l1 = calloc(new_l1_size, sizeof(uint64_t));
    uint8_t *buf = calloc(1, bytes);
    memcpy(l1, s->l1_table, (size_t)s->l1_size * 8);
    for (uint32_t i = 0; i < new_l1_size; i++) {
        be64_put(buf + i * 8, l1[i]);
    }
    ret = bdrv_pwrite(bs->file, (uint64_t)host, buf, bytes);
    free(buf);
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);   /* the new table's refcount */
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        free(l1);
        return ret;
    }
    uint64_t old_off = s->l1_table_offset, *old = s->l1_table;
    uint32_t old_size = s->l1_size;
    s->l1_table = l1;
    s->l1_table_offset = (uint64_t)host;
    s->l1_size = new_l1_size;
    s->l1_dirty_lo = s->l1_dirty_hi = 0;
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->l1_table = old;
        s->l1_table_offset = old_off;
        s->l1_size = old_size;
        free(l1);
        return ret;
    }
    free(old);
    if (old_size) {
        qcow2_free_later(bs, old_off, (uint64_t)old_size * 8);
    }
    return qcow2_flush_metadata(bs);
}

static int unmap_tail(BlockDriverState *bs, uint64_t new_size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t end = qcow2_align_up(s->size, s->cluster_size);
    for (uint64_t off = qcow2_align_up(new_size, s->cluster_size); off < end; off += s->cluster_size) {
        uint64_t e;
        int ret = qcow2_get_l2_entry(bs, off, &e);
        if (ret < 0) {
            return ret;
        }
        if (!e) {
            continue;
        }
        if ((ret = qcow2_set_l2_entry(bs, off, 0)) < 0) {
            return ret;
        }
        if (e & QCOW2_OFLAG_COMPRESSED) {
            uint64_t o, b;
            qcow2_compressed_range(s, e, &o, &b);
            qcow2_free_later(bs, o, b);
        } else if (e & QCOW2_L2E_OFFSET_MASK) {
            qcow2_free_later(bs, e & QCOW2_L2E_OFFSET_MASK, s->cluster_size);
        }
    }
    /* L2 tables that now map nothing inside the disk */
    uint64_t per_l2 = (uint64_t)s->cluster_size << s->l2_bits;
    for (uint64_t i = (new_size + per_l2 - 1) / per_l2; i < s->l1_size; i++) {
        uint64_t l2 = s->l1_table[i] & QCOW2_L1E_OFFSET_MASK;
        if (l2) {
            s->l1_table[i] = 0;
            qcow2_l1_mark_dirty(s, (uint32_t)i);
            qcow2_free_later(bs, l2, s->cluster_size);
        }
    }
    s->cached_compressed = 0;
    return qcow2_flush_metadata(bs);
}

int qcow2_truncate(BlockDriverState *bs, uint64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t per_l2 = (uint64_t)s->cluster_size << s->l2_bits;
    uint64_t l1_needed = (size + per_l2 - 1) / per_l2;
    int ret;
    if (size & 511) {
        return -EINVAL;
    }
    if (size < s->size) {
        ret = unmap_tail(bs, size);
    } else if (l1_needed > s->l1_size) {
        ret = l1_needed > UINT32_MAX ? -EFBIG : qcow2_grow_l1(bs, (uint32_t)l1_needed);
    } else {
        ret = 0;
    }
    if (ret < 0) {
        return ret;
    }
    if ((ret = bdrv_flush(bs->file)) < 0) {
        return ret;
    }
    uint64_t old = s->size;
    s->size = size;
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->size = old;
    }
    return ret;
}
