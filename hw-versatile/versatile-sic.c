/*
 * versatile-sic.c — the Versatile PB's secondary interrupt controller
 * (SIC), an FPGA block at 0x10003000 that gathers the interrupts of the
 * board's expansion peripherals (KMI, MMC, AACI, Ethernet, USB, PCI, ...)
 * into VIC input 31.  After the Versatile PB User Guide (ARM DUI 0224),
 * the Programmer's Reference chapter, "Secondary interrupt controller".
 *
 *   0x00 SIC_STATUS      RO  raw & enable
 *   0x04 SIC_RAWSTAT     RO  inputs | software interrupts
 *   0x08 SIC_ENABLE      R   enable mask;   W SIC_ENSET: 1 enables
 *   0x0C SIC_ENCLR       W   1 disables
 *   0x10 SIC_SOFTINTSET  RW  software interrupts: W 1 sets
 *   0x14 SIC_SOFTINTCLR  W   1 clears
 *   0x20 SIC_PICENABLE   R   pass-through mask; W SIC_PICENSET
 *   0x24 SIC_PICENCLR    W
 * Pass-through: for inputs 21..30 whose SIC_PICENABLE bit is set, the
 * input's level also drives the VIC input of the same number directly
 * (regardless of SIC_ENABLE), which is how the PB lets the MMC, AACI,
 * Ethernet, USB and PCI interrupts reach the VIC without sharing 31.
 *
 * Not modelled: nothing else is documented for the block.
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define PIC_MASK 0x7FE00000u   /* inputs 21..30 may pass through */

struct VersatileSIC {
    PL190 *vic;
    int vic_input;
    uint32_t inputs, soft, enable, pic_enable;
    int out_level;
    uint32_t pass_level;      /* what pass-through last drove on VIC 21..30 */
};

static void update(VersatileSIC *s)
{
    uint32_t raw = s->inputs | s->soft;
    int out = (raw & s->enable) != 0;
    if (out != s->out_level) {
        s->out_level = out;
        IRQLine l = pl190_input(s->vic, s->vic_input);
        irq_set(&l, out);
    }
    uint32_t pass = raw & s->pic_enable;
    uint32_t changed = (pass ^ s->pass_level) & PIC_MASK;
    s->pass_level = pass;
    for (int n = 21; n <= 30; n++) {
        if (changed & (1u << n)) {
            IRQLine l = pl190_input(s->vic, n);
            irq_set(&l, (pass >> n) & 1);
        }
    }
}

static void sic_set_input(void *opaque, int n, int level)
{
    VersatileSIC *s = opaque;
    uint32_t bit = 1u << (n & 31);
    s->inputs = level ? s->inputs | bit : s->inputs & ~bit;
    update(s);
}

IRQLine versatile_sic_input(VersatileSIC *sic, int n)
{
    return irq_line(sic_set_input, sic, n);
}

static uint64_t sic_read(void *opaque, uint64_t offset, unsigned size)
{
    VersatileSIC *s = opaque;
    uint32_t val;
    switch (offset & ~3ull) {
    case 0x00: val = (s->inputs | s->soft) & s->enable; break;
    case 0x04: val = s->inputs | s->soft; break;
    case 0x08: val = s->enable; break;
    case 0x10: val = s->soft; break;
    case 0x20: val = s->pic_enable; break;
    default: val = 0; break;
    }
    unsigned shift = (offset & 3) * 8;
    uint64_t v = val >> shift;
    return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}

static void sic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    VersatileSIC *s = opaque;
    uint32_t val = (uint32_t)value;
    switch (offset & ~3ull) {
    case 0x08: s->enable |= val; break;
    case 0x0C: s->enable &= ~val; break;
    case 0x10: s->soft |= val; break;
    case 0x14: s->soft &= ~val; break;
    case 0x20: s->pic_enable |= val & PIC_MASK; break;
    case 0x24: s->pic_enable &= ~val; break;
    default: break;
    }
    update(s);
}

static const MemoryRegionOps sic_ops = { .read = sic_read, .write = sic_write };

static void sic_reset(void *opaque)
{
    VersatileSIC *s = opaque;
    s->soft = s->enable = s->pic_enable = 0;
    update(s);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField sic_fields[] = {
    VMS_FIELD(VersatileSIC, inputs),
    VMS_FIELD(VersatileSIC, soft),
    VMS_FIELD(VersatileSIC, enable),
    VMS_FIELD(VersatileSIC, pic_enable),
    VMS_FIELD(VersatileSIC, out_level),
    VMS_FIELD(VersatileSIC, pass_level),
    VMS_END
};

static const VMStateDescription sic_vmsd = {
    .name = "versatile-sic",
    .version = 1,
    .fields = sic_fields,
};

VersatileSIC *versatile_sic_new(PhysMemory *pm, uint64_t base, PL190 *vic, int vic_input)
{
    VersatileSIC *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->vic = vic;
    s->vic_input = vic_input;
    phys_add_mmio(pm, "versatile-sic", base, 0x1000, &sic_ops, s);
    device_register_reset(sic_reset, s);
    vmstate_register(&sic_vmsd, base, s);
    return s;
}

void versatile_sic_free(VersatileSIC *sic)
{
    vmstate_unregister(sic);
    free(sic);
}
