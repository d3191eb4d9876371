/*
 * scsi-disk.h — scsi-hd and scsi-cd: a SCSI direct-access device (SBC-3)
 * or a CD/DVD device (MMC-6) on a block-layer image (scsi-disk.c).
 */
#ifndef VEMU_HW_SCSI_DISK_H
#define VEMU_HW_SCSI_DISK_H

#include <stdbool.h>

#include "block/block.h"
#include "hw-scsi/scsi.h"

/* bs may be NULL for a CD-ROM without a medium; the device does not own
 * bs (the drive does, softmmu/drive.h). */
SCSIDevice *scsi_disk_new(BlockDriverState *bs, bool cdrom, bool read_only, const char *serial);
bool scsi_disk_is_cdrom(const SCSIDevice *d);
/* Write cache enabled (MODE SENSE's WCE); off: each write is flushed
 * (cache=writethrough, directsync). */
void scsi_disk_set_write_cache(SCSIDevice *d, bool on);
/* The guest locked the tray (PREVENT ALLOW MEDIUM REMOVAL). */
bool scsi_disk_locked(const SCSIDevice *d);
/* Opens the tray and drops the medium (the guest sees NOT READY). */
void scsi_disk_eject(SCSIDevice *d);
/* A new medium (the guest sees UNIT ATTENTION, medium may have changed). */
void scsi_disk_insert(SCSIDevice *d, BlockDriverState *bs, bool read_only);
/* The guest asked to open the tray (START STOP UNIT LoEj); the callback
 * lets the drive layer drop its image. */
void scsi_disk_set_eject_notify(SCSIDevice *d, void (*fn)(void *opaque), void *opaque);

#endif
