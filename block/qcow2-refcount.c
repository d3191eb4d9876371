/*
 * qcow2-refcount.c — cluster reference counts and cluster allocation.
 *
 * The refcount table (contiguous clusters at refcount_table_offset) points
 * to refcount blocks; a block holds 2^refblock_bits entries of
 * refcount_bits (1..64) each.  A cluster is free when its refcount is 0.
 *
 * Crash safety (docs/block.md): a refcount is raised before anything that
 * references the cluster is written, and lowered only after the last
 * reference to it is on disk (qcow2_free_later, applied by
 * qcow2_flush_metadata).  So on-disk refcounts are never below the real
 * number of references; a crash can only leak clusters.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t qcow2_refblock_get(const uint8_t *block, int refcount_order, uint64_t index)
{
    switch (refcount_order) {
    case 3: return block[index];
    case 4: return be16_get(block + index * 2);
    case 5: return be32_get(block + index * 4);
    case 6: return be64_get(block + index * 8);
    default: {
        /* 1, 2 or 4 bits: entries fill each byte from its least significant bit */
        int bits = 1 << refcount_order;
        int per_byte = 8 >> refcount_order;
        int shift = (int)(index % per_byte) * bits;
        return (block[index / per_byte] >> shift) & ((1u << bits) - 1);
    }
    }
}

void qcow2_refblock_set(uint8_t *block, int refcount_order, uint64_t index, uint64_t value)
{
    switch (refcount_order) {
    case 3: block[index] = (uint8_t)value; break;
    case 4: block[index * 2] = (uint8_t)(value >> 8); block[index * 2 + 1] = (uint8_t)value; break;
    case 5: be32_put(block + index * 4, (uint32_t)value); break;
    case 6: be64_put(block + index * 8, value); break;
    default: {
        int bits = 1 << refcount_order;
        int per_byte = 8 >> refcount_order;
        int shift = (int)(index % per_byte) * bits;
        uint8_t mask = (uint8_t)(((1u << bits) - 1) << shift);
        block[index / per_byte] = (uint8_t)((block[index / per_byte] & ~mask) | ((value << shift) & mask));
        break;
    }
    }
}

static int cache_read(void *opaque, uint64_t offset, void *buf, size_t len)
{
    BlockDriverState *bs = opaque;
    return bdrv_pread(bs->file, offset, buf, len);
}

static int cache_write(void *opaque, uint64_t offset, const void *buf, size_t len)
{
    BlockDriverState *bs = opaque;
    return bdrv_pwrite(bs->file, offset, buf, len);
}

static int l2_make_room(void *opaque)
{
    return qcow2_flush_metadata(opaque);
}

static int refblock_make_room(void *opaque)
{
    BlockDriverState *bs = opaque;
    BDRVQcow2State *s = bs->opaque;
    return qcow2_cache_write_dirty(s->refblock_cache);
}

int qcow2_refcount_init(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    /* L2 cache: 1 MiB of tables, at least 4.  VEMU_QCOW2_L2_CACHE (bytes)
     * overrides the size: the crash tests shrink it so that metadata is
     * written back (in its crash-safe order) all through a run. */
    uint64_t l2_bytes = 1u << 20;
    const char *env = getenv("VEMU_QCOW2_L2_CACHE");
    if (env && parse_size(env, 1, &l2_bytes) < 0) {
        l2_bytes = 1u << 20;
    }
    int n_l2 = (int)(l2_bytes / s->cluster_size);
    Qcow2CacheIO l2io = { cache_read, cache_write, l2_make_room, bs };
    Qcow2CacheIO rbio = { cache_read, cache_write, refblock_make_room, bs };
    s->l2_cache = qcow2_cache_new(n_l2 < 4 ? 4 : n_l2, s->cluster_size, &l2io);
    int n_rb = (int)((256u << 10) / s->cluster_size);
    s->refblock_cache = qcow2_cache_new(n_rb < 4 ? 4 : n_rb, s->cluster_size, &rbio);
    int64_t len = bdrv_getlength(bs->file);
    if (len < 0) {
        return (int)len;
    }
    s->alloc_end = qcow2_align_up((uint64_t)len, s->cluster_size) >> s->cluster_bits;
    s->free_cluster_index = 0;
    return 0;
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t rt_index = cluster_index >> s->refblock_bits;
    *refcount = 0;
    if (rt_index >= s->refcount_table_size) {
        return 0;
    }
    uint64_t rb = s->refcount_table[rt_index] & QCOW2_L1E_OFFSET_MASK;
    if (!rb) {
        return 0;
    }
    if (rb & (s->cluster_size - 1)) {
        return -EIO;
    }
    uint8_t *block;
    int r = qcow2_cache_get(s->refblock_cache, rb, true, &block);
    if (r < 0) {
        return r;
    }
    *refcount = qcow2_refblock_get(block, s->refcount_order,
                                   cluster_index & ((1ull << s->refblock_bits) - 1));
    return 0;
}

static int write_reftable_entry(BlockDriverState *bs, uint64_t rt_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t buf[8];
    if (s->reftable_growing) {
        return 0;   /* the whole new table is written when it is complete */
    }
    be64_put(buf, s->refcount_table[rt_index]);
    return bdrv_pwrite(bs->file, s->refcount_table_offset + rt_index * 8, buf, 8);
}

static int grow_reftable(BlockDriverState *bs, uint64_t min_entries);

/* Creates the refcount block for table slot rt_index at the end of the
 * image.  The block is on disk (and flushed) before the table points to it. */
static int alloc_refblock(BlockDriverState *bs, uint64_t rt_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t r_cluster = s->alloc_end++;
    uint64_t r_off = r_cluster << s->cluster_bits;
    uint8_t *block;
    bool covers_itself = (r_cluster >> s->refblock_bits) == rt_index;

    int ret = qcow2_cache_get(s->refblock_cache, r_off, false, &block);
    if (ret < 0) {
        return ret;
    }
    if (covers_itself) {
        qcow2_refblock_set(block, s->refcount_order,
                           r_cluster & ((1ull << s->refblock_bits) - 1), 1);
    }
    qcow2_cache_mark_dirty(s->refblock_cache, block);
    /* lazy refcounts: only the new block, the others may stay behind */
    ret = qcow2_lazy_refcounts(s) ? qcow2_cache_write_table(s->refblock_cache, r_off)
                                  : qcow2_cache_write_dirty(s->refblock_cache);
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        return ret;
    }
    s->refcount_table[rt_index] = r_off;
    ret = write_reftable_entry(bs, rt_index);
    if (ret < 0 || covers_itself) {
        return ret;
    }
    /* the block lives in a range another block counts */
    return qcow2_update_refcount(bs, r_off, s->cluster_size, 1);
}

/* Adds delta to the refcount of cluster ci, or with set_to stores *set_to
 * (delta then only says whether a missing refcount block may be made). */
static int change_one(BlockDriverState *bs, uint64_t ci, int delta, const uint64_t *set_to)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t rt_index = ci >> s->refblock_bits;
    int ret;

    if (rt_index >= s->refcount_table_size) {
        if (delta < 0) {
            return -EIO;    /* freeing a cluster no block counts: corrupt */
        }
        ret = grow_reftable(bs, rt_index + 1);
        if (ret < 0) {
            return ret;
        }
    }
    if (!(s->refcount_table[rt_index] & QCOW2_L1E_OFFSET_MASK)) {
        if (delta < 0) {
            return -EIO;
        }
        ret = alloc_refblock(bs, rt_index);
        if (ret < 0) {
            return ret;
        }
    }
    uint64_t rb = s->refcount_table[rt_index] & QCOW2_L1E_OFFSET_MASK;
    uint8_t *block;
    ret = qcow2_cache_get(s->refblock_cache, rb, true, &block);
    if (ret < 0) {
        return ret;
    }
    uint64_t idx = ci & ((1ull << s->refblock_bits) - 1);
    uint64_t v = qcow2_refblock_get(block, s->refcount_order, idx);
    if (set_to) {
        v = *set_to;
    } else if ((delta < 0 && v == 0) || (delta > 0 && v == s->refcount_max)) {
        return delta < 0 ? -EIO : -ERANGE;
    } else {
        v += delta;
    }
    qcow2_refblock_set(block, s->refcount_order, idx, v);
    qcow2_cache_mark_dirty(s->refblock_cache, block);
    if (v == 0) {
        if (ci < s->free_cluster_index) {
            s->free_cluster_index = ci;
        }
        /* a freed L2 table must not be served from the cache later */
        qcow2_cache_drop(s->l2_cache, ci << s->cluster_bits);
    }
    return 0;
}

static int update_one(BlockDriverState *bs, uint64_t ci, int delta)
{
    return change_one(bs, ci, delta, NULL);
}

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    if (!bytes) {
        return 0;
    }
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + bytes - 1) >> s->cluster_bits;
    for (uint64_t ci = first; ci <= last; ci++) {
        int ret = update_one(bs, ci, delta);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

int qcow2_set_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t value)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cur;
    int ret = qcow2_get_refcount(bs, cluster_index, &cur);
    if (ret < 0) {
        return ret;
    }
    if (value > s->refcount_max) {
        return -ERANGE;
    }
    if (cur == value) {
        return 0;
    }
    /* stored at once: a corrupt count may be 2^64-1 away from the right one */
    return change_one(bs, cluster_index, cur < value ? 1 : -1, &value);
}

/* A bigger refcount table at the end of the image.  The new table and the
 * blocks it needs for its own clusters are written and flushed before the
 * header points to it; the old table is freed after that. */
static int grow_reftable(BlockDriverState *bs, uint64_t min_entries)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->reftable_growing) {
        return -EFBIG;    /* headroom too small: never expected */
    }
    uint64_t per_cluster = s->cluster_size / 8;
    uint64_t entries = s->refcount_table_size * 2;
    if (entries < min_entries) {
        entries = min_entries;
    }
    uint64_t clusters;
    for (;;) {
        entries = qcow2_align_up(entries, per_cluster);
        clusters = entries / per_cluster;
        /* the table must also count itself and the blocks made for it */
        uint64_t need = ((s->alloc_end + clusters + 64) >> s->refblock_bits) + 1;
        if (need <= entries) {
            break;
        }
        entries = need;
    }
    if (entries * 8 > QCOW2_MAX_REFTABLE_BYTES) {
        return -EFBIG;
    }
    uint64_t *table = calloc(entries, sizeof(uint64_t));
    if (!table) {
        return -ENOMEM;
    }
    memcpy(table, s->refcount_table, s->refcount_table_size * sizeof(uint64_t));
    uint64_t *old_table = s->refcount_table;
    uint32_t old_size = s->refcount_table_size;
    uint64_t old_offset = s->refcount_table_offset;
    uint32_t old_clusters = s->refcount_table_clusters;

    s->refcount_table = table;
    s->refcount_table_size = (uint32_t)entries;
    s->reftable_growing = true;
    uint64_t new_offset = s->alloc_end << s->cluster_bits;
    s->alloc_end += clusters;
    int ret = qcow2_update_refcount(bs, new_offset, clusters << s->cluster_bits, 1);
    s->reftable_growing = false;

    uint8_t *buf = NULL;
    if (ret == 0) {
        buf = malloc(clusters << s->cluster_bits);
        for (uint64_t i = 0; i < entries; i++) {
            be64_put(buf + i * 8, table[i]);
        }
        ret = bdrv_pwrite(bs->file, new_offset, buf, clusters << s->cluster_bits);
    }
    if (ret == 0) {
        ret = qcow2_cache_write_dirty(s->refblock_cache);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        uint8_t hdr[12];
        be64_put(hdr, new_offset);
        be32_put(hdr + 8, (uint32_t)clusters);
        ret = bdrv_pwrite(bs->file, QH_RT_OFFSET, hdr, 12);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    free(buf);
    if (ret < 0) {
        /* the header still names the old table: keep using it */
        free(table);
        s->refcount_table = old_table;
        s->refcount_table_size = old_size;
        return ret;
    }
    free(old_table);
    s->refcount_table_offset = new_offset;
    s->refcount_table_clusters = (uint32_t)clusters;
    if (old_offset) {
        ret = qcow2_update_refcount(bs, old_offset, (uint64_t)old_clusters << s->cluster_bits, -1);
    }
    return ret;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t c = s->free_cluster_index, start = c, run = 0, first_free = UINT64_MAX;
    while (run < n) {
        if (c >= s->alloc_end) {
            if (run == 0) {
                start = c;
            }
            if (first_free == UINT64_MAX) {
                first_free = start;
            }
            break;
        }
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc == 0) {
            if (first_free == UINT64_MAX) {
                first_free = c;
            }
            if (run == 0) {
                start = c;
            }
            run++;
        } else {
            run = 0;
        }
        c++;
    }
    if (start + n > s->alloc_end) {
        s->alloc_end = start + n;
    }
    s->free_cluster_index = first_free == start ? start + n : first_free;
    int ret = qcow2_update_refcount(bs, start << s->cluster_bits, n << s->cluster_bits, 1);
    if (ret < 0) {
        return ret;
    }
    return (int64_t)(start << s->cluster_bits);
}

void qcow2_free_later(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->n_pending == s->cap_pending) {
        s->cap_pending = s->cap_pending ? s->cap_pending * 2 : 16;
        s->pending = realloc(s->pending, s->cap_pending * sizeof(*s->pending));
    }
    s->pending[s->n_pending++] = (Qcow2PendingFree){ offset, bytes };
}

int qcow2_write_l1(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->l1_dirty_lo >= s->l1_dirty_hi) {
        return 0;
    }
    uint32_t n = s->l1_dirty_hi - s->l1_dirty_lo;
    uint8_t *buf = malloc((size_t)n * 8);
    for (uint32_t i = 0; i < n; i++) {
        be64_put(buf + i * 8, s->l1_table[s->l1_dirty_lo + i]);
    }
    int ret = bdrv_pwrite(bs->file, s->l1_table_offset + (uint64_t)s->l1_dirty_lo * 8, buf, n * 8ull);
    free(buf);
    if (ret == 0) {
        s->l1_dirty_lo = s->l1_dirty_hi = 0;
    }
    return ret;
}

/*
 * The write-back order that keeps the image consistent at every instant:
 *  1. refcount blocks (raised counts), then flush — together with the
 *     guest data written since the last flush;
 *  2. L2 tables (they point to data and counts that are now on disk), flush;
 *  3. L1 entries (they point to L2 tables now on disk), flush;
 *  4. only now lower the counts of clusters the old tables referenced.
 */
bool qcow2_lazy_refcounts(const BDRVQcow2State *s)
{
    return s->version >= 3 && (s->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS);
}

int qcow2_flush_metadata(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    bool l2_dirty = qcow2_cache_is_dirty(s->l2_cache);
    bool l1_dirty = s->l1_dirty_lo < s->l1_dirty_hi;
    bool lazy = qcow2_lazy_refcounts(s);
    int ret = 0;
    if (!lazy) {
        ret = qcow2_cache_write_dirty(s->refblock_cache);
    } else if (!(s->incompatible_features & QCOW2_INCOMPAT_DIRTY) &&
               (qcow2_cache_is_dirty(s->refblock_cache) || s->n_pending)) {
        /* the counts stay in memory: say so on disk before anything relies on them */
        ret = qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_DIRTY, true);
        s->lazy_dirtied = ret == 0;
    }
    if (ret < 0) {
        return ret;
    }
    if (l2_dirty || l1_dirty || s->n_pending) {
        if ((ret = bdrv_flush(bs->file)) < 0) {
            return ret;
        }
    }
    if (l2_dirty) {
        if ((ret = qcow2_cache_write_dirty(s->l2_cache)) < 0 ||
            (ret = bdrv_flush(bs->file)) < 0) {
            return ret;
        }
    }
    if (l1_dirty) {
        if ((ret = qcow2_write_l1(bs)) < 0 || (ret = bdrv_flush(bs->file)) < 0) {
            return ret;
        }
    }
    if (s->n_pending) {
        int n = s->n_pending;
        s->free_byte_offset = 0;   /* the packing cluster may be freed below */
        s->n_pending = 0;
        for (int i = 0; i < n && ret == 0; i++) {
            uint64_t off = s->pending[i].offset, bytes = s->pending[i].bytes;
            ret = qcow2_update_refcount(bs, off, bytes, -1);
            /* give whole freed clusters back to the host file system */
            for (uint64_t c = off >> s->cluster_bits;
                 ret == 0 && c <= (off + bytes - 1) >> s->cluster_bits; c++) {
                uint64_t rc;
                if (qcow2_get_refcount(bs, c, &rc) == 0 && rc == 0) {
                    bdrv_pdiscard(bs->file, c << s->cluster_bits, s->cluster_size);
                }
            }
        }
        if (ret == 0 && !lazy) {
            ret = qcow2_cache_write_dirty(s->refblock_cache);
        }
    }
    return ret;
}
