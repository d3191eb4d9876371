/* Unit tests for the Versatile PB's system registers (DUI 0224): ids,
 * LEDs, LOCK and what it guards (oscillators, reset control), the 100 Hz
 * and 24 MHz counters from the virtual clock, flags; the PL031 RTC
 * (DDI 0224) against the host's wall clock; and the PrimeCell
 * placeholder's ID registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "hw-versatile/devices.h"
#include "softmmu/main-loop.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

#define SYS 0x10000000u
#define SYS_ID        (SYS + 0x00)
#define SYS_SW        (SYS + 0x04)
#define SYS_LED       (SYS + 0x08)
#define SYS_OSC4      (SYS + 0x1C)
#define SYS_LOCK      (SYS + 0x20)
#define SYS_100HZ     (SYS + 0x24)
#define SYS_FLAGS     (SYS + 0x30)
#define SYS_FLAGSCLR  (SYS + 0x34)
#define SYS_NVFLAGS   (SYS + 0x38)
#define SYS_NVFLAGSCLR (SYS + 0x3C)
#define SYS_RESETCTL  (SYS + 0x40)
#define SYS_PCICTL    (SYS + 0x44)
#define SYS_MCI       (SYS + 0x48)
#define SYS_CLCD      (SYS + 0x50)
#define SYS_24MHZ     (SYS + 0x5C)
#define SYS_PROCID0   (SYS + 0x84)
#define SYS_PROCID1   (SYS + 0x88)

#define RTC 0x101E8000u
#define RTC_DR   (RTC + 0x00)
#define RTC_MR   (RTC + 0x04)
#define RTC_LR   (RTC + 0x08)
#define RTC_CR   (RTC + 0x0C)
#define RTC_IMSC (RTC + 0x10)
#define RTC_RIS  (RTC + 0x14)
#define RTC_MIS  (RTC + 0x18)
#define RTC_ICR  (RTC + 0x1C)

static VersatileSysregs *sys;
static PL031 *rtc;

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    machine_clear_requests();
    machine_set_no_reboot(false);
    sys = versatile_sysregs_new(NULL, SYS, 0x41007004, 0x02000000);
    rtc = pl031_new(NULL, RTC, rig_irq_line(10));
    primecell_placeholder_new(NULL, "pl050", 0x10006000, 0x00041050);
    return 0;
}

static int teardown(void **state)
{
    pl031_free(rtc);
    versatile_sysregs_free(sys);
    clock_virtual_set_for_test(-1);
    machine_clear_requests();
    return 0;
}

static void test_sysregs_ids(void **state)
{
    assert_int_equal(rd(SYS_ID), 0x41007004);
    assert_int_equal(rd(SYS_PROCID0), 0x02000000);
    assert_int_equal(rd(SYS_PROCID1), 0xFF000000);
    assert_int_equal(rd(SYS_SW), 0);
    assert_int_equal(rd(SYS_PCICTL) & 1, 1);        /* a PCI backplane: Linux keeps its node */
    assert_int_equal(rd(SYS_MCI), 0);               /* no card */
    wr(SYS_ID, 0);                                  /* read-only */
    assert_int_equal(rd(SYS_ID), 0x41007004);
    assert_int_equal(rd_size(SYS_ID + 2, 2), 0x4100);
}

static void test_sysregs_leds_flags(void **state)
{
    wr(SYS_LED, 0x1A5);
    assert_int_equal(rd(SYS_LED), 0xA5);
    wr(SYS_FLAGS, 0x11);
    wr(SYS_FLAGS, 0x100);
    assert_int_equal(rd(SYS_FLAGS), 0x111);
    wr(SYS_FLAGSCLR, 0x10);
    assert_int_equal(rd(SYS_FLAGS), 0x101);
    wr(SYS_NVFLAGS, 0x7);
    wr(SYS_NVFLAGSCLR, 0x2);
    assert_int_equal(rd(SYS_NVFLAGS), 0x5);
    device_reset_all();
    assert_int_equal(rd(SYS_FLAGS), 0);
    assert_int_equal(rd(SYS_NVFLAGS), 0x5);         /* survives a reset */
    assert_int_equal(rd(SYS_LED), 0);
}

static void test_sysregs_lock_guards_oscillators_and_reset(void **state)
{
    assert_int_equal(rd(SYS_LOCK), 1u << 16);       /* locked at reset */
    uint32_t osc = rd(SYS_OSC4);
    assert_int_not_equal(osc, 0);                   /* a real CLCD clock word */
    wr(SYS_OSC4, 0x1234);
    assert_int_equal(rd(SYS_OSC4), osc);            /* locked: ignored */
    wr(SYS_RESETCTL, 0x105);
    assert_int_equal(rd(SYS_RESETCTL), 0);
    assert_false(machine_reset_requested());

    wr(SYS_LOCK, 0xA05F);
    assert_int_equal(rd(SYS_LOCK), 0xA05F);         /* unlocked: bit 16 clear */
    wr(SYS_OSC4, 0x1234);
    assert_int_equal(rd(SYS_OSC4), 0x1234);
    wr(SYS_RESETCTL, 0x005);                        /* level without the reset bit */
    assert_int_equal(rd(SYS_RESETCTL), 0x005);
    assert_false(machine_reset_requested());
    /* Linux's versatile reboot: unlock, RESETCTL = 0x105, lock */
    wr(SYS_RESETCTL, 0x105);
    assert_true(machine_reset_requested());
    assert_false(machine_reset_requested());        /* taken once */
    wr(SYS_LOCK, 0);
    assert_int_equal(rd(SYS_LOCK), 1u << 16);
    wr(SYS_LOCK, 0x1234);
    assert_int_equal(rd(SYS_LOCK), (1u << 16) | 0x1234);

    /* -no-reboot turns the reset request into a clean exit */
    machine_set_no_reboot(true);
    wr(SYS_LOCK, 0xA05F);
    wr(SYS_RESETCTL, 0x105);
    int status = -1;
    assert_true(machine_shutdown_requested(&status));
    assert_int_equal(status, 0);
    assert_false(machine_reset_requested());
    machine_set_no_reboot(false);
}

static void test_sysregs_clcd_id_is_read_only(void **state)
{
    assert_int_equal(rd(SYS_CLCD) & 0x1F00, 0x1F00);
    wr(SYS_CLCD, 0x0023);
    assert_int_equal(rd(SYS_CLCD), 0x1F23);
}

static void test_sysregs_counters_follow_the_virtual_clock(void **state)
{
    clock_virtual_set_for_test(0);
    assert_int_equal(rd(SYS_100HZ), 0);
    assert_int_equal(rd(SYS_24MHZ), 0);
    clock_virtual_set_for_test(1000000000);         /* one second */
    assert_int_equal(rd(SYS_100HZ), 100);
    assert_int_equal(rd(SYS_24MHZ), 24000000);
    clock_virtual_set_for_test(1234567891);
    assert_int_equal(rd(SYS_100HZ), 123);
    assert_int_equal(rd(SYS_24MHZ), 29629629);      /* floor(1234567891 * 0.024) */
    /* 32-bit wrap of the 24 MHz counter after 2^32 / 24e6 s */
    clock_virtual_set_for_test(200LL * 1000000000);
    assert_int_equal(rd(SYS_24MHZ), (uint32_t)(200ULL * 24000000));
    clock_virtual_set_for_test(-1);

    /* on the host clock: never backwards */
    uint32_t prev24 = rd(SYS_24MHZ), prev100 = rd(SYS_100HZ);
    for (int i = 0; i < 1000; i++) {
        uint32_t c24 = rd(SYS_24MHZ), c100 = rd(SYS_100HZ);
        assert_true(c24 >= prev24);
        assert_true(c100 >= prev100);
        prev24 = c24;
        prev100 = c100;
    }
}

/* ---- PL031 ---- */

static void test_pl031_ids(void **state)
{
    static const uint32_t ids[8] = { 0x31, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(RTC + 0xFE0 + 4 * i), ids[i]);
    assert_int_equal(rd(RTC_CR), 1);
}

static void test_pl031_follows_host_time(void **state)
{
    time_t before = time(NULL);
    uint32_t dr = rd(RTC_DR);
    time_t after = time(NULL);
    /* time() may use a coarser clock, a few ms behind: allow its second */
    assert_true(dr >= (uint32_t)before && dr <= (uint32_t)after + 1);
}

static void test_pl031_load_sets_the_counter(void **state)
{
    wr(RTC_LR, 1000);
    assert_int_equal(rd(RTC_LR), 1000);
    uint32_t dr = rd(RTC_DR);
    assert_true(dr >= 1000 && dr <= 1001);
    device_reset_all();                             /* back to host time */
    time_t now = time(NULL);
    dr = rd(RTC_DR);
    assert_true(dr + 1 >= (uint32_t)now && dr <= (uint32_t)now + 1);
}

/* Set RTCMR to the current second (again if the second turned between
 * the read and the write). */
static void match_now(void)
{
    for (int i = 0; i < 3; i++) {
        uint32_t dr = rd(RTC_DR);
        wr(RTC_MR, dr);
        if (rd(RTC_DR) == dr)
            return;
        wr(RTC_ICR, 1);
    }
    fail_msg("the RTC second kept changing");
}

static void test_pl031_match_interrupt(void **state)
{
    wr(RTC_IMSC, 1);
    assert_int_equal(rd(RTC_IMSC), 1);
    /* a match with the current second interrupts at once */
    wr(RTC_LR, 5000);
    match_now();
    assert_int_equal(rd(RTC_RIS), 1);
    assert_int_equal(rd(RTC_MIS), 1);
    assert_int_equal(rig_irq[10], 1);
    wr(RTC_ICR, 1);
    assert_int_equal(rd(RTC_RIS), 0);
    assert_int_equal(rig_irq[10], 0);

    /* a match ahead sets a timer for that second, on the virtual clock */
    wr(RTC_MR, rd(RTC_DR) + 2);
    int64_t now = clock_virtual_ns();
    int64_t when = timers_deadline_ns();
    assert_true(when > now);
    assert_true(when <= now + 2000000000LL);
    assert_int_equal(rd(RTC_RIS), 0);
    /* masked: RIS without the line */
    wr(RTC_IMSC, 0);
    match_now();
    assert_int_equal(rd(RTC_RIS), 1);
    assert_int_equal(rd(RTC_MIS), 0);
    assert_int_equal(rig_irq[10], 0);
    assert_int_equal(timers_deadline_ns(), -1);
}

/* ---- placeholder ---- */

static void test_placeholder_ids_and_zeros(void **state)
{
    static const uint32_t ids[8] = { 0x50, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(0x10006000 + 0xFE0 + 4 * i), ids[i]);
    for (uint32_t off = 0; off < 0x40; off += 4) {
        wr(0x10006000 + off, 0xFFFFFFFF);
        assert_int_equal(rd(0x10006000 + off), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sysregs_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysregs_leds_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysregs_lock_guards_oscillators_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysregs_clcd_id_is_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysregs_counters_follow_the_virtual_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl031_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl031_follows_host_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl031_load_sets_the_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl031_match_interrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholder_ids_and_zeros, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
