/*
 * img-dd.c — `vemu-img dd [-f fmt] [-O fmt] [bs=N] [count=N] [skip=N]
 * if=INPUT of=OUTPUT`: copies INPUT (from block `skip`, in blocks of `bs`
 * bytes, default 512) into a new image OUTPUT, like dd(1) with qemu-img's
 * rules: `count` counts blocks from the start of the input, skip included,
 * so the output holds count - skip blocks; a skip past the end gives an
 * empty output and a warning; every block is written, zeroes included.
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void dd_help(void)
{
    printf("usage: vemu-img dd [-U] [-f fmt] [-O output_fmt] [bs=block_size] [count=blocks]\n"
           "                   [skip=blocks] if=input of=output\n\n"
           "  'bs=BYTES' read and write up to BYTES bytes at a time (default: 512)\n"
           "  'count=N' copy only N input blocks\n"
           "  'if=FILE' read from FILE\n"
           "  'of=FILE' write to FILE\n"
           "  'skip=N' skip N bs-sized blocks at the start of input\n");
}

/* A number with an optional size suffix in [min, max]; qemu-img's messages. */
static int dd_number(const char *name, const char *value, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    long long sv = strtoll(value, &end, 10);
    int r = parse_size(value, 1, out);
    if ((end != value && sv < 0) || r == -EINVAL) {
        img_error("Invalid %s specified. You may use k, M, G, T, P or E suffixes for", name);
        img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        return -1;
    }
    if (r < 0 || *out < min || *out > max) {
        img_error("Invalid %s specified. Must be between %" PRIu64 " and %" PRIu64 ".", name, min, max);
        return -1;
    }
    return 0;
}

int cmd_dd(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *in_name = NULL, *out_name = NULL;
    uint64_t bs = 512, count = 0, skip = 0;
    bool has_count = false, has_skip = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:U", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': dd_help(); return 0;
        case 'f': fmt = optarg; break;
        case 'O': out_fmt = optarg; break;
        case 'U': break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '=');
        size_t klen = eq ? (size_t)(eq - arg) : 0;
        const char *val = eq ? eq + 1 : NULL;
#define IS(k) (eq && klen == strlen(k) && !strncmp(arg, k, klen))
        if (IS("if")) {
            in_name = val;
        } else if (IS("of")) {
            out_name = val;
        } else if (IS("bs")) {
            if (dd_number("bs", val, 1, INT_MAX, &bs) < 0) {
                return 1;
            }
        } else if (IS("count")) {
            if (dd_number("count", val, 0, INT64_MAX, &count) < 0) {
                return 1;
            }
            has_count = true;
        } else if (IS("skip")) {
            if (dd_number("skip", val, 0, INT64_MAX, &skip) < 0) {
                return 1;
            }
            has_skip = true;
        } else {
            img_error("unrecognized operand %.*s", eq ? (int)klen : (int)strlen(arg), arg);
            return 1;
        }
#undef IS
    }
    if (!in_name || !out_name) {
        img_error("Must specify both input and output files");
        return 1;
    }
    BlockDriverState *in = img_open(in_name, fmt, 0), *out = NULL;
    if (!in) {
        return 1;
    }
    int ret = 1;
    uint8_t *buf = NULL;
    char *err = NULL;
    const BlockDriver *drv = bdrv_find_format(out_fmt);
    if (!drv) {
        img_error("Unknown file format");
        goto out;
    }
    if (!drv->create) {
        img_error("Format driver '%s' does not support image creation", out_fmt);
        goto out;
    }
    int64_t len = bdrv_getlength(in);
    if (len < 0) {
        img_error("Failed to get size for '%s'", in_name);
        goto out;
    }
    uint64_t size = (uint64_t)len;
    if (has_count && count <= INT64_MAX / bs && count * bs < size) {
        size = count * bs;      /* counted from the input's start, skip included */
    }
    bool skip_past = has_skip && (skip > INT64_MAX / bs || size < skip * bs);
    BlockOpts *opts = block_opts_new();
    int r = bdrv_create(drv, out_name, skip_past ? 0 : size - skip * bs, opts, &err);
    block_opts_free(opts);
    if (r < 0) {
        img_error("%s: error while creating output image: %s", out_name, err ? err : strerror(-r));
        goto out;
    }
    out = img_open(out_name, out_fmt, BDRV_O_RDWR);
    if (!out) {
        goto out;
    }
    uint64_t in_pos = skip * bs;
    if (skip_past) {
        img_error("%s: cannot skip to specified offset", in_name);
        in_pos = size;
    }
    buf = malloc(bs);
    if (!buf) {
        img_error("%s", strerror(ENOMEM));
        goto out;
    }
    for (uint64_t out_pos = 0; in_pos < size;) {
        uint64_t n = size - in_pos < bs ? size - in_pos : bs;
        if ((r = bdrv_pread(in, in_pos, buf, n)) < 0) {
            img_error("error while reading from input image file: %s", strerror(-r));
            goto out;
        }
        if ((r = bdrv_pwrite(out, out_pos, buf, n)) < 0) {
            img_error("error while writing to output image file: %s", strerror(-r));
            goto out;
        }
        in_pos += n;
        out_pos += n;
    }
    if ((r = bdrv_flush(out)) < 0) {
        img_error("error while writing to output image file: %s", strerror(-r));
        goto out;
    }
    ret = 0;
out:
    free(buf);
    free(err);
    if (out) {
        bdrv_close(out);
    }
    bdrv_close(in);
    return ret;
}
