/*
 * vpc.c — Virtual PC / Hyper-V disk images (VHD), fixed and dynamic: read,
 * write and create.
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
 *
 * Writing: a fixed disk is written in place.  A write into an unallocated
 * block of a dynamic disk appends the block where the footer is: first the
 * footer is written again after the new block's place (so the file always
 * ends with a footer), then the block (its sector bitmap all ones — every
 * sector is present —, the data, zeroes around it), then its BAT entry; a
 * crash leaves at most an unreferenced block.  Zero writes into unallocated
 * blocks allocate nothing.
 *
 * Differencing disks (read-only) are dynamic disks over a parent VHD: the
 * dynamic header names it in parent locator entries (at 576, 8 of 24 bytes:
 * platform code, data space, data length, reserved, data offset in the
 * file) — "W2ru" a relative Windows path and "W2ku" an absolute one, both
 * UTF-16LE, "MacX" a UTF-8 file URL — and in the parent's UTF-16BE unicode
 * name (at 64).  The parent becomes the backing file (format vpc).  An
 * unallocated block reads from the parent; in an allocated block a sector
 * whose bitmap bit is clear (the most significant bit of the first byte is
 * sector 0) reads from the parent too.
 *
 * Creation follows qemu-img: dynamic disks are the footer copy, the dynamic
 * header at 512, the BAT at 1536 (rounded to 512 bytes, 2 MiB blocks) and
 * the footer; the size is rounded up to the next CHS geometry of the VHD
 * specification's algorithm (creator "qemu"), or kept as given with
 * force_size=on (creator "qem2", the maximum geometry), as it is for disks
 * past what CHS expresses; at most 2040 GiB.
 */
#include "block/block.h"
#include "block/mapped-image.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define VHD_FOOTER_SIZE 512
#define VHD_DYN_HEADER_SIZE 1024
#define VHD_FIXED 2
#define VHD_DYNAMIC 3
#define VHD_DIFFERENCING 4
#define VHD_UNALLOCATED 0xffffffffu
#define VHD_MAX_BAT_ENTRIES (32u << 20 >> 2)   /* a 32 MiB table */
#define VHD_MAX_GEOMETRY_SECTORS (65535ull * 16 * 255)
#define VHD_MAX_SECTORS 0xff000000ull             /* 2040 GiB, qemu-img's limit */
#define VHD_BLOCK_SIZE (2u << 20)                 /* the block size of created disks */
#define VHD_EPOCH 946684800                       /* 2000-01-01 UTC: VHD timestamps count from it */

typedef struct VpcState {
    int type;
    uint64_t size;             /* virtual size, bytes */
    uint64_t file_len;
    uint32_t block_size;       /* dynamic */
    uint64_t bitmap_size;      /* bytes in front of each block's data */
    uint32_t nbat;
    uint32_t *bat;             /* host order */
    uint64_t bat_offset;
    uint8_t footer[VHD_FOOTER_SIZE];   /* rewritten at the end when a block is added */
    uint8_t *block_buf;        /* bitmap + block, for allocation */
    uint8_t *bitmap;           /* differencing: the sector bitmap of one block */
    int64_t bitmap_block;      /* its block, -1 none */
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
    free(s->block_buf);
    free(s->bitmap);
    s->bat = NULL;
    s->block_buf = NULL;
    s->bitmap = NULL;
}

/* UTF-16 (little- or big-endian) to UTF-8, up to a NUL; false if it does
 * not fit or is malformed. */
static bool utf16_to_utf8(const uint8_t *p, size_t len, bool big, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t c = big ? (uint32_t)(p[i] << 8 | p[i + 1]) : (uint32_t)(p[i + 1] << 8 | p[i]);
        if (c == 0) {
            break;
        }
        if (c >= 0xd800 && c < 0xdc00 && i + 3 < len) {
            uint32_t lo = big ? (uint32_t)(p[i + 2] << 8 | p[i + 3]) : (uint32_t)(p[i + 3] << 8 | p[i + 2]);
            if (lo < 0xdc00 || lo >= 0xe000) {
                return false;
            }
            c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
            i += 2;
        } else if (c >= 0xd800 && c < 0xe000) {
            return false;
        }
        uint8_t u[4];
        int k = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (k == 1) {
            u[0] = (uint8_t)c;
        } else {
            for (int j = k - 1; j > 0; j--, c >>= 6) {
                u[j] = (uint8_t)(0x80 | (c & 0x3f));
            }
            u[0] = (uint8_t)((0xf00 >> k) | c);
        }
        if (o + (size_t)k >= n) {
            return false;
        }
        memcpy(out + o, u, (size_t)k);
        o += (size_t)k;
    }
    out[o] = 0;
    return o > 0;
}

/* The last component of a Windows or POSIX path, in place. */
static const char *path_base(const char *p)
{
    const char *b = p;
    for (const char *q = p; *q; q++) {
        if (*q == '/' || *q == '\\' || *q == ':') {
            b = q + 1;
        }
    }
    return b;
}

/* Picks the parent of a differencing disk from its locators and name: the
 * first that names an existing file (relative to the image), else the
 * first named. */
static int find_parent(BlockDriverState *bs, const uint8_t *d, char **errp)
{
    VpcState *s = bs->opaque;
    char cand[10][1024];
    int nc = 0;
    for (int i = 0; i < 8; i++) {
        const uint8_t *e = d + 576 + 24 * i;
        uint32_t code = be32(e), len = be32(e + 8);
        uint64_t off = be64(e + 16);
        bool w2ru = !memcmp(e, "W2ru", 4), w2ku = !memcmp(e, "W2ku", 4), macx = !memcmp(e, "MacX", 4);
        if (!code || !len || !(w2ru || w2ku || macx)) {
            continue;
        }
        if (len > 4096 || off > s->file_len || s->file_len - off < len) {
            bdrv_error(errp, "Invalid VHD parent locator %d (%u bytes at %#llx, file of %llu bytes)",
                       i, len, (unsigned long long)off, (unsigned long long)s->file_len);
            return -EINVAL;
        }
        uint8_t raw[4097];
        char name[1024];
        int r = bdrv_pread(bs->file, off, raw, len);
        if (r < 0) {
            bdrv_error(errp, "Could not read the VHD parent locator: %s", strerror(-r));
            return r;
        }
        if (macx) {
            raw[len] = 0;
            const char *p = (const char *)raw;
            if (!strncmp(p, "file://", 7)) {
                p += 7;
            }
            size_t l = strnlen(p, sizeof(name) - 1);
            memcpy(name, p, l);
            name[l] = 0;
        } else if (!utf16_to_utf8(raw, len, false, name, sizeof(name))) {
            continue;
        }
        if (w2ru) {
            for (char *q = name; *q; q++) {
                *q = *q == '\\' ? '/' : *q;
            }
            char *p = name;
            while (!strncmp(p, "./", 2)) {
                p += 2;
            }
            memmove(name, p, strlen(p) + 1);
        } else if (w2ku) {
            memmove(name, path_base(name), strlen(path_base(name)) + 1);   /* a Windows drive */
        }
        if (name[0] && nc < 10) {
            memcpy(cand[nc++], name, sizeof(name));
        }
    }
    char uname[1024];
    if (nc < 10 && utf16_to_utf8(d + 64, 512, true, uname, sizeof(uname))) {
        memmove(uname, path_base(uname), strlen(path_base(uname)) + 1);
        memcpy(cand[nc++], uname, sizeof(uname));
    }
    if (!nc) {
        bdrv_error(errp, "Differencing VHD '%s' names no parent", bs->filename);
        return -EINVAL;
    }
    int pick = 0;
    for (int i = 0; i < nc; i++) {
        char path[4096];
        bdrv_resolve_backing_name(bs->filename, cand[i], path, sizeof(path));
        if (access(path, F_OK) == 0) {
            pick = i;
            break;
        }
    }
    size_t l = strnlen(cand[pick], sizeof(bs->backing_file) - 1);
    memcpy(bs->backing_file, cand[pick], l);
    bs->backing_file[l] = 0;
    snprintf(bs->backing_format, sizeof(bs->backing_format), "vpc");
    return 0;
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
    uint64_t bat_offset = s->bat_offset = be64(d + 16);
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
    if (s->type == VHD_DIFFERENCING) {
        s->bitmap_block = -1;
        s->bitmap = malloc(s->bitmap_size);
        if (!s->bitmap) {
            return -ENOMEM;
        }
        return find_parent(bs, d, errp);
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
    memcpy(s->footer, f, sizeof(f));
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
        if (bs->open_flags & BDRV_O_RDWR) {
            bdrv_error(errp, "Writing to differencing VHD images is not supported (open it read-only)");
            return -ENOTSUP;
        }
        return open_dynamic(bs, be64(f + 16), errp);
    default:
        bdrv_error(errp, "Invalid VHD disk type %d", s->type);
        return -EINVAL;
    }
}

static int vpc_open(BlockDriverState *bs, int flags, char **errp)
{
    return mapped_image_open(bs, flags, vpc_open_image, vpc_close, errp);
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

static void st32(uint8_t *p, uint32_t v)
{
    v = htobe32(v);
    memcpy(p, &v, 4);
}

static void st64(uint8_t *p, uint64_t v)
{
    v = htobe64(v);
    memcpy(p, &v, 8);
}

/* [off, off+n) inside one block (dynamic) or anywhere (fixed). */
static int vpc_write(BlockDriverState *bs, uint64_t off, const uint8_t *buf, uint64_t n)
{
    VpcState *s = bs->opaque;
    uint64_t host;
    int r = vpc_map(bs, off, n, &host);
    if (r < 0) {
        return r;
    }
    if (r == 1 || host) {
        return bdrv_pwrite(bs->file, host, buf, n);
    }
    if (mapped_image_is_zero(buf, n)) {
        return 0;
    }
    uint32_t b = (uint32_t)(off / s->block_size);
    uint64_t at = s->file_len - VHD_FOOTER_SIZE;      /* where the footer is */
    uint64_t whole = s->bitmap_size + s->block_size;
    if (at % 512 || at / 512 + whole / 512 >= VHD_UNALLOCATED) {
        fprintf(stderr, "vpc: cannot add a block at %#llx\n", (unsigned long long)at);
        return -EIO;
    }
    if (!s->block_buf && !(s->block_buf = malloc(whole))) {
        return -ENOMEM;
    }
    memset(s->block_buf, 0xff, s->bitmap_size);
    memset(s->block_buf + s->bitmap_size, 0, s->block_size);
    memcpy(s->block_buf + s->bitmap_size + off % s->block_size, buf, n);
    r = bdrv_pwrite(bs->file, at + whole, s->footer, VHD_FOOTER_SIZE);
    if (r < 0) {
        return r;
    }
    s->file_len = at + whole + VHD_FOOTER_SIZE;
    r = bdrv_pwrite(bs->file, at, s->block_buf, whole);
    if (r < 0) {
        return r;
    }
    uint8_t be[4];
    st32(be, (uint32_t)(at / 512));
    r = bdrv_pwrite(bs->file, s->bat_offset + (uint64_t)b * 4, be, 4);
    if (r == 0) {
        s->bat[b] = (uint32_t)(at / 512);
    }
    return r;
}

static const MappedImageOps vpc_mapped = { .chunk = vpc_chunk, .map = vpc_map, .write = vpc_write };

static int vpc_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    return mapped_image_pwritev(bs, &vpc_mapped, offset, bytes, iov, niov);
}

static int vpc_flush(BlockDriverState *bs)
{
    return bdrv_flush(bs->file);
}

/* Differencing: whether the sector at off is in this image (1), in the
 * parent (0), or an error; *run is how many bytes from off (at most left,
 * inside the block) share the answer, *host where they are here. */
static int diff_lookup(BlockDriverState *bs, uint64_t off, uint64_t left, uint64_t *run, uint64_t *host)
{
    VpcState *s = bs->opaque;
    uint64_t b = off / s->block_size, in = off % s->block_size;
    uint64_t max = s->block_size - in < left ? s->block_size - in : left;
    uint32_t sec = s->bat[b];
    *run = max;
    if (sec == VHD_UNALLOCATED) {
        return 0;
    }
    uint64_t at = (uint64_t)sec * 512;
    if (at > s->file_len || s->file_len - at < s->bitmap_size + s->block_size) {
        fprintf(stderr, "vpc: block %llu at %#llx is outside the image\n",
                (unsigned long long)b, (unsigned long long)at);
        return -EIO;
    }
    if (s->bitmap_block != (int64_t)b) {
        s->bitmap_block = -1;
        int r = bdrv_pread(bs->file, at, s->bitmap, s->bitmap_size);
        if (r < 0) {
            return r;
        }
        s->bitmap_block = (int64_t)b;
    }
    uint64_t i = in / 512;
    int bit = s->bitmap[i / 8] >> (7 - i % 8) & 1;
    uint64_t n = 512 - in % 512;
    for (i++; n < max && (s->bitmap[i / 8] >> (7 - i % 8) & 1) == bit; i++) {
        n += 512;
    }
    *run = n < max ? n : max;
    *host = at + s->bitmap_size + in;
    return bit;
}

/* Reads the parent, zeroes past its end (or without one). */
static int read_parent(BlockDriverState *bs, uint64_t off, uint8_t *buf, uint64_t n)
{
    memset(buf, 0, n);
    if (!bs->backing) {
        return 0;
    }
    int64_t len = bdrv_getlength(bs->backing);
    if (len < 0) {
        return (int)len;
    }
    if (off >= (uint64_t)len) {
        return 0;
    }
    return bdrv_pread(bs->backing, off, buf, n < (uint64_t)len - off ? n : (uint64_t)len - off);
}

static int diff_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    uint8_t *buf = malloc(bytes ? bytes : 1);
    if (!buf) {
        return -ENOMEM;
    }
    int r = 0;
    for (uint64_t done = 0, run, host; done < bytes && r >= 0; done += run) {
        r = diff_lookup(bs, offset + done, bytes - done, &run, &host);
        if (r == 1) {
            r = bdrv_pread(bs->file, host, buf + done, run);
        } else if (r == 0) {
            r = read_parent(bs, offset + done, buf + done, run);
        }
    }
    uint64_t got = 0;
    for (int i = 0; r >= 0 && i < niov && got < bytes; i++) {
        uint64_t n = iov[i].iov_len < bytes - got ? iov[i].iov_len : bytes - got;
        memcpy(iov[i].iov_base, buf + got, n);
        got += n;
    }
    free(buf);
    return r < 0 ? r : 0;
}

static int vpc_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov)
{
    VpcState *s = bs->opaque;
    if (s->type == VHD_DIFFERENCING) {
        return diff_preadv(bs, offset, bytes, iov, niov);
    }
    return mapped_image_preadv(bs, &vpc_mapped, offset, bytes, iov, niov);
}

static int vpc_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    VpcState *s = bs->opaque;
    if (s->type != VHD_DIFFERENCING) {
        return mapped_image_block_status(bs, &vpc_mapped, offset, bytes, st);
    }
    uint64_t run, host;
    int r = diff_lookup(bs, offset, bytes, &run, &host);
    if (r < 0) {
        return r;
    }
    memset(st, 0, sizeof(*st));
    st->bytes = run;
    if (r == 1) {
        st->flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
        st->host_offset = host;
        st->file = bs->file;
    }
    return 0;
}

static int vpc_get_info(BlockDriverState *bs, BlockFormatInfo *info)
{
    VpcState *s = bs->opaque;
    info->cluster_size = s->type != VHD_FIXED ? s->block_size : 0;
    return 0;
}

static const BlockOptDesc vpc_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "subformat", BOPT_STRING, "Type of virtual hard disk format. Supported formats are "
      "{dynamic (default) | fixed} ", NULL },
    { "force_size", BOPT_BOOL, "Force disk size calculation to use the actual size specified, "
      "rather than using the nearest CHS-based calculation", NULL },
    { "preallocation", BOPT_STRING, "Preallocation mode (allowed values: off, falloc, full)", NULL },
    { NULL, 0, NULL, NULL },
};

/* The CHS geometry of a disk of `total` sectors, by the algorithm of the
 * VHD specification (it rounds down). */
static void vhd_geometry(uint64_t total, uint32_t *cyl, uint32_t *heads, uint32_t *spt)
{
    uint64_t cth;
    if (total > VHD_MAX_GEOMETRY_SECTORS) {
        total = VHD_MAX_GEOMETRY_SECTORS;
    }
    if (total >= 65535ull * 16 * 63) {
        *spt = 255;
        *heads = 16;
        cth = total / *spt;
    } else {
        *spt = 17;
        cth = total / *spt;
        *heads = (uint32_t)((cth + 1023) / 1024);
        if (*heads < 4) {
            *heads = 4;
        }
        if (cth >= *heads * 1024ull || *heads > 16) {
            *spt = 31;
            *heads = 16;
            cth = total / *spt;
        }
        if (cth >= *heads * 1024ull) {
            *spt = 63;
            *heads = 16;
            cth = total / *spt;
        }
    }
    *cyl = (uint32_t)(cth / *heads);
}

static void random_bytes(uint8_t *p, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, p, n) != (ssize_t)n) {
        for (size_t i = 0; i < n; i++) {
            p[i] = (uint8_t)rand();
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    p[6] = (p[6] & 0x0f) | 0x40;    /* a version 4 UUID */
    p[8] = (p[8] & 0x3f) | 0x80;
}

static int vpc_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    const char *sub = block_opts_get(opts, "subformat");
    const char *prealloc = block_opts_get(opts, "preallocation");
    bool force = false, fixed;
    if (block_opts_get_bool(opts, "force_size", false, &force, errp) < 0) {
        return -EINVAL;
    }
    if (!sub || !strcmp(sub, "dynamic")) {
        fixed = false;
    } else if (!strcmp(sub, "fixed")) {
        fixed = true;
    } else {
        bdrv_error(errp, "Parameter 'subformat' does not accept value '%s'", sub);
        return -EINVAL;
    }
    if (prealloc && strcmp(prealloc, "off") && strcmp(prealloc, "falloc") && strcmp(prealloc, "full")) {
        bdrv_error(errp, "Unsupported preallocation mode: %s", prealloc);
        return -EINVAL;
    }
    uint64_t total = (size + 511) / 512;
    uint32_t cyl = 65535, heads = 16, spt = 255;
    if (!force && total <= VHD_MAX_GEOMETRY_SECTORS) {
        /* the smallest geometry holding the size (the algorithm rounds down) */
        cyl = heads = spt = 0;
        for (uint64_t i = 0; (uint64_t)cyl * heads * spt < total; i++) {
            vhd_geometry(total + i, &cyl, &heads, &spt);
        }
        if ((uint64_t)cyl * heads * spt != VHD_MAX_GEOMETRY_SECTORS) {
            total = (uint64_t)cyl * heads * spt;
        }
    }
    if (total > VHD_MAX_SECTORS) {
        bdrv_error(errp, "The image size is too large for file format 'vpc'");
        return -EFBIG;
    }
    uint8_t f[VHD_FOOTER_SIZE] = { 0 };
    memcpy(f, "conectix", 8);
    st32(f + 8, 2);                          /* features: reserved bit always set */
    st32(f + 12, 0x00010000);
    st64(f + 16, fixed ? ~0ull : VHD_FOOTER_SIZE);
    time_t now = time(NULL);
    st32(f + 24, (uint32_t)(now > VHD_EPOCH ? now - VHD_EPOCH : 0));
    memcpy(f + 28, force ? "qem2" : "qemu", 4);
    st32(f + 32, 0x00050003);
    memcpy(f + 36, "Wi2k", 4);
    st64(f + 40, total * 512);
    st64(f + 48, total * 512);
    f[56] = (uint8_t)(cyl >> 8);
    f[57] = (uint8_t)cyl;
    f[58] = (uint8_t)heads;
    f[59] = (uint8_t)spt;
    st32(f + 60, fixed ? VHD_FIXED : VHD_DYNAMIC);
    random_bytes(f + 68, 16);
    st32(f + 64, vhd_checksum(f, sizeof(f), 64));

    uint64_t nbat = (total * 512 + VHD_BLOCK_SIZE - 1) / VHD_BLOCK_SIZE;
    uint64_t bat_bytes = (nbat * 4 + 511) & ~511ull;
    uint64_t meta = fixed ? 0 : VHD_FOOTER_SIZE + VHD_DYN_HEADER_SIZE + bat_bytes;
    uint8_t *img = calloc(1, meta + VHD_FOOTER_SIZE);
    if (!img) {
        return -ENOMEM;
    }
    if (!fixed) {
        uint8_t *d = img + VHD_FOOTER_SIZE;
        memcpy(img, f, sizeof(f));
        memcpy(d, "cxsparse", 8);
        st64(d + 8, ~0ull);
        st64(d + 16, VHD_FOOTER_SIZE + VHD_DYN_HEADER_SIZE);
        st32(d + 24, 0x00010000);
        st32(d + 28, (uint32_t)nbat);
        st32(d + 32, VHD_BLOCK_SIZE);
        st32(d + 36, vhd_checksum(d, VHD_DYN_HEADER_SIZE, 36));
        memset(d + VHD_DYN_HEADER_SIZE, 0xff, bat_bytes);   /* the padding too, as qemu-img */
    }
    memcpy(img + meta, f, sizeof(f));
    int ret = 0, fd = open(filename, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not create '%s': %s", filename, strerror(-ret));
        free(img);
        return ret;
    }
    /* a fixed disk: the data (sparse, or allocated with preallocation=) then the footer */
    uint64_t data = fixed ? total * 512 : 0;
    if (data && prealloc && strcmp(prealloc, "off")) {
        int e = posix_fallocate(fd, 0, (off_t)data);
        if (e) {
            ret = -e;
            bdrv_error(errp, "Could not preallocate '%s': %s", filename, strerror(e));
        }
    }
    if (ret == 0 && fixed && ftruncate(fd, (off_t)data) < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not resize '%s': %s", filename, strerror(-ret));
    }
    size_t len = (size_t)(meta + VHD_FOOTER_SIZE);
    if (ret == 0 && pwrite(fd, img, len, (off_t)data) != (ssize_t)len) {
        ret = -EIO;
        bdrv_error(errp, "Could not write '%s'", filename);
    }
    if (close(fd) < 0 && ret == 0) {
        ret = -errno;
        bdrv_error(errp, "Could not close '%s': %s", filename, strerror(-ret));
    }
    free(img);
    return ret;
}

const BlockDriver bdrv_vpc = {
    .format_name = "vpc",
    .instance_size = sizeof(VpcState),
    .is_format = true,
    .probe = vpc_probe,
    .open = vpc_open,
    .close = vpc_close,
    .create_opts = vpc_create_opts,
    .create = vpc_create,
    .preadv = vpc_preadv,
    .pwritev = vpc_pwritev,
    .flush = vpc_flush,
    .block_status = vpc_block_status,
    .getlength = vpc_getlength,
    .get_info = vpc_get_info,
};
