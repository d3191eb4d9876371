/*
 * dma.h — device DMA into and out of guest memory.
 *
 * A device that writes guest RAM (a disk controller filling a buffer, a
 * network card receiving a frame) must keep translated code coherent: a
 * buffer may land where the guest had code, and the cpu's stores are not
 * what changed it, so the soft TLB's store-side check never sees it.
 * dma_write() copies through the physical address space and then drops the
 * translations of the range.  Reads need nothing more than phys_read().
 *
 * The caller holds the machine lock (softmmu/device.h), as device code
 * does; any thread (the vcpu or the event loop).
 */
#ifndef VEMU_SOFTMMU_DMA_H
#define VEMU_SOFTMMU_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

/* False when part of the range is unassigned (phys_write's rule). */
bool dma_write(PhysMemory *pm, uint64_t addr, const void *buf, size_t len);
bool dma_read(PhysMemory *pm, uint64_t addr, void *buf, size_t len);

#endif
