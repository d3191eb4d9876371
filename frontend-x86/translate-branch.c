/*
 * translate-branch.c — jumps, calls and returns: JMP, Jcc, CALL, RET,
 * LOOP/JCXZ, and their indirect forms.
 */
#include "frontend-x86/x86-translate.h"

bool x86_trans_JMP(DisasContext *s, X86Insn *d)
{
    x86_gen_jmp(s, (uint64_t)d->op[0].imm, true);
    return true;
}

bool x86_trans_JCC(DisasContext *s, X86Insn *d)
{
    x86_gen_jcc(s, x86_gen_cond(s, s->opcode & 15), (uint64_t)d->op[0].imm);
    return true;
}

/* An indirect target read from operand 0 at the branch's size (64 bits
 * in 64-bit code: the rows are f64) */
static IRTemp load_target(DisasContext *s, X86Insn *d)
{
    IRTemp v = x86_load_op(s, d, 0);
    if (!s->code64 && d->op[0].ot == X86_OT_16)
        v = x86_zext(s, v, X86_OT_16);
    return v;
}

bool x86_trans_JMP_IND(DisasContext *s, X86Insn *d)
{
    x86_gen_jmp_indirect(s, load_target(s, d));
    return true;
}

bool x86_trans_CALL(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    uint64_t next = x86_next_pc(s);
    x86_gen_push(s, ot, tlc(s, next & ot_mask(ot)));
    if (x86_gen_jmp(s, (uint64_t)d->op[0].imm, true)) {
        /* the callee joins this block: its RET will likely come back here */
        const unsigned n = sizeof(s->ret_pred) / sizeof(s->ret_pred[0]);
        if (s->n_ret_pred == n) {
            for (unsigned i = 1; i < n; i++)
                s->ret_pred[i - 1] = s->ret_pred[i];
            s->n_ret_pred--;
        }
        s->ret_pred[s->n_ret_pred++] = next & ot_mask(ot);
    }
    return true;
}

bool x86_trans_CALL_IND(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp t = load_target(s, d);
    x86_gen_push(s, ot, tlc(s, x86_next_pc(s) & ot_mask(ot)));
    x86_gen_jmp_indirect(s, t);
    return true;
}

/* RET and RET imm16 (the bytes to release after the return address) */
/* With a call followed into this block (ret_pred), the return address is
 * tested for the instruction after that call: equal, the block goes on
 * there like after a jmp (exec follows it back: the caller's code joins
 * the block, no jump-cache probe, no host indirect jump); different (the
 * callee changed its return address, or returned elsewhere), the usual
 * lookup.  i386 PIC code calls __x86.get_pc_thunk.* (mov (%esp), %ebx;
 * ret) at every function entry. */
bool x86_trans_RET(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = x86_stack_ot(s);
    IRTemp t = x86_gen_pop_peek(s, ot);
    uint64_t release = (1u << ot) + (d->n ? ((uint64_t)d->op[0].imm & 0xffff) : 0);
    ir_mov_to(b, cpu_regs[X86_RSP], ir_add(b, cpu_regs[X86_RSP], tlc(s, release)));
    if (!s->n_ret_pred) {
        x86_gen_jmp_indirect(s, t);
        return true;
    }
    uint64_t expect = s->ret_pred[--s->n_ret_pred];
    /* both paths leave: the x87 registers go back first (x87-fast.h) */
    x87_fast_flush(s);
    unsigned hit = ir_label_new(b);
    ir_brcond(b, IR_COND_EQ, t, tlc(s, expect), hit);
    x86_gen_jmp_indirect(s, t);
    ir_set_label(b, hit);
    s->is_jmp = X86_DISAS_NEXT;
    x86_gen_jmp(s, expect, true);
    return true;
}

/* LOOP / LOOPE / LOOPNE / JrCXZ count in rCX at the address size */
static IRTemp count_reg(DisasContext *s)
{
    return x86_load_reg(s, s->aflag, X86_RCX, false);
}

static bool gen_loop(DisasContext *s, X86Insn *d, int zf_cond)
{
    IRBlock *b = s->b;
    IRTemp c = ir_sub(b, count_reg(s), tlc(s, 1));
    c = x86_zext(s, c, s->aflag);
    x86_store_reg(s, s->aflag, X86_RCX, false, c);
    IRTemp zero = tlc(s, 0);
    if (zf_cond < 0) {
        x86_gen_jcc(s, (X86Cond){ IR_COND_NE, c, zero }, (uint64_t)d->op[0].imm);
        return true;
    }
    /* taken: count != 0 and ZF == zf_cond */
    IRTemp zf = x86_gen_setcc(s, zf_cond ? 4 : 5);   /* E / NE */
    IRTemp t = ir_and(b, ir_setcond(b, IR_COND_NE, c, zero), zf);
    x86_gen_jcc(s, (X86Cond){ IR_COND_NE, t, zero }, (uint64_t)d->op[0].imm);
    return true;
}

bool x86_trans_LOOP(DisasContext *s, X86Insn *d) { return gen_loop(s, d, -1); }
bool x86_trans_LOOPE(DisasContext *s, X86Insn *d) { return gen_loop(s, d, 1); }
bool x86_trans_LOOPNE(DisasContext *s, X86Insn *d) { return gen_loop(s, d, 0); }

bool x86_trans_JRCXZ(DisasContext *s, X86Insn *d)
{
    x86_gen_jcc(s, (X86Cond){ IR_COND_EQ, count_reg(s), tlc(s, 0) }, (uint64_t)d->op[0].imm);
    return true;
}
