/*
 * qcow2-snapshot.c — internal snapshots: the snapshot table, and
 * creating, applying and deleting snapshots.
 *
 * A cluster's refcount is the number of L1 tables (the active one and each
 * snapshot's) through which it is reached, so taking a snapshot raises the
 * count of every L2 table and every cluster they map by one, and clears the
 * COPIED flags (count exactly 1) in the active tables; writes then allocate
 * new clusters (and copy shared L2 tables) where COPIED is clear.  Every
 * operation raises counts and writes them before anything on disk refers to
 * the new state, switches with one header write, and only then lowers the
 * counts of what is no longer referenced: a crash leaves leaks only.
 *
 * Table entry (specification): u64 L1 offset, u32 L1 size, u16 id length,
 * u16 name length, u32 date seconds, u32 date nanoseconds, u64 VM clock
 * nanoseconds, u32 VM state size, u32 extra data size, the extra data (u64
 * large VM state size, u64 virtual disk size, u64 icount, each present when
 * the extra data is long enough), the id, the name, padding to 8 bytes.
 */
#include "block/qcow2.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QCOW2_MAX_SNAPSHOTS 65536

int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    BDRVQcow2State *s = bs->opaque;
    *list = NULL;
    if (!s->nb_snapshots) {
        return 0;
    }
    if (s->nb_snapshots > QCOW2_MAX_SNAPSHOTS) {
        return -EFBIG;
    }
    int64_t flen = bdrv_getlength(bs->file);
    BlockSnapshotInfo *v = calloc(s->nb_snapshots, sizeof(*v));
    uint64_t off = s->snapshots_offset;
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        uint8_t h[40], extra[24] = { 0 };
        if (flen < 0 || off + 40 > (uint64_t)flen || bdrv_pread(bs->file, off, h, 40) < 0) {
            free(v);
            return -EIO;
        }
        uint16_t id_len = be16_get(h + 12), name_len = be16_get(h + 14);
        uint32_t extra_len = be32_get(h + 36);
        uint64_t total = 40 + (uint64_t)extra_len + id_len + name_len;
        if (off + total > (uint64_t)flen || extra_len > 1024) {
            free(v);
            return -EIO;
        }
        uint32_t ex = extra_len < sizeof(extra) ? extra_len : (uint32_t)sizeof(extra);
        if ((ex && bdrv_pread(bs->file, off + 40, extra, ex) < 0)) {
            free(v);
            return -EIO;
        }
        char id[128], *name = malloc((size_t)name_len + 1);
        uint16_t idn = id_len < sizeof(id) - 1 ? id_len : (uint16_t)(sizeof(id) - 1);
        if (bdrv_pread(bs->file, off + 40 + extra_len, id, idn) < 0 ||
            bdrv_pread(bs->file, off + 40 + extra_len + id_len, name, name_len) < 0) {
            free(name);
            free(v);
            return -EIO;
        }
        id[idn] = 0;
        name[name_len] = 0;
        /* ids longer than the field are cut (they are short numbers in practice) */
        memcpy(v[i].id, id, sizeof(v[i].id));
        v[i].id[sizeof(v[i].id) - 1] = 0;
        size_t nl = strlen(name) < sizeof(v[i].name) - 1 ? strlen(name) : sizeof(v[i].name) - 1;
        memcpy(v[i].name, name, nl);
        v[i].name[nl] = 0;
        free(name);
        v[i].date_sec = be32_get(h + 16);
        v[i].date_nsec = be32_get(h + 20);
        v[i].vm_clock_nsec = be64_get(h + 24);
        v[i].vm_state_size = extra_len >= 8 ? be64_get(extra) : be32_get(h + 32);
        v[i].icount = extra_len >= 24 ? (int64_t)be64_get(extra + 16) : -1;
        off += qcow2_align_up(total, 8);
    }
    *list = v;
    return (int)s->nb_snapshots;
}

/* One entry of the snapshot table as stored (kept verbatim when the table
 * is rewritten, unknown extra data included). */
typedef struct SnapEntry {
    uint8_t *raw;
    size_t len;              /* padded to 8 bytes */
    uint64_t l1_offset;
    uint32_t l1_size;
    uint64_t disk_size;      /* 0: not recorded */
    char *id, *name;
} SnapEntry;

static void free_entries(SnapEntry *e, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        free(e[i].raw);
        free(e[i].id);
        free(e[i].name);
    }
    free(e);
}

static int read_entries(BlockDriverState *bs, SnapEntry **out, uint64_t *table_bytes)
{
    BDRVQcow2State *s = bs->opaque;
    *out = NULL;
    *table_bytes = 0;
    if (s->nb_snapshots > QCOW2_MAX_SNAPSHOTS) {
        return -EFBIG;
    }
    int64_t flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        return (int)flen;
    }
    SnapEntry *v = calloc(s->nb_snapshots ? s->nb_snapshots : 1, sizeof(*v));
    uint64_t off = s->snapshots_offset;
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        uint8_t h[40];
        if (off + 40 > (uint64_t)flen || bdrv_pread(bs->file, off, h, 40) < 0) {
            free_entries(v, i);
            return -EIO;
        }
        uint16_t id_len = be16_get(h + 12), name_len = be16_get(h + 14);
        uint32_t extra_len = be32_get(h + 36);
        uint64_t total = qcow2_align_up(40 + (uint64_t)extra_len + id_len + name_len, 8);
        if (extra_len > 1024 || off + total > (uint64_t)flen + 8) {
            free_entries(v, i);
            return -EIO;
        }
        v[i].raw = calloc(1, total);
        v[i].len = total;
        uint64_t avail = (uint64_t)flen - off < total ? (uint64_t)flen - off : total;
        if (bdrv_pread(bs->file, off, v[i].raw, avail) < 0) {
            free_entries(v, i + 1);
            return -EIO;
        }
        v[i].l1_offset = be64_get(h);
        v[i].l1_size = be32_get(h + 8);
        v[i].disk_size = extra_len >= 16 ? be64_get(v[i].raw + 48) : 0;
        v[i].id = strndup((char *)v[i].raw + 40 + extra_len, id_len);
        v[i].name = strndup((char *)v[i].raw + 40 + extra_len + id_len, name_len);
        off += total;
    }
    *out = v;
    *table_bytes = off - s->snapshots_offset;
    return 0;
}

/* qemu-img's lookup for apply: an id first, then a name (the first that matches). */
static int find_entry(const SnapEntry *e, uint32_t n, const char *key)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(e[i].id, key)) {
            return (int)i;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(e[i].name, key)) {
            return (int)i;
        }
    }
    return -1;
}

/* Writes a new table, switches the header to it, frees the old one. */
static int write_entries(BlockDriverState *bs, const SnapEntry *e, uint32_t n, uint64_t old_bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t bytes = 0, off = 0;
    for (uint32_t i = 0; i < n; i++) {
        bytes += e[i].len;
    }
    int ret;
    if (bytes) {
        uint8_t *buf = calloc(1, qcow2_align_up(bytes, s->cluster_size));
        uint64_t p = 0;
        for (uint32_t i = 0; i < n; i++) {
            memcpy(buf + p, e[i].raw, e[i].len);
            p += e[i].len;
        }
        int64_t host = qcow2_alloc_clusters(bs, qcow2_align_up(bytes, s->cluster_size) >> s->cluster_bits);
        if (host < 0) {
            free(buf);
            return (int)host;
        }
        off = (uint64_t)host;
        ret = bdrv_pwrite(bs->file, off, buf, bytes);
        free(buf);
        if (ret < 0) {
            return ret;
        }
    }
    /* the table and every count it relies on are on disk before the header names it */
    if ((ret = qcow2_flush_metadata(bs)) < 0 || (ret = bdrv_flush(bs->file)) < 0) {
        return ret;
    }
    uint64_t old_off = s->snapshots_offset;
    uint32_t old_n = s->nb_snapshots;
    s->snapshots_offset = off;
    s->nb_snapshots = n;
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->snapshots_offset = old_off;
        s->nb_snapshots = old_n;
        return ret;
    }
    if (old_n && old_bytes) {
        qcow2_free_later(bs, old_off, old_bytes);
    }
    return qcow2_flush_metadata(bs);
}

static int read_l1(BlockDriverState *bs, uint64_t offset, uint32_t size, uint64_t **out)
{
    BDRVQcow2State *s = bs->opaque;
    *out = calloc(size ? size : 1, sizeof(uint64_t));
    if ((uint64_t)size * 8 > QCOW2_MAX_L1_BYTES || (size && (offset & (s->cluster_size - 1)))) {
        return -EIO;
    }
    int64_t flen = bdrv_getlength(bs->file);
    if (size && (flen < 0 || offset + (uint64_t)size * 8 > (uint64_t)flen)) {
        return -EIO;
    }
    if (size && bdrv_pread(bs->file, offset, *out, (uint64_t)size * 8) < 0) {
        return -EIO;
    }
    for (uint32_t i = 0; i < size; i++) {
        (*out)[i] = be64_get(&(*out)[i]);
    }
    return 0;
}

/*
 * Adds delta to the count of every L2 table an L1 table names and of every
 * cluster those map.  delta > 0 raises counts at once and clears the COPIED
 * flags in the tables (they are shared from now on); delta < 0 only queues
 * the decrements (qcow2_free_later), applied by the next metadata flush.
 */
static int walk_l1(BlockDriverState *bs, const uint64_t *l1, uint32_t l1_size, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *copy = malloc(s->cluster_size);
    int ret = 0;
    for (uint32_t i = 0; i < l1_size && ret == 0; i++) {
        uint64_t l2 = l1[i] & QCOW2_L1E_OFFSET_MASK;
        if (!l2) {
            continue;
        }
        if (l2 & (s->cluster_size - 1)) {
            ret = -EIO;
            break;
        }
        uint8_t *table;
        if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &table)) < 0) {
            break;
        }
        memcpy(copy, table, s->cluster_size);
        bool changed = false;
        for (uint32_t j = 0; j < s->l2_size && ret == 0; j++) {
            uint64_t e = be64_get(copy + j * s->l2_entry_bytes), off, bytes;
            if (e & QCOW2_OFLAG_COMPRESSED) {
                qcow2_compressed_range(s, e, &off, &bytes);
            } else if (e & QCOW2_L2E_OFFSET_MASK) {
                off = e & QCOW2_L2E_OFFSET_MASK;
                bytes = s->cluster_size;
                if (delta > 0 && (e & QCOW2_OFLAG_COPIED)) {
                    be64_put(copy + j * s->l2_entry_bytes, e & ~QCOW2_OFLAG_COPIED);
                    changed = true;
                }
            } else {
                continue;
            }
            if (delta > 0) {
                ret = qcow2_update_refcount(bs, off, bytes, 1);
            } else {
                qcow2_free_later(bs, off, bytes);
            }
        }
        if (ret < 0) {
            break;
        }
        if (delta > 0) {
            ret = qcow2_update_refcount(bs, l2, s->cluster_size, 1);
        } else {
            qcow2_free_later(bs, l2, s->cluster_size);
        }
        if (ret == 0 && changed) {
            if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &table)) == 0) {
                memcpy(table, copy, s->cluster_size);
                qcow2_cache_mark_dirty(s->l2_cache, table);
            }
        }
    }
    free(copy);
    return ret;
}

/* Sets every COPIED flag of the active tables to "count is exactly 1". */
static int refresh_copied(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *copy = malloc(s->cluster_size);
    int ret = 0;
    for (uint32_t i = 0; i < s->l1_size && ret == 0; i++) {
        uint64_t l2 = s->l1_table[i] & QCOW2_L1E_OFFSET_MASK, rc;
        if (!l2) {
            continue;
        }
        if ((ret = qcow2_get_refcount(bs, l2 >> s->cluster_bits, &rc)) < 0) {
            break;
        }
        uint64_t want = l2 | (rc == 1 ? QCOW2_OFLAG_COPIED : 0);
        if (s->l1_table[i] != want) {
            s->l1_table[i] = want;
            qcow2_l1_mark_dirty(s, i);
        }
        uint8_t *table;
        if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &table)) < 0) {
            break;
        }
        memcpy(copy, table, s->cluster_size);
        bool changed = false;
        for (uint32_t j = 0; j < s->l2_size && ret == 0; j++) {
            uint64_t e = be64_get(copy + j * s->l2_entry_bytes);
            if ((e & QCOW2_OFLAG_COMPRESSED) || !(e & QCOW2_L2E_OFFSET_MASK)) {
                continue;
            }
            ret = qcow2_get_refcount(bs, (e & QCOW2_L2E_OFFSET_MASK) >> s->cluster_bits, &rc);
            uint64_t w = rc == 1 ? e | QCOW2_OFLAG_COPIED : e & ~QCOW2_OFLAG_COPIED;
            if (ret == 0 && w != e) {
                be64_put(copy + j * s->l2_entry_bytes, w);
                changed = true;
            }
        }
        if (ret == 0 && changed) {
            if ((ret = qcow2_cache_get(s->l2_cache, l2, true, &table)) == 0) {
                memcpy(table, copy, s->cluster_size);
                qcow2_cache_mark_dirty(s->l2_cache, table);
            }
        }
    }
    free(copy);
    return ret < 0 ? ret : qcow2_flush_metadata(bs);
}

/* Writes an L1 table (without COPIED flags) to newly allocated clusters. */
static int64_t write_l1_copy(BlockDriverState *bs, const uint64_t *l1, uint32_t size)
{
    BDRVQcow2State *s = bs->opaque;
    if (!size) {
        return 0;
    }
    uint64_t bytes = qcow2_align_up((uint64_t)size * 8, s->cluster_size);
    int64_t host = qcow2_alloc_clusters(bs, bytes >> s->cluster_bits);
    if (host < 0) {
        return host;
    }
    uint8_t *buf = calloc(1, bytes);
    for (uint32_t i = 0; i < size; i++) {
        be64_put(buf + i * 8, l1[i] & ~QCOW2_OFLAG_COPIED);
    }
    int ret = bdrv_pwrite(bs->file, (uint64_t)host, buf, bytes);
    free(buf);
    return ret < 0 ? ret : host;
}

static const char *errno_text(int ret)
{
    return strerror(-ret);
}

int qcow2_snapshot_create(BlockDriverState *bs, const char *name, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    SnapEntry *e;
    uint64_t old_bytes;
    int ret = read_entries(bs, &e, &old_bytes);
    if (ret < 0) {
        bdrv_error(errp, "Could not read the snapshot table: %s", errno_text(ret));
        return ret;
    }
    uint32_t n = s->nb_snapshots;
    unsigned long max_id = 0;
    for (uint32_t i = 0; i < n; i++) {
        unsigned long v = strtoul(e[i].id, NULL, 10);
        max_id = v > max_id ? v : max_id;
    }
    char id[32];
    snprintf(id, sizeof(id), "%lu", max_id + 1);
    size_t name_len = strlen(name);
    if (name_len > 65535 || n >= QCOW2_MAX_SNAPSHOTS) {
        free_entries(e, n);
        bdrv_error(errp, "snapshot name or table too large");
        return -EINVAL;
    }

    /* 1. counts of everything the active L1 reaches, +1; COPIED flags cleared */
    if ((ret = qcow2_flush_metadata(bs)) < 0 ||
        (ret = walk_l1(bs, s->l1_table, s->l1_size, 1)) < 0) {
        goto out;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        if (s->l1_table[i] & QCOW2_OFLAG_COPIED) {
            s->l1_table[i] &= ~QCOW2_OFLAG_COPIED;
            qcow2_l1_mark_dirty(s, i);
        }
    }
    /* 2. the snapshot's copy of the L1 table */
    int64_t l1_copy = write_l1_copy(bs, s->l1_table, s->l1_size);
    if (l1_copy < 0) {
        ret = (int)l1_copy;
        goto out;
    }
    /* 3. the entry: 40 bytes, 24 of extra data as qemu writes them (large
     * VM state size, disk size, icount), the id, the name */
    size_t len = qcow2_align_up(40 + 24 + strlen(id) + name_len, 8);
    uint8_t *raw = calloc(1, len);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    be64_put(raw, (uint64_t)l1_copy);
    be32_put(raw + 8, s->l1_size);
    raw[12] = (uint8_t)(strlen(id) >> 8);
    raw[13] = (uint8_t)strlen(id);
    raw[14] = (uint8_t)(name_len >> 8);
    raw[15] = (uint8_t)name_len;
    be32_put(raw + 16, (uint32_t)now.tv_sec);
    be32_put(raw + 20, (uint32_t)now.tv_nsec);
    be64_put(raw + 24, bs->snapshot_vm_clock_ns);   /* savevm's guest clock */
    /* VM state: the 32-bit field and the 64-bit one in the extra data */
    be32_put(raw + 32, (uint32_t)s->vmstate_size);
    be32_put(raw + 36, 24);
    be64_put(raw + 40, s->vmstate_size);
    be64_put(raw + 48, s->size);
    be64_put(raw + 56, (uint64_t)bs->snapshot_icount);
    memcpy(raw + 64, id, strlen(id));
    memcpy(raw + 64 + strlen(id), name, name_len);
    e = realloc(e, (n + 1) * sizeof(*e));
    e[n] = (SnapEntry){ raw, len, (uint64_t)l1_copy, s->l1_size, s->size, strdup(id), strdup(name) };
    n++;
    ret = write_entries(bs, e, n, old_bytes);
    if (ret == 0 && s->vmstate_size) {
        /* the snapshot keeps the VM state; the active state no longer needs
         * it (it would only be copied on the next writes) */
        ret = qcow2_unmap_clusters(bs, qcow2_vm_state_offset(s),
                                   qcow2_align_up(s->vmstate_size, s->cluster_size));
        s->vmstate_size = 0;
    }
out:
    free_entries(e, n);
    if (ret == -ERANGE) {
        ret = -EINVAL;   /* a refcount would overflow its width: qemu-img's -22 */
    }
    if (ret < 0) {
        bdrv_error(errp, "%s", errno_text(ret));
    }
    return ret;
}

int qcow2_snapshot_goto(BlockDriverState *bs, const char *name, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    SnapEntry *e;
    uint64_t old_bytes, *sn_l1 = NULL;
    int ret = read_entries(bs, &e, &old_bytes);
    if (ret < 0) {
        bdrv_error(errp, "Could not read the snapshot table: %s", errno_text(ret));
        return ret;
    }
    uint32_t n = s->nb_snapshots;
    int k = find_entry(e, n, name);
    if (k < 0) {
        free_entries(e, n);
        bdrv_error(errp, "Failed to load snapshot: No such file or directory");
        return -ENOENT;
    }
    uint64_t size = e[k].disk_size ? e[k].disk_size : s->size;
    uint32_t l1_size = e[k].l1_size;
    uint64_t per_l1 = (uint64_t)s->cluster_size << s->l2_bits;
    if ((ret = read_l1(bs, e[k].l1_offset, l1_size, &sn_l1)) < 0 ||
        (uint64_t)l1_size * per_l1 < size) {
        ret = ret < 0 ? ret : -EIO;
        bdrv_error(errp, "Failed to load snapshot: the snapshot's L1 table is invalid");
        goto out;
    }
    /* 1. counts of everything the snapshot reaches, +1 (it becomes active too) */
    if ((ret = qcow2_flush_metadata(bs)) < 0 || (ret = walk_l1(bs, sn_l1, l1_size, 1)) < 0) {
        goto fail;
    }
    /* 2. a new active L1 table, a copy of the snapshot's; on disk with its counts */
    int64_t l1_new = write_l1_copy(bs, sn_l1, l1_size);
    if (l1_new < 0) {
        ret = (int)l1_new;
        goto fail;
    }
    if ((ret = qcow2_flush_metadata(bs)) < 0 || (ret = bdrv_flush(bs->file)) < 0) {
        goto fail;
    }
    /* 3. switch the header */
    uint64_t *old_l1 = s->l1_table, old_off = s->l1_table_offset, old_size_bytes = s->size;
    uint32_t old_l1_size = s->l1_size;
    s->l1_table = sn_l1;
    s->l1_size = l1_size;
    s->l1_table_offset = (uint64_t)l1_new;
    s->size = size;
    s->l1_dirty_lo = s->l1_dirty_hi = 0;
    for (uint32_t i = 0; i < l1_size; i++) {
        s->l1_table[i] &= ~QCOW2_OFLAG_COPIED;
    }
    if ((ret = qcow2_update_header(bs)) < 0) {
        s->l1_table = old_l1;
        s->l1_size = old_l1_size;
        s->l1_table_offset = old_off;
        s->size = old_size_bytes;
        goto fail;   /* sn_l1 is freed below; the raised counts are leaks */
    }
    sn_l1 = NULL;
    s->vmstate_size = 0;   /* a state saved before the switch belongs to no snapshot */
    /* 4. the old active state loses its references */
    ret = walk_l1(bs, old_l1, old_l1_size, -1);
    if (ret == 0 && old_l1_size) {
        qcow2_free_later(bs, old_off, (uint64_t)old_l1_size * 8);
    }
    free(old_l1);
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        ret = refresh_copied(bs);
    }
fail:
    if (ret < 0) {
        bdrv_error(errp, "Failed to load snapshot: %s", errno_text(ret));
    }
out:
    free(sn_l1);
    free_entries(e, n);
    return ret;
}

int qcow2_snapshot_delete(BlockDriverState *bs, const char *name, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    SnapEntry *e;
    uint64_t old_bytes, *sn_l1 = NULL;
    int ret = read_entries(bs, &e, &old_bytes);
    if (ret < 0) {
        bdrv_error(errp, "Could not read the snapshot table: %s", errno_text(ret));
        return ret;
    }
    uint32_t n = s->nb_snapshots;
    int k = -1;
    for (uint32_t i = 0; i < n && k < 0; i++) {   /* qemu-img deletes by name only */
        if (!strcmp(e[i].name, name)) {
            k = (int)i;
        }
    }
    if (k < 0) {
        free_entries(e, n);
        bdrv_error(errp, "snapshot not found");
        return -ENOENT;
    }
    SnapEntry gone = e[k];
    if ((ret = read_l1(bs, gone.l1_offset, gone.l1_size, &sn_l1)) < 0) {
        bdrv_error(errp, "the snapshot's L1 table is invalid");
        goto out;
    }
    /* 1. the table without the entry (its references become leaks if we stop here) */
    memmove(e + k, e + k + 1, (n - k - 1) * sizeof(*e));
    if ((ret = qcow2_flush_metadata(bs)) < 0 || (ret = write_entries(bs, e, n - 1, old_bytes)) < 0) {
        e[n - 1] = gone;
        goto fail;
    }
    e[n - 1] = gone;
    /* 2. its references are dropped, then the flags of what is no longer shared */
    if ((ret = walk_l1(bs, sn_l1, gone.l1_size, -1)) == 0) {
        if (gone.l1_size) {
            qcow2_free_later(bs, gone.l1_offset, (uint64_t)gone.l1_size * 8);
        }
        if ((ret = qcow2_flush_metadata(bs)) == 0) {
            ret = refresh_copied(bs);
        }
    }
fail:
    if (ret < 0) {
        bdrv_error(errp, "%s", errno_text(ret));
    }
out:
    free(sn_l1);
    free_entries(e, n);
    return ret;
}

/*
 * Reads the disk as a snapshot saw it, without changing the image (`convert
 * -l`, `measure -l`): the snapshot's L1 table replaces the active one in
 * memory of an image opened read-only.  Found by id and name when both are
 * given, else by the one given.  The virtual size stays the image's, as in
 * qemu-img (clusters past the snapshot's disk read as zeroes).
 */
int qcow2_snapshot_load_tmp(BlockDriverState *bs, const char *id, const char *name, char **errp)
{
    BDRVQcow2State *s = bs->opaque;
    SnapEntry *e;
    uint64_t table_bytes, *sn_l1 = NULL;
    if (!bs->read_only) {
        bdrv_error(errp, "Device is not readonly");
        return -EINVAL;
    }
    int ret = read_entries(bs, &e, &table_bytes);
    if (ret < 0) {
        bdrv_error(errp, "Could not read the snapshot table: %s", errno_text(ret));
        return ret;
    }
    uint32_t n = s->nb_snapshots;
    int k = -1;
    for (uint32_t i = 0; i < n && k < 0; i++) {
        if ((!id || !strcmp(e[i].id, id)) && (!name || !strcmp(e[i].name, name)) && (id || name)) {
            k = (int)i;
        }
    }
    if (k < 0) {
        free_entries(e, n);
        bdrv_error(errp, "Can't find snapshot");
        return -ENOENT;
    }
    if ((ret = read_l1(bs, e[k].l1_offset, e[k].l1_size, &sn_l1)) < 0) {
        free(sn_l1);
        free_entries(e, n);
        bdrv_error(errp, "the snapshot's L1 table is invalid");
        return ret;
    }
    /* reads past the snapshot's L1 table find no L2 table: zeroes */
    uint64_t per_l1 = (uint64_t)s->cluster_size << s->l2_bits;
    uint32_t need = (uint32_t)((s->size + per_l1 - 1) / per_l1);
    if (need > e[k].l1_size) {
        uint64_t *grown = calloc(need, sizeof(uint64_t));
        memcpy(grown, sn_l1, (uint64_t)e[k].l1_size * 8);
        free(sn_l1);
        sn_l1 = grown;
    }
    free(s->l1_table);
    s->l1_table = sn_l1;
    s->l1_size = need > e[k].l1_size ? need : e[k].l1_size;
    s->l1_dirty_lo = s->l1_dirty_hi = 0;
    free_entries(e, n);
    return 0;
}
