/* Unit tests for the PL110 CLCD (hw-versatile/pl110.c) against the
 * PL111 TRM's programmer's model (ARM DDI 0293) and the Versatile's
 * register order (control at 0x18, interrupt mask at 0x1C, as Linux's
 * pl111 driver uses it on "arm,versatile-pb"): identification, register
 * widths, the palette, and the frame interrupts (LNBU, Vcomp) at 60 Hz of
 * a virtual clock the test moves by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

#define CLCD 0x10120000u
#define TIM0    0x00
#define TIM1    0x04
#define TIM2    0x08
#define TIM3    0x0C
#define UPBASE  0x10
#define LPBASE  0x14
#define CONTROL 0x18
#define IMSC    0x1C
#define RIS     0x20
#define MIS     0x24
#define ICR     0x28
#define UPCURR  0x2C
#define LPCURR  0x30
#define PALETTE 0x200

#define LCDEN  0x0001
#define LCDTFT 0x0020
#define LCDPWR 0x0800
#define BPP16  (4 << 1)

#define FUF   0x02
#define LNBU  0x04
#define VCOMP 0x08

/* the start of frame n after LcdEn: n * 1e9 / 60 ns */
#define FRAME(n) ((int64_t)(n) * 1000000000 / 60)

static PL110 *clcd;
static int64_t t_base;

static void at_ns(int64_t ns)
{
    clock_virtual_set_for_test(t_base + ns);
}

static int setup_variant(PL110Variant v)
{
    rig_clear();
    rig_irq_clear();
    t_base = 7000000;   /* not zero: the device must not assume it */
    at_ns(0);
    clcd = pl110_new(NULL, CLCD, rig_irq_line(16), v);
    return 0;
}

static int setup(void **state)
{
    return setup_variant(PL110_VARIANT_VERSATILE);
}

static int setup_pl111(void **state)
{
    return setup_variant(PL110_VARIANT_PL111);
}

static int teardown(void **state)
{
    pl110_free(clcd);
    clock_virtual_set_for_test(-1);
    return 0;
}

static void test_pl110_ids_and_reset_values(void **state)
{
    /* PeriphID 0x00041110 (part 0x110, designer ARM), PCellID 0xB105F00D */
    static const uint32_t ids[8] = { 0x10, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(CLCD + 0xFE0 + 4 * i), ids[i]);
    for (uint32_t r = TIM0; r <= LPCURR; r += 4)
        assert_int_equal(rd(CLCD + r), 0);
    assert_int_equal(rig_irq[16], 0);
}

static void test_pl111_id_and_alignment(void **state)
{
    assert_int_equal(rd(CLCD + 0xFE0), 0x11);
    assert_int_equal(rd(CLCD + 0xFE4), 0x11);
    wr(CLCD + UPBASE, 0x00123457);
    assert_int_equal(rd(CLCD + UPBASE), 0x00123450);   /* doubleword aligned */
}

static void test_pl110_registers_keep_their_bits(void **state)
{
    wr(CLCD + TIM0, 0xFFFFFFFF);
    assert_int_equal(rd(CLCD + TIM0), 0xFFFFFFFC);   /* bits 1:0 reserved */
    wr(CLCD + TIM1, 0x12345678);
    assert_int_equal(rd(CLCD + TIM1), 0x12345678);
    wr(CLCD + TIM2, 0xFFFFFFFF);
    assert_int_equal(rd(CLCD + TIM2), 0xFFFF7FFF);   /* bit 15 reserved */
    wr(CLCD + TIM3, 0xFFFFFFFF);
    assert_int_equal(rd(CLCD + TIM3), 0x0001007F);   /* LEE, LED */
    wr(CLCD + UPBASE, 0x00200003);
    assert_int_equal(rd(CLCD + UPBASE), 0x00200000); /* word aligned */
    wr(CLCD + LPBASE, 0x00300006);
    assert_int_equal(rd(CLCD + LPBASE), 0x00300004);
    wr(CLCD + CONTROL, 0xFFFFFFFE);                  /* all but LcdEn */
    assert_int_equal(rd(CLCD + CONTROL), 0x1FFFE);
    wr(CLCD + IMSC, 0xFFFFFFFF);
    assert_int_equal(rd(CLCD + IMSC), 0x1E);
    /* byte reads see parts of the word, as on the other PrimeCells */
    wr(CLCD + TIM1, 0xA1B2C3D4);
    assert_int_equal(rd_size(CLCD + TIM1 + 1, 1), 0xC3);
    assert_int_equal(rd_size(CLCD + TIM1 + 2, 2), 0xA1B2);
}

static void test_pl110_palette(void **state)
{
    for (int i = 0; i < 128; i++)
        wr(CLCD + PALETTE + 4 * i, 0x10001u * (uint32_t)i + 0x7C00);
    for (int i = 0; i < 128; i++)
        assert_int_equal(rd(CLCD + PALETTE + 4 * i), 0x10001u * (uint32_t)i + 0x7C00);
}

static void test_pl110_no_frames_while_disabled(void **state)
{
    wr(CLCD + IMSC, LNBU | VCOMP);
    wr(CLCD + CONTROL, LCDTFT | BPP16 | LCDPWR);    /* LcdEn clear */
    at_ns(FRAME(10));
    assert_int_equal(rd(CLCD + RIS), 0);
    assert_int_equal(rig_irq[16], 0);
    machine_lock();
    assert_int_equal(timers_deadline_ns(), -1);     /* nothing to wake for */
    machine_unlock();
}

static void test_pl110_frame_interrupts(void **state)
{
    wr(CLCD + UPBASE, 0x00100000);
    wr(CLCD + CONTROL, LCDTFT | BPP16 | LCDEN);
    at_ns(FRAME(1) - 1);
    assert_int_equal(rd(CLCD + RIS), 0);
    assert_int_equal(rd(CLCD + UPCURR), 0);         /* no frame base loaded yet */
    at_ns(FRAME(1));
    /* masked: raw status only */
    assert_int_equal(rd(CLCD + RIS), LNBU | VCOMP);
    assert_int_equal(rd(CLCD + MIS), 0);
    assert_int_equal(rig_irq[16], 0);
    assert_int_equal(rd(CLCD + UPCURR), 0x00100000);
    /* unmasking a pending status raises the line at once */
    wr(CLCD + IMSC, LNBU);
    assert_int_equal(rd(CLCD + MIS), LNBU);
    assert_int_equal(rig_irq[16], 1);
    /* ICR clears only the bits written */
    wr(CLCD + ICR, LNBU);
    assert_int_equal(rd(CLCD + RIS), VCOMP);
    assert_int_equal(rig_irq[16], 0);
    wr(CLCD + ICR, VCOMP | FUF);
    assert_int_equal(rd(CLCD + RIS), 0);
    /* a new base waits for the next frame */
    wr(CLCD + UPBASE, 0x00200000);
    assert_int_equal(rd(CLCD + UPCURR), 0x00100000);
    at_ns(FRAME(2) - 1);
    assert_int_equal(rd(CLCD + RIS), 0);
    at_ns(FRAME(2));
    assert_int_equal(rd(CLCD + RIS), LNBU | VCOMP);
    assert_int_equal(rd(CLCD + UPCURR), 0x00200000);
    assert_int_equal(rig_irq[16], 1);
    wr(CLCD + ICR, LNBU | VCOMP);
    /* many frames later: one status, not a count */
    at_ns(FRAME(100) + FRAME(1) / 2);
    assert_int_equal(rd(CLCD + RIS), LNBU | VCOMP);
    wr(CLCD + ICR, LNBU | VCOMP);
    at_ns(FRAME(101) - 1000);
    assert_int_equal(rd(CLCD + RIS), 0);
    /* disabling stops the frames */
    wr(CLCD + CONTROL, LCDTFT | BPP16);
    at_ns(FRAME(200));
    assert_int_equal(rd(CLCD + RIS), 0);
}

static void test_pl110_frame_timer_from_the_event_loop(void **state)
{
    wr(CLCD + IMSC, LNBU);
    at_ns(1000);
    wr(CLCD + CONTROL, LCDTFT | BPP16 | LCDEN | LCDPWR);
    machine_lock();
    /* one timer, for the first vertical sync a frame after LcdEn */
    assert_int_equal(timers_deadline_ns(), t_base + 1000 + FRAME(1));
    at_ns(1000 + FRAME(1) - 1);
    assert_int_equal(timers_run_expired(), 0);
    assert_int_equal(rig_irq[16], 0);
    at_ns(1000 + FRAME(1));
    assert_int_equal(timers_run_expired(), 1);
    assert_int_equal(rig_irq[16], 1);               /* without a register read */
    /* the line is up: no wake-ups until the guest clears it */
    assert_int_equal(timers_deadline_ns(), -1);
    machine_unlock();
    wr(CLCD + ICR, LNBU);
    assert_int_equal(rig_irq[16], 0);
    machine_lock();
    assert_int_equal(timers_deadline_ns(), t_base + 1000 + FRAME(2));
    machine_unlock();
    /* masking the interrupt (Linux's vblank off) stops the timer */
    wr(CLCD + IMSC, 0);
    machine_lock();
    assert_int_equal(timers_deadline_ns(), -1);
    machine_unlock();
}

static void test_pl110_reset(void **state)
{
    wr(CLCD + IMSC, LNBU);
    wr(CLCD + UPBASE, 0x00100000);
    wr(CLCD + PALETTE, 0x1234);
    wr(CLCD + CONTROL, LCDEN);
    at_ns(FRAME(1));
    assert_int_equal(rd(CLCD + MIS), LNBU);
    assert_int_equal(rig_irq[16], 1);
    device_reset_all();
    assert_int_equal(rig_irq[16], 0);
    assert_int_equal(rd(CLCD + CONTROL), 0);
    assert_int_equal(rd(CLCD + RIS), 0);
    assert_int_equal(rd(CLCD + UPBASE), 0);
    assert_int_equal(rd(CLCD + PALETTE), 0);
    machine_lock();
    assert_int_equal(timers_deadline_ns(), -1);
    machine_unlock();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pl110_ids_and_reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl111_id_and_alignment, setup_pl111, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_registers_keep_their_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_palette, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_no_frames_while_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_frame_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_frame_timer_from_the_event_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_reset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
