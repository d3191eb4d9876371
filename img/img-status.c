/*
 * img-status.c — the block status of a range through a backing chain, with
 * the flags qemu-img's commands see (measure counts allocated data from it,
 * `compare -s` requires the same flags in both images): the status of the
 * first layer that decides the contents, or of the last layer when none
 * does; zeroes past a shorter backing file; a qcow2 layer's answer ending
 * with its L2 table, as qemu's does; the data of a format layer
 * refined by its file (a hole in the file under a data cluster reads as
 * zeroes); and IMG_STATUS_EOF when the range reaches the end of the image.
 */
#include "img/img.h"

#include <stdlib.h>
#include <string.h>

/* How far one block-status answer of qcow2 reaches in qemu: to the end of
 * the L2 table (slice) that maps the offset; 0 for other formats.  Cached
 * for the few images a command opens. */
static uint64_t qcow2_l2_span(BlockDriverState *bs)
{
    static struct { BlockDriverState *bs; uint64_t span; } cache[16];
    static int n_cache;
    for (int i = 0; i < n_cache; i++) {
        if (cache[i].bs == bs) {
            return cache[i].span;
        }
    }
    uint64_t span = 0;
    if (!strcmp(bs->drv->format_name, "qcow2") && bs->drv->get_info) {
        BlockFormatInfo *info = calloc(1, sizeof(*info));
        if (info && bs->drv->get_info(bs, info) == 0 && info->cluster_size > 0) {
            uint64_t entry = 8;
            for (int i = 0; i < info->nfields; i++) {
                if (!strcmp(info->fields[i].key, "extended-l2") && info->fields[i].num) {
                    entry = 16;
                }
            }
            span = (uint64_t)info->cluster_size * ((uint64_t)info->cluster_size / entry);
        }
        free(info);
    }
    if (n_cache < 16) {
        cache[n_cache].bs = bs;
        cache[n_cache++].span = span;
    }
    return span;
}

/* The status of one layer, with ZERO for a data range that is a hole in the
 * layer's file and EOF when the range reaches the layer's end. */
static int layer_status(BlockDriverState *bs, uint64_t off, uint64_t bytes, unsigned *flags,
                        uint64_t *pnum)
{
    int64_t len = bdrv_getlength(bs);
    if (len < 0) {
        return (int)len;
    }
    if (off >= (uint64_t)len) {
        *flags = IMG_STATUS_EOF;
        *pnum = 0;
        return 0;
    }
    if (bytes > (uint64_t)len - off) {
        bytes = (uint64_t)len - off;
    }
    BlockStatus st;
    int r = bdrv_block_status(bs, off, bytes, &st);
    if (r < 0) {
        return r;
    }
    uint64_t span = qcow2_l2_span(bs);
    if (span && st.bytes > span - off % span) {
        st.bytes = span - off % span;
    }
    unsigned f = st.flags & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID |
                             BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED);
    uint64_t n = st.bytes;
    if ((f & BDRV_BLOCK_DATA) && !(f & BDRV_BLOCK_ZERO) && (f & BDRV_BLOCK_OFFSET_VALID) &&
        st.file && st.file != bs) {
        int64_t flen = bdrv_getlength(st.file);
        if (flen >= 0 && st.host_offset >= (uint64_t)flen) {
            f |= BDRV_BLOCK_ZERO;       /* past the file's end: zeroes */
        } else if (flen >= 0) {
            BlockStatus fst;
            uint64_t fbytes = n < (uint64_t)flen - st.host_offset ? n : (uint64_t)flen - st.host_offset;
            if (bdrv_block_status(st.file, st.host_offset, fbytes, &fst) == 0) {
                n = fst.bytes;
                f |= fst.flags & BDRV_BLOCK_ZERO;
            }
        }
    }
    if (!(f & (BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_DATA))) {
        /* unallocated here: zeroes without a backing file or past its end */
        int64_t blen = bs->backing ? bdrv_getlength(bs->backing) : 0;
        if (!bs->backing || (blen >= 0 && off >= (uint64_t)blen)) {
            f |= BDRV_BLOCK_ZERO;
        }
    }
    if (off + n == (uint64_t)len) {
        f |= IMG_STATUS_EOF;
    }
    *flags = f;
    *pnum = n;
    return 0;
}

int img_status_above(BlockDriverState *bs, uint64_t off, uint64_t bytes, unsigned *flags,
                     uint64_t *pnum)
{
    unsigned f;
    uint64_t n;
    int r = layer_status(bs, off, bytes, &f, &n);
    if (r < 0 || n == 0 || (f & BDRV_BLOCK_ALLOCATED)) {
        *flags = f;
        *pnum = n;
        return r;
    }
    uint64_t eof = (f & IMG_STATUS_EOF) ? off + n : UINT64_MAX;
    bytes = n;
    for (BlockDriverState *p = bs->backing; p; p = p->backing) {
        r = layer_status(p, off, bytes, &f, &n);
        if (r < 0) {
            return r;
        }
        if (n == 0) {
            /* past the end of a shorter backing file: zeroes decided here */
            n = bytes;
            f = BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
            break;
        }
        if (f & BDRV_BLOCK_ALLOCATED) {
            f &= ~IMG_STATUS_EOF;   /* that layer's end is not this image's */
            break;
        }
        bytes = n;
    }
    if (off + n == eof) {
        f |= IMG_STATUS_EOF;
    }
    *flags = f;
    *pnum = n;
    return 0;
}
