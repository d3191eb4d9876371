/*
 * pl050.c — ARM PrimeCell PS2 Keyboard/Mouse Interface (KMI), after the
 * PL050 Technical Reference Manual (ARM DDI 0143), chapter 3
 * "Programmer's Model".  The Versatile PB has two, at 0x10006000 (the
 * keyboard) and 0x10007000 (the mouse), on SIC inputs 3 and 4; behind
 * each is a PS/2 device (ps2.c).
 *
 *   0x00 KMICR      RW  bit 0 force clock low, 1 force data low, 2 KmiEn,
 *                       3 TX interrupt enable, 4 RX interrupt enable,
 *                       5 type (0 PS/2; stored)
 *   0x04 KMISTAT    RO  bit 0 data line, 1 clock line (high unless forced
 *                       low), 2 parity of the received byte, 3 RX busy,
 *                       4 RX full, 5 TX busy, 6 TX empty
 *   0x08 KMIDATA    RW  read: the received byte (frees the register);
 *                       write: the byte to send to the device
 *   0x0C KMICLKDIV  RW  bits 3:0, the divider to the 8 MHz internal clock
 *   0x10 KMIIR      RO  bit 0 RX interrupt (RX full and enabled), bit 1 TX
 *                       interrupt (TX empty and enabled)
 *   0xFE0.. PeriphID 0x00041050, PCellID 0xB105F00D
 * The interrupt output is the OR of the two.
 *
 * The wire takes no time: a byte written to KMIDATA reaches the device at
 * once (TX busy is never seen, TX empty always is), and the device's answer
 * is in the receive register by the time the write returns.  The receive
 * register holds one byte; the device keeps the rest in its own queue
 * until the guest reads KMIDATA, so nothing is lost to a slow driver.
 * While KmiEn is clear the interface neither sends nor receives.
 *
 * Not modelled: line timing and the clock divider (stored only), forcing
 * the lines low does not inhibit the device (the lines read low, that is
 * all), parity and framing errors never happen.
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "hw-versatile/ps2.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define PL050_PERIPH_ID 0x00041050u

#define CR_FKMIC    0x01u
#define CR_FKMID    0x02u
#define CR_EN       0x04u
#define CR_TXINTREN 0x08u
#define CR_RXINTREN 0x10u
#define CR_MASK     0x3Fu

#define STAT_KMID     0x01u
#define STAT_KMIC     0x02u
#define STAT_RXPARITY 0x04u
#define STAT_RXFULL   0x10u
#define STAT_TXEMPTY  0x40u

#define IR_RX 0x01u
#define IR_TX 0x02u

struct PL050 {
    IRQLine irq;
    PS2Device *dev;
    uint32_t cr, clkdiv;
    bool rx_full;
    uint8_t rx;
    bool rx_parity;       /* the parity bit that came with rx */
    int irq_level;
};

static uint32_t intr_status(const PL050 *k)
{
    uint32_t ir = 0;
    if (k->rx_full && (k->cr & CR_RXINTREN))
        ir |= IR_RX;
    if (k->cr & CR_TXINTREN)   /* the transmit register is always empty */
        ir |= IR_TX;
    return ir;
}

static void update_irq(PL050 *k)
{
    int level = intr_status(k) != 0;
    if (level != k->irq_level) {
        k->irq_level = level;
        irq_set(&k->irq, level);
    }
}

/* The odd-parity bit that came with byte b: set when b has an even
 * number of ones. */
static bool odd_parity_bit(uint8_t b)
{
    return !(__builtin_popcount(b) & 1);
}

/* Move the device's next byte into a free receive register. */
static void receive(PL050 *k)
{
    if ((k->cr & CR_EN) && !k->rx_full && ps2_has_data(k->dev)) {
        k->rx = ps2_read(k->dev);
        k->rx_parity = odd_parity_bit(k->rx);
        k->rx_full = true;
    }
    update_irq(k);
}

static void device_has_data(void *opaque)
{
    receive(opaque);
}

static uint64_t pl050_read(void *opaque, uint64_t offset, unsigned size)
{
    PL050 *k = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, PL050_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    switch (reg) {
    case 0x00:
        val = k->cr;
        break;
    case 0x04:
        val = STAT_TXEMPTY;
        if (!(k->cr & CR_FKMID))
            val |= STAT_KMID;
        if (!(k->cr & CR_FKMIC))
            val |= STAT_KMIC;
        if (k->rx_full)
            val |= STAT_RXFULL;
        if (k->rx_parity)
            val |= STAT_RXPARITY;
        break;
    case 0x08:
        val = k->rx;
        if (k->rx_full) {
            k->rx_full = false;
            receive(k);
        }
        break;
    case 0x0C:
        val = k->clkdiv;
        break;
    case 0x10:
        val = intr_status(k);
        break;
    }
    return primecell_narrow(val, offset, size);
}

static void pl050_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL050 *k = opaque;
    switch (offset & ~3ull) {
    case 0x00:
        k->cr = (uint32_t)value & CR_MASK;
        break;
    case 0x08:
        if (k->cr & CR_EN)
            ps2_write(k->dev, (uint8_t)value);
        break;
    case 0x0C:
        k->clkdiv = (uint32_t)value & 0xF;
        break;
    }
    receive(k);
}

static const MemoryRegionOps pl050_ops = { .read = pl050_read, .write = pl050_write };

static void pl050_reset(void *opaque)
{
    PL050 *k = opaque;
    k->cr = 0;
    k->clkdiv = 0;
    k->rx_full = false;
    k->rx = 0;
    k->rx_parity = false;
    ps2_reset(k->dev);
    update_irq(k);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField pl050_fields[] = {
    VMS_FIELD(PL050, cr),
    VMS_FIELD(PL050, clkdiv),
    VMS_FIELD(PL050, rx_full),
    VMS_FIELD(PL050, rx),
    VMS_FIELD(PL050, rx_parity),
    VMS_FIELD(PL050, irq_level),
    VMS_END
};

static const VMStateDescription pl050_vmsd = {
    .name = "pl050",
    .version = 1,
    .fields = pl050_fields,
};

PL050 *pl050_new(PhysMemory *pm, uint64_t base, IRQLine irq, PS2Device *dev)
{
    PL050 *k = calloc(1, sizeof *k);
    if (!k)
        abort();
    k->irq = irq;
    k->dev = dev;
    ps2_set_notify(dev, device_has_data, k);
    pl050_reset(k);
    phys_add_mmio(pm, "pl050", base, PRIMECELL_WINDOW, &pl050_ops, k);
    device_register_reset(pl050_reset, k);
    vmstate_register(&pl050_vmsd, base, k);
    ps2_vmstate_register(dev, base);
    return k;
}

PS2Device *pl050_device(PL050 *k)
{
    return k->dev;
}

void pl050_free(PL050 *k)
{
    vmstate_unregister(k);
    if (!k)
        return;
    ps2_free(k->dev);
    free(k);
}
