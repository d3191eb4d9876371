/*
 * translate-alu.c — the eight classic arithmetic/logic operations (ADD OR
 * ADC SBB AND SUB XOR CMP) in all their forms (00-3F, 80-83), with LOCK as
 * a compare-and-exchange loop on the host.
 */
#include "frontend-x86/x86-translate.h"

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

/* a op b at size ot (zero-extended tl values); cf: the carry in */
static IRTemp alu_compute(DisasContext *s, unsigned op, unsigned ot, IRTemp a, IRTemp b, IRTemp cf)
{
    IRBlock *bl = s->b;
    switch (op) {
    case ALU_ADD: return x86_zext(s, ir_add(bl, a, b), ot);
    case ALU_ADC: return x86_zext(s, ir_add(bl, ir_add(bl, a, b), cf), ot);
    case ALU_SUB: case ALU_CMP: return x86_zext(s, ir_sub(bl, a, b), ot);
    case ALU_SBB: return x86_zext(s, ir_sub(bl, ir_sub(bl, a, b), cf), ot);
    case ALU_AND: return ir_and(bl, a, b);
    case ALU_OR: return ir_or(bl, a, b);
    default: return ir_xor(bl, a, b);
    }
}

static void alu_flags(DisasContext *s, unsigned op, unsigned ot, IRTemp r, IRTemp a, IRTemp b)
{
    static const uint8_t kind[8] = {
        [ALU_ADD] = X86_CCK_ADD, [ALU_OR] = X86_CCK_LOGIC, [ALU_ADC] = X86_CCK_ADC,
        [ALU_SBB] = X86_CCK_SBB, [ALU_AND] = X86_CCK_LOGIC, [ALU_SUB] = X86_CCK_SUB,
        [ALU_XOR] = X86_CCK_LOGIC, [ALU_CMP] = X86_CCK_SUB,
    };
    if (kind[op] == X86_CCK_LOGIC)
        x86_set_cc(s, X86_CCK_LOGIC, ot, r, IR_TEMP_NONE, IR_TEMP_NONE);
    else
        x86_set_cc(s, kind[op], ot, r, b, a);
}

static bool gen_alu(DisasContext *s, X86Insn *d, unsigned op)
{
    IRBlock *bl = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp cf = IR_TEMP_NONE;
    if (op == ALU_ADC || op == ALU_SBB)
        cf = x86_gen_cf(s);
    IRTemp b = x86_load_op(s, d, 1);
    if (s->prefixes & X86_PRE_LOCK) {
        /* load, compute, compare-and-exchange; again if memory changed */
        unsigned again = ir_label_new(bl);
        IRTemp a = ir_temp_new(bl, s->tl), r = ir_temp_new(bl, s->tl);
        ir_set_label(bl, again);
        ir_mov_to(bl, a, x86_ld(s, ot, d->addr));
        ir_mov_to(bl, r, alu_compute(s, op, ot, a, b, cf));
        IRTemp prev = ir_cmpxchg(bl, d->addr, a, r, (IRMemOp)ot);
        ir_brcond(bl, IR_COND_NE, prev, a, again);
        alu_flags(s, op, ot, r, a, b);
        return true;
    }
    /* the result from the whole registers, the flags record from the
     * operands zero-extended (dead-code elimination drops those when no
     * one reads the flags); a memory operand is loaded once */
    IRTemp a_low = x86_load_op_low(s, d, 0);
    IRTemp a = d->op[0].is_mem ? a_low : x86_load_op(s, d, 0);
    IRTemp b_low = d->op[1].is_mem ? b : x86_load_op_low(s, d, 1);
    IRTemp r = alu_compute(s, op, ot, a_low, b_low, cf);
    if (op == ALU_AND || op == ALU_OR || op == ALU_XOR)
        r = x86_zext(s, r, ot);
    if (op != ALU_CMP)
        x86_store_op(s, d, 0, r);
    alu_flags(s, op, ot, r, a, b);
    return true;
}

bool x86_trans_ADD(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_ADD); }
bool x86_trans_OR(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_OR); }
bool x86_trans_ADC(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_ADC); }
bool x86_trans_SBB(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_SBB); }
bool x86_trans_AND(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_AND); }
bool x86_trans_SUB(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_SUB); }
bool x86_trans_XOR(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_XOR); }
bool x86_trans_CMP(DisasContext *s, X86Insn *d) { return gen_alu(s, d, ALU_CMP); }

/* A read-modify-write of operand 0 by fn (NOT, NEG, INC, DEC): with LOCK
 * a compare-and-exchange loop.  Returns the old and new values. */
typedef IRTemp (*UnaryFn)(DisasContext *s, unsigned ot, IRTemp a);

static void gen_rmw_unary(DisasContext *s, X86Insn *d, UnaryFn fn, IRTemp *old, IRTemp *res)
{
    IRBlock *bl = s->b;
    unsigned ot = d->op[0].ot;
    if (s->prefixes & X86_PRE_LOCK) {
        unsigned again = ir_label_new(bl);
        IRTemp a = ir_temp_new(bl, s->tl), r = ir_temp_new(bl, s->tl);
        ir_set_label(bl, again);
        ir_mov_to(bl, a, x86_ld(s, ot, d->addr));
        ir_mov_to(bl, r, fn(s, ot, a));
        IRTemp prev = ir_cmpxchg(bl, d->addr, a, r, (IRMemOp)ot);
        ir_brcond(bl, IR_COND_NE, prev, a, again);
        *old = a;
        *res = r;
        return;
    }
    *old = x86_load_op(s, d, 0);
    *res = fn(s, ot, *old);
    x86_store_op(s, d, 0, *res);
}

static IRTemp op_not(DisasContext *s, unsigned ot, IRTemp a) { return x86_zext(s, ir_not(s->b, a), ot); }
static IRTemp op_neg(DisasContext *s, unsigned ot, IRTemp a) { return x86_zext(s, ir_neg(s->b, a), ot); }
static IRTemp op_inc(DisasContext *s, unsigned ot, IRTemp a) { return x86_zext(s, ir_addi(s->b, a, 1), ot); }
static IRTemp op_dec(DisasContext *s, unsigned ot, IRTemp a) { return x86_zext(s, ir_sub(s->b, a, tlc(s, 1)), ot); }

bool x86_trans_TEST(DisasContext *s, X86Insn *d)
{
    IRTemp r = ir_and(s->b, x86_load_op(s, d, 0), x86_load_op(s, d, 1));
    x86_set_cc(s, X86_CCK_LOGIC, d->op[0].ot, r, IR_TEMP_NONE, IR_TEMP_NONE);
    return true;
}

bool x86_trans_NOT(DisasContext *s, X86Insn *d)
{
    IRTemp a, r;
    gen_rmw_unary(s, d, op_not, &a, &r);
    return true;
}

bool x86_trans_NEG(DisasContext *s, X86Insn *d)
{
    IRTemp a, r;
    gen_rmw_unary(s, d, op_neg, &a, &r);
    /* the flags of 0 - a */
    x86_set_cc(s, X86_CCK_SUB, d->op[0].ot, r, a, tlc(s, 0));
    return true;
}

/* INC and DEC keep CF: the record holds it */
bool x86_trans_INC(DisasContext *s, X86Insn *d)
{
    IRTemp cf = x86_gen_cf(s), a, r;
    gen_rmw_unary(s, d, op_inc, &a, &r);
    x86_set_cc(s, X86_CCK_INC, d->op[0].ot, r, cf, IR_TEMP_NONE);
    return true;
}

bool x86_trans_DEC(DisasContext *s, X86Insn *d)
{
    IRTemp cf = x86_gen_cf(s), a, r;
    gen_rmw_unary(s, d, op_dec, &a, &r);
    x86_set_cc(s, X86_CCK_DEC, d->op[0].ot, r, cf, IR_TEMP_NONE);
    return true;
}
