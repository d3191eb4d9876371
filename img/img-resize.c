/*
 * img-resize.c — `vemu-img resize [-f fmt] [-q] [--shrink] filename [+|-]size`:
 * a new virtual size, absolute or relative.  Shrinking needs --shrink (the
 * data past the new end is lost), as in qemu-img; --preallocation allocates
 * the grown part.  The size is the last argument and is taken out before
 * option parsing, so "-1G" is a size.
 */
#include "img/img.h"
#include "block/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void resize_help(void)
{
    printf("usage: vemu-img resize [-f fmt] [--preallocation=prealloc] [-q] [--shrink] filename\n"
           "                       [+ | -]size\n\n"
           "Changes the virtual size of an image to size, or by size with + or -.\n"
           "Shrinking needs --shrink: the data past the new end is discarded.  When\n"
           "growing, --preallocation=metadata (qcow2) maps the new part, falloc also\n"
           "reserves its space, full also writes it with zeroes (off: none).\n");
}

int cmd_resize(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "shrink", no_argument, NULL, 'S' },
        { "preallocation", required_argument, NULL, 'P' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            resize_help();
            return 0;
        }
    }
    if (argc < 3) {
        return img_usage("Not enough arguments");
    }
    const char *size_str = argv[--argc];
    const char *fmt = NULL, *prealloc = "off";
    bool quiet = false, shrink = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:qU", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': resize_help(); return 0;
        case 'f': fmt = optarg; break;
        case 'q': quiet = true; break;
        case 'S': shrink = true; break;
        case 'P':
            prealloc = optarg;
            if (strcmp(prealloc, "off") && strcmp(prealloc, "metadata") &&
                strcmp(prealloc, "falloc") && strcmp(prealloc, "full")) {
                img_error("Invalid preallocation mode '%s'", prealloc);
                return 1;
            }
            break;
        case 'U': break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting image file name and size");
    }
    const char *filename = argv[optind];
    int rel = 0;
    if (size_str[0] == '+' || size_str[0] == '-') {
        rel = size_str[0] == '+' ? 1 : -1;
        size_str++;
    }
    uint64_t n;
    if (parse_size(size_str, 1, &n) < 0) {
        img_error("Parameter 'size' expects a non-negative number below 2^64\n"
                  "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                  "and exabytes, respectively.");
        return 1;
    }
    BlockDriverState *bs = img_open(filename, fmt, BDRV_O_RDWR);
    if (!bs) {
        return 1;
    }
    int ret = 1;
    int64_t cur = bdrv_getlength(bs);
    uint64_t size = n;
    if (cur < 0) {
        img_error("Could not get the size of '%s': %s", filename, strerror((int)-cur));
        goto out;
    }
    if (rel > 0) {
        size = (uint64_t)cur + n;
    } else if (rel < 0) {
        if (n >= (uint64_t)cur) {
            img_error("New image size must be positive");
            goto out;
        }
        size = (uint64_t)cur - n;
    }
    if (size == 0) {
        img_error("New image size must be positive");
        goto out;
    }
    if (size <= (uint64_t)cur && strcmp(prealloc, "off")) {
        img_error("Preallocation can only be used for growing images");
        goto out;
    }
    if (size < (uint64_t)cur && !shrink) {
        img_error("Use the --shrink option to perform a shrink operation.");
        img_error("warning: Shrinking an image will delete all data beyond the shrunken image's end. "
                  "Before performing such an operation, make sure there is no important data there.");
        goto out;
    }
    /* a mode the format does not have changes nothing (0 bytes: only asks) */
    if (strcmp(prealloc, "off") && bs->drv->truncate && bdrv_preallocate(bs, (uint64_t)cur, 0, prealloc) == -ENOTSUP) {
        img_error("Unsupported preallocation mode: %s", prealloc);
        goto out;
    }
    int r = size == (uint64_t)cur ? 0 : bdrv_truncate(bs, size);
    if (r == 0 && strcmp(prealloc, "off")) {
        /* the grown part, mapped and reserved or written as the mode says */
        r = bdrv_preallocate(bs, (uint64_t)cur, size - (uint64_t)cur, prealloc);
        if (r == -ENOTSUP) {
            img_error("Unsupported preallocation mode: %s", prealloc);
            goto out;
        }
    }
    if (r == 0) {
        r = bdrv_flush(bs);
    }
    if (r < 0) {
        img_error("%s", r == -ENOTSUP ? "Image format driver does not support resize"
                                      : r == -EINVAL ? "The new size must be a multiple of 512"
                                                     : strerror(-r));
        goto out;
    }
    if (!quiet) {
        printf("Image resized.\n");
    }
    ret = 0;
out:
    bdrv_close(bs);
    return ret;
}
