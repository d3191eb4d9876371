/*
 * raw.c — raw images: the file is the disk.  Also the layer format drivers
 * store their data in (bs->file).  Holes of a sparse file are reported as
 * zero by block_status (SEEK_DATA/SEEK_HOLE); write-zeroes and discard punch
 * or zero ranges with fallocate when the file system can.
 */
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const BlockOptDesc raw_create_opts[] = {
    { "size", BOPT_SIZE, "Virtual disk size", NULL },
    { "preallocation", BOPT_STRING, "Preallocation mode (allowed values: off, falloc, full)", "off" },
    { NULL, 0, NULL, NULL },
};

static int raw_open(BlockDriverState *bs, int flags, char **errp)
{
    bs->fd = open(bs->filename, ((flags & BDRV_O_RDWR) ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (bs->fd < 0) {
        int e = errno;
        bdrv_error(errp, "Could not open '%s': %s", bs->filename, strerror(e));
        return -e;
    }
    struct stat st;
    if (fstat(bs->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        bdrv_error(errp, "'%s' is a directory", bs->filename);
        close(bs->fd);
        return -EISDIR;
    }
    return 0;
}

static void raw_close(BlockDriverState *bs)
{
    if (bs->fd >= 0) {
        close(bs->fd);
        bs->fd = -1;
    }
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    off_t end = lseek(bs->fd, 0, SEEK_END);   /* also block devices */
    return end < 0 ? -errno : (int64_t)end;
}

/* Copies the iovec so that partial transfers can advance it. */
static int raw_rw(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                  const struct iovec *iov_in, int niov, bool write)
{
    struct iovec stack[16], *iov = niov <= 16 ? stack : malloc(niov * sizeof(*iov));
    memcpy(iov, iov_in, niov * sizeof(*iov));
    struct iovec *cur = iov;
    int left = niov, ret = 0;
    while (bytes && left) {
        ssize_t n = write ? pwritev(bs->fd, cur, left, offset) : preadv(bs->fd, cur, left, offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ret = -errno;
            break;
        }
        if (n == 0) {
            /* read past the end of file: the rest reads as zeroes */
            for (int i = 0; i < left; i++) {
                memset(cur[i].iov_base, 0, cur[i].iov_len);
            }
            break;
        }
        offset += n;
        bytes -= (uint64_t)n > bytes ? bytes : (uint64_t)n;
        while (n && left) {
            if ((size_t)n >= cur->iov_len) {
                n -= cur->iov_len;
                cur++;
                left--;
            } else {
                cur->iov_base = (char *)cur->iov_base + n;
                cur->iov_len -= n;
                n = 0;
            }
        }
    }
    if (iov != stack) {
        free(iov);
    }
    return ret;
}

static int raw_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov)
{
    return raw_rw(bs, offset, bytes, iov, niov, false);
}

static int raw_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov)
{
    return raw_rw(bs, offset, bytes, iov, niov, true);
}

static int raw_flush(BlockDriverState *bs)
{
    return fdatasync(bs->fd) < 0 ? -errno : 0;
}

static int raw_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    int64_t len = raw_getlength(bs);
    /* past the end: extending with ftruncate gives zeroes without writing */
    if (len >= 0 && offset >= (uint64_t)len) {
        return ftruncate(bs->fd, offset + bytes) < 0 ? -errno : 0;
    }
    if ((flags & BDRV_REQ_MAY_UNMAP) &&
        fallocate(bs->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, bytes) == 0) {
        if (len >= 0 && offset + bytes > (uint64_t)len && ftruncate(bs->fd, offset + bytes) < 0) {
            return -errno;
        }
        return 0;
    }
    if (fallocate(bs->fd, FALLOC_FL_ZERO_RANGE, offset, bytes) == 0) {
        return 0;
    }
    return -ENOTSUP;   /* the caller writes a buffer of zeroes */
}

static int raw_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    /* advisory: a file system without hole punching keeps the data */
    fallocate(bs->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, bytes);
    return 0;
}

static int raw_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    st->file = bs;
    st->host_offset = offset;
    st->flags = BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
    off_t data = lseek(bs->fd, offset, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {
        st->flags |= BDRV_BLOCK_ZERO;     /* a hole up to the end of the file */
        st->bytes = bytes;
        return 0;
    }
    if (data < 0) {                       /* no SEEK_DATA: all data */
        st->flags |= BDRV_BLOCK_DATA;
        st->bytes = bytes;
        return 0;
    }
    if ((uint64_t)data > offset) {
        st->flags |= BDRV_BLOCK_ZERO;
        st->bytes = (uint64_t)data - offset < bytes ? (uint64_t)data - offset : bytes;
        return 0;
    }
    off_t hole = lseek(bs->fd, offset, SEEK_HOLE);
    st->flags |= BDRV_BLOCK_DATA;
    st->bytes = hole > (off_t)offset && (uint64_t)hole - offset < bytes ? (uint64_t)hole - offset : bytes;
    return 0;
}

static int raw_truncate(BlockDriverState *bs, uint64_t size)
{
    return ftruncate(bs->fd, size) < 0 ? -errno : 0;
}

/* Writes zeroes over [from, to) so that every block is allocated. */
static int write_zero_range(int fd, uint64_t from, uint64_t to)
{
    size_t chunk = 1 << 20;
    void *zero = calloc(1, chunk);
    int ret = 0;
    while (from < to) {
        size_t n = to - from < chunk ? to - from : chunk;
        ssize_t w = pwrite(fd, zero, n, from);
        if (w <= 0) {
            ret = w < 0 ? -errno : -EIO;
            break;
        }
        from += w;
    }
    free(zero);
    return ret;
}

/* A raw file is its own data: falloc reserves the range, full writes it. */
static int raw_preallocate(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode)
{
    if (!strcmp(mode, "falloc")) {
        return bytes ? -posix_fallocate(bs->fd, (off_t)offset, (off_t)bytes) : 0;
    }
    if (!strcmp(mode, "full")) {
        return write_zero_range(bs->fd, offset, offset + bytes);
    }
    return -ENOTSUP;
}

int raw_create_file(const char *filename, uint64_t size, const char *prealloc, char **errp);
int raw_create_file(const char *filename, uint64_t size, const char *prealloc, char **errp)
{
    if (strcmp(prealloc, "off") && strcmp(prealloc, "falloc") && strcmp(prealloc, "full")) {
        bdrv_error(errp, "Invalid parameter '%s'", prealloc);
        return -EINVAL;
    }
    int fd = open(filename, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        bdrv_error(errp, "Could not create '%s': %s", filename, strerror(e));
        return -e;
    }
    int ret = 0;
    if (ftruncate(fd, size) < 0) {
        ret = -errno;
        bdrv_error(errp, "Could not resize file: %s", strerror(-ret));
    } else if (!strcmp(prealloc, "falloc") && size) {
        ret = -posix_fallocate(fd, 0, size);
        if (ret < 0) {
            bdrv_error(errp, "Could not preallocate data for the new file: %s", strerror(-ret));
        }
    } else if (!strcmp(prealloc, "full")) {
        ret = write_zero_range(fd, 0, size);
        if (ret < 0) {
            bdrv_error(errp, "Could not write zeros for preallocation: %s", strerror(-ret));
        }
    }
    if (close(fd) < 0 && ret == 0) {
        ret = -errno;
        bdrv_error(errp, "Could not close the new file: %s", strerror(-ret));
    }
    return ret;
}

static int raw_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp)
{
    const char *prealloc = block_opts_get(opts, "preallocation");
    return raw_create_file(filename, size, prealloc ? prealloc : "off", errp);
}

const BlockDriver bdrv_raw = {
    .format_name = "raw",
    .thread_safe = true,
    .is_format = false,
    .create_opts = raw_create_opts,
    .open = raw_open,
    .close = raw_close,
    .preadv = raw_preadv,
    .pwritev = raw_pwritev,
    .flush = raw_flush,
    .pwrite_zeroes = raw_pwrite_zeroes,
    .pdiscard = raw_pdiscard,
    .block_status = raw_block_status,
    .getlength = raw_getlength,
    .truncate = raw_truncate,
    .preallocate = raw_preallocate,
    .create = raw_create,
};
