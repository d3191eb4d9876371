/*
 * vdi.c — VirtualBox disk images (VDI), static and dynamic: read, write,
 * create.
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
 *
 * Writing: a write into an unallocated block of a dynamic image takes the
 * next block of the data area (index = allocated count): the whole block
 * (the rest zeroes) is written first, then its block map entry, then the
 * header's allocated count, so that a crash leaves at most a block that
 * nothing references or a count that `check` reports.  Zero writes into
 * unallocated blocks allocate nothing.  Created images are what qemu-img
 * creates: the banner, the header, the block map at 0x200, the data area
 * after the map rounded to 512 bytes, 1 MiB blocks; static images have
 * every block allocated in order (the file is extended, sparse unless
 * preallocation= asks for more).
 */
#include "block/block.h"
#include "block/mapped-image.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VDI_SIGNATURE 0xbeda107fu
#define VDI_UNALLOCATED 0xffffffffu
#define VDI_DISCARDED 0xfffffffeu
#define VDI_MAX_BLOCKS 0x1fffff8u          /* qemu-img's limit: a 128 MiB block map */
#define VDI_BLOCK_SIZE (1u << 20)           /* the block size of created images */
#define VDI_HEADER_SIZE 0x180               /* version 1.1, from offset 0x40 */
#define VDI_BMAP_OFFSET 0x200

typedef struct VdiState {
    uint64_t size;
    uint32_t block_size, block_extra, nblocks;
    uint32_t nallocated;       /* the header's count of allocated blocks */
    uint64_t data_offset, bmap_offset;
    uint32_t *bmap;            /* host order */
    uint8_t *block_buf;        /* a block with its extra bytes, for allocation */
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
    free(s->block_buf);
    s->bmap = NULL;
    s->block_buf = NULL;
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
    uint64_t bmap_offset = s->bmap_offset = le32(h + 0x154);
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
    return mapped_image_open(bs, flags, vdi_open_image, vdi_close, errp);
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

static void st32(uint8_t *p, uint32_t v)
{
    v = htole32(v);
    memcpy(p, &v, 4);
}

/* [off, off+n) inside one block: in place when the block is allocated,
 * otherwise in a new block at the end of the data area. */
static int vdi_write(BlockDriverState *bs, uint64_t off, const uint8_t *buf, uint64_t n)
{
    VdiState *s = bs->opaque;
    uint64_t host;
    int r = vdi_map(bs, off, n, &host);
    if (r < 0) {
        return r;
    }
    if (host) {
        return bdrv_pwrite(bs->file, host, buf, n);
    }
    if (mapped_image_is_zero(buf, n)) {
        return 0;               /* unallocated and discarded blocks read as zeroes */
    }
    uint32_t b = (uint32_t)(off / s->block_size), idx = s->nallocated;
    if (idx >= s->nblocks) {
        fprintf(stderr, "vdi: no free block left (%u of %u allocated): the image is corrupt\n",
                idx, s->nblocks);
        return -EIO;
    }
    uint64_t whole = (uint64_t)s->block_size + s->block_extra;
    if (!s->block_buf && !(s->block_buf = malloc(whole))) {
        return -ENOMEM;
    }
    memset(s->block_buf, 0, whole);
    memcpy(s->block_buf + s->block_extra + off % s->block_size, buf, n);
    uint64_t at = s->data_offset + (uint64_t)idx * whole;
    r = bdrv_pwrite(bs->file, at, s->block_buf, whole);
    if (r < 0) {
        return r;
    }
    if (at + whole > s->file_len) {
        s->file_len = at + whole;
    }
    uint8_t le[4];
    st32(le, idx);
    r = bdrv_pwrite(bs->file, s->bmap_offset + (uint64_t)b * 4, le, 4);
    if (r < 0) {
        return r;
    }
    s->bmap[b] = idx;
    s->nallocated++;
    st32(le, s->nallocated);
    return bdrv_pwrite(bs->file, 0x184, le, 4);
}

static const MappedImageOps vdi_mapped = { .chunk = vdi_chunk, .map = vdi_map, .write = vdi_write };

static int vdi_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    return mapped_image_pwritev(bs, &vdi_mapped, offset, bytes, iov, niov);
}

static int vdi_flush(BlockDriverState *bs)
{
    return bdrv_flush(bs->file);
}

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

static const BlockOptDesc vdi_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "static", BOPT_BOOL, "VDI static (pre-allocated) image", "off" },
    { "preallocation", BOPT_STRING, "Preallocation mode (allowed values: off, falloc, full)", NULL },
    { NULL, 0, NULL, NULL },
};

/* A random (version 4) UUID. */
static void random_uuid(uint8_t u[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, u, 16) != 16) {
        for (int i = 0; i < 16; i++) {
            u[i] = (uint8_t)rand();
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
}

static int vdi_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    bool is_static = false;
    if (block_opts_get_bool(opts, "static", false, &is_static, errp) < 0) {
        return -EINVAL;
    }
    const char *prealloc = block_opts_get(opts, "preallocation");
    if (prealloc && strcmp(prealloc, "off") && strcmp(prealloc, "falloc") && strcmp(prealloc, "full")) {
        bdrv_error(errp, "Unsupported preallocation mode: %s", prealloc);
        return -EINVAL;
    }
    if (size > (uint64_t)VDI_MAX_BLOCKS * VDI_BLOCK_SIZE) {
        bdrv_error(errp, "Unsupported VDI image size (size is 0x%llx, max supported is 0x%llx)",
                   (unsigned long long)size, (unsigned long long)VDI_MAX_BLOCKS * VDI_BLOCK_SIZE);
        return -ENOTSUP;
    }
    uint32_t nblocks = (uint32_t)((size + VDI_BLOCK_SIZE - 1) / VDI_BLOCK_SIZE);
    uint64_t bmap_bytes = ((uint64_t)nblocks * 4 + 511) & ~511ull;
    uint64_t data_offset = VDI_BMAP_OFFSET + bmap_bytes;
    uint8_t *img = calloc(1, data_offset);
    if (!img) {
        return -ENOMEM;
    }
    static const char banner[] = "<<< QEMU VM Virtual Disk Image >>>\n";
    memcpy(img, banner, sizeof(banner) - 1);
    st32(img + 0x40, VDI_SIGNATURE);
    st32(img + 0x44, 0x00010001);
    st32(img + 0x48, VDI_HEADER_SIZE);
    st32(img + 0x4c, is_static ? 2 : 1);
    st32(img + 0x154, VDI_BMAP_OFFSET);
    st32(img + 0x158, (uint32_t)data_offset);
    st32(img + 0x168, 512);
    uint64_t le_size = htole64(size);
    memcpy(img + 0x170, &le_size, 8);
    st32(img + 0x178, VDI_BLOCK_SIZE);
    st32(img + 0x180, nblocks);
    st32(img + 0x184, is_static ? nblocks : 0);
    random_uuid(img + 0x188);          /* this image */
    random_uuid(img + 0x198);          /* its last modification */
    for (uint32_t i = 0; i < nblocks; i++) {
        st32(img + VDI_BMAP_OFFSET + (uint64_t)i * 4, is_static ? i : VDI_UNALLOCATED);
    }
    int ret = 0, fd = open(filename, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    uint64_t end = data_offset + (is_static ? (uint64_t)nblocks * VDI_BLOCK_SIZE : 0);
    if (fd < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not create '%s': %s", filename, strerror(-ret));
        free(img);
        return ret;
    }
    if (pwrite(fd, img, data_offset, 0) != (ssize_t)data_offset) {
        ret = -EIO;
        bdrv_error(errp, "Could not write '%s'", filename);
    } else if (ftruncate(fd, (off_t)end) < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not resize '%s': %s", filename, strerror(-ret));
    } else if (is_static && prealloc && strcmp(prealloc, "off") && end > data_offset) {
        /* the data area made real: fallocate, and zeroes where it is not supported */
        int e = posix_fallocate(fd, (off_t)data_offset, (off_t)(end - data_offset));
        if (e) {
            ret = -e;
            bdrv_error(errp, "Could not preallocate '%s': %s", filename, strerror(e));
        }
    }
    if (close(fd) < 0 && ret == 0) {
        ret = -errno;
        bdrv_error(errp, "Could not close '%s': %s", filename, strerror(-ret));
    }
    free(img);
    return ret;
}

const BlockDriver bdrv_vdi = {
    .format_name = "vdi",
    .instance_size = sizeof(VdiState),
    .thread_safe = false,
    .is_format = true,
    .probe = vdi_probe,
    .open = vdi_open,
    .close = vdi_close,
    .create_opts = vdi_create_opts,
    .create = vdi_create,
    .preadv = vdi_preadv,
    .pwritev = vdi_pwritev,
    .flush = vdi_flush,
    .block_status = vdi_block_status,
    .getlength = vdi_getlength,
    .get_info = vdi_get_info,
    .check = vdi_check,
};
