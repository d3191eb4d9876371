/*
 * test-arm-mmu.c — the ARM translation table walk (frontend-arm/arm-mmu.c)
 * over a fake physical memory: every descriptor kind of the ARMv5 format
 * (sections, coarse and fine tables, large/small/tiny pages and their
 * subpages), domains (no access, client, manager), the AP bits with
 * SCTLR.S/R, and the ARMv6/v7 VMSA (APX, XN, supersections, the TTBCR.N
 * split); the fault status (FSR with its domain) and address each fault
 * records, and what do_exception makes of them (DFSR/DFAR, IFSR).
 * Expected values from the ARM ARM (DDI 0100I B3, DDI 0406C B3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frontend-arm/arm-cpu.h"

#define PMEM_SIZE 0x100000u
#define TTB       0x4000u     /* first-level table (16 KiB aligned) */
#define L2A       0x8000u     /* second-level tables */
#define L2B       0x9000u
#define TTB1      0x10000u

static uint8_t pmem[PMEM_SIZE];

static bool phys_read(CPUCommon *cpu, uint64_t pa, void *buf, unsigned len)
{
    (void)cpu;
    if (pa + len > PMEM_SIZE)
        return false;
    memcpy(buf, pmem + pa, len);
    return true;
}

static void no_flush(CPUCommon *cpu) { (void)cpu; }
static void no_flush_page(CPUCommon *cpu, uint64_t va) { (void)cpu; (void)va; }

static const ExecSysOps sys = { .phys_read = phys_read, .tlb_flush = no_flush, .tlb_flush_page = no_flush_page };

static void put32(uint32_t pa, uint32_t v) { memcpy(pmem + pa, &v, 4); }
static void l1(uint32_t va, uint32_t desc) { put32(TTB + (va >> 20) * 4, desc); }

static ARMCPU *new_cpu(const char *model)
{
    ARMCPU *cpu = calloc(1, sizeof(ARMCPU));
    cpu->common.sys = &sys;
    assert_int_equal(arm_cpu_set_model(cpu, model), 0);
    arm_cpu_sys_reset(cpu);
    memset(pmem, 0, sizeof(pmem));
    cpu->cp15.ttbr0 = TTB;
    cpu->cp15.sctlr |= 1;                        /* M */
    cpu->cp15.dacr = 0x55555555;                 /* every domain a client */
    return cpu;
}

static ExecTLBFill fill;

static bool tr(ARMCPU *cpu, uint32_t va, ExecAccess acc, int idx)
{
    memset(&fill, 0, sizeof(fill));
    return frontend_arm.mmu_translate(&cpu->common, va, acc, idx, &fill);
}

#define R EXEC_ACCESS_READ
#define W EXEC_ACCESS_WRITE
#define X EXEC_ACCESS_EXEC
#define PRIV ARM_MMU_IDX_PRIV
#define USER ARM_MMU_IDX_USER

/* A failed translation's FSR (as do_exception will see it) and address. */
#define assert_fault(cpu, va, acc, idx, fsr) do { \
        assert_false(tr(cpu, va, acc, idx)); \
        assert_int_equal((cpu)->cp15.pending_fsr, fsr); \
        assert_int_equal((cpu)->common.fault_addr, va); \
        assert_int_equal((cpu)->common.fault_access, acc); \
    } while (0)

static void test_mmu_off(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("arm926");
    cpu->cp15.sctlr &= ~1u;
    assert_true(tr(cpu, 0x12345678, W, USER));
    assert_int_equal(fill.paddr, 0x12345000);
    assert_int_equal(fill.page_bits, 12);
    assert_int_equal(fill.prot, EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC);
    free(cpu);
}

static void test_v5_sections_domains_ap(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("arm926");
    /* section at va 0x10000000 -> pa 0x20000000, domain 3, AP 01 */
    l1(0x10000000, 0x20000000 | 1u << 10 | 3u << 5 | 0x10 | 2);
    assert_true(tr(cpu, 0x10012345, W, PRIV));
    assert_int_equal(fill.paddr, 0x20000000);
    assert_int_equal(fill.page_bits, 20);
    assert_int_equal(fill.prot, EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC);
    assert_fault(cpu, 0x10012345, R, USER, 0xd | 3 << 4);          /* section permission */
    assert_int_equal(cpu->common.fault_reason, EXEC_FAULT_PERMISSION);
    /* domain 3 no access: a domain fault even when privileged */
    cpu->cp15.dacr = 0x55555515;
    assert_fault(cpu, 0x10000000, R, PRIV, 0x9 | 3 << 4);
    /* manager: no permission checks */
    cpu->cp15.dacr = 0x555555d5;
    assert_true(tr(cpu, 0x10000000, W, USER));
    cpu->cp15.dacr = 0x55555555;
    /* AP 10: user read-only; AP 11: all */
    l1(0x10000000, 0x20000000 | 2u << 10 | 3u << 5 | 2);
    assert_true(tr(cpu, 0x10000000, R, USER));
    assert_int_equal(fill.prot, EXEC_PROT_READ | EXEC_PROT_EXEC);
    assert_fault(cpu, 0x10000000, W, USER, 0xd | 3 << 4);
    l1(0x10000000, 0x20000000 | 3u << 10 | 3u << 5 | 2);
    assert_true(tr(cpu, 0x10000000, W, USER));
    /* AP 00 with S: privileged read-only; with R: read-only for all; neither: no access */
    l1(0x10000000, 0x20000000 | 3u << 5 | 2);
    assert_fault(cpu, 0x10000000, R, PRIV, 0xd | 3 << 4);
    cpu->cp15.sctlr |= 1u << 8;
    assert_true(tr(cpu, 0x10000000, R, PRIV));
    assert_fault(cpu, 0x10000000, W, PRIV, 0xd | 3 << 4);
    assert_fault(cpu, 0x10000000, R, USER, 0xd | 3 << 4);
    cpu->cp15.sctlr ^= 3u << 8;
    assert_true(tr(cpu, 0x10000000, R, USER));
    assert_fault(cpu, 0x10000000, W, PRIV, 0xd | 3 << 4);
    /* an invalid first-level entry: section translation fault, no domain */
    assert_fault(cpu, 0x30000004, R, PRIV, 0x5);
    assert_int_equal(cpu->common.fault_reason, EXEC_FAULT_UNMAPPED);
    /* a table outside physical memory: external abort on the walk */
    cpu->cp15.ttbr0 = 0x40000000;
    assert_fault(cpu, 0x30000004, R, PRIV, 0xc);
    assert_int_equal(cpu->common.fault_reason, EXEC_FAULT_EXTERNAL);
    free(cpu);
}

static void test_v5_coarse_fine(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("arm926");
    l1(0x20000000, L2A | 1u << 5 | 0x10 | 1);                      /* coarse, domain 1 */
    /* small page, all four subpages AP 11 */
    put32(L2A + 0x05 * 4, 0x30000000 | 0xff0 | 2);
    assert_true(tr(cpu, 0x20005678, W, USER));
    assert_int_equal(fill.paddr, 0x30000000);
    assert_int_equal(fill.page_bits, 12);
    /* small page with subpage 1 privileged only: 1 KiB mappings */
    put32(L2A + 0x06 * 4, 0x31000000 | 3u << 10 | 3u << 8 | 1u << 6 | 3u << 4 | 2);
    assert_true(tr(cpu, 0x20006400, R, PRIV));
    assert_int_equal(fill.paddr, 0x31000400);
    assert_int_equal(fill.page_bits, 10);
    assert_fault(cpu, 0x20006400, R, USER, 0xf | 1 << 4);          /* page permission */
    assert_true(tr(cpu, 0x20006800, W, USER));
    assert_int_equal(fill.paddr, 0x31000800);
    /* large page: 64 KiB; with differing subpages, 16 KiB mappings */
    put32(L2A + 0x12 * 4, 0x40000000 | 0xff0 | 1);
    assert_true(tr(cpu, 0x20012345, R, USER));
    assert_int_equal(fill.paddr, 0x40000000);
    assert_int_equal(fill.page_bits, 16);
    put32(L2A + 0x1c * 4, 0x40000000 | 3u << 10 | 0x0f0 | 1);
    assert_true(tr(cpu, 0x2001c345, W, USER));
    assert_int_equal(fill.paddr, 0x4000c000);
    assert_int_equal(fill.page_bits, 14);
    /* an invalid second-level entry: page translation fault with the domain */
    assert_fault(cpu, 0x20020000, R, PRIV, 0x7 | 1 << 4);
    /* a page's domain fault */
    cpu->cp15.dacr &= ~(3u << 2);
    assert_fault(cpu, 0x20005000, R, PRIV, 0xb | 1 << 4);
    cpu->cp15.dacr = 0x55555555;
    /* type 3 in a coarse table is not a v5 descriptor */
    put32(L2A + 0x30 * 4, 0x50000000 | 0xff0 | 3);
    assert_fault(cpu, 0x20030000, R, PRIV, 0x7 | 1 << 4);
    /* fine table: 1 KiB tiny pages */
    l1(0x20100000, L2B | 2u << 5 | 0x10 | 3);                      /* fine, domain 2 */
    put32(L2B + 0x5 * 4, 0x50000400 | 2u << 4 | 3);                /* va 0x20101400: tiny */
    assert_true(tr(cpu, 0x20101400, R, USER));
    assert_int_equal(fill.paddr, 0x50000400);
    assert_int_equal(fill.page_bits, 10);
    assert_fault(cpu, 0x20101400, W, USER, 0xf | 2 << 4);
    free(cpu);
}

static void test_v6_vmsa(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("cortex-a8");
    /* section: APX = 0, AP = 11, XN */
    l1(0x10000000, 0x20000000 | 3u << 10 | 1u << 5 | 1u << 4 | 2);
    assert_true(tr(cpu, 0x10000000, W, USER));
    assert_int_equal(fill.prot, EXEC_PROT_READ | EXEC_PROT_WRITE);
    assert_fault(cpu, 0x10000000, X, PRIV, 0xd | 1 << 4);
    /* APX = 1, AP = 01: privileged read-only */
    l1(0x10000000, 0x20000000 | 1u << 15 | 1u << 10 | 1u << 5 | 2);
    assert_true(tr(cpu, 0x10000000, R, PRIV));
    assert_fault(cpu, 0x10000000, W, PRIV, 0xd | 1 << 4);
    assert_fault(cpu, 0x10000000, R, USER, 0xd | 1 << 4);
    /* supersection: 16 MiB, domain 0 whatever the field says */
    l1(0x10a00000, 0x81000000 | 1u << 18 | 3u << 10 | 5u << 5 | 2);
    assert_true(tr(cpu, 0x10ab1234, W, USER));
    assert_int_equal(fill.paddr, 0x81000000);
    assert_int_equal(fill.page_bits, 24);
    cpu->cp15.dacr &= ~3u;
    assert_fault(cpu, 0x10ab1234, R, PRIV, 0x9);
    cpu->cp15.dacr = 0x55555555;
    /* small and large pages, XN in their own bits */
    l1(0x20000000, L2A | 4u << 5 | 1);
    put32(L2A + 0x05 * 4, 0x30000000 | 3u << 4 | 2 | 1);          /* small, XN */
    assert_true(tr(cpu, 0x20005000, W, USER));
    assert_int_equal(fill.paddr, 0x30000000);
    assert_int_equal(fill.page_bits, 12);
    assert_fault(cpu, 0x20005000, X, USER, 0xf | 4 << 4);
    put32(L2A + 0x12 * 4, 0x40000000 | 1u << 15 | 3u << 4 | 1);    /* large, XN */
    assert_true(tr(cpu, 0x20012345, R, USER));
    assert_int_equal(fill.paddr, 0x40000000);
    assert_int_equal(fill.page_bits, 16);
    assert_fault(cpu, 0x20012345, X, PRIV, 0xf | 4 << 4);
    put32(L2A + 0x13 * 4, 0x41000000 | 1u << 9 | 2u << 4 | 2);     /* APX:AP = 110: read-only */
    assert_true(tr(cpu, 0x20013000, R, USER));
    assert_fault(cpu, 0x20013000, W, PRIV, 0xf | 4 << 4);
    assert_fault(cpu, 0x20020000, R, PRIV, 0x7 | 4 << 4);
    /* reserved first-level type */
    l1(0x30000000, 3);
    assert_fault(cpu, 0x30000000, R, PRIV, 0x5);
    /* TTBCR.N = 2: the top quarter from TTBR1, the rest from TTBR0's 4 KiB table */
    cpu->cp15.ttbcr = 2;
    cpu->cp15.ttbr1 = TTB1;
    put32(TTB1 + 0xc00 * 4, 0x60000000 | 3u << 10 | 2);
    put32(TTB + 0x001 * 4, 0x70000000 | 3u << 10 | 2);
    assert_true(tr(cpu, 0xc0000000, R, USER));
    assert_int_equal(fill.paddr, 0x60000000);
    assert_true(tr(cpu, 0x00100000, R, USER));
    assert_int_equal(fill.paddr, 0x70000000);
    free(cpu);
}

/* arm1176 before the kernel sets SCTLR.XP walks the v5 format; bit 4 of a
 * section is not XN there */
static void test_v6_compat_format(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("arm1176");
    l1(0x10000000, 0x20000000 | 3u << 10 | 0x10 | 2);
    assert_true(tr(cpu, 0x10000000, X, USER));
    cpu->cp15.sctlr |= 1u << 23;                 /* XP: now bit 4 is XN */
    assert_fault(cpu, 0x10000000, X, USER, 0xd);
    free(cpu);
}

static void test_faults_into_exceptions(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu("arm926");
    l1(0x20000000, L2A | 1u << 5 | 0x10 | 1);
    cpu->regs[15] = 0x8000;
    assert_false(tr(cpu, 0x20000010, W, PRIV));
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.dfsr, 0x17);
    assert_int_equal(cpu->cp15.dfar, 0x20000010);
    assert_int_equal(cpu->regs[14], 0x8008);
    assert_int_equal(cpu->regs[15], 0x10);
    assert_int_equal(arm_cpsr_read(cpu) & ARM_CPSR_M, ARM_MODE_ABT);
    /* a prefetch abort: IFSR, and the DFAR stays */
    arm_switch_mode(cpu, ARM_MODE_SVC);
    cpu->regs[15] = 0x30000000;
    assert_false(tr(cpu, 0x30000000, X, PRIV));
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.ifsr, 0x5);
    assert_int_equal(cpu->cp15.dfar, 0x20000010);
    assert_int_equal(cpu->regs[14], 0x30000004);
    assert_int_equal(cpu->regs[15], 0x0c);
    free(cpu);

    /* v6: the write bit, IFAR */
    cpu = new_cpu("arm1176");
    cpu->cp15.sctlr |= 1u << 23;
    cpu->regs[15] = 0x8000;
    assert_false(tr(cpu, 0x20000010, W, USER));
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.dfsr, 0x805);
    arm_switch_mode(cpu, ARM_MODE_SVC);
    assert_false(tr(cpu, 0x40000000, X, USER));
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.ifsr, 0x5);
    assert_int_equal(cpu->cp15.ifar, 0x40000000);
    free(cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmu_off),
        cmocka_unit_test(test_v5_sections_domains_ap),
        cmocka_unit_test(test_v5_coarse_fine),
        cmocka_unit_test(test_v6_vmsa),
        cmocka_unit_test(test_v6_compat_format),
        cmocka_unit_test(test_faults_into_exceptions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
