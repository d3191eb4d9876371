/*
 * Unit tests for softmmu/memory.c: the physical address space — regions,
 * lookups, aliases, MMIO dispatch (offsets, sizes), accesses crossing
 * regions, unassigned addresses, ROM, and the `info mtree`-style dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "softmmu/memory.h"

typedef struct Access { bool write; uint64_t off, value; unsigned size; } Access;

typedef struct Dev {
    Access log[32];
    unsigned n;
    uint32_t regs[4];
} Dev;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    Dev *d = opaque;
    d->log[d->n++ & 31] = (Access){ false, off, 0, size };
    return off < 16 ? d->regs[off / 4] >> (8 * (off & 3)) : 0xee;
}

static void dev_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    Dev *d = opaque;
    d->log[d->n++ & 31] = (Access){ true, off, value, size };
    if (off < 16 && size == 4)
        d->regs[off / 4] = (uint32_t)value;
}

static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

static void test_ram_rom_lookup(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    uint8_t *ram = phys_add_ram(pm, "ram", 0x0, 0x10000);
    uint8_t *rom = phys_add_rom(pm, "rom", 0x20000, 0x1000);
    assert_non_null(ram);
    assert_non_null(rom);
    assert_int_equal(ram[0x1234], 0);          /* zero-filled */

    PhysSection s = phys_lookup(pm, 0x1234);
    assert_int_equal(s.kind, PHYS_RAM);
    assert_string_equal(s.name, "ram");
    assert_int_equal(s.base, 0);
    assert_int_equal(s.size, 0x10000);
    assert_int_equal(s.offset, 0x1234);
    assert_ptr_equal(s.host, ram + 0x1234);

    s = phys_lookup(pm, 0x20ffc);
    assert_int_equal(s.kind, PHYS_ROM);
    assert_ptr_equal(s.host, rom + 0xffc);
    assert_int_equal(phys_lookup(pm, 0x10000).kind, PHYS_UNASSIGNED);
    assert_int_equal(phys_lookup(pm, 0x1ffff).kind, PHYS_UNASSIGNED);
    assert_int_equal(phys_lookup(pm, 0x21000).kind, PHYS_UNASSIGNED);

    bool ok;
    phys_store(pm, 0x100, 0x1122334455667788ull, 8, &ok);
    assert_true(ok);
    assert_int_equal(ram[0x100], 0x88);        /* little-endian */
    assert_int_equal(phys_load(pm, 0x104, 4, &ok), 0x11223344);
    assert_int_equal(phys_load(pm, 0x101, 2, &ok), 0x6677);

    /* ROM: readable, writes ignored (the loader writes through the pointer) */
    rom[0] = 0xab;
    assert_int_equal(phys_load(pm, 0x20000, 1, &ok), 0xab);
    phys_store(pm, 0x20000, 0xcd, 1, &ok);
    assert_int_equal(rom[0], 0xab);
    phys_memory_free(pm);
}

static void test_unassigned(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    uint8_t *ram = phys_add_ram(pm, "ram", 0x1000, 0x1000);
    bool ok = true;
    assert_int_equal(phys_load(pm, 0x5000, 4, &ok), 0);
    assert_false(ok);
    ok = true;
    phys_store(pm, 0x5000, 1, 4, &ok);
    assert_false(ok);

    /* a read half in RAM, half in the hole: RAM bytes, zeros, and false */
    memset(ram + 0xffe, 0x5a, 2);
    uint8_t buf[4] = { 1, 1, 1, 1 };
    assert_false(phys_read(pm, 0x1ffe, buf, 4));
    assert_int_equal(buf[0], 0x5a);
    assert_int_equal(buf[1], 0x5a);
    assert_int_equal(buf[2], 0);
    assert_int_equal(buf[3], 0);
    /* a load crossing out of RAM the same way */
    ok = true;
    assert_int_equal(phys_load(pm, 0x1ffe, 4, &ok), 0x5a5a);
    assert_false(ok);
    /* and one crossing into RAM from below */
    ram[0] = 0x77;
    assert_int_equal(phys_load(pm, 0xfff, 2, &ok), 0x7700);
    assert_false(ok);
    phys_memory_free(pm);
}

static void test_mmio_dispatch(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    Dev d = { .n = 0 };
    phys_add_mmio(pm, "dev", 0x10000000, 0x1000, &dev_ops, &d);
    PhysSection s = phys_lookup(pm, 0x10000008);
    assert_int_equal(s.kind, PHYS_MMIO);
    assert_ptr_equal(s.ops, &dev_ops);
    assert_ptr_equal(s.opaque, &d);
    assert_int_equal(s.offset, 8);

    bool ok;
    phys_store(pm, 0x10000004, 0xdeadbeef, 4, &ok);
    assert_true(ok);
    assert_int_equal(d.n, 1);
    assert_true(d.log[0].write);
    assert_int_equal(d.log[0].off, 4);           /* offsets are the device's */
    assert_int_equal(d.log[0].size, 4);
    assert_int_equal(d.regs[1], 0xdeadbeef);
    assert_int_equal(phys_load(pm, 0x10000004, 2, &ok), 0xbeef);
    assert_int_equal(d.log[1].size, 2);           /* one callback of the cpu's size */
    assert_int_equal(phys_load(pm, 0x10000006, 1, &ok), 0xad);

    /* a DMA-style copy: 4-byte accesses where aligned, bytes elsewhere */
    d.n = 0;
    uint8_t buf[7];
    assert_true(phys_read(pm, 0x10000003, buf, 7));
    assert_int_equal(d.n, 4);
    assert_int_equal(d.log[0].off, 3);
    assert_int_equal(d.log[0].size, 1);
    assert_int_equal(d.log[1].off, 4);
    assert_int_equal(d.log[1].size, 4);
    assert_int_equal(d.log[2].size, 1);
    assert_int_equal(buf[1], 0xef);
    assert_int_equal(buf[4], 0xde);
    d.n = 0;
    static const uint8_t w[4] = { 1, 2, 3, 4 };
    assert_true(phys_write(pm, 0x10000008, w, 4));
    assert_int_equal(d.n, 1);
    assert_int_equal(d.regs[2], 0x04030201);
    phys_memory_free(pm);
}

static void test_alias(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    uint8_t *ram = phys_add_ram(pm, "ram", 0x1000000, 0x100000);
    Dev d = { .n = 0 };
    phys_add_mmio(pm, "dev", 0x2000000, 0x1000, &dev_ops, &d);
    /* the Versatile PB's boot alias: RAM seen at 0 too */
    phys_add_alias(pm, "ram-alias", 0x0, 0x10000, 0x1000000);
    phys_add_alias(pm, "dev-alias", 0x3000000, 0x100, 0x2000000);
    /* an alias of an alias */
    phys_add_alias(pm, "alias2", 0x4000000, 0x1000, 0x8000);

    PhysSection s = phys_lookup(pm, 0x1234);
    assert_int_equal(s.kind, PHYS_RAM);
    assert_ptr_equal(s.host, ram + 0x1234);
    assert_int_equal(s.size - s.offset, 0x10000 - 0x1234);   /* clipped to the alias */
    bool ok;
    phys_store(pm, 0x10, 0xabcd, 2, &ok);
    assert_int_equal(ram[0x10], 0xcd);
    assert_int_equal(phys_load(pm, 0x1000010, 2, &ok), 0xabcd);
    assert_int_equal(phys_lookup(pm, 0x10000).kind, PHYS_UNASSIGNED);   /* past the alias */

    /* a read crossing the alias's end: the alias bytes, then the hole */
    ram[0xffff] = 0x42;
    ok = true;
    assert_int_equal(phys_load(pm, 0xffff, 2, &ok), 0x42);
    assert_false(ok);

    s = phys_lookup(pm, 0x3000010);
    assert_int_equal(s.kind, PHYS_MMIO);
    assert_int_equal(s.offset, 0x10);
    phys_store(pm, 0x3000004, 7, 4, &ok);
    assert_int_equal(d.regs[1], 7);
    assert_int_equal(d.log[0].off, 4);

    s = phys_lookup(pm, 0x4000010);
    assert_int_equal(s.kind, PHYS_RAM);
    assert_ptr_equal(s.host, ram + 0x8010);
    phys_memory_free(pm);
}

static char dump[1024];
static void dump_line(void *opaque, const char *text)
{
    (void)opaque;
    strncat(dump, text, sizeof(dump) - strlen(dump) - 2);
    strcat(dump, "\n");
}

static void test_dump(void **state)
{
    (void)state;
    PhysMemory *pm = phys_memory_new();
    phys_add_mmio(pm, "uart", 0x101f1000, 0x1000, &dev_ops, NULL);
    phys_add_ram(pm, "ram", 0x0, 0x8000000);
    phys_add_alias(pm, "boot", 0x30000000, 0x1000, 0x0);
    dump[0] = 0;
    phys_memory_dump(pm, dump_line, NULL);
    assert_string_equal(dump,
                        "0000000000000000-0000000007ffffff (prio 0, ram): ram\n"
                        "00000000101f1000-00000000101f1fff (prio 0, i/o): uart\n"
                        "0000000030000000-0000000030000fff (prio 0, alias): boot @0000000000000000\n");
    phys_memory_free(pm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_rom_lookup),
        cmocka_unit_test(test_unassigned),
        cmocka_unit_test(test_mmio_dispatch),
        cmocka_unit_test(test_alias),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
