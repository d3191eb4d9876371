/*
 * test-arm-sys.c — the ARM system level (frontend-arm/arm-sys-cpu.c,
 * arm-excp.c, arm-cp15.c, translate-sys.c) on a cpu in system mode with
 * the MMU off (physical = virtual over the rig's flat memory): reset state,
 * banked registers, exception entry and return (LR, SPSR, mode, vectors),
 * MRS/MSR/CPS/SRS/RFE/LDM^ semantics, CP15 ID registers per model, CP15
 * privilege, WFI, TLB maintenance, and the mmu index and alignment flag of
 * every access.  Expected values are the ARM ARM's (B1.8, B4) and the
 * cores' TRMs (ID registers).  Runs through the IR interpreter and the
 * x86_64 backend.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/arm-test-rig.h"
#include "ir/ir.h"

/* ---- the machine side: a test ExecSysOps ------------------------------------ */

static unsigned n_flush, n_flush_page;
static uint64_t last_flush_page;

static bool sys_phys_read(CPUCommon *cpu, uint64_t pa, void *buf, unsigned len)
{
    (void)cpu;
    if (pa + len > MEM_SIZE)
        return false;
    memcpy(buf, guest_mem + pa, len);
    return true;
}

static bool sys_phys_write(CPUCommon *cpu, uint64_t pa, const void *buf, unsigned len)
{
    (void)cpu;
    if (pa + len > MEM_SIZE)
        return false;
    memcpy(guest_mem + pa, buf, len);
    return true;
}

static void sys_tlb_flush(CPUCommon *cpu) { (void)cpu; n_flush++; }
static void sys_tlb_flush_page(CPUCommon *cpu, uint64_t va) { (void)cpu; n_flush_page++; last_flush_page = va; }

static const ExecSysOps test_sys = {
    .phys_read = sys_phys_read, .phys_write = sys_phys_write,
    .tlb_flush = sys_tlb_flush, .tlb_flush_page = sys_tlb_flush_page,
};

/* A system-mode cpu of model, just reset. */
static ARMCPU *sys_cpu(const char *model)
{
    ARMCPU *cpu = (ARMCPU *)exec_cpu_new();
    cpu->common.guest_base = (uintptr_t)guest_mem;
    cpu->common.sys = &test_sys;
    assert_int_equal(arm_cpu_set_model(cpu, model), 0);
    arm_cpu_sys_reset(cpu);
    return cpu;
}

static uint32_t mode_of(const ARMCPU *cpu) { return arm_cpsr_read(cpu) & ARM_CPSR_M; }

/* Place code at addr (the rest of the code area is cleared once per test
 * by sys_clear) and run from there until the owner is needed. */
static void sys_clear(void)
{
    memset(guest_mem, 0, CODE_END);
    exec_flush_all();
}

static void put_code(uint32_t addr, const uint32_t *code, size_t n)
{
    memcpy(guest_mem + addr, code, n * 4);
    exec_flush_all();
}

static int run_at(ARMCPU *cpu, uint32_t pc)
{
    cpu->regs[15] = pc;
    return rig_run(cpu);
}

/* Switch the cpu to mode with a direct CPSR write (as MSR would). */
static void set_mode(ARMCPU *cpu, uint32_t mode)
{
    arm_cpsr_write_sys(cpu, mode, ARM_CPSR_M);
}

/* ---- reset and banks -------------------------------------------------------------- */

static void test_reset_state(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    uint32_t psr = arm_cpsr_read(cpu);
    assert_int_equal(psr & ARM_CPSR_M, ARM_MODE_SVC);
    assert_true(psr & ARM_CPSR_I);
    assert_true(psr & ARM_CPSR_F);
    assert_false(psr & ARM_CPSR_A);              /* no A bit before v6 */
    assert_int_equal(cpu->regs[15], 0);
    assert_int_equal(cpu->cp15.sctlr, 0x00090078);
    assert_int_equal(arm_cpu_mmu_index(cpu), ARM_MMU_IDX_PRIV);
    assert_int_equal(frontend_arm.cpu_mmu_index(&cpu->common), ARM_MMU_IDX_PRIV);
    /* -d cpu shows the mode and the translation registers */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    frontend_arm.dump_state(&cpu->common, f);
    fclose(f);
    assert_non_null(strstr(text, "mode svc I F SPSR=00000000 SCTLR=00090078"));
    free(text);
    /* Frontend.cpu_reset of a system cpu is the same reset, keeping the model */
    cpu->regs[15] = 0x1234;
    set_mode(cpu, ARM_MODE_USR);
    frontend_arm.cpu_reset(&cpu->common);
    assert_int_equal(mode_of(cpu), ARM_MODE_SVC);
    assert_int_equal(cpu->midr, 0x41069265);
    assert_int_equal(cpu->regs[15], 0);
    exec_cpu_free(&cpu->common);

    cpu = sys_cpu("arm1176");
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_A);
    assert_int_equal(cpu->cp15.sctlr, 0x00050078);
    exec_cpu_free(&cpu->common);
    cpu = sys_cpu("cortex-a8");
    assert_int_equal(cpu->cp15.sctlr, 0x00c50078);
    exec_cpu_free(&cpu->common);
    assert_true(arm_cpu_is_system_model("arm926"));
    assert_true(arm_cpu_is_system_model("cortex-a8"));
    assert_false(arm_cpu_is_system_model("max"));
}

static void test_banked_registers(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    for (int r = 0; r < 15; r++)
        cpu->regs[r] = 0x100 + r;                /* SVC's view */
    cpu->spsr = 0xd3;
    set_mode(cpu, ARM_MODE_IRQ);
    assert_int_equal(cpu->regs[12], 0x10c);      /* r8-r12 shared outside FIQ */
    assert_int_equal(cpu->regs[13], 0);          /* IRQ's own sp, lr, spsr */
    cpu->regs[13] = 0x213;
    cpu->regs[14] = 0x214;
    set_mode(cpu, ARM_MODE_FIQ);
    assert_int_equal(cpu->regs[8], 0);           /* FIQ has its own r8-r14 */
    for (int r = 8; r < 15; r++)
        cpu->regs[r] = 0x300 + r;
    set_mode(cpu, ARM_MODE_SYS);                 /* USR/SYS bank */
    assert_int_equal(cpu->regs[8], 0x108);
    assert_int_equal(cpu->regs[13], 0);
    assert_int_equal(arm_spsr_read(cpu), 0);     /* no SPSR */
    cpu->regs[13] = 0x413;
    set_mode(cpu, ARM_MODE_USR);
    assert_int_equal(cpu->regs[13], 0x413);      /* USR and SYS share */
    assert_int_equal(arm_cpu_mmu_index(cpu), ARM_MMU_IDX_USER);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], 0x10d);
    assert_int_equal(cpu->regs[14], 0x10e);
    assert_int_equal(cpu->spsr, 0xd3);
    set_mode(cpu, ARM_MODE_FIQ);
    assert_int_equal(cpu->regs[10], 0x30a);
    assert_int_equal(cpu->regs[14], 0x30e);
    set_mode(cpu, ARM_MODE_IRQ);
    assert_int_equal(cpu->regs[10], 0x10a);
    assert_int_equal(cpu->regs[13], 0x213);
    /* an invalid mode (MON on a core without it) leaves the mode alone */
    arm_cpsr_write_sys(cpu, 0x16, ARM_CPSR_M);
    assert_int_equal(mode_of(cpu), ARM_MODE_IRQ);
    exec_cpu_free(&cpu->common);
}

/* ---- exceptions -------------------------------------------------------------------------- */

static void test_svc_and_movs_return(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    uint32_t movs_pc_lr = 0xe1b0f00e;
    put_code(0x08, &movs_pc_lr, 1);              /* the SVC vector returns at once */
    uint32_t prog[4] = { 0xe3a00001, 0xef000000, 0xe3a01002, SVC0 };   /* mov r0,#1; svc 0; mov r1,#2 */
    put_code(CODE, prog, 4);
    set_mode(cpu, ARM_MODE_USR);
    arm_cpsr_write(cpu, 0, ARM_CPSR_I | ARM_CPSR_F);
    cpu->NF = 0x80000000u;                       /* N set: the SPSR keeps it */
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 8);
    uint32_t user_psr = arm_cpsr_read(cpu);
    frontend_arm.do_exception(&cpu->common, EXCP_SYSCALL);
    assert_int_equal(mode_of(cpu), ARM_MODE_SVC);
    assert_int_equal(cpu->regs[14], CODE + 8);
    assert_int_equal(cpu->spsr, user_psr);
    assert_int_equal(cpu->regs[15], 0x08);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_I);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_F);
    /* MOVS pc, lr: back in USR mode after the SVC, flags from the SPSR */
    cpu->NF = 0;
    assert_int_equal(rig_run(cpu), EXCP_SYSCALL);   /* the svc 0 after mov r1, #2 */
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_int_equal(cpu->regs[1], 2);
    assert_int_equal(cpu->NF & 0x80000000u, 0x80000000u);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    exec_cpu_free(&cpu->common);
}

static void test_undef_bkpt_aborts(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    uint32_t udf = 0xe7f000f0;
    put_code(CODE, &udf, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE);
    frontend_arm.do_exception(&cpu->common, EXCP_UDEF);
    assert_int_equal(mode_of(cpu), ARM_MODE_UND);
    assert_int_equal(cpu->regs[14], CODE + 4);   /* the address after it */
    assert_int_equal(cpu->regs[15], 0x04);
    assert_int_equal(cpu->spsr & ARM_CPSR_M, ARM_MODE_SVC);

    /* a Thumb undefined instruction: LR is 2 past it */
    set_mode(cpu, ARM_MODE_SVC);
    uint16_t t16_udf = 0xde00;
    memcpy(guest_mem + CODE + 0x100, &t16_udf, 2);
    exec_flush_all();
    cpu->thumb = 1;
    assert_int_equal(run_at(cpu, CODE + 0x100), EXCP_UDEF);
    frontend_arm.do_exception(&cpu->common, EXCP_UDEF);
    assert_int_equal(cpu->regs[14], CODE + 0x102);
    assert_int_equal(cpu->thumb, 0);             /* handlers run in ARM state (v5) */
    assert_true(cpu->spsr & ARM_CPSR_T);

    /* BKPT: a prefetch abort with LR = its address + 4 */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->regs[15] = CODE;
    frontend_arm.do_exception(&cpu->common, EXCP_BKPT);
    assert_int_equal(mode_of(cpu), ARM_MODE_ABT);
    assert_int_equal(cpu->regs[14], CODE + 4);
    assert_int_equal(cpu->regs[15], 0x0c);

    /* data abort: LR = insn + 8, DFSR/DFAR from the engine's fault */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->regs[15] = CODE;
    cpu->common.fault_addr = 0x1233;
    cpu->common.fault_access = EXEC_ACCESS_READ;
    cpu->common.fault_reason = EXEC_FAULT_ALIGNMENT;
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(mode_of(cpu), ARM_MODE_ABT);
    assert_int_equal(cpu->regs[14], CODE + 8);
    assert_int_equal(cpu->regs[15], 0x10);
    assert_int_equal(cpu->cp15.dfsr, 0x1);
    assert_int_equal(cpu->cp15.dfar, 0x1233);

    /* high vectors: SCTLR.V */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->cp15.sctlr |= 1u << 13;
    cpu->regs[15] = CODE;
    cpu->common.fault_access = EXEC_ACCESS_EXEC;
    cpu->common.fault_reason = EXEC_FAULT_UNMAPPED;
    cpu->common.fault_addr = CODE;
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->regs[15], 0xffff000c);
    assert_int_equal(cpu->regs[14], CODE + 4);
    assert_int_equal(cpu->cp15.ifsr, 0x5);
    exec_cpu_free(&cpu->common);

    /* v6: A is set, a write fault has WnR, IFAR is recorded */
    cpu = sys_cpu("arm1176");
    cpu->regs[15] = CODE;
    cpu->common.fault_addr = 0x4000;
    cpu->common.fault_access = EXEC_ACCESS_WRITE;
    cpu->common.fault_reason = EXEC_FAULT_EXTERNAL;
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.dfsr, 0x808);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_A);
    set_mode(cpu, ARM_MODE_SVC);
    cpu->common.fault_access = EXEC_ACCESS_EXEC;
    cpu->common.fault_addr = 0x5000;
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.ifar, 0x5000);
    exec_cpu_free(&cpu->common);
}

static void test_interrupts(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    cpu->regs[15] = 0x2000;
    /* masked at reset */
    assert_false(frontend_arm.exec_interrupt(&cpu->common, ARM_CPU_IRQ | ARM_CPU_FIQ));
    assert_int_equal(cpu->regs[15], 0x2000);
    arm_cpsr_write(cpu, 0, ARM_CPSR_I);          /* IRQs on, FIQs still masked */
    assert_false(frontend_arm.exec_interrupt(&cpu->common, ARM_CPU_FIQ));
    assert_true(frontend_arm.exec_interrupt(&cpu->common, ARM_CPU_IRQ | ARM_CPU_FIQ));
    assert_int_equal(mode_of(cpu), ARM_MODE_IRQ);
    assert_int_equal(cpu->regs[14], 0x2004);     /* SUBS pc, lr, #4 returns to 0x2000 */
    assert_int_equal(cpu->regs[15], 0x18);
    assert_int_equal(cpu->spsr & (ARM_CPSR_M | ARM_CPSR_I), ARM_MODE_SVC);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_I);
    assert_false(frontend_arm.exec_interrupt(&cpu->common, ARM_CPU_IRQ));   /* now masked */
    /* FIQ: takes priority, masks both */
    arm_cpsr_write(cpu, 0, ARM_CPSR_F);
    cpu->regs[15] = 0x3000;
    assert_true(frontend_arm.exec_interrupt(&cpu->common, ARM_CPU_IRQ | ARM_CPU_FIQ));
    assert_int_equal(mode_of(cpu), ARM_MODE_FIQ);
    assert_int_equal(cpu->regs[15], 0x1c);
    assert_int_equal(cpu->regs[14], 0x3004);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_F);
    exec_cpu_free(&cpu->common);

    /* the loop takes a pending IRQ as soon as code unmasks it: CPSIE i
     * ends the block; the handler's LR - 4 is the instruction after it */
    cpu = sys_cpu("arm1176");
    sys_clear();
    uint32_t irq_handler[2] = { 0xe3a02005, SVC0 };           /* mov r2, #5; svc */
    put_code(0x18, irq_handler, 2);
    uint32_t prog[3] = { 0xf1080080, 0xe3a01001, SVC0 };      /* cpsie i; mov r1, #1; svc */
    put_code(CODE, prog, 3);
    exec_cpu_interrupt(&cpu->common, ARM_CPU_IRQ);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 5);
    assert_int_equal(cpu->regs[1], 0);
    assert_int_equal(mode_of(cpu), ARM_MODE_IRQ);
    assert_int_equal(cpu->regs[14], CODE + 8);
    /* the line goes low; SUBS pc, lr, #4 returns to the interrupted code */
    exec_cpu_reset_interrupt(&cpu->common, ARM_CPU_IRQ);
    uint32_t subs = 0xe25ef004;
    put_code(0x20, &subs, 1);
    assert_int_equal(run_at(cpu, 0x20), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[1], 1);
    assert_int_equal(mode_of(cpu), ARM_MODE_SVC);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    exec_cpu_free(&cpu->common);
}

/* ---- MRS, MSR, CPS, SRS, RFE, LDM ^ ------------------------------------------------------ */

static void test_msr_mrs(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    cpu->spsr = 0x600000d0;
    cpu->regs[2] = 0x80000010;
    uint32_t prog[5] = {
        0xe10f0000,     /* mrs r0, cpsr */
        0xe14f1000,     /* mrs r1, spsr */
        0xe16ff002,     /* msr spsr_fsxc, r2 */
        0xe321f0d2,     /* msr cpsr_c, #0xd2: IRQ mode */
        SVC0,
    };
    put_code(CODE, prog, 5);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0] & 0xff, 0xd3);
    assert_int_equal(cpu->regs[1], 0x600000d0);
    assert_int_equal(mode_of(cpu), ARM_MODE_IRQ);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->spsr, 0x80000010);
    /* from USR mode, MSR cpsr_fsxc writes only the flags */
    set_mode(cpu, ARM_MODE_USR);
    arm_cpsr_write(cpu, 0, ARM_CPSR_I | ARM_CPSR_F);
    cpu->regs[3] = 0xf00000d3;
    uint32_t user[2] = { 0xe12ff003, SVC0 };    /* msr cpsr_fsxc, r3 */
    put_code(CODE, user, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_int_equal(arm_cpsr_read(cpu) & 0xf00000c0, 0xf0000000);
    /* ... and MRS SPSR is undefined there */
    uint32_t mrs_spsr = 0xe14f1000;
    put_code(CODE, &mrs_spsr, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    exec_cpu_free(&cpu->common);
}

static void test_cps_srs_rfe(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm1176");
    sys_clear();
    uint32_t cps[4] = { 0xf1080080, 0xf10c0080, 0xf1020013, SVC0 };   /* cpsie i; cpsid i; cps #0x13 */
    put_code(CODE, cps, 1);
    put_code(CODE + 4, &cps[3], 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    put_code(CODE, &cps[1], 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_I);
    set_mode(cpu, ARM_MODE_IRQ);
    put_code(CODE, &cps[2], 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mode_of(cpu), ARM_MODE_SVC);

    /* srsdb sp!, #0x13 from IRQ mode: lr_irq and spsr_irq onto SVC's stack */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->regs[13] = DATA + 0x100;
    set_mode(cpu, ARM_MODE_IRQ);
    cpu->regs[14] = 0x2468;
    cpu->spsr = 0x60000010;
    uint32_t srs[2] = { 0xf96d0513, SVC0 };
    put_code(CODE, srs, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 0xf8), 0x2468);
    assert_int_equal(mem32(DATA + 0xfc), 0x60000010);
    assert_int_equal(mode_of(cpu), ARM_MODE_IRQ);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], DATA + 0xf8);

    /* rfeia sp!: back to USR mode at the stored pc */
    set_mode(cpu, ARM_MODE_SVC);
    uint32_t target = SVC0;
    put_code(CODE + 0x200, &target, 1);
    set_mem32(DATA + 0xf8, CODE + 0x200);
    uint32_t rfe = 0xf8bd0a00;
    put_code(CODE, &rfe, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 0x204);
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_int_equal(arm_cpsr_read(cpu) & 0xf0000000, 0x60000000);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], DATA + 0x100);
    /* from USR mode SRS/RFE are undefined and CPS does nothing */
    set_mode(cpu, ARM_MODE_USR);
    put_code(CODE, &rfe, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    put_code(CODE, &cps[1], 1);
    put_code(CODE + 4, &cps[3], 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    exec_cpu_free(&cpu->common);

    /* ARMv5 has neither */
    cpu = sys_cpu("arm926");
    put_code(CODE, &cps[1], 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    exec_cpu_free(&cpu->common);
}

/* The Thumb-2 system instructions (B9.3): CPS.W, MSR CPSR_c / MRS SPSR,
 * SRS, RFE and SUBS PC, LR (ERET), from Thumb state on an ARMv7 cpu. */
static void put_thumb(uint32_t addr, const uint16_t *hw, size_t n)
{
    memcpy(guest_mem + addr, hw, n * 2);
    exec_flush_all();
}

static int run_thumb(ARMCPU *cpu, uint32_t pc)
{
    cpu->thumb = 1;
    return run_at(cpu, pc);
}

static void test_thumb2_system(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("cortex-a8");
    sys_clear();
    const uint16_t T_SVC = 0xdf00;
    /* cpsid.w i; svc / cpsie.w i; svc / cps.w #0x13; svc */
    uint16_t cpsid[3] = { 0xf3af, 0x8640, T_SVC }, cpsie[3] = { 0xf3af, 0x8440, T_SVC };
    uint16_t cpsmode[3] = { 0xf3af, 0x8113, T_SVC };
    put_thumb(CODE, cpsie, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    put_thumb(CODE, cpsid, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_I);
    set_mode(cpu, ARM_MODE_IRQ);
    put_thumb(CODE, cpsmode, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mode_of(cpu), ARM_MODE_SVC);

    /* msr cpsr_c, r0 (to SYS); mrs r1, spsr (in IRQ mode) */
    uint16_t msr[3] = { 0xf380, 0x8100, T_SVC }, mrs[3] = { 0xf3ff, 0x8100, T_SVC };
    cpu->regs[0] = ARM_MODE_SYS | ARM_CPSR_I | ARM_CPSR_F | ARM_CPSR_A | ARM_CPSR_T;
    put_thumb(CODE, msr, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mode_of(cpu), ARM_MODE_SYS);
    set_mode(cpu, ARM_MODE_IRQ);
    cpu->spsr = 0x60000030;
    put_thumb(CODE, mrs, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[1], 0x60000030);

    /* srsdb sp!, #0x13 from IRQ mode: lr_irq and spsr_irq onto SVC's stack */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->regs[13] = DATA + 0x100;
    set_mode(cpu, ARM_MODE_IRQ);
    cpu->regs[14] = 0x2469;
    cpu->spsr = 0x60000030;
    uint16_t srs[3] = { 0xe82d, 0xc013, T_SVC };
    put_thumb(CODE, srs, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 0xf8), 0x2469);
    assert_int_equal(mem32(DATA + 0xfc), 0x60000030);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], DATA + 0xf8);

    /* rfeia sp!: to USR mode, Thumb state, at the stored pc */
    put_thumb(CODE + 0x200, &T_SVC, 1);
    set_mem32(DATA + 0xf8, CODE + 0x200);
    uint16_t rfe[2] = { 0xe9bd, 0xc000 };
    put_thumb(CODE, rfe, 2);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 0x202);
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_true(cpu->thumb);
    assert_int_equal(arm_cpsr_read(cpu) & 0xf0000000, 0x60000000);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], DATA + 0x100);

    /* subs pc, lr, #4 from SVC: pc = lr - 4, CPSR <- SPSR */
    cpu->spsr = 0x80000030;
    cpu->regs[14] = CODE + 0x204;
    uint16_t subs[2] = { 0xf3de, 0x8f04 };
    put_thumb(CODE, subs, 2);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 0x202);
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_int_equal(arm_cpsr_read(cpu) & 0xf0000000, 0x80000000);

    /* from USR mode: SRS, RFE and SUBS PC, LR are undefined, CPS does nothing */
    put_thumb(CODE, subs, 2);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_UDEF);
    put_thumb(CODE, rfe, 2);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_UDEF);
    put_thumb(CODE, srs, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_UDEF);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    put_thumb(CODE, cpsid, 3);
    assert_int_equal(run_thumb(cpu, CODE), EXCP_SYSCALL);
    assert_false(arm_cpsr_read(cpu) & ARM_CPSR_I);
    exec_cpu_free(&cpu->common);
}

static void test_ldm_stm_user(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    set_mode(cpu, ARM_MODE_USR);
    cpu->regs[13] = 0x1313;
    cpu->regs[14] = 0x1414;
    set_mode(cpu, ARM_MODE_SVC);
    cpu->regs[13] = DATA;
    cpu->regs[14] = 0x5555;
    cpu->regs[0] = DATA + 0x40;
    /* stmia r0, {sp, lr}^ stores the User registers */
    uint32_t stm[2] = { 0xe8c06000, SVC0 };
    put_code(CODE, stm, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 0x40), 0x1313);
    assert_int_equal(mem32(DATA + 0x44), 0x1414);
    /* ldmia r0, {sp, lr}^ loads them */
    set_mem32(DATA + 0x40, 0x2323);
    set_mem32(DATA + 0x44, 0x2424);
    uint32_t ldm[2] = { 0xe8d06000, SVC0 };
    put_code(CODE, ldm, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[13], DATA);      /* SVC's own untouched */
    assert_int_equal(cpu->regs[14], 0x5555);
    set_mode(cpu, ARM_MODE_USR);
    assert_int_equal(cpu->regs[13], 0x2323);
    assert_int_equal(cpu->regs[14], 0x2424);
    /* ldmfd sp!, {r0, pc}^: exception return to USR mode */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->spsr = ARM_MODE_USR | 0x20000000;
    set_mem32(DATA, 0x77);
    set_mem32(DATA + 4, CODE + 0x300);
    uint32_t target = SVC0;
    put_code(CODE + 0x300, &target, 1);
    uint32_t ret = 0xe8fd8001;
    put_code(CODE, &ret, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 0x304);
    assert_int_equal(cpu->regs[0], 0x77);
    assert_int_equal(mode_of(cpu), ARM_MODE_USR);
    assert_int_equal(cpu->CF, 1);
    set_mode(cpu, ARM_MODE_SVC);
    assert_int_equal(cpu->regs[13], DATA + 8);
    /* from USR mode, LDM ^ is undefined */
    set_mode(cpu, ARM_MODE_USR);
    put_code(CODE, &ret, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    exec_cpu_free(&cpu->common);
}

/* ---- CP15 ------------------------------------------------------------------------------------ */

static uint32_t mrc(ARMCPU *cpu, uint32_t insn)
{
    uint32_t prog[2] = { insn, SVC0 };
    put_code(CODE, prog, 2);
    int r = run_at(cpu, CODE);
    assert_int_equal(r, EXCP_SYSCALL);
    return cpu->regs[0];
}

static void test_cp15_ids(void **state)
{
    (void)state;
    static const struct { const char *model; uint32_t midr, ctr, mmfr0; } ids[] = {
        { "arm926", 0x41069265, 0x1dd20d2, 0 },
        { "arm1136", 0x4117b363, 0x1dd20d2, 0x01130003 },
        { "arm1176", 0x410fb767, 0x1dd20d2, 0x01130003 },
        { "cortex-a8", 0x410fc080, 0x82048004, 0x31100003 },
    };
    sys_clear();
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        ARMCPU *cpu = sys_cpu(ids[i].model);
        assert_int_equal(mrc(cpu, 0xee100f10), ids[i].midr);        /* mrc p15,0,r0,c0,c0,0 */
        assert_int_equal(mrc(cpu, 0xee100f30), ids[i].ctr);         /* c0,c0,1 */
        assert_int_equal(mrc(cpu, 0xee110f10), cpu->cp15.sctlr);    /* c1,c0,0 */
        if (ids[i].mmfr0) {
            assert_int_equal(mrc(cpu, 0xee100f91), ids[i].mmfr0);   /* c0,c1,4 ID_MMFR0 */
        } else {
            uint32_t prog[2] = { 0xee100f91, SVC0 };
            put_code(CODE, prog, 2);
            assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);         /* no CPUID scheme on v5 */
        }
        exec_cpu_free(&cpu->common);
    }
    ARMCPU *cpu = sys_cpu("cortex-a8");
    assert_int_equal(mrc(cpu, 0xee300f30), 0x0a000023);             /* mrc p15,1,r0,c0,c0,1 CLIDR */
    exec_cpu_free(&cpu->common);
}

static void test_cp15_control(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    /* "test and clean DCache": MRC to r15 sets Z */
    cpu->ZF = 1;
    uint32_t tc[2] = { 0xee17ff7a, SVC0 };
    put_code(CODE, tc, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_true(arm_cpsr_read(cpu) & ARM_CPSR_Z);
    /* SCTLR write: writable bits only, SBO bits stay, the TLB is flushed */
    n_flush = 0;
    cpu->regs[0] = 0x00003406;       /* A C I V, and F (not writable on the ARM926) */
    uint32_t wr[2] = { 0xee010f10, SVC0 };
    put_code(CODE, wr, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->cp15.sctlr, 0x0009307e);
    assert_int_equal(n_flush, 0);                   /* caches and V: no new translations */
    cpu->regs[0] = 0x00003106;                      /* ... S changes what AP 00 means */
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->cp15.sctlr, 0x0009317e);
    assert_int_equal(n_flush, 1);
    /* SCTLR.A: every access of a following block checks alignment */
    assert_true(rig_tb_flags(&cpu->common) & (1u << 19));
    cpu->regs[0] = DATA + 1;
    uint32_t ldr[2] = { 0xe5901000, SVC0 };
    put_code(CODE, ldr, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_MEM_FAULT);
    assert_int_equal(cpu->common.fault_reason, EXEC_FAULT_ALIGNMENT);
    frontend_arm.do_exception(&cpu->common, EXCP_MEM_FAULT);
    assert_int_equal(cpu->cp15.dfsr, 0x1);
    assert_int_equal(cpu->cp15.dfar, DATA + 1);
    assert_int_equal(cpu->regs[15], 0xffff0010);   /* V was set */
    set_mode(cpu, ARM_MODE_SVC);
    cpu->cp15.sctlr = 0x00090078;
    /* TLB maintenance */
    n_flush = n_flush_page = 0;
    cpu->regs[0] = 0xc0001234;
    uint32_t tlb[3] = { 0xee080f37, 0xee080f17, SVC0 };   /* invalidate MVA; invalidate all */
    put_code(CODE, tlb, 3);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(n_flush_page, 1);
    assert_int_equal(last_flush_page & ~0xfffull, 0xc0001000);
    assert_true(n_flush >= 1);
    /* WFI (c7, c0, 4): EXCP_HALT with the pc after it */
    uint32_t wfi[2] = { 0xee070f90, SVC0 };
    put_code(CODE, wfi, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_HALT);
    assert_int_equal(cpu->regs[15], CODE + 4);
    /* an unknown register is undefined */
    uint32_t c15 = 0xee1f0f10;                      /* mrc p15, 0, r0, c15, c0, 0 */
    put_code(CODE, &c15, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    /* privileged registers are undefined from USR mode */
    set_mode(cpu, ARM_MODE_USR);
    uint32_t midr = 0xee100f10;
    put_code(CODE, &midr, 1);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    exec_cpu_free(&cpu->common);

    /* v6K: TPIDRURO readable from USR mode, writable only when privileged;
     * the WFI instruction; CONTEXTIDR flushes */
    cpu = sys_cpu("arm1176");
    cpu->tpidruro = 0xabcd;
    set_mode(cpu, ARM_MODE_USR);
    assert_int_equal(mrc(cpu, 0xee1d0f70), 0xabcd);
    uint32_t wr_ro[2] = { 0xee0d0f70, SVC0 };
    put_code(CODE, wr_ro, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    set_mode(cpu, ARM_MODE_SVC);
    uint32_t wfi_insn[2] = { 0xe320f003, SVC0 };
    put_code(CODE, wfi_insn, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_HALT);
    assert_int_equal(cpu->regs[15], CODE + 4);
    n_flush = 0;
    cpu->regs[0] = 5;
    uint32_t asid[2] = { 0xee0d0f30, SVC0 };
    put_code(CODE, asid, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->cp15.contextidr, 5);
    assert_true(n_flush >= 1);
    /* the v6 unified-cache operation Linux's __v6_setup uses is a no-op there */
    uint32_t c7c15[2] = { 0xee070f1f, SVC0 };           /* mcr p15, 0, r0, c7, c15, 0 */
    put_code(CODE, c7c15, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    exec_cpu_free(&cpu->common);
    cpu = sys_cpu("arm926");
    put_code(CODE, c7c15, 2);                           /* (translations are not per model) */
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);     /* ... and undefined on the ARM926 */
    exec_cpu_free(&cpu->common);
}

/* VFP: undefined until the kernel sets FPEXC.EN (and, from v6 on, CPACR's
 * cp10/cp11 fields); FPSID and FPEXC stay accessible to privileged code. */
static void test_vfp_enable(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    uint32_t vadd[2] = { 0xee300a81, SVC0 };            /* vadd.f32 s0, s1, s2 */
    uint32_t fpscr[2] = { 0xeef11a10, SVC0 };           /* vmrs r1, fpscr */
    assert_int_equal(cpu->fpexc, 0);
    put_code(CODE, vadd, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    put_code(CODE, fpscr, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    uint32_t fpsid[2] = { 0xeef00a10, SVC0 };           /* vmrs r0, fpsid */
    put_code(CODE, fpsid, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], cpu->fpsid);
    /* vmsr fpexc, r0 with EN: the block ends, VFP works from the next one */
    cpu->regs[0] = 1u << 30;
    uint32_t en[3] = { 0xeee80a10, 0xee300a81, SVC0 };
    put_code(CODE, en, 3);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->fpexc, 1u << 30);
    set_mode(cpu, ARM_MODE_USR);
    put_code(CODE, vadd, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    exec_cpu_free(&cpu->common);

    /* v6: CPACR must grant cp10/cp11 too (01 privileged, 11 all) */
    cpu = sys_cpu("arm1176");
    cpu->fpexc = 1u << 30;
    put_code(CODE, vadd, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    cpu->regs[0] = 0x00500000;
    uint32_t cpacr[3] = { 0xee010f50, 0xee300a81, SVC0 };   /* mcr cpacr; vadd */
    put_code(CODE, cpacr, 3);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    set_mode(cpu, ARM_MODE_USR);
    put_code(CODE, vadd, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_UDEF);
    set_mode(cpu, ARM_MODE_SVC);
    cpu->cp15.cpacr = 0x00f00000;
    set_mode(cpu, ARM_MODE_USR);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    exec_cpu_free(&cpu->common);
}

/* SWP in system mode: an exchange through ordinary accesses */
static void test_swp_sys(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    set_mem32(DATA, 0x1111);
    cpu->regs[0] = DATA;
    cpu->regs[2] = 0x2222;
    uint32_t swp[2] = { 0xe1001092, SVC0 };             /* swp r1, r2, [r0] */
    put_code(CODE, swp, 2);
    assert_int_equal(run_at(cpu, CODE), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[1], 0x1111);
    assert_int_equal(mem32(DATA), 0x2222);
    exec_cpu_free(&cpu->common);
}

/* ---- mmu indexes in the IR -------------------------------------------------------------------- */

/* The memops of the guest accesses of the block at CODE, as translated
 * for the cpu's current state. */
static unsigned block_memops(ARMCPU *cpu, uint32_t *mos, unsigned max)
{
    IRBlock b;
    ir_block_init(&b, frontend_arm.globals, CODE);
    uint64_t pc, cs, flags;
    cpu->regs[15] = CODE;
    frontend_arm.get_tb_key(&cpu->common, &pc, &cs, &flags);
    frontend_translate(&frontend_arm, &b, &cpu->common, pc, flags, 0);
    unsigned n = 0;
    for (unsigned i = 0; i < b.n_ops && n < max; i++) {
        const IROp *op = &b.ops[i];
        if (op->opc == IR_OP_ld || op->opc == IR_OP_st)
            mos[n++] = (uint32_t)ir_op_const(op, 0);
    }
    ir_block_free(&b);
    return n;
}

static void test_mmu_index_memops(void **state)
{
    (void)state;
    ARMCPU *cpu = sys_cpu("arm926");
    sys_clear();
    uint32_t prog[3] = { 0xe5901000, 0xe4b01000, SVC0 };   /* ldr r1, [r0]; ldrt r1, [r0], #0 */
    put_code(CODE, prog, 3);
    uint32_t mo[4];
    assert_int_equal(block_memops(cpu, mo, 4), 2);
    assert_int_equal(ir_memop_mmu_idx(mo[0]), ARM_MMU_IDX_PRIV);
    assert_int_equal(ir_memop_mmu_idx(mo[1]), ARM_MMU_IDX_USER);   /* LDRT */
    assert_false(mo[0] & IR_MO_ALIGN);
    set_mode(cpu, ARM_MODE_USR);
    assert_int_equal(block_memops(cpu, mo, 4), 2);
    assert_int_equal(ir_memop_mmu_idx(mo[0]), ARM_MMU_IDX_USER);
    assert_int_equal(ir_memop_mmu_idx(mo[1]), ARM_MMU_IDX_USER);
    cpu->cp15.sctlr |= 2;                                  /* SCTLR.A */
    assert_int_equal(block_memops(cpu, mo, 4), 2);
    assert_true(mo[0] & IR_MO_ALIGN);
    exec_cpu_free(&cpu->common);
    /* user mode (no sys): as before, index 0 and no added checks */
    cpu = rig_new_cpu("arm926");
    assert_int_equal(block_memops(cpu, mo, 4), 2);
    assert_int_equal(mo[0] & (IR_MO_MMU_MASK | IR_MO_ALIGN), 0);
    assert_int_equal(mo[1] & (IR_MO_MMU_MASK | IR_MO_ALIGN), 0);
    exec_cpu_free(&cpu->common);
}

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_svc_and_movs_return),
        cmocka_unit_test(test_undef_bkpt_aborts),
        cmocka_unit_test(test_interrupts),
        cmocka_unit_test(test_msr_mrs),
        cmocka_unit_test(test_cps_srs_rfe),
        cmocka_unit_test(test_ldm_stm_user),
        cmocka_unit_test(test_cp15_ids),
        cmocka_unit_test(test_cp15_control),
        cmocka_unit_test(test_vfp_enable),
        cmocka_unit_test(test_swp_sys),
        cmocka_unit_test(test_thumb2_system),
    };
    const struct CMUnitTest state_tests[] = {
        cmocka_unit_test(test_reset_state),
        cmocka_unit_test(test_banked_registers),
        cmocka_unit_test(test_mmu_index_memops),
    };
    int fails = cmocka_run_group_tests_name("interp", run_tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_x86, NULL);
    fails += cmocka_run_group_tests_name("state", state_tests, setup_interp, NULL);
    return fails;
}
