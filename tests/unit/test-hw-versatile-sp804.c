/* Unit tests for the SP804 dual timer (ARM DDI 0271), on a virtual clock
 * the test moves by hand (clock_virtual_set_for_test): free-running,
 * periodic and one-shot modes, 16/32-bit counters, prescale, the
 * interrupt registers, BGLoad, values over time, and the timer the device
 * sets for its next zero.  At 1 MHz one tick is 1000 ns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

#define T0 0x101E2000u
#define T1 (T0 + 0x20)
#define LOAD    0x00
#define VALUE   0x04
#define CONTROL 0x08
#define INTCLR  0x0C
#define RIS     0x10
#define MIS     0x14
#define BGLOAD  0x18

#define ONESHOT  0x01
#define BIT32    0x02
#define PRE16    0x04
#define PRE256   0x08
#define IE       0x20
#define PERIODIC 0x40
#define ENABLE   0x80

#define US 1000   /* one tick at 1 MHz */

static SP804 *timer;
static int64_t t_base;

static void at_us(int64_t us)
{
    clock_virtual_set_for_test(t_base + us * US);
}

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    t_base = 5000000;   /* not zero: the device must not assume it */
    at_us(0);
    timer = sp804_new(NULL, T0, rig_irq_line(4), 1000000);
    return 0;
}

static int teardown(void **state)
{
    sp804_free(timer);
    clock_virtual_set_for_test(-1);
    return 0;
}

static void test_sp804_reset_values_and_ids(void **state)
{
    assert_int_equal(rd(T0 + LOAD), 0);
    assert_int_equal(rd(T0 + VALUE), 0xFFFFFFFF);
    assert_int_equal(rd(T0 + CONTROL), 0x20);
    assert_int_equal(rd(T1 + CONTROL), 0x20);
    assert_int_equal(rd(T0 + RIS), 0);
    static const uint32_t ids[8] = { 0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(T0 + 0xFE0 + 4 * i), ids[i]);
    at_us(1000);
    assert_int_equal(rd(T0 + VALUE), 0xFFFFFFFF);   /* disabled: does not count */
}

static void test_sp804_periodic_values_and_interrupts(void **state)
{
    wr(T0 + LOAD, 100);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | IE);
    at_us(30);
    assert_int_equal(rd(T0 + VALUE), 70);
    assert_int_equal(rd(T0 + RIS), 0);
    assert_int_equal(rig_irq[4], 0);
    at_us(100);
    assert_int_equal(rd(T0 + VALUE), 0);
    assert_int_equal(rd(T0 + RIS), 1);
    assert_int_equal(rd(T0 + MIS), 1);
    assert_int_equal(rig_irq[4], 1);
    wr(T0 + INTCLR, 0);
    assert_int_equal(rd(T0 + RIS), 0);
    assert_int_equal(rig_irq[4], 0);
    at_us(101);                                      /* reload takes one tick */
    assert_int_equal(rd(T0 + VALUE), 100);
    at_us(150);
    assert_int_equal(rd(T0 + VALUE), 51);
    assert_int_equal(rd(T0 + RIS), 0);
    at_us(201);                                      /* period Load + 1 */
    assert_int_equal(rd(T0 + VALUE), 0);
    assert_int_equal(rd(T0 + RIS), 1);
    wr(T0 + INTCLR, 1);
    at_us(201 + 101 * 10 + 5);                       /* ten periods later */
    assert_int_equal(rd(T0 + VALUE), 96);
    assert_int_equal(rd(T0 + RIS), 1);               /* the zeros in between */
    assert_int_equal(rd(T1 + RIS), 0);               /* the other timer untouched */
}

static void test_sp804_fires_from_the_event_loop(void **state)
{
    wr(T0 + LOAD, 1000);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | IE);
    /* the device set one timer, for the zero at tick 1000 */
    machine_lock();
    int64_t deadline = timers_deadline_ns();
    assert_int_equal(deadline, t_base + 1000 * US);
    at_us(999);
    assert_int_equal(timers_run_expired(), 0);
    assert_int_equal(rig_irq[4], 0);
    at_us(1000);
    assert_int_equal(timers_run_expired(), 1);
    assert_int_equal(rig_irq[4], 1);                 /* without any register read */
    /* and the next one, a period (Load + 1 ticks) later */
    assert_int_equal(timers_deadline_ns(), t_base + 2001 * US);
    machine_unlock();
    wr(T0 + INTCLR, 1);
    wr(T0 + CONTROL, PERIODIC | BIT32 | IE);         /* disabled: no timer left */
    assert_int_equal(timers_deadline_ns(), -1);
}

static void test_sp804_oneshot_stops_at_zero(void **state)
{
    wr(T0 + LOAD, 10);
    wr(T0 + CONTROL, ENABLE | ONESHOT | BIT32 | IE);
    at_us(5);
    assert_int_equal(rd(T0 + VALUE), 5);
    at_us(10);
    assert_int_equal(rd(T0 + RIS), 1);
    assert_int_equal(rd(T0 + VALUE), 0);
    wr(T0 + INTCLR, 1);
    at_us(500);
    assert_int_equal(rd(T0 + VALUE), 0);             /* stays at zero */
    assert_int_equal(rd(T0 + RIS), 0);               /* and interrupts once */
    assert_int_equal(timers_deadline_ns(), -1);
    wr(T0 + LOAD, 20);                               /* a new Load starts it again */
    at_us(510);
    assert_int_equal(rd(T0 + VALUE), 10);
    at_us(520);
    assert_int_equal(rd(T0 + RIS), 1);
}

static void test_sp804_free_running_16bit_wraps(void **state)
{
    wr(T0 + LOAD, 0x12345);                          /* 16-bit: counts from 0x2345 */
    wr(T0 + CONTROL, ENABLE | IE);
    assert_int_equal(rd(T0 + VALUE), 0x2345);
    at_us(0x2345);
    assert_int_equal(rd(T0 + VALUE), 0);
    assert_int_equal(rd(T0 + RIS), 1);
    at_us(0x2346);                                   /* wraps to the maximum, not Load */
    assert_int_equal(rd(T0 + VALUE), 0xFFFF);
    wr(T0 + INTCLR, 1);
    at_us(0x2346 + 0xFFFF);
    assert_int_equal(rd(T0 + VALUE), 0);
    assert_int_equal(rd(T0 + RIS), 1);
}

static void test_sp804_free_running_32bit(void **state)
{
    /* Linux's clocksource: periodic with Load 0xFFFFFFFF, reading Value */
    wr(T1 + LOAD, 0xFFFFFFFF);
    wr(T1 + CONTROL, ENABLE | PERIODIC | BIT32);
    uint32_t prev = rd(T1 + VALUE);
    for (int i = 1; i <= 5; i++) {
        at_us(i * 1234567);
        uint32_t v = rd(T1 + VALUE);
        assert_int_equal(v, 0xFFFFFFFFu - (uint32_t)(i * 1234567));
        assert_true(v < prev);
        prev = v;
    }
    assert_int_equal(rd(T1 + RIS), 0);
    assert_int_equal(rig_irq[4], 0);
}

static void test_sp804_prescale(void **state)
{
    wr(T0 + LOAD, 100);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | PRE16);
    at_us(16 * 10);
    assert_int_equal(rd(T0 + VALUE), 90);
    at_us(16 * 10 + 15);
    assert_int_equal(rd(T0 + VALUE), 90);            /* not a whole tick yet */
    wr(T1 + LOAD, 100);
    at_us(1000);
    wr(T1 + CONTROL, ENABLE | PERIODIC | BIT32 | PRE256);
    at_us(1000 + 256 * 7);
    assert_int_equal(rd(T1 + VALUE), 93);
    at_us(1000 + 256 * 100);
    assert_int_equal(rd(T1 + RIS), 1);
}

static void test_sp804_interrupt_enable_masks(void **state)
{
    wr(T0 + LOAD, 3);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32);     /* IE clear */
    at_us(3);
    assert_int_equal(rd(T0 + RIS), 1);
    assert_int_equal(rd(T0 + MIS), 0);
    assert_int_equal(rig_irq[4], 0);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | IE);
    assert_int_equal(rd(T0 + MIS), 1);
    assert_int_equal(rig_irq[4], 1);
    /* both timers share the line */
    wr(T0 + INTCLR, 1);
    wr(T0 + CONTROL, 0);
    assert_int_equal(rig_irq[4], 0);
    wr(T1 + LOAD, 2);
    wr(T1 + CONTROL, ENABLE | ONESHOT | BIT32 | IE);
    at_us(5);
    assert_int_equal(rd(T1 + MIS), 1);
    assert_int_equal(rig_irq[4], 1);
}

static void test_sp804_bgload_changes_next_period_only(void **state)
{
    wr(T0 + LOAD, 100);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | IE);
    at_us(50);
    wr(T0 + BGLOAD, 10);
    assert_int_equal(rd(T0 + VALUE), 50);            /* the count goes on */
    assert_int_equal(rd(T0 + LOAD), 10);
    assert_int_equal(rd(T0 + BGLOAD), 10);
    at_us(100);
    assert_int_equal(rd(T0 + RIS), 1);
    at_us(101);
    assert_int_equal(rd(T0 + VALUE), 10);            /* reloaded from BGLoad */
    wr(T0 + INTCLR, 1);
    at_us(111);
    assert_int_equal(rd(T0 + VALUE), 0);
    assert_int_equal(rd(T0 + RIS), 1);
    /* a Load write restarts the count at once */
    at_us(115);
    wr(T0 + LOAD, 1000);
    assert_int_equal(rd(T0 + VALUE), 1000);
    at_us(120);
    assert_int_equal(rd(T0 + VALUE), 995);
}

static void test_sp804_disable_freezes_value(void **state)
{
    wr(T0 + LOAD, 1000);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32);
    at_us(300);
    wr(T0 + CONTROL, PERIODIC | BIT32);
    at_us(900);
    assert_int_equal(rd(T0 + VALUE), 700);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32);     /* continues from 700 */
    at_us(1000);
    assert_int_equal(rd(T0 + VALUE), 600);
    at_us(1600);
    assert_int_equal(rd(T0 + RIS), 1);
}

static void test_sp804_reset(void **state)
{
    wr(T0 + LOAD, 10);
    wr(T0 + CONTROL, ENABLE | PERIODIC | BIT32 | IE);
    at_us(20);
    assert_int_equal(rd(T0 + RIS), 1);
    device_reset_all();
    assert_int_equal(rig_irq[4], 0);
    assert_int_equal(rd(T0 + CONTROL), 0x20);
    assert_int_equal(rd(T0 + VALUE), 0xFFFFFFFF);
    assert_int_equal(timers_deadline_ns(), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sp804_reset_values_and_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_periodic_values_and_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_fires_from_the_event_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_oneshot_stops_at_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_free_running_16bit_wraps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_free_running_32bit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_prescale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_interrupt_enable_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_bgload_changes_next_period_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_disable_freezes_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sp804_reset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
