/*
 * versatile-fdt.h — the device tree vemu gives a Versatile PB kernel when
 * no -dtb is given: the devices the board models, their interrupts and
 * clocks, and the RAM.
 */
#ifndef VEMU_HW_VERSATILE_FDT_H
#define VEMU_HW_VERSATILE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A malloc'd flattened device tree (*size bytes), or NULL with *err
 * (malloc'd).  /chosen is present and empty (the boot loader fills it);
 * /memory says [0, ram_size).  The signature is ArmBootConfig.make_dtb's
 * (opaque unused). */
/* What the tree describes beyond the fixed devices (make_dtb's opaque;
 * NULL: the fixed devices only). */
typedef struct VersatileFdtConfig {
    bool nic;                  /* the SMC91C111 at 0x10010000, VIC 25 */
} VersatileFdtConfig;

void *versatile_fdt_build(void *opaque, uint64_t ram_size, size_t *size, char **err);

#endif
