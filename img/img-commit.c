/*
 * img-commit.c — `vemu-img commit [-f fmt] [-q] [-d] [-b base] filename`:
 * writes what an overlay allocates (data and zeroes) into its backing file,
 * then, unless -d, empties the overlay so that it reads through to the
 * updated backing file again.  The backing file grows if it is smaller.
 * With -b the base may be any image of the backing chain: what the image
 * and every layer above the base allocate goes into the base, and -d is
 * implied (as in qemu-img: the layers in between are left as they are).
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define COMMIT_CHUNK (1024 * 1024)

static void commit_help(void)
{
    printf("usage: vemu-img commit [-f fmt] [-q] [-d] [-b base] [-p] filename\n\n"
           "Writes the changes an overlay holds into its backing file and then empties\n"
           "the overlay (-d keeps it as it is).  -b BASE commits into any image of the\n"
           "backing chain: the changes of every layer above it go there; -b implies -d.\n");
}

/* Status of [off, off+bytes) in the layers from top down to, not
 * including, stop: the first layer's status that allocates it, or 0. */
static int status_above(BlockDriverState *top, BlockDriverState *stop, uint64_t off,
                        uint64_t bytes, BlockStatus *out)
{
    for (BlockDriverState *p = top; p && p != stop; p = p->backing) {
        int64_t len = bdrv_getlength(p);
        if (len < 0) {
            return (int)len;
        }
        if (off >= (uint64_t)len) {     /* past a shorter layer: it shows zeroes */
            out->flags = BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_ZERO;
            out->bytes = bytes;
            return 0;
        }
        BlockStatus st;
        int r = bdrv_block_status(p, off, bytes < (uint64_t)len - off ? bytes : (uint64_t)len - off, &st);
        if (r < 0) {
            return r;
        }
        bytes = st.bytes;
        if (st.flags & BDRV_BLOCK_ALLOCATED) {
            *out = st;
            return 0;
        }
    }
    out->flags = 0;
    out->bytes = bytes;
    return 0;
}

/* Copies what the layers from top down to base (excluded; base_in_chain is
 * that layer of top's chain) allocate into base, opened for writing. */
static int copy_allocated(BlockDriverState *top, BlockDriverState *base_in_chain,
                          BlockDriverState *base)
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
        BlockStatus st = { 0, 0, 0, NULL };
        if ((ret = status_above(top, base_in_chain, off, (uint64_t)size - off, &st)) < 0) {
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

/* Whether layer's backing file is the one -b names: the name as recorded,
 * or the same file once resolved against the layer's directory. */
static bool is_backing_named(BlockDriverState *layer, const char *name)
{
    if (!strcmp(layer->backing_file, name)) {
        return true;
    }
    char path[4096], a[PATH_MAX], b[PATH_MAX];
    bdrv_resolve_backing_name(layer->filename, name, path, sizeof(path));
    return realpath(path, a) && realpath(layer->full_backing_filename, b) && !strcmp(a, b);
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
        case 'b': base_name = optarg; drop = true; break;   /* -b implies -d */
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
    if (!bs->backing && !base_name) {
        img_error("Image does not have a backing file");
        goto out;
    }
    /* the layer whose backing file is the base */
    BlockDriverState *above = bs;
    if (base_name) {
        for (above = bs; above && above->backing; above = above->backing) {
            if (is_backing_named(above, base_name)) {
                break;
            }
        }
        if (!above || !above->backing) {
            img_error("Did not find '%s' in the backing chain of '%s'", base_name, filename);
            goto out;
        }
    }
    if (!drop && !bs->drv->make_empty) {
        img_error("Could not empty %s: Operation not supported", filename);
        goto out;
    }
    char *err = NULL;
    base = bdrv_open(above->full_backing_filename, above->backing->drv->format_name, BDRV_O_RDWR, &err);
    if (!base) {
        img_error("Could not open '%s' for writing: %s", above->full_backing_filename,
                  err ? err : "unknown error");
        free(err);
        goto out;
    }
    int r = copy_allocated(bs, above->backing, base);
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
