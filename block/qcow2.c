/*
 * qcow2.c — the qcow2 driver: probing, open/close and the request paths
 * (read, write with allocation and copy-on-write from the backing file,
 * write-zeroes, discard, block status).  Metadata lives in qcow2-header.c,
 * qcow2-cluster.c (L1/L2), qcow2-refcount.c (allocation and the
 * crash-safe write-back order), qcow2-check.c and qcow2-create.c.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int qcow2_probe(const uint8_t *buf, size_t len)
{
    if (len >= 8 && be32_get(buf) == QCOW2_MAGIC && be32_get(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

static void qcow2_free_state(BDRVQcow2State *s)
{
    qcow2_cache_free(s->l2_cache);
    qcow2_cache_free(s->refblock_cache);
    free(s->l1_table);
    free(s->refcount_table);
    for (int i = 0; i < s->n_unknown_exts; i++) {
        free(s->unknown_exts[i].data);
    }
    free(s->unknown_exts);
    free(s->feature_table);
    free(s->pending);
    free(s->cluster_buf);
    free(s->cluster_data);
    memset(s, 0, sizeof(*s));
}

static int qcow2_open(BlockDriverState *bs, int flags, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    bs->file = bdrv_open(bs->filename, "raw", flags & BDRV_O_RDWR, errp);
    if (!bs->file) {
        return -EIO;
    }
    int ret = qcow2_read_header(bs, flags, errp);
    if (ret == 0) {
        ret = qcow2_refcount_init(bs);
    }
    if (ret < 0) {
        goto fail;
    }
    s->cluster_buf = malloc(s->cluster_size);
    s->cluster_data = malloc(2 * (size_t)s->cluster_size + 512);

    if (flags & BDRV_O_RDWR) {
        if (s->autoclear_features) {
            /* we maintain none of the autoclear structures (bitmaps): a writer
             * that does not know them must clear their bits */
            s->autoclear_features = 0;
            if ((ret = qcow2_update_header(bs)) < 0) {
                bdrv_error(errp, "Could not update qcow2 header: %s", strerror(-ret));
                goto fail;
            }
        }
        if ((s->incompatible_features & QCOW2_INCOMPAT_DIRTY) && !(flags & BDRV_O_CHECK)) {
            /* refcounts may be stale (lazy refcounts): rebuild them */
            BlockCheckResult res;
            memset(&res, 0, sizeof(res));
            ret = qcow2_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
            if (ret == 0 && !res.corruptions) {
                ret = qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_DIRTY, false);
            }
            if (ret < 0 || res.corruptions) {
                bdrv_error(errp, "Could not repair dirty image '%s'", bs->filename);
                ret = ret < 0 ? ret : -EIO;
                goto fail;
            }
        }
    }
    return 0;
fail:
    qcow2_free_state(s);
    bdrv_close(bs->file);
    bs->file = NULL;
    return ret;
}

static void qcow2_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    if (!bs->read_only && s->l2_cache) {
        if (qcow2_flush_metadata(bs) < 0 || bdrv_flush(bs->file) < 0 ||
            (s->lazy_dirtied && qcow2_set_incompat_bit(bs, QCOW2_INCOMPAT_DIRTY, false) < 0)) {
            fprintf(stderr, "vemu-img: %s: failed to write back metadata on close\n", bs->filename);
        }
    }
    qcow2_free_state(s);
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    return (int64_t)s->size;
}

static bool is_plain_data(BDRVQcow2State *s, uint64_t entry)
{
    return (entry & QCOW2_L2E_OFFSET_MASK) && !(entry & QCOW2_OFLAG_COMPRESSED) &&
           !qcow2_zero_flag(s, entry);
}

/* A bounce buffer when the caller's vector has more than one element. */
static uint8_t *linear_buffer(const struct iovec *iov, int niov, uint64_t bytes, bool copy_in)
{
    if (niov == 1) {
        return iov[0].iov_base;
    }
    uint8_t *buf = malloc(bytes);
    if (buf && copy_in) {
        uint64_t off = 0;
        for (int i = 0; i < niov && off < bytes; i++) {
            size_t n = iov[i].iov_len < bytes - off ? iov[i].iov_len : bytes - off;
            memcpy(buf + off, iov[i].iov_base, n);
            off += n;
        }
    }
    return buf;
}

static void linear_done(const struct iovec *iov, int niov, uint8_t *buf, uint64_t bytes, bool copy_out)
{
    if (niov == 1) {
        return;
    }
    uint64_t off = 0;
    for (int i = 0; copy_out && i < niov && off < bytes; i++) {
        size_t n = iov[i].iov_len < bytes - off ? iov[i].iov_len : bytes - off;
        memcpy(iov[i].iov_base, buf + off, n);
        off += n;
    }
    free(buf);
}

static int qcow2_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        const struct iovec *iov, int niov)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *buf = linear_buffer(iov, niov, bytes, false);
    if (!buf) {
        return -ENOMEM;
    }
    uint64_t done = 0;
    int ret = 0;
    while (done < bytes && ret == 0) {
        uint64_t off = offset + done, entry, bitmap;
        uint64_t in = off & (s->cluster_size - 1);
        uint64_t n = s->cluster_size - in < bytes - done ? s->cluster_size - in : bytes - done;
        ret = qcow2_get_l2_entry_ext(bs, off, &entry, &bitmap);
        if (ret < 0) {
            break;
        }
        if (is_plain_data(s, entry) && (!s->extended_l2 || bitmap == QCOW2_L2_BITMAP_ALL_ALLOC)) {
            uint64_t host = (entry & QCOW2_L2E_OFFSET_MASK);
            if (host & (s->cluster_size - 1)) {
                ret = -EIO;
                break;
            }
            host += in;
            /* one read for clusters that are contiguous in the file too */
            while (done + n < bytes) {
                uint64_t next, next_bitmap;
                if (qcow2_get_l2_entry_ext(bs, off + n, &next, &next_bitmap) < 0 ||
                    !is_plain_data(s, next) || (next & QCOW2_L2E_OFFSET_MASK) != host + n ||
                    (s->extended_l2 && next_bitmap != QCOW2_L2_BITMAP_ALL_ALLOC)) {
                    break;
                }
                n += s->cluster_size < bytes - done - n ? s->cluster_size : bytes - done - n;
            }
            ret = bdrv_pread(bs->file, host, buf + done, n);
        } else {
            ret = qcow2_read_cluster(bs, off, entry, bitmap, buf + done, n);
        }
        done += n;
    }
    linear_done(iov, niov, buf, bytes, ret == 0);
    return ret;
}

/* Whether writing to this cluster needs a new host cluster. */
static bool needs_alloc(BDRVQcow2State *s, uint64_t entry)
{
    return !is_plain_data(s, entry) || !(entry & QCOW2_OFLAG_COPIED);
}

/* The clusters an L2 entry owns, released once the L2 tables no longer point there. */
static void release_entry(BlockDriverState *bs, uint64_t entry)
{
    BDRVQcow2State *s = bs->opaque;
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        uint64_t off, bytes;
        qcow2_compressed_range(s, entry, &off, &bytes);
        qcow2_free_later(bs, off, bytes);
    } else if (entry & QCOW2_L2E_OFFSET_MASK) {
        qcow2_free_later(bs, entry & QCOW2_L2E_OFFSET_MASK, s->cluster_size);
    }
}

#define MAX_ALLOC_RUN 256

/* Bits [lo, hi) of a subcluster bitmap's allocation half. */
static uint64_t sc_mask(int lo, int hi)
{
    return ((1ull << hi) - 1) & ~((1ull << lo) - 1);
}

/* Extended L2: a write of [off, off+n) inside one cluster.  Only the
 * subclusters it touches are written (those it covers partly are first
 * filled with what they read as now: data, zeroes or the backing file);
 * the others keep their state.  A cluster that cannot be written in place
 * (none yet, or shared with a snapshot) gets a new host cluster, into which
 * the old cluster's allocated subclusters are copied; a compressed cluster
 * is expanded whole. */
static int write_subclusters(BlockDriverState *bs, uint64_t off, uint64_t n, const uint8_t *data,
                             uint64_t entry, uint64_t bitmap)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t base = off & ~(uint64_t)(s->cluster_size - 1), in = off - base;
    uint64_t host = entry & QCOW2_L2E_OFFSET_MASK;
    bool compressed = (entry & QCOW2_OFLAG_COMPRESSED) != 0;
    if (!compressed && (host & (s->cluster_size - 1))) {
        return -EIO;
    }
    for (int sc = 0; sc < QCOW2_SUBCLUSTERS; sc++) {
        if (qcow2_subcluster_type(s, entry, bitmap, sc) < 0) {
            return -EIO;
        }
    }
    int lo = (int)(in >> s->subcluster_bits), hi = (int)((in + n - 1) >> s->subcluster_bits) + 1;
    uint64_t touched = compressed ? QCOW2_L2_BITMAP_ALL_ALLOC : sc_mask(lo, hi);
    bool in_place = host && !compressed && (entry & QCOW2_OFLAG_COPIED);
    uint64_t keep = in_place ? 0 : (bitmap & QCOW2_L2_BITMAP_ALL_ALLOC & ~touched);
    uint64_t span = touched | keep;
    int wlo = __builtin_ctzll(span), whi = 64 - __builtin_clzll(span);
    uint64_t wbytes = (uint64_t)(whi - wlo) << s->subcluster_bits;
    uint8_t *buf = calloc(1, wbytes);
    if (!buf) {
        return -ENOMEM;
    }
    int ret = 0;
    for (int sc = wlo; sc < whi && ret == 0; sc++) {
        uint64_t sc_off = (uint64_t)sc << s->subcluster_bits;
        uint8_t *p = buf + (sc_off - ((uint64_t)wlo << s->subcluster_bits));
        if ((touched >> sc) & 1) {
            if (sc_off < in || sc_off + s->subcluster_size > in + n) {
                ret = qcow2_read_cluster(bs, base + sc_off, entry, bitmap, p, s->subcluster_size);
            }
        } else if ((keep >> sc) & 1) {
            ret = bdrv_pread(bs->file, host + sc_off, p, s->subcluster_size);
        }
    }
    if (ret == 0) {
        memcpy(buf + (in - ((uint64_t)wlo << s->subcluster_bits)), data, n);
        uint64_t target = host;
        if (!in_place) {
            int64_t h = qcow2_alloc_clusters(bs, 1);
            ret = h < 0 ? (int)h : 0;
            target = (uint64_t)h;
        }
        if (ret == 0) {
            ret = bdrv_pwrite(bs->file, target + ((uint64_t)wlo << s->subcluster_bits), buf, wbytes);
        }
        uint64_t new_bitmap = compressed ? QCOW2_L2_BITMAP_ALL_ALLOC
                                         : (bitmap & ~(touched << 32)) | touched;
        if (ret == 0 && (!in_place || new_bitmap != bitmap)) {
            ret = qcow2_set_l2_entry_ext(bs, base, target | QCOW2_OFLAG_COPIED, new_bitmap);
        }
        if (ret == 0 && !in_place) {
            release_entry(bs, entry);
        }
    }
    free(buf);
    return ret;
}

int qcow2_pwritev_internal(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                           const struct iovec *iov, int niov)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *buf = linear_buffer(iov, niov, bytes, true);
    if (!buf) {
        return -ENOMEM;
    }
    uint64_t done = 0, old[MAX_ALLOC_RUN];
    int ret = 0;
    s->cached_compressed = 0;
    while (done < bytes && ret == 0) {
        uint64_t off = offset + done, entry, bitmap;
        uint64_t in = off & (s->cluster_size - 1);
        uint64_t n = s->cluster_size - in < bytes - done ? s->cluster_size - in : bytes - done;
        ret = qcow2_get_l2_entry_ext(bs, off, &entry, &bitmap);
        if (ret < 0) {
            break;
        }
        bool whole_in_place = !needs_alloc(s, entry) &&
                              (!s->extended_l2 || bitmap == QCOW2_L2_BITMAP_ALL_ALLOC);
        if (s->extended_l2 && !whole_in_place && (n < s->cluster_size || !needs_alloc(s, entry))) {
            ret = write_subclusters(bs, off, n, buf + done, entry, bitmap);
            done += n;
            continue;
        }
        if (whole_in_place) {
            uint64_t host = entry & QCOW2_L2E_OFFSET_MASK;
            if (host & (s->cluster_size - 1)) {
                ret = -EIO;
                break;
            }
            ret = bdrv_pwrite(bs->file, host + in, buf + done, n);
            done += n;
            continue;
        }
        if (n < s->cluster_size) {
            /* partial cluster: copy the rest from what the cluster reads as now */
            uint8_t *cow = malloc(s->cluster_size);
            uint64_t base = off - in;
            ret = qcow2_read_cluster(bs, base, entry, 0, cow, s->cluster_size);
            if (ret == 0) {
                memcpy(cow + in, buf + done, n);
                int64_t host = qcow2_alloc_clusters(bs, 1);
                ret = host < 0 ? (int)host : bdrv_pwrite(bs->file, (uint64_t)host, cow, s->cluster_size);
                if (ret == 0) {
                    ret = qcow2_set_l2_entry(bs, base, (uint64_t)host | QCOW2_OFLAG_COPIED);
                }
                if (ret == 0) {
                    release_entry(bs, entry);
                }
            }
            free(cow);
            done += n;
            continue;
        }
        /* whole clusters needing allocation: one contiguous run, one write */
        uint64_t k = 1;
        old[0] = entry;
        while (k < MAX_ALLOC_RUN && done + (k + 1) * s->cluster_size <= bytes) {
            uint64_t e;
            if (qcow2_get_l2_entry(bs, off + k * s->cluster_size, &e) < 0 || !needs_alloc(s, e)) {
                break;
            }
            old[k++] = e;
        }
        int64_t host = qcow2_alloc_clusters(bs, k);
        if (host < 0) {
            ret = (int)host;
            break;
        }
        ret = bdrv_pwrite(bs->file, (uint64_t)host, buf + done, k * s->cluster_size);
        for (uint64_t i = 0; i < k && ret == 0; i++) {
            ret = qcow2_set_l2_entry(bs, off + i * s->cluster_size,
                                     ((uint64_t)host + i * s->cluster_size) | QCOW2_OFLAG_COPIED);
            if (ret == 0) {
                release_entry(bs, old[i]);
            }
        }
        done += k * s->cluster_size;
    }
    linear_done(iov, niov, buf, bytes, false);
    return ret;
}

static int qcow2_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                         const struct iovec *iov, int niov)
{
    BDRVQcow2State *s = bs->opaque;
    s->free_byte_offset = 0;   /* a compressed cluster's host cluster is never written over */
    return qcow2_pwritev_internal(bs, offset, bytes, iov, niov);
}

static uint64_t qcow2_compress_unit(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    return s->cluster_size;
}

static int qcow2_flush(BlockDriverState *bs)
{
    int ret = qcow2_flush_metadata(bs);
    return ret < 0 ? ret : bdrv_flush(bs->file);
}

/* Whole clusters [offset, offset+bytes) become `entry` (0 or the zero flag). */
static int set_whole_clusters(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t new_entry)
{
    BDRVQcow2State *s = bs->opaque;
    /* with extended L2 entries the zero flag becomes an all-zero bitmap */
    uint64_t new_bitmap = s->extended_l2 && (new_entry & QCOW2_OFLAG_ZERO) ? QCOW2_L2_BITMAP_ALL_ZERO : 0;
    uint64_t stored = s->extended_l2 ? new_entry & ~QCOW2_OFLAG_ZERO : new_entry;
    for (uint64_t off = offset; off < offset + bytes; off += s->cluster_size) {
        uint64_t entry, bitmap;
        int ret = qcow2_get_l2_entry_ext(bs, off, &entry, &bitmap);
        if (ret < 0) {
            return ret;
        }
        if ((entry == stored && bitmap == new_bitmap) || (entry == 0 && !bs->backing)) {
            continue;   /* already reads as zeroes: no table to allocate */
        }
        ret = qcow2_set_l2_entry(bs, off, new_entry);
        if (ret < 0) {
            return ret;
        }
        release_entry(bs, entry);
    }
    s->cached_compressed = 0;
    return 0;
}

static int write_zero_bytes(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    uint8_t *zero = calloc(1, bytes);
    struct iovec iov = { zero, bytes };
    int ret = qcow2_pwritev_internal(bs, offset, bytes, &iov, 1);
    free(zero);
    return ret;
}

/* Extended L2: whole subclusters [off, off+bytes) of one cluster read as zeroes
 * by their bitmap bits (the host cluster, if any, stays reserved). */
static int zero_subclusters(BlockDriverState *bs, uint64_t off, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t entry, bitmap;
    int ret = qcow2_get_l2_entry_ext(bs, off, &entry, &bitmap);
    if (ret < 0) {
        return ret;
    }
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        return write_zero_bytes(bs, off, bytes);   /* expands the cluster */
    }
    uint64_t in = off & (s->cluster_size - 1);
    uint64_t mask = sc_mask((int)(in >> s->subcluster_bits), (int)((in + bytes) >> s->subcluster_bits));
    uint64_t new_bitmap = (bitmap & ~mask) | (mask << 32);
    if (new_bitmap == bitmap) {
        return 0;
    }
    return qcow2_set_l2_entry_ext(bs, off, entry, new_bitmap);
}

/* Extended L2: whole clusters by their entries, whole subclusters by their
 * bits, the rest written as zero bytes. */
static int pwrite_zeroes_ext(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t end = offset + bytes;
    /* the tail of the last (sub)cluster past the disk's end counts as covered */
    uint64_t eff_end = end == s->size ? qcow2_align_up(s->size, s->cluster_size) : end;
    uint64_t pos = offset;
    int ret = 0;
    s->cached_compressed = 0;
    while (pos < end && ret == 0) {
        uint64_t cl_end = (pos & ~(uint64_t)(s->cluster_size - 1)) + s->cluster_size;
        uint64_t whole_end = eff_end & ~(uint64_t)(s->cluster_size - 1);
        if (!(pos & (s->cluster_size - 1)) && whole_end > pos) {
            ret = set_whole_clusters(bs, pos, whole_end - pos, QCOW2_OFLAG_ZERO);
            pos = whole_end < end ? whole_end : end;
            continue;
        }
        uint64_t chunk_end = cl_end < end ? cl_end : end;
        uint64_t eff_chunk_end = cl_end < eff_end ? cl_end : eff_end;
        uint64_t a = qcow2_align_up(pos, s->subcluster_size);
        uint64_t b = eff_chunk_end & ~(uint64_t)(s->subcluster_size - 1);
        if (a >= b) {
            ret = write_zero_bytes(bs, pos, chunk_end - pos);
        } else {
            if (pos < a) {
                ret = write_zero_bytes(bs, pos, a - pos);
            }
            if (ret == 0) {
                ret = zero_subclusters(bs, a, b - a);
            }
            if (ret == 0 && b < chunk_end) {
                ret = write_zero_bytes(bs, b, chunk_end - b);
            }
        }
        pos = chunk_end;
    }
    return ret;
}

static int qcow2_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->extended_l2) {
        (void)flags;
        return pwrite_zeroes_ext(bs, offset, bytes);
    }
    uint64_t first = qcow2_align_up(offset, s->cluster_size);
    uint64_t last = (offset + bytes) & ~(uint64_t)(s->cluster_size - 1);
    /* the tail of the last cluster past the disk's end counts as covered */
    if (offset + bytes == s->size) {
        last = qcow2_align_up(s->size, s->cluster_size);
    }
    int ret = 0;
    if (first >= last) {
        return write_zero_bytes(bs, offset, bytes);
    }
    if (offset < first) {
        ret = write_zero_bytes(bs, offset, first - offset);
    }
    if (ret == 0) {
        if (s->version >= 3) {
            ret = set_whole_clusters(bs, first, last - first, QCOW2_OFLAG_ZERO);
        } else if (!bs->backing) {
            ret = set_whole_clusters(bs, first, last - first, 0);   /* unallocated reads zero */
        } else {
            ret = write_zero_bytes(bs, first, (offset + bytes < last ? offset + bytes : last) - first);
        }
    }
    if (ret == 0 && last < offset + bytes) {
        ret = write_zero_bytes(bs, last, offset + bytes - last);
    }
    return ret;
}

static int qcow2_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = qcow2_align_up(offset, s->cluster_size);
    uint64_t end = offset + bytes == s->size ? qcow2_align_up(s->size, s->cluster_size) : offset + bytes;
    uint64_t last = end & ~(uint64_t)(s->cluster_size - 1);
    if (first >= last) {
        return 0;
    }
    /* with a backing file, an unallocated cluster would show the backing data */
    if (bs->backing && s->version < 3) {
        return 0;
    }
    int ret = set_whole_clusters(bs, first, last - first, bs->backing ? QCOW2_OFLAG_ZERO : 0);
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);   /* free the clusters now */
    }
    return ret;
}

int qcow2_unmap_clusters(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    int ret = set_whole_clusters(bs, offset, bytes, 0);
    return ret < 0 ? ret : qcow2_flush_metadata(bs);
}

/* The VM state range [pos, pos+size) as guest offsets past the disk, inside
 * the L1 table (grown for a save). */
static int vmstate_range(BlockDriverState *bs, uint64_t pos, uint64_t size, bool grow, uint64_t *off)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t per_l1 = (uint64_t)s->cluster_size << s->l2_bits;
    uint64_t start = qcow2_vm_state_offset(s);
    if (pos > (1ull << 62) || size > (1ull << 62) - pos || start + pos + size > (1ull << 62)) {
        return -EINVAL;
    }
    uint64_t need = (start + pos + size + per_l1 - 1) / per_l1;
    *off = start + pos;
    if (need <= s->l1_size) {
        return 0;
    }
    if (!grow) {
        return -EINVAL;   /* past what any saved state reaches */
    }
    return need * 8 > QCOW2_MAX_L1_BYTES ? -EFBIG : qcow2_grow_l1(bs, (uint32_t)need);
}

static int qcow2_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off;
    int ret = vmstate_range(bs, pos, size, true, &off);
    if (ret < 0 || !size) {
        return ret;
    }
    struct iovec iov = { (void *)buf, size };
    s->free_byte_offset = 0;
    ret = qcow2_pwritev_internal(bs, off, size, &iov, 1);
    if (ret == 0 && pos + size > s->vmstate_size) {
        s->vmstate_size = pos + size;
    }
    return ret;
}

static int qcow2_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t size)
{
    uint64_t off;
    int ret = vmstate_range(bs, pos, size, false, &off);
    if (ret < 0 || !size) {
        return ret;
    }
    struct iovec iov = { buf, size };
    return qcow2_preadv(bs, off, size, &iov, 1);
}

static int qcow2_make_empty(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = set_whole_clusters(bs, 0, qcow2_align_up(s->size, s->cluster_size), 0);
    return ret < 0 ? ret : qcow2_flush_metadata(bs);
}

static int qcow2_change_backing_file(BlockDriverState *bs, const char *file, const char *fmt)
{
    char old_file[sizeof(bs->backing_file)], old_fmt[sizeof(bs->backing_format)];
    if (strlen(file) >= sizeof(bs->backing_file) || strlen(fmt) >= sizeof(bs->backing_format)) {
        return -ENAMETOOLONG;
    }
    int ret = qcow2_flush_metadata(bs);
    if (ret < 0) {
        return ret;
    }
    memcpy(old_file, bs->backing_file, sizeof(old_file));
    memcpy(old_fmt, bs->backing_format, sizeof(old_fmt));
    snprintf(bs->backing_file, sizeof(bs->backing_file), "%s", file);
    snprintf(bs->backing_format, sizeof(bs->backing_format), "%s", file[0] ? fmt : "");
    if ((ret = qcow2_update_header(bs)) < 0) {
        memcpy(bs->backing_file, old_file, sizeof(old_file));
        memcpy(bs->backing_format, old_fmt, sizeof(old_fmt));
    }
    return ret;
}

static unsigned entry_status(BDRVQcow2State *s, BlockDriverState *bs, uint64_t entry)
{
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
    }
    if (qcow2_zero_flag(s, entry)) {
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED |
               ((entry & QCOW2_L2E_OFFSET_MASK) ? BDRV_BLOCK_OFFSET_VALID : 0);
    }
    if (entry & QCOW2_L2E_OFFSET_MASK) {
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
    }
    return bs->backing ? 0 : BDRV_BLOCK_ZERO;
}

/* Extended L2: the status of one subcluster (what qemu-img map shows:
 * unallocated subclusters of an allocated cluster keep their offset). */
static int subcluster_status(BDRVQcow2State *s, BlockDriverState *bs, uint64_t entry,
                             uint64_t bitmap, int sc, unsigned *flags)
{
    int type = qcow2_subcluster_type(s, entry, bitmap, sc);
    unsigned has_host = (entry & QCOW2_L2E_OFFSET_MASK) ? BDRV_BLOCK_OFFSET_VALID : 0;
    switch (type) {
    case QCOW2_SC_COMPRESSED:
        *flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
        return 0;
    case QCOW2_SC_DATA:
        *flags = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_OFFSET_VALID;
        return 0;
    case QCOW2_SC_ZERO:
        *flags = BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED | has_host;
        return 0;
    case QCOW2_SC_UNALLOCATED:
        *flags = (bs->backing ? 0 : BDRV_BLOCK_ZERO) | has_host;
        return 0;
    }
    return type;
}

static int block_status_ext(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t n = 0, host0 = 0, entry = 0, bitmap = 0, cluster = UINT64_MAX;
    unsigned flags = 0;
    while (n < bytes) {
        uint64_t pos = offset + n;
        if (pos >> s->cluster_bits != cluster) {
            int ret = qcow2_get_l2_entry_ext(bs, pos, &entry, &bitmap);
            if (ret < 0) {
                if (n) {
                    break;
                }
                return ret;
            }
            cluster = pos >> s->cluster_bits;
        }
        uint64_t in = pos & (s->cluster_size - 1);
        unsigned f = 0;
        int ret = subcluster_status(s, bs, entry, bitmap, (int)(in >> s->subcluster_bits), &f);
        if (ret < 0) {
            if (n) {
                break;
            }
            return ret;
        }
        uint64_t h = (entry & QCOW2_L2E_OFFSET_MASK) + in;
        if (n == 0) {
            flags = f;
            host0 = h;
        } else if (f != flags || ((flags & BDRV_BLOCK_OFFSET_VALID) && h != host0 + n)) {
            break;
        }
        uint64_t piece = s->subcluster_size - (in & (s->subcluster_size - 1));
        if (bitmap == 0 || bitmap == QCOW2_L2_BITMAP_ALL_ALLOC || bitmap == QCOW2_L2_BITMAP_ALL_ZERO) {
            piece = s->cluster_size - in;   /* every subcluster alike: the rest of the cluster */
        }
        n += piece < bytes - n ? piece : bytes - n;
    }
    st->flags = flags;
    st->bytes = n;
    st->file = bs->file;
    st->host_offset = (flags & BDRV_BLOCK_OFFSET_VALID) ? host0 : 0;
    return 0;
}

static int qcow2_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st)
{
    BDRVQcow2State *s = bs->opaque;
    if (s->extended_l2) {
        return block_status_ext(bs, offset, bytes, st);
    }
    uint64_t entry;
    int ret = qcow2_get_l2_entry(bs, offset, &entry);
    if (ret < 0) {
        return ret;
    }
    uint64_t in = offset & (s->cluster_size - 1);
    uint64_t n = s->cluster_size - in < bytes ? s->cluster_size - in : bytes;
    unsigned flags = entry_status(s, bs, entry);
    uint64_t host = (entry & QCOW2_L2E_OFFSET_MASK) + in;
    while (n < bytes) {
        uint64_t next;
        if (qcow2_get_l2_entry(bs, offset + n, &next) < 0 || entry_status(s, bs, next) != flags) {
            break;
        }
        if ((flags & BDRV_BLOCK_OFFSET_VALID) && (next & QCOW2_L2E_OFFSET_MASK) != host + n) {
            break;
        }
        n += s->cluster_size < bytes - n ? s->cluster_size : bytes - n;
    }
    st->flags = flags;
    st->bytes = n;
    st->file = bs->file;
    st->host_offset = (flags & BDRV_BLOCK_OFFSET_VALID) ? host : 0;
    return 0;
}

static void add_field(BlockFormatInfo *info, const char *key, BlockInfoType type,
                      const char *str, int64_t num)
{
    if (info->nfields < BDRV_MAX_INFO_FIELDS) {
        info->fields[info->nfields++] = (BlockInfoField){ key, type, str, num };
    }
}

static int qcow2_get_info(BlockDriverState *bs, BlockFormatInfo *info)
{
    BDRVQcow2State *s = bs->opaque;
    info->cluster_size = s->cluster_size;
    info->dirty = (s->incompatible_features & QCOW2_INCOMPAT_DIRTY) != 0;
    add_field(info, "compat", BINFO_STR, s->version >= 3 ? "1.1" : "0.10", 0);
    add_field(info, "compression-type", BINFO_STR,
              s->compression_type == QCOW2_COMPRESSION_ZSTD ? "zstd" : "zlib", 0);
    if (s->version >= 3) {
        add_field(info, "lazy-refcounts", BINFO_BOOL, NULL,
                  (s->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS) != 0);
    }
    add_field(info, "refcount-bits", BINFO_INT, NULL, s->refcount_bits);
    if (s->version >= 3) {
        add_field(info, "corrupt", BINFO_BOOL, NULL,
                  (s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) != 0);
        add_field(info, "extended-l2", BINFO_BOOL, NULL,
                  (s->incompatible_features & QCOW2_INCOMPAT_EXTL2) != 0);
    }
    return 0;
}

const BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .instance_size = sizeof(BDRVQcow2State),
    .thread_safe = false,
    .is_format = true,
    .compress_unlocked = true,
    .create_opts = qcow2_create_opts,
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .preadv = qcow2_preadv,
    .pwritev = qcow2_pwritev,
    .flush = qcow2_flush,
    .pwrite_compressed = qcow2_pwrite_compressed,
    .compress_unit = qcow2_compress_unit,
    .pwrite_zeroes = qcow2_pwrite_zeroes,
    .pdiscard = qcow2_pdiscard,
    .block_status = qcow2_block_status,
    .getlength = qcow2_getlength,
    .truncate = qcow2_truncate,
    .preallocate = qcow2_preallocate,
    .create = qcow2_create,
    .get_info = qcow2_get_info,
    .check = qcow2_check,
    .snapshot_list = qcow2_snapshot_list,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_delete = qcow2_snapshot_delete,
    .snapshot_load_tmp = qcow2_snapshot_load_tmp,
    .change_backing_file = qcow2_change_backing_file,
    .make_empty = qcow2_make_empty,
    .amend = qcow2_amend,
    .save_vmstate = qcow2_save_vmstate,
    .load_vmstate = qcow2_load_vmstate,
};
