/*
 * qcow2-create.c — creating qcow2 images.  The file starts as a header, a
 * one-cluster refcount table and one refcount block; the L1 table (and, for
 * preallocation, the L2 tables and data clusters) are then allocated through
 * the ordinary allocator of the opened image, so creation shares the code
 * (and the crash-safety) of every other allocation.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int raw_create_file(const char *filename, uint64_t size, const char *prealloc, char **errp);

const BlockOptDesc qcow2_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "compat", BOPT_STRING, "Compatibility level (v2 [0.10] or v3 [1.1])", "1.1" },
    { "backing_file", BOPT_STRING, "File name of a base image", NULL },
    { "backing_fmt", BOPT_STRING, "Image format of the base image", NULL },
    { "cluster_size", BOPT_SIZE, "qcow2 cluster size", "65536" },
    { "preallocation", BOPT_STRING, "Preallocation mode (allowed values: off, metadata, falloc, full)", "off" },
    { "lazy_refcounts", BOPT_BOOL, "Postpone refcount updates", "off" },
    { "refcount_bits", BOPT_NUMBER, "Width of a reference count entry in bits", "16" },
    { "compression_type", BOPT_STRING, "Compression method used for image cluster compression", "zlib" },
    { "extended_l2", BOPT_BOOL, "Extended L2 tables", "off" },
    { NULL, 0, NULL, NULL },
};

typedef struct CreateParams {
    int version, cluster_bits, refcount_order, compression_type;
    bool lazy_refcounts, extended_l2;
    const char *prealloc, *backing_file, *backing_fmt;
} CreateParams;

static int parse_params(const char *filename, BlockOpts *opts, CreateParams *p, char **errp)
{
    uint64_t cs, rb = 16;
    bool extl2 = false;
    const char *compat = block_opts_get(opts, "compat");
    const char *ct = block_opts_get(opts, "compression_type");
    p->prealloc = block_opts_get(opts, "preallocation");
    p->backing_file = block_opts_get(opts, "backing_file");
    p->backing_fmt = block_opts_get(opts, "backing_fmt");
    if (!p->prealloc) {
        p->prealloc = "off";
    }
    if (block_opts_get_size(opts, "cluster_size", 65536, &cs, errp) < 0 ||
        block_opts_get_bool(opts, "lazy_refcounts", false, &p->lazy_refcounts, errp) < 0 ||
        block_opts_get_bool(opts, "extended_l2", false, &extl2, errp) < 0) {
        return -EINVAL;
    }
    if (block_opts_get(opts, "refcount_bits")) {
        rb = strtoull(block_opts_get(opts, "refcount_bits"), NULL, 0);
    }
    if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
        bdrv_error(errp, "Cluster size must be a power of two between 512 and 2048k");
        return -EINVAL;
    }
    p->cluster_bits = __builtin_ctzll(cs);
    if (!compat || !strcmp(compat, "1.1") || !strcmp(compat, "v3")) {
        p->version = 3;
    } else if (!strcmp(compat, "0.10") || !strcmp(compat, "v2")) {
        p->version = 2;
    } else {
        bdrv_error(errp, "Parameter 'version' does not accept value '%s'", compat);
        return -EINVAL;
    }
    if (!rb || rb > 64 || (rb & (rb - 1))) {
        bdrv_error(errp, "Refcount width must be a power of two and may not exceed 64 bits");
        return -EINVAL;
    }
    p->refcount_order = __builtin_ctzll(rb);
    if (!ct || !strcmp(ct, "zlib")) {
        p->compression_type = QCOW2_COMPRESSION_ZLIB;
    } else if (!strcmp(ct, "zstd")) {
        p->compression_type = QCOW2_COMPRESSION_ZSTD;
    } else {
        bdrv_error(errp, "Parameter 'compression-type' does not accept value '%s'", ct);
        return -EINVAL;
    }
    if (strcmp(p->prealloc, "off") && strcmp(p->prealloc, "metadata") &&
        strcmp(p->prealloc, "falloc") && strcmp(p->prealloc, "full")) {
        bdrv_error(errp, "Parameter 'preallocation' does not accept value '%s'", p->prealloc);
        return -EINVAL;
    }
    if (p->version < 3) {
        if (p->compression_type != QCOW2_COMPRESSION_ZLIB) {
            bdrv_error(errp, "Non-zlib compression type is only supported with compatibility "
                       "level 1.1 and above (use version=v3 or greater)");
            return -EINVAL;
        }
        if (rb != 16) {
            bdrv_error(errp, "Different refcount widths than 16 bits require compatibility "
                       "level 1.1 or above (use version=v3 or greater)");
            return -EINVAL;
        }
        if (p->lazy_refcounts) {
            bdrv_error(errp, "Lazy refcounts only supported with compatibility level 1.1 "
                       "and above (use version=v3 or greater)");
            return -EINVAL;
        }
    }
    p->extended_l2 = extl2;
    if (extl2 && p->version < 3) {
        bdrv_error(errp, "Extended L2 entries are only supported with compatibility level 1.1 "
                   "and above (use version=v3 or greater)");
        return -EINVAL;
    }
    if (extl2 && p->cluster_bits < QCOW2_EXTL2_MIN_CLUSTER_BITS) {
        bdrv_error(errp, "Extended L2 entries are only supported with cluster sizes of at "
                   "least %u bytes", 1u << QCOW2_EXTL2_MIN_CLUSTER_BITS);
        return -EINVAL;
    }
    if (p->backing_file && strcmp(p->prealloc, "off") && !extl2) {
        bdrv_error(errp, "Backing file and preallocation can only be used at the same time "
                   "if extended_l2 is on");
        return -EINVAL;
    }
    if (p->backing_file && strlen(p->backing_file) > QCOW2_MAX_BACKING_NAME) {
        bdrv_error(errp, "Backing file name too long");
        return -EINVAL;
    }
    if (p->backing_fmt && strlen(p->backing_fmt) >= 32) {
        bdrv_error(errp, "Backing format name too long");
        return -EINVAL;
    }
    (void)filename;
    return 0;
}

/* Header, refcount table (cluster 1) and one refcount block (cluster 2). */
static int write_skeleton(const char *filename, const CreateParams *p, char **errp)
{
    uint32_t cs = 1u << p->cluster_bits;
    uint8_t *buf = calloc(3, cs);
    be32_put(buf + QH_MAGIC, QCOW2_MAGIC);
    be32_put(buf + QH_VERSION, (uint32_t)p->version);
    be32_put(buf + QH_CLUSTER_BITS, (uint32_t)p->cluster_bits);
    be64_put(buf + QH_RT_OFFSET, cs);
    be32_put(buf + QH_RT_CLUSTERS, 1);
    if (p->version >= 3) {
        uint64_t incompat = (p->compression_type ? QCOW2_INCOMPAT_COMPRESSION : 0) |
                            (p->extended_l2 ? QCOW2_INCOMPAT_EXTL2 : 0);
        be64_put(buf + QH_INCOMPAT, incompat);
        be64_put(buf + QH_COMPAT, p->lazy_refcounts ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0);
        be32_put(buf + QH_REFCOUNT_ORDER, (uint32_t)p->refcount_order);
        be32_put(buf + QH_HEADER_LENGTH, QCOW2_V3_HEADER_SIZE + 8);
        buf[QH_COMPRESSION_TYPE] = (uint8_t)p->compression_type;
    }
    be64_put(buf + cs, 2ull * cs);
    for (int i = 0; i < 3; i++) {
        qcow2_refblock_set(buf + 2 * cs, p->refcount_order, i, 1);
    }
    int fd = open(filename, O_WRONLY | O_CLOEXEC);
    int ret = 0;
    /* only the first sector of each cluster holds anything: the rest stays a hole */
    if (fd < 0 || pwrite(fd, buf, 512, 0) != 512 || pwrite(fd, buf + cs, 512, cs) != 512 ||
        pwrite(fd, buf + 2 * cs, 512, 2 * cs) != 512 || ftruncate(fd, 3ull * cs) < 0 ||
        fdatasync(fd) < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not write qcow2 header: %s", strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
    free(buf);
    return ret;
}

int qcow2_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    CreateParams p;
    int ret = parse_params(filename, opts, &p, errp);
    if (ret < 0) {
        return ret;
    }
    size = (size + 511) & ~511ull;   /* whole sectors, as qemu-img records them */
    uint64_t l2_span = 1ull << (2 * p.cluster_bits - (p.extended_l2 ? 4 : 3));
    uint64_t l1_size = (size + l2_span - 1) / l2_span;
    if (l1_size * 8 > QCOW2_MAX_L1_BYTES) {
        bdrv_error(errp, "The image size is too large for file format 'qcow2' (try using a larger cluster size)");
        return -EFBIG;
    }
    if ((ret = raw_create_file(filename, 0, "off", errp)) < 0 ||
        (ret = write_skeleton(filename, &p, errp)) < 0) {
        return ret;
    }
    BlockDriverState *bs = bdrv_open(filename, "qcow2", BDRV_O_RDWR | BDRV_O_NO_BACKING, errp);
    if (!bs) {
        return -EIO;
    }
    BDRVQcow2State *s = bs->opaque;
    s->size = size;
    if (l1_size) {
        uint64_t l1_bytes = qcow2_align_up(l1_size * 8, s->cluster_size);
        int64_t off = qcow2_alloc_clusters(bs, l1_bytes >> s->cluster_bits);
        ret = off < 0 ? (int)off : 0;
        if (ret == 0) {
            /* the new table is past the end of the file: extending it gives zeroes */
            int64_t flen = bdrv_getlength(bs->file);
            ret = flen < 0 ? (int)flen : (uint64_t)flen <= (uint64_t)off
                  ? bdrv_truncate(bs->file, (uint64_t)off + l1_bytes)
                  : bdrv_pwrite_zeroes(bs->file, (uint64_t)off, l1_bytes, 0);
        }
        if (ret == 0) {
            free(s->l1_table);
            s->l1_table = calloc(l1_size, sizeof(uint64_t));
            s->l1_size = (uint32_t)l1_size;
            s->l1_table_offset = (uint64_t)off;
        }
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        if (p.backing_file) {
            snprintf(bs->backing_file, sizeof(bs->backing_file), "%s", p.backing_file);
        }
        if (p.backing_fmt) {
            snprintf(bs->backing_format, sizeof(bs->backing_format), "%s", p.backing_fmt);
        }
        ret = qcow2_update_header(bs);
    }
    if (ret == 0 && strcmp(p.prealloc, "off")) {
        /* every guest cluster mapped to a fresh host cluster */
        ret = qcow2_preallocate_ext(bs, 0, size, p.prealloc, false);
    }
    if (ret < 0) {
        bdrv_error(errp, "Could not create the qcow2 image: %s", strerror(-ret));
    }
    bdrv_close(bs);
    return ret;
}
