/*
 * img-bench.c — `vemu-img bench`: COUNT requests of SIZE bytes through the
 * block layer, DEPTH of them in flight, at OFFSET, OFFSET+STEP, ... (the
 * offset wraps around at the end of the disk, so a large step scatters the
 * requests over the whole image), timed; qemu-img bench's options and
 * output, so that make bench runs both the same way (bench/block/).
 *
 * DEPTH requests are in flight as DEPTH workers of the block thread pool
 * (at most BENCH_MAX_WORKERS), each taking the next request number from a
 * shared counter: no queue hand-off per request.
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "block/thread-pool.h"

#define BENCH_MAX_WORKERS 8

typedef struct Bench {
    BlockDriverState *bs;
    uint64_t count, size, step, start, disk;
    bool write;
    int pattern;
    atomic_uint_fast64_t next;     /* the next request number */
    atomic_int error;              /* first error (negative errno) */
} Bench;

static int bench_worker(void *opaque)
{
    Bench *b = opaque;
    uint8_t *buf = malloc(b->size);
    memset(buf, b->pattern, b->size);
    for (;;) {
        uint64_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->count || atomic_load(&b->error)) {
            break;
        }
        /* offset of request i: start + i * step, wrapped at the disk's end */
        unsigned __int128 o = (unsigned __int128)i * b->step + b->start;
        uint64_t off = (uint64_t)(o % b->disk);
        if (off + b->size > b->disk) {
            off = b->disk - b->size;
        }
        int r = b->write ? bdrv_pwrite(b->bs, off, buf, b->size) : bdrv_pread(b->bs, off, buf, b->size);
        if (r < 0) {
            int zero = 0;
            atomic_compare_exchange_strong(&b->error, &zero, r);
            break;
        }
    }
    free(buf);
    return 0;
}

static void bench_help(void)
{
    printf("usage: vemu-img bench [-c count] [-d depth] [-f fmt] [-o offset] [--pattern=pattern]\n"
           "                      [-q] [-s buffer_size] [-S step_size] [-t cache] [-w] [-U] filename\n\n"
           "Runs count (default 75000) read requests (-w: write requests of the byte\n"
           "--pattern, default 0) of buffer_size bytes (default 4k), depth (default 64) of\n"
           "them in parallel, at offset, offset+step_size, ... (default step: the buffer\n"
           "size), wrapping around at the end of the disk, and prints how long they took.\n");
}

static int parse_num(const char *what, const char *arg, uint64_t *out, bool size, uint64_t min)
{
    char *end;
    errno = 0;
    if (size) {
        if (parse_size(arg, 1, out) < 0) {
            img_error("Invalid %s specified", what);
            return -1;
        }
        return 0;
    }
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || !*arg || *end || v < min || v > INT32_MAX) {
        img_error("Invalid %s specified", what);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_bench(int argc, char **argv)
{
    enum { OPT_PATTERN = 256 };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "pattern", required_argument, NULL, OPT_PATTERN },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    uint64_t count = 75000, depth = 64, size = 4096, step = 0, start = 0, pat = 0;
    bool quiet = false, write = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hc:d:f:o:qs:S:t:wU", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': bench_help(); return 0;
        case 'c': if (parse_num("request count", optarg, &count, false, 0) < 0) return 1; break;
        case 'd': if (parse_num("queue depth", optarg, &depth, false, 1) < 0) return 1; break;
        case 'f': fmt = optarg; break;
        case 'o': if (parse_num("offset", optarg, &start, true, 0) < 0) return 1; break;
        case 'q': quiet = true; break;
        case 's':
            if (parse_num("buffer size", optarg, &size, true, 0) < 0) return 1;
            if (size == 0 || size > (1u << 30)) {
                img_error("Invalid buffer size specified");
                return 1;
            }
            break;
        case 'S': if (parse_num("step size", optarg, &step, true, 0) < 0) return 1; break;
        case 't':
            if (strcmp(optarg, "writeback")) {
                img_error("Cache mode '%s' is not supported by vemu-img bench (only writeback)", optarg);
                return 1;
            }
            break;
        case 'w': write = true; break;
        case 'U': break;
        case OPT_PATTERN: {
            char *end;
            unsigned long v = strtoul(optarg, &end, 0);
            if (!*optarg || *end || v > 0xff) {
                img_error("Invalid pattern byte specified");
                return 1;
            }
            pat = v;
            break;
        }
        default:
            return img_usage("Invalid option");
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    if (!step) {
        step = size;
    }
    BlockDriverState *bs = img_open(argv[optind], fmt, write ? BDRV_O_RDWR : 0);
    if (!bs) {
        return 1;
    }
    int64_t disk = bdrv_getlength(bs);
    if (disk < 0 || (uint64_t)disk < size) {
        img_error("Image is smaller than the buffer size");
        bdrv_close(bs);
        return 1;
    }
    if (!quiet) {
        printf("Sending %" PRIu64 " %s requests, %" PRIu64 " bytes each, %" PRIu64
               " in parallel (starting at offset %" PRIu64 ", step size %" PRIu64 ")\n",
               count, write ? "write" : "read", size, depth, start, step);
    }
    Bench b = { .bs = bs, .count = count, .size = size, .step = step, .start = start,
                .disk = (uint64_t)disk, .write = write, .pattern = (int)pat };
    atomic_init(&b.next, 0);
    atomic_init(&b.error, 0);
    int workers = depth < BENCH_MAX_WORKERS ? (int)depth : BENCH_MAX_WORKERS;
    if ((uint64_t)workers > count) {
        workers = count ? (int)count : 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ThreadPool *pool = thread_pool_new(workers, 0);
    for (int i = 0; i < workers; i++) {
        thread_pool_submit(pool, bench_worker, &b, NULL, NULL);
    }
    thread_pool_free(pool);
    int ret = atomic_load(&b.error);
    if (ret == 0 && write) {
        ret = bdrv_flush(bs);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    bdrv_close(bs);
    if (ret < 0) {
        img_error("Failed request: %s", strerror(-ret));
        return 1;
    }
    if (!quiet) {
        printf("Run completed in %3.3f seconds.\n",
               (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    return 0;
}
