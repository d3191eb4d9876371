/*
 * img-amend.c — `vemu-img amend [-f fmt] [-q] -o options filename`: changes
 * format options of an existing image (qcow2: compat, lazy_refcounts).
 */
#include "img/img.h"
#include "block/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void amend_help(void)
{
    printf("usage: vemu-img amend [-f fmt] [-q] [-U] -o options filename\n\n"
           "Changes options of an existing image.  qcow2: compat=0.10|1.1,\n"
           "lazy_refcounts=on|off, refcount_bits=N and size=SIZE.\n");
}

int cmd_amend(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force", no_argument, NULL, 'F' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    BlockOpts *opts = block_opts_new();
    bool have_opts = false;
    int c, ret = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:f:pqt:U", longopts, NULL)) != -1) {
        char *err = NULL;
        switch (c) {
        case 'h': amend_help(); block_opts_free(opts); return 0;
        case 'o':
            if (block_opts_parse(opts, optarg, &err) < 0) {
                img_error("%s", err ? err : "Invalid option list");
                free(err);
                goto out_opts;
            }
            have_opts = true;
            break;
        case 'f': fmt = optarg; break;
        case 'p': case 'q': case 't': case 'U': case 'F': break;
        case ':': block_opts_free(opts); return img_usage("option requires an argument -- '%c'", optopt);
        default: block_opts_free(opts); return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (!have_opts) {
        block_opts_free(opts);
        return img_usage("Must specify options (-o)");
    }
    if (optind != argc - 1) {
        block_opts_free(opts);
        return img_usage("Expecting one image file name");
    }
    BlockDriverState *bs = img_open(argv[optind], fmt, BDRV_O_RDWR);
    if (!bs) {
        goto out_opts;
    }
    if (!bs->drv->amend) {
        img_error("Format driver '%s' does not support option amendment", bs->drv->format_name);
    } else {
        char *err = NULL;
        if (bs->drv->amend(bs, opts, &err) < 0) {
            img_error("%s", err ? err : "Error while amending options");
        } else {
            ret = 0;
        }
        free(err);
    }
    bdrv_close(bs);
out_opts:
    block_opts_free(opts);
    return ret;
}
