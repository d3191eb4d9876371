/*
 * block.c — the core of the block layer: opening an image with its backing
 * chain, and the request entry points every user (vemu-img, the emulator's
 * disks) calls.  Requests of a driver that is not thread-safe are serialised
 * by the BlockDriverState's lock, so callers on the thread pool need no
 * locking of their own.
 */
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const BlockDriver *const bdrv_drivers[] = { &bdrv_qcow2, &bdrv_raw, &bdrv_vmdk, &bdrv_qcow, &bdrv_vdi, &bdrv_vpc, NULL };

void bdrv_error(char **errp, const char *fmt, ...)
{
    va_list ap;
    if (!errp || *errp) {
        return;   /* keep the first (innermost) message */
    }
    va_start(ap, fmt);
    if (vasprintf(errp, fmt, ap) < 0) {
        *errp = NULL;
    }
    va_end(ap);
}

const BlockDriver *bdrv_find_format(const char *name)
{
    for (int i = 0; bdrv_drivers[i]; i++) {
        if (!strcmp(bdrv_drivers[i]->format_name, name)) {
            return bdrv_drivers[i];
        }
    }
    return NULL;
}

void bdrv_resolve_backing_name(const char *image, const char *backing, char *out, size_t n)
{
    if (backing[0] == '/' || !strchr(image, '/')) {
        snprintf(out, n, "%s", backing);
        return;
    }
    char *copy = strdup(image);
    snprintf(out, n, "%s/%s", dirname(copy), backing);
    free(copy);
}

/* Identity of an opened file, for backing-loop detection. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static BlockDriverState *bdrv_open_chain(const char *filename, const char *fmt, int flags,
                                         int depth, const char *const *above, char **errp);

static int open_backing(BlockDriverState *bs, int flags, const char *const *above, char **errp)
{
    const char *chain[BDRV_MAX_BACKING_DEPTH + 2];
    int n = 0;
    if (!bs->backing_file[0] || (flags & BDRV_O_NO_BACKING)) {
        return 0;
    }
    if (bs->chain_depth + 1 > BDRV_MAX_BACKING_DEPTH) {
        bdrv_error(errp, "Backing chain of '%s' is deeper than %d images (a loop?)",
                   bs->filename, BDRV_MAX_BACKING_DEPTH);
        return -ELOOP;
    }
    bdrv_resolve_backing_name(bs->filename, bs->backing_file,
                              bs->full_backing_filename, sizeof(bs->full_backing_filename));
    for (; above && above[n]; n++) {
        chain[n] = above[n];
        if (same_file(above[n], bs->full_backing_filename)) {
            bdrv_error(errp, "Backing file '%s' of '%s' is already in its chain (a loop)",
                       bs->full_backing_filename, bs->filename);
            return -ELOOP;
        }
    }
    if (same_file(bs->filename, bs->full_backing_filename)) {
        bdrv_error(errp, "Backing file '%s' of '%s' is the image itself (a loop)",
                   bs->full_backing_filename, bs->filename);
        return -ELOOP;
    }
    chain[n++] = bs->filename;
    chain[n] = NULL;
    char *err = NULL;
    /* the chain below the top is read-only: writes land in the top image */
    bs->backing = bdrv_open_chain(bs->full_backing_filename,
                                  bs->backing_format[0] ? bs->backing_format : NULL,
                                  flags & ~BDRV_O_RDWR, bs->chain_depth + 1, chain, &err);
    if (!bs->backing) {
        bdrv_error(errp, "Could not open backing file: %s", err ? err : "error");
        free(err);
        return -EINVAL;
    }
    return 0;
}

static BlockDriverState *bdrv_open_chain(const char *filename, const char *fmt, int flags,
                                         int depth, const char *const *above, char **errp)
{
    const BlockDriver *drv;
    bool probed = false;
    int ret;

    if (fmt) {
        drv = bdrv_find_format(fmt);
        if (!drv) {
            bdrv_error(errp, "Unknown driver '%s'", fmt);
            return NULL;
        }
    } else {
        ret = bdrv_probe_file(filename, &drv, errp);
        if (ret < 0) {
            return NULL;
        }
        probed = true;
    }
    BlockDriverState *bs = calloc(1, sizeof(*bs));
    bs->drv = drv;
    bs->filename = strdup(filename);
    bs->open_flags = flags;
    bs->read_only = !(flags & BDRV_O_RDWR);
    bs->probed = probed;
    bs->fd = -1;
    bs->chain_depth = depth;
    pthread_mutex_init(&bs->lock, NULL);
    bs->opaque = drv->instance_size ? calloc(1, drv->instance_size) : NULL;

    if (probed && drv == &bdrv_raw && !bs->read_only) {
        fprintf(stderr, "WARNING: Image format was not specified for '%s' and probing guessed raw.\n"
                "         Automatically detecting the format is dangerous for raw images, "
                "write operations on block 0 will be restricted.\n"
                "         Specify the 'raw' format explicitly to remove the restrictions.\n",
                filename);
    }
    ret = drv->open(bs, flags, errp);
    if (ret < 0) {
        free(bs->opaque);
        free(bs->filename);
        pthread_mutex_destroy(&bs->lock);
        free(bs);
        return NULL;
    }
    if (open_backing(bs, flags, above, errp) < 0) {
        bdrv_close(bs);
        return NULL;
    }
    return bs;
}

BlockDriverState *bdrv_open(const char *filename, const char *fmt, int flags, char **errp)
{
    return bdrv_open_chain(filename, fmt, flags, 0, NULL, errp);
}

void bdrv_close(BlockDriverState *bs)
{
    if (!bs) {
        return;
    }
    if (bs->drv->close) {
        bs->drv->close(bs);
    }
    bdrv_close(bs->backing);
    bdrv_close(bs->file);
    pthread_mutex_destroy(&bs->lock);
    free(bs->opaque);
    free(bs->filename);
    free(bs);
}

static void req_lock(BlockDriverState *bs)
{
    if (!bs->drv->thread_safe) {
        pthread_mutex_lock(&bs->lock);
    }
}

static void req_unlock(BlockDriverState *bs)
{
    if (!bs->drv->thread_safe) {
        pthread_mutex_unlock(&bs->lock);
    }
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    req_lock(bs);
    int64_t r = bs->drv->getlength(bs);
    req_unlock(bs);
    return r;
}

static int check_range(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    int64_t len = bs->drv->getlength(bs);
    if (len < 0) {
        return (int)len;
    }
    if (offset > (uint64_t)len || bytes > (uint64_t)len - offset) {
        return -EIO;
    }
    return 0;
}

int bdrv_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                const struct iovec *iov, int niov)
{
    req_lock(bs);
    int r = check_range(bs, offset, bytes);
    if (r == 0 && bytes) {
        r = bs->drv->preadv(bs, offset, bytes, iov, niov);
    }
    req_unlock(bs);
    return r;
}

int bdrv_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                 const struct iovec *iov, int niov)
{
    if (bs->read_only) {
        return -EROFS;
    }
    req_lock(bs);
    /* a protocol layer grows (a format driver appends clusters to its file) */
    int r = bs->drv->is_format ? check_range(bs, offset, bytes) : 0;
    if (r == 0 && bytes) {
        r = bs->drv->pwritev(bs, offset, bytes, iov, niov);
    }
    req_unlock(bs);
    return r;
}

int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t bytes)
{
    struct iovec iov = { buf, bytes };
    return bdrv_preadv(bs, offset, bytes, &iov, 1);
}

int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t bytes)
{
    struct iovec iov = { (void *)buf, bytes };
    return bdrv_pwritev(bs, offset, bytes, &iov, 1);
}

int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t size)
{
    if (!bs->drv->save_vmstate) {
        return -ENOTSUP;
    }
    if (bs->read_only) {
        return -EROFS;
    }
    req_lock(bs);
    int r = bs->drv->save_vmstate(bs, buf, pos, size);
    req_unlock(bs);
    return r;
}

int bdrv_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t size)
{
    if (!bs->drv->load_vmstate) {
        return -ENOTSUP;
    }
    req_lock(bs);
    int r = bs->drv->load_vmstate(bs, buf, pos, size);
    req_unlock(bs);
    return r;
}

uint64_t bdrv_compress_unit(BlockDriverState *bs)
{
    return bs->drv->pwrite_compressed ? bs->drv->compress_unit(bs) : 0;
}

int bdrv_pwrite_compressed(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t bytes)
{
    if (bs->read_only) {
        return -EROFS;
    }
    if (!bs->drv->pwrite_compressed) {
        return -ENOTSUP;
    }
    bool unlocked = bs->drv->compress_unlocked;
    req_lock(bs);
    int r = check_range(bs, offset, bytes);
    if (unlocked) {
        req_unlock(bs);
    }
    if (r == 0 && bytes) {
        r = bs->drv->pwrite_compressed(bs, offset, bytes, buf);
    }
    if (!unlocked) {
        req_unlock(bs);
    }
    return r;
}

int bdrv_flush(BlockDriverState *bs)
{
    if (bs->read_only || !bs->drv->flush) {
        return 0;
    }
    req_lock(bs);
    int r = bs->drv->flush(bs);
    req_unlock(bs);
    return r;
}

/* Fallback for drivers without write_zeroes: write a zero buffer. */
static int write_zero_buffer(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    size_t chunk = bytes < (1u << 20) ? bytes : (1u << 20);
    void *zero = calloc(1, chunk);
    int r = 0;
    while (bytes && r >= 0) {
        size_t n = bytes < chunk ? bytes : chunk;
        struct iovec iov = { zero, n };
        r = bs->drv->pwritev(bs, offset, n, &iov, 1);
        offset += n;
        bytes -= n;
    }
    free(zero);
    return r < 0 ? r : 0;
}

int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    if (bs->read_only) {
        return -EROFS;
    }
    req_lock(bs);
    int r = bs->drv->is_format ? check_range(bs, offset, bytes) : 0;
    if (r == 0 && bytes) {
        r = bs->drv->pwrite_zeroes ? bs->drv->pwrite_zeroes(bs, offset, bytes, flags) : -ENOTSUP;
        if (r == -ENOTSUP) {
            r = write_zero_buffer(bs, offset, bytes);
        }
    }
    req_unlock(bs);
    return r;
}

int bdrv_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    if (bs->read_only) {
        return -EROFS;
    }
    if (!bs->drv->pdiscard) {
        return 0;   /* discard is advisory */
    }
    req_lock(bs);
    int r = bs->drv->is_format ? check_range(bs, offset, bytes) : 0;
    if (r == 0 && bytes) {
        r = bs->drv->pdiscard(bs, offset, bytes);
    }
    req_unlock(bs);
    return r;
}

int bdrv_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    memset(st, 0, sizeof(*st));
    req_lock(bs);
    int r = check_range(bs, offset, bytes);
    if (r == 0 && bytes == 0) {
        r = -EINVAL;
    }
    if (r == 0) {
        if (bs->drv->block_status) {
            r = bs->drv->block_status(bs, offset, bytes, st);
        } else {
            st->flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED;
            st->bytes = bytes;
        }
    }
    req_unlock(bs);
    return r;
}

int bdrv_truncate(BlockDriverState *bs, uint64_t size)
{
    if (!bs->drv->truncate) {
        return -ENOTSUP;
    }
    req_lock(bs);
    int r = bs->drv->truncate(bs, size);
    req_unlock(bs);
    return r;
}

int bdrv_preallocate(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode)
{
    if (!bs->drv->preallocate) {
        return -ENOTSUP;
    }
    if (bs->read_only) {
        return -EACCES;
    }
    req_lock(bs);
    int r = bs->drv->preallocate(bs, offset, bytes, mode);
    req_unlock(bs);
    return r;
}

int64_t bdrv_allocated_file_size(BlockDriverState *bs)
{
    struct stat st;
    if (bs->fd >= 0) {
        return fstat(bs->fd, &st) < 0 ? -errno : (int64_t)st.st_blocks * 512;
    }
    if (bs->drv->allocated_file_size) {
        return bs->drv->allocated_file_size(bs);
    }
    return bs->file ? bdrv_allocated_file_size(bs->file) : -1;
}

int bdrv_create(const BlockDriver *drv, const char *filename, uint64_t size,
                BlockOpts *opts, char **errp)
{
    if (!drv->create) {
        bdrv_error(errp, "Format driver '%s' does not support image creation", drv->format_name);
        return -ENOTSUP;
    }
    if (opts && block_opts_validate(opts, drv->create_opts, errp) < 0) {
        return -EINVAL;
    }
    return drv->create(filename, size, opts, errp);
}
