/*
 * i2c-bus.h — an I2C bus at the level of bytes, between a controller
 * that decodes the wires (versatile-i2c.c: a bit-banged one) and the
 * devices on the bus (ds1338.c).  A transfer is a START with a 7-bit
 * address and direction, bytes one way, and a STOP (or a repeated START).
 * Only the addressed device sees the bytes; an address nobody answers is
 * not acknowledged, which is how a driver learns a device is absent.
 */
#ifndef VEMU_HW_VERSATILE_I2C_BUS_H
#define VEMU_HW_VERSATILE_I2C_BUS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct I2CDeviceOps {
    /* A START (or repeated START) addressed to the device; read: the
     * master will read.  Returns whether the device acknowledges. */
    bool (*start)(void *opaque, bool read);
    /* A byte from the master; returns whether the device acknowledges. */
    bool (*write)(void *opaque, uint8_t byte);
    /* The next byte to the master. */
    uint8_t (*read)(void *opaque);
    /* The transfer ends (STOP). */
    void (*stop)(void *opaque);
} I2CDeviceOps;

typedef struct I2CBus I2CBus;

I2CBus *i2c_bus_new(void);
void i2c_bus_free(I2CBus *bus);
/* A device at a 7-bit address (at most 8 devices on a bus). */
void i2c_bus_attach(I2CBus *bus, uint8_t addr, const I2CDeviceOps *ops, void *opaque);

/* The controller's side.  i2c_bus_start returns whether a device took the
 * address (ACK); write/read go to that device (write: false, read: 0xFF,
 * the released line, when there is none). */
bool i2c_bus_start(I2CBus *bus, uint8_t addr, bool read);
bool i2c_bus_write(I2CBus *bus, uint8_t byte);
uint8_t i2c_bus_read(I2CBus *bus);
void i2c_bus_stop(I2CBus *bus);

/* The bus transfer state (which device is addressed) in savevm. */
void i2c_bus_vmstate_register(I2CBus *bus, uint64_t id);

#endif
