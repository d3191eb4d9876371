/*
 * qcow2-check.c — consistency check and repair.  Every reference in the
 * image (header, L1/L2 tables, data and compressed clusters, snapshot
 * tables, the refcount table and blocks) is counted and compared with the
 * stored refcounts: a stored count above the references is a leak (wasted
 * space, harmless), one below is a corruption (a cluster could be reused
 * while in use).  Messages follow qemu-img's wording.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct CheckState {
    BlockDriverState *bs;
    BDRVQcow2State *s;
    BlockCheckResult *res;
    int fix;
    uint64_t nb_clusters;   /* clusters in the file */
    uint32_t *refs;         /* references counted per cluster (saturating) */
    uint64_t prev_host;     /* for the fragmentation count */
} CheckState;

static void count_ref(CheckState *c, uint64_t offset, uint64_t bytes)
{
    if (!bytes) {
        return;
    }
    uint64_t first = offset >> c->s->cluster_bits;
    uint64_t last = (offset + bytes - 1) >> c->s->cluster_bits;
    for (uint64_t ci = first; ci <= last; ci++) {
        if (ci >= c->nb_clusters) {
            fprintf(stderr, "ERROR: counting reference for region exceeding the end of the "
                    "image file (cluster %" PRIu64 ")\n", ci);
            c->res->corruptions++;
            return;
        }
        if (c->refs[ci] != UINT32_MAX) {
            c->refs[ci]++;
        }
    }
}

/* Checks one L2 table's entries and counts what they reference. */
/* Extended L2: the subcluster bitmap must agree with its descriptor (the
 * messages are qemu-img's). */
static int check_subcluster_bitmap(CheckState *c, uint32_t l2_index, uint64_t e, uint64_t bitmap)
{
    uint64_t alloc = bitmap & QCOW2_L2_BITMAP_ALL_ALLOC, zero = bitmap >> 32;
    if (e & QCOW2_OFLAG_COMPRESSED) {
        if (bitmap) {
            /* like qemu-img: reported, and its clusters are not counted */
            fprintf(stderr, "ERROR compressed cluster %" PRIu32 " with non-zero subcluster "
                    "allocation bitmap, entry=0x%" PRIx64 "\n", l2_index, e);
            c->res->corruptions++;
            return -1;
        }
        return 0;
    }
    if (!(e & QCOW2_L2E_OFFSET_MASK)) {
        if (alloc) {
            fprintf(stderr, "ERROR: Unallocated cluster has non-zero subcluster allocation map\n");
            c->res->corruptions++;
        }
        return 0;
    }
    if (alloc & zero) {
        fprintf(stderr, "ERROR offset=%" PRIx64 ": Allocated cluster has corrupted subcluster "
                "allocation bitmap\n", (uint64_t)(e & QCOW2_L2E_OFFSET_MASK));
        c->res->corruptions++;
    }
    return 0;
}

static int check_l2(CheckState *c, uint64_t l2_offset, uint64_t guest_base, bool active)
{
    BDRVQcow2State *s = c->s;
    uint8_t *table = malloc(s->cluster_size);
    int ret = bdrv_pread(c->bs->file, l2_offset, table, s->cluster_size);
    if (ret < 0) {
        fprintf(stderr, "ERROR: I/O error in check_refcounts_l2\n");
        c->res->check_errors++;
        free(table);
        return 0;
    }
    /* an L2 table in the cache may be newer than the file */
    uint8_t *cached;
    if (active && qcow2_cache_get(s->l2_cache, l2_offset, true, &cached) == 0) {
        memcpy(table, cached, s->cluster_size);
    }
    c->prev_host = 0;    /* contiguity is counted within one L2 table */
    for (uint32_t j = 0; j < s->l2_size; j++) {
        uint64_t e = be64_get(table + j * s->l2_entry_bytes);
        uint64_t bitmap = s->extended_l2 ? be64_get(table + j * s->l2_entry_bytes + 8) : 0;
        uint64_t guest = guest_base + ((uint64_t)j << s->cluster_bits);
        if (s->extended_l2 && check_subcluster_bitmap(c, j, e, bitmap) < 0) {
            continue;
        }
        if (!e) {
            continue;
        }
        if (e & QCOW2_OFLAG_COMPRESSED) {
            uint64_t off, bytes;
            qcow2_compressed_range(s, e, &off, &bytes);
            count_ref(c, off, bytes);
            if (active && guest < s->size) {
                /* compressed clusters share sectors: fragmented by nature */
                c->res->compressed_clusters++;
                c->res->allocated_clusters++;
                c->res->fragmented_clusters++;
            }
            continue;
        }
        uint64_t host = e & QCOW2_L2E_OFFSET_MASK;
        if (!host) {
            continue;
        }
        if (host & (s->cluster_size - 1)) {
            fprintf(stderr, "ERROR offset=%" PRIx64 ": Cluster is not properly aligned; "
                    "L2 entry corrupted.\n", host);
            c->res->corruptions++;
            continue;
        }
        count_ref(c, host, s->cluster_size);
        if (active && guest < s->size) {
            c->res->allocated_clusters++;
            if (c->prev_host && host != c->prev_host + s->cluster_size) {
                c->res->fragmented_clusters++;
            }
            c->prev_host = host;
        }
    }
    free(table);
    return 0;
}

static int check_l1(CheckState *c, uint64_t l1_offset, uint32_t l1_size, bool active)
{
    BDRVQcow2State *s = c->s;
    uint64_t *l1;
    count_ref(c, l1_offset, (uint64_t)l1_size * 8);
    if (!l1_size) {
        return 0;
    }
    if (active) {
        l1 = s->l1_table;
    } else {
        if ((uint64_t)l1_size * 8 > QCOW2_MAX_L1_BYTES) {
            fprintf(stderr, "ERROR: snapshot L1 table too large\n");
            c->res->corruptions++;
            return 0;
        }
        l1 = malloc((size_t)l1_size * 8);
        if (bdrv_pread(c->bs->file, l1_offset, l1, (uint64_t)l1_size * 8) < 0) {
            fprintf(stderr, "ERROR: I/O error in check_refcounts_l1\n");
            c->res->check_errors++;
            free(l1);
            return 0;
        }
        for (uint32_t i = 0; i < l1_size; i++) {
            l1[i] = be64_get(&l1[i]);
        }
    }
    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2 = l1[i] & QCOW2_L1E_OFFSET_MASK;
        if (!l2) {
            continue;
        }
        if (l2 & (s->cluster_size - 1)) {
            fprintf(stderr, "ERROR l2_offset=%" PRIx64 ": Table is not cluster aligned; "
                    "L1 entry corrupted\n", l2);
            c->res->corruptions++;
            continue;
        }
        count_ref(c, l2, s->cluster_size);
        if ((l2 >> s->cluster_bits) >= c->nb_clusters) {
            continue;   /* already reported */
        }
        check_l2(c, l2, (uint64_t)i << (s->cluster_bits + s->l2_bits), active);
    }
    if (!active) {
        free(l1);
    }
    return 0;
}

/* Internal snapshots: their table, L1 tables and everything they reference. */
static void check_snapshots(CheckState *c)
{
    BDRVQcow2State *s = c->s;
    uint64_t off = s->snapshots_offset;
    int64_t flen = bdrv_getlength(c->bs->file);
    if (!s->nb_snapshots) {
        return;
    }
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        uint8_t h[40];
        if (off + 40 > (uint64_t)flen || bdrv_pread(c->bs->file, off, h, 40) < 0) {
            fprintf(stderr, "ERROR: snapshot table is past the end of the file\n");
            c->res->corruptions++;
            return;
        }
        uint64_t l1_off = be64_get(h);
        uint32_t l1_size = be32_get(h + 8);
        uint16_t id_len = be16_get(h + 12), name_len = be16_get(h + 14);
        uint32_t extra = be32_get(h + 36);
        check_l1(c, l1_off, l1_size, false);
        off += qcow2_align_up(40 + (uint64_t)extra + id_len + name_len, 8);
    }
    count_ref(c, s->snapshots_offset, off - s->snapshots_offset);
}

/* The COPIED flag of every active L1 and L2 entry must say whether the
 * cluster's refcount is exactly 1 (writes in place rely on it). */
static void check_oflag_copied(CheckState *c)
{
    BDRVQcow2State *s = c->s;
    bool repair = (c->fix & BDRV_FIX_ERRORS) != 0;
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2 = s->l1_table[i] & QCOW2_L1E_OFFSET_MASK, rc;
        if (!l2 || (l2 & (s->cluster_size - 1)) || (l2 >> s->cluster_bits) >= c->nb_clusters ||
            qcow2_get_refcount(c->bs, l2 >> s->cluster_bits, &rc) < 0) {
            continue;
        }
        if ((rc == 1) != !!(s->l1_table[i] & QCOW2_OFLAG_COPIED)) {
            fprintf(stderr, "%s OFLAG_COPIED L2 cluster: l1_index=%" PRIu32 " l1_entry=%" PRIx64
                    " refcount=%" PRIu64 "\n", repair ? "Repairing" : "ERROR", i, s->l1_table[i], rc);
            if (repair) {
                s->l1_table[i] = l2 | (rc == 1 ? QCOW2_OFLAG_COPIED : 0);
                if (s->l1_dirty_lo >= s->l1_dirty_hi) {
                    s->l1_dirty_lo = i;
                    s->l1_dirty_hi = i + 1;
                } else {
                    s->l1_dirty_lo = i < s->l1_dirty_lo ? i : s->l1_dirty_lo;
                    s->l1_dirty_hi = i + 1 > s->l1_dirty_hi ? i + 1 : s->l1_dirty_hi;
                }
                c->res->corruptions_fixed++;
            } else {
                c->res->corruptions++;
            }
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            uint64_t guest = ((uint64_t)i << (s->cluster_bits + s->l2_bits)) + ((uint64_t)j << s->cluster_bits);
            uint64_t e, bitmap;
            if (qcow2_get_l2_entry_ext(c->bs, guest, &e, &bitmap) < 0 || (e & QCOW2_OFLAG_COMPRESSED)) {
                continue;
            }
            uint64_t host = e & QCOW2_L2E_OFFSET_MASK;
            if (!host || (host & (s->cluster_size - 1)) || (host >> s->cluster_bits) >= c->nb_clusters ||
                qcow2_get_refcount(c->bs, host >> s->cluster_bits, &rc) < 0) {
                continue;
            }
            if ((rc == 1) != !!(e & QCOW2_OFLAG_COPIED)) {
                fprintf(stderr, "%s OFLAG_COPIED data cluster: l2_entry=%" PRIx64 " refcount=%" PRIu64 "\n",
                        repair ? "Repairing" : "ERROR", e, rc);
                if (repair && qcow2_set_l2_entry_ext(c->bs, guest, rc == 1 ? e | QCOW2_OFLAG_COPIED
                                                                          : e & ~QCOW2_OFLAG_COPIED,
                                                     bitmap) == 0) {
                    c->res->corruptions_fixed++;
                } else {
                    c->res->corruptions++;
                }
            }
        }
    }
}

int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    BDRVQcow2State *s = bs->opaque;
    CheckState c = { bs, s, res, fix, 0, NULL, 0 };
    int ret;
    memset(res, 0, sizeof(*res));
    if (!bs->read_only && (ret = qcow2_flush_metadata(bs)) < 0) {
        res->check_errors++;
        return ret;
    }
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        res->check_errors++;
        return (int)flen;
    }
    c.nb_clusters = qcow2_align_up((uint64_t)flen, s->cluster_size) >> s->cluster_bits;
    c.refs = calloc(c.nb_clusters ? c.nb_clusters : 1, sizeof(uint32_t));
    if (!c.refs) {
        res->check_errors++;
        return -ENOMEM;
    }
    res->total_clusters = qcow2_align_up(s->size, s->cluster_size) >> s->cluster_bits;
    res->have_cluster_stats = true;

    count_ref(&c, 0, s->cluster_size);
    check_l1(&c, s->l1_table_offset, s->l1_size, true);
    check_snapshots(&c);
    count_ref(&c, s->refcount_table_offset, (uint64_t)s->refcount_table_clusters << s->cluster_bits);
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t rb = s->refcount_table[i] & QCOW2_L1E_OFFSET_MASK;
        if (!rb) {
            continue;
        }
        if (rb & (s->cluster_size - 1)) {
            fprintf(stderr, "ERROR refcount block %" PRIu32 " is not cluster aligned; "
                    "refcount table entry corrupted\n", i);
            res->corruptions++;
            continue;
        }
        if ((rb >> s->cluster_bits) >= c.nb_clusters) {
            fprintf(stderr, "ERROR refcount block %" PRIu32 " is outside image\n", i);
            res->corruptions++;
            continue;
        }
        count_ref(&c, rb, s->cluster_size);
    }

    /* compare with the stored counts of every cluster in the file */
    uint64_t highest = 0;
    for (uint64_t ci = 0; ci < c.nb_clusters; ci++) {
        uint64_t stored, counted = c.refs[ci];
        if ((ret = qcow2_get_refcount(bs, ci, &stored)) < 0) {
            fprintf(stderr, "Can't get refcount for cluster %" PRIu64 ": %s\n", ci, strerror(-ret));
            res->check_errors++;
            continue;
        }
        if (counted || stored) {
            highest = ci + 1;
        }
        if (stored == counted) {
            continue;
        }
        bool leak = stored > counted;
        bool repair = (leak && (fix & BDRV_FIX_LEAKS)) || (!leak && (fix & BDRV_FIX_ERRORS));
        fprintf(stderr, "%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64 "\n",
                repair ? "Repairing" : leak ? "Leaked" : "ERROR", ci, stored, counted);
        if (repair && qcow2_set_refcount(bs, ci, counted) == 0) {
            if (leak) {
                res->leaks_fixed++;
            } else {
                res->corruptions_fixed++;
            }
        } else if (leak) {
            res->leaks++;
        } else {
            res->corruptions++;
        }
    }
    free(c.refs);
    check_oflag_copied(&c);
    res->image_end_offset = (int64_t)(highest << s->cluster_bits);
    if (fix && (res->leaks_fixed || res->corruptions_fixed)) {
        if ((ret = qcow2_flush_metadata(bs)) < 0 || (ret = bdrv_flush(bs->file)) < 0) {
            res->check_errors++;
            return ret;
        }
    }
    if ((fix & BDRV_FIX_ERRORS) && !res->corruptions && !res->check_errors) {
        qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_CORRUPT, false);
        qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_DIRTY, false);
    }
    return 0;
}
