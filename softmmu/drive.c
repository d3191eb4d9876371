/*
 * drive.c — -drive, -hda..-hdd, -cdrom, -snapshot and the drive half of
 * -device scsi-hd/scsi-cd (drive.h), with QEMU's option names, defaults
 * (if=scsi on the Versatile PB; index N is SCSI id N; -cdrom is index 2)
 * and error words.
 */
#include "softmmu/drive.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNITS_PER_BUS 7

typedef struct DriveSpec {
    Drive d;
    char opt[1200];              /* the option as given, for messages */
    int index;                   /* -1: none given */
} DriveSpec;

static DriveSpec specs[MAX_DRIVES];
static int nspecs;
static bool global_snapshot;
static DriveDevice devices[MAX_DRIVES];
static char device_opts[MAX_DRIVES][256];
static int ndevices;

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
    return -1;
}

/* Splits "k=v,k=v" with ",," standing for a comma in a value; calls fn. */
static int each_kv(const char *list, int (*fn)(void *, const char *, const char *, char **), void *opaque,
                   char **err)
{
    char key[64], val[1024];
    const char *p = list;
    while (*p) {
        size_t k = 0, v = 0;
        while (*p && *p != '=' && *p != ',' && k < sizeof key - 1)
            key[k++] = *p++;
        key[k] = 0;
        bool has_val = *p == '=';
        if (has_val) {
            p++;
            while (*p && v < sizeof val - 1) {
                if (*p == ',') {
                    if (p[1] != ',')
                        break;
                    p++;
                }
                val[v++] = *p++;
            }
        }
        val[v] = 0;
        if (*p == ',')
            p++;
        if (fn(opaque, key, has_val ? val : NULL, err) < 0)
            return -1;
    }
    return 0;
}

static int parse_bool(const char *key, const char *v, bool *out, char **err)
{
    if (!v || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false")) {
        *out = false;
        return 0;
    }
    return fail(err, "Parameter '%s' expects 'on' or 'off'", key);
}

static int parse_int(const char *key, const char *v, int max, int *out, char **err)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : -1;
    if (!v || !*v || *end || n < 0 || n > max)
        return fail(err, "Parameter '%s' expects a number from 0 to %d", key, max);
    *out = (int)n;
    return 0;
}

static int drive_kv(void *opaque, const char *key, const char *v, char **err)
{
    DriveSpec *s = opaque;
    Drive *d = &s->d;
    if (!strcmp(key, "file")) {
        snprintf(d->file, sizeof d->file, "%s", v ? v : "");
    } else if (!strcmp(key, "format")) {
        if (!v || !bdrv_find_format(v))
            return fail(err, "Unknown driver '%s'", v ? v : "");
        snprintf(d->format, sizeof d->format, "%s", v);
    } else if (!strcmp(key, "if")) {
        if (v && !strcmp(v, "scsi"))
            d->ifc = DRIVE_IF_SCSI;
        else if (v && !strcmp(v, "none"))
            d->ifc = DRIVE_IF_NONE;
        else if (v && !strcmp(v, "sd"))
            d->ifc = DRIVE_IF_SD;
        else
            return fail(err, "unsupported bus type '%s' (this board has scsi, sd and none)", v ? v : "");
    } else if (!strcmp(key, "id")) {
        if (!v || !*v)
            return fail(err, "Parameter 'id' expects an identifier");
        snprintf(d->id, sizeof d->id, "%s", v);
    } else if (!strcmp(key, "index")) {
        return parse_int(key, v, 6, &s->index, err);
    } else if (!strcmp(key, "bus")) {
        return parse_int(key, v, 0, &d->bus, err);
    } else if (!strcmp(key, "unit")) {
        return parse_int(key, v, UNITS_PER_BUS - 1, &d->unit, err);
    } else if (!strcmp(key, "cache")) {
        static const char *const modes[] = { "writeback", "writethrough", "none", "unsafe", "directsync" };
        for (int i = 0; i < 5; i++)
            if (v && !strcmp(v, modes[i])) {
                d->cache = modes[i];
                d->writethrough = i == 1 || i == 4;
                d->no_flush = i == 3;
                return 0;
            }
        return fail(err, "invalid cache option");
    } else if (!strcmp(key, "readonly")) {
        return parse_bool(key, v, &d->read_only, err);
    } else if (!strcmp(key, "snapshot")) {
        return parse_bool(key, v, &d->snapshot, err);
    } else if (!strcmp(key, "media")) {
        if (v && !strcmp(v, "cdrom"))
            d->cdrom = true;
        else if (v && !strcmp(v, "disk"))
            d->cdrom = false;
        else
            return fail(err, "'%s' invalid media", v ? v : "");
    } else {
        return fail(err, "Invalid parameter '%s'", key);
    }
    return 0;
}

static Drive *find(const char *id)
{
    for (int i = 0; i < nspecs; i++)
        if (!strcmp(specs[i].d.id, id))
            return &specs[i].d;
    return NULL;
}

static bool unit_taken(int bus, int unit, const DriveSpec *self)
{
    for (int i = 0; i < nspecs; i++)
        if (&specs[i] != self && specs[i].d.ifc == DRIVE_IF_SCSI && specs[i].d.bus == bus &&
            specs[i].d.unit == unit)
            return true;
    return false;
}

/* -drive OPTS (also what -hda FILE and -cdrom FILE become). */
static int add_drive(const char *what, const char *opts, int index, bool cdrom, char **err)
{
    if (nspecs == MAX_DRIVES)
        return fail(err, "%s: at most %d drives", what, MAX_DRIVES);
    DriveSpec *s = &specs[nspecs];
    memset(s, 0, sizeof *s);
    snprintf(s->opt, sizeof s->opt, "%s", what);
    s->index = index;
    s->d.ifc = DRIVE_IF_SCSI;
    s->d.unit = -1;
    s->d.cdrom = cdrom;
    s->d.cache = "writeback";
    char *e = NULL;
    if (each_kv(opts, drive_kv, s, &e) < 0) {
        fail(err, "%s: %s", what, e ? e : "bad option");
        free(e);
        return -1;
    }
    Drive *d = &s->d;
    if (d->ifc == DRIVE_IF_SD)
        return 0;                /* the SD card: options.c keeps its own way (-sd) */
    if (s->index >= 0) {
        if (d->unit >= 0)
            return fail(err, "%s: index cannot be used with bus and unit", what);
        d->bus = s->index / UNITS_PER_BUS;
        d->unit = s->index % UNITS_PER_BUS;
    }
    if (d->ifc == DRIVE_IF_SCSI) {
        if (d->unit < 0)
            for (d->unit = 0; d->unit < UNITS_PER_BUS && unit_taken(d->bus, d->unit, s); d->unit++)
                ;
        if (d->unit >= UNITS_PER_BUS)
            return fail(err, "%s: too many SCSI drives (the bus has ids 0 to 6)", what);
        if (unit_taken(d->bus, d->unit, s))
            return fail(err, "%s: drive with bus=%d, unit=%d (index=%d) exists", what, d->bus, d->unit,
                        d->bus * UNITS_PER_BUS + d->unit);
    }
    if (!d->id[0]) {
        if (d->ifc == DRIVE_IF_NONE)
            return fail(err, "%s: if=none needs id=", what);
        snprintf(d->id, sizeof d->id, "scsi%d-%s%d", d->bus, d->cdrom ? "cd" : "hd", d->unit);
    }
    if (find(d->id))
        return fail(err, "%s: Duplicate ID '%s' for drive", what, d->id);
    if (d->cdrom)
        d->read_only = true;
    if (!d->file[0] && !d->cdrom)
        return fail(err, "%s: A block device must be specified for \"file\"", what);
    nspecs++;
    return 0;
}

static int device_kv(void *opaque, const char *key, const char *v, char **err)
{
    DriveDevice *dd = opaque;
    if (!strcmp(key, "drive")) {
        Drive *d = v ? find(v) : NULL;
        if (!d)
            return fail(err, "Property 'scsi-%s.drive' can't find value '%s'", dd->cdrom ? "cd" : "hd",
                        v ? v : "");
        if (d->ifc != DRIVE_IF_NONE)
            return fail(err, "Drive '%s' is already in use because it has been automatically connected "
                        "to another device (did you need 'if=none' in the drive options?)", v);
        if (d->claimed)
            return fail(err, "Drive '%s' is already in use by another device", v);
        d->claimed = true;
        dd->drive = d;
    } else if (!strcmp(key, "scsi-id")) {
        return parse_int(key, v, UNITS_PER_BUS - 1, &dd->scsi_id, err);
    } else if (!strcmp(key, "id") || !strcmp(key, "bus") || !strcmp(key, "lun") || !strcmp(key, "serial")) {
        /* accepted: one bus, LUN 0 */
    } else {
        return fail(err, "Property '%s' not found", key);
    }
    return 0;
}

void drive_options_reset(void)
{
    nspecs = ndevices = 0;
    global_snapshot = false;
}

int drive_parse_option(const char *option, const char *value, char **err)
{
    char what[1200];
    snprintf(what, sizeof what, "-%s %s", option, value ? value : "");
    if (!strcmp(option, "snapshot")) {
        global_snapshot = true;
        return 1;
    }
    if (option[0] == 'h' && option[1] == 'd' && option[2] >= 'a' && option[2] <= 'd' && !option[3]) {
        char opts[1100], *o = opts;
        o += sprintf(o, "file=");
        for (const char *p = value; *p && o < opts + sizeof opts - 3; p++) {
            if (*p == ',')
                *o++ = ',';
            *o++ = *p;
        }
        *o = 0;
        return add_drive(what, opts, option[2] - 'a', false, err) < 0 ? -1 : 1;
    }
    if (!strcmp(option, "cdrom")) {
        char opts[1100], *o = opts;
        o += sprintf(o, "media=cdrom,file=");
        for (const char *p = value; *p && o < opts + sizeof opts - 3; p++) {
            if (*p == ',')
                *o++ = ',';
            *o++ = *p;
        }
        *o = 0;
        return add_drive(what, opts, 2, true, err) < 0 ? -1 : 1;
    }
    if (!strcmp(option, "drive")) {
        if (strstr(value, "if=sd"))
            return 0;            /* the SD card: options.c's own parser */
        return add_drive(what, value, -1, false, err) < 0 ? -1 : 1;
    }
    if (!strcmp(option, "device")) {
        size_t n = strcspn(value, ",");
        const char *rest = value[n] ? value + n + 1 : "";
        if (!strncmp(value, "lsi53c895a", n) && n == 10)
            return 1;            /* the board always has one */
        bool hd = n == 7 && !strncmp(value, "scsi-hd", 7), cd = n == 7 && !strncmp(value, "scsi-cd", 7);
        if (!hd && !cd)
            return 0;
        if (ndevices == MAX_DRIVES)
            return fail(err, "%s: too many devices", what);
        DriveDevice *dd = &devices[ndevices];
        *dd = (DriveDevice){ .cdrom = cd, .scsi_id = -1 };
        char *e = NULL;
        if (each_kv(rest, device_kv, dd, &e) < 0) {
            fail(err, "%s: %s", what, e ? e : "bad option");
            free(e);
            return -1;
        }
        if (!dd->drive && hd)
            return fail(err, "%s: Drive property not set", what);
        snprintf(device_opts[ndevices], sizeof device_opts[0], "%.255s", what);
        ndevices++;
        return 1;
    }
    return 0;
}

/* ---- opening ------------------------------------------------------------------ */

/* A temporary qcow2 on top of bs's image; bs is closed, the overlay (with
 * the image as its read-only backing file) returned. */
static BlockDriverState *snapshot_overlay(BlockDriverState *bs, const char *file, char **err)
{
    char abs[PATH_MAX];
    if (!realpath(file, abs))
        snprintf(abs, sizeof abs, "%s", file);
    const char *fmt = bs->drv->format_name;
    int64_t size = bdrv_getlength(bs);
    bdrv_close(bs);
    const char *dir = getenv("TMPDIR");
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/vemu-snapshot.XXXXXX", dir && *dir ? dir : "/var/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fail(err, "Could not create temporary overlay '%s': %s", tmp, strerror(errno));
        return NULL;
    }
    close(fd);
    BlockOpts *o = block_opts_new();
    block_opts_set(o, "backing_file", abs);
    block_opts_set(o, "backing_fmt", fmt);
    char *e = NULL;
    BlockDriverState *top = NULL;
    if (bdrv_create(&bdrv_qcow2, tmp, size, o, &e) >= 0)
        top = bdrv_open(tmp, "qcow2", BDRV_O_RDWR, &e);
    block_opts_free(o);
    unlink(tmp);                 /* gone at exit, whatever happens */
    if (!top) {
        fail(err, "Could not create temporary overlay: %s", e ? e : "error");
        free(e);
    }
    return top;
}

static int open_image(Drive *d, const char *file, const char *format, char **err)
{
    char *e = NULL;
    BlockDriverState *bs = bdrv_open(file, format && *format ? format : NULL,
                                     d->read_only ? 0 : BDRV_O_RDWR, &e);
    const BlockDriver *probed = NULL;
    char *pe = NULL;
    if (!bs && format && *format && bdrv_probe_file(file, &probed, &pe) >= 0 && probed &&
        strcmp(probed->format_name, format)) {
        free(e);
        free(pe);
        return fail(err, "Image is not in %s format", format);
    }
    free(pe);
    if (!bs) {
        if (e && (strstr(e, "No such file") || strstr(e, "Permission") || strstr(e, "Could not")))
            fail(err, "%s", e);
        else
            fail(err, "Could not open '%s': %s", file, e ? e : "error");
        free(e);
        return -1;
    }
    if ((d->snapshot || global_snapshot) && !d->read_only) {
        bs = snapshot_overlay(bs, file, err);
        if (!bs)
            return -1;
    }
    d->bs = bs;
    snprintf(d->shown_file, sizeof d->shown_file, "%s", bs->filename);
    if (bs->backing)   /* an overlay of ours: show the user's image */
        if (d->snapshot || global_snapshot)
            snprintf(d->shown_file, sizeof d->shown_file, "%s", file);
    return 0;
}

int drives_open(char **err)
{
    for (int i = 0; i < nspecs; i++) {
        Drive *d = &specs[i].d;
        if (!d->file[0])
            continue;
        char *e = NULL;
        if (open_image(d, d->file, d->format, &e) < 0) {
            fail(err, "%s: %s", specs[i].opt, e ? e : "cannot open");
            free(e);
            return -1;
        }
    }
    atexit(drives_close);
    return 0;
}

void drives_close(void)
{
    for (int i = 0; i < nspecs; i++) {
        Drive *d = &specs[i].d;
        if (d->bs) {
            drive_unregister(d->bs);
            bdrv_flush(d->bs);
            bdrv_close(d->bs);
            d->bs = NULL;
        }
    }
}

int drive_scsi_plan(DriveDevice *out, int max, char **err)
{
    int n = 0;
    bool used[UNITS_PER_BUS] = { false };
    for (int i = 0; i < nspecs && n < max; i++) {
        Drive *d = &specs[i].d;
        if (d->ifc != DRIVE_IF_SCSI)
            continue;
        if (d->bus != 0)
            return fail(err, "%s: bus=%d: the board has one SCSI bus (bus=0)", specs[i].opt, d->bus);
        out[n++] = (DriveDevice){ .drive = d, .cdrom = d->cdrom, .scsi_id = d->unit };
        used[d->unit] = true;
    }
    for (int i = 0; i < ndevices && n < max; i++) {
        DriveDevice dd = devices[i];
        if (dd.scsi_id < 0) {
            for (dd.scsi_id = 0; dd.scsi_id < UNITS_PER_BUS && used[dd.scsi_id]; dd.scsi_id++)
                ;
            if (dd.scsi_id == UNITS_PER_BUS)
                return fail(err, "%s: no free SCSI id (0 to 6)", device_opts[i]);
        } else if (used[dd.scsi_id]) {
            return fail(err, "%s: SCSI id %d is already in use", device_opts[i], dd.scsi_id);
        }
        if (dd.drive && dd.cdrom)
            dd.drive->cdrom = true;
        if (dd.drive && dd.cdrom && dd.drive->bs && !dd.drive->read_only)
            dd.drive->read_only = true;
        used[dd.scsi_id] = true;
        out[n++] = dd;
    }
    return n;
}

void drive_attach(Drive *d, const char *attached_to, const DriveDeviceOps *ops, void *dev)
{
    snprintf(d->attached_to, sizeof d->attached_to, "%s", attached_to);
    d->ops = ops;
    d->dev = dev;
    if (d->bs)
        drive_register(d->id, d->bs, d->read_only);
}

int drive_count(void) { return nspecs; }
Drive *drive_at(int i) { return &specs[i].d; }
Drive *drive_find(const char *id) { return find(id); }

/* ---- the monitor's actions ------------------------------------------------------ */

static Drive *removable(const char *id, char **err)
{
    Drive *d = find(id);
    if (!d) {
        fail(err, "Device '%s' not found", id);
        return NULL;
    }
    if (!d->dev || !d->cdrom) {
        fail(err, "Device '%s' is not removable", id);
        return NULL;
    }
    return d;
}

void drive_guest_ejected(Drive *d)
{
    if (d->bs) {
        drive_unregister(d->bs);
        bdrv_flush(d->bs);
        bdrv_close(d->bs);
        d->bs = NULL;
    }
    d->shown_file[0] = 0;
    d->tray_open = true;
}

int drive_eject(const char *id, bool force, char **err)
{
    Drive *d = removable(id, err);
    if (!d)
        return -1;
    if (!force && d->ops->locked(d->dev))
        return fail(err, "Device '%s' is locked and force was not specified, wait for tray to open and try again",
                    id);
    d->ops->eject(d->dev);
    drive_guest_ejected(d);
    return 0;
}

int drive_change(const char *id, const char *file, const char *format, bool read_only, char **err)
{
    Drive *d = removable(id, err);
    if (!d)
        return -1;
    if (format && *format && !bdrv_find_format(format))
        return fail(err, "Unknown driver '%s'", format);
    if (d->bs && d->ops->locked(d->dev))
        return fail(err, "Device '%s' is locked and force was not specified, wait for tray to open and try again",
                    id);
    d->ops->eject(d->dev);
    drive_guest_ejected(d);
    bool was_ro = d->read_only;
    d->read_only = read_only || d->cdrom;
    bool snap = d->snapshot;
    d->snapshot = false;
    int ret = open_image(d, file, format, err);
    d->snapshot = snap;
    if (ret < 0) {
        d->read_only = was_ro;
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s", file);
    snprintf(d->format, sizeof d->format, "%s", format ? format : "");
    d->tray_open = false;
    d->ops->insert(d->dev, d->bs, d->read_only);
    drive_register(d->id, d->bs, d->read_only);
    return 0;
}

/* Writes the top image's own data down into its backing file, then
 * empties the top (QEMU's `commit`). */
int drive_commit(const char *id, char **err)
{
    Drive *d = find(id);
    if (!d)
        return fail(err, "Device '%s' not found", id);
    BlockDriverState *top = d->bs;
    if (!top)
        return fail(err, "Device '%s' has no medium", id);
    if (!top->backing)
        return 0;                /* nothing to commit to: QEMU says nothing either */
    if (top->read_only)
        return fail(err, "Device '%s' is read only", id);
    char *e = NULL;
    char base_name[4096];
    snprintf(base_name, sizeof base_name, "%s", top->backing->filename);
    const char *base_fmt = top->backing->drv->format_name;
    BlockDriverState *base = bdrv_open(base_name, base_fmt, BDRV_O_RDWR | BDRV_O_NO_BACKING, &e);
    if (!base) {
        fail(err, "Could not reopen '%s' for writing: %s", base_name, e ? e : "error");
        free(e);
        return -1;
    }
    int64_t len = bdrv_getlength(top);
    int ret = 0;
    uint8_t *buf = malloc(1 << 20);
    for (int64_t off = 0; off < len && ret >= 0;) {
        BlockStatus st;
        uint64_t want = (uint64_t)(len - off) < (1u << 20) ? (uint64_t)(len - off) : (1u << 20);
        ret = bdrv_block_status(top, off, want, &st);
        if (ret < 0)
            break;
        uint64_t n = st.bytes ? st.bytes : want;
        if (st.flags & (BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO)) {
            ret = bdrv_pread(top, off, buf, n);
            if (ret >= 0)
                ret = bdrv_pwrite(base, off, buf, n);
        }
        off += n;
    }
    free(buf);
    if (ret >= 0)
        ret = bdrv_flush(base);
    bdrv_close(base);
    if (ret < 0)
        return fail(err, "Commit of '%s' failed: %s", id, strerror(-ret));
    if (top->drv->make_empty && (ret = top->drv->make_empty(top)) < 0)
        return fail(err, "Could not empty '%s' after the commit: %s", id, strerror(-ret));
    /* the chain's read-only handle on the base may cache old metadata */
    BlockDriverState *fresh = bdrv_open(base_name, base_fmt, 0, &e);
    if (fresh) {
        bdrv_close(top->backing);
        top->backing = fresh;
        fresh->chain_depth = 1;
    } else {
        free(e);
    }
    return 0;
}

/* ---- the images devices have attached (savevm's list) ------------------------ */

#define MAX_ATTACHED 64

static AttachedDrive attached[MAX_ATTACHED];
static int n_attached;

void drive_register(const char *name, BlockDriverState *bs, bool read_only)
{
    if (n_attached == MAX_ATTACHED) {
        fprintf(stderr, "vemu: more than %d drives\n", MAX_ATTACHED);
        abort();
    }
    attached[n_attached++] = (AttachedDrive){ strdup(name), bs, read_only };
}

void drive_unregister(BlockDriverState *bs)
{
    for (int i = 0; i < n_attached; i++) {
        if (attached[i].bs == bs) {
            free((char *)attached[i].name);
            memmove(&attached[i], &attached[i + 1], (size_t)(n_attached - i - 1) * sizeof(attached[0]));
            n_attached--;
            return;
        }
    }
}

const AttachedDrive *drive_attached(int i)
{
    return i >= 0 && i < n_attached ? &attached[i] : NULL;
}

int drive_attached_count(void)
{
    return n_attached;
}
