/*
 * drive.c — the list of attached drives (softmmu/drive.h).
 */
#include "softmmu/drive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DRIVES 64

static Drive drives[MAX_DRIVES];
static int n_drives;

void drive_register(const char *name, struct BlockDriverState *bs, bool read_only)
{
    if (n_drives == MAX_DRIVES) {
        fprintf(stderr, "vemu: more than %d drives\n", MAX_DRIVES);
        abort();
    }
    drives[n_drives++] = (Drive){ strdup(name), bs, read_only };
}

void drive_unregister(struct BlockDriverState *bs)
{
    for (int i = 0; i < n_drives; i++) {
        if (drives[i].bs == bs) {
            free((char *)drives[i].name);
            memmove(&drives[i], &drives[i + 1], (size_t)(n_drives - i - 1) * sizeof(drives[0]));
            n_drives--;
            return;
        }
    }
}

const Drive *drive_get(int i)
{
    return i >= 0 && i < n_drives ? &drives[i] : NULL;
}

int drive_count(void)
{
    return n_drives;
}
