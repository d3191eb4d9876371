/*
 * translate-stack.c — PUSH, POP (registers, memory, immediates, segment
 * registers), PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE.  The stack is flat;
 * its width is 64 bits in 64-bit code (16 with 66) and the operand size
 * otherwise (x86_stack_ot).
 */
#include <stddef.h>

#include "frontend-x86/x86-translate.h"

bool x86_trans_PUSH(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp v;
    if (d->op[0].kind == X86_OPK_I)
        v = tlc(s, (uint64_t)d->op[0].imm & ot_mask(ot));
    else
        v = x86_load_op(s, d, 0);
    x86_gen_push(s, ot, v);
    return true;
}

bool x86_trans_POP(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp v = x86_gen_pop_peek(s, ot);
    x86_gen_pop_commit(s, ot);
    /* a memory destination based on rsp sees rsp after the pop */
    if (d->op[0].is_mem && s->mem_base == X86_RSP)
        d->addr = ir_add(s->b, d->addr, tlc(s, 1u << ot));
    d->op[0].ot = (uint8_t)ot;
    x86_store_op(s, d, 0, v);
    return true;
}

static int seg_of_opcode(const DisasContext *s)
{
    switch (s->opcode) {
    case 0x06: case 0x07: return X86_SEG_ES;
    case 0x0e: return X86_SEG_CS;
    case 0x16: case 0x17: return X86_SEG_SS;
    case 0x1e: case 0x1f: return X86_SEG_DS;
    case 0xa0: case 0xa1: return X86_SEG_FS;
    default: return X86_SEG_GS;
    }
}

/* PUSH Sreg: recent processors write only the 16-bit selector */
bool x86_trans_PUSH_SEG(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp v = ir_ld_env(s->b, s->tl, offsetof(X86CPU, seg_sel) + 2 * (unsigned)seg_of_opcode(s), IR_MO_UW);
    IRTemp sp = ir_sub(s->b, cpu_regs[X86_RSP], tlc(s, 1u << ot));
    x86_st(s, X86_OT_16, v, sp);
    ir_mov_to(s->b, cpu_regs[X86_RSP], sp);
    return true;
}

bool x86_trans_POP_SEG(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp v = x86_gen_pop_peek(s, X86_OT_16);
    IRTemp in[2] = { c32(s, (uint32_t)seg_of_opcode(s)), s->tl == IR_I64 ? ir_extrl_i64_i32(s->b, v) : v };
    ir_call_helper(s->b, &x86_h_load_seg, in);
    x86_gen_pop_commit(s, ot);
    return true;
}

/* PUSHA / POPA (32-bit code only): eAX eCX eDX eBX (the original eSP)
 * eBP eSI eDI */
bool x86_trans_PUSHA(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = s->dflag, sz = 1u << ot;
    IRTemp sp = cpu_regs[X86_RSP];
    for (unsigned i = 0; i < 8; i++)
        x86_st(s, ot, x86_load_reg(s, ot, i, false), ir_sub(b, sp, tlc(s, (i + 1) * sz)));
    ir_mov_to(b, cpu_regs[X86_RSP], ir_sub(b, sp, tlc(s, 8 * sz)));
    return true;
}

bool x86_trans_POPA(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = s->dflag, sz = 1u << ot;
    IRTemp sp = ir_mov(b, cpu_regs[X86_RSP]);
    IRTemp v[8];
    for (unsigned i = 0; i < 8; i++)
        v[i] = x86_ld(s, ot, ir_add(b, sp, tlc(s, (7 - i) * sz)));
    for (unsigned i = 0; i < 8; i++)
        if (i != X86_RSP)
            x86_store_reg(s, ot, i, false, v[i]);
    ir_mov_to(b, cpu_regs[X86_RSP], ir_add(b, sp, tlc(s, 8 * sz)));
    return true;
}

/* The EFLAGS image PUSHF stores: the arithmetic flags, DF, the rest
 * (RF and VM read as zero in the image) */
IRTemp x86_gen_eflags_full(DisasContext *s)
{
    IRBlock *b = s->b;
    IRTemp f = x86_gen_eflags(s);
    IRTemp df = ir_andi(b, ir_sari(b, cpu_df, 31), X86_EFLAGS_DF);
    if (s->tl == IR_I64)
        df = ir_extu_i32_i64(b, df);
    IRTemp rest = ir_ld_env(b, s->tl, offsetof(X86CPU, eflags_rest), IR_MO_UL);
    rest = ir_andi(b, rest, ~(uint64_t)(X86_EFLAGS_ARITH | X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_VM));
    return ir_or(b, ir_or(b, f, df), ir_or(b, rest, tlc(s, X86_EFLAGS_FIXED)));
}

bool x86_trans_PUSHF(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    x86_gen_push(s, ot, x86_zext(s, x86_gen_eflags_full(s), ot));
    return true;
}

/* POPF at CPL 3: IF and IOPL stay as they are (no fault) */
bool x86_trans_POPF(DisasContext *s, X86Insn *d)
{
    unsigned ot = x86_stack_ot(s);
    IRTemp v = x86_gen_pop(s, ot);
    uint32_t mask = X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_NT | X86_EFLAGS_AC |
                    X86_EFLAGS_ID;
    if (ot == X86_OT_16)
        mask &= 0xffff;
    IRTemp in[2] = { s->tl == IR_I64 ? ir_extrl_i64_i32(s->b, v) : v, c32(s, mask) };
    ir_call_helper(s->b, &x86_h_write_eflags, in);
    s->cc_op = X86_CC_EFLAGS;      /* the helper leaves the record in that form */
    x86_cc_forget(s);
    return true;
}

/* ENTER size, level (SDM "ENTER") */
bool x86_trans_ENTER(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = x86_stack_ot(s), sz = 1u << ot;
    uint64_t size = (uint64_t)d->op[0].imm & 0xffff;
    unsigned level = (unsigned)d->op[1].imm & 31;
    x86_gen_push(s, ot, x86_load_reg(s, ot, X86_RBP, false));
    IRTemp frame = ir_mov(b, cpu_regs[X86_RSP]);
    if (level) {
        IRTemp bp = ir_mov(b, cpu_regs[X86_RBP]);
        for (unsigned i = 1; i < level; i++) {
            IRTemp p = ir_sub(b, bp, tlc(s, i * sz));
            x86_gen_push(s, ot, x86_ld(s, ot, p));
        }
        x86_gen_push(s, ot, x86_zext(s, frame, ot));
    }
    x86_store_reg(s, ot, X86_RBP, false, x86_zext(s, frame, ot));
    ir_mov_to(b, cpu_regs[X86_RSP], ir_sub(b, cpu_regs[X86_RSP], tlc(s, size)));
    return true;
}

bool x86_trans_LEAVE(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = x86_stack_ot(s);
    IRTemp v = x86_ld(s, ot, cpu_regs[X86_RBP]);
    ir_mov_to(b, cpu_regs[X86_RSP], ir_add(b, cpu_regs[X86_RBP], tlc(s, 1u << ot)));
    x86_store_reg(s, ot, X86_RBP, false, v);
    return true;
}
