/*
 * qcow2-cluster.c — mapping guest clusters to host clusters: L1/L2 lookup
 * through the L2 cache, L2 table allocation, and reading one guest cluster
 * whatever it maps to (data, zeroes, compressed data, the backing file).
 */
#include "block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int l2_table_for(BlockDriverState *bs, uint64_t guest_offset, uint64_t *l2_offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = guest_offset >> (s->cluster_bits + s->l2_bits);
    *l2_offset = 0;
    if (l1_index >= s->l1_size) {
        return -EIO;
    }
    uint64_t l2 = s->l1_table[l1_index] & QCOW2_L1E_OFFSET_MASK;
    if (l2 & (s->cluster_size - 1)) {
        return -EIO;    /* misaligned L2 table: corrupt image */
    }
    *l2_offset = l2;
    return 0;
}

int qcow2_get_l2_entry_ext(BlockDriverState *bs, uint64_t guest_offset, uint64_t *entry,
                           uint64_t *bitmap)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l2_offset;
    uint8_t *table;
    *entry = 0;
    *bitmap = 0;
    int ret = l2_table_for(bs, guest_offset, &l2_offset);
    if (ret < 0 || !l2_offset) {
        return ret;
    }
    ret = qcow2_cache_get(s->l2_cache, l2_offset, true, &table);
    if (ret < 0) {
        return ret;
    }
    uint64_t l2_index = (guest_offset >> s->cluster_bits) & (s->l2_size - 1);
    *entry = be64_get(table + l2_index * s->l2_entry_bytes);
    if (s->extended_l2) {
        *bitmap = be64_get(table + l2_index * s->l2_entry_bytes + 8);
    }
    return 0;
}

int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t guest_offset, uint64_t *entry)
{
    uint64_t bitmap;
    return qcow2_get_l2_entry_ext(bs, guest_offset, entry, &bitmap);
}

int qcow2_subcluster_type(const BDRVQcow2State *s, uint64_t entry, uint64_t bitmap, int sc)
{
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        return bitmap ? -EIO : QCOW2_SC_COMPRESSED;
    }
    bool alloc = (bitmap >> sc) & 1, zero = (bitmap >> (32 + sc)) & 1;
    if ((alloc && zero) || (alloc && !(entry & QCOW2_L2E_OFFSET_MASK))) {
        return -EIO;    /* both bits, or data without a host cluster: corrupt */
    }
    (void)s;
    return alloc ? QCOW2_SC_DATA : zero ? QCOW2_SC_ZERO : QCOW2_SC_UNALLOCATED;
}

void qcow2_l1_mark_dirty(BDRVQcow2State *s, uint32_t l1_index)
{
    if (s->l1_dirty_lo >= s->l1_dirty_hi) {
        s->l1_dirty_lo = l1_index;
        s->l1_dirty_hi = l1_index + 1;
    } else {
        if (l1_index < s->l1_dirty_lo) {
            s->l1_dirty_lo = l1_index;
        }
        if (l1_index >= s->l1_dirty_hi) {
            s->l1_dirty_hi = l1_index + 1;
        }
    }
}

int qcow2_set_l2_entry(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t bitmap = 0;
    if (s->extended_l2 && !(entry & QCOW2_OFLAG_COMPRESSED)) {
        if (entry & QCOW2_OFLAG_ZERO) {
            entry &= ~QCOW2_OFLAG_ZERO;
            bitmap = QCOW2_L2_BITMAP_ALL_ZERO;
        } else if (entry & QCOW2_L2E_OFFSET_MASK) {
            bitmap = QCOW2_L2_BITMAP_ALL_ALLOC;
        }
    }
    return qcow2_set_l2_entry_ext(bs, guest_offset, entry, bitmap);
}

int qcow2_set_l2_entry_ext(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry,
                           uint64_t bitmap)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = guest_offset >> (s->cluster_bits + s->l2_bits);
    uint64_t l2_offset;
    uint8_t *table;
    int ret = l2_table_for(bs, guest_offset, &l2_offset);
    if (ret < 0) {
        return ret;
    }
    if (l2_offset && !(s->l1_table[l1_index] & QCOW2_OFLAG_COPIED)) {
        /* An L2 table shared with a snapshot: copy it first.  The copy
         * references the same clusters, whose counts already include the
         * snapshot's path, so only the table itself changes hands: the new
         * one is on disk before the L1 entry (flush order), and the old
         * one loses this reference once the L1 entry is written. */
        uint8_t *copy = malloc(s->cluster_size);
        ret = qcow2_cache_get(s->l2_cache, l2_offset, true, &table);
        if (ret < 0) {
            free(copy);
            return ret;
        }
        memcpy(copy, table, s->cluster_size);
        int64_t off = qcow2_alloc_clusters(bs, 1);
        if (off < 0) {
            free(copy);
            return (int)off;
        }
        ret = qcow2_cache_get(s->l2_cache, (uint64_t)off, false, &table);
        if (ret < 0) {
            free(copy);
            return ret;
        }
        memcpy(table, copy, s->cluster_size);
        free(copy);
        qcow2_cache_mark_dirty(s->l2_cache, table);
        qcow2_free_later(bs, l2_offset, s->cluster_size);
        s->l1_table[l1_index] = (uint64_t)off | QCOW2_OFLAG_COPIED;
        qcow2_l1_mark_dirty(s, (uint32_t)l1_index);
        l2_offset = (uint64_t)off;
    }
    if (!l2_offset) {
        int64_t off = qcow2_alloc_clusters(bs, 1);
        if (off < 0) {
            return (int)off;
        }
        l2_offset = (uint64_t)off;
        /* a new, all-unallocated table; on disk before the L1 entry (flush order) */
        ret = qcow2_cache_get(s->l2_cache, l2_offset, false, &table);
        if (ret < 0) {
            return ret;
        }
        s->l1_table[l1_index] = l2_offset | QCOW2_OFLAG_COPIED;
        qcow2_l1_mark_dirty(s, (uint32_t)l1_index);
    }
    ret = qcow2_cache_get(s->l2_cache, l2_offset, true, &table);
    if (ret < 0) {
        return ret;
    }
    uint64_t l2_index = (guest_offset >> s->cluster_bits) & (s->l2_size - 1);
    be64_put(table + l2_index * s->l2_entry_bytes, entry);
    if (s->extended_l2) {
        be64_put(table + l2_index * s->l2_entry_bytes + 8, bitmap);
    }
    qcow2_cache_mark_dirty(s->l2_cache, table);
    return 0;
}

void qcow2_compressed_range(BDRVQcow2State *s, uint64_t entry, uint64_t *offset, uint64_t *bytes)
{
    int x = 62 - (s->cluster_bits - 8);
    uint64_t off = entry & ((1ull << x) - 1);
    uint64_t sectors = ((entry >> x) & ((1ull << (s->cluster_bits - 8)) - 1)) + 1;
    *offset = off;
    *bytes = sectors * 512 - (off & 511);
}

static int read_compressed(BlockDriverState *bs, uint64_t entry)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off, bytes;
    if (s->cached_compressed == entry) {
        return 0;
    }
    qcow2_compressed_range(s, entry, &off, &bytes);
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        return (int)flen;
    }
    /* the last sector may be short at the end of the file */
    if (off >= (uint64_t)flen) {
        return -EIO;
    }
    if (off + bytes > (uint64_t)flen) {
        bytes = (uint64_t)flen - off;
    }
    int ret = bdrv_pread(bs->file, off, s->cluster_data, bytes);
    if (ret < 0) {
        return ret;
    }
    s->cached_compressed = 0;
    ret = qcow2_decompress(s->compression_type, s->cluster_buf, s->cluster_size,
                           s->cluster_data, bytes);
    if (ret < 0) {
        return -EIO;
    }
    s->cached_compressed = entry;
    return 0;
}

/* Reads [guest_offset, +len) of one cluster (or subcluster) that is
 * unallocated in this layer: the backing file, zeroes past its end. */
static int read_backing(BlockDriverState *bs, uint64_t guest_offset, uint8_t *buf, uint64_t len)
{
    int64_t blen = bs->backing ? bdrv_getlength(bs->backing) : 0;
    uint64_t n = 0;
    if (blen > 0 && guest_offset < (uint64_t)blen) {
        n = (uint64_t)blen - guest_offset < len ? (uint64_t)blen - guest_offset : len;
        int ret = bdrv_pread(bs->backing, guest_offset, buf, n);
        if (ret < 0) {
            return ret;
        }
    }
    memset(buf + n, 0, len - n);   /* past the backing file's end: zeroes */
    return 0;
}

/* Extended L2: subcluster by subcluster, runs of one type in one request. */
static int read_subclusters(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry,
                            uint64_t bitmap, uint8_t *buf, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t host = entry & QCOW2_L2E_OFFSET_MASK;
    uint64_t in = guest_offset & (s->cluster_size - 1);
    if (host & (s->cluster_size - 1)) {
        return -EIO;
    }
    uint64_t done = 0;
    while (done < len) {
        int sc = (int)((in + done) >> s->subcluster_bits);
        int type = qcow2_subcluster_type(s, entry, bitmap, sc);
        if (type < 0) {
            return type;
        }
        /* extend over following subclusters of the same type */
        uint64_t end = (uint64_t)(sc + 1) << s->subcluster_bits;
        while (end < in + len && end < s->cluster_size &&
               qcow2_subcluster_type(s, entry, bitmap, (int)(end >> s->subcluster_bits)) == type) {
            end += s->subcluster_size;
        }
        uint64_t n = (end < in + len ? end : in + len) - (in + done);
        int ret = 0;
        if (type == QCOW2_SC_DATA) {
            ret = bdrv_pread(bs->file, host + in + done, buf + done, n);
        } else if (type == QCOW2_SC_ZERO) {
            memset(buf + done, 0, n);
        } else {
            ret = read_backing(bs, guest_offset + done, buf + done, n);
        }
        if (ret < 0) {
            return ret;
        }
        done += n;
    }
    return 0;
}

int qcow2_read_cluster(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry,
                       uint64_t bitmap, uint8_t *buf, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in_cluster = guest_offset & (s->cluster_size - 1);

    if (entry & QCOW2_OFLAG_COMPRESSED) {
        if (bitmap) {
            return -EIO;   /* extended L2: a compressed cluster has no subclusters */
        }
        int ret = read_compressed(bs, entry);
        if (ret < 0) {
            return ret;
        }
        memcpy(buf, s->cluster_buf + in_cluster, len);
        return 0;
    }
    if (s->extended_l2) {
        return read_subclusters(bs, guest_offset, entry, bitmap, buf, len);
    }
    if (qcow2_zero_flag(s, entry)) {
        memset(buf, 0, len);
        return 0;
    }
    uint64_t host = entry & QCOW2_L2E_OFFSET_MASK;
    if (!host) {
        return read_backing(bs, guest_offset, buf, len);
    }
    if (host & (s->cluster_size - 1)) {
        return -EIO;
    }
    return bdrv_pread(bs->file, host + in_cluster, buf, len);
}
