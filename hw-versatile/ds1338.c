/*
 * ds1338.c — Maxim DS1338 I2C real-time clock with 56 bytes of RAM, after
 * its data sheet (DS1338, "I2C RTC with 56-Byte NV RAM"), the clock on the
 * Versatile PB's I2C bus at 0x68.
 *
 * 64 registers behind an address pointer that every byte read or written
 * advances (wrapping from 0x3F to 0x00); the first byte of a write
 * transfer sets the pointer.
 *   0x00 seconds (BCD; bit 7 CH, clock halt)   0x01 minutes (BCD)
 *   0x02 hours (BCD; bit 6 set: 12-hour mode, bit 5 PM)
 *   0x03 day of the week (1..7)   0x04 date   0x05 month   0x06 year (00..99)
 *   0x07 control: bit 7 OUT, 5 OSF (oscillator stopped; writes only clear
 *        it), 4 SQWE, 1:0 RS
 *   0x08..0x3F RAM
 * As on the part, a START copies the running time into the time
 * registers, so a multi-byte read sees one consistent time; time
 * registers written during a transfer set the clock at its STOP.
 *
 * The clock is the host's wall clock plus an offset (like the PL031), in
 * the years 2000..2099; the day of the week is whatever the guest set it
 * to, advancing with the date (Linux counts Sunday as 1).
 *
 * Not modelled: CH does not stop the clock (it reads back zero); the
 * square-wave output; the RAM is not kept across vemu runs (there is no
 * battery to back it); OSF reads zero from power-on, as the time is valid.
 */
#include <stdlib.h>
#include <time.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/i2c-bus.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"
#include "softmmu/timer.h"

#define REG_SECONDS 0x00
#define REG_HOURS   0x02
#define REG_WDAY    0x03
#define REG_YEAR    0x06
#define REG_CONTROL 0x07

#define HOURS_12H 0x40
#define HOURS_PM  0x20
#define CONTROL_OSF 0x20

struct DS1338 {
    uint8_t regs[64];
    uint8_t ptr;
    bool set_pointer;      /* the next byte written is the pointer */
    bool time_written;     /* a time register was written this transfer */
    int64_t offset_s;      /* clock = host seconds + offset */
    int wday_offset;       /* guest's day-of-week numbering vs the date's */
};

static uint8_t to_bcd(int v) { return (uint8_t)((v / 10) << 4 | (v % 10)); }
static int from_bcd(uint8_t b) { return (b >> 4) * 10 + (b & 0xF); }

static int64_t host_seconds(void)
{
    return clock_realtime_ns() / 1000000000;
}

/* The running time into registers 0..6. */
static void latch_time(DS1338 *r)
{
    time_t t = (time_t)(host_seconds() + r->offset_s);
    struct tm tm;
    gmtime_r(&t, &tm);
    r->regs[0] = to_bcd(tm.tm_sec);
    r->regs[1] = to_bcd(tm.tm_min);
    if (r->regs[REG_HOURS] & HOURS_12H) {
        int h = tm.tm_hour % 12;
        r->regs[REG_HOURS] = HOURS_12H | (tm.tm_hour >= 12 ? HOURS_PM : 0) | to_bcd(h ? h : 12);
    } else {
        r->regs[REG_HOURS] = to_bcd(tm.tm_hour);
    }
    r->regs[REG_WDAY] = (uint8_t)((tm.tm_wday + r->wday_offset) % 7 + 1);
    r->regs[4] = to_bcd(tm.tm_mday);
    r->regs[5] = to_bcd(tm.tm_mon + 1);
    r->regs[REG_YEAR] = to_bcd(tm.tm_year % 100);
}

/* Registers 0..6 as written become the running time. */
static void set_time(DS1338 *r)
{
    struct tm tm = { 0 };
    tm.tm_sec = from_bcd(r->regs[0] & 0x7F);
    tm.tm_min = from_bcd(r->regs[1] & 0x7F);
    uint8_t h = r->regs[REG_HOURS];
    if (h & HOURS_12H)
        tm.tm_hour = from_bcd(h & 0x1F) % 12 + ((h & HOURS_PM) ? 12 : 0);
    else
        tm.tm_hour = from_bcd(h & 0x3F);
    tm.tm_mday = from_bcd(r->regs[4] & 0x3F);
    tm.tm_mon = from_bcd(r->regs[5] & 0x1F) - 1;
    tm.tm_year = 100 + from_bcd(r->regs[REG_YEAR]);
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return;   /* an impossible date: the clock keeps its time */
    r->offset_s = (int64_t)t - host_seconds();
    struct tm now;
    gmtime_r(&t, &now);
    r->wday_offset = (((r->regs[REG_WDAY] & 7) + 6 - now.tm_wday) % 7 + 7) % 7;
}

static bool ds1338_start(void *opaque, bool read)
{
    DS1338 *r = opaque;
    latch_time(r);
    r->set_pointer = !read;
    r->time_written = false;
    return true;
}

static bool ds1338_write(void *opaque, uint8_t byte)
{
    DS1338 *r = opaque;
    if (r->set_pointer) {
        r->ptr = byte & 0x3F;
        r->set_pointer = false;
        return true;
    }
    if (r->ptr <= REG_YEAR) {
        r->regs[r->ptr] = byte;
        r->time_written = true;
    } else if (r->ptr == REG_CONTROL) {
        r->regs[REG_CONTROL] = (byte & 0x93) | (r->regs[REG_CONTROL] & byte & CONTROL_OSF);
    } else {
        r->regs[r->ptr] = byte;
    }
    r->ptr = (r->ptr + 1) & 0x3F;
    return true;
}

static uint8_t ds1338_read(void *opaque)
{
    DS1338 *r = opaque;
    uint8_t b = r->regs[r->ptr];
    r->ptr = (r->ptr + 1) & 0x3F;
    return b;
}

static void ds1338_stop(void *opaque)
{
    DS1338 *r = opaque;
    if (r->time_written)
        set_time(r);
    r->time_written = false;
    r->set_pointer = false;
}

static const I2CDeviceOps ds1338_ops = {
    .start = ds1338_start, .write = ds1338_write, .read = ds1338_read, .stop = ds1338_stop,
};

static void ds1338_reset(void *opaque)
{
    DS1338 *r = opaque;
    /* the clock and RAM are battery-backed: a board reset keeps them */
    r->ptr = 0;
    r->set_pointer = false;
    r->time_written = false;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField ds1338_fields[] = {
    VMS_FIELD(DS1338, regs),
    VMS_FIELD(DS1338, ptr),
    VMS_FIELD(DS1338, set_pointer),
    VMS_FIELD(DS1338, time_written),
    VMS_FIELD(DS1338, offset_s),
    VMS_FIELD(DS1338, wday_offset),
    VMS_END
};

static const VMStateDescription ds1338_vmsd = {
    .name = "ds1338",
    .version = 1,
    .fields = ds1338_fields,
};

DS1338 *ds1338_new(I2CBus *bus, uint8_t addr)
{
    DS1338 *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    i2c_bus_attach(bus, addr, &ds1338_ops, r);
    device_register_reset(ds1338_reset, r);
    vmstate_register(&ds1338_vmsd, addr, r);
    return r;
}

void ds1338_free(DS1338 *r)
{
    vmstate_unregister(r);
    free(r);
}
