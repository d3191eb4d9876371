/*
 * drive.h — the machine's drives: every BlockDriverState a device has
 * attached, with the device's name for it ("sd0", "scsi0-hd0", ...), so
 * that savevm/loadvm/info snapshots (softmmu/savevm.c) and the monitor
 * find them all without knowing the devices.  A device (or the board)
 * registers its image when it opens it; order of registration is the
 * order of listing, and the first writable drive whose format keeps VM
 * state holds savevm's RAM and device state, as in QEMU.
 */
#ifndef VEMU_SOFTMMU_DRIVE_H
#define VEMU_SOFTMMU_DRIVE_H

#include <stdbool.h>

struct BlockDriverState;

typedef struct Drive {
    const char *name;                 /* the device's name for it */
    struct BlockDriverState *bs;
    bool read_only;
} Drive;

void drive_register(const char *name, struct BlockDriverState *bs, bool read_only);
void drive_unregister(struct BlockDriverState *bs);
/* The i-th drive (NULL past the last). */
const Drive *drive_get(int i);
int drive_count(void);

#endif
