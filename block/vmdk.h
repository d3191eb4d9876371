/*
 * vmdk.h — the VMDK driver's state and on-disk constants (VMware's "Virtual
 * Disk Format 1.1"): a text descriptor naming extents (FLAT, SPARSE, ZERO),
 * and hosted sparse extents with a little-endian header, a grain directory
 * (GD) of grain-table (GT) sector offsets and GTs of grain sector offsets.
 * streamOptimized extents hold zlib-compressed grains behind markers and
 * keep their GD in a footer at the end of the file.
 */
#ifndef VEMU_BLOCK_VMDK_H
#define VEMU_BLOCK_VMDK_H

#include "block/block.h"

#define VMDK_MAGIC           0x564d444bu   /* "KDMV" little-endian */
#define VMDK_SECTOR          512u
#define VMDK_GD_AT_END       0xffffffffffffffffull
#define VMDK_FLAG_NL_TEST    (1u << 0)
#define VMDK_FLAG_RGD        (1u << 1)
#define VMDK_FLAG_ZERO_GRAIN (1u << 2)     /* GT entry 1 means a zero grain */
#define VMDK_FLAG_COMPRESS   (1u << 16)
#define VMDK_FLAG_MARKERS    (1u << 17)
#define VMDK_COMPRESS_DEFLATE 1

/* stream markers (type of a metadata marker, whose size field is 0) */
enum { VMDK_MARKER_EOS = 0, VMDK_MARKER_GT = 1, VMDK_MARKER_GD = 2, VMDK_MARKER_FOOTER = 3 };

/* limits against hostile images */
#define VMDK_MAX_GRAIN_SECTORS (1u << 16)    /* 32 MiB grains */
#define VMDK_MAX_GTES          512u
#define VMDK_MAX_GD_ENTRIES    (1u << 24)
#define VMDK_MAX_DESC          (1u << 20)
#define VMDK_MAX_EXTENTS       1024
/* twoGbMaxExtent*: each extent holds at most 2 GiB */
#define VMDK_TWOGB_EXTENT_SECTORS (4194304ull)

/* The 512-byte sparse extent header, decoded. */
typedef struct VmdkHeader {
    uint32_t version, flags;
    uint64_t capacity, grain_size, desc_offset, desc_size;   /* sectors */
    uint32_t gtes_per_gt;
    uint64_t rgd_offset, gd_offset, overhead;                /* sectors */
    uint16_t compress_algorithm;
} VmdkHeader;

/* A streamOptimized grain filled by several writes, compressed once it is
 * whole (or when the image is closed). */
typedef struct VmdkPendingGrain {
    uint64_t index;
    uint64_t filled;          /* bytes written so far (writes do not overlap) */
    uint8_t *buf;
} VmdkPendingGrain;

#define VMDK_MAX_PENDING 1024

typedef enum { VMDK_EXT_FLAT, VMDK_EXT_SPARSE, VMDK_EXT_ZERO } VmdkExtentType;

typedef struct VmdkExtent {
    VmdkExtentType type;
    BlockDriverState *file;   /* NULL for ZERO */
    bool owns_file;           /* false when it is bs->file */
    char *name;               /* as the descriptor names it */
    uint64_t start, length;   /* in the virtual disk, bytes */
    uint64_t flat_offset;     /* FLAT: byte offset in the file */

    /* SPARSE */
    VmdkHeader h;
    uint64_t grain;           /* bytes */
    uint64_t gt_bytes;        /* one grain table, bytes */
    uint32_t gd_entries;
    uint32_t *gd, *rgd;       /* sector offsets of the GTs (rgd may be NULL) */
    uint64_t gd_offset, rgd_offset;  /* bytes */
    uint32_t *gt;             /* one cached grain table */
    int64_t gt_cached;        /* its GD index, -1 none */
    bool compressed, markers;
    uint64_t file_end;        /* bytes: where the next grain goes */

    /* streamOptimized being written (created empty, appended to) */
    bool streaming;
    uint32_t *stream_gts;     /* every GT in memory, gd_entries * gtes */
    struct VmdkPendingGrain *pending;   /* grains written in parts (convert skips zeroes) */
    int nb_pending;
} VmdkExtent;

typedef struct BDRVVmdkState {
    VmdkExtent *extents;
    int nb_extents;
    uint64_t total;           /* virtual size, bytes */
    uint32_t cid, parent_cid;
    char create_type[64];
    uint8_t *grain_buf, *zbuf;
} BDRVVmdkState;

/* vmdk-descriptor.c */
/* Parses the text descriptor: CID, parentCID, createType, parent hint and
 * the extent lines (names not yet opened). */
int vmdk_parse_descriptor(BlockDriverState *bs, const char *text, size_t len,
                          bool embedded, char **errp);
int vmdk_decode_header(const uint8_t *buf, VmdkHeader *h);
void vmdk_encode_header(const VmdkHeader *h, uint8_t *buf);

/* vmdk-sparse.c */
int vmdk_open_sparse(BlockDriverState *bs, VmdkExtent *e, bool writable, char **errp);
/* Reads [off, off+n) of the extent (n within one grain). */
int vmdk_sparse_read(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint8_t *buf, uint64_t n);
int vmdk_sparse_write(BlockDriverState *bs, VmdkExtent *e, uint64_t off, const uint8_t *buf,
                      uint64_t n);
/* Zeroes [off, off+n) (n within one grain), with a zeroed-grain entry
 * where the extent has the feature. */
int vmdk_sparse_zero(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint64_t n);
int vmdk_sparse_status(BlockDriverState *bs, VmdkExtent *e, uint64_t off, uint64_t n,
                       BlockStatus *st);
int vmdk_sparse_check(VmdkExtent *e, uint64_t base, BlockCheckResult *res);
int vmdk_stream_finish(BlockDriverState *bs, VmdkExtent *e);
void vmdk_extent_free(VmdkExtent *e);

/* vmdk-create.c */
extern const BlockOptDesc vmdk_create_opts[];
int vmdk_create(const char *filename, uint64_t size, BlockOpts *opts, char **errp);

#endif
