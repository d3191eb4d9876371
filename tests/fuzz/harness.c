/*
 * harness.c — one fuzz input through the block layer (tests/fuzz/harness.h).
 *
 * The input is written to a file in a private scratch directory and opened
 * there as an image, so that names inside it (backing files, the extents of
 * a VMDK descriptor) resolve inside that directory and never reach the
 * fuzzer's own descriptors (a /proc/self/fd path would).  The scratch
 * directory holds three extent files that VMDK descriptor seeds name
 * (extent-flat.vmdk, extent-f001.vmdk, extent-s001.vmdk), so descriptors get
 * past opening their extents.  Backing chains are not opened: a hostile
 * name could point anywhere (a FIFO would block); the backing-name parsing
 * still runs, and chains and loops have their own tests (tests/block).
 *
 * Each input goes through what vemu-img does to an image: a read-only open
 * (info fields, snapshot list, disk usage, block status across the disk,
 * reads at both ends and in the middle, scattered and unaligned, check
 * without repair), then when that worked a read-write open (which repairs a
 * dirty qcow2), writes, zero writes, a discard, a compressed write, flush,
 * check with repair, and a read-only open of the result.  The harness only
 * asserts what the contract promises whatever the bytes: block status
 * reports a length in (0, asked] and requests never crash; errors are fine.
 */
#include "tests/fuzz/harness.h"

#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* bounds that keep one input quick whatever sizes it claims */
#define STATUS_CALLS  96          /* block_status calls per walk */
#define READ_CHUNK    (64 * 1024) /* longest read */
#define FILE_LIMIT    (256LL << 20)   /* RLIMIT_FSIZE: writes past it fail (EFBIG) */

long fuzz_opened;   /* inputs that opened read-only (the driver reports it) */

static char scratch_dir[PATH_MAX];
static char image_path[PATH_MAX + 16];

static void remove_scratch(void)
{
    static const char *const names[] = {
        "image", "extent-flat.vmdk", "extent-f001.vmdk", "extent-s001.vmdk", NULL
    };
    char p[PATH_MAX + 32];
    for (int i = 0; names[i]; i++) {
        snprintf(p, sizeof(p), "%s/%s", scratch_dir, names[i]);
        unlink(p);
    }
    rmdir(scratch_dir);
}

static void write_file(const char *name, const void *buf, size_t len)
{
    char p[PATH_MAX + 32];
    snprintf(p, sizeof(p), "%s/%s", scratch_dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(p);
        abort();
    }
    const uint8_t *b = buf;
    while (len) {
        ssize_t n = write(fd, b, len);
        if (n <= 0) {
            perror(p);
            abort();
        }
        b += n;
        len -= (size_t)n;
    }
    close(fd);
}

/* The extents VMDK descriptor seeds name, fresh for every input that names
 * one (a read-write pass may have written to them). */
static void make_extents(void)
{
    static uint8_t flat[64 * 1024];
    for (size_t i = 0; i < sizeof(flat); i++) {
        flat[i] = (uint8_t)(i * 7 + (i >> 9));
    }
    write_file("extent-flat.vmdk", flat, sizeof(flat));
    write_file("extent-f001.vmdk", flat, sizeof(flat));
    char p[PATH_MAX + 32], *err = NULL;
    snprintf(p, sizeof(p), "%s/extent-s001.vmdk", scratch_dir);
    unlink(p);
    if (bdrv_create(&bdrv_vmdk, p, sizeof(flat), NULL, &err) < 0) {
        fprintf(stderr, "fuzz: cannot create %s: %s\n", p, err ? err : "error");
        abort();
    }
    free(err);
}

static void setup_once(void)
{
    static int done;
    if (done) {
        return;
    }
    done = 1;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch_dir, sizeof(scratch_dir), "%s/vemu-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    snprintf(image_path, sizeof(image_path), "%s/image", scratch_dir);
    atexit(remove_scratch);
    /* a hostile header may ask for a huge file: let such writes fail */
    struct rlimit rl = { FILE_LIMIT, FILE_LIMIT };
    setrlimit(RLIMIT_FSIZE, &rl);
    signal(SIGXFSZ, SIG_IGN);
    make_extents();
}

/* Touches every byte of a string the driver hands out (ASan finds a
 * dangling or unterminated one). */
static size_t use_string(const char *s)
{
    return s ? strlen(s) : 0;
}

static size_t use_info(BlockDriverState *bs)
{
    size_t n = 0;
    if (bs->drv->get_info) {
        BlockFormatInfo *fi = calloc(1, sizeof(*fi));
        bs->drv->get_info(bs, fi);
        if (fi->nfields < 0 || fi->nfields > BDRV_MAX_INFO_FIELDS ||
            fi->nrecords < 0 || fi->nrecords > BDRV_MAX_INFO_RECORDS) {
            abort();
        }
        for (int i = 0; i < fi->nfields; i++) {
            n += use_string(fi->fields[i].key) + use_string(fi->fields[i].str);
        }
        for (int r = 0; r < fi->nrecords; r++) {
            if (fi->records[r].nfields < 0 || fi->records[r].nfields > BDRV_MAX_RECORD_FIELDS) {
                abort();
            }
            for (int i = 0; i < fi->records[r].nfields; i++) {
                n += use_string(fi->records[r].fields[i].key) + use_string(fi->records[r].fields[i].str);
            }
        }
        n += use_string(fi->list_key);
        free(fi);
    }
    if (bs->drv->snapshot_list) {
        BlockSnapshotInfo *sn = NULL;
        int k = bs->drv->snapshot_list(bs, &sn);
        for (int i = 0; i < k; i++) {
            n += strnlen(sn[i].id, sizeof(sn[i].id)) + strnlen(sn[i].name, sizeof(sn[i].name));
        }
        free(sn);
    }
    n += use_string(bs->backing_file) + use_string(bs->backing_format);
    bdrv_allocated_file_size(bs);
    return n;
}

/* Block status from 0 to the end (a bounded number of calls), as map and
 * convert walk it; the length reported must be in (0, asked]. */
static void walk_status(BlockDriverState *bs, uint64_t len)
{
    uint64_t off = 0;
    for (int i = 0; i < STATUS_CALLS && off < len; i++) {
        BlockStatus st;
        uint64_t want = len - off;
        if (bdrv_block_status(bs, off, want, &st) < 0) {
            /* an unreadable range: go on after it, as convert would fail */
            off += (want + 1) / 2;
            continue;
        }
        if (st.bytes == 0 || st.bytes > want) {
            fprintf(stderr, "fuzz: block_status(%llu, %llu) reported %llu bytes\n",
                    (unsigned long long)off, (unsigned long long)want, (unsigned long long)st.bytes);
            abort();
        }
        off += st.bytes;
    }
}

static void read_at(BlockDriverState *bs, uint8_t *buf, uint64_t len, uint64_t off, uint64_t n)
{
    if (off >= len) {
        return;
    }
    if (n > len - off) {
        n = len - off;
    }
    /* two iovec elements, split off the sector grid */
    struct iovec iov[2] = { { buf, n / 3 }, { buf + n / 3, n - n / 3 } };
    bdrv_preadv(bs, off, n, iov, 2);
}

static void read_some(BlockDriverState *bs, uint8_t *buf, uint64_t len, uint64_t salt)
{
    read_at(bs, buf, len, 0, READ_CHUNK);
    read_at(bs, buf, len, len / 2 & ~511ull, READ_CHUNK);
    read_at(bs, buf, len, len > READ_CHUNK ? len - READ_CHUNK : 0, READ_CHUNK);
    read_at(bs, buf, len, len > 1 ? salt % len : 0, 1000);
    read_at(bs, buf, len, len > 513 ? 513 : 0, 70000);
}

static void check(BlockDriverState *bs, int fix)
{
    if (bs->drv->check) {
        BlockCheckResult res;
        memset(&res, 0, sizeof(res));
        bs->drv->check(bs, &res, fix);
    }
}

static void read_only_pass(BlockDriverState *bs, uint8_t *buf, uint64_t salt)
{
    int64_t len = bdrv_getlength(bs);
    use_info(bs);
    if (len > 0) {
        walk_status(bs, (uint64_t)len);
        read_some(bs, buf, (uint64_t)len, salt);
    }
    check(bs, 0);
}

static void read_write_pass(BlockDriverState *bs, uint8_t *buf, uint64_t salt)
{
    int64_t len = bdrv_getlength(bs);
    if (len <= 0) {
        return;
    }
    uint64_t l = (uint64_t)len;
    memset(buf, 0xa5, READ_CHUNK);
    bdrv_pwrite(bs, 0, buf, l < 4096 ? l : 4096);
    uint64_t mid = l / 2 & ~511ull;
    bdrv_pwrite(bs, mid, buf, l - mid < 1536 ? l - mid : 1536);   /* partial clusters */
    uint64_t odd = salt % l;
    bdrv_pwrite(bs, odd, buf, l - odd < 777 ? l - odd : 777);
    uint64_t z = l > 65536 ? 65536 : 0;
    bdrv_pwrite_zeroes(bs, z, l - z < 65536 ? l - z : 65536, BDRV_REQ_MAY_UNMAP);
    bdrv_pdiscard(bs, l / 4 & ~511ull, l / 4 < 131072 ? l / 4 : 131072);
    uint64_t unit = bdrv_compress_unit(bs);
    if (unit && unit <= READ_CHUNK && l >= unit) {
        bdrv_pwrite_compressed(bs, (l / unit - 1) * unit, buf, unit);
    }
    bdrv_flush(bs);
    walk_status(bs, l);
    read_some(bs, buf, l, salt);
    check(bs, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
}

int fuzz_image(const uint8_t *data, size_t size, const char *fmt)
{
    setup_once();
    if (memmem(data, size, "extent-", 7)) {
        make_extents();
    }
    write_file("image", data, size);
    uint64_t salt = 0;
    for (size_t i = 0; i < size && i < 64; i++) {
        salt = salt * 131 + data[i];
    }
    static uint8_t *buf;
    if (!buf) {
        buf = malloc(READ_CHUNK + 70000);
    }

    char *err = NULL;
    BlockDriverState *bs = bdrv_open(image_path, fmt, BDRV_O_NO_BACKING, &err);
    free(err);
    if (!bs) {
        return 0;
    }
    fuzz_opened++;
    read_only_pass(bs, buf, salt);
    bdrv_close(bs);

    err = NULL;
    bs = bdrv_open(image_path, fmt, BDRV_O_RDWR | BDRV_O_NO_BACKING, &err);
    free(err);
    if (!bs) {
        return 0;
    }
    read_write_pass(bs, buf, salt);
    bdrv_close(bs);

    /* what the writes and the repair left must open (or fail) cleanly */
    err = NULL;
    bs = bdrv_open(image_path, fmt, BDRV_O_NO_BACKING, &err);
    free(err);
    if (bs) {
        read_only_pass(bs, buf, salt);
        bdrv_close(bs);
    }
    return 0;
}
