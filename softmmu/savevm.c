/*
 * savevm.c — savevm, loadvm, delvm and info snapshots over the drives'
 * internal snapshots (softmmu/savevm.h).  The order of the steps and the
 * error messages are QEMU's (migration/savevm.c's save_snapshot and
 * load_snapshot, as observed from its monitor), so users' scripts see the
 * same texts.
 */
#include "softmmu/savevm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "block/block.h"
#include "softmmu/cpus.h"
#include "softmmu/device.h"
#include "softmmu/drive.h"
#include "softmmu/runstate.h"
#include "softmmu/timer.h"
#include "softmmu/vmstate.h"

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

/* A drive savevm snapshots: attached read-write. */
static bool snapshotted(const AttachedDrive *d)
{
    return !d->read_only && !d->bs->read_only;
}

/* QEMU's bdrv_all_can_snapshot: every writable drive must take snapshots. */
static int check_can_snapshot(char **err)
{
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (snapshotted(d) && !d->bs->drv->snapshot_create)
            return fail(err, "Device '%s' is writable but does not support snapshots", d->name);
    }
    return 0;
}

/* The drive that keeps the VM state (QEMU's bdrv_all_find_vmstate_bs). */
static const AttachedDrive *vmstate_drive(char **err)
{
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (snapshotted(d) && d->bs->drv->save_vmstate && d->bs->drv->snapshot_create)
            return d;
    }
    if (err)
        fail(err, "no block device can store vmstate for snapshot");
    return NULL;
}

/* The snapshot of that id or name on bs: 1 (filled in *info), 0 none, <0 error. */
static int find_snapshot(BlockDriverState *bs, const char *name, BlockSnapshotInfo *info)
{
    BlockSnapshotInfo *list = NULL;
    if (!bs->drv->snapshot_list)
        return 0;
    int n = bs->drv->snapshot_list(bs, &list);
    if (n < 0)
        return n;
    int found = 0;
    for (int i = 0; i < n && !found; i++) {
        if (!strcmp(list[i].name, name) || !strcmp(list[i].id, name)) {
            if (info)
                *info = list[i];
            found = 1;
        }
    }
    free(list);
    return found;
}

static int vms_write(void *opaque, const void *buf, uint64_t pos, uint64_t len)
{
    return bdrv_save_vmstate(opaque, buf, pos, len);
}

typedef struct LoadSource {
    BlockDriverState *bs;
    uint64_t size;         /* the snapshot's vm_state_size */
} LoadSource;

static int vms_read(void *opaque, void *buf, uint64_t pos, uint64_t len)
{
    LoadSource *s = opaque;
    /* past the saved size: zeroes (the reader asks a buffer's worth) */
    uint64_t have = pos >= s->size ? 0 : s->size - pos < len ? s->size - pos : len;
    if (have < len)
        memset((uint8_t *)buf + have, 0, len - have);
    return have ? bdrv_load_vmstate(s->bs, buf, pos, have) : 0;
}

/* The state moves on the vcpu thread (the cpu's own state, the host FPU's
 * flags), with the vcpu parked. */
typedef struct Job {
    BlockDriverState *bs;
    uint64_t size;
    int64_t result;
    int64_t clock_ns;
    char *err;
} Job;

static void save_on_vcpu(CPUCommon *cpu, void *opaque)
{
    (void)cpu;
    Job *j = opaque;
    VMStateSink sink = { vms_write, j->bs };
    j->clock_ns = clock_virtual_ns();
    j->result = vmstate_save_all(&sink, j->clock_ns, &j->err);
}

static void load_on_vcpu(CPUCommon *cpu, void *opaque)
{
    (void)cpu;
    Job *j = opaque;
    LoadSource src = { j->bs, j->size };
    VMStateSource source = { vms_read, &src };
    int64_t clock_ns = 0;
    j->result = vmstate_load_all(&source, &clock_ns, &j->err);
    if (j->result == 0)
        clock_virtual_set(clock_ns);
}

static int do_savevm(const char *name, char **err)
{
    if (check_can_snapshot(err) < 0)
        return -1;
    const AttachedDrive *vd = vmstate_drive(err);
    if (!vd)
        return -1;
    /* an old snapshot of the name goes first, on every drive */
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d))
            continue;
        BlockSnapshotInfo info;
        int r = find_snapshot(d->bs, name, &info);
        if (r > 0) {
            char *e = NULL;
            if (d->bs->drv->snapshot_delete(d->bs, info.name, &e) < 0) {
                fail(err, "Error while deleting snapshot on device '%s': %s", d->name, e ? e : "failed");
                free(e);
                return -1;
            }
        }
    }
    Job j = { .bs = vd->bs };
    cpus_run_on_vcpu(save_on_vcpu, &j);
    if (j.result < 0) {
        fail(err, "%s", j.err ? j.err : "Error while writing VM state");
        free(j.err);
        return -1;
    }
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d))
            continue;
        char *e = NULL;
        bdrv_flush(d->bs);
        d->bs->snapshot_vm_clock_ns = (uint64_t)j.clock_ns;
        d->bs->snapshot_icount = -1;
        int r = d->bs->drv->snapshot_create(d->bs, name, &e);
        d->bs->snapshot_vm_clock_ns = 0;
        d->bs->snapshot_icount = 0;
        if (r < 0) {
            fail(err, "Error while creating snapshot on '%s': %s", d->name, e ? e : "failed");
            free(e);
            return -1;
        }
        bdrv_flush(d->bs);
    }
    return 0;
}

int savevm(const char *name, char **err)
{
    char auto_name[64];
    if (!name || !*name) {
        /* QEMU's default name: the host's local time */
        time_t t = time(NULL);
        struct tm tm;
        strftime(auto_name, sizeof(auto_name), "vm-%Y%m%d%H%M%S", localtime_r(&t, &tm));
        name = auto_name;
    }
    bool was_running = runstate_is_running();
    vm_stop();
    int r = do_savevm(name, err);
    if (was_running)
        vm_start();
    return r;
}

static int do_loadvm(const char *name, char **err)
{
    if (check_can_snapshot(err) < 0)
        return -1;
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d))
            continue;
        int r = find_snapshot(d->bs, name, NULL);
        if (r < 0)
            return fail(err, "Could not read the snapshots of '%s': %s", d->name, strerror(-r));
        if (r == 0)
            return fail(err, "Snapshot '%s' does not exist in one or more devices", name);
    }
    const AttachedDrive *vd = vmstate_drive(err);
    if (!vd)
        return -1;
    BlockSnapshotInfo info;
    if (find_snapshot(vd->bs, name, &info) <= 0)
        return fail(err, "Snapshot '%s' does not exist in one or more devices", name);
    if (info.vm_state_size == 0)
        return fail(err, "This is a disk-only snapshot. Revert to it offline using qemu-img");
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d))
            continue;
        char *e = NULL;
        bdrv_flush(d->bs);
        if (d->bs->drv->snapshot_goto(d->bs, name, &e) < 0) {
            fail(err, "Could not load snapshot '%s' on '%s': %s", name, d->name, e ? e : "failed");
            free(e);
            return -1;
        }
    }
    Job j = { .bs = vd->bs, .size = info.vm_state_size };
    cpus_run_on_vcpu(load_on_vcpu, &j);
    if (j.result < 0) {
        fail(err, "Error while loading VM state: %s", j.err ? j.err : "failed");
        free(j.err);
        return -1;
    }
    return 0;
}

int loadvm(const char *name, char **err)
{
    bool was_running = runstate_is_running();
    vm_stop();
    int r = do_loadvm(name, err);
    /* a failed load leaves the machine stopped: its state is a mixture */
    if (was_running && r == 0)
        vm_start();
    return r;
}

int delvm(const char *name, char **err)
{
    if (check_can_snapshot(err) < 0)
        return -1;
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d))
            continue;
        BlockSnapshotInfo info;
        if (find_snapshot(d->bs, name, &info) <= 0)
            continue;
        char *e = NULL;
        if (d->bs->drv->snapshot_delete(d->bs, info.name, &e) < 0) {
            fail(err, "Error while deleting snapshot on device '%s': %s", d->name, e ? e : "failed");
            free(e);
            return -1;
        }
        bdrv_flush(d->bs);
    }
    return 0;
}

static void printf_to(void (*print)(void *, const char *), void *opaque, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void printf_to(void (*print)(void *, const char *), void *opaque, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) >= 0) {
        print(opaque, s);
        free(s);
    }
    va_end(ap);
}

static void snapshot_line(void (*print)(void *, const char *), void *opaque, const BlockSnapshotInfo *sn,
                          const char *id)
{
    if (!sn) {
        printf_to(print, opaque, "%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK",
                  "ICOUNT");
        return;
    }
    char size[32], date[32], clock[32], icount[32] = "";
    time_t t = sn->date_sec;
    struct tm tm;
    format_size(sn->vm_state_size, size, sizeof(size));
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
    uint64_t ms = sn->vm_clock_nsec / 1000000;
    snprintf(clock, sizeof(clock), "%02llu:%02llu:%02llu.%03llu", (unsigned long long)(ms / 3600000),
             (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
             (unsigned long long)(ms % 1000));
    if (sn->icount >= 0)
        snprintf(icount, sizeof(icount), "%lld", (long long)sn->icount);
    printf_to(print, opaque, "%-9s %-16s %8s%20s%13s%11s\n", id, sn->name, size, date, clock, icount);
}

void info_snapshots(void (*print)(void *opaque, const char *text), void *opaque)
{
    const AttachedDrive *vd = vmstate_drive(NULL);
    if (!vd) {
        print(opaque, "no block device can store vmstate for snapshot\n");
        return;
    }
    BlockSnapshotInfo *list = NULL;
    int n = vd->bs->drv->snapshot_list ? vd->bs->drv->snapshot_list(vd->bs, &list) : 0;
    if (n < 0) {
        printf_to(print, opaque, "bdrv_snapshot_list: error %d\n", n);
        return;
    }
    /* a snapshot counts when every writable drive has one of its name */
    bool any = n > 0;
    int total = 0;
    bool *everywhere = calloc((size_t)(n ? n : 1), sizeof(bool));
    for (int k = 0; k < n; k++) {
        everywhere[k] = list[k].vm_state_size > 0;
        for (int i = 0; i < drive_attached_count() && everywhere[k]; i++) {
            const AttachedDrive *d = drive_attached(i);
            if (snapshotted(d) && d != vd && find_snapshot(d->bs, list[k].name, NULL) <= 0)
                everywhere[k] = false;
        }
        total += everywhere[k];
    }
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        BlockSnapshotInfo *l2 = NULL;
        if (snapshotted(d) && d != vd && d->bs->drv->snapshot_list && d->bs->drv->snapshot_list(d->bs, &l2) > 0)
            any = true;
        free(l2);
    }
    if (!any) {
        print(opaque, "There is no snapshot available.\n");
        free(everywhere);
        free(list);
        return;
    }
    if (total) {
        print(opaque, "List of snapshots present on all disks:\n");
        snapshot_line(print, opaque, NULL, NULL);
        for (int k = 0; k < n; k++)
            if (everywhere[k])
                snapshot_line(print, opaque, &list[k], "--");
    } else {
        print(opaque, "None\n");
    }
    /* the rest, per drive: what loadvm cannot load */
    for (int i = 0; i < drive_attached_count(); i++) {
        const AttachedDrive *d = drive_attached(i);
        if (!snapshotted(d) || !d->bs->drv->snapshot_list)
            continue;
        BlockSnapshotInfo *l2 = NULL;
        int m = d->bs->drv->snapshot_list(d->bs, &l2);
        bool header = false;
        for (int k = 0; k < m; k++) {
            bool listed = false;
            for (int q = 0; q < n; q++)
                if (everywhere[q] && !strcmp(list[q].name, l2[k].name))
                    listed = true;
            if (listed)
                continue;
            if (!header) {
                printf_to(print, opaque, "\nList of partial (non-loadable) snapshots on '%s':\n", d->name);
                snapshot_line(print, opaque, NULL, NULL);
                header = true;
            }
            snapshot_line(print, opaque, &l2[k], l2[k].id);
        }
        free(l2);
    }
    free(everywhere);
    free(list);
}
