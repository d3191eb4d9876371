/*
 * img.h — shared helpers of vemu-img's commands (one file per command
 * group: img-create.c, img-info.c, img-check.c, img-convert.c, img-map.c, img-compare.c).
 */
#ifndef VEMU_IMG_H
#define VEMU_IMG_H

#include <stdbool.h>
#include <stdio.h>

#include "block/block.h"

/* "vemu-img: " + message + newline on stderr */
void img_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message and the pointer to --help; returns 1. */
int img_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --output=human|json: sets *json; -1 after qemu-img's message otherwise. */
int img_parse_output(const char *arg, bool *json);
/* Opens an image; on failure reports "Could not open 'NAME': why" and returns NULL. */
BlockDriverState *img_open(const char *filename, const char *fmt, int flags);
/* -l of convert and measure: "snapshot.id=ID,snapshot.name=NAME" (either or
 * both) or "ID_OR_NAME" (tried as an id, then as a name). */
typedef struct ImgSnapshotParam {
    char *id, *name, *id_or_name;
} ImgSnapshotParam;
/* Parses -l; -1 after qemu-img's messages. */
int img_parse_snapshot_param(const char *arg, ImgSnapshotParam *p);
void img_snapshot_param_free(ImgSnapshotParam *p);
/* Opens an image read-only showing an internal snapshot; NULL after a message. */
BlockDriverState *img_open_snapshot(const char *filename, const char *fmt, const ImgSnapshotParam *p);
/* "-o help": the options a format accepts */
void img_print_opts_help(const BlockDriver *drv);
/* the internal snapshot table, as `info` and `snapshot -l` print it */
void img_print_snapshot_table(const BlockSnapshotInfo *sn, int n);
/* Block status through the chain as qemu-img's commands see it (img-status.c):
 * BDRV_BLOCK_* flags of the layer that decides [off, off+*pnum), plus
 * IMG_STATUS_EOF when the range ends at the image's end. */
#define IMG_STATUS_EOF (1u << 8)
int img_status_above(BlockDriverState *bs, uint64_t off, uint64_t bytes, unsigned *flags,
                     uint64_t *pnum);
/* JSON string with escapes */
void json_string(FILE *f, const char *s);

int cmd_create(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_resize(int argc, char **argv);
int cmd_rebase(int argc, char **argv);
int cmd_commit(int argc, char **argv);
int cmd_amend(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_dd(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
