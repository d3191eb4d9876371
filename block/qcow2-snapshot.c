/*
 * qcow2-snapshot.c — the internal snapshot table.  Listing only for now;
 * creating, applying and deleting snapshots (and writing to images that
 * have them) are left for a later session (docs/block.md).
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
