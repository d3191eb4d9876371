/*
 * qcow2-compress.c — compressed clusters.  zlib clusters are raw deflate
 * streams (no zlib header, 4 KiB window as qemu-img writes them, though any
 * window inflates); zstd clusters are zstd frames.  The stored length is
 * rounded up to 512-byte sectors, so both decoders stop when the cluster is
 * full and ignore what follows.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <zlib.h>
#include <zstd.h>

static int inflate_raw(uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    z_stream z = { 0 };
    if (inflateInit2(&z, -15) != Z_OK) {
        return -ENOMEM;
    }
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)src_size;
    z.next_out = dest;
    z.avail_out = (uInt)dest_size;
    int r = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    /* a full output is success even when the input has padding after the stream */
    if ((r == Z_STREAM_END || r == Z_BUF_ERROR || r == Z_OK) && z.avail_out == 0) {
        return 0;
    }
    return -EIO;
}

static int zstd_decompress(uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d) {
        return -ENOMEM;
    }
    ZSTD_outBuffer out = { dest, dest_size, 0 };
    ZSTD_inBuffer in = { src, src_size, 0 };
    int ret = -EIO;
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
    if (out.pos == out.size) {
        ret = 0;
    }
    ZSTD_freeDCtx(d);
    return ret;
}

int qcow2_decompress(int type, uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size)
{
    switch (type) {
    case QCOW2_COMPRESSION_ZLIB: return inflate_raw(dest, dest_size, src, src_size);
    case QCOW2_COMPRESSION_ZSTD: return zstd_decompress(dest, dest_size, src, src_size);
    default: return -ENOTSUP;
    }
}
