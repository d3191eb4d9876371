/*
 * drive.h — the emulator's disks as the command line and the monitor
 * see them: each -drive/-hda/-cdrom is a Drive with an id ("scsi0-hd0",
 * or id=), an image opened through the block layer (block/block.h) and,
 * once a board has placed it, the device that shows it to the guest.
 *
 * Command-line options arrive here from the parser (drive_parse_option),
 * images are opened before the board is built (drives_open: the user's
 * errors before anything runs), the board asks where its SCSI disks go
 * (drive_scsi_plan) and gives each Drive its device (drive_attach).  The
 * monitor (monitor-block.c) lists them and changes removable media.
 * -snapshot and snapshot=on put a temporary qcow2 overlay on top of the
 * image; it is unlinked as soon as it is open, so the writes go when
 * vemu exits.
 */
#ifndef VEMU_SOFTMMU_DRIVE_H
#define VEMU_SOFTMMU_DRIVE_H

#include <stdbool.h>

#include "block/block.h"

#define MAX_DRIVES 16

typedef enum { DRIVE_IF_NONE, DRIVE_IF_SCSI, DRIVE_IF_SD } DriveIf;

/* What the device does when the monitor changes its medium. */
typedef struct DriveDeviceOps {
    bool (*locked)(void *dev);
    void (*eject)(void *dev);
    void (*insert)(void *dev, BlockDriverState *bs, bool read_only);
} DriveDeviceOps;

typedef struct Drive {
    char id[64];
    char file[1024];             /* "" : no medium */
    char format[32];             /* "" : probe */
    DriveIf ifc;
    int bus, unit;               /* unit: the SCSI id */
    bool cdrom, read_only, snapshot, writethrough, no_flush;
    const char *cache;           /* the cache= mode's name */
    BlockDriverState *bs;        /* NULL: no medium */
    char shown_file[1024];       /* the image file name `info block` shows */
    /* set by drive_attach */
    const DriveDeviceOps *ops;
    void *dev;
    char attached_to[128];
    bool claimed;                /* a -device took it */
    bool locked_by_user;         /* tray state for info block */
    bool tray_open;
} Drive;

/* A -device scsi-hd|scsi-cd,drive=ID[,scsi-id=N] */
typedef struct DriveDevice {
    Drive *drive;
    bool cdrom;
    int scsi_id;                 /* -1: the next free one */
} DriveDevice;

/* option is "hda".."hdd", "cdrom", "drive", "device", "snapshot";
 * 1 if it was a drive option, 0 if not ours (e.g. -device smc91c111),
 * -1 with *err (malloc'd). */
int drive_parse_option(const char *option, const char *value, char **err);
/* Forgets the options parsed so far (sys_options_parse starts with it). */
void drive_options_reset(void);
/* Opens every image (with its -snapshot overlay); -1 with *err. */
int drives_open(char **err);
/* Flushes and closes them (at exit). */
void drives_close(void);

/* The SCSI disks of bus 0: Drives with if=scsi, then the -devices, in
 * command-line order.  Returns the number (up to max) or -1 with *err. */
int drive_scsi_plan(DriveDevice *out, int max, char **err);
void drive_attach(Drive *d, const char *attached_to, const DriveDeviceOps *ops, void *dev);

int drive_count(void);
Drive *drive_at(int i);
Drive *drive_find(const char *id);

/* Monitor actions; 0, or -1 with *err in QEMU's words. */
int drive_eject(const char *id, bool force, char **err);
int drive_change(const char *id, const char *file, const char *format, bool read_only, char **err);
int drive_commit(const char *id, char **err);
/* The guest opened the tray (START STOP UNIT): the drive lets go of its image. */
void drive_guest_ejected(Drive *d);

/* The images devices have attached, with the device's name for each
 * ("sd0", "scsi0-hd0", ...), in attachment order: what savevm, loadvm and
 * info snapshots work on (softmmu/savevm.c), so they need not know the
 * devices.  A device registers an image when it has opened it and
 * unregisters it before closing it (the Drives above do so in
 * drive_attach, eject, change and at exit; the SD card in sd-card.c).  The
 * first writable one whose format keeps VM state holds savevm's RAM and
 * device state, as in QEMU. */
typedef struct AttachedDrive {
    const char *name;
    BlockDriverState *bs;
    bool read_only;
} AttachedDrive;

void drive_register(const char *name, BlockDriverState *bs, bool read_only);
void drive_unregister(BlockDriverState *bs);
const AttachedDrive *drive_attached(int i);   /* NULL past the last */
int drive_attached_count(void);

#endif
