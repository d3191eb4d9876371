/*
 * vmdk-create.c — creating VMDK images: monolithicSparse (one file: header,
 * embedded descriptor, redundant and primary grain directories with every
 * grain table preallocated, grains appended on write), streamOptimized
 * (header and descriptor only; the opened image appends compressed grains
 * and writes its tables and footer when it is closed), and the descriptor
 * file subformats: monolithicFlat (one flat extent "NAME-flat.EXT"),
 * twoGbMaxExtentSparse / twoGbMaxExtentFlat (extents of at most 2 GiB named
 * "NAME-s001.EXT" / "NAME-f001.EXT", ...), laid out as qemu-img lays them out
 * so that either tool's images are the same files.
 */
#include "block/vmdk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const BlockOptDesc vmdk_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "adapter_type", BOPT_STRING, "Virtual adapter type, can be one of ide (default), lsilogic, "
      "buslogic or legacyESX", "ide" },
    { "backing_file", BOPT_STRING, "File name of a base image", NULL },
    { "backing_fmt", BOPT_STRING, "Must be empty, a match of the file's format, or vmdk", NULL },
    { "compat6", BOPT_BOOL, "VMDK version 6 image", "off" },
    { "hwversion", BOPT_STRING, "VMDK hardware version", "undefined" },
    { "toolsversion", BOPT_STRING, "VMware guest tools version", NULL },
    { "subformat", BOPT_STRING, "VMDK flat extent format, can be one of {monolithicSparse "
      "(default) | monolithicFlat | twoGbMaxExtentSparse | twoGbMaxExtentFlat | "
      "streamOptimized}", "monolithicSparse" },
    { "zeroed_grain", BOPT_BOOL, "Enable efficient zero writes using the zeroed-grain GTE "
      "feature", "off" },
    { NULL, 0, NULL, NULL },
};

#define DESC_SECTORS 20
#define GRAIN_SECTORS 128

static uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

static void put_table(uint8_t *img, uint64_t at_sector, uint32_t first, uint32_t n, uint32_t step)
{
    uint32_t *t = (uint32_t *)(img + at_sector * VMDK_SECTOR);
    for (uint32_t i = 0; i < n; i++) {
        t[i] = htole32(first + i * step);
    }
}

/* Writes the whole of a new file, replacing what was there. */
static int write_new_file(const char *path, const void *buf, size_t len, uint64_t size, char **errp)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int ret = 0;
    if (fd < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not create '%s': %s", path, strerror(-ret));
        return ret;
    }
    if (len && pwrite(fd, buf, len, 0) != (ssize_t)len) {
        ret = -EIO;
        bdrv_error(errp, "Could not write '%s'", path);
    } else if (size > len && ftruncate(fd, (off_t)size) < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not resize '%s': %s", path, strerror(-ret));
    }
    if (close(fd) < 0 && ret == 0) {
        ret = -errno;
        bdrv_error(errp, "Could not close '%s': %s", path, strerror(-ret));
    }
    return ret;
}

/* A sparse extent file of `capacity` sectors: with the descriptor `desc`
 * embedded (monolithic) or an empty descriptor area (an extent of a
 * twoGbMaxExtentSparse image, as qemu-img leaves it). */
static int create_sparse_extent(const char *path, uint64_t capacity, bool stream, bool zeroed,
                                const char *desc, size_t dl, char **errp)
{
    VmdkHeader h = {
        .version = stream ? 3 : (zeroed ? 2 : 1),
        .flags = VMDK_FLAG_NL_TEST | (zeroed ? VMDK_FLAG_ZERO_GRAIN : 0) |
                 (stream ? VMDK_FLAG_COMPRESS | VMDK_FLAG_MARKERS : VMDK_FLAG_RGD),
        .capacity = capacity, .grain_size = GRAIN_SECTORS,
        .desc_offset = 1, .desc_size = DESC_SECTORS, .gtes_per_gt = 512,
        .compress_algorithm = stream ? VMDK_COMPRESS_DEFLATE : 0,
    };
    uint64_t per_gt = 512ull * GRAIN_SECTORS;
    uint32_t gts = (uint32_t)((capacity + per_gt - 1) / per_gt);
    uint64_t gd_sectors = round_up((uint64_t)gts * 4, VMDK_SECTOR) / VMDK_SECTOR;
    uint64_t gt_sectors = 512 * 4 / VMDK_SECTOR;
    uint64_t end;
    if (stream) {
        h.gd_offset = VMDK_GD_AT_END;
        end = round_up(1 + DESC_SECTORS, GRAIN_SECTORS);
    } else {
        h.rgd_offset = 1 + DESC_SECTORS;
        uint64_t rgt = h.rgd_offset + gd_sectors;
        h.gd_offset = rgt + gts * gt_sectors;
        uint64_t gt = h.gd_offset + gd_sectors;
        end = round_up(gt + gts * gt_sectors, GRAIN_SECTORS);
        if (end > UINT32_MAX) {
            bdrv_error(errp, "VMDK image size too large");
            return -EFBIG;
        }
    }
    h.overhead = end;
    uint8_t *img = calloc(end, VMDK_SECTOR);
    if (!img) {
        return -ENOMEM;
    }
    vmdk_encode_header(&h, img);
    memcpy(img + VMDK_SECTOR, desc, dl);
    if (!stream) {
        put_table(img, h.rgd_offset, (uint32_t)(h.rgd_offset + gd_sectors), gts, (uint32_t)gt_sectors);
        put_table(img, h.gd_offset, (uint32_t)(h.gd_offset + gd_sectors), gts, (uint32_t)gt_sectors);
    }
    int ret = write_new_file(path, img, (size_t)end * VMDK_SECTOR, 0, errp);
    free(img);
    return ret;
}

/* The name of extent `i` (1-based) of a descriptor file: the descriptor's
 * name with "-flat", "-s001" or "-f001" inserted before its extension. */
static void extent_name(const char *base, const char *tag, int i, char *out, size_t n)
{
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    if (i) {
        snprintf(out, n, "%.*s-%s%03d%s", stem, base, tag, i, base + stem);
    } else {
        snprintf(out, n, "%.*s-%s%s", stem, base, tag, base + stem);
    }
}

int vmdk_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    const char *sub = block_opts_get(opts, "subformat");
    const char *adapter = block_opts_get(opts, "adapter_type");
    const char *hw = block_opts_get(opts, "hwversion");
    const char *backing = block_opts_get(opts, "backing_file");
    const char *bfmt = block_opts_get(opts, "backing_fmt");
    const char *tools = block_opts_get(opts, "toolsversion");
    bool compat6 = false, zeroed = false;
    if (block_opts_get_bool(opts, "compat6", false, &compat6, errp) < 0 ||
        block_opts_get_bool(opts, "zeroed_grain", false, &zeroed, errp) < 0) {
        return -EINVAL;
    }
    if (!sub) {
        sub = "monolithicSparse";
    }
    bool stream = !strcmp(sub, "streamOptimized");
    bool flat = !strcmp(sub, "monolithicFlat") || !strcmp(sub, "twoGbMaxExtentFlat");
    bool split = !strcmp(sub, "twoGbMaxExtentSparse") || !strcmp(sub, "twoGbMaxExtentFlat");
    if (!stream && !flat && !split && strcmp(sub, "monolithicSparse")) {
        bdrv_error(errp, "invalid parameter value: %s", sub);
        return -EINVAL;
    }
    if (!adapter) {
        adapter = "ide";
    }
    if (strcmp(adapter, "ide") && strcmp(adapter, "lsilogic") && strcmp(adapter, "buslogic") &&
        strcmp(adapter, "legacyESX")) {
        bdrv_error(errp, "Unknown adapter type: '%s'", adapter);
        return -EINVAL;
    }
    if (bfmt && *bfmt && strcmp(bfmt, "vmdk")) {
        bdrv_error(errp, "backing_file '%s' must be of vmdk format", backing ? backing : "");
        return -EINVAL;
    }
    if (compat6 && hw && strcmp(hw, "undefined")) {
        bdrv_error(errp, "compat6 cannot be enabled with hwversion set");
        return -EINVAL;
    }
    if (flat && backing) {
        bdrv_error(errp, "Flat image can't have backing file");
        return -ENOTSUP;
    }
    if (flat && zeroed) {
        bdrv_error(errp, "Flat image can't enable zeroed grain");
        return -ENOTSUP;
    }
    if (stream && backing) {
        bdrv_error(errp, "streamOptimized VMDK images cannot have a backing file");
        return -EINVAL;
    }
    uint64_t capacity = (size + VMDK_SECTOR - 1) / VMDK_SECTOR;
    if (capacity > (1ull << 32) * GRAIN_SECTORS / 2) {
        bdrv_error(errp, "VMDK image size too large");
        return -EFBIG;
    }
    uint32_t parent_cid = 0xffffffff;
    if (backing) {
        char path[4096], *err = NULL;
        bdrv_resolve_backing_name(filename, backing, path, sizeof(path));
        BlockDriverState *b = bdrv_open(path, "vmdk", BDRV_O_NO_BACKING | BDRV_O_NO_IO, &err);
        if (!b) {
            bdrv_error(errp, "Could not open backing file '%s': %s", backing, err ? err : "error");
            free(err);
            return -EINVAL;
        }
        parent_cid = ((BDRVVmdkState *)b->opaque)->cid;
        bdrv_close(b);
    }

    /* the extents: one for the monolithic subformats, 2 GiB pieces for twoGb* */
    const char *base = strrchr(filename, '/') ? strrchr(filename, '/') + 1 : filename;
    bool monolithic_sparse = !flat && !split;
    uint64_t piece = split ? VMDK_TWOGB_EXTENT_SECTORS : capacity;
    int nb = monolithic_sparse || capacity == 0 ? 1 : (int)((capacity + piece - 1) / piece);
    size_t ext_cap = (size_t)nb * 4200 + 64;
    char *extents = malloc(ext_cap);
    if (!extents) {
        return -ENOMEM;
    }
    size_t el = 0;
    for (int i = 0; i < nb; i++) {
        uint64_t sectors = capacity - (uint64_t)i * piece < piece ? capacity - (uint64_t)i * piece : piece;
        char name[4200];
        if (monolithic_sparse) {
            snprintf(name, sizeof(name), "%s", base);
        } else {
            extent_name(base, flat ? (split ? "f" : "flat") : "s", split ? i + 1 : 0, name, sizeof(name));
        }
        el += (size_t)snprintf(extents + el, ext_cap - el, "RW %llu %s \"%s\"%s\n",
                               (unsigned long long)sectors, flat ? "FLAT" : "SPARSE", name,
                               flat ? " 0" : "");
    }

    /* the descriptor */
    char parent[4200] = "";
    uint64_t cyl = capacity / (16 * 63);
    uint32_t cid = (uint32_t)time(NULL) ^ (uint32_t)getpid() * 2654435761u;
    if (backing) {
        snprintf(parent, sizeof(parent), "parentFileNameHint=\"%s\"\n", backing);
    }
    size_t desc_cap = el + 8192;
    char *desc = malloc(desc_cap);
    if (!desc) {
        free(extents);
        return -ENOMEM;
    }
    int dl = snprintf(desc, desc_cap,
        "# Disk DescriptorFile\nversion=1\nCID=%08x\nparentCID=%08x\ncreateType=\"%s\"\n%s\n"
        "# Extent description\n%s\n"
        "# The Disk Data Base\n#DDB\n\n"
        "ddb.virtualHWVersion = \"%s\"\n"
        "ddb.geometry.cylinders = \"%llu\"\nddb.geometry.heads = \"16\"\n"
        "ddb.geometry.sectors = \"63\"\nddb.adapterType = \"%s\"\n"
        "ddb.toolsVersion = \"%s\"\n",
        cid, parent_cid, sub, parent, extents,
        compat6 ? "6" : (hw && strcmp(hw, "undefined") ? hw : "4"),
        (unsigned long long)(cyl > 16383 ? 16383 : cyl), adapter,
        tools ? tools : "2147483647");   /* qemu-img's default: "unknown" */
    free(extents);
    int ret = 0;
    if (monolithic_sparse) {
        if (dl < 0 || (size_t)dl >= DESC_SECTORS * VMDK_SECTOR) {
            bdrv_error(errp, "VMDK descriptor too long (file name?)");
            ret = -EINVAL;
        } else {
            ret = create_sparse_extent(filename, capacity, stream, zeroed, desc, (size_t)dl, errp);
        }
        free(desc);
        return ret;
    }

    /* a descriptor file and its extents, beside it */
    for (int i = 0; i < nb && ret == 0; i++) {
        uint64_t sectors = capacity - (uint64_t)i * piece < piece ? capacity - (uint64_t)i * piece : piece;
        char name[4200], path[4200 + 4096];
        extent_name(base, flat ? (split ? "f" : "flat") : "s", split ? i + 1 : 0, name, sizeof(name));
        snprintf(path, sizeof(path), "%.*s%s", (int)(base - filename), filename, name);
        if (flat) {
            ret = write_new_file(path, NULL, 0, sectors * VMDK_SECTOR, errp);
        } else {
            ret = create_sparse_extent(path, sectors, false, zeroed, "", 0, errp);
        }
    }
    if (ret == 0) {
        ret = write_new_file(filename, desc, (size_t)dl, 0, errp);
    }
    free(desc);
    return ret;
}
