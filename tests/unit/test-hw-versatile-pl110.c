/* Unit tests for the PL110 CLCD (hw-versatile/pl110.c) against the
 * PL111 TRM's programmer's model (ARM DDI 0293) and the Versatile's
 * register order (control at 0x18, interrupt mask at 0x1C, as Linux's
 * pl111 driver uses it on "arm,versatile-pb"): identification, register
 * widths, the palette, and the frame interrupts (LNBU, Vcomp) at 60 Hz of
 * a virtual clock the test moves by hand; the picture (display.h) from a
 * frame in a fake RAM, format by format (tests/system-display compares
 * every format with qemu-system-arm's screendumps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "softmmu/display.h"
#include "softmmu/timer.h"
#include "tests/unit/softmmu-test-rig.h"

/* The frame's memory: phys_read as the CLCD's render uses it, over a
 * small RAM at FB_BASE (anything else reads as zero, as unassigned). */
#define FB_BASE 0x00200000u
static uint8_t fake_ram[16 * 4 * 4];

bool phys_read(PhysMemory *pm, uint64_t addr, void *buf, size_t len)
{
    (void)pm;
    uint8_t *out = buf;
    bool ok = true;
    for (size_t i = 0; i < len; i++) {
        uint64_t a = addr + i;
        if (a >= FB_BASE && a - FB_BASE < sizeof(fake_ram)) {
            out[i] = fake_ram[a - FB_BASE];
        } else {
            out[i] = 0;
            ok = false;
        }
    }
    return ok;
}

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

/* 16x2 pixels (PPL 0, LPP 1) at FB_BASE in the given control bits; the
 * rendered surface. */
static const DisplaySurface *show(uint32_t control)
{
    wr(CLCD + TIM0, 0);
    wr(CLCD + TIM1, 1);
    wr(CLCD + UPBASE, FB_BASE);
    wr(CLCD + CONTROL, control);
    machine_lock();
    const DisplaySurface *s = display_update_locked();
    display_unlock_surface();
    machine_unlock();
    assert_int_equal(s->width, 16);
    assert_int_equal(s->height, 2);
    return s;
}

static void test_pl110_picture_24bpp_and_bgr(void **state)
{
    memset(fake_ram, 0, sizeof(fake_ram));
    /* pixel 0: R 0x11, G 0x22, B 0x33 with BGR clear (red in the low byte) */
    fake_ram[0] = 0x11, fake_ram[1] = 0x22, fake_ram[2] = 0x33;
    fake_ram[4] = 0xff;   /* pixel 1: pure red */
    const DisplaySurface *s = show(LCDEN | LCDTFT | LCDPWR | (5 << 1));
    assert_int_equal(s->pixels[0], 0x112233);
    assert_int_equal(s->pixels[1], 0xff0000);
    assert_int_equal(s->pixels[2], 0);
    s = show(LCDEN | LCDTFT | LCDPWR | (5 << 1) | (1 << 8));   /* BGR */
    assert_int_equal(s->pixels[0], 0x332211);
    assert_int_equal(s->pixels[1], 0x0000ff);
}

static void test_pl110_picture_16bpp_mux(void **state)
{
    memset(fake_ram, 0, sizeof(fake_ram));
    /* 0xF800: the top five bits; 0x07E0: the six in the middle */
    fake_ram[0] = 0x00, fake_ram[1] = 0xf8;
    fake_ram[2] = 0xe0, fake_ram[3] = 0x07;
    fake_ram[4] = 0x1f, fake_ram[5] = 0x80;   /* 0x801F: bit 15 + the low five */
    pl110_set_mux(clcd, 2);   /* 5:6:5, low field red */
    const DisplaySurface *s = show(LCDEN | LCDTFT | LCDPWR | BPP16);
    assert_int_equal(s->pixels[0], 0x0000f8);
    assert_int_equal(s->pixels[1], 0x00fc00);
    assert_int_equal(s->pixels[2], 0xf80080);   /* in 5:6:5 bit 15 is blue's top bit */
    pl110_set_mux(clcd, 3);   /* 5:6:5, red and blue swapped */
    s = show(LCDEN | LCDTFT | LCDPWR | BPP16);
    assert_int_equal(s->pixels[0], 0xf80000);
    assert_int_equal(s->pixels[2], 0x8000f8);
    pl110_set_mux(clcd, 1);   /* 1:5:5:5 */
    s = show(LCDEN | LCDTFT | LCDPWR | BPP16);
    assert_int_equal(s->pixels[0], 0x0000f0);   /* 0xF800: blue (bits 14:10) 0x1E */
    assert_int_equal(s->pixels[2], 0xf80000);   /* 0x801F: red 0x1F, the I bit ignored */
}

static void test_pl110_picture_palette(void **state)
{
    memset(fake_ram, 0, sizeof(fake_ram));
    fake_ram[0] = 0x10;                       /* 4 bpp: pixel 0 = 0, pixel 1 = 1 */
    wr(CLCD + PALETTE, 0x001f03e0u);   /* entry 0 green, entry 1 red */
    const DisplaySurface *s = show(LCDEN | LCDTFT | LCDPWR | (2 << 1));
    assert_int_equal(s->pixels[0], 0x00f800);
    assert_int_equal(s->pixels[1], 0xf80000);
    s = show(LCDEN | LCDTFT | LCDPWR | (2 << 1) | (1 << 10));   /* BEPO: pixel 0 in the top bits */
    assert_int_equal(s->pixels[0], 0xf80000);
    assert_int_equal(s->pixels[1], 0x00f800);
}

static void test_pl110_picture_dark_when_off(void **state)
{
    memset(fake_ram, 0xff, sizeof(fake_ram));
    const DisplaySurface *s = show(LCDEN | LCDTFT | LCDPWR | (5 << 1));
    assert_int_equal(s->pixels[0], 0xffffff);
    wr(CLCD + CONTROL, LCDTFT | LCDPWR | (5 << 1));   /* LcdEn off */
    machine_lock();
    s = display_update_locked();
    display_unlock_surface();
    machine_unlock();
    assert_int_equal(s->width, 16);   /* the size it had */
    assert_int_equal(s->pixels[0], 0);
}

static void test_pl110_screendump_ppm(void **state)
{
    memset(fake_ram, 0, sizeof(fake_ram));
    fake_ram[0] = 0x11, fake_ram[1] = 0x22, fake_ram[2] = 0x33;
    show(LCDEN | LCDTFT | LCDPWR | (5 << 1));
    char path[] = "/tmp/vemu-test-screendump-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char *err = NULL;
    machine_lock();
    int rc = display_screendump(path, "ppm", &err);
    machine_unlock();
    assert_int_equal(rc, 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[64] = { 0 };
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    unlink(path);
    assert_true(n == 15 + 16 * 2 * 3 || n == sizeof(buf));
    assert_memory_equal(buf, "P6\n16 2\n255\n\x11\x22\x33", 15);
    machine_lock();
    rc = display_screendump("/nonexistent-dir/x.ppm", "png", &err);
    machine_unlock();
    assert_int_equal(rc, -1);
    assert_string_equal(err, "failed to open file '/nonexistent-dir/x.ppm': No such file or directory");
    free(err);
    err = NULL;
    machine_lock();
    rc = display_screendump(path, "gif", &err);
    machine_unlock();
    assert_int_equal(rc, -1);
    assert_string_equal(err, "Parameter 'format' does not accept value 'gif'");
    free(err);
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
        cmocka_unit_test_setup_teardown(test_pl110_picture_24bpp_and_bgr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_picture_16bpp_mux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_picture_palette, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_picture_dark_when_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl110_screendump_ppm, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
