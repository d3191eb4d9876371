/*
 * img-map.c — `vemu-img map`: where each range of the disk comes from, from
 * block status through the backing chain (qemu-img's human table and JSON).
 */
#include "img/img.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void map_help(void)
{
    printf("usage: vemu-img map [-f fmt] [--output=human|json] [--start-offset=OFFSET]\n"
           "                    [--max-length=LEN] [-U] filename\n\n"
           "Shows which layer of the backing chain (depth, 0 = the image itself) holds each\n"
           "range of the disk, whether it reads as zeroes, and where its data is in the\n"
           "layer's file.  The human output lists the ranges with data only.\n");
}

typedef struct MapEntry {
    uint64_t start, length, offset;
    int depth;
    bool present, zero, data, has_offset, compressed;
    const char *file;
} MapEntry;

/* The status of [off, off+bytes) through the chain: the first layer that
 * decides the contents, or the last layer when none does. */
static int chain_status(BlockDriverState *bs, uint64_t off, uint64_t bytes, MapEntry *e)
{
    int depth = 0;
    for (;;) {
        BlockStatus st;
        int r = bdrv_block_status(bs, off, bytes, &st);
        if (r < 0) {
            return r;
        }
        bytes = st.bytes;
        bool decided = (st.flags & BDRV_BLOCK_ALLOCATED) || !bs->backing;
        if (!decided) {
            int64_t blen = bdrv_getlength(bs->backing);
            if (blen < 0) {
                return (int)blen;
            }
            if (off >= (uint64_t)blen) {   /* past the backing file: zeroes */
                decided = true;
                st.flags = BDRV_BLOCK_ZERO;
            } else {
                if (bytes > (uint64_t)blen - off) {
                    bytes = (uint64_t)blen - off;
                }
                bs = bs->backing;
                depth++;
                continue;
            }
        }
        e->start = off;
        e->length = bytes;
        e->depth = depth;
        e->present = (st.flags & BDRV_BLOCK_ALLOCATED) != 0;
        e->zero = (st.flags & BDRV_BLOCK_ZERO) != 0;
        e->data = (st.flags & BDRV_BLOCK_DATA) != 0;
        e->compressed = (st.flags & BDRV_BLOCK_COMPRESSED) != 0;
        e->has_offset = (st.flags & BDRV_BLOCK_OFFSET_VALID) != 0;
        e->offset = st.host_offset;
        e->file = st.file ? st.file->filename : bs->filename;
        return 0;
    }
}

static bool can_merge(const MapEntry *a, const MapEntry *b)
{
    return a->depth == b->depth && a->present == b->present && a->zero == b->zero &&
           a->data == b->data && a->has_offset == b->has_offset && a->compressed == b->compressed &&
           (!a->has_offset || a->offset + a->length == b->offset) && !strcmp(a->file, b->file);
}

static int print_entry(const MapEntry *e, bool json, bool first)
{
    if (json) {
        printf("%s{ \"start\": %" PRIu64 ", \"length\": %" PRIu64 ", \"depth\": %d, "
               "\"present\": %s, \"zero\": %s, \"data\": %s",
               first ? "[" : ",\n", e->start, e->length, e->depth, e->present ? "true" : "false",
               e->zero ? "true" : "false", e->data ? "true" : "false");
        if (e->has_offset) {
            printf(", \"offset\": %" PRIu64, e->offset);
        }
        printf("}");
        return 0;
    }
    if (!e->data) {
        return 0;
    }
    if (!e->has_offset) {
        img_error("File contains external, encrypted or compressed clusters.");
        return -1;
    }
    printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n", e->start, e->length, e->offset, e->file);
    return 0;
}

int cmd_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'o' },
        { "start-offset", required_argument, NULL, 's' },
        { "max-length", required_argument, NULL, 'l' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false;
    uint64_t start = 0, max_len = UINT64_MAX;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'h': map_help(); return 0;
        case 'U': break;
        case 'o':
            if (img_parse_output(optarg, &json) < 0)
                return 1;
            break;
        case 's':
            if (parse_size(optarg, 1, &start) < 0) {
                img_error("Invalid start offset specified! You may use k, M, G, T, P or E suffixes for ");
                img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                return 1;
            }
            break;
        case 'l':
            if (parse_size(optarg, 1, &max_len) < 0) {
                img_error("Invalid length specified! You may use k, M, G, T, P or E suffixes for ");
                img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                return 1;
            }
            break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    BlockDriverState *bs = img_open(argv[optind], fmt, 0);
    if (!bs) {
        return 1;
    }
    uint64_t len = (uint64_t)bdrv_getlength(bs);
    uint64_t end = start < len ? (max_len < len - start ? start + max_len : len) : start;
    MapEntry cur = { 0 }, next;
    bool have = false, first = true;
    int ret = 0;
    if (!json) {
        printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to", "File");
    }
    for (uint64_t off = start; off < end && ret == 0; off += next.length) {
        if (chain_status(bs, off, end - off, &next) < 0) {
            img_error("Could not read file metadata: I/O error");
            ret = 1;
            break;
        }
        if (have && can_merge(&cur, &next)) {
            cur.length += next.length;
            continue;
        }
        if (have) {
            ret = print_entry(&cur, json, first) < 0 ? 1 : 0;
            first = false;
        }
        cur = next;
        have = true;
    }
    if (have && ret == 0) {
        ret = print_entry(&cur, json, first) < 0 ? 1 : 0;
        first = false;
    }
    if (json) {
        printf("%s\n", first ? "[]" : "]");
    }
    bdrv_close(bs);
    return ret;
}
