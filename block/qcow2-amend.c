/*
 * qcow2-amend.c — changing options of an existing qcow2 image (`amend`):
 * compat (0.10 <-> 1.1), lazy_refcounts, refcount_bits and size, applied
 * in qemu-img's order: upgrade, refcount width, lazy refcounts, size,
 * downgrade.
 *
 * - Upgrading rewrites the header as version 3 (refcount order 4 is what
 *   version 2 implies).
 * - A new refcount width rebuilds the refcount structures: every cluster's
 *   count is read with the old width, a new table and new blocks are
 *   written past the end of the file (counting themselves), flushed, and
 *   one header write switches to them; the old table and blocks are free
 *   in the new counts.  A crash before the switch leaves the old
 *   structures in use (the new clusters past them are unreferenced).
 * - Downgrading needs what version 2 can express: 16-bit refcounts, no
 *   incompatible features but zstd without compressed clusters (the image
 *   becomes zlib), and no zero clusters: those are expanded first, in the
 *   active and every snapshot's tables — unallocated when there is no
 *   backing file and nothing is allocated, otherwise a cluster of zeroes
 *   (a new one when the old one is shared).
 */
#include "block/qcow2.h"
#include "block/options.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- every L1 table: the active one and the snapshots' ---------------------- */

typedef int (*L1Visitor)(BlockDriverState *bs, const uint64_t *l1, uint32_t n, void *opaque);

static int for_each_l1(BlockDriverState *bs, L1Visitor fn, void *opaque)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = fn(bs, s->l1_table, s->l1_size, opaque);
    uint64_t off = s->snapshots_offset;
    for (uint32_t k = 0; ret == 0 && k < s->nb_snapshots; k++) {
        uint8_t h[40];
        if ((ret = bdrv_pread(bs->file, off, h, 40)) < 0) {
            break;
        }
        uint32_t l1_size = be32_get(h + 8);
        uint64_t l1_off = be64_get(h);
        if ((uint64_t)l1_size * 8 > QCOW2_MAX_L1_BYTES) {
            return -EIO;
        }
        uint64_t *l1 = calloc(l1_size ? l1_size : 1, 8);
        if (!l1) {
            return -ENOMEM;
        }
        if (l1_size && (ret = bdrv_pread(bs->file, l1_off, l1, (uint64_t)l1_size * 8)) < 0) {
            free(l1);
            break;
        }
        for (uint32_t i = 0; i < l1_size; i++) {
            l1[i] = be64_get(&l1[i]);
        }
        ret = fn(bs, l1, l1_size, opaque);
        free(l1);
        off += qcow2_align_up(40 + (uint64_t)be32_get(h + 36) + be16_get(h + 12) + be16_get(h + 14), 8);
    }
    return ret;
}

/* ---- downgrade: finding compressed clusters, expanding zero clusters -------- */

static int l1_has_compressed(BlockDriverState *bs, const uint64_t *l1, uint32_t n, void *opaque)
{
    BDRVQcow2State *s = bs->opaque;
    bool *found = opaque;
    for (uint32_t i = 0; i < n && !*found; i++) {
        uint64_t l2 = l1[i] & QCOW2_L1E_OFFSET_MASK;
        uint8_t *t;
        if (!l2) {
            continue;
        }
        int ret = qcow2_cache_get(s->l2_cache, l2, true, &t);
        if (ret < 0) {
            return ret;
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            if (be64_get(t + j * s->l2_entry_bytes) & QCOW2_OFLAG_COMPRESSED) {
                *found = true;
                break;
            }
        }
    }
    return 0;
}

/* A cluster of zeroes for an entry of an L2 table reached through
 * `table_refs` L1 tables: the new cluster gets as many references. */
static int64_t alloc_zero_cluster(BlockDriverState *bs, uint64_t table_refs)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t host = qcow2_alloc_clusters(bs, 1);
    if (host < 0) {
        return host;
    }
    int ret = bdrv_pwrite_zeroes(bs->file, (uint64_t)host, s->cluster_size, 0);
    for (uint64_t r = 1; ret == 0 && r < table_refs; r++) {
        ret = qcow2_update_refcount(bs, (uint64_t)host, s->cluster_size, 1);
    }
    return ret < 0 ? ret : host;
}

static int expand_zero_clusters_l1(BlockDriverState *bs, const uint64_t *l1, uint32_t n, void *opaque)
{
    BDRVQcow2State *s = bs->opaque;
    bool has_backing = bs->backing_file[0] != 0;
    (void)opaque;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t l2 = l1[i] & QCOW2_L1E_OFFSET_MASK, table_refs;
        if (!l2) {
            continue;
        }
        int ret = qcow2_get_refcount(bs, l2 >> s->cluster_bits, &table_refs);
        if (ret < 0) {
            return ret;
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            uint8_t *t;
            if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &t)) < 0) {
                return ret;
            }
            uint64_t e = be64_get(t + j * s->l2_entry_bytes);
            if (!qcow2_zero_flag(s, e)) {
                continue;
            }
            uint64_t host = e & QCOW2_L2E_OFFSET_MASK, rc = 0, new_entry;
            if (host && (host & (s->cluster_size - 1))) {
                return -EIO;
            }
            if (host && (ret = qcow2_get_refcount(bs, host >> s->cluster_bits, &rc)) < 0) {
                return ret;
            }
            if (!host && !has_backing) {
                new_entry = 0;                          /* unallocated reads as zeroes */
            } else if (host && rc <= table_refs) {
                /* only this table's paths reach it: zero it in place */
                if ((ret = bdrv_pwrite_zeroes(bs->file, host, s->cluster_size, 0)) < 0) {
                    return ret;
                }
                new_entry = e & ~QCOW2_OFLAG_ZERO;
            } else {
                /* over a backing file, or a cluster others read as data */
                int64_t h = alloc_zero_cluster(bs, table_refs);
                if (h < 0) {
                    return (int)h;
                }
                new_entry = (uint64_t)h | (table_refs == 1 ? QCOW2_OFLAG_COPIED : 0);
                if (host) {
                    for (uint64_t r = 0; r < table_refs; r++) {
                        qcow2_free_later(bs, host, s->cluster_size);
                    }
                }
            }
            /* the table is changed in place: every L1 that shares it sees
             * the same contents (zeroes) through the new entry */
            if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &t)) < 0) {
                return ret;
            }
            be64_put(t + j * s->l2_entry_bytes, new_entry);
            qcow2_cache_mark_dirty(s->l2_cache, t);
        }
    }
    return 0;
}

static int downgrade(BlockDriverState *bs, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->refcount_order != 4) {
        bdrv_error(errp, "compat=0.10 requires refcount_bits=16");
        return -ENOTSUP;
    }
    uint64_t incompat = s->incompatible_features &
                        ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_COMPRESSION);
    if (incompat) {
        bdrv_error(errp, "Cannot downgrade an image with incompatible features 0x%" PRIx64 " set",
                   incompat);
        return -ENOTSUP;
    }
    int ret;
    if (s->compression_type != QCOW2_COMPRESSION_ZLIB) {
        bool found = false;
        if ((ret = for_each_l1(bs, l1_has_compressed, &found)) < 0) {
            return ret;
        }
        if (found) {
            bdrv_error(errp, "Cannot downgrade an image with zstd compression type and existing "
                       "compressed clusters");
            return -ENOTSUP;
        }
    }
    if ((ret = for_each_l1(bs, expand_zero_clusters_l1, NULL)) < 0 ||
        (ret = qcow2_flush_metadata(bs)) < 0) {
        bdrv_error(errp, "Failed to turn zero into data clusters: %s", strerror(-ret));
        return ret;
    }
    int old_version = s->version, old_ct = s->compression_type;
    uint64_t old[3] = { s->compatible_features, s->incompatible_features, s->autoclear_features };
    s->version = 2;
    s->compression_type = QCOW2_COMPRESSION_ZLIB;
    s->compatible_features = s->incompatible_features = s->autoclear_features = 0;
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->version = old_version;
        s->compression_type = old_ct;
        s->compatible_features = old[0];
        s->incompatible_features = old[1];
        s->autoclear_features = old[2];
        bdrv_error(errp, "Could not update the header: %s", strerror(-ret));
    }
    return ret;
}

/* ---- a new refcount width ------------------------------------------------- */

static int change_refcount_order(BlockDriverState *bs, int order, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_flush_metadata(bs);
    if (ret < 0 || (ret = bdrv_flush(bs->file)) < 0) {
        return ret;
    }
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        return (int)flen;
    }
    uint64_t n = qcow2_align_up((uint64_t)flen, s->cluster_size) >> s->cluster_bits;
    if (s->alloc_end > n) {
        n = s->alloc_end;
    }
    /* the new structures: table first, then the blocks, past cluster n;
     * grown until they cover themselves */
    uint64_t per_block = 1ull << (s->cluster_bits + 3 - order), k = 0, rt_clusters, nblocks;
    for (;;) {
        nblocks = (n + k + per_block - 1) / per_block;
        rt_clusters = qcow2_align_up(nblocks * 8, s->cluster_size) >> s->cluster_bits;
        if (rt_clusters + nblocks <= k) {
            break;
        }
        k = rt_clusters + nblocks;
    }
    if (rt_clusters * s->cluster_size > QCOW2_MAX_REFTABLE_BYTES) {
        bdrv_error(errp, "The image is too large for a refcount table of that width");
        return -EFBIG;
    }
    uint64_t total = n + rt_clusters + nblocks;
    uint64_t *counts = calloc(total, sizeof(uint64_t));
    uint8_t *buf = calloc(1, s->cluster_size);
    uint64_t *table = calloc(rt_clusters * s->cluster_size / 8, sizeof(uint64_t));
    if (!counts || !buf || !table) {
        ret = -ENOMEM;
        goto out;
    }
    for (uint64_t c = 0; c < n && ret == 0; c++) {
        ret = qcow2_get_refcount(bs, c, &counts[c]);
    }
    if (ret < 0) {
        goto out;
    }
    /* the old structures are free once the header points elsewhere */
    for (uint64_t c = 0; c < s->refcount_table_clusters; c++) {
        uint64_t idx = (s->refcount_table_offset >> s->cluster_bits) + c;
        if (idx < n) {
            counts[idx] = 0;
        }
    }
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t rb = (s->refcount_table[i] & QCOW2_L1E_OFFSET_MASK) >> s->cluster_bits;
        if (rb && rb < n) {
            counts[rb] = 0;
        }
    }
    for (uint64_t c = n; c < total; c++) {
        counts[c] = 1;
    }
    uint64_t max = order == 6 ? UINT64_MAX : (1ull << (1 << order)) - 1;
    for (uint64_t c = 0; c < n; c++) {
        if (counts[c] > max) {
            bdrv_error(errp, "Cannot decrease refcount entry width to %d bits: Cluster at offset "
                       "%#" PRIx64 " has a refcount of %" PRIu64, 1 << order, c << s->cluster_bits,
                       counts[c]);
            ret = -EINVAL;
            goto out;
        }
    }
    uint64_t rt_offset = n << s->cluster_bits;
    for (uint64_t b = 0; b < nblocks && ret == 0; b++) {
        memset(buf, 0, s->cluster_size);
        for (uint64_t j = 0; j < per_block && b * per_block + j < total; j++) {
            qcow2_refblock_set(buf, order, j, counts[b * per_block + j]);
        }
        uint64_t off = (n + rt_clusters + b) << s->cluster_bits;
        table[b] = off;
        ret = bdrv_pwrite(bs->file, off, buf, s->cluster_size);
    }
    for (uint64_t c = 0; c < rt_clusters && ret == 0; c++) {
        uint64_t per = s->cluster_size / 8;
        memset(buf, 0, s->cluster_size);
        for (uint64_t j = 0; j < per && c * per + j < nblocks; j++) {
            be64_put(buf + j * 8, table[c * per + j]);
        }
        ret = bdrv_pwrite(bs->file, rt_offset + (c << s->cluster_bits), buf, s->cluster_size);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto out;
    }
    /* switch: one header write; then the in-memory state follows */
    uint64_t *old_table = s->refcount_table;
    uint32_t old_size = s->refcount_table_size, old_clusters = s->refcount_table_clusters;
    uint64_t old_offset = s->refcount_table_offset;
    int old_order = s->refcount_order;
    s->refcount_order = order;
    s->refcount_table_offset = rt_offset;
    s->refcount_table_clusters = (uint32_t)rt_clusters;
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->refcount_order = old_order;
        s->refcount_table_offset = old_offset;
        s->refcount_table_clusters = old_clusters;
        goto out;
    }
    for (uint32_t i = 0; i < old_size; i++) {
        uint64_t rb = old_table[i] & QCOW2_L1E_OFFSET_MASK;
        if (rb) {
            qcow2_cache_drop(s->refblock_cache, rb);
            bdrv_pdiscard(bs->file, rb, s->cluster_size);
        }
    }
    bdrv_pdiscard(bs->file, old_offset, (uint64_t)old_clusters << s->cluster_bits);
    free(old_table);
    s->refcount_table = table;
    table = NULL;
    s->refcount_table_size = (uint32_t)(rt_clusters * s->cluster_size / 8);
    s->refcount_bits = 1 << order;
    s->refcount_max = max;
    s->refblock_bits = s->cluster_bits + 3 - order;
    s->alloc_end = total;
    s->free_cluster_index = 0;
out:
    free(counts);
    free(buf);
    free(table);
    return ret;
}

/* ---- amend ---------------------------------------------------------------- */

static int set_lazy_refcounts(BlockDriverState *bs, bool lazy, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t old = s->compatible_features;
    if (lazy) {
        s->compatible_features |= QCOW2_COMPAT_LAZY_REFCOUNTS;
    } else {
        s->compatible_features &= ~QCOW2_COMPAT_LAZY_REFCOUNTS;
    }
    if (old == s->compatible_features) {
        return 0;
    }
    int ret = 0;
    if (!lazy && s->lazy_dirtied) {
        ret = qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_DIRTY, false);   /* counts written */
    }
    if (ret == 0) {
        ret = qcow2_update_header(bs);
    }
    if (ret < 0) {
        s->compatible_features = old;
        bdrv_error(errp, "Could not update the header: %s", strerror(-ret));
    }
    return ret;
}

int qcow2_amend(BlockDriverState *bs, BlockOpts *opts, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    static const char *const amendable[] = { "compat", "lazy_refcounts", "refcount_bits", "size", NULL };
    for (int i = 0; i < opts->n; i++) {
        const char *k = opts->v[i].key;
        bool ok = false, known = false;
        for (int j = 0; amendable[j]; j++) {
            ok |= !strcmp(amendable[j], k);
        }
        if (ok) {
            continue;
        }
        for (const BlockOptDesc *d = qcow2_create_opts; d->name; d++) {
            known |= !strcmp(d->name, k);
        }
        bdrv_error(errp, "Invalid parameter '%s'%s", k,
                   known ? "\nThis option is only supported for image creation" : "");
        return -EINVAL;
    }
    const char *compat = block_opts_get(opts, "compat");
    int version = s->version;
    if (compat) {
        if (!strcmp(compat, "0.10") || !strcmp(compat, "v2")) {
            version = 2;
        } else if (!strcmp(compat, "1.1") || !strcmp(compat, "v3")) {
            version = 3;
        } else {
            bdrv_error(errp, "Invalid compat version '%s'", compat);   /* qemu-img: unknown */
            return -EINVAL;
        }
    }
    bool lazy = (s->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS) != 0;
    if (block_opts_get(opts, "lazy_refcounts") &&
        block_opts_get_bool(opts, "lazy_refcounts", false, &lazy, errp) < 0) {
        return -EINVAL;
    }
    int order = s->refcount_order;
    const char *rb = block_opts_get(opts, "refcount_bits");
    if (rb) {
        char *end;
        unsigned long long bits = strtoull(rb, &end, 0);
        if (*end || !bits || bits > 64 || (bits & (bits - 1))) {
            bdrv_error(errp, "Refcount width must be a power of two and may not exceed 64 bits");
            return -EINVAL;
        }
        order = __builtin_ctzll(bits);
        if (version < 3 && order != 4) {
            bdrv_error(errp, "Refcount widths other than 16 bits require compatibility level 1.1 "
                       "or above (use compat=1.1 or greater)");
            return -EINVAL;
        }
    }
    uint64_t size = s->size;
    if (block_opts_get(opts, "size") && block_opts_get_size(opts, "size", 0, &size, errp) < 0) {
        return -EINVAL;
    }
    if (size & 511) {
        bdrv_error(errp, "The new size must be a multiple of 512");
        return -EINVAL;
    }
    if (version < 3 && block_opts_get(opts, "lazy_refcounts") && lazy) {
        bdrv_error(errp, "Lazy refcounts only supported with compatibility level 1.1 and above "
                   "(use compat=1.1 or greater)");
        return -EINVAL;
    }
    int ret = qcow2_flush_metadata(bs);
    if (ret < 0) {
        return ret;
    }
    if (version > s->version) {
        int old_version = s->version;
        s->version = version;
        if ((ret = qcow2_update_header(bs)) < 0) {
            s->version = old_version;
            bdrv_error(errp, "Could not update the header: %s", strerror(-ret));
            return ret;
        }
    }
    if (order != s->refcount_order && (ret = change_refcount_order(bs, order, errp)) < 0) {
        bdrv_error(errp, "Failed to change the refcount width: %s", strerror(-ret));
        return ret;
    }
    if (s->version >= 3 && (ret = set_lazy_refcounts(bs, version >= 3 && lazy, errp)) < 0) {
        return ret;
    }
    if (size != s->size && (ret = qcow2_truncate(bs, size)) < 0) {
        bdrv_error(errp, "Failed to resize the image: %s", strerror(-ret));
        return ret;
    }
    if (version < s->version) {
        return downgrade(bs, errp);
    }
    return 0;
}
