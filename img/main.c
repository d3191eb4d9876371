/*
 * vemu-img — create, inspect, check and convert disk images with vemu's
 * block layer (block/).  Commands, options, messages and exit codes follow
 * qemu-img's so that scripts work with either tool.
 */
#include "img/img.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *syntax;
} Command;

static const Command commands[] = {
    { "amend", cmd_amend,
      "amend [-f fmt] [-q] [-U] -o options filename" },
    { "bench", cmd_bench,
      "bench [-c count] [-d depth] [-f fmt] [-o offset] [--pattern=pattern] [-q] [-s buffer_size] [-S step_size] [-t cache] [-w] [-U] filename" },
    { "check", cmd_check,
      "check [-q] [-f fmt] [--output=ofmt] [-r [leaks | all]] [-U] filename" },
    { "commit", cmd_commit,
      "commit [-q] [-f fmt] [-b base] [-d] [-p] filename" },
    { "compare", cmd_compare,
      "compare [-f fmt] [-F fmt] [-p] [-q] [-s] [-U] filename1 filename2" },
    { "convert", cmd_convert,
      "convert [-U] [-c] [-p] [-q] [-n] [-f fmt] [-O output_fmt] [-B backing_file [-F backing_fmt]] "
      "[-o options] [-l snapshot_param] [-S sparse_size] [-m num_requests] [-W] filename [filename2 [...]] output_filename" },
    { "create", cmd_create,
      "create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u] [-o options] filename [size]" },
    { "dd", cmd_dd,
      "dd [-U] [-f fmt] [-O output_fmt] [bs=block_size] [count=blocks] [skip=blocks] if=input of=output" },
    { "info", cmd_info,
      "info [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename" },
    { "map", cmd_map,
      "map [-f fmt] [--start-offset=offset] [--max-length=len] [--output=ofmt] [-U] filename" },
    { "measure", cmd_measure,
      "measure [--output=ofmt] [-O output_fmt] [-o options] [--size N | [-f fmt] [-l snapshot_param] filename]" },
    { "rebase", cmd_rebase,
      "rebase [-f fmt] [-p] [-q] [-u] [-U] -b backing_file [-F backing_fmt] filename" },
    { "resize", cmd_resize,
      "resize [-f fmt] [--preallocation=prealloc] [-q] [--shrink] [-U] filename [+ | -]size" },
    { "snapshot", cmd_snapshot,
      "snapshot [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot] filename" },
    { NULL, NULL, NULL },
};

void img_error(const char *fmt, ...)
{
    va_list ap;
    fputs("vemu-img: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int img_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("vemu-img: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'vemu-img --help' for more information\n", stderr);
    return 1;
}

int img_parse_output(const char *arg, bool *json)
{
    if (!strcmp(arg, "json")) {
        *json = true;
    } else if (strcmp(arg, "human")) {
        img_error("--output must be used with human or json as argument.");
        return -1;
    }
    return 0;
}

BlockDriverState *img_open(const char *filename, const char *fmt, int flags)
{
    char *err = NULL;
    BlockDriverState *bs = bdrv_open(filename, fmt, flags, &err);
    if (!bs) {
        /* a message that already names the file is not prefixed twice */
        char prefix[4200];
        snprintf(prefix, sizeof(prefix), "Could not open '%s': ", filename);
        if (err && !strncmp(err, prefix, strlen(prefix))) {
            img_error("%s%s", prefix, err);
        } else {
            img_error("Could not open '%s': %s", filename, err ? err : "unknown error");
        }
        free(err);
    }
    return bs;
}

int img_parse_snapshot_param(const char *arg, ImgSnapshotParam *p)
{
    img_snapshot_param_free(p);
    if (strncmp(arg, "snapshot.", 9)) {
        p->id_or_name = strdup(arg);
        return 0;
    }
    BlockOpts *o = block_opts_new();
    char *err = NULL;
    int r = block_opts_parse(o, arg, &err);
    for (int i = 0; r == 0 && i < o->n; i++) {
        if (!strcmp(o->v[i].key, "snapshot.id")) {
            free(p->id);
            p->id = strdup(o->v[i].value);
        } else if (!strcmp(o->v[i].key, "snapshot.name")) {
            free(p->name);
            p->name = strdup(o->v[i].value);
        } else {
            img_error("Invalid parameter '%s'", o->v[i].key);
            r = -1;
        }
    }
    if (r < 0) {
        if (err) {
            img_error("%s", err);
        }
        img_error("Failed in parsing snapshot param '%s'", arg);
    }
    free(err);
    block_opts_free(o);
    return r < 0 ? -1 : 0;
}

void img_snapshot_param_free(ImgSnapshotParam *p)
{
    free(p->id);
    free(p->name);
    free(p->id_or_name);
    p->id = p->name = p->id_or_name = NULL;
}

BlockDriverState *img_open_snapshot(const char *filename, const char *fmt, const ImgSnapshotParam *p)
{
    BlockDriverState *bs = img_open(filename, fmt, 0);
    if (!bs) {
        return NULL;
    }
    if (!bs->drv->snapshot_load_tmp) {
        img_error("Failed to load snapshot: Block format '%s' used by device '' does not support "
                  "temporarily loading internal snapshots", bs->drv->format_name);
        bdrv_close(bs);
        return NULL;
    }
    char *err = NULL;
    int r;
    if (p->id_or_name) {
        r = bs->drv->snapshot_load_tmp(bs, p->id_or_name, NULL, &err);
        if (r == -ENOENT) {
            free(err);
            err = NULL;
            r = bs->drv->snapshot_load_tmp(bs, NULL, p->id_or_name, &err);
        }
    } else {
        r = bs->drv->snapshot_load_tmp(bs, p->id, p->name, &err);
    }
    if (r < 0) {
        img_error("Failed to load snapshot: %s", err ? err : strerror(-r));
        free(err);
        bdrv_close(bs);
        return NULL;
    }
    return bs;
}

void img_print_opts_help(const BlockDriver *drv)
{
    printf("Supported options:\n");
    for (const BlockOptDesc *d = drv->create_opts; d && d->name; d++) {
        const char *type = d->type == BOPT_SIZE ? "size" : d->type == BOPT_BOOL ? "bool" :
                           d->type == BOPT_NUMBER ? "num" : "str";
        printf("  %-24s - %s%s%s%s\n", d->name, d->help, d->def ? " (default: " : "",
               d->def ? d->def : "", d->def ? ")" : "");
        (void)type;
    }
    printf("\nThe protocol level may support further options.\n");
}

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            fprintf(f, "\\%c", ch);
        } else if (ch < 0x20) {
            fprintf(f, "\\u%04x", ch);
        } else {
            fputc(ch, f);
        }
    }
    fputc('"', f);
}

static void help(void)
{
    printf("vemu-img: disk image utility of vemu (options and messages as qemu-img's)\n"
           "usage: vemu-img [-h | --help | -V | --version] command [command options]\n\n"
           "Commands:\n");
    for (int i = 0; commands[i].name; i++) {
        printf("  %s\n", commands[i].syntax);
    }
    printf("\n'vemu-img COMMAND --help' describes one command; the vemu-img(1) manual page\n"
           "describes them all.  'size' takes the suffixes k, M, G, T, P and E (powers of\n"
           "1024).\n\nSupported formats:");
    for (int i = 0; bdrv_drivers[i]; i++) {
        printf(" %s", bdrv_drivers[i]->format_name);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return img_usage("Not enough arguments");
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        help();
        return 0;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("vemu-img version 0.1 (vemu block layer)\n");
        return 0;
    }
    for (int i = 0; commands[i].name; i++) {
        if (!strcmp(argv[1], commands[i].name)) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    return img_usage("Command not found: %s", argv[1]);
}
