/*
 * img-convert.c — `vemu-img convert`: copies one or more images
 * (concatenated) into a new or existing (-n) image.  The copy is split into
 * chunks processed by a pool of worker threads (-m requests in flight);
 * zero ranges are found from block status and, with -S, by scanning the
 * data, and are skipped (fresh target) or written as zeroes (-n).
 */
#include "img/img.h"
#include "block/thread-pool.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (2u << 20)

static void convert_help(void)
{
    printf("usage: vemu-img convert [-U] [-c] [-p] [-q] [-n] [-f fmt] [-O output_fmt]\n"
           "          [-B backing_file [-F backing_fmt]] [-o options] [-S sparse_size]\n"
           "          [-l snapshot_param] [-m num_requests] [-W] filename [filename2 [...]]\n"
           "          output_filename\n\n"
           "Copies the images (concatenated) into OUTPUT_FILENAME of format OUTPUT_FMT\n"
           "(default raw).  -n writes into an existing image; -B makes the output an\n"
           "overlay of BACKING_FILE and writes only what differs from it; -S sets the\n"
           "size of zero runs left unallocated (default 4k, 0 = allocate everything);\n"
           "-p shows progress; -m sets the requests in flight (default 8); -l copies an\n"
           "internal snapshot (snapshot.id=ID,snapshot.name=NAME or ID_OR_NAME).\n");
}

typedef struct Convert {
    BlockDriverState **src;
    uint64_t *src_len;
    int nsrc;
    BlockDriverState *dst;
    bool target_zeroed;       /* fresh target without backing: reads zero */
    bool has_backing;         /* -B: compare with what the target reads now */
    uint64_t sparse;          /* -S */
    uint64_t compress_unit;   /* -c: whole clusters written compressed */
    pthread_mutex_t lock;
    /* Target writes one at a time: they are copies into the page cache, and
     * concurrent writers of one file contend for its inode lock in the
     * kernel by spinning (measured: ten times the system time of a single
     * writer on a raw target).  Reading and compressing stay parallel. */
    pthread_mutex_t write_lock;
    int error;
    uint64_t err_offset;
    bool err_write;
    uint64_t done, total;
    bool progress;
} Convert;

typedef struct Job {
    Convert *cv;
    uint64_t offset;          /* in the concatenated source */
    uint64_t src_off, bytes;
    int src;
} Job;

/* Zero in the whole chain of bs? (BDRV_BLOCK_ZERO in the first layer that
 * decides, or unallocated down to the end of the chain.) */
static int chain_is_zero(BlockDriverState *bs, uint64_t off, uint64_t bytes, uint64_t *run)
{
    BlockStatus st;
    int r = bdrv_block_status(bs, off, bytes, &st);
    if (r < 0) {
        return r;
    }
    *run = st.bytes;
    if (st.flags & BDRV_BLOCK_ZERO) {
        return 1;
    }
    if (st.flags & (BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_DATA)) {
        return 0;
    }
    if (!bs->backing) {
        return 1;
    }
    int64_t blen = bdrv_getlength(bs->backing);
    if (blen < 0) {
        return (int)blen;
    }
    if (off >= (uint64_t)blen) {
        return 1;
    }
    uint64_t n = *run < (uint64_t)blen - off ? *run : (uint64_t)blen - off;
    r = chain_is_zero(bs->backing, off, n, run);
    return r;
}

/* Zero detection through the C library's vectorised memcmp (a word loop
 * was 14% of a qcow2 -> raw convert): the first 64 bytes are zero and every
 * byte equals the one 64 bytes before it. */
static bool all_zero(const uint8_t *p, uint64_t n)
{
    static const uint8_t zero[64];
    if (n <= sizeof(zero)) {
        return !memcmp(p, zero, n);
    }
    return !memcmp(p, zero, sizeof(zero)) && !memcmp(p, p + sizeof(zero), n - sizeof(zero));
}

static int write_range(Convert *cv, uint64_t off, const uint8_t *data, uint64_t n, bool zero)
{
    if (zero && cv->target_zeroed) {
        return 0;
    }
    pthread_mutex_lock(&cv->write_lock);
    int r = zero ? bdrv_pwrite_zeroes(cv->dst, off, n, cv->has_backing ? 0 : BDRV_REQ_MAY_UNMAP)
                 : bdrv_pwrite(cv->dst, off, data, n);
    pthread_mutex_unlock(&cv->write_lock);
    return r;
}

static void set_error(Convert *cv, int err, uint64_t off, bool write)
{
    pthread_mutex_lock(&cv->lock);
    if (!cv->error) {
        cv->error = err;
        cv->err_offset = off;
        cv->err_write = write;
    }
    pthread_mutex_unlock(&cv->lock);
}

/* -c: every non-zero cluster of the chunk is written compressed. */
static int run_compressed_job(Job *j)
{
    Convert *cv = j->cv;
    uint64_t unit = cv->compress_unit;
    uint8_t *buf = malloc(unit);
    int r = 0;
    for (uint64_t pos = 0; pos < j->bytes && r == 0 && !cv->error; pos += unit) {
        uint64_t n = j->bytes - pos < unit ? j->bytes - pos : unit;
        r = bdrv_pread(cv->src[j->src], j->src_off + pos, buf, n);
        if (r < 0) {
            set_error(cv, r, j->offset + pos, false);
            break;
        }
        if (all_zero(buf, n)) {
            continue;   /* a fresh target reads zeroes already */
        }
        r = bdrv_pwrite_compressed(cv->dst, j->offset + pos, buf, n);
        if (r < 0) {
            set_error(cv, r, j->offset + pos, true);
        }
    }
    free(buf);
    pthread_mutex_lock(&cv->lock);
    cv->done += j->bytes;
    pthread_mutex_unlock(&cv->lock);
    return r;
}

static int run_job(void *opaque)
{
    Job *j = opaque;
    Convert *cv = j->cv;
    if (cv->compress_unit) {
        return run_compressed_job(j);
    }
    BlockDriverState *src = cv->src[j->src];
    uint8_t *buf = NULL, *old = NULL;
    uint64_t pos = 0;
    int r = 0;

    while (pos < j->bytes && !cv->error) {
        uint64_t run;
        r = chain_is_zero(src, j->src_off + pos, j->bytes - pos, &run);
        if (r < 0) {
            set_error(cv, r, j->offset + pos, false);
            break;
        }
        if (r == 1 && cv->sparse && !cv->has_backing) {
            r = write_range(cv, j->offset + pos, NULL, run, true);
            if (r < 0) {
                set_error(cv, r, j->offset + pos, true);
                break;
            }
            pos += run;
            continue;
        }
        if (!buf) {
            buf = malloc(CHUNK);
        }
        r = bdrv_pread(src, j->src_off + pos, buf, run);
        if (r < 0) {
            set_error(cv, r, j->offset + pos, false);
            break;
        }
        if (cv->has_backing) {
            /* write only what differs from what the target shows now */
            if (!old) {
                old = malloc(CHUNK);
            }
            r = bdrv_pread(cv->dst, j->offset + pos, old, run);
            if (r < 0) {
                set_error(cv, r, j->offset + pos, false);
                break;
            }
        }
        /* sparse detection in -S units (whole run as one unit with -S 0) */
        uint64_t unit = cv->sparse ? cv->sparse : run;
        for (uint64_t o = 0; o < run && r == 0;) {
            uint64_t n = unit - ((j->offset + pos + o) % unit);
            if (n > run - o) {
                n = run - o;
            }
            /* merge units of the same kind into one request */
            bool zero = cv->sparse && all_zero(buf + o, n);
            bool same = cv->has_backing && !memcmp(buf + o, old + o, n);
            uint64_t m = n;
            while (o + m < run) {
                uint64_t k = unit < run - o - m ? unit : run - o - m;
                bool z2 = cv->sparse && all_zero(buf + o + m, k);
                bool s2 = cv->has_backing && !memcmp(buf + o + m, old + o + m, k);
                if (z2 != zero || s2 != same) {
                    break;
                }
                m += k;
            }
            if (!same) {
                r = zero ? write_range(cv, j->offset + pos + o, NULL, m, !cv->has_backing || true)
                         : write_range(cv, j->offset + pos + o, buf + o, m, false);
                if (r < 0) {
                    set_error(cv, r, j->offset + pos + o, true);
                }
            }
            o += m;
        }
        if (r < 0) {
            break;
        }
        pos += run;
    }
    free(buf);
    free(old);
    pthread_mutex_lock(&cv->lock);
    cv->done += j->bytes;
    pthread_mutex_unlock(&cv->lock);
    return r;
}

static void job_done(void *opaque, int ret)
{
    free(opaque);
}

static void show_progress(Convert *cv, bool final)
{
    static double shown = -1;
    pthread_mutex_lock(&cv->lock);
    double pct = cv->total ? cv->done * 100.0 / cv->total : 100.0;
    pthread_mutex_unlock(&cv->lock);
    if (!final && shown >= 0 && pct - shown < 1.0) {
        return;     /* redraw only on a visible change */
    }
    shown = pct;
    printf("    (%0.2f/100%%)%s", final ? 100.0 : pct, final ? "\n" : "\r");
    fflush(stdout);
}

int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *backing = NULL, *backing_fmt = NULL;
    bool progress = false, quiet = false, no_create = false, compress = false;
    uint64_t sparse = 4096, nreq = 8;
    BlockOpts *opts = block_opts_new();
    char *err = NULL;
    int c, ret = 1;
    ImgSnapshotParam snapshot = { NULL, NULL, NULL };
    bool has_snapshot = false;
    Convert cv;
    memset(&cv, 0, sizeof(cv));
    pthread_mutex_init(&cv.lock, NULL);
    pthread_mutex_init(&cv.write_lock, NULL);

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:B:F:o:S:m:t:T:l:r:cpqnWUC", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': convert_help(); ret = 0; goto out;
        case 'f': fmt = optarg; break;
        case 'O': out_fmt = optarg; break;
        case 'B': backing = optarg; break;
        case 'F': backing_fmt = optarg; break;
        case 'c': compress = true; break;
        case 'p': progress = true; break;
        case 'q': quiet = true; break;
        case 'n': no_create = true; break;
        case 'W': case 'U': case 'C': case 't': case 'T': break;
        case 'l':
            if (img_parse_snapshot_param(optarg, &snapshot) < 0) {
                goto out;
            }
            has_snapshot = true;
            break;
        case 'r': break;
        case 'o':
            if (block_opts_parse(opts, optarg, &err) < 0) {
                img_error("Invalid option list: %s", optarg);
                goto out;
            }
            break;
        case 'S': {
            int r = parse_size(optarg, 1, &sparse);
            if (r < 0 || sparse > (1u << 30) || (sparse % 512)) {
                img_error("Invalid buffer size for sparse output specified. Valid sizes are "
                          "multiples of 512 up to 1073741824. Select 0 to disable sparse detection "
                          "(fully allocates output).");
                goto out;
            }
            break;
        }
        case 'm': {
            char *end;
            nreq = strtoull(optarg, &end, 10);
            if (*end || nreq < 1 || nreq > 16) {
                img_error("Invalid number of coroutines. Allowed number of coroutines is "
                          "between 1 and 16");
                goto out;
            }
            break;
        }
        case ':': ret = img_usage("option requires an argument -- '%c'", optopt); goto out;
        default: ret = img_usage("unrecognized option '%s'", argv[optind - 1]); goto out;
        }
    }
    if (argc - optind < 2) {
        ret = img_usage("Expecting image file name");
        goto out;
    }
    const char *out_name = argv[argc - 1];
    const BlockDriver *drv = bdrv_find_format(out_fmt);
    if (!drv) {
        img_error("Unknown file format '%s'", out_fmt);
        goto out;
    }
    if (block_opts_get(opts, "help")) {
        img_print_opts_help(drv);
        ret = 0;
        goto out;
    }
    if (compress && (no_create || backing)) {
        img_error("-c (compressed output) is not supported with -n or -B yet");
        goto out;
    }
    if (backing) {
        block_opts_set(opts, "backing_file", backing);
        if (backing_fmt) {
            block_opts_set(opts, "backing_fmt", backing_fmt);
        }
    }
    if (no_create && opts->n) {
        img_error("-o has no effect when skipping image creation");
        goto out;
    }
    cv.nsrc = argc - 1 - optind;
    if (cv.nsrc > 1 && has_snapshot) {
        img_error("No support for concatenating multiple snapshot");
        goto out;
    }
    cv.src = calloc(cv.nsrc, sizeof(*cv.src));
    cv.src_len = calloc(cv.nsrc, sizeof(*cv.src_len));
    for (int i = 0; i < cv.nsrc; i++) {
        cv.src[i] = has_snapshot ? img_open_snapshot(argv[optind + i], fmt, &snapshot)
                                 : img_open(argv[optind + i], fmt, 0);
        if (!cv.src[i]) {
            goto out;
        }
        cv.src_len[i] = (uint64_t)bdrv_getlength(cv.src[i]);
        cv.total += cv.src_len[i];
    }
    if (!no_create) {
        if (block_opts_validate(opts, drv->create_opts, &err) < 0) {
            img_error("%s", err);
            goto out;
        }
        if (bdrv_create(drv, out_name, cv.total, opts, &err) < 0) {
            img_error("%s: error while converting %s: %s", out_name, out_fmt, err ? err : "failed");
            goto out;
        }
    }
    cv.dst = img_open(out_name, out_fmt, BDRV_O_RDWR);
    if (!cv.dst) {
        goto out;
    }
    if (no_create && (uint64_t)bdrv_getlength(cv.dst) < cv.total) {
        img_error("Target image is smaller than the source");
        goto out;
    }
    if (compress) {
        cv.compress_unit = bdrv_compress_unit(cv.dst);
        if (!cv.compress_unit || CHUNK % cv.compress_unit) {
            img_error("Compression not supported for this file format");
            goto out;
        }
    }
    cv.has_backing = cv.dst->backing != NULL;
    cv.target_zeroed = !no_create && !cv.has_backing;
    cv.sparse = sparse;
    cv.progress = progress && !quiet;

    /* chunks never cross a source boundary; the pool keeps nreq in flight,
     * on 4 workers for copies (I/O-bound) and one per request with -c
     * (compression is CPU-bound and runs outside the driver's lock) */
    uint64_t workers = cv.compress_unit ? nreq : nreq < 4 ? nreq : 4;
    ThreadPool *pool = thread_pool_new((int)workers, (int)nreq);
    uint64_t offset = 0;
    if (cv.progress) {
        show_progress(&cv, false);
    }
    for (int i = 0; i < cv.nsrc && !cv.error; i++) {
        for (uint64_t o = 0; o < cv.src_len[i] && !cv.error; o += CHUNK) {
            Job *j = malloc(sizeof(*j));
            *j = (Job){ &cv, offset + o, o, cv.src_len[i] - o < CHUNK ? cv.src_len[i] - o : CHUNK, i };
            thread_pool_submit(pool, run_job, j, job_done, j);
            if (cv.progress) {
                show_progress(&cv, false);
            }
        }
        offset += cv.src_len[i];
    }
    thread_pool_free(pool);
    if (!cv.error) {
        int r = bdrv_flush(cv.dst);
        if (r < 0) {
            cv.error = r;
            cv.err_write = true;
        }
    }
    if (cv.progress && !cv.error) {
        show_progress(&cv, true);
    }
    if (cv.error) {
        img_error("error while %s at byte %" PRIu64 ": %s",
                  cv.err_write ? "writing" : "reading", cv.err_offset, strerror(-cv.error));
        goto out;
    }
    ret = 0;
out:
    if (cv.dst) {
        bdrv_close(cv.dst);
    }
    for (int i = 0; cv.src && i < cv.nsrc; i++) {
        bdrv_close(cv.src[i]);
    }
    free(cv.src);
    free(cv.src_len);
    free(err);
    img_snapshot_param_free(&snapshot);
    block_opts_free(opts);
    pthread_mutex_destroy(&cv.lock);
    pthread_mutex_destroy(&cv.write_lock);
    return ret;
}
