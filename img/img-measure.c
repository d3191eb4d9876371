/*
 * img-measure.c — `vemu-img measure`: the file size an image of format -O
 * (with -o options) needs for a virtual disk of --size bytes or for the
 * contents of an existing image: "required" (what its allocated data and
 * the metadata of a fully allocated image take) and "fully allocated".
 * The numbers are qemu-img's: for qcow2 the fully allocated size is the
 * cluster-aligned disk plus a header cluster, every L2 table, the L1 table
 * (both padded to whole clusters) and the refcount table and blocks that
 * count all of it including themselves; "required" keeps that metadata
 * and counts only the clusters the source holds data in.
 */
#include "img/img.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void measure_help(void)
{
    printf("usage: vemu-img measure [--output=ofmt] [-O output_fmt] [-o options]\n"
           "                        [--size N | [-f fmt] [-l snapshot_param] filename]\n\n"
           "Prints the file size an image of format OUTPUT_FMT (default raw) with OPTIONS\n"
           "needs for a disk of N bytes, or for the contents of FILENAME: the size it\n"
           "requires and the size when fully allocated.\n");
}

typedef struct Measure {
    uint64_t required, fully_allocated;
    bool has_bitmaps;
} Measure;

static uint64_t div_round_up(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

static uint64_t round_up(uint64_t a, uint64_t b)
{
    return div_round_up(a, b) * b;
}

/* Refcount blocks and table clusters that count `clusters` clusters plus
 * themselves: iterate to the fixed point. */
static uint64_t refcount_metadata_size(uint64_t clusters, uint64_t cluster_size, int refcount_order)
{
    uint64_t per_table_cluster = cluster_size / 8;
    uint64_t per_block = cluster_size * 8 / (1u << refcount_order);
    uint64_t table = 0, blocks = 0, n = 0, last;
    do {
        last = n;
        blocks = div_round_up(clusters + table + blocks, per_block);
        table = div_round_up(blocks, per_table_cluster);
        n = clusters + blocks + table;
    } while (n != last);
    return (blocks + table) * cluster_size;
}

/* A fully allocated qcow2 image of size bytes: data and all metadata. */
static uint64_t qcow2_full_size(uint64_t size, uint64_t cluster_size, int refcount_order,
                                bool extended_l2)
{
    uint64_t l2e = extended_l2 ? 16 : 8;
    uint64_t aligned = round_up(size, cluster_size);
    uint64_t meta = cluster_size;                            /* header */
    uint64_t nl2e = round_up(aligned / cluster_size, cluster_size / l2e);
    meta += nl2e * l2e;                                      /* L2 tables */
    uint64_t nl1e = round_up(nl2e * l2e / cluster_size, cluster_size / 8);
    meta += nl1e * 8;                                        /* L1 table */
    meta += refcount_metadata_size((meta + aligned) / cluster_size, cluster_size, refcount_order);
    return meta + aligned;
}

/* Bytes of whole clusters the source holds data in (zero ranges skipped),
 * counted as qemu-img counts them. */
static int data_clusters_bytes(BlockDriverState *in, uint64_t cluster_size, uint64_t *out)
{
    int64_t size = bdrv_getlength(in);
    if (size < 0) {
        return (int)size;
    }
    uint64_t req = 0;
    for (uint64_t off = 0; off < (uint64_t)size;) {
        unsigned f;
        uint64_t n;
        int r = img_status_above(in, off, (uint64_t)size - off, &f, &n);
        if (r < 0) {
            return r;
        }
        if (n == 0) {
            break;
        }
        if (!(f & BDRV_BLOCK_ZERO) &&
            (f & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) == (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) {
            /* the rest of the last cluster is taken too */
            n = round_up(off + n, cluster_size) - off;
            req += off % cluster_size + n;
        }
        off += n;
    }
    *out = req;
    return 0;
}

/* Whether the source could hold persistent bitmaps (a qcow2 version 3
 * image): qemu-img then reports their size (vemu-img copies none: 0). */
static bool source_has_bitmaps(BlockDriverState *in)
{
    BlockFormatInfo info;
    memset(&info, 0, sizeof(info));
    if (strcmp(in->drv->format_name, "qcow2") || !in->drv->get_info || in->drv->get_info(in, &info) < 0) {
        return false;
    }
    for (int i = 0; i < info.nfields; i++) {
        if (!strcmp(info.fields[i].key, "compat")) {
            return info.fields[i].str && !strcmp(info.fields[i].str, "1.1");
        }
    }
    return false;
}

static int measure_qcow2(const BlockOpts *opts, uint64_t size, BlockDriverState *in, Measure *m)
{
    uint64_t cs = 65536, rb = 16;
    bool extl2 = false;
    int version = 3;
    char *err = NULL;
    if (block_opts_get_size(opts, "cluster_size", 65536, &cs, &err) < 0 ||
        block_opts_get_bool(opts, "extended_l2", false, &extl2, &err) < 0) {
        img_error("%s", err);
        free(err);
        return -EINVAL;
    }
    if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
        img_error("Cluster size must be a power of two between 512 and 2048k");
        return -EINVAL;
    }
    const char *compat = block_opts_get(opts, "compat");
    if (compat) {
        if (!strcmp(compat, "0.10") || !strcmp(compat, "v2")) {
            version = 2;
        } else if (strcmp(compat, "1.1") && strcmp(compat, "v3")) {
            img_error("Invalid compatibility level: '%s'", compat);
            return -EINVAL;
        }
    }
    const char *rbs = block_opts_get(opts, "refcount_bits");
    if (rbs) {
        char *end;
        rb = strtoull(rbs, &end, 0);
        if (*end || !rb || rb > 64 || (rb & (rb - 1))) {
            img_error("Refcount width must be a power of two and may not exceed 64 bits");
            return -EINVAL;
        }
    }
    if (version < 3 && rb != 16) {
        img_error("Different refcount widths than 16 bits require compatibility level 1.1 or "
                  "above (use compat=1.1 or greater)");
        return -EINVAL;
    }
    if (extl2 && cs < 16384) {
        img_error("Extended L2 entries are only supported with cluster sizes of at least "
                  "16384 bytes");
        return -EINVAL;
    }
    const char *prealloc = block_opts_get(opts, "preallocation");
    if (!prealloc) {
        prealloc = "off";
    }
    if (strcmp(prealloc, "off") && strcmp(prealloc, "metadata") && strcmp(prealloc, "falloc") &&
        strcmp(prealloc, "full")) {
        img_error("invalid parameter value: %s", prealloc);
        return -EINVAL;
    }
    bool backing = block_opts_get(opts, "backing_file") != NULL;
    uint64_t required = 0, virtual_size;
    if (in) {
        int64_t len = bdrv_getlength(in);
        if (len < 0) {
            img_error("%s", strerror((int)-len));
            return (int)len;
        }
        virtual_size = round_up(round_up((uint64_t)len, 512), cs);
        if (backing) {
            required = virtual_size;   /* every cluster may be written over the backing file */
        } else {
            int r = data_clusters_bytes(in, cs, &required);
            if (r < 0) {
                img_error("Unable to get block status: %s", strerror(-r));
                return r;
            }
        }
    } else {
        virtual_size = round_up(size, cs);
    }
    /* the L1 table of a qcow2 image is bounded (32 MiB) */
    uint64_t l2_tables = div_round_up(virtual_size / cs, cs / (extl2 ? 16 : 8));
    if (l2_tables * 8 > (32u << 20)) {
        img_error("The image size is too large (try using a larger cluster size)");
        return -EFBIG;
    }
    if (!strcmp(prealloc, "full") || !strcmp(prealloc, "falloc")) {
        required = virtual_size;
    }
    m->fully_allocated = qcow2_full_size(virtual_size, cs, __builtin_ctzll(rb), extl2);
    /* the metadata of the fully allocated image stays counted (an overestimate) */
    m->required = m->fully_allocated - virtual_size + required;
    m->has_bitmaps = version >= 3 && in && source_has_bitmaps(in);
    return 0;
}

static int measure_raw(uint64_t size, BlockDriverState *in, Measure *m)
{
    if (in) {
        int64_t len = bdrv_getlength(in);
        if (len < 0) {
            img_error("Unable to get image virtual_size: %s", strerror((int)-len));
            return (int)len;
        }
        m->required = round_up((uint64_t)len, 512);   /* whole sectors, as qemu-img counts */
    } else {
        m->required = round_up(size, 512);
    }
    m->fully_allocated = m->required;   /* a raw file holds every byte */
    return 0;
}

int cmd_measure(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'P' },
        { "size", required_argument, NULL, 's' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *filename = NULL;
    ImgSnapshotParam snapshot = { NULL, NULL, NULL };
    bool has_snapshot = false;
    bool json = false, have_size = false;
    uint64_t size = 0;
    BlockOpts *opts = block_opts_new();
    BlockDriverState *in = NULL;
    char *err = NULL;
    int c, ret = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:o:l:U", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': measure_help(); ret = 0; goto out;
        case 'f': fmt = optarg; break;
        case 'O': out_fmt = optarg; break;
        case 'l':
            if (img_parse_snapshot_param(optarg, &snapshot) < 0) {
                goto out;
            }
            has_snapshot = true;
            break;
        case 'U': break;
        case 'o':
            if (block_opts_parse(opts, optarg, &err) < 0) {
                img_error("%s", err);
                img_error("Invalid options for file format '%s'", out_fmt);
                goto out;
            }
            break;
        case 'P':
            if (img_parse_output(optarg, &json) < 0) {
                goto out;
            }
            break;
        case 's': {
            int64_t sv;
            char *end;
            /* a negative number is refused like a malformed one */
            sv = strtoll(optarg, &end, 10);
            int pr = parse_size(optarg, 1, &size);
            if ((end != optarg && sv < 0) || pr == -EINVAL) {
                img_error("Invalid image size specified. You may use k, M, G, T, P or E suffixes for");
                img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                goto out;
            }
            if (pr < 0 || size > INT64_MAX) {
                img_error("Invalid image size specified. Must be between 0 and 9223372036854775807.");
                goto out;
            }
            have_size = true;
            break;
        }
        case ':': ret = img_usage("option requires an argument -- '%c'", optopt); goto out;
        default: ret = img_usage("unrecognized option '%s'", argv[optind - 1]); goto out;
        }
    }
    if (argc - optind > 1) {
        img_error("At most one filename argument is allowed.");
        goto out;
    }
    if (argc - optind == 1) {
        filename = argv[optind];
    }
    if (!filename && (fmt || has_snapshot)) {
        img_error("--image-opts, -f, and -l require a filename argument.");
        goto out;
    }
    if (filename && have_size) {
        img_error("--size N cannot be used together with a filename.");
        goto out;
    }
    if (!filename && !have_size) {
        img_error("Either --size N or one filename must be specified.");
        goto out;
    }
    if (filename) {
        in = has_snapshot ? img_open_snapshot(filename, fmt, &snapshot) : img_open(filename, fmt, 0);
        if (!in) {
            goto out;
        }
    }
    const BlockDriver *drv = bdrv_find_format(out_fmt);
    if (!drv) {
        img_error("Unknown file format '%s'", out_fmt);
        goto out;
    }
    if (!drv->create) {
        img_error("Format driver '%s' does not support image creation", out_fmt);
        goto out;
    }
    if (block_opts_validate(opts, drv->create_opts, &err) < 0) {
        img_error("%s", err);
        img_error("Invalid options for file format '%s'", out_fmt);
        goto out;
    }
    Measure m = { 0, 0, false };
    int r;
    if (!strcmp(out_fmt, "qcow2")) {
        r = measure_qcow2(opts, size, in, &m);
    } else if (!strcmp(out_fmt, "raw")) {
        r = measure_raw(size, in, &m);
    } else {
        img_error("Block driver '%s' does not support size measurement", out_fmt);
        goto out;
    }
    if (r < 0) {
        goto out;
    }
    if (json) {
        printf("{\n");
        if (m.has_bitmaps) {
            printf("    \"bitmaps\": 0,\n");
        }
        printf("    \"required\": %" PRIu64 ",\n    \"fully-allocated\": %" PRIu64 "\n}\n",
               m.required, m.fully_allocated);
    } else {
        printf("required size: %" PRIu64 "\nfully allocated size: %" PRIu64 "\n",
               m.required, m.fully_allocated);
        if (m.has_bitmaps) {
            printf("bitmaps size: 0\n");
        }
    }
    ret = 0;
out:
    if (in) {
        bdrv_close(in);
    }
    free(err);
    img_snapshot_param_free(&snapshot);
    block_opts_free(opts);
    return ret;
}
