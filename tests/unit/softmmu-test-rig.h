/*
 * softmmu-test-rig.h — what a device or event-loop unit test stands in for:
 * the address space (phys_add_mmio records each device's ops and opaque so
 * the test calls them directly, as the soft TLB's slow path would), the
 * machine lock and the reset hooks (softmmu/memory.h, device.h).  System
 * mode's libraries reach unit tests as an archive, so these definitions
 * win and the real memory.c/device.c are not linked in.
 *
 * Include it once, in the test's .c file, after cmocka.h.
 */
#ifndef VEMU_TESTS_SOFTMMU_TEST_RIG_H
#define VEMU_TESTS_SOFTMMU_TEST_RIG_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "softmmu/device.h"
#include "softmmu/irq.h"
#include "softmmu/memory.h"

#define RIG_UNUSED __attribute__((unused))

typedef struct TestRegion {
    const char *name;
    uint64_t base, size;
    const MemoryRegionOps *ops;
    void *opaque;
} TestRegion;

static RIG_UNUSED TestRegion rig_regions[32];
static RIG_UNUSED int rig_n_regions;

void phys_add_mmio(PhysMemory *pm, const char *name, uint64_t base, uint64_t size,
                   const MemoryRegionOps *ops, void *opaque)
{
    (void)pm;
    assert_true(rig_n_regions < 32);
    rig_regions[rig_n_regions++] = (TestRegion){ name, base, size, ops, opaque };
}

static RIG_UNUSED TestRegion *rig_region(uint64_t addr)
{
    for (int i = 0; i < rig_n_regions; i++)
        if (addr >= rig_regions[i].base && addr - rig_regions[i].base < rig_regions[i].size)
            return &rig_regions[i];
    fail_msg("no device at 0x%llx", (unsigned long long)addr);
    return NULL;
}

/* 32-bit accesses, as drivers make them. */
static RIG_UNUSED uint32_t rd(uint64_t addr)
{
    TestRegion *r = rig_region(addr);
    return (uint32_t)r->ops->read(r->opaque, addr - r->base, 4);
}

static RIG_UNUSED uint64_t rd_size(uint64_t addr, unsigned size)
{
    TestRegion *r = rig_region(addr);
    return r->ops->read(r->opaque, addr - r->base, size);
}

static RIG_UNUSED void wr(uint64_t addr, uint32_t value)
{
    TestRegion *r = rig_region(addr);
    r->ops->write(r->opaque, addr - r->base, value, 4);
}

/* The machine lock: a real mutex, as the event-loop tests need. */
static RIG_UNUSED pthread_mutex_t rig_machine_mu = PTHREAD_MUTEX_INITIALIZER;
void machine_lock(void) { pthread_mutex_lock(&rig_machine_mu); }
void machine_unlock(void) { pthread_mutex_unlock(&rig_machine_mu); }

static RIG_UNUSED struct { void (*fn)(void *); void *opaque; } rig_resets[32];
static RIG_UNUSED int rig_n_resets;

void device_register_reset(void (*reset)(void *opaque), void *opaque)
{
    assert_true(rig_n_resets < 32);
    rig_resets[rig_n_resets].fn = reset;
    rig_resets[rig_n_resets].opaque = opaque;
    rig_n_resets++;
}

void device_reset_all(void)
{
    for (int i = 0; i < rig_n_resets; i++)
        rig_resets[i].fn(rig_resets[i].opaque);
}

/* Start a test with an empty machine. */
static RIG_UNUSED void rig_clear(void)
{
    rig_n_regions = 0;
    rig_n_resets = 0;
}

/* An interrupt receiver: the level of each of its 64 inputs. */
static RIG_UNUSED int rig_irq[64];
static RIG_UNUSED int rig_irq_changes[64];
static RIG_UNUSED void rig_irq_set(void *opaque, int n, int level)
{
    (void)opaque;
    if (rig_irq[n] != level)
        rig_irq_changes[n]++;
    rig_irq[n] = level;
}
static RIG_UNUSED IRQLine rig_irq_line(int n)
{
    return irq_line(rig_irq_set, NULL, n);
}
static RIG_UNUSED void rig_irq_clear(void)
{
    memset(rig_irq, 0, sizeof rig_irq);
    memset(rig_irq_changes, 0, sizeof rig_irq_changes);
}

#endif
