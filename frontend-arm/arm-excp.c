/*
 * arm-excp.c — taking ARM exceptions (ARM ARM B1.8): the entry sequence
 * shared by all of them (SPSR <- CPSR, the mode's banked registers, LR, the
 * masks, the vector), Frontend.do_exception for what exec_cpu_run returned
 * (undefined instruction, SVC, BKPT, prefetch and data aborts, reset) and
 * Frontend.exec_interrupt for the IRQ and FIQ lines.
 *
 * Return addresses (LR) as the ARM ARM gives them, so that the usual
 * returns work: MOVS pc, lr after SVC and undefined instructions, SUBS pc,
 * lr, #4 after IRQ, FIQ and prefetch aborts, SUBS pc, lr, #8 after data
 * aborts.  Vectors at 0 or, with SCTLR.V, at 0xffff0000 (ARMv7: VBAR when
 * V is clear).
 */
#include "frontend-arm/arm-cpu.h"
#include "exec/exec.h"

#define SCTLR_V  (1u << 13)
#define SCTLR_EE (1u << 25)
#define SCTLR_TE (1u << 30)

enum { VEC_RESET = 0x00, VEC_UNDEF = 0x04, VEC_SVC = 0x08, VEC_PABORT = 0x0c, VEC_DABORT = 0x10,
       VEC_IRQ = 0x18, VEC_FIQ = 0x1c };

static uint32_t vector_base(const ARMCPU *cpu)
{
    if (cpu->cp15.sctlr & SCTLR_V)
        return 0xffff0000u;
    if (cpu->features & ARM_FEATURE_V7)
        return cpu->cp15.vbar;
    return 0;
}

/* The entry sequence.  mask: the CPSR bits the exception sets besides I
 * (F for FIQ and reset; A, where the model has it, for reset, aborts,
 * IRQ and FIQ). */
static void take_exception(ARMCPU *cpu, uint32_t mode, uint32_t vector, uint32_t lr, uint32_t mask,
                           const char *what)
{
    uint32_t old_pc = cpu->regs[15];
    uint32_t old_cpsr = arm_cpsr_read(cpu);
    bool v6 = (cpu->features & ARM_FEATURE_V6) != 0;
    arm_switch_mode(cpu, mode);
    cpu->spsr = old_cpsr;
    cpu->regs[14] = lr;
    if (!v6)
        mask &= ~ARM_CPSR_A;
    uint32_t rest = cpu->cpsr_rest | ARM_CPSR_I | mask;
    if (v6)
        rest = (rest & ~ARM_CPSR_E) | ((cpu->cp15.sctlr & SCTLR_EE) ? ARM_CPSR_E : 0);
    cpu->cpsr_rest = rest;
    /* T: ARM state, except that ARMv7 enters Thumb with SCTLR.TE */
    cpu->thumb = (cpu->features & ARM_FEATURE_V7) && (cpu->cp15.sctlr & SCTLR_TE);
    cpu->condexec = 0;
    cpu->regs[15] = vector_base(cpu) + vector;
    cpu->exclusive_addr = UINT64_MAX;
    if (exec_log_enabled(LOG_INT))
        exec_log("arm: %s at pc 0x%08x (cpsr 0x%08x): mode 0x%02x, lr 0x%08x, vector 0x%08x\n", what,
                 old_pc, old_cpsr, mode, lr, cpu->regs[15]);
}

/* The fault status of an EXCP_MEM_FAULT: what mmu_translate recorded for
 * this address, else from the engine's reason (an alignment check of the
 * access itself, or an access that failed behind the mapping). */
static uint32_t fault_status(ARMCPU *cpu)
{
    CPUCommon *c = &cpu->common;
    uint32_t fsr;
    if (c->fault_reason == EXEC_FAULT_ALIGNMENT)
        fsr = 0x1;
    else if (cpu->cp15.pending_valid && cpu->cp15.pending_addr == (uint32_t)c->fault_addr)
        fsr = cpu->cp15.pending_fsr;
    else if (c->fault_reason == EXEC_FAULT_EXTERNAL)
        fsr = 0x8;                  /* precise external abort */
    else if (c->fault_reason == EXEC_FAULT_PERMISSION)
        fsr = 0xd;
    else
        fsr = 0x5;
    cpu->cp15.pending_valid = 0;
    return fsr;
}

void arm_do_exception(CPUCommon *common, int excp)
{
    ARMCPU *cpu = (ARMCPU *)common;
    uint32_t pc = cpu->regs[15];
    bool v6 = (cpu->features & ARM_FEATURE_V6) != 0;
    switch (excp) {
    case ARM_EXCP_RESET:
        take_exception(cpu, ARM_MODE_SVC, VEC_RESET, cpu->regs[14], ARM_CPSR_F | ARM_CPSR_A, "reset");
        break;
    case EXCP_UDEF: {
        uint32_t len = cpu->cp15.udef_len ? cpu->cp15.udef_len : cpu->thumb ? 2 : 4;
        cpu->cp15.udef_len = 0;
        take_exception(cpu, ARM_MODE_UND, VEC_UNDEF, pc + len, 0, "undefined instruction");
        break;
    }
    case EXCP_SYSCALL:              /* the pc is already after the SVC */
        take_exception(cpu, ARM_MODE_SVC, VEC_SVC, pc, 0, "svc");
        break;
    case EXCP_BKPT:                 /* a prefetch abort, a debug event */
        if (v6)
            cpu->cp15.ifsr = 0x2;
        take_exception(cpu, ARM_MODE_ABT, VEC_PABORT, pc + 4, ARM_CPSR_A, "bkpt");
        break;
    case EXCP_MEM_FAULT: {
        uint32_t fsr = fault_status(cpu);
        if (common->fault_access == EXEC_ACCESS_EXEC) {
            cpu->cp15.ifsr = fsr;
            if (v6)
                cpu->cp15.ifar = (uint32_t)common->fault_addr;
            take_exception(cpu, ARM_MODE_ABT, VEC_PABORT, pc + 4, ARM_CPSR_A, "prefetch abort");
        } else {
            if (v6 && common->fault_access == EXEC_ACCESS_WRITE)
                fsr |= 1u << 11;    /* WnR */
            cpu->cp15.dfsr = fsr;
            cpu->cp15.dfar = (uint32_t)common->fault_addr;
            take_exception(cpu, ARM_MODE_ABT, VEC_DABORT, pc + 8, ARM_CPSR_A, "data abort");
        }
        break;
    }
    case ARM_EXCP_IRQ:
        take_exception(cpu, ARM_MODE_IRQ, VEC_IRQ, pc + 4, ARM_CPSR_A, "irq");
        break;
    case ARM_EXCP_FIQ:
        take_exception(cpu, ARM_MODE_FIQ, VEC_FIQ, pc + 4, ARM_CPSR_F | ARM_CPSR_A, "fiq");
        break;
    default:                        /* EXCP_HALT, EXCP_INTERRUPT, EXCP_DEBUG: not the guest's */
        break;
    }
}

/* The loop asks between blocks, where regs[15] is the next instruction. */
bool arm_exec_interrupt(CPUCommon *common, uint32_t pending)
{
    ARMCPU *cpu = (ARMCPU *)common;
    if (!common->sys)
        return false;
    if ((pending & ARM_CPU_FIQ) && !(cpu->cpsr_rest & ARM_CPSR_F)) {
        arm_do_exception(common, ARM_EXCP_FIQ);
        return true;
    }
    if ((pending & ARM_CPU_IRQ) && !(cpu->cpsr_rest & ARM_CPSR_I)) {
        arm_do_exception(common, ARM_EXCP_IRQ);
        return true;
    }
    return false;
}
