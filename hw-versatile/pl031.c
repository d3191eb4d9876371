/*
 * pl031.c — ARM PrimeCell PL031 Real Time Clock, after the PL031 Technical
 * Reference Manual (ARM DDI 0224), chapter 3 "Programmer's Model".  On the
 * Versatile PB at 0x101E8000, VIC input 10.
 *
 *   0x00 RTCDR    RO  the counter: seconds, from the host's wall clock
 *   0x04 RTCMR    RW  match value: the interrupt is raised when the
 *                     counter equals it (at once if it already does)
 *   0x08 RTCLR    RW  writing sets the counter to the value (kept as an
 *                     offset from the host clock); reads the last value
 *   0x0C RTCCR    RW  bit 0, start: always set (see below)
 *   0x10 RTCIMSC, 0x14 RTCRIS, 0x18 RTCMIS, 0x1C RTCICR (WO)
 *   0xFE0.. PeriphID 0x00041031, PCellID 0xB105F00D
 * The counter needs no ticking: it is the host's time plus an offset; a
 * timer is set (on the virtual clock) for the second the counter reaches
 * RTCMR.
 *
 * Not modelled: the counter runs from power-on (RTCCR reads 1, as if the
 * firmware had started it; writes cannot stop it, as on the part once
 * started); the integration test registers (RTCITCR, RTCITIP, RTCITOP)
 * read as zero.  The counter follows the host's wall clock even while the
 * machine is stopped.
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"
#include "softmmu/timer.h"

#define PL031_PERIPH_ID 0x00041031u

struct PL031 {
    IRQLine irq;
    int64_t offset_s;     /* counter = host seconds + offset */
    uint32_t mr, lr, imsc, ris;
    int irq_level;
    Timer *match;
};

static uint32_t counter(const PL031 *r, int64_t real_ns)
{
    return (uint32_t)(real_ns / 1000000000 + r->offset_s);
}

static void update(PL031 *r)
{
    int level = (r->ris & r->imsc & 1) != 0;
    if (level != r->irq_level) {
        r->irq_level = level;
        irq_set(&r->irq, level);
    }
}

/* Signal the match now, or set the timer for the second it happens. */
static void arm_match(PL031 *r)
{
    int64_t real = clock_realtime_ns();
    uint32_t delta = r->mr - counter(r, real);
    if (delta == 0) {
        r->ris = 1;
        timer_del(r->match);
        update(r);
        return;
    }
    /* the counter reaches mr at the start of host second now_s + delta */
    int64_t now_s = real / 1000000000;
    int64_t wait_ns = (now_s + (int64_t)delta) * 1000000000 - real;
    timer_mod(r->match, clock_virtual_ns() + wait_ns);
}

static void match_expired(void *opaque)
{
    PL031 *r = opaque;
    /* early (the host clock moved) just sets the timer again */
    arm_match(r);
}

static uint64_t pl031_read(void *opaque, uint64_t offset, unsigned size)
{
    PL031 *r = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, PL031_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    switch (reg) {
    case 0x00: val = counter(r, clock_realtime_ns()); break;
    case 0x04: val = r->mr; break;
    case 0x08: val = r->lr; break;
    case 0x0C: val = 1; break;
    case 0x10: val = r->imsc; break;
    case 0x14: val = r->ris; break;
    case 0x18: val = r->ris & r->imsc; break;
    default: val = 0; break;
    }
    return primecell_narrow(val, offset, size);
}

static void pl031_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL031 *r = opaque;
    uint32_t val = (uint32_t)value;
    switch (offset & ~3ull) {
    case 0x04:
        r->mr = val;
        arm_match(r);
        break;
    case 0x08:
        r->lr = val;
        r->offset_s = (int64_t)val - clock_realtime_ns() / 1000000000;
        arm_match(r);
        break;
    case 0x10: r->imsc = val & 1; break;
    case 0x1C: r->ris &= ~(val & 1); break;
    default: break;
    }
    update(r);
}

static const MemoryRegionOps pl031_ops = { .read = pl031_read, .write = pl031_write };

static void pl031_reset(void *opaque)
{
    PL031 *r = opaque;
    r->offset_s = 0;
    r->mr = r->lr = r->imsc = r->ris = 0;
    timer_del(r->match);
    update(r);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField pl031_fields[] = {
    VMS_FIELD(PL031, offset_s),
    VMS_FIELD(PL031, mr),
    VMS_FIELD(PL031, lr),
    VMS_FIELD(PL031, imsc),
    VMS_FIELD(PL031, ris),
    VMS_FIELD(PL031, irq_level),
    VMS_TIMER(PL031, match),
    VMS_END
};

static const VMStateDescription pl031_vmsd = {
    .name = "pl031",
    .version = 1,
    .fields = pl031_fields,
};

PL031 *pl031_new(PhysMemory *pm, uint64_t base, IRQLine irq)
{
    PL031 *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->irq = irq;
    r->match = timer_new(match_expired, r);
    phys_add_mmio(pm, "pl031", base, PRIMECELL_WINDOW, &pl031_ops, r);
    device_register_reset(pl031_reset, r);
    vmstate_register(&pl031_vmsd, base, r);
    return r;
}

void pl031_free(PL031 *r)
{
    vmstate_unregister(r);
    if (!r)
        return;
    timer_free(r->match);
    free(r);
}
