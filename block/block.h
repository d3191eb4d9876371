/*
 * block.h — the block layer's contract: image-format drivers and the
 * BlockDriverState (one opened image, with its file and its backing chain).
 *
 * All offsets and lengths are in bytes.  Functions return 0 (or a count) on
 * success and a negative errno on failure; an error that the user must see
 * carries a message in *errp (heap string, freed by the caller; errp may be
 * NULL).  See docs/block.md for the design (threading, backing chains and the
 * metadata ordering that keeps images consistent after a crash).
 */
#ifndef VEMU_BLOCK_H
#define VEMU_BLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "block/options.h"

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;

/* bdrv_open flags */
enum {
    BDRV_O_RDWR       = 1 << 0,  /* open for writing */
    BDRV_O_NO_BACKING = 1 << 1,  /* do not open the backing chain */
    BDRV_O_CHECK      = 1 << 2,  /* opened by `check`: accept a corrupt or dirty image as is */
    BDRV_O_NO_IO      = 1 << 3,  /* metadata only (info): no repair on open */
};

/* pwrite_zeroes flags */
enum { BDRV_REQ_MAY_UNMAP = 1 << 0 };

/* Maximum depth of a backing chain (a loop is also detected by identity). */
#define BDRV_MAX_BACKING_DEPTH 64

/* block_status flags: what a range of the image holds in this layer. */
enum {
    BDRV_BLOCK_DATA         = 1 << 0, /* data stored in this layer */
    BDRV_BLOCK_ZERO         = 1 << 1, /* reads as zeroes */
    BDRV_BLOCK_OFFSET_VALID = 1 << 2, /* host_offset is where the data is in `file` */
    BDRV_BLOCK_ALLOCATED    = 1 << 3, /* this layer decides the contents (no backing read) */
    BDRV_BLOCK_COMPRESSED   = 1 << 4, /* compressed cluster: no raw host offset */
};

typedef struct BlockStatus {
    unsigned flags;
    uint64_t bytes;          /* length of the range with these properties */
    uint64_t host_offset;    /* valid with BDRV_BLOCK_OFFSET_VALID */
    BlockDriverState *file;  /* the layer host_offset refers to */
} BlockStatus;

/* A format-specific information field for `info` (json key; the human
 * name is the key with '-' turned into ' '). */
typedef enum { BINFO_STR, BINFO_BOOL, BINFO_INT } BlockInfoType;
typedef struct BlockInfoField {
    const char *key;
    BlockInfoType type;
    const char *str;
    int64_t num;             /* BINFO_BOOL and BINFO_INT */
} BlockInfoField;

#define BDRV_MAX_INFO_FIELDS 16
/* One record of a list in the format-specific data (vmdk's extents). */
#define BDRV_MAX_RECORD_FIELDS 6
#define BDRV_MAX_INFO_RECORDS 64
typedef struct BlockInfoRecord {
    int nfields;
    BlockInfoField fields[BDRV_MAX_RECORD_FIELDS];
    char str[1024];          /* storage for a string field the record owns */
} BlockInfoRecord;

typedef struct BlockFormatInfo {
    int64_t cluster_size;    /* 0: the format has none */
    bool dirty;
    int nfields;
    BlockInfoField fields[BDRV_MAX_INFO_FIELDS];
    /* a list printed after the fields under list_key (NULL: none) */
    const char *list_key;
    int nrecords;
    BlockInfoRecord records[BDRV_MAX_INFO_RECORDS];
} BlockFormatInfo;

/* check and repair */
enum { BDRV_FIX_LEAKS = 1, BDRV_FIX_ERRORS = 2 };
typedef struct BlockCheckResult {
    int corruptions, leaks, check_errors;
    int corruptions_fixed, leaks_fixed;
    int64_t image_end_offset;
    uint64_t total_clusters, allocated_clusters;
    uint64_t fragmented_clusters, compressed_clusters;
    bool have_cluster_stats;
} BlockCheckResult;

/* snapshot information (internal snapshots; hooks may be NULL) */
typedef struct BlockSnapshotInfo {
    char id[128], name[256];
    uint64_t vm_state_size;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    int64_t icount;          /* -1: not recorded */
} BlockSnapshotInfo;

struct BlockDriver {
    const char *format_name;
    size_t instance_size;          /* driver state, bs->opaque */
    bool thread_safe;              /* requests may run concurrently without bs->lock */
    bool is_format;                /* false: a protocol-like layer usable as `file` (raw) */
    bool compress_unlocked;        /* pwrite_compressed takes bs->lock itself (compresses outside it) */
    const BlockOptDesc *create_opts;   /* -o keys `create` accepts */

    /* Score 0..100 that buf (the first bytes of the file) is this format. */
    int (*probe)(const uint8_t *buf, size_t len);
    int (*open)(BlockDriverState *bs, int flags, char **errp);
    void (*close)(BlockDriverState *bs);

    int (*preadv)(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                  const struct iovec *iov, int niov);
    int (*pwritev)(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                   const struct iovec *iov, int niov);
    /* One whole cluster (the last may be short at the disk's end), stored
     * compressed; NULL: the format has no compression. */
    int (*pwrite_compressed)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const void *buf);
    /* The unit pwrite_compressed takes (the cluster size). */
    uint64_t (*compress_unit)(BlockDriverState *bs);
    int (*flush)(BlockDriverState *bs);
    int (*pwrite_zeroes)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags);
    int (*pdiscard)(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
    /* Status of [offset, offset+bytes): fills st (st->bytes > 0, <= bytes). */
    int (*block_status)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st);
    int64_t (*getlength)(BlockDriverState *bs);       /* virtual size */
    /* bytes on the host of an image of several files (NULL: bs->file's) */
    int64_t (*allocated_file_size)(BlockDriverState *bs);
    int (*truncate)(BlockDriverState *bs, uint64_t size);  /* file length; a format's virtual size */
    /* Allocates [offset, offset+bytes) of the disk ahead of writes (resize
     * --preallocation): mode "metadata" maps it (reads zeroes), "falloc"
     * also reserves the space, "full" also writes zeroes; -ENOTSUP for a
     * mode the format does not have (bytes 0: only that answer); NULL: none. */
    int (*preallocate)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode);

    /* Creates an image; size in bytes; opts validated against create_opts. */
    int (*create)(const char *filename, uint64_t size, BlockOpts *opts, char **errp);
    int (*get_info)(BlockDriverState *bs, BlockFormatInfo *info);
    /* fix: BDRV_FIX_*; reports problems on stderr like qemu-img. */
    int (*check)(BlockDriverState *bs, BlockCheckResult *res, int fix);

    /* internal snapshots (NULL: not supported yet); snapshot_list returns
     * the number of snapshots and a malloc'ed array */
    int (*snapshot_list)(BlockDriverState *bs, BlockSnapshotInfo **list);
    int (*snapshot_create)(BlockDriverState *bs, const char *name, char **errp);
    int (*snapshot_goto)(BlockDriverState *bs, const char *name, char **errp);
    int (*snapshot_delete)(BlockDriverState *bs, const char *name, char **errp);
    /* Reads show snapshot (id and/or name; NULL: not compared) instead of the
     * active state, until close; the image must be read-only (convert -l). */
    int (*snapshot_load_tmp)(BlockDriverState *bs, const char *id, const char *name, char **errp);

    /* Records another backing file name and format ("" = none) in the image
     * (rebase); NULL: the format has no backing files. */
    int (*change_backing_file)(BlockDriverState *bs, const char *file, const char *fmt);
    /* Makes every cluster of the active state unallocated, so that the
     * backing file shows through again (commit); NULL: not supported. */
    int (*make_empty)(BlockDriverState *bs);
    /* Changes options of an existing image (`amend -o`); NULL: not supported. */
    int (*amend)(BlockDriverState *bs, BlockOpts *opts, char **errp);

    /* VM state (savevm/loadvm): a byte stream kept after the virtual disk's
     * end.  save_vmstate writes [pos, pos+size) of it; the next
     * snapshot_create takes what was saved as the snapshot's VM state
     * (qcow2: vm_state_size).  load_vmstate reads the VM state of the
     * snapshot last applied with snapshot_goto.  NULL: not supported. */
    int (*save_vmstate)(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t size);
    int (*load_vmstate)(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t size);
};

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;                  /* drv->instance_size bytes */
    char *filename;
    int open_flags;
    bool read_only;
    bool probed;                   /* the format was guessed (raw probing warns) */
    int fd;                        /* protocol layers (raw) */

    BlockDriverState *file;        /* the layer a format driver stores its data in */
    BlockDriverState *backing;     /* NULL when none or not opened */
    char backing_file[1024];       /* as recorded in the image ("" = none) */
    char backing_format[32];       /* "" = not recorded (probed) */
    char full_backing_filename[4096];  /* resolved relative to the image */
    int chain_depth;               /* 0 for the top image */

    pthread_mutex_t lock;          /* serialises requests of non-thread-safe drivers */
    /* what the next snapshot_create records: the guest's virtual clock and
     * instruction count (savevm sets them: the clock, and -1 for "no
     * icount" as qemu's savevm; 0 and 0 for snapshots of the disk alone,
     * as qemu-img writes them) */
    uint64_t snapshot_vm_clock_ns;
    int64_t snapshot_icount;
};

/* drivers */
const BlockDriver *bdrv_find_format(const char *name);
/* NULL-terminated list of every driver */
extern const BlockDriver *const bdrv_drivers[];
extern const BlockDriver bdrv_raw;
extern const BlockDriver bdrv_qcow2;
extern const BlockDriver bdrv_qcow, bdrv_vdi, bdrv_vpc;   /* legacy formats */
extern const BlockDriver bdrv_vmdk;

/* Guesses the format from the first bytes; falls back to raw. */
const BlockDriver *bdrv_probe_format(const uint8_t *buf, size_t len);
int bdrv_probe_file(const char *filename, const BlockDriver **drv, char **errp);

/* Opens filename with format fmt (NULL: probe).  The backing chain is opened
 * read-only, recursively, unless BDRV_O_NO_BACKING. */
BlockDriverState *bdrv_open(const char *filename, const char *fmt, int flags, char **errp);
void bdrv_close(BlockDriverState *bs);   /* closes the chain below too */

int bdrv_preadv(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                const struct iovec *iov, int niov);
int bdrv_pwritev(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                 const struct iovec *iov, int niov);
int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, uint64_t bytes);
int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t bytes);
/* The VM state stream of a format with snapshots (BlockDriver.save_vmstate
 * and load_vmstate); -ENOTSUP when the format has none. */
int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, uint64_t pos, uint64_t size);
int bdrv_load_vmstate(BlockDriverState *bs, void *buf, uint64_t pos, uint64_t size);
int bdrv_flush(BlockDriverState *bs);
/* Compressed write of whole units (bdrv_compress_unit; 0 = not supported). */
int bdrv_pwrite_compressed(BlockDriverState *bs, uint64_t offset, const void *buf, uint64_t bytes);
uint64_t bdrv_compress_unit(BlockDriverState *bs);
int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags);
int bdrv_pdiscard(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
int bdrv_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, BlockStatus *st);
int64_t bdrv_getlength(BlockDriverState *bs);
int bdrv_truncate(BlockDriverState *bs, uint64_t size);
/* drv->preallocate of a writable image; -ENOTSUP without one */
int bdrv_preallocate(BlockDriverState *bs, uint64_t offset, uint64_t bytes, const char *mode);
/* bytes the image's files occupy on the host (st_blocks), -1 if unknown */
int64_t bdrv_allocated_file_size(BlockDriverState *bs);

/* Creates an image of format drv; checks opts against drv->create_opts. */
int bdrv_create(const BlockDriver *drv, const char *filename, uint64_t size,
                BlockOpts *opts, char **errp);
/* The backing name resolved against the directory of the image that names it. */
void bdrv_resolve_backing_name(const char *image, const char *backing, char *out, size_t n);

/* error messages: sets *errp (if errp and !*errp) to a formatted string */
void bdrv_error(char **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
