/*
 * qcow2-compress.c — compressed clusters.  zlib clusters are raw deflate
 * streams (no zlib header, 4 KiB window as qemu-img writes them, though any
 * window inflates); zstd clusters are zstd frames.  The stored length is
 * rounded up to 512-byte sectors, so both decoders stop when the cluster is
 * full and ignore what follows.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* Compression contexts, one set per thread and kept for its life: setting
 * up a deflate stream or a zstd context per cluster (allocating and clearing
 * their tables) costs as much as compressing a small cluster. */
typedef struct CodecCtx {
    z_stream deflate, inflate;
    bool deflate_ready, inflate_ready;
    ZSTD_CCtx *zstd_c;
    ZSTD_DCtx *zstd_d;
} CodecCtx;

static pthread_key_t codec_key;
static pthread_once_t codec_once = PTHREAD_ONCE_INIT;

static void codec_free(void *opaque)
{
    CodecCtx *c = opaque;
    if (c->deflate_ready) {
        deflateEnd(&c->deflate);
    }
    if (c->inflate_ready) {
        inflateEnd(&c->inflate);
    }
    ZSTD_freeCCtx(c->zstd_c);
    ZSTD_freeDCtx(c->zstd_d);
    free(c);
}

static void codec_key_init(void)
{
    pthread_key_create(&codec_key, codec_free);
}

static CodecCtx *codec_ctx(void)
{
    pthread_once(&codec_once, codec_key_init);
    CodecCtx *c = pthread_getspecific(codec_key);
    if (!c) {
        c = calloc(1, sizeof(*c));
        if (c && pthread_setspecific(codec_key, c) != 0) {
            free(c);
            c = NULL;
        }
    }
    return c;
}

static int inflate_raw(uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    CodecCtx *c = codec_ctx();
    if (!c) {
        return -ENOMEM;
    }
    z_stream *z = &c->inflate;
    if (!c->inflate_ready) {
        if (inflateInit2(z, -15) != Z_OK) {
            return -ENOMEM;
        }
        c->inflate_ready = true;
    } else if (inflateReset(z) != Z_OK) {
        return -EIO;
    }
    z->next_in = (Bytef *)src;
    z->avail_in = (uInt)src_size;
    z->next_out = dest;
    z->avail_out = (uInt)dest_size;
    int r = inflate(z, Z_FINISH);
    /* a full output is success even when the input has padding after the stream */
    if ((r == Z_STREAM_END || r == Z_BUF_ERROR || r == Z_OK) && z->avail_out == 0) {
        return 0;
    }
    return -EIO;
}

static int zstd_decompress(uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    CodecCtx *c = codec_ctx();
    if (c && !c->zstd_d) {
        c->zstd_d = ZSTD_createDCtx();
    }
    if (!c || !c->zstd_d) {
        return -ENOMEM;
    }
    ZSTD_DCtx *d = c->zstd_d;
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    ZSTD_outBuffer out = { dest, dest_size, 0 };
    ZSTD_inBuffer in = { src, src_size, 0 };
    while (out.pos < out.size) {
        size_t r = ZSTD_decompressStream(d, &out, &in);
        if (ZSTD_isError(r)) {
            break;
        }
        if (r == 0 && out.pos < out.size) {
            break;      /* the frame ended before the cluster did */
        }
        if (in.pos == in.size && out.pos < out.size) {
            break;
        }
    }
    return out.pos == out.size ? 0 : -EIO;
}

int qcow2_decompress(int type, uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    switch (type) {
    case QCOW2_COMPRESSION_ZLIB: return inflate_raw(dest, dest_size, src, src_size);
    case QCOW2_COMPRESSION_ZSTD: return zstd_decompress(dest, dest_size, src, src_size);
    default: return -ENOTSUP;
    }
}

/* Compresses src into dest; returns the compressed length, or 0 when it
 * would not be smaller than dest_size (the caller stores the data as is). */
static size_t deflate_raw(uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    CodecCtx *c = codec_ctx();
    if (!c) {
        return 0;
    }
    z_stream *z = &c->deflate;
    if (!c->deflate_ready) {
        /* a 4 KiB window, raw deflate: what qcow2 readers expect */
        if (deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
            return 0;
        }
        c->deflate_ready = true;
    } else if (deflateReset(z) != Z_OK) {
        return 0;
    }
    z->next_in = (Bytef *)src;
    z->avail_in = (uInt)src_size;
    z->next_out = dest;
    z->avail_out = (uInt)dest_size;
    int r = deflate(z, Z_FINISH);
    size_t n = dest_size - z->avail_out;
    return r == Z_STREAM_END ? n : 0;
}

size_t qcow2_compress(int type, uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    if (type == QCOW2_COMPRESSION_ZSTD) {
        CodecCtx *c = codec_ctx();
        if (c && !c->zstd_c) {
            c->zstd_c = ZSTD_createCCtx();
        }
        if (!c || !c->zstd_c) {
            return 0;
        }
        size_t n = ZSTD_compressCCtx(c->zstd_c, dest, dest_size, src, src_size, 3);
        return ZSTD_isError(n) ? 0 : n;
    }
    return deflate_raw(dest, dest_size, src, src_size);
}

/* Byte-granular space for compressed data: compressed clusters are packed
 * into host clusters, each of which counts one reference per compressed
 * cluster stored (even partly) in it. */
/* Are the clusters after the one holding `off` free for len more bytes? */
static bool spill_possible(BlockDriverState *bs, uint64_t off, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = (off >> s->cluster_bits) + 1;
    uint64_t last = (off + len - 1) >> s->cluster_bits;
    for (uint64_t c = first; c <= last; c++) {
        uint64_t rc;
        if (c < s->alloc_end && (qcow2_get_refcount(bs, c, &rc) < 0 || rc)) {
            return false;
        }
    }
    return true;
}

static int64_t alloc_bytes(BlockDriverState *bs, uint64_t len)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off = s->free_byte_offset;
    uint64_t in = off & (s->cluster_size - 1);
    int ret;
    if (off && in && in + len <= s->cluster_size) {
        /* fits in the current host cluster: one more reference to it */
        ret = qcow2_update_refcount(bs, off, 1, 1);
        if (ret < 0) {
            return ret;
        }
    } else if (off && in && spill_possible(bs, off, len)) {
        /* continues into the free clusters right after the current one */
        uint64_t next = (off | (s->cluster_size - 1)) + 1;
        uint64_t end_cluster = (off + len + s->cluster_size - 1) >> s->cluster_bits;
        if (end_cluster > s->alloc_end) {
            s->alloc_end = end_cluster;
        }
        ret = qcow2_update_refcount(bs, off, 1, 1);
        if (ret == 0) {
            ret = qcow2_update_refcount(bs, next, off + len - next, 1);
        }
        if (ret < 0) {
            return ret;
        }
    } else {
        uint64_t n = (len + s->cluster_size - 1) >> s->cluster_bits;
        int64_t host = qcow2_alloc_clusters(bs, n);
        if (host < 0) {
            return host;
        }
        off = (uint64_t)host;
    }
    s->free_byte_offset = off + len;
    return (int64_t)off;
}

/* Called without bs->lock (BlockDriver.compress_unlocked): the cluster is
 * compressed first, in the caller's thread, so that convert's workers
 * compress in parallel; only allocating its bytes and setting its L2 entry
 * take the lock. */
int qcow2_pwrite_compressed(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const void *buf)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *src = (uint8_t *)buf, *padded = NULL;
    if ((offset & (s->cluster_size - 1)) || bytes > s->cluster_size ||
        (bytes < s->cluster_size && offset + bytes != s->size)) {
        return -EINVAL;
    }
    if (bytes < s->cluster_size) {   /* the short last cluster: padded with zeroes */
        padded = calloc(1, s->cluster_size);
        memcpy(padded, buf, bytes);
        src = padded;
    }
    uint8_t *out = malloc(s->cluster_size);
    size_t n = qcow2_compress(s->compression_type, out, s->cluster_size - 1, src, s->cluster_size);

    pthread_mutex_lock(&bs->lock);
    uint64_t entry;
    int ret = qcow2_get_l2_entry(bs, offset, &entry);
    if (ret == 0 && entry) {
        ret = -EEXIST;   /* compressed writes only fill unallocated clusters */
    }
    if (ret == 0 && n == 0) {
        /* incompressible: stored as an ordinary cluster */
        struct iovec iov = { src, s->cluster_size };
        ret = qcow2_pwritev_internal(bs, offset, bytes, &iov, 1);
    } else if (ret == 0) {
        int64_t host = alloc_bytes(bs, n);
        ret = host < 0 ? (int)host : 0;
        if (ret == 0) {
            /* the data is written without the lock (a write that waits for
             * the page cache's writeback must not stop the other workers):
             * the bytes are ours (their refcount is raised) and nothing
             * refers to them before the L2 entry below */
            pthread_mutex_unlock(&bs->lock);
            ret = bdrv_pwrite(bs->file, (uint64_t)host, out, n);
            pthread_mutex_lock(&bs->lock);
        }
        if (ret == 0 && (ret = qcow2_get_l2_entry(bs, offset, &entry)) == 0 && entry) {
            ret = -EEXIST;   /* an overlapping write filled it meanwhile */
        }
        if (ret == 0) {
            int x = 62 - (s->cluster_bits - 8);
            uint64_t sectors = (((uint64_t)host + n - 1) >> 9) - ((uint64_t)host >> 9);
            ret = qcow2_set_l2_entry(bs, offset, QCOW2_OFLAG_COMPRESSED | ((uint64_t)host) |
                                                 (sectors << x));
        }
    }
    pthread_mutex_unlock(&bs->lock);
    free(out);
    free(padded);
    return ret;
}
