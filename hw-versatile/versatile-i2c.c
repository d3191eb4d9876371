/*
 * versatile-i2c.c — the Versatile PB's serial bus interface (SBCon) at
 * 0x10002000: two open-drain lines, SCL and SDA, that software drives bit
 * by bit (ARM DUI 0224, "Serial bus interface"; Linux's i2c-versatile
 * drives it through i2c-algo-bit).  The board has a DS1338 real-time
 * clock on it at address 0x68 (ds1338.c).
 *
 *   0x000 SB_CONTROL   R  bit 0 SCL, bit 1 SDA: the level on the lines
 *   0x000 SB_CONTROLS  W  writing 1 to a bit releases the line (high)
 *   0x004 SB_CONTROLC  W  writing 1 to a bit pulls the line low
 *
 * The lines are wired-AND: SDA reads low while the controller or the
 * addressed device pulls it low, high when both release it (pull-ups).
 * This file decodes the controller's wire changes into I2C conditions
 * (the I2C-bus specification, NXP UM10204): SDA falling while SCL is high
 * is a START, SDA rising while SCL is high a STOP; a data bit is taken on
 * each rising SCL edge, eight to a byte, most significant first, and the
 * ninth clock is the acknowledge, driven by the receiver.  The byte-level
 * side is i2c-bus.c.  Devices never stretch the clock.
 *
 * Not modelled: nothing else to it (no interrupt, no ID registers).
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/i2c-bus.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"

#define LINE_SCL 0x1u
#define LINE_SDA 0x2u

typedef enum {
    I2C_IDLE,       /* no transfer, or one nobody acknowledged */
    I2C_ADDRESS,    /* taking the address byte */
    I2C_TO_DEVICE,  /* the master writes bytes */
    I2C_TO_MASTER,  /* the device sends bytes */
} I2CPhase;

struct VersatileI2C {
    I2CBus *bus;
    uint32_t out;         /* the controller's outputs: 1 = released */
    bool dev_sda;         /* the device's SDA output: true = released */
    I2CPhase phase;
    unsigned bit;         /* clock pulses of the current byte so far (0..9) */
    uint8_t shift;        /* the byte being received or sent */
    bool read;            /* the transfer's direction (from the address) */
    bool acked;           /* the ninth bit of this byte was an ACK */
};

static bool scl(const VersatileI2C *s) { return s->out & LINE_SCL; }
static bool sda(const VersatileI2C *s) { return (s->out & LINE_SDA) && s->dev_sda; }

static void on_start(VersatileI2C *s)
{
    s->phase = I2C_ADDRESS;
    s->bit = 0;
    s->shift = 0;
    s->dev_sda = true;
}

static void on_stop(VersatileI2C *s)
{
    i2c_bus_stop(s->bus);   /* also after a NACK: the device's transfer ends */
    s->phase = I2C_IDLE;
    s->dev_sda = true;
}

/* SCL goes high: the receiver samples SDA. */
static void on_clock_rise(VersatileI2C *s)
{
    if (s->phase == I2C_IDLE)
        return;
    if (s->bit < 8) {
        if (s->phase != I2C_TO_MASTER)
            s->shift = (uint8_t)(s->shift << 1 | sda(s));
    } else if (s->bit == 8) {
        /* the acknowledge clock: low SDA is an ACK from the receiver */
        s->acked = !sda(s);
    }
    s->bit++;
}

/* SCL goes low: the transmitter may change SDA for the next bit. */
static void on_clock_fall(VersatileI2C *s)
{
    if (s->phase == I2C_IDLE || s->bit == 0)
        return;
    if (s->bit < 8) {
        if (s->phase == I2C_TO_MASTER)
            s->dev_sda = (s->shift >> (7 - s->bit)) & 1;
        return;
    }
    if (s->bit == 8) {
        /* a whole byte: the receiver drives the acknowledge */
        if (s->phase == I2C_ADDRESS) {
            s->read = s->shift & 1;
            s->dev_sda = !i2c_bus_start(s->bus, s->shift >> 1, s->read);
        } else if (s->phase == I2C_TO_DEVICE) {
            s->dev_sda = !i2c_bus_write(s->bus, s->shift);
        } else {
            s->dev_sda = true;   /* the master acknowledges a read byte */
        }
        return;
    }
    /* the acknowledge clock is over */
    s->bit = 0;
    s->shift = 0;
    s->dev_sda = true;
    bool ack = s->acked;
    switch (s->phase) {
    case I2C_ADDRESS:
        if (!ack) {
            s->phase = I2C_IDLE;   /* nobody answered: wait for START */
        } else if (s->read) {
            s->phase = I2C_TO_MASTER;
        } else {
            s->phase = I2C_TO_DEVICE;
        }
        break;
    case I2C_TO_DEVICE:
        if (!ack)
            s->phase = I2C_IDLE;
        break;
    case I2C_TO_MASTER:
        if (!ack)   /* the master wants no more: release SDA for the STOP */
            s->phase = I2C_IDLE;
        break;
    default:
        break;
    }
    if (s->phase == I2C_TO_MASTER) {
        s->shift = i2c_bus_read(s->bus);
        s->dev_sda = s->shift >> 7;
    }
}

/* The controller changes its outputs.  Data changes while the clock is
 * low, so a write that moves both lines changes SCL first when it falls,
 * SDA first when it rises. */
static void set_lines(VersatileI2C *s, uint32_t out)
{
    out &= LINE_SCL | LINE_SDA;
    bool scl_falls = scl(s) && !(out & LINE_SCL);
    if (scl_falls) {
        s->out &= ~LINE_SCL;
        on_clock_fall(s);
    }
    bool old_sda = sda(s);
    s->out = (s->out & ~LINE_SDA) | (out & LINE_SDA);
    if (scl(s) && old_sda != sda(s)) {
        if (!sda(s))
            on_start(s);
        else
            on_stop(s);
    }
    if (!scl(s) && (out & LINE_SCL)) {
        s->out |= LINE_SCL;
        on_clock_rise(s);
    }
}

static uint64_t i2c_read(void *opaque, uint64_t offset, unsigned size)
{
    VersatileI2C *s = opaque;
    if ((offset & ~3ull) != 0)
        return 0;
    return (scl(s) ? LINE_SCL : 0) | (sda(s) ? LINE_SDA : 0);
}

static void i2c_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    VersatileI2C *s = opaque;
    switch (offset & ~3ull) {
    case 0x0: set_lines(s, s->out | (uint32_t)value); break;
    case 0x4: set_lines(s, s->out & ~(uint32_t)value); break;
    }
}

static const MemoryRegionOps i2c_ops = { .read = i2c_read, .write = i2c_write };

static void i2c_reset(void *opaque)
{
    VersatileI2C *s = opaque;
    i2c_bus_stop(s->bus);
    s->out = LINE_SCL | LINE_SDA;
    s->dev_sda = true;
    s->phase = I2C_IDLE;
    s->bit = 0;
    s->shift = 0;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField i2c_fields[] = {
    VMS_FIELD(VersatileI2C, out),
    VMS_FIELD(VersatileI2C, dev_sda),
    VMS_FIELD(VersatileI2C, phase),
    VMS_FIELD(VersatileI2C, bit),
    VMS_FIELD(VersatileI2C, shift),
    VMS_FIELD(VersatileI2C, read),
    VMS_FIELD(VersatileI2C, acked),
    VMS_END
};

static const VMStateDescription i2c_vmsd = {
    .name = "versatile-i2c",
    .version = 1,
    .fields = i2c_fields,
};

VersatileI2C *versatile_i2c_new(PhysMemory *pm, uint64_t base)
{
    VersatileI2C *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->bus = i2c_bus_new();
    i2c_reset(s);
    phys_add_mmio(pm, "versatile-i2c", base, 0x1000, &i2c_ops, s);
    device_register_reset(i2c_reset, s);
    vmstate_register(&i2c_vmsd, base, s);
    i2c_bus_vmstate_register(s->bus, base);
    return s;
}

I2CBus *versatile_i2c_bus(VersatileI2C *s)
{
    return s->bus;
}

void versatile_i2c_free(VersatileI2C *s)
{
    vmstate_unregister(s);
    if (!s)
        return;
    i2c_bus_free(s->bus);
    free(s);
}
