/*
 * qcow2-header.c — the qcow2 header and its extensions: parsing with every
 * field validated (a hostile image gets a message, never a wild read), and
 * rewriting cluster 0 with the extensions this driver does not interpret
 * preserved.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names of the feature bits, for messages and the feature table. */
typedef struct FeatureName {
    uint8_t type, bit;      /* type 0 incompatible, 1 compatible, 2 autoclear */
    const char *name;
} FeatureName;

static const FeatureName known_features[] = {
    { 0, 0, "dirty bit" },
    { 0, 1, "corrupt bit" },
    { 0, 2, "external data file" },
    { 0, 3, "compression type" },
    { 0, 4, "extended L2 entries" },
    { 1, 0, "lazy refcounts" },
    { 2, 0, "bitmaps" },
    { 2, 1, "raw external data" },
};

/* Name of an incompatible bit: from the image's own table, else ours. */
static void feature_name(BDRVQcow2State *s, int bit, char *out, size_t n)
{
    for (uint32_t off = 0; s->feature_table && off + 48 <= s->feature_table_len; off += 48) {
        const uint8_t *e = s->feature_table + off;
        if (e[0] == 0 && e[1] == bit) {
            snprintf(out, n, "%.46s", (const char *)e + 2);
            return;
        }
    }
    for (size_t i = 0; i < sizeof(known_features) / sizeof(known_features[0]); i++) {
        if (known_features[i].type == 0 && known_features[i].bit == bit) {
            snprintf(out, n, "%s", known_features[i].name);
            return;
        }
    }
    snprintf(out, n, "Unknown incompatible feature: %llx", 1ull << bit);
}

static int parse_extensions(BlockDriverState *bs, const uint8_t *c0, uint64_t start,
                            uint64_t end, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off = start;
    while (off + 8 <= end) {
        uint32_t type = be32_get(c0 + off), len = be32_get(c0 + off + 4);
        off += 8;
        if (type == QCOW2_EXT_END) {
            return 0;
        }
        if (len > end - off) {
            bdrv_error(errp, "Invalid extension length in qcow2 header of '%s'", bs->filename);
            return -EINVAL;
        }
        switch (type) {
        case QCOW2_EXT_BACKING_FMT:
            if (len >= sizeof(bs->backing_format)) {
                bdrv_error(errp, "ERROR: ext_backing_format: len=%u too large (>=%zu)",
                           len, sizeof(bs->backing_format));
                return -EINVAL;
            }
            memcpy(bs->backing_format, c0 + off, len);
            bs->backing_format[len] = 0;
            break;
        case QCOW2_EXT_FEATURE_TABLE:
            free(s->feature_table);
            s->feature_table = malloc(len ? len : 1);
            memcpy(s->feature_table, c0 + off, len);
            s->feature_table_len = len;
            break;
        default:
            s->unknown_exts = realloc(s->unknown_exts, (s->n_unknown_exts + 1) * sizeof(Qcow2UnknownExt));
            s->unknown_exts[s->n_unknown_exts].type = type;
            s->unknown_exts[s->n_unknown_exts].len = len;
            s->unknown_exts[s->n_unknown_exts].data = malloc(len ? len : 1);
            memcpy(s->unknown_exts[s->n_unknown_exts].data, c0 + off, len);
            s->n_unknown_exts++;
            break;
        }
        off += qcow2_align_up(len, 8);
    }
    return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

int qcow2_read_header(BlockDriverState *bs, int flags, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t h[QCOW2_V3_HEADER_SIZE + 8];
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        bdrv_error(errp, "Could not determine the size of '%s'", bs->filename);
        return (int)flen;
    }
    if (flen < QCOW2_V2_HEADER_SIZE) {
        bdrv_error(errp, "Could not read qcow2 header: the file is %" PRId64 " bytes, shorter than a header", flen);
        return -EINVAL;
    }
    memset(h, 0, sizeof(h));
    int ret = bdrv_pread(bs->file, 0, h, (uint64_t)flen < sizeof(h) ? (uint64_t)flen : sizeof(h));
    if (ret < 0) {
        bdrv_error(errp, "Could not read qcow2 header: %s", strerror(-ret));
        return ret;
    }
    if (be32_get(h + QH_MAGIC) != QCOW2_MAGIC) {
        bdrv_error(errp, "Image is not in qcow2 format");
        return -EINVAL;
    }
    s->version = (int)be32_get(h + QH_VERSION);
    if (s->version < 2 || s->version > 3) {
        bdrv_error(errp, "Unsupported qcow2 version %d", s->version);
        return -ENOTSUP;
    }
    s->cluster_bits = (int)be32_get(h + QH_CLUSTER_BITS);
    if (s->cluster_bits < QCOW2_MIN_CLUSTER_BITS || s->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        bdrv_error(errp, "Unsupported cluster size: 2^%d", s->cluster_bits);
        return -EINVAL;
    }
    s->cluster_size = 1u << s->cluster_bits;
    s->l2_bits = s->cluster_bits - 3;
    s->l2_size = 1u << s->l2_bits;
    s->l2_entry_bytes = 8;
    s->subcluster_bits = s->cluster_bits;
    s->subcluster_size = s->cluster_size;
    s->size = be64_get(h + QH_SIZE);
    s->crypt_method = be32_get(h + QH_CRYPT);
    s->l1_size = be32_get(h + QH_L1_SIZE);
    s->l1_table_offset = be64_get(h + QH_L1_OFFSET);
    s->refcount_table_offset = be64_get(h + QH_RT_OFFSET);
    s->refcount_table_clusters = be32_get(h + QH_RT_CLUSTERS);
    s->nb_snapshots = be32_get(h + QH_NB_SNAPSHOTS);
    s->snapshots_offset = be64_get(h + QH_SNAPSHOTS_OFFSET);
    uint64_t backing_offset = be64_get(h + QH_BACKING_OFFSET);
    uint32_t backing_size = be32_get(h + QH_BACKING_SIZE);

    if (s->version == 2) {
        s->refcount_order = 4;
        s->header_length = QCOW2_V2_HEADER_SIZE;
    } else {
        if (flen < QCOW2_V3_HEADER_SIZE) {
            bdrv_error(errp, "Could not read qcow2 header: the file is too short for a version 3 header");
            return -EINVAL;
        }
        s->incompatible_features = be64_get(h + QH_INCOMPAT);
        s->compatible_features = be64_get(h + QH_COMPAT);
        s->autoclear_features = be64_get(h + QH_AUTOCLEAR);
        s->refcount_order = (int)be32_get(h + QH_REFCOUNT_ORDER);
        s->header_length = be32_get(h + QH_HEADER_LENGTH);
        if (s->header_length < QCOW2_V3_HEADER_SIZE) {
            bdrv_error(errp, "qcow2 header too short");
            return -EINVAL;
        }
        if (s->header_length > s->cluster_size) {
            bdrv_error(errp, "qcow2 header exceeds cluster size");
            return -EINVAL;
        }
    }
    /* an unsigned field: a huge value must not become a negative shift */
    if (s->refcount_order < 0 || s->refcount_order > 6) {
        bdrv_error(errp, "Reference count entry width too large; may not exceed 64 bits");
        return -EINVAL;
    }
    s->refcount_bits = 1 << s->refcount_order;
    s->refcount_max = s->refcount_bits == 64 ? UINT64_MAX : (1ull << s->refcount_bits) - 1;
    s->refblock_bits = s->cluster_bits + 3 - s->refcount_order;

    /* cluster 0 holds the extensions and the backing file name */
    uint64_t c0_len = (uint64_t)flen < s->cluster_size ? (uint64_t)flen : s->cluster_size;
    uint8_t *c0 = calloc(1, s->cluster_size);
    ret = bdrv_pread(bs->file, 0, c0, c0_len);
    if (ret < 0) {
        free(c0);
        bdrv_error(errp, "Could not read qcow2 header: %s", strerror(-ret));
        return ret;
    }
    if (s->header_length > QCOW2_V3_HEADER_SIZE) {
        s->compression_type = c0[QH_COMPRESSION_TYPE];
    }
    uint64_t ext_end = backing_offset ? backing_offset : s->cluster_size;
    if (ext_end > s->cluster_size) {
        ext_end = s->cluster_size;
    }
    ret = parse_extensions(bs, c0, s->header_length, ext_end, errp);
    if (ret == 0 && backing_offset) {
        if (backing_size > QCOW2_MAX_BACKING_NAME || backing_offset > s->cluster_size ||
            backing_size > s->cluster_size - backing_offset) {
            bdrv_error(errp, "Backing file name too long");
            ret = -EINVAL;
        } else {
            memcpy(bs->backing_file, c0 + backing_offset, backing_size);
            bs->backing_file[backing_size] = 0;
        }
    }
    free(c0);
    if (ret < 0) {
        return ret;
    }

    /* features */
    uint64_t unsupported = s->incompatible_features & ~QCOW2_INCOMPAT_SUPPORTED;
    if (unsupported) {
        char names[512] = "", one[128];
        for (int bit = 0; bit < 64; bit++) {
            if (unsupported & (1ull << bit)) {
                feature_name(s, bit, one, sizeof(one));
                snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                         names[0] ? ", " : "", one);
            }
        }
        bdrv_error(errp, "'%s' uses a qcow2 feature which is not supported by vemu-img: %s",
                   bs->filename, names);
        return -ENOTSUP;
    }
    if (s->compression_type != QCOW2_COMPRESSION_ZLIB) {
        if (!(s->incompatible_features & QCOW2_INCOMPAT_COMPRESSION)) {
            bdrv_error(errp, "qcow2: Compression type incompatible feature bit must be set "
                       "for a non-zlib compression type");
            return -EINVAL;
        }
        if (s->compression_type != QCOW2_COMPRESSION_ZSTD) {
            bdrv_error(errp, "qcow2: unknown compression type: %u", s->compression_type);
            return -ENOTSUP;
        }
    }
    if (s->crypt_method) {
        bdrv_error(errp, "qcow2: encrypted images are not supported (crypt_method %u)", s->crypt_method);
        return -ENOTSUP;
    }
    if ((s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) && (flags & BDRV_O_RDWR) &&
        !(flags & BDRV_O_CHECK)) {
        bdrv_error(errp, "qcow2: Image is corrupt; cannot be opened read/write");
        return -EACCES;
    }

    if (s->incompatible_features & QCOW2_INCOMPAT_EXTL2) {
        if (s->cluster_bits < QCOW2_EXTL2_MIN_CLUSTER_BITS) {
            bdrv_error(errp, "Unsupported subcluster size: %u (extended L2 entries need "
                       "clusters of at least 16 KiB)", s->cluster_size / QCOW2_SUBCLUSTERS);
            return -EINVAL;
        }
        s->extended_l2 = true;
        s->l2_entry_bytes = 16;
        s->l2_bits = s->cluster_bits - 4;
        s->l2_size = 1u << s->l2_bits;
        s->subcluster_bits = s->cluster_bits - 5;
        s->subcluster_size = 1u << s->subcluster_bits;
    }

    /* tables: every offset aligned, inside sane bounds and disjoint */
    if (s->size > (1ull << 62)) {
        bdrv_error(errp, "Image is too big");
        return -EFBIG;
    }
    uint64_t l2_span = (uint64_t)s->cluster_size << s->l2_bits;
    uint64_t l1_needed = (s->size + l2_span - 1) / l2_span;
    if ((uint64_t)s->l1_size * 8 > QCOW2_MAX_L1_BYTES) {
        bdrv_error(errp, "Active L1 table too large");
        return -EFBIG;
    }
    if (s->l1_size < l1_needed) {
        bdrv_error(errp, "L1 table is too small");
        return -EINVAL;
    }
    if (s->l1_size && ((s->l1_table_offset & (s->cluster_size - 1)) || !s->l1_table_offset)) {
        bdrv_error(errp, "Invalid L1 table offset");
        return -EINVAL;
    }
    if (s->l1_size && s->l1_table_offset + (uint64_t)s->l1_size * 8 > (uint64_t)flen) {
        bdrv_error(errp, "Could not read L1 table: the table (offset %#" PRIx64 ") is past the end of the file",
                   s->l1_table_offset);
        return -EINVAL;
    }
    if (!s->refcount_table_offset || (s->refcount_table_offset & (s->cluster_size - 1))) {
        bdrv_error(errp, "Invalid reference count table offset");
        return -EINVAL;
    }
    if (!s->refcount_table_clusters ||
        (uint64_t)s->refcount_table_clusters * s->cluster_size > QCOW2_MAX_REFTABLE_BYTES) {
        bdrv_error(errp, "Reference count table too large");
        return -EFBIG;
    }
    uint64_t rt_bytes = (uint64_t)s->refcount_table_clusters * s->cluster_size;
    uint64_t l1_bytes = (uint64_t)s->l1_size * 8;
    if (ranges_overlap(0, s->cluster_size, s->refcount_table_offset, rt_bytes)) {
        bdrv_error(errp, "qcow2: the reference count table overlaps the header");
        return -EINVAL;
    }
    if (ranges_overlap(0, s->cluster_size, s->l1_table_offset, l1_bytes)) {
        bdrv_error(errp, "qcow2: the L1 table overlaps the header");
        return -EINVAL;
    }
    if (ranges_overlap(s->l1_table_offset, l1_bytes, s->refcount_table_offset, rt_bytes)) {
        bdrv_error(errp, "qcow2: the L1 table overlaps the reference count table");
        return -EINVAL;
    }
    if (s->refcount_table_offset + rt_bytes > (uint64_t)flen) {
        bdrv_error(errp, "Could not read the reference count table: it is past the end of the file");
        return -EINVAL;
    }

    s->l1_table = calloc(s->l1_size ? s->l1_size : 1, sizeof(uint64_t));
    if (s->l1_size) {
        ret = bdrv_pread(bs->file, s->l1_table_offset, s->l1_table, l1_bytes);
        if (ret < 0) {
            bdrv_error(errp, "Could not read L1 table: %s", strerror(-ret));
            return ret;
        }
        for (uint32_t i = 0; i < s->l1_size; i++) {
            s->l1_table[i] = be64_get(&s->l1_table[i]);
        }
    }
    s->refcount_table_size = (uint32_t)(rt_bytes / 8);
    s->refcount_table = malloc(rt_bytes);
    ret = bdrv_pread(bs->file, s->refcount_table_offset, s->refcount_table, rt_bytes);
    if (ret < 0) {
        bdrv_error(errp, "Could not read the reference count table: %s", strerror(-ret));
        return ret;
    }
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        s->refcount_table[i] = be64_get(&s->refcount_table[i]);
    }
    return 0;
}

static uint8_t *put_ext(uint8_t *p, uint32_t type, const void *data, uint32_t len)
{
    be32_put(p, type);
    be32_put(p + 4, len);
    memcpy(p + 8, data, len);
    uint32_t padded = (uint32_t)qcow2_align_up(len, 8);
    memset(p + 8 + len, 0, padded - len);
    return p + 8 + padded;
}

int qcow2_update_header(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *c = calloc(1, s->cluster_size);
    uint8_t *p;
    be32_put(c + QH_MAGIC, QCOW2_MAGIC);
    be32_put(c + QH_VERSION, (uint32_t)s->version);
    be32_put(c + QH_CLUSTER_BITS, (uint32_t)s->cluster_bits);
    be64_put(c + QH_SIZE, s->size);
    be32_put(c + QH_CRYPT, s->crypt_method);
    be32_put(c + QH_L1_SIZE, s->l1_size);
    be64_put(c + QH_L1_OFFSET, s->l1_table_offset);
    be64_put(c + QH_RT_OFFSET, s->refcount_table_offset);
    be32_put(c + QH_RT_CLUSTERS, s->refcount_table_clusters);
    be32_put(c + QH_NB_SNAPSHOTS, s->nb_snapshots);
    be64_put(c + QH_SNAPSHOTS_OFFSET, s->snapshots_offset);
    if (s->version >= 3) {
        if (s->header_length < QCOW2_V3_HEADER_SIZE + 8) {
            s->header_length = QCOW2_V3_HEADER_SIZE + 8;   /* room for compression_type */
        }
        be64_put(c + QH_INCOMPAT, s->incompatible_features);
        be64_put(c + QH_COMPAT, s->compatible_features);
        be64_put(c + QH_AUTOCLEAR, s->autoclear_features);
        be32_put(c + QH_REFCOUNT_ORDER, (uint32_t)s->refcount_order);
        be32_put(c + QH_HEADER_LENGTH, s->header_length);
        c[QH_COMPRESSION_TYPE] = (uint8_t)s->compression_type;
        p = c + s->header_length;
    } else {
        p = c + QCOW2_V2_HEADER_SIZE;
    }
    uint8_t *end = c + s->cluster_size;
    size_t table_bytes = sizeof(known_features) / sizeof(known_features[0]) * 48;
    size_t need = 8 + strlen(bs->backing_file) +
                  (bs->backing_format[0] ? 8 + qcow2_align_up(strlen(bs->backing_format), 8) : 0);
    for (int i = 0; i < s->n_unknown_exts; i++) {
        need += 8 + qcow2_align_up(s->unknown_exts[i].len, 8);
    }
    if ((size_t)(end - p) < need) {
        free(c);
        return -ENOSPC;   /* does not fit in cluster 0 */
    }
    /* the feature name table is optional: left out when cluster 0 is too small */
    bool with_table = s->version >= 3 && (size_t)(end - p) >= need + 8 + table_bytes;
    if (bs->backing_format[0]) {
        p = put_ext(p, QCOW2_EXT_BACKING_FMT, bs->backing_format, (uint32_t)strlen(bs->backing_format));
    }
    if (with_table) {
        uint8_t table[sizeof(known_features) / sizeof(known_features[0]) * 48];
        memset(table, 0, sizeof(table));
        for (size_t i = 0; i < sizeof(known_features) / sizeof(known_features[0]); i++) {
            table[i * 48] = known_features[i].type;
            table[i * 48 + 1] = known_features[i].bit;
            strncpy((char *)table + i * 48 + 2, known_features[i].name, 46);
        }
        p = put_ext(p, QCOW2_EXT_FEATURE_TABLE, table, sizeof(table));
    }
    for (int i = 0; i < s->n_unknown_exts; i++) {
        p = put_ext(p, s->unknown_exts[i].type, s->unknown_exts[i].data, s->unknown_exts[i].len);
    }
    p += 8;   /* end-of-extensions marker (zeroes) */
    if (bs->backing_file[0]) {
        size_t len = strlen(bs->backing_file);
        memcpy(p, bs->backing_file, len);
        be64_put(c + QH_BACKING_OFFSET, (uint64_t)(p - c));
        be32_put(c + QH_BACKING_SIZE, (uint32_t)len);
        p += len;
    }
    /* one write of the used bytes: a header usually fits in one sector */
    int ret = bdrv_pwrite(bs->file, 0, c, (uint64_t)(p - c));
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    free(c);
    return ret;
}

int qcow2_set_incompat_bit(BlockDriverState *bs, uint64_t bit, bool set)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->version < 3) {
        return 0;    /* version 2 has no feature bits */
    }
    uint64_t v = set ? s->incompatible_features | bit : s->incompatible_features & ~bit;
    if (v == s->incompatible_features) {
        return 0;
    }
    uint8_t buf[8];
    be64_put(buf, v);
    int ret = 0;
    if (!set && bit == QCOW2_INCOMPAT_DIRTY) {
        /* the counts lazy refcounts kept in memory go first */
        ret = qcow2_cache_write_dirty(s->refblock_cache);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        ret = bdrv_pwrite(bs->file, QH_INCOMPAT, buf, 8);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        s->incompatible_features = v;
        if (!set && bit == QCOW2_INCOMPAT_DIRTY) {
            s->lazy_dirtied = false;
        }
    }
    return ret;
}
