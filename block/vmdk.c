/*
 * vmdk.c — the VMDK driver: opening (a sparse extent with its embedded
 * descriptor, or a descriptor file naming FLAT, SPARSE and ZERO extents),
 * the request paths across extents, block status and `info` fields.
 * Sparse extents are in vmdk-sparse.c, the descriptor and header encoding
 * in vmdk-descriptor.c, creation in vmdk-create.c.
 */
#include "block/vmdk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static int vmdk_probe(const uint8_t *buf, size_t len)
{
    if (len >= 4 && buf[0] == 'K' && buf[1] == 'D' && buf[2] == 'M' && buf[3] == 'V') {
        return 100;
    }
    static const char sig[] = "# Disk DescriptorFile";
    if (len >= sizeof(sig) - 1 && !memcmp(buf, sig, sizeof(sig) - 1)) {
        return 100;
    }
    /* a descriptor without the comment line still names its create type */
    if (memmem(buf, len, "createType=", 11) && memmem(buf, len, "version=", 8) &&
        !memchr(buf, 0, len)) {
        return 90;
    }
    return 0;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void vmdk_close(BlockDriverState *bs)
{
    BDRVVmdkState *s = bs->opaque;
    for (int i = 0; i < s->nb_extents; i++) {
        if (s->extents[i].streaming && !bs->read_only) {
            if (vmdk_stream_finish(bs, &s->extents[i]) < 0) {
                fprintf(stderr, "vemu-img: could not finish the streamOptimized VMDK '%s'\n",
                        bs->filename);
            }
        }
        vmdk_extent_free(&s->extents[i]);
    }
    free(s->extents);
    free(s->grain_buf);
    free(s->zbuf);
    memset(s, 0, sizeof(*s));
}

/* The descriptor embedded in a sparse extent: CID, parent, create type. */
static int read_embedded_descriptor(BlockDriverState *bs, VmdkExtent *e, char **errp)
{
    uint64_t off = e->h.desc_offset * VMDK_SECTOR, len = e->h.desc_size * VMDK_SECTOR;
    int64_t fsize = bdrv_getlength(bs->file);
    if (!e->h.desc_offset || !e->h.desc_size) {
        return 0;
    }
    if (len > VMDK_MAX_DESC || e->h.desc_offset > (uint64_t)fsize / VMDK_SECTOR ||
        off + len > (uint64_t)fsize) {
        bdrv_error(errp, "VMDK descriptor of '%s' is past the end of the file or too large",
                   bs->filename);
        return -EINVAL;
    }
    char *text = malloc(len + 1);
    int ret = text ? bdrv_pread(bs->file, off, text, len) : -ENOMEM;
    if (ret == 0) {
        text[len] = 0;
        ret = vmdk_parse_descriptor(bs, text, strlen(text), true, errp);
    }
    free(text);
    return ret;
}

static int open_descriptor_file(BlockDriverState *bs, int flags, char **errp)
{
    BDRVVmdkState *s = bs->opaque;
    int64_t fsize = bdrv_getlength(bs->file);
    if (fsize < 0) {
        return (int)fsize;
    }
    if (fsize > VMDK_MAX_DESC) {
        bdrv_error(errp, "'%s' is not a VMDK image (no sparse header, and too large for a "
                   "descriptor)", bs->filename);
        return -EINVAL;
    }
    char *text = malloc((size_t)fsize + 1);
    int ret = text ? bdrv_pread(bs->file, 0, text, (uint64_t)fsize) : -ENOMEM;
    if (ret < 0) {
        free(text);
        return ret;
    }
    text[fsize] = 0;
    if (!strstr(text, "createType")) {
        free(text);
        bdrv_error(errp, "'%s' is not a VMDK image (bad magic, no descriptor)", bs->filename);
        return -EINVAL;
    }
    ret = vmdk_parse_descriptor(bs, text, strlen(text), false, errp);
    free(text);
    for (int i = 0; ret == 0 && i < s->nb_extents; i++) {
        VmdkExtent *e = &s->extents[i];
        if (e->type == VMDK_EXT_ZERO) {
            continue;
        }
        char path[4096];
        bdrv_resolve_backing_name(bs->filename, e->name, path, sizeof(path));
        if (same_file(path, bs->filename)) {
            bdrv_error(errp, "VMDK extent '%s' of '%s' is the descriptor itself (a loop)",
                       e->name, bs->filename);
            return -ELOOP;
        }
        char *err = NULL;
        e->file = bdrv_open(path, "raw", flags & BDRV_O_RDWR, &err);
        if (!e->file) {
            bdrv_error(errp, "Could not open VMDK extent '%s' of '%s': %s", e->name,
                       bs->filename, err ? err : "error");
            free(err);
            return -ENOENT;
        }
        e->owns_file = true;
        if (e->type == VMDK_EXT_SPARSE) {
            uint64_t want = e->length;
            ret = vmdk_open_sparse(bs, e, flags & BDRV_O_RDWR, errp);
            if (ret == 0 && want > e->h.capacity * VMDK_SECTOR) {
                bdrv_error(errp, "VMDK extent '%s' is smaller than the descriptor says", e->name);
                ret = -EINVAL;
            }
            e->length = want;
        }
    }
    return ret;
}

static int vmdk_open(BlockDriverState *bs, int flags, char **errp)
{
    BDRVVmdkState *s = bs->opaque;
    uint8_t magic[4] = { 0 };
    int ret;
    bs->file = bdrv_open(bs->filename, "raw", flags & BDRV_O_RDWR, errp);
    if (!bs->file) {
        return -EIO;
    }
    int64_t fsize = bdrv_getlength(bs->file);
    if (fsize < 0 || (fsize >= 4 && bdrv_pread(bs->file, 0, magic, 4) < 0)) {
        ret = -EIO;
    } else if (fsize >= 4 && !memcmp(magic, "KDMV", 4)) {
        s->extents = calloc(1, sizeof(*s->extents));
        s->nb_extents = 1;
        VmdkExtent *e = &s->extents[0];
        e->type = VMDK_EXT_SPARSE;
        e->file = bs->file;
        e->gt_cached = -1;
        ret = vmdk_open_sparse(bs, e, flags & BDRV_O_RDWR, errp);
        if (ret == 0) {
            ret = read_embedded_descriptor(bs, e, errp);
        }
        s->total = e->length;
        if (!s->create_type[0]) {
            snprintf(s->create_type, sizeof(s->create_type), "monolithicSparse");
        }
    } else {
        ret = open_descriptor_file(bs, flags, errp);
    }
    uint64_t grain = VMDK_SECTOR;
    for (int i = 0; ret == 0 && i < s->nb_extents; i++) {
        VmdkExtent *e = &s->extents[i];
        if (e->type == VMDK_EXT_SPARSE && e->grain > grain) {
            grain = e->grain;
        }
        if ((flags & BDRV_O_RDWR) && e->compressed && !e->streaming) {
            bdrv_error(errp, "Writing to an existing streamOptimized VMDK ('%s') is not "
                       "supported", bs->filename);
            ret = -ENOTSUP;
        }
    }
    if (ret == 0) {
        s->grain_buf = malloc(grain);
        s->zbuf = malloc(2 * grain + compressBound(grain) + 2 * VMDK_SECTOR);
        ret = s->grain_buf && s->zbuf ? 0 : -ENOMEM;
    }
    if (ret < 0) {
        bdrv_error(errp, "Could not open VMDK '%s': %s", bs->filename, strerror(-ret));
        for (int i = 0; i < s->nb_extents; i++) {
            s->extents[i].streaming = false;   /* nothing was written: no footer */
        }
        vmdk_close(bs);
        bdrv_close(bs->file);   /* the core frees only what the driver kept */
        bs->file = NULL;
    }
    return ret;
}

static VmdkExtent *find_extent(BDRVVmdkState *s, uint64_t off)
{
    int lo = 0, hi = s->nb_extents - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        VmdkExtent *e = &s->extents[mid];
        if (off < e->start) {
            hi = mid - 1;
        } else if (off >= e->start + e->length) {
            lo = mid + 1;
        } else {
            return e;
        }
    }
    return NULL;
}

/* Length of the piece at off that one call can serve: to the end of the
 * extent and, for sparse extents, of the grain. */
static uint64_t piece(VmdkExtent *e, uint64_t off, uint64_t left)
{
    uint64_t rel = off - e->start, n = e->length - rel;
    if (e->type == VMDK_EXT_SPARSE && e->grain - rel % e->grain < n) {
        n = e->grain - rel % e->grain;
    }
    return n < left ? n : left;
}

static int flat_read(VmdkExtent *e, uint64_t rel, uint8_t *buf, uint64_t n)
{
    int64_t flen = bdrv_getlength(e->file);
    uint64_t at = e->flat_offset + rel, have = 0;
    if (flen < 0) {
        return (int)flen;
    }
    if (at < (uint64_t)flen) {
        have = (uint64_t)flen - at < n ? (uint64_t)flen - at : n;
    }
    memset(buf + have, 0, n - have);   /* a short flat file reads as zeroes */
    return have ? bdrv_pread(e->file, at, buf, have) : 0;
}

typedef int (*PieceFn)(BlockDriverState *bs, VmdkExtent *e, uint64_t rel, uint8_t *buf,
                       uint64_t n);

static int read_piece(BlockDriverState *bs, VmdkExtent *e, uint64_t rel, uint8_t *buf, uint64_t n)
{
    switch (e->type) {
    case VMDK_EXT_ZERO:
        memset(buf, 0, n);
        return 0;
    case VMDK_EXT_FLAT:
        return flat_read(e, rel, buf, n);
    default:
        return vmdk_sparse_read(bs, e, rel, buf, n);
    }
}

static int write_piece(BlockDriverState *bs, VmdkExtent *e, uint64_t rel, uint8_t *buf, uint64_t n)
{
    switch (e->type) {
    case VMDK_EXT_ZERO:
        return -ENOTSUP;
    case VMDK_EXT_FLAT:
        return bdrv_pwrite(e->file, e->flat_offset + rel, buf, n);
    default:
        return vmdk_sparse_write(bs, e, rel, buf, n);
    }
}

static int for_pieces(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov, bool write, PieceFn fn)
{
    BDRVVmdkState *s = bs->opaque;
    uint8_t *buf = malloc(bytes ? bytes : 1);
    if (!buf) {
        return -ENOMEM;
    }
    uint64_t off = 0;
    for (int i = 0; write && i < niov && off < bytes; i++) {
        size_t n = iov[i].iov_len < bytes - off ? iov[i].iov_len : bytes - off;
        memcpy(buf + off, iov[i].iov_base, n);
        off += n;
    }
    int ret = 0;
    for (uint64_t done = 0; done < bytes && ret == 0;) {
        VmdkExtent *e = find_extent(s, offset + done);
        if (!e) {
            ret = -EIO;
            break;
        }
        uint64_t n = piece(e, offset + done, bytes - done);
        ret = fn(bs, e, offset + done - e->start, buf + done, n);
        done += n;
    }
    off = 0;
    for (int i = 0; !write && ret == 0 && i < niov && off < bytes; i++) {
        size_t n = iov[i].iov_len < bytes - off ? iov[i].iov_len : bytes - off;
        memcpy(iov[i].iov_base, buf + off, n);
        off += n;
    }
    free(buf);
    return ret;
}

static int vmdk_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    return for_pieces(bs, offset, bytes, iov, niov, false, read_piece);
}

static int vmdk_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov)
{
    return for_pieces(bs, offset, bytes, iov, niov, true, write_piece);
}

static int vmdk_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    BDRVVmdkState *s = bs->opaque;
    int ret = 0;
    for (uint64_t done = 0; done < bytes && ret == 0;) {
        VmdkExtent *e = find_extent(s, offset + done);
        if (!e) {
            return -EIO;
        }
        uint64_t n = piece(e, offset + done, bytes - done), rel = offset + done - e->start;
        if (e->type == VMDK_EXT_FLAT) {
            ret = bdrv_pwrite_zeroes(e->file, e->flat_offset + rel, n, flags);
        } else if (e->type == VMDK_EXT_SPARSE) {
            ret = vmdk_sparse_zero(bs, e, rel, n);
        }
        done += n;
    }
    return ret;
}

/* convert -c: streamOptimized extents compress every grain anyway; other
 * extents store the data plainly, as qemu-img does for them. */
static uint64_t vmdk_compress_unit(BlockDriverState *bs)
{
    BDRVVmdkState *s = bs->opaque;
    uint64_t unit = 64 * 1024;
    for (int i = 0; i < s->nb_extents; i++) {
        if (s->extents[i].type == VMDK_EXT_SPARSE && s->extents[i].grain > unit) {
            unit = s->extents[i].grain;
        }
    }
    return unit;
}

static int vmdk_pwrite_compressed(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                                  const void *buf)
{
    struct iovec v = { (void *)buf, bytes };
    return vmdk_pwritev(bs, offset, bytes, &v, 1);
}

static int vmdk_flush(BlockDriverState *bs)
{
    BDRVVmdkState *s = bs->opaque;
    int ret = 0;
    for (int i = 0; i < s->nb_extents && ret == 0; i++) {
        if (s->extents[i].file) {
            ret = bdrv_flush(s->extents[i].file);
        }
    }
    return ret;
}

static int vmdk_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                             BlockStatus *st)
{
    BDRVVmdkState *s = bs->opaque;
    VmdkExtent *e = find_extent(s, offset);
    if (!e) {
        return -EIO;
    }
    uint64_t n = piece(e, offset, bytes), rel = offset - e->start;
    memset(st, 0, sizeof(*st));
    st->bytes = n;
    switch (e->type) {
    case VMDK_EXT_ZERO:
        st->flags = BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
        return 0;
    case VMDK_EXT_FLAT:
        st->flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
        st->host_offset = e->flat_offset + rel;
        st->file = e->file;
        return 0;
    default:
        return vmdk_sparse_status(bs, e, rel, n, st);
    }
}

static int64_t vmdk_getlength(BlockDriverState *bs)
{
    BDRVVmdkState *s = bs->opaque;
    return (int64_t)s->total;
}

/* The descriptor file and every extent file (qemu-img's "disk size"). */
static int64_t vmdk_allocated_file_size(BlockDriverState *bs)
{
    BDRVVmdkState *s = bs->opaque;
    int64_t total = bdrv_allocated_file_size(bs->file);
    for (int i = 0; total >= 0 && i < s->nb_extents; i++) {
        if (s->extents[i].owns_file) {
            int64_t n = bdrv_allocated_file_size(s->extents[i].file);
            total = n < 0 ? n : total + n;
        }
    }
    return total;
}

static int vmdk_get_info(BlockDriverState *bs, BlockFormatInfo *fi)
{
    BDRVVmdkState *s = bs->opaque;
    memset(fi, 0, sizeof(*fi));
    if (s->nb_extents && s->extents[0].type == VMDK_EXT_SPARSE) {
        fi->cluster_size = (int64_t)s->extents[0].grain;
    }
    fi->fields[fi->nfields++] = (BlockInfoField){ "cid", BINFO_INT, NULL, s->cid };
    fi->fields[fi->nfields++] = (BlockInfoField){ "parent-cid", BINFO_INT, NULL, s->parent_cid };
    fi->fields[fi->nfields++] = (BlockInfoField){ "create-type", BINFO_STR, s->create_type, 0 };
    /* the extents as qemu-img lists them (ZERO extents have no file) */
    fi->list_key = "extents";
    for (int i = 0; i < s->nb_extents && fi->nrecords < BDRV_MAX_INFO_RECORDS; i++) {
        VmdkExtent *e = &s->extents[i];
        if (!e->file) {
            continue;
        }
        BlockInfoRecord *r = &fi->records[fi->nrecords++];
        if (e->compressed) {
            r->fields[r->nfields++] = (BlockInfoField){ "compressed", BINFO_BOOL, NULL, 1 };
        }
        r->fields[r->nfields++] = (BlockInfoField){ "virtual-size", BINFO_INT, NULL,
                                                    (int64_t)e->length };
        snprintf(r->str, sizeof(r->str), "%s", e->file->filename);
        r->fields[r->nfields++] = (BlockInfoField){ "filename", BINFO_STR, r->str, 0 };
        if (e->type == VMDK_EXT_SPARSE) {
            r->fields[r->nfields++] = (BlockInfoField){ "cluster-size", BINFO_INT, NULL,
                                                        (int64_t)e->grain };
        }
        /* the descriptor's extent type; "" for the single extent of a
         * monolithic sparse file, which has no extent line of its own */
        const char *fmt = !e->name ? "" : e->type == VMDK_EXT_FLAT ? "FLAT" : "SPARSE";
        r->fields[r->nfields++] = (BlockInfoField){ "format", BINFO_STR, fmt, 0 };
    }
    return 0;
}

static int vmdk_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    BDRVVmdkState *s = bs->opaque;
    memset(res, 0, sizeof(*res));
    for (int i = 0; i < s->nb_extents; i++) {
        if (s->extents[i].type == VMDK_EXT_SPARSE) {
            vmdk_sparse_check(&s->extents[i], s->extents[i].start, res);
        }
    }
    (void)fix;   /* nothing to repair: a bad offset has no right value */
    return 0;
}

const BlockDriver bdrv_vmdk = {
    .format_name = "vmdk",
    .instance_size = sizeof(BDRVVmdkState),
    .is_format = true,
    .create_opts = vmdk_create_opts,
    .probe = vmdk_probe,
    .open = vmdk_open,
    .close = vmdk_close,
    .preadv = vmdk_preadv,
    .pwritev = vmdk_pwritev,
    .pwrite_zeroes = vmdk_pwrite_zeroes,
    .pwrite_compressed = vmdk_pwrite_compressed,
    .compress_unit = vmdk_compress_unit,
    .flush = vmdk_flush,
    .block_status = vmdk_block_status,
    .getlength = vmdk_getlength,
    .allocated_file_size = vmdk_allocated_file_size,
    .create = vmdk_create,
    .get_info = vmdk_get_info,
    .check = vmdk_check,
};
