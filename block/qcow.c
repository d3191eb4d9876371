/*
 * qcow.c — QEMU's original image format, qcow version 1: read, write and
 * create, with a backing file and zlib-compressed clusters.
 *
 * Layout (big-endian, facts from the format's description): a 48-byte header
 * (magic "QFI\xfb", version 1, backing name offset/length, mtime, virtual size
 * in bytes, cluster_bits, l2_bits, crypt method, L1 table offset), the
 * backing file name, then the L1 table.  A guest offset splits into an L1
 * index, an L2 index (l2_bits) and an offset in the cluster.  L1 entries are
 * offsets of L2 tables (8 << l2_bits bytes), 0 = unallocated; L2 entries are
 * cluster offsets, 0 = unallocated (read from the backing file, or zeroes),
 * bit 63 = compressed: then the low 63 - cluster_bits bits are the byte
 * offset and the cluster_bits bits above them the compressed length (raw
 * deflate, 4 KiB window).  The format has no refcounts: new L2 tables and
 * clusters go at the end of the file; an overwritten compressed cluster is
 * simply left behind.
 *
 * Write order: the data cluster, then the L2 entry, then (for a new L2 table,
 * written zeroed first) the L1 entry, so a crash never leaves an entry
 * pointing at unwritten data.
 */
#include "block/block.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define QCOW_MAGIC 0x514649fbu
#define QCOW_HEADER_SIZE 48
#define QCOW_OFLAG_COMPRESSED (1ull << 63)
#define QCOW_MAX_L1_ENTRIES (32u << 20 >> 3)   /* 32 MiB of L1 table */
#define QCOW_MAX_BACKING_NAME 1023

typedef struct QcowState {
    unsigned cluster_bits, l2_bits;
    uint64_t cluster_size, l2_entries;
    uint64_t size;
    uint32_t l1_size;
    uint64_t l1_offset;
    uint64_t *l1;              /* host order */
    uint64_t *l2;              /* one cached L2 table, host order */
    uint64_t l2_cached;        /* its offset; 0 = none */
    uint8_t *cbuf;             /* compressed input */
    uint8_t *dbuf;             /* one decompressed cluster */
    uint64_t dbuf_entry;       /* the L2 entry dbuf holds; 0 = none */
    uint64_t file_end;         /* where the next allocation goes */
} QcowState;

static const BlockOptDesc qcow_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "backing_file", BOPT_STRING, "File name of a base image", NULL },
    { "backing_fmt", BOPT_STRING, "Format of the backing image", NULL },
    { NULL, 0, NULL, NULL },
};

static uint32_t rd32(const uint8_t *p) { return be32toh(*(const uint32_t *)(const void *)p); }
static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return be64toh(v);
}
static void wr32(uint8_t *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }

static int qcow_probe(const uint8_t *buf, size_t len)
{
    if (len >= 8 && rd32(buf) == QCOW_MAGIC && rd32(buf + 4) == 1) {
        return 100;
    }
    return 0;
}

static void qcow_close(BlockDriverState *bs)
{
    QcowState *s = bs->opaque;
    free(s->l1);
    free(s->l2);
    free(s->cbuf);
    free(s->dbuf);
    s->l1 = s->l2 = NULL;
    s->cbuf = s->dbuf = NULL;
}

static int qcow_open_image(BlockDriverState *bs, char **errp)
{
    QcowState *s = bs->opaque;
    uint8_t h[QCOW_HEADER_SIZE];
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        bdrv_error(errp, "Could not read qcow image: %s", strerror((int)-flen));
        return (int)flen;
    }
    if (flen < QCOW_HEADER_SIZE) {
        bdrv_error(errp, "qcow image is truncated (%lld bytes, the header needs %d)",
                   (long long)flen, QCOW_HEADER_SIZE);
        return -EINVAL;
    }
    int r = bdrv_pread(bs->file, 0, h, sizeof(h));
    if (r < 0) {
        bdrv_error(errp, "Could not read qcow header: %s", strerror(-r));
        return r;
    }
    if (rd32(h) != QCOW_MAGIC) {
        bdrv_error(errp, "Image is not in qcow format");
        return -EINVAL;
    }
    if (rd32(h + 4) != 1) {
        bdrv_error(errp, "qcow (v%u) does not support qcow version %u", 1u, rd32(h + 4));
        return -ENOTSUP;
    }
    uint64_t backing_off = rd64(h + 8);
    uint32_t backing_len = rd32(h + 16);
    s->size = rd64(h + 24);
    s->cluster_bits = h[32];
    s->l2_bits = h[33];
    uint32_t crypt = rd32(h + 36);
    s->l1_offset = rd64(h + 40);
    if (s->cluster_bits < 9 || s->cluster_bits > 16) {
        bdrv_error(errp, "Cluster size must be between 512 and 64k (cluster_bits=%u)", s->cluster_bits);
        return -EINVAL;
    }
    if (s->l2_bits < 6 || s->l2_bits > 16) {
        bdrv_error(errp, "L2 table size must be between 512 and 64k (l2_bits=%u)", s->l2_bits);
        return -EINVAL;
    }
    if (crypt != 0) {
        bdrv_error(errp, "qcow: AES encryption (crypt_method %u) is not supported", crypt);
        return -ENOTSUP;
    }
    s->cluster_size = 1ull << s->cluster_bits;
    s->l2_entries = 1ull << s->l2_bits;
    unsigned shift = s->cluster_bits + s->l2_bits;
    if (s->size > (uint64_t)INT64_MAX - (1ull << shift)) {
        bdrv_error(errp, "Image too large (virtual size %llu)", (unsigned long long)s->size);
        return -EFBIG;
    }
    uint64_t l1 = (s->size + (1ull << shift) - 1) >> shift;
    if (l1 > QCOW_MAX_L1_ENTRIES) {
        bdrv_error(errp, "Image too large: L1 table of %llu entries", (unsigned long long)l1);
        return -EFBIG;
    }
    s->l1_size = (uint32_t)l1;
    if (s->l1_offset % 8 || s->l1_offset > (uint64_t)flen ||
        (uint64_t)flen - s->l1_offset < (uint64_t)s->l1_size * 8) {
        bdrv_error(errp, "Invalid L1 table offset %#llx (%u entries, file of %lld bytes)",
                   (unsigned long long)s->l1_offset, s->l1_size, (long long)flen);
        return -EINVAL;
    }
    if (backing_off) {
        if (backing_len > QCOW_MAX_BACKING_NAME || backing_off > (uint64_t)flen ||
            (uint64_t)flen - backing_off < backing_len) {
            bdrv_error(errp, "Invalid backing file name (offset %#llx, length %u)",
                       (unsigned long long)backing_off, backing_len);
            return -EINVAL;
        }
        char name[QCOW_MAX_BACKING_NAME + 1];
        r = bdrv_pread(bs->file, backing_off, name, backing_len);
        if (r < 0) {
            bdrv_error(errp, "Could not read the backing file name: %s", strerror(-r));
            return r;
        }
        name[backing_len] = 0;
        snprintf(bs->backing_file, sizeof(bs->backing_file), "%s", name);
    }
    s->l1 = calloc(s->l1_size ? s->l1_size : 1, 8);
    s->l2 = malloc(s->l2_entries * 8);
    s->cbuf = malloc(s->cluster_size + 1024);
    s->dbuf = malloc(s->cluster_size);
    if (!s->l1 || !s->l2 || !s->cbuf || !s->dbuf) {
        qcow_close(bs);
        bdrv_error(errp, "Out of memory");
        return -ENOMEM;
    }
    r = bdrv_pread(bs->file, s->l1_offset, s->l1, (uint64_t)s->l1_size * 8);
    if (r < 0) {
        qcow_close(bs);
        bdrv_error(errp, "Could not read the L1 table: %s", strerror(-r));
        return r;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        s->l1[i] = be64toh(s->l1[i]);
    }
    s->file_end = (uint64_t)flen;
    s->l2_cached = 0;
    s->dbuf_entry = 0;
    return 0;
}

static int qcow_open(BlockDriverState *bs, int flags, char **errp)
{
    bs->file = bdrv_open(bs->filename, "raw", flags & BDRV_O_RDWR, errp);
    if (!bs->file) {
        return -EIO;
    }
    int r = qcow_open_image(bs, errp);
    if (r < 0) {
        qcow_close(bs);
        bdrv_close(bs->file);
        bs->file = NULL;
    }
    return r;
}

static int64_t qcow_getlength(BlockDriverState *bs)
{
    QcowState *s = bs->opaque;
    return (int64_t)s->size;
}

/* Makes the L2 table at l2_offset the cached one; checks it is in the file. */
static int load_l2(BlockDriverState *bs, uint64_t l2_offset)
{
    QcowState *s = bs->opaque;
    if (s->l2_cached == l2_offset) {
        return 0;
    }
    uint64_t bytes = s->l2_entries * 8;
    if (l2_offset % 8 || l2_offset > s->file_end || s->file_end - l2_offset < bytes) {
        fprintf(stderr, "qcow: L2 table offset %#llx is outside the image\n",
                (unsigned long long)l2_offset);
        return -EIO;
    }
    s->l2_cached = 0;
    int r = bdrv_pread(bs->file, l2_offset, s->l2, bytes);
    if (r < 0) {
        return r;
    }
    for (uint64_t i = 0; i < s->l2_entries; i++) {
        s->l2[i] = be64toh(s->l2[i]);
    }
    s->l2_cached = l2_offset;
    return 0;
}

/* The L2 entry of the cluster holding guest offset `offset` (0 = none). */
static int get_entry(BlockDriverState *bs, uint64_t offset, uint64_t *entry)
{
    QcowState *s = bs->opaque;
    uint64_t l1i = offset >> (s->cluster_bits + s->l2_bits);
    *entry = 0;
    if (l1i >= s->l1_size || !s->l1[l1i]) {
        return 0;
    }
    int r = load_l2(bs, s->l1[l1i]);
    if (r < 0) {
        return r;
    }
    *entry = s->l2[(offset >> s->cluster_bits) & (s->l2_entries - 1)];
    return 0;
}

static uint64_t compressed_offset(QcowState *s, uint64_t e)
{
    return e & ((1ull << (63 - s->cluster_bits)) - 1);
}

static uint64_t compressed_size(QcowState *s, uint64_t e)
{
    return (e >> (63 - s->cluster_bits)) & (s->cluster_size - 1);
}

/* Inflates the compressed cluster of entry e into s->dbuf. */
static int load_compressed(BlockDriverState *bs, uint64_t e)
{
    QcowState *s = bs->opaque;
    if (s->dbuf_entry == e) {
        return 0;
    }
    uint64_t off = compressed_offset(s, e), csize = compressed_size(s, e);
    if (csize == 0 || off > s->file_end || s->file_end - off < csize) {
        fprintf(stderr, "qcow: compressed cluster at %#llx (%llu bytes) is outside the image\n",
                (unsigned long long)off, (unsigned long long)csize);
        return -EIO;
    }
    s->dbuf_entry = 0;
    int r = bdrv_pread(bs->file, off, s->cbuf, csize);
    if (r < 0) {
        return r;
    }
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, -12) != Z_OK) {
        return -ENOMEM;
    }
    z.next_in = s->cbuf;
    z.avail_in = (uInt)csize;
    z.next_out = s->dbuf;
    z.avail_out = (uInt)s->cluster_size;
    int zr = inflate(&z, Z_FINISH);
    uint64_t out = s->cluster_size - z.avail_out;
    inflateEnd(&z);
    if ((zr != Z_STREAM_END && zr != Z_BUF_ERROR && zr != Z_OK) || out != s->cluster_size) {
        fprintf(stderr, "qcow: a compressed cluster at %#llx does not decompress\n",
                (unsigned long long)off);
        return -EIO;
    }
    s->dbuf_entry = e;
    return 0;
}

/* Reads [offset, offset+n) inside one cluster whose entry is e. */
static int read_in_cluster(BlockDriverState *bs, uint64_t offset, uint64_t n, uint64_t e, uint8_t *buf)
{
    QcowState *s = bs->opaque;
    uint64_t in = offset & (s->cluster_size - 1);
    if (!e) {
        memset(buf, 0, n);
        if (bs->backing) {
            int64_t blen = bdrv_getlength(bs->backing);
            if (blen < 0) {
                return (int)blen;
            }
            if (offset < (uint64_t)blen) {
                uint64_t m = (uint64_t)blen - offset < n ? (uint64_t)blen - offset : n;
                return bdrv_pread(bs->backing, offset, buf, m);
            }
        }
        return 0;
    }
    if (e & QCOW_OFLAG_COMPRESSED) {
        int r = load_compressed(bs, e);
        if (r < 0) {
            return r;
        }
        memcpy(buf, s->dbuf + in, n);
        return 0;
    }
    if (e % s->cluster_size || e > s->file_end || s->file_end - e < s->cluster_size) {
        if (e % 512 || e > s->file_end) {   /* the last cluster may be short on disk */
            fprintf(stderr, "qcow: cluster offset %#llx is outside the image\n", (unsigned long long)e);
            return -EIO;
        }
    }
    return bdrv_pread(bs->file, e + in, buf, n);
}

/* The request cut at cluster boundaries, through one flat buffer. */
static int qcow_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    QcowState *s = bs->opaque;
    uint8_t *buf = NULL;
    bool flat = niov == 1;
    buf = flat ? iov[0].iov_base : malloc(bytes);
    if (!buf) {
        return -ENOMEM;
    }
    int r = 0;
    for (uint64_t done = 0; done < bytes;) {
        uint64_t off = offset + done;
        uint64_t n = s->cluster_size - (off & (s->cluster_size - 1));
        if (n > bytes - done) {
            n = bytes - done;
        }
        uint64_t e;
        r = get_entry(bs, off, &e);
        if (r < 0) {
            break;
        }
        r = read_in_cluster(bs, off, n, e, buf + done);
        if (r < 0) {
            break;
        }
        done += n;
    }
    if (!flat) {
        uint64_t pos = 0;
        for (int i = 0; i < niov && pos < bytes; i++) {
            uint64_t m = iov[i].iov_len < bytes - pos ? iov[i].iov_len : bytes - pos;
            memcpy(iov[i].iov_base, buf + pos, m);
            pos += m;
        }
        free(buf);
    }
    return r < 0 ? r : 0;
}

/* Space at the end of the file: aligned to `align`. */
static uint64_t alloc_at_end(QcowState *s, uint64_t bytes, uint64_t align)
{
    uint64_t off = (s->file_end + align - 1) & ~(align - 1);
    s->file_end = off + bytes;
    return off;
}

/* Sets the L2 entry of the cluster at guest offset `offset` to e, allocating
 * the L2 table when needed.  The data e points to is already written. */
static int set_entry(BlockDriverState *bs, uint64_t offset, uint64_t e)
{
    QcowState *s = bs->opaque;
    uint64_t l1i = offset >> (s->cluster_bits + s->l2_bits);
    uint64_t l2i = (offset >> s->cluster_bits) & (s->l2_entries - 1);
    uint64_t tbytes = s->l2_entries * 8;
    int r;
    if (!s->l1[l1i]) {
        uint64_t l2off = alloc_at_end(s, tbytes, s->cluster_size);
        memset(s->l2, 0, tbytes);
        s->l2_cached = 0;
        s->l2[l2i] = e;
        uint8_t *tab = calloc(1, tbytes);
        if (!tab) {
            return -ENOMEM;
        }
        wr64(tab + l2i * 8, e);
        r = bdrv_pwrite(bs->file, l2off, tab, tbytes);
        free(tab);
        if (r < 0) {
            return r;
        }
        uint8_t be[8];
        wr64(be, l2off);
        r = bdrv_pwrite(bs->file, s->l1_offset + l1i * 8, be, 8);
        if (r < 0) {
            return r;
        }
        s->l1[l1i] = l2off;
        s->l2_cached = l2off;
        return 0;
    }
    r = load_l2(bs, s->l1[l1i]);
    if (r < 0) {
        return r;
    }
    uint8_t be[8];
    wr64(be, e);
    r = bdrv_pwrite(bs->file, s->l1[l1i] + l2i * 8, be, 8);
    if (r < 0) {
        return r;
    }
    s->l2[l2i] = e;
    return 0;
}

/* Writes n bytes at offset, inside one cluster. */
static int write_in_cluster(BlockDriverState *bs, uint64_t offset, uint64_t n, const uint8_t *data)
{
    QcowState *s = bs->opaque;
    uint64_t e;
    int r = get_entry(bs, offset, &e);
    if (r < 0) {
        return r;
    }
    uint64_t in = offset & (s->cluster_size - 1);
    if (e && !(e & QCOW_OFLAG_COMPRESSED)) {
        if (e % 512 || e > s->file_end) {
            fprintf(stderr, "qcow: cluster offset %#llx is outside the image\n", (unsigned long long)e);
            return -EIO;
        }
        return bdrv_pwrite(bs->file, e + in, data, n);
    }
    /* new cluster: copy what it held (backing file, compressed data) around
     * the written part, then point the entry at it */
    uint64_t start = offset - in;
    uint8_t *cl = malloc(s->cluster_size);
    if (!cl) {
        return -ENOMEM;
    }
    if (n < s->cluster_size) {
        uint64_t len = s->cluster_size;
        if (start + len > s->size) {
            len = s->size - start;
        }
        memset(cl, 0, s->cluster_size);
        r = read_in_cluster(bs, start, len, e, cl);
        if (r < 0) {
            free(cl);
            return r;
        }
    }
    memcpy(cl + in, data, n);
    uint64_t host = alloc_at_end(s, s->cluster_size, s->cluster_size);
    r = bdrv_pwrite(bs->file, host, cl, s->cluster_size);
    free(cl);
    if (r < 0) {
        return r;
    }
    if (s->dbuf_entry == e) {
        s->dbuf_entry = 0;
    }
    return set_entry(bs, start, host);
}

static int qcow_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov)
{
    QcowState *s = bs->opaque;
    bool flat = niov == 1;
    uint8_t *buf = flat ? iov[0].iov_base : malloc(bytes);
    if (!buf) {
        return -ENOMEM;
    }
    if (!flat) {
        uint64_t pos = 0;
        for (int i = 0; i < niov && pos < bytes; i++) {
            uint64_t m = iov[i].iov_len < bytes - pos ? iov[i].iov_len : bytes - pos;
            memcpy(buf + pos, iov[i].iov_base, m);
            pos += m;
        }
    }
    int r = 0;
    for (uint64_t done = 0; done < bytes;) {
        uint64_t off = offset + done;
        uint64_t n = s->cluster_size - (off & (s->cluster_size - 1));
        if (n > bytes - done) {
            n = bytes - done;
        }
        r = write_in_cluster(bs, off, n, buf + done);
        if (r < 0) {
            break;
        }
        done += n;
    }
    if (!flat) {
        free(buf);
    }
    return r < 0 ? r : 0;
}

static uint64_t qcow_compress_unit(BlockDriverState *bs)
{
    QcowState *s = bs->opaque;
    return s->cluster_size;
}

/* One whole cluster, stored compressed when that saves space. */
static int qcow_pwrite_compressed(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const void *data)
{
    QcowState *s = bs->opaque;
    if (offset % s->cluster_size || bytes > s->cluster_size) {
        return -EINVAL;
    }
    uint8_t *in = calloc(1, s->cluster_size);
    uint8_t *out = malloc(s->cluster_size);
    if (!in || !out) {
        free(in);
        free(out);
        return -ENOMEM;
    }
    memcpy(in, data, bytes);
    z_stream z;
    memset(&z, 0, sizeof(z));
    int r;
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        r = -ENOMEM;
        goto out;
    }
    z.next_in = in;
    z.avail_in = (uInt)s->cluster_size;
    z.next_out = out;
    z.avail_out = (uInt)s->cluster_size;
    int zr = deflate(&z, Z_FINISH);
    uint64_t clen = s->cluster_size - z.avail_out;
    deflateEnd(&z);
    if (zr != Z_STREAM_END || clen >= s->cluster_size) {
        /* does not shrink: store it as it is */
        r = write_in_cluster(bs, offset, s->cluster_size, in);
        goto out;
    }
    uint64_t host = alloc_at_end(s, clen, 1);
    r = bdrv_pwrite(bs->file, host, out, clen);
    if (r >= 0) {
        r = set_entry(bs, offset, QCOW_OFLAG_COMPRESSED | (clen << (63 - s->cluster_bits)) | host);
    }
out:
    free(in);
    free(out);
    return r < 0 ? r : 0;
}

static int qcow_flush(BlockDriverState *bs)
{
    return bdrv_flush(bs->file);
}

static int qcow_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    QcowState *s = bs->opaque;
    st->bytes = 0;
    st->flags = 0;
    st->file = bs->file;
    uint64_t expect_host = 0;
    while (st->bytes < bytes) {
        uint64_t off = offset + st->bytes;
        uint64_t n = s->cluster_size - (off & (s->cluster_size - 1));
        if (n > bytes - st->bytes) {
            n = bytes - st->bytes;
        }
        uint64_t e;
        int r = get_entry(bs, off, &e);
        if (r < 0) {
            return r;
        }
        unsigned f = 0;
        uint64_t host = 0;
        if (e & QCOW_OFLAG_COMPRESSED) {
            f = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
        } else if (e) {
            f = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
            host = e + (off & (s->cluster_size - 1));
        }
        if (st->bytes == 0) {
            st->flags = f;
            st->host_offset = host;
        } else if (f != st->flags || ((f & BDRV_BLOCK_OFFSET_VALID) && host != expect_host)) {
            break;
        }
        expect_host = host + n;
        st->bytes += n;
    }
    return 0;
}

static int qcow_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    const char *backing = block_opts_get(opts, "backing_file");
    size_t blen = backing ? strlen(backing) : 0;
    if (blen > QCOW_MAX_BACKING_NAME) {
        bdrv_error(errp, "Backing file name too long");
        return -EINVAL;
    }
    /* qemu-img's geometry: over a backing file 512-byte clusters (a sector
     * write never copies from the backing file) and 4096-entry (32 KiB) L2
     * tables; otherwise 4 KiB clusters and 512-entry (4 KiB) L2 tables */
    const unsigned cluster_bits = backing ? 9 : 12, l2_bits = backing ? 12 : 9;
    const unsigned shift = cluster_bits + l2_bits;
    size = (size + 511) & ~511ull;
    uint64_t l1 = (size + (1ull << shift) - 1) >> shift;
    if (l1 > QCOW_MAX_L1_ENTRIES) {
        bdrv_error(errp, "Image size is too large for the qcow format");
        return -EFBIG;
    }
    uint64_t header_end = QCOW_HEADER_SIZE + blen;
    uint64_t l1_offset = (header_end + 7) & ~7ull;
    uint64_t l1_bytes = (l1 * 8 + 511) & ~511ull;   /* whole sectors, like qemu-img */
    uint8_t *img = calloc(1, l1_offset + l1_bytes);
    if (!img) {
        return -ENOMEM;
    }
    wr32(img, QCOW_MAGIC);
    wr32(img + 4, 1);
    if (backing) {
        wr64(img + 8, QCOW_HEADER_SIZE);
        wr32(img + 16, (uint32_t)blen);
        memcpy(img + QCOW_HEADER_SIZE, backing, blen);
    }
    wr32(img + 20, 0);   /* mtime: unused */
    wr64(img + 24, size);
    img[32] = (uint8_t)cluster_bits;
    img[33] = (uint8_t)l2_bits;
    wr32(img + 36, 0);
    wr64(img + 40, l1_offset);
    int fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        bdrv_error(errp, "Could not create '%s': %s", filename, strerror(e));
        free(img);
        return -e;
    }
    size_t total = l1_offset + l1_bytes;
    ssize_t w = pwrite(fd, img, total, 0);
    int e = errno;
    free(img);
    if (w != (ssize_t)total || fsync(fd) < 0) {
        e = w < 0 ? e : (w != (ssize_t)total ? ENOSPC : errno);
        close(fd);
        bdrv_error(errp, "Could not write '%s': %s", filename, strerror(e));
        return -e;
    }
    close(fd);
    return 0;
}

static int qcow_get_info(BlockDriverState *bs, BlockFormatInfo *info)
{
    QcowState *s = bs->opaque;
    info->cluster_size = (int64_t)s->cluster_size;
    return 0;
}

const BlockDriver bdrv_qcow = {
    .format_name = "qcow",
    .instance_size = sizeof(QcowState),
    .is_format = true,
    .create_opts = qcow_create_opts,
    .probe = qcow_probe,
    .open = qcow_open,
    .close = qcow_close,
    .preadv = qcow_preadv,
    .pwritev = qcow_pwritev,
    .pwrite_compressed = qcow_pwrite_compressed,
    .compress_unit = qcow_compress_unit,
    .flush = qcow_flush,
    .block_status = qcow_block_status,
    .getlength = qcow_getlength,
    .create = qcow_create,
    .get_info = qcow_get_info,
};
