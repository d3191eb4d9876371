/*
 * mapped-image.h — the read side shared by formats whose image is a table
 * from guest ranges to host offsets in one file, each range data or zeroes
 * (VDI, VHD): vectored reads, block status and a read-only open.
 *
 * A format gives two functions:
 *   chunk(bs, off, left): how many bytes from guest offset off (at most
 *       left) one map entry covers;
 *   map(bs, off, n, &host): where [off, off+n) lies: < 0 an error, else
 *       data at *host when it returns 1 or sets *host non-zero, zeroes
 *       otherwise.
 */
#ifndef VEMU_BLOCK_MAPPED_IMAGE_H
#define VEMU_BLOCK_MAPPED_IMAGE_H

#include "block/block.h"

typedef struct MappedImageOps {
    uint64_t (*chunk)(BlockDriverState *bs, uint64_t off, uint64_t left);
    int (*map)(BlockDriverState *bs, uint64_t off, uint64_t n, uint64_t *host);
} MappedImageOps;

int mapped_image_preadv(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov);
int mapped_image_block_status(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset,
                              uint64_t bytes, BlockStatus *st);
/* Opens bs->file as raw and runs open_image; read-only formats refuse
 * BDRV_O_RDWR with a message naming the format.  On failure close() undoes
 * open_image's work and bs->file is closed. */
int mapped_image_open_readonly(BlockDriverState *bs, int flags, const char *format,
                               int (*open_image)(BlockDriverState *bs, char **errp),
                               void (*close)(BlockDriverState *bs), char **errp);

#endif
