/*
 * img-compare.c — `vemu-img compare`: whether two images have the same
 * contents (exit 0), differ (1), or could not be compared (2).  A size
 * difference is allowed when the larger image's extra part reads as zeroes,
 * unless -s (strict), which also requires the same block status (allocation)
 * everywhere.
 */
#include "img/img.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define CMP_CHUNK (1u << 20)

static void compare_help(void)
{
    printf("usage: vemu-img compare [-f fmt] [-F fmt] [-p] [-q] [-s] [-U] filename1 filename2\n\n"
           "Compares the contents of two images of any formats.  Exit status: 0 identical,\n"
           "1 different, 2 an error.  -s (strict) also fails when the sizes differ or a\n"
           "range is allocated differently (data, zeroes, unallocated).\n");
}

/* Offset of the first 512-byte sector that differs, or -1. */
static int64_t first_diff(const uint8_t *a, const uint8_t *b, uint64_t n, uint64_t base)
{
    for (uint64_t o = 0; o < n; o += 512) {
        uint64_t k = n - o < 512 ? n - o : 512;
        if (memcmp(a + o, b + o, k)) {
            return (int64_t)(base + o);
        }
    }
    return -1;
}

/* Reads [off, off+n) of both images in pieces; 1 and the first differing
 * sector in *diff when they differ, 0 when equal, negative on error. */
static int compare_range(BlockDriverState *a, BlockDriverState *b, uint64_t off, uint64_t n,
                         uint8_t *ba, uint8_t *bb, int64_t *diff)
{
    for (uint64_t p = off; p < off + n;) {
        uint64_t k = off + n - p < CMP_CHUNK ? off + n - p : CMP_CHUNK;
        int r = bdrv_pread(a, p, ba, k);
        if (r == 0) {
            r = bdrv_pread(b, p, bb, k);
        }
        if (r < 0) {
            *diff = (int64_t)p;
            return r;
        }
        if ((*diff = first_diff(ba, bb, k, p)) >= 0) {
            return 1;
        }
        p += k;
    }
    return 0;
}

/*
 * Strict mode (images of the same size): walks both images by block status
 * through their chains; every range must have the same status in both
 * (data, zero, allocated, where it ends — the flags qemu-img compares) and
 * the same contents.  Returns the exit status.
 */
static int compare_strict(BlockDriverState *a, BlockDriverState *b, uint64_t size,
                          uint8_t *ba, uint8_t *bb, bool quiet)
{
    for (uint64_t off = 0; off < size;) {
        unsigned fa, fb;
        uint64_t na, nb;
        BlockDriverState *failed = a;
        int r = img_status_above(a, off, size - off, &fa, &na);
        if (r == 0) {
            failed = b;
            r = img_status_above(b, off, size - off, &fb, &nb);
        }
        if (r < 0) {
            img_error("Sector allocation test failed for %s", failed->filename);
            return 2;
        }
        if (fa != fb) {
            if (!quiet) {
                printf("Strict mode: Offset %" PRIu64 " block status mismatch!\n", off);
            }
            return 1;
        }
        uint64_t n = na < nb ? na : nb;
        if (n == 0) {
            break;
        }
        int64_t d;
        r = compare_range(a, b, off, n, ba, bb, &d);
        if (r < 0) {
            img_error("Error while reading offset %" PRId64 ": %s", d, strerror(-r));
            return 2;
        }
        if (r > 0) {
            if (!quiet) {
                printf("Content mismatch at offset %" PRId64 "!\n", d);
            }
            return 1;
        }
        off += n;
    }
    if (!quiet) {
        printf("Images are identical.\n");
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt1 = NULL, *fmt2 = NULL;
    bool quiet = false, strict = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:F:T:pqsU", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': compare_help(); return 0;
        case 'f': fmt1 = optarg; break;
        case 'F': fmt2 = optarg; break;
        case 'q': quiet = true; break;
        case 's': strict = true; break;
        case 'p': case 'T': case 'U': break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2) {
        return img_usage("Expecting two image file names");
    }
    BlockDriverState *a = img_open(argv[optind], fmt1, 0), *b = NULL;
    if (!a) {
        return 2;
    }
    b = img_open(argv[optind + 1], fmt2, 0);
    if (!b) {
        bdrv_close(a);
        return 2;
    }
    uint64_t la = (uint64_t)bdrv_getlength(a), lb = (uint64_t)bdrv_getlength(b);
    uint8_t *ba = malloc(CMP_CHUNK), *bb = malloc(CMP_CHUNK);
    int ret = 0;
    if (la != lb) {
        if (strict) {
            if (!quiet) {
                printf("Strict mode: Image size mismatch!\n");
            }
            ret = 1;
            goto out;
        }
        if (!quiet) {
            printf("Warning: Image size mismatch!\n");
        }
    }
    if (strict) {
        ret = compare_strict(a, b, la, ba, bb, quiet);
        goto out;
    }
    uint64_t common = la < lb ? la : lb, big = la < lb ? lb : la;
    BlockDriverState *larger = la < lb ? b : a;
    for (uint64_t off = 0; off < big; off += CMP_CHUNK) {
        uint64_t n = big - off < CMP_CHUNK ? big - off : CMP_CHUNK;
        uint64_t in_common = off < common ? (common - off < n ? common - off : n) : 0;
        int r = 0;
        memset(ba, 0, n);
        memset(bb, 0, n);
        if (in_common) {
            r = bdrv_pread(a, off, ba, in_common);
            if (r == 0) {
                r = bdrv_pread(b, off, bb, in_common);
            }
        }
        /* past the smaller image: the larger one must read as zeroes */
        if (r == 0 && n > in_common) {
            r = bdrv_pread(larger, off + in_common, (larger == a ? ba : bb) + in_common, n - in_common);
        }
        if (r < 0) {
            img_error("Error while reading offset %" PRIu64 ": %s", off, strerror(-r));
            ret = 2;
            goto out;
        }
        int64_t d = first_diff(ba, bb, n, off);
        if (d >= 0) {
            if (!quiet) {
                printf("Content mismatch at offset %" PRId64 "!\n", d);
            }
            ret = 1;
            goto out;
        }
    }
    if (!quiet) {
        printf("Images are identical.\n");
    }
out:
    free(ba);
    free(bb);
    bdrv_close(a);
    bdrv_close(b);
    return ret;
}
