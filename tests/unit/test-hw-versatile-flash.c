/* Unit tests for the CFI NOR flash (hw-versatile/cfi-flash.c): the query
 * table as the CFI specification lays it out and Linux's cfi_probe and
 * cfi_cmdset_0001 read it (one x32 chip: query byte n at byte offset 4 n),
 * the identifier codes, and the Intel basic command set: read array,
 * program (bits only clear), block erase, status register, the command
 * sequence error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw-versatile/devices.h"
#include "tests/unit/softmmu-test-rig.h"

#define FLASH 0x34000000u
#define SIZE  (64u << 20)
#define BLOCK (256u << 10)

static CFIFlash *flash;

static int setup(void **state)
{
    rig_clear();
    flash = cfi_flash_new(NULL, FLASH, SIZE, BLOCK);
    return 0;
}

static int teardown(void **state)
{
    cfi_flash_free(flash);
    return 0;
}

static uint32_t query(unsigned n) { return rd(FLASH + 4 * n); }

static void test_flash_starts_erased_in_read_array_mode(void **state)
{
    assert_int_equal(rd(FLASH), 0xFFFFFFFF);
    assert_int_equal(rd(FLASH + SIZE - 4), 0xFFFFFFFF);
    assert_int_equal(rd_size(FLASH + 0x1001, 1), 0xFF);
}

static void test_flash_cfi_query(void **state)
{
    wr(FLASH + 0x55 * 4, 0x98);
    assert_int_equal(query(0x10), 'Q');
    assert_int_equal(query(0x11), 'R');
    assert_int_equal(query(0x12), 'Y');
    assert_int_equal(query(0x13) | query(0x14) << 8, 0x0001);   /* Intel command set */
    unsigned p = query(0x15) | query(0x16) << 8;
    assert_int_equal(p, 0x31);
    assert_int_equal(query(0x27), 26);                          /* 2^26 bytes */
    assert_int_equal(query(0x28) | query(0x29) << 8, 3);        /* x32 */
    assert_int_equal(query(0x2A) | query(0x2B) << 8, 0);        /* no write buffer */
    assert_int_equal(query(0x20), 0);                           /* ... and no buffer timeout */
    assert_int_equal(query(0x2C), 1);                           /* one erase region */
    assert_int_equal((query(0x2D) | query(0x2E) << 8) + 1, SIZE / BLOCK);
    assert_int_equal((query(0x2F) | query(0x30) << 8) * 256, BLOCK);
    /* the Intel extended table, version 1.0 (what cfi_cmdset_0001 accepts) */
    assert_int_equal(query(p), 'P');
    assert_int_equal(query(p + 1), 'R');
    assert_int_equal(query(p + 2), 'I');
    assert_int_equal(query(p + 3), '1');
    assert_int_equal(query(p + 4), '0');
    /* the upper bytes of the 32-bit bus are zero: one chip, not two x16 */
    assert_int_equal(rd(FLASH + 0x10 * 4), 'Q');
    wr(FLASH, 0xFF);
    assert_int_equal(rd(FLASH + 0x10 * 4), 0xFFFFFFFF);
}

static void test_flash_identifier(void **state)
{
    /* Linux's probe sends the AMD unlock cycles first; 0x90 is what counts */
    wr(FLASH + 0x555 * 4, 0xAA);
    wr(FLASH + 0x2AA * 4, 0x55);
    wr(FLASH + 0x555 * 4, 0x90);
    assert_int_equal(rd(FLASH), 0x89);
    assert_int_equal(rd(FLASH + 4), 0x18);
    assert_int_equal(rd(FLASH + BLOCK + 8), 0);    /* block lock status: unlocked */
    wr(FLASH, 0xF0);                               /* the AMD reset also returns */
    assert_int_equal(rd(FLASH), 0xFFFFFFFF);
}

static void test_flash_program_and_erase(void **state)
{
    uint32_t a = FLASH + BLOCK + 0x100;
    wr(a, 0x40);
    wr(a, 0x12345678);
    assert_int_equal(rd(a), 0x80);                 /* status: ready */
    wr(a, 0xFF);
    assert_int_equal(rd(a), 0x12345678);
    /* programming only clears bits */
    wr(a, 0x10);
    wr(a, 0xFFFF0000);
    wr(a, 0xFF);
    assert_int_equal(rd(a), 0x12340000);
    assert_int_equal(rd(a + 4), 0xFFFFFFFF);       /* the neighbour untouched */
    /* a program in the next block */
    wr(FLASH + 2 * BLOCK, 0x40);
    wr(FLASH + 2 * BLOCK, 0);
    /* erase the first: all ones there, the other block kept */
    wr(a + 0x40, 0x20);
    wr(a + 0x40, 0xD0);
    assert_int_equal(rd(FLASH), 0x80);
    wr(FLASH, 0xFF);
    assert_int_equal(rd(a), 0xFFFFFFFF);
    assert_int_equal(rd(FLASH + 2 * BLOCK), 0);
}

static void test_flash_status_register(void **state)
{
    wr(FLASH, 0x70);
    assert_int_equal(rd(FLASH), 0x80);
    /* erase set-up not confirmed: a command sequence error, nothing erased */
    wr(FLASH, 0x40);
    wr(FLASH, 0);
    wr(FLASH, 0x20);
    wr(FLASH, 0xFF);
    assert_int_equal(rd(FLASH) & 0x30, 0x30);
    wr(FLASH, 0xFF);
    assert_int_equal(rd(FLASH), 0);
    wr(FLASH, 0x50);                               /* clear status */
    wr(FLASH, 0x70);
    assert_int_equal(rd(FLASH), 0x80);
    /* lock commands are accepted */
    wr(FLASH, 0x60);
    wr(FLASH, 0xD0);
    assert_int_equal(rd(FLASH), 0x80);
}

static void test_flash_reset_returns_to_read_array(void **state)
{
    wr(FLASH, 0x98);
    device_reset_all();
    assert_int_equal(rd(FLASH), 0xFFFFFFFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flash_starts_erased_in_read_array_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_cfi_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_identifier, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_program_and_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_status_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_reset_returns_to_read_array, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
