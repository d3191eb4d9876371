/*
 * mapped-image.h — what formats whose image is a table from guest ranges
 * to host offsets in one file, each range data or zeroes (VDI, VHD), share:
 * vectored reads and writes, block status and the open.
 *
 * A format gives two functions:
 *   chunk(bs, off, left): how many bytes from guest offset off (at most
 *       left) one map entry covers;
 *   map(bs, off, n, &host): where [off, off+n) lies: < 0 an error, else
 *       data at *host when it returns 1 or sets *host non-zero, zeroes
 *       otherwise.
 *   write(bs, off, buf, n): writes [off, off+n) (inside one chunk), allocating
 *       what the format must allocate; NULL for a read-only format.
 */
#ifndef VEMU_BLOCK_MAPPED_IMAGE_H
#define VEMU_BLOCK_MAPPED_IMAGE_H

#include "block/block.h"

typedef struct MappedImageOps {
    uint64_t (*chunk)(BlockDriverState *bs, uint64_t off, uint64_t left);
    int (*map)(BlockDriverState *bs, uint64_t off, uint64_t n, uint64_t *host);
    int (*write)(BlockDriverState *bs, uint64_t off, const uint8_t *buf, uint64_t n);
} MappedImageOps;

int mapped_image_preadv(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov);
int mapped_image_block_status(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset,
                              uint64_t bytes, BlockStatus *st);
/* Gathers the iovec and calls ops->write once per chunk. */
int mapped_image_pwritev(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset,
                         uint64_t bytes, const struct iovec *iov, int niov);
/* Opens bs->file as raw (for writing with BDRV_O_RDWR) and runs
 * open_image.  On failure close() undoes open_image's work and bs->file is
 * closed. */
int mapped_image_open(BlockDriverState *bs, int flags,
                      int (*open_image)(BlockDriverState *bs, char **errp),
                      void (*close)(BlockDriverState *bs), char **errp);
/* true when n bytes at buf are all zero */
bool mapped_image_is_zero(const uint8_t *buf, uint64_t n);

#endif
