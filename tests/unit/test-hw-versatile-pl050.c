/* Unit tests for the PL050 KMI (hw-versatile/pl050.c, ARM DDI 0143) with
 * the PS/2 keyboard and mouse behind it (hw-versatile/ps2.c): the
 * registers and interrupts of the interface, and the devices' answers to
 * the PS/2 commands Linux's atkbd and psmouse send (reset, identify, LEDs,
 * scancode set, enable/disable, the IntelliMouse sample-rate knock,
 * status), and input reaching the guest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/ps2.h"
#include "tests/unit/softmmu-test-rig.h"

#define KMI0 0x10006000u   /* keyboard, SIC 3 */
#define KMI1 0x10007000u   /* mouse, SIC 4 */
#define CR      0x00
#define STAT    0x04
#define DATA    0x08
#define CLKDIV  0x0C
#define IR      0x10

#define CR_FKMIC    0x01
#define CR_FKMID    0x02
#define CR_EN       0x04
#define CR_TXINTREN 0x08
#define CR_RXINTREN 0x10

#define ST_KMID     0x01
#define ST_KMIC     0x02
#define ST_PARITY   0x04
#define ST_RXFULL   0x10
#define ST_TXEMPTY  0x40

static PL050 *kbd, *mouse;

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    kbd = pl050_new(NULL, KMI0, rig_irq_line(3), ps2_keyboard_new());
    mouse = pl050_new(NULL, KMI1, rig_irq_line(4), ps2_mouse_new());
    return 0;
}

static int teardown(void **state)
{
    pl050_free(kbd);
    pl050_free(mouse);
    return 0;
}

/* As Linux's ambakmi opens a port. */
static void open_port(uint32_t base)
{
    wr(base + CLKDIV, 2);
    wr(base + CR, CR_EN | CR_RXINTREN);
}

/* Everything the device has sent, as the driver's interrupt handler
 * reads it (while KMIIR shows a received byte). */
static int drain(uint32_t base, uint8_t *out, int max)
{
    int n = 0;
    while ((rd(base + IR) & 1) && n < max)
        out[n++] = (uint8_t)rd(base + DATA);
    return n;
}

#define EXPECT_BYTES(base, ...)                                                   \
    do {                                                                          \
        static const uint8_t want_[] = { __VA_ARGS__ };                           \
        uint8_t got_[32];                                                         \
        int n_ = drain(base, got_, 32);                                           \
        assert_int_equal(n_, sizeof want_);                                       \
        for (int i_ = 0; i_ < n_; i_++)                                           \
            assert_int_equal(got_[i_], want_[i_]);                                \
    } while (0)

static void test_pl050_ids_and_reset_values(void **state)
{
    static const uint32_t ids[8] = { 0x50, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(KMI0 + 0xFE0 + 4 * i), ids[i]);
    assert_int_equal(rd(KMI0 + CR), 0);
    /* idle lines high, transmitter empty, nothing received */
    assert_int_equal(rd(KMI0 + STAT), ST_TXEMPTY | ST_KMIC | ST_KMID);
    assert_int_equal(rd(KMI0 + IR), 0);
    assert_int_equal(rig_irq[3], 0);
    wr(KMI0 + CLKDIV, 0xFF);
    assert_int_equal(rd(KMI0 + CLKDIV), 0x0F);
    wr(KMI0 + CR, 0xFF);
    assert_int_equal(rd(KMI0 + CR), 0x3F);
}

static void test_pl050_forced_lines_read_low(void **state)
{
    wr(KMI0 + CR, CR_FKMIC);
    assert_int_equal(rd(KMI0 + STAT) & (ST_KMIC | ST_KMID), ST_KMID);
    wr(KMI0 + CR, CR_FKMID);
    assert_int_equal(rd(KMI0 + STAT) & (ST_KMIC | ST_KMID), ST_KMIC);
}

static void test_pl050_disabled_interface_sends_nothing(void **state)
{
    wr(KMI0 + DATA, 0xFF);            /* KmiEn clear: the byte goes nowhere */
    wr(KMI0 + CR, CR_EN | CR_RXINTREN);
    assert_int_equal(rd(KMI0 + STAT) & ST_RXFULL, 0);
    assert_int_equal(rig_irq[3], 0);
}

static void test_keyboard_reset_answers_ack_and_bat(void **state)
{
    open_port(KMI0);
    wr(KMI0 + DATA, 0xFF);
    /* the answer is there when the write returns, with the interrupt */
    assert_int_equal(rd(KMI0 + STAT) & ST_RXFULL, ST_RXFULL);
    assert_int_equal(rd(KMI0 + IR), 1);
    assert_int_equal(rig_irq[3], 1);
    /* 0xFA has six ones: the odd-parity bit is set */
    assert_int_equal(rd(KMI0 + STAT) & ST_PARITY, ST_PARITY);
    assert_int_equal(rd(KMI0 + DATA), 0xFA);
    assert_int_equal(rd(KMI0 + DATA), 0xAA);
    assert_int_equal(rd(KMI0 + STAT) & ST_RXFULL, 0);
    assert_int_equal(rd(KMI0 + IR), 0);
    assert_int_equal(rig_irq[3], 0);
    assert_int_equal(rig_irq[4], 0);  /* the other port is quiet */
}

static void test_keyboard_commands(void **state)
{
    open_port(KMI0);
    wr(KMI0 + DATA, 0xF2);            /* read ID: an MF2 keyboard */
    EXPECT_BYTES(KMI0, 0xFA, 0xAB, 0x83);
    wr(KMI0 + DATA, 0xED);            /* LEDs: command and parameter acked */
    EXPECT_BYTES(KMI0, 0xFA);
    wr(KMI0 + DATA, 0x07);
    EXPECT_BYTES(KMI0, 0xFA);
    wr(KMI0 + DATA, 0xF0);            /* scancode set: read it */
    wr(KMI0 + DATA, 0x00);
    EXPECT_BYTES(KMI0, 0xFA, 0xFA, 0x02);
    wr(KMI0 + DATA, 0xF0);            /* select set 3, read it back */
    wr(KMI0 + DATA, 0x03);
    wr(KMI0 + DATA, 0xF0);
    wr(KMI0 + DATA, 0x00);
    EXPECT_BYTES(KMI0, 0xFA, 0xFA, 0xFA, 0xFA, 0x03);
    wr(KMI0 + DATA, 0xF3);            /* typematic rate */
    wr(KMI0 + DATA, 0x20);
    EXPECT_BYTES(KMI0, 0xFA, 0xFA);
    wr(KMI0 + DATA, 0xEE);            /* echo */
    EXPECT_BYTES(KMI0, 0xEE);
    wr(KMI0 + DATA, 0xF4);
    EXPECT_BYTES(KMI0, 0xFA);
    wr(KMI0 + DATA, 0x12);            /* not a command: resend */
    EXPECT_BYTES(KMI0, 0xFE);
    wr(KMI0 + DATA, 0xF2);
    EXPECT_BYTES(KMI0, 0xFA, 0xAB, 0x83);
    wr(KMI0 + DATA, 0xFE);            /* resend: the last byte again */
    EXPECT_BYTES(KMI0, 0x83);
    /* a command where a parameter was due: the command wins */
    wr(KMI0 + DATA, 0xED);
    wr(KMI0 + DATA, 0xFF);
    EXPECT_BYTES(KMI0, 0xFA, 0xFA, 0xAA);
}

static void test_keyboard_input_and_scanning(void **state)
{
    PS2Device *k = pl050_device(kbd);
    open_port(KMI0);
    static const uint8_t press_a[] = { 0x1C }, release_a[] = { 0xF0, 0x1C };
    ps2_keyboard_scancode(k, press_a, 1);
    assert_int_equal(rig_irq[3], 1);  /* input raises the interrupt by itself */
    ps2_keyboard_scancode(k, release_a, 2);
    EXPECT_BYTES(KMI0, 0x1C, 0xF0, 0x1C);
    wr(KMI0 + DATA, 0xF5);            /* disable scanning */
    EXPECT_BYTES(KMI0, 0xFA);
    ps2_keyboard_scancode(k, press_a, 1);
    assert_int_equal(rd(KMI0 + IR), 0);
    wr(KMI0 + DATA, 0xF4);
    EXPECT_BYTES(KMI0, 0xFA);
    ps2_keyboard_scancode(k, press_a, 1);
    EXPECT_BYTES(KMI0, 0x1C);
    /* a mouse ignores key input */
    ps2_keyboard_scancode(pl050_device(mouse), press_a, 1);
    assert_int_equal(rig_irq[4], 0);
}

static void test_pl050_interrupt_enables(void **state)
{
    wr(KMI0 + CR, CR_EN);             /* receive interrupt off */
    wr(KMI0 + DATA, 0xEE);
    assert_int_equal(rd(KMI0 + STAT) & ST_RXFULL, ST_RXFULL);
    assert_int_equal(rd(KMI0 + IR), 0);
    assert_int_equal(rig_irq[3], 0);
    wr(KMI0 + CR, CR_EN | CR_RXINTREN);
    assert_int_equal(rig_irq[3], 1);
    assert_int_equal(rd(KMI0 + DATA), 0xEE);
    assert_int_equal(rig_irq[3], 0);
    /* the transmit interrupt: asserted while the transmitter is empty */
    wr(KMI0 + CR, CR_EN | CR_TXINTREN);
    assert_int_equal(rd(KMI0 + IR), 2);
    assert_int_equal(rig_irq[3], 1);
    wr(KMI0 + CR, CR_EN);
    assert_int_equal(rig_irq[3], 0);
}

static void test_mouse_reset_and_id(void **state)
{
    open_port(KMI1);
    wr(KMI1 + DATA, 0xFF);
    EXPECT_BYTES(KMI1, 0xFA, 0xAA, 0x00);
    wr(KMI1 + DATA, 0xF2);
    EXPECT_BYTES(KMI1, 0xFA, 0x00);
    /* the IntelliMouse knock: 200, 100, 80 -> a wheel mouse */
    static const uint8_t knock3[] = { 200, 100, 80 }, knock4[] = { 200, 200, 80 };
    for (int i = 0; i < 3; i++) {
        wr(KMI1 + DATA, 0xF3);
        wr(KMI1 + DATA, knock3[i]);
        EXPECT_BYTES(KMI1, 0xFA, 0xFA);
    }
    wr(KMI1 + DATA, 0xF2);
    EXPECT_BYTES(KMI1, 0xFA, 0x03);
    /* then 200, 200, 80 -> the five-button one */
    for (int i = 0; i < 3; i++) {
        wr(KMI1 + DATA, 0xF3);
        wr(KMI1 + DATA, knock4[i]);
    }
    EXPECT_BYTES(KMI1, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    wr(KMI1 + DATA, 0xF2);
    EXPECT_BYTES(KMI1, 0xFA, 0x04);
    /* reset forgets it */
    wr(KMI1 + DATA, 0xFF);
    wr(KMI1 + DATA, 0xF2);
    EXPECT_BYTES(KMI1, 0xFA, 0xAA, 0x00, 0xFA, 0x00);
}

static void test_mouse_status_and_settings(void **state)
{
    open_port(KMI1);
    wr(KMI1 + DATA, 0xE9);            /* defaults: stream, off, 1:1, 4/mm, 100/s */
    EXPECT_BYTES(KMI1, 0xFA, 0x00, 0x02, 100);
    wr(KMI1 + DATA, 0xE8);
    wr(KMI1 + DATA, 0x03);
    wr(KMI1 + DATA, 0xE7);
    wr(KMI1 + DATA, 0xF3);
    wr(KMI1 + DATA, 40);
    wr(KMI1 + DATA, 0xF4);
    EXPECT_BYTES(KMI1, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    wr(KMI1 + DATA, 0xE9);
    EXPECT_BYTES(KMI1, 0xFA, 0x30, 0x03, 40);
    wr(KMI1 + DATA, 0xF6);            /* defaults again */
    wr(KMI1 + DATA, 0xE9);
    EXPECT_BYTES(KMI1, 0xFA, 0xFA, 0x00, 0x02, 100);
    /* wrap mode echoes until 0xEC */
    wr(KMI1 + DATA, 0xEE);
    wr(KMI1 + DATA, 0x55);
    wr(KMI1 + DATA, 0xF2);
    wr(KMI1 + DATA, 0xEC);
    wr(KMI1 + DATA, 0xF2);
    EXPECT_BYTES(KMI1, 0xFA, 0x55, 0xF2, 0xFA, 0xFA, 0x00);
}

static void test_mouse_packets(void **state)
{
    PS2Device *m = pl050_device(mouse);
    open_port(KMI1);
    ps2_mouse_event(m, 5, 5, 0, 1);   /* reporting off: nothing sent */
    assert_int_equal(rd(KMI1 + IR), 0);
    wr(KMI1 + DATA, 0xF4);
    EXPECT_BYTES(KMI1, 0xFA);
    ps2_mouse_event(m, 3, -2, 0, 1);  /* left button, right and down */
    EXPECT_BYTES(KMI1, 0x29, 0x03, 0xFE);
    ps2_mouse_event(m, -300, 10, 0, 2);  /* right button, x overflows */
    EXPECT_BYTES(KMI1, 0x5A, 0x00, 0x0A);
    /* remote mode: motion waits for 0xEB */
    wr(KMI1 + DATA, 0xF0);
    EXPECT_BYTES(KMI1, 0xFA);
    ps2_mouse_event(m, 7, 1, 0, 0);
    assert_int_equal(rd(KMI1 + IR), 0);
    wr(KMI1 + DATA, 0xEB);
    EXPECT_BYTES(KMI1, 0xFA, 0x08, 0x07, 0x01);
    /* a wheel mouse sends a fourth byte */
    wr(KMI1 + DATA, 0xEA);
    static const uint8_t knock3[] = { 200, 100, 80 };
    for (int i = 0; i < 3; i++) {
        wr(KMI1 + DATA, 0xF3);
        wr(KMI1 + DATA, knock3[i]);
    }
    EXPECT_BYTES(KMI1, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    ps2_mouse_event(m, 0, 0, -1, 0);
    EXPECT_BYTES(KMI1, 0x08, 0x00, 0x00, 0xFF);
}

static void test_pl050_reset(void **state)
{
    open_port(KMI0);
    wr(KMI0 + DATA, 0xF2);
    assert_int_equal(rig_irq[3], 1);
    device_reset_all();
    assert_int_equal(rig_irq[3], 0);
    assert_int_equal(rd(KMI0 + CR), 0);
    assert_int_equal(rd(KMI0 + STAT), ST_TXEMPTY | ST_KMIC | ST_KMID);
    /* the device's queue went with it */
    open_port(KMI0);
    assert_int_equal(rd(KMI0 + IR), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pl050_ids_and_reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl050_forced_lines_read_low, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl050_disabled_interface_sends_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_reset_answers_ack_and_bat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_input_and_scanning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl050_interrupt_enables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_reset_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_status_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_packets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl050_reset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
