/*
 * vdi.c — VirtualBox disk images (VDI), static and dynamic: read, for
 * conversion.
 *
 * Layout (little-endian, facts from the VDI format description): a 64-byte
 * text banner, then at 0x40 the signature 0xbeda107f and the version (1.1),
 * and a version-1.1 header: header size, image type (1 dynamic, 2 static),
 * flags, a 256-byte description, the offsets of the block map (0x154) and of
 * the data (0x158), the legacy geometry with the sector size (0x168), the
 * disk size (0x170, u64), the block size (0x178), the extra bytes in front of
 * each block (0x17c), the number of blocks (0x180) and of allocated blocks
 * (0x184), then UUIDs.  The block map has one u32 per block: the index of the
 * block in the data area, 0xffffffff unallocated and 0xfffffffe zeroed (both
 * read as zeroes).
 */
#include "block/block.h"
#include "block/mapped-image.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VDI_SIGNATURE 0xbeda107fu
#define VDI_UNALLOCATED 0xffffffffu
#define VDI_DISCARDED 0xfffffffeu
#define VDI_MAX_BLOCKS (32u << 20 >> 2)     /* a 32 MiB block map */

typedef struct VdiState {
    uint64_t size;
    uint32_t block_size, block_extra, nblocks;
    uint32_t nallocated;       /* the header's count of allocated blocks */
    uint64_t data_offset;
    uint32_t *bmap;            /* host order */
    uint64_t file_len;
} VdiState;

static uint32_t le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return le32toh(v);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return le64toh(v);
}

static int vdi_probe(const uint8_t *buf, size_t len)
{
    return len >= 0x48 && le32(buf + 0x40) == VDI_SIGNATURE ? 100 : 0;
}

static void vdi_close(BlockDriverState *bs)
{
    VdiState *s = bs->opaque;
    free(s->bmap);
    s->bmap = NULL;
}

static int vdi_open_image(BlockDriverState *bs, char **errp)
{
    VdiState *s = bs->opaque;
    uint8_t h[0x190];
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        bdrv_error(errp, "Could not read VDI image: %s", strerror((int)-flen));
        return (int)flen;
    }
    if ((uint64_t)flen < sizeof(h)) {
        bdrv_error(errp, "VDI image is truncated (%lld bytes, the header needs %zu)",
                   (long long)flen, sizeof(h));
        return -EINVAL;
    }
    s->file_len = (uint64_t)flen;
    int r = bdrv_pread(bs->file, 0, h, sizeof(h));
    if (r < 0) {
        bdrv_error(errp, "Could not read VDI header: %s", strerror(-r));
        return r;
    }
    if (le32(h + 0x40) != VDI_SIGNATURE) {
        bdrv_error(errp, "Image is not in VDI format");
        return -EINVAL;
    }
    uint32_t version = le32(h + 0x44);
    if (version != 0x00010001) {
        bdrv_error(errp, "unsupported VDI image (version %u.%u)", version >> 16, version & 0xffff);
        return -ENOTSUP;
    }
    uint32_t type = le32(h + 0x4c);
    uint64_t bmap_offset = le32(h + 0x154);
    s->data_offset = le32(h + 0x158);
    uint32_t sector_size = le32(h + 0x168);
    s->size = le64(h + 0x170);
    s->block_size = le32(h + 0x178);
    s->block_extra = le32(h + 0x17c);
    s->nblocks = le32(h + 0x180);
    s->nallocated = le32(h + 0x184);
    if (type != 1 && type != 2) {
        bdrv_error(errp, "unsupported VDI image type %u", type);
        return -ENOTSUP;
    }
    if (sector_size != 512) {
        bdrv_error(errp, "unsupported VDI image (sector size %u is not 512)", sector_size);
        return -ENOTSUP;
    }
    if (s->block_size < 512 || s->block_size > (64u << 20) || (s->block_size & (s->block_size - 1))) {
        bdrv_error(errp, "unsupported VDI image (block size %u)", s->block_size);
        return -ENOTSUP;
    }
    if (s->block_extra > (64u << 20)) {
        bdrv_error(errp, "unsupported VDI image (%u extra bytes per block)", s->block_extra);
        return -ENOTSUP;
    }
    if (s->nblocks > VDI_MAX_BLOCKS) {
        bdrv_error(errp, "unsupported VDI image (too many blocks: %u)", s->nblocks);
        return -EFBIG;
    }
    if (s->size > (uint64_t)s->nblocks * s->block_size) {
        bdrv_error(errp, "unsupported VDI image (disk size %llu, blocks cover %llu)",
                   (unsigned long long)s->size, (unsigned long long)s->nblocks * s->block_size);
        return -EINVAL;
    }
    if (bmap_offset > s->file_len || s->file_len - bmap_offset < (uint64_t)s->nblocks * 4) {
        bdrv_error(errp, "Invalid VDI block map offset %#llx (%u blocks, file of %lld bytes)",
                   (unsigned long long)bmap_offset, s->nblocks, (long long)flen);
        return -EINVAL;
    }
    s->bmap = malloc(((size_t)s->nblocks + 1) * 4);
    if (!s->bmap) {
        bdrv_error(errp, "Out of memory");
        return -ENOMEM;
    }
    r = bdrv_pread(bs->file, bmap_offset, s->bmap, (uint64_t)s->nblocks * 4);
    if (r < 0) {
        bdrv_error(errp, "Could not read the VDI block map: %s", strerror(-r));
        return r;
    }
    for (uint32_t i = 0; i < s->nblocks; i++) {
        s->bmap[i] = le32toh(s->bmap[i]);
        if (s->bmap[i] < VDI_DISCARDED && s->bmap[i] >= s->nblocks) {
            bdrv_error(errp, "Invalid VDI block map entry %u -> %u (%u blocks)", i, s->bmap[i], s->nblocks);
            return -EINVAL;
        }
    }
    return 0;
}

static int vdi_open(BlockDriverState *bs, int flags, char **errp)
{
    return mapped_image_open_readonly(bs, flags, "vdi", vdi_open_image, vdi_close, errp);
}

static int64_t vdi_getlength(BlockDriverState *bs)
{
    VdiState *s = bs->opaque;
    return (int64_t)s->size;
}

/* Host offset of guest offset `off` (0 = reads as zeroes), checked. */
static int vdi_map(BlockDriverState *bs, uint64_t off, uint64_t n, uint64_t *host)
{
    VdiState *s = bs->opaque;
    uint32_t idx = s->bmap[off / s->block_size];
    *host = 0;
    if (idx >= VDI_DISCARDED) {
        return 0;
    }
    uint64_t h = s->data_offset + (uint64_t)idx * ((uint64_t)s->block_size + s->block_extra) +
                 s->block_extra + off % s->block_size;
    if (h > s->file_len || s->file_len - h < n) {
        fprintf(stderr, "vdi: block %llu at %#llx is outside the image\n",
                (unsigned long long)(off / s->block_size), (unsigned long long)h);
        return -EIO;
    }
    *host = h;
    return 0;
}

/* One map entry: the rest of the block at off. */
static uint64_t vdi_chunk(BlockDriverState *bs, uint64_t off, uint64_t left)
{
    VdiState *s = bs->opaque;
    uint64_t n = s->block_size - off % s->block_size;
    return n < left ? n : left;
}

static const MappedImageOps vdi_mapped = { .chunk = vdi_chunk, .map = vdi_map };

static int vdi_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov)
{
    return mapped_image_preadv(bs, &vdi_mapped, offset, bytes, iov, niov);
}

static int vdi_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    return mapped_image_block_status(bs, &vdi_mapped, offset, bytes, st);
}

/* Every data block used by one guest block only, the header's count right
 * (reports like qemu-img's vdi check; no repair). */
static int vdi_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    VdiState *s = bs->opaque;
    (void)fix;
    memset(res, 0, sizeof(*res));
    uint32_t *owner = malloc(((size_t)s->nblocks + 1) * 4);
    if (!owner) {
        return -ENOMEM;
    }
    memset(owner, 0xff, ((size_t)s->nblocks + 1) * 4);
    uint32_t used = 0;
    for (uint32_t i = 0; i < s->nblocks; i++) {
        uint32_t e = s->bmap[i];
        if (e >= VDI_DISCARDED) {
            continue;
        }
        used++;
        if (e >= s->nallocated) {
            fprintf(stderr, "ERROR: block index %u too large, is %u\n", i, e);
            res->corruptions++;
        } else if (owner[e] == VDI_UNALLOCATED) {
            owner[e] = i;
        } else {
            fprintf(stderr, "ERROR: block index %u also used by %u\n", e, i);
            res->corruptions++;
        }
    }
    if (used != s->nallocated) {
        fprintf(stderr, "ERROR: allocated blocks mismatch, is %u, should be %u\n", used, s->nallocated);
        res->corruptions++;
    }
    free(owner);
    return 0;
}

static int vdi_get_info(BlockDriverState *bs, BlockFormatInfo *info)
{
    VdiState *s = bs->opaque;
    info->cluster_size = s->block_size;
    return 0;
}

const BlockDriver bdrv_vdi = {
    .format_name = "vdi",
    .instance_size = sizeof(VdiState),
    .thread_safe = false,
    .is_format = true,
    .probe = vdi_probe,
    .open = vdi_open,
    .close = vdi_close,
    .preadv = vdi_preadv,
    .block_status = vdi_block_status,
    .getlength = vdi_getlength,
    .get_info = vdi_get_info,
    .check = vdi_check,
};
