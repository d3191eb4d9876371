/*
 * pl190.c — ARM PrimeCell PL190 Vectored Interrupt Controller (VIC), the
 * Versatile PB's primary interrupt controller, after the PL190 Technical
 * Reference Manual (ARM DDI 0181), chapter 3 "Programmer's Model".
 *
 * 32 level-sensitive inputs, ORed with the software interrupts, masked by
 * VICIntEnable and steered to the FIQ or IRQ output by VICIntSelect.  IRQs
 * go through the priority logic: 16 vectored slots (VICVectCntl0..15 name
 * a source and enable the slot, slot 0 the highest priority) and the
 * default, non-vectored level below them.  Reading VICVectAddr
 * acknowledges the highest-priority pending IRQ: it returns that slot's
 * VICVectAddrN (or VICDefVectAddr) and masks it and everything of lower
 * priority until the service routine writes VICVectAddr; a higher
 * priority interrupt still gets through, so routines nest (a stack of
 * levels in service).
 *
 * Not modelled: VICProtection is stored but does not block user-mode
 * accesses (a device does not see the privilege of an access); the test
 * registers (VICITCR, VICITIP1/2, VICITOP1/2) read as zero and ignore
 * writes; the daisy-chain inputs (VICVECTADDRIN, nVICIRQIN) do not exist
 * on the PB.
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define PL190_PERIPH_ID 0x00041190u

#define N_SLOTS 16
#define LEVEL_DEFAULT 16     /* the non-vectored level */
#define LEVEL_NONE 17        /* nothing in service */

struct PL190 {
    IRQLine irq_out, fiq_out;
    uint32_t inputs;          /* levels of the 32 lines */
    uint32_t soft;            /* VICSoftInt */
    uint32_t enable;          /* VICIntEnable */
    uint32_t select;          /* VICIntSelect: 1 = FIQ */
    uint32_t protection;
    uint32_t vect_addr[N_SLOTS];
    uint32_t vect_cntl[N_SLOTS];
    uint32_t def_vect_addr;
    /* levels in service, innermost last; each strictly higher priority
     * (smaller) than the one below it */
    uint8_t stack[LEVEL_NONE];
    uint32_t stack_addr[LEVEL_NONE];
    int depth;
    int irq_level, fiq_level; /* what the outputs were last set to */
};

static uint32_t raw_status(const PL190 *v)
{
    return v->inputs | v->soft;
}

static uint32_t irq_status(const PL190 *v)
{
    return raw_status(v) & v->enable & ~v->select;
}

static int current_level(const PL190 *v)
{
    return v->depth ? v->stack[v->depth - 1] : LEVEL_NONE;
}

/* The highest-priority IRQ asking for service: a slot 0..15, the default
 * level, or LEVEL_NONE. */
static int pending_level(const PL190 *v)
{
    uint32_t status = irq_status(v);
    uint32_t vectored = 0;
    int best = LEVEL_NONE;
    for (int i = 0; i < N_SLOTS; i++) {
        if (!(v->vect_cntl[i] & 0x20))
            continue;
        uint32_t bit = 1u << (v->vect_cntl[i] & 0x1F);
        vectored |= bit;
        if ((status & bit) && best == LEVEL_NONE)
            best = i;
    }
    if (best == LEVEL_NONE && (status & ~vectored))
        best = LEVEL_DEFAULT;
    return best;
}

static void update(PL190 *v)
{
    int irq = pending_level(v) < current_level(v);
    int fiq = (raw_status(v) & v->enable & v->select) != 0;
    if (irq != v->irq_level) {
        v->irq_level = irq;
        irq_set(&v->irq_out, irq);
    }
    if (fiq != v->fiq_level) {
        v->fiq_level = fiq;
        irq_set(&v->fiq_out, fiq);
    }
}

static void pl190_set_input(void *opaque, int n, int level)
{
    PL190 *v = opaque;
    uint32_t bit = 1u << (n & 31);
    v->inputs = level ? v->inputs | bit : v->inputs & ~bit;
    update(v);
}

IRQLine pl190_input(PL190 *vic, int n)
{
    return irq_line(pl190_set_input, vic, n);
}

static uint32_t level_addr(const PL190 *v, int level)
{
    return level == LEVEL_DEFAULT ? v->def_vect_addr : v->vect_addr[level];
}

/* Reading VICVectAddr: acknowledge the pending IRQ if it may preempt. */
static uint32_t read_vect_addr(PL190 *v)
{
    int p = pending_level(v);
    if (p < current_level(v)) {
        v->stack[v->depth] = (uint8_t)p;
        v->stack_addr[v->depth] = level_addr(v, p);
        v->depth++;
        update(v);
        return v->stack_addr[v->depth - 1];
    }
    /* nothing new: the routine in service (or the default address) */
    return v->depth ? v->stack_addr[v->depth - 1] : v->def_vect_addr;
}

static uint64_t pl190_read(void *opaque, uint64_t offset, unsigned size)
{
    PL190 *v = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, PL190_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    if (reg >= 0x100 && reg < 0x140) {
        val = v->vect_addr[(reg - 0x100) / 4];
    } else if (reg >= 0x200 && reg < 0x240) {
        val = v->vect_cntl[(reg - 0x200) / 4];
    } else {
        switch (reg) {
        case 0x000: val = irq_status(v); break;                         /* VICIRQStatus */
        case 0x004: val = raw_status(v) & v->enable & v->select; break; /* VICFIQStatus */
        case 0x008: val = raw_status(v); break;                         /* VICRawIntr */
        case 0x00C: val = v->select; break;                             /* VICIntSelect */
        case 0x010: val = v->enable; break;                             /* VICIntEnable */
        case 0x018: val = v->soft; break;                               /* VICSoftInt */
        case 0x020: val = v->protection; break;                         /* VICProtection */
        case 0x030: val = read_vect_addr(v); break;                     /* VICVectAddr */
        case 0x034: val = v->def_vect_addr; break;                      /* VICDefVectAddr */
        default: val = 0; break;   /* write-only, test and reserved registers */
        }
    }
    return primecell_narrow(val, offset, size);
}

static void pl190_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL190 *v = opaque;
    uint32_t val = (uint32_t)value;
    uint64_t reg = offset & ~3ull;
    if (reg >= 0x100 && reg < 0x140) {
        v->vect_addr[(reg - 0x100) / 4] = val;
    } else if (reg >= 0x200 && reg < 0x240) {
        v->vect_cntl[(reg - 0x200) / 4] = val & 0x3F;
    } else {
        switch (reg) {
        case 0x00C: v->select = val; break;
        case 0x010: v->enable |= val; break;          /* VICIntEnable: 1 enables */
        case 0x014: v->enable &= ~val; break;         /* VICIntEnClear */
        case 0x018: v->soft |= val; break;            /* VICSoftInt */
        case 0x01C: v->soft &= ~val; break;           /* VICSoftIntClear */
        case 0x020: v->protection = val & 1; break;
        case 0x030:                                   /* VICVectAddr: end of service */
            if (v->depth)
                v->depth--;
            break;
        case 0x034: v->def_vect_addr = val; break;
        default: break;
        }
    }
    update(v);
}

static const MemoryRegionOps pl190_ops = { .read = pl190_read, .write = pl190_write };

static void pl190_reset(void *opaque)
{
    PL190 *v = opaque;
    v->soft = v->enable = v->select = v->protection = 0;
    for (int i = 0; i < N_SLOTS; i++)
        v->vect_addr[i] = v->vect_cntl[i] = 0;
    v->def_vect_addr = 0;
    v->depth = 0;
    update(v);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* the cpu's IRQ and FIQ lines are not state of their own: drive them
 * again from the restored outputs */
static void pl190_post_load(void *opaque)
{
    PL190 *v = opaque;
    irq_set(&v->irq_out, v->irq_level);
    irq_set(&v->fiq_out, v->fiq_level);
}

static const VMStateField pl190_fields[] = {
    VMS_FIELD(PL190, inputs),
    VMS_FIELD(PL190, soft),
    VMS_FIELD(PL190, enable),
    VMS_FIELD(PL190, select),
    VMS_FIELD(PL190, protection),
    VMS_FIELD(PL190, vect_addr),
    VMS_FIELD(PL190, vect_cntl),
    VMS_FIELD(PL190, def_vect_addr),
    VMS_FIELD(PL190, stack),
    VMS_FIELD(PL190, stack_addr),
    VMS_FIELD(PL190, depth),
    VMS_FIELD(PL190, irq_level),
    VMS_FIELD(PL190, fiq_level),
    VMS_END
};

static const VMStateDescription pl190_vmsd = {
    .name = "pl190",
    .version = 1,
    .fields = pl190_fields,
    .post_load = pl190_post_load,
};

PL190 *pl190_new(PhysMemory *pm, uint64_t base, IRQLine irq_out, IRQLine fiq_out)
{
    PL190 *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    v->irq_out = irq_out;
    v->fiq_out = fiq_out;
    phys_add_mmio(pm, "pl190", base, PRIMECELL_WINDOW, &pl190_ops, v);
    device_register_reset(pl190_reset, v);
    vmstate_register(&pl190_vmsd, base, v);
    return v;
}

void pl190_free(PL190 *vic)
{
    vmstate_unregister(vic);
    free(vic);
}
