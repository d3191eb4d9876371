/*
 * img-resize.c — `vemu-img resize [-f fmt] [-q] [--shrink] filename [+|-]size`:
 * a new virtual size, absolute or relative.  Shrinking needs --shrink (the
 * data past the new end is lost), as in qemu-img.  The size is the last
 * argument and is taken out before option parsing, so "-1G" is a size.
 */
#include "img/img.h"
#include "block/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void resize_help(void)
{
    printf("usage: vemu-img resize [-f fmt] [-q] [--shrink] filename [+ | -]size\n\n"
           "Changes the virtual size of an image to size, or by size with + or -.\n"
           "Shrinking needs --shrink: the data past the new end is discarded.\n");
}

int cmd_resize(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "shrink", no_argument, NULL, 'S' },
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
    const char *fmt = NULL;
    bool quiet = false, shrink = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:qU", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': resize_help(); return 0;
        case 'f': fmt = optarg; break;
        case 'q': quiet = true; break;
        case 'S': shrink = true; break;
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
    if (size < (uint64_t)cur && !shrink) {
        img_error("Use the --shrink option to perform a shrink operation.");
        img_error("warning: Shrinking an image will delete all data beyond the shrunken image's end. "
                  "Before performing such an operation, make sure there is no important data there.");
        goto out;
    }
    int r = size == (uint64_t)cur ? 0 : bdrv_truncate(bs, size);
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
