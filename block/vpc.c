/*
 * vpc.c — Virtual PC / Hyper-V disk images (VHD), fixed and dynamic: read,
 * for conversion.
 *
 * Layout (big-endian, facts from Microsoft's VHD specification): a 512-byte
 * footer ("conectix", features, version, data offset, timestamp, creator
 * application, creator version and OS, original and current size, CHS
 * geometry, disk type 2 fixed / 3 dynamic / 4 differencing, checksum, UUID)
 * at the end of the file; a fixed disk is the raw data followed by the
 * footer.  A dynamic disk also has a copy of the footer at offset 0 and, at
 * the footer's data offset, a 1024-byte dynamic header ("cxsparse", table
 * offset, max table entries, block size, checksum, parent fields).  The
 * block allocation table (BAT) has one u32 per block: the sector where the
 * block starts (its sector bitmap, padded to 512 bytes, then the data), or
 * 0xffffffff for an unallocated block, which reads as zeroes.  Checksums are
 * the one's complement of the byte sum of the structure with its checksum
 * field taken as zero.
 *
 * The disk's size: Virtual PC and QEMU's "qemu" creator use the CHS geometry
 * (cylinders * heads * sectors), Hyper-V ("win "), disk2vhd ("d2v "),
 * XenServer ("tap\0"), XenConverter ("CTXS") and QEMU's "qem2" the current
 * size field; the current size is also used when the geometry is the maximum
 * (65535/16/255), which cannot express bigger disks.  qemu-img follows the
 * same table, so both tools see the same size.
 */
#include "block/block.h"
#include "block/mapped-image.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VHD_FOOTER_SIZE 512
#define VHD_DYN_HEADER_SIZE 1024
#define VHD_FIXED 2
#define VHD_DYNAMIC 3
#define VHD_DIFFERENCING 4
#define VHD_UNALLOCATED 0xffffffffu
#define VHD_MAX_BAT_ENTRIES (32u << 20 >> 2)   /* a 32 MiB table */
#define VHD_MAX_GEOMETRY_SECTORS (65535ull * 16 * 255)

typedef struct VpcState {
    int type;
    uint64_t size;             /* virtual size, bytes */
    uint64_t file_len;
    uint32_t block_size;       /* dynamic */
    uint64_t bitmap_size;      /* bytes in front of each block's data */
    uint32_t nbat;
    uint32_t *bat;             /* host order */
} VpcState;

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return be32toh(v);
}
static uint64_t be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return be64toh(v);
}

/* one's complement of the byte sum, the 4 checksum bytes taken as zero */
static uint32_t vhd_checksum(const uint8_t *buf, size_t len, size_t csum_at)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        if (i < csum_at || i >= csum_at + 4) {
            sum += buf[i];
        }
    }
    return ~sum;
}

static int vpc_probe(const uint8_t *buf, size_t len)
{
    return len >= 8 && !memcmp(buf, "conectix", 8) ? 100 : 0;
}

static void vpc_close(BlockDriverState *bs)
{
    VpcState *s = bs->opaque;
    free(s->bat);
    s->bat = NULL;
}

static int open_dynamic(BlockDriverState *bs, uint64_t dyn_offset, char **errp)
{
    VpcState *s = bs->opaque;
    uint8_t d[VHD_DYN_HEADER_SIZE];
    if (dyn_offset > s->file_len || s->file_len - dyn_offset < sizeof(d)) {
        bdrv_error(errp, "Invalid VHD dynamic header offset %#llx (file of %llu bytes)",
                   (unsigned long long)dyn_offset, (unsigned long long)s->file_len);
        return -EINVAL;
    }
    int r = bdrv_pread(bs->file, dyn_offset, d, sizeof(d));
    if (r < 0) {
        bdrv_error(errp, "Could not read the VHD dynamic header: %s", strerror(-r));
        return r;
    }
    if (memcmp(d, "cxsparse", 8)) {
        bdrv_error(errp, "Invalid VHD dynamic header (no cxsparse cookie)");
        return -EINVAL;
    }
    if (vhd_checksum(d, sizeof(d), 36) != be32(d + 36)) {
        bdrv_error(errp, "Incorrect VHD dynamic header checksum");
        return -EINVAL;
    }
    uint64_t bat_offset = be64(d + 16);
    s->nbat = be32(d + 28);
    s->block_size = be32(d + 32);
    if (s->block_size < 512 || s->block_size > (256u << 20) || (s->block_size & (s->block_size - 1))) {
        bdrv_error(errp, "Invalid VHD block size %u", s->block_size);
        return -EINVAL;
    }
    if (s->nbat > VHD_MAX_BAT_ENTRIES) {
        bdrv_error(errp, "VHD block allocation table too large (%u entries)", s->nbat);
        return -EFBIG;
    }
    if (s->size > (uint64_t)s->nbat * s->block_size) {
        bdrv_error(errp, "VHD block allocation table of %u entries too small for the disk size %llu",
                   s->nbat, (unsigned long long)s->size);
        return -EINVAL;
    }
    if (bat_offset > s->file_len || s->file_len - bat_offset < (uint64_t)s->nbat * 4) {
        bdrv_error(errp, "Invalid VHD block allocation table offset %#llx (%u entries, file of %llu bytes)",
                   (unsigned long long)bat_offset, s->nbat, (unsigned long long)s->file_len);
        return -EINVAL;
    }
    /* one bit per sector, padded to whole sectors */
    s->bitmap_size = ((uint64_t)s->block_size / 512 / 8 + 511) & ~511ull;
    s->bat = malloc(((size_t)s->nbat + 1) * 4);
    if (!s->bat) {
        bdrv_error(errp, "Out of memory");
        return -ENOMEM;
    }
    r = bdrv_pread(bs->file, bat_offset, s->bat, (uint64_t)s->nbat * 4);
    if (r < 0) {
        bdrv_error(errp, "Could not read the VHD block allocation table: %s", strerror(-r));
        return r;
    }
    for (uint32_t i = 0; i < s->nbat; i++) {
        s->bat[i] = be32toh(s->bat[i]);
    }
    return 0;
}

static int vpc_open_image(BlockDriverState *bs, char **errp)
{
    VpcState *s = bs->opaque;
    uint8_t f[VHD_FOOTER_SIZE];
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        bdrv_error(errp, "Could not read VHD image: %s", strerror((int)-flen));
        return (int)flen;
    }
    if (flen < VHD_FOOTER_SIZE) {
        bdrv_error(errp, "VHD image is truncated (%lld bytes, the footer needs %d)",
                   (long long)flen, VHD_FOOTER_SIZE);
        return -EINVAL;
    }
    s->file_len = (uint64_t)flen;
    /* dynamic disks start with a copy of the footer; fixed ones end with it */
    int r = bdrv_pread(bs->file, 0, f, sizeof(f));
    if (r >= 0 && memcmp(f, "conectix", 8)) {
        r = bdrv_pread(bs->file, s->file_len - VHD_FOOTER_SIZE, f, sizeof(f));
    }
    if (r < 0) {
        bdrv_error(errp, "Could not read the VHD footer: %s", strerror(-r));
        return r;
    }
    if (memcmp(f, "conectix", 8)) {
        bdrv_error(errp, "Image is not in VHD format (no conectix footer)");
        return -EINVAL;
    }
    if (vhd_checksum(f, sizeof(f), 64) != be32(f + 64)) {
        bdrv_error(errp, "Incorrect header checksum");
        return -EINVAL;
    }
    s->type = (int)be32(f + 60);
    uint64_t current = be64(f + 48);
    uint64_t chs = (uint64_t)be16(f + 56) * f[58] * f[59];
    const char *app = (const char *)f + 28;
    bool by_size = !memcmp(app, "win ", 4) || !memcmp(app, "d2v ", 4) || !memcmp(app, "tap\0", 4) ||
                   !memcmp(app, "CTXS", 4) || !memcmp(app, "qem2", 4) || chs == VHD_MAX_GEOMETRY_SECTORS;
    s->size = by_size ? current / 512 * 512 : chs * 512;
    if (s->size > (1ull << 62)) {
        bdrv_error(errp, "VHD disk size %llu is too large", (unsigned long long)s->size);
        return -EFBIG;
    }
    switch (s->type) {
    case VHD_FIXED:
        if (s->size > s->file_len - VHD_FOOTER_SIZE) {
            bdrv_error(errp, "VHD image is truncated: fixed disk of %llu bytes in a file of %llu",
                       (unsigned long long)s->size, (unsigned long long)s->file_len);
            return -EINVAL;
        }
        return 0;
    case VHD_DYNAMIC:
        return open_dynamic(bs, be64(f + 16), errp);
    case VHD_DIFFERENCING:
        bdrv_error(errp, "differencing VHD images are not supported");
        return -ENOTSUP;
    default:
        bdrv_error(errp, "Invalid VHD disk type %d", s->type);
        return -EINVAL;
    }
}

static int vpc_open(BlockDriverState *bs, int flags, char **errp)
{
    return mapped_image_open_readonly(bs, flags, "vpc", vpc_open_image, vpc_close, errp);
}

static int64_t vpc_getlength(BlockDriverState *bs)
{
    VpcState *s = bs->opaque;
    return (int64_t)s->size;
}

/* Host offset of [off, off+n) (inside one block), 0 = reads as zeroes. */
static int vpc_map(BlockDriverState *bs, uint64_t off, uint64_t n, uint64_t *host)
{
    VpcState *s = bs->opaque;
    uint64_t h;
    *host = 0;
    if (s->type == VHD_FIXED) {
        h = off;
    } else {
        uint32_t sec = s->bat[off / s->block_size];
        if (sec == VHD_UNALLOCATED) {
            return 0;
        }
        h = (uint64_t)sec * 512 + s->bitmap_size + off % s->block_size;
    }
    if (h > s->file_len || s->file_len - h < n) {
        fprintf(stderr, "vpc: data for offset %llu at %#llx is outside the image\n",
                (unsigned long long)off, (unsigned long long)h);
        return -EIO;
    }
    *host = h;
    return s->type == VHD_FIXED ? 1 : 0;
}

/* One map entry: a fixed image is one range, a dynamic one a block. */
static uint64_t vpc_chunk(BlockDriverState *bs, uint64_t off, uint64_t left)
{
    VpcState *s = bs->opaque;
    if (s->type == VHD_FIXED) {
        return left;
    }
    uint64_t n = s->block_size - off % s->block_size;
    return n < left ? n : left;
}

static const MappedImageOps vpc_mapped = { .chunk = vpc_chunk, .map = vpc_map };

static int vpc_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov)
{
    return mapped_image_preadv(bs, &vpc_mapped, offset, bytes, iov, niov);
}

static int vpc_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    return mapped_image_block_status(bs, &vpc_mapped, offset, bytes, st);
}

static int vpc_get_info(BlockDriverState *bs, BlockFormatInfo *info)
{
    VpcState *s = bs->opaque;
    info->cluster_size = s->type == VHD_DYNAMIC ? s->block_size : 0;
    return 0;
}

const BlockDriver bdrv_vpc = {
    .format_name = "vpc",
    .instance_size = sizeof(VpcState),
    .is_format = true,
    .probe = vpc_probe,
    .open = vpc_open,
    .close = vpc_close,
    .preadv = vpc_preadv,
    .block_status = vpc_block_status,
    .getlength = vpc_getlength,
    .get_info = vpc_get_info,
};
