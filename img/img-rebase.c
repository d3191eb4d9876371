/*
 * img-rebase.c — `vemu-img rebase [-f fmt] [-u] [-q] [-p] -b backing [-F fmt] filename`:
 * another backing file for an image.  Safe mode (the default) keeps what
 * the image reads as: every range the image does not allocate itself is
 * read through the old chain and through the new backing file, and where
 * they differ the old contents are written into the image; only then is
 * the new name recorded.  -u (unsafe) only records the name.  -b "" removes
 * the backing file (the image then holds all its data).
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define REBASE_CHUNK (64 * 1024)

static void rebase_help(void)
{
    printf("usage: vemu-img rebase [-f fmt] [-p] [-q] [-u] [-U] -b backing_file [-F backing_fmt] filename\n\n"
           "Changes the backing file of an image.  Without -u the data the image reads\n"
           "as is kept: clusters where the old and the new backing file differ are\n"
           "copied into the image first.  -b \"\" removes the backing file.\n");
}

/* Reads [off, off+n) of bs, zeroes past its end (a shorter backing file). */
static int read_or_zero(BlockDriverState *bs, uint64_t off, uint8_t *buf, uint64_t n)
{
    memset(buf, 0, n);
    if (!bs) {
        return 0;
    }
    int64_t len = bdrv_getlength(bs);
    if (len < 0) {
        return (int)len;
    }
    if (off >= (uint64_t)len) {
        return 0;
    }
    return bdrv_pread(bs, off, buf, off + n > (uint64_t)len ? (uint64_t)len - off : n);
}

static int copy_differences(BlockDriverState *bs, BlockDriverState *new_backing)
{
    int64_t size = bdrv_getlength(bs);
    if (size < 0) {
        return (int)size;
    }
    uint8_t *old = malloc(REBASE_CHUNK), *nw = malloc(REBASE_CHUNK);
    int ret = 0;
    for (uint64_t off = 0; off < (uint64_t)size && ret == 0;) {
        BlockStatus st;
        uint64_t want = (uint64_t)size - off;
        if ((ret = bdrv_block_status(bs, off, want, &st)) < 0) {
            break;
        }
        if (!(st.flags & BDRV_BLOCK_ALLOCATED)) {
            for (uint64_t p = off; p < off + st.bytes && ret == 0;) {
                /* chunks aligned to REBASE_CHUNK, so copies are whole clusters where possible */
                uint64_t n = REBASE_CHUNK - (p % REBASE_CHUNK);
                if (n > off + st.bytes - p) {
                    n = off + st.bytes - p;
                }
                if ((ret = bdrv_pread(bs, p, old, n)) == 0 &&
                    (ret = read_or_zero(new_backing, p, nw, n)) == 0 && memcmp(old, nw, n)) {
                    ret = bdrv_pwrite(bs, p, old, n);
                }
                p += n;
            }
        }
        off += st.bytes;
    }
    free(old);
    free(nw);
    return ret;
}

int cmd_rebase(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *backing = NULL, *backing_fmt = NULL;
    bool unsafe = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:F:b:upqt:T:U", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': rebase_help(); return 0;
        case 'f': fmt = optarg; break;
        case 'F': backing_fmt = optarg; break;
        case 'b': backing = optarg; break;
        case 'u': unsafe = true; break;
        case 'p': case 'q': case 't': case 'T': case 'U': break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    if (!backing && !unsafe) {
        return img_usage("Must specify backing file (-b) or use unsafe mode (-u)");
    }
    if (!backing) {
        backing = "";
    }
    const char *filename = argv[optind];
    BlockDriverState *bs = img_open(filename, fmt, BDRV_O_RDWR | (unsafe ? BDRV_O_NO_BACKING : 0));
    if (!bs) {
        return 1;
    }
    int ret = 1;
    BlockDriverState *nb = NULL;
    if (backing[0] && !backing_fmt) {
        img_error("Could not change the backing file to '%s': backing format must be specified",
                  backing);
        goto out;
    }
    if (!bs->drv->change_backing_file) {
        img_error("Could not change the backing file to '%s': Operation not supported", backing);
        goto out;
    }
    if (!unsafe) {
        if (backing[0]) {
            char path[4096], *err = NULL;
            bdrv_resolve_backing_name(filename, backing, path, sizeof(path));
            nb = bdrv_open(path, backing_fmt, 0, &err);
            if (!nb) {
                img_error("Could not open new backing file '%s': %s", path, err ? err : "unknown error");
                free(err);
                goto out;
            }
        }
        int r = copy_differences(bs, nb);
        if (r == 0) {
            r = bdrv_flush(bs);
        }
        if (r < 0) {
            img_error("Error while rebasing '%s': %s", filename, strerror(-r));
            goto out;
        }
    }
    int r = bs->drv->change_backing_file(bs, backing, backing_fmt ? backing_fmt : "");
    if (r < 0) {
        img_error("Could not change the backing file to '%s': %s", backing, strerror(-r));
        goto out;
    }
    ret = 0;
out:
    if (nb) {
        bdrv_close(nb);
    }
    bdrv_close(bs);
    return ret;
}
