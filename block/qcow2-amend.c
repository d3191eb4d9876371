/*
 * qcow2-amend.c — changing options of an existing qcow2 image (`amend`):
 * compat (0.10 <-> 1.1) and lazy_refcounts.  Upgrading rewrites the header
 * as version 3 (refcount order 4 is what version 2 implies).  Downgrading
 * needs what version 2 can express: 16-bit refcounts, zlib, no lazy
 * refcounts left pending, and no zero clusters in any L2 table (converting
 * them is left for later: such images are refused with a message).
 */
#include "block/qcow2.h"
#include "block/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int l1_has_zero_clusters(BlockDriverState *bs, const uint64_t *l1, uint32_t n, bool *found)
{
    BDRVQcow2State *s = bs->opaque;
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
            uint64_t e = be64_get(t + j * s->l2_entry_bytes);
            if (!(e & QCOW2_OFLAG_COMPRESSED) && (e & QCOW2_OFLAG_ZERO)) {
                *found = true;
                break;
            }
        }
    }
    return 0;
}

static int any_zero_clusters(BlockDriverState *bs, bool *found)
{
    BDRVQcow2State *s = bs->opaque;
    *found = false;
    int ret = l1_has_zero_clusters(bs, s->l1_table, s->l1_size, found);
    uint64_t off = s->snapshots_offset;
    for (uint32_t k = 0; ret == 0 && !*found && k < s->nb_snapshots; k++) {
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
        if (l1_size && (ret = bdrv_pread(bs->file, l1_off, l1, (uint64_t)l1_size * 8)) < 0) {
            free(l1);
            break;
        }
        for (uint32_t i = 0; i < l1_size; i++) {
            l1[i] = be64_get(&l1[i]);
        }
        ret = l1_has_zero_clusters(bs, l1, l1_size, found);
        free(l1);
        off += qcow2_align_up(40 + (uint64_t)be32_get(h + 36) + be16_get(h + 12) + be16_get(h + 14), 8);
    }
    return ret;
}

int qcow2_amend(BlockDriverState *bs, BlockOpts *opts, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    for (int i = 0; i < opts->n; i++) {
        const char *k = opts->v[i].key;
        if (strcmp(k, "compat") && strcmp(k, "lazy_refcounts")) {
            bool known = false;
            for (const BlockOptDesc *d = qcow2_create_opts; d->name; d++) {
                known |= !strcmp(d->name, k);
            }
            bdrv_error(errp, "Invalid parameter '%s'%s", k,
                       known ? "\nThis option is only supported for image creation" : "");
            return -EINVAL;
        }
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
    if (version < 3 && block_opts_get(opts, "lazy_refcounts") && lazy) {
        bdrv_error(errp, "Lazy refcounts only supported with compatibility level 1.1 and above "
                   "(use compat=1.1 or greater)");
        return -EINVAL;
    }
    if (version < 3) {
        lazy = false;
    }
    int ret = qcow2_flush_metadata(bs);
    if (ret < 0) {
        return ret;
    }
    if (version < s->version) {
        bool zero;
        if (s->refcount_order != 4 || s->compression_type != QCOW2_COMPRESSION_ZLIB ||
            (s->incompatible_features & ~QCOW2_INCOMPAT_DIRTY)) {
            bdrv_error(errp, "compat=0.10 requires refcount_bits=16, zlib compression and no "
                       "incompatible features");
            return -ENOTSUP;
        }
        if ((ret = any_zero_clusters(bs, &zero)) < 0) {
            return ret;
        }
        if (zero) {
            bdrv_error(errp, "Cannot downgrade an image with zero clusters to compat=0.10 "
                       "(not supported by vemu-img yet)");
            return -ENOTSUP;
        }
    }
    uint64_t old_compat = s->compatible_features;
    int old_version = s->version;
    s->version = version;
    if (lazy) {
        s->compatible_features |= QCOW2_COMPAT_LAZY_REFCOUNTS;
    } else {
        s->compatible_features &= ~QCOW2_COMPAT_LAZY_REFCOUNTS;
    }
    if (version < 3) {
        s->compatible_features = 0;
        s->incompatible_features = 0;
        s->autoclear_features = 0;
    }
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->version = old_version;
        s->compatible_features = old_compat;
        bdrv_error(errp, "Could not update the header: %s", strerror(-ret));
    }
    return ret;
}
