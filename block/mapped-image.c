/*
 * mapped-image.c — reads and writes through a guest-to-host map (mapped-image.h).
 */
#include "block/mapped-image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int map_range(BlockDriverState *bs, const MappedImageOps *ops, uint64_t off, uint64_t n,
                     uint64_t *host, bool *data)
{
    int r = ops->map(bs, off, n, host);
    if (r < 0)
        return r;
    *data = r == 1 || *host != 0;
    return 0;
}

int mapped_image_preadv(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov)
{
    uint64_t done = 0, vpos = 0;   /* vpos: position inside iov[vi] */
    int vi = 0;
    while (done < bytes && vi < niov) {
        uint64_t off = offset + done;
        uint64_t n = ops->chunk(bs, off, bytes - done);
        if (n > iov[vi].iov_len - vpos)
            n = iov[vi].iov_len - vpos;
        uint8_t *dst = (uint8_t *)iov[vi].iov_base + vpos;
        uint64_t host;
        bool data;
        int r = map_range(bs, ops, off, n, &host, &data);
        if (r < 0)
            return r;
        if (data) {
            r = bdrv_pread(bs->file, host, dst, n);
            if (r < 0)
                return r;
        } else {
            memset(dst, 0, n);
        }
        done += n;
        vpos += n;
        if (vpos == iov[vi].iov_len) {
            vi++;
            vpos = 0;
        }
    }
    return 0;
}

int mapped_image_block_status(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset,
                              uint64_t bytes, BlockStatus *st)
{
    st->bytes = 0;
    st->file = bs->file;
    uint64_t expect = 0;
    while (st->bytes < bytes) {
        uint64_t off = offset + st->bytes;
        uint64_t n = ops->chunk(bs, off, bytes - st->bytes);
        uint64_t host;
        bool data;
        int r = map_range(bs, ops, off, n, &host, &data);
        if (r < 0)
            return r;
        unsigned f = data ? BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID
                          : BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
        if (st->bytes == 0) {
            st->flags = f;
            st->host_offset = host;
        } else if (f != st->flags || (data && host != expect)) {
            break;
        }
        expect = host + n;
        st->bytes += n;
    }
    return 0;
}

int mapped_image_pwritev(BlockDriverState *bs, const MappedImageOps *ops, uint64_t offset,
                         uint64_t bytes, const struct iovec *iov, int niov)
{
    if (!ops->write) {
        return -EROFS;
    }
    uint8_t *buf = malloc(bytes ? bytes : 1);
    if (!buf) {
        return -ENOMEM;
    }
    uint64_t got = 0;
    for (int i = 0; i < niov && got < bytes; i++) {
        uint64_t n = iov[i].iov_len < bytes - got ? iov[i].iov_len : bytes - got;
        memcpy(buf + got, iov[i].iov_base, n);
        got += n;
    }
    int r = 0;
    for (uint64_t done = 0; done < bytes && r == 0;) {
        uint64_t n = ops->chunk(bs, offset + done, bytes - done);
        r = ops->write(bs, offset + done, buf + done, n);
        done += n;
    }
    free(buf);
    return r;
}

bool mapped_image_is_zero(const uint8_t *buf, uint64_t n)
{
    return n == 0 || (buf[0] == 0 && memcmp(buf, buf + 1, n - 1) == 0);
}

int mapped_image_open(BlockDriverState *bs, int flags,
                      int (*open_image)(BlockDriverState *bs, char **errp),
                      void (*close)(BlockDriverState *bs), char **errp)
{
    bs->file = bdrv_open(bs->filename, "raw", flags & BDRV_O_RDWR, errp);
    if (!bs->file)
        return -EIO;
    int r = open_image(bs, errp);
    if (r < 0) {
        close(bs);
        bdrv_close(bs->file);
        bs->file = NULL;
    }
    return r;
}
