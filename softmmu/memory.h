/*
 * memory.h — a machine's guest physical address space.
 *
 * A board builds it from regions: RAM and ROM (host memory the soft TLB
 * maps directly), MMIO (a device's read/write callbacks, reached through
 * the TLB's slow path) and aliases (another window onto a region already
 * placed, as the Versatile PB's boot alias of RAM at 0).  Regions may not
 * overlap; the space is laid out once, before the cpu runs.
 *
 * Device callbacks run in the vcpu thread (guest accesses) or the event
 * loop thread (DMA, loaders), always with the machine lock held
 * (softmmu/device.h).  Offsets are relative to the region's base; sizes
 * are 1, 2, 4 or 8 bytes, little-endian values.
 */
#ifndef VEMU_SOFTMMU_MEMORY_H
#define VEMU_SOFTMMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
} MemoryRegionOps;

typedef struct PhysMemory PhysMemory;

/* What lies at a physical address (the soft TLB's fill asks this). */
typedef enum PhysKind {
    PHYS_UNASSIGNED = 0,
    PHYS_RAM,
    PHYS_ROM,     /* reads like RAM, writes are ignored (logged as guest_errors) */
    PHYS_MMIO,
} PhysKind;

typedef struct PhysSection {
    PhysKind kind;
    const char *name;
    uint64_t base, size;           /* the region (after resolving aliases) */
    uint64_t offset;               /* of the looked-up address in it */
    uint8_t *host;                 /* RAM/ROM: host address of the looked-up byte */
    const MemoryRegionOps *ops;    /* MMIO */
    void *opaque;
} PhysSection;

PhysMemory *phys_memory_new(void);
void phys_memory_free(PhysMemory *pm);

/* Place regions.  RAM and ROM are zero-filled host memory, page aligned;
 * the returned pointer is the region's host address (loaders write ROM
 * through it).  An alias makes [base, base+size) show the physical range
 * at target, which must already be placed. */
uint8_t *phys_add_ram(PhysMemory *pm, const char *name, uint64_t base, uint64_t size);
uint8_t *phys_add_rom(PhysMemory *pm, const char *name, uint64_t base, uint64_t size);
void phys_add_mmio(PhysMemory *pm, const char *name, uint64_t base, uint64_t size,
                   const MemoryRegionOps *ops, void *opaque);
void phys_add_alias(PhysMemory *pm, const char *name, uint64_t base, uint64_t size, uint64_t target);

/* The section holding addr (kind PHYS_UNASSIGNED when nothing is there). */
PhysSection phys_lookup(const PhysMemory *pm, uint64_t addr);

/* Copy to and from the address space, crossing regions, as a DMA master
 * or a loader does (MMIO in 4-byte accesses where aligned).  False when
 * part of the range is unassigned (the rest is still done; unassigned
 * bytes read as 0). */
bool phys_read(PhysMemory *pm, uint64_t addr, void *buf, size_t len);
bool phys_write(PhysMemory *pm, uint64_t addr, const void *buf, size_t len);

/* One access of size bytes, as the cpu makes it (MMIO: one callback). */
uint64_t phys_load(PhysMemory *pm, uint64_t addr, unsigned size, bool *ok);
void phys_store(PhysMemory *pm, uint64_t addr, uint64_t value, unsigned size, bool *ok);

/* For `info mtree` and -d logs: each region, in address order. */
void phys_memory_dump(const PhysMemory *pm, void (*line)(void *opaque, const char *text), void *opaque);
/* Each MMIO region (a device's registers), in address order: `info qtree`. */
void phys_memory_foreach_mmio(const PhysMemory *pm,
                              void (*fn)(void *opaque, const char *name, uint64_t base, uint64_t size),
                              void *opaque);

#endif
