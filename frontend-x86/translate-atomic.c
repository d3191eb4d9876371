/*
 * translate-atomic.c — CMPXCHG, XADD, CMPXCHG8B and CMPXCHG16B.  Memory
 * forms use the IR's compare-and-exchange (a host LOCK CMPXCHG), with or
 * without the LOCK prefix: the result is the same and no other thread can
 * see a torn update.  CMPXCHG16B has no IR op: a helper does it with the
 * host's CMPXCHG16B after the IR has probed the address.
 */
#include "frontend-x86/x86-translate.h"

/* CMPXCHG r/m, r: compare rAX with the destination; equal: destination =
 * source, ZF; different: rAX = destination (the whole register written,
 * as a 32-bit write).  Flags as CMP rAX, destination. */
bool x86_trans_CMPXCHG(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp src = x86_load_op(s, d, 1);
    IRTemp acc = x86_load_reg(s, ot, X86_RAX, false);
    IRTemp old;
    if (d->op[0].is_mem) {
        old = ir_cmpxchg(b, d->addr, acc, src, (IRMemOp)ot);
    } else {
        old = x86_load_op(s, d, 0);
        /* equal: the destination takes the source; different: it stays
         * (all 64 bits, as the processors leave it) */
        if (ot == X86_OT_32 && s->tl == IR_I64 && !d->op[0].high_byte) {
            IRTemp full = cpu_regs[d->op[0].reg];
            ir_mov_to(b, full, ir_movcond(b, IR_COND_EQ, old, acc, src, full));
        } else {
            x86_store_op(s, d, 0, ir_movcond(b, IR_COND_EQ, old, acc, src, old));
        }
    }
    /* the accumulator takes the old value only when they differ: when
     * equal it keeps what it holds now (the source, if it was the
     * destination too: cmpxchg %dx, %ax) */
    if (ot == X86_OT_32 && s->tl == IR_I64)
        ir_mov_to(b, cpu_regs[X86_RAX], ir_movcond(b, IR_COND_EQ, old, acc, cpu_regs[X86_RAX], old));
    else
        x86_store_reg(s, ot, X86_RAX, false,
                      ir_movcond(b, IR_COND_EQ, old, acc, x86_load_reg(s, ot, X86_RAX, false), old));
    x86_set_cc(s, X86_CCK_SUB, ot, x86_zext(s, ir_sub(b, acc, old), ot), old, acc);
    return true;
}

/* XADD r/m, r: r = old destination, destination = sum; flags of the add */
bool x86_trans_XADD(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ot = d->op[0].ot;
    IRTemp v = x86_load_op(s, d, 1);
    IRTemp old, sum;
    if (d->op[0].is_mem) {
        unsigned again = ir_label_new(b);
        old = ir_temp_new(b, s->tl);
        sum = ir_temp_new(b, s->tl);
        ir_set_label(b, again);
        ir_mov_to(b, old, x86_ld(s, ot, d->addr));
        ir_mov_to(b, sum, x86_zext(s, ir_add(b, old, v), ot));
        IRTemp prev = ir_cmpxchg(b, d->addr, old, sum, (IRMemOp)ot);
        ir_brcond(b, IR_COND_NE, prev, old, again);
        x86_store_op(s, d, 1, old);
    } else {
        old = x86_load_op(s, d, 0);
        sum = x86_zext(s, ir_add(b, old, v), ot);
        x86_store_op(s, d, 1, old);
        x86_store_op(s, d, 0, sum);
    }
    x86_set_cc(s, X86_CCK_ADD, ot, sum, v, old);
    return true;
}

/* ZF = eq (0/1 tl), the other flags kept */
static void set_zf(DisasContext *s, IRTemp eq)
{
    IRBlock *b = s->b;
    IRTemp f = ir_or(b, ir_andi(b, x86_gen_eflags(s), ~(uint64_t)X86_EFLAGS_ZF), ir_shli(b, eq, 6));
    x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, f, IR_TEMP_NONE);
}

static IRTemp pair64(DisasContext *s, unsigned hi_reg, unsigned lo_reg)
{
    IRBlock *b = s->b;
    IRTemp hi = x86_load_reg(s, X86_OT_32, hi_reg, false), lo = x86_load_reg(s, X86_OT_32, lo_reg, false);
    if (s->tl == IR_I32) {
        hi = ir_extu_i32_i64(b, hi);
        lo = ir_extu_i32_i64(b, lo);
    }
    return ir_or(b, ir_shli(b, hi, 32), lo);
}

/* CMPXCHG8B m64: EDX:EAX against memory; equal: memory = ECX:EBX, ZF;
 * different: EDX:EAX = memory */
bool x86_trans_CMPXCHG8B(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    IRTemp expect = pair64(s, X86_RDX, X86_RAX), nv = pair64(s, X86_RCX, X86_RBX);
    IRTemp old = ir_cmpxchg(b, d->addr, expect, nv, IR_MO_Q);
    IRTemp eq = ir_setcond(b, IR_COND_EQ, old, expect);
    unsigned same = ir_label_new(b);
    ir_brcond(b, IR_COND_NE, eq, ir_const64(b, 0), same);
    IRTemp lo = ir_extrl_i64_i32(b, old), hi = ir_extrh_i64_i32(b, old);
    if (s->tl == IR_I64) {
        lo = ir_extu_i32_i64(b, lo);
        hi = ir_extu_i32_i64(b, hi);
    }
    x86_store_reg(s, X86_OT_32, X86_RAX, false, lo);
    x86_store_reg(s, X86_OT_32, X86_RDX, false, hi);
    ir_set_label(b, same);
    set_zf(s, s->tl == IR_I64 ? eq : ir_extrl_i64_i32(b, eq));
    return true;
}

/* CMPXCHG16B m128 (16-byte aligned, else #GP): RDX:RAX against memory */
bool x86_trans_CMPXCHG16B(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    unsigned ok = ir_label_new(b);
    ir_brcond(b, IR_COND_TSTEQ, d->addr, tlc(s, 15), ok);
    ir_mov_to(b, cpu_rip, tlc(s, s->pc));
    ir_raise(b, X86_EXCP_GP);
    ir_set_label(b, ok);
    /* fault here, in generated code, if the line is not writable: the
     * helper then touches only mapped memory */
    IRTemp t = x86_ld(s, X86_OT_64, d->addr);
    ir_cmpxchg(b, d->addr, t, t, IR_MO_Q);
    IRTemp in[1] = { d->addr };
    IRTemp eq = ir_call_helper(b, &x86_h_cmpxchg16b, in);
    set_zf(s, ir_extu_i32_i64(b, eq));
    return true;
}
