/*
 * dma.c — device DMA that keeps translated code coherent (dma.h).
 *
 * The invalidation goes through exec's own lock and page table of
 * translations (exec_invalidate_range_then), not through the soft TLB's
 * "page has code" bits: those belong to the vcpu thread, and a DMA may come
 * from the event loop.  The bits stay set for the page (an over-
 * approximation: the cpu's next store there takes the slow path once and
 * clears them).  A block the vcpu is running when its code is replaced
 * finishes as translated; the next lookup translates the new code, as on a
 * real cpu, which needs a barrier before running what a device wrote.
 */
#include "dma.h"

#include "exec/exec.h"

bool dma_write(PhysMemory *pm, uint64_t addr, const void *buf, size_t len)
{
    bool ok = phys_write(pm, addr, buf, len);
    if (len)
        exec_invalidate_range_then(addr, addr + len, NULL, NULL);
    return ok;
}

bool dma_read(PhysMemory *pm, uint64_t addr, void *buf, size_t len)
{
    return phys_read(pm, addr, buf, len);
}
