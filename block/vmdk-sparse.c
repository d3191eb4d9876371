/*
 * vmdk-sparse.c — hosted sparse extents: the header (or, for
 * streamOptimized, the footer), the grain directory and grain tables,
 * plain and zlib-compressed grains, allocation of new grains, and the
 * append-only writing of a new streamOptimized extent (compressed grains
 * behind grain markers; GTs, GD, footer and end-of-stream marker at close).
 *
 * Every offset read from the file is checked against the file's size
 * before use: a bad one is an error, never a wild access.
 */
#include "block/vmdk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

static int read_table(BlockDriverState *f, uint64_t off, uint32_t *t, uint32_t n)
{
    int ret = bdrv_pread(f, off, t, (uint64_t)n * 4);
    for (uint32_t i = 0; ret == 0 && i < n; i++) {
        t[i] = le32toh(t[i]);
    }
    return ret;
}

int vmdk_open_sparse(BlockDriverState *bs, VmdkExtent *e, bool writable, char **errp)
{
    uint8_t hb[VMDK_SECTOR];
    int64_t fsize = bdrv_getlength(e->file);
    const char *name = e->file->filename;
    if (fsize < 0) {
        return (int)fsize;
    }
    if (fsize < VMDK_SECTOR || bdrv_pread(e->file, 0, hb, VMDK_SECTOR) < 0 ||
        vmdk_decode_header(hb, &e->h) < 0) {
        bdrv_error(errp, "'%s' is not a VMDK sparse extent (bad or truncated header)", name);
        return -EINVAL;
    }
    VmdkHeader *h = &e->h;
    if (h->gd_offset == VMDK_GD_AT_END) {
        /* streamOptimized: footer marker, footer (a copy of the header with
         * the real GD offset) and end-of-stream marker end the file */
        uint8_t tail[3 * VMDK_SECTOR];
        if (fsize >= 4 * VMDK_SECTOR && bdrv_pread(e->file, (uint64_t)fsize - sizeof(tail),
                                                   tail, sizeof(tail)) == 0 &&
            le32toh(*(uint32_t *)(tail + 12)) == VMDK_MARKER_FOOTER &&
            vmdk_decode_header(tail + VMDK_SECTOR, h) == 0) {
            if (h->gd_offset == VMDK_GD_AT_END) {
                bdrv_error(errp, "VMDK footer of '%s' has no grain directory", name);
                return -EINVAL;
            }
        } else if ((uint64_t)fsize == e->h.overhead * VMDK_SECTOR) {
            /* created empty by vmdk_create: grains are appended (read-only: all unallocated) */
            e->streaming = true;
        } else {
            bdrv_error(errp, "streamOptimized VMDK '%s' has no footer (truncated?)", name);
            return -EINVAL;
        }
    }
    if (h->version < 1 || h->version > 3) {
        bdrv_error(errp, "Unsupported VMDK version %u in '%s'", h->version, name);
        return -ENOTSUP;
    }
    if (!h->grain_size || (h->grain_size & (h->grain_size - 1)) ||
        h->grain_size > VMDK_MAX_GRAIN_SECTORS) {
        bdrv_error(errp, "Invalid VMDK grain size %llu sectors in '%s'",
                   (unsigned long long)h->grain_size, name);
        return -EINVAL;
    }
    if (!h->gtes_per_gt || h->gtes_per_gt > VMDK_MAX_GTES) {
        bdrv_error(errp, "Invalid VMDK grain table size %u in '%s'", h->gtes_per_gt, name);
        return -EINVAL;
    }
    e->compressed = h->flags & VMDK_FLAG_COMPRESS;
    e->markers = h->flags & VMDK_FLAG_MARKERS;
    if (e->compressed && h->compress_algorithm != VMDK_COMPRESS_DEFLATE) {
        bdrv_error(errp, "Unsupported VMDK compression algorithm %u in '%s'",
                   h->compress_algorithm, name);
        return -ENOTSUP;
    }
    if (h->capacity > (1ull << 40)) {
        bdrv_error(errp, "VMDK capacity of '%s' is too large", name);
        return -EINVAL;
    }
    e->grain = h->grain_size * VMDK_SECTOR;
    e->gt_bytes = (uint64_t)h->gtes_per_gt * 4;
    uint64_t per_gt = (uint64_t)h->gtes_per_gt * h->grain_size;
    uint64_t gd_entries = (h->capacity + per_gt - 1) / per_gt;
    if (gd_entries > VMDK_MAX_GD_ENTRIES) {
        bdrv_error(errp, "VMDK grain directory of '%s' is too large (%llu entries)", name,
                   (unsigned long long)gd_entries);
        return -EFBIG;
    }
    e->gd_entries = (uint32_t)gd_entries;
    if (e->length == 0 || e->length > h->capacity * VMDK_SECTOR) {
        e->length = h->capacity * VMDK_SECTOR;   /* monolithic: the header decides */
    }
    e->gt = malloc(e->gt_bytes);
    e->gd = calloc(e->gd_entries ? e->gd_entries : 1, 4);
    if (!e->gt || !e->gd) {
        return -ENOMEM;
    }
    e->file_end = round_up((uint64_t)fsize, VMDK_SECTOR);
    if (e->streaming) {
        e->stream_gts = calloc((size_t)e->gd_entries * h->gtes_per_gt + 1, 4);
        return e->stream_gts ? 0 : -ENOMEM;
    }
    uint64_t gd_bytes = (uint64_t)e->gd_entries * 4;
    if (h->gd_offset > (uint64_t)fsize / VMDK_SECTOR ||
        h->gd_offset * VMDK_SECTOR + gd_bytes > (uint64_t)fsize) {
        bdrv_error(errp, "VMDK grain directory of '%s' is past the end of the file", name);
        return -EINVAL;
    }
    e->gd_offset = h->gd_offset * VMDK_SECTOR;
    if (read_table(e->file, e->gd_offset, e->gd, e->gd_entries) < 0) {
        bdrv_error(errp, "Could not read the VMDK grain directory of '%s'", name);
        return -EIO;
    }
    if ((h->flags & VMDK_FLAG_RGD) && h->rgd_offset && writable) {
        if (h->rgd_offset > (uint64_t)fsize / VMDK_SECTOR ||
            h->rgd_offset * VMDK_SECTOR + gd_bytes > (uint64_t)fsize) {
            bdrv_error(errp, "VMDK redundant grain directory of '%s' is past the end", name);
            return -EINVAL;
        }
        e->rgd_offset = h->rgd_offset * VMDK_SECTOR;
        e->rgd = calloc(e->gd_entries ? e->gd_entries : 1, 4);
        if (!e->rgd || read_table(e->file, e->rgd_offset, e->rgd, e->gd_entries) < 0) {
            return -EIO;
        }
    }
    (void)bs;
    return 0;
}

void vmdk_extent_free(VmdkExtent *e)
{
    free(e->gd);
    free(e->rgd);
    free(e->gt);
    free(e->stream_gts);
    for (int i = 0; i < e->nb_pending; i++) {
        free(e->pending[i].buf);
    }
    free(e->pending);
    free(e->name);
    if (e->owns_file) {
        bdrv_close(e->file);
    }
}

/* The GT entry of the grain holding extent offset off (0: unallocated). */
static int get_entry(VmdkExtent *e, uint64_t off, uint32_t *entry)
{
    uint64_t g = off / e->grain;
    uint64_t gdi = g / e->h.gtes_per_gt, gti = g % e->h.gtes_per_gt;
    if (gdi >= e->gd_entries) {
        return -EIO;
    }
    if (e->streaming) {
        *entry = e->stream_gts[gdi * e->h.gtes_per_gt + gti];
        return 0;
    }
    if (!e->gd[gdi]) {
        *entry = 0;
        return 0;
    }
    if ((int64_t)gdi != e->gt_cached) {
        uint64_t at = (uint64_t)e->gd[gdi] * VMDK_SECTOR;
        if (at + e->gt_bytes > e->file_end) {
            return -EIO;   /* a grain table past the end */
        }
        e->gt_cached = -1;
        int ret = read_table(e->file, at, e->gt, e->h.gtes_per_gt);
        if (ret < 0) {
            return ret;
        }
        e->gt_cached = (int64_t)gdi;
    }
    *entry = e->gt[gti];
    return 0;
}

static bool is_zero_grain(VmdkExtent *e, uint32_t entry)
{
    return entry == 1 && (e->h.flags & VMDK_FLAG_ZERO_GRAIN);
}

/* Reads and inflates the compressed grain at sector entry into out (grain bytes). */
static int read_compressed(BlockDriverState *bs, VmdkExtent *e, uint32_t entry, uint8_t *out)
{
    BDRVVmdkState *s = bs->opaque;
    uint64_t at = (uint64_t)entry * VMDK_SECTOR, avail = e->grain * 2 + VMDK_SECTOR;
    if (at >= e->file_end) {
        return -EIO;
    }
    if (avail > e->file_end - at) {
        avail = e->file_end - at;
    }
    int ret = bdrv_pread(e->file, at, s->zbuf, avail);
    if (ret < 0) {
        return ret;
    }
    uint8_t *data = s->zbuf;
    uint64_t len = avail;
    if (e->markers) {
        /* grain marker: lba (8 bytes), size (4 bytes), then the data */
        uint32_t size = le32toh(*(uint32_t *)(s->zbuf + 8));
        if (avail < 12 || size > avail - 12) {
            return -EIO;
        }
        data += 12;
        len = size;
    }
    z_stream z = { 0 };
    if (inflateInit(&z) != Z_OK) {
        return -ENOMEM;
    }
    z.next_in = data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)e->grain;
    int zr = inflate(&z, Z_FINISH);
    uint64_t got = e->grain - z.avail_out;
    inflateEnd(&z);
    if (zr != Z_STREAM_END && !(zr == Z_OK || zr == Z_BUF_ERROR)) {
        return -EIO;
    }
    memset(out + got, 0, e->grain - got);   /* a short last grain */
    return 0;
}

/* Reads from the backing file, zeroes past its end (or without one). */
static int read_below(BlockDriverState *bs, uint64_t voff, uint8_t *buf, uint64_t n)
{
    memset(buf, 0, n);
    if (!bs->backing) {
        return 0;
    }
    int64_t blen = bdrv_getlength(bs->backing);
    if (blen < 0) {
        return (int)blen;
    }
    if (voff >= (uint64_t)blen) {
        return 0;
    }
    return bdrv_pread(bs->backing, voff, buf, n < (uint64_t)blen - voff ? n : (uint64_t)blen - voff);
}

int vmdk_sparse_read(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint8_t *buf, uint64_t n)
{
    BDRVVmdkState *s = bs->opaque;
    uint32_t entry;
    int ret = get_entry(e, off, &entry);
    if (ret < 0) {
        return ret;
    }
    uint64_t in = off % e->grain;
    if (!entry) {
        return read_below(bs, e->start + off, buf, n);
    }
    if (is_zero_grain(e, entry)) {
        memset(buf, 0, n);
        return 0;
    }
    if (e->compressed) {
        ret = read_compressed(bs, e, entry, s->grain_buf);
        if (ret == 0) {
            memcpy(buf, s->grain_buf + in, n);
        }
        return ret;
    }
    uint64_t at = (uint64_t)entry * VMDK_SECTOR + in;
    if (at + n > e->file_end) {
        return -EIO;   /* a grain past the end */
    }
    return bdrv_pread(e->file, at, buf, n);
}

int vmdk_sparse_status(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint64_t n,
                       BlockStatus *st)
{
    uint32_t entry;
    int ret = get_entry(e, off, &entry);
    if (ret < 0) {
        return ret;
    }
    st->bytes = n;
    if (!entry) {
        st->flags = bs->backing ? 0 : BDRV_BLOCK_ZERO;
    } else if (is_zero_grain(e, entry)) {
        st->flags = BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
    } else if (e->compressed) {
        st->flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
    } else {
        st->flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
        st->host_offset = (uint64_t)entry * VMDK_SECTOR + off % e->grain;
        st->file = e->file;
    }
    return 0;
}

/* Sets GT entry gti of table gdi in the GT and its redundant copy. */
static int set_entry(VmdkExtent *e, uint64_t gdi, uint64_t gti, uint32_t entry)
{
    uint32_t v = htole32(entry);
    int ret = bdrv_pwrite(e->file, (uint64_t)e->gd[gdi] * VMDK_SECTOR + gti * 4, &v, 4);
    if (ret == 0 && e->rgd && e->rgd[gdi]) {
        ret = bdrv_pwrite(e->file, (uint64_t)e->rgd[gdi] * VMDK_SECTOR + gti * 4, &v, 4);
    }
    if ((int64_t)gdi == e->gt_cached) {
        e->gt[gti] = entry;
    }
    return ret;
}

/* A new zeroed grain table (and its redundant copy) for GD entry gdi;
 * the tables are written before the directory entries point to them. */
static int alloc_gt(VmdkExtent *e, uint64_t gdi)
{
    uint64_t sz = round_up(e->gt_bytes, VMDK_SECTOR);
    uint8_t *z = calloc(1, sz);
    int n = e->rgd ? 2 : 1, ret = 0;
    uint64_t at[2];
    for (int i = 0; i < n && ret == 0; i++) {
        at[i] = e->file_end;
        e->file_end += sz;
        ret = bdrv_pwrite(e->file, at[i], z, sz);
    }
    free(z);
    if (ret == 0) {
        ret = bdrv_flush(e->file);
    }
    if (ret < 0 || at[n - 1] / VMDK_SECTOR > UINT32_MAX) {
        return ret < 0 ? ret : -EFBIG;
    }
    uint32_t v = htole32((uint32_t)(at[0] / VMDK_SECTOR));
    ret = bdrv_pwrite(e->file, e->gd_offset + gdi * 4, &v, 4);
    e->gd[gdi] = (uint32_t)(at[0] / VMDK_SECTOR);
    if (ret == 0 && e->rgd) {
        v = htole32((uint32_t)(at[1] / VMDK_SECTOR));
        ret = bdrv_pwrite(e->file, e->rgd_offset + gdi * 4, &v, 4);
        e->rgd[gdi] = (uint32_t)(at[1] / VMDK_SECTOR);
    }
    return ret;
}

/* streamOptimized: grain g (data: the whole grain) compressed behind its
 * marker, appended to the file. */
static int stream_emit(BlockDriverState *bs, VmdkExtent *e, uint64_t g, const uint8_t *data)
{
    BDRVVmdkState *s = bs->opaque;
    uint64_t gdi = g / e->h.gtes_per_gt, gti = g % e->h.gtes_per_gt;
    uLongf zlen = compressBound(e->grain);
    if (compress2(s->zbuf + 12, &zlen, data, e->grain, Z_DEFAULT_COMPRESSION) != Z_OK) {
        return -EIO;
    }
    uint64_t lba = htole64(g * e->h.grain_size);
    uint32_t size = htole32((uint32_t)zlen);
    memcpy(s->zbuf, &lba, 8);
    memcpy(s->zbuf + 8, &size, 4);
    uint64_t total = round_up(12 + zlen, VMDK_SECTOR);
    memset(s->zbuf + 12 + zlen, 0, total - 12 - zlen);
    if (e->file_end / VMDK_SECTOR > UINT32_MAX) {
        return -EFBIG;
    }
    int ret = bdrv_pwrite(e->file, e->file_end, s->zbuf, total);
    if (ret == 0) {
        e->stream_gts[gdi * e->h.gtes_per_gt + gti] = (uint32_t)(e->file_end / VMDK_SECTOR);
        e->file_end += total;
    }
    return ret;
}

static int emit_pending(BlockDriverState *bs, VmdkExtent *e, int i)
{
    VmdkPendingGrain p = e->pending[i];
    e->pending[i] = e->pending[--e->nb_pending];
    int ret = stream_emit(bs, e, p.index, p.buf);
    free(p.buf);
    return ret;
}

/* streamOptimized: each grain is written once; parts of a grain wait in
 * memory until the grain is whole (the tail of the disk may be short). */
static int stream_write(BlockDriverState *bs, VmdkExtent *e, uint64_t off, const uint8_t *buf,
                        uint64_t n)
{
    BDRVVmdkState *s = bs->opaque;
    uint64_t g = off / e->grain, in = off % e->grain;
    uint64_t gdi = g / e->h.gtes_per_gt, gti = g % e->h.gtes_per_gt;
    uint64_t gstart = g * e->grain;
    uint64_t glen = e->length - gstart < e->grain ? e->length - gstart : e->grain;
    if (e->stream_gts[gdi * e->h.gtes_per_gt + gti]) {
        return -ENOTSUP;   /* rewriting a grain of a stream is not possible */
    }
    int i = 0;
    while (i < e->nb_pending && e->pending[i].index != g) {
        i++;
    }
    if (i == e->nb_pending) {
        if (in == 0 && n == glen) {
            memset(s->grain_buf, 0, e->grain);
            memcpy(s->grain_buf, buf, n);
            return stream_emit(bs, e, g, s->grain_buf);
        }
        if (e->nb_pending >= VMDK_MAX_PENDING) {
            int ret = emit_pending(bs, e, 0);   /* make room: a later part would fail */
            if (ret < 0) {
                return ret;
            }
            i = e->nb_pending;
        }
        if (!e->pending) {
            e->pending = calloc(VMDK_MAX_PENDING, sizeof(*e->pending));
        }
        uint8_t *b = calloc(1, e->grain);
        if (!e->pending || !b) {
            free(b);
            return -ENOMEM;
        }
        e->pending[i] = (VmdkPendingGrain){ g, 0, b };
        e->nb_pending++;
    }
    memcpy(e->pending[i].buf + in, buf, n);
    e->pending[i].filled += n;
    return e->pending[i].filled >= glen ? emit_pending(bs, e, i) : 0;
}

int vmdk_sparse_write(BlockDriverState *bs, VmdkExtent *e, uint64_t off, const uint8_t *buf,
                      uint64_t n)
{
    BDRVVmdkState *s = bs->opaque;
    if (e->streaming) {
        return stream_write(bs, e, off, buf, n);
    }
    if (e->compressed) {
        return -ENOTSUP;
    }
    uint32_t entry;
    int ret = get_entry(e, off, &entry);
    if (ret < 0) {
        return ret;
    }
    uint64_t in = off % e->grain;
    if (entry && !is_zero_grain(e, entry)) {
        uint64_t at = (uint64_t)entry * VMDK_SECTOR + in;
        return at + n > e->file_end ? -EIO : bdrv_pwrite(e->file, at, buf, n);
    }
    /* a new grain: the whole grain with what it read as before, written
     * before the GT entry points to it */
    uint64_t g = off / e->grain, gdi = g / e->h.gtes_per_gt, gti = g % e->h.gtes_per_gt;
    uint64_t gstart = g * e->grain;
    if (n < e->grain) {
        uint64_t have = e->length - gstart < e->grain ? e->length - gstart : e->grain;
        memset(s->grain_buf, 0, e->grain);
        if (!entry && (ret = read_below(bs, e->start + gstart, s->grain_buf, have)) < 0) {
            return ret;
        }
    }
    memcpy(s->grain_buf + in, buf, n);
    if (!e->gd[gdi] && (ret = alloc_gt(e, gdi)) < 0) {
        return ret;
    }
    uint64_t at = round_up(e->file_end, VMDK_SECTOR);
    if (at / VMDK_SECTOR > UINT32_MAX) {
        return -EFBIG;
    }
    ret = bdrv_pwrite(e->file, at, s->grain_buf, e->grain);
    if (ret < 0) {
        return ret;
    }
    e->file_end = at + e->grain;
    return set_entry(e, gdi, gti, (uint32_t)(at / VMDK_SECTOR));
}

/* Zeroes [off, off+n) of the extent (inside one grain): nothing where the
 * grain reads as zeroes already; a whole grain of an extent with the
 * zeroed-grain feature becomes GT entry 1 (a grain it held is left behind,
 * as qemu-img leaves it); otherwise zero data is written like any data. */
int vmdk_sparse_zero(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint64_t n)
{
    uint32_t entry;
    int ret = get_entry(e, off, &entry);
    if (ret < 0) {
        return ret;
    }
    uint64_t g = off / e->grain, gdi = g / e->h.gtes_per_gt, gti = g % e->h.gtes_per_gt;
    bool pending = false;
    for (int i = 0; i < e->nb_pending; i++) {
        pending |= e->pending[i].index == g;
    }
    if (is_zero_grain(e, entry) || (!entry && !bs->backing && !pending)) {
        return 0;
    }
    uint64_t gstart = g * e->grain;
    uint64_t glen = e->length - gstart < e->grain ? e->length - gstart : e->grain;
    if ((e->h.flags & VMDK_FLAG_ZERO_GRAIN) && !e->compressed && off % e->grain == 0 && n == glen) {
        if (!e->gd[gdi] && (ret = alloc_gt(e, gdi)) < 0) {
            return ret;
        }
        return set_entry(e, gdi, gti, 1);
    }
    uint8_t *z = calloc(1, n ? n : 1);
    if (!z) {
        return -ENOMEM;
    }
    ret = vmdk_sparse_write(bs, e, off, z, n);
    free(z);
    return ret;
}

static int write_marker(VmdkExtent *e, uint64_t val, uint32_t type)
{
    uint8_t m[VMDK_SECTOR] = { 0 };
    uint64_t v = htole64(val);
    uint32_t t = htole32(type);
    memcpy(m, &v, 8);
    memcpy(m + 12, &t, 4);
    int ret = bdrv_pwrite(e->file, e->file_end, m, VMDK_SECTOR);
    e->file_end += VMDK_SECTOR;
    return ret;
}

/* Ends a streamOptimized extent: GTs, GD, footer, end-of-stream marker. */
int vmdk_stream_finish(BlockDriverState *bs, VmdkExtent *e)
{
    int ret = 0;
    while (e->nb_pending && ret == 0) {
        ret = emit_pending(bs, e, e->nb_pending - 1);
    }
    free(e->pending);
    e->pending = NULL;
    if (ret < 0) {
        return ret;
    }
    uint64_t gt_sz = round_up(e->gt_bytes, VMDK_SECTOR);
    uint64_t gd_sz = round_up((uint64_t)e->gd_entries * 4, VMDK_SECTOR);
    uint8_t *t = calloc(1, gt_sz > gd_sz ? gt_sz : gd_sz);
    ret = t ? 0 : -ENOMEM;
    for (uint32_t i = 0; ret == 0 && i < e->gd_entries; i++) {
        uint32_t *gt = e->stream_gts + (size_t)i * e->h.gtes_per_gt;
        bool any = false;
        memset(t, 0, gt_sz);
        for (uint32_t j = 0; j < e->h.gtes_per_gt; j++) {
            any |= gt[j] != 0;
            ((uint32_t *)t)[j] = htole32(gt[j]);
        }
        e->gd[i] = 0;
        if (!any) {
            continue;
        }
        ret = write_marker(e, gt_sz / VMDK_SECTOR, VMDK_MARKER_GT);
        if (ret == 0) {
            e->gd[i] = (uint32_t)(e->file_end / VMDK_SECTOR);
            ret = bdrv_pwrite(e->file, e->file_end, t, gt_sz);
            e->file_end += gt_sz;
        }
    }
    if (ret == 0) {
        ret = write_marker(e, gd_sz / VMDK_SECTOR, VMDK_MARKER_GD);
    }
    uint64_t gd_at = e->file_end;
    if (ret == 0) {
        memset(t, 0, gd_sz);
        for (uint32_t i = 0; i < e->gd_entries; i++) {
            ((uint32_t *)t)[i] = htole32(e->gd[i]);
        }
        ret = bdrv_pwrite(e->file, gd_at, t, gd_sz);
        e->file_end += gd_sz;
    }
    if (ret == 0) {
        ret = write_marker(e, 1, VMDK_MARKER_FOOTER);
    }
    if (ret == 0) {
        uint8_t hb[VMDK_SECTOR];
        VmdkHeader f = e->h;
        f.gd_offset = gd_at / VMDK_SECTOR;
        vmdk_encode_header(&f, hb);
        ret = bdrv_pwrite(e->file, e->file_end, hb, VMDK_SECTOR);
        e->file_end += VMDK_SECTOR;
    }
    if (ret == 0) {
        ret = write_marker(e, 0, VMDK_MARKER_EOS);
    }
    if (ret == 0) {
        ret = bdrv_flush(e->file);
    }
    free(t);
    e->streaming = false;
    return ret;
}

/* check: every grain table and grain inside the file (extent byte offset
 * `base` in the virtual disk, for the messages). */
int vmdk_sparse_check(VmdkExtent *e, uint64_t base, BlockCheckResult *res)
{
    if (e->streaming) {
        return 0;
    }
    for (uint32_t i = 0; i < e->gd_entries; i++) {
        uint64_t sector = base / VMDK_SECTOR + (uint64_t)i * e->h.gtes_per_gt * e->h.grain_size;
        if (!e->gd[i]) {
            continue;
        }
        if ((uint64_t)e->gd[i] * VMDK_SECTOR + e->gt_bytes > e->file_end) {
            fprintf(stderr, "ERROR: grain table for sector %llu points after EOF\n",
                    (unsigned long long)sector);
            res->corruptions++;
            continue;
        }
        if (read_table(e->file, (uint64_t)e->gd[i] * VMDK_SECTOR, e->gt, e->h.gtes_per_gt) < 0) {
            res->check_errors++;
            continue;
        }
        e->gt_cached = i;
        for (uint32_t j = 0; j < e->h.gtes_per_gt; j++) {
            uint64_t at = (uint64_t)e->gt[j] * VMDK_SECTOR;
            if (!e->gt[j] || is_zero_grain(e, e->gt[j])) {
                continue;
            }
            if (e->compressed ? at >= e->file_end : at + e->grain > e->file_end) {
                fprintf(stderr, "ERROR: cluster offset for sector %llu points after EOF\n",
                        (unsigned long long)(sector + j * e->h.grain_size));
                res->corruptions++;
            }
        }
    }
    return 0;
}
