/*
 * monitor-block.c — the drives in the monitor (monitor-block.h), in
 * QEMU's words and layout so that scripts written for QEMU's monitor
 * read ours: `info block` prints each drive as
 *     scsi0-hd0 (#block100): disk.qcow2 (qcow2)
 *         Attached to:      ...
 *         Cache mode:       writeback
 *         Backing file:     base.raw (chain depth: 1)
 * and an empty CD-ROM as "scsi0-cd2: [not inserted]" with its tray.
 */
#include "softmmu/monitor-block.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/drive.h"

static int chain_depth(const BlockDriverState *bs)
{
    int n = 0;
    for (const BlockDriverState *b = bs->backing; b; b = b->backing)
        n++;
    return n;
}

int hmp_info_block(MonOut *out)
{
    for (int i = 0; i < drive_count(); i++) {
        const Drive *d = drive_at(i);
        if (i)
            monout_printf(out, "\n");
        if (d->bs)
            monout_printf(out, "%s (#block%d): %s (%s%s)\n", d->id, 100 + 2 * i, d->shown_file,
                          d->bs->drv->format_name, d->read_only ? ", read-only" : "");
        else
            monout_printf(out, "%s: [not inserted]\n", d->id);
        if (d->attached_to[0])
            monout_printf(out, "    Attached to:      %s\n", d->attached_to);
        if (d->cdrom && d->dev)
            monout_printf(out, "    Removable device: %slocked, tray %s\n",
                          d->ops->locked(d->dev) ? "" : "not ", d->tray_open ? "open" : "closed");
        if (d->bs) {
            monout_printf(out, "    Cache mode:       %s%s\n", d->writethrough ? "writethrough" : "writeback",
                          !strcmp(d->cache, "none") || !strcmp(d->cache, "directsync") ? ", direct"
                          : d->no_flush ? ", ignore flushes" : "");
            if (d->bs->backing)
                monout_printf(out, "    Backing file:     %s (chain depth: %d)\n",
                              d->bs->backing_file[0] ? d->bs->backing_file : d->bs->backing->filename,
                              chain_depth(d->bs));
        }
    }
    return 0;
}

static const char *word(const char **p, char *buf, size_t n)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = 0;
    while (*s && *s != ' ' && *s != '\t') {
        if (k < n - 1)
            buf[k++] = *s;
        s++;
    }
    buf[k] = 0;
    *p = s;
    return k ? buf : NULL;
}

static int hmp_fail(MonOut *out, char *err)
{
    monout_printf(out, "%s\n", err ? err : "error");
    free(err);
    return -1;
}

int hmp_commit(const char *args, MonOut *out)
{
    char dev[128];
    if (!word(&args, dev, sizeof dev)) {
        monout_printf(out, "Parameter 'device' is missing\n");
        return -1;
    }
    char *err = NULL;
    if (!strcmp(dev, "all")) {
        for (int i = 0; i < drive_count(); i++)
            if (drive_at(i)->bs && drive_commit(drive_at(i)->id, &err) < 0)
                return hmp_fail(out, err);
        return 0;
    }
    return drive_commit(dev, &err) < 0 ? hmp_fail(out, err) : 0;
}

int hmp_eject(const char *args, MonOut *out)
{
    char a[128], dev[128];
    bool force = false;
    const char *w = word(&args, a, sizeof a);
    if (w && !strcmp(w, "-f")) {
        force = true;
        w = word(&args, a, sizeof a);
    }
    if (!w) {
        monout_printf(out, "Parameter 'device' is missing\n");
        return -1;
    }
    snprintf(dev, sizeof dev, "%s", w);
    char *err = NULL;
    return drive_eject(dev, force, &err) < 0 ? hmp_fail(out, err) : 0;
}

int hmp_change(const char *args, MonOut *out)
{
    char dev[128], file[1024], fmt[64];
    if (!word(&args, dev, sizeof dev)) {
        monout_printf(out, "Parameter 'device' is missing\n");
        return -1;
    }
    if (!word(&args, file, sizeof file)) {
        monout_printf(out, "Parameter 'target' is missing\n");
        return -1;
    }
    const char *f = word(&args, fmt, sizeof fmt);
    char *err = NULL;
    return drive_change(dev, file, f, false, &err) < 0 ? hmp_fail(out, err) : 0;
}

/* ---- QMP ------------------------------------------------------------------------ */

static json_t *error(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *error(const char *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *desc = NULL;
    if (vasprintf(&desc, fmt, ap) < 0)
        desc = NULL;
    va_end(ap);
    json_t *e = json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", desc ? desc : "");
    free(desc);
    return e;
}

static json_t *error_from(char *err)
{
    const char *cls = err && strstr(err, "not found") ? "DeviceNotFound" : "GenericError";
    json_t *e = error(cls, "%s", err ? err : "error");
    free(err);
    return e;
}

static json_t *ok_empty(void)
{
    return json_pack("{s:{}}", "return");
}

json_t *qmp_query_block(json_t *args)
{
    (void)args;
    json_t *list = json_array();
    for (int i = 0; i < drive_count(); i++) {
        const Drive *d = drive_at(i);
        json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:s}", "device", d->id, "qdev", d->attached_to,
                              "locked", d->cdrom && d->dev && d->ops->locked(d->dev), "removable", d->cdrom,
                              "type", "unknown");
        if (d->cdrom)
            json_object_set_new(o, "tray_open", json_boolean(d->tray_open));
        if (d->bs) {
            json_t *image = json_pack("{s:s,s:s,s:I}", "filename", d->bs->filename, "format",
                                      d->bs->drv->format_name, "virtual-size",
                                      (json_int_t)bdrv_getlength(d->bs));
            json_t *ins = json_pack("{s:s,s:b,s:s,s:i,s:b,s:o}", "file", d->shown_file, "ro", d->read_only, "drv",
                                    d->bs->drv->format_name, "backing_file_depth", chain_depth(d->bs),
                                    "encrypted", 0, "image", image);
            if (d->bs->backing) {
                json_object_set_new(ins, "backing_file", json_string(d->bs->backing->filename));
                json_object_set_new(image, "backing-filename", json_string(d->bs->backing->filename));
            }
            json_object_set_new(o, "inserted", ins);
        }
        json_array_append_new(list, o);
    }
    return json_pack("{s:o}", "return", list);
}

static const char *device_arg(json_t *args)
{
    const char *dev = json_string_value(json_object_get(args, "device"));
    return dev ? dev : json_string_value(json_object_get(args, "id"));
}

json_t *qmp_eject(json_t *args)
{
    const char *dev = device_arg(args);
    if (!dev)
        return error("GenericError", "Parameter 'device' is missing");
    char *err = NULL;
    if (drive_eject(dev, json_is_true(json_object_get(args, "force")), &err) < 0)
        return error_from(err);
    return ok_empty();
}

json_t *qmp_blockdev_change_medium(json_t *args)
{
    const char *dev = device_arg(args);
    const char *file = json_string_value(json_object_get(args, "filename"));
    const char *fmt = json_string_value(json_object_get(args, "format"));
    const char *mode = json_string_value(json_object_get(args, "read-only-mode"));
    if (!dev)
        return error("GenericError", "Parameter 'device' is missing");
    if (!file)
        return error("GenericError", "Parameter 'filename' is missing");
    char *err = NULL;
    if (drive_change(dev, file, fmt, mode && !strcmp(mode, "read-only"), &err) < 0)
        return error_from(err);
    return ok_empty();
}
