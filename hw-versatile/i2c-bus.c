/*
 * i2c-bus.c — the byte-level I2C bus of i2c-bus.h: a table of devices by
 * address and the one a transfer is talking to.  (The I2C-bus
 * specification, NXP UM10204: 7-bit addressing, START/STOP, ACK.)
 */
#include "hw-versatile/i2c-bus.h"

#include <stdlib.h>

#include "softmmu/vmstate.h"

#define MAX_DEVICES 8

typedef struct I2CDevice {
    uint8_t addr;
    const I2CDeviceOps *ops;
    void *opaque;
} I2CDevice;

struct I2CBus {
    I2CDevice dev[MAX_DEVICES];
    int n_dev;
    I2CDevice *current;   /* the addressed device of the transfer, or NULL */
};

I2CBus *i2c_bus_new(void)
{
    I2CBus *bus = calloc(1, sizeof *bus);
    if (!bus)
        abort();
    return bus;
}

void i2c_bus_free(I2CBus *bus)
{
    vmstate_unregister(bus);
    free(bus);
}

void i2c_bus_attach(I2CBus *bus, uint8_t addr, const I2CDeviceOps *ops, void *opaque)
{
    if (bus->n_dev == MAX_DEVICES)
        abort();   /* a board wiring error, not guest input */
    bus->dev[bus->n_dev++] = (I2CDevice){ .addr = addr & 0x7F, .ops = ops, .opaque = opaque };
}

bool i2c_bus_start(I2CBus *bus, uint8_t addr, bool read)
{
    /* a repeated START to another device ends the first one's transfer */
    I2CDevice *old = bus->current;
    bus->current = NULL;
    for (int i = 0; i < bus->n_dev; i++) {
        if (bus->dev[i].addr == (addr & 0x7F)) {
            if (old && old != &bus->dev[i])
                old->ops->stop(old->opaque);
            if (bus->dev[i].ops->start(bus->dev[i].opaque, read))
                bus->current = &bus->dev[i];
            return bus->current != NULL;
        }
    }
    if (old)
        old->ops->stop(old->opaque);
    return false;
}

bool i2c_bus_write(I2CBus *bus, uint8_t byte)
{
    return bus->current && bus->current->ops->write(bus->current->opaque, byte);
}

uint8_t i2c_bus_read(I2CBus *bus)
{
    return bus->current ? bus->current->ops->read(bus->current->opaque) : 0xFF;
}

void i2c_bus_stop(I2CBus *bus)
{
    if (bus->current)
        bus->current->ops->stop(bus->current->opaque);
    bus->current = NULL;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

/* the addressed device as its index on the bus (UINT32_MAX: none) */
static void bus_save(void *opaque, VMStateOut *out)
{
    I2CBus *bus = opaque;
    vms_put_u32(out, bus->current ? (uint32_t)(bus->current - bus->dev) : UINT32_MAX);
}

static int bus_load(void *opaque, VMStateIn *in)
{
    I2CBus *bus = opaque;
    uint32_t k = vms_get_u32(in);
    if (k != UINT32_MAX && k >= (uint32_t)bus->n_dev) {
        vms_in_error(in, "device %u addressed, the bus has %d", k, bus->n_dev);
        return -1;
    }
    bus->current = k == UINT32_MAX ? NULL : &bus->dev[k];
    return 0;
}

static const VMStateDescription bus_vmsd = { .name = "i2c-bus", .version = 1, .save = bus_save, .load = bus_load };

void i2c_bus_vmstate_register(I2CBus *bus, uint64_t id)
{
    vmstate_register(&bus_vmsd, id, bus);
}
