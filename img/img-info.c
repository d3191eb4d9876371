/*
 * img-info.c — `vemu-img info`: human and JSON output with qemu-img's field
 * names, optionally for the whole backing chain.
 */
#include "img/img.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void info_help(void)
{
    printf("usage: vemu-img info [-f fmt] [--output=human|json] [--backing-chain] [-U] filename\n\n"
           "Shows an image's format, virtual size, disk usage, backing file and the\n"
           "format-specific fields (qcow2: compat, compression type, refcount bits, ...).\n"
           "--backing-chain shows every image of the backing chain, top first.\n");
}

static int list_snapshots(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    *list = NULL;
    if (!bs->drv->snapshot_list) {
        return 0;
    }
    int n = bs->drv->snapshot_list(bs, list);
    return n < 0 ? 0 : n;
}

/* The snapshot table as qemu-img prints it (also `snapshot -l` later). */
void img_print_snapshot_table(const BlockSnapshotInfo *sn, int n)
{
    printf("%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
    for (int i = 0; i < n; i++) {
        char size[32], date[32], clock[32], icount[32] = "";
        time_t t = sn[i].date_sec;
        struct tm tm;
        format_size(sn[i].vm_state_size, size, sizeof(size));
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
        uint64_t ms = sn[i].vm_clock_nsec / 1000000;
        snprintf(clock, sizeof(clock), "%02llu:%02llu:%02llu.%03llu",
                 (unsigned long long)(ms / 3600000), (unsigned long long)(ms / 60000 % 60),
                 (unsigned long long)(ms / 1000 % 60), (unsigned long long)(ms % 1000));
        if (sn[i].icount >= 0) {
            snprintf(icount, sizeof(icount), "%lld", (long long)sn[i].icount);
        }
        printf("%-9s %-16s %8s%20s%13s%11s\n", sn[i].id, sn[i].name, size, date, clock, icount);
    }
}

/* Fields of a format-specific record, human form ("key-name" -> "key name"). */
static void print_human_fields(const BlockInfoField *fields, int n, const char *ind)
{
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s", fields[i].key);
        for (char *p = name; *p; p++) {
            if (*p == '-') {
                *p = ' ';
            }
        }
        const BlockInfoField *f = &fields[i];
        if (f->type == BINFO_STR) {
            printf("%s%s: %s\n", ind, name, f->str);
        } else if (f->type == BINFO_BOOL) {
            printf("%s%s: %s\n", ind, name, f->num ? "true" : "false");
        } else {
            printf("%s%s: %" PRId64 "\n", ind, name, f->num);
        }
    }
}

static void print_json_value(const BlockInfoField *f)
{
    if (f->type == BINFO_STR) {
        json_string(stdout, f->str);
    } else if (f->type == BINFO_BOOL) {
        printf("%s", f->num ? "true" : "false");
    } else {
        printf("%" PRId64, f->num);
    }
}

static void print_human(BlockDriverState *bs, const BlockFormatInfo *fi)
{
    char vs[32], ds[32];
    int64_t len = bdrv_getlength(bs);
    int64_t alloc = bdrv_allocated_file_size(bs);
    format_size((uint64_t)len, vs, sizeof(vs));
    printf("image: %s\nfile format: %s\nvirtual size: %s (%" PRId64 " bytes)\n",
           bs->filename, bs->drv->format_name, vs, len);
    if (alloc >= 0) {
        format_size((uint64_t)alloc, ds, sizeof(ds));
        printf("disk size: %s\n", ds);
    } else {
        printf("disk size: unavailable\n");
    }
    if (fi->cluster_size) {
        printf("cluster_size: %" PRId64 "\n", fi->cluster_size);
    }
    if (bs->backing_file[0]) {
        char full[4096];
        bdrv_resolve_backing_name(bs->filename, bs->backing_file, full, sizeof(full));
        if (strcmp(full, bs->backing_file)) {
            printf("backing file: %s (actual path: %s)\n", bs->backing_file, full);
        } else {
            printf("backing file: %s\n", bs->backing_file);
        }
        if (bs->backing_format[0]) {
            printf("backing file format: %s\n", bs->backing_format);
        }
    }
    BlockSnapshotInfo *sn;
    int nsn = list_snapshots(bs, &sn);
    if (nsn) {
        printf("Snapshot list:\n");
        img_print_snapshot_table(sn, nsn);
    }
    free(sn);
    if (fi->nfields) {
        printf("Format specific information:\n");
        for (int i = 0; i < fi->nfields; i++) {
            char name[64];
            snprintf(name, sizeof(name), "%s", fi->fields[i].key);
            for (char *p = name; *p; p++) {
                if (*p == '-') {
                    *p = ' ';
                }
            }
            const BlockInfoField *f = &fi->fields[i];
            if (f->type == BINFO_STR) {
                printf("    %s: %s\n", name, f->str);
            } else if (f->type == BINFO_BOOL) {
                printf("    %s: %s\n", name, f->num ? "true" : "false");
            } else {
                printf("    %s: %" PRId64 "\n", name, f->num);
            }
        }
        if (fi->list_key) {
            printf("    %s:\n", fi->list_key);
        }
        for (int r = 0; fi->list_key && r < fi->nrecords; r++) {
            printf("        [%d]:\n", r);
            print_human_fields(fi->records[r].fields, fi->records[r].nfields, "            ");
        }
    }
}

static void print_json(BlockDriverState *bs, const BlockFormatInfo *fi, const char *ind)
{
    int64_t alloc = bdrv_allocated_file_size(bs);
    char full[4096];
    printf("%s{\n", ind);
    BlockSnapshotInfo *sn;
    int nsn = list_snapshots(bs, &sn);
    if (nsn) {
        printf("%s    \"snapshots\": [\n", ind);
        for (int i = 0; i < nsn; i++) {
            printf("%s        {\n", ind);
            if (sn[i].icount >= 0) {
                printf("%s            \"icount\": %lld,\n", ind, (long long)sn[i].icount);
            }
            printf("%s            \"vm-clock-nsec\": %llu,\n", ind,
                   (unsigned long long)(sn[i].vm_clock_nsec % 1000000000));
            printf("%s            \"name\": ", ind);
            json_string(stdout, sn[i].name);
            printf(",\n%s            \"date-sec\": %u,\n", ind, sn[i].date_sec);
            printf("%s            \"date-nsec\": %u,\n", ind, sn[i].date_nsec);
            printf("%s            \"vm-clock-sec\": %llu,\n", ind,
                   (unsigned long long)(sn[i].vm_clock_nsec / 1000000000));
            printf("%s            \"id\": ", ind);
            json_string(stdout, sn[i].id);
            printf(",\n%s            \"vm-state-size\": %llu\n", ind,
                   (unsigned long long)sn[i].vm_state_size);
            printf("%s        }%s\n", ind, i + 1 < nsn ? "," : "");
        }
        printf("%s    ],\n", ind);
    }
    free(sn);
    if (bs->backing_file[0] && bs->backing_format[0]) {
        printf("%s    \"backing-filename-format\": ", ind);
        json_string(stdout, bs->backing_format);
        printf(",\n");
    }
    printf("%s    \"virtual-size\": %" PRId64 ",\n", ind, bdrv_getlength(bs));
    printf("%s    \"filename\": ", ind);
    json_string(stdout, bs->filename);
    printf(",\n");
    if (fi->cluster_size) {
        printf("%s    \"cluster-size\": %" PRId64 ",\n", ind, fi->cluster_size);
    }
    printf("%s    \"format\": \"%s\",\n", ind, bs->drv->format_name);
    if (alloc >= 0) {
        printf("%s    \"actual-size\": %" PRId64 ",\n", ind, alloc);
    }
    if (fi->nfields) {
        printf("%s    \"format-specific\": {\n%s        \"type\": \"%s\",\n%s        \"data\": {\n",
               ind, ind, bs->drv->format_name, ind);
        for (int i = 0; i < fi->nfields; i++) {
            const BlockInfoField *f = &fi->fields[i];
            printf("%s            \"%s\": ", ind, f->key);
            if (f->type == BINFO_STR) {
                json_string(stdout, f->str);
            } else if (f->type == BINFO_BOOL) {
                printf("%s", f->num ? "true" : "false");
            } else {
                printf("%" PRId64, f->num);
            }
            printf("%s\n", i + 1 < fi->nfields || fi->list_key ? "," : "");
        }
        if (fi->list_key) {
            printf("%s            \"%s\": [\n", ind, fi->list_key);
            for (int r = 0; r < fi->nrecords; r++) {
                const BlockInfoRecord *rec = &fi->records[r];
                printf("%s                {\n", ind);
                for (int i = 0; i < rec->nfields; i++) {
                    const BlockInfoField *f = &rec->fields[i];
                    printf("%s                    \"%s\": ", ind, f->key);
                    print_json_value(f);
                    printf("%s\n", i + 1 < rec->nfields ? "," : "");
                }
                printf("%s                }%s\n", ind, r + 1 < fi->nrecords ? "," : "");
            }
            printf("%s            ]\n", ind);
        }
        printf("%s        }\n%s    },\n", ind, ind);
    }
    if (bs->backing_file[0]) {
        bdrv_resolve_backing_name(bs->filename, bs->backing_file, full, sizeof(full));
        printf("%s    \"full-backing-filename\": ", ind);
        json_string(stdout, full);
        printf(",\n%s    \"backing-filename\": ", ind);
        json_string(stdout, bs->backing_file);
        printf(",\n");
    }
    printf("%s    \"dirty-flag\": %s\n%s}", ind, fi->dirty ? "true" : "false", ind);
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'o' },
        { "backing-chain", no_argument, NULL, 'c' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false, chain = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'h': info_help(); return 0;
        case 'U': break;
        case 'c': chain = true; break;
        case 'o':
            if (img_parse_output(optarg, &json) < 0)
                return 1;
            break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    char name[4096], next_fmt[32] = "";
    char *seen[BDRV_MAX_BACKING_DEPTH + 1];
    int n = 0, ret = 0;
    snprintf(name, sizeof(name), "%s", argv[optind]);
    if (fmt) {
        snprintf(next_fmt, sizeof(next_fmt), "%s", fmt);
    }
    if (json && chain) {
        printf("[\n");
    }
    for (;;) {
        BlockDriverState *bs = img_open(name, next_fmt[0] ? next_fmt : NULL,
                                        BDRV_O_NO_BACKING | BDRV_O_NO_IO);
        if (!bs) {
            ret = 1;
            break;
        }
        BlockFormatInfo fi;
        memset(&fi, 0, sizeof(fi));
        if (bs->drv->get_info) {
            bs->drv->get_info(bs, &fi);
        }
        if (json) {
            if (n) {
                printf(",\n");
            }
            print_json(bs, &fi, chain ? "    " : "");
        } else {
            if (n) {
                printf("\n");
            }
            print_human(bs, &fi);
        }
        seen[n++] = strdup(name);
        bool more = chain && bs->backing_file[0];
        if (more) {
            bdrv_resolve_backing_name(name, bs->backing_file, name, sizeof(name));
            snprintf(next_fmt, sizeof(next_fmt), "%s", bs->backing_format);
        }
        bdrv_close(bs);
        if (!more) {
            break;
        }
        struct stat a, b;
        bool loop = n > BDRV_MAX_BACKING_DEPTH;
        for (int i = 0; i < n && !loop; i++) {
            loop = stat(seen[i], &a) == 0 && stat(name, &b) == 0 &&
                   a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        }
        if (loop) {
            if (json) {
                printf("\n]\n");
            }
            img_error("Backing file '%s' creates an infinite loop.", name);
            for (int i = 0; i < n; i++) {
                free(seen[i]);
            }
            return 1;
        }
    }
    if (json) {
        printf(chain ? "\n]\n" : "\n");
    }
    for (int i = 0; i < n; i++) {
        free(seen[i]);
    }
    return ret;
}
