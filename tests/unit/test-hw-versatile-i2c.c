/* Unit tests for the Versatile's bit-banged I2C controller (SBCon,
 * hw-versatile/versatile-i2c.c) and the DS1338 clock on it (ds1338.c):
 * the test drives SCL and SDA through SB_CONTROLS/SB_CONTROLC as Linux's
 * i2c-algo-bit does (data changes while SCL is low, START and STOP while
 * it is high, the receiver pulls SDA low in the ninth clock to
 * acknowledge), so it checks the wire protocol of the I2C-bus
 * specification and the DS1338 data sheet's register map: an absent
 * address is not acknowledged, the address pointer, RAM, the time from
 * the host's clock, setting it, 12-hour mode, the OSF bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

#define I2C 0x10002000u
#define CONTROL  0x0   /* read: the lines */
#define CONTROLS 0x0   /* write: release (set high) */
#define CONTROLC 0x4   /* write: pull low */
#define SCL 1
#define SDA 2
#define RTC_ADDR 0x68

static VersatileI2C *i2c;
static DS1338 *rtc;

static int setup(void **state)
{
    rig_clear();
    i2c = versatile_i2c_new(NULL, I2C);
    rtc = ds1338_new(versatile_i2c_bus(i2c), RTC_ADDR);
    return 0;
}

static int teardown(void **state)
{
    ds1338_free(rtc);
    versatile_i2c_free(i2c);
    return 0;
}

static void scl_hi(void) { wr(I2C + CONTROLS, SCL); }
static void scl_lo(void) { wr(I2C + CONTROLC, SCL); }
static void sda_hi(void) { wr(I2C + CONTROLS, SDA); }
static void sda_lo(void) { wr(I2C + CONTROLC, SDA); }
static int sda_in(void) { return (rd(I2C + CONTROL) & SDA) != 0; }

static void start(void)
{
    sda_hi();
    scl_hi();
    sda_lo();   /* SDA falls while SCL is high */
    scl_lo();
}

static void stop(void)
{
    sda_lo();
    scl_hi();
    sda_hi();   /* SDA rises while SCL is high */
}

/* Send a byte; returns whether the receiver acknowledged it. */
static bool send_byte(uint8_t b)
{
    for (int i = 7; i >= 0; i--) {
        if ((b >> i) & 1)
            sda_hi();
        else
            sda_lo();
        scl_hi();
        scl_lo();
    }
    sda_hi();           /* release SDA for the acknowledge */
    scl_hi();
    bool ack = !sda_in();
    scl_lo();
    return ack;
}

static uint8_t recv_byte(bool ack)
{
    uint8_t b = 0;
    sda_hi();
    for (int i = 0; i < 8; i++) {
        scl_hi();
        b = (uint8_t)(b << 1 | sda_in());
        scl_lo();
    }
    if (ack)
        sda_lo();
    scl_hi();
    scl_lo();
    sda_hi();
    return b;
}

static bool write_regs(uint8_t reg, const uint8_t *v, int n)
{
    start();
    if (!send_byte(RTC_ADDR << 1))
        return false;
    bool ok = send_byte(reg);
    for (int i = 0; i < n && ok; i++)
        ok = send_byte(v[i]);
    stop();
    return ok;
}

static bool read_regs(uint8_t reg, uint8_t *v, int n)
{
    start();
    if (!send_byte(RTC_ADDR << 1) || !send_byte(reg))
        return false;
    start();            /* repeated START, now reading */
    if (!send_byte(RTC_ADDR << 1 | 1))
        return false;
    for (int i = 0; i < n; i++)
        v[i] = recv_byte(i < n - 1);
    stop();
    return true;
}

static int bcd(uint8_t b) { return (b >> 4) * 10 + (b & 0xF); }

static void test_i2c_lines_idle_high_and_follow_the_controller(void **state)
{
    assert_int_equal(rd(I2C + CONTROL), SCL | SDA);
    scl_lo();
    assert_int_equal(rd(I2C + CONTROL), SDA);
    sda_lo();
    assert_int_equal(rd(I2C + CONTROL), 0);
    wr(I2C + CONTROLS, SCL | SDA);
    assert_int_equal(rd(I2C + CONTROL), SCL | SDA);
}

static void test_i2c_absent_address_is_not_acknowledged(void **state)
{
    start();
    assert_false(send_byte(0x50 << 1));
    /* the bus stays quiet: later bytes are not acknowledged either */
    assert_false(send_byte(0x00));
    stop();
    start();
    assert_true(send_byte(RTC_ADDR << 1));   /* but the clock answers */
    stop();
}

static void test_ds1338_ram_and_pointer(void **state)
{
    static const uint8_t data[] = { 0x11, 0x22, 0x33, 0x44 };
    assert_true(write_regs(0x20, data, 4));
    uint8_t back[4] = { 0 };
    assert_true(read_regs(0x20, back, 4));
    assert_memory_equal(back, data, 4);
    /* the pointer wraps from 0x3F to 0x00 */
    static const uint8_t last[] = { 0x5A };
    assert_true(write_regs(0x3F, last, 1));
    uint8_t two[2];
    assert_true(read_regs(0x3F, two, 2));
    assert_int_equal(two[0], 0x5A);
    assert_int_equal(two[1] & 0x80, 0);      /* seconds, clock running */
    /* a read without setting the pointer continues where the last ended */
    start();
    assert_true(send_byte(RTC_ADDR << 1 | 1));
    uint8_t next = recv_byte(false);
    stop();
    assert_true(next <= 0x59);              /* minutes (register 1) */
}

static void test_ds1338_time_is_the_hosts(void **state)
{
    uint8_t r[8];
    time_t before = time(NULL);
    assert_true(read_regs(0, r, 8));
    time_t after = time(NULL);
    struct tm tm = { 0 };
    tm.tm_sec = bcd(r[0] & 0x7F);
    tm.tm_min = bcd(r[1]);
    tm.tm_hour = bcd(r[2] & 0x3F);
    tm.tm_mday = bcd(r[4]);
    tm.tm_mon = bcd(r[5]) - 1;
    tm.tm_year = 100 + bcd(r[6]);
    time_t t = timegm(&tm);
    assert_true(t >= before && t <= after);
    assert_int_equal(r[2] & 0x40, 0);        /* 24-hour mode */
    assert_int_equal(r[7] & 0x20, 0);        /* OSF: the time is valid */
}

static void test_ds1338_set_time(void **state)
{
    /* 2031-07-15 23:59:58, day 3 (Linux counts Sunday as 1) */
    static const uint8_t set[] = { 0x58, 0x59, 0x23, 0x03, 0x15, 0x07, 0x31 };
    assert_true(write_regs(0, set, 7));
    uint8_t r[7];
    assert_true(read_regs(0, r, 7));
    assert_int_equal(r[6], 0x31);
    assert_int_equal(r[5], 0x07);
    /* at most a few seconds have passed: 23:59:58..00:00:0x */
    if (r[2] == 0x23) {
        assert_int_equal(r[4], 0x15);
        assert_int_equal(r[1], 0x59);
        assert_true(r[0] >= 0x58);
        assert_int_equal(r[3], 3);
    } else {
        assert_int_equal(r[2], 0x00);
        assert_int_equal(r[4], 0x16);          /* the date and the day roll over */
        assert_int_equal(r[3], 4);
    }
}

static void test_ds1338_twelve_hour_mode(void **state)
{
    /* 12-hour mode, 11 PM */
    static const uint8_t set[] = { 0x00, 0x30, 0x40 | 0x20 | 0x11, 0x01, 0x01, 0x01, 0x25 };
    assert_true(write_regs(0, set, 7));
    uint8_t r[3];
    assert_true(read_regs(0, r, 3));
    assert_int_equal(r[2], 0x40 | 0x20 | 0x11);
    assert_int_equal(r[1], 0x30);
    /* back to 24-hour mode: 23 */
    static const uint8_t h24[] = { 0x23 };
    assert_true(write_regs(2, h24, 1));
    assert_true(read_regs(2, r, 1));
    assert_int_equal(r[0], 0x23);
}

static void test_ds1338_control_register(void **state)
{
    static const uint8_t all[] = { 0xFF };
    assert_true(write_regs(7, all, 1));
    uint8_t r;
    assert_true(read_regs(7, &r, 1));
    assert_int_equal(r, 0x93);               /* OUT, SQWE, RS1:0; OSF only clears */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_i2c_lines_idle_high_and_follow_the_controller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_i2c_absent_address_is_not_acknowledged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ds1338_ram_and_pointer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ds1338_time_is_the_hosts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ds1338_set_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ds1338_twelve_hour_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ds1338_control_register, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
