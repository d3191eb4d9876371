/*
 * img-create.c — `vemu-img create`.
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void create_help(void)
{
    printf("usage: vemu-img create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u]\n"
           "                       [-o options] filename [size]\n\n"
           "Creates a disk image of SIZE bytes (suffixes k, M, G, T, P, E) in format FMT\n"
           "(default raw).  With -b, the image is an overlay of BACKING_FILE (format\n"
           "BACKING_FMT, required) and takes its size unless SIZE is given; -u creates it\n"
           "without opening the backing file.  '-o help' lists the format's options\n"
           "(qcow2: compat, cluster_size, refcount_bits, compression_type, preallocation,\n"
           "lazy_refcounts, backing_file, backing_fmt).\n");
}

/* The "Formatting ..." line lists options in qemu-img's order; NULL
 * defaults are printed only when given. */
typedef struct ShownOpt {
    const char *key, *def;
} ShownOpt;

static const ShownOpt qcow2_shown[] = {
    { "cluster_size", "65536" }, { "extended_l2", "off" }, { "preallocation", NULL },
    { "compression_type", "zlib" }, { "size", NULL }, { "backing_file", NULL },
    { "backing_fmt", NULL }, { "compat", NULL }, { "lazy_refcounts", "off" },
    { "refcount_bits", "16" }, { NULL, NULL },
};
static const ShownOpt raw_shown[] = {
    { "size", NULL }, { "preallocation", NULL }, { NULL, NULL },
};

static const ShownOpt qcow_shown[] = {
    { "size", NULL }, { "backing_file", NULL }, { "backing_fmt", NULL }, { NULL, NULL },
};

static const ShownOpt vmdk_shown[] = {
    { "size", NULL }, { "adapter_type", NULL }, { "backing_file", NULL }, { "backing_fmt", NULL },
    { "compat6", "off" }, { "hwversion", "undefined" }, { "toolsversion", NULL },
    { "subformat", NULL }, { "zeroed_grain", NULL }, { NULL, NULL },
};
static const ShownOpt vdi_shown[] = {
    { "size", NULL }, { "static", "off" }, { "preallocation", NULL }, { NULL, NULL },
};
static const ShownOpt vpc_shown[] = {
    { "size", NULL }, { "subformat", NULL }, { "force_size", NULL }, { "preallocation", NULL },
    { NULL, NULL },
};

static void print_formatting(const char *filename, const BlockDriver *drv, BlockOpts *opts)
{
    const ShownOpt *shown = !strcmp(drv->format_name, "qcow2") ? qcow2_shown
                          : !strcmp(drv->format_name, "qcow") ? qcow_shown
                          : !strcmp(drv->format_name, "vmdk") ? vmdk_shown
                          : !strcmp(drv->format_name, "vdi") ? vdi_shown
                          : !strcmp(drv->format_name, "vpc") ? vpc_shown : raw_shown;
    printf("Formatting '%s', fmt=%s", filename, drv->format_name);
    for (; shown->key; shown++) {
        const char *v = block_opts_get(opts, shown->key);
        if (!v) {
            v = shown->def;
        }
        uint64_t size;
        const BlockOptDesc *d = drv->create_opts;
        while (d && d->name && strcmp(d->name, shown->key)) {
            d++;
        }
        /* sizes are shown in bytes ("cluster_size=4k" reads 4096) */
        if (v && d && d->name && d->type == BOPT_SIZE && parse_size(v, 1, &size) == 0) {
            printf(" %s=%" PRIu64, shown->key, size);
        } else if (v) {
            printf(" %s=%s", shown->key, v);
        }
    }
    printf("\n");
    fflush(stdout);
}

int cmd_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, 'O' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = "raw", *backing = NULL, *backing_fmt = NULL;
    bool quiet = false, unsafe = false;
    BlockOpts *opts = block_opts_new();
    char *err = NULL;
    int c, ret = 1;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:o:b:F:uqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'b': backing = optarg; break;
        case 'F': backing_fmt = optarg; break;
        case 'u': unsafe = true; break;
        case 'q': quiet = true; break;
        case 'h': create_help(); block_opts_free(opts); return 0;
        case 'o':
            if (block_opts_parse(opts, optarg, &err) < 0) {
                img_error("Invalid option list: %s", optarg);
                goto out;
            }
            break;
        case ':': ret = img_usage("option requires an argument -- '%c'", optopt); goto out;
        case '?': ret = img_usage("unrecognized option '%s'", argv[optind - 1]); goto out;
        default: ret = img_usage("unsupported option"); goto out;
        }
    }
    if (optind >= argc) {
        ret = img_usage("Expecting image file name");
        goto out;
    }
    const char *filename = argv[optind++];
    const BlockDriver *drv = bdrv_find_format(fmt);
    if (!drv) {
        img_error("%s: Unknown file format '%s'", filename, fmt);
        goto out;
    }
    if (block_opts_get(opts, "help")) {
        img_print_opts_help(drv);
        ret = 0;
        goto out;
    }
    if (backing) {
        block_opts_set(opts, "backing_file", backing);
    }
    if (backing_fmt) {
        block_opts_set(opts, "backing_fmt", backing_fmt);
    }
    backing = block_opts_get(opts, "backing_file");
    backing_fmt = block_opts_get(opts, "backing_fmt");

    uint64_t size = 0;
    bool have_size = false;
    if (optind < argc) {
        int r = parse_size(argv[optind], 1, &size);
        if (r == -ERANGE || (r == 0 && size > INT64_MAX)) {
            img_error("Image size must be less than 8 EiB!");
            goto out;
        }
        if (r < 0) {
            img_error("Invalid image size specified. You may use k, M, G, T, P or E suffixes for");
            img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
            goto out;
        }
        have_size = true;
        optind++;
    } else if (block_opts_get(opts, "size")) {
        if (block_opts_get_size(opts, "size", 0, &size, &err) < 0) {
            img_error("%s: %s", filename, err);
            goto out;
        }
        have_size = true;
    }
    if (optind < argc) {
        ret = img_usage("Unexpected argument: %s", argv[optind]);
        goto out;
    }
    if (block_opts_validate(opts, drv->create_opts, &err) < 0) {
        img_error("%s: %s", filename, err);
        goto out;
    }
    if (backing && !backing_fmt) {
        const BlockDriver *probed;
        char full[4096], *perr = NULL;
        bdrv_resolve_backing_name(filename, backing, full, sizeof(full));
        img_error("%s: Backing file specified without backing format", filename);
        if (bdrv_probe_file(full, &probed, &perr) == 0) {
            fprintf(stderr, "Detected format of %s.", probed->format_name);
        }
        free(perr);
        goto out;
    }
    if (backing && !unsafe) {
        char full[4096];
        bdrv_resolve_backing_name(filename, backing, full, sizeof(full));
        BlockDriverState *bbs = bdrv_open(full, backing_fmt, 0, &err);
        if (!bbs) {
            img_error("%s: %s", filename, err);
            fprintf(stderr, "Could not open backing image.\n");
            goto out;
        }
        if (!have_size) {
            size = (uint64_t)bdrv_getlength(bbs);
            have_size = true;
        }
        bdrv_close(bbs);
    }
    if (!have_size) {
        img_error("%s: Image creation needs a size parameter", filename);
        goto out;
    }
    char sizestr[32];
    snprintf(sizestr, sizeof(sizestr), "%" PRIu64, size);
    block_opts_set(opts, "size", sizestr);
    if (!quiet) {
        print_formatting(filename, drv, opts);
    }
    if (bdrv_create(drv, filename, size, opts, &err) < 0) {
        img_error("%s: %s", filename, err ? err : "image creation failed");
        goto out;
    }
    ret = 0;
out:
    free(err);
    block_opts_free(opts);
    return ret;
}
