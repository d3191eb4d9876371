/*
 * translate-bcd.c — the forms 64-bit mode dropped: the decimal adjusts
 * (DAA DAS AAA AAS AAM AAD, in C: x86-bcd-helpers.c), SALC, BOUND, INTO.
 */
#include "frontend-x86/x86-translate.h"

enum { BCD_DAA, BCD_DAS, BCD_AAA, BCD_AAS, BCD_AAM, BCD_AAD };

static bool gen_bcd(DisasContext *s, X86Insn *d, unsigned op)
{
    /* the helper reads and writes the flags record in the cpu state */
    IRTemp in[2] = { c32(s, op), c32(s, d->n ? (uint32_t)d->op[0].imm & 0xff : 10) };
    ir_call_helper(s->b, &x86_h_bcd, in);
    s->cc_op = X86_CC_EFLAGS;
    x86_cc_forget(s);
    return true;
}

bool x86_trans_DAA(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_DAA); }
bool x86_trans_DAS(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_DAS); }
bool x86_trans_AAA(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_AAA); }
bool x86_trans_AAS(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_AAS); }
bool x86_trans_AAM(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_AAM); }
bool x86_trans_AAD(DisasContext *s, X86Insn *d) { return gen_bcd(s, d, BCD_AAD); }

/* SALC (undocumented, D6): AL = CF ? 0xff : 0 */
bool x86_trans_SALC(DisasContext *s, X86Insn *d)
{
    x86_store_reg(s, X86_OT_8, X86_RAX, false, x86_zext(s, ir_neg(s->b, x86_gen_cf(s)), X86_OT_8));
    return true;
}

/* BOUND r, m: #BR (SIGSEGV) unless lower <= r <= upper, signed */
bool x86_trans_BOUND(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp idx = x86_sext(s, x86_load_op(s, d, 0), ot);
    IRTemp lo = x86_sext(s, x86_ld(s, ot, d->addr), ot);
    IRTemp hi = x86_sext(s, x86_ld(s, ot, ir_add(b, d->addr, tlc(s, 1u << ot))), ot);
    unsigned bad = ir_label_new(b), ok = ir_label_new(b);
    ir_brcond(b, IR_COND_LT, idx, lo, bad);
    ir_brcond(b, IR_COND_LE, idx, hi, ok);
    ir_set_label(b, bad);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_BR);
    ir_set_label(b, ok);
    return true;
}

/* INTO: a trap (rip after it) when OF is set */
bool x86_trans_INTO(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    X86Cond c = x86_gen_cond(s, 1);     /* NO */
    unsigned ok = ir_label_new(b);
    if (c.cond == IR_COND_ALWAYS)
        return true;
    if (c.cond != IR_COND_NEVER)
        ir_brcond(b, c.cond, c.a, c.b, ok);
    ir_mov_to(b, cpu_rip, tlc(s, x86_next_pc(s)));
    ir_raise(b, X86_EXCP_OF);
    ir_set_label(b, ok);
    return true;
}
