/*
 * translate-mul.c — MUL, IMUL (one, two and three operands), DIV, IDIV.
 * CF = OF = "the high half is significant"; the record's cc_src holds a
 * word that is nonzero exactly then (X86_CCK_MUL).  SF ZF AF PF are
 * undefined (the record gives them from the low half).
 */
#include "frontend-x86/x86-translate.h"

static bool full_width(const DisasContext *s, unsigned ot)
{
    return ot_bits(ot) == (s->tl == IR_I64 ? 64u : 32u);
}

/* The widening multiply of a and b at size ot: lo (zero-extended) and the
 * overflow word (nonzero: the high half matters); hi: the high half
 * (zero-extended), for the one-operand forms. */
static void gen_mul(DisasContext *s, unsigned ot, bool sign, IRTemp a, IRTemp b, IRTemp *lo, IRTemp *hi,
                    IRTemp *ovf)
{
    IRBlock *bl = s->b;
    unsigned bits = ot_bits(ot);
    if (full_width(s, ot)) {
        ir_mul2(bl, sign, lo, hi, a, b);
        *ovf = sign ? ir_sub(bl, *hi, ir_sari(bl, *lo, bits - 1)) : *hi;
        return;
    }
    /* the product fits in the register type */
    IRTemp p = sign ? ir_mul(bl, x86_sext(s, a, ot), x86_sext(s, b, ot)) : ir_mul(bl, a, b);
    *lo = x86_zext(s, p, ot);
    *hi = x86_zext(s, sign ? ir_sari(bl, p, bits) : ir_shri(bl, p, bits), ot);
    *ovf = sign ? ir_sub(bl, p, x86_sext(s, p, ot)) : *hi;
}

static bool gen_mul1(DisasContext *s, X86Insn *d, bool sign)
{
    unsigned ot = d->op[0].ot;
    IRTemp src = x86_load_op(s, d, 0);
    IRTemp acc = x86_load_reg(s, ot, X86_RAX, false);
    IRTemp lo, hi, ovf;
    gen_mul(s, ot, sign, acc, src, &lo, &hi, &ovf);
    if (ot == X86_OT_8) {
        x86_store_reg(s, X86_OT_16, X86_RAX, false, ir_or(s->b, lo, ir_shli(s->b, hi, 8)));
    } else {
        x86_store_reg(s, ot, X86_RAX, false, lo);
        x86_store_reg(s, ot, X86_RDX, false, hi);
    }
    x86_set_cc(s, X86_CCK_MUL, ot, lo, ovf, IR_TEMP_NONE);
    return true;
}

bool x86_trans_MUL(DisasContext *s, X86Insn *d) { return gen_mul1(s, d, false); }
bool x86_trans_IMUL1(DisasContext *s, X86Insn *d) { return gen_mul1(s, d, true); }

/* IMUL Gv,Ev and IMUL Gv,Ev,Iz/Ib: the low half into the register */
bool x86_trans_IMUL(DisasContext *s, X86Insn *d)
{
    unsigned ot = d->op[0].ot;
    IRTemp a = x86_load_op(s, d, 1);
    IRTemp b = x86_load_op(s, d, d->n == 3 ? 2 : 0);
    IRTemp lo, hi, ovf;
    gen_mul(s, ot, true, a, b, &lo, &hi, &ovf);
    x86_store_op(s, d, 0, lo);
    x86_set_cc(s, X86_CCK_MUL, ot, lo, ovf, IR_TEMP_NONE);
    return true;
}

static bool gen_div(DisasContext *s, X86Insn *d, bool sign)
{
    static const IRHelper *const helpers[2][4] = {
        { &x86_h_div8, &x86_h_div16, &x86_h_div32, &x86_h_div64 },
        { &x86_h_idiv8, &x86_h_idiv16, &x86_h_idiv32, &x86_h_idiv64 },
    };
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 0);
    IRTemp in[1] = { s->tl == IR_I64 ? v : ir_extu_i32_i64(s->b, v) };
    ir_call_helper(s->b, helpers[sign][ot], in);
    /* the flags are undefined: the record stays as it was */
    return true;
}

bool x86_trans_DIV(DisasContext *s, X86Insn *d) { return gen_div(s, d, false); }
bool x86_trans_IDIV(DisasContext *s, X86Insn *d) { return gen_div(s, d, true); }
