/*
 * arm-sys-cpu.c — the ARM system level's processor state (ARM ARM B1.3):
 * modes and their banked registers, the SPSRs, CPSR writes that switch
 * modes, and the helpers generated code calls for the privileged forms
 * (MSR/MRS of the CPSR and SPSRs, CPS, exception returns, LDM/STM with ^,
 * SRS, RFE).
 *
 * The current mode's r8-r14 live in regs[] (the IR globals) and its SPSR in
 * ARMCPU.spsr; the other modes' copies are in banked_*.  A mode switch swaps
 * them, so generated code never needs to know the mode.  Only a cpu whose
 * common.sys is set gets here: user mode keeps USR and never switches.
 */
#include <string.h>

#include "frontend-arm/arm-cpu.h"
#include "frontend-arm/arm-helpers.h"

/* ---- modes and banks ------------------------------------------------------ */

/* The bank of a mode, or -1 for a mode the models do not have (MON, HYP,
 * the reserved encodings). */
static int mode_bank(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_SYS: return ARM_BANK_USR;
    case ARM_MODE_FIQ: return ARM_BANK_FIQ;
    case ARM_MODE_IRQ: return ARM_BANK_IRQ;
    case ARM_MODE_SVC: return ARM_BANK_SVC;
    case ARM_MODE_ABT: return ARM_BANK_ABT;
    case ARM_MODE_UND: return ARM_BANK_UND;
    default: return -1;
    }
}

static uint32_t cur_mode(const ARMCPU *cpu)
{
    return cpu->cpsr_rest & ARM_CPSR_M;
}

void arm_switch_mode(ARMCPU *cpu, uint32_t mode)
{
    uint32_t old = cur_mode(cpu);
    int ob = mode_bank(old), nb = mode_bank(mode);
    if (old == mode || nb < 0)
        return;
    if (ob < 0)
        ob = ARM_BANK_USR;          /* never happens: M is always valid */
    if (old == ARM_MODE_FIQ) {
        memcpy(cpu->fiq_r8_12, &cpu->regs[8], sizeof(cpu->fiq_r8_12));
        memcpy(&cpu->regs[8], cpu->usr_r8_12, sizeof(cpu->usr_r8_12));
    } else if (mode == ARM_MODE_FIQ) {
        memcpy(cpu->usr_r8_12, &cpu->regs[8], sizeof(cpu->usr_r8_12));
        memcpy(&cpu->regs[8], cpu->fiq_r8_12, sizeof(cpu->fiq_r8_12));
    }
    cpu->banked_r13[ob] = cpu->regs[13];
    cpu->banked_r14[ob] = cpu->regs[14];
    cpu->banked_spsr[ob] = cpu->spsr;
    cpu->regs[13] = cpu->banked_r13[nb];
    cpu->regs[14] = cpu->banked_r14[nb];
    cpu->spsr = nb == ARM_BANK_USR ? 0 : cpu->banked_spsr[nb];
    cpu->cpsr_rest = (cpu->cpsr_rest & ~ARM_CPSR_M) | mode;
}

void arm_cpsr_write_sys(ARMCPU *cpu, uint32_t val, uint32_t mask)
{
    if ((mask & ARM_CPSR_M) && (val & ARM_CPSR_M) != cur_mode(cpu)) {
        if (mode_bank(val & ARM_CPSR_M) < 0)
            mask &= ~ARM_CPSR_M;    /* UNPREDICTABLE: keep the mode */
        else
            arm_switch_mode(cpu, val & ARM_CPSR_M);
    }
    arm_cpsr_write(cpu, val, mask);
}

uint32_t arm_spsr_read(const ARMCPU *cpu)
{
    return mode_bank(cur_mode(cpu)) == ARM_BANK_USR ? 0 : cpu->spsr;
}

int arm_cpu_mmu_index(const ARMCPU *cpu)
{
    return cur_mode(cpu) == ARM_MODE_USR ? ARM_MMU_IDX_USER : ARM_MMU_IDX_PRIV;
}

/* ---- helpers of the privileged instructions (helpers.def) ----------------- */

/* MSR CPSR / CPS from a privileged mode: mask is what the instruction may
 * write (translate-sys.c builds it from the field mask and the model). */
void helper_sys_msr_cpsr(void *env, uint32_t val, uint32_t mask)
{
    arm_cpsr_write_sys(env, val, mask);
}

void helper_sys_msr_spsr(void *env, uint32_t val, uint32_t mask)
{
    ARMCPU *cpu = env;
    if (mode_bank(cur_mode(cpu)) != ARM_BANK_USR)
        cpu->spsr = (cpu->spsr & ~mask) | (val & mask);
}

uint32_t helper_sys_mrs_spsr(void *env)
{
    return arm_spsr_read(env);
}

/* CPSR <- psr (all of it: mode, T, IT, flags), then the pc (the new
 * state's alignment).  The exclusive monitor is cleared, as at every
 * exception entry and return. */
static void exception_return(ARMCPU *cpu, uint32_t pc, uint32_t psr)
{
    arm_cpsr_write_sys(cpu, psr, 0xffffffffu);
    cpu->regs[15] = pc & (cpu->thumb ? ~1u : ~3u);
    cpu->exclusive_addr = UINT64_MAX;
}

/* MOVS/SUBS pc, ... and LDM {.., pc}^: CPSR <- SPSR. */
void helper_sys_exception_return(void *env, uint32_t pc)
{
    ARMCPU *cpu = env;
    if (mode_bank(cur_mode(cpu)) == ARM_BANK_USR) {
        /* UNPREDICTABLE in USR/SYS: an ordinary branch */
        cpu->regs[15] = pc & (cpu->thumb ? ~1u : ~3u);
        return;
    }
    exception_return(cpu, pc, cpu->spsr);
}

/* RFE: pc and CPSR from memory. */
void helper_sys_rfe(void *env, uint32_t pc, uint32_t psr)
{
    exception_return(env, pc, psr);
}

/* The User-mode copy of r8..r14 (STM ^, LDM ^ without the pc). */
uint32_t helper_sys_get_user_reg(void *env, uint32_t r)
{
    ARMCPU *cpu = env;
    uint32_t mode = cur_mode(cpu);
    if (r < 8 || (r < 13 && mode != ARM_MODE_FIQ) || mode_bank(mode) == ARM_BANK_USR)
        return cpu->regs[r];
    if (r < 13)
        return cpu->usr_r8_12[r - 8];
    return r == 13 ? cpu->banked_r13[ARM_BANK_USR] : cpu->banked_r14[ARM_BANK_USR];
}

void helper_sys_set_user_reg(void *env, uint32_t r, uint32_t v)
{
    ARMCPU *cpu = env;
    uint32_t mode = cur_mode(cpu);
    if (r < 8 || (r < 13 && mode != ARM_MODE_FIQ) || mode_bank(mode) == ARM_BANK_USR)
        cpu->regs[r] = v;
    else if (r < 13)
        cpu->usr_r8_12[r - 8] = v;
    else if (r == 13)
        cpu->banked_r13[ARM_BANK_USR] = v;
    else
        cpu->banked_r14[ARM_BANK_USR] = v;
}

/* SRS: the stack pointer of another mode (the current one's is r13). */
uint32_t helper_sys_get_banked_r13(void *env, uint32_t mode)
{
    ARMCPU *cpu = env;
    int b = mode_bank(mode);
    if (b < 0 || b == mode_bank(cur_mode(cpu)))
        return cpu->regs[13];
    return cpu->banked_r13[b];
}

void helper_sys_set_banked_r13(void *env, uint32_t mode, uint32_t v)
{
    ARMCPU *cpu = env;
    int b = mode_bank(mode);
    if (b < 0 || b == mode_bank(cur_mode(cpu)))
        cpu->regs[13] = v;
    else
        cpu->banked_r13[b] = v;
}
