/*
 * img-commit.c — `vemu-img commit [-f fmt] [-q] [-d] [-b base] filename`:
 * writes what an overlay allocates (data and zeroes) into its backing file,
 * then, unless -d, empties the overlay so that it reads through to the
 * updated backing file again.  The backing file grows if it is smaller.
 * Only the image's own backing file can be the base.
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define COMMIT_CHUNK (1024 * 1024)

static void commit_help(void)
{
    printf("usage: vemu-img commit [-f fmt] [-q] [-d] [-b base] [-p] filename\n\n"
           "Writes the changes an overlay holds into its backing file and then empties\n"
           "the overlay (-d keeps it as it is).\n");
}

static int copy_allocated(BlockDriverState *top, BlockDriverState *base)
{
    int64_t size = bdrv_getlength(top), bsize = bdrv_getlength(base);
    if (size < 0 || bsize < 0) {
        return size < 0 ? (int)size : (int)bsize;
    }
    int ret = 0;
    if (bsize < size && (ret = bdrv_truncate(base, (uint64_t)size)) < 0) {
        return ret;
    }
    uint8_t *buf = malloc(COMMIT_CHUNK);
    for (uint64_t off = 0; off < (uint64_t)size && ret == 0;) {
        BlockStatus st;
        if ((ret = bdrv_block_status(top, off, (uint64_t)size - off, &st)) < 0) {
            break;
        }
        if ((st.flags & BDRV_BLOCK_ALLOCATED) && (st.flags & BDRV_BLOCK_ZERO)) {
            ret = bdrv_pwrite_zeroes(base, off, st.bytes, 0);
        } else if (st.flags & BDRV_BLOCK_ALLOCATED) {
            for (uint64_t p = off; p < off + st.bytes && ret == 0;) {
                uint64_t n = off + st.bytes - p < COMMIT_CHUNK ? off + st.bytes - p : COMMIT_CHUNK;
                if ((ret = bdrv_pread(top, p, buf, n)) == 0) {
                    ret = bdrv_pwrite(base, p, buf, n);
                }
                p += n;
            }
        }
        off += st.bytes;
    }
    free(buf);
    return ret < 0 ? ret : bdrv_flush(base);
}

int cmd_commit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *base_name = NULL;
    bool drop = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:b:dqpt:r:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': commit_help(); return 0;
        case 'f': fmt = optarg; break;
        case 'b': base_name = optarg; break;
        case 'd': drop = true; break;
        case 'q': quiet = true; break;
        case 'p': case 't': case 'r': break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    const char *filename = argv[optind];
    BlockDriverState *bs = img_open(filename, fmt, drop ? 0 : BDRV_O_RDWR);
    if (!bs) {
        return 1;
    }
    int ret = 1;
    BlockDriverState *base = NULL;
    if (!bs->backing) {
        img_error("Image does not have a backing file");
        goto out;
    }
    if (base_name) {
        char path[4096];
        bdrv_resolve_backing_name(filename, base_name, path, sizeof(path));
        if (strcmp(base_name, bs->backing_file) && strcmp(path, bs->full_backing_filename) &&
            strcmp(base_name, bs->full_backing_filename)) {
            img_error("Did not find '%s' in the backing chain of '%s' (only the image's own "
                      "backing file can be the base)", base_name, filename);
            goto out;
        }
    }
    if (!drop && !bs->drv->make_empty) {
        img_error("Could not empty %s: Operation not supported", filename);
        goto out;
    }
    char *err = NULL;
    base = bdrv_open(bs->full_backing_filename, bs->backing->drv->format_name, BDRV_O_RDWR, &err);
    if (!base) {
        img_error("Could not open '%s' for writing: %s", bs->full_backing_filename,
                  err ? err : "unknown error");
        free(err);
        goto out;
    }
    int r = copy_allocated(bs, base);
    bdrv_close(base);
    base = NULL;
    if (r == 0 && !drop) {
        r = bs->drv->make_empty(bs);
    }
    if (r < 0) {
        img_error("%s", strerror(-r));
        goto out;
    }
    if (!quiet) {
        printf("Image committed.\n");
    }
    ret = 0;
out:
    bdrv_close(bs);
    return ret;
}
