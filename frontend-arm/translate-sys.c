/*
 * translate-sys.c — the A32 instructions of the system level, translated
 * only for a cpu in system mode (ARM_TBFLAG_SYS; ARM ARM B1.3, B1.8, B4):
 * MRS/MSR of the SPSR and the privileged CPSR fields, CPS, SRS, RFE,
 * LDM/STM with ^ (User registers, exception return), data processing into
 * the pc with S (exception return), CP15 (MCR/MRC), WFI.
 *
 * In user mode (cpu->common.sys NULL) none of this is reached: the
 * instruction classes keep their user-mode behaviour (translate-misc.c,
 * translate-ldst.c, translate-dp.c).
 *
 * An instruction that may change the mode, unmask interrupts or change the
 * translation regime leaves the block for the cpu loop (gen_exit_to_loop):
 * the next block is looked up with the new flags (privilege, SCTLR.A) and
 * a pending interrupt is taken at once.
 */
#include <stddef.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-helpers.h"
#include "frontend-arm/arm-cp15.h"
#include "exec/exec.h"

static bool has_v6(const DisasContext *s) { return arm_has(s, ARM_FEATURE_V6); }

static IRTemp next_pc(DisasContext *s)
{
    return c32(s, s->pc + (s->thumb ? s->len : 4));
}

/* The CPSR bits MSR may write from a privileged mode, for the field mask
 * (c, x, s, f = bits 0..3).  Never the execution state bits (T, J, IT). */
static uint32_t msr_priv_mask(const DisasContext *s, int fields)
{
    uint32_t m = 0;
    if (fields & 1)
        m |= ARM_CPSR_M | ARM_CPSR_F | ARM_CPSR_I;
    if ((fields & 2) && has_v6(s))
        m |= ARM_CPSR_A | ARM_CPSR_E;
    if ((fields & 4) && has_v6(s))
        m |= ARM_CPSR_GE;
    if (fields & 8)
        m |= ARM_CPSR_N | ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_V | ARM_CPSR_Q;
    return m;
}

/* The SPSR bytes the field mask selects: all of their bits. */
static uint32_t field_bytes(int fields)
{
    return ((fields & 1) ? 0xffu : 0) | ((fields & 2) ? 0xff00u : 0) | ((fields & 4) ? 0xff0000u : 0) |
           ((fields & 8) ? 0xff000000u : 0);
}

/* ---- MRS, MSR, CPS ----------------------------------------------------------- */

bool sys_mrs_spsr(DisasContext *s, int Rd)
{
    if (s->user)
        return false;           /* no SPSR in USR mode: UNPREDICTABLE */
    store_reg(s, Rd, ir_call_helper(s->b, &sys_helper_mrs_spsr, NULL));
    return true;
}

bool sys_msr(DisasContext *s, int R, int fields, IRTemp val)
{
    if (R) {
        if (s->user)
            return false;
        IRTemp args[2] = { val, c32(s, field_bytes(fields)) };
        ir_call_helper(s->b, &sys_helper_msr_spsr, args);
        return true;
    }
    if (s->user)
        return false;           /* the caller's user-mode form */
    uint32_t mask = msr_priv_mask(s, fields);
    IRTemp args[2] = { val, c32(s, mask) };
    ir_call_helper(s->b, &sys_helper_msr_cpsr, args);
    if (mask & (ARM_CPSR_M | ARM_CPSR_I | ARM_CPSR_F | ARM_CPSR_A))
        gen_exit_to_loop(s, next_pc(s));
    return true;
}

/* CPS: imod 10 enables (clears) the selected A/I/F, 11 disables (sets);
 * M: change to mode.  A NOP in USR mode. */
bool gen_cps(DisasContext *s, int imod, int M, int A, int I, int F, int mode)
{
    if (!s->sys || !has_v6(s))
        return false;
    if (s->user)
        return true;
    uint32_t mask = 0, val = 0;
    if (imod & 2) {
        mask = (A ? ARM_CPSR_A : 0) | (I ? ARM_CPSR_I : 0) | (F ? ARM_CPSR_F : 0);
        val = imod == 3 ? mask : 0;
    }
    if (M) {
        mask |= ARM_CPSR_M;
        val |= (uint32_t)mode;
    }
    IRTemp args[2] = { c32(s, val), c32(s, mask) };
    ir_call_helper(s->b, &sys_helper_msr_cpsr, args);
    gen_exit_to_loop(s, next_pc(s));
    return true;
}

bool trans_CPS(DisasContext *s, const arg_CPS *a)
{
    if ((a->imod == 1) || (a->imod == 0 && !a->M) || ((a->imod & 2) && !(a->A | a->I | a->F)))
        return false;           /* UNPREDICTABLE forms */
    return gen_cps(s, a->imod, a->M, a->A, a->I, a->F, a->mode);
}


/* ---- exception returns ---------------------------------------------------------- */

void gen_exception_return(DisasContext *s, IRTemp pc)
{
    IRTemp args[1] = { pc };
    ir_call_helper(s->b, &sys_helper_exception_return, args);
    gen_exit_to_loop(s, IR_TEMP_NONE);
}

/* The two words SRS stores and RFE loads: start address and writeback value
 * of a two-register transfer from base (IA: P=0 U=1, IB, DA, DB). */
static IRTemp pair_start(DisasContext *s, IRTemp base, int P, int U)
{
    if (U)
        return P ? ir_addi(s->b, base, 4) : ir_mov(s->b, base);
    return ir_addi(s->b, base, P ? -8u : -4u);
}

bool trans_SRS(DisasContext *s, const arg_SRS *a)
{
    if (!s->sys || !has_v6(s) || s->user)
        return false;
    IRBlock *b = s->b;
    IRTemp mode = c32(s, a->mode);
    IRTemp sp = ir_call_helper(b, &sys_helper_get_banked_r13, &mode);
    IRTemp start = pair_start(s, sp, a->P, a->U);
    ir_st(b, load_reg(s, 14), start, IR_MO_UL);
    ir_st(b, ir_call_helper(b, &sys_helper_mrs_spsr, NULL), ir_addi(b, start, 4), IR_MO_UL);
    if (a->W) {
        IRTemp args[2] = { mode, ir_addi(b, sp, a->U ? 8 : -8u) };
        ir_call_helper(b, &sys_helper_set_banked_r13, args);
    }
    return true;
}

bool trans_RFE(DisasContext *s, const arg_RFE *a)
{
    if (!s->sys || !has_v6(s) || s->user || a->Rn == 15)
        return false;
    IRBlock *b = s->b;
    IRTemp base = load_reg_copy(s, a->Rn);
    IRTemp start = pair_start(s, base, a->P, a->U);
    IRTemp pc = ir_ld(b, IR_I32, start, IR_MO_UL);
    IRTemp psr = ir_ld(b, IR_I32, ir_addi(b, start, 4), IR_MO_UL);
    if (a->W)
        store_reg(s, a->Rn, ir_addi(b, base, a->U ? 8 : -8u));
    IRTemp args[2] = { pc, psr };
    ir_call_helper(b, &sys_helper_rfe, args);
    gen_exit_to_loop(s, IR_TEMP_NONE);
    return true;
}

/* LDM/STM with S (^): STM and LDM without the pc transfer the User-mode
 * registers; LDM with the pc is an exception return (CPSR <- SPSR). */
bool sys_ldm_stm_user(DisasContext *s, int Rn, unsigned list, int P, int U, int W, int L)
{
    if (s->user || s->thumb || !list || Rn == 15)
        return false;
    IRBlock *b = s->b;
    int n = __builtin_popcount(list);
    IRTemp base = load_reg_copy(s, Rn);
    IRTemp start;
    if (U)
        start = P ? ir_addi(b, base, 4) : ir_mov(b, base);
    else
        start = ir_addi(b, base, P ? -4u * n : -4u * n + 4);
    IRTemp wb = ir_addi(b, base, U ? 4u * n : -4u * n);
    bool user_regs = !L || !(list & 0x8000);
    IRTemp vals[16];
    int k = 0;
    for (int r = 0; r < 16; r++) {
        if (!(list & (1u << r)))
            continue;
        IRTemp addr = k ? ir_addi(b, start, 4u * k) : start;
        k++;
        if (L) {
            vals[r] = ir_ld(b, IR_I32, addr, IR_MO_UL);
        } else if (r >= 8 && r <= 14) {
            IRTemp rr = c32(s, r);
            ir_st(b, ir_call_helper(b, &sys_helper_get_user_reg, &rr), addr, IR_MO_UL);
        } else {
            ir_st(b, load_reg(s, r), addr, IR_MO_UL);
        }
    }
    if (W && !(L && (list & (1u << Rn))))
        store_reg(s, Rn, wb);
    if (!L)
        return true;
    for (int r = 0; r < 15; r++) {
        if (!(list & (1u << r)))
            continue;
        if (user_regs && r >= 8) {
            IRTemp args[2] = { c32(s, r), vals[r] };
            ir_call_helper(b, &sys_helper_set_user_reg, args);
        } else {
            store_reg(s, r, vals[r]);
        }
    }
    if (!user_regs)
        gen_exception_return(s, vals[15]);
    return true;
}

/* ---- WFI and CP15 ------------------------------------------------------------------ */

/* The owner sleeps until an interrupt; the pc is after the WFI, so the
 * handler's return lands after it. */
void gen_wfi(DisasContext *s)
{
    gen_condexec_exit(s);
    ir_mov_to(s->b, cpu_R[15], next_pc(s));
    ir_raise(s->b, EXCP_HALT);
    s->is_jmp = DISAS_NORETURN;
}

/* MCRR p15, 0, Rt, Rt2, CRm: the ARMv6 block cache operations over the
 * virtual range [Rt2, Rt] (ARM1136/ARM1176 TRMs, c7 block transfers: c5
 * invalidate I, c6 invalidate D, c12 clean D, c14 clean and invalidate D;
 * Linux's v6 cache code uses them).  vemu models no caches, so they do
 * nothing; ARMv7 dropped them (undefined there, as everywhere else). */
bool trans_MCRR_p15(DisasContext *s, const arg_MCRR_p15 *a)
{
    if (!s->sys || !has_v6(s) || arm_has(s, ARM_FEATURE_V7) || s->user || a->opc1 != 0)
        return false;
    switch (a->CRm) {
    case 5: case 6: case 12: case 14:
        return true;
    }
    if (exec_log_enabled(LOG_UNIMP))
        exec_log("arm: unimplemented cp15 mcrr p15, %d, Rt, Rt2, c%d at 0x%08x (undefined)\n", a->opc1,
                 a->CRm, s->pc);
    return false;
}

bool sys_mcr_mrc(DisasContext *s, const arg_mcr_mrc *a)
{
    IRBlock *b = s->b;
    const ARMCPU *cpu = (const ARMCPU *)s->cpu;
    uint32_t key = ARM_CP15_KEY(a->opc1, a->CRn, a->CRm, a->opc2);
    unsigned acc = arm_cp15_access(cpu, key);
    bool read = a->L;
    if (!(acc & (read ? CP15_R : CP15_W))) {
        if (exec_log_enabled(LOG_UNIMP))
            exec_log("arm: unimplemented cp15 %s p15, %d, Rt, c%d, c%d, %d at 0x%08x (undefined)\n",
                     read ? "mrc" : "mcr", a->opc1, a->CRn, a->CRm, a->opc2, s->pc);
        return false;
    }
    if (s->user && !(acc & (read ? CP15_UR : CP15_UW)))
        return false;
    if (!read) {
        if (acc & CP15_WFI) {
            gen_wfi(s);
            return true;
        }
        if (acc & (CP15_BARRIER | CP15_ISB)) {
            ir_mb(b);
            if (acc & CP15_ISB)
                s->is_jmp = DISAS_UPDATE;
            return true;
        }
        if (acc & CP15_NOP)
            return true;
        if (a->Rt == 15)
            return false;
        IRTemp args[2] = { c32(s, key), load_reg(s, a->Rt) };
        ir_call_helper(b, &cp15_helper_write, args);
        if (acc & CP15_END)
            gen_exit_to_loop(s, next_pc(s));
        return true;
    }
    IRTemp k = c32(s, key);
    IRTemp v = ir_call_helper(b, &cp15_helper_read, &k);
    if (a->Rt != 15) {
        store_reg(s, a->Rt, v);
        return true;
    }
    /* Rt = pc: bits 31:28 go to N, Z, C, V ("test and clean" loops on Z) */
    ir_mov_to(b, cpu_NF, v);
    ir_mov_to(b, cpu_ZF, ir_andc(b, c32(s, 1u << 30), v));
    ir_mov_to(b, cpu_CF, ir_andi(b, ir_shri(b, v, 29), 1));
    ir_mov_to(b, cpu_VF, ir_shli(b, v, 3));
    return true;
}
