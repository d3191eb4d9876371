/*
 * Unit tests for softmmu/gdb-system.c, the gdbstub's owner in system mode:
 * the -gdb device syntax, and gdb's view of guest memory on an ARM926EJ-S
 * with its MMU on (section table built here): virtual reads and writes
 * through the page tables, from a privileged and from a user mode, across
 * sections; unmapped addresses and device registers refused; physical
 * access; and none of it leaving a trace in the guest (fault registers,
 * the cpu's fault record, the soft TLB's fills, the device).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exec/exec.h"
#include "frontend-arm/arm-cpu.h"
#include "gdbstub/gdb-arm.h"
#include "softmmu/cpus.h"
#include "softmmu/gdb-system.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

/* ---- -gdb DEV ------------------------------------------------------------------ */

static void expect_spec(const char *dev, const char *spec)
{
    char out[256];
    char *err = NULL;
    int r = sysgdb_parse_dev(dev, out, sizeof(out), &err);
    if (r < 0)
        fail_msg("-gdb %s refused: %s", dev, err ? err : "(no message)");
    assert_string_equal(out, spec);
}

static void expect_refused(const char *dev, const char *why)
{
    char out[256];
    char *err = NULL;
    assert_int_equal(sysgdb_parse_dev(dev, out, sizeof(out), &err), -1);
    assert_non_null(err);
    char want[128];
    snprintf(want, sizeof(want), "-gdb %s: ", dev);
    assert_true(strncmp(err, want, strlen(want)) == 0);   /* names the option as given */
    assert_non_null(strstr(err, why));
    free(err);
}

static void test_parse_dev(void **state)
{
    (void)state;
    expect_spec("tcp::1234", "1234");
    expect_spec("tcp:localhost:4321", "4321");
    expect_spec("tcp:127.0.0.1:1", "1");
    expect_spec("tcp::65535,server,nowait", "65535");
    expect_spec("tcp::1234,server=on,wait=off", "1234");
    expect_spec("1234", "1234");                       /* a bare port, as QEMU takes */
    expect_spec("unix:/tmp/gdb.sock", "/tmp/gdb.sock");
    expect_spec("unix:gdb.sock,server", "./gdb.sock");  /* relative: still a path */
    expect_refused("tcp::", "bad port");
    expect_refused("tcp::0", "out of range");
    expect_refused("tcp::65536", "out of range");
    expect_refused("tcp::12ab", "bad port");
    expect_refused("tcp::123456", "bad port");
    expect_refused("tcp:1234", "no port");
    expect_refused("tcp:example.com:1234", "loopback");
    expect_refused("tcp::1234,telnet", "unsupported option");
    expect_refused("udp::1234", "unsupported device");
    expect_refused("stdio", "unsupported device");
    expect_refused("", "unsupported device");
    expect_refused("unix:", "no socket path");
    char longpath[200];
    memset(longpath, 'a', sizeof(longpath));
    memcpy(longpath, "unix:/", 6);
    longpath[sizeof(longpath) - 1] = 0;
    expect_refused(longpath, "too long");
}

/* ---- memory -------------------------------------------------------------------- */

#define RAM_SIZE 0x200000u
#define TTB 0x4000u
#define DEV_BASE 0x10000000u

static unsigned dev_reads, dev_writes;
static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    (void)off;
    (void)size;
    dev_reads++;
    return 0x5a5a5a5a;
}
static void dev_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)opaque;
    (void)off;
    (void)value;
    (void)size;
    dev_writes++;
}
static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

static unsigned tlb_fills;
static void count_fill(CPUCommon *cpu, uint64_t vaddr, ExecAccess acc, unsigned mmu_idx, const ExecTLBFill *f)
{
    (void)cpu;
    (void)vaddr;
    (void)acc;
    (void)mmu_idx;
    (void)f;
    tlb_fills++;
}

static PhysMemory *pm;
static uint8_t *ram;
static CPUCommon *cpu;

/* A first-level section descriptor: 1 MiB at pa, AP, domain 0. */
static void map_section(uint32_t va, uint32_t pa, uint32_t ap)
{
    uint32_t d = (pa & 0xfff00000u) | (ap << 10) | 0x12;
    memcpy(ram + TTB + (va >> 20) * 4, &d, 4);
}

static int setup(void **state)
{
    (void)state;
    pm = phys_memory_new();
    ram = phys_add_ram(pm, "ram", 0, RAM_SIZE);
    phys_add_mmio(pm, "dev", DEV_BASE, 0x1000, &dev_ops, NULL);
    cpu = cpus_create(&frontend_arm, pm, &(CPUsOptions){ .interp = true });
    assert_non_null(cpu);
    ARMCPU *a = (ARMCPU *)cpu;
    assert_int_equal(arm_cpu_set_model(a, "arm926"), 0);
    arm_cpu_sys_reset(a);
    for (unsigned i = 0; i < RAM_SIZE; i++)
        ram[i] = (uint8_t)(i * 7 + (i >> 8));
    memset(ram + TTB, 0, 0x4000);
    map_section(0xc0000000u, 0x000000, 1);   /* kernel: privileged only */
    map_section(0xc0100000u, 0x100000, 1);
    map_section(0x00000000u, 0x100000, 3);   /* user: RAM's second MiB */
    map_section(DEV_BASE, DEV_BASE, 1);       /* the device, identity */
    a->cp15.ttbr0 = TTB;
    a->cp15.dacr = 1;                         /* domain 0: client */
    a->cp15.sctlr |= 1;                       /* M */
    tlb_flush(cpu);
    dev_reads = dev_writes = tlb_fills = 0;
    tlb_mmu_log = count_fill;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tlb_mmu_log = NULL;
    cpus_destroy(cpu);
    phys_memory_free(pm);
    return 0;
}

static void test_virtual_read_write(void **state)
{
    (void)state;
    uint8_t buf[64];
    assert_int_equal(sysgdb_read_virt(cpu, 0xc0000100u, buf, 16), 0);
    assert_memory_equal(buf, ram + 0x100, 16);
    /* across the two kernel sections */
    assert_int_equal(sysgdb_read_virt(cpu, 0xc00ffff8u, buf, 16), 0);
    assert_memory_equal(buf, ram + 0xffff8, 16);
    /* the user section maps RAM's second MiB at 0 */
    assert_int_equal(sysgdb_read_virt(cpu, 0x20u, buf, 8), 0);
    assert_memory_equal(buf, ram + 0x100020, 8);
    /* writes land in RAM through the same walk */
    static const uint8_t pattern[5] = { 1, 2, 3, 4, 5 };
    assert_int_equal(sysgdb_write_virt(cpu, 0xc0000300u, pattern, 5), 0);
    assert_memory_equal(ram + 0x300, pattern, 5);
    assert_int_equal(tlb_fills, 0);           /* the soft TLB was not consulted */
}

static void test_user_mode_sees_kernel(void **state)
{
    (void)state;
    ARMCPU *a = (ARMCPU *)cpu;
    arm_switch_mode(a, 0x10);                 /* USR: the kernel section is not its own */
    assert_int_equal(arm_cpu_mmu_index(a), ARM_MMU_IDX_USER);
    uint8_t buf[8];
    assert_int_equal(sysgdb_read_virt(cpu, 0xc0000400u, buf, 8), 0);
    assert_memory_equal(buf, ram + 0x400, 8);
}

static void test_refused_without_trace(void **state)
{
    (void)state;
    ARMCPU *a = (ARMCPU *)cpu;
    a->cp15.dfsr = 0x1234;
    a->cp15.dfar = 0x5678;
    cpu->fault_addr = 0x9abc;
    cpu->fault_access = EXEC_ACCESS_WRITE;
    cpu->fault_reason = EXEC_FAULT_ALIGNMENT;
    uint32_t pending_valid = a->cp15.pending_valid;
    uint8_t buf[8];
    assert_int_equal(sysgdb_read_virt(cpu, 0x50000000u, buf, 4), -1);          /* no section */
    assert_int_equal(sysgdb_read_virt(cpu, 0xc01ffffcu, buf, 8), -1);          /* runs off the end */
    assert_int_equal(sysgdb_write_virt(cpu, 0x50000000u, buf, 4), -1);
    assert_int_equal(sysgdb_read_virt(cpu, DEV_BASE, buf, 4), -1);             /* a device */
    assert_int_equal(sysgdb_write_virt(cpu, DEV_BASE, buf, 4), -1);
    assert_int_equal(sysgdb_read_virt(cpu, 0x100000000ull, buf, 4), -1);       /* past 32 bits */
    assert_int_equal(dev_reads + dev_writes, 0);
    assert_int_equal(a->cp15.dfsr, 0x1234);
    assert_int_equal(a->cp15.dfar, 0x5678);
    assert_int_equal(a->cp15.pending_valid, pending_valid);
    assert_int_equal(cpu->fault_addr, 0x9abc);
    assert_int_equal(cpu->fault_access, EXEC_ACCESS_WRITE);
    assert_int_equal(cpu->fault_reason, EXEC_FAULT_ALIGNMENT);
    assert_int_equal(tlb_fills, 0);
}

static void test_physical(void **state)
{
    (void)state;
    uint8_t buf[16];
    assert_int_equal(sysgdb_read_phys(cpu, 0x100, buf, 16), 0);
    assert_memory_equal(buf, ram + 0x100, 16);
    static const uint8_t pattern[3] = { 0xaa, 0xbb, 0xcc };
    assert_int_equal(sysgdb_write_phys(cpu, RAM_SIZE - 3, pattern, 3), 0);
    assert_memory_equal(ram + RAM_SIZE - 3, pattern, 3);
    assert_int_equal(sysgdb_read_phys(cpu, RAM_SIZE - 2, buf, 4), -1);    /* past RAM */
    assert_int_equal(sysgdb_read_phys(cpu, DEV_BASE, buf, 4), -1);        /* a device */
    assert_int_equal(sysgdb_write_phys(cpu, 0x30000000u, buf, 4), -1);    /* nothing there */
    assert_int_equal(dev_reads + dev_writes, 0);
    /* the MMU plays no part: physical 0x100 whatever the mapping */
    ((ARMCPU *)cpu)->cp15.sctlr &= ~1u;
    assert_int_equal(sysgdb_read_virt(cpu, 0x100, buf, 16), 0);            /* MMU off: identity */
    assert_memory_equal(buf, ram + 0x100, 16);
}

/* gdb writing the CPSR of a system-mode cpu changes the mode (and its
 * banked registers) and the masks, as a privileged MSR would. */
static void test_cpsr_write_switches_mode(void **state)
{
    (void)state;
    ARMCPU *a = (ARMCPU *)cpu;
    uint32_t v;
    assert_int_equal(gdb_arch_arm.read_reg(cpu, GDB_ARM_CPSR, (uint8_t *)&v), 4);
    assert_int_equal(v & 0x1f, 0x13);            /* SVC after reset */
    assert_int_equal(v & 0xc0, 0xc0);            /* IRQ and FIQ masked */
    a->regs[13] = 0x5000;                        /* SVC's sp */
    uint32_t usr = (v & ~0xdfu) | 0x10;          /* USR, unmasked */
    assert_int_equal(gdb_arch_arm.write_reg(cpu, GDB_ARM_CPSR, (const uint8_t *)&usr), 4);
    assert_int_equal(gdb_arch_arm.read_reg(cpu, GDB_ARM_CPSR, (uint8_t *)&v), 4);
    assert_int_equal(v & 0xdf, 0x10);
    assert_int_equal(arm_cpu_mmu_index(a), ARM_MMU_IDX_USER);
    assert_int_not_equal(a->regs[13], 0x5000);   /* USR's own sp */
    uint32_t svc = (v & ~0x1fu) | 0x13;
    assert_int_equal(gdb_arch_arm.write_reg(cpu, GDB_ARM_CPSR, (const uint8_t *)&svc), 4);
    assert_int_equal(a->regs[13], 0x5000);       /* SVC's sp is back */
    uint32_t bad = (v & ~0x1fu) | 0x15;          /* no such mode: kept */
    assert_int_equal(gdb_arch_arm.write_reg(cpu, GDB_ARM_CPSR, (const uint8_t *)&bad), 4);
    assert_int_equal(gdb_arch_arm.read_reg(cpu, GDB_ARM_CPSR, (uint8_t *)&v), 4);
    assert_int_equal(v & 0x1f, 0x13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_dev),
        cmocka_unit_test_setup_teardown(test_virtual_read_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_mode_sees_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_without_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_physical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cpsr_write_switches_mode, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
