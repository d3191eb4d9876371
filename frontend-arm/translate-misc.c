/*
 * translate-misc.c — the rest of A32 (ARM ARM A5.2.11, A5.2.12, A5.6, A5.7):
 * MRS/MSR, hints, CLZ, SVC, BKPT, UDF, preload hints, barriers, CLREX and the
 * few CP15 registers user code may touch (TLS registers, the v6 barrier
 * operations).  Other coprocessor instructions are undefined for now.
 */
#include <stddef.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-helpers.h"

/* ---- status registers --------------------------------------------------------- */

bool trans_MRS(DisasContext *s, const arg_MRS *a)
{
    if (a->R && s->sys && a->Rd != 15)
        return sys_mrs_spsr(s, a->Rd);
    if (a->R || a->Rd == 15)
        return false;     /* SPSR does not exist in user mode */
    store_reg(s, a->Rd, ir_call_helper(s->b, &arm_helper_cpsr_read, NULL));
    return true;
}

/* The field mask (c, x, s, f = bits 0..3) as CPSR bits user mode may
 * write: NZCVQ (f) and GE (s); the rest is privileged and ignored. */
static uint32_t msr_user_mask(int mask)
{
    uint32_t m = 0;
    if (mask & 8)
        m |= ARM_CPSR_N | ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_V | ARM_CPSR_Q;
    if (mask & 4)
        m |= ARM_CPSR_GE;
    return m;
}

static bool gen_msr(DisasContext *s, int R, int mask, IRTemp val)
{
    if (s->sys && (R || !s->user))
        return sys_msr(s, R, mask, val);
    if (R)
        return false;
    IRTemp args[2] = { val, c32(s, msr_user_mask(mask)) };
    ir_call_helper(s->b, &arm_helper_cpsr_write, args);
    return true;
}

bool trans_MSR_reg(DisasContext *s, const arg_MSR_reg *a)
{
    if (a->Rm == 15 || a->mask == 0)
        return false;
    return gen_msr(s, a->R, a->mask, load_reg(s, a->Rm));
}

bool trans_MSR_imm(DisasContext *s, const arg_MSR_imm *a)
{
    unsigned rot = a->rot * 2;
    uint32_t imm = rot ? ((uint32_t)a->imm8 >> rot) | ((uint32_t)a->imm8 << (32 - rot)) : (uint32_t)a->imm8;
    return gen_msr(s, a->R, a->mask, c32(s, imm));
}

/* NOP, YIELD, WFE, WFI, SEV: nothing a user-mode emulator must do.  In
 * system mode WFI (v6K, v7) waits for an interrupt. */
bool trans_HINT(DisasContext *s, const arg_HINT *a)
{
    if (s->sys && a->op == 3 && arm_has(s, ARM_FEATURE_V6K | ARM_FEATURE_V7))
        gen_wfi(s);
    return true;
}

/* ---- CLZ ------------------------------------------------------------------------ */

bool trans_CLZ(DisasContext *s, const arg_CLZ *a)
{
    if (a->Rd == 15 || a->Rm == 15)
        return false;
    store_reg(s, a->Rd, ir_clz(s->b, load_reg(s, a->Rm)));
    return true;
}

/* ---- exceptions ------------------------------------------------------------------ */

/* SVC: the immediate is irrelevant under EABI (the number is in r7). */
bool trans_SVC(DisasContext *s, const arg_SVC *a)
{
    ir_mov_to(s->b, cpu_R[15], c32(s, s->pc + (s->thumb ? 2 : 4)));
    ir_raise(s->b, EXCP_SYSCALL);
    s->is_jmp = DISAS_NORETURN;
    return true;
}

bool trans_BKPT(DisasContext *s, const arg_BKPT *a)
{
    gen_exception_insn(s, EXCP_BKPT);
    return true;
}

bool trans_UDF(DisasContext *s, const arg_UDF *a)
{
    return false;
}

/* ---- hints that cost nothing here ---------------------------------------------- */

bool trans_PLD_imm(DisasContext *s, const arg_PLD_imm *a) { return true; }
bool trans_PLD_reg(DisasContext *s, const arg_PLD_reg *a) { return true; }
bool trans_PLI_imm(DisasContext *s, const arg_PLI_imm *a) { return true; }
bool trans_PLI_reg(DisasContext *s, const arg_PLI_reg *a) { return true; }

/* ---- barriers ---------------------------------------------------------------------- */

/* The v7 encodings; v6K code uses the CP15 forms below.  The kuser helpers
 * linux-user maps use one or the other. */
static bool barriers_ok(DisasContext *s)
{
    return arm_has(s, ARM_FEATURE_V6K | ARM_FEATURE_V7);
}

bool trans_DMB(DisasContext *s, const arg_DMB *a)
{
    if (!barriers_ok(s))
        return false;
    ir_mb(s->b);
    return true;
}

bool trans_DSB(DisasContext *s, const arg_DSB *a)
{
    if (!barriers_ok(s))
        return false;
    ir_mb(s->b);
    return true;
}

/* ISB: later instructions are fetched afresh; ending the block is enough. */
bool trans_ISB(DisasContext *s, const arg_ISB *a)
{
    if (!barriers_ok(s))
        return false;
    ir_mb(s->b);
    s->is_jmp = DISAS_UPDATE;
    return true;
}

/* ---- coprocessor 15 ------------------------------------------------------------------- */

#define CP15(opc1, crn, crm, opc2) ((opc1) << 12 | (crn) << 8 | (crm) << 4 | (opc2))

static bool do_mcr_mrc(DisasContext *s, const arg_mcr_mrc *a)
{
    if (s->sys && a->coproc == 15)
        return sys_mcr_mrc(s, a);
    if (a->coproc != 15 || a->Rt == 15)
        return false;
    switch (CP15(a->opc1, a->CRn, a->CRm, a->opc2)) {
    case CP15(0, 13, 0, 2):    /* TPIDRURW: user read/write */
        if (a->L)
            store_reg(s, a->Rt, ir_ld_env(s->b, IR_I32, offsetof(ARMCPU, tpidrurw), IR_MO_UL));
        else
            ir_st_env(s->b, load_reg(s, a->Rt), offsetof(ARMCPU, tpidrurw), IR_MO_UL);
        return true;
    case CP15(0, 13, 0, 3):    /* TPIDRURO: the TLS pointer, read-only for user code */
        if (!a->L)
            return false;
        store_reg(s, a->Rt, ir_ld_env(s->b, IR_I32, offsetof(ARMCPU, tpidruro), IR_MO_UL));
        return true;
    case CP15(0, 7, 10, 5):    /* CP15DMB */
    case CP15(0, 7, 10, 4):    /* CP15DSB */
        if (a->L)
            return false;
        ir_mb(s->b);
        return true;
    case CP15(0, 7, 5, 4):     /* CP15ISB */
        if (a->L)
            return false;
        ir_mb(s->b);
        s->is_jmp = DISAS_UPDATE;
        return true;
    default:
        return false;
    }
}

bool trans_MCR(DisasContext *s, const arg_MCR *a) { return do_mcr_mrc(s, a); }
bool trans_MRC(DisasContext *s, const arg_MRC *a) { return do_mcr_mrc(s, a); }
