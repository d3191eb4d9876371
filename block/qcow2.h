/*
 * qcow2.h — internal state of the qcow2 driver (shared by qcow2*.c).
 *
 * On-disk facts (from the qcow2 specification, docs/interop/qcow2.txt of
 * QEMU): all fields big-endian; cluster 0 holds the header; L1 and L2
 * entries are 64-bit, refcount entries refcount_bits wide.
 */
#ifndef VEMU_BLOCK_QCOW2_H
#define VEMU_BLOCK_QCOW2_H

#include "block/block.h"
#include "block/qcow2-cache.h"

#define QCOW2_MAGIC 0x514649fbu            /* "QFI\xfb" */
#define QCOW2_V2_HEADER_SIZE 72
#define QCOW2_V3_HEADER_SIZE 104
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_MAX_BACKING_NAME 1023
#define QCOW2_MAX_L1_BYTES (32u << 20)     /* hostile-image bound */
#define QCOW2_MAX_REFTABLE_BYTES (8u << 20)

/* header field offsets */
enum {
    QH_MAGIC = 0, QH_VERSION = 4, QH_BACKING_OFFSET = 8, QH_BACKING_SIZE = 16,
    QH_CLUSTER_BITS = 20, QH_SIZE = 24, QH_CRYPT = 32, QH_L1_SIZE = 36,
    QH_L1_OFFSET = 40, QH_RT_OFFSET = 48, QH_RT_CLUSTERS = 56, QH_NB_SNAPSHOTS = 60,
    QH_SNAPSHOTS_OFFSET = 64, QH_INCOMPAT = 72, QH_COMPAT = 80, QH_AUTOCLEAR = 88,
    QH_REFCOUNT_ORDER = 96, QH_HEADER_LENGTH = 100, QH_COMPRESSION_TYPE = 104,
};

/* feature bits */
#define QCOW2_INCOMPAT_DIRTY       (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT     (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE   (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2       (1ull << 4)
#define QCOW2_INCOMPAT_SUPPORTED   (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | \
                                    QCOW2_INCOMPAT_COMPRESSION | QCOW2_INCOMPAT_EXTL2)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ull << 0)

/* header extension types */
#define QCOW2_EXT_END          0x00000000u
#define QCOW2_EXT_BACKING_FMT  0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u

/* L1/L2 entries */
#define QCOW2_OFLAG_COPIED     (1ull << 63)     /* refcount is exactly 1 */
#define QCOW2_OFLAG_COMPRESSED (1ull << 62)
#define QCOW2_OFLAG_ZERO       (1ull << 0)      /* v3: reads as zeroes */
#define QCOW2_L1E_OFFSET_MASK  0x00fffffffffffe00ull
#define QCOW2_L2E_OFFSET_MASK  0x00fffffffffffe00ull

/* Extended L2 entries: 64-bit descriptor, then a 64-bit bitmap of 32
 * subclusters: bit x = subcluster x holds data at host + x * subcluster
 * size, bit 32 + x = it reads as zeroes; neither = unallocated (backing
 * file).  Bit 0 of the descriptor is not the zero flag in this mode. */
#define QCOW2_SUBCLUSTERS       32
#define QCOW2_L2_BITMAP_ALL_ALLOC 0x00000000ffffffffull
#define QCOW2_L2_BITMAP_ALL_ZERO  0xffffffff00000000ull
#define QCOW2_EXTL2_MIN_CLUSTER_BITS 14   /* 512-byte subclusters at least */

enum { QCOW2_COMPRESSION_ZLIB = 0, QCOW2_COMPRESSION_ZSTD = 1 };

/* A header extension this driver does not interpret, kept verbatim so that
 * rewriting the header does not drop it. */
typedef struct Qcow2UnknownExt {
    uint32_t type, len;
    uint8_t *data;
} Qcow2UnknownExt;

/* A cluster range whose refcount drops once the L2 tables that stopped
 * referencing it are on disk (see qcow2_flush_metadata). */
typedef struct Qcow2PendingFree {
    uint64_t offset, bytes;
} Qcow2PendingFree;

typedef struct BDRVQcow2State {
    int version;
    int cluster_bits;
    uint32_t cluster_size;
    int l2_bits;                 /* log2 of entries per L2 table */
    uint32_t l2_size;
    bool extended_l2;            /* 16-byte L2 entries with subcluster bitmaps */
    int l2_entry_bytes;          /* 8, or 16 with extended L2 entries */
    int subcluster_bits;         /* log2 of the subcluster size (= cluster_bits without) */
    uint32_t subcluster_size;
    uint64_t size;               /* virtual disk size */
    uint32_t crypt_method;

    uint64_t *l1_table;          /* host-endian copy */
    uint32_t l1_size;
    uint64_t l1_table_offset;
    uint32_t l1_dirty_lo, l1_dirty_hi;    /* [lo, hi) entries to write back */

    uint64_t *refcount_table;    /* host-endian copy */
    uint64_t refcount_table_offset;
    uint32_t refcount_table_clusters;
    uint32_t refcount_table_size;         /* entries in memory (may exceed disk while growing) */
    bool reftable_growing;                /* entries are not written through while set */
    int refcount_order;
    int refcount_bits;
    uint64_t refcount_max;
    int refblock_bits;           /* log2 of refcount entries per block */

    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t incompatible_features, compatible_features, autoclear_features;
    uint32_t header_length;
    int compression_type;

    Qcow2UnknownExt *unknown_exts;
    int n_unknown_exts;
    uint8_t *feature_table;      /* raw feature name table extension, or NULL */
    uint32_t feature_table_len;

    Qcow2Cache *l2_cache;
    Qcow2Cache *refblock_cache;

    uint64_t free_byte_offset;   /* where the next compressed cluster may go */
    uint64_t free_cluster_index; /* first cluster that may be free */
    uint64_t alloc_end;          /* clusters from here on are unused (file end, bumped) */

    Qcow2PendingFree *pending;
    int n_pending, cap_pending;

    /* Lazy refcounts (compatible bit 0): refcount blocks stay in their
     * cache past the metadata that needs them; the dirty bit, set on disk
     * before the first such write (lazy_dirtied), says the on-disk counts
     * are stale.  Cleared with every count written at close. */
    bool lazy_dirtied;

    uint64_t vmstate_size;       /* VM state bytes saved for the next snapshot */

    uint8_t *cluster_buf;        /* decompression output */
    uint8_t *cluster_data;       /* compressed input */
    uint64_t cached_compressed;  /* L2 entry whose data cluster_buf holds, 0 = none */
} BDRVQcow2State;

/* byte-order helpers */
static inline uint64_t be64_get(const void *p)
{
    const uint8_t *b = p;
    return ((uint64_t)b[0] << 56) | ((uint64_t)b[1] << 48) | ((uint64_t)b[2] << 40) |
           ((uint64_t)b[3] << 32) | ((uint64_t)b[4] << 24) | ((uint64_t)b[5] << 16) |
           ((uint64_t)b[6] << 8) | b[7];
}
static inline uint32_t be32_get(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}
static inline uint16_t be16_get(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)((b[0] << 8) | b[1]);
}
static inline void be64_put(void *p, uint64_t v)
{
    uint8_t *b = p;
    for (int i = 7; i >= 0; i--, v >>= 8) {
        b[i] = (uint8_t)v;
    }
}
static inline void be32_put(void *p, uint32_t v)
{
    uint8_t *b = p;
    for (int i = 3; i >= 0; i--, v >>= 8) {
        b[i] = (uint8_t)v;
    }
}

static inline uint64_t qcow2_align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Whether an L2 descriptor is a zero cluster (the flag; not with extended L2). */
static inline bool qcow2_zero_flag(const BDRVQcow2State *s, uint64_t entry)
{
    return s->version >= 3 && !s->extended_l2 && !(entry & QCOW2_OFLAG_COMPRESSED) &&
           (entry & QCOW2_OFLAG_ZERO);
}

/* qcow2-refcount.c: refcount entries inside a refcount block (pure) */
uint64_t qcow2_refblock_get(const uint8_t *block, int refcount_order, uint64_t index);
void qcow2_refblock_set(uint8_t *block, int refcount_order, uint64_t index, uint64_t value);

/* qcow2-refcount.c */
int qcow2_refcount_init(BlockDriverState *bs);
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount);
/* Adds delta (+1/-1) to the refcount of every cluster touching [offset, offset+bytes). */
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int delta);
/* Sets a cluster's refcount (repair). */
int qcow2_set_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t value);
/* Allocates n contiguous clusters (refcount 1); returns the host offset or -errno. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/* Defers the refcount decrement of a range until the L2 tables are written. */
void qcow2_free_later(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
/* Writes back metadata in the crash-safe order (see the .c). */
int qcow2_flush_metadata(BlockDriverState *bs);
/* Whether refcount blocks may stay unwritten behind the dirty bit. */
bool qcow2_lazy_refcounts(const BDRVQcow2State *s);
int qcow2_write_l1(BlockDriverState *bs);

/* qcow2-cluster.c */
int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t guest_offset, uint64_t *entry);
/* The descriptor and (extended L2 only, else 0) the subcluster bitmap. */
int qcow2_get_l2_entry_ext(BlockDriverState *bs, uint64_t guest_offset, uint64_t *entry,
                           uint64_t *bitmap);
void qcow2_l1_mark_dirty(BDRVQcow2State *s, uint32_t l1_index);
/* Sets the L2 entry of a guest cluster, allocating an L2 table if needed. */
int qcow2_set_l2_entry(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry);
/* The same with an explicit bitmap (extended L2).  qcow2_set_l2_entry
 * derives it there: all subclusters allocated for data, all zero for the
 * zero flag (which is not stored), none for compressed or unallocated. */
int qcow2_set_l2_entry_ext(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry,
                           uint64_t bitmap);
/* The type of a subcluster under an extended L2 entry (-EIO: invalid entry). */
enum { QCOW2_SC_DATA, QCOW2_SC_ZERO, QCOW2_SC_UNALLOCATED, QCOW2_SC_COMPRESSED };
int qcow2_subcluster_type(const BDRVQcow2State *s, uint64_t entry, uint64_t bitmap, int sc);
void qcow2_compressed_range(BDRVQcow2State *s, uint64_t entry, uint64_t *offset, uint64_t *bytes);
/* Reads a guest cluster's bytes [off_in_cluster, +len) whatever it maps to. */
int qcow2_read_cluster(BlockDriverState *bs, uint64_t guest_offset, uint64_t entry,
                       uint64_t bitmap, uint8_t *buf, uint64_t len);

/* qcow2-compress.c */
int qcow2_decompress(int type, uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size);
size_t qcow2_compress(int type, uint8_t *dest, size_t dest_size, const uint8_t *src, size_t src_size);
int qcow2_pwrite_compressed(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const void *buf);
/* qcow2.c: the ordinary write path */
int qcow2_pwritev_internal(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                           const struct iovec *iov, int niov);

/* qcow2-snapshot.c */
int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list);
int qcow2_snapshot_create(BlockDriverState *bs, const char *name, char **errp);
int qcow2_snapshot_goto(BlockDriverState *bs, const char *name, char **errp);
int qcow2_snapshot_delete(BlockDriverState *bs, const char *name, char **errp);
int qcow2_snapshot_load_tmp(BlockDriverState *bs, const char *id, const char *name, char **errp);

/* qcow2-resize.c: a new virtual size (a multiple of 512) */
int qcow2_truncate(BlockDriverState *bs, uint64_t size);
/* A bigger active L1 table (same virtual size). */
int qcow2_grow_l1(BlockDriverState *bs, uint32_t new_l1_size);

/* qcow2.c: the VM state lives at guest offsets from the first L1 entry
 * past the virtual disk (as in qemu); snapshot_create takes vmstate_size
 * bytes of it and then unmaps them from the active state. */
static inline uint64_t qcow2_vm_state_offset(const BDRVQcow2State *s)
{
    uint64_t per_l1 = (uint64_t)s->cluster_size << s->l2_bits;
    return (s->size + per_l1 - 1) / per_l1 * per_l1;
}
int qcow2_unmap_clusters(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
/* qcow2-prealloc.c: map the unallocated clusters of a range (metadata|falloc|full) */
int qcow2_preallocate(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode);
/* The same; alloc_subclusters false leaves an extended L2 entry's
 * subclusters unallocated (image creation). */
int qcow2_preallocate_ext(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode,
                          bool alloc_subclusters);

/* qcow2-amend.c: compat and lazy_refcounts */
int qcow2_amend(BlockDriverState *bs, BlockOpts *opts, char **errp);

/* qcow2-check.c */
int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix);

/* qcow2-header.c */
int qcow2_read_header(BlockDriverState *bs, int flags, char **errp);
int qcow2_update_header(BlockDriverState *bs);
int qcow2_set_incompat_bit(BlockDriverState *bs, uint64_t bit, bool set);

/* qcow2-create.c */
extern const BlockOptDesc qcow2_create_opts[];
int qcow2_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp);

#endif
