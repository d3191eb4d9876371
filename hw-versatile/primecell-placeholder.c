/*
 * primecell-placeholder.c — a PrimeCell the board places but vemu does not
 * model yet: the PL050 KMI (keyboard, mouse), the PL181 MMC, the PL110
 * CLCD and the like, until the disk, network and display issue brings
 * them.  Its window is 4 KiB; PeriphID0..3 (0xFE0..0xFEC) and PCellID0..3
 * (0xFF0..0xFFC) read as the real part's, so the AMBA bus matches the
 * driver, and every other register reads as zero and ignores writes, so
 * the driver's probe fails cleanly (a PL181 never answers a command, a
 * PL050 never shows a byte) instead of finding nothing at all.
 *
 * It follows only the PrimeCell identification-register convention
 * common to every PrimeCell TRM (e.g. the PL011's, ARM DDI 0183).
 */
#include <stdint.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"

static uint64_t placeholder_read(void *opaque, uint64_t offset, unsigned size)
{
    uint32_t id = (uint32_t)(uintptr_t)opaque;
    uint32_t val = 0;
    if (!primecell_id_read(offset & ~3ull, id, &val))
        val = 0;
    return primecell_narrow(val, offset, size);
}

static void placeholder_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    /* ignored: nothing is modelled */
}

static const MemoryRegionOps placeholder_ops = { .read = placeholder_read, .write = placeholder_write };

void primecell_placeholder_new(PhysMemory *pm, const char *name, uint64_t base, uint32_t periph_id)
{
    /* the id is all the state there is: carried in the opaque pointer */
    phys_add_mmio(pm, name, base, PRIMECELL_WINDOW, &placeholder_ops, (void *)(uintptr_t)periph_id);
}
