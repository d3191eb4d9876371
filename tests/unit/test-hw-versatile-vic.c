/* Unit tests for the Versatile PB's interrupt controllers, driven through
 * their registers as the manuals describe them: the PL190 VIC (ARM DDI
 * 0181: status, enable, select, soft interrupts, vectored priorities and
 * VICVectAddr nesting, the default vector, IDs) and the secondary
 * controller (DUI 0224: status, enable, soft interrupts, PIC pass-through
 * to VIC 21..30, its output on VIC 31). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "tests/unit/softmmu-test-rig.h"

#define VIC 0x10140000u
#define SIC 0x10003000u

enum { CPU_IRQ = 0, CPU_FIQ = 1 };

#define VIC_IRQSTATUS  (VIC + 0x000)
#define VIC_FIQSTATUS  (VIC + 0x004)
#define VIC_RAWINTR    (VIC + 0x008)
#define VIC_INTSELECT  (VIC + 0x00C)
#define VIC_INTENABLE  (VIC + 0x010)
#define VIC_INTENCLEAR (VIC + 0x014)
#define VIC_SOFTINT    (VIC + 0x018)
#define VIC_SOFTINTCLR (VIC + 0x01C)
#define VIC_PROTECTION (VIC + 0x020)
#define VIC_VECTADDR   (VIC + 0x030)
#define VIC_DEFVECT    (VIC + 0x034)
#define VIC_VECTADDRN(n) (VIC + 0x100 + 4 * (n))
#define VIC_VECTCNTLN(n) (VIC + 0x200 + 4 * (n))

static PL190 *vic;
static VersatileSIC *sic;

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    vic = pl190_new(NULL, VIC, rig_irq_line(CPU_IRQ), rig_irq_line(CPU_FIQ));
    sic = versatile_sic_new(NULL, SIC, vic, 31);
    return 0;
}

static int teardown(void **state)
{
    versatile_sic_free(sic);
    pl190_free(vic);
    return 0;
}

static void raise_vic(int n, int level)
{
    IRQLine l = pl190_input(vic, n);
    irq_set(&l, level);
}

static void test_vic_ids(void **state)
{
    static const uint32_t ids[8] = { 0x90, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(VIC + 0xFE0 + 4 * i), ids[i]);
}

static void test_vic_status_enable_select(void **state)
{
    raise_vic(3, 1);
    assert_int_equal(rd(VIC_RAWINTR), 1u << 3);
    assert_int_equal(rd(VIC_IRQSTATUS), 0);        /* not enabled */
    assert_int_equal(rig_irq[CPU_IRQ], 0);

    wr(VIC_INTENABLE, 1u << 3);
    assert_int_equal(rd(VIC_INTENABLE), 1u << 3);
    assert_int_equal(rd(VIC_IRQSTATUS), 1u << 3);
    assert_int_equal(rig_irq[CPU_IRQ], 1);

    wr(VIC_INTENABLE, 1u << 4);                    /* write 1 enables; 0s leave alone */
    assert_int_equal(rd(VIC_INTENABLE), (1u << 3) | (1u << 4));

    wr(VIC_INTSELECT, 1u << 3);                    /* to FIQ */
    assert_int_equal(rd(VIC_IRQSTATUS), 0);
    assert_int_equal(rd(VIC_FIQSTATUS), 1u << 3);
    assert_int_equal(rig_irq[CPU_IRQ], 0);
    assert_int_equal(rig_irq[CPU_FIQ], 1);

    wr(VIC_INTENCLEAR, 1u << 3);
    assert_int_equal(rd(VIC_INTENABLE), 1u << 4);
    assert_int_equal(rig_irq[CPU_FIQ], 0);

    raise_vic(3, 0);
    assert_int_equal(rd(VIC_RAWINTR), 0);
}

static void test_vic_soft_interrupts(void **state)
{
    wr(VIC_INTENABLE, 0x3);
    wr(VIC_SOFTINT, 0x2);
    assert_int_equal(rd(VIC_SOFTINT), 0x2);
    assert_int_equal(rd(VIC_RAWINTR), 0x2);
    assert_int_equal(rig_irq[CPU_IRQ], 1);
    wr(VIC_SOFTINT, 0x1);
    assert_int_equal(rd(VIC_SOFTINT), 0x3);
    wr(VIC_SOFTINTCLR, 0x3);
    assert_int_equal(rd(VIC_SOFTINT), 0);
    assert_int_equal(rig_irq[CPU_IRQ], 0);
    /* soft and hardware are ORed: clearing the soft bit keeps the line */
    raise_vic(0, 1);
    wr(VIC_SOFTINT, 0x1);
    wr(VIC_SOFTINTCLR, 0x1);
    assert_int_equal(rd(VIC_RAWINTR), 0x1);
}

static void test_vic_vector_priorities_and_nesting(void **state)
{
    /* slot 0 (highest) for source 5, slot 1 for source 7; 9 non-vectored */
    wr(VIC_VECTADDRN(0), 0x1000);
    wr(VIC_VECTCNTLN(0), 0x20 | 5);
    wr(VIC_VECTADDRN(1), 0x2000);
    wr(VIC_VECTCNTLN(1), 0x20 | 7);
    wr(VIC_DEFVECT, 0x9000);
    assert_int_equal(rd(VIC_VECTCNTLN(0)), 0x25);
    assert_int_equal(rd(VIC_DEFVECT), 0x9000);
    wr(VIC_INTENABLE, (1u << 5) | (1u << 7) | (1u << 9));

    raise_vic(7, 1);
    assert_int_equal(rig_irq[CPU_IRQ], 1);
    assert_int_equal(rd(VIC_VECTADDR), 0x2000);    /* acknowledge 7 */
    assert_int_equal(rig_irq[CPU_IRQ], 0);         /* in service: masked */
    assert_int_equal(rd(VIC_VECTADDR), 0x2000);    /* again: still 7's */

    raise_vic(9, 1);                               /* non-vectored: lower */
    assert_int_equal(rig_irq[CPU_IRQ], 0);
    assert_int_equal(rd(VIC_IRQSTATUS), (1u << 7) | (1u << 9));

    raise_vic(5, 1);                               /* higher: nests */
    assert_int_equal(rig_irq[CPU_IRQ], 1);
    assert_int_equal(rd(VIC_VECTADDR), 0x1000);
    assert_int_equal(rig_irq[CPU_IRQ], 0);

    raise_vic(5, 0);                               /* 5's routine clears its device */
    wr(VIC_VECTADDR, 0);                           /* end of 5: back in 7 */
    assert_int_equal(rig_irq[CPU_IRQ], 0);
    assert_int_equal(rd(VIC_VECTADDR), 0x2000);

    raise_vic(7, 0);
    wr(VIC_VECTADDR, 0);                           /* end of 7 */
    assert_int_equal(rig_irq[CPU_IRQ], 1);         /* 9 may now come in */
    assert_int_equal(rd(VIC_VECTADDR), 0x9000);    /* the default vector */
    assert_int_equal(rig_irq[CPU_IRQ], 0);

    raise_vic(7, 1);                               /* vectored preempts the default */
    assert_int_equal(rig_irq[CPU_IRQ], 1);
    assert_int_equal(rd(VIC_VECTADDR), 0x2000);
    raise_vic(7, 0);
    wr(VIC_VECTADDR, 0);
    raise_vic(9, 0);
    wr(VIC_VECTADDR, 0);
    assert_int_equal(rig_irq[CPU_IRQ], 0);
    assert_int_equal(rd(VIC_VECTADDR), 0x9000);    /* nothing pending: the default */
}

static void test_vic_slot_order_not_source_number(void **state)
{
    /* priority is the slot, not the source number */
    wr(VIC_VECTADDRN(2), 0x300);
    wr(VIC_VECTCNTLN(2), 0x20 | 1);
    wr(VIC_VECTADDRN(4), 0x500);
    wr(VIC_VECTCNTLN(4), 0x20 | 30);
    wr(VIC_VECTCNTLN(6), 0x00 | 12);               /* slot disabled: 12 is non-vectored */
    wr(VIC_DEFVECT, 0xD00);
    wr(VIC_INTENABLE, (1u << 1) | (1u << 30) | (1u << 12));
    raise_vic(1, 1);
    raise_vic(30, 1);
    raise_vic(12, 1);
    assert_int_equal(rd(VIC_VECTADDR), 0x300);
    raise_vic(1, 0);
    wr(VIC_VECTADDR, 0);
    assert_int_equal(rd(VIC_VECTADDR), 0x500);
    raise_vic(30, 0);
    wr(VIC_VECTADDR, 0);
    assert_int_equal(rd(VIC_VECTADDR), 0xD00);
}

static void test_vic_fiq_ignores_priority(void **state)
{
    wr(VIC_VECTCNTLN(0), 0x20 | 2);
    wr(VIC_VECTADDRN(0), 0x40);
    wr(VIC_INTENABLE, (1u << 2) | (1u << 8));
    wr(VIC_INTSELECT, 1u << 8);
    raise_vic(2, 1);
    assert_int_equal(rd(VIC_VECTADDR), 0x40);      /* IRQ 2 in service */
    raise_vic(8, 1);
    assert_int_equal(rig_irq[CPU_FIQ], 1);         /* FIQ is not masked by it */
    assert_int_equal(rig_irq[CPU_IRQ], 0);
}

static void test_vic_protection_and_reset(void **state)
{
    wr(VIC_PROTECTION, 0xFF);
    assert_int_equal(rd(VIC_PROTECTION), 1);
    wr(VIC_INTENABLE, 0xF0);
    wr(VIC_VECTADDRN(3), 0x1234);
    device_reset_all();
    assert_int_equal(rd(VIC_PROTECTION), 0);
    assert_int_equal(rd(VIC_INTENABLE), 0);
    assert_int_equal(rd(VIC_VECTADDRN(3)), 0);
}

static void test_vic_narrow_reads(void **state)
{
    wr(VIC_INTENABLE, 0x12345678);
    assert_int_equal(rd_size(VIC_INTENABLE, 2), 0x5678);
    assert_int_equal(rd_size(VIC_INTENABLE + 2, 2), 0x1234);
    assert_int_equal(rd_size(VIC_INTENABLE + 3, 1), 0x12);
}

/* ---- SIC ---- */

#define SIC_STATUS     (SIC + 0x00)
#define SIC_RAWSTAT    (SIC + 0x04)
#define SIC_ENABLE     (SIC + 0x08)
#define SIC_ENCLR      (SIC + 0x0C)
#define SIC_SOFTINTSET (SIC + 0x10)
#define SIC_SOFTINTCLR (SIC + 0x14)
#define SIC_PICENABLE  (SIC + 0x20)
#define SIC_PICENCLR   (SIC + 0x24)

static void raise_sic(int n, int level)
{
    IRQLine l = versatile_sic_input(sic, n);
    irq_set(&l, level);
}

static void test_sic_routes_to_vic31(void **state)
{
    wr(VIC_INTENABLE, 1u << 31);
    raise_sic(3, 1);
    assert_int_equal(rd(SIC_RAWSTAT), 1u << 3);
    assert_int_equal(rd(SIC_STATUS), 0);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 0);

    wr(SIC_ENABLE, 1u << 3);
    assert_int_equal(rd(SIC_ENABLE), 1u << 3);
    assert_int_equal(rd(SIC_STATUS), 1u << 3);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 1);
    assert_int_equal(rig_irq[CPU_IRQ], 1);

    wr(SIC_ENCLR, 1u << 3);
    assert_int_equal(rd(SIC_ENABLE), 0);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 0);
    assert_int_equal(rig_irq[CPU_IRQ], 0);

    wr(SIC_ENABLE, 1u << 3);
    raise_sic(3, 0);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 0);
}

static void test_sic_soft_interrupts(void **state)
{
    wr(SIC_ENABLE, 1u << 0);
    wr(SIC_SOFTINTSET, 1u << 0);
    assert_int_equal(rd(SIC_SOFTINTSET), 1u << 0);
    assert_int_equal(rd(SIC_RAWSTAT), 1u << 0);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 1);
    wr(SIC_SOFTINTCLR, 1u << 0);
    assert_int_equal(rd(SIC_RAWSTAT), 0);
    assert_int_equal(rd(VIC_RAWINTR) >> 31, 0);
}

static void test_sic_pic_passthrough(void **state)
{
    wr(SIC_PICENABLE, 0xFFFFFFFF);                 /* only 21..30 can pass */
    assert_int_equal(rd(SIC_PICENABLE), 0x7FE00000);
    wr(SIC_PICENCLR, 0xFFFFFFFF);
    wr(SIC_PICENABLE, 1u << 22);

    raise_sic(22, 1);                              /* not enabled in the SIC ... */
    assert_int_equal(rd(VIC_RAWINTR), 1u << 22);   /* ... but reaches VIC 22 */
    raise_sic(23, 1);                              /* not passed through */
    assert_int_equal(rd(VIC_RAWINTR), 1u << 22);

    wr(SIC_PICENCLR, 1u << 22);
    assert_int_equal(rd(VIC_RAWINTR), 0);
    wr(SIC_PICENABLE, 1u << 23);
    assert_int_equal(rd(VIC_RAWINTR), 1u << 23);
    raise_sic(23, 0);
    assert_int_equal(rd(VIC_RAWINTR), 0);
    raise_sic(22, 0);

    /* the direct VIC line follows the input, and 31 still sees it */
    wr(SIC_ENABLE, 1u << 23);
    raise_sic(23, 1);
    assert_int_equal(rd(VIC_RAWINTR), (1u << 23) | (1u << 31));
}

static void test_sic_reset(void **state)
{
    wr(SIC_ENABLE, 0xFF);
    wr(SIC_SOFTINTSET, 0x1);
    wr(SIC_PICENABLE, 1u << 25);
    device_reset_all();
    assert_int_equal(rd(SIC_ENABLE), 0);
    assert_int_equal(rd(SIC_RAWSTAT), 0);
    assert_int_equal(rd(SIC_PICENABLE), 0);
    assert_int_equal(rd(VIC_RAWINTR), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vic_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_status_enable_select, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_soft_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_vector_priorities_and_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_slot_order_not_source_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_fiq_ignores_priority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_protection_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vic_narrow_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sic_routes_to_vic31, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sic_soft_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sic_pic_passthrough, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sic_reset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
